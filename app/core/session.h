/* session: the sealed session cookie (tokens, ids, lifetimes) and its CSRF token. */
#ifndef ELEVA_SESSION_H
#define ELEVA_SESSION_H

#include <stddef.h>

struct arena;
struct crypt_ring;

struct session {
	const char	*user_id;	/* WorkOS user id */
	const char	*org_id;	/* organization uuid */
	const char	*session_id;	/* WorkOS session id (sid) */
	/*
	 * This session's own id, random, made at sign-in and kept across
	 * refreshes (WorkOS may change sid): what sign-out ends (0010).
	 */
	const char	*local_id;
	const char	*access_token;
	const char	*refresh_token;
	const char	*csrf;		/* per-session CSRF token */
	long long	 issued_at;	/* sign-in time: absolute lifetime */
	long long	 last_seen;	/* last use: idle lifetime */
	/*
	 * The user's language code ("en"...) and theme ("light", "dark",
	 * "system"), copied from the preferences on every signed-in request
	 * so that public pages can apply them too; NULL when unknown.
	 */
	const char	*lang;
	const char	*theme;
	/*
	 * "expert" or "guest", as the last signed-in request found: what a
	 * page guesses it will read before the user is loaded (tx.h); NULL
	 * when unknown.
	 */
	const char	*kind;
};

struct session_config {
	int	idle_seconds;
	int	absolute_seconds;
	int	https;		/* __Host- name and Secure */
};

enum session_err {
	SESSION_OK = 0,
	SESSION_NONE,		/* no cookie */
	SESSION_INVALID,	/* cannot be opened or read */
	SESSION_IDLE,		/* unused for longer than idle_seconds */
	SESSION_EXPIRED,	/* older than absolute_seconds */
};

/* "__Host-eleva_session" over https, "eleva_session" over plain http. */
const char	*session_cookie_name(int https);

/*
 * The Set-Cookie value carrying s sealed (cookie name bound as additional
 * data), with Path=/, HttpOnly, SameSite=Lax, Max-Age up to the absolute
 * expiry, and Secure over https.  Arena-owned; NULL if it cannot be
 * sealed or would exceed 4000 bytes (logged).
 */
char		*session_cookie(const struct crypt_ring *, struct arena *,
		    const struct session *, const struct session_config *,
		    long long now);

/* The Set-Cookie value that deletes the session cookie. */
char		*session_clear_cookie(struct arena *, int https);

/*
 * Open the cookie value: refused when absent, altered, sealed for another
 * cookie, unreadable, idle too long or past its absolute lifetime.
 */
enum session_err session_open(const struct crypt_ring *, struct arena *,
		    const char *value, const struct session_config *,
		    long long now, struct session *);

/*
 * Small sealed cookies of their own (the sign-in state, a signed-out
 * visitor's CSRF token): named base, or "__Host-" base over https, the
 * payload sealed with the name as additional data together with its
 * expiry time.  aux_cookie: the Set-Cookie value (Path=/, HttpOnly,
 * SameSite=Lax, Max-Age until expires, Secure over https), arena-owned.
 * aux_open: the payload, or NULL when absent, altered or expired.
 */
const char	*session_aux_name(struct arena *, const char *base, int https);
char		*session_aux_cookie(const struct crypt_ring *, struct arena *,
		    const char *base, int https, const char *payload,
		    long long expires, long long now);
const char	*session_aux_open(const struct crypt_ring *, struct arena *,
		    const char *base, int https, const char *value,
		    long long now);
char		*session_aux_clear(struct arena *, const char *base, int https);

/* A new random token (CSRF, state, verifier): 32 bytes, base64url. */
char		*session_random_token(struct arena *);

#endif
