/*
 * fuzz_tmpl: the real templates render hostile values escaped, and template
 * sources from arbitrary bytes load or are refused without harm.
 *
 * Input starting with 'T': the rest is template source (a.html, and after
 * its first NUL b.html, which a partial may name), loaded with the real
 * catalogs and links from a directory made once; a set that loads renders
 * a.html.  Any other input (its first 512 bytes) is a value: every name
 * the real templates (and the catalog texts' {name}s) use is set to it,
 * sections to a list of it, and four of the templates, picked by the
 * value's hash, are rendered.  Either way each render is done twice,
 * the second time with the value's & < > " ' turned into 'x': values the
 * same length, so the same sections show, and escaping holds when both
 * outputs have as many < > " and ' (none came from a value).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/file.h"
#include "lib/log.h"
#include "core/i18n.h"
#include "core/tmpl.h"
#include "pages/routes.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_NAMES	2048
#define VALUE_MAX	512	/* bytes of the input a value takes */
#define PER_VALUE	4	/* templates rendered per value, by its hash */
#define MAX_TMPLS	128

#define NAME_VALUE	1	/* {{a}}, {{&a}}, {n} in a catalog text */
#define NAME_SECTION	2	/* {{#a}}, {{^a}} */

static struct arena	 init_arena;
static struct i18n	*cat;
static struct tmpl_set	*real;
static const char	*tmpls[MAX_TMPLS];
static size_t		 ntmpls;
static struct {
	const char	*name;
	int		 use;
}			 names[MAX_NAMES];
static size_t		 nnames;
static char		 tmpdir[] = "/tmp/fuzz_tmpl.XXXXXX";

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static void
add_name(const char *s, size_t len, int use)
{
	size_t i;

	if (len == 0 || (len == 1 && *s == '.'))
		return;
	for (i = 0; i < nnames; i++)
		if (strlen(names[i].name) == len &&
		    memcmp(names[i].name, s, len) == 0) {
			names[i].use |= use;
			return;
		}
	if (nnames == MAX_NAMES)
		abort();
	names[nnames].name = arena_strndup(&init_arena, s, len);
	names[nnames++].use = use;
}

/* The names a template's tags use. */
static void
scan_template(const char *p, size_t len)
{
	const char *end = p + len, *open, *close, *s, *e;
	int use;

	while ((open = memmem(p, (size_t)(end - p), "{{", 2)) != NULL &&
	    (close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2)) !=
	    NULL) {
		for (s = open + 2; s < close && *s == ' '; s++)
			continue;
		use = *s == '#' || *s == '^' ? NAME_SECTION :
		    *s == '&' || name_char(*s) ? NAME_VALUE : 0;
		if (use != 0) {
			if (!name_char(*s))
				s++;
			for (e = s; e < close && name_char(*e); e++)
				continue;
			add_name(s, (size_t)(e - s), use);
		}
		p = close + 2;
	}
}

/* The {name}s of catalog texts. */
static void
scan_catalog(const char *p, size_t len)
{
	const char *end = p + len, *e;

	for (; p < end; p++) {
		if (*p != '{')
			continue;
		for (e = p + 1; e < end && name_char(*e); e++)
			continue;
		if (e < end && *e == '}')
			add_name(p + 1, (size_t)(e - p - 1), NAME_VALUE);
	}
}

/* Call fn on each file of dir ending in suffix. */
static void
scan_dir(const char *dir, const char *suffix,
    void (*fn)(const char *, size_t))
{
	const char *why;
	struct dirent *de;
	size_t n, sl = strlen(suffix), len;
	char *data;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		abort();
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n <= sl || strcmp(de->d_name + n - sl, suffix) != 0)
			continue;
		if (file_read(&init_arena, arena_printf(&init_arena, "%s/%s",
		    dir, de->d_name), 1 << 20, &data, &len, &why) == -1)
			abort();
		fn(data, len);
		if (strcmp(suffix, ".html") == 0 && ntmpls < MAX_TMPLS)
			tmpls[ntmpls++] = arena_strndup(&init_arena,
			    de->d_name, n - sl);
	}
	closedir(d);
}

static void
cleanup(void)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/a.html", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b.html", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

static void
init(void)
{
	const char *src = getenv("ELEVA_SRCDIR");
	char err[4096], *dir;

	log_set_level(LOG_ERROR + 1);
	if (src == NULL || *src == '\0')
		src = ".";	/* make check and make fuzz set ELEVA_SRCDIR */
	if (arena_init(&init_arena) == -1)
		abort();
	dir = arena_printf(&init_arena, "%s/templates/i18n", src);
	if ((cat = i18n_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_tmpl: %s\n", err);
		abort();
	}
	scan_dir(dir, ".txt", scan_catalog);
	dir = arena_printf(&init_arena, "%s/templates", src);
	if ((real = tmpl_load(dir, cat, routes_template_link, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_tmpl: %s\n", err);
		abort();
	}
	scan_dir(dir, ".html", scan_template);
	if (mkdtemp(tmpdir) == NULL)
		abort();
	atexit(cleanup);
}

/* The child seg of o, made an object. */
static struct json_object *
child_object(struct json_object *o, const char *seg)
{
	struct json_object *c;

	if (json_object_object_get_ex(o, seg, &c) &&
	    json_object_is_type(c, json_type_object))
		return c;
	c = json_object_new_object();
	json_object_object_add(o, seg, c);
	return c;
}

/* Every name set to v (a list of v for a section), objects on the way. */
static struct json_object *
make_view(struct arena *a, const char *v, size_t len)
{
	struct json_object *root = json_object_new_object(), *o, *leaf, *c;
	char *copy, *seg, *dot;
	size_t i;

	for (i = 0; i < nnames; i++) {
		copy = arena_strdup(a, names[i].name);
		for (o = root, seg = copy; (dot = strchr(seg, '.')) != NULL;
		    seg = dot + 1) {
			*dot = '\0';
			o = child_object(o, seg);
		}
		/* Left alone when it leads to other names. */
		if (json_object_object_get_ex(o, seg, &c) &&
		    json_object_is_type(c, json_type_object))
			continue;
		if (names[i].use == NAME_SECTION) {
			leaf = json_object_new_array();
			json_object_array_add(leaf,
			    json_object_new_string_len(v, (int)len));
		} else
			leaf = json_object_new_string_len(v, (int)len);
		json_object_object_add(o, seg, leaf);
	}
	return root;
}

/* A small context for a fuzzed template: the value, lists, an object. */
static struct json_object *
make_ctx(const char *v, size_t len)
{
	struct json_object *root = json_object_new_object(), *list, *o;
	int i;

	json_object_object_add(root, "x", json_object_new_string_len(v,
	    (int)len));
	json_object_object_add(root, "n", json_object_new_int(42));
	json_object_object_add(root, "t", json_object_new_boolean(1));
	json_object_object_add(root, "f", json_object_new_boolean(0));
	json_object_object_add(root, "html", tmpl_html("<b>ok</b>", 9));
	list = json_object_new_array();
	for (i = 0; i < 2; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "x", json_object_new_string_len(v,
		    (int)len));
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "list", list);
	o = json_object_new_object();
	json_object_object_add(o, "x", json_object_new_string_len(v, (int)len));
	json_object_object_add(root, "obj", o);
	return root;
}

static void
count(struct buf *b, size_t n[4])
{
	size_t i;

	memset(n, 0, 4 * sizeof(n[0]));
	for (i = 0; i < b->len; i++)
		switch (b->data[i]) {
		case '<':
			n[0]++;
			break;
		case '>':
			n[1]++;
			break;
		case '"':
			n[2]++;
			break;
		case '\'':
			n[3]++;
			break;
		}
}

/* Render name from set with both contexts: as many < > " ' in each. */
static void
render_both(struct arena *a, const struct tmpl_set *set, const char *name,
    struct json_object *hostile, struct json_object *tame, enum lang l)
{
	struct buf b1, b2;
	size_t n1[4], n2[4];

	buf_init(&b1, a);
	buf_init(&b2, a);
	if (tmpl_render(set, name, hostile, l, &b1) == -1 ||
	    tmpl_render(set, name, tame, l, &b2) == -1)
		abort();
	count(&b1, n1);
	count(&b2, n2);
	if (memcmp(n1, n2, sizeof(n1)) != 0) {
		fprintf(stderr, "fuzz_tmpl: %s: a value's < > \" or ' "
		    "reached the output unescaped\n", name);
		abort();
	}
}

static int
write_file(const char *name, const char *data, size_t len)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Non-zero when src has a partial tag ({{>, {{ >). */
static int
has_partial(const char *src, size_t len)
{
	const char *p = src, *end = src + len;

	while ((p = memmem(p, (size_t)(end - p), "{{", 2)) != NULL) {
		for (p += 2; p < end && strchr(" \t\r\n", *p) != NULL; p++)
			continue;
		if (p < end && *p == '>')
			return 1;
	}
	return 0;
}

/* v with & < > " ' turned into 'x'. */
static const char *
tamed(struct arena *a, const char *v, size_t len)
{
	char *t = arena_alloc(a, len + 1);
	size_t i;

	for (i = 0; i < len; i++)
		t[i] = v[i] != '\0' && strchr("&<>\"'", v[i]) != NULL ? 'x' :
		    v[i];
	t[len] = '\0';
	return t;
}

static void
fuzz_source(struct arena *a, const char *src, size_t len)
{
	static const char evil[] = "<a href=\"x\" onclick='y'>&amp;";
	const char *nul = memchr(src, '\0', len);
	size_t alen = nul ? (size_t)(nul - src) : len;
	struct json_object *hostile, *tame;
	struct tmpl_set *set;
	char err[1024];

	if (write_file("a.html", src, alen) == -1 ||
	    write_file("b.html", nul ? nul + 1 : "", nul ? len - alen - 1 :
	    0) == -1)
		abort();
	err[0] = '\0';
	if ((set = tmpl_load(tmpdir, cat, routes_template_link, err,
	    sizeof(err))) == NULL) {
		if (err[0] == '\0')
			abort();
		return;
	}
	/*
	 * A partial inside a section renders once per element down to 16
	 * deep: k of them in a list is k^16 renders.  Trusted templates
	 * never do that; fuzzed ones are loaded, not rendered.
	 */
	if (!has_partial(src, len)) {
		hostile = make_ctx(evil, strlen(evil));
		tame = make_ctx(tamed(a, evil, strlen(evil)), strlen(evil));
		render_both(a, set, "a", hostile, tame, LANG_EN);
		json_object_put(hostile);
		json_object_put(tame);
	}
	tmpl_free(set);
}

static void
fuzz_value(struct arena *a, const char *v, size_t len)
{
	struct json_object *hostile, *tame;
	enum lang l = (enum lang)(len % LANG__MAX);
	uint32_t h = 2166136261u;
	size_t i;

	/* Each value is written many times over: keep it short and fast. */
	if (len > VALUE_MAX)
		len = VALUE_MAX;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)v[i]) * 16777619u;
	hostile = make_view(a, v, len);
	tame = make_view(a, tamed(a, v, len), len);
	for (i = 0; i < PER_VALUE && i < ntmpls; i++)
		render_both(a, real, tmpls[(h + i) % ntmpls], hostile, tame, l);
	json_object_put(hostile);
	json_object_put(tame);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;

	if (real == NULL) {
		init();
		if (arena_init(&a) == -1)
			abort();
	}
	if (size > 0 && data[0] == 'T')
		fuzz_source(&a, (const char *)data + 1, size - 1);
	else
		fuzz_value(&a, (const char *)data, size);
	arena_reset(&a);
	return 0;
}
