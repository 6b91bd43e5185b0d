/* rowcache: a worker's copy of a few query results for some seconds — what every visitor sees alike (the home page's experts). */
#ifndef ELEVA_ROWCACHE_H
#define ELEVA_ROWCACHE_H

#include <stddef.h>
#include <time.h>

struct pg_result;

/* At most this many results under one key. */
#define ROWCACHE_RESULTS	4

/* One result, copied: cells[row * cols + col], NULL where SQL said NULL. */
struct rowcache_result {
	int		  rows, cols;
	const char	**cells;
};

/* The results kept under a key. */
struct rowcache_rows {
	size_t			 n;
	struct rowcache_result	 res[ROWCACHE_RESULTS];
};

/*
 * The results kept under key when they were kept less than ttl seconds
 * before now; NULL otherwise.  Valid until the next rowcache_put.
 */
const struct rowcache_rows *rowcache_get(const char *key, time_t now,
		    int ttl);

/*
 * Keep a copy of the n results r under key (replacing what was kept under
 * it, or the oldest of the slots), stamped now.  Returns the copy, or
 * NULL when memory ran out (nothing kept then).
 */
const struct rowcache_rows *rowcache_put(const char *key, time_t now,
		    const struct pg_result *const *r, size_t n);

/* Forget everything (tests, and a worker's end). */
void		 rowcache_clear(void);

#endif
