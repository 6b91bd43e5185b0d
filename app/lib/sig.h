/* sig: webhook signatures — hex HMAC-SHA256 of "<timestamp>.<body>" under a shared secret, the timestamp within a replay window. */
#ifndef ELEVA_SIG_H
#define ELEVA_SIG_H

#include <stddef.h>

struct arena;

/* Signatures one header may carry (a sender rotating its secret). */
#define SIG_MAX		4

/* A signature header's parts (sig_parse). */
struct sig_header {
	const char	*ts;		/* "t=" */
	const char	*v1[SIG_MAX];	/* each "v1=" */
	size_t		 n;
};

/*
 * Parse a header of comma-separated key=value parts ("t=1700000000123,
 * v1=<hex>", white space allowed around each part) into h, in arena a.
 * Parts of other keys are skipped; more than SIG_MAX v1 parts are refused.
 * Returns 0, or -1 when there is no t or no v1.
 */
int		 sig_parse(struct arena *a, const char *header,
		    struct sig_header *h);

/*
 * Check that hex is the HMAC-SHA256 under secret of ts "." body[0..len)
 * (ts "." mid "." body when mid is not NULL: a delivery id signed with
 * the body), with ts a decimal time within window seconds of now: Unix
 * seconds, or milliseconds when it has 13 digits or more (WorkOS sends
 * milliseconds, its emulator seconds).  NULL when genuine, else why not,
 * for the log.
 */
const char	*sig_check(struct arena *a, const char *secret, const char *ts,
		    const char *mid, const char *hex, const char *body,
		    size_t len, long long now, int window);

/* sig_check for each v1 of h: NULL when one is genuine, else why not. */
const char	*sig_check_header(struct arena *a, const char *secret,
		    const struct sig_header *h, const char *body, size_t len,
		    long long now, int window);

#endif
