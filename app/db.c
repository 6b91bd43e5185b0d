/* db: one libpq connection per worker with reconnect on failure. */
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
