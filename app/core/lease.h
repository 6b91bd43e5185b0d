/* lease: short leases in the database (0011) in place of locks held across a WorkOS call. */
#ifndef ELEVA_LEASE_H
#define ELEVA_LEASE_H

struct ctx;

/* How long lease_wait sleeps between two tries. */
#define LEASE_STEP_MS	50

/*
 * Try once to take lease key for ms milliseconds, as this request (its
 * request id names the holder), in a transaction of its own committed at
 * once: no transaction may be open.  Returns 1 taken (or renewed), 0 held
 * by another request, -1 database.
 */
int	lease_try(struct ctx *, const char *key, int ms);

/* Sleep LEASE_STEP_MS: between two tries of a lease someone else holds. */
void	lease_pause(void);

/*
 * Take lease key for ms, waiting for its holder up to wait_ms.  Returns 1
 * taken, 0 still held when the wait ran out, -1 database.
 */
int	lease_wait(struct ctx *, const char *key, int ms, int wait_ms);

/* Release key if this request holds it (errors are logged only). */
void	lease_release(struct ctx *, const char *key);

#endif
