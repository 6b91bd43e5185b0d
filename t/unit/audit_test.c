/*
 * audit_test: the audit actions are declared once — every action the
 * migrations' functions write (app.audit_write, app.audit) is in the
 * table of core/audit.c, and every entry of the table is written by the
 * C code or by the SQL.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "tap.h"

#define MAX_FILE	(4 << 20)

static char	used[AUDIT__N];

/* The whole file at path, NUL-terminated and malloc'd, or NULL. */
static char *
slurp(const char *path)
{
	char *buf;
	size_t len;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	buf = malloc(MAX_FILE);
	len = fread(buf, 1, MAX_FILE - 1, f);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

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

/* Each AUDIT_<NAME> the C code under dir names (not in core/audit.*). */
static void
scan_c(const char *dir)
{
	char path[4096], name[160];
	struct dirent *de;
	char *buf, *p;
	int a;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR) {
			scan_c(path);
			continue;
		}
		if (n < 3 || strcmp(de->d_name + n - 2, ".c") != 0 ||
		    strcmp(de->d_name, "audit.c") == 0 ||
		    (buf = slurp(path)) == NULL)
			continue;
		for (p = buf; (p = strstr(p, "AUDIT_")) != NULL; p += 6) {
			size_t w = strspn(p + 6, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");

			if (w == 0 || w >= sizeof(name))
				continue;
			memcpy(name, p + 6, w);
			name[w] = '\0';
			if ((a = audit_parse(name)) >= 0)
				used[a] = 1;
		}
		free(buf);
	}
	closedir(d);
}

int
main(void)
{
	const char *srcdir = getenv("ELEVA_SRCDIR");
	char dir[4096], path[8192];
	struct dirent **names;
	int i, n, found = 0;
	char *sql;

	if (srcdir == NULL || *srcdir == '\0')
		srcdir = ".";
	for (i = 0; i < AUDIT__N; i++)
		ok(audit_parse(audit_name((enum audit_action)i)) == i,
		    "%s is found by its name", audit_name((enum audit_action)i));
	ok(audit_parse("NO_SUCH_ACTION") == -1, "an unknown name is -1");

	snprintf(dir, sizeof(dir), "%s/sql", srcdir);
	if ((n = scandir(dir, &names, NULL, alphasort)) < 0)
		n = 0;
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (len > 4 && strcmp(names[i]->d_name + len - 4, ".sql") == 0 &&
		    (sql = slurp(path)) != NULL) {
			found += scan_sql(names[i]->d_name, sql,
			    "app.audit_write(");
			found += scan_sql(names[i]->d_name, sql, "app.audit(");
			free(sql);
		}
		free(names[i]);
	}
	free(names);
	ok(found >= 6, "the migrations write audit rows themselves (%d calls "
	    "with an action)", found);

	snprintf(dir, sizeof(dir), "%s/app", srcdir);
	scan_c(dir);
	for (i = 0; i < AUDIT__N; i++)
		ok(used[i], "%s is written by the C code or the SQL",
		    audit_name((enum audit_action)i));
	return tap_done();
}
