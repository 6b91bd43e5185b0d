/*
 * db_test: the request transaction through libpq against the test stack's
 * database, as the app role: settings are transaction-local, a failed
 * request leaks nothing into the next one, retries, audit in a savepoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "core/db.h"
#include "core/sql.h"
#include "lib/log.h"
#include "tap.h"

static struct arena	A;
static char		user_a[64], user_b[64], org_a[64], org_b[64];

/* The single value of a one-row, one-column query, or NULL. */
static const char *
one(struct db *db, const char *sql, const char *p1)
{
	const char *params[1] = { p1 };
	struct pg_result *r = db_query(db, &A, sql, p1 ? 1 : 0,
	    p1 ? params : NULL);
	const char *v;

	if (r == NULL || db_rows(r) != 1)
		return NULL;
	return (v = db_opt(r, 0, 0)) == NULL ? "(null)" : v;
}

static void
provision(struct db *db)
{
	char wa[64], wb[64];
	const char *id;
	long tag = (long)getpid();

	snprintf(user_a, sizeof(user_a), "user_dbtestA%ld", tag);
	snprintf(user_b, sizeof(user_b), "user_dbtestB%ld", tag);
	snprintf(wa, sizeof(wa), "org_dbtestA%ld", tag);
	snprintf(wb, sizeof(wb), "org_dbtestB%ld", tag);
	ok(db_begin(db, NULL, 0) == 0, "provisioning transaction opens");
	{
		const char *p[4] = { user_a, "a@dbtest.example", "Ana", wa };
		struct pg_result *r = db_query(db, &A, "SELECT app.provision_user($1, "
		    "$2, $3, 'Silva', 'user', $4)", 4, p);

		id = r ? db_val(r, 0, 0) : "";
		snprintf(org_a, sizeof(org_a), "%s", id);
	}
	{
		const char *p[4] = { user_b, "b@dbtest.example", "Bea", wb };
		struct pg_result *r = db_query(db, &A, "SELECT app.register_guest($1, "
		    "$2, $3, $4)", 4, p);

		id = r ? db_val(r, 0, 0) : "";
		snprintf(org_b, sizeof(org_b), "%s", id);
	}
	ok(db_commit(db) == 0 && org_a[0] && org_b[0],
	    "two users with their organizations provisioned");
	arena_reset(&A);
}

static void
test_isolation(struct db *db)
{
	struct db_ctx ca = { user_a, org_a, "req-1", "192.0.2.1", "test/1", "en" };
	struct db_ctx cb = { user_b, org_b, "req-2", "192.0.2.2", "test/2", "pt" };
	const char *v;

	/* Request 1: user A, fails in the middle. */
	ok(db_begin(db, &ca, 0) == 0, "request 1 (user A) begins");
	is_str(one(db, "SELECT current_setting('app.user_id')", NULL), user_a,
	    "request 1 runs as user A");
	is_str(one(db, "SELECT string_agg(id::text, ',') FROM organizations",
	    NULL), org_a, "request 1 sees only A's organization");
	ok(one(db, "UPDATE user_preferences SET theme = 'dark' RETURNING "
	    "theme", NULL) != NULL, "request 1 changes A's preferences");
	ok(one(db, "SELECT 1 / 0", NULL) == NULL, "request 1 fails mid-way");
	is_str(db_sqlstate(db), "22012", "... with the failure's SQLSTATE");
	ok(db_commit(db) == -1, "committing a failed transaction is refused");
	db_finish_request(db);
	arena_reset(&A);

	/* Request 2: user B on the same connection. */
	ok(db_begin(db, &cb, 1) == 0, "request 2 (user B) begins, read only");
	is_str(one(db, "SELECT current_setting('app.user_id')", NULL), user_b,
	    "request 2 runs as user B");
	is_str(one(db, "SELECT current_setting('app.request_id')", NULL),
	    "req-2", "request 2 has its own request id");
	is_str(one(db, "SELECT current_setting('app.lang')", NULL), "pt",
	    "request 2 has its own language (app.lang)");
	is_str(one(db, "SELECT string_agg(id::text, ',') FROM organizations",
	    NULL), org_b, "request 2 sees only B's organization");
	is_str(one(db, "SELECT count(*) FROM user_preferences WHERE "
	    "workos_user_id = $1", user_a), "0",
	    "request 2 sees none of A's rows");
	ok(one(db, "INSERT INTO audit_stats (org_id, date) VALUES "
	    "(app.current_org_id(), current_date) RETURNING id", NULL) == NULL,
	    "a read-only request cannot write");
	db_finish_request(db);
	is_str(one(db, "SELECT coalesce(current_setting('app.user_id', true), "
	    "'')", NULL), "", "outside a transaction no setting is left: they "
	    "were transaction-local");
	arena_reset(&A);

	/* Request 3: nobody signed in. */
	ok(db_begin(db, NULL, 1) == 0, "request 3 (no user) begins");
	is_str(one(db, "SELECT coalesce(app.current_user_id(), 'none')",
	    NULL), "none", "request 3 has no user: nothing left from before");
	is_str(one(db, "SELECT count(*) FROM organizations", NULL), "0",
	    "request 3 sees no organization");
	ok(db_commit(db) == 0, "request 3 commits");
	arena_reset(&A);

	/* A's change of request 1 was rolled back. */
	ok(db_begin(db, &ca, 1) == 0, "request 4 (user A) begins");
	v = one(db, "SELECT theme FROM user_preferences", NULL);
	is_str(v, "light", "request 1's write did not survive its failure");
	ok(db_commit(db) == 0, "request 4 commits");
	arena_reset(&A);

	/* A handler that forgets to commit: the worker rolls back. */
	ok(db_begin(db, &ca, 0) == 0, "request 5 begins");
	one(db, "UPDATE user_preferences SET theme = 'dark' RETURNING theme",
	    NULL);
	db_finish_request(db);
	ok(db_begin(db, &ca, 1) == 0 && strcmp(one(db, "SELECT theme FROM "
	    "user_preferences", NULL), "light") == 0,
	    "a transaction left open is rolled back at the end of the request");
	db_commit(db);
	arena_reset(&A);
}

static int	attempts;

static int
flaky(struct db *db, void *arg)
{
	(void)arg;
	if (++attempts == 1)
		return one(db, "DO $$ BEGIN RAISE EXCEPTION 'simulated' USING "
		    "ERRCODE = '40001'; END $$", NULL) == NULL ? -1 : 0;
	return one(db, "SELECT 1", NULL) ? 0 : -1;
}

static int
always_fails(struct db *db, void *arg)
{
	(void)arg;
	attempts++;
	return one(db, "SELECT 1 / 0", NULL) ? 0 : -1;
}

static void
test_retry(struct db *db)
{
	struct db_ctx ca = { user_a, org_a, "req-r", NULL, NULL, NULL };

	attempts = 0;
	ok(db_transact(db, &ca, 0, flaky, NULL) == 0,
	    "a serialization failure is retried and then commits");
	is_int(attempts, 2, "... running the unit twice");
	attempts = 0;
	ok(db_transact(db, &ca, 0, always_fails, NULL) == -1,
	    "another failure is not retried");
	is_int(attempts, 1, "... the unit ran once");
	arena_reset(&A);
}

static void
test_audit(struct db *db)
{
	struct db_ctx ca = { user_a, org_a, "req-audit", "192.0.2.9", "ua/9", NULL };
	struct db_ctx bad = { user_a, "00000000-0000-0000-0000-000000000000",
	    "req-bad", NULL, NULL, NULL };
	struct pg_result *r;

	ok(db_begin(db, &ca, 0) == 0, "audit: request begins");
	ok(db_audit(db, &A, AUDIT_PROFILE_UPDATED, "profile", "p-1", NULL,
	    "{\"x\": 1}", NULL) == 0, "audit: a row is written");
	r = db_query(db, &A, "SELECT workos_user_id, org_id::text, ip_address, "
	    "user_agent, request_id, new_values->>'x' FROM audit_logs WHERE "
	    "request_id = 'req-audit'", 0, NULL);
	ok(r != NULL && db_rows(r) == 1, "audit: the member reads it back");
	if (r != NULL && db_rows(r) == 1) {
		is_str(db_val(r, 0, 0), user_a, "audit: user from the settings");
		is_str(db_val(r, 0, 1), org_a, "audit: org from the settings");
		is_str(db_val(r, 0, 2), "192.0.2.9", "audit: ip");
		is_str(db_val(r, 0, 3), "ua/9", "audit: user agent");
		is_str(db_val(r, 0, 5), "1", "audit: new values");
	}
	ok(one(db, "UPDATE audit_logs SET action = 'X' WHERE request_id = "
	    "'req-audit' RETURNING id", NULL) == NULL &&
	    strcmp(db_sqlstate(db), "42501") == 0,
	    "audit: the app role cannot update audit rows");
	db_rollback(db);
	arena_reset(&A);

	/* An org id that does not exist: the audit insert fails. */
	ok(db_begin(db, &bad, 0) == 0, "audit failure: request begins");
	ok(db_audit(db, &A, AUDIT_PROFILE_UPDATED, "profile", "p-2", NULL, NULL,
	    NULL) == -1, "audit failure: reported to the caller");
	is_str(one(db, "SELECT 'still fine'", NULL), "still fine",
	    "audit failure: the caller's transaction goes on");
	ok(db_audit_failed(db), "audit failure: the transaction is marked");
	ok(db_commit(db) == -1, "audit failure: so it does not commit: "
	    "nothing changes unrecorded");
	arena_reset(&A);
}

/* Statements of the table: prepared once per connection, under their names. */
static void
test_prepared(struct db *db)
{
	const char *p[3] = { "2026-03-29T00:30:00Z", "Europe/Lisbon", "60" };
	struct pg_result *r;
	struct db_ctx none = { 0 };
	int np = -1, nc = -1;

	ok(db_begin(db, &none, 1) == 0, "prepared: a transaction");
	r = db_run(db, &A, SQL_BOOKING_WHEN, p);
	ok(r != NULL && db_rows(r) == 1, "prepared: first run");
	is_str(r ? db_val(r, 0, WHEN_START) : NULL, "00:30",
	    "... its columns as sql.h names them (before the clocks change)");
	p[0] = "2026-03-29T01:30:00Z";
	r = db_run(db, &A, SQL_BOOKING_WHEN, p);
	is_str(r ? db_val(r, 0, WHEN_START) : NULL, "02:30",
	    "prepared: second run, new parameters (after the change)");
	is_int(r ? db_int(r, 0, WHEN_WEEKDAY) : -1, 7, "... db_int reads a number");
	is_str(one(db, "SELECT count(*)::text FROM pg_prepared_statements "
	    "WHERE name = 'booking_when' AND statement = $1",
	    sql_stmts[SQL_BOOKING_WHEN].text), "1",
	    "prepared: once on this connection, named after the table's entry");
	r = db_run(db, &A, SQL_PING, NULL);
	is_str(r ? db_val(r, 0, 0) : NULL, "1", "an unprepared statement runs");
	is_str(one(db, "SELECT count(*)::text FROM pg_prepared_statements "
	    "WHERE name = 'ping'", NULL), "0",
	    "... and is not prepared (SQL_UNPREPARED)");
	p[0] = "not a time";
	ok(db_run(db, &A, SQL_BOOKING_WHEN, p) == NULL &&
	    strcmp(db_sqlstate(db), "22007") == 0,
	    "prepared: a failing statement keeps its SQLSTATE");
	db_rollback(db);
	ok(db_describe(db, &A, SQL_SLOT_STATE, &np, &nc) == 0 && np == 5 &&
	    nc == 1, "describe: the server sees 5 parameters and 1 column");
	arena_reset(&A);
}

/* A tool's statements: a script of several, and its errors. */
static void
test_script(struct db *db)
{
	ok(db_script(db, "CREATE TEMP TABLE t_script (x int); "
	    "INSERT INTO t_script VALUES (1), (2); DROP TABLE t_script") == 0,
	    "script: several statements in one go");
	ok(db_script(db, "SELEC 1") == -1, "script: a syntax error fails");
	ok(strstr(db_error(db), "syntax error") != NULL,
	    "... with the server's message in db_error");
	is_str(db_sqlstate(db), "42601", "... and its SQLSTATE");
	ok(db_script(db, "") == 0, "script: an empty one is fine");
}

int
main(void)
{
	const char *url = getenv("DATABASE_URL");
	struct db *db;

	if (url == NULL || *url == '\0') {
		printf("1..0 # SKIP DATABASE_URL is not set: run script/test\n");
		return 0;
	}
	log_set_level(LOG_ERROR + 1);	/* the failures are on purpose */
	arena_init(&A);
	db = db_new(url);
	/* The stack's key, to sign identities as the app does. */
	if (getenv("ELEVA_IDENTITY_KEY") != NULL)
		db_set_identity_key(db, getenv("ELEVA_IDENTITY_KEY"),
		    strcspn(getenv("ELEVA_IDENTITY_KEY"), ","));
	provision(db);
	test_isolation(db);
	test_retry(db);
	test_audit(db);
	test_prepared(db);
	test_script(db);
	db_free(db);
	arena_free(&A);
	return tap_done();
}
