/* route: path matching and the dispatcher that owns 404, 405 and error pages. */
#include <string.h>

#include "lib/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/ctx.h"
#include "lib/log.h"
#include "core/out.h"
#include "core/page.h"
#include "core/req.h"
#include "core/roles.h"
#include "core/route.h"

int
route_match(struct arena *a, const char *pattern, const char *path,
    struct kvlist *params)
{
	const char *p = pattern, *s = path;
	struct kv caps[8];
	size_t ncaps = 0;

	while (*p != '\0' && *s != '\0') {
		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		if (*p == ':') {
			const char *pe = strchrnul(p, '/');
			const char *se = strchrnul(s, '/');

			if (se == s || ncaps == sizeof(caps) / sizeof(caps[0]))
				return 0;
			caps[ncaps].name = arena_strndup(a, p + 1,
			    (size_t)(pe - p - 1));
			caps[ncaps].value = arena_strndup(a, s,
			    (size_t)(se - s));
			caps[ncaps].value_len = (size_t)(se - s);
			ncaps++;
			p = pe;
			s = se;
		} else {
			while (*p != '\0' && *p != '/' && *p == *s) {
				p++;
				s++;
			}
			if ((*p != '\0' && *p != '/') ||
			    (*s != '\0' && *s != '/'))
				return 0;
		}
	}
	if (*p != '\0' || *s != '\0')
		return 0;
	if (params != NULL) {
		params->n = ncaps;
		params->v = NULL;
		if (ncaps > 0) {
			params->v = arena_alloc(a, ncaps * sizeof(caps[0]));
			memcpy(params->v, caps, ncaps * sizeof(caps[0]));
		}
	}
	return 1;
}

const struct route *
route_find(const struct route *table, size_t n, enum http_method method,
    const char *path, struct arena *a, struct kvlist *params, unsigned *allow)
{
	enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;
	size_t i;
	int pass, literal;

	*allow = 0;
	/* Patterns without a parameter first: a path one of them names
	   (/auth/sign-out) is theirs, for every method, and a parameter
	   pattern (/:handle/:event) never answers it in their place. */
	for (pass = 0; pass < 2 && *allow == 0; pass++) {
		for (i = 0; i < n; i++) {
			literal = strchr(table[i].pattern, ':') == NULL;
			if (literal != (pass == 0) ||
			    !route_match(a, table[i].pattern, path, NULL))
				continue;
			if (table[i].method == want) {
				route_match(a, table[i].pattern, path, params);
				return &table[i];
			}
			*allow |= 1u << table[i].method;
			if (table[i].method == HTTP_GET)
				*allow |= 1u << HTTP_HEAD;
		}
	}
	return NULL;
}

static const char *
route_allow_header(struct arena *a, unsigned allow)
{
	char list[128] = "";
	int m;

	for (m = 0; m < HTTP_OTHER; m++) {
		if (!(allow & (1u << m)))
			continue;
		if (list[0] != '\0')
			strcat(list, ", ");
		strcat(list, req_method_name((enum http_method)m));
	}
	return arena_strdup(a, list);
}

/* Send a signed-out visitor to sign in, coming back here after a GET. */
static int
route_sign_in(struct ctx *c)
{
	const char *back = c->req->method == HTTP_GET ||
	    c->req->method == HTTP_HEAD ? auth_local_path(c->req->uri) : NULL;

	return page_redirect(c, back != NULL ? arena_printf(c->arena,
	    "/sign-in?return_to=%s", form_urlencode(c->arena, back)) :
	    "/sign-in");
}

/* Apply the route's flags, then run its handler. */
static int
route_run(struct ctx *c, const struct route *r)
{
	unsigned flags = r->flags;
	int post = c->req->method != HTTP_GET && c->req->method != HTTP_HEAD;

	if (flags & (ROUTE_EXPERT | ROUTE_ADMIN))
		flags |= ROUTE_AUTH;
	if ((flags & ROUTE_AUTH) && c->session == NULL)
		return route_sign_in(c);
	if (post && !(flags & ROUTE_NO_CSRF) && !auth_csrf_ok(c)) {
		c->message = page_t(c, "error.csrf");
		return 403;
	}
	if ((flags & ROUTE_TX) && !(flags & ROUTE_AUTH) &&
	    auth_begin(c, NULL, NULL, !post) == -1)
		return 503;
	if (flags & ROUTE_AUTH) {
		switch (auth_load(c, !post)) {
		case AUTH_OK:
			break;
		case AUTH_SIGNED_OUT:
			return route_sign_in(c);
		case AUTH_UNAVAILABLE:
			return 503;
		}
		if (((flags & ROUTE_EXPERT) && !roles_is_expert(&c->user->roles)) ||
		    ((flags & ROUTE_ADMIN) && !roles_is_admin(&c->user->roles)))
			return 403;
	}
	return r->handler(c);
}

void
route_dispatch(struct ctx *c, const struct route *table, size_t n)
{
	const struct route *r;
	unsigned allow;
	int status;

	auth_open(c);
	r = route_find(table, n, c->req->method, c->req->path, c->arena,
	    &c->req->params, &allow);
	if (r == NULL && allow != 0) {
		out_header(c->resp, "Allow", route_allow_header(c->arena,
		    allow));
		status = 405;
	} else if (r == NULL)
		status = 404;
	else
		status = route_run(c, r);
	if (c->tx_open) {
		if (status >= 400)
			db_rollback(c->app->db);
		else if (db_commit(c->app->db) == -1) {
			out_clear(c->resp);
			c->resp->rendered = 0;
			status = 503;
		}
		c->tx_open = 0;
	}
	c->resp->status = status;
	if (status >= 400 && !c->resp->rendered) {
		const char *allowh = out_get_header(c->resp, "Allow");

		out_clear(c->resp);
		if (allowh != NULL)
			out_header(c->resp, "Allow", allowh);
		page_error(c, status);
	}
	auth_finish(c);
}
