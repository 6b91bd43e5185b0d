/*
 * fuzz_i18n: message catalogs from arbitrary bytes load exactly when i18n.h
 * says they are well formed, with the texts it says; Accept-Language from
 * arbitrary bytes picks a language we have.
 *
 * Input: catalog files separated by lines "%%": en.txt, es.txt,
 * setup.en.txt, pt.txt, setup.br.txt (the ones not given are absent),
 * written once each run into a directory made once and loaded with
 * i18n_load().  A small parser here reads the same files as i18n.h
 * describes them: the load must succeed exactly when it finds no error,
 * and then give each key its trimmed text, in its language.  The whole
 * input is also an Accept-Language header.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "core/form.h"
#include "core/i18n.h"
#include "lib/log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NFILES	5

static const struct {
	const char	*name;
	enum lang	 lang;
} files[NFILES] = {
	{ "en.txt", LANG_EN },
	{ "es.txt", LANG_ES },
	{ "setup.en.txt", LANG_EN },
	{ "pt.txt", LANG_PT },
	{ "setup.br.txt", LANG_BR },
};

/* What the reference parser read: one "key = text" line. */
struct entry {
	const char	*key;
	const char	*text;
	enum lang	 lang;
};

static char	 tmpdir[] = "/tmp/fuzz_i18n.XXXXXX";

static void
cleanup(void)
{
	char path[256];
	size_t i;

	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i].name);
		unlink(path);
	}
	rmdir(tmpdir);
}

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int
key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '.' || c == '-';
}

/*
 * Read one catalog as i18n.h describes it, appending to e[*n].  Returns 0,
 * or -1 for a malformed line, a NUL or invalid UTF-8.
 */
static int
ref_parse(struct arena *a, const char *p, size_t len, enum lang l,
    struct entry *e, size_t *n)
{
	const char *end = p + len, *eol, *ks, *ke, *eq, *ts, *te, *k;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL ||
		    !form_utf8_valid(p, (size_t)(eol - p)))
			return -1;
		for (ks = p; ks < eol && space(*ks); ks++)
			continue;
		if (ks == eol || *ks == '#')
			continue;
		if ((eq = memchr(ks, '=', (size_t)(eol - ks))) == NULL)
			return -1;
		for (ke = eq; ke > ks && space(ke[-1]); ke--)
			continue;
		for (ts = eq + 1; ts < eol && space(*ts); ts++)
			continue;
		for (te = eol; te > ts && space(te[-1]); te--)
			continue;
		if (ke == ks || te == ts)
			return -1;
		for (k = ks; k < ke; k++)
			if (!key_char(*k))
				return -1;
		e[*n].key = arena_strndup(a, ks, (size_t)(ke - ks));
		e[*n].text = arena_strndup(a, ts, (size_t)(te - ts));
		e[*n].lang = l;
		(*n)++;
	}
	return 0;
}

static void
write_file(const char *name, const char *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (data == NULL) {
		unlink(path);
		return;
	}
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(data, 1, len, f) != len || fclose(f) != 0)
		abort();
}

/* Entry i of e has the key of an earlier one in its language. */
static int
duplicate(const struct entry *e, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (e[j].lang == e[i].lang && strcmp(e[j].key, e[i].key) == 0)
			return 1;
	return 0;
}

/* Does language l have key, in e[0..n)? */
static int
has_key(const struct entry *e, size_t n, enum lang l, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e[i].lang == l && strcmp(e[i].key, key) == 0)
			return 1;
	return 0;
}

static void
check_catalogs(struct arena *a, const char *data, size_t size)
{
	const char *part[NFILES], *p = data, *end = data + size, *sep;
	size_t plen[NFILES], i, n = 0, missing;
	struct entry *e;
	struct i18n *c;
	char err[1024];
	int valid = 1, l;

	/* At most one entry per line. */
	e = arena_calloc(a, size / 2 + 2, sizeof(*e));
	for (i = 0; i < NFILES; i++) {
		part[i] = p;
		plen[i] = 0;
		if (p == NULL)
			continue;
		if (end - p >= 3 && memcmp(p, "%%\n", 3) == 0)
			p += 3;
		else if ((sep = memmem(p, (size_t)(end - p), "\n%%\n", 4)) !=
		    NULL) {
			plen[i] = (size_t)(sep - p);
			p = sep + 4;
		} else {
			plen[i] = (size_t)(end - p);
			p = NULL;
		}
		if (ref_parse(a, part[i], plen[i], files[i].lang, e, &n) == -1)
			valid = 0;
	}
	for (i = 0; i < n && valid; i++)
		if (duplicate(e, i))
			valid = 0;
	for (i = 0; i < NFILES; i++)
		write_file(files[i].name, part[i], plen[i]);
	err[0] = '\0';
	c = i18n_load(tmpdir, err, sizeof(err));
	if ((c != NULL) != valid || (c == NULL && err[0] == '\0'))
		abort();
	if (c == NULL)
		return;
	for (i = 0; i < n; i++) {
		const char *t = i18n_get(c, e[i].lang, e[i].key);

		if (!i18n_has(c, e[i].lang, e[i].key) || t == NULL ||
		    strcmp(t, e[i].text) != 0)
			abort();
	}
	for (l = LANG_ES; l < LANG__MAX; l++) {
		missing = 0;
		for (i = 0; i < n; i++)
			if (e[i].lang == LANG_EN &&
			    !has_key(e, n, (enum lang)l, e[i].key))
				missing++;
		if (i18n_missing(c, (enum lang)l, NULL, NULL) != missing)
			abort();
	}
	if (i18n_get(c, LANG_ES, "Not A Key") != NULL)
		abort();
	i18n_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	enum lang l;

	if (a.first == NULL) {
		log_set_level(LOG_ERROR + 1);
		if (arena_init(&a) == -1 || mkdtemp(tmpdir) == NULL)
			abort();
		atexit(cleanup);
	}
	check_catalogs(&a, size > 0 ? (const char *)data : "", size);
	l = i18n_negotiate(arena_strndup(&a, (const char *)data, size));
	if (l < LANG_EN || l >= LANG__MAX)
		abort();
	arena_reset(&a);
	return 0;
}
