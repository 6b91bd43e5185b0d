/* jwt: RS256 access-token verification against a JWKS, with a per-worker key cache. */
#ifndef ELEVA_JWT_H
#define ELEVA_JWT_H

#include <stddef.h>

struct arena;
struct json_object;
struct jwt_keys;

enum jwt_err {
	JWT_OK = 0,
	JWT_MALFORMED,		/* not three base64url JSON segments */
	JWT_ALG,		/* alg other than RS256 (none, HS256...) */
	JWT_UNKNOWN_KID,	/* no key with that kid */
	JWT_BAD_SIGNATURE,
	JWT_EXPIRED,		/* exp (+ leeway) has passed */
	JWT_NOT_YET,		/* nbf (- leeway) is in the future */
	JWT_ISSUER,		/* iss differs from the configured one */
};

/* The claims the app uses; strings are arena-owned, NULL when absent. */
struct jwt_claims {
	const char	*sub;		/* WorkOS user id */
	const char	*sid;		/* WorkOS session id */
	const char	*org_id;
	const char	*role;
	const char	*iss;
	long long	 exp, nbf, iat;	/* 0 when absent */
};

/*
 * Parse a JWKS document ({"keys": [{"kty":"RSA","kid","n","e"}, ...]});
 * keys of other types are skipped.  Returns NULL with err set when the
 * document is not a JWKS or holds no usable RSA key.
 */
struct jwt_keys	*jwt_keys_parse(const char *json, char *err, size_t errlen);
void		 jwt_keys_free(struct jwt_keys *);

/*
 * Verify token: header alg RS256 only, key by kid from keys, signature,
 * exp and nbf against now with leeway seconds, iss when issuer is not
 * NULL.  Fills claims on JWT_OK.
 */
enum jwt_err	 jwt_verify(const struct jwt_keys *, struct arena *,
		    const char *token, long long now, int leeway,
		    const char *issuer, struct jwt_claims *claims);

/* A short English name for an error, for logs. */
const char	*jwt_err_str(enum jwt_err);

/*
 * A token the cache verified: the token itself and its claims (malloc'd
 * strings), the issuer it was checked against, until its exp.
 */
#define JWT_SEEN_MAX	32

struct jwt_seen {
	char		*token;		/* NULL: the slot is free */
	size_t		 len;
	int		 used;
	char		*issuer;	/* NULL: checked against none */
	struct jwt_claims claims;
};

/*
 * The worker's JWKS cache: verify with the cached keys; on an unknown kid
 * fetch the JWKS again (fetch returns malloc'd JSON or NULL), then verify
 * once more: for a kid the last fetch was not for (a key rotation) once
 * JWT_MIN_REFETCH seconds have passed since it, for the same kid again
 * only after cooldown seconds.
 *
 * It also keeps the last JWT_SEEN_MAX tokens it verified: the same token
 * again (the same bytes, compared whole) is not verified again while exp (+
 * leeway) has not passed and the issuer asked for is the same; its
 * claims are copied into the arena.  New keys forget them all.
 */
#define JWT_MIN_REFETCH	2

struct jwt_cache {
	struct jwt_keys	*keys;
	long long	 last_fetch;	/* 0: never */
	char		 last_kid[64];	/* the unknown kid it fetched for */
	int		 cooldown;	/* seconds before the same kid again */
	char		*(*fetch)(void *arg);
	void		*fetch_arg;
	struct jwt_seen	 seen[JWT_SEEN_MAX];
	size_t		 seen_next;	/* the slot replaced next */
	unsigned long	 seen_hits;	/* verifications saved */
};

enum jwt_err	 jwt_cache_verify(struct jwt_cache *, struct arena *,
		    const char *token, long long now, int leeway,
		    const char *issuer, struct jwt_claims *claims);
void		 jwt_cache_clear(struct jwt_cache *);

#endif
