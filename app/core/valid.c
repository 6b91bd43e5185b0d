/* valid: validate submitted form fields against a page's field table. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"
#include "core/valid.h"

size_t
valid_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int
valid_in(const char *const *list, const char *s)
{
	if (list == NULL || s == NULL)
		return 0;
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
valid_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* A trimmed arena copy of s. */
static char *
valid_trim(struct arena *a, const char *s)
{
	const char *e;

	while (valid_space((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && valid_space((unsigned char)e[-1]))
		e--;
	return arena_strndup(a, s, (size_t)(e - s));
}

/*
 * Line breaks as one "\n" each, in place: browsers send a textarea's as
 * CRLF, and a limit in characters counts what the person typed (a
 * textarea's maxlength counts a line break once).
 */
static void
valid_newlines(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			if (s[1] == '\n')
				s++;
			*w++ = '\n';
		} else
			*w++ = *s;
	}
	*w = '\0';
}

/*
 * Control characters (C0, DEL, the C1 range U+0080..U+009F) and the
 * invisible formatting ones that can disguise a name: soft hyphen U+00AD,
 * Arabic letter mark U+061C, zero-width and direction marks U+200B..U+200F,
 * embeddings and overrides U+202A..U+202E, U+2060..U+2064, isolates
 * U+2066..U+2069 and the byte order mark U+FEFF.
 */
static int
valid_has_control(const char *s, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (multiline && (*p == '\n' || *p == '\r' || *p == '\t'))
			continue;
		if (*p < 0x20 || *p == 0x7f)
			return 1;
		if (*p == 0xc2 && ((p[1] >= 0x80 && p[1] <= 0x9f) ||
		    p[1] == 0xad))
			return 1;
		if (*p == 0xd8 && p[1] == 0x9c)
			return 1;
		if (*p == 0xe2 && p[1] == 0x80 && ((p[2] >= 0x8b &&
		    p[2] <= 0x8f) || (p[2] >= 0xaa && p[2] <= 0xae)))
			return 1;
		if (*p == 0xe2 && p[1] == 0x81 && ((p[2] >= 0xa0 &&
		    p[2] <= 0xa4) || (p[2] >= 0xa6 && p[2] <= 0xa9)))
			return 1;
		if (*p == 0xef && p[1] == 0xbb && p[2] == 0xbf)
			return 1;
	}
	return 0;
}

static int
valid_slug(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '-')
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (*p == '-') {
			if (p[1] == '-' || p[1] == '\0')
				return 0;
		} else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return 0;
	}
	return 1;
}

/* "HH:MM" or "HH:MM:00" into minutes; 24:00 is the end of the day. */
static int
valid_time(const char *s, long long *minutes)
{
	int h, m;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return 0;
	if (s[5] != '\0' && strcmp(s + 5, ":00") != 0)
		return 0;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return 0;
	*minutes = h * 60 + m;
	return 1;
}

static int
valid_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/*
 * An amount as people type it ("55", "55.5", "55,50") into minor units:
 * no sign, no grouping, at most two decimals, at most 12 integer digits.
 */
static int
valid_money(const char *s, long long *out)
{
	long long n = 0;
	int digits = 0, decimals = -1;

	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s)) {
			if (decimals >= 0 && ++decimals > 2)
				return 0;
			if (decimals < 0 && ++digits > 12)
				return 0;
			n = n * 10 + (*s - '0');
		} else if ((*s == '.' || *s == ',') && decimals < 0 &&
		    digits > 0)
			decimals = 0;
		else
			return 0;
	}
	if (digits == 0 || decimals == 0)
		return 0;
	while (decimals < 2) {
		n *= 10;
		decimals = decimals < 0 ? 1 : decimals + 1;
	}
	*out = n;
	return 1;
}

static int
valid_int(const char *s, long long *out)
{
	const char *p = s;
	char *end;
	long long n;

	if (*p == '-' || *p == '+')
		p++;
	if (*p == '\0')
		return 0;
	for (; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	*out = n;
	return 1;
}

/* s has shape ('d': a digit, else that character) and nothing more. */
static int
valid_shape(const char *s, const char *shape)
{
	int i;

	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != shape[i])
			return 0;
	return s[i] == '\0';
}

/* A YYYY-MM-DD prefix (shape checked) naming a day that exists, from 1970. */
static int
valid_day(const char *s)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);

	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return 0;
	return !(mo == 2 && d == 29 &&
	    (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

/* YYYY-MM-DDTHH:MM:SSZ with a day that exists (leap years too). */
static int
valid_instant(const char *s)
{
	if (!valid_shape(s, "dddd-dd-ddTdd:dd:ddZ") || !valid_day(s))
		return 0;
	return atoi(s + 11) <= 23 && atoi(s + 14) <= 59 && atoi(s + 17) <= 59;
}

const char *
valid_value(struct arena *a, const struct valid_field *f, const char *raw,
    struct valid_value *v)
{
	char *t = raw != NULL ? valid_trim(a, raw) : NULL;
	const char *s = t != NULL ? t : "";
	size_t len;

	if (t != NULL && f->type == VALID_MULTILINE)
		valid_newlines(t);

	v->s = s;
	v->n = 0;
	v->present = *s != '\0';
	if (f->type == VALID_BOOL) {
		if (!v->present || strcmp(s, "off") == 0 || strcmp(s, "0") == 0 ||
		    strcmp(s, "false") == 0)
			return NULL;
		if (strcmp(s, "on") == 0 || strcmp(s, "1") == 0 ||
		    strcmp(s, "true") == 0) {
			v->n = 1;
			return NULL;
		}
		return "valid.choice";
	}
	if (!v->present)
		return (f->flags & VALID_REQUIRED) ? "valid.required" : NULL;
	switch (f->type) {
	case VALID_TEXT:
	case VALID_MULTILINE:
	case VALID_SLUG:
		if (valid_has_control(s, f->type == VALID_MULTILINE))
			return "valid.control";
		len = valid_chars(s);
		if (f->max > 0 && len > (size_t)f->max)
			return "valid.too_long";
		if (f->min > 0 && len < (size_t)f->min)
			return "valid.too_short";
		if (f->type == VALID_SLUG && !valid_slug(s))
			return "valid.slug";
		if (f->type == VALID_SLUG && f->choices != NULL &&
		    valid_in(f->choices, s))
			return "valid.reserved";
		return NULL;
	case VALID_INT:
		if (!valid_int(s, &v->n))
			return "valid.number";
		if (v->n < f->min || v->n > f->max)
			return "valid.range";
		return NULL;
	case VALID_CHOICE:
		return valid_in(f->choices, s) ? NULL : "valid.choice";
	case VALID_TIME:
		return valid_time(s, &v->n) ? NULL : "valid.time";
	case VALID_UUID:
		return valid_uuid(s) ? NULL : "valid.uuid";
	case VALID_EMAIL:
		return form_email_valid(s) && !valid_has_control(s, 0) ? NULL :
		    "valid.email";
	case VALID_INSTANT:
		return valid_instant(s) ? NULL : "valid.instant";
	case VALID_DATE:
		return valid_shape(s, "dddd-dd-dd") && valid_day(s) ? NULL :
		    "valid.date";
	case VALID_MONEY:
		if (!valid_money(s, &v->n))
			return "valid.money";
		if (v->n < f->min || v->n > f->max)
			return "valid.money_range";
		return NULL;
	case VALID_BOOL:
		break;
	}
	return NULL;
}

int
valid_add(struct valid_result *r, size_t field, const char *key)
{
	if (r->nerr < VALID_MAX_ERRORS) {
		r->err[r->nerr].field = field;
		r->err[r->nerr].key = key;
		r->nerr++;
	}
	return -1;
}

size_t
valid_form(struct arena *a, const struct valid_field *fields, size_t n,
    const struct kvlist *form, struct valid_result *r)
{
	const char *key;
	size_t i;

	r->v = arena_calloc(a, n > 0 ? n : 1, sizeof(r->v[0]));
	r->nerr = 0;
	for (i = 0; i < n; i++)
		if ((key = valid_value(a, &fields[i], kv_get(form,
		    fields[i].name), &r->v[i])) != NULL)
			valid_add(r, i, key);
	return r->nerr;
}

const struct valid_error *
valid_error_of(const struct valid_result *r, size_t field)
{
	size_t i;

	for (i = 0; i < r->nerr; i++)
		if (r->err[i].field == field)
			return &r->err[i];
	return NULL;
}

char *
valid_format_time(struct arena *a, long long minutes)
{
	if (minutes < 0 || minutes > 1440)
		return arena_strdup(a, "");
	return arena_printf(a, "%02lld:%02lld", minutes / 60, minutes % 60);
}

const char *
valid_path_slug(const char *s)
{
	return s != NULL && strlen(s) <= 100 && valid_slug(s) ? s : NULL;
}

const char *
valid_code_digits(struct arena *a, const char *in)
{
	char out[7];
	size_t n = 0;

	if (in == NULL || strlen(in) > 32)
		return NULL;
	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '\t')
			continue;
		if (!isdigit((unsigned char)*in) || n == 6)
			return NULL;
		out[n++] = *in;
	}
	if (n != 6)
		return NULL;
	out[6] = '\0';
	return arena_strdup(a, out);
}
