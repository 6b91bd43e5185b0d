/* cli/sql: eleva sql [NAME] — the statement table's names, or one statement's text (script/bench runs them through pgbench). */
#include <stdio.h>

#include "core/sql.h"
#include "cli/cli.h"

int
cli_sql_main(int argc, char **argv)
{
	const struct sql_stmt *st;
	size_t i;

	if (argc == 1) {
		for (i = 0; i < SQL__N; i++)
			puts(sql_stmts[i].name);
		return 0;
	}
	if (argc != 2 || (st = sql_by_name(argv[1])) == NULL) {
		fprintf(stderr, "eleva sql: no statement \"%s\" (eleva sql "
		    "lists them)\n", argc == 2 ? argv[1] : "");
		return 2;
	}
	puts(st->text);
	return 0;
}
