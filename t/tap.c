/* tap: a minimal TAP producer for the C unit tests, and a source-tree walker for the tests that read the tree. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

#define TAP_MAX_FILE	(4 << 20)

static int
tap_suffixed(const char *name, const char *const *suffixes)
{
	size_t n = strlen(name), k;

	for (; *suffixes != NULL; suffixes++)
		if (n > (k = strlen(*suffixes)) &&
		    strcmp(name + n - k, *suffixes) == 0)
			return 1;
	return 0;
}

static int
tap_walk_at(const char *dir, const char *prefix, const char *const *suffixes,
    void (*fn)(const char *, const char *, char *, void *), void *arg,
    char *buf)
{
	char path[1024], rel[512];
	struct dirent *de;
	size_t len;
	int n = 0, sub;
	FILE *f;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(rel, sizeof(rel), "%s%s", prefix, de->d_name);
		if (de->d_type == DT_DIR) {
			char next[sizeof(rel) + 2];

			snprintf(next, sizeof(next), "%s/", rel);
			if ((sub = tap_walk_at(path, next, suffixes, fn, arg,
			    buf)) > 0)
				n += sub;
			continue;
		}
		if (!tap_suffixed(de->d_name, suffixes) ||
		    (f = fopen(path, "r")) == NULL)
			continue;
		len = fread(buf, 1, TAP_MAX_FILE - 1, f);
		buf[len] = '\0';
		fclose(f);
		fn(path, rel, buf, arg);
		n++;
	}
	closedir(d);
	return n;
}

int
tap_walk(const char *dir, const char *const *suffixes,
    void (*fn)(const char *, const char *, char *, void *), void *arg)
{
	char *buf = malloc(TAP_MAX_FILE);
	int n;

	if (buf == NULL)
		return -1;
	n = tap_walk_at(dir, "", suffixes, fn, arg, buf);
	free(buf);
	return n;
}
