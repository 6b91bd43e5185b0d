/* replica: pick the read replica for a public page while its lag, measured against the primary's WAL position, stays within the bound. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "core/db.h"
#include "core/replica.h"
#include "core/sql.h"

/* A replica that failed is asked again after this long (seconds). */
#define REPLICA_RETRY	1.0

struct replica {
	struct db	*db;
	struct arena	 arena;		/* the checks' results */
	double		 max_lag;	/* seconds */
	double		 next_check;	/* monotonic seconds */
	int		 fresh;		/* the last check's verdict */
	int		 logged;	/* the verdict last logged: 1 fresh, 0 not */
	uint64_t	 prev_lsn;	/* the primary's at the check before */
	double		 prev_at;
};

/* "16/B374D848" into a number; 0 when it is not a WAL position. */
static uint64_t
replica_lsn(const char *s)
{
	unsigned int hi, lo;
	char end;

	if (s == NULL || sscanf(s, "%X/%X%c", &hi, &lo, &end) != 2)
		return 0;
	return (uint64_t)hi << 32 | lo;
}

struct replica *
replica_new(const char *url, const char *identity_key, size_t key_len,
    int max_lag_ms, int prepare)
{
	struct replica *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if (arena_init(&r->arena) == -1 || (r->db = db_new(url)) == NULL ||
	    db_set_identity_key(r->db, identity_key, key_len) == -1) {
		replica_free(r);
		return NULL;
	}
	db_set_prepare(r->db, prepare);
	r->max_lag = max_lag_ms / 1000.0;
	r->logged = -1;
	return r;
}

void
replica_free(struct replica *r)
{
	if (r == NULL)
		return;
	db_free(r->db);
	arena_free(&r->arena);
	free(r);
}

/* Ask both servers; 1 fresh, 0 not (lagging, down, not a standby). */
static int
replica_check(struct replica *r, struct db *primary, double now,
    const char **why)
{
	const struct pg_result *p, *s;
	uint64_t plsn, rlsn;
	int fresh;

	arena_reset(&r->arena);
	if (db_ensure(primary) == -1 || (p = db_run(primary, &r->arena,
	    SQL_WAL_POSITION, NULL)) == NULL || db_rows(p) != 1 ||
	    (plsn = replica_lsn(db_val(p, 0, 0))) == 0) {
		*why = "the primary's WAL position is unknown";
		return 0;
	}
	if (db_ensure(r->db) == -1 || (s = db_run(r->db, &r->arena,
	    SQL_REPLAY_POSITION, NULL)) == NULL || db_rows(s) != 1) {
		*why = "the replica does not answer";
		return 0;
	}
	if (!db_bool(s, 0, 0)) {
		*why = "the replica is not in recovery (promoted?)";
		return 0;
	}
	rlsn = replica_lsn(db_opt(s, 0, 1));
	/* All of the primary's WAL replayed, or all it had at the check
	   before, no longer ago than the bound. */
	fresh = rlsn >= plsn || (r->prev_lsn != 0 && rlsn >= r->prev_lsn &&
	    now - r->prev_at <= r->max_lag);
	if (!fresh)
		*why = "the replica lags past ELEVA_REPLICA_MAX_LAG_MS";
	r->prev_lsn = plsn;
	r->prev_at = now;
	return fresh;
}

struct db *
replica_pick(struct replica *r, struct db *primary)
{
	const char *why = "";
	double now;

	if (r == NULL)
		return NULL;
	now = clock_now();
	if (now >= r->next_check) {
		r->fresh = replica_check(r, primary, now, &why);
		r->next_check = now + (r->fresh ? r->max_lag / 2 :
		    (r->max_lag / 2 < REPLICA_RETRY ? r->max_lag / 2 :
		    REPLICA_RETRY));
		if (r->fresh != r->logged) {
			if (r->fresh)
				log_info("replica: fresh: public pages read "
				    "from it");
			else
				log_warn("replica: %s: public pages read from "
				    "the primary", why);
			r->logged = r->fresh;
		}
	}
	return r->fresh ? r->db : NULL;
}

void
replica_finish_request(struct replica *r)
{
	db_finish_request(r->db);
}

void
replica_failed(struct replica *r)
{
	if (r == NULL)
		return;
	r->fresh = 0;
	r->next_check = clock_now() + REPLICA_RETRY;
	if (r->logged != 0)
		log_warn("replica: a request failed there: public pages read "
		    "from the primary");
	r->logged = 0;
}
