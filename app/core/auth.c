/* auth: session cookie, access-token verification and refresh, the user's roles, CSRF. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/crypt.h"
#include "lib/jsonh.h"
#include "lib/jwt.h"
#include "lib/log.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/lease.h"
#include "core/out.h"
#include "core/req.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/workos.h"

/* The signed-out visitor's CSRF cookie and how long it lives. */
#define AUTH_CSRF_COOKIE	"eleva_csrf"
#define AUTH_CSRF_LIFETIME	(12 * 3600)
/*
 * A refresh: the session's lease outlives the request's WorkOS time; the
 * others wait for it this long; its record is sealed under this name.
 */
#define AUTH_REFRESH_LEASE_MS	10000
#define AUTH_REFRESH_WAIT_MS	5000
#define AUTH_REFRESH_AAD	"eleva_refresh"
/* Reissue the cookie for the idle lifetime at most this often. */
#define AUTH_SEEN_INTERVAL	60

static struct session_config
auth_session_config(const struct ctx *c)
{
	struct session_config sc;

	sc.idle_seconds = c->app->cfg->session_idle;
	sc.absolute_seconds = c->app->cfg->session_absolute;
	sc.https = c->app->cfg->https;
	return sc;
}

void
auth_add_cookie(struct ctx *c, const char *set_cookie)
{
	if (set_cookie == NULL)
		return;
	if (c->ncookies == CTX_MAX_COOKIES) {
		log_error("auth: too many cookies in one response");
		return;
	}
	c->cookies[c->ncookies++] = set_cookie;
}

void
auth_open(struct ctx *c)
{
	struct session_config sc = auth_session_config(c);
	struct session *s = arena_calloc(c->arena, 1, sizeof(*s));
	const char *v = req_cookie(c->req, session_cookie_name(sc.https));
	enum session_err e;

	c->session = NULL;
	e = session_open(c->app->cfg->session_ring, c->arena, v, &sc,
	    (long long)time(NULL), s);
	if (e == SESSION_OK) {
		int l = i18n_parse_code(s->lang);

		c->session = s;
		/* Until auth_load reads them afresh: the cookie's copy. */
		if (l >= 0)
			c->lang = (enum lang)l;
		c->theme = s->theme;
		return;
	}
	if (e != SESSION_NONE) {
		log_info("auth: session cookie refused (%s)",
		    e == SESSION_IDLE ? "idle" : e == SESSION_EXPIRED ?
		    "expired" : "invalid");
		c->session_clear = 1;
	}
}

void
auth_end(struct ctx *c)
{
	c->session = NULL;
	c->session_dirty = 0;
	c->session_clear = 1;
	c->user = NULL;
}

int
auth_start(struct ctx *c, const char *uid, const char *org, const char *sid,
    const char *access_token, const char *refresh_token, long long not_before)
{
	struct session *s = arena_calloc(c->arena, 1, sizeof(*s));

	s->user_id = uid;
	s->org_id = org;
	s->session_id = sid;
	s->access_token = access_token;
	s->refresh_token = refresh_token;
	s->issued_at = s->last_seen = (long long)time(NULL);
	if (not_before > s->issued_at)
		s->issued_at = s->last_seen = not_before;
	if ((s->csrf = session_random_token(c->arena)) == NULL ||
	    (s->local_id = session_random_token(c->arena)) == NULL)
		return -1;
	c->session = s;
	c->session_dirty = 1;
	c->session_clear = 0;
	return 0;
}

/*
 * Verify the session's access token; on expiry refresh it once.  Fills
 * claims.  Returns AUTH_OK, AUTH_SIGNED_OUT or AUTH_UNAVAILABLE.
 */
static enum auth_result	auth_refresh(struct ctx *, struct jwt_claims *);

static enum auth_result
auth_verify(struct ctx *c, struct jwt_claims *claims)
{
	const struct config *cfg = c->app->cfg;
	struct session *s = c->session;
	enum jwt_err e;
	long long now = (long long)time(NULL);

	if (s->access_token == NULL || s->refresh_token == NULL)
		return AUTH_SIGNED_OUT;
	e = jwt_cache_verify(&c->app->jwks, c->arena, s->access_token, now,
	    AUTH_LEEWAY, cfg->workos_issuer, claims);
	if (e == JWT_UNKNOWN_KID && c->app->jwks.keys == NULL) {
		log_warn("auth: no WorkOS signing keys (JWKS unreachable)");
		return AUTH_UNAVAILABLE;
	}
	if (e != JWT_OK && e != JWT_EXPIRED) {
		log_warn("auth: access token refused: %s", jwt_err_str(e));
		return AUTH_SIGNED_OUT;
	}
	if (e == JWT_OK)
		return AUTH_OK;
	return auth_refresh(c, claims);
}

/*
 * The tokens that replaced refresh token hash old_hash of this session,
 * if another request refreshed it within the last minute: verified and
 * taken into the session.  Returns 1 taken, 0 none, -1 database.
 */
static int
auth_refresh_adopt(struct ctx *c, const char *old_hash,
    struct jwt_claims *claims)
{
	const struct config *cfg = c->app->cfg;
	struct session *s = c->session;
	const struct pg_result *r;
	struct json_object *o;
	const char *p[2], *at, *rt, *sid;
	char *json;
	size_t len;

	p[0] = s->local_id;
	p[1] = old_hash;
	if (tx_begin(c, s->user_id, s->org_id, 1) == -1)
		return -1;
	r = db_run(c->db, c->arena, SQL_REFRESH_GET, p);
	tx_rollback(c);
	if (r == NULL)
		return -1;
	if (db_rows(r) == 0)
		return 0;
	if (crypt_open(cfg->session_ring, c->arena, AUTH_REFRESH_AAD,
	    db_val(r, 0, 0), &json, &len) == -1 ||
	    (o = jsonh_parse_n(c->arena, json, len)) == NULL ||
	    (at = jsonh_str(o, "at")) == NULL ||
	    (rt = jsonh_str(o, "rt")) == NULL ||
	    jwt_cache_verify(&c->app->jwks, c->arena, at, (long long)time(NULL),
	    AUTH_LEEWAY, cfg->workos_issuer, claims) != JWT_OK) {
		log_warn("auth: a recorded refresh cannot be used");
		return 0;
	}
	sid = jsonh_str(o, "sid");
	s->access_token = at;
	s->refresh_token = rt;
	if (sid != NULL)
		s->session_id = sid;
	c->session_dirty = 1;
	log_info("auth: access token taken from this session's refresh");
	return 1;
}

/*
 * Record the tokens that replaced old_hash, for the session's others, and
 * audit the refresh (SESSION_REFRESHED) with them.
 */
static void
auth_refresh_record(struct ctx *c, const char *old_hash)
{
	struct session *s = c->session;
	struct json_object *o = jsonh_object(c->arena);
	const char *p[4], *json;

	jsonh_add_str(o, "at", s->access_token);
	jsonh_add_str(o, "rt", s->refresh_token);
	jsonh_add_str(o, "sid", s->session_id);
	json = jsonh_text(c->arena, o);
	p[0] = s->local_id;
	p[1] = old_hash;
	p[2] = s->user_id;
	p[3] = crypt_seal(c->app->cfg->session_ring, c->arena, AUTH_REFRESH_AAD,
	    json, strlen(json));
	if (p[3] == NULL || tx_begin(c, s->user_id, s->org_id, 0) == -1 ||
	    db_run(c->db, c->arena, SQL_REFRESH_PUT, p) == NULL ||
	    db_audit(c->db, c->arena, AUDIT_SESSION_REFRESHED, "user",
	    s->user_id, NULL, NULL, NULL) == -1 || tx_commit(c) == -1) {
		tx_rollback(c);
		log_warn("auth: refresh not recorded: this session's other "
		    "requests may be signed out");
	}
}

/* SESSION_REFRESH_REFUSED for the session's user: WorkOS said no. */
static void
auth_refresh_refused(struct ctx *c, const char *reason)
{
	struct json_object *m = jsonh_object(c->arena);

	jsonh_add_str(m, "reason", reason);
	tx_audit(c, c->session->user_id, c->session->org_id,
	    AUDIT_SESSION_REFRESH_REFUSED, c->session->user_id,
	    jsonh_text(c->arena, m));
}

/*
 * The access token expired: refresh it once for all of this session's
 * requests.  WorkOS's refresh tokens are single use, so requests of one
 * browser that refresh at once would sign each other out.  The session's
 * lease (core/lease.h) lets one ask WorkOS; it records the new tokens,
 * and the others (waiting meanwhile, holding no transaction) and late
 * requests with the old cookie take them from there.
 */
static enum auth_result
auth_refresh(struct ctx *c, struct jwt_claims *claims)
{
	const struct config *cfg = c->app->cfg;
	struct session *s = c->session;
	struct workos_auth wa;
	enum workos_err we;
	enum jwt_err e;
	const char *key;
	char old_hash[65];
	int waited, got;

	if (crypt_sha256_hex(s->refresh_token, strlen(s->refresh_token),
	    old_hash) == -1)
		return AUTH_UNAVAILABLE;
	key = arena_printf(c->arena, "refresh:%s", s->local_id);
	for (waited = 0; ; waited += LEASE_STEP_MS) {
		if ((got = auth_refresh_adopt(c, old_hash, claims)) != 0)
			return got == 1 ? AUTH_OK : AUTH_UNAVAILABLE;
		if ((got = lease_try(c, key, AUTH_REFRESH_LEASE_MS)) == 1)
			break;
		if (got == -1 || waited >= AUTH_REFRESH_WAIT_MS)
			return AUTH_UNAVAILABLE;
		lease_pause();
	}
	/* Ours: one more look, for a refresh finished just before. */
	if ((got = auth_refresh_adopt(c, old_hash, claims)) != 0) {
		lease_release(c, key);
		return got == 1 ? AUTH_OK : AUTH_UNAVAILABLE;
	}
	we = workos_authenticate_refresh(c->app->workos, c->arena,
	    s->refresh_token, NULL, &wa);
	if (we != WORKOS_OK) {
		lease_release(c, key);
		if (we == WORKOS_INVALID_GRANT) {
			log_info("auth: refresh refused: signing out");
			auth_refresh_refused(c, "refresh_token");
			return AUTH_SIGNED_OUT;
		}
		return AUTH_UNAVAILABLE;
	}
	e = jwt_cache_verify(&c->app->jwks, c->arena, wa.access_token,
	    (long long)time(NULL), AUTH_LEEWAY, cfg->workos_issuer, claims);
	if (e != JWT_OK) {
		lease_release(c, key);
		log_warn("auth: refreshed access token refused: %s",
		    jwt_err_str(e));
		auth_refresh_refused(c, "access_token");
		return AUTH_SIGNED_OUT;
	}
	s->access_token = wa.access_token;
	s->refresh_token = wa.refresh_token;
	/* WorkOS may name the refreshed session anew: sign-out ends that one. */
	if (claims->sid != NULL)
		s->session_id = claims->sid;
	c->session_dirty = 1;
	auth_refresh_record(c, old_hash);
	lease_release(c, key);
	log_info("auth: access token refreshed");
	return AUTH_OK;
}

/* Split "admin,owner" into the org roles. */
static void
auth_org_roles(struct ctx *c, const char *list, struct roles *ro)
{
	char *copy, *tok, *save = NULL;

	ro->n_org_roles = 0;
	if (list == NULL)
		return;
	copy = arena_strdup(c->arena, list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL &&
	    ro->n_org_roles < ROLES_MAX_ORG; tok = strtok_r(NULL, ",", &save))
		ro->org_roles[ro->n_org_roles++] = tok;
}

void
auth_apply_preferences(struct ctx *c, const char *language, const char *theme)
{
	struct session *s = c->session;
	int l = i18n_parse_code(language);

	if (l >= 0)
		c->lang = (enum lang)l;
	if (theme != NULL)
		c->theme = theme;
	if (s == NULL)
		return;
	if (language != NULL && (s->lang == NULL ||
	    strcmp(s->lang, language) != 0)) {
		s->lang = language;
		c->session_dirty = 1;
	}
	if (theme != NULL && (s->theme == NULL ||
	    strcmp(s->theme, theme) != 0)) {
		s->theme = theme;
		c->session_dirty = 1;
	}
}

enum auth_result
auth_load(struct ctx *c, int read_only)
{
	return auth_load_with(c, read_only, NULL);
}

enum auth_result
auth_load_with(struct ctx *c, int read_only, tx_prefetch_fn prefetch)
{
	struct session *s = c->session;
	struct jwt_claims claims;
	struct auth_user *u;
	enum auth_result ar;
	const char **params, *sva, *setup, *kind;
	struct db_call *calls;
	struct pg_result *r;
	size_t n = 1;

	c->user = NULL;
	if (s == NULL)
		return AUTH_SIGNED_OUT;
	if ((ar = auth_verify(c, &claims)) != AUTH_OK)
		goto out;
	if (claims.sub == NULL || strcmp(claims.sub, s->user_id) != 0) {
		log_warn("auth: token subject is not the session's user");
		ar = AUTH_SIGNED_OUT;
		goto out;
	}
	/* The user's row, and what the page will read (one round trip). */
	params = arena_calloc(c->arena, 3, sizeof(*params));
	calls = arena_calloc(c->arena, 1 + TX_PREFETCH_MAX, sizeof(*calls));
	if (params == NULL || calls == NULL)
		return AUTH_UNAVAILABLE;
	params[0] = s->user_id;
	params[1] = s->org_id;
	params[2] = s->local_id;
	calls[0].id = SQL_AUTH_USER;
	calls[0].params = params;
	if (prefetch != NULL)
		n += prefetch(c, calls + 1, TX_PREFETCH_MAX);
	if (tx_begin_with(c, s->user_id, s->org_id, read_only, calls, n,
	    read_only && n > 1) == -1)
		return AUTH_UNAVAILABLE;
	if ((r = calls[0].result) == NULL) {
		ar = AUTH_UNAVAILABLE;
		goto fail;
	}
	if (db_rows(r) != 1) {
		log_info("auth: no user or organization for the session");
		ar = AUTH_SIGNED_OUT;
		goto fail;
	}
	if (db_bool(r, 0, AUTH_USER_ENDED)) {
		log_info("auth: session ended by sign-out");
		ar = AUTH_SIGNED_OUT;
		goto fail;
	}
	sva = db_opt(r, 0, AUTH_USER_VALID_AFTER);
	if (sva != NULL && s->issued_at < atoll(sva)) {
		log_info("auth: session issued before sign-out everywhere");
		ar = AUTH_SIGNED_OUT;
		goto fail;
	}
	u = arena_calloc(c->arena, 1, sizeof(*u));
	u->workos_user_id = s->user_id;
	u->org_id = s->org_id;
	u->email = db_opt(r, 0, AUTH_USER_EMAIL);
	u->first_name = db_opt(r, 0, AUTH_USER_FIRST_NAME);
	u->last_name = db_opt(r, 0, AUTH_USER_LAST_NAME);
	u->roles.app_role = db_opt(r, 0, AUTH_USER_ROLE);
	u->org_name = db_opt(r, 0, AUTH_USER_ORG_NAME);
	setup = db_opt(r, 0, AUTH_USER_SETUP_COMPLETE);
	u->setup_complete = setup == NULL ? -1 : setup[0] == 't';
	auth_org_roles(c, db_opt(r, 0, AUTH_USER_ORG_ROLES), &u->roles);
	u->theme = db_opt(r, 0, AUTH_USER_THEME);
	u->language = db_opt(r, 0, AUTH_USER_LANGUAGE);
	auth_apply_preferences(c, u->language, u->theme);
	if (u->roles.n_org_roles == 0) {
		log_info("auth: not a member of the session's organization");
		ar = AUTH_SIGNED_OUT;
		goto fail;
	}
	c->user = u;
	if ((long long)time(NULL) - s->last_seen >= AUTH_SEEN_INTERVAL)
		c->session_dirty = 1;
	/* What kind of user, for the next request's prefetch. */
	kind = roles_is_expert(&u->roles) ? "expert" : "guest";
	if (s->kind == NULL || strcmp(s->kind, kind) != 0) {
		s->kind = kind;
		c->session_dirty = 1;
	}
	return AUTH_OK;
fail:
	tx_rollback(c);
	c->nprefetched = 0;
out:
	if (ar == AUTH_SIGNED_OUT)
		auth_end(c);
	return ar;
}

const char *
auth_csrf_token(struct ctx *c)
{
	const struct config *cfg = c->app->cfg;
	long long now = (long long)time(NULL);
	const char *tok, *v;

	if (c->session != NULL)
		return c->session->csrf;
	v = req_cookie(c->req, session_aux_name(c->arena, AUTH_CSRF_COOKIE,
	    cfg->https));
	if ((tok = session_aux_open(cfg->session_ring, c->arena,
	    AUTH_CSRF_COOKIE, cfg->https, v, now)) != NULL && *tok != '\0')
		return tok;
	if ((tok = session_random_token(c->arena)) == NULL)
		return "";
	auth_add_cookie(c, session_aux_cookie(cfg->session_ring, c->arena,
	    AUTH_CSRF_COOKIE, cfg->https, tok, now + AUTH_CSRF_LIFETIME, now));
	return tok;
}

int
auth_csrf_ok(struct ctx *c)
{
	const struct config *cfg = c->app->cfg;
	const char *origin = req_header(c->req, "origin");
	const char *site = req_header(c->req, "sec-fetch-site");
	const char *sent = req_form(c->req, "csrf"), *want, *v;

	if (origin != NULL && strcmp(origin, cfg->app_base_url) != 0) {
		log_warn("csrf: foreign Origin refused");
		return 0;
	}
	if (site != NULL && strcmp(site, "cross-site") == 0) {
		log_warn("csrf: cross-site request refused");
		return 0;
	}
	if (c->session != NULL)
		want = c->session->csrf;
	else {
		v = req_cookie(c->req, session_aux_name(c->arena,
		    AUTH_CSRF_COOKIE, cfg->https));
		want = session_aux_open(cfg->session_ring, c->arena,
		    AUTH_CSRF_COOKIE, cfg->https, v, (long long)time(NULL));
	}
	if (want == NULL || *want == '\0' || !crypt_equal(want, sent)) {
		log_warn("csrf: missing or wrong token");
		return 0;
	}
	return 1;
}

const char *
auth_local_path(const char *p)
{
	const unsigned char *s;

	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\' ||
	    strlen(p) > 512)
		return NULL;
	for (s = (const unsigned char *)p; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			return NULL;
	return p;
}

void
auth_finish(struct ctx *c)
{
	const struct config *cfg = c->app->cfg;
	size_t i;

	if (c->session != NULL && c->session_dirty) {
		struct session_config sc = auth_session_config(c);
		char *v = session_cookie(cfg->session_ring, c->arena,
		    c->session, &sc, (long long)time(NULL));

		if (v != NULL)
			out_header(c->resp, "Set-Cookie", v);
	} else if (c->session == NULL && c->session_clear)
		out_header(c->resp, "Set-Cookie", session_clear_cookie(c->arena,
		    cfg->https));
	for (i = 0; i < c->ncookies; i++)
		out_header(c->resp, "Set-Cookie", c->cookies[i]);
	/* Pages for one visitor must not be cached by anyone else. */
	if (c->session != NULL || c->session_clear || c->ncookies > 0)
		out_header(c->resp, "Cache-Control", "private, no-store");
}
