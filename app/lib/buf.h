/* buf: growable byte buffer owned by an arena (response bodies, rendering). */
#ifndef ELEVA_BUF_H
#define ELEVA_BUF_H

#include <stddef.h>
#include <stdarg.h>

struct arena;
struct buf_store;

struct buf {
	struct arena	*arena;
	struct buf_store *store;	/* arena-owned pointer the cleanup frees */
	char		*data;	/* always NUL-terminated once non-empty */
	size_t		 len;
	size_t		 cap;
};

/* Start an empty buffer whose storage is released at arena_reset(). */
void	 buf_init(struct buf *, struct arena *);
void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_truncate(struct buf *, size_t len);
/* The contents as a C string; "" for an empty buffer.  Arena-owned. */
const char *buf_str(struct buf *);

#endif
