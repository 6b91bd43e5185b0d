/* crypt: AES-256-GCM sealed tokens with key ids, for cookies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/crypt.h"
#include "lib/log.h"

#define CRYPT_VERSION	1
#define CRYPT_KEYLEN	32
#define CRYPT_KIDLEN	4
#define CRYPT_NONCELEN	12
#define CRYPT_TAGLEN	16
#define CRYPT_HEADER	(1 + CRYPT_KIDLEN + CRYPT_NONCELEN)
#define CRYPT_MAXKEYS	8

struct crypt_key {
	unsigned char	key[CRYPT_KEYLEN];
	unsigned char	kid[CRYPT_KIDLEN];	/* SHA-256(key), first bytes */
	/*
	 * AES-256-GCM set up for decryption under key: crypt_open gives it
	 * a nonce only (every request opens the session cookie; the key
	 * schedule and the cipher's look-up are done once).
	 */
	EVP_CIPHER_CTX	*dec;
};

struct crypt_ring {
	struct crypt_key	keys[CRYPT_MAXKEYS];
	size_t			nkeys;
};

struct crypt_ring *
crypt_ring_parse(const char *spec, char *err, size_t errlen)
{
	struct crypt_ring *ring;
	struct arena a;
	const char *p = spec, *end;
	unsigned char *raw, md[CRYPT_SHA256_LEN];
	size_t rawlen, n;

	if (spec == NULL || *spec == '\0') {
		snprintf(err, errlen, "SESSION_KEYS is empty (make a key with "
		    "\"eleva keygen\")");
		return NULL;
	}
	if (arena_init(&a) == -1 || (ring = calloc(1, sizeof(*ring))) == NULL) {
		snprintf(err, errlen, "out of memory");
		arena_free(&a);
		return NULL;
	}
	while (*p != '\0') {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (ring->nkeys == CRYPT_MAXKEYS) {
			snprintf(err, errlen, "SESSION_KEYS: more than %d keys",
			    CRYPT_MAXKEYS);
			goto fail;
		}
		if (b64_decode(&a, p, n, 1, &raw, &rawlen) == -1 ||
		    rawlen != CRYPT_KEYLEN) {
			snprintf(err, errlen, "SESSION_KEYS: key %zu is not %d "
			    "bytes of base64 (make one with \"eleva keygen\")",
			    ring->nkeys + 1, CRYPT_KEYLEN);
			goto fail;
		}
		memcpy(ring->keys[ring->nkeys].key, raw, CRYPT_KEYLEN);
		if (crypt_sha256(raw, CRYPT_KEYLEN, md) == -1) {
			snprintf(err, errlen, "SESSION_KEYS: cannot hash key %zu",
			    ring->nkeys + 1);
			goto fail;
		}
		memcpy(ring->keys[ring->nkeys].kid, md, CRYPT_KIDLEN);
		explicit_bzero(raw, rawlen);
		if ((ring->keys[ring->nkeys].dec = EVP_CIPHER_CTX_new()) == NULL ||
		    EVP_DecryptInit_ex(ring->keys[ring->nkeys].dec,
		    EVP_aes_256_gcm(), NULL, ring->keys[ring->nkeys].key,
		    NULL) != 1) {
			snprintf(err, errlen, "SESSION_KEYS: AES-256-GCM is "
			    "unavailable");
			ring->nkeys++;	/* freed with the ring */
			goto fail;
		}
		ring->nkeys++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	arena_free(&a);
	return ring;
fail:
	arena_free(&a);
	crypt_ring_free(ring);
	return NULL;
}

void
crypt_ring_free(struct crypt_ring *ring)
{
	size_t i;

	if (ring == NULL)
		return;
	for (i = 0; i < ring->nkeys; i++)
		EVP_CIPHER_CTX_free(ring->keys[i].dec);
	explicit_bzero(ring, sizeof(*ring));
	free(ring);
}

char *
crypt_seal(const struct crypt_ring *ring, struct arena *a, const char *aad,
    const void *plaintext, size_t len)
{
	const struct crypt_key *k = &ring->keys[0];
	unsigned char *buf, *ct;
	EVP_CIPHER_CTX *ctx;
	int n, ok;

	/* Its token (base64url, 4 characters per 3 bytes) must open again. */
	if (len > CRYPT_MAX_TOKEN || ((CRYPT_HEADER + len + CRYPT_TAGLEN) *
	    4 + 2) / 3 > CRYPT_MAX_TOKEN) {
		log_error("crypt: plaintext too large to seal (%zu bytes)", len);
		return NULL;
	}
	buf = arena_alloc(a, CRYPT_HEADER + len + CRYPT_TAGLEN);
	buf[0] = CRYPT_VERSION;
	memcpy(buf + 1, k->kid, CRYPT_KIDLEN);
	if (RAND_bytes(buf + 1 + CRYPT_KIDLEN, CRYPT_NONCELEN) != 1) {
		log_error("crypt: no random bytes");
		return NULL;
	}
	ct = buf + CRYPT_HEADER;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return NULL;
	ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k->key,
	    buf + 1 + CRYPT_KIDLEN) == 1 &&
	    EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)aad,
	    (int)strlen(aad)) == 1 &&
	    /* The header is authenticated too: no swapping key ids. */
	    EVP_EncryptUpdate(ctx, NULL, &n, buf, 1 + CRYPT_KIDLEN) == 1 &&
	    EVP_EncryptUpdate(ctx, ct, &n, plaintext, (int)len) == 1 &&
	    EVP_EncryptFinal_ex(ctx, ct + n, &n) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, CRYPT_TAGLEN,
	    ct + len) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		log_error("crypt: sealing failed");
		return NULL;
	}
	return b64url_encode(a, buf, CRYPT_HEADER + len + CRYPT_TAGLEN);
}

int
crypt_open(const struct crypt_ring *ring, struct arena *a, const char *aad,
    const char *token, char **out, size_t *outlen)
{
	const struct crypt_key *k = NULL;
	unsigned char *raw, *pt;
	EVP_CIPHER_CTX *ctx;
	size_t rawlen, len, i, tlen;
	int n, ok;

	if (token == NULL || (tlen = strlen(token)) == 0 ||
	    tlen > CRYPT_MAX_TOKEN ||
	    b64_decode(a, token, tlen, 0, &raw, &rawlen) == -1 ||
	    rawlen < CRYPT_HEADER + CRYPT_TAGLEN || raw[0] != CRYPT_VERSION)
		return -1;
	for (i = 0; i < ring->nkeys && k == NULL; i++)
		if (memcmp(ring->keys[i].kid, raw + 1, CRYPT_KIDLEN) == 0)
			k = &ring->keys[i];
	if (k == NULL)
		return -1;
	len = rawlen - CRYPT_HEADER - CRYPT_TAGLEN;
	pt = arena_alloc(a, len + 1);
	ctx = k->dec;
	ok = EVP_DecryptInit_ex(ctx, NULL, NULL, NULL,
	    raw + 1 + CRYPT_KIDLEN) == 1 &&
	    EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)aad,
	    (int)strlen(aad)) == 1 &&
	    EVP_DecryptUpdate(ctx, NULL, &n, raw, 1 + CRYPT_KIDLEN) == 1 &&
	    EVP_DecryptUpdate(ctx, pt, &n, raw + CRYPT_HEADER, (int)len) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, CRYPT_TAGLEN,
	    raw + CRYPT_HEADER + len) == 1 &&
	    EVP_DecryptFinal_ex(ctx, pt + n, &n) == 1;
	if (!ok) {
		explicit_bzero(pt, len);
		return -1;
	}
	pt[len] = '\0';
	*out = (char *)pt;
	*outlen = len;
	return 0;
}

int
crypt_keygen(char *buf, size_t buflen)
{
	unsigned char key[CRYPT_KEYLEN];

	if (buflen < 45 || RAND_bytes(key, sizeof(key)) != 1)
		return -1;
	EVP_EncodeBlock((unsigned char *)buf, key, sizeof(key));
	explicit_bzero(key, sizeof(key));
	return 0;
}

/* n bytes as lower-case hex digits and a NUL into hex (2n + 1 bytes). */
static void
crypt_hex(const unsigned char *md, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0x0f];
	}
	hex[2 * n] = '\0';
}

/* An HMAC-SHA256 context under key, or NULL (logged). */
static EVP_MAC_CTX *
crypt_hmac_init(const char *key)
{
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];

	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (ctx = EVP_MAC_CTX_new(mac)) == NULL) {
		EVP_MAC_free(mac);
		log_error("crypt: HMAC unavailable");
		return NULL;
	}
	EVP_MAC_free(mac);	/* the context keeps its own reference */
	params[0] = OSSL_PARAM_construct_utf8_string("digest",
	    (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, (const unsigned char *)key, strlen(key),
	    params) != 1) {
		EVP_MAC_CTX_free(ctx);
		log_error("crypt: HMAC failed");
		return NULL;
	}
	return ctx;
}

/* Finish ctx (ok: every update succeeded) into hex, and free it.  0, or -1. */
static int
crypt_hmac_final(EVP_MAC_CTX *ctx, int ok, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	size_t mdlen = 0;

	ok = ok && EVP_MAC_final(ctx, md, &mdlen, sizeof(md)) == 1 &&
	    mdlen == CRYPT_SHA256_LEN;
	EVP_MAC_CTX_free(ctx);
	if (!ok) {
		log_error("crypt: HMAC failed");
		return -1;
	}
	crypt_hex(md, CRYPT_SHA256_LEN, hex);
	return 0;
}

int
crypt_hmac_hex(const char *key, const void *a, size_t alen, const void *b,
    size_t blen, char hex[65])
{
	EVP_MAC_CTX *ctx;

	if ((ctx = crypt_hmac_init(key)) == NULL)
		return -1;
	return crypt_hmac_final(ctx, EVP_MAC_update(ctx, a, alen) == 1 &&
	    (b == NULL || EVP_MAC_update(ctx, b, blen) == 1), hex);
}

int
crypt_hmac_fields_hex(const char *key, const char *purpose,
    const char *const *fields, size_t n, char hex[65])
{
	EVP_MAC_CTX *ctx;
	char head[32];
	size_t i, len;
	int ok;

	if ((ctx = crypt_hmac_init(key)) == NULL)
		return -1;
	ok = EVP_MAC_update(ctx, (const unsigned char *)purpose,
	    strlen(purpose)) == 1;
	for (i = 0; ok && i < n; i++) {
		len = fields[i] ? strlen(fields[i]) : 0;
		snprintf(head, sizeof(head), "|%zu:", len);
		ok = EVP_MAC_update(ctx, (const unsigned char *)head,
		    strlen(head)) == 1 && (len == 0 || EVP_MAC_update(ctx,
		    (const unsigned char *)fields[i], len) == 1);
	}
	return crypt_hmac_final(ctx, ok, hex);
}

int
crypt_sha256(const void *data, size_t len, unsigned char md[CRYPT_SHA256_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 ||
	    n != CRYPT_SHA256_LEN) {
		log_error("crypt: SHA-256 failed");
		return -1;
	}
	return 0;
}

int
crypt_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[CRYPT_SHA256_LEN];

	if (crypt_sha256(data, len, md) == -1)
		return -1;
	crypt_hex(md, CRYPT_SHA256_LEN, hex);
	return 0;
}

int
crypt_equal(const char *x, const char *y)
{
	size_t n;

	if (x == NULL || y == NULL)
		return 0;
	n = strlen(x);
	return strlen(y) == n && CRYPTO_memcmp(x, y, n) == 0;
}
