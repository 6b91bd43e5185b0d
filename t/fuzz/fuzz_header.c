/* fuzz_header: Accept-Language negotiation and response headers from arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "core/i18n.h"
#include "lib/log.h"
#include "core/out.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	struct resp r;
	struct buf b;
	enum lang l;
	char *s;
	size_t i;

	if (a.first == NULL) {
		log_set_level(LOG_ERROR + 1);
		if (arena_init(&a) == -1)
			abort();
	}
	s = arena_strndup(&a, (const char *)data, size);
	l = i18n_negotiate(s);
	if (l < LANG_EN || l >= LANG__MAX)
		abort();
	/* Whatever the value, the serialized head has no bare CR or LF. */
	out_init(&r, &a);
	out_header(&r, "X-Fuzz", s);
	buf_init(&b, &a);
	out_serialize(&r, 1, &b);
	for (i = 0; i < b.len; i++) {
		if (b.data[i] == '\n' && (i == 0 || b.data[i - 1] != '\r'))
			abort();
		if (b.data[i] == '\r' && (i + 1 == b.len ||
		    b.data[i + 1] != '\n'))
			abort();
	}
	arena_reset(&a);
	return 0;
}
