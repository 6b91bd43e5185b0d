/* cli/maintenance: eleva maintenance-pages — render the page nginx serves while the site is under maintenance, once per language, ahead of time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "core/assets.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/tmpl.h"
#include "core/view.h"
#include "pages/routes.h"
#include "cli/cli.h"

/*
 * Write len bytes to path whole or not at all (a temporary file renamed),
 * readable by all: nginx serves it, as another user, whatever the umask
 * (eleva.service's is 0027).
 */
static int
maintenance_write(const char *path, const char *data, size_t len)
{
	char tmp[4200];
	FILE *f;
	int ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok || chmod(tmp, 0644) == -1 || rename(tmp, path) == -1) {
		remove(tmp);
		return -1;
	}
	return 0;
}

int
cli_maintenance_main(int argc, char **argv)
{
	const char *root = config_root(), *out = NULL;
	struct assets *as;
	struct arena a;
	struct buf b;
	struct view *v;
	char err[2048], path[4096];
	int i, l, rc = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
			root = argv[++i];
		else if (out == NULL && argv[i][0] != '-')
			out = argv[i];
		else
			out = NULL, i = argc;
	}
	if (out == NULL) {
		fputs("usage: eleva maintenance-pages [--root DIR] OUTDIR\n",
		    stderr);
		return 2;
	}
	if ((as = assets_load(root, routes_template_link, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "eleva maintenance-pages: %s\n", err);
		return 1;
	}
	/* Made here: searchable by nginx's user too, whatever the umask. */
	if (mkdir(out, 0755) == -1 ? errno != EEXIST : chmod(out, 0755) == -1) {
		fprintf(stderr, "eleva maintenance-pages: cannot make %s: %s\n",
		    out, strerror(errno));
		assets_free(as);
		return 1;
	}
	if (arena_init(&a) == -1) {
		assets_free(as);
		return 1;
	}
	for (l = 0; l < LANG__MAX && rc == 0; l++) {
		arena_reset(&a);
		buf_init(&b, &a);
		v = view_new(&a);
		view_str(v, "lang", i18n_html_lang((enum lang)l));
		view_str(v, "static_version", as->static_version);
		snprintf(path, sizeof(path), "%s/%s.html", out,
		    i18n_code((enum lang)l));
		if (tmpl_render(as->tmpl, "maintenance", view_object(v),
		    (enum lang)l, &b) == -1 || maintenance_write(path,
		    buf_str(&b), b.len) == -1) {
			fprintf(stderr, "eleva maintenance-pages: cannot write "
			    "%s\n", path);
			rc = 1;
		}
	}
	if (rc == 0)
		printf("maintenance pages written to %s\n", out);
	arena_free(&a);
	assets_free(as);
	return rc;
}
