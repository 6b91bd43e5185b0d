/* db: one libpq connection per worker with reconnect on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/db.h"
#include "lib/log.h"

/* Statements prepared on the current connection (db_run). */
#define DB_MAX_PREPARED	64

struct db {
	char		*url;
	PGconn		*conn;
	int		 down;		/* an outage was logged */
	char		 sqlstate[6];	/* of the last failure */
	const char	*prepared[DB_MAX_PREPARED]; /* by address: "s<index>" */
	size_t		 nprepared;
};

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
	free(db);
}

static void
db_notice(void *arg, const char *msg)
{
	(void)arg;
	log_info("postgres: %.*s", (int)strcspn(msg, "\n"), msg);
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
			PQsetNoticeProcessor(db->conn, db_notice, NULL);
	} else
		PQreset(db->conn);
	db->nprepared = 0;	/* a new session knows no statement */
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		if (!db->down)
			log_error("db: cannot connect: %.*s",
			    db->conn ? (int)strcspn(PQerrorMessage(db->conn),
			    "\n") : 13, db->conn ? PQerrorMessage(db->conn) :
			    "out of memory");
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
	PGresult *res = PQexec(db->conn, "SELECT 1");
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

static void
db_note_error(struct db *db, const PGresult *res, const char *what)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = PQerrorMessage(db->conn);

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", st ? st : "");
	log_error("db: %s failed: %s%s%.*s", what, db->sqlstate,
	    db->sqlstate[0] ? " " : "", (int)strcspn(msg, "\n"), msg);
}

const char *
db_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

/* One pipelined round trip: BEGIN and the settings.  0, or -1. */
static int
db_begin_once(struct db *db, const struct db_ctx *ctx, int read_only)
{
	static const char set_sql[] =
	    "SELECT set_config('app.user_id', $1, true),"
	    " set_config('app.org_id', $2, true),"
	    " set_config('app.request_id', $3, true),"
	    " set_config('app.ip', $4, true),"
	    " set_config('app.user_agent', $5, true)";
	const char *vals[5];
	PGconn *c = db->conn;
	PGresult *res;
	int ok = 1, step = 0;

	vals[0] = ctx && ctx->user_id ? ctx->user_id : "";
	vals[1] = ctx && ctx->org_id ? ctx->org_id : "";
	vals[2] = ctx && ctx->request_id ? ctx->request_id : "";
	vals[3] = ctx && ctx->ip ? ctx->ip : "";
	vals[4] = ctx && ctx->user_agent ? ctx->user_agent : "";
	if (PQenterPipelineMode(c) != 1)
		return -1;
	if (PQsendQueryParams(c, read_only ? "BEGIN READ ONLY" : "BEGIN", 0,
	    NULL, NULL, NULL, NULL, 0) != 1 ||
	    PQsendQueryParams(c, set_sql, 5, NULL, vals, NULL, NULL, 0) != 1 ||
	    PQpipelineSync(c) != 1) {
		db_note_error(db, NULL, "begin");
		PQexitPipelineMode(c);
		return -1;
	}
	/* BEGIN's result, NULL, set_config's result, NULL, the sync. */
	while (step < 5) {
		res = PQgetResult(c);
		if (res == NULL) {
			step++;
			continue;
		}
		switch (PQresultStatus(res)) {
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
			break;
		case PGRES_PIPELINE_SYNC:
			step = 5;
			break;
		default:
			if (ok)
				db_note_error(db, res, "begin");
			ok = 0;
			break;
		}
		PQclear(res);
		if (PQstatus(c) != CONNECTION_OK)
			break;
	}
	PQexitPipelineMode(c);
	if (!ok && PQstatus(c) == CONNECTION_OK)
		PQclear(PQexec(c, "ROLLBACK"));
	return ok && PQstatus(c) == CONNECTION_OK ? 0 : -1;
}

int
db_begin(struct db *db, const struct db_ctx *ctx, int read_only)
{
	db->sqlstate[0] = '\0';
	if (db_ensure(db) == -1)
		return -1;
	if (db_begin_once(db, ctx, read_only) == 0)
		return 0;
	/* A connection that died while idle: nothing happened yet, retry. */
	if (PQstatus(db->conn) != CONNECTION_OK && db_ensure(db) == 0)
		return db_begin_once(db, ctx, read_only);
	return -1;
}

static void
db_clear_result(void *p)
{
	PQclear(p);
}

struct pg_result *
db_query(struct db *db, struct arena *a, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params,
	    NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		db_note_error(db, res, "query");
		PQclear(res);
		return NULL;
	}
	arena_cleanup(a, db_clear_result, res);
	return res;
}

struct pg_result *
db_run(struct db *db, struct arena *a, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res;
	ExecStatusType st;
	char name[16];
	size_t i;

	for (i = 0; i < db->nprepared && db->prepared[i] != sql; i++)
		;
	if (i == db->nprepared) {
		if (i == DB_MAX_PREPARED)
			return db_query(db, a, sql, nparams, params);
		snprintf(name, sizeof(name), "s%zu", i);
		res = PQprepare(db->conn, name, sql, nparams, NULL);
		st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK) {
			db_note_error(db, res, "prepare");
			PQclear(res);
			return NULL;
		}
		PQclear(res);
		db->prepared[db->nprepared++] = sql;
	}
	snprintf(name, sizeof(name), "s%zu", i);
	res = PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		db_note_error(db, res, "query");
		PQclear(res);
		return NULL;
	}
	arena_cleanup(a, db_clear_result, res);
	return res;
}

struct pg_result *
db_run_guarded(struct db *db, struct arena *a, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res;
	char saved[6];

	if (db_query(db, a, "SAVEPOINT eleva_guard", 0, NULL) == NULL)
		return NULL;
	if ((res = db_run(db, a, sql, nparams, params)) != NULL) {
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
	PGresult *res = PQexec(db->conn, "COMMIT");
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK &&
	    strcmp(PQcmdStatus(res), "COMMIT") == 0;

	if (!ok && PQresultStatus(res) == PGRES_COMMAND_OK) {
		/* COMMIT of a failed transaction answers ROLLBACK. */
		log_error("db: commit of a failed transaction: rolled back");
		if (db->sqlstate[0] == '\0')
			snprintf(db->sqlstate, sizeof(db->sqlstate), "25P02");
	} else if (!ok)
		db_note_error(db, res, "commit");
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

int
db_audit(struct db *db, struct arena *a, enum audit_action act,
    const char *resource_type, const char *resource_id, const char *old_json,
    const char *new_json, const char *metadata_json)
{
	const char *action = audit_name(act);
	const char *params[6] = { action, resource_type, resource_id,
	    old_json, new_json, metadata_json };
	char saved[6];
	PGresult *res;

	memcpy(saved, db->sqlstate, sizeof(saved));
	if (db_query(db, a, "SAVEPOINT eleva_audit", 0, NULL) == NULL)
		goto fail;
	res = PQexecParams(db->conn, "SELECT app.audit($1, $2, $3, $4::jsonb, "
	    "$5::jsonb, $6::jsonb)", 6, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_note_error(db, res, "audit");
		PQclear(res);
		PQclear(PQexec(db->conn, "ROLLBACK TO SAVEPOINT eleva_audit"));
		goto fail;
	}
	PQclear(res);
	if (db_query(db, a, "RELEASE SAVEPOINT eleva_audit", 0, NULL) != NULL)
		return 0;
fail:
	log_error("AUDIT FAILURE: %s on %s %s was not recorded", action,
	    resource_type, resource_id ? resource_id : "-");
	memcpy(db->sqlstate, saved, sizeof(saved));
	return -1;
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

/* What makes a role unfit to be the app's, each with its message. */
static const char db_check_sql[] =
"SELECT r.rolsuper, r.rolbypassrls,"
" (SELECT d.datdba = r.oid FROM pg_database d"
"   WHERE d.datname = current_database()),"
" (SELECT string_agg(n.nspname, ', ' ORDER BY n.nspname) FROM pg_namespace n"
"   WHERE n.nspowner = r.oid AND n.nspname NOT LIKE 'pg\\_%'"
"   AND n.nspname <> 'information_schema'),"
" (SELECT string_agg(n.nspname || '.' || c.relname, ', '"
"   ORDER BY n.nspname, c.relname)"
"   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
"   WHERE c.relowner = r.oid AND n.nspname NOT LIKE 'pg\\_%'"
"   AND n.nspname <> 'information_schema'),"
" (SELECT string_agg(n.nspname || '.' || p.proname, ', '"
"   ORDER BY n.nspname, p.proname)"
"   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
"   WHERE p.proowner = r.oid AND n.nspname NOT LIKE 'pg\\_%'"
"   AND n.nspname <> 'information_schema'),"
" (SELECT string_agg('public.' || c.relname, ', '"
"   ORDER BY c.relname)"
"   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
"   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
"   AND c.relname <> 'schema_migrations'"
"   AND NOT (c.relrowsecurity AND c.relforcerowsecurity)),"
" current_user"
" FROM pg_roles r WHERE r.rolname = current_user";

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
	r = PQexec(c, db_check_sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		snprintf(err, errlen, "cannot check the database role: %.*s",
		    (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
		goto out;
	}
	user = PQgetvalue(r, 0, 7);
	if (strcmp(PQgetvalue(r, 0, 0), "t") == 0)
		snprintf(err, errlen, "role %s is a superuser: row-level "
		    "security would not apply; connect as the app role", user);
	else if (strcmp(PQgetvalue(r, 0, 1), "t") == 0)
		snprintf(err, errlen, "role %s has BYPASSRLS: row-level "
		    "security would not apply; connect as the app role", user);
	else if (strcmp(PQgetvalue(r, 0, 2), "t") == 0)
		snprintf(err, errlen, "role %s owns the database: connect as "
		    "the app role, not the owner", user);
	else if (!PQgetisnull(r, 0, 3))
		snprintf(err, errlen, "role %s owns schema %s: connect as the "
		    "app role, not the owner", user, PQgetvalue(r, 0, 3));
	else if (!PQgetisnull(r, 0, 4))
		snprintf(err, errlen, "role %s owns %s: an owner is not bound "
		    "by row-level security", user, PQgetvalue(r, 0, 4));
	else if (!PQgetisnull(r, 0, 5))
		snprintf(err, errlen, "role %s owns function %s: connect as "
		    "the app role, not the owner", user, PQgetvalue(r, 0, 5));
	else if (!PQgetisnull(r, 0, 6))
		snprintf(err, errlen, "row-level security is not enabled and "
		    "forced on %s", PQgetvalue(r, 0, 6));
	else
		rc = 0;
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}
