/* rate: limits on attempts per key, counted in the database (sql/0013_rate_limits.sql). */
#ifndef ELEVA_RATE_H
#define ELEVA_RATE_H

struct ctx;

/*
 * Count one attempt under key against limit per window_s seconds, in a
 * transaction of its own committed at once (no transaction may be open),
 * so the count holds across workers, pools and hosts.  limit 0: no limit
 * (nothing counted).  Returns 0 within the limit, the seconds until the
 * window ends when over it, or -1 when the database failed (logged).
 */
int	rate_take(struct ctx *, const char *key, int limit, int window_s);

#endif
