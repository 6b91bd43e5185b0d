/* sql_test: every statement declared in sql.h is in the named table, once, and found by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sql.h"
#include "tap.h"

int
main(void)
{
	const char *srcdir = getenv("ELEVA_SRCDIR");
	char path[4096], line[1024], name[256];
	size_t declared = 0, i, j;
	FILE *f;

	snprintf(path, sizeof(path), "%s/app/core/sql.h", srcdir && *srcdir ?
	    srcdir : ".");
	if (!ok((f = fopen(path, "r")) != NULL, "sql.h is readable"))
		return tap_done();
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "extern const char sql_%255[a-z0-9_][];",
		    name) != 1)
			continue;
		declared++;
		ok(sql_by_name(name) != NULL, "sql_%s is in sql_table", name);
	}
	fclose(f);
	is_int((long)sql_table_n, (long)declared,
	    "the table has as many statements as sql.h declares");
	for (i = 0; i < sql_table_n; i++)
		for (j = i + 1; j < sql_table_n; j++)
			if (strcmp(sql_table[i].name, sql_table[j].name) == 0 ||
			    sql_table[i].sql == sql_table[j].sql)
				ok(0, "%s is listed twice", sql_table[i].name);
	ok(sql_by_name("no_such_statement") == NULL, "an unknown name is NULL");
	ok(strstr(sql_by_name("dashboard_expert"), "profile_completed::int") != NULL,
	    "a statement built from macros comes out whole");
	return tap_done();
}
