/* cli/check: eleva check — load the templates and catalogs as a worker would, report errors and missing translations. */
#include <stdio.h>
#include <string.h>

#include "core/assets.h"
#include "core/config.h"
#include "core/i18n.h"
#include "pages/routes.h"
#include "cli/cli.h"

static void
check_missing(const char *key, void *lang)
{
	fprintf(stderr, "eleva check: %s has no text for \"%s\"\n",
	    (const char *)lang, key);
}

int
cli_check_main(int argc, char **argv)
{
	const char *root = config_root();
	size_t missing = 0;
	struct assets *as;
	char err[2048];
	int l;

	if (argc == 3 && strcmp(argv[1], "--root") == 0)
		root = argv[2];
	else if (argc != 1) {
		fputs("usage: eleva check [--root DIR]\n", stderr);
		return 2;
	}
	if ((as = assets_load(root, routes_template_link, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "eleva check: %s\n", err);
		return 1;
	}
	for (l = LANG_ES; l < LANG__MAX; l++)
		missing += i18n_missing(as->i18n, (enum lang)l, check_missing,
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
