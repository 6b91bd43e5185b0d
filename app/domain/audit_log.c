/* audit_log: the audit log's filters, rows and their views, for /audit, its export and /admin/audit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/roles.h"
#include "core/sql.h"
#include "core/tz.h"
#include "core/view.h"
#include "domain/audit_log.h"

/* The query's fields, in the order of struct audit_log_filter's strings. */
enum { AF_ACTION, AF_TYPE, AF_FROM, AF_TO, AF_TZ, AF_BEFORE, AF__N };

static const struct valid_field audit_fields[AF__N] = {
	[AF_ACTION] = { "action", VALID_CHOICE, 0, 0, 0, audit_action_names },
	[AF_TYPE] = { "type", VALID_CHOICE, 0, 0, 0, audit_resource_types },
	[AF_FROM] = { "from", VALID_DATE, 0, 0, 0, NULL },
	[AF_TO] = { "to", VALID_DATE, 0, 0, 0, NULL },
	[AF_TZ] = { "tz", VALID_TEXT, 0, 0, 64, NULL },
	[AF_BEFORE] = { "before", VALID_TEXT, 0, 0, 48, NULL },
};

int
audit_log_manager(const struct ctx *c)
{
	const struct roles *r = &c->user->roles;

	return roles_has_org_role(r, "owner") || roles_has_org_role(r, "admin") ||
	    roles_is_admin(r);
}

/* A value read, or NULL when absent. */
static const char *
audit_value(const struct audit_log_filter *f, int i)
{
	return f->res.v[i].present ? f->res.v[i].s : NULL;
}

/* "<microseconds>.<id>", both digits only, into the cursor's halves. */
static int
audit_cursor(struct ctx *c, struct audit_log_filter *f, const char *s)
{
	size_t t = strspn(s, "0123456789"), id;

	if (t == 0 || t > 18 || s[t] != '.')
		return -1;
	id = strspn(s + t + 1, "0123456789");
	if (id == 0 || id > 18 || s[t + 1 + id] != '\0')
		return -1;
	f->before_t = arena_strndup(c->arena, s, t);
	f->before_id = s + t + 1;
	return 0;
}

int
audit_log_filter_read(struct ctx *c, struct audit_log_filter *f, const char *org,
    int full_ip)
{
	const struct tz_list *tzs;
	const struct pg_result *r;
	const char *tz, *uid = c->user->workos_user_id;

	memset(f, 0, sizeof(*f));
	f->org = org;
	f->full_ip = full_ip;
	valid_form(c->arena, audit_fields, AF__N, &c->req->query, &f->res);
	f->action = audit_value(f, AF_ACTION);
	f->type = audit_value(f, AF_TYPE);
	f->from = audit_value(f, AF_FROM);
	f->to = audit_value(f, AF_TO);
	if (valid_error_of(&f->res, AF_FROM) == NULL &&
	    valid_error_of(&f->res, AF_TO) == NULL && f->from != NULL &&
	    f->to != NULL && strcmp(f->from, f->to) > 0)
		valid_add(&f->res, AF_TO, "audit.error.range");
	if (audit_value(f, AF_BEFORE) != NULL &&
	    audit_cursor(c, f, audit_value(f, AF_BEFORE)) == -1)
		valid_add(&f->res, AF_BEFORE, "audit.error.cursor");

	if ((tzs = tz_names(&c->app->timezones, c->db, c->arena)) == NULL)
		return -1;
	tz = audit_value(f, AF_TZ);
	if (tz != NULL && !tz_known(tzs, tz))
		valid_add(&f->res, AF_TZ, "valid.choice");
	else if (tz != NULL)
		f->tz = tz;
	else {
		if ((r = db_run(c->db, c->arena, SQL_USER_TZ, &uid)) ==
		    NULL || db_rows(r) != 1)
			return -1;
		f->tz = db_val(r, 0, 0);
	}
	return f->res.nerr > 0 ? 1 : 0;
}

/* Append "&name=value" (without the "&" first). */
static void
audit_param(struct ctx *c, struct buf *b, const char *name, const char *v)
{
	if (v == NULL)
		return;
	if (b->len > 0)
		buf_putc(b, '&');
	buf_printf(b, "%s=%s", name, form_urlencode(c->arena, v));
}

const char *
audit_log_query(struct ctx *c, const struct audit_log_filter *f,
    const char *cursor)
{
	struct buf b;

	buf_init(&b, c->arena);
	audit_param(c, &b, "action", f->action);
	audit_param(c, &b, "type", f->type);
	audit_param(c, &b, "from", f->from);
	audit_param(c, &b, "to", f->to);
	audit_param(c, &b, "tz", f->tz);
	audit_param(c, &b, "before", cursor);
	return buf_str(&b);
}

/* SQL_AUDIT_LIST's parameters for f. */
static void
audit_params(struct ctx *c, const struct audit_log_filter *f, int limit,
    const char *p[10])
{
	p[0] = f->org;
	p[1] = f->action;
	p[2] = f->type;
	p[3] = f->from;
	p[4] = f->to;
	p[5] = f->tz;
	p[6] = f->before_t;
	p[7] = f->before_id;
	p[8] = limit > 0 ? arena_printf(c->arena, "%d", limit) : NULL;
	p[9] = f->full_ip ? "true" : "false";
}

const struct pg_result *
audit_log_list(struct ctx *c, const struct audit_log_filter *f, int limit)
{
	const char *p[10];

	audit_params(c, f, limit, p);
	return db_run(c->db, c->arena, SQL_AUDIT_LIST, p);
}

long long
audit_log_each(struct ctx *c, const struct audit_log_filter *f,
    int (*fn)(void *, const struct pg_result *), void *arg)
{
	const char *p[10];

	audit_params(c, f, 0, p);
	return db_each(c->db, SQL_AUDIT_LIST, p, fn, arg);
}

/*
 * The label of an action or resource type in the user's language: the
 * catalog's "audit.<group>.<name>", the name in lower case.
 */
static const char *
audit_label(struct ctx *c, const char *group, const char *name)
{
	char *key = arena_printf(c->arena, "audit.%s.%s", group, name), *p;

	for (p = key; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return view_t(c, key);
}

/* The changed values of row id, from the diff's rows (ordered by id). */
static struct view *
audit_changes(struct ctx *c, const struct pg_result *d, const char *id)
{
	struct view *list = view_list(c->arena), *o;
	const char *none = view_t(c, "audit.value.none");
	int i;

	for (i = 0; i < db_rows(d); i++) {
		if (strcmp(db_val(d, i, DIFF_ID), id) != 0)
			continue;
		o = view_new(c->arena);
		view_str(o, "key", db_val(d, i, DIFF_KEY));
		view_str(o, "old", db_opt(d, i, DIFF_OLD) ?
		    db_opt(d, i, DIFF_OLD) : none);
		view_str(o, "new", db_opt(d, i, DIFF_NEW) ?
		    db_opt(d, i, DIFF_NEW) : none);
		view_bool(o, "added", db_opt(d, i, DIFF_OLD) == NULL);
		view_bool(o, "removed", db_opt(d, i, DIFF_NEW) == NULL);
		view_add(list, o);
	}
	return list;
}

/* The optional column col of row i into key. */
static void
audit_opt(struct view *o, const char *key, const struct pg_result *r,
    int i, int col)
{
	if (db_opt(r, i, col) != NULL)
		view_str(o, key, db_opt(r, i, col));
}

struct view *
audit_log_entries(struct ctx *c, const struct pg_result *r, int max,
    const char **cursor)
{
	struct view *list = view_list(c->arena), *o, *changes;
	const struct pg_result *d;
	const char *ids;
	struct buf b;
	int i, n = db_rows(r) < max ? db_rows(r) : max;

	buf_init(&b, c->arena);
	buf_putc(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", db_val(r, i, AUDIT_ID));
	buf_putc(&b, '}');
	ids = buf_str(&b);
	if ((d = db_run(c->db, c->arena, SQL_AUDIT_DIFF, &ids)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *action = db_val(r, i, AUDIT_ACTION);
		const char *type = db_val(r, i, AUDIT_TYPE);

		o = view_new(c->arena);
		view_col(o, "id", r, i, AUDIT_ID);
		view_col(o, "local", r, i, AUDIT_LOCAL);
		view_col(o, "utc", r, i, AUDIT_UTC);
		view_str(o, "action", action);
		view_str(o, "action_label", audit_parse(action) >= 0 ?
		    audit_label(c, "action", action) : action);
		view_str(o, "type", type);
		view_str(o, "type_label", valid_in(audit_resource_types,
		    type) ? audit_label(c, "type", type) : type);
		audit_opt(o, "resource_id", r, i, AUDIT_RESOURCE_ID);
		audit_opt(o, "user_id", r, i, AUDIT_USER_ID);
		audit_opt(o, "user_email", r, i, AUDIT_USER_EMAIL);
		audit_opt(o, "ip", r, i, AUDIT_IP);
		audit_opt(o, "user_agent", r, i, AUDIT_USER_AGENT);
		audit_opt(o, "request_id", r, i, AUDIT_REQUEST_ID);
		audit_opt(o, "org_name", r, i, AUDIT_ORG_NAME);
		audit_opt(o, "metadata", r, i, AUDIT_METADATA);
		changes = audit_changes(c, d, db_val(r, i, AUDIT_ID));
		if (view_len(changes) > 0) {
			view_set(o, "changes", changes);
			view_bool(o, "has_changes", 1);
		}
		view_add(list, o);
	}
	*cursor = n > 0 ? arena_printf(c->arena, "%s.%s",
	    db_val(r, n - 1, AUDIT_CURSOR), db_val(r, n - 1, AUDIT_ID)) : NULL;
	return list;
}

/* Options for one of the NULL-terminated names, labelled from group. */
static struct view *
audit_options(struct ctx *c, const char *const *names, const char *group,
    const char *selected)
{
	struct view *list = view_list(c->arena), *o;
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		o = view_new(c->arena);
		view_str(o, "value", names[i]);
		view_str(o, "label", audit_label(c, group, names[i]));
		if (selected != NULL && strcmp(selected, names[i]) == 0)
			view_bool(o, "selected", 1);
		view_add(list, o);
	}
	return list;
}

int
audit_log_filter_view(struct ctx *c, struct view *v, const struct audit_log_filter *f)
{
	const struct tz_list *tzs;

	if ((tzs = tz_names(&c->app->timezones, c->db, c->arena)) == NULL)
		return -1;
	view_form(c, v, audit_fields, AF__N, &f->res);
	view_set(v, "actions", audit_options(c, audit_action_names, "action",
	    f->action));
	view_set(v, "types", audit_options(c, audit_resource_types, "type",
	    f->type));
	view_set(v, "timezones", view_tz_options(c, tzs, f->tz));
	if (f->tz != NULL)
		view_str(v, "tz", f->tz);
	return 0;
}

int
audit_log_page(struct ctx *c, struct view *v, const struct audit_log_filter *f,
    const char *path)
{
	const struct pg_result *r;
	struct view *entries;
	const char *cursor;

	if ((r = audit_log_list(c, f, AUDIT_LOG_PAGE + 1)) == NULL ||
	    (entries = audit_log_entries(c, r, AUDIT_LOG_PAGE, &cursor)) == NULL)
		return -1;
	if (view_len(entries) > 0) {
		view_set(v, "entries", entries);
		view_bool(v, "has_entries", 1);
	}
	if (db_rows(r) > AUDIT_LOG_PAGE)
		view_str(v, "older_url", arena_printf(c->arena, "%s?%s", path,
		    audit_log_query(c, f, cursor)));
	if (f->before_t != NULL)
		view_str(v, "newest_url", arena_printf(c->arena, "%s?%s", path,
		    audit_log_query(c, f, NULL)));
	return 0;
}
