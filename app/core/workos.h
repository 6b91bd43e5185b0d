/* workos: the WorkOS User Management HTTP client (libcurl + json-c, one handle per worker). */
#ifndef ELEVA_WORKOS_H
#define ELEVA_WORKOS_H

#include <stddef.h>

struct arena;
struct workos;
struct workos_shared;

/*
 * What a call came to.  Everything the API can answer is folded into
 * these; the HTTP status, WorkOS code and request id are logged where
 * the call failed.
 */
enum workos_err {
	WORKOS_OK = 0,
	WORKOS_NOT_FOUND,	/* 404, or a lookup that matched nothing */
	WORKOS_CONFLICT,	/* 409, or 400 email_not_available /
				   external_id_already_used: it exists */
	WORKOS_RATE_LIMITED,	/* 429, still after the retries */
	WORKOS_UNAVAILABLE,	/* no connection, timeout, 5xx after retries */
	WORKOS_INVALID_GRANT,	/* authenticate: code, verifier, one-time code
				   or refresh token refused */
	WORKOS_REFUSED,		/* any other 4xx (bad key, bad request) */
	WORKOS_BAD_RESPONSE,	/* a 2xx that is not the JSON expected */
	WORKOS_ORG_SELECTION,	/* authenticate: 403 organization_selection_
				   required (several memberships): finish with
				   workos_authenticate_org */
};

struct workos_config {
	const char	*api_base;	/* "https://api.workos.com", no '/' at end */
	const char	*api_key;	/* sk_... (never logged) */
	const char	*client_id;	/* client_... */
	const char	*redirect_uri;	/* our /auth/callback */
	long		 connect_timeout_ms;
	long		 timeout_ms;	/* per attempt */
	int		 max_retries;	/* on 408/429/5xx/network, safe calls only */
	long		 budget_ms;	/* a request's WorkOS time, all calls */
	long		 max_wait_ms;	/* longest Retry-After honoured between
					   attempts; 0: 2 s (a page's budget) */
	/*
	 * The pool's shared state (workos_shared_new, by the master) and
	 * this worker's slot in it; NULL: a client on its own (a command).
	 */
	struct workos_shared *shared;
	int		 slot;
};

/* Strings are arena-owned; optional ones are NULL when absent or null. */
struct workos_user {
	const char	*id;
	const char	*email;
	const char	*first_name;
	const char	*last_name;
	/*
	 * metadata.origin: the app's mark of what made the user, set at
	 * creation (a booking form's hash, pages/handle_event.c); NULL when
	 * absent.
	 */
	const char	*origin;
	int		 email_verified;
};

struct workos_auth {
	struct workos_user	 user;
	const char		*access_token;
	const char		*refresh_token;
	const char		*organization_id;	/* NULL: unscoped */
	/* WORKOS_ORG_SELECTION: the token to finish with, the choices. */
	const char		*pending_token;
	const char		**org_ids;
	size_t			 n_orgs;
};

struct workos_org {
	const char	*id;
	const char	*name;
	const char	*external_id;
};

struct workos_membership {
	const char	*id;
	const char	*user_id;
	const char	*organization_id;
	const char	*role;		/* role.slug */
	const char	*status;	/* active, inactive, pending */
};

/*
 * A client for cfg (which must outlive it).  Call after fork: the curl
 * handle and its connections belong to one process.  NULL when curl
 * cannot start.
 */
struct workos	*workos_new(const struct workos_config *cfg);
void		 workos_free(struct workos *);

/*
 * The state a pool's workers share about WorkOS, in memory the master
 * maps before forking them: the circuit breaker (calls fail at once for
 * everyone after repeated failures) and who waits on a call, so that at
 * most max_waiting of the nslots workers wait on WorkOS at once.
 * Returns NULL when the mapping failed.
 */
struct workos_shared	*workos_shared_new(int nslots, int max_waiting);
void			 workos_shared_free(struct workos_shared *);

/*
 * A request begins: every WorkOS call it makes, retries and backoffs
 * included, ends within budget_ms from now (0: no limit, the command
 * line's case); a call that cannot start in time fails as unavailable.
 */
void		 workos_begin(struct workos *, long budget_ms);

/*
 * Seconds until the pool calls WorkOS again after repeated failures (0:
 * it calls now): the circuit breaker, for Retry-After.
 */
int		 workos_retry_after(const struct workos *);

/*
 * The AuthKit authorization URL (a browser redirect, no call):
 * client id, redirect URI, response_type=code, provider=authkit, state,
 * PKCE S256 challenge, and login_hint / screen_hint when not NULL.
 */
char	*workos_authorize_url(const struct workos_config *, struct arena *,
	    const char *state, const char *code_challenge,
	    const char *login_hint, const char *screen_hint);

/* The logout URL for WorkOS session sid, returning to return_to (or none). */
char	*workos_logout_url(const struct workos_config *, struct arena *,
	    const char *session_id, const char *return_to);

/*
 * POST /user_management/authenticate with the authorization-code grant
 * (code + PKCE verifier), the refresh-token grant (organization_id may be
 * NULL) or the magic-auth grant (e-mail + 6-digit code).  Never retried:
 * codes and refresh tokens are single use.
 */
enum workos_err	 workos_authenticate_code(struct workos *, struct arena *,
		    const char *code, const char *verifier,
		    struct workos_auth *);
enum workos_err	 workos_authenticate_refresh(struct workos *, struct arena *,
		    const char *refresh_token, const char *organization_id,
		    struct workos_auth *);
/*
 * Finish a sign-in that WorkOS answered with WORKOS_ORG_SELECTION: the
 * organization-selection grant with its pending token and the chosen
 * organization.
 */
enum workos_err	 workos_authenticate_org(struct workos *, struct arena *,
		    const char *pending_token, const char *organization_id,
		    struct workos_auth *);
enum workos_err	 workos_authenticate_magic(struct workos *, struct arena *,
		    const char *email, const char *code, struct workos_auth *);

/*
 * Users.  create: email_verified as given, metadata a JSON object text or
 * NULL; an e-mail already taken is WORKOS_CONFLICT (the emulator's 409
 * and production's 400 email_not_available alike).  by_email: the user
 * with exactly that address, WORKOS_NOT_FOUND when none.
 */
enum workos_err	 workos_user_create(struct workos *, struct arena *,
		    const char *email, const char *first_name,
		    const char *last_name, int email_verified,
		    const char *metadata_json, struct workos_user *);
/*
 * A user to create (workos_user_make): workos_user_create's fields, and an
 * imported password hash with its type ("bcrypt" ...), both or neither.
 */
struct workos_new_user {
	const char	*email;
	const char	*first_name;	/* NULL: none */
	const char	*last_name;
	int		 email_verified;
	const char	*metadata_json;	/* NULL: none */
	const char	*password_hash;
	const char	*password_hash_type;
};
enum workos_err	 workos_user_make(struct workos *, struct arena *,
		    const struct workos_new_user *, struct workos_user *);
enum workos_err	 workos_user_by_email(struct workos *, struct arena *,
		    const char *email, struct workos_user *);
enum workos_err	 workos_user_get(struct workos *, struct arena *,
		    const char *id, struct workos_user *);
/*
 * workos_user_get in one attempt, never retried: for a fact a page can
 * show without (a request must not wait through retries for it).
 */
enum workos_err	 workos_user_peek(struct workos *, struct arena *,
		    const char *id, struct workos_user *);

/* Organizations; external_id may be NULL on create. */
enum workos_err	 workos_org_create(struct workos *, struct arena *,
		    const char *name, const char *external_id,
		    struct workos_org *);
enum workos_err	 workos_org_get(struct workos *, struct arena *,
		    const char *id, struct workos_org *);
enum workos_err	 workos_org_by_external_id(struct workos *, struct arena *,
		    const char *external_id, struct workos_org *);

/*
 * Organization memberships.  list_by_user: the user's active memberships
 * (first page of up to 100), an arena-owned array in *out.
 */
enum workos_err	 workos_membership_create(struct workos *, struct arena *,
		    const char *user_id, const char *organization_id,
		    const char *role_slug, struct workos_membership *);
enum workos_err	 workos_memberships_by_user(struct workos *, struct arena *,
		    const char *user_id, struct workos_membership **out,
		    size_t *n);

/* POST /user_management/magic_auth: WorkOS e-mails a code to email. */
enum workos_err	 workos_magic_auth_create(struct workos *, struct arena *,
		    const char *email);

/*
 * DELETE /user_management/users/{id} and DELETE /organizations/{id}:
 * WORKOS_OK also when WorkOS no longer has it (404), so a retry after a
 * lost answer is done too.
 */
enum workos_err	 workos_user_delete(struct workos *, struct arena *,
		    const char *id);
enum workos_err	 workos_org_delete(struct workos *, struct arena *,
		    const char *id);

/* POST /user_management/sessions/revoke. */
enum workos_err	 workos_session_revoke(struct workos *, struct arena *,
		    const char *session_id);

/*
 * GET /sso/jwks/<client id>: the JWKS document, malloc'd (the caller
 * frees), or NULL.  Shaped for jwt_cache's fetch callback.
 */
char		*workos_jwks_fetch(void *workos);

/* "not found", "unavailable"...: for logs and tests. */
const char	*workos_err_str(enum workos_err);

#endif
