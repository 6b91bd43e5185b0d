/*
 * fuzz_req: the request parser over arbitrary FastCGI parameters and body.
 * Input: "NAME=value" lines; a line "--" starts the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"
#include "lib/log.h"
#include "core/req.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	const char *p = (const char *)data, *end = p + size, *nl;
	char *envp[65];
	const char *body = "";
	size_t n = 0, blen = 0;
	struct req r;
	int st;

	if (a.first == NULL) {
		log_set_level(LOG_ERROR + 1);
		if (arena_init(&a) == -1)
			abort();
	}
	while (p < end && n < 64) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p == 2 && memcmp(p, "--", 2) == 0) {
			body = nl < end ? nl + 1 : end;
			blen = (size_t)(end - body);
			body = arena_strndup(&a, body, blen);
			break;
		}
		/* FastCGI parameters cannot hold NUL: cut there, as libfcgi does. */
		envp[n++] = arena_strndup(&a, p, strnlen(p, (size_t)(nl - p)));
		p = nl + 1;
	}
	envp[n] = NULL;
	st = req_parse_env(&r, &a, envp, &req_default_limits);
	if (st != 0 && st != 400 && st != 413 && st != 414)
		abort();
	if (r.request_id == NULL || r.path == NULL || r.path[0] != '/')
		abort();
	if (st == 0) {
		if (!form_utf8_valid(r.path, strlen(r.path)))
			abort();
		st = req_parse_body(&r, body, blen, &req_default_limits);
		if (st != 0 && st != 400 && st != 413)
			abort();
	}
	arena_reset(&a);
	return 0;
}
