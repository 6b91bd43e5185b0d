/* i18n_test: catalog loading, lookup with fallback, and Accept-Language negotiation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "tap.h"

static const char *srcdir;

static const char *
fixture(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/t/unit/fixtures/i18n/%s", srcdir,
	    name);
	return path;
}

/* Run fn with stderr captured into out[0..outlen). */
static void
capture_stderr(void (*fn)(void *), void *arg, char *out, size_t outlen)
{
	FILE *tmp = tmpfile();
	size_t n = 0;
	int saved;

	out[0] = '\0';
	if (tmp == NULL)
		return;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, outlen - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
}

static size_t
count_substr(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

struct collect {
	char	 keys[256];
};

static void
collect_key(const char *key, void *arg)
{
	struct collect *c = arg;

	strncat(c->keys, key, sizeof(c->keys) - strlen(c->keys) - 2);
	strcat(c->keys, ",");
}

static void
get_twice(void *arg)
{
	const struct i18n *c = arg;

	i18n_get(c, LANG_ES, "only_en");
	i18n_get(c, LANG_ES, "only_en");
	i18n_get(c, LANG_PT, "only_en");
	i18n_get(c, LANG_ES, "hash");
	i18n_get(c, LANG_ES, "only_en");
}

static void
test_load(void)
{
	struct i18n *c;
	struct collect col;
	char err[512], logbuf[4096];

	err[0] = '\0';
	c = i18n_load(fixture("ok"), err, sizeof(err));
	if (!ok(c != NULL, "load ok catalogs")) {
		tap_diag("error: %s", err);
		return;
	}
	is_str(i18n_get(c, LANG_EN, "greeting"), "Hello, {name}!", "en text");
	is_str(i18n_get(c, LANG_ES, "greeting"), "¡Hola, {name}!", "es text");
	is_str(i18n_get(c, LANG_PT, "greeting"), "Olá, {name}!", "pt text");
	is_str(i18n_get(c, LANG_BR, "greeting"), "Oi, {name}!",
	    "br text (BOM and CR stripped)");
	is_str(i18n_get(c, LANG_EN, "spaced.key"), "padded text",
	    "key and text trimmed");
	is_str(i18n_get(c, LANG_EN, "eq"), "a = b", "text keeps later '='");
	is_str(i18n_get(c, LANG_ES, "eq"), "a = b (es)", "es text with '='");
	is_str(i18n_get(c, LANG_BR, "eq"), "a = b (br)", "br text with '='");
	is_str(i18n_get(c, LANG_EN, "hash"), "Item #3", "'#' inside text kept");
	is_str(i18n_get(c, LANG_BR, "hash"), "Item n\xc2\xba 3",
	    "last line without newline, UTF-8 kept");
	is_str(i18n_get(c, LANG_ES, "only_en"), "Only English",
	    "es falls back to English");
	is_str(i18n_get(c, LANG_BR, "spaced.key"), "padded text",
	    "br falls back to English");
	ok(i18n_get(c, LANG_EN, "nope") == NULL, "unknown key: NULL (en)");
	ok(i18n_get(c, LANG_ES, "nope") == NULL, "unknown key: NULL (es)");
	ok(i18n_get(c, LANG_EN, "# an indented comment") == NULL,
	    "comment is not a key");
	ok(i18n_get(NULL, LANG_EN, "greeting") == NULL, "NULL catalog");
	ok(i18n_get(c, LANG_EN, NULL) == NULL, "NULL key");

	is_int(i18n_has(c, LANG_EN, "only_en"), 1, "has: en only_en");
	is_int(i18n_has(c, LANG_ES, "only_en"), 0, "has: es lacks only_en");
	is_int(i18n_has(c, LANG_ES, "greeting"), 1, "has: es greeting");
	is_int(i18n_has(c, LANG_BR, "hash"), 1, "has: br hash");
	is_int(i18n_has(c, LANG_PT, "hash"), 0, "has: pt lacks hash");
	is_int(i18n_has(c, LANG_EN, "nope"), 0, "has: unknown key");
	is_int(i18n_has(c, LANG_EN, "Greeting"), 0, "has: case-sensitive");

	memset(&col, 0, sizeof(col));
	is_int((long)i18n_missing(c, LANG_ES, collect_key, &col), 2,
	    "missing: es lacks 2");
	is_str(col.keys, "hash,only_en,", "missing: es keys, sorted");
	memset(&col, 0, sizeof(col));
	is_int((long)i18n_missing(c, LANG_PT, collect_key, &col), 4,
	    "missing: pt lacks 4");
	is_str(col.keys, "eq,hash,only_en,spaced.key,", "missing: pt keys");
	is_int((long)i18n_missing(c, LANG_BR, NULL, NULL), 2,
	    "missing: br lacks 2 (NULL fn)");
	is_int((long)i18n_missing(c, LANG_EN, NULL, NULL), 0,
	    "missing: en lacks none");

	/* A fresh catalog: nothing logged yet. */
	i18n_free(c);
	if (!ok((c = i18n_load(fixture("ok"), err, sizeof(err))) != NULL,
	    "reload ok catalogs"))
		return;
	capture_stderr(get_twice, c, logbuf, sizeof(logbuf));
	is_int((long)count_substr(logbuf, "no es text for \"only_en\""), 1,
	    "fallback logged once per key and language (es)");
	is_int((long)count_substr(logbuf, "no pt text for \"only_en\""), 1,
	    "fallback logged once per key and language (pt)");
	is_int((long)count_substr(logbuf, "no es text for \"hash\""), 1,
	    "fallback logged for another key");
	is_int((long)count_substr(logbuf, "warn"), 3, "three warnings in all");
	i18n_free(c);
	i18n_free(NULL);
}

static void
test_load_errors(void)
{
	struct {
		const char	*dir;
		const char	*file;
		const char	*msg;
	} tc[] = {
		{ "bad_dup", "en.txt",
		    "5: duplicate key \"a\" (first at line 1)" },
		{ "bad_malformed", "en.txt",
		    "3: malformed line (expected \"key = text\")" },
		{ "bad_utf8", "en.txt", "3: invalid UTF-8" },
		{ "bad_surrogate", "en.txt", "3: invalid UTF-8" },
		{ "bad_key", "en.txt",
		    "2: invalid key \"Oops\" (want [a-z0-9_.-]+)" },
		{ "bad_es", "es.txt",
		    "4: duplicate key \"b\" (first at line 3)" },
		{ "bad_notext", "en.txt",
		    "2: malformed line (missing text for \"b\")" },
		{ "bad_nul", "en.txt", "2: NUL byte" },
		{ "no_en", "en.txt", " No such file or directory" },
	};
	char err[8192], want[8192], name[128];
	struct i18n *c;
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		snprintf(want, sizeof(want), "%s/%s:%s", fixture(tc[i].dir),
		    tc[i].file, tc[i].msg);
		strcpy(err, "unchanged");
		c = i18n_load(fixture(tc[i].dir), err, sizeof(err));
		snprintf(name, sizeof(name), "%s: load fails", tc[i].dir);
		ok(c == NULL, "%s", name);
		i18n_free(c);
		snprintf(name, sizeof(name), "%s: error message", tc[i].dir);
		is_str(err, want, name);
	}
	c = i18n_load(fixture("does_not_exist"), err, sizeof(err));
	ok(c == NULL, "missing directory fails");
}

static void
test_negotiate(void)
{
	struct {
		const char	*h;
		enum lang	 want;
	} tc[] = {
		{ "", LANG_EN },
		{ "pt-BR,pt;q=0.9,en;q=0.8", LANG_BR },
		{ "pt-br", LANG_BR },
		{ "PT-br", LANG_BR },
		{ "pt", LANG_PT },
		{ "pt-PT", LANG_PT },
		{ "pt-AO", LANG_PT },
		{ "pt-BR;q=0.1, pt-PT;q=0.2", LANG_PT },
		{ "pt;q=0.5, pt-BR;q=0.6", LANG_BR },
		{ "es", LANG_ES },
		{ "es-MX", LANG_ES },
		{ "ES-mx", LANG_ES },
		{ "es-419,es;q=0.9", LANG_ES },
		{ "en-US", LANG_EN },
		{ "en-US,en;q=0.9,es;q=0.8", LANG_EN },
		{ "fr", LANG_EN },
		{ "fr-FR, de;q=0.9, es;q=0.1", LANG_ES },
		{ "da, en-gb;q=0.8, en;q=0.7", LANG_EN },
		{ "ja, zh-CN;q=0.8, pt-BR;q=0.3", LANG_BR },
		{ "es;q=0", LANG_EN },
		{ "es;q=0.000", LANG_EN },
		{ "es;q=0, pt;q=0.5", LANG_PT },
		{ "pt-BR;q=0, pt;q=0.1", LANG_PT },
		{ "en;q=0.5, es;q=0.8", LANG_ES },
		{ "en;q=0.8,es;q=0.8", LANG_EN },
		{ "es;q=0.8,en;q=0.8", LANG_ES },
		{ "es;q=0.001", LANG_ES },
		{ "es;q=1", LANG_ES },
		{ "es;q=1.000", LANG_ES },
		{ "  es  ;  q = 0.5  ", LANG_ES },
		{ "es;Q=0.5", LANG_ES },
		{ "en;q=0.4, es;level=1;q=0.5", LANG_ES },
		{ "es;q=abc", LANG_EN },
		{ "es;q=1.5", LANG_EN },
		{ "es;q=0.5000", LANG_EN },
		{ "es;q=", LANG_EN },
		{ "es;q", LANG_EN },
		{ "es;quality=2", LANG_ES },
		{ "fr, es;q=-1", LANG_EN },
		{ "es junk", LANG_EN },
		{ "*", LANG_EN },
		{ "*;q=0.5, pt;q=0.4", LANG_PT },
		{ "est", LANG_EN },
		{ "english", LANG_EN },
		{ "pt-brx", LANG_PT },
		{ ";;;,,,==q", LANG_EN },
		{ ",,,es,,,", LANG_ES },
		{ "\xff\xfe,es", LANG_ES },
		{ "es;q=0.5;q=0", LANG_EN },
		{ ";q=1,es;q=0.2", LANG_ES },
	};
	char name[256], *big;
	size_t i, n;

	is_int(i18n_negotiate(NULL), LANG_EN, "negotiate NULL -> en");
	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		snprintf(name, sizeof(name), "negotiate \"%s\" -> %s", tc[i].h,
		    i18n_code(tc[i].want));
		is_int(i18n_negotiate(tc[i].h), tc[i].want, name);
	}

	/* A huge header: 300000 unknown tags, then Spanish. */
	n = 300000;
	if ((big = malloc(n * 3 + 16)) == NULL)
		abort();
	for (i = 0; i < n; i++)
		memcpy(big + i * 3, "xx,", 3);
	strcpy(big + n * 3, "es;q=0.3");
	is_int(i18n_negotiate(big), LANG_ES, "huge header, es last");
	/* One huge tag and one huge q-value. */
	memset(big, 'q', n * 3);
	big[n * 3] = '\0';
	is_int(i18n_negotiate(big), LANG_EN, "huge single token");
	memcpy(big, "es;q=0.", 7);
	memset(big + 7, '5', n * 3 - 7);
	is_int(i18n_negotiate(big), LANG_EN, "huge q-value ignored");
	free(big);
}

static void
test_codes(void)
{
	is_int(i18n_parse_code("en"), LANG_EN, "parse_code en");
	is_int(i18n_parse_code("es"), LANG_ES, "parse_code es");
	is_int(i18n_parse_code("pt"), LANG_PT, "parse_code pt");
	is_int(i18n_parse_code("br"), LANG_BR, "parse_code br");
	is_int(i18n_parse_code("EN"), -1, "parse_code EN");
	is_int(i18n_parse_code("pt-BR"), -1, "parse_code pt-BR");
	is_int(i18n_parse_code("e"), -1, "parse_code e");
	is_int(i18n_parse_code("enx"), -1, "parse_code enx");
	is_int(i18n_parse_code(""), -1, "parse_code empty");
	is_int(i18n_parse_code(NULL), -1, "parse_code NULL");

	is_str(i18n_code(LANG_EN), "en", "code en");
	is_str(i18n_code(LANG_ES), "es", "code es");
	is_str(i18n_code(LANG_PT), "pt", "code pt");
	is_str(i18n_code(LANG_BR), "br", "code br");
	is_str(i18n_html_lang(LANG_EN), "en", "html lang en");
	is_str(i18n_html_lang(LANG_ES), "es", "html lang es");
	is_str(i18n_html_lang(LANG_PT), "pt-PT", "html lang pt");
	is_str(i18n_html_lang(LANG_BR), "pt-BR", "html lang br");
}

/* LANG.txt plus AREA.LANG.txt files merge into one catalog per language. */
static void
test_parts(void)
{
	char err[4096], want[4096];
	struct i18n *c;

	err[0] = '\0';
	c = i18n_load(fixture("parts"), err, sizeof(err));
	if (!ok(c != NULL, "parts: loads"))
		tap_diag("%s", err);
	is_str(i18n_get(c, LANG_EN, "p.x"), "X from a part",
	    "parts: a key of page.en.txt");
	is_str(i18n_get(c, LANG_EN, "a"), "A", "parts: a key of en.txt");
	is_str(i18n_get(c, LANG_ES, "p.x"), "X-es", "parts: page.es.txt");
	is_str(i18n_get(c, LANG_PT, "p.x"), "X-pt",
	    "parts: a language with only a part file");
	ok(!i18n_has(c, LANG_EN, "x"), "parts: other suffixes are ignored");
	is_int((long)i18n_missing(c, LANG_ES, NULL, NULL), 1,
	    "parts: es lacks b only");
	is_int((long)i18n_missing(c, LANG_PT, NULL, NULL), 2,
	    "parts: pt lacks a and b");
	i18n_free(c);

	c = i18n_load(fixture("bad_partdup"), err, sizeof(err));
	ok(c == NULL, "a key in two files: load fails");
	snprintf(want, sizeof(want), "%s/page.en.txt:3: duplicate key \"a\" "
	    "(also in %s/en.txt:1)", fixture("bad_partdup"),
	    fixture("bad_partdup"));
	is_str(err, want, "... naming both places");
}

/* How C code asks for a catalog text with a literal key. */
#define C_KEY_CALL	"view_t(c, \""

static void
print_missing(const char *key, void *arg)
{
	tap_diag("  %s lacks \"%s\"", (const char *)arg, key);
}

/* What the C files' literal keys came to: how many, how many missing. */
struct key_scan {
	const struct i18n	*c;
	size_t			 checked, bad;
};

/* Every literal key one C file asks for (C_KEY_CALL "key")) is in English. */
static void
scan_c_file(const char *path, const char *rel, char *buf, void *arg)
{
	struct key_scan *ks = arg;
	char *p, *q;

	(void)rel;
	for (p = buf; (p = strstr(p, C_KEY_CALL)) != NULL; p = q) {
		p += strlen(C_KEY_CALL);
		if ((q = strchr(p, '"')) == NULL)
			break;
		*q++ = '\0';
		ks->checked++;
		if (!i18n_has(ks->c, LANG_EN, p)) {
			tap_diag("  %s: \"%s\" is in no English catalog",
			    path, p);
			ks->bad++;
		}
	}
}

static size_t
scan_c_keys(const struct i18n *c, const char *dir)
{
	static const char *const c_files[] = { ".c", NULL };
	struct key_scan ks = { c, 0, 0 };

	if (tap_walk(dir, c_files, scan_c_file, &ks) == -1)
		return 1;
	return ks.checked == 0 ? 1 : ks.bad;
}

/* The product's own catalogs: every language has every English key. */
static void
test_real_catalogs(void)
{
	char dir[4096], err[4096];
	struct i18n *c;
	int l;

	snprintf(dir, sizeof(dir), "%s/templates/i18n", srcdir);
	c = i18n_load(dir, err, sizeof(err));
	if (!ok(c != NULL, "the product's catalogs load")) {
		tap_diag("%s", err);
		return;
	}
	for (l = LANG_ES; l < LANG__MAX; l++)
		ok(i18n_missing(c, (enum lang)l, print_missing,
		    (void *)i18n_code((enum lang)l)) == 0,
		    "catalog %s has every English key", i18n_code((enum lang)l));
	snprintf(dir, sizeof(dir), "%s/app", srcdir);
	is_int((long)scan_c_keys(c, dir), 0,
	    "every key the C code asks for is in English");
	i18n_free(c);
}

int
main(void)
{
	if ((srcdir = getenv("ELEVA_SRCDIR")) == NULL || *srcdir == '\0')
		srcdir = ".";
	test_load();
	test_load_errors();
	test_negotiate();
	test_codes();
	test_parts();
	test_real_catalogs();
	return tap_done();
}
