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

/*
 * Each alphabet's decoding table: a character's six bits, or 0xff.  Built
 * from the encoding alphabets on first use (a worker decodes every cookie
 * it is sent: a table lookup per character, not a chain of ranges).
 */
static unsigned char b64url_table[256], b64_table[256];

static const unsigned char *
b64_table_for(int std)
{
	unsigned char *t = std ? b64_table : b64url_table;
	const char *alpha = std ? b64_alpha : b64url_alpha;
	int i;

	if (t['A'] == 0 && t['B'] == 0) {	/* 'A' is 0: 'B' tells it is built */
		memset(t, 0xff, 256);
		for (i = 0; i < 64; i++)
			t[(unsigned char)alpha[i]] = (unsigned char)i;
	}
	return t;
}

int
b64_decode(struct arena *a, const char *s, size_t len, int std,
    unsigned char **out, size_t *outlen)
{
	const unsigned char *t = b64_table_for(std), *p = (const unsigned char *)s;
	unsigned char *buf, *o;
	unsigned v, bad;
	size_t i, rest;

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
	/* Four characters to three bytes; 0xff in any of them sets bit 7+. */
	for (i = 0; i + 4 <= len; i += 4) {
		/* Locals: the stores below could alias the table. */
		unsigned c0 = t[p[i]], c1 = t[p[i + 1]], c2 = t[p[i + 2]],
		    c3 = t[p[i + 3]];

		if ((c0 | c1 | c2 | c3) & 0xc0)
			return -1;
		v = c0 << 18 | c1 << 12 | c2 << 6 | c3;
		*o++ = (unsigned char)(v >> 16);
		*o++ = (unsigned char)(v >> 8);
		*o++ = (unsigned char)v;
	}
	/*
	 * Two or three characters left: one or two bytes, and the bits left
	 * over must be zero (one encoding per byte string).
	 */
	if ((rest = len - i) > 0) {
		bad = (unsigned)t[p[i]] | t[p[i + 1]] |
		    (rest == 3 ? t[p[i + 2]] : 0);
		if (bad & 0xc0)
			return -1;
		v = (unsigned)t[p[i]] << 18 | (unsigned)t[p[i + 1]] << 12 |
		    (rest == 3 ? (unsigned)t[p[i + 2]] << 6 : 0);
		if ((v & (rest == 3 ? 0xffu : 0xffffu)) != 0)
			return -1;
		*o++ = (unsigned char)(v >> 16);
		if (rest == 3)
			*o++ = (unsigned char)(v >> 8);
	}
	*o = '\0';
	*out = buf;
	*outlen = (size_t)(o - buf);
	return 0;
}
