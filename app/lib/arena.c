/* arena: per-request bump allocator with a cleanup list. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"

#define ARENA_CHUNK	(32 * 1024)
#define ARENA_ALIGN	(_Alignof(max_align_t))

struct arena_chunk {
	struct arena_chunk	*next;	/* older chunk */
	size_t			 size;	/* usable bytes in data[] */
	size_t			 off;
	_Alignas(max_align_t) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup	*next;
	arena_cleanup_fn	 fn;
	void			*ptr;
};

static struct arena_chunk *
chunk_new(size_t size)
{
	struct arena_chunk *c;

	if ((c = malloc(sizeof(*c) + size)) == NULL)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->off = 0;
	return c;
}

int
arena_init(struct arena *a)
{
	memset(a, 0, sizeof(*a));
	if ((a->first = chunk_new(ARENA_CHUNK)) == NULL)
		return -1;
	a->head = a->first;
	return 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c;
	size_t need, off;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN) {
		fputs("arena: allocation too large\n", stderr);
		abort();
	}
	need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	c = a->head;
	off = c->off;
	if (need > c->size - off) {
		size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		struct arena_chunk *nc;

		if ((nc = chunk_new(size)) == NULL) {
			fputs("arena: out of memory\n", stderr);
			abort();
		}
		nc->next = a->head;
		a->head = nc;
		c = nc;
		off = 0;
	}
	c->off = off + need;
	a->used += need;
	return c->data + off;
}

void *
arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	void *p;

	if (size != 0 && nmemb > SIZE_MAX / size) {
		fputs("arena: calloc overflow\n", stderr);
		abort();
	}
	p = arena_alloc(a, nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	char *p;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		fputs("arena: bad format\n", stderr);
		abort();
	}
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_cleanup(struct arena *a, arena_cleanup_fn fn, void *ptr)
{
	struct arena_cleanup *c = arena_alloc(a, sizeof(*c));

	c->fn = fn;
	c->ptr = ptr;
	c->next = a->cleanups;
	a->cleanups = c;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next;

	/* Cleanups live in the arena: take each before its memory goes. */
	while (a->cleanups != NULL) {
		struct arena_cleanup *cl = a->cleanups;

		a->cleanups = cl->next;
		cl->fn(cl->ptr);
	}
	for (c = a->head; c != a->first; c = next) {
		next = c->next;
		explicit_bzero(c->data, c->off);
		free(c);
	}
	memset(a->first->data, 0, a->first->off);
	a->first->off = 0;
	a->head = a->first;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	if (a->first == NULL)
		return;
	arena_reset(a);
	free(a->first);
	a->first = a->head = NULL;
}
