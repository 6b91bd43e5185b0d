/* tap: a minimal TAP producer for the C unit tests. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int tap_n, tap_failed;

static int
tap_vok(int cond, const char *fmt, va_list ap)
{
	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	vprintf(fmt, ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

int
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vok(cond, fmt, ap);
	va_end(ap);
	return cond;
}

void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int
tap_is_int(long got, long want, const char *name)
{
	if (!tap_ok(got == want, "%s", name))
		tap_diag("  got %ld, want %ld", got, want);
	return got == want;
}

int
tap_is_str(const char *got, const char *want, const char *name)
{
	int cond;

	if (got == NULL || want == NULL)
		cond = got == want;
	else
		cond = strcmp(got, want) == 0;
	if (!tap_ok(cond, "%s", name))
		tap_diag("  got \"%s\", want \"%s\"", got ? got : "(null)",
		    want ? want : "(null)");
	return cond;
}

int
tap_is_mem(const char *got, size_t gotlen, const char *want, size_t wantlen,
    const char *name)
{
	int cond = gotlen == wantlen && (gotlen == 0 ||
	    memcmp(got, want, gotlen) == 0);

	if (!tap_ok(cond, "%s", name))
		tap_diag("  got %zu bytes, want %zu bytes", gotlen, wantlen);
	return cond;
}

int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}
