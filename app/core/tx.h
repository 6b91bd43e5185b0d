/* tx: the request's transaction — one API for the dispatcher and the handlers. */
#ifndef ELEVA_TX_H
#define ELEVA_TX_H

#include "core/audit.h"
#include "core/sql.h"

struct ctx;
struct db_call;
struct db_ctx;
struct pg_result;

/*
 * What a page will read, known before the user is loaded: up to max
 * statements with their parameters (arena-owned) into calls, from the
 * session (c->session, never NULL here) alone.  The dispatcher runs them
 * in the round trip that opens the request's transaction (tx_begin_with,
 * core/auth.c), and the page takes their results with tx_fetch.  Returns
 * how many; a guess that turns out wrong only costs a round trip.
 */
typedef size_t (*tx_prefetch_fn)(struct ctx *, struct db_call *calls,
	    size_t max);
#define TX_PREFETCH_MAX	4

/*
 * The request's context for a transaction (db.h): its id, the client's
 * address and browser; no user or organization.
 */
void	tx_context(const struct ctx *, struct db_ctx *);

/*
 * Open the request's transaction (read only when read_only) as WorkOS
 * user uid in organization org — both NULL for a request nobody signed in
 * to — with the request's id, IP and user agent as its context
 * (transaction-local settings the policies and app.audit read).  At most
 * one is open at a time.  Returns 0, or -1 when the database cannot be
 * reached (logged).
 */
int	tx_begin(struct ctx *, const char *uid, const char *org,
	    int read_only);

/*
 * tx_begin with calls run in the same round trip (db_begin_with), and
 * COMMIT too when commit is set: then no transaction stays open.  The
 * calls are kept for tx_fetch.  0, or -1 (logged; nothing left open).
 */
int	tx_begin_with(struct ctx *, const char *uid, const char *org,
	    int read_only, struct db_call *calls, size_t n, int commit);

/*
 * The result of statement id with params: the one run with the request's
 * first round trip when it was (the same statement, the same values),
 * else run now, in the request's transaction (a read-only one as the
 * signed-in user opened when none is).  NULL on a database error.
 */
const struct pg_result *tx_fetch(struct ctx *, enum sql_id,
	    const char *const *params);

/* Non-zero while the request's transaction is open. */
int	tx_open(const struct ctx *);

/*
 * End it before the handler returns, for a handler that must talk to
 * WorkOS between two transactions or act only once its writes are
 * committed: tx_commit returns 0, or -1 when the commit failed (the
 * writes are gone); tx_rollback drops it.  Either way tx_begin may open
 * the next one.  Both do nothing without an open transaction.
 */
int	tx_commit(struct ctx *);
void	tx_rollback(struct ctx *);

/*
 * The dispatcher's end of the request: commit what is open when the
 * answer is a success (status below 400), roll it back otherwise.
 * Returns status, or 503 when the commit failed.
 */
int	tx_end(struct ctx *, int status);

/*
 * Run statement id (one row) in a write transaction of its own as nobody,
 * committed at once, for the short records that must outlive the request's
 * own transaction (leases, rate counters).  No transaction may be open.
 * Returns the result (arena-owned), or NULL when the database failed or
 * did not answer one row (rolled back, logged).
 */
const struct pg_result *tx_once(struct ctx *, enum sql_id,
	    const char *const *params);

/*
 * Record one audit row about a user (resource type "user", id
 * resource_id) in a write transaction of its own as user uid in
 * organization org (both NULL: a visitor), committed at once: the events
 * of signing in, which happen outside any page's transaction.  No
 * transaction may be open.  Returns 0, or -1 (rolled back, logged).
 */
int	tx_audit(struct ctx *, const char *uid, const char *org,
	    enum audit_action, const char *resource_id,
	    const char *metadata_json);

#endif
