/* route: path matching, links, and the dispatcher that owns 404, 405, the route flags and error pages. */
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/layout.h"
#include "core/out.h"
#include "core/req.h"
#include "core/roles.h"
#include "core/route.h"
#include "core/tx.h"
#include "core/view.h"
#include "core/workos.h"

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

/* The handler of r for method, or NULL. */
static route_handler
route_handler_for(const struct route *r, enum http_method method)
{
	switch (method) {
	case HTTP_GET:
	case HTTP_HEAD:
		return r->get;
	case HTTP_POST:
		return r->post;
	default:
		return NULL;
	}
}

/* The methods r answers, as an Allow mask. */
static unsigned
route_methods(const struct route *r)
{
	return (r->get ? (1u << HTTP_GET) | (1u << HTTP_HEAD) : 0) |
	    (r->post ? 1u << HTTP_POST : 0);
}

const struct route *
route_find(const struct route *table, size_t n, enum http_method method,
    const char *path, struct arena *a, struct kvlist *params, unsigned *allow)
{
	size_t i;
	int pass, literal;

	*allow = 0;
	/* Patterns without a parameter first: a path one of them names
	   (/auth/sign-out) is theirs, for every method, and a parameter
	   pattern (/:handle/:event) never answers it in their place. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			literal = strchr(table[i].pattern, ':') == NULL;
			if (literal != (pass == 0) ||
			    !route_match(a, table[i].pattern, path, params))
				continue;
			if (route_handler_for(&table[i], method) != NULL)
				return &table[i];
			*allow = route_methods(&table[i]);
			return NULL;
		}
	}
	return NULL;
}

const struct route *
route_named(const struct route *table, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const char *
route_link(struct arena *a, const struct route *r, const char *const *values,
    size_t n)
{
	const char *p = r->pattern;
	struct buf b;
	size_t used = 0;

	buf_init(&b, a);
	while (*p != '\0') {
		if (*p != ':') {
			buf_putc(&b, *p++);
			continue;
		}
		if (used == n || values[used] == NULL || *values[used] == '\0') {
			log_error("route: link to %s without a value for %.*s",
			    r->name, (int)strcspn(p, "/"), p);
			return NULL;
		}
		buf_puts(&b, form_urlencode(a, values[used++]));
		p += strcspn(p, "/");
	}
	if (used != n) {
		log_error("route: link to %s with %zu values for %zu segments",
		    r->name, n, used);
		return NULL;
	}
	return buf_str(&b);
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

/*
 * Send a signed-out visitor to sign in (the table's route called
 * ROUTE_SIGN_IN), coming back here after a GET.
 */
static int
route_sign_in(struct ctx *c, const struct route *sign_in)
{
	const char *back = c->req->method == HTTP_GET ||
	    c->req->method == HTTP_HEAD ? auth_local_path(c->req->uri) : NULL;

	if (sign_in == NULL) {
		log_error("route: the table has no route called %s",
		    ROUTE_SIGN_IN);
		return 500;
	}
	return layout_redirect(c, back != NULL ? arena_printf(c->arena,
	    "%s?return_to=%s", sign_in->pattern, form_urlencode(c->arena,
	    back)) : sign_in->pattern);
}

/* Seconds a 503 asks the client to wait at least. */
#define ROUTE_RETRY_AFTER	5

/* Apply the route's flags, then run its handler for the method. */
static int
route_run(struct ctx *c, const struct route *r, const struct route *sign_in)
{
	unsigned flags = r->flags;
	int post = c->req->method != HTTP_GET && c->req->method != HTTP_HEAD;

	if (flags & (ROUTE_EXPERT | ROUTE_ADMIN))
		flags |= ROUTE_AUTH;
	if (flags & ROUTE_TX_READ)
		flags |= ROUTE_TX;
	c->replica_ok = (flags & ROUTE_REPLICA) && !post;
	if ((flags & ROUTE_AUTH) && c->session == NULL)
		return route_sign_in(c, sign_in);
	if (post && !(flags & ROUTE_NO_CSRF) && !auth_csrf_ok(c)) {
		c->message = view_t(c, "error.csrf");
		return 403;
	}
	if ((flags & ROUTE_AUTH_MAYBE) && !(flags & ROUTE_AUTH)) {
		/* A session that no longer holds (signed out elsewhere) is
		   nobody's: its cookie goes, the page answers as to anyone. */
		if (c->session != NULL &&
		    auth_load(c, !post) == AUTH_UNAVAILABLE)
			return 503;
		if (c->user == NULL) {
			if (tx_open(c))
				tx_rollback(c);
			flags |= ROUTE_TX;
		}
	}
	if ((flags & ROUTE_TX) && !(flags & ROUTE_AUTH) && tx_begin(c, NULL,
	    NULL, !post || (flags & ROUTE_TX_READ)) == -1)
		return 503;
	if (flags & ROUTE_AUTH) {
		switch (auth_load_with(c, !post && !(flags & ROUTE_GET_WRITES),
		    post ? NULL : r->prefetch)) {
		case AUTH_OK:
			break;
		case AUTH_SIGNED_OUT:
			return route_sign_in(c, sign_in);
		case AUTH_UNAVAILABLE:
			return 503;
		}
		if (((flags & ROUTE_EXPERT) && !roles_is_expert(&c->user->roles)) ||
		    ((flags & ROUTE_ADMIN) && !roles_is_admin(&c->user->roles)))
			return 403;
	}
	return route_handler_for(r, c->req->method)(c);
}

int
route_stream_begin(struct ctx *c)
{
	auth_finish(c);
	return out_stream_begin(c->resp);
}

void
route_dispatch(struct ctx *c, const struct route *table, size_t n)
{
	const struct route *r;
	unsigned allow;
	int status, final;

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
		status = route_run(c, r, route_named(table, n, ROUTE_SIGN_IN));
	final = tx_end(c, status);
	if (c->resp->streamed) {
		/* The head is gone: a failure can only cut the body short. */
		if (final >= 400)
			out_stream_abort(c->resp);
		c->resp->status = final;
		return;
	}
	if (final != status) {
		/* The commit failed: what was rendered did not happen. */
		out_clear(c->resp);
		c->resp->rendered = 0;
		status = final;
	}
	c->resp->status = status;
	if (status >= 400 && !c->resp->rendered) {
		const char *allowh = out_get_header(c->resp, "Allow");

		out_clear(c->resp);
		if (allowh != NULL)
			out_header(c->resp, "Allow", allowh);
		layout_error(c, status);
	}
	/*
	 * Unavailable (the database, WorkOS) is passing: when to come back,
	 * the breaker's wait when it is open (core/workos.c).
	 */
	if (status == 503 && out_get_header(c->resp, "Retry-After") == NULL) {
		int wait = workos_retry_after(c->app->workos);

		out_header(c->resp, "Retry-After", arena_printf(c->arena, "%d",
		    wait > ROUTE_RETRY_AFTER ? wait : ROUTE_RETRY_AFTER));
	}
	auth_finish(c);
}
