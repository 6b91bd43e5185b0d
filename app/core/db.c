/* db: one libpq connection per worker with reconnect on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "lib/arena.h"
#include "lib/crypt.h"
#include "lib/log.h"
#include "core/db.h"

struct db {
	char		*url;
	PGconn		*conn;
	int		 down;		/* an outage was logged */
	char		 sqlstate[6];	/* of the last failure */
	char		 error[256];	/* its message's first line */
	int		 quiet;		/* a tool's: notices dropped */
	char		*identity_key;	/* signs identities, or NULL */
	int		 audit_failed;	/* in this transaction: no commit */
	int		 no_prepare;	/* DATABASE_PREPARE=0: unnamed statements */
	unsigned char	 prepared[SQL__N]; /* on the current connection */
};

static int	db_prepare(struct db *, enum sql_id);

/* Keep the failure's SQLSTATE and message; log them unless what is NULL. */
static void
db_keep_error(struct db *db, const PGresult *res, const char *what)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = db->conn ? PQerrorMessage(db->conn) : "no connection";

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", st ? st : "");
	snprintf(db->error, sizeof(db->error), "%.*s", (int)strcspn(msg, "\n"),
	    msg);
	if (what != NULL)
		log_error("db: %s failed: %s%s%s", what, db->sqlstate,
		    db->sqlstate[0] ? " " : "", db->error);
}

struct db *
db_new(const char *url)
{
	struct db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->url = strdup(url)) == NULL) {
		free(db);
		return NULL;
	}
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->url);
	if (db->identity_key != NULL) {
		explicit_bzero(db->identity_key, strlen(db->identity_key));
		free(db->identity_key);
	}
	free(db);
}

int
db_set_identity_key(struct db *db, const char *key, size_t len)
{
	char *k = NULL;

	if (key != NULL && (k = strndup(key, len)) == NULL)
		return -1;
	if (db->identity_key != NULL) {
		explicit_bzero(db->identity_key, strlen(db->identity_key));
		free(db->identity_key);
	}
	db->identity_key = k;
	return 0;
}

int
db_mac(const struct db *db, const char *purpose, const char *const *fields,
    size_t n, char mac[65])
{
	if (db->identity_key == NULL || n > DB_SIGN_MAX_FIELDS)
		return -1;
	return crypt_hmac_fields_hex(db->identity_key, purpose, fields, n, mac);
}

int
db_sign(const struct db *db, const char *purpose, const char *const *fields,
    size_t n, char expires[24], char mac[65])
{
	const char *all[DB_SIGN_MAX_FIELDS + 1];
	size_t i;

	if (db->identity_key == NULL || n > DB_SIGN_MAX_FIELDS)
		return -1;
	snprintf(expires, 24, "%lld", (long long)time(NULL) + DB_IDENTITY_TTL);
	for (i = 0; i < n; i++)
		all[i] = fields[i];
	all[n] = expires;
	return crypt_hmac_fields_hex(db->identity_key, purpose, all, n + 1,
	    mac);
}

static void
db_notice(void *arg, const char *msg)
{
	const struct db *db = arg;

	if (!db->quiet)
		log_info("postgres: %.*s", (int)strcspn(msg, "\n"), msg);
}

void
db_set_prepare(struct db *db, int prepare)
{
	db->no_prepare = !prepare;
}

void
db_set_quiet(struct db *db, int quiet)
{
	db->quiet = quiet;
}

/* Every connection the app opens: connect_timeout unless the URL sets one. */
static PGconn *
db_connect_url(const char *url)
{
	static const char *const keys[] = {
		"connect_timeout", "application_name", "dbname", NULL
	};
	const char *vals[] = { "3", "eleva", url, NULL };

	return PQconnectdbParams(keys, vals, 1);
}

int
db_ensure(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->conn == NULL) {
		db->conn = db_connect_url(db->url);
		if (db->conn != NULL)
			PQsetNoticeProcessor(db->conn, db_notice, db);
	} else
		PQreset(db->conn);
	/* A new session knows no statement. */
	memset(db->prepared, 0, sizeof(db->prepared));
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		db_keep_error(db, NULL, NULL);
		if (!db->down && !db->quiet)
			log_error("db: cannot connect: %s", db->error);
		db->down = 1;
		return -1;
	}
	if (db->down)
		log_info("db: connected again");
	db->down = 0;
	return 0;
}

static int
db_select1(struct db *db)
{
	PGresult *res = PQexec(db->conn, sql_stmts[SQL_PING].text);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK;

	PQclear(res);
	return ok ? 0 : -1;
}

int
db_ping(struct db *db)
{
	if (db_ensure(db) == -1)
		return -1;
	if (db_select1(db) == 0)
		return 0;
	/* A connection that died while idle: reconnect and ask once more. */
	if (PQstatus(db->conn) != CONNECTION_OK && db_ensure(db) == 0 &&
	    db_select1(db) == 0)
		return 0;
	if (!db->down)
		log_error("db: ping failed: %.*s",
		    (int)strcspn(PQerrorMessage(db->conn), "\n"),
		    PQerrorMessage(db->conn));
	db->down = 1;
	return -1;
}

const char *
db_error(const struct db *db)
{
	return db->error;
}

const char *
db_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

static void
db_clear_result(void *p)
{
	PQclear(p);
}

/*
 * One pipelined round trip: BEGIN, the settings, each call, and COMMIT
 * when commit is set.  0, or -1 (no transaction left open).
 */
static int
db_begin_once(struct db *db, struct arena *a, const struct db_ctx *ctx,
    int read_only, struct db_call *calls, size_t n, int commit)
{
	const struct sql_stmt *set = &sql_stmts[SQL_BEGIN_SETTINGS], *st;
	const char *vals[8];
	char expires[24], mac[65];
	PGconn *c = db->conn;
	PGresult *res;
	size_t i, k = 0, ncmds = 2 + n + (commit ? 1 : 0);
	int ok = 1, sent, named;

	/* Nobody, unless a user is given and this connection can sign. */
	vals[0] = vals[1] = "";
	vals[2] = vals[3] = NULL;
	if (ctx != NULL && ctx->user_id != NULL && *ctx->user_id != '\0' &&
	    db->identity_key != NULL) {
		vals[0] = ctx->user_id;
		vals[1] = ctx->org_id ? ctx->org_id : "";
		if (db_sign(db, "enter", vals, 2, expires, mac) == -1)
			return -1;
		vals[2] = expires;
		vals[3] = mac;
	}
	vals[4] = ctx && ctx->request_id ? ctx->request_id : "";
	vals[5] = ctx && ctx->ip ? ctx->ip : "";
	vals[6] = ctx && ctx->user_agent ? ctx->user_agent : "";
	vals[7] = ctx && ctx->lang ? ctx->lang : "";
	/* Statements new to this connection are prepared first (once). */
	for (i = 0; i < n; i++) {
		calls[i].result = NULL;
		if (!(sql_stmts[calls[i].id].flags & SQL_UNPREPARED) &&
		    !db->no_prepare && db_prepare(db, calls[i].id) == -1)
			return -1;
	}
	if (PQenterPipelineMode(c) != 1)
		return -1;
	sent = PQsendQueryParams(c, read_only ? "BEGIN READ ONLY" : "BEGIN", 0,
	    NULL, NULL, NULL, NULL, 0) == 1 &&
	    PQsendQueryParams(c, set->text, set->nparams, NULL, vals, NULL,
	    NULL, 0) == 1;
	for (i = 0; sent && i < n; i++) {
		st = &sql_stmts[calls[i].id];
		named = !(st->flags & SQL_UNPREPARED) && !db->no_prepare;
		sent = (named ? PQsendQueryPrepared(c, st->name, st->nparams,
		    calls[i].params, NULL, NULL, 0) : PQsendQueryParams(c,
		    st->text, st->nparams, NULL, calls[i].params, NULL, NULL,
		    0)) == 1;
	}
	if (sent && commit)
		sent = PQsendQueryParams(c, "COMMIT", 0, NULL, NULL, NULL, NULL,
		    0) == 1;
	if (!sent || PQpipelineSync(c) != 1) {
		db_keep_error(db, NULL, "begin");
		PQexitPipelineMode(c);
		if (PQstatus(c) == CONNECTION_OK &&
		    PQtransactionStatus(c) != PQTRANS_IDLE)
			PQclear(PQexec(c, "ROLLBACK"));
		return -1;
	}
	/* Each command's result then NULL, in order; then the sync. */
	for (;;) {
		res = PQgetResult(c);
		if (res == NULL) {
			k++;
			if (PQstatus(c) != CONNECTION_OK)
				break;
			continue;
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_TUPLES_OK) {
			if (ok)
				db_keep_error(db, res, k >= 2 && k < 2 + n ?
				    sql_stmts[calls[k - 2].id].name : "begin");
			ok = 0;
			PQclear(res);
		} else if (k >= 2 && k < 2 + n && a != NULL) {
			arena_cleanup(a, db_clear_result, res);
			calls[k - 2].result = res;
		} else
			PQclear(res);
		if (PQstatus(c) != CONNECTION_OK)
			break;
	}
	PQexitPipelineMode(c);
	if (k < ncmds)
		ok = 0;
	if (!ok && PQstatus(c) == CONNECTION_OK &&
	    PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
	return ok && PQstatus(c) == CONNECTION_OK ? 0 : -1;
}

int
db_begin_with(struct db *db, struct arena *a, const struct db_ctx *ctx,
    int read_only, struct db_call *calls, size_t n, int commit)
{
	db->sqlstate[0] = '\0';
	db->audit_failed = 0;
	if (db_ensure(db) == -1)
		return -1;
	if (db_begin_once(db, a, ctx, read_only, calls, n, commit) == 0)
		return 0;
	/* A connection that died while idle: nothing happened yet, retry. */
	if (PQstatus(db->conn) != CONNECTION_OK && db_ensure(db) == 0)
		return db_begin_once(db, a, ctx, read_only, calls, n, commit);
	return -1;
}

int
db_begin(struct db *db, const struct db_ctx *ctx, int read_only)
{
	return db_begin_with(db, NULL, ctx, read_only, NULL, 0, 0);
}

/* A finished statement's result: arena-owned when it succeeded, else NULL. */
static struct pg_result *
db_result(struct db *db, struct arena *a, PGresult *res, const char *what)
{
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		db_keep_error(db, res, what);
		PQclear(res);
		return NULL;
	}
	arena_cleanup(a, db_clear_result, res);
	return res;
}

struct pg_result *
db_query(struct db *db, struct arena *a, const char *sql, int nparams,
    const char *const *params)
{
	return db_result(db, a, PQexecParams(db->conn, sql, nparams, NULL,
	    params, NULL, NULL, 0), "query");
}

/* Prepare statement id on this connection unless it is.  0, or -1. */
static int
db_prepare(struct db *db, enum sql_id id)
{
	const struct sql_stmt *st = &sql_stmts[id];
	PGresult *res;

	if (db->prepared[id])
		return 0;
	res = PQprepare(db->conn, st->name, st->text, st->nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_keep_error(db, res, st->name);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	db->prepared[id] = 1;
	return 0;
}

struct pg_result *
db_run(struct db *db, struct arena *a, enum sql_id id,
    const char *const *params)
{
	const struct sql_stmt *st = &sql_stmts[id];

	if ((st->flags & SQL_UNPREPARED) || db->no_prepare)
		return db_result(db, a, PQexecParams(db->conn, st->text,
		    st->nparams, NULL, params, NULL, NULL, 0), st->name);
	if (db_prepare(db, id) == -1)
		return NULL;
	return db_result(db, a, PQexecPrepared(db->conn, st->name,
	    st->nparams, params, NULL, NULL, 0), st->name);
}

long long
db_each(struct db *db, enum sql_id id, const char *const *params,
    int (*fn)(void *, const struct pg_result *), void *arg)
{
	const struct sql_stmt *st = &sql_stmts[id];
	PGresult *res;
	long long n = 0;
	int ok, stopped = 0;

	if ((st->flags & SQL_UNPREPARED) || db->no_prepare)
		ok = PQsendQueryParams(db->conn, st->text, st->nparams, NULL,
		    params, NULL, NULL, 0);
	else
		ok = db_prepare(db, id) == 0 && PQsendQueryPrepared(db->conn,
		    st->name, st->nparams, params, NULL, NULL, 0);
	if (!ok || !PQsetSingleRowMode(db->conn)) {
		if (ok)
			while ((res = PQgetResult(db->conn)) != NULL)
				PQclear(res);
		db_keep_error(db, NULL, st->name);
		return -1;
	}
	while ((res = PQgetResult(db->conn)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			if (ok && !stopped) {
				if (fn(arg, res) == -1)
					stopped = 1;
				else
					n++;
			}
			break;
		case PGRES_TUPLES_OK:
		case PGRES_COMMAND_OK:
			break;
		default:
			db_keep_error(db, res, st->name);
			ok = 0;
		}
		PQclear(res);
	}
	return ok && !stopped ? n : -1;
}

int
db_describe(struct db *db, struct arena *a, enum sql_id id, int *nparams,
    int *ncols)
{
	const struct sql_stmt *st = &sql_stmts[id];
	PGresult *res;
	int own, ok;

	/*
	 * As the unnamed statement, inside a transaction (its own when none
	 * is open): a connection pooler in transaction mode keeps the same
	 * server connection for both steps then, and no name is left behind.
	 */
	if (db_ensure(db) == -1)
		return -1;
	own = PQtransactionStatus(db->conn) == PQTRANS_IDLE;
	if (own)
		PQclear(PQexec(db->conn, "BEGIN"));
	res = PQprepare(db->conn, "", st->text, st->nparams, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		db_keep_error(db, res, st->name);
	PQclear(res);
	res = ok ? PQdescribePrepared(db->conn, "") : NULL;
	if (own)
		PQclear(PQexec(db->conn, "ROLLBACK"));
	if (!ok || db_result(db, a, res, "describe") == NULL)
		return -1;
	*nparams = PQnparams(res);
	*ncols = PQnfields(res);
	return 0;
}

int
db_rows(const struct pg_result *r)
{
	return PQntuples(r);
}

int
db_cols(const struct pg_result *r)
{
	return PQnfields(r);
}

const char *
db_val(const struct pg_result *r, int row, int col)
{
	return PQgetvalue(r, row, col);
}

const char *
db_opt(const struct pg_result *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

int
db_bool(const struct pg_result *r, int row, int col)
{
	return PQgetvalue(r, row, col)[0] == 't';
}

long long
db_int(const struct pg_result *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int
db_script(struct db *db, const char *sql)
{
	PGresult *res;
	ExecStatusType st;

	db->sqlstate[0] = db->error[0] = '\0';
	if (db_ensure(db) == -1) {
		db_keep_error(db, NULL, NULL);
		return -1;
	}
	res = PQexec(db->conn, sql);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY) {
		db_keep_error(db, res, NULL);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

struct pg_result *
db_run_guarded(struct db *db, struct arena *a, enum sql_id id,
    const char *const *params)
{
	PGresult *res;
	char saved[6];

	if (db_query(db, a, "SAVEPOINT eleva_guard", 0, NULL) == NULL)
		return NULL;
	if ((res = db_run(db, a, id, params)) != NULL) {
		if (db_query(db, a, "RELEASE SAVEPOINT eleva_guard", 0,
		    NULL) == NULL)
			return NULL;
		return res;
	}
	memcpy(saved, db->sqlstate, sizeof(saved));
	if (db_query(db, a, "ROLLBACK TO SAVEPOINT eleva_guard", 0, NULL) ==
	    NULL)
		return NULL;
	memcpy(db->sqlstate, saved, sizeof(saved));
	return NULL;
}

int
db_commit(struct db *db)
{
	PGresult *res;
	int ok;

	if (db->audit_failed) {
		/* Nothing changes unrecorded. */
		log_error("db: an audit row of this transaction could not be "
		    "written: rolled back");
		db_rollback(db);
		return -1;
	}
	res = PQexec(db->conn, "COMMIT");
	ok = PQresultStatus(res) == PGRES_COMMAND_OK &&
	    strcmp(PQcmdStatus(res), "COMMIT") == 0;

	if (!ok && PQresultStatus(res) == PGRES_COMMAND_OK) {
		/* COMMIT of a failed transaction answers ROLLBACK. */
		log_error("db: commit of a failed transaction: rolled back");
		if (db->sqlstate[0] == '\0')
			snprintf(db->sqlstate, sizeof(db->sqlstate), "25P02");
	} else if (!ok)
		db_keep_error(db, res, "commit");
	PQclear(res);
	if (!ok)
		db_rollback(db);
	return ok ? 0 : -1;
}

void
db_rollback(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		PQclear(PQexec(db->conn, "ROLLBACK"));
}

void
db_finish_request(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
		log_warn("db: request ended with its transaction open: "
		    "rolled back");
		db_rollback(db);
	}
	db->sqlstate[0] = '\0';
}

int
db_transact(struct db *db, const struct db_ctx *ctx, int read_only,
    int (*fn)(struct db *, void *), void *arg)
{
	int attempt;

	for (attempt = 1; attempt <= 3; attempt++) {
		if (db_begin(db, ctx, read_only) == -1)
			return -1;
		if (fn(db, arg) == 0 && db_commit(db) == 0)
			return 0;
		db_rollback(db);
		if (strcmp(db->sqlstate, "40001") != 0 &&
		    strcmp(db->sqlstate, "40P01") != 0)
			return -1;
		log_info("db: %s: retrying the transaction (attempt %d)",
		    db->sqlstate, attempt + 1);
	}
	return -1;
}

/* db_run_alone's unit of work. */
struct db_alone {
	struct arena		*arena;
	enum sql_id		 id;
	const char *const	*params;
	struct pg_result	*res;
};

static int
db_alone(struct db *db, void *arg)
{
	struct db_alone *o = arg;

	o->res = db_run(db, o->arena, o->id, o->params);
	return o->res != NULL ? 0 : -1;
}

struct pg_result *
db_run_alone(struct db *db, struct arena *a, int read_only, enum sql_id id,
    const char *const *params)
{
	struct db_alone o = { a, id, params, NULL };

	return db_transact(db, NULL, read_only, db_alone, &o) == 0 ? o.res :
	    NULL;
}

int
db_audit(struct db *db, struct arena *a, enum audit_action act,
    const char *resource_type, const char *resource_id, const char *old_json,
    const char *new_json, const char *metadata_json)
{
	const char *action = audit_name(act);
	const char *params[6] = { action, resource_type, resource_id,
	    old_json, new_json, metadata_json };
	char saved[6];

	memcpy(saved, db->sqlstate, sizeof(saved));
	if (db_query(db, a, "SAVEPOINT eleva_audit", 0, NULL) == NULL)
		goto fail;
	if (db_run(db, a, SQL_AUDIT, params) == NULL) {
		PQclear(PQexec(db->conn, "ROLLBACK TO SAVEPOINT eleva_audit"));
		goto fail;
	}
	if (db_query(db, a, "RELEASE SAVEPOINT eleva_audit", 0, NULL) != NULL)
		return 0;
fail:
	log_error("AUDIT FAILURE: %s on %s %s was not recorded: the "
	    "transaction will not commit", action, resource_type,
	    resource_id ? resource_id : "-");
	memcpy(db->sqlstate, saved, sizeof(saved));
	db->audit_failed = 1;
	return -1;
}

int
db_audit_failed(const struct db *db)
{
	return db->audit_failed;
}

int
db_audit_change(struct db *db, struct arena *a, enum audit_action act,
    const char *resource_type, const char *resource_id, const char *old_json,
    const char *new_json, const char *metadata_json)
{
	if (old_json != NULL && new_json != NULL &&
	    strcmp(old_json, new_json) == 0)
		return 0;
	return db_audit(db, a, act, resource_type, resource_id, old_json,
	    new_json, metadata_json);
}

int
db_check_role(const char *url, char *err, size_t errlen)
{
	PGconn *c = db_connect_url(url);
	PGresult *r = NULL;
	const char *user;
	int rc = -1;

	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "cannot connect to check the database "
		    "role: %.*s", (int)strcspn(PQerrorMessage(c), "\n"),
		    PQerrorMessage(c));
		goto out;
	}
	r = PQexec(c, sql_stmts[SQL_CHECK_ROLE].text);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		snprintf(err, errlen, "cannot check the database role: %.*s",
		    (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
		goto out;
	}
	user = PQgetvalue(r, 0, ROLE_NAME);
	if (strcmp(PQgetvalue(r, 0, ROLE_SUPERUSER), "t") == 0)
		snprintf(err, errlen, "role %s is a superuser: row-level "
		    "security would not apply; connect as the app role", user);
	else if (strcmp(PQgetvalue(r, 0, ROLE_BYPASSRLS), "t") == 0)
		snprintf(err, errlen, "role %s has BYPASSRLS: row-level "
		    "security would not apply; connect as the app role", user);
	else if (strcmp(PQgetvalue(r, 0, ROLE_OWNS_DATABASE), "t") == 0)
		snprintf(err, errlen, "role %s owns the database: connect as "
		    "the app role, not the owner", user);
	else if (!PQgetisnull(r, 0, ROLE_OWNS_SCHEMAS))
		snprintf(err, errlen, "role %s owns schema %s: connect as the "
		    "app role, not the owner", user, PQgetvalue(r, 0, ROLE_OWNS_SCHEMAS));
	else if (!PQgetisnull(r, 0, ROLE_OWNS_TABLES))
		snprintf(err, errlen, "role %s owns %s: an owner is not bound "
		    "by row-level security", user, PQgetvalue(r, 0, ROLE_OWNS_TABLES));
	else if (!PQgetisnull(r, 0, ROLE_OWNS_FUNCTIONS))
		snprintf(err, errlen, "role %s owns function %s: connect as "
		    "the app role, not the owner", user, PQgetvalue(r, 0, ROLE_OWNS_FUNCTIONS));
	else if (!PQgetisnull(r, 0, ROLE_NO_RLS))
		snprintf(err, errlen, "row-level security is not enabled and "
		    "forced on %s", PQgetvalue(r, 0, ROLE_NO_RLS));
	else
		rc = 0;
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}

int
db_check_identity(const char *url, const char *key, size_t len, char *err,
    size_t errlen)
{
	struct db_ctx probe = { .user_id = "user_startupcheck" };
	struct db *db = db_new(url);
	int rc = -1;

	if (db == NULL || db_set_identity_key(db, key, len) == -1) {
		snprintf(err, errlen, "out of memory");
	} else if (db_begin(db, &probe, 1) == 0) {
		db_rollback(db);
		rc = 0;
	} else if (strcmp(db->sqlstate, "42501") == 0) {
		snprintf(err, errlen, "the database refuses this "
		    "ELEVA_IDENTITY_KEY: install it with \"eleva migrate\" "
		    "(ELEVA_IDENTITY_KEY set)");
	} else {
		snprintf(err, errlen, "cannot enter an identity (%s): are the "
		    "migrations applied? %s", db->sqlstate, db->error);
	}
	db_free(db);
	return rc;
}
