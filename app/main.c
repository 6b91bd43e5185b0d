/* main: the eleva command — serve, check, migrate, keygen, seed-demo. */

#include <stdio.h>
#include <string.h>

#include "core/assets.h"
#include "cli/demo.h"
#include "cli/migrate.h"
#include "lib/crypt.h"
#include "core/config.h"
#include "core/i18n.h"
#include "lib/log.h"
#include "pool.h"
#include "core/sql.h"

static const char main_usage[] =
"usage: eleva serve [options]   run the FastCGI pool (eleva serve --help)\n"
"       eleva check [--root DIR] load templates and catalogs, report errors\n"
"       eleva migrate [--status] [--dir DIR]  apply sql/ migrations (owner role)\n"
"       eleva keygen                 print a new SESSION_KEYS key\n"
"       eleva seed-demo              create the local stack's demo accounts\n"
"       eleva sql [NAME]             list the SQL statements, or print one\n"
"       eleva version\n";

static int
main_serve(int argc, char **argv)
{
	struct config cfg;
	char err[2048];
	int rc;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		fputs(config_usage, stdout);
		return 0;
	}
	if (config_load(&cfg, argc, argv, err, sizeof(err)) == -1) {
		log_set_role("eleva");
		log_error("configuration: %s", err);
		return 1;
	}
	log_set_level((enum log_level)cfg.log_level);
	rc = pool_run(&cfg);
	config_free(&cfg);
	return rc;
}

static void
main_missing(const char *key, void *lang)
{
	fprintf(stderr, "eleva check: %s has no text for \"%s\"\n",
	    (const char *)lang, key);
}

static int
main_check(int argc, char **argv)
{
	size_t missing = 0;
	int l;
	const char *root = ELEVA_ROOT;
	struct assets *as;
	char err[2048];

	if (argc == 3 && strcmp(argv[1], "--root") == 0)
		root = argv[2];
	else if (argc != 1) {
		fputs(main_usage, stderr);
		return 2;
	}
	if ((as = assets_load(root, err, sizeof(err))) == NULL) {
		fprintf(stderr, "eleva check: %s\n", err);
		return 1;
	}
	for (l = LANG_ES; l < LANG__MAX; l++)
		missing += i18n_missing(as->i18n, (enum lang)l, main_missing,
		    (void *)i18n_code((enum lang)l));
	assets_free(as);
	if (missing > 0) {
		fprintf(stderr, "eleva check: %zu missing translations\n",
		    missing);
		return 1;
	}
	printf("templates and catalogs in %s are valid\n", root);
	return 0;
}

/* eleva sql [NAME]: the statements' names, or one statement's text. */
static int
main_sql(int argc, char **argv)
{
	const char *q;
	size_t i;

	if (argc == 1) {
		for (i = 0; i < sql_table_n; i++)
			puts(sql_table[i].name);
		return 0;
	}
	if (argc != 2 || (q = sql_by_name(argv[1])) == NULL) {
		fprintf(stderr, "eleva sql: no statement \"%s\" (eleva sql "
		    "lists them)\n", argc == 2 ? argv[1] : "");
		return 2;
	}
	puts(q);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return main_serve(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "migrate") == 0)
		return cli_migrate_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "seed-demo") == 0)
		return cli_demo_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return main_check(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "sql") == 0)
		return main_sql(argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "keygen") == 0) {
		char key[64];

		if (crypt_keygen(key, sizeof(key)) == -1) {
			fputs("eleva keygen: no random bytes\n", stderr);
			return 1;
		}
		puts(key);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "version") == 0) {
		puts(PACKAGE_STRING);
		return 0;
	}
	fputs(main_usage, argc == 2 && strcmp(argv[1], "help") == 0 ?
	    stdout : stderr);
	return argc == 2 && strcmp(argv[1], "help") == 0 ? 0 : 2;
}
