/* pages/settings_security: /settings/security — account facts, alert and display preferences; its forms: save, reset, sign out everywhere. */
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/valid.h"
#include "core/view.h"
#include "core/workos.h"
#include "pages/routes.h"

static const char *const security_themes[] = { "light", "dark", "system",
    NULL };
static const char *const security_languages[] = { "en", "es", "pt", "br",
    NULL };

/*
 * The form, in the column order of the preferences (sql.h: PREFS_), which
 * is SQL_PREFS_SAVE's parameters' too.  The first field is the master
 * switch: the dependent ones follow it.
 */
#define PREF_DEPENDENT_FIRST	PREFS_NEW_DEVICE_ALERTS
#define PREF_DEPENDENT_LAST	PREFS_LOCATION_CHANGE_ALERTS

static const struct valid_field security_fields[PREFS__COLS] = {
	[PREFS_SECURITY_ALERTS] = { "security_alerts", VALID_BOOL, 0, 0, 0,
	    NULL },
	[PREFS_NEW_DEVICE_ALERTS] = { "new_device_alerts", VALID_BOOL, 0, 0, 0,
	    NULL },
	[PREFS_EMAIL_NOTIFICATIONS] = { "email_notifications", VALID_BOOL, 0,
	    0, 0, NULL },
	[PREFS_IN_APP_NOTIFICATIONS] = { "in_app_notifications", VALID_BOOL,
	    0, 0, 0, NULL },
	[PREFS_UNUSUAL_TIMING_ALERTS] = { "unusual_timing_alerts", VALID_BOOL,
	    0, 0, 0, NULL },
	[PREFS_LOCATION_CHANGE_ALERTS] = { "location_change_alerts",
	    VALID_BOOL, 0, 0, 0, NULL },
	[PREFS_THEME] = { "theme", VALID_CHOICE, VALID_REQUIRED, 0, 0,
	    security_themes },
	[PREFS_LANGUAGE] = { "language", VALID_CHOICE, VALID_REQUIRED, 0, 0,
	    security_languages },
};

/*
 * What a user without a row has: the table's defaults
 * (sql/0001_schema.sql; t/e2e/security.js checks they agree).
 */
static const char *const security_defaults[PREFS__COLS] = {
	"t", "f", "t", "t", "t", "t", "light", "en",
};

/* Stored preferences as text ("t"/"f", theme, language). */
struct prefs {
	const char	*v[PREFS__COLS];
};

/* Row 0 of r (the PREFS_ columns) into p, or the defaults without one. */
static void
security_row(const struct pg_result *r, struct prefs *p)
{
	int i;

	for (i = 0; i < PREFS__COLS; i++)
		p->v[i] = db_rows(r) == 1 ? db_val(r, 0, i) :
		    security_defaults[i];
}

/* The user's stored preferences, or the defaults.  -1 on a database error. */
static int
security_load(struct ctx *c, struct prefs *p, int for_update)
{
	const char *uid = c->user->workos_user_id;
	const struct pg_result *r;

	if ((r = db_run(c->db, c->arena, for_update ?
	    SQL_PREFS_GET_FOR_UPDATE : SQL_PREFS_GET, &uid)) == NULL)
		return -1;
	security_row(r, p);
	return 0;
}

/* The preferences as JSON text, for the audit row. */
static const char *
security_json(struct ctx *c, const struct prefs *p)
{
	struct view *o = view_new(c->arena);
	int i;

	for (i = 0; i < PREFS__COLS; i++) {
		if (security_fields[i].type == VALID_BOOL)
			view_bool(o, security_fields[i].name,
			    p->v[i][0] == 't');
		else
			view_str(o, security_fields[i].name, p->v[i]);
	}
	return view_json(c->arena, o);
}

/* A validation result holding p, for rendering stored values. */
static void
security_values(struct ctx *c, const struct prefs *p, struct valid_result *r)
{
	int i;

	r->v = arena_calloc(c->arena, PREFS__COLS, sizeof(r->v[0]));
	r->nerr = 0;
	for (i = 0; i < PREFS__COLS; i++) {
		r->v[i].s = p->v[i];
		r->v[i].present = 1;
		r->v[i].n = security_fields[i].type == VALID_BOOL &&
		    p->v[i][0] == 't';
	}
}

/* Account facts: WorkOS is the authority on verification. */
static struct view *
security_account(struct ctx *c)
{
	const struct auth_user *u = c->user;
	struct view *acct = view_new(c->arena);
	struct workos_user wu;
	enum workos_err we;

	view_str(acct, "email", u->email);
	view_str(acct, "workos_id", u->workos_user_id);
	view_str(acct, "organization", u->org_name ? u->org_name : "");
	we = workos_user_peek(c->app->workos, c->arena, u->workos_user_id, &wu);
	if (we == WORKOS_OK)
		view_bool(acct, wu.email_verified ? "verified" : "unverified",
		    1);
	else {
		log_warn("security: WorkOS user not read (%s)",
		    workos_err_str(we));
		view_bool(acct, "verified_unknown", 1);
	}
	return acct;
}

static int
security_render(struct ctx *c, int status, const struct prefs *stored,
    const struct valid_result *form)
{
	struct view *v = layout_new(c);
	const char *saved = req_query(c->req, "saved");

	/*
	 * The database's part is done: end the transaction before asking
	 * WorkOS (a slow WorkOS must not hold a transaction open), keeping
	 * what a success read and dropping what a refusal did not write.
	 */
	if (status < 400 && tx_commit(c) == -1)
		return 503;
	tx_rollback(c);
	view_str(v, "title", view_t(c, "security.title"));
	view_set(v, "account", security_account(c));
	view_form(c, v, security_fields, PREFS__COLS, form);
	/* Dependent toggles follow the stored master switch (no script). */
	view_bool(v, "dependent_disabled",
	    stored->v[PREFS_SECURITY_ALERTS][0] != 't');
	view_set(v, "themes", view_options(c, security_themes,
	    "security.theme.", form->v[PREFS_THEME].s));
	view_set(v, "languages", view_options(c, security_languages,
	    "language.", form->v[PREFS_LANGUAGE].s));
	if (saved != NULL && status == 200)
		view_str(v, "saved", view_t(c, strcmp(saved, "reset") == 0 ?
		    "security.reset_done" : "form.saved"));
	return layout_render(c, status, "security", v);
}

int
page_settings_security_get(struct ctx *c)
{
	struct valid_result r;
	struct prefs p;

	if (security_load(c, &p, 0) == -1)
		return 503;
	security_values(c, &p, &r);
	return security_render(c, 200, &p, &r);
}

/* After a change: the new language and theme at once, and an audit row. */
static int
security_saved(struct ctx *c, enum audit_action action, const struct prefs *old,
    const struct prefs *new, const char *saved)
{
	int i, changed = 0;

	for (i = 0; i < PREFS__COLS; i++)
		if (strcmp(old->v[i], new->v[i]) != 0)
			changed = 1;
	if (changed)
		db_audit(c->db, c->arena, action, "user_preferences",
		    c->user->workos_user_id, security_json(c, old),
		    security_json(c, new), NULL);
	auth_apply_preferences(c, new->v[PREFS_LANGUAGE], new->v[PREFS_THEME]);
	return layout_redirect(c, arena_printf(c->arena, "%s?saved=%s",
	    routes_path(LINK_SETTINGS_SECURITY), saved));
}

int
page_settings_security_post(struct ctx *c)
{
	const char *params[PREFS__COLS + 2];
	const struct pg_result *res;
	struct prefs old, new;
	struct valid_result r;
	int i, master_on;

	if (security_load(c, &old, 1) == -1)
		return 503;
	if (valid_form(c->arena, security_fields, PREFS__COLS, &c->req->form,
	    &r) > 0)
		return security_render(c, 422, &old, &r);
	/*
	 * The dependent alerts can change only while security alerts were
	 * on and stay on: the form shows them disabled otherwise (and a
	 * disabled checkbox is never sent), so their stored values stand.
	 */
	master_on = old.v[PREFS_SECURITY_ALERTS][0] == 't' &&
	    r.v[PREFS_SECURITY_ALERTS].n;
	for (i = 0; i < PREFS__COLS; i++) {
		if (security_fields[i].type != VALID_BOOL)
			new.v[i] = r.v[i].s;
		else if (i >= PREF_DEPENDENT_FIRST && i <= PREF_DEPENDENT_LAST &&
		    !master_on)
			new.v[i] = old.v[i];
		else
			new.v[i] = r.v[i].n ? "t" : "f";
	}
	params[0] = c->user->workos_user_id;
	params[1] = c->user->org_id;
	for (i = 0; i < PREFS__COLS; i++)
		params[i + 2] = new.v[i];
	if ((res = db_run(c->db, c->arena, SQL_PREFS_SAVE, params)) ==
	    NULL || db_rows(res) != 1)
		return 503;
	security_row(res, &new);
	return security_saved(c, AUDIT_PREFERENCES_UPDATED, &old, &new, "1");
}

int
page_settings_security_reset_post(struct ctx *c)
{
	const char *params[2] = { c->user->workos_user_id, c->user->org_id };
	const struct pg_result *res;
	struct prefs old, new;

	if (security_load(c, &old, 1) == -1)
		return 503;
	if ((res = db_run(c->db, c->arena, SQL_PREFS_RESET, params)) ==
	    NULL || db_rows(res) != 1)
		return 503;
	security_row(res, &new);
	return security_saved(c, AUDIT_PREFERENCES_RESET, &old, &new, "reset");
}

int
page_settings_security_sign_out_everywhere_post(struct ctx *c)
{
	const char *uid = c->user->workos_user_id;
	enum workos_err e;

	if (db_run(c->db, c->arena, SQL_SESSIONS_INVALIDATE, &uid) == NULL)
		return 503;
	db_audit(c->db, c->arena, AUDIT_SESSIONS_REVOKED, "user", uid, NULL,
	    NULL, NULL);
	/* Committed before WorkOS is asked: no transaction across a call. */
	if (tx_commit(c) == -1)
		return 503;
	/* This browser's WorkOS session too; the others end at next use. */
	e = workos_session_revoke(c->app->workos, c->arena,
	    c->session->session_id);
	if (e != WORKOS_OK)
		log_warn("sign-out everywhere: WorkOS session not revoked "
		    "(%s); sessions_valid_after still ends it here",
		    workos_err_str(e));
	auth_end(c);
	return layout_redirect(c, arena_printf(c->arena,
	    "%s?signed_out=everywhere", routes_path(LINK_HOME)));
}
