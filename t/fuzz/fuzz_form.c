/* fuzz_form: urlencoded and cookie parsing must never crash and only accept clean text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"
#include "lib/log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_list(const struct kvlist *l, const struct form_limits *lim, int text)
{
	size_t i;

	if (l->n > lim->max_fields)
		abort();
	for (i = 0; i < l->n; i++) {
		const struct kv *kv = &l->v[i];

		if (strlen(kv->name) > lim->max_name ||
		    kv->value_len > lim->max_value ||
		    strlen(kv->value) != kv->value_len)
			abort();
		if (text && (!form_utf8_valid(kv->name, strlen(kv->name)) ||
		    !form_utf8_valid(kv->value, kv->value_len)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct form_limits lim = { 16, 32, 256 };
	static struct arena a;
	struct kvlist l;
	char *s, *out;
	size_t outlen;

	if (a.first == NULL) {
		log_set_level(LOG_ERROR + 1);
		if (arena_init(&a) == -1)
			abort();
	}
	if (form_parse_urlencoded(&a, (const char *)data, size, &lim, &l) ==
	    FORM_OK)
		check_list(&l, &lim, 1);
	if (form_decode(&a, (const char *)data, size, 1, &out, &outlen) ==
	    FORM_OK && (!form_utf8_valid(out, outlen) ||
	    memchr(out, '\0', outlen) != NULL))
		abort();
	s = arena_strndup(&a, (const char *)data, size);
	if (form_parse_cookies(&a, s, &lim, &l) == FORM_OK)
		check_list(&l, &lim, 1);
	arena_reset(&a);
	return 0;
}
