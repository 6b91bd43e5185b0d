/* buf: growable byte buffer; storage is malloc'd and freed by an arena cleanup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"

struct buf_store {
	char	*data;
	size_t	 cap;
};

static void
buf_release(void *p)
{
	struct buf_store *s = p;

	/* Response bodies hold other people's data: wipe before freeing. */
	if (s->data != NULL)
		explicit_bzero(s->data, s->cap);
	free(s->data);
	s->data = NULL;
}

void
buf_init(struct buf *b, struct arena *a)
{
	b->arena = a;
	b->store = NULL;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

static void
buf_grow(struct buf *b, size_t extra)
{
	size_t cap;
	char *p;

	if (b->len + extra + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 512;
	while (cap < b->len + extra + 1)
		cap *= 2;
	/* malloc + copy rather than realloc: the old block is wiped. */
	if ((p = malloc(cap)) == NULL) {
		fputs("buf: out of memory\n", stderr);
		abort();
	}
	if (b->data != NULL) {
		memcpy(p, b->data, b->len + 1);
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	if (b->store == NULL) {
		/* First growth: the arena frees the storage at reset. */
		b->store = arena_alloc(b->arena, sizeof(*b->store));
		arena_cleanup(b->arena, buf_release, b->store);
	}
	b->store->data = p;
	b->store->cap = cap;
	b->data = p;
	b->cap = cap;
}

void
buf_append(struct buf *b, const void *s, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

const char *
buf_str(struct buf *b)
{
	return b->data != NULL ? b->data : "";
}
