/* auth: who is asking: the session cookie, token verification and refresh, CSRF, return paths. */
#ifndef ELEVA_AUTH_H
#define ELEVA_AUTH_H

#include "core/tx.h"

struct ctx;
struct session;

/* Seconds of clock skew allowed on exp and nbf. */
#define AUTH_LEEWAY		10

enum auth_result {
	AUTH_OK = 0,
	AUTH_SIGNED_OUT,	/* no valid session: sign in again */
	AUTH_UNAVAILABLE,	/* WorkOS or the database cannot answer now */
};

/*
 * Open the session cookie into c->session (no network, no database).  A
 * cookie that cannot be opened, is idle too long or past its absolute
 * lifetime leaves c->session NULL and is deleted in the response.
 */
void		 auth_open(struct ctx *);

/*
 * For a request with a session: verify the access token (on expiry,
 * refresh it once through WorkOS and reissue the cookie), open the
 * request's transaction as the verified user and organization (read only
 * for GET) and load c->user with the roles.  A session issued before the
 * user's sessions_valid_after, a refused refresh, a token that does not
 * verify or an organization the user no longer belongs to sign out
 * (cookie deleted).  On AUTH_OK the transaction is open (c->tx_open).
 */
enum auth_result auth_load(struct ctx *, int read_only);
/*
 * auth_load, with what prefetch names (tx.h) run in the same round trip
 * and, for a read-only load, committed with it: the page reads their
 * results with tx_fetch and no transaction stays open.  NULL: auth_load.
 */
enum auth_result auth_load_with(struct ctx *, int read_only,
		    tx_prefetch_fn prefetch);

/*
 * Start a fresh session (new CSRF token) for WorkOS user uid in
 * organization org (uuid) with WorkOS session sid and the tokens; the
 * cookie is set with the response.  The issue time is now, or not_before
 * when that is later (a sign-in in the same second as "sign out
 * everywhere" must outlive it).  Returns 0, or -1 (logged).
 */
int		 auth_start(struct ctx *, const char *uid, const char *org,
		    const char *sid, const char *access_token,
		    const char *refresh_token, long long not_before);

/*
 * Use language (a code) and theme for this response and keep them in the
 * session cookie (reissued when they changed), so that every page, public
 * ones too, shows them.  NULL leaves that one as it is.
 */
void		 auth_apply_preferences(struct ctx *, const char *language,
		    const char *theme);

/* Sign out: forget c->session and delete the cookie with the response. */
void		 auth_end(struct ctx *);

/*
 * The CSRF token for forms: the session's, or for a signed-out visitor
 * one kept in a sealed cookie of its own (created on first use).
 */
const char	*auth_csrf_token(struct ctx *);

/*
 * A POST is genuine: the "csrf" form field matches the token of
 * auth_csrf_token() (compared in constant time), and Origin, when sent,
 * is APP_BASE_URL (Sec-Fetch-Site cross-site is refused too).
 */
int		 auth_csrf_ok(struct ctx *);

/*
 * return_to as a local path ("/x?y"), or NULL when it is anything else:
 * absolute or scheme-relative URLs, backslashes, control characters,
 * "/\", over-long values.
 */
const char	*auth_local_path(const char *return_to);

/*
 * Add a Set-Cookie value to the response (kept by the dispatcher through
 * error pages).
 */
void		 auth_add_cookie(struct ctx *, const char *set_cookie);

/*
 * Called by the dispatcher when the response is final: the session cookie
 * (reissued or deleted) and the other cookies become Set-Cookie headers.
 */
void		 auth_finish(struct ctx *);

#endif
