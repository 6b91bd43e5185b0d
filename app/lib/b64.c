/* b64: base64url and standard base64 encoding; decoding strict about the alphabet and padding. */
#include <string.h>

#include "lib/arena.h"
#include "lib/b64.h"

static const char b64url_alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b64_alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* len bytes in the alphabet given, padded with '=' when pad is set. */
static char *
b64_encode_alpha(struct arena *a, const void *data, size_t len,
    const char *alpha, int pad)
{
	const unsigned char *p = data;
	char *out = arena_alloc(a, (len + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 |
		    p[i + 2];

		*o++ = alpha[v >> 18];
		*o++ = alpha[(v >> 12) & 63];
		*o++ = alpha[(v >> 6) & 63];
		*o++ = alpha[v & 63];
	}
	if (len - i == 1) {
		unsigned v = (unsigned)p[i] << 16;

		*o++ = alpha[v >> 18];
		*o++ = alpha[(v >> 12) & 63];
		if (pad)
			*o++ = '=', *o++ = '=';
	} else if (len - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;

		*o++ = alpha[v >> 18];
		*o++ = alpha[(v >> 12) & 63];
		*o++ = alpha[(v >> 6) & 63];
		if (pad)
			*o++ = '=';
	}
	*o = '\0';
	return out;
}

char *
b64url_encode(struct arena *a, const void *data, size_t len)
{
	return b64_encode_alpha(a, data, len, b64url_alpha, 0);
}

char *
b64_encode(struct arena *a, const void *data, size_t len)
{
	return b64_encode_alpha(a, data, len, b64_alpha, 1);
}

static int
b64_value(unsigned char c, int std)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (std ? '+' : '-'))
		return 62;
	if (c == (std ? '/' : '_'))
		return 63;
	return -1;
}

int
b64_decode(struct arena *a, const char *s, size_t len, int std,
    unsigned char **out, size_t *outlen)
{
	unsigned char *buf, *o;
	unsigned v = 0;
	size_t i, bits = 0;
	int d;

	/* Padding, if any, only at the end and only to a multiple of 4. */
	if (len > 0 && s[len - 1] == '=') {
		if (len % 4 != 0)
			return -1;
		len--;
		if (len > 0 && s[len - 1] == '=')
			len--;
	}
	if (len % 4 == 1)
		return -1;
	buf = o = arena_alloc(a, len / 4 * 3 + 3);
	for (i = 0; i < len; i++) {
		if ((d = b64_value((unsigned char)s[i], std)) < 0)
			return -1;
		v = (v << 6 | (unsigned)d) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*o++ = (unsigned char)(v >> bits);
		}
	}
	/* Leftover bits must be zero: one encoding per byte string. */
	if (bits > 0 && (v & ((1u << bits) - 1)) != 0)
		return -1;
	*o = '\0';
	*out = buf;
	*outlen = (size_t)(o - buf);
	return 0;
}
