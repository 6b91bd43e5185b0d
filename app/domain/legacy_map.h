/* legacy_map: the migration's mapping file, Clerk user -> WorkOS user and organization, safe to append to and to resume from. */
#ifndef ELEVA_LEGACY_MAP_H
#define ELEVA_LEGACY_MAP_H

#include <stddef.h>
#include <stdio.h>

struct arena;

struct legacy_entry {
	const char	*clerk_id;		/* "clerkUserId" */
	const char	*workos_user_id;	/* "workosUserId" */
	const char	*workos_org_id;		/* "organizationId" */
	const char	*email;			/* "email" */
};

/*
 * The file is a JSON array with one object per line:
 *
 *	[
 *	{"clerkUserId":"user_2a...","workosUserId":"user_01...","organizationId":"org_01...","email":"a@b.c"},
 *	...
 *	]
 *
 * Each entry is appended (and synced) once its user is imported
 * completely, so after a kill the file holds every finished user and at
 * most one torn last line, which legacy_map_load drops.
 */
struct legacy_map {
	struct arena		*arena;		/* the entries' */
	struct legacy_entry	*e;
	size_t			 n, cap;
	size_t			*by_clerk;	/* hash slots: index + 1, 0 empty */
	size_t			*by_email;
	size_t			 nslots;
	FILE			*f;		/* open for appending, or NULL */
};

/*
 * Read path (a missing file is an empty map) into m, its strings in a.
 * A line that is not an entry is an error (err), but a torn last line
 * is dropped; two entries for one Clerk user or one e-mail address (in
 * any case) are an error.  *torn is set when a line was dropped.
 * Returns 0, or -1.
 */
int	legacy_map_load(struct legacy_map *m, struct arena *a,
	    const char *path, int *torn, char *err, size_t errlen);

/*
 * Rewrite path from m (a temporary file renamed over it: a clean file
 * after a torn one) and keep it open for appending.  Returns 0, or -1
 * (errno).
 */
int	legacy_map_open(struct legacy_map *m, const char *path);

/* Append e to m and to the open file, synced.  Returns 0, or -1 (errno). */
int	legacy_map_append(struct legacy_map *m, const struct legacy_entry *e);

/*
 * Add e to m in memory only (a dry run: later rows see it as imported,
 * nothing is written).  Returns 0, or -1 when out of memory.
 */
int	legacy_map_remember(struct legacy_map *m, const struct legacy_entry *e);

/* The entry of Clerk user id, or of e-mail address email (any case), or NULL. */
const struct legacy_entry *legacy_map_by_clerk(const struct legacy_map *m,
	    const char *id);
const struct legacy_entry *legacy_map_by_email(const struct legacy_map *m,
	    const char *email);

void	legacy_map_close(struct legacy_map *m);

#endif
