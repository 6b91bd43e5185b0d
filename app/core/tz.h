/* tz: the IANA time zone names PostgreSQL knows, loaded once per worker. */
#ifndef ELEVA_TZ_H
#define ELEVA_TZ_H

#include <stddef.h>

struct db;
struct arena;

/* Sorted names, malloc'd; owned by the worker (struct app). */
struct tz_list {
	char	**names;
	size_t	  n;
};

/*
 * The list, read from pg_timezone_names on first use (inside the caller's
 * transaction; "posix/" and "right/" duplicates left out) and kept in
 * *cache.  Returns NULL when the database cannot answer.
 */
const struct tz_list *tz_names(struct tz_list **cache, struct db *,
	    struct arena *);

/* Non-zero when name is in the list (exact, case-sensitive). */
int	tz_known(const struct tz_list *, const char *name);

void	tz_free(struct tz_list *);

#endif
