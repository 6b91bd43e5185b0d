/*
 * admin_stats_test: the admin setup-statistics statements of the table
 * (app/core/sql.c, linked from libeleva) against the test stack's database.
 *
 * 1. Row-level security alone.  Through libeleva as the app role
 *    (DATABASE_URL): db_begin() with a non-admin user enters him through
 *    app.enter, signed with ELEVA_IDENTITY_KEY, exactly as a request does,
 *    then db_run() runs the
 *    statements.  An expert counts and lists only his own setup row, a plain
 *    user and a visitor nothing, and the reset function refuses both
 *    (42501); a platform admin, the control, sees the others.  No route is
 *    involved: this is what the database alone enforces.  The users are
 *    committed for the run (the app role's connection cannot see another
 *    connection's uncommitted rows) and deleted at the end.
 *
 * 2. Known answers, and the empty data set.  The statistics are over every
 *    expert's setup row, so a known answer needs a known set of rows.  One
 *    transaction on a second connection, as the cluster's bootstrap
 *    superuser over the stack's unix socket (PG_SOCKET_DIR: the access
 *    t/e2e/pgtap.js uses to install pgTAP), deletes every expert_setup row,
 *    then SET LOCAL ROLE eleva_app (the superuser's powers are gone from
 *    there: the app role's privileges and RLS apply) with a fresh platform
 *    admin in app.user_id, and runs the statements' text: all zeros.  Back
 *    as the superuser (RESET ROLE) it adds a set with known figures and
 *    runs them again as the app role; then ROLLBACK.  Nothing is ever
 *    committed: other connections keep seeing the real rows (MVCC) and
 *    would only wait on the deleted rows' locks if they wrote to them
 *    meanwhile (the suite runs its files one at a time).  The app role
 *    itself cannot do this (it may not delete setup rows, by design), and
 *    the end-to-end test cannot (a deletion inside a transaction is not
 *    visible to the pool's connections): t/e2e/admin_stats.js checks the
 *    page against figures computed from the live rows instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "core/db.h"
#include "lib/log.h"
#include "core/sql.h"
#include "tap.h"

static struct arena	A;
static char		tag[32];

/* user_<who><tag>, as app.provision_user accepts it. */
static const char *
uid(const char *who)
{
	return arena_printf(&A, "user_stats%s%s", who, tag);
}

/* --- 1. RLS alone, through libeleva ------------------------------------- */

static struct pg_result *
run(struct db *db, enum sql_id stmt, const char *p0, const char *p1)
{
	const char *p[2] = { p0, p1 };

	return db_run(db, &A, stmt, p);
}

/* Column col of every row, joined by ','. */
static const char *
column(struct pg_result *r, int col)
{
	char *s = arena_strdup(&A, "");
	int i;

	if (r == NULL)
		return "(error)";
	for (i = 0; i < db_rows(r); i++)
		s = arena_printf(&A, "%s%s%s", s, i ? "," : "",
		    db_opt(r, i, col) ? db_val(r, i, col) : "NULL");
	return s;
}

static void
rls_as(struct db *db, const char *who, const char *user, const char *org,
    const char *want_total, const char *want_list)
{
	struct db_ctx dc = { user, org, "req-stats", NULL, NULL, NULL };
	struct pg_result *r;

	ok(db_begin(db, &dc, 1) == 0, "%s: a read-only request begins", who);
	r = run(db, SQL_ADMIN_SETUP_STATS, NULL, NULL);
	is_str(column(r, 0), want_total, arena_printf(&A,
	    "%s: sql_admin_setup_stats counts %s setup row(s)", who,
	    want_total));
	r = run(db, SQL_ADMIN_SETUP_INCOMPLETE, NULL, NULL);
	is_str(column(r, 0), want_list, arena_printf(&A,
	    "%s: sql_admin_setup_incomplete lists [%s]", who, want_list));
	r = run(db, SQL_ADMIN_SETUP_EXPERT, uid("Y"), NULL);
	is_int(r ? db_rows(r) : -1, 0, arena_printf(&A,
	    "%s: sql_admin_setup_expert finds no other expert", who));
	db_rollback(db);
	ok(db_begin(db, &dc, 0) == 0, "%s: a read-write request begins", who);
	ok(run(db, SQL_ADMIN_SETUP_RESET, uid("Y"), NULL) == NULL &&
	    strcmp(db_sqlstate(db), "42501") == 0, "%s: "
	    "sql_admin_setup_reset of another expert is refused (42501)", who);
	db_rollback(db);
	arena_reset(&A);
}

/* Run q on the superuser connection.  0, or -1 (diagnosed). */
static int
sexec(struct db *su, const char *q)
{
	if (db_script(su, q) == 0)
		return 0;
	tap_diag("%s: %s", q, db_error(su));
	return -1;
}

/* The single value of a superuser query, or NULL. */
static const char *
sone(struct db *su, const char *q)
{
	struct pg_result *r = db_query(su, &A, q, 0, NULL);

	if (r != NULL && db_rows(r) == 1)
		return db_val(r, 0, 0);
	tap_diag("%s: %s", q, db_error(su));
	return NULL;
}

static void
test_rls(struct db *db, struct db *su)
{
	static char ox_[64], op_[64], od_[64];
	const char *ox, *op, *od;

	/* X and Y experts (incomplete), P a plain user, D a platform admin. */
	ox = sone(su, arena_printf(&A, "SELECT app.provision_user('%s', "
	    "'x%s@stats.example.test', 'Xavier', 'Xisto', 'expert_top', "
	    "'org_statsX%s')", uid("X"), tag, tag));
	sone(su, arena_printf(&A, "SELECT app.provision_user('%s', "
	    "'y%s@stats.example.test', 'Yara', 'Ygor', 'expert_community', "
	    "'org_statsY%s')", uid("Y"), tag, tag));
	op = sone(su, arena_printf(&A, "SELECT app.provision_user('%s', "
	    "'p%s@stats.example.test', 'Paula', 'Pinto', 'user', "
	    "'org_statsP%s')", uid("P"), tag, tag));
	od = sone(su, arena_printf(&A, "SELECT app.provision_user('%s', "
	    "'d%s@stats.example.test', 'Dora', 'Dinis', 'admin', "
	    "'org_statsD%s')", uid("D"), tag, tag));
	if (!ok(ox && op && od, "RLS: experts X and Y, user P and admin D "
	    "committed for this run"))
		return;
	/* Kept across the arena resets of each request below. */
	snprintf(ox_, sizeof(ox_), "%s", ox);
	snprintf(op_, sizeof(op_), "%s", op);
	snprintf(od_, sizeof(od_), "%s", od);
	ox = ox_;
	op = op_;
	od = od_;
	rls_as(db, "expert X", uid("X"), ox, "1", uid("X"));
	rls_as(db, "plain user P", uid("P"), op, "0", "");
	rls_as(db, "nobody signed in", NULL, NULL, "0", "");
	{
		struct db_ctx dc = { uid("D"), od, "req-stats", NULL, NULL, NULL };
		struct pg_result *r;
		const char *list;

		ok(db_begin(db, &dc, 1) == 0, "admin D (control): begins");
		r = run(db, SQL_ADMIN_SETUP_STATS, NULL, NULL);
		ok(r && db_int(r, 0, STATS_TOTAL) >= 2,
		    "admin D: counts the others' rows too");
		r = run(db, SQL_ADMIN_SETUP_INCOMPLETE, NULL, NULL);
		list = column(r, 0);
		ok(strstr(list, uid("X")) && strstr(list, uid("Y")),
		    "admin D: lists X and Y");
		r = run(db, SQL_ADMIN_SETUP_EXPERT, uid("Y"), NULL);
		is_str(column(r, EXPERT_EMAIL), arena_printf(&A, "y%s@stats.example.test",
		    tag), "admin D: finds Y's setup row");
		db_rollback(db);
	}
	arena_reset(&A);
}

/* --- 2. Known answers and the empty set, as the app role --------------- */

/* Run a statement of the table as the app role in the superuser's transaction. */
static struct pg_result *
as_app(struct db *su, enum sql_id stmt, const char *p0, const char *p1)
{
	const char *p[2] = { p0, p1 };
	struct pg_result *r;

	if (sexec(su, "SET LOCAL ROLE eleva_app") == -1)
		return NULL;
	if ((r = db_query(su, &A, sql_stmts[stmt].text,
	    sql_stmts[stmt].nparams, p)) == NULL)
		tap_diag("statement failed: %s", db_error(su));
	sexec(su, "RESET ROLE");
	return r;
}

/* The row of SQL_ADMIN_SETUP_STATS, all columns joined by ' '. */
static const char *
stats_line(struct db *su)
{
	struct pg_result *r = as_app(su, SQL_ADMIN_SETUP_STATS, NULL, NULL);
	char *s;
	int i;

	if (r == NULL || db_rows(r) != 1)
		return "(error)";
	s = arena_strdup(&A, db_val(r, 0, 0));
	for (i = 1; i < STATS__COLS; i++)
		s = arena_printf(&A, "%s %s", s, db_val(r, 0, i));
	return s;
}

/* Rows of a list statement: "id|name|email|steps|started|date;...". */
static const char *
list_lines(struct db *su, enum sql_id stmt, const char *p0, const char *p1)
{
	struct pg_result *r = as_app(su, stmt, p0, p1);
	char *s = arena_strdup(&A, "");
	int i, j;

	if (r == NULL)
		return "(error)";
	for (i = 0; i < db_rows(r); i++) {
		for (j = 0; j < sql_stmts[stmt].ncols; j++)
			s = arena_printf(&A, "%s%s%s", s, j ? "|" : (i ? ";" :
			    ""), db_opt(r, i, j) ? db_val(r, i, j) : "NULL");
	}
	return s;
}

/* An expert of the known set: flags as "110000", setup started on day. */
static int
known_expert(struct db *su, const char *who, const char *role,
    const char *first, const char *last, const char *flags, int day)
{
	const char *u = uid(who);
	int done = strcmp(flags, "111111") == 0;

	if (sone(su, arena_printf(&A, "SELECT app.provision_user('%s', "
	    "lower('%s%s@known.example.test'), %s, %s, '%s', 'org_stats%s%s')",
	    u, who, tag, first, last, role, who, tag)) == NULL)
		return -1;
	/* A role no expert has any more: provision_user made no row. */
	if (strncmp(role, "expert_", 7) != 0 && sexec(su, arena_printf(&A,
	    "INSERT INTO public.expert_setup (workos_user_id, org_id) SELECT "
	    "'%s', id FROM public.organizations WHERE slug = 'user-%s'", u,
	    u)) == -1)
		return -1;
	return sexec(su, arena_printf(&A, "UPDATE public.expert_setup SET "
	    "profile_completed = %s, availability_completed = %s, "
	    "events_completed = %s, google_account_completed = %s, "
	    "identity_completed = %s, payment_completed = %s, "
	    "setup_complete = %s, setup_completed_at = %s, "
	    "created_at = '2030-01-%02d 10:00:00+00' WHERE workos_user_id = '%s'",
	    flags[0] == '1' ? "true" : "false",
	    flags[1] == '1' ? "true" : "false",
	    flags[2] == '1' ? "true" : "false",
	    flags[3] == '1' ? "true" : "false",
	    flags[4] == '1' ? "true" : "false",
	    flags[5] == '1' ? "true" : "false",
	    done ? "true" : "false", done ? "now()" : "NULL", day, u));
}

static void
test_known(struct db *su)
{
	const char *e2, *e3, *e4, *want;

	if (!ok(sexec(su, "BEGIN") == 0, "known set: the superuser's "
	    "transaction begins"))
		return;
	ok(sone(su, arena_printf(&A, "SELECT app.provision_user('%s', "
	    "'k%s@known.example.test', 'Kim', 'Kato', 'admin', "
	    "'org_statsK%s')", uid("K"), tag, tag)) != NULL,
	    "known set: a fresh platform admin K");
	{
		const char *who[2] = { uid("K"), "" };
		char expires[24], mac[65];

		ok(db_sign(su, "enter", who, 2, expires, mac) == 0 &&
		    sexec(su, arena_printf(&A, "SELECT app.enter('%s', '', %s, "
		    "'%s')", who[0], expires, mac)) == 0,
		    "... whom app.enter names, signed as the app signs");
	}

	/* Empty. */
	ok(sexec(su, "DELETE FROM public.expert_setup") == 0,
	    "empty set: every expert_setup row deleted (in the transaction)");
	is_str(sone(su, "SELECT count(*) FROM public.expert_setup"), "0",
	    "empty set: none left");
	is_str(stats_line(su),
	    "0 0 0 0.0 0.0 0 0.0 0 0.0 0 0.0 0 0.0 0 0.0 0 0.0",
	    "empty set: all zeros, rates and average with one decimal");
	is_str(list_lines(su, SQL_ADMIN_SETUP_INCOMPLETE, NULL, NULL), "",
	    "empty set: no incomplete expert");
	is_str(list_lines(su, SQL_ADMIN_SETUP_INCOMPLETE, "20", "0"), "",
	    "empty set: ... on the first page either");

	/*
	 * Three experts: E1 complete, E2 profile + availability, E3 nothing;
	 * and U, a plain user left with a setup row: not an expert, not
	 * counted.
	 */
	ok(known_expert(su, "E1", "expert_top", "'Eva'", "'Um'", "111111",
	    1) == 0 && known_expert(su, "E2", "expert_community", "'Elsa'",
	    "'Dois'", "110000", 3) == 0 && known_expert(su, "E3",
	    "expert_lecturer", "NULL", "NULL", "000000", 2) == 0 &&
	    known_expert(su, "U", "user", "'Ulisses'", "'Util'", "110000",
	    5) == 0, "known set: E1 (6 steps), E2 (2), E3 (0), U (user, 2)");
	ok(sexec(su, arena_printf(&A, "INSERT INTO public.profiles (org_id, "
	    "workos_user_id, first_name, last_name) SELECT org_id, "
	    "workos_user_id, 'Dra. Elsa', 'Duarte' FROM public.expert_setup "
	    "WHERE workos_user_id = '%s'", uid("E2"))) == 0,
	    "known set: E2 has an (unpublished) profile with another name");
	is_str(stats_line(su),
	    "3 1 2 33.3 2.7 2 66.7 2 66.7 1 33.3 1 33.3 1 33.3 1 33.3",
	    "3 experts: 1 complete, 2 incomplete, 33.3 %, 8/3 = 2.7 steps; "
	    "per step 2, 2, 1, 1, 1, 1 of 3");
	e2 = arena_printf(&A, "%s|Dra. Elsa Duarte|e2%s@known.example.test|2|"
	    "2030-01-03T10:00:00Z|2030-01-03", uid("E2"), tag);
	e3 = arena_printf(&A, "%s|NULL|e3%s@known.example.test|0|"
	    "2030-01-02T10:00:00Z|2030-01-02", uid("E3"), tag);
	is_str(list_lines(su, SQL_ADMIN_SETUP_INCOMPLETE, NULL, NULL),
	    arena_printf(&A, "%s;%s", e2, e3), "incomplete: E2 then E3 "
	    "(newest first), the profile's name over the user's, NULL without "
	    "a name; U is not listed");

	/* E4: five steps (no payment): 13 steps over 4 is 3.25, so 3.3. */
	ok(known_expert(su, "E4", "expert_top", "'Ema'", "'Quatro'", "111110",
	    4) == 0, "known set: E4 (5 steps) added");
	is_str(stats_line(su),
	    "4 1 3 25.0 3.3 3 75.0 3 75.0 2 50.0 2 50.0 2 50.0 1 25.0",
	    "4 experts: 25.0 %, 13/4 = 3.25 rounds half up to 3.3");
	e4 = arena_printf(&A, "%s|Ema Quatro|e4%s@known.example.test|5|"
	    "2030-01-04T10:00:00Z|2030-01-04", uid("E4"), tag);
	is_str(list_lines(su, SQL_ADMIN_SETUP_INCOMPLETE, "2", "0"),
	    arena_printf(&A, "%s;%s", e4, e2), "page 1 of 2 (limit 2): E4, E2");
	is_str(list_lines(su, SQL_ADMIN_SETUP_INCOMPLETE, "2", "2"), e3,
	    "page 2: E3");
	is_str(list_lines(su, SQL_ADMIN_SETUP_INCOMPLETE, "2", "4"), "",
	    "past the end: nothing");
	want = arena_printf(&A, "%s|Eva Um|e1%s@known.example.test|6|"
	    "2030-01-01T10:00:00Z|2030-01-01|t", uid("E1"), tag);
	is_str(list_lines(su, SQL_ADMIN_SETUP_EXPERT, uid("E1"), NULL),
	    want, "sql_admin_setup_expert: E1, complete");
	is_str(list_lines(su, SQL_ADMIN_SETUP_EXPERT, uid("U"), NULL), "",
	    "sql_admin_setup_expert: U is no expert");

	/* The reset, as the admin. */
	want = list_lines(su, SQL_ADMIN_SETUP_RESET, uid("E1"), NULL);
	ok(strstr(want, "\"old\": {") && strstr(want, "\"payment_completed\": "
	    "true") && strstr(want, "\"new\": {"), "sql_admin_setup_reset: "
	    "old and new states");
	is_str(sone(su, arena_printf(&A, "SELECT concat_ws(',', "
	    "profile_completed, payment_completed, setup_complete, "
	    "setup_completed_at IS NULL) FROM public.expert_setup WHERE "
	    "workos_user_id = '%s'", uid("E1"))), "f,f,f,t",
	    "... E1's steps are undone and the setup incomplete");
	is_str(sone(su, arena_printf(&A, "SELECT concat_ws(' ', count(*), "
	    "min(a.workos_user_id), bool_and(a.org_id = o.id), "
	    "min(a.resource_type), bool_and(a.old_values->>'setup_complete' "
	    "= 'true' AND a.new_values->>'setup_complete' = 'false')) "
	    "FROM public.audit_logs a, public.organizations o WHERE "
	    "o.slug = 'user-%s' AND a.action = 'SETUP_RESET' AND "
	    "a.resource_id = '%s'", uid("E1"), uid("E1"))),
	    arena_printf(&A, "1 %s t expert_setup t", uid("K")),
	    "... audited by the function: one SETUP_RESET row, in the admin's "
	    "name, in E1's organization, complete before and not after");
	is_str(list_lines(su, SQL_ADMIN_SETUP_RESET, uid("nobody"), NULL),
	    "NULL", "sql_admin_setup_reset of an id without a row: NULL");
	is_str(sone(su, arena_printf(&A, "SELECT count(*) FROM "
	    "public.audit_logs WHERE action = 'SETUP_RESET' AND resource_id = "
	    "'%s'", uid("nobody"))), "0", "... and no audit row");
	is_str(stats_line(su),
	    "4 0 4 0.0 1.8 2 50.0 2 50.0 1 25.0 1 25.0 1 25.0 0 0.0",
	    "after the reset: 0 complete of 4, (0+2+0+5)/4 = 1.75, so 1.8");
	ok(sexec(su, "ROLLBACK") == 0, "known set: rolled back, nothing kept");
	arena_reset(&A);
}

/*
 * The bootstrap superuser over the stack's socket, on DATABASE_URL's
 * database and port (PG_PORT's when set: DATABASE_URL may be PgBouncer's),
 * or NULL.
 */
static struct db *
superuser(const char *url)
{
	const char *dir = getenv("PG_SOCKET_DIR"), *pg = getenv("PG_PORT");
	const char *port, *name;
	struct db *su;

	if (dir == NULL || *dir == '\0' ||
	    (name = strrchr(url, '/')) == NULL || (port = strrchr(url, ':')) ==
	    NULL || port > name)
		return NULL;
	if (pg != NULL && *pg != '\0')
		su = db_new(arena_printf(&A, "postgresql:///%s?host=%s&port=%s&"
		    "user=postgres", name + 1, dir, pg));
	else
		su = db_new(arena_printf(&A, "postgresql:///%s?host=%s&"
		    "port=%.*s&user=postgres", name + 1, dir,
		    (int)(name - port - 1), port + 1));
	db_set_quiet(su, 1);
	if (db_ensure(su) == -1) {
		tap_diag("superuser connection: %s", db_error(su));
		db_free(su);
		return NULL;
	}
	return su;
}

int
main(void)
{
	const char *url = getenv("DATABASE_URL");
	struct db *db, *su;

	if (url == NULL || *url == '\0') {
		printf("1..0 # SKIP DATABASE_URL is not set: run script/test\n");
		return 0;
	}
	arena_init(&A);
	if ((su = superuser(url)) == NULL) {
		printf("1..0 # SKIP no superuser access over PG_SOCKET_DIR\n");
		arena_free(&A);
		return 0;
	}
	log_set_level(LOG_ERROR + 1);	/* the refusals are on purpose */
	snprintf(tag, sizeof(tag), "%ld", (long)getpid());
	db = db_new(url);
	/* The stack's key, to sign identities as the app does. */
	if (getenv("ELEVA_IDENTITY_KEY") != NULL) {
		db_set_identity_key(db, getenv("ELEVA_IDENTITY_KEY"),
		    strcspn(getenv("ELEVA_IDENTITY_KEY"), ","));
		db_set_identity_key(su, getenv("ELEVA_IDENTITY_KEY"),
		    strcspn(getenv("ELEVA_IDENTITY_KEY"), ","));
	}
	test_rls(db, su);
	test_known(su);
	ok(sexec(su, arena_printf(&A, "DELETE FROM public.organizations WHERE "
	    "slug LIKE 'user-user\\_stats%%%s'; DELETE FROM public.users WHERE "
	    "workos_user_id LIKE 'user\\_stats%%%s'", tag, tag)) == 0,
	    "the run's users are removed");
	db_free(db);
	db_free(su);
	arena_free(&A);
	return tap_done();
}
