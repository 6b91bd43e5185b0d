/* db: the worker's PostgreSQL connection, reconnecting by itself. */
#ifndef ELEVA_DB_H
#define ELEVA_DB_H

#include <stddef.h>

struct db;
struct pg_conn;

/*
 * A connection handle for url (not yet connected: the worker connects on
 * first use, so a database that is down does not stop the worker).
 * Returns NULL only when out of memory.
 */
struct db	*db_new(const char *url);
void		 db_free(struct db *);

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
 * Refuse to serve when row-level security would not bind this role:
 * connect once and check that the role is not a superuser, has no
 * BYPASSRLS, owns neither the database nor any schema, table or function
 * outside the system catalogs, and that every table of schema public
 * (but public.schema_migrations) has row-level security enabled and
 * forced.  Returns 0, or -1 with the reason in err.
 */
int		 db_check_role(const char *url, char *err, size_t errlen);

#endif
