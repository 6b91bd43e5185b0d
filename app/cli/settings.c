/* cli/settings: eleva settings — every setting with the value the environment and flags give it, then whether they hold together. */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "cli/cli.h"

int
cli_settings_main(int argc, char **argv)
{
	struct config cfg;
	char err[2048];
	int rc;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		fputs("usage: eleva settings [eleva serve's flags]\n", stdout);
		return 0;
	}
	if (config_read(&cfg, argc, argv, err, sizeof(err)) == -1) {
		fprintf(stderr, "eleva settings: %s\n", err);
		return 2;
	}
	config_show(stdout, &cfg);
	rc = config_check(&cfg, err, sizeof(err));
	config_free(&cfg);
	if (rc == -1) {
		fprintf(stderr, "eleva settings: %s\n", err);
		return 1;
	}
	puts("(the settings are valid)");
	return 0;
}
