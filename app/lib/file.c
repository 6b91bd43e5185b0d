/* file: whole-file reads into arena memory. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/file.h"

int
file_read(struct arena *a, const char *path, size_t max, char **data,
    size_t *len, const char **why)
{
	struct stat st;
	size_t n = 0;
	ssize_t r;
	char *p;
	int fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		*why = strerror(errno);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		errno = EINVAL;
		goto fail;
	}
	if ((size_t)st.st_size > max) {
		*why = "file too large";
		errno = EFBIG;
		goto fail;
	}
	p = arena_alloc(a, (size_t)st.st_size + 1);
	while (n < (size_t)st.st_size) {
		r = read(fd, p + n, (size_t)st.st_size - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			*why = strerror(errno);
			goto fail;
		}
		if (r == 0)
			break;	/* shrank while reading: take what is there */
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*data = p;
	*len = n;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}
