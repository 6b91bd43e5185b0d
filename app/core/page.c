/* page: layout rendering, the error page and JSON answers for handlers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/assets.h"
#include "lib/buf.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "lib/log.h"
#include "core/out.h"
#include "core/page.h"
#include "core/req.h"
#include "core/roles.h"
#include "core/session.h"
#include "domain/setup.h"
#include "core/tmpl.h"
#include "core/tz.h"
#include "core/valid.h"

static void
page_put_json(void *p)
{
	json_object_put(p);
}

struct json_object *
page_context(struct ctx *c)
{
	struct json_object *j = json_object_new_object();
	struct json_object *lang = json_object_new_object();

	arena_cleanup(c->arena, page_put_json, j);
	json_object_object_add(lang, "code",
	    json_object_new_string(i18n_code(c->lang)));
	json_object_object_add(lang, "html",
	    json_object_new_string(i18n_html_lang(c->lang)));
	json_object_object_add(j, "lang", lang);
	json_object_object_add(j, "static_version",
	    json_object_new_string(c->app->assets->static_version));
	/* "system" follows the browser: no attribute, the media query decides. */
	if (c->theme != NULL && (strcmp(c->theme, "light") == 0 ||
	    strcmp(c->theme, "dark") == 0))
		json_object_object_add(j, "theme",
		    json_object_new_string(c->theme));
	/* The navigation's user menu and its sign-out form. */
	if (c->session != NULL) {
		struct json_object *me = json_object_new_object();

		json_object_object_add(me, "csrf",
		    json_object_new_string(c->session->csrf));
		if (c->user != NULL && c->user->email != NULL)
			json_object_object_add(me, "email",
			    json_object_new_string(c->user->email));
		if (c->user != NULL && roles_is_expert(&c->user->roles))
			json_object_object_add(me, "expert",
			    json_object_new_boolean(1));
		if (c->user != NULL && roles_is_admin(&c->user->roles))
			json_object_object_add(me, "admin",
			    json_object_new_boolean(1));
		json_object_object_add(j, "me", me);
	}
	return j;
}

const char *
page_t(struct ctx *c, const char *key)
{
	const char *s = i18n_get(c->app->assets->i18n, c->lang, key);

	return s != NULL ? s : key;
}

/* text with every "{name}" replaced by value; arena-owned. */
static const char *
page_subst(struct arena *a, const char *t, const char *name,
    const char *value)
{
	char *pat = arena_printf(a, "{%s}", name);
	size_t pl = strlen(pat);
	const char *p;
	struct buf b;

	if (strstr(t, pat) == NULL)
		return t;
	buf_init(&b, a);
	while ((p = strstr(t, pat)) != NULL) {
		buf_append(&b, t, (size_t)(p - t));
		buf_puts(&b, value);
		t = p + pl;
	}
	buf_puts(&b, t);
	return buf_str(&b);
}

const char *
page_tf(struct ctx *c, const char *key, const char *name, const char *value)
{
	return page_subst(c->arena, page_t(c, key), name, value);
}

/* A validator's message, naming the field's bounds. */
static const char *
page_valid_message(struct ctx *c, const struct valid_field *f,
    const char *key)
{
	char min[32], max[32];

	snprintf(min, sizeof(min), "%ld", f->min);
	snprintf(max, sizeof(max), "%ld", f->max);
	return page_subst(c->arena, page_subst(c->arena, page_t(c, key),
	    "min", min), "max", max);
}

void
page_form(struct ctx *c, struct json_object *j, const struct valid_field *f,
    size_t n, const struct valid_result *r)
{
	struct json_object *v = json_object_new_object();
	struct json_object *err = json_object_new_object();
	struct json_object *list = json_object_new_array();
	size_t i;

	for (i = 0; i < n && r->v != NULL; i++) {
		if (f[i].type == VALID_BOOL)
			json_object_object_add(v, f[i].name,
			    json_object_new_boolean(r->v[i].n != 0));
		else
			json_object_object_add(v, f[i].name,
			    json_object_new_string(r->v[i].s ? r->v[i].s : ""));
	}
	for (i = 0; i < r->nerr; i++) {
		const char *msg = page_valid_message(c, &f[r->err[i].field],
		    r->err[i].key);

		if (!json_object_object_get_ex(err, f[r->err[i].field].name,
		    NULL))
			json_object_object_add(err, f[r->err[i].field].name,
			    json_object_new_string(msg));
		json_object_array_add(list, json_object_new_string(msg));
	}
	json_object_object_add(j, "v", v);
	json_object_object_add(j, "err", err);
	if (r->nerr > 0) {
		json_object_object_add(j, "errors", list);
		json_object_object_add(j, "has_errors",
		    json_object_new_boolean(1));
	} else
		json_object_put(list);
}

struct json_object *
page_options(struct ctx *c, const char *const *values, const char *prefix,
    const char *selected)
{
	struct json_object *a = json_object_new_array(), *o;

	for (; *values != NULL; values++) {
		o = json_object_new_object();
		json_object_object_add(o, "value",
		    json_object_new_string(*values));
		json_object_object_add(o, "label", json_object_new_string(
		    page_t(c, arena_printf(c->arena, "%s%s", prefix, *values))));
		if (selected != NULL && strcmp(selected, *values) == 0)
			json_object_object_add(o, "selected",
			    json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	return a;
}

static int
page_fail(struct ctx *c, const char *what)
{
	log_error("page: cannot render %s", what);
	out_clear(c->resp);
	out_header(c->resp, "Content-Type", "text/plain; charset=utf-8");
	buf_puts(&c->resp->body, "Internal Server Error\n");
	c->resp->rendered = 1;
	c->resp->status = 500;
	return 500;
}

int
page_render(struct ctx *c, int status, const char *name,
    struct json_object *jctx)
{
	const struct tmpl_set *ts = c->app->assets->tmpl;
	struct buf content;

	buf_init(&content, c->arena);
	if (tmpl_render(ts, name, jctx, c->lang, &content) == -1)
		return page_fail(c, name);
	json_object_object_add(jctx, "content",
	    tmpl_html(content.data != NULL ? content.data : "", content.len));
	/* Headers the handler set (Allow, Location, cookies) stay. */
	buf_truncate(&c->resp->body, 0);
	if (tmpl_render(ts, "layout", jctx, c->lang, &c->resp->body) == -1)
		return page_fail(c, "layout");
	c->resp->rendered = 1;
	c->resp->status = status;
	return status;
}

int
page_error(struct ctx *c, int status)
{
	struct json_object *j = page_context(c);
	char key[64];
	const char *title, *text;

	snprintf(key, sizeof(key), "error.%d.title", status);
	if (!i18n_has(c->app->assets->i18n, LANG_EN, key))
		snprintf(key, sizeof(key), "error.%s.title",
		    status >= 500 ? "5xx" : "4xx");
	title = page_t(c, key);
	memcpy(strrchr(key, '.'), ".text", sizeof(".text"));
	text = page_t(c, key);
	json_object_object_add(j, "status", json_object_new_int(status));
	json_object_object_add(j, "title", json_object_new_string(title));
	json_object_object_add(j, "text", json_object_new_string(text));
	if (c->message != NULL)
		json_object_object_add(j, "message",
		    json_object_new_string(c->message));
	if (c->retry_url != NULL)
		json_object_object_add(j, "retry_url",
		    json_object_new_string(c->retry_url));
	return page_render(c, status, "error", j);
}

int
page_redirect(struct ctx *c, const char *location)
{
	out_clear(c->resp);
	if (out_header(c->resp, "Location", location) == -1)
		return 500;
	c->resp->status = 303;
	return 303;
}

const char *
page_json_text(struct ctx *c, struct json_object *jv)
{
	const char *s = arena_strdup(c->arena,
	    json_object_to_json_string_ext(jv, JSON_C_TO_STRING_PLAIN));

	json_object_put(jv);
	return s;
}

int
page_json(struct ctx *c, int status, struct json_object *jv)
{
	const char *s;

	arena_cleanup(c->arena, page_put_json, jv);
	s = json_object_to_json_string_ext(jv, JSON_C_TO_STRING_PLAIN);
	out_clear(c->resp);
	out_header(c->resp, "Content-Type", "application/json");
	out_header(c->resp, "Cache-Control", "no-store");
	buf_puts(&c->resp->body, s);
	buf_putc(&c->resp->body, '\n');
	c->resp->rendered = 1;
	c->resp->status = status;
	return status;
}

struct json_object *
page_str(struct pg_result *r, int row, int col)
{
	return json_object_new_string(PQgetvalue(r, row, col));
}

void
page_add_price(struct ctx *c, struct json_object *j, const char *minor,
    const char *currency)
{
	if (strcmp(minor, "0") == 0)
		json_object_object_add(j, "free", json_object_new_boolean(1));
	else
		json_object_object_add(j, "price", json_object_new_string(
		    page_price(c, minor, currency)));
}

const char *
page_price(struct ctx *c, const char *minor, const char *currency)
{
	long long n = atoll(minor);
	char *cur = arena_strdup(c->arena, currency), *p;

	for (p = cur; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p -= 32;
	return arena_printf(c->arena, "%lld.%02lld %s", n / 100, n % 100, cur);
}

struct json_object *
page_when(struct ctx *c, struct pg_result *r, int row, int col,
    int long_weekday)
{
	struct json_object *o = json_object_new_object();
	int wd = atoi(PQgetvalue(r, row, col + 1));
	time_t t = (time_t)strtoll(PQgetvalue(r, row, col + 4), NULL, 10);
	char iso[32];
	struct tm tm;

	if (wd < 1 || wd > 7)
		wd = 1;
	json_object_object_add(o, "weekday", json_object_new_string(page_t(c,
	    arena_printf(c->arena, long_weekday ? "day.%s" : "day.%s.short",
	    setup_days[wd - 1]))));
	json_object_object_add(o, "date",
	    json_object_new_string(PQgetvalue(r, row, col)));
	json_object_object_add(o, "start",
	    json_object_new_string(PQgetvalue(r, row, col + 2)));
	json_object_object_add(o, "end",
	    json_object_new_string(PQgetvalue(r, row, col + 3)));
	if (gmtime_r(&t, &tm) != NULL &&
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%MZ", &tm) > 0)
		json_object_object_add(o, "datetime",
		    json_object_new_string(iso));
	return o;
}

const char *
page_category(struct ctx *c, const char *name)
{
	char *key = arena_printf(c->arena, "category.%s", name), *p;

	for (p = key + 9; *p != '\0'; p++)
		*p = *p == ' ' ? '_' : (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p;
	return i18n_has(c->app->assets->i18n, LANG_EN, key) ?
	    page_t(c, key) : name;
}

const char *
page_param_slug(struct ctx *c, const char *name)
{
	static const struct valid_field slug =
	    { "slug", VALID_SLUG, VALID_REQUIRED, 1, 100, NULL };
	const char *s = req_param(c->req, name);
	struct valid_value v;

	return s != NULL && valid_value(c->arena, &slug, s, &v) == NULL &&
	    strcmp(v.s, s) == 0 ? s : NULL;
}

struct json_object *
page_tz_options(const struct tz_list *tzs, const char *selected)
{
	struct json_object *list = json_object_new_array(), *o;
	size_t i;

	for (i = 0; i < tzs->n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "value",
		    json_object_new_string(tzs->names[i]));
		if (selected != NULL && strcmp(tzs->names[i], selected) == 0)
			json_object_object_add(o, "selected",
			    json_object_new_boolean(1));
		json_object_array_add(list, o);
	}
	return list;
}
