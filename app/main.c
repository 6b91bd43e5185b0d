/* main: the eleva command — its subcommands in one table; serve runs the pool. */
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "core/config.h"
#include "cli/cli.h"
#include "pool.h"

static int	main_serve(int, char **);
static int	main_version(int, char **);

/* Every subcommand, with its line of the usage text. */
static const struct {
	const char	*name;
	int		(*run)(int argc, char **argv);
	const char	*usage;
} main_commands[] = {
	{ "serve",	main_serve,
	    "serve [options]          run the FastCGI pool (eleva serve --help)" },
	{ "check",	cli_check_main,
	    "check [--root DIR]       load templates and catalogs, report errors" },
	{ "migrate",	cli_migrate_main,
	    "migrate [--status] [--dir DIR]  apply sql/ migrations (owner role)" },
	{ "settings",	cli_settings_main,
	    "settings [flags]         show every setting's value, check them" },
	{ "keygen",	cli_keygen_main,
	    "keygen                   print a new SESSION_KEYS key" },
	{ "seed-demo",	cli_demo_main,
	    "seed-demo                create the local stack's demo accounts" },
	{ "audit",	cli_audit_main,
	    "audit verify|prune ...   check the audit log's chains, prune by age (owner role)" },
	{ "legacy",	cli_legacy_main,
	    "legacy COMMAND ...       move the Clerk-era users and data to WorkOS and here (owner role)" },
	{ "mailer",	cli_mailer_main,
	    "mailer [--once] [options]  deliver the outbox's e-mails over SMTP (SMTP_URL)" },
	{ "maintenance-pages",	cli_maintenance_main,
	    "maintenance-pages [--root DIR] OUTDIR  render the maintenance page in each language" },
	{ "sql",	cli_sql_main,
	    "sql [NAME]               list the SQL statements, or print one" },
	{ "version",	main_version,
	    "version" },
};
#define MAIN_NCOMMANDS	(sizeof(main_commands) / sizeof(main_commands[0]))

static void
main_usage(FILE *f)
{
	size_t i;

	for (i = 0; i < MAIN_NCOMMANDS; i++)
		fprintf(f, "%s eleva %s\n", i == 0 ? "usage:" : "      ",
		    main_commands[i].usage);
}

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

static int
main_version(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		main_usage(stderr);
		return 2;
	}
	puts(PACKAGE_STRING);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && strcmp(argv[1], "help") == 0) {
		main_usage(stdout);
		return 0;
	}
	for (i = 0; argc >= 2 && i < MAIN_NCOMMANDS; i++)
		if (strcmp(argv[1], main_commands[i].name) == 0)
			return main_commands[i].run(argc - 1, argv + 1);
	main_usage(stderr);
	return 2;
}
