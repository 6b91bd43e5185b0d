/* view: objects and lists for templates, audit values and JSON answers; presentation helpers in the request's language. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/jsonh.h"
#include "core/assets.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/sql.h"
#include "core/tmpl.h"
#include "core/tz.h"
#include "core/valid.h"
#include "core/view.h"

/* A view is a json-c object or array; the type only keeps pages off json-c. */
static struct json_object *
view_j(const struct view *v)
{
	return (struct json_object *)(uintptr_t)v;
}

struct json_object *
view_object(const struct view *v)
{
	return view_j(v);
}

struct view *
view_new(struct arena *a)
{
	return (struct view *)jsonh_object(a);
}

struct view *
view_list(struct arena *a)
{
	return (struct view *)jsonh_own(a, json_object_new_array());
}

void
view_str(struct view *v, const char *key, const char *s)
{
	json_object_object_add(view_j(v), key, s != NULL ?
	    json_object_new_string(s) : NULL);
}

void
view_int(struct view *v, const char *key, long long n)
{
	json_object_object_add(view_j(v), key, json_object_new_int64(n));
}

void
view_bool(struct view *v, const char *key, int b)
{
	json_object_object_add(view_j(v), key, json_object_new_boolean(b != 0));
}

void
view_set(struct view *v, const char *key, struct view *child)
{
	/* The parent takes a reference of its own: the arena keeps one. */
	json_object_object_add(view_j(v), key, json_object_get(view_j(child)));
}

void
view_html(struct view *v, const char *key, const char *html, size_t len)
{
	json_object_object_add(view_j(v), key, tmpl_html(html, len));
}

void
view_col(struct view *v, const char *key, const struct pg_result *r,
    int row, int col)
{
	view_str(v, key, db_val(r, row, col));
}

void
view_add(struct view *list, struct view *item)
{
	json_object_array_add(view_j(list), json_object_get(view_j(item)));
}

void
view_add_str(struct view *list, const char *s)
{
	json_object_array_add(view_j(list), json_object_new_string(s));
}

size_t
view_len(const struct view *list)
{
	return json_object_array_length(view_j(list));
}

const char *
view_json(struct arena *a, const struct view *v)
{
	return jsonh_text(a, view_j(v));
}

const char *
view_t(struct ctx *c, const char *key)
{
	const char *s = i18n_get(c->app->assets->i18n, c->lang, key);

	return s != NULL ? s : key;
}

/* t with every "{name}" replaced by value; arena-owned. */
static const char *
view_subst(struct arena *a, const char *t, const char *name,
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
view_tf(struct ctx *c, const char *key, const char *name, const char *value)
{
	return view_subst(c->arena, view_t(c, key), name, value);
}

const char *
view_tn(struct ctx *c, const char *key, const char *const *pairs)
{
	const char *t = view_t(c, key);

	for (; pairs[0] != NULL && pairs[1] != NULL; pairs += 2)
		t = view_subst(c->arena, t, pairs[0], pairs[1]);
	return t;
}

/* A validator's message, naming the field's bounds. */
static const char *
view_valid_message(struct ctx *c, const struct valid_field *f,
    const char *key)
{
	char min[32], max[32];

	snprintf(min, sizeof(min), "%ld", f->min);
	snprintf(max, sizeof(max), "%ld", f->max);
	/* A money field's bounds are minor units: shown as amounts. */
	return view_subst(c->arena, view_subst(c->arena, view_t(c, key),
	    "min", f->type == VALID_MONEY ? view_money(c, f->min) : min),
	    "max", f->type == VALID_MONEY ? view_money(c, f->max) : max);
}

void
view_form(struct ctx *c, struct view *j, const struct valid_field *f,
    size_t n, const struct valid_result *r)
{
	struct view *v = view_new(c->arena), *err = view_new(c->arena);
	struct view *list = view_list(c->arena);
	size_t i;

	for (i = 0; i < n && r->v != NULL; i++) {
		if (f[i].type == VALID_BOOL)
			view_bool(v, f[i].name, r->v[i].n != 0);
		else
			view_str(v, f[i].name, r->v[i].s ? r->v[i].s : "");
	}
	for (i = 0; i < r->nerr; i++) {
		const char *name = f[r->err[i].field].name;
		const char *msg = view_valid_message(c, &f[r->err[i].field],
		    r->err[i].key);

		/* The first message of a field is the one shown beside it. */
		if (!json_object_object_get_ex(view_j(err), name, NULL))
			view_str(err, name, msg);
		view_add_str(list, msg);
	}
	view_set(j, "v", v);
	view_set(j, "err", err);
	if (r->nerr > 0) {
		view_set(j, "errors", list);
		view_bool(j, "has_errors", 1);
	}
}

struct view *
view_options(struct ctx *c, const char *const *values, const char *prefix,
    const char *selected)
{
	struct view *list = view_list(c->arena), *o;

	for (; *values != NULL; values++) {
		o = view_new(c->arena);
		view_str(o, "value", *values);
		view_str(o, "label", view_t(c, arena_printf(c->arena, "%s%s",
		    prefix, *values)));
		if (selected != NULL && strcmp(selected, *values) == 0)
			view_bool(o, "selected", 1);
		view_add(list, o);
	}
	return list;
}

struct view *
view_tz_options(struct ctx *c, const struct tz_list *tzs, const char *selected)
{
	struct view *list = view_list(c->arena), *o;
	size_t i;

	for (i = 0; i < tzs->n; i++) {
		o = view_new(c->arena);
		view_str(o, "value", tzs->names[i]);
		if (selected != NULL && strcmp(tzs->names[i], selected) == 0)
			view_bool(o, "selected", 1);
		view_add(list, o);
	}
	return list;
}

const char *
view_money(struct ctx *c, long long minor)
{
	const char *mark = view_t(c, "number.decimal");
	const char *group = view_t(c, "number.group");
	char digits[32];
	struct buf b;
	size_t n, i;

	if (minor < 0)
		minor = 0;
	n = (size_t)snprintf(digits, sizeof(digits), "%lld", minor / 100);
	buf_init(&b, c->arena);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf_puts(&b, group);
		buf_putc(&b, digits[i]);
	}
	buf_printf(&b, "%s%02lld", mark, minor % 100);
	return buf_str(&b);
}

const char *
view_price(struct ctx *c, const char *minor, const char *currency)
{
	char *code = arena_strdup(c->arena, currency), *p;
	const char *key = arena_printf(c->arena, "money.symbol.%s", currency);
	const char *symbol;

	for (p = code; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p -= 32;
	symbol = i18n_has(c->app->assets->i18n, LANG_EN, key) ?
	    view_t(c, key) : code;
	return view_subst(c->arena, view_subst(c->arena,
	    view_t(c, "money.pattern"), "amount", view_money(c,
	    atoll(minor))), "symbol", symbol);
}

void
view_set_price(struct ctx *c, struct view *v, const char *minor,
    const char *currency)
{
	if (strcmp(minor, "0") == 0)
		view_bool(v, "free", 1);
	else
		view_str(v, "price", view_price(c, minor, currency));
}

const char *
view_category(struct ctx *c, const char *name)
{
	char *key = arena_printf(c->arena, "category.%s", name), *p;

	for (p = key + strlen("category."); *p != '\0'; p++)
		*p = *p == ' ' ? '_' : (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p;
	return i18n_has(c->app->assets->i18n, LANG_EN, key) ?
	    view_t(c, key) : name;
}

struct view *
view_when(struct ctx *c, const struct pg_result *r, int row, int col,
    int long_weekday)
{
	struct view *o = view_new(c->arena);
	long long wd = db_int(r, row, col + WHEN_WEEKDAY);
	time_t t = (time_t)db_int(r, row, col + WHEN_EPOCH);
	char iso[32];
	struct tm tm;

	if (wd < 1 || wd > 7)
		wd = 1;
	view_str(o, "weekday", view_t(c, arena_printf(c->arena,
	    long_weekday ? "day.%s" : "day.%s.short", i18n_days[wd - 1])));
	view_col(o, "date", r, row, col + WHEN_DATE);
	view_col(o, "start", r, row, col + WHEN_START);
	view_col(o, "end", r, row, col + WHEN_END);
	if (gmtime_r(&t, &tm) != NULL &&
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%MZ", &tm) > 0)
		view_str(o, "datetime", iso);
	return o;
}
