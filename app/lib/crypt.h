/* crypt: AES-256-GCM sealing with a key ring (cookies), and key generation. */
#ifndef ELEVA_CRYPT_H
#define ELEVA_CRYPT_H

#include <stddef.h>

struct arena;
struct crypt_ring;

/* Largest sealed token crypt_open() looks at (a cookie is at most 4 KB). */
#define CRYPT_MAX_TOKEN	4096

/*
 * Parse SESSION_KEYS: comma-separated standard base64 keys of 32 bytes,
 * newest first (at most 8).  The newest seals; any opens.  Returns a ring,
 * or NULL with the reason in err (the keys themselves are never quoted).
 */
struct crypt_ring *crypt_ring_parse(const char *spec, char *err, size_t errlen);
/* Wipe and free. */
void		 crypt_ring_free(struct crypt_ring *);

/*
 * Seal plaintext with the newest key: AES-256-GCM, a fresh random 96-bit
 * nonce, aad (e.g. the cookie name) authenticated but not stored.  The
 * token is base64url(version | key id | nonce | ciphertext | tag),
 * arena-owned.  Returns NULL (logged) when the token would be longer than
 * CRYPT_MAX_TOKEN (over 3039 bytes of plaintext: crypt_open() would refuse
 * it), or if the RNG or cipher fails.
 */
char		*crypt_seal(const struct crypt_ring *, struct arena *,
		    const char *aad, const void *plaintext, size_t len);

/*
 * Open a token sealed with any key of the ring under the same aad.
 * Returns 0 with the NUL-terminated plaintext (arena-owned) in *out and
 * its length in *outlen; -1 for anything else: empty, oversized, not
 * base64url, truncated, unknown key, altered, other aad.
 */
int		 crypt_open(const struct crypt_ring *, struct arena *,
		    const char *aad, const char *token, char **out,
		    size_t *outlen);

#define CRYPT_SHA256_LEN	32

/*
 * SHA-256 of len bytes: the digest into md, or as 64 lower-case hex
 * digits and a NUL into hex.  Return 0, or -1 (logged) if the digest
 * cannot be computed.  The program's only SHA-256.
 */
int		 crypt_sha256(const void *data, size_t len,
		    unsigned char md[CRYPT_SHA256_LEN]);
int		 crypt_sha256_hex(const void *data, size_t len, char hex[65]);

/*
 * HMAC-SHA256 of the two parts a then b (b may be NULL) under key, as 64
 * lower-case hex digits and a NUL in hex.  Returns 0, or -1 (logged).
 */
int		 crypt_hmac_hex(const char *key, const void *a, size_t alen,
		    const void *b, size_t blen, char hex[65]);

/*
 * HMAC-SHA256 under key of purpose followed by each of the n fields as
 * "|<bytes>:<field>" (NULL as empty), so no field runs into the next: what
 * sql/0012_identity.sql's app.mac_message builds.  Hex as crypt_hmac_hex.
 */
int		 crypt_hmac_fields_hex(const char *key, const char *purpose,
		    const char *const *fields, size_t n, char hex[65]);

/*
 * Non-zero when the strings are equal, in time independent of their
 * bytes (tokens, signatures); 0 when either is NULL.  The only such
 * comparison in the program.
 */
int		 crypt_equal(const char *x, const char *y);

/* Write a new random key as standard base64 (44 chars + NUL) into buf. */
int		 crypt_keygen(char *buf, size_t buflen);

#endif
