/* db: the worker's PostgreSQL connection, reconnecting by itself. */
#ifndef ELEVA_DB_H
#define ELEVA_DB_H

#include <stddef.h>

#include "core/audit.h"
#include "core/sql.h"

struct arena;
struct db;
struct pg_result;

/*
 * A request's identity: the user and organization are entered through
 * app.enter with the connection's MAC (db_set_identity_key), the rest set
 * as transaction-local settings (app.request_id, app.ip, app.user_agent)
 * that app.audit() reads.  NULL members are set to "" (read as NULL).
 */
struct db_ctx {
	const char	*user_id;	/* WorkOS user id */
	const char	*org_id;	/* organization uuid */
	const char	*request_id;
	const char	*ip;
	const char	*user_agent;
	const char	*lang;		/* the request's language code (app.lang) */
};

/*
 * A connection handle for url (not yet connected: the worker connects on
 * first use, so a database that is down does not stop the worker).
 * Returns NULL only when out of memory.
 */
struct db	*db_new(const char *url);
void		 db_free(struct db *);

/*
 * For a tool: drop the server's notices ("already exists, skipping")
 * instead of logging them, and do not log a failure to connect (the
 * tool reports db_error itself).
 */
void		 db_set_quiet(struct db *, int quiet);
/*
 * prepare 0 (DATABASE_PREPARE=0): every statement is sent with its text
 * as an unnamed one, never prepared by name, which a connection pooler in
 * transaction mode (PgBouncer before 1.21) cannot follow from one server
 * connection to the next.  1 (the default): prepared once a connection.
 */
void		 db_set_prepare(struct db *, int prepare);

/*
 * The key (len bytes of key: the first of ELEVA_IDENTITY_KEY) that signs
 * this connection's identities for the database (sql/0012_identity.sql),
 * copied; NULL forgets it.  A connection without one (the owner's tools)
 * enters nobody whatever user db_begin is given.  Returns 0, or -1 when
 * out of memory.
 */
int		 db_set_identity_key(struct db *, const char *key, size_t len);

/* Seconds a signed identity or call stays good: a request's lifetime. */
#define DB_IDENTITY_TTL		300
#define DB_SIGN_MAX_FIELDS	8

/*
 * Sign a call for the database: the expiry (now + DB_IDENTITY_TTL, Unix
 * seconds) into expires, and into mac the HMAC-SHA256 (hex) under the
 * identity key of purpose, the n fields and the expiry, as
 * app.mac_message builds them.  Returns 0, or -1 without a key (or with
 * more than DB_SIGN_MAX_FIELDS fields).
 */
int		 db_sign(const struct db *, const char *purpose,
		    const char *const *fields, size_t n, char expires[24],
		    char mac[65]);

/*
 * The same MAC without an expiry: the HMAC-SHA256 (hex) under the
 * identity key of purpose and the n fields, for a key that outlives
 * requests (a meeting's manage key, sql/0021_manage.sql).  Returns 0, or
 * -1 without a key (or with more than DB_SIGN_MAX_FIELDS fields).
 */
int		 db_mac(const struct db *, const char *purpose,
		    const char *const *fields, size_t n, char mac[65]);

/*
 * Make sure the connection is up: connect, or reset a broken one.
 * Returns 0, or -1 (logged once per outage) when PostgreSQL cannot be
 * reached.
 */
int		 db_ensure(struct db *);

/*
 * Check the server answers ("SELECT 1"); a connection found broken is
 * reset and asked once more.  Returns 0 when it answers, -1 otherwise.
 */
int		 db_ping(struct db *);

/*
 * Transactions.  A request's go through tx.h, which calls these; a unit
 * of work outside a request (provisioning, the tools) is db_transact.
 *
 * Open the transaction: BEGIN (READ ONLY when read_only) and
 * SQL_BEGIN_SETTINGS (app.enter and three set_config(..., true) calls),
 * pipelined into one round trip; a
 * connection found broken is re-opened first.  Never a session-level SET.
 * Returns 0, or -1 (logged; no transaction left open).
 */
int		 db_begin(struct db *, const struct db_ctx *, int read_only);

/* A statement of the table with its parameters, and its result. */
struct db_call {
	enum sql_id		 id;
	const char *const	*params;
	struct pg_result	*result;	/* db_begin_with: arena-owned */
};

/*
 * db_begin with calls run in the same round trip, after the settings, and
 * COMMIT after them when commit is set (a read-only request that needs
 * nothing more then leaves no transaction open).  Each call's result in
 * its result.  0, or -1 (logged; the failing call's SQLSTATE kept; no
 * transaction left open).
 */
int		 db_begin_with(struct db *, struct arena *, const struct db_ctx *,
		    int read_only, struct db_call *calls, size_t n, int commit);

/*
 * Run the statement id of the table (sql.h) with its text parameters
 * (as many as the table says) inside the transaction: prepared once per
 * connection under the statement's name, then executed by name, so
 * PostgreSQL plans it once (statements marked SQL_UNPREPARED are sent as
 * they are).  The result belongs to the arena (cleared at reset).
 * Returns NULL on error (logged): the SQLSTATE is kept (db_sqlstate) and
 * the transaction must be rolled back.  (Behind PgBouncer in
 * transaction mode this needs its prepared-statement support, 1.21 or
 * later.)
 */
struct pg_result *db_run(struct db *, struct arena *, enum sql_id,
		    const char *const *params);

/*
 * db_run inside a savepoint: when the statement fails (a unique or
 * exclusion constraint, a check...) the transaction is rolled back to
 * before it and stays usable, so the handler can still read and render
 * a form with the message.  db_sqlstate tells why.  Same results as
 * db_run.
 */
struct pg_result *db_run_guarded(struct db *, struct arena *, enum sql_id,
		    const char *const *params);

/*
 * A result's rows and columns, and the value at row, col: db_val as text ("" for
 * NULL), db_opt as text or NULL, db_bool true for 't', db_int as a
 * number (0 for NULL or text that is not one).  Strings belong to the
 * result (the request's arena).  Columns are the enums of sql.h.
 */
int		 db_rows(const struct pg_result *);
int		 db_cols(const struct pg_result *);
const char	*db_val(const struct pg_result *, int row, int col);
const char	*db_opt(const struct pg_result *, int row, int col);
int		 db_bool(const struct pg_result *, int row, int col);
long long	 db_int(const struct pg_result *, int row, int col);

/*
 * Run sql, which may hold many statements, through the simple query
 * protocol, outside any transaction db_begin opened (a migration file:
 * BEGIN and COMMIT are the caller's).  Not logged: returns 0, or -1 with
 * the server's message in db_error.
 */
int		 db_script(struct db *, const char *sql);

/* The first line of the last failure's message, "" when none. */
const char	*db_error(const struct db *);

/*
 * Prepare statement id (without running it) and tell how many
 * parameters and result columns PostgreSQL sees in it: for checking the
 * table against the schema (t/unit/sql_test).  Returns 0, or -1 (logged).
 */
int		 db_describe(struct db *, struct arena *, enum sql_id,
		    int *nparams, int *ncols);

/*
 * Ad-hoc SQL with text parameters, for the tests' fixtures only: the
 * program runs the statements of the table (db_run).  Same results and
 * errors as db_run.
 */
struct pg_result *db_query(struct db *, struct arena *, const char *sql,
		    int nparams, const char *const *params);

/*
 * Run statement id and hand its rows to fn(arg, row) one at a time as they
 * arrive (libpq's single-row mode), each freed once fn returns: memory
 * stays flat however many rows there are (an export).  fn reads row 0 of
 * its result and returns 0, or -1 to stop (the rest is read and dropped).
 * Returns the number of rows handed over, or -1 when the statement failed
 * (logged as db_run) or fn stopped.
 */
long long	 db_each(struct db *, enum sql_id, const char *const *params,
		    int (*fn)(void *arg, const struct pg_result *row),
		    void *arg);

/* Commit.  Returns 0, or -1 when the commit failed or the transaction had
 * already failed (it is then rolled back). */
int		 db_commit(struct db *);
/* Roll back the transaction, if one is open. */
void		 db_rollback(struct db *);
/* End of every request: roll back whatever a handler left open. */
void		 db_finish_request(struct db *);
/* SQLSTATE of the last failure ("40001"...), "" when none. */
const char	*db_sqlstate(const struct db *);

/*
 * Run fn(db, arg) in one transaction and commit; the whole unit is retried
 * (up to 3 times) on a serialization failure or deadlock.  fn returns 0,
 * or -1 to roll back.  Returns 0 once committed, else -1.
 */
int		 db_transact(struct db *, const struct db_ctx *, int read_only,
		    int (*fn)(struct db *, void *), void *arg);

/*
 * Statement id as a transaction of its own (READ ONLY when read_only),
 * nobody's identity entered: a tool's unit of work that is one statement.
 * Retried as db_transact.  Returns the result, or NULL when it failed
 * (db_error, db_sqlstate tell why; nothing stays open).
 */
struct pg_result *db_run_alone(struct db *, struct arena *, int read_only,
		    enum sql_id, const char *const *params);

/*
 * Record an audit row through app.audit(action (audit.h), resource type and id,
 * old/new values and metadata as JSON text or NULL), in a savepoint.  A
 * failure is logged loudly and marks the transaction: its statements go
 * on (the caller renders what it meant to), but db_commit rolls it back
 * and fails, so nothing changes unrecorded.  Returns 0, or -1 when the row
 * could not be written.
 */
int		 db_audit(struct db *, struct arena *, enum audit_action,
		    const char *resource_type, const char *resource_id,
		    const char *old_json, const char *new_json,
		    const char *metadata_json);

/* Non-zero when an audit row of the current transaction failed. */
int		 db_audit_failed(const struct db *);

/*
 * db_audit for an edit: nothing is recorded when old_json and new_json
 * (both made by the same serialiser, so equal values are equal texts) are
 * the same.  Returns 0 (also when skipped), or -1 as db_audit.
 */
int		 db_audit_change(struct db *, struct arena *, enum audit_action,
		    const char *resource_type, const char *resource_id,
		    const char *old_json, const char *new_json,
		    const char *metadata_json);

/*
 * Refuse to serve when row-level security would not bind this role:
 * connect once and check that the role is not a superuser, has no
 * BYPASSRLS, owns neither the database nor any schema, table or function
 * outside the system catalogs, and that every table of schema public
 * (but public.schema_migrations) has row-level security enabled and
 * forced.  Returns 0, or -1 with the reason in err.
 */
int		 db_check_role(const char *url, char *err, size_t errlen);

/*
 * Refuse to serve when the database does not take identities signed with
 * key (len bytes): open one transaction as a made-up user through
 * app.enter.  Returns 0, or -1 with the reason in err (the key not
 * installed: run eleva migrate with ELEVA_IDENTITY_KEY).
 */
int		 db_check_identity(const char *url, const char *key, size_t len,
		    char *err, size_t errlen);

#endif
