/* layout: the page frame around every template, the error page, redirects and JSON answers. */
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "core/assets.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/layout.h"
#include "core/out.h"
#include "core/roles.h"
#include "core/session.h"
#include "core/tmpl.h"
#include "core/view.h"

struct view *
layout_new(struct ctx *c)
{
	struct view *j = view_new(c->arena), *lang = view_new(c->arena), *me;

	view_str(lang, "code", i18n_code(c->lang));
	view_str(lang, "html", i18n_html_lang(c->lang));
	view_set(j, "lang", lang);
	view_str(j, "static_version", c->app->assets->static_version);
	view_str(j, "tz_js_version", c->app->assets->tz_js_version);
	/* "system" follows the browser: no attribute, the media query decides. */
	if (c->theme != NULL && (strcmp(c->theme, "light") == 0 ||
	    strcmp(c->theme, "dark") == 0))
		view_str(j, "theme", c->theme);
	/*
	 * A signed-in visitor's CSRF token, for every form of the page; the
	 * navigation's user menu and its sign-out form.
	 */
	if (c->session != NULL) {
		view_str(j, "csrf", c->session->csrf);
		me = view_new(c->arena);
		view_str(me, "csrf", c->session->csrf);
		if (c->user != NULL && c->user->email != NULL)
			view_str(me, "email", c->user->email);
		if (c->user != NULL && roles_is_expert(&c->user->roles))
			view_bool(me, "expert", 1);
		if (c->user != NULL && roles_is_admin(&c->user->roles))
			view_bool(me, "admin", 1);
		view_set(j, "me", me);
	}
	return j;
}

static int
layout_fail(struct ctx *c, const char *what)
{
	log_error("layout: cannot render %s", what);
	out_clear(c->resp);
	out_header(c->resp, "Content-Type", "text/plain; charset=utf-8");
	buf_puts(&c->resp->body, "Internal Server Error\n");
	c->resp->rendered = 1;
	c->resp->status = 500;
	return 500;
}

int
layout_render(struct ctx *c, int status, const char *name, struct view *v)
{
	const struct tmpl_set *ts = c->app->assets->tmpl;
	struct buf content;

	buf_init(&content, c->arena);
	if (tmpl_render(ts, name, view_object(v), c->lang, &content) == -1)
		return layout_fail(c, name);
	view_html(v, "content", content.data, content.len);
	/* Headers the handler set (Allow, Location, cookies) stay. */
	buf_truncate(&c->resp->body, 0);
	if (tmpl_render(ts, "layout", view_object(v), c->lang,
	    &c->resp->body) == -1)
		return layout_fail(c, "layout");
	c->resp->rendered = 1;
	c->resp->status = status;
	return status;
}

int
layout_error(struct ctx *c, int status)
{
	struct view *j = layout_new(c);
	char key[64];

	snprintf(key, sizeof(key), "error.%d.title", status);
	if (!i18n_has(c->app->assets->i18n, LANG_EN, key))
		snprintf(key, sizeof(key), "error.%s.title",
		    status >= 500 ? "5xx" : "4xx");
	view_str(j, "title", view_t(c, key));
	memcpy(strrchr(key, '.'), ".text", sizeof(".text"));
	view_str(j, "text", view_t(c, key));
	view_int(j, "status", status);
	if (c->message != NULL)
		view_str(j, "message", c->message);
	if (c->retry_url != NULL)
		view_str(j, "retry_url", c->retry_url);
	return layout_render(c, status, "error", j);
}

int
layout_redirect(struct ctx *c, const char *location)
{
	out_clear(c->resp);
	if (out_header(c->resp, "Location", location) == -1)
		return 500;
	c->resp->status = 303;
	return 303;
}

int
layout_json(struct ctx *c, int status, const struct view *v)
{
	out_clear(c->resp);
	out_header(c->resp, "Content-Type", "application/json");
	out_header(c->resp, "Cache-Control", "no-store");
	buf_puts(&c->resp->body, view_json(c->arena, v));
	buf_putc(&c->resp->body, '\n');
	c->resp->rendered = 1;
	c->resp->status = status;
	return status;
}

int
layout_json_pair(struct ctx *c, int status, const char *key,
    const char *value)
{
	struct view *o = view_new(c->arena);

	view_str(o, key, value);
	return layout_json(c, status, o);
}
