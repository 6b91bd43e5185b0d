/* file: whole-file reads into arena memory, for templates and catalogs. */
#ifndef ELEVA_FILE_H
#define ELEVA_FILE_H

#include <stddef.h>

struct arena;

/*
 * Read the regular file at path (at most max bytes) into a NUL-terminated
 * arena buffer: *data and *len.  Returns 0, or -1 with *why set to a
 * static reason ("No such file or directory", "file too large", "not a
 * regular file") and errno kept from the failing call.
 */
int	file_read(struct arena *, const char *path, size_t max, char **data,
	    size_t *len, const char **why);

#endif
