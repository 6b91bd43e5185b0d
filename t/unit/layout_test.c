/*
 * layout_test: the tree keeps its shape — each folder of app/ includes
 * only its own layer and those below (lib < core < domain < pages < cli <
 * the top: main, pool, worker); libpq, libcurl and libfcgi each stay in
 * the modules that own them (libcurl: core/workos.c for HTTP, core/mail.c
 * for SMTP); pages build views, never json-c objects;
 * ad-hoc SQL stays in core/db.c; every source file says what it is for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"


static const char *const layers[] = { "lib", "core", "domain", "pages", "cli",
    NULL };

/* A folder's rank in layers[]; the top level (no folder) ranks above all. */
static int
rank(const char *folder)
{
	int i;

	for (i = 0; layers[i] != NULL; i++)
		if (strcmp(layers[i], folder) == 0)
			return i;
	return i;
}

/* Where a system header may be included: the one module owning it. */
static const struct {
	const char	*header;
	const char	*const owners[3];
} owned[] = {
	{ "<libpq-fe.h>",	{ "core/db.c", "core/sql.c", NULL } },
	{ "<curl/curl.h>",	{ "core/workos.c", "core/mail.c", NULL } },
	{ "<fcgiapp.h>",	{ "core/out.c", "worker.c", NULL } },
};

/* Calls made only in some places: where (path prefixes), and why. */
static const struct {
	const char	*call;
	const char	*why;
	const char	*only_in[3];	/* NULL-terminated */
} calls[] = {
	{ "json_object_", "pages and domain build views (core/view.h)",
	    { "lib/", "core/", NULL } },
	{ "json_tokener_", "JSON is parsed through lib/jsonh.h",
	    { "lib/", NULL } },
	{ "db_query(", "the program runs the statement table (db_run)",
	    { "core/db.", NULL } },
	{ "PQ", "libpq is core/db.c's", { "core/db.", NULL } },
};

/* May rel make call k? */
static int
call_allowed(size_t k, const char *rel)
{
	size_t i;

	for (i = 0; calls[k].only_in[i] != NULL; i++)
		if (strncmp(rel, calls[k].only_in[i],
		    strlen(calls[k].only_in[i])) == 0)
			return 1;
	return 0;
}

static int	nfiles, bad_layer, bad_owner, bad_call, bad_head;

static int
allowed_owner(size_t h, const char *rel)
{
	size_t i;

	for (i = 0; owned[h].owners[i] != NULL; i++)
		if (strcmp(owned[h].owners[i], rel) == 0)
			return 1;
	return 0;
}

/* Does s (a line) call name( as an identifier? */
static int
calls_name(const char *s, const char *name)
{
	const char *p;

	for (p = s; (p = strstr(p, name)) != NULL; p++) {
		char before = p == s ? ' ' : p[-1];

		if ((before >= 'a' && before <= 'z') || before == '_' ||
		    (before >= 'A' && before <= 'Z') ||
		    (before >= '0' && before <= '9'))
			continue;
		return 1;
	}
	return 0;
}

/* One file of app/: its folder is its layer ("top" for main.c...). */
static void
check_file(const char *path, const char *rel, char *buf, void *arg)
{
	char folder[32], *line, *save = NULL;
	const char *sep = strchr(rel, '/');
	size_t h, k;
	int mine, in_comment = 0;

	(void)path;
	(void)arg;
	if (sep == NULL || (size_t)(sep - rel) >= sizeof(folder))
		snprintf(folder, sizeof(folder), "top");
	else
		snprintf(folder, sizeof(folder), "%.*s", (int)(sep - rel), rel);
	mine = rank(folder);
	nfiles++;
	if (strncmp(buf, "/* ", 3) != 0 && strncmp(buf, "/*\n * ", 6) != 0) {
		tap_diag("  %s: no comment saying what it is for", rel);
		bad_head++;
	}
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *s = line;

		while (*s == ' ' || *s == '\t')
			s++;
		/* Comments may name anything. */
		if (in_comment) {
			if (strstr(s, "*/") != NULL)
				in_comment = 0;
			continue;
		}
		if (strncmp(s, "/*", 2) == 0) {
			in_comment = strstr(s, "*/") == NULL;
			continue;
		}
		if (*s == '*')
			continue;
		if (strncmp(s, "#include \"", 10) == 0) {
			char inc[64];
			const char *slash;

			if ((slash = strchr(s + 10, '/')) == NULL ||
			    (size_t)(slash - s - 10) >= sizeof(inc))
				snprintf(inc, sizeof(inc), "top");
			else
				snprintf(inc, sizeof(inc), "%.*s",
				    (int)(slash - s - 10), s + 10);
			if (rank(inc) > mine) {
				tap_diag("  %s reaches up a layer: %s", rel, s);
				bad_layer++;
			}
			continue;
		}
		if (strncmp(s, "#include <", 10) == 0) {
			for (h = 0; h < sizeof(owned) / sizeof(owned[0]); h++)
				if (strstr(s, owned[h].header) != NULL &&
				    !allowed_owner(h, rel)) {
					tap_diag("  %s includes %s", rel,
					    owned[h].header);
					bad_owner++;
				}
			continue;
		}
		for (k = 0; k < sizeof(calls) / sizeof(calls[0]); k++)
			if (!call_allowed(k, rel) && calls_name(s, calls[k].call)) {
				tap_diag("  %s calls %s: %s (%s)", rel,
				    calls[k].call, calls[k].why, s);
				bad_call++;
			}
	}
}

static const char *const sources[] = { ".c", ".h", NULL };

int
main(void)
{
	const char *srcdir = getenv("ELEVA_SRCDIR");
	char app[4096];

	snprintf(app, sizeof(app), "%s/app", srcdir && *srcdir ? srcdir : ".");
	tap_walk(app, sources, check_file, NULL);
	ok(nfiles > 50, "the tree is read (%d files)", nfiles);
	ok(bad_layer == 0, "no file includes a layer above its own");
	ok(bad_owner == 0, "libpq, libcurl and libfcgi stay in their modules");
	ok(bad_call == 0, "pages and domain make no json-c calls, JSON is "
	    "parsed in lib/jsonh.c, libpq and ad-hoc SQL stay in core/db.c");
	ok(bad_head == 0, "every file opens with a comment saying what it is");
	return tap_done();
}
