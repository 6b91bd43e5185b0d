/* tmpl: mustache-like templates parsed once into node trees and rendered over json-c values. */
#include <sys/stat.h>

#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/file.h"
#include "lib/html.h"
#include "lib/log.h"
#include "core/i18n.h"
#include "core/tmpl.h"

#define TMPL_MAX_DEPTH	16			/* nested partials at render */
#define TMPL_MAX_FILE	(8 * 1024 * 1024)	/* bytes per template file */

enum tmpl_ntype {
	TN_TEXT,	/* literal bytes */
	TN_VAR,		/* {{a.b}} */
	TN_RAW,		/* {{&a}} */
	TN_SECTION,	/* {{#a}}..{{/a}} */
	TN_INVERTED,	/* {{^a}}..{{/a}} */
	TN_PARTIAL,	/* {{>name}} */
	TN_I18N,	/* {{@key}} */
};

/* A dotted name split once at load. */
struct tmpl_name {
	const char	 *full;		/* as written: messages, {{/name}} */
	const char	**seg;
	size_t		  nseg;		/* 0 for ".", the current element */
};

/* One piece of a catalog text: escaped literal bytes or a {name}. */
struct tmpl_ipart {
	struct tmpl_ipart *next;
	const char	*s;		/* already HTML-escaped */
	size_t		 len;
	struct tmpl_name nm;
	int		 isname;
};

struct tmpl;

/*
 * A parsed tag or text run.  The "warned" flags are set while rendering
 * through a const set: workers are single-threaded processes.
 */
struct tmpl_node {
	enum tmpl_ntype	 type;
	unsigned	 line;
	struct tmpl_node *next;
	union {
		struct {
			const char	*s;
			size_t		 len;
		} text;
		struct {
			struct tmpl_name nm;
			int		 warned;	/* {{&}} misuse logged */
		} var;
		struct {
			struct tmpl_name nm;
			struct tmpl_node *first, *last;
			struct tmpl_node *parent;	/* while parsing */
		} sec;
		struct {
			const char	*name;
			struct tmpl	*t;		/* resolved after load */
			struct tmpl	*owner;		/* for messages */
			struct tmpl_node *nextp;	/* every partial */
			int		 warned;	/* depth limit logged */
		} part;
		struct {
			const char	*key;
			struct tmpl_ipart *parts[LANG__MAX];
		} i18n;
	} u;
};

struct tmpl {
	const char	*name;
	const char	*path;		/* as opened, for messages */
	struct tmpl_node *root;
	int		 mark;		/* recursion check at load */
};

struct tmpl_set {
	struct arena	 arena;		/* everything but the set itself */
	struct tmpl	*t;		/* sorted by name */
	size_t		 n;
};

struct tmpl_loader {
	struct tmpl_set	*set;
	const struct i18n *i18n;
	tmpl_link_fn	 link;		/* {{%name}}, or NULL: none allowed */
	struct arena	 scratch;	/* freed when loading ends */
	struct buf	 esc;		/* escaping catalog texts */
	struct tmpl_node *partials;	/* in file and line order */
	struct tmpl_node **ptail;
	char		*err;
	size_t		 errlen;
};

/* The context stack: lives on the C stack while rendering. */
struct tmpl_frame {
	struct json_object	*v;
	const struct tmpl_frame	*up;
};

struct tmpl_render {
	struct buf		*out;
	enum lang		 lang;
	const struct tmpl	*cur;	/* template being rendered */
};

/* Its address marks the json strings tmpl_html() made. */
static char tmpl_html_marker;

static void	tmpl_render_list(struct tmpl_render *, struct tmpl_node *,
		    const struct tmpl_frame *, int);
static int	tmpl_error(struct tmpl_loader *, const char *, unsigned,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

static int
tmpl_error(struct tmpl_loader *L, const char *path, unsigned line,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (L->err == NULL || L->errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(L->err, L->errlen, "%s:%u: %s", path, line, msg);
	else
		snprintf(L->err, L->errlen, "%s: %s", path, msg);
	return -1;
}

static int
tmpl_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static int
tmpl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static unsigned
tmpl_count_nl(const char *p, const char *e)
{
	unsigned n = 0;

	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * Split s[0..len) (name characters only) into a tmpl_name: "." or
 * non-empty segments separated by single dots.  Returns -1 when malformed.
 */
static int
tmpl_name_make(struct arena *a, struct tmpl_name *nm, const char *s,
    size_t len)
{
	char *copy;
	size_t i, k;

	if (len == 1 && s[0] == '.') {
		nm->full = ".";
		nm->seg = NULL;
		nm->nseg = 0;
		return 0;
	}
	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return -1;
	nm->nseg = 1;
	for (i = 0; i < len; i++) {
		if (s[i] != '.')
			continue;
		if (s[i + 1] == '.')
			return -1;
		nm->nseg++;
	}
	nm->full = arena_strndup(a, s, len);
	copy = arena_strndup(a, s, len);
	nm->seg = arena_alloc(a, nm->nseg * sizeof(nm->seg[0]));
	nm->seg[0] = copy;
	for (i = 0, k = 1; i < len; i++)
		if (copy[i] == '.') {
			copy[i] = '\0';
			nm->seg[k++] = copy + i + 1;
		}
	return 0;
}

static struct tmpl_node *
tmpl_add(struct tmpl_loader *L, struct tmpl_node *parent,
    enum tmpl_ntype type, unsigned line)
{
	struct tmpl_node *n;

	n = arena_calloc(&L->set->arena, 1, sizeof(*n));
	n->type = type;
	n->line = line;
	if (parent->u.sec.last != NULL)
		parent->u.sec.last->next = n;
	else
		parent->u.sec.first = n;
	parent->u.sec.last = n;
	return n;
}

/* Append an escaped copy of s[0..len) to the part list. */
static void
tmpl_ipart_text(struct tmpl_loader *L, struct tmpl_ipart ***tail,
    const char *s, size_t len)
{
	struct tmpl_ipart *ip;

	if (len == 0)
		return;
	buf_truncate(&L->esc, 0);
	html_escape(&L->esc, s, len);
	ip = arena_calloc(&L->set->arena, 1, sizeof(*ip));
	ip->s = arena_strndup(&L->set->arena, L->esc.data, L->esc.len);
	ip->len = L->esc.len;
	**tail = ip;
	*tail = &ip->next;
}

/*
 * Cut a catalog text into literal runs and {name} placeholders.  A '{'
 * that does not start a well-formed {name} stays literal.
 */
static struct tmpl_ipart *
tmpl_ipart_parse(struct tmpl_loader *L, const char *text)
{
	struct tmpl_ipart *head = NULL, **tail = &head, *ip;
	struct tmpl_name nm;
	const char *p, *q, *lit;

	for (p = lit = text; *p != '\0'; p++) {
		if (*p != '{')
			continue;
		for (q = p + 1; tmpl_name_char(*q); q++)
			continue;
		if (*q != '}' || q == p + 1 ||
		    tmpl_name_make(&L->set->arena, &nm, p + 1,
		    (size_t)(q - p - 1)) == -1)
			continue;
		tmpl_ipart_text(L, &tail, lit, (size_t)(p - lit));
		ip = arena_calloc(&L->set->arena, 1, sizeof(*ip));
		ip->isname = 1;
		ip->nm = nm;
		*tail = ip;
		tail = &ip->next;
		p = q;
		lit = q + 1;
	}
	tmpl_ipart_text(L, &tail, lit, (size_t)(p - lit));
	return head;
}

static int
tmpl_i18n_node(struct tmpl_loader *L, struct tmpl *t, struct tmpl_node *n,
    const char *key, size_t keylen)
{
	const char *text[LANG__MAX];
	int l, m;

	n->u.i18n.key = arena_strndup(&L->set->arena, key, keylen);
	if (!i18n_has(L->i18n, LANG_EN, n->u.i18n.key))
		return tmpl_error(L, t->path, n->line,
		    "unknown catalog key \"%s\"", n->u.i18n.key);
	for (l = 0; l < LANG__MAX; l++) {
		/* i18n_get() logs a fallback to English, once. */
		text[l] = i18n_get(L->i18n, (enum lang)l, n->u.i18n.key);
		for (m = 0; m < l; m++)
			if (text[m] == text[l])
				break;
		n->u.i18n.parts[l] = m < l ? n->u.i18n.parts[m] :
		    tmpl_ipart_parse(L, text[l]);
	}
	return 0;
}

/* {{%name}}: the route's path, written into the template at load. */
static int
tmpl_link_node(struct tmpl_loader *L, struct tmpl *t, struct tmpl_node *n,
    const char *s, size_t len)
{
	const char *name = arena_strndup(&L->scratch, s, len), *path;
	struct buf b;

	if (L->link == NULL || (path = L->link(name)) == NULL)
		return tmpl_error(L, t->path, n->line, "unknown link \"%s\"",
		    name);
	buf_init(&b, &L->set->arena);
	html_escape_str(&b, path);
	n->u.text.s = buf_str(&b);
	n->u.text.len = b.len;
	return 0;
}

/*
 * Follow just enough HTML to know where a tag's output lands: 0 in text,
 * 1 inside a start tag (between attributes), '"' or '\'' inside a quoted
 * attribute value, 2 inside a comment.  Escaping makes a value safe in
 * text and in quoted values, not between attributes, where
 * "x onclick=..." needs no quote.  A '<' ending a text run counts as an
 * open tag: "<{{x}}>" is a value in a tag.
 */
static int
tmpl_html_state(int st, const char *p, const char *e)
{
	for (; p < e; p++) {
		switch (st) {
		case 0:
			if (*p != '<')
				break;
			if (e - p >= 4 && memcmp(p, "<!--", 4) == 0) {
				st = 2;
				p += 3;
			} else if (p + 1 == e || isalpha((unsigned char)p[1]) ||
			    p[1] == '/' || p[1] == '!')
				st = 1;
			break;
		case 1:
			if (*p == '"' || *p == '\'')
				st = *p;
			else if (*p == '>')
				st = 0;
			break;
		case 2:
			if (e - p >= 3 && memcmp(p, "-->", 3) == 0) {
				st = 0;
				p += 2;
			}
			break;
		default:
			if (*p == st)
				st = 1;
			break;
		}
	}
	return st;
}

/* Parse src[0..len) (arena-owned, kept for text nodes) into t->root. */
static int
tmpl_parse(struct tmpl_loader *L, struct tmpl *t, const char *src,
    size_t len)
{
	struct tmpl_node root, *cur = &root, *n;
	const char *p = src, *end = src + len, *open, *close, *s, *e;
	unsigned line = 1, tagline;
	struct tmpl_name nm;
	const char *what;
	char sigil;
	size_t i;
	int hst = 0;

	memset(&root, 0, sizeof(root));
	root.type = TN_SECTION;
	while (p < end) {
		if ((open = memmem(p, (size_t)(end - p), "{{", 2)) == NULL)
			open = end;
		if (open > p) {
			n = tmpl_add(L, cur, TN_TEXT, line);
			n->u.text.s = p;
			n->u.text.len = (size_t)(open - p);
			line += tmpl_count_nl(p, open);
			hst = tmpl_html_state(hst, p, open);
		}
		if (open == end)
			break;
		tagline = line;
		s = open + 2;
		if ((close = memmem(s, (size_t)(end - s), "}}", 2)) == NULL)
			return tmpl_error(L, t->path, tagline,
			    "unclosed tag: \"{{\" without \"}}\"");
		e = close;
		line += tmpl_count_nl(s, e);
		p = close + 2;

		while (s < e && tmpl_space(*s))
			s++;
		if (s == e)
			return tmpl_error(L, t->path, tagline, "empty tag");
		sigil = *s;
		switch (sigil) {
		case '!':
			continue;	/* a comment */
		case '#':
		case '^':
		case '/':
		case '>':
		case '@':
		case '&':
		case '%':
			s++;
			break;
		case '{':
			return tmpl_error(L, t->path, tagline,
			    "triple mustache is not supported "
			    "(use {{&name}} with tmpl_html())");
		case '=':
			return tmpl_error(L, t->path, tagline,
			    "set-delimiter tags are not supported");
		default:
			sigil = '\0';
			break;
		}
		while (s < e && tmpl_space(*s))
			s++;
		while (e > s && tmpl_space(e[-1]))
			e--;
		if (s == e)
			return tmpl_error(L, t->path, tagline, "empty tag");
		for (i = 0; s + i < e; i++)
			if (!tmpl_name_char(s[i]))
				return tmpl_error(L, t->path, tagline,
				    "bad character in tag name \"%.*s\"",
				    (int)(e - s > 40 ? 40 : e - s), s);
		if ((sigil == '\0' || sigil == '&' || sigil == '@' ||
		    sigil == '%') && hst == 1)
			return tmpl_error(L, t->path, tagline,
			    "value inside a tag but outside a quoted attribute "
			    "value (quote the attribute value)");

		switch (sigil) {
		case '\0':
		case '&':
		case '#':
		case '^':
			if (tmpl_name_make(&L->set->arena, &nm, s,
			    (size_t)(e - s)) == -1)
				return tmpl_error(L, t->path, tagline,
				    "bad name \"%.*s\"", (int)(e - s > 40 ?
				    40 : e - s), s);
			if (sigil == '\0' || sigil == '&') {
				n = tmpl_add(L, cur, sigil == '&' ? TN_RAW :
				    TN_VAR, tagline);
				n->u.var.nm = nm;
				break;
			}
			n = tmpl_add(L, cur, sigil == '#' ? TN_SECTION :
			    TN_INVERTED, tagline);
			n->u.sec.nm = nm;
			n->u.sec.parent = cur;
			cur = n;
			break;
		case '/':
			if (cur == &root)
				return tmpl_error(L, t->path, tagline,
				    "{{/%.*s}} closes no section",
				    (int)(e - s > 40 ? 40 : e - s), s);
			if (strlen(cur->u.sec.nm.full) != (size_t)(e - s) ||
			    memcmp(cur->u.sec.nm.full, s, (size_t)(e - s)) != 0)
				return tmpl_error(L, t->path, tagline,
				    "{{/%.*s}} does not close {{%c%s}} "
				    "(line %u)", (int)(e - s > 40 ? 40 : e - s),
				    s, cur->type == TN_SECTION ? '#' : '^',
				    cur->u.sec.nm.full, cur->line);
			n = cur;
			cur = cur->u.sec.parent;
			n->u.sec.parent = NULL;
			break;
		case '>':
			/* A partial is parsed as text: not inside a tag. */
			if (hst != 0 && hst != 2)
				return tmpl_error(L, t->path, tagline,
				    "partial inside an HTML tag");
			n = tmpl_add(L, cur, TN_PARTIAL, tagline);
			n->u.part.name = arena_strndup(&L->set->arena, s,
			    (size_t)(e - s));
			n->u.part.owner = t;
			*L->ptail = n;
			L->ptail = &n->u.part.nextp;
			break;
		case '@':
			n = tmpl_add(L, cur, TN_I18N, tagline);
			if (tmpl_i18n_node(L, t, n, s, (size_t)(e - s)) == -1)
				return -1;
			break;
		case '%':
			n = tmpl_add(L, cur, TN_TEXT, tagline);
			if (tmpl_link_node(L, t, n, s, (size_t)(e - s)) == -1)
				return -1;
			break;
		}
	}
	if (cur != &root) {
		what = cur->type == TN_SECTION ? "#" : "^";
		return tmpl_error(L, t->path, cur->line,
		    "unclosed section {{%s%s}}", what, cur->u.sec.nm.full);
	}
	t->root = root.u.sec.first;
	return 0;
}

/* Read path into the set's arena.  Returns 0, or -1 with err set. */
static int
tmpl_read(struct tmpl_loader *L, const char *path, char **data, size_t *len)
{
	const char *why;

	if (file_read(&L->set->arena, path, TMPL_MAX_FILE, data, len,
	    &why) == -1)
		return tmpl_error(L, path, 0, "%s", why);
	return 0;
}

static int
tmpl_strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
tmpl_key_cmp(const void *key, const void *t)
{
	return strcmp(key, ((const struct tmpl *)t)->name);
}

static struct tmpl *
tmpl_find(const struct tmpl_set *set, const char *name)
{
	if (set == NULL || name == NULL || set->n == 0)
		return NULL;
	return bsearch(name, set->t, set->n, sizeof(set->t[0]), tmpl_key_cmp);
}

/*
 * Template names ("x" for x.html) in dir, sorted; *np set.  The array
 * and its strings are malloc'd.  Returns NULL with err set on failure.
 */
static char **
tmpl_list(struct tmpl_loader *L, const char *dir, size_t *np)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL, **nv, *name;
	size_t n = 0, cap = 0, len, i;

	if ((d = opendir(dir)) == NULL) {
		tmpl_error(L, dir, 0, "%s", strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".html") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto oom;
			v = nv;
		}
		if ((name = strndup(de->d_name, len - 5)) == NULL)
			goto oom;
		v[n++] = name;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), tmpl_strp_cmp);
	else if ((v = malloc(sizeof(*v))) == NULL) {
		tmpl_error(L, dir, 0, "out of memory");
		return NULL;
	}
	*np = n;
	return v;
oom:
	closedir(d);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	tmpl_error(L, dir, 0, "out of memory");
	return NULL;
}

/*
 * Reject a cycle of partials none of which sits inside a section: it
 * would recurse whatever the data.  Partials inside sections (trees)
 * are bounded by the data and by TMPL_MAX_DEPTH at render.
 */
static int
tmpl_cycle(struct tmpl_loader *L, struct tmpl *t, struct tmpl **path,
    size_t depth)
{
	struct tmpl_node *n;
	struct tmpl *u;
	char chain[256];
	size_t i, off;

	t->mark = 1;
	path[depth] = t;
	for (n = t->root; n != NULL; n = n->next) {
		if (n->type != TN_PARTIAL)
			continue;
		u = n->u.part.t;
		if (u->mark == 1) {
			for (i = 0; path[i] != u; i++)
				continue;
			chain[0] = '\0';
			for (off = 0; i <= depth && off < sizeof(chain); i++)
				off += (size_t)snprintf(chain + off,
				    sizeof(chain) - off, "%s -> ",
				    path[i]->name);
			if (off < sizeof(chain))
				snprintf(chain + off, sizeof(chain) - off,
				    "%s", u->name);
			return tmpl_error(L, t->path, n->line,
			    "partial recursion: %s", chain);
		}
		if (u->mark == 0 && tmpl_cycle(L, u, path, depth + 1) == -1)
			return -1;
	}
	t->mark = 2;
	return 0;
}

struct tmpl_set *
tmpl_load(const char *dir, const struct i18n *i18n, tmpl_link_fn link,
    char *err, size_t errlen)
{
	struct tmpl_loader L;
	struct tmpl_set *set;
	struct tmpl_node *n;
	struct tmpl **path;
	struct stat st;
	struct tmpl *t;
	char **names, *src = NULL;
	const char *sep;
	size_t nnames = 0, i, len = 0, dl;

	memset(&L, 0, sizeof(L));
	L.i18n = i18n;
	L.link = link;
	L.err = err;
	L.errlen = errlen;
	L.ptail = &L.partials;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((names = tmpl_list(&L, dir, &nnames)) == NULL)
		return NULL;
	if ((set = calloc(1, sizeof(*set))) == NULL ||
	    arena_init(&set->arena) == -1) {
		free(set);
		for (i = 0; i < nnames; i++)
			free(names[i]);
		free(names);
		tmpl_error(&L, dir, 0, "out of memory");
		return NULL;
	}
	L.set = set;
	if (arena_init(&L.scratch) == -1) {
		tmpl_error(&L, dir, 0, "out of memory");
		goto fail;
	}
	buf_init(&L.esc, &L.scratch);
	set->t = arena_calloc(&set->arena, nnames + 1, sizeof(set->t[0]));
	dl = strlen(dir);
	sep = dl > 0 && dir[dl - 1] == '/' ? "" : "/";
	/* Names are sorted, so set->t is too. */
	for (i = 0; i < nnames; i++) {
		t = &set->t[set->n];
		t->name = arena_strdup(&set->arena, names[i]);
		t->path = arena_printf(&set->arena, "%s%s%s.html", dir, sep,
		    names[i]);
		if (stat(t->path, &st) == -1) {
			tmpl_error(&L, t->path, 0, "%s", strerror(errno));
			goto fail;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (tmpl_read(&L, t->path, &src, &len) == -1 ||
		    tmpl_parse(&L, t, src, len) == -1)
			goto fail;
		set->n++;
	}
	for (n = L.partials; n != NULL; n = n->u.part.nextp)
		if ((n->u.part.t = tmpl_find(set, n->u.part.name)) == NULL) {
			tmpl_error(&L, n->u.part.owner->path, n->line,
			    "unknown partial \"%s\"", n->u.part.name);
			goto fail;
		}
	path = arena_calloc(&L.scratch, set->n + 1, sizeof(*path));
	for (i = 0; i < set->n; i++)
		if (set->t[i].mark == 0 &&
		    tmpl_cycle(&L, &set->t[i], path, 0) == -1)
			goto fail;
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	arena_free(&L.scratch);
	return set;
fail:
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	arena_free(&L.scratch);
	tmpl_free(set);
	return NULL;
}

void
tmpl_free(struct tmpl_set *set)
{
	if (set == NULL)
		return;
	arena_free(&set->arena);
	free(set);
}

int
tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return tmpl_find(set, name) != NULL;
}

/*
 * Mustache lookup: the first segment from the innermost context
 * outwards, then down the remaining segments from where it was found.
 */
static struct json_object *
tmpl_lookup(const struct tmpl_frame *f, const struct tmpl_name *nm)
{
	struct json_object *v = NULL;
	size_t i;

	if (nm->nseg == 0)
		return f->v;
	for (; f != NULL; f = f->up)
		if (json_object_is_type(f->v, json_type_object) &&
		    json_object_object_get_ex(f->v, nm->seg[0], &v))
			break;
	if (f == NULL)
		return NULL;
	for (i = 1; i < nm->nseg && v != NULL; i++)
		if (!json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, nm->seg[i], &v))
			return NULL;
	return v;
}

/* Write a scalar escaped; null, objects and arrays write nothing. */
static void
tmpl_put_value(struct buf *out, struct json_object *v)
{
	char num[64];
	int64_t i;
	int len;

	switch (json_object_get_type(v)) {
	case json_type_string:
		html_escape(out, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
		return;
	case json_type_int:
		/* A uint64 above INT64_MAX reads back clamped. */
		if ((i = json_object_get_int64(v)) == INT64_MAX)
			len = snprintf(num, sizeof(num), "%" PRIu64,
			    json_object_get_uint64(v));
		else
			len = snprintf(num, sizeof(num), "%" PRId64, i);
		break;
	case json_type_double:
		len = snprintf(num, sizeof(num), "%.15g",
		    json_object_get_double(v));
		break;
	case json_type_boolean:
		if (json_object_get_boolean(v))
			buf_append(out, "true", 4);
		else
			buf_append(out, "false", 5);
		return;
	default:
		return;
	}
	if (len > 0 && (size_t)len < sizeof(num))
		html_escape(out, num, (size_t)len);
}

static int
tmpl_is_html(struct json_object *v)
{
	return json_object_is_type(v, json_type_string) &&
	    json_object_get_userdata(v) == &tmpl_html_marker;
}

static void
tmpl_render_section(struct tmpl_render *r, struct tmpl_node *n,
    const struct tmpl_frame *f, int depth)
{
	struct json_object *v = tmpl_lookup(f, &n->u.sec.nm);
	struct tmpl_frame fr;
	size_t i, len;
	int truthy;

	fr.up = f;
	switch (json_object_get_type(v)) {
	case json_type_array:
		len = json_object_array_length(v);
		if (n->type == TN_INVERTED) {
			if (len == 0)
				tmpl_render_list(r, n->u.sec.first, f, depth);
			return;
		}
		for (i = 0; i < len; i++) {
			fr.v = json_object_array_get_idx(v, i);
			tmpl_render_list(r, n->u.sec.first, &fr, depth);
		}
		return;
	case json_type_object:
	case json_type_int:
	case json_type_double:
		truthy = 1;
		break;
	case json_type_boolean:
		truthy = json_object_get_boolean(v);
		break;
	case json_type_string:
		truthy = json_object_get_string_len(v) > 0;
		break;
	default:
		truthy = 0;
		break;
	}
	if (n->type == TN_INVERTED) {
		if (!truthy)
			tmpl_render_list(r, n->u.sec.first, f, depth);
	} else if (truthy) {
		fr.v = v;
		tmpl_render_list(r, n->u.sec.first, &fr, depth);
	}
}

static void
tmpl_render_list(struct tmpl_render *r, struct tmpl_node *n,
    const struct tmpl_frame *f, int depth)
{
	const struct tmpl *saved;
	struct tmpl_ipart *ip;
	struct json_object *v;

	for (; n != NULL; n = n->next) {
		switch (n->type) {
		case TN_TEXT:
			buf_append(r->out, n->u.text.s, n->u.text.len);
			break;
		case TN_VAR:
			tmpl_put_value(r->out, tmpl_lookup(f, &n->u.var.nm));
			break;
		case TN_RAW:
			v = tmpl_lookup(f, &n->u.var.nm);
			if (tmpl_is_html(v)) {
				buf_append(r->out, json_object_get_string(v),
				    (size_t)json_object_get_string_len(v));
				break;
			}
			if (v != NULL && !n->u.var.warned) {
				n->u.var.warned = 1;
				log_warn("tmpl: %s:%u: {{&%s}} is not from "
				    "tmpl_html(), escaped", r->cur->path,
				    n->line, n->u.var.nm.full);
			}
			tmpl_put_value(r->out, v);
			break;
		case TN_SECTION:
		case TN_INVERTED:
			tmpl_render_section(r, n, f, depth);
			break;
		case TN_PARTIAL:
			if (depth >= TMPL_MAX_DEPTH) {
				if (!n->u.part.warned) {
					n->u.part.warned = 1;
					log_warn("tmpl: %s:%u: {{>%s}} nested "
					    "deeper than %d, skipped",
					    r->cur->path, n->line,
					    n->u.part.name, TMPL_MAX_DEPTH);
				}
				break;
			}
			saved = r->cur;
			r->cur = n->u.part.t;
			tmpl_render_list(r, n->u.part.t->root, f, depth + 1);
			r->cur = saved;
			break;
		case TN_I18N:
			for (ip = n->u.i18n.parts[r->lang]; ip != NULL;
			    ip = ip->next)
				if (ip->isname)
					tmpl_put_value(r->out,
					    tmpl_lookup(f, &ip->nm));
				else
					buf_append(r->out, ip->s, ip->len);
			break;
		}
	}
}

int
tmpl_render(const struct tmpl_set *set, const char *name,
    struct json_object *ctx, enum lang lang, struct buf *out)
{
	struct tmpl_render r;
	struct tmpl_frame f;
	struct tmpl *t;

	if ((t = tmpl_find(set, name)) == NULL)
		return -1;
	r.out = out;
	r.lang = (unsigned)lang < LANG__MAX ? lang : LANG_EN;
	r.cur = t;
	f.v = ctx;
	f.up = NULL;
	tmpl_render_list(&r, t->root, &f, 0);
	return 0;
}

struct json_object *
tmpl_html(const char *html, size_t len)
{
	struct json_object *j;

	if (html == NULL)
		html = "";
	if (len > INT_MAX) {
		log_error("tmpl: tmpl_html: %zu bytes is too long", len);
		return NULL;
	}
	if ((j = json_object_new_string_len(html, (int)len)) == NULL)
		return NULL;
	json_object_set_userdata(j, &tmpl_html_marker, NULL);
	return j;
}
