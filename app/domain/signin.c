/* signin: AuthKit start and callback (state, PKCE, code exchange), token check, first-sign-in provisioning (WorkOS, then the database), session start. */
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/crypt.h"
#include "lib/jsonh.h"
#include "lib/jwt.h"
#include "lib/log.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/req.h"
#include "core/roles.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/view.h"
#include "core/workos.h"
#include "domain/privacy.h"
#include "domain/signin.h"

/* The name app.provision_user() gives: first name, else the e-mail's local part. */
static const char *
signin_org_name(struct arena *a, const struct workos_user *u, int expert)
{
	const char *name = u->first_name;
	size_t n;

	while (name != NULL && *name == ' ')
		name++;
	if (name == NULL || *name == '\0') {
		n = strcspn(u->email, "@");
		name = arena_strndup(a, u->email, n);
	}
	return arena_printf(a, "%s's %s", name, expert ? "Practice" :
	    "Account");
}

static int
signin_workos_failed(const char *what, enum workos_err e, int *unavailable)
{
	log_error("signin: %s: %s", what, workos_err_str(e));
	*unavailable = e == WORKOS_UNAVAILABLE || e == WORKOS_RATE_LIMITED;
	return -1;
}

int
signin_workos_org(struct workos *w, struct arena *a,
    const struct workos_user *u, int expert, const char **workos_org,
    int *unavailable)
{
	const char *ext = arena_printf(a, "eleva-user-%s", u->id);
	struct workos_membership *ms, m;
	struct workos_org org;
	enum workos_err e;
	size_t i, n;

	e = workos_org_by_external_id(w, a, ext, &org);
	if (e == WORKOS_NOT_FOUND) {
		e = workos_org_create(w, a, signin_org_name(a, u, expert), ext,
		    &org);
		/* Created meanwhile (CONFLICT), or created now: either way the
		   organization is the one WorkOS names for the external id, so
		   that two requests racing for a new user (a double-clicked
		   booking) agree on one even where the external id is not
		   held unique (WorkOS's emulator). */
		if (e == WORKOS_CONFLICT || e == WORKOS_OK)
			e = workos_org_by_external_id(w, a, ext, &org);
	}
	if (e != WORKOS_OK)
		return signin_workos_failed("organization", e, unavailable);
	if ((e = workos_memberships_by_user(w, a, u->id, &ms, &n)) != WORKOS_OK)
		return signin_workos_failed("memberships", e, unavailable);
	for (i = 0; i < n; i++)
		if (strcmp(ms[i].organization_id, org.id) == 0)
			break;
	if (i == n) {
		e = workos_membership_create(w, a, u->id, org.id, "owner", &m);
		if (e != WORKOS_OK && e != WORKOS_CONFLICT)
			return signin_workos_failed("membership", e,
			    unavailable);
	}
	*workos_org = org.id;
	return 0;
}

/* The local half of signin_provision: one unit of work (db_transact). */
struct signin_rows {
	struct arena	*arena;
	const char	*params[6];
	const char	*org_id;	/* on success */
	int		 refused;	/* the database refused the data */
};

static int
signin_provision_rows(struct db *db, void *arg)
{
	struct signin_rows *sr = arg;
	struct pg_result *r;

	r = db_run(db, sr->arena, SQL_PROVISION_USER, sr->params);
	if (r != NULL && db_rows(r) == 1 && db_opt(r, 0, 0) != NULL) {
		sr->org_id = db_val(r, 0, 0);
		return 0;
	}
	sr->refused = r != NULL;
	return -1;
}

int
signin_provision(struct db *db, struct workos *w, struct arena *a,
    const struct workos_user *u, const char *role, const struct db_ctx *from,
    const char **org_id, int *unavailable)
{
	struct signin_rows sr;
	const char *state;
	struct db_ctx dc;

	*unavailable = 0;
	*org_id = NULL;
	if (role == NULL)
		role = "user";
	memset(&sr, 0, sizeof(sr));
	if (signin_workos_org(w, a, u, roles_is_expert(&(struct roles){
	    .app_role = role }), &sr.params[5], unavailable) == -1)
		return -1;
	if (from != NULL)
		dc = *from;
	else
		memset(&dc, 0, sizeof(dc));
	dc.user_id = u->id;
	dc.org_id = NULL;
	sr.arena = a;
	sr.params[0] = u->id;
	sr.params[1] = u->email;
	sr.params[2] = u->first_name;
	sr.params[3] = u->last_name;
	sr.params[4] = role;
	if (db_transact(db, &dc, 0, signin_provision_rows, &sr) == -1) {
		state = db_sqlstate(db);
		log_error("signin: provisioning %s failed (%s)", u->id, state);
		/* No SQLSTATE or class 08: the connection, not the data. */
		*unavailable = !sr.refused && (*state == '\0' ||
		    strncmp(state, "08", 2) == 0);
		return -1;
	}
	*org_id = sr.org_id;
	log_info("signin: provisioned %s (organization %s)", u->id, *org_id);
	return 0;
}

void
signin_refused(struct ctx *c, const char *method, const char *key)
{
	struct json_object *m = jsonh_object(c->arena);
	const char *dot = strrchr(key, '.');

	jsonh_add_str(m, "method", method);
	jsonh_add_str(m, "reason", dot != NULL ? dot + 1 : key);
	tx_audit(c, NULL, NULL, AUDIT_SIGN_IN_REFUSED, NULL,
	    jsonh_text(c->arena, m));
}

/* A refused AuthKit sign-in: audited, the error page's message for key. */
static int
signin_refuse(struct ctx *c, int status, const char *key)
{
	signin_refused(c, "authkit", key);
	c->message = view_t(c, key);
	return status;
}

/* What the database knows of the user before the session starts. */
struct signin_local {
	const char	*role;		/* NULL: no users row yet */
	int		 setup_complete; /* -1: no expert_setup row */
	const char	*org_id;	/* personal organization, or NULL */
	long long	 valid_after;	/* sessions_valid_after, 0: never */
	const char	*language;	/* preferences, NULL: none yet */
	const char	*theme;
};

static int
signin_read_local(struct ctx *c, const char *uid, struct signin_local *l)
{
	struct pg_result *r;

	memset(l, 0, sizeof(l[0]));
	l->setup_complete = -1;
	if (tx_begin(c, uid, NULL, 1) == -1)
		return -1;
	if ((r = db_run(c->db, c->arena, SQL_SIGNIN_USER, &uid)) == NULL) {
		tx_rollback(c);
		return -1;
	}
	if (db_rows(r) == 1) {
		l->role = db_opt(r, 0, SIGNIN_USER_ROLE);
		if (db_opt(r, 0, SIGNIN_USER_SETUP_COMPLETE) != NULL)
			l->setup_complete = db_bool(r, 0,
			    SIGNIN_USER_SETUP_COMPLETE);
		l->org_id = db_opt(r, 0, SIGNIN_USER_ORG_ID);
		l->valid_after = db_int(r, 0, SIGNIN_USER_VALID_AFTER);
		l->language = db_opt(r, 0, SIGNIN_USER_LANGUAGE);
		l->theme = db_opt(r, 0, SIGNIN_USER_THEME);
	}
	tx_rollback(c);	/* read only: nothing to keep */
	return 0;
}

/* USER_SIGNED_IN, committed: 0, or -1 (logged) when it could not be. */
static int
signin_audit(struct ctx *c, const char *uid, const char *org,
    const char *method)
{
	struct json_object *m = jsonh_object(c->arena);

	jsonh_add_str(m, "method", method);
	if (tx_audit(c, uid, org, AUDIT_USER_SIGNED_IN, uid,
	    jsonh_text(c->arena, m)) == -1) {
		log_error("signin: %s not signed in: the sign-in could not be "
		    "audited", uid);
		return -1;
	}
	return 0;
}

int
signin_complete(struct ctx *c, const struct workos_auth *wa,
    const char *method, int *to_setup)
{
	const struct config *cfg = c->app->cfg;
	struct signin_local l;
	struct jwt_claims claims;
	struct db_ctx dc;
	const char *org;
	enum jwt_err e;
	int unavailable, erased;

	*to_setup = 0;
	e = jwt_cache_verify(&c->app->jwks, c->arena, wa->access_token,
	    (long long)time(NULL), AUTH_LEEWAY, cfg->workos_issuer, &claims);
	if (e != JWT_OK || claims.sub == NULL ||
	    strcmp(claims.sub, wa->user.id) != 0 || claims.sid == NULL) {
		log_error("signin: WorkOS access token refused: %s",
		    e != JWT_OK ? jwt_err_str(e) : "subject or session missing");
		signin_refused(c, method, "signin.error.token");
		c->message = view_t(c, "signin.error.token");
		return c->app->jwks.keys == NULL ? 503 : 502;
	}
	if (signin_read_local(c, wa->user.id, &l) == -1) {
		c->message = view_t(c, "signin.error.unavailable");
		return 503;
	}
	/* An erased account is not made anew from a WorkOS user it left. */
	if (l.role == NULL && (erased = privacy_pending(c, wa->user.id)) != 0) {
		signin_refused(c, method, erased == 1 ? "signin.error.deleted" :
		    "signin.error.unavailable");
		c->message = view_t(c, erased == 1 ? "signin.error.deleted" :
		    "signin.error.unavailable");
		return erased == 1 ? 403 : 503;
	}
	org = l.org_id;
	tx_context(c, &dc);
	if (org == NULL && signin_provision(c->db, c->app->workos,
	    c->arena, &wa->user, l.role, &dc, &org,
	    &unavailable) == -1) {
		signin_refused(c, method, unavailable ?
		    "signin.error.unavailable" : "signin.error.provision");
		c->message = view_t(c, unavailable ?
		    "signin.error.unavailable" : "signin.error.provision");
		return unavailable ? 503 : 502;
	}
	if (signin_audit(c, wa->user.id, org, method) == -1) {
		c->message = view_t(c, "signin.error.unavailable");
		return 503;
	}
	if (auth_start(c, wa->user.id, org, claims.sid, wa->access_token,
	    wa->refresh_token, l.valid_after) == -1) {
		c->message = view_t(c, "signin.error.provision");
		return 500;
	}
	/* The first page after signing in is in the user's language. */
	auth_apply_preferences(c, l.language, l.theme);
	log_info("signin: %s signed in", wa->user.id);
	*to_setup = roles_is_expert(&(struct roles){ .app_role = l.role }) &&
	    l.setup_complete != 1;
	return 0;
}

const char *
signin_start(struct ctx *c, const char *return_to, const char *login_hint,
    const char *screen_hint)
{
	const struct config *cfg = c->app->cfg;
	unsigned char digest[CRYPT_SHA256_LEN];
	struct json_object *st = jsonh_object(c->arena);
	char *state, *verifier, *cookie;
	long long now = (long long)time(NULL);

	state = session_random_token(c->arena);
	verifier = session_random_token(c->arena);
	if (state == NULL || verifier == NULL ||
	    crypt_sha256(verifier, strlen(verifier), digest) == -1)
		return NULL;
	jsonh_add_str(st, "state", state);
	jsonh_add_str(st, "verifier", verifier);
	jsonh_add_str(st, "return_to", auth_local_path(return_to));
	cookie = session_aux_cookie(cfg->session_ring, c->arena, SIGNIN_COOKIE,
	    cfg->https, jsonh_text(c->arena, st), now + SIGNIN_LIFETIME, now);
	if (cookie == NULL)
		return NULL;
	auth_add_cookie(c, cookie);
	return workos_authorize_url(&c->app->workos_cfg, c->arena, state,
	    b64url_encode(c->arena, digest, sizeof(digest)), login_hint,
	    screen_hint);
}

int
signin_callback(struct ctx *c, const char *code, const char *state,
    const char *error, struct workos_auth *wa, const char **return_to)
{
	const struct config *cfg = c->app->cfg;
	const char *payload, *want, *verifier;
	struct json_object *st;
	enum workos_err e;

	*return_to = NULL;
	/* The state cookie is single use, whatever happens next. */
	payload = session_aux_open(cfg->session_ring, c->arena, SIGNIN_COOKIE,
	    cfg->https, req_cookie(c->req, session_aux_name(c->arena,
	    SIGNIN_COOKIE, cfg->https)), (long long)time(NULL));
	auth_add_cookie(c, session_aux_clear(c->arena, SIGNIN_COOKIE,
	    cfg->https));
	if (payload == NULL || (st = jsonh_parse(c->arena, payload)) == NULL) {
		log_info("callback: no sign-in in progress (state cookie "
		    "missing, altered or expired)");
		return signin_refuse(c, 400, "signin.error.expired");
	}
	want = jsonh_str(st, "state");
	verifier = jsonh_str(st, "verifier");
	*return_to = auth_local_path(jsonh_str(st, "return_to"));
	if (want == NULL || verifier == NULL || !crypt_equal(state, want)) {
		log_warn("callback: state does not match the sign-in started");
		return signin_refuse(c, 400, "signin.error.state");
	}
	if (error != NULL) {
		log_info("callback: AuthKit answered error %s", error);
		return signin_refuse(c, 400, "signin.error.refused");
	}
	if (code == NULL || *code == '\0' || strlen(code) > 256)
		return signin_refuse(c, 400, "signin.error.code");
	e = signin_choose_org(c, workos_authenticate_code(c->app->workos,
	    c->arena, code, verifier, wa), wa);
	if (e == WORKOS_INVALID_GRANT)
		return signin_refuse(c, 400, "signin.error.code");
	if (e != WORKOS_OK)
		return signin_refuse(c, e == WORKOS_UNAVAILABLE ||
		    e == WORKOS_RATE_LIMITED ? 503 : 502,
		    "signin.error.unavailable");
	return 0;
}

enum workos_err
signin_choose_org(struct ctx *c, int e, struct workos_auth *wa)
{
	struct workos_org personal;
	const char *pick, *pending;
	size_t i;

	if (e != WORKOS_ORG_SELECTION)
		return e;
	pick = wa->org_ids[0];
	if (wa->user.id != NULL && workos_org_by_external_id(c->app->workos,
	    c->arena, arena_printf(c->arena, "eleva-user-%s", wa->user.id),
	    &personal) == WORKOS_OK)
		for (i = 0; i < wa->n_orgs; i++)
			if (strcmp(wa->org_ids[i], personal.id) == 0)
				pick = personal.id;
	log_info("signin: a member of %zu organizations: signing in to %s",
	    wa->n_orgs, pick);
	pending = wa->pending_token;
	return workos_authenticate_org(c->app->workos, c->arena, pending,
	    pick, wa);
}
