/* crypt_test: base64url, key rings, sealed cookies refused when altered, rotation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/crypt.h"
#include "lib/log.h"
#include "tap.h"

static struct arena	A;

static struct crypt_ring *
ring(const char *spec)
{
	char err[256];
	struct crypt_ring *r = crypt_ring_parse(spec, err, sizeof(err));

	if (r == NULL)
		tap_diag("ring: %s", err);
	return r;
}

static void
test_b64(void)
{
	static const char *const cases[][2] = {
		{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg" }, { "\xff\xfe\xfd", "__79" },
	};
	unsigned char *out;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		is_str(b64url_encode(&A, cases[i][0], strlen(cases[i][0])),
		    cases[i][1], "b64url_encode");
		ok(b64_decode(&A, cases[i][1], strlen(cases[i][1]), 0, &out,
		    &n) == 0 && n == strlen(cases[i][0]) &&
		    memcmp(out, cases[i][0], n) == 0, "b64 decode \"%s\"",
		    cases[i][1]);
	}
	ok(b64_decode(&A, "Zm8=", 4, 0, &out, &n) == 0 && n == 2,
	    "padding is accepted");
	ok(b64_decode(&A, "Zm9=", 4, 0, &out, &n) == -1,
	    "non-zero trailing bits are refused");
	ok(b64_decode(&A, "Zm8+", 4, 0, &out, &n) == -1,
	    "'+' is not base64url");
	ok(b64_decode(&A, "Zm8+", 4, 1, &out, &n) == 0,
	    "'+' is standard base64");
	ok(b64_decode(&A, "Z", 1, 0, &out, &n) == -1, "one character is no byte");
	ok(b64_decode(&A, "Zm9vYg", 4, 0, &out, &n) == 0 && n == 3,
	    "length is honoured");
	ok(b64_decode(&A, "Z=m8", 4, 0, &out, &n) == -1,
	    "padding in the middle is refused");
	ok(b64_decode(&A, "Zm\0v", 4, 0, &out, &n) == -1, "NUL is refused");
	arena_reset(&A);
}

static void
test_ring(void)
{
	char key[64], key2[64], spec[256], err[256];
	struct crypt_ring *r;
	int i;

	ok(crypt_keygen(key, sizeof(key)) == 0 && strlen(key) == 44,
	    "keygen makes 44 characters of base64");
	crypt_keygen(key2, sizeof(key2));
	ok(strcmp(key, key2) != 0, "two keys differ");
	ok((r = ring(key)) != NULL, "a generated key parses");
	crypt_ring_free(r);
	snprintf(spec, sizeof(spec), " %s , %s ", key, key2);
	ok((r = ring(spec)) != NULL, "two keys with spaces parse");
	crypt_ring_free(r);
	ok(crypt_ring_parse("", err, sizeof(err)) == NULL &&
	    strstr(err, "empty") != NULL, "empty SESSION_KEYS refused");
	ok(crypt_ring_parse(NULL, err, sizeof(err)) == NULL, "NULL refused");
	ok(crypt_ring_parse("c2hvcnQ=", err, sizeof(err)) == NULL &&
	    strstr(err, "key 1 is not 32 bytes") != NULL, "a short key refused");
	snprintf(spec, sizeof(spec), "%s,not base64!", key);
	ok(crypt_ring_parse(spec, err, sizeof(err)) == NULL &&
	    strstr(err, "key 2") != NULL && strstr(err, key) == NULL,
	    "a bad second key is named by position, the keys never quoted");
	spec[0] = '\0';
	for (i = 0; i < 9; i++)
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec),
		    "%s%s", i ? "," : "", key);
	ok(crypt_ring_parse(spec, err, sizeof(err)) == NULL ||
	    strlen(spec) >= sizeof(spec) - 1, "more than 8 keys refused");
}

static void
test_seal(void)
{
	char k1[64], k2[64], spec[160], *pt, *tok, *t2;
	struct crypt_ring *r1, *r2, *r21;
	unsigned char *raw;
	size_t n, rawlen, i;
	int refused;
	const char *msg = "{\"user\":\"user_01\",\"org\":\"0a\"}";

	crypt_keygen(k1, sizeof(k1));
	crypt_keygen(k2, sizeof(k2));
	r1 = ring(k1);
	r2 = ring(k2);
	snprintf(spec, sizeof(spec), "%s,%s", k2, k1);
	r21 = ring(spec);

	tok = crypt_seal(r1, &A, "eleva_session", msg, strlen(msg));
	ok(tok != NULL && strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
	    "mnopqrstuvwxyz0123456789-_") == strlen(tok),
	    "a sealed token is base64url (cookie-safe)");
	ok(crypt_open(r1, &A, "eleva_session", tok, &pt, &n) == 0 &&
	    n == strlen(msg) && strcmp(pt, msg) == 0, "round trip");
	t2 = crypt_seal(r1, &A, "eleva_session", msg, strlen(msg));
	ok(strcmp(tok, t2) != 0, "two seals of one text differ (fresh nonce)");
	ok(crypt_open(r1, &A, "eleva_state", tok, &pt, &n) == -1,
	    "another cookie name (aad) is refused");
	ok(crypt_open(r2, &A, "eleva_session", tok, &pt, &n) == -1,
	    "a wrong key is refused");
	ok(crypt_open(r21, &A, "eleva_session", tok, &pt, &n) == 0,
	    "rotation: a token of the previous key still opens");
	t2 = crypt_seal(r21, &A, "eleva_session", msg, strlen(msg));
	ok(crypt_open(r2, &A, "eleva_session", t2, &pt, &n) == 0 &&
	    crypt_open(r1, &A, "eleva_session", t2, &pt, &n) == -1,
	    "rotation: new tokens are sealed with the newest key");

	/* Every single flipped bit of the raw token, anywhere: refused. */
	b64_decode(&A, tok, strlen(tok), 0, &raw, &rawlen);
	refused = 1;
	for (i = 0; i < rawlen * 8; i++) {
		raw[i / 8] ^= (unsigned char)(1u << (i % 8));
		if (crypt_open(r1, &A, "eleva_session", b64url_encode(&A, raw,
		    rawlen), &pt, &n) == 0)
			refused = 0;
		raw[i / 8] ^= (unsigned char)(1u << (i % 8));
	}
	ok(refused, "every flipped bit (%zu of them) is refused", rawlen * 8);
	refused = 1;
	for (i = 0; i < strlen(tok); i++) {
		char *cut = arena_strndup(&A, tok, i);

		if (crypt_open(r1, &A, "eleva_session", cut, &pt, &n) == 0)
			refused = 0;
	}
	ok(refused, "every truncation is refused");
	ok(crypt_open(r1, &A, "eleva_session", "", &pt, &n) == -1,
	    "an empty cookie is refused");
	ok(crypt_open(r1, &A, "eleva_session", NULL, &pt, &n) == -1,
	    "a missing cookie is refused");
	ok(crypt_open(r1, &A, "eleva_session", "not base64!", &pt, &n) == -1,
	    "non-base64 is refused");
	ok(crypt_open(r1, &A, "eleva_session", "AAAA", &pt, &n) == -1,
	    "a too short token is refused");
	{
		char *big = arena_alloc(&A, CRYPT_MAX_TOKEN + 2);

		memset(big, 'A', CRYPT_MAX_TOKEN + 1);
		big[CRYPT_MAX_TOKEN + 1] = '\0';
		ok(crypt_open(r1, &A, "eleva_session", big, &pt, &n) == -1,
		    "an oversized cookie is refused");
	}
	ok(crypt_seal(r1, &A, "x", msg, CRYPT_MAX_TOKEN + 1) == NULL,
	    "sealing an oversized text is refused");
	{
		/*
		 * fuzz_session: a sign-in cookie of 3048 bytes was sealed
		 * into a token of 4108 characters, which crypt_open()
		 * refuses.  What is sealed opens; the rest is refused.
		 */
		char *big = arena_alloc(&A, CRYPT_MAX_TOKEN + 1);
		size_t len, largest = 0;

		memset(big, 'x', CRYPT_MAX_TOKEN + 1);
		refused = 0;
		for (len = 2900; len <= CRYPT_MAX_TOKEN; len++) {
			if ((t2 = crypt_seal(r1, &A, "x", big, len)) == NULL)
				continue;
			if (crypt_open(r1, &A, "x", t2, &pt, &n) == -1 ||
			    n != len)
				refused++;
			else
				largest = len;
		}
		ok(refused == 0, "every text crypt_seal() seals opens again "
		    "(%d did not)", refused);
		is_int((long)largest, 3039, "... up to 3039 bytes (a token of "
		    "4096 characters)");
	}
	crypt_ring_free(r1);
	crypt_ring_free(r2);
	crypt_ring_free(r21);
	arena_reset(&A);
}

/* RFC 4231 test case 2, whole and split in two parts. */
static void
test_hmac(void)
{
	const char *want =
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
	const char *msg = "what do ya want for nothing?";
	char hex[65];

	ok(crypt_hmac_hex("Jefe", msg, strlen(msg), NULL, 0, hex) == 0,
	    "hmac: computes");
	is_str(hex, want, "hmac: RFC 4231 case 2");
	crypt_hmac_hex("Jefe", msg, 10, msg + 10, strlen(msg) - 10, hex);
	is_str(hex, want, "hmac: the same over two parts");
	crypt_hmac_hex("Jeff", msg, strlen(msg), NULL, 0, hex);
	ok(strcmp(hex, want) != 0, "hmac: another key, another mac");
	ok(crypt_equal(want, want), "equal: same");
	ok(!crypt_equal(want, "5bdc"), "equal: prefix is not equal");
	ok(!crypt_equal("", want), "equal: empty is not equal");
	ok(crypt_equal("", ""), "equal: empty equals empty");
}

int
main(void)
{
	log_set_level(LOG_ERROR + 1);
	arena_init(&A);
	test_b64();
	test_ring();
	test_seal();
	test_hmac();
	arena_free(&A);
	return tap_done();
}
