/* assets: what a worker loads from the deployment root: templates, catalogs, static version. */
#ifndef ELEVA_ASSETS_H
#define ELEVA_ASSETS_H

#include <stddef.h>

#include "core/tmpl.h"

struct i18n;
struct tmpl_set;

struct assets {
	struct i18n	*i18n;
	struct tmpl_set	*tmpl;
	char		 static_version[13];	/* hex digest prefix of the CSS */
	char		 tz_js_version[13];	/* and of static/js/tz.js */
};

/*
 * Load ROOT/templates/i18n/ *.txt, ROOT/templates/ *.html (their
 * {{%name}} links resolved by link) and hash
 * ROOT/static/css/eleva.css and ROOT/static/js/tz.js (for cache-busting
 * URLs).  Returns a new
 * assets object, or NULL with a message ("file:line: ...") in err.
 */
struct assets	*assets_load(const char *root, tmpl_link_fn link, char *err,
		    size_t errlen);
void		 assets_free(struct assets *);

#endif
