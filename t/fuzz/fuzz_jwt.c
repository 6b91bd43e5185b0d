/*
 * fuzz_jwt: a JWKS parsed from arbitrary JSON, and arbitrary tokens verified
 * against a fixed one.
 *
 * The input is parsed as a JWKS document, then verified as a token
 * against jwks below (an RSA key made once with openssl genrsa 2048; its
 * private half was not kept) at NOW, with and without an issuer.  The only
 * tokens that key ever signed are the seeds whose signed part (header and
 * payload) is in signed_parts[], made with the same key: a token that gets
 * past the signature check (verified, expired, not yet valid, wrong
 * issuer) with any other signed part aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/jwt.h"
#include "lib/log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NOW		1900000000LL
#define ISSUER		"https://api.workos.com"

static const char jwks[] =
    "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec-1\",\"crv\":\"P-256\",\"x\":\"f83OJ3D"
    "2xF1Bg8vub9tLe1gHMzV76e8Tus9uE3F5FdA\",\"y\":\"x_FEzRu9m36HLN_tu"
    "e659LNpXW6pCyStikYjKIWI5a0\"},{\"kty\":\"RSA\",\"kid\":\"fuzz-1\",\"us"
    "e\":\"sig\",\"alg\":\"RS256\",\"n\":\"wZIGiWsvXnBjgyNxQubwG0HcD7rseyDD"
    "KVny5z9XJ3IFf8ktYC8aiPAHZ2iHlo1_IOuxECbf8v89H350gRgGhPRlZwc3"
    "nqzsxt2d9m7uhG8oK9yuWEOJ1sMvY6VLt4nwtEpft6EXVgWvKrfjOnayhcuo"
    "GM2bk4HsTalWE7Q3-h4CJu3qpkdNKYnK-cGMZGyAajX508QNnM6qR4-y-lQ2"
    "J3ZTOMQ9XKxxMgidr587aIUR8G3uCfEw5rR54iChSn1O1QL2SKS20w8B-Prq"
    "cKrT43F-zKl9LEWdlzRcr5sZNRUjPbc3HgF7kpYYGFW4EenTwvwURa29gZJq"
    "31FlmDUwJw\",\"e\":\"AQAB\"}]}";

static const char *const signed_parts[] = {
	/* token-valid */
	"eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ1enotMSIsInR5cCI6IkpXVCJ9.eyJ"
	"zdWIiOiJ1c2VyXzAxRlVaWiIsInNpZCI6InNlc3Npb25fMDFGVVpaIiwib3J"
	"nX2lkIjoib3JnXzAxRlVaWiIsInJvbGUiOiJtZW1iZXIiLCJpc3MiOiJodHR"
	"wczovL2FwaS53b3Jrb3MuY29tIiwiZXhwIjoxOTAwMDAwMzAwLCJuYmYiOjE"
	"4OTk5OTk5MDAsImlhdCI6MTg5OTk5OTkwMH0",
	/* token-other-issuer */
	"eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ1enotMSIsInR5cCI6IkpXVCJ9.eyJ"
	"zdWIiOiJ1c2VyXzAxRlVaWiIsInNpZCI6InNlc3Npb25fMDFGVVpaIiwib3J"
	"nX2lkIjoib3JnXzAxRlVaWiIsInJvbGUiOiJtZW1iZXIiLCJpc3MiOiJodHR"
	"wczovL2V2aWwuZXhhbXBsZSIsImV4cCI6MTkwMDAwMDMwMCwibmJmIjoxODk"
	"5OTk5OTAwLCJpYXQiOjE4OTk5OTk5MDB9",
	/* token-expired */
	"eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ1enotMSIsInR5cCI6IkpXVCJ9.eyJ"
	"zdWIiOiJ1c2VyXzAxRlVaWiIsInNpZCI6InNlc3Npb25fMDFGVVpaIiwib3J"
	"nX2lkIjoib3JnXzAxRlVaWiIsInJvbGUiOiJtZW1iZXIiLCJpc3MiOiJodHR"
	"wczovL2FwaS53b3Jrb3MuY29tIiwiZXhwIjoxODk5OTk5OTAwLCJuYmYiOjE"
	"4OTk5OTk5MDAsImlhdCI6MTg5OTk5OTkwMH0",
	/* token-not-yet */
	"eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ1enotMSIsInR5cCI6IkpXVCJ9.eyJ"
	"zdWIiOiJ1c2VyXzAxRlVaWiIsInNpZCI6InNlc3Npb25fMDFGVVpaIiwib3J"
	"nX2lkIjoib3JnXzAxRlVaWiIsInJvbGUiOiJtZW1iZXIiLCJpc3MiOiJodHR"
	"wczovL2FwaS53b3Jrb3MuY29tIiwiZXhwIjoxOTAwMDAwMzAwLCJuYmYiOjE"
	"5MDAwMDAxMDAsImlhdCI6MTg5OTk5OTkwMH0",
	/* token-no-sub */
	"eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ1enotMSIsInR5cCI6IkpXVCJ9.eyJ"
	"zaWQiOiJzZXNzaW9uXzAxRlVaWiIsIm9yZ19pZCI6Im9yZ18wMUZVWloiLCJ"
	"yb2xlIjoibWVtYmVyIiwiaXNzIjoiaHR0cHM6Ly9hcGkud29ya29zLmNvbSI"
	"sImV4cCI6MTkwMDAwMDMwMCwibmJmIjoxODk5OTk5OTAwLCJpYXQiOjE4OTk"
	"5OTk5MDB9",
	/* token-exp-string */
	"eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ1enotMSIsInR5cCI6IkpXVCJ9.eyJ"
	"zdWIiOiJ1c2VyXzAxRlVaWiIsInNpZCI6InNlc3Npb25fMDFGVVpaIiwib3J"
	"nX2lkIjoib3JnXzAxRlVaWiIsInJvbGUiOiJtZW1iZXIiLCJpc3MiOiJodHR"
	"wczovL2FwaS53b3Jrb3MuY29tIiwiZXhwIjoic29vbiIsIm5iZiI6MTg5OTk"
	"5OTkwMCwiaWF0IjoxODk5OTk5OTAwfQ",
};

/* Non-zero when token's part before its last dot is one the key signed. */
static int
is_signed_seed(const char *token)
{
	const char *dot = strrchr(token, '.');
	size_t i, len;

	if (dot == NULL)
		return 0;
	len = (size_t)(dot - token);
	for (i = 0; i < sizeof(signed_parts) / sizeof(signed_parts[0]); i++)
		if (strlen(signed_parts[i]) == len &&
		    memcmp(signed_parts[i], token, len) == 0)
			return 1;
	return 0;
}

static void
check(const struct jwt_keys *ks, struct arena *a, const char *token,
    const char *issuer)
{
	struct jwt_claims c;
	enum jwt_err e;

	e = jwt_verify(ks, a, token, NOW, 10, issuer, &c);
	if ((unsigned)e > JWT_ISSUER)
		abort();
	if ((e == JWT_OK || e == JWT_EXPIRED || e == JWT_NOT_YET ||
	    e == JWT_ISSUER) && !is_signed_seed(token))
		abort();
	if (e == JWT_OK && (c.sub == NULL || c.exp == 0 ||
	    NOW > c.exp + 10 || (c.nbf != 0 && NOW + 10 < c.nbf) ||
	    (issuer != NULL && (c.iss == NULL || strcmp(c.iss, issuer) != 0))))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct jwt_keys *fixed;
	static struct arena a;
	struct jwt_keys *ks;
	struct jwt_claims c;
	char err[128], *in;

	if (fixed == NULL) {
		log_set_level(LOG_ERROR + 1);
		if (arena_init(&a) == -1 ||
		    (fixed = jwt_keys_parse(jwks, err, sizeof(err))) == NULL)
			abort();
	}
	/* JSON and tokens reach the program as C strings. */
	in = arena_strndup(&a, (const char *)data, size);
	err[0] = '\0';
	if ((ks = jwt_keys_parse(in, err, sizeof(err))) == NULL) {
		if (err[0] == '\0')
			abort();
	} else {
		/* Whatever the keys, a verdict and no crash. */
		if ((unsigned)jwt_verify(ks, &a, signed_parts[0], NOW, 10, NULL,
		    &c) > JWT_ISSUER)
			abort();
		jwt_keys_free(ks);
	}
	check(fixed, &a, in, NULL);
	check(fixed, &a, in, ISSUER);
	arena_reset(&a);
	return 0;
}
