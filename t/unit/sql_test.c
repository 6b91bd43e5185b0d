/*
 * sql_test: the statement table — every entry named once, its $N
 * parameters as the table says, and, against the test stack's database,
 * the parameters and columns PostgreSQL sees as the table and sql.h's
 * column enums say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/db.h"
#include "core/sql.h"
#include "tap.h"

/* The highest $N in text, and whether each of $1..$max is there. */
static int
sql_params(const char *text, int *all)
{
	char seen[100];
	const char *p;
	int max = 0, n, i;

	memset(seen, 0, sizeof(seen));
	for (p = text; (p = strchr(p, '$')) != NULL; p++) {
		if (p[1] < '1' || p[1] > '9')
			continue;
		n = atoi(p + 1);
		if (n < (int)sizeof(seen))
			seen[n] = 1;
		if (n > max)
			max = n;
	}
	*all = 1;
	for (i = 1; i <= max; i++)
		if (!seen[i])
			*all = 0;
	return max;
}

static void
test_table(void)
{
	size_t i, j;
	int all, dup = 0;

	for (i = 0; i < SQL__N; i++) {
		const struct sql_stmt *st = &sql_stmts[i];

		if (!ok(st->name != NULL && st->text != NULL,
		    "statement %zu has a name and a text", i))
			continue;
		ok(sql_params(st->text, &all) == st->nparams,
		    "%s: its text's highest $N is the table's %d parameters",
		    st->name, st->nparams);
		ok(all, "%s: ... and it uses each of $1..$%d", st->name,
		    st->nparams);
		ok(sql_by_name(st->name) == st, "%s: found by its name",
		    st->name);
		for (j = i + 1; j < SQL__N; j++)
			if (sql_stmts[j].name != NULL &&
			    (strcmp(st->name, sql_stmts[j].name) == 0 ||
			    st->text == sql_stmts[j].text))
				dup = 1;
	}
	ok(!dup, "no two statements share a name or a text");
	ok(sql_by_name("no_such_statement") == NULL, "an unknown name is NULL");
	ok(strstr(sql_stmts[SQL_DASHBOARD_EXPERT].text,
	    "profile_completed::int") != NULL,
	    "a statement built from macros comes out whole");
}

/* What PostgreSQL sees in each statement, as the app role. */
static void
test_server(const char *url)
{
	struct arena a;
	struct db *db;
	int np, nc;
	size_t i;

	arena_init(&a);
	db = db_new(url);
	for (i = 0; i < SQL__N; i++) {
		const struct sql_stmt *st = &sql_stmts[i];

		np = nc = -1;
		if (st->flags & SQL_LEGACY)
			continue;	/* another database's (t/e2e/legacy.js) */
		if (!ok(db_describe(db, &a, (enum sql_id)i, &np, &nc) == 0,
		    "%s: PostgreSQL parses it (%s)", st->name, db_error(db)))
			continue;
		ok(np == st->nparams, "%s: the server sees %d parameters (%d)",
		    st->name, st->nparams, np);
		ok(nc == st->ncols, "%s: ... and %d columns, as sql.h says (%d)",
		    st->name, st->ncols, nc);
	}
	db_free(db);
	arena_free(&a);
}

int
main(void)
{
	const char *url = getenv("DATABASE_URL");

	test_table();
	if (url != NULL && *url != '\0') {
		log_set_level(LOG_ERROR + 1);
		test_server(url);
	} else
		tap_diag("DATABASE_URL is not set: the statements are not "
		    "checked against the schema (script/test does)");
	return tap_done();
}
