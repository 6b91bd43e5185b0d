/*
 * fuzz_return_to: return paths from arbitrary bytes stay local paths.
 *
 * auth_local_path() must return its argument exactly when auth.h says it
 * is a local path (starts with one "/", not "//" nor "/\", no backslash,
 * no control character, at most 512 bytes: so no scheme nor host), and
 * NULL otherwise; routes_landing() must always give a local path.  The
 * input is tried as it is, and as the query string a request delivers
 * (decoded values are UTF-8, so a return path is too), and an accepted
 * path must survive the sign-in redirect's return_to=<encoded> unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "core/auth.h"
#include "core/form.h"
#include "lib/log.h"
#include "pages/routes.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Non-zero when auth.h calls p a local path. */
static int
local_path(const char *p)
{
	const unsigned char *s;

	if (p[0] != '/' || p[1] == '/' || p[1] == '\\' || strlen(p) > 512)
		return 0;
	for (s = (const unsigned char *)p; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			return 0;
	return 1;
}

static void
check(struct arena *a, const char *in, int utf8)
{
	const char *r, *enc;
	char *dec;
	size_t declen;
	int setup;

	r = auth_local_path(in);
	if (local_path(in) ? r != in : r != NULL)
		abort();
	if (r != NULL && utf8 && !form_utf8_valid(r, strlen(r)))
		abort();
	for (setup = 0; setup < 2; setup++) {
		r = routes_landing(in, setup);
		if (r == NULL || !local_path(r) ||
		    (local_path(in) && r != in) ||
		    (utf8 && !form_utf8_valid(r, strlen(r))))
			abort();
	}
	/* route_sign_in: ?return_to=<encoded>, read back by sign_in. */
	if (local_path(in) && utf8) {
		enc = form_urlencode(a, in);
		if (form_decode(a, enc, strlen(enc), 1, &dec, &declen) !=
		    FORM_OK || declen != strlen(in) || strcmp(dec, in) != 0 ||
		    auth_local_path(dec) != dec)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct form_limits lim = { 64, 256, 4096 };
	static struct arena a;
	struct kvlist l;
	char *s;
	size_t i;

	if (a.first == NULL) {
		log_set_level(LOG_ERROR + 1);
		if (arena_init(&a) == -1)
			abort();
	}
	s = arena_strndup(&a, (const char *)data, size);
	check(&a, s, form_utf8_valid(s, strlen(s)));
	if (form_parse_urlencoded(&a, (const char *)data, size, &lim, &l) ==
	    FORM_OK)
		for (i = 0; i < l.n; i++)
			check(&a, l.v[i].value, 1);
	if (auth_local_path(NULL) != NULL)
		abort();
	arena_reset(&a);
	return 0;
}
