/*
 * audit_test: the audit actions are declared once — every action the
 * migrations' functions write (app.audit_write, app.audit) is in the
 * table of core/audit.c, and every entry of the table is written by the
 * C code or by the SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "tap.h"

static char	used[AUDIT__N];

/*
 * Every quoted upper-case word in the arguments of each call to fn in
 * sql: the action's literal.  Returns how many were found.
 */
static int
scan_sql(const char *file, const char *sql, const char *fn)
{
	const char *p, *q, *end;
	char word[128];
	int found = 0, a;

	for (p = sql; (p = strstr(p, fn)) != NULL; p = end) {
		/* The call's arguments: up to the closing parenthesis. */
		if ((end = strstr(p, ");")) == NULL)
			end = p + strlen(p);
		for (q = p; q < end && (q = memchr(q, '\'', (size_t)(end - q))) !=
		    NULL; q++) {
			size_t n = strspn(q + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");

			if (n < 4 || q[1 + n] != '\'' || n >= sizeof(word))
				continue;
			memcpy(word, q + 1, n);
			word[n] = '\0';
			found++;
			a = audit_parse(word);
			ok(a >= 0, "%s: %s, written by the SQL, is in the table",
			    file, word);
			if (a >= 0)
				used[a] = 1;
			q += n + 1;
		}
	}
	return found;
}

/* Each AUDIT_<NAME> a C file of app/ names (core/audit.c aside). */
static void
scan_c(const char *path, const char *rel, char *buf, void *arg)
{
	char name[160];
	char *p;
	int a;

	(void)path;
	(void)arg;
	if (strcmp(rel, "core/audit.c") == 0)
		return;
	for (p = buf; (p = strstr(p, "AUDIT_")) != NULL; p += 6) {
		size_t w = strspn(p + 6, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");

		if (w == 0 || w >= sizeof(name))
			continue;
		memcpy(name, p + 6, w);
		name[w] = '\0';
		if ((a = audit_parse(name)) >= 0)
			used[a] = 1;
	}
}

/* The audit literals of each migration. */
static void
scan_migration(const char *path, const char *rel, char *sql, void *arg)
{
	int *found = arg;

	(void)path;
	*found += scan_sql(rel, sql, "app.audit_write(");
	*found += scan_sql(rel, sql, "app.audit(");
}

static const char *const c_files[] = { ".c", NULL };
static const char *const sql_files[] = { ".sql", NULL };

int
main(void)
{
	const char *srcdir = getenv("ELEVA_SRCDIR");
	char dir[4096];
	int i, found = 0;

	if (srcdir == NULL || *srcdir == '\0')
		srcdir = ".";
	for (i = 0; i < AUDIT__N; i++)
		ok(audit_parse(audit_name((enum audit_action)i)) == i,
		    "%s is found by its name", audit_name((enum audit_action)i));
	ok(audit_parse("NO_SUCH_ACTION") == -1, "an unknown name is -1");

	snprintf(dir, sizeof(dir), "%s/sql", srcdir);
	tap_walk(dir, sql_files, scan_migration, &found);
	ok(found >= 6, "the migrations write audit rows themselves (%d calls "
	    "with an action)", found);

	snprintf(dir, sizeof(dir), "%s/app", srcdir);
	tap_walk(dir, c_files, scan_c, NULL);
	for (i = 0; i < AUDIT__N; i++)
		ok(used[i], "%s is written by the C code or the SQL",
		    audit_name((enum audit_action)i));
	return tap_done();
}
