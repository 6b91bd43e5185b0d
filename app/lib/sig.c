/* sig: webhook signatures — hex HMAC-SHA256 of "<timestamp>.<body>" under a shared secret, the timestamp within a replay window. */
#include <string.h>

#include "lib/arena.h"
#include "lib/crypt.h"
#include "lib/sig.h"

/* Seconds or milliseconds: 13 digits is the year 2001 in milliseconds. */
#define SIG_MS_DIGITS	13
/* More digits than a time has. */
#define SIG_MAX_DIGITS	16

int
sig_parse(struct arena *a, const char *header, struct sig_header *h)
{
	const char *p = header, *end, *eq, *k, *v;
	size_t klen, vlen;

	memset(h, 0, sizeof(*h));
	if (header == NULL)
		return -1;
	while (*p != '\0') {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		/* One part, trimmed. */
		k = p;
		while (k < end && (*k == ' ' || *k == '\t'))
			k++;
		vlen = (size_t)(end - k);
		while (vlen > 0 && (k[vlen - 1] == ' ' || k[vlen - 1] == '\t'))
			vlen--;
		if ((eq = memchr(k, '=', vlen)) != NULL) {
			klen = (size_t)(eq - k);
			v = eq + 1;
			vlen -= klen + 1;
			if (klen == 1 && *k == 't' && h->ts == NULL)
				h->ts = arena_strndup(a, v, vlen);
			else if (klen == 2 && k[0] == 'v' && k[1] == '1') {
				if (h->n == SIG_MAX)
					return -1;
				h->v1[h->n++] = arena_strndup(a, v, vlen);
			}
		}
		p = *end == ',' ? end + 1 : end;
	}
	return h->ts != NULL && h->n > 0 ? 0 : -1;
}

const char *
sig_check(struct arena *a, const char *secret, const char *ts,
    const char *mid, const char *hex, const char *body, size_t len,
    long long now, int window)
{
	char want[65];
	const char *prefix, *d;
	long long t = 0;
	size_t digits = 0;

	if (ts == NULL || hex == NULL)
		return "no signature or timestamp";
	for (d = ts; *d >= '0' && *d <= '9' && digits < SIG_MAX_DIGITS; d++)
		t = t * 10 + (*d - '0'), digits++;
	if (digits == 0 || *d != '\0' || t <= 0)
		return "malformed timestamp";
	if (digits >= SIG_MS_DIGITS)
		t /= 1000;
	if (t < now - window || t > now + window)
		return "timestamp outside the replay window";
	prefix = mid != NULL ? arena_printf(a, "%s.%s.", ts, mid) :
	    arena_printf(a, "%s.", ts);
	if (crypt_hmac_hex(secret, prefix, strlen(prefix), body, len,
	    want) == -1)
		return "cannot compute the signature";
	if (!crypt_equal(want, hex))
		return "signature mismatch";
	return NULL;
}

const char *
sig_check_header(struct arena *a, const char *secret,
    const struct sig_header *h, const char *body, size_t len, long long now,
    int window)
{
	const char *why = "no signature";
	size_t i;

	for (i = 0; i < h->n; i++)
		if ((why = sig_check(a, secret, h->ts, NULL, h->v1[i], body,
		    len, now, window)) == NULL)
			return NULL;
	return why;
}
