/* b64: base64url without padding (cookies, JWT) and standard base64 (keys). */
#ifndef ELEVA_B64_H
#define ELEVA_B64_H

#include <stddef.h>

struct arena;

/* Encode len bytes as base64url without padding, NUL-terminated, arena-owned. */
char	*b64url_encode(struct arena *, const void *, size_t len);
/* Encode len bytes as standard base64 ('+', '/', '=' padding), NUL-terminated, arena-owned. */
char	*b64_encode(struct arena *, const void *, size_t len);

/*
 * Decode base64url (padding optional) or, when std is set, standard base64
 * ('+' and '/', padding optional) into a NUL-terminated arena buffer.
 * Returns 0 with *out and *outlen, or -1 for any character outside the
 * alphabet, a bad length, or non-zero trailing bits.
 */
int	 b64_decode(struct arena *, const char *s, size_t len, int std,
	    unsigned char **out, size_t *outlen);

#endif
