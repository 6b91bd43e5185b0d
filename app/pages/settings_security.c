/* page_security: /settings/security — account facts, alert and display preferences, sign out (everywhere). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "lib/buf.h"
#include "core/ctx.h"
#include "core/db.h"
#include "lib/log.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/req.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/workos.h"

static const char *const security_themes[] = { "light", "dark", "system",
    NULL };
static const char *const security_languages[] = { "en", "es", "pt", "br",
    NULL };

/*
 * The form, in the column order of sql_prefs_get / sql_prefs_save.  The
 * first field is the master switch: the next PREF_DEPENDENT ones follow
 * it.  def: the value a user without a row has (the table's defaults,
 * sql/0001_schema.sql; t/e2e/security.js checks they agree).
 */
enum {
	PREF_SECURITY_ALERTS,
	PREF_NEW_DEVICE,
	PREF_EMAIL,
	PREF_IN_APP,
	PREF_UNUSUAL_TIMING,
	PREF_LOCATION_CHANGE,
	PREF_THEME,
	PREF_LANGUAGE,
	PREF__N
};
#define PREF_DEPENDENT_FIRST	PREF_NEW_DEVICE
#define PREF_DEPENDENT_LAST	PREF_LOCATION_CHANGE

static const struct valid_field security_fields[PREF__N] = {
	[PREF_SECURITY_ALERTS] = { "security_alerts", VALID_BOOL, 0, 0, 0, NULL },
	[PREF_NEW_DEVICE] = { "new_device_alerts", VALID_BOOL, 0, 0, 0, NULL },
	[PREF_EMAIL] = { "email_notifications", VALID_BOOL, 0, 0, 0, NULL },
	[PREF_IN_APP] = { "in_app_notifications", VALID_BOOL, 0, 0, 0, NULL },
	[PREF_UNUSUAL_TIMING] = { "unusual_timing_alerts", VALID_BOOL, 0, 0, 0, NULL },
	[PREF_LOCATION_CHANGE] = { "location_change_alerts", VALID_BOOL, 0, 0, 0, NULL },
	[PREF_THEME] = { "theme", VALID_CHOICE, VALID_REQUIRED, 0, 0, security_themes },
	[PREF_LANGUAGE] = { "language", VALID_CHOICE, VALID_REQUIRED, 0, 0,
	    security_languages },
};

static const char *const security_defaults[PREF__N] = {
	"t", "f", "t", "t", "t", "t", "light", "en",
};

/* Stored preferences as text ("t"/"f", theme, language). */
struct prefs {
	const char	*v[PREF__N];
};

/* The user's stored preferences, or the defaults.  -1 on a database error. */
static int
security_load(struct ctx *c, struct prefs *p, int for_update)
{
	const char *uid = c->user->workos_user_id;
	PGresult *r;
	int i;

	r = db_run(c->app->db, c->arena, for_update ? sql_prefs_get_for_update :
	    sql_prefs_get, 1, &uid);
	if (r == NULL)
		return -1;
	for (i = 0; i < PREF__N; i++)
		p->v[i] = PQntuples(r) == 1 ? arena_strdup(c->arena,
		    PQgetvalue(r, 0, i)) : security_defaults[i];
	return 0;
}

/* The preferences as a JSON object text, for the audit row. */
static const char *
security_json(struct ctx *c, const struct prefs *p)
{
	struct json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < PREF__N; i++)
		json_object_object_add(o, security_fields[i].name,
		    security_fields[i].type == VALID_BOOL ?
		    json_object_new_boolean(p->v[i][0] == 't') :
		    json_object_new_string(p->v[i]));
	return page_json_text(c, o);
}

/* A validation result holding p, for rendering stored values. */
static void
security_values(struct ctx *c, const struct prefs *p, struct valid_result *r)
{
	int i;

	r->v = arena_calloc(c->arena, PREF__N, sizeof(r->v[0]));
	r->nerr = 0;
	for (i = 0; i < PREF__N; i++) {
		r->v[i].s = p->v[i];
		r->v[i].present = 1;
		r->v[i].n = security_fields[i].type == VALID_BOOL &&
		    p->v[i][0] == 't';
	}
}

static int
security_render(struct ctx *c, int status, const struct prefs *stored,
    const struct valid_result *form)
{
	const struct auth_user *u = c->user;
	struct json_object *j = page_context(c), *acct;
	struct workos_user wu;
	enum workos_err we;

	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "security.title")));
	/* Account facts: WorkOS is the authority on verification. */
	acct = json_object_new_object();
	json_object_object_add(acct, "email", json_object_new_string(u->email));
	json_object_object_add(acct, "workos_id",
	    json_object_new_string(u->workos_user_id));
	json_object_object_add(acct, "organization",
	    json_object_new_string(u->org_name ? u->org_name : ""));
	we = workos_user_peek(c->app->workos, c->arena, u->workos_user_id, &wu);
	if (we == WORKOS_OK)
		json_object_object_add(acct, wu.email_verified ? "verified" :
		    "unverified", json_object_new_boolean(1));
	else {
		log_warn("security: WorkOS user not read (%s)",
		    workos_err_str(we));
		json_object_object_add(acct, "verified_unknown",
		    json_object_new_boolean(1));
	}
	json_object_object_add(j, "account", acct);

	page_form(c, j, security_fields, PREF__N, form);
	/* Dependent toggles follow the stored master switch (no script). */
	if (stored->v[PREF_SECURITY_ALERTS][0] != 't')
		json_object_object_add(j, "dependent_disabled",
		    json_object_new_boolean(1));
	json_object_object_add(j, "themes", page_options(c, security_themes,
	    "security.theme.", form->v[PREF_THEME].s));
	json_object_object_add(j, "languages", page_options(c,
	    security_languages, "language.", form->v[PREF_LANGUAGE].s));
	if (req_query(c->req, "saved") != NULL && status == 200)
		json_object_object_add(j, "saved", json_object_new_string(
		    page_t(c, strcmp(req_query(c->req, "saved"), "reset") == 0 ?
		    "security.reset_done" : "form.saved")));
	json_object_object_add(j, "csrf",
	    json_object_new_string(c->session->csrf));
	return page_render(c, status, "security", j);
}

int
page_security_get(struct ctx *c)
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

	for (i = 0; i < PREF__N; i++)
		if (strcmp(old->v[i], new->v[i]) != 0)
			changed = 1;
	if (changed)
		db_audit(c->app->db, c->arena, action, "user_preferences",
		    c->user->workos_user_id, security_json(c, old),
		    security_json(c, new), NULL);
	auth_apply_preferences(c, new->v[PREF_LANGUAGE], new->v[PREF_THEME]);
	return page_redirect(c, arena_printf(c->arena,
	    "/settings/security?saved=%s", saved));
}

/* Read the returned row of a save or reset into p. */
static void
security_row(struct ctx *c, PGresult *r, struct prefs *p)
{
	int i;

	for (i = 0; i < PREF__N; i++)
		p->v[i] = arena_strdup(c->arena, PQgetvalue(r, 0, i));
}

int
page_security_post(struct ctx *c)
{
	struct prefs old, new;
	struct valid_result r;
	const char *params[PREF__N + 2];
	PGresult *res;
	int i, master_on;

	if (security_load(c, &old, 1) == -1)
		return 503;
	if (valid_form(c->arena, security_fields, PREF__N, &c->req->form,
	    &r) > 0)
		return security_render(c, 422, &old, &r);
	/*
	 * The dependent alerts can change only while security alerts were
	 * on and stay on: the form shows them disabled otherwise (and a
	 * disabled checkbox is never sent), so their stored values stand.
	 */
	master_on = old.v[PREF_SECURITY_ALERTS][0] == 't' &&
	    r.v[PREF_SECURITY_ALERTS].n;
	for (i = 0; i < PREF__N; i++) {
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
	for (i = 0; i < PREF__N; i++)
		params[i + 2] = new.v[i];
	if ((res = db_run(c->app->db, c->arena, sql_prefs_save, PREF__N + 2,
	    params)) == NULL || PQntuples(res) != 1)
		return 503;
	security_row(c, res, &new);
	return security_saved(c, AUDIT_PREFERENCES_UPDATED, &old, &new, "1");
}

int
page_security_reset_post(struct ctx *c)
{
	const char *params[2] = { c->user->workos_user_id, c->user->org_id };
	struct prefs old, new;
	PGresult *res;

	if (security_load(c, &old, 1) == -1)
		return 503;
	if ((res = db_run(c->app->db, c->arena, sql_prefs_reset, 2,
	    params)) == NULL || PQntuples(res) != 1)
		return 503;
	security_row(c, res, &new);
	return security_saved(c, AUDIT_PREFERENCES_RESET, &old, &new, "reset");
}

int
page_security_signout_all_post(struct ctx *c)
{
	const char *uid = c->user->workos_user_id;
	enum workos_err e;

	if (db_run(c->app->db, c->arena, sql_sessions_invalidate, 1,
	    &uid) == NULL)
		return 503;
	db_audit(c->app->db, c->arena, AUDIT_SESSIONS_REVOKED, "user", uid, NULL,
	    NULL, NULL);
	/* This browser's WorkOS session too; the others end at next use. */
	e = workos_session_revoke(c->app->workos, c->arena,
	    c->session->session_id);
	if (e != WORKOS_OK)
		log_warn("sign-out everywhere: WorkOS session not revoked "
		    "(%s); sessions_valid_after still ends it here",
		    workos_err_str(e));
	auth_end(c);
	return page_redirect(c, "/?signed_out=everywhere");
}
