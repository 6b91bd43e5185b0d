/* tap: a minimal TAP producer for the C unit tests. */
#ifndef ELEVA_TAP_H
#define ELEVA_TAP_H

#include <stddef.h>

/* Each returns its condition so a test can stop early on failure. */
int	tap_ok(int cond, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	tap_is_int(long got, long want, const char *name);
int	tap_is_str(const char *got, const char *want, const char *name);
int	tap_is_mem(const char *got, size_t gotlen, const char *want,
	    size_t wantlen, const char *name);
void	tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Call fn for each file under dir (recursively, dot files skipped) whose
 * name ends in one of the suffixes (NULL-terminated), with its path, its
 * path relative to dir ("core/db.c") and its text (NUL-terminated, the
 * first 4 MiB, fn may modify it).  Returns how many files were read, or
 * -1 when dir cannot be opened.
 */
int	tap_walk(const char *dir, const char *const *suffixes,
	    void (*fn)(const char *path, const char *rel, char *text,
	    void *arg), void *arg);
/* Print the plan ("1..N") and return the exit status: 0 when all passed. */
int	tap_done(void);

#define ok(...)		tap_ok(__VA_ARGS__)
#define is_int(g, w, n)	tap_is_int((g), (w), (n))
#define is_str(g, w, n)	tap_is_str((g), (w), (n))

#endif
