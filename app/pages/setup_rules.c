/* pages/setup_rules: GET/POST /setup/rules — the expert's booking rules (buffers, notice, window, start interval, cancellation notice) and blocked days. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "pages/routes.h"

/*
 * The rules form's fields are scheduling_settings' columns, in sql.h's
 * order (RULES_*), with the database's bounds (sql/0001_schema.sql) and a
 * minimum notice and a cancellation notice of at most 30 days.  All in
 * minutes but the window, in days.
 */
static const struct valid_field rules_fields[RULES__COLS] = {
	[RULES_BEFORE] = { "before", VALID_INT, VALID_REQUIRED, 0, 1440, NULL },
	[RULES_AFTER] = { "after", VALID_INT, VALID_REQUIRED, 0, 1440, NULL },
	[RULES_NOTICE] = { "notice", VALID_INT, VALID_REQUIRED, 0, 43200,
	    NULL },
	[RULES_INTERVAL] = { "interval", VALID_INT, VALID_REQUIRED, 5, 1440,
	    NULL },
	[RULES_WINDOW] = { "window", VALID_INT, VALID_REQUIRED, 1, 730, NULL },
	[RULES_CANCEL_NOTICE] = { "cancel_notice", VALID_INT, VALID_REQUIRED,
	    0, 43200, NULL },
};
/* The columns' defaults: what applies while nothing is saved. */
static const char *const rules_defaults[RULES__COLS] = {
	[RULES_BEFORE] = "0", [RULES_AFTER] = "0", [RULES_NOTICE] = "0",
	[RULES_INTERVAL] = "15", [RULES_WINDOW] = "60",
	[RULES_CANCEL_NOTICE] = "0",
};

enum { BLOCK_DATE, BLOCK_REASON, BLOCK__N };
static const struct valid_field block_fields[BLOCK__N] = {
	[BLOCK_DATE] = { "date", VALID_DATE, VALID_REQUIRED, 0, 0, NULL },
	[BLOCK_REASON] = { "reason", VALID_TEXT, 0, 0, 200, NULL },
};
static const struct valid_field unblock_field = { "id", VALID_INT,
    VALID_REQUIRED, 1, LONG_MAX, NULL };

/* What a POST does: its "action" field. */
static const char *const rules_actions[] = { "rules", "block", "unblock",
    NULL };
static const struct valid_field action_field = { "action", VALID_CHOICE,
    VALID_REQUIRED, 0, 0, rules_actions };

/* A form's values all blank, or the stored rules (defaults when none). */
static int
rules_stored(struct ctx *c, struct valid_result *out)
{
	const struct pg_result *r;
	int k;

	if ((r = db_run(c->db, c->arena, SQL_RULES_GET,
	    &c->user->workos_user_id)) == NULL)
		return -1;
	out->v = arena_calloc(c->arena, RULES__COLS, sizeof(out->v[0]));
	out->nerr = 0;
	for (k = 0; k < RULES__COLS; k++) {
		out->v[k].s = db_rows(r) == 1 ? db_val(r, 0, k) :
		    rules_defaults[k];
		out->v[k].present = 1;
	}
	return 0;
}

static void
rules_blank(struct ctx *c, struct valid_result *out, size_t n)
{
	size_t k;

	out->v = arena_calloc(c->arena, n, sizeof(out->v[0]));
	out->nerr = 0;
	for (k = 0; k < n; k++)
		out->v[k].s = "";
}

/* The rules as JSON text, for the audit row. */
static const char *
rules_json(struct ctx *c, const struct valid_result *v)
{
	struct view *o = view_new(c->arena);
	int k;

	for (k = 0; k < RULES__COLS; k++)
		view_int(o, rules_fields[k].name, atoll(v->v[k].s));
	return view_json(c->arena, o);
}

/* The page: both forms (as submitted, or as stored) and the blocked days. */
static int
rules_render(struct ctx *c, int status, const struct valid_result *rules,
    const struct valid_result *block, const char *notice)
{
	struct view *v = layout_new(c), *b = view_new(c->arena), *list, *o;
	const struct pg_result *r;
	int i;

	if ((r = db_run(c->db, c->arena, SQL_BLOCKED_LIST,
	    &c->user->workos_user_id)) == NULL)
		return 503;
	view_str(v, "title", view_t(c, "setup.rules.title"));
	view_form(c, v, rules_fields, RULES__COLS, rules);
	view_form(c, b, block_fields, BLOCK__N, block);
	view_set(v, "block", b);
	list = view_list(c->arena);
	for (i = 0; i < db_rows(r); i++) {
		o = view_new(c->arena);
		view_col(o, "id", r, i, BLOCKED_ID);
		view_col(o, "date", r, i, BLOCKED_DATE);
		view_col(o, "reason", r, i, BLOCKED_REASON);
		view_add(list, o);
	}
	view_set(v, "blocked", list);
	view_bool(v, "has_blocked", db_rows(r) > 0);
	if (notice != NULL)
		view_str(v, "notice", view_t(c, notice));
	return layout_render(c, status, "setup_rules", v);
}

int
page_setup_rules_get(struct ctx *c)
{
	struct valid_result rules, block;
	const char *done = req_query(c->req, "saved");

	if (rules_stored(c, &rules) == -1)
		return 503;
	rules_blank(c, &block, BLOCK__N);
	return rules_render(c, 200, &rules, &block, done == NULL ? NULL :
	    strcmp(done, "blocked") == 0 ? "setup.rules.blocked" :
	    strcmp(done, "unblocked") == 0 ? "setup.rules.unblocked" :
	    "form.saved");
}

/* POST action=rules: the rules, replaced at once. */
static int
rules_save(struct ctx *c)
{
	struct valid_result form, old, block;
	const char *p[RULES__COLS + 2];
	const struct pg_result *r;
	int k;

	rules_blank(c, &block, BLOCK__N);
	if (valid_form(c->arena, rules_fields, RULES__COLS, &c->req->form,
	    &form) > 0)
		return rules_render(c, 422, &form, &block, NULL);
	if (rules_stored(c, &old) == -1)
		return 503;
	p[0] = c->user->org_id;
	p[1] = c->user->workos_user_id;
	for (k = 0; k < RULES__COLS; k++)
		p[k + 2] = form.v[k].s;
	if ((r = db_run(c->db, c->arena, SQL_RULES_SAVE, p)) == NULL ||
	    db_rows(r) != 1)
		return 503;
	db_audit_change(c->db, c->arena, AUDIT_SCHEDULE_UPDATED,
	    "scheduling_settings", db_val(r, 0, 0), rules_json(c, &old),
	    rules_json(c, &form), NULL);
	return layout_redirect(c, arena_printf(c->arena, "%s?saved=rules",
	    routes_path(LINK_SETUP_RULES)));
}

/* POST action=block: a day closed to bookings, with an optional reason. */
static int
rules_block(struct ctx *c)
{
	struct valid_result form, rules;
	const char *p[4];
	const struct pg_result *r;
	struct view *o;

	if (valid_form(c->arena, block_fields, BLOCK__N, &c->req->form,
	    &form) > 0) {
		if (rules_stored(c, &rules) == -1)
			return 503;
		return rules_render(c, 422, &rules, &form, NULL);
	}
	p[0] = c->user->org_id;
	p[1] = c->user->workos_user_id;
	p[2] = form.v[BLOCK_DATE].s;
	p[3] = form.v[BLOCK_REASON].present ? form.v[BLOCK_REASON].s : NULL;
	if ((r = db_run(c->db, c->arena, SQL_BLOCKED_ADD, p)) == NULL ||
	    db_rows(r) != 1)
		return 503;
	o = view_new(c->arena);
	view_str(o, "blocked", p[2]);
	db_audit_change(c->db, c->arena, AUDIT_SCHEDULE_UPDATED,
	    "blocked_date", db_val(r, 0, 0), NULL, view_json(c->arena, o),
	    NULL);
	return layout_redirect(c, arena_printf(c->arena, "%s?saved=blocked",
	    routes_path(LINK_SETUP_RULES)));
}

/* POST action=unblock: one of his blocked days open again. */
static int
rules_unblock(struct ctx *c)
{
	struct valid_value id;
	const char *p[2];
	const struct pg_result *r;
	struct view *o;

	if (valid_value(c->arena, &unblock_field, req_form(c->req, "id"),
	    &id) != NULL)
		return 404;
	p[0] = c->user->workos_user_id;
	p[1] = id.s;
	if ((r = db_run(c->db, c->arena, SQL_BLOCKED_REMOVE, p)) == NULL)
		return 503;
	/* Another expert's day reads as no day at all. */
	if (db_rows(r) != 1)
		return 404;
	o = view_new(c->arena);
	view_col(o, "blocked", r, 0, 0);
	db_audit_change(c->db, c->arena, AUDIT_SCHEDULE_UPDATED,
	    "blocked_date", id.s, view_json(c->arena, o), NULL, NULL);
	return layout_redirect(c, arena_printf(c->arena, "%s?saved=unblocked",
	    routes_path(LINK_SETUP_RULES)));
}

int
page_setup_rules_post(struct ctx *c)
{
	struct valid_value action;

	if (valid_value(c->arena, &action_field, req_form(c->req, "action"),
	    &action) != NULL)
		return 400;
	if (strcmp(action.s, "rules") == 0)
		return rules_save(c);
	if (strcmp(action.s, "block") == 0)
		return rules_block(c);
	return rules_unblock(c);
}
