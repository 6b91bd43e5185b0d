/* i18n: "key = text" message catalogs per language and Accept-Language negotiation. */

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/file.h"
#include "lib/log.h"
#include "core/i18n.h"

#define I18N_MAX_FILE	(4 * 1024 * 1024)	/* bytes per catalog file */
#define I18N_MAX_TAG	64			/* longest language tag kept */

struct i18n_entry {
	const char	*key;
	const char	*text;
	const char	*file;		/* the catalog file it came from */
	unsigned	 line;
};

struct i18n_cat {
	struct i18n_entry *e;	/* sorted by key */
	size_t		   n;
};

struct i18n {
	struct arena	 arena;		/* file contents, entries, flags */
	struct i18n_cat	 cat[LANG__MAX];
	/*
	 * Per language, one flag per English entry: the fallback to English
	 * has been logged.  Bounded by the number of English keys.
	 */
	unsigned char	*warned[LANG__MAX];
};

static const char *const i18n_codes[LANG__MAX] = {
	"en",		/* LANG_EN */
	"es",		/* LANG_ES */
	"pt",		/* LANG_PT */
	"br",		/* LANG_BR */
};

static const char *const i18n_html_codes[LANG__MAX] = {
	"en",		/* LANG_EN */
	"es",		/* LANG_ES */
	"pt-PT",	/* LANG_PT */
	"pt-BR",	/* LANG_BR */
};

static void	i18n_err(char *, size_t, const char *, unsigned, const char *,
		    ...) __attribute__((format(printf, 5, 6)));

static void
i18n_err(char *err, size_t errlen, const char *path, unsigned line,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(err, errlen, "%s:%u: %s", path, line, msg);
	else
		snprintf(err, errlen, "%s: %s", path, msg);
}

/* Non-zero when s[0..n) is well-formed UTF-8 (no overlongs, surrogates). */
static int
i18n_utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0, j, k;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			k = 1;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			k = 2;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			k = 3;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (n - i <= k)
			return 0;
		for (j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if (k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
			return 0;
		if (k == 3 && (cp < 0x10000 || cp > 0x10ffff))
			return 0;
		i += k + 1;
	}
	return 1;
}

static int
i18n_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int
i18n_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '.' || c == '-';
}

static int
i18n_entry_cmp(const void *a, const void *b)
{
	const struct i18n_entry *x = a, *y = b;
	int c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

static int
i18n_key_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct i18n_entry *)e)->key);
}

static const struct i18n_entry *
i18n_find(const struct i18n_cat *cat, const char *key)
{
	if (cat->n == 0)
		return NULL;
	return bsearch(key, cat->e, cat->n, sizeof(cat->e[0]), i18n_key_cmp);
}

/*
 * Read path into arena memory, NUL-terminated.  Returns 1, 0 when the
 * file does not exist and missing_ok, or -1 with err set.
 */
static int
i18n_read(struct arena *a, const char *path, int missing_ok, char **data,
    size_t *len, char *err, size_t errlen)
{
	const char *why;

	if (file_read(a, path, I18N_MAX_FILE, data, len, &why) == 0)
		return 1;
	if (errno == ENOENT && missing_ok)
		return 0;
	i18n_err(err, errlen, path, 0, "%s", why);
	return -1;
}

/* Entries being collected for one language, before sorting. */
struct i18n_acc {
	struct i18n_entry *e;
	size_t		   n, cap;
};

/*
 * Parse one catalog file held in buf[0..len) (writable, NUL-terminated):
 * keys and texts are cut in place and appended to acc.  Returns 0, or -1
 * with err set.
 */
static int
i18n_parse(struct arena *a, struct i18n_acc *acc, const char *path,
    char *buf, size_t len, char *err, size_t errlen)
{
	char *p, *end = buf + len, *eol, *ks, *ke, *ts, *te, *eq;
	size_t nlines = 1, i;
	unsigned line = 0;

	for (p = buf; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		nlines++;
	if (acc->n + nlines > acc->cap) {
		size_t cap = (acc->cap + nlines) * 2;
		struct i18n_entry *ne = arena_calloc(a, cap, sizeof(*ne));

		if (acc->n > 0)
			memcpy(ne, acc->e, acc->n * sizeof(*ne));
		acc->e = ne;
		acc->cap = cap;
	}
	/* A UTF-8 byte order mark is not part of the first key. */
	p = buf;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < end; p = eol + 1) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (memchr(p, '\0', (size_t)(eol - p)) != NULL) {
			i18n_err(err, errlen, path, line, "NUL byte");
			return -1;
		}
		if (!i18n_utf8_valid((unsigned char *)p, (size_t)(eol - p))) {
			i18n_err(err, errlen, path, line, "invalid UTF-8");
			return -1;
		}
		for (ks = p; ks < eol && i18n_space(*ks); ks++)
			continue;
		if (ks == eol || *ks == '#')
			continue;
		if ((eq = memchr(ks, '=', (size_t)(eol - ks))) == NULL) {
			i18n_err(err, errlen, path, line,
			    "malformed line (expected \"key = text\")");
			return -1;
		}
		for (ke = eq; ke > ks && i18n_space(ke[-1]); ke--)
			continue;
		for (ts = eq + 1; ts < eol && i18n_space(*ts); ts++)
			continue;
		for (te = eol; te > ts && i18n_space(te[-1]); te--)
			continue;
		if (ke == ks) {
			i18n_err(err, errlen, path, line,
			    "malformed line (missing key before '=')");
			return -1;
		}
		for (i = 0; ks + i < ke; i++)
			if (!i18n_key_char(ks[i])) {
				i18n_err(err, errlen, path, line,
				    "invalid key \"%.*s\" (want [a-z0-9_.-]+)",
				    (int)(ke - ks > 64 ? 64 : ke - ks), ks);
				return -1;
			}
		if (te == ts) {
			i18n_err(err, errlen, path, line,
			    "malformed line (missing text for \"%.*s\")",
			    (int)(ke - ks > 64 ? 64 : ke - ks), ks);
			return -1;
		}
		*ke = '\0';
		*te = '\0';
		acc->e[acc->n].key = ks;
		acc->e[acc->n].text = ts;
		acc->e[acc->n].file = path;
		acc->e[acc->n].line = line;
		acc->n++;
	}
	return 0;
}

/*
 * Sort the collected entries into cat; a key given twice (in one file or
 * in two) is an error naming both places.  Returns 0, or -1 with err set.
 */
static int
i18n_finish(struct i18n_cat *cat, struct i18n_acc *acc, char *err,
    size_t errlen)
{
	size_t i;

	cat->e = acc->e;
	cat->n = acc->n;
	if (cat->n == 0)
		return 0;
	qsort(cat->e, cat->n, sizeof(cat->e[0]), i18n_entry_cmp);
	for (i = 1; i < cat->n; i++)
		if (strcmp(cat->e[i - 1].key, cat->e[i].key) == 0) {
			if (strcmp(cat->e[i - 1].file, cat->e[i].file) == 0)
				i18n_err(err, errlen, cat->e[i].file,
				    cat->e[i].line, "duplicate key \"%s\" "
				    "(first at line %u)", cat->e[i].key,
				    cat->e[i - 1].line);
			else
				i18n_err(err, errlen, cat->e[i].file,
				    cat->e[i].line, "duplicate key \"%s\" "
				    "(also in %s:%u)", cat->e[i].key,
				    cat->e[i - 1].file, cat->e[i - 1].line);
			return -1;
		}
	return 0;
}

/* Sort file names for a stable load order. */
static int
i18n_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The extra catalog files of language code in dir ("setup.es.txt" ...),
 * sorted, arena-owned; *n receives how many.  Returns 0, or -1 with err
 * set when dir cannot be read.
 */
static int
i18n_parts(struct arena *a, const char *dir, const char *code,
    char ***names, size_t *n, char *err, size_t errlen)
{
	char suffix[16];
	size_t sl, cap = 0;
	struct dirent *de;
	DIR *d;

	*names = NULL;
	*n = 0;
	snprintf(suffix, sizeof(suffix), ".%s.txt", code);
	sl = strlen(suffix);
	if ((d = opendir(dir)) == NULL) {
		i18n_err(err, errlen, dir, 0, "%s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);

		if (de->d_name[0] == '.' || nl <= sl ||
		    strcmp(de->d_name + nl - sl, suffix) != 0)
			continue;
		if (*n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 16;
			nn = arena_calloc(a, cap, sizeof(*nn));
			if (*n > 0)
				memcpy(nn, *names, *n * sizeof(*nn));
			*names = nn;
		}
		(*names)[(*n)++] = arena_strdup(a, de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(*names, *n, sizeof(**names), i18n_name_cmp);
	return 0;
}

struct i18n *
i18n_load(const char *dir, char *err, size_t errlen)
{
	struct i18n *c;
	const char *path, *sep;
	char *data;
	size_t len, i, dl;
	int l, r;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		i18n_err(err, errlen, dir, 0, "out of memory");
		return NULL;
	}
	if (arena_init(&c->arena) == -1) {
		free(c);
		i18n_err(err, errlen, dir, 0, "out of memory");
		return NULL;
	}
	dl = strlen(dir);
	sep = dl > 0 && dir[dl - 1] == '/' ? "" : "/";
	for (l = 0; l < LANG__MAX; l++) {
		struct i18n_acc acc = { NULL, 0, 0 };
		char **parts;
		size_t nparts, k;

		path = arena_printf(&c->arena, "%s%s%s.txt", dir, sep,
		    i18n_codes[l]);
		r = i18n_read(&c->arena, path, l != LANG_EN, &data, &len,
		    err, errlen);
		if (r == -1)
			goto fail;
		if (r == 1 && i18n_parse(&c->arena, &acc, path, data, len,
		    err, errlen) == -1)
			goto fail;
		if (i18n_parts(&c->arena, dir, i18n_codes[l], &parts,
		    &nparts, err, errlen) == -1)
			goto fail;
		if (r == 0 && nparts == 0) {
			log_warn("i18n: %s: missing, every %s text falls "
			    "back to English", path, i18n_codes[l]);
			continue;
		}
		for (k = 0; k < nparts; k++) {
			path = arena_printf(&c->arena, "%s%s%s", dir, sep,
			    parts[k]);
			if (i18n_read(&c->arena, path, 0, &data, &len, err,
			    errlen) == -1 || i18n_parse(&c->arena, &acc, path,
			    data, len, err, errlen) == -1)
				goto fail;
		}
		if (i18n_finish(&c->cat[l], &acc, err, errlen) == -1)
			goto fail;
	}
	for (l = 0; l < LANG__MAX; l++) {
		if (l == LANG_EN)
			continue;
		c->warned[l] = arena_calloc(&c->arena,
		    c->cat[LANG_EN].n + 1, 1);
		/* A key English lacks is never used: probably a typo. */
		for (i = 0; i < c->cat[l].n; i++)
			if (i18n_find(&c->cat[LANG_EN],
			    c->cat[l].e[i].key) == NULL)
				log_warn("i18n: %s:%u: key \"%s\" is not "
				    "in the English catalogs",
				    c->cat[l].e[i].file, c->cat[l].e[i].line,
				    c->cat[l].e[i].key);
	}
	return c;
fail:
	i18n_free(c);
	return NULL;
}

void
i18n_free(struct i18n *c)
{
	if (c == NULL)
		return;
	arena_free(&c->arena);
	free(c);
}

const char *const i18n_days[I18N_DAYS] = { "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday" };

const char *
i18n_get(const struct i18n *c, enum lang l, const char *key)
{
	const struct i18n_entry *e;
	size_t idx;

	if (c == NULL || key == NULL)
		return NULL;
	if ((unsigned)l >= LANG__MAX)
		l = LANG_EN;
	if ((e = i18n_find(&c->cat[l], key)) != NULL)
		return e->text;
	if (l == LANG_EN || (e = i18n_find(&c->cat[LANG_EN], key)) == NULL)
		return NULL;
	idx = (size_t)(e - c->cat[LANG_EN].e);
	if (!c->warned[l][idx]) {
		c->warned[l][idx] = 1;
		log_warn("i18n: no %s text for \"%s\", using English",
		    i18n_codes[l], key);
	}
	return e->text;
}

int
i18n_has(const struct i18n *c, enum lang l, const char *key)
{
	if (c == NULL || key == NULL || (unsigned)l >= LANG__MAX)
		return 0;
	return i18n_find(&c->cat[l], key) != NULL;
}

size_t
i18n_missing(const struct i18n *c, enum lang l,
    void (*fn)(const char *, void *), void *arg)
{
	const struct i18n_cat *en, *cat;
	size_t i, j = 0, n = 0;
	int cmp;

	if (c == NULL || (unsigned)l >= LANG__MAX || l == LANG_EN)
		return 0;
	en = &c->cat[LANG_EN];
	cat = &c->cat[l];
	/* Both are sorted: one merge walk. */
	for (i = 0; i < en->n; i++) {
		cmp = 1;
		while (j < cat->n &&
		    (cmp = strcmp(cat->e[j].key, en->e[i].key)) < 0)
			j++;
		if (j < cat->n && cmp == 0)
			continue;
		n++;
		if (fn != NULL)
			fn(en->e[i].key, arg);
	}
	return n;
}

static int
i18n_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Non-zero when tag[0..n) is prefix, or prefix followed by "-..." */
static int
i18n_tag_is(const char *tag, size_t n, const char *prefix)
{
	size_t i, pl = strlen(prefix);

	if (n < pl)
		return 0;
	for (i = 0; i < pl; i++)
		if (i18n_lower((unsigned char)tag[i]) != prefix[i])
			return 0;
	return n == pl || tag[pl] == '-';
}

/* The language for a tag, or -1 when it is not one we serve. */
static int
i18n_tag_lang(const char *tag, size_t n)
{
	if (i18n_tag_is(tag, n, "es"))
		return LANG_ES;
	if (i18n_tag_is(tag, n, "pt-br"))
		return LANG_BR;
	if (i18n_tag_is(tag, n, "pt"))
		return LANG_PT;
	if (i18n_tag_is(tag, n, "en"))
		return LANG_EN;
	return -1;
}

static int
i18n_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Parse a qvalue in s[0..n): "0" ["." 0*3DIGIT] / "1" ["." 0*3"0"].
 * Returns thousandths (0..1000) or -1 when malformed.
 */
static int
i18n_qvalue(const char *s, size_t n)
{
	size_t i;
	int q, scale = 100;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	for (i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/*
 * One element of the list, s[0..n) without the comma: "tag *(; param)".
 * Sets *q to its weight in thousandths; returns its language or -1.
 */
static int
i18n_item(const char *s, size_t n, int *q)
{
	const char *e = s + n, *tag, *ps, *pe, *v;
	size_t taglen;
	int l;

	while (s < e && i18n_ows(*s))
		s++;
	for (tag = s; s < e && *s != ';' && !i18n_ows(*s); s++)
		continue;
	taglen = (size_t)(s - tag);
	if (taglen == 0 || taglen > I18N_MAX_TAG ||
	    (l = i18n_tag_lang(tag, taglen)) == -1)
		return -1;
	*q = 1000;
	while (s < e) {
		while (s < e && i18n_ows(*s))
			s++;
		if (s == e)
			break;
		if (*s != ';')
			return -1;	/* junk after the tag */
		for (ps = ++s; s < e && *s != ';'; s++)
			continue;
		pe = s;
		while (ps < pe && i18n_ows(*ps))
			ps++;
		while (pe > ps && i18n_ows(pe[-1]))
			pe--;
		for (v = ps; v < pe && *v != '=' && !i18n_ows(*v); v++)
			continue;
		if (v - ps != 1 || (*ps != 'q' && *ps != 'Q'))
			continue;	/* an extension parameter: ignored */
		while (v < pe && i18n_ows(*v))
			v++;
		if (v == pe || *v != '=')
			return -1;
		for (v++; v < pe && i18n_ows(*v); v++)
			continue;
		if ((*q = i18n_qvalue(v, (size_t)(pe - v))) == -1)
			return -1;
	}
	return l;
}

enum lang
i18n_negotiate(const char *h)
{
	const char *p, *e;
	int l, q, bestq = 0;
	enum lang best = LANG_EN;

	if (h == NULL)
		return LANG_EN;
	/* One pass, no allocation: linear in the header however long. */
	for (p = h; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		for (e = p; *e != '\0' && *e != ','; e++)
			continue;
		if ((l = i18n_item(p, (size_t)(e - p), &q)) == -1)
			continue;
		/* q=0 means "not acceptable"; ties go to the earlier one. */
		if (q > bestq) {
			bestq = q;
			best = (enum lang)l;
		}
	}
	return best;
}

const char *
i18n_code(enum lang l)
{
	return (unsigned)l < LANG__MAX ? i18n_codes[l] : i18n_codes[LANG_EN];
}

const char *
i18n_html_lang(enum lang l)
{
	return (unsigned)l < LANG__MAX ? i18n_html_codes[l] :
	    i18n_html_codes[LANG_EN];
}

int
i18n_parse_code(const char *s)
{
	int l;

	if (s == NULL)
		return -1;
	for (l = 0; l < LANG__MAX; l++)
		if (strcmp(s, i18n_codes[l]) == 0)
			return l;
	return -1;
}
