/* replica: a worker's connection to the read replica, used for public pages while it is fresh, the primary otherwise. */
#ifndef ELEVA_REPLICA_H
#define ELEVA_REPLICA_H

struct db;
struct replica;

/*
 * A replica at url (DATABASE_REPLICA_URL), whose reads may be at most
 * about max_lag_ms behind the primary's.  NULL when out of memory.
 */
struct replica	*replica_new(const char *url, const char *identity_key,
		    size_t key_len, int max_lag_ms, int prepare);
void		 replica_free(struct replica *);

/*
 * The replica's connection when it is up and fresh, else NULL (read from
 * primary).  Fresh: at the last check, at most every max_lag_ms / 2, it
 * had replayed all the WAL the primary had written at the check before,
 * no more than max_lag_ms earlier (or all of the primary's, now).  So a
 * read there misses at most about 1.5 x max_lag_ms of writes.  Each
 * check asks both servers one short query, outside any transaction.
 */
struct db	*replica_pick(struct replica *, struct db *primary);

/* After each request: a transaction left open there is rolled back. */
void		 replica_finish_request(struct replica *);

/* The replica failed a request: not used until the next check says so. */
void		 replica_failed(struct replica *);

#endif
