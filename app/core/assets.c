/* assets: load templates and catalogs once; validated before any worker uses them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/crypt.h"
#include "lib/file.h"
#include "core/assets.h"
#include "core/i18n.h"
#include "core/tmpl.h"

/* Largest stylesheet or script hashed for the cache-busting version. */
#define ASSETS_MAX_CSS	(4 * 1024 * 1024)

/* The first hex digits of path's SHA-256 into hex (hexlen with the NUL). */
static int
assets_hash_file(const char *path, char *hex, size_t hexlen, char *err,
    size_t errlen)
{
	char full[65], *data;
	const char *why;
	struct arena a;
	size_t len;
	int rc = -1;

	if (arena_init(&a) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (file_read(&a, path, ASSETS_MAX_CSS, &data, &len, &why) == -1)
		snprintf(err, errlen, "%s: %s", path, why);
	else if (crypt_sha256_hex(data, len, full) == -1)
		snprintf(err, errlen, "%s: cannot hash", path);
	else {
		/* The first hexlen - 1 digits: a version, not a digest. */
		memcpy(hex, full, hexlen - 1);
		hex[hexlen - 1] = '\0';
		rc = 0;
	}
	arena_free(&a);
	return rc;
}

struct assets *
assets_load(const char *root, tmpl_link_fn link, char *err, size_t errlen)
{
	struct assets *as;
	char path[4096];

	if ((as = calloc(1, sizeof(*as))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/templates/i18n", root);
	if ((as->i18n = i18n_load(path, err, errlen)) == NULL)
		goto fail;
	snprintf(path, sizeof(path), "%s/templates", root);
	if ((as->tmpl = tmpl_load(path, as->i18n, link, err, errlen)) == NULL)
		goto fail;
	snprintf(path, sizeof(path), "%s/static/css/eleva.css", root);
	if (assets_hash_file(path, as->static_version,
	    sizeof(as->static_version), err, errlen) == -1)
		goto fail;
	snprintf(path, sizeof(path), "%s/static/js/tz.js", root);
	if (assets_hash_file(path, as->tz_js_version,
	    sizeof(as->tz_js_version), err, errlen) == -1)
		goto fail;
	return as;
fail:
	assets_free(as);
	return NULL;
}

void
assets_free(struct assets *as)
{
	if (as == NULL)
		return;
	if (as->tmpl != NULL)
		tmpl_free(as->tmpl);
	if (as->i18n != NULL)
		i18n_free(as->i18n);
	free(as);
}
