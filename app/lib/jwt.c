/* jwt: RS256 JWT verification with OpenSSL 3 and json-c; JWKS cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/jsonh.h"
#include "lib/jwt.h"
#include "lib/log.h"

#define JWT_MAX_TOKEN	8192
#define JWT_MAX_KEYS	16

struct jwt_key {
	char		*kid;
	EVP_PKEY	*pkey;
};

struct jwt_keys {
	struct jwt_key	k[JWT_MAX_KEYS];
	size_t		n;
};

static const char *const jwt_errs[] = {
	"ok",			/* JWT_OK */
	"malformed token",	/* JWT_MALFORMED */
	"algorithm not allowed", /* JWT_ALG */
	"unknown key id",	/* JWT_UNKNOWN_KID */
	"bad signature",	/* JWT_BAD_SIGNATURE */
	"expired",		/* JWT_EXPIRED */
	"not yet valid",	/* JWT_NOT_YET */
	"wrong issuer",		/* JWT_ISSUER */
};

const char *
jwt_err_str(enum jwt_err e)
{
	return (unsigned)e < sizeof(jwt_errs) / sizeof(jwt_errs[0]) ?
	    jwt_errs[e] : "?";
}

/* An RSA public key from base64url n and e. */
static EVP_PKEY *
jwt_rsa_key(struct arena *a, const char *n64, const char *e64)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	unsigned char *nb, *eb;
	size_t nlen, elen;

	if (b64_decode(a, n64, strlen(n64), 0, &nb, &nlen) == -1 ||
	    b64_decode(a, e64, strlen(e64), 0, &eb, &elen) == -1 ||
	    nlen < 256 || nlen > 1024 || elen == 0 || elen > 8)
		return NULL;
	n = BN_bin2bn(nb, (int)nlen, NULL);
	e = BN_bin2bn(eb, (int)elen, NULL);
	if (n == NULL || e == NULL || (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pkey;
}

struct jwt_keys *
jwt_keys_parse(const char *json, char *err, size_t errlen)
{
	struct json_object *doc, *arr;
	struct jwt_keys *ks;
	struct arena a;
	size_t i, len;

	if ((ks = calloc(1, sizeof(*ks))) == NULL || arena_init(&a) == -1) {
		free(ks);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((doc = jsonh_parse(&a, json)) == NULL ||
	    !json_object_object_get_ex(doc, "keys", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		snprintf(err, errlen, "not a JWKS document");
		arena_free(&a);
		free(ks);
		return NULL;
	}
	len = json_object_array_length(arr);
	for (i = 0; i < len && ks->n < JWT_MAX_KEYS; i++) {
		struct json_object *k = json_object_array_get_idx(arr, i);
		const char *kty = jsonh_str(k, "kty"), *kid = jsonh_str(k, "kid");
		const char *n = jsonh_str(k, "n"), *e = jsonh_str(k, "e");
		const char *use = jsonh_str(k, "use"), *alg = jsonh_str(k, "alg");
		EVP_PKEY *pkey;

		if (kty == NULL || strcmp(kty, "RSA") != 0 || kid == NULL ||
		    n == NULL || e == NULL || (use && strcmp(use, "sig")) ||
		    (alg && strcmp(alg, "RS256")))
			continue;
		if ((pkey = jwt_rsa_key(&a, n, e)) == NULL)
			continue;
		ks->k[ks->n].kid = strdup(kid);
		ks->k[ks->n].pkey = pkey;
		ks->n++;
	}
	arena_free(&a);
	if (ks->n == 0) {
		snprintf(err, errlen, "the JWKS holds no RS256 key");
		jwt_keys_free(ks);
		return NULL;
	}
	return ks;
}

void
jwt_keys_free(struct jwt_keys *ks)
{
	size_t i;

	if (ks == NULL)
		return;
	for (i = 0; i < ks->n; i++) {
		free(ks->k[i].kid);
		EVP_PKEY_free(ks->k[i].pkey);
	}
	free(ks);
}

/* Decode one segment as a JSON object owned by the arena. */
static struct json_object *
jwt_segment(struct arena *a, const char *s, size_t len)
{
	struct json_object *o;
	unsigned char *raw;
	size_t rawlen;

	if (b64_decode(a, s, len, 0, &raw, &rawlen) == -1 ||
	    (o = jsonh_parse(a, (const char *)raw)) == NULL)
		return NULL;
	return json_object_is_type(o, json_type_object) ? o : NULL;
}

static long long
jwt_int(struct json_object *o, const char *key, int *bad)
{
	long long v;

	if (jsonh_int(o, key, &v) == -1)
		*bad = 1;
	return v;
}

static const char *
jwt_dup(struct arena *a, struct json_object *o, const char *key)
{
	const char *s = jsonh_str(o, key);

	return s ? arena_strdup(a, s) : NULL;
}

enum jwt_err
jwt_verify(const struct jwt_keys *ks, struct arena *a, const char *token,
    long long now, int leeway, const char *issuer, struct jwt_claims *c)
{
	const char *dot1, *dot2, *alg, *kid;
	struct json_object *hdr, *body;
	unsigned char *sig;
	size_t siglen, tlen, i;
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *md;
	int ok, bad = 0;

	memset(c, 0, sizeof(*c));
	if (token == NULL || (tlen = strlen(token)) == 0 || tlen > JWT_MAX_TOKEN ||
	    (dot1 = strchr(token, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL || strchr(dot2 + 1, '.'))
		return JWT_MALFORMED;
	if ((hdr = jwt_segment(a, token, (size_t)(dot1 - token))) == NULL ||
	    (body = jwt_segment(a, dot1 + 1, (size_t)(dot2 - dot1 - 1))) == NULL ||
	    b64_decode(a, dot2 + 1, strlen(dot2 + 1), 0, &sig, &siglen) == -1)
		return JWT_MALFORMED;
	if ((alg = jsonh_str(hdr, "alg")) == NULL || strcmp(alg, "RS256") != 0)
		return JWT_ALG;
	if ((kid = jsonh_str(hdr, "kid")) == NULL)
		return JWT_UNKNOWN_KID;
	for (i = 0; ks != NULL && i < ks->n && pkey == NULL; i++)
		if (strcmp(ks->k[i].kid, kid) == 0)
			pkey = ks->k[i].pkey;
	if (pkey == NULL)
		return JWT_UNKNOWN_KID;
	if ((md = EVP_MD_CTX_new()) == NULL)
		return JWT_BAD_SIGNATURE;
	ok = EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
	    EVP_DigestVerifyUpdate(md, token, (size_t)(dot2 - token)) == 1 &&
	    EVP_DigestVerifyFinal(md, sig, siglen) == 1;
	EVP_MD_CTX_free(md);
	if (!ok)
		return JWT_BAD_SIGNATURE;
	c->exp = jwt_int(body, "exp", &bad);
	c->nbf = jwt_int(body, "nbf", &bad);
	c->iat = jwt_int(body, "iat", &bad);
	c->sub = jwt_dup(a, body, "sub");
	c->sid = jwt_dup(a, body, "sid");
	c->org_id = jwt_dup(a, body, "org_id");
	c->role = jwt_dup(a, body, "role");
	c->iss = jwt_dup(a, body, "iss");
	if (bad || c->sub == NULL || c->exp == 0)
		return JWT_MALFORMED;
	if (now > c->exp + leeway)
		return JWT_EXPIRED;
	if (c->nbf != 0 && now + leeway < c->nbf)
		return JWT_NOT_YET;
	if (issuer != NULL && (c->iss == NULL || strcmp(c->iss, issuer) != 0))
		return JWT_ISSUER;
	return JWT_OK;
}

/* The token's header kid ("" when it has none or cannot be read). */
static const char *
jwt_token_kid(struct arena *a, const char *token)
{
	const char *dot = strchr(token, '.'), *kid;
	struct json_object *hdr;

	if (dot == NULL || (hdr = jwt_segment(a, token,
	    (size_t)(dot - token))) == NULL ||
	    (kid = jsonh_str(hdr, "kid")) == NULL)
		return "";
	return kid;
}

static char *
jwt_strdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static const char *
jwt_adup(struct arena *a, const char *s)
{
	return s != NULL ? arena_strdup(a, s) : NULL;
}

static void
jwt_seen_free(struct jwt_seen *v)
{
	free(v->token);
	free(v->issuer);
	free((char *)v->claims.sub);
	free((char *)v->claims.sid);
	free((char *)v->claims.org_id);
	free((char *)v->claims.role);
	free((char *)v->claims.iss);
	memset(v, 0, sizeof(*v));
}

static void
jwt_seen_forget(struct jwt_cache *jc)
{
	size_t i;

	for (i = 0; i < JWT_SEEN_MAX; i++)
		jwt_seen_free(&jc->seen[i]);
	jc->seen_next = 0;
}

/* A token verified before, for the same issuer; NULL when none. */
static struct jwt_seen *
jwt_seen_find(struct jwt_cache *jc, const char *token, size_t len,
    const char *issuer)
{
	struct jwt_seen *v;
	size_t i;

	/*
	 * Compared whole, from the end: the signature's last bytes tell
	 * tokens apart at once (their headers are alike), and a hit costs one
	 * pass over the token where a hash cost dozens (the session's token
	 * is checked on every signed-in request).
	 */
	for (i = 0; i < JWT_SEEN_MAX; i++) {
		v = &jc->seen[i];
		if (v->used && v->len == len && len >= 8 &&
		    memcmp(v->token + len - 8, token + len - 8, 8) == 0 &&
		    memcmp(v->token, token, len) == 0 &&
		    (v->issuer == NULL ? issuer == NULL : issuer != NULL &&
		    strcmp(v->issuer, issuer) == 0))
			return v;
	}
	return NULL;
}

static void
jwt_seen_keep(struct jwt_cache *jc, const char *token, size_t len,
    const char *issuer, const struct jwt_claims *c)
{
	struct jwt_seen *v = &jc->seen[jc->seen_next];

	jc->seen_next = (jc->seen_next + 1) % JWT_SEEN_MAX;
	jwt_seen_free(v);
	v->token = jwt_strdup(token);
	v->len = len;
	v->claims = *c;
	v->issuer = jwt_strdup(issuer);
	v->claims.sub = jwt_strdup(c->sub);
	v->claims.sid = jwt_strdup(c->sid);
	v->claims.org_id = jwt_strdup(c->org_id);
	v->claims.role = jwt_strdup(c->role);
	v->claims.iss = jwt_strdup(c->iss);
	v->used = v->token != NULL &&
	    (issuer == NULL || v->issuer != NULL) &&
	    (c->sub == NULL || v->claims.sub != NULL) &&
	    (c->sid == NULL || v->claims.sid != NULL) &&
	    (c->org_id == NULL || v->claims.org_id != NULL) &&
	    (c->role == NULL || v->claims.role != NULL) &&
	    (c->iss == NULL || v->claims.iss != NULL);
	if (!v->used)
		jwt_seen_free(v);
}

/* jwt_verify with the cached keys, refetched on an unknown kid. */
static enum jwt_err
jwt_cache_check(struct jwt_cache *jc, struct arena *a, const char *token,
    long long now, int leeway, const char *issuer, struct jwt_claims *c)
{
	enum jwt_err e = jwt_verify(jc->keys, a, token, now, leeway, issuer, c);
	struct jwt_keys *fresh;
	char err[128], *json;
	const char *kid;
	long long since = now - jc->last_fetch;

	if (e != JWT_UNKNOWN_KID || jc->fetch == NULL)
		return e;
	/*
	 * When to fetch the JWKS again for a kid we do not know: a kid not
	 * asked about by the last fetch (a key rotation) after at least
	 * JWT_MIN_REFETCH seconds, so that a new key is taken at once and a
	 * stream of made-up kids costs WorkOS one fetch per few seconds per
	 * worker; the same unknown kid again only after the cooldown.
	 */
	kid = jwt_token_kid(a, token);
	if (jc->last_fetch != 0 && (since < JWT_MIN_REFETCH ||
	    (strcmp(kid, jc->last_kid) == 0 && since < jc->cooldown)))
		return e;
	jc->last_fetch = now;
	snprintf(jc->last_kid, sizeof(jc->last_kid), "%s", kid);
	if ((json = jc->fetch(jc->fetch_arg)) == NULL) {
		log_warn("jwt: cannot fetch the JWKS");
		return e;
	}
	fresh = jwt_keys_parse(json, err, sizeof(err));
	free(json);
	if (fresh == NULL) {
		log_warn("jwt: JWKS refused: %s", err);
		return e;
	}
	jwt_keys_free(jc->keys);
	jc->keys = fresh;
	jwt_seen_forget(jc);	/* a key withdrawn takes its tokens along */
	return jwt_verify(jc->keys, a, token, now, leeway, issuer, c);
}

enum jwt_err
jwt_cache_verify(struct jwt_cache *jc, struct arena *a, const char *token,
    long long now, int leeway, const char *issuer, struct jwt_claims *c)
{
	size_t len = strlen(token);
	struct jwt_seen *v;
	enum jwt_err e;

	if ((v = jwt_seen_find(jc, token, len, issuer)) != NULL) {
		if (now > v->claims.exp + leeway) {
			jwt_seen_free(v);
			return JWT_EXPIRED;
		}
		if (v->claims.nbf == 0 || now + leeway >= v->claims.nbf) {
			*c = v->claims;
			c->sub = jwt_adup(a, v->claims.sub);
			c->sid = jwt_adup(a, v->claims.sid);
			c->org_id = jwt_adup(a, v->claims.org_id);
			c->role = jwt_adup(a, v->claims.role);
			c->iss = jwt_adup(a, v->claims.iss);
			jc->seen_hits++;
			return JWT_OK;
		}
	}
	e = jwt_cache_check(jc, a, token, now, leeway, issuer, c);
	if (e == JWT_OK)
		jwt_seen_keep(jc, token, len, issuer, c);
	return e;
}

void
jwt_cache_clear(struct jwt_cache *jc)
{
	jwt_keys_free(jc->keys);
	jc->keys = NULL;
	jwt_seen_forget(jc);
}
