/* cli/audit: eleva audit verify|prune — the audit log's hash chains and its retention (sql/0014_audit_chain.sql). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/db.h"
#include "core/sql.h"
#include "cli/cli.h"

static const char audit_usage[] =
"usage: eleva audit verify [--org ID]\n"
"       eleva audit prune --older-than AGE [--execute]\n"
"  (with DATABASE_OWNER_URL; AGE: a number and y, m or d, e.g. 7y;\n"
"  prune only reports what it would remove unless --execute)\n";

/* "7y" as "7 years" (m: months, d: days), else NULL. */
static const char *
audit_age(struct arena *a, const char *s)
{
	static const struct {
		char		 unit;
		const char	*name;
	} units[] = { { 'y', "years" }, { 'm', "months" }, { 'd', "days" } };
	size_t n = strspn(s, "0123456789"), i;

	if (n == 0 || n > 6 || strlen(s) != n + 1)
		return NULL;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (tolower((unsigned char)s[n]) == units[i].unit)
			return arena_printf(a, "%.*s %s", (int)n, s,
			    units[i].name);
	return NULL;
}

/* A chain's name for people: its organization, or "no organization". */
static const char *
audit_chain_name(struct arena *a, const char *chain)
{
	return *chain == '\0' ? "no organization" :
	    arena_printf(a, "organization %s", chain);
}

static int
audit_verify(struct db *db, struct arena *a, const char *org)
{
	const struct pg_result *r;
	const char *p[1] = { org };
	int i, broken = 0;

	if ((r = db_run(db, a, SQL_AUDIT_VERIFY, p)) == NULL) {
		fprintf(stderr, "eleva audit verify: %s\n", db_error(db));
		return 1;
	}
	for (i = 0; i < db_rows(r); i++) {
		const char *name = audit_chain_name(a, db_val(r, i,
		    VERIFY_CHAIN));

		if (db_opt(r, i, VERIFY_REASON) == NULL) {
			printf("%s: intact (%s rows)\n", name,
			    db_val(r, i, VERIFY_ROWS));
			continue;
		}
		broken++;
		if (db_opt(r, i, VERIFY_BAD_ID) != NULL)
			printf("%s: broken at audit row %s: %s\n", name,
			    db_val(r, i, VERIFY_BAD_ID),
			    db_val(r, i, VERIFY_REASON));
		else
			printf("%s: broken: %s\n", name,
			    db_val(r, i, VERIFY_REASON));
	}
	if (db_rows(r) == 0 && org != NULL) {
		printf("organization %s: no audit rows\n", org);
		return 0;
	}
	printf("%s\n", broken ? "BROKEN" : "intact");
	return broken ? 1 : 0;
}

static int
audit_prune(struct db *db, struct arena *a, const char *age, int execute)
{
	const struct pg_result *r;
	const char *p[2];
	long long total = 0;
	int i;

	p[0] = age;
	p[1] = execute ? "true" : "false";
	if (db_script(db, "BEGIN") == -1 ||
	    (r = db_run(db, a, SQL_AUDIT_PRUNE, p)) == NULL ||
	    db_commit(db) == -1) {
		fprintf(stderr, "eleva audit prune: %s (nothing removed)\n",
		    db_error(db));
		db_rollback(db);
		return 1;
	}
	for (i = 0; i < db_rows(r); i++) {
		printf("%s: %s %s rows (up to sequence %s, older than %s)\n",
		    audit_chain_name(a, db_val(r, i, PRUNE_CHAIN)),
		    execute ? "removed" : "would remove",
		    db_val(r, i, PRUNE_ROWS), db_val(r, i, PRUNE_UP_TO),
		    db_val(r, i, PRUNE_CUTOFF));
		total += db_int(r, i, PRUNE_ROWS);
	}
	printf("%s %lld rows older than %s%s\n", execute ? "removed" :
	    "would remove", total, age, execute ? "" :
	    " (a dry run: --execute removes them)");
	return 0;
}

int
cli_audit_main(int argc, char **argv)
{
	const char *url = getenv("DATABASE_OWNER_URL"), *org = NULL;
	const char *age = NULL, *cmd = argc > 1 ? argv[1] : "";
	struct arena a;
	struct db *db;
	int i, execute = 0, rc;

	log_set_role("audit");
	arena_init(&a);
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--org") == 0 && i + 1 < argc)
			org = argv[++i];
		else if (strcmp(argv[i], "--older-than") == 0 && i + 1 < argc) {
			if ((age = audit_age(&a, argv[++i])) == NULL)
				break;
		} else if (strcmp(argv[i], "--execute") == 0)
			execute = 1;
		else
			break;
	}
	if (i < argc || url == NULL || *url == '\0' ||
	    !((strcmp(cmd, "verify") == 0 && age == NULL && !execute) ||
	    (strcmp(cmd, "prune") == 0 && age != NULL && org == NULL))) {
		fputs(audit_usage, stderr);
		arena_free(&a);
		return 2;
	}
	if ((db = db_new(url)) == NULL || db_ensure(db) == -1) {
		fprintf(stderr, "eleva audit: cannot connect: %s\n",
		    db != NULL ? db_error(db) : "out of memory");
		db_free(db);
		arena_free(&a);
		return 1;
	}
	rc = strcmp(cmd, "verify") == 0 ? audit_verify(db, &a, org) :
	    audit_prune(db, &a, age, execute);
	db_free(db);
	arena_free(&a);
	return rc;
}
