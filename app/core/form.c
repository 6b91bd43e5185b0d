/* form: decode urlencoded pairs and Cookie headers into arena-owned lists. */
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"

static const char *const form_err_names[] = {
	"ok",				/* FORM_OK */
	"too many fields",		/* FORM_TOO_MANY */
	"field too long",		/* FORM_TOO_LONG */
	"invalid percent-encoding",	/* FORM_BAD_ESCAPE */
	"NUL byte",			/* FORM_NUL */
	"invalid UTF-8",		/* FORM_BAD_UTF8 */
	"malformed cookie header",	/* FORM_BAD_SYNTAX */
};

const char *
form_err_str(enum form_err e)
{
	if ((size_t)e >= sizeof(form_err_names) / sizeof(form_err_names[0]))
		return "unknown form error";
	return form_err_names[e];
}

/* Bytes 0x80..0xBF continue a multi-byte sequence. */
static int
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * The length of the well-formed UTF-8 sequence at p[0..len) (len > 0):
 * 1 to 4, or 0 when it is not one.  The first continuation byte's range
 * excludes overlongs, surrogates and code points over U+10FFFF.
 */
static size_t
utf8_seq(const unsigned char *p, size_t len)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t need;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;	/* stray continuation, C0, C1, F5..FF */
	if (len - 1 < need || p[1] < lo || p[1] > hi)
		return 0;	/* truncated, or out of range */
	if (need >= 2 && !is_cont(p[2]))
		return 0;
	if (need == 3 && !is_cont(p[3]))
		return 0;
	return need + 1;
}

int
form_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n;

	for (i = 0; i < len; i += n)
		if ((n = utf8_seq(p + i, len - i)) == 0)
			return 0;
	return 1;
}

const char *
form_utf8_scrub(struct arena *a, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n, o = 0;
	char *out;

	if (form_utf8_valid(s, len))
		return s;
	/* Each byte becomes at most the three of U+FFFD. */
	out = arena_alloc(a, len * 3 + 1);
	for (i = 0; i < len; i += n) {
		if ((n = utf8_seq(p + i, len - i)) == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			n = 1;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
		}
	}
	out[o] = '\0';
	return out;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum form_err
form_decode(struct arena *a, const char *s, size_t len, int plus_space,
    char **out, size_t *outlen)
{
	char *d;
	size_t i, n = 0;
	int hi, lo;

	*out = NULL;
	*outlen = 0;
	d = arena_alloc(a, len + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			if (len - i < 3 ||
			    (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0)
				return FORM_BAD_ESCAPE;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_space)
			c = ' ';
		if (c == '\0')
			return FORM_NUL;
		d[n++] = (char)c;
	}
	d[n] = '\0';
	if (!form_utf8_valid(d, n))
		return FORM_BAD_UTF8;
	*out = d;
	*outlen = n;
	return FORM_OK;
}

enum form_err
form_parse_urlencoded(struct arena *a, const char *s, size_t len,
    const struct form_limits *lim, struct kvlist *out)
{
	struct kv *v;
	const char *p, *end, *seg, *eq;
	size_t i, amps = 0, cap, n = 0, nlen, vlen;
	char *name, *value;
	enum form_err e;

	out->v = NULL;
	out->n = 0;
	/* One pass: size the array, and refuse a NUL even in a pair that
	 * would be skipped. */
	for (i = 0; i < len; i++) {
		if (s[i] == '&')
			amps++;
		else if (s[i] == '\0')
			return FORM_NUL;
	}
	cap = amps + 1 < lim->max_fields ? amps + 1 : lim->max_fields;
	v = cap > 0 ? arena_alloc(a, cap * sizeof(*v)) : NULL;

	p = s;
	end = s + len;
	while (p < end) {
		seg = p;
		if ((p = memchr(seg, '&', (size_t)(end - seg))) == NULL)
			p = end;
		if ((eq = memchr(seg, '=', (size_t)(p - seg))) == NULL)
			eq = p;
		/* A non-empty raw name never decodes to an empty one. */
		if (eq > seg) {
			if (n == lim->max_fields)
				return FORM_TOO_MANY;
			e = form_decode(a, seg, (size_t)(eq - seg), 1, &name,
			    &nlen);
			if (e != FORM_OK)
				return e;
			if (nlen > lim->max_name)
				return FORM_TOO_LONG;
			if (eq < p)
				eq++;
			e = form_decode(a, eq, (size_t)(p - eq), 1, &value,
			    &vlen);
			if (e != FORM_OK)
				return e;
			if (vlen > lim->max_value)
				return FORM_TOO_LONG;
			v[n].name = name;
			v[n].value = value;
			v[n].value_len = vlen;
			n++;
		}
		if (p < end)
			p++;	/* past '&' */
	}
	out->v = v;
	out->n = n;
	return FORM_OK;
}

int
form_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

enum form_err
form_parse_cookies(struct arena *a, const char *h,
    const struct form_limits *lim, struct kvlist *out)
{
	struct kv *v;
	const char *p, *seg, *end, *eq, *q, *val;
	size_t semis = 0, cap, n = 0, vlen;

	out->v = NULL;
	out->n = 0;
	if (h == NULL)
		return FORM_OK;
	for (p = h; *p != '\0'; p++)
		if (*p == ';')
			semis++;
	cap = semis + 1 < lim->max_fields ? semis + 1 : lim->max_fields;
	v = cap > 0 ? arena_alloc(a, cap * sizeof(*v)) : NULL;

	p = h;
	while (*p != '\0') {
		seg = p;
		if ((p = strchr(seg, ';')) == NULL)
			p = seg + strlen(seg);
		end = p;
		if (*p == ';')
			p++;
		while (seg < end && (*seg == ' ' || *seg == '\t'))
			seg++;
		while (end > seg && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (seg == end)
			continue;	/* "a=1;;b=2" or a trailing ';' */

		eq = NULL;
		for (q = seg; q < end; q++) {
			unsigned char c = (unsigned char)*q;

			if (c < 0x20 || c == 0x7f)
				return FORM_BAD_SYNTAX;
			if (c == '=' && eq == NULL)
				eq = q;
		}
		if (eq == NULL || eq == seg)
			return FORM_BAD_SYNTAX;
		for (q = seg; q < eq; q++)
			if (!form_tchar((unsigned char)*q))
				return FORM_BAD_SYNTAX;
		val = eq + 1;
		vlen = (size_t)(end - val);
		if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
			val++;
			vlen -= 2;
		}
		if ((size_t)(eq - seg) > lim->max_name ||
		    vlen > lim->max_value)
			return FORM_TOO_LONG;
		if (!form_utf8_valid(val, vlen))
			return FORM_BAD_UTF8;
		if (n == lim->max_fields)
			return FORM_TOO_MANY;
		v[n].name = arena_strndup(a, seg, (size_t)(eq - seg));
		v[n].value = arena_strndup(a, val, vlen);
		v[n].value_len = vlen;
		n++;
	}
	out->v = v;
	out->n = n;
	return FORM_OK;
}

const char *
kv_get_nth(const struct kvlist *l, const char *name, size_t idx)
{
	size_t i;

	if (l == NULL || name == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0 && idx-- == 0)
			return l->v[i].value;
	return NULL;
}

const char *
kv_get(const struct kvlist *l, const char *name)
{
	return kv_get_nth(l, name, 0);
}

size_t
kv_count(const struct kvlist *l, const char *name)
{
	size_t i, n = 0;

	if (l == NULL || name == NULL)
		return 0;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			n++;
	return n;
}

char *
form_urlencode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), i, j = 0;
	char *out = arena_alloc(a, 3 * n + 1);

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~')
			out[j++] = (char)ch;
		else {
			out[j++] = '%';
			out[j++] = hex[ch >> 4];
			out[j++] = hex[ch & 15];
		}
	}
	out[j] = '\0';
	return out;
}

/*
 * The scripts an address's parts may not mix: a part (the local part, a
 * domain label) written in Latin with one Cyrillic "а" reads as the
 * Latin name it imitates.  ASCII digits and punctuation and the
 * combining marks belong to no script; Latin may go with the CJK group
 * (Han, kana, Hangul, Bopomofo: Unicode's "highly restrictive" profile,
 * UTS #39); any other letter outside the table counts as the script of
 * its 128-code-point block, so a mix with it is refused too.  The
 * database's app.single_script (sql/0009_booking.sql) checks the first
 * six scripts of this table.
 */
enum form_script {
	SCRIPT_NONE, SCRIPT_LATIN, SCRIPT_GREEK, SCRIPT_CYRILLIC,
	SCRIPT_ARMENIAN, SCRIPT_HEBREW, SCRIPT_ARABIC, SCRIPT_CJK,
	SCRIPT_BLOCK			/* + the code point's block */
};

static const struct {
	unsigned long	lo, hi;
	enum form_script script;
} form_scripts[] = {
	{ 0x0000, 0x0040, SCRIPT_NONE },
	{ 0x0041, 0x005a, SCRIPT_LATIN },
	{ 0x005b, 0x0060, SCRIPT_NONE },
	{ 0x0061, 0x007a, SCRIPT_LATIN },
	{ 0x007b, 0x00bf, SCRIPT_NONE },
	{ 0x00c0, 0x024f, SCRIPT_LATIN },
	{ 0x0300, 0x036f, SCRIPT_NONE },	/* combining marks */
	{ 0x0370, 0x03ff, SCRIPT_GREEK },
	{ 0x0400, 0x052f, SCRIPT_CYRILLIC },
	{ 0x0530, 0x058f, SCRIPT_ARMENIAN },
	{ 0x0590, 0x05ff, SCRIPT_HEBREW },
	{ 0x0600, 0x06ff, SCRIPT_ARABIC },
	{ 0x0750, 0x077f, SCRIPT_ARABIC },
	{ 0x1100, 0x11ff, SCRIPT_CJK },		/* Hangul Jamo */
	{ 0x1e00, 0x1eff, SCRIPT_LATIN },
	{ 0x1f00, 0x1fff, SCRIPT_GREEK },
	{ 0x3040, 0x312f, SCRIPT_CJK },		/* kana, Bopomofo */
	{ 0x3400, 0x4dbf, SCRIPT_CJK },
	{ 0x4e00, 0x9fff, SCRIPT_CJK },
	{ 0xac00, 0xd7af, SCRIPT_CJK },		/* Hangul syllables */
	{ 0xf900, 0xfaff, SCRIPT_CJK },
};

static unsigned long
form_script_of(unsigned long cp)
{
	size_t i;

	for (i = 0; i < sizeof(form_scripts) / sizeof(form_scripts[0]); i++)
		if (cp >= form_scripts[i].lo && cp <= form_scripts[i].hi)
			return form_scripts[i].script;
	return SCRIPT_BLOCK + (cp >> 7);
}

/* The code point of the well-formed sequence p[0..n). */
static unsigned long
utf8_decode(const unsigned char *p, size_t n)
{
	static const unsigned char lead[5] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned long cp = p[0] & lead[n];
	size_t i;

	for (i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

int
form_single_script(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i, n;
	unsigned long seen = SCRIPT_NONE, sc;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_seq(p + i, len - i)) == 0)
			return 0;
		if (p[i] == '@' || p[i] == '.') {
			seen = SCRIPT_NONE;	/* the next part */
			continue;
		}
		sc = form_script_of(utf8_decode(p + i, n));
		if (sc == SCRIPT_NONE || sc == seen)
			continue;
		if (seen == SCRIPT_NONE ||
		    (seen == SCRIPT_CJK && sc == SCRIPT_LATIN))
			seen = sc;
		else if (!(seen == SCRIPT_LATIN && sc == SCRIPT_CJK))
			return 0;
	}
	return 1;
}

int
form_email_valid(const char *s)
{
	const char *at, *dot, *p;
	size_t n;

	if (s == NULL || (n = strlen(s)) < 3 || n > 254 ||
	    (at = strchr(s, '@')) == NULL || at == s ||
	    strchr(at + 1, '@') != NULL || (size_t)(at - s) > 64)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f ||
		    strchr("\"(),:;<>[\\]", *p) != NULL)
			return 0;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0' &&
	    at[1] != '.' && strstr(at + 1, "..") == NULL &&
	    form_single_script(s);
}
