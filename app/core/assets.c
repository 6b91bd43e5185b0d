/* assets: load templates and catalogs once; validated before any worker uses them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/assets.h"
#include "core/i18n.h"
#include "core/tmpl.h"

static int
assets_hash_file(const char *path, char *hex, size_t hexlen, char *err,
    size_t errlen)
{
	unsigned char md[EVP_MAX_MD_SIZE], chunk[8192];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *h;
	size_t n;
	FILE *f;
	int ok;

	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	h = EVP_MD_CTX_new();
	ok = h != NULL && EVP_DigestInit_ex(h, EVP_sha256(), NULL) == 1;
	while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ok = EVP_DigestUpdate(h, chunk, n) == 1;
	ok = ok && !ferror(f) && EVP_DigestFinal_ex(h, md, &mdlen) == 1;
	EVP_MD_CTX_free(h);
	fclose(f);
	if (!ok) {
		snprintf(err, errlen, "%s: cannot hash", path);
		return -1;
	}
	for (i = 0; i < mdlen && 2 * i + 2 < hexlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

struct assets *
assets_load(const char *root, char *err, size_t errlen)
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
	if ((as->tmpl = tmpl_load(path, as->i18n, err, errlen)) == NULL)
		goto fail;
	snprintf(path, sizeof(path), "%s/static/css/eleva.css", root);
	if (assets_hash_file(path, as->static_version,
	    sizeof(as->static_version), err, errlen) == -1)
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
