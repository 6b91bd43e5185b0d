/* arena: per-request memory with cleanups, reset after every request. */
#ifndef ELEVA_ARENA_H
#define ELEVA_ARENA_H

#include <stddef.h>
#include <stdarg.h>

struct arena_chunk;
struct arena_cleanup;

struct arena {
	struct arena_chunk	*head;		/* chunk being filled */
	struct arena_chunk	*first;		/* kept across resets */
	struct arena_cleanup	*cleanups;	/* LIFO */
	size_t			 used;		/* bytes handed out since reset */
};

typedef void (*arena_cleanup_fn)(void *);

/*
 * Initialise an arena.  Returns 0, or -1 when the first chunk cannot be
 * allocated.  Call arena_free() when the owner (a worker) goes away.
 */
int	 arena_init(struct arena *);

/*
 * Return n bytes aligned for any type, owned by the arena until the next
 * arena_reset().  Never returns NULL: allocation failure aborts the process
 * (a worker that cannot allocate cannot answer; the master respawns it).
 */
void	*arena_alloc(struct arena *, size_t n);
void	*arena_calloc(struct arena *, size_t nmemb, size_t size);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*arena_vprintf(struct arena *, const char *, va_list);

/*
 * Register fn(ptr) to run at the next arena_reset() or arena_free(), in
 * reverse order of registration.  Used for PGresult, json-c objects, curl
 * buffers: anything the request owns that is not arena memory.
 */
void	 arena_cleanup(struct arena *, arena_cleanup_fn fn, void *ptr);

/*
 * End of request: run the cleanups, free every chunk but the first, and
 * wipe the bytes the request used so nothing survives into the next one.
 */
void	 arena_reset(struct arena *);

/* Reset, then release the first chunk too. */
void	 arena_free(struct arena *);

#endif
