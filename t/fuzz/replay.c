/* replay: run a fuzz target over its stored corpus as a TAP test (make check). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
replay_file(const char *path)
{
	unsigned char *data;
	size_t len;
	long n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0 || (data = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return -1;
	}
	len = fread(data, 1, (size_t)n, f);
	fclose(f);
	/* A crash or sanitizer report ends the program: the test fails. */
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

int
main(void)
{
	const char *src = getenv("ELEVA_SRCDIR");
	struct dirent **names;
	char dir[4096], path[8192];
	int i, n;

	snprintf(dir, sizeof(dir), "%s/t/fuzz/corpus/%s", src ? src : ".",
	    FUZZ_NAME);
	if ((n = scandir(dir, &names, NULL, alphasort)) < 0) {
		tap_ok(0, "corpus %s can be read", dir);
		return tap_done();
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir,
			    names[i]->d_name);
			tap_ok(replay_file(path) == 0, "%s: %s", FUZZ_NAME,
			    names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return tap_done();
}
