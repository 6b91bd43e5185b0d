/* db: one libpq connection per worker with reconnect on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db.h"
#include "log.h"

struct db {
	char	*url;
	PGconn	*conn;
	int	 down;	/* an outage was logged */
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

int
db_ensure(struct db *db)
{
	/* connect_timeout applies unless the URL sets its own. */
	static const char *const keys[] = {
		"connect_timeout", "application_name", "dbname", NULL
	};
	const char *vals[] = { "3", "eleva", db->url, NULL };

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->conn == NULL) {
		db->conn = PQconnectdbParams(keys, vals, 1);
		if (db->conn != NULL)
			PQsetNoticeProcessor(db->conn, db_notice, NULL);
	} else
		PQreset(db->conn);
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
	PGconn *c = PQconnectdb(url);
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
