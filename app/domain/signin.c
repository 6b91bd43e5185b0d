/* signin: token check, first-sign-in provisioning (WorkOS, then the database), session start. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "lib/jwt.h"
#include "lib/log.h"
#include "core/page.h"
#include "core/req.h"
#include "core/roles.h"
#include "domain/signin.h"
#include "core/sql.h"
#include "core/workos.h"

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

int
signin_provision(struct db *db, struct workos *w, struct arena *a,
    const struct workos_user *u, const char *role, const char *request_id,
    const char **org_id, int *unavailable)
{
	const char *workos_org, *p[6];
	struct db_ctx dc;
	PGresult *r;

	*unavailable = 0;
	*org_id = NULL;
	if (role == NULL)
		role = "user";
	if (signin_workos_org(w, a, u, roles_is_expert(&(struct roles){
	    .app_role = role }), &workos_org, unavailable) == -1)
		return -1;
	memset(&dc, 0, sizeof(dc));
	dc.user_id = u->id;
	dc.request_id = request_id;
	if (db_begin(db, &dc, 0) == -1) {
		*unavailable = 1;
		return -1;
	}
	p[0] = u->id;
	p[1] = u->email;
	p[2] = u->first_name;
	p[3] = u->last_name;
	p[4] = role;
	p[5] = workos_org;
	r = db_run(db, a, sql_provision_user, 6, p);
	if (r == NULL || PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
		const char *state = db_sqlstate(db);

		log_error("signin: provisioning %s failed (%s)", u->id, state);
		/* No SQLSTATE or class 08: the connection, not the data. */
		*unavailable = r == NULL && (*state == '\0' ||
		    strncmp(state, "08", 2) == 0);
		db_rollback(db);
		return -1;
	}
	*org_id = arena_strdup(a, PQgetvalue(r, 0, 0));
	if (db_commit(db) == -1) {
		*unavailable = 1;
		return -1;
	}
	log_info("signin: provisioned %s (organization %s)", u->id, *org_id);
	return 0;
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
	struct db *db = c->app->db;
	struct db_ctx dc;
	PGresult *r;

	memset(l, 0, sizeof(*l));
	l->setup_complete = -1;
	memset(&dc, 0, sizeof(dc));
	dc.user_id = uid;
	dc.request_id = c->req->request_id;
	dc.ip = c->req->remote_addr;
	if (db_begin(db, &dc, 1) == -1)
		return -1;
	r = db_run(db, c->arena, sql_signin_user, 1, &uid);
	if (r == NULL) {
		db_rollback(db);
		return -1;
	}
	if (PQntuples(r) == 1) {
		l->role = arena_strdup(c->arena, PQgetvalue(r, 0, 0));
		if (!PQgetisnull(r, 0, 1))
			l->setup_complete = PQgetvalue(r, 0, 1)[0] == 't';
		if (!PQgetisnull(r, 0, 2))
			l->org_id = arena_strdup(c->arena, PQgetvalue(r, 0, 2));
		if (!PQgetisnull(r, 0, 3))
			l->valid_after = atoll(PQgetvalue(r, 0, 3));
		if (!PQgetisnull(r, 0, 4))
			l->language = arena_strdup(c->arena, PQgetvalue(r, 0, 4));
		if (!PQgetisnull(r, 0, 5))
			l->theme = arena_strdup(c->arena, PQgetvalue(r, 0, 5));
	}
	db_rollback(db);	/* read only: nothing to keep */
	return 0;
}

int
signin_complete(struct ctx *c, const struct workos_auth *wa,
    const char *return_to)
{
	const struct config *cfg = c->app->cfg;
	struct signin_local l;
	struct jwt_claims claims;
	const char *org, *dest;
	enum jwt_err e;
	int unavailable;

	e = jwt_cache_verify(&c->app->jwks, c->arena, wa->access_token,
	    (long long)time(NULL), AUTH_LEEWAY, cfg->workos_issuer, &claims);
	if (e != JWT_OK || claims.sub == NULL ||
	    strcmp(claims.sub, wa->user.id) != 0 || claims.sid == NULL) {
		log_error("signin: WorkOS access token refused: %s",
		    e != JWT_OK ? jwt_err_str(e) : "subject or session missing");
		c->message = page_t(c, "signin.error.token");
		return c->app->jwks.keys == NULL ? 503 : 502;
	}
	if (signin_read_local(c, wa->user.id, &l) == -1) {
		c->message = page_t(c, "signin.error.unavailable");
		return 503;
	}
	org = l.org_id;
	if (org == NULL && signin_provision(c->app->db, c->app->workos,
	    c->arena, &wa->user, l.role, c->req->request_id, &org,
	    &unavailable) == -1) {
		c->message = page_t(c, unavailable ?
		    "signin.error.unavailable" : "signin.error.provision");
		return unavailable ? 503 : 502;
	}
	if (auth_start(c, wa->user.id, org, claims.sid, wa->access_token,
	    wa->refresh_token, l.valid_after) == -1) {
		c->message = page_t(c, "signin.error.provision");
		return 500;
	}
	/* The first page after signing in is in the user's language. */
	auth_apply_preferences(c, l.language, l.theme);
	log_info("signin: %s signed in", wa->user.id);
	if ((dest = auth_local_path(return_to)) == NULL)
		dest = roles_is_expert(&(struct roles){ .app_role = l.role }) &&
		    l.setup_complete != 1 ? "/setup" : "/dashboard";
	return page_redirect(c, dest);
}
