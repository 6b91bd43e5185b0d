/* jwt_test: RS256 verification, refused algorithms, times, issuer, JWKS refetch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/jwt.h"
#include "lib/log.h"
#include "tap.h"

static struct arena	A;
static EVP_PKEY		*k1, *k2;
static const long long	NOW = 1900000000;

static const char *
jwk(EVP_PKEY *pk, const char *kid)
{
	BIGNUM *n = NULL, *e = NULL;
	unsigned char nb[1024], eb[16];
	int nl, el;

	EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n);
	EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e);
	nl = BN_bn2bin(n, nb);
	el = BN_bn2bin(e, eb);
	BN_free(n);
	BN_free(e);
	return arena_printf(&A, "{\"kty\":\"RSA\",\"kid\":\"%s\",\"use\":\"sig\","
	    "\"alg\":\"RS256\",\"n\":\"%s\",\"e\":\"%s\"}", kid,
	    b64url_encode(&A, nb, (size_t)nl), b64url_encode(&A, eb, (size_t)el));
}

/* header.payload.signature, signed by pk (or with sig_override). */
static const char *
token(EVP_PKEY *pk, const char *header, const char *payload)
{
	const char *hp = arena_printf(&A, "%s.%s",
	    b64url_encode(&A, header, strlen(header)),
	    b64url_encode(&A, payload, strlen(payload)));
	unsigned char sig[1024];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, pk);
	EVP_DigestSign(md, sig, &siglen, (const unsigned char *)hp, strlen(hp));
	EVP_MD_CTX_free(md);
	return arena_printf(&A, "%s.%s", hp, b64url_encode(&A, sig, siglen));
}

static const char *
claims(long long exp, long long nbf, const char *iss)
{
	return arena_printf(&A, "{\"sub\":\"user_01\",\"sid\":\"session_01\","
	    "\"org_id\":\"org_01\",\"role\":\"member\",\"exp\":%lld%s%s%s%s%s"
	    ",\"iat\":%lld}", exp, nbf ? ",\"nbf\":" : "",
	    nbf ? arena_printf(&A, "%lld", nbf) : "", iss ? ",\"iss\":\"" : "",
	    iss ? iss : "", iss ? "\"" : "", NOW - 10);
}

static int	fetches;
static const char *fetch_json;

static char *
fetch(void *arg)
{
	(void)arg;
	fetches++;
	return fetch_json ? strdup(fetch_json) : NULL;
}

int
main(void)
{
	const char *h1 = "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}";
	const char *h2 = "{\"alg\":\"RS256\",\"kid\":\"k2\"}";
	struct jwt_keys *ks;
	struct jwt_claims c;
	struct jwt_cache jc;
	const char *t, *jwks1;
	char err[128];

	log_set_level(LOG_ERROR + 1);
	arena_init(&A);
	k1 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	k2 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	jwks1 = arena_printf(&A, "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"e\"},%s]}",
	    jwk(k1, "k1"));
	ks = jwt_keys_parse(jwks1, err, sizeof(err));
	ok(ks != NULL, "a JWKS parses (an EC key is skipped)");
	ok(jwt_keys_parse("{\"nokeys\":1}", err, sizeof(err)) == NULL,
	    "a document without keys is refused");
	ok(jwt_keys_parse("{\"keys\":[]}", err, sizeof(err)) == NULL,
	    "a JWKS without RSA keys is refused");
	ok(jwt_keys_parse("not json", err, sizeof(err)) == NULL,
	    "garbage is refused");

	t = token(k1, h1, claims(NOW + 300, 0, NULL));
	is_int(jwt_verify(ks, &A, t, NOW, 30, NULL, &c), JWT_OK, "valid token");
	is_str(c.sub, "user_01", "sub");
	is_str(c.sid, "session_01", "sid");
	is_str(c.org_id, "org_01", "org_id");
	is_int(jwt_verify(ks, &A, token(k1, h1, claims(NOW - 100, 0, NULL)),
	    NOW, 30, NULL, &c), JWT_EXPIRED, "expired token");
	is_int(jwt_verify(ks, &A, token(k1, h1, claims(NOW - 20, 0, NULL)),
	    NOW, 30, NULL, &c), JWT_OK, "expired within the leeway: accepted");
	is_int(jwt_verify(ks, &A, token(k1, h1, claims(NOW + 300, NOW + 100,
	    NULL)), NOW, 30, NULL, &c), JWT_NOT_YET, "nbf in the future");
	is_int(jwt_verify(ks, &A, token(k1, h1, claims(NOW + 300, NOW + 10,
	    NULL)), NOW, 30, NULL, &c), JWT_OK, "nbf within the leeway");
	is_int(jwt_verify(ks, &A, token(k1, h1, claims(NOW + 300, 0,
	    "https://api.workos.com")), NOW, 30, "https://api.workos.com", &c),
	    JWT_OK, "the configured issuer");
	is_int(jwt_verify(ks, &A, token(k1, h1, claims(NOW + 300, 0,
	    "https://evil.example")), NOW, 30, "https://api.workos.com", &c),
	    JWT_ISSUER, "a wrong issuer");
	is_int(jwt_verify(ks, &A, t, NOW, 30, "https://api.workos.com", &c),
	    JWT_ISSUER, "no issuer when one is configured");

	/* Algorithms other than RS256. */
	t = arena_printf(&A, "%s.%s.", b64url_encode(&A, "{\"alg\":\"none\"}", 14),
	    b64url_encode(&A, claims(NOW + 300, 0, NULL),
	    strlen(claims(NOW + 300, 0, NULL))));
	is_int(jwt_verify(ks, &A, t, NOW, 30, NULL, &c), JWT_ALG, "alg none");
	t = token(k1, "{\"alg\":\"HS256\",\"kid\":\"k1\"}", claims(NOW + 300, 0,
	    NULL));
	is_int(jwt_verify(ks, &A, t, NOW, 30, NULL, &c), JWT_ALG, "alg HS256");
	t = token(k1, "{\"kid\":\"k1\"}", claims(NOW + 300, 0, NULL));
	is_int(jwt_verify(ks, &A, t, NOW, 30, NULL, &c), JWT_ALG, "no alg");

	/* Signatures. */
	t = token(k2, h1, claims(NOW + 300, 0, NULL));
	is_int(jwt_verify(ks, &A, t, NOW, 30, NULL, &c), JWT_BAD_SIGNATURE,
	    "signed by another key under k1's kid");
	t = token(k1, h1, claims(NOW + 300, 0, NULL));
	{
		/* Another valid payload under the original signature. */
		const char *other = "{\"sub\":\"user_02\",\"exp\":1999999999}";
		const char *sig = strrchr(t, '.');
		const char *alt = arena_printf(&A, "%.*s.%s%s",
		    (int)(strchr(t, '.') - t), t,
		    b64url_encode(&A, other, strlen(other)), sig);

		is_int(jwt_verify(ks, &A, alt, NOW, 30, NULL, &c),
		    JWT_BAD_SIGNATURE, "a payload swapped under a signature");
	}

	/* Malformed. */
	is_int(jwt_verify(ks, &A, "", NOW, 30, NULL, &c), JWT_MALFORMED, "empty");
	is_int(jwt_verify(ks, &A, NULL, NOW, 30, NULL, &c), JWT_MALFORMED, "NULL");
	is_int(jwt_verify(ks, &A, "abc", NOW, 30, NULL, &c), JWT_MALFORMED,
	    "one segment");
	is_int(jwt_verify(ks, &A, "a.b", NOW, 30, NULL, &c), JWT_MALFORMED,
	    "two segments");
	is_int(jwt_verify(ks, &A, arena_printf(&A, "%s.x", t), NOW, 30, NULL,
	    &c), JWT_MALFORMED, "four segments");
	is_int(jwt_verify(ks, &A, "!!.e30.", NOW, 30, NULL, &c), JWT_MALFORMED,
	    "bad base64");
	is_int(jwt_verify(ks, &A, token(k1, h1, "not json"), NOW, 30, NULL, &c),
	    JWT_MALFORMED, "a payload that is not JSON");
	is_int(jwt_verify(ks, &A, token(k1, h1, "{\"sub\":\"u\",\"exp\":\"soon\"}"),
	    NOW, 30, NULL, &c), JWT_MALFORMED, "exp that is not a number");
	is_int(jwt_verify(ks, &A, token(k1, h1, "{\"exp\":1999999999}"), NOW, 30,
	    NULL, &c), JWT_MALFORMED, "no sub");

	/* The cache: an unknown kid makes exactly one refetch. */
	memset(&jc, 0, sizeof(jc));
	jc.keys = ks;
	jc.cooldown = 60;
	jc.fetch = fetch;
	fetch_json = arena_printf(&A, "{\"keys\":[%s,%s]}", jwk(k1, "k1"),
	    jwk(k2, "k2"));
	t = token(k2, h2, claims(NOW + 300, 0, NULL));
	is_int(jwt_cache_verify(&jc, &A, t, NOW, 30, NULL, &c), JWT_OK,
	    "a new kid: the JWKS is fetched again and the token verifies");
	is_int(fetches, 1, "... with one fetch");
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 1, 30, NULL, &c), JWT_OK,
	    "... and the new key is cached");
	is_int(fetches, 1, "... no fetch the second time");
	t = token(k2, "{\"alg\":\"RS256\",\"kid\":\"k9\"}", claims(NOW + 300, 0,
	    NULL));
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 100, 30, NULL, &c),
	    JWT_UNKNOWN_KID, "a kid nobody has: refused");
	is_int(fetches, 2, "... after exactly one refetch");
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 101, 30, NULL, &c),
	    JWT_UNKNOWN_KID, "again within the cooldown: refused");
	is_int(fetches, 2, "... without fetching");
	/*
	 * Hardening finding 4: a key rotation within the cooldown of the last
	 * fetch (which was for another kid) is taken at once, not a minute
	 * later; a flood of made-up kids fetches at most every few seconds.
	 */
	fetch_json = arena_printf(&A, "{\"keys\":[%s,%s]}", jwk(k2, "k2"),
	    jwk(k1, "k3"));
	t = token(k1, "{\"alg\":\"RS256\",\"kid\":\"k3\"}", claims(NOW + 300,
	    0, NULL));
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 101, 30, NULL, &c),
	    JWT_UNKNOWN_KID, "jwks_rotation: a new kid within a second of the "
	    "last fetch waits");
	is_int(fetches, 2, "jwks_rotation: ... without fetching");
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 102, 30, NULL, &c), JWT_OK,
	    "jwks_rotation: two seconds after it, the rotated key verifies "
	    "(within the 60 s cooldown)");
	is_int(fetches, 3, "jwks_rotation: ... with one fetch");
	t = token(k1, "{\"alg\":\"RS256\",\"kid\":\"k8\"}", claims(NOW + 300,
	    0, NULL));
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 103, 30, NULL, &c),
	    JWT_UNKNOWN_KID, "jwks_rotation: a made-up kid a second later: "
	    "refused");
	is_int(fetches, 3, "jwks_rotation: ... without fetching");
	fetch_json = NULL;
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 200, 30, NULL, &c),
	    JWT_UNKNOWN_KID, "the JWKS unreachable: refused, no crash");
	ok(jc.keys != NULL, "... the cached keys stay");
	jwt_cache_clear(&jc);

	/*
	 * Tokens verified once are not verified again until they expire:
	 * the same bytes, the same issuer asked for.
	 */
	memset(&jc, 0, sizeof(jc));
	jc.keys = jwt_keys_parse(jwks1, err, sizeof(err));
	jc.cooldown = 60;
	jc.fetch = fetch;
	t = token(k1, h1, claims(NOW + 300, 0, NULL));
	is_int(jwt_cache_verify(&jc, &A, t, NOW, 30, NULL, &c), JWT_OK,
	    "seen: a token verified");
	is_int((long)jc.seen_hits, 0, "seen: ... the first time in full");
	memset(&c, 0, sizeof(c));
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 60, 30, NULL, &c), JWT_OK,
	    "seen: the same token again");
	is_int((long)jc.seen_hits, 1, "seen: ... from what was kept");
	ok(c.sub != NULL && strcmp(c.sub, "user_01") == 0 && c.sid != NULL &&
	    strcmp(c.sid, "session_01") == 0 && c.org_id != NULL &&
	    strcmp(c.org_id, "org_01") == 0 && c.exp == NOW + 300,
	    "seen: ... with its claims");
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 60, 30, "https://iss", &c),
	    JWT_ISSUER, "seen: another issuer asked for: verified in full, "
	    "refused");
	is_int((long)jc.seen_hits, 1, "seen: ... not from what was kept");
	{
		char *bad = arena_strdup(&A, t);
		size_t n = strlen(bad);

		bad[n - 5] = bad[n - 5] == 'A' ? 'B' : 'A';
		is_int(jwt_cache_verify(&jc, &A, bad, NOW + 60, 30, NULL, &c),
		    JWT_BAD_SIGNATURE, "seen: one byte of its signature "
		    "changed: refused");
		bad = arena_strdup(&A, t);
		bad[n - 100] = bad[n - 100] == 'A' ? 'B' : 'A';
		is_int(jwt_cache_verify(&jc, &A, bad, NOW + 60, 30, NULL, &c),
		    JWT_BAD_SIGNATURE, "seen: one byte changed far from its "
		    "end (the same length, the same last bytes): refused");
	}
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 331, 30, NULL, &c),
	    JWT_EXPIRED, "seen: past its exp and the leeway: expired");
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 331, 30, NULL, &c),
	    JWT_EXPIRED, "seen: ... and again, verified in full");
	is_int((long)jc.seen_hits, 1, "seen: ... neither from what was kept");
	t = token(k1, h1, claims(NOW + 600, 0, NULL));
	is_int(jwt_cache_verify(&jc, &A, t, NOW, 30, NULL, &c), JWT_OK,
	    "seen: another token kept");
	{
		int i, all = 1;

		for (i = 0; i < JWT_SEEN_MAX; i++)
			all &= jwt_cache_verify(&jc, &A, token(k1, h1,
			    claims(NOW + 1000 + i, 0, NULL)), NOW, 30, NULL,
			    &c) == JWT_OK;
		ok(all, "seen: %d more tokens verified", JWT_SEEN_MAX);
	}
	is_int(jwt_cache_verify(&jc, &A, t, NOW, 30, NULL, &c), JWT_OK,
	    "seen: the oldest kept, pushed out by them");
	is_int((long)jc.seen_hits, 1, "seen: ... is verified in full");
	is_int(jwt_cache_verify(&jc, &A, t, NOW, 30, NULL, &c), JWT_OK,
	    "seen: and kept again");
	is_int((long)jc.seen_hits, 2, "seen: ... from what was kept");
	fetch_json = arena_printf(&A, "{\"keys\":[%s,%s]}", jwk(k1, "k1"),
	    jwk(k2, "k2"));
	is_int(jwt_cache_verify(&jc, &A, token(k2, h2, claims(NOW + 900, 0,
	    NULL)), NOW + 400, 30, NULL, &c), JWT_OK,
	    "seen: new keys fetched for a new kid");
	is_int(jwt_cache_verify(&jc, &A, t, NOW + 400, 30, NULL, &c), JWT_OK,
	    "seen: ... then a token kept before");
	is_int((long)jc.seen_hits, 2, "seen: ... is verified in full: new keys "
	    "forget what was kept (a withdrawn key takes its tokens along)");
	jwt_cache_clear(&jc);

	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
	arena_free(&A);
	return tap_done();
}
