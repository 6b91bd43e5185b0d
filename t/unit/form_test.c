/* form_test: percent-decoding, UTF-8, urlencoded pairs, cookies and limits. */
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"
#include "tap.h"

static struct arena A;

static const struct form_limits big = { 1000, 1000, 100000 };
static const struct form_limits small = { 3, 8, 16 };

/* n copies of s, arena-owned. */
static char *
rep(const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *d = arena_alloc(&A, len * n + 1);

	for (i = 0; i < n; i++)
		memcpy(d + i * len, s, len);
	d[len * n] = '\0';
	return d;
}

static enum form_err
parse(const char *s, const struct form_limits *lim, struct kvlist *out)
{
	return form_parse_urlencoded(&A, s, strlen(s), lim, out);
}

/* s is a string literal: its length includes embedded bytes up to the end. */
#define UTF8_OK(s, name)	\
	ok(form_utf8_valid(s, sizeof(s) - 1) == 1, "%s", name)
#define UTF8_BAD(s, name)	\
	ok(form_utf8_valid(s, sizeof(s) - 1) == 0, "%s", name)

static void
test_utf8(void)
{
	UTF8_OK("", "utf8: empty");
	UTF8_OK("hello", "utf8: ascii");
	UTF8_OK("caf\xc3\xa9", "utf8: e-acute (2 bytes)");
	UTF8_OK("\xe6\x97\xa5\xe6\x9c\xac", "utf8: nihon (3 bytes)");
	UTF8_OK("\xf0\x9f\x98\x80", "utf8: emoji (4 bytes)");
	UTF8_OK("\xc2\x80", "utf8: U+0080");
	UTF8_OK("\xe0\xa0\x80", "utf8: U+0800");
	UTF8_OK("\xed\x9f\xbf", "utf8: U+D7FF");
	UTF8_OK("\xee\x80\x80", "utf8: U+E000");
	UTF8_OK("\xef\xbf\xbf", "utf8: U+FFFF");
	UTF8_OK("\xf0\x90\x80\x80", "utf8: U+10000");
	UTF8_OK("\xf4\x8f\xbf\xbf", "utf8: U+10FFFF");
	UTF8_BAD("\xc0\x80", "utf8: overlong C0 80");
	UTF8_BAD("\xc1\xbf", "utf8: overlong C1 BF");
	UTF8_BAD("\xe0\x80\x80", "utf8: overlong E0 80 80");
	UTF8_BAD("\xe0\x9f\xbf", "utf8: overlong E0 9F BF");
	UTF8_BAD("\xf0\x80\x80\x80", "utf8: overlong F0 80 80 80");
	UTF8_BAD("\xf0\x8f\xbf\xbf", "utf8: overlong F0 8F BF BF");
	UTF8_BAD("\xed\xa0\x80", "utf8: surrogate ED A0 80");
	UTF8_BAD("\xed\xbf\xbf", "utf8: surrogate ED BF BF");
	UTF8_BAD("\xf4\x90\x80\x80", "utf8: U+110000");
	UTF8_BAD("\xf5\x80\x80\x80", "utf8: F5 lead");
	UTF8_BAD("\xff", "utf8: FF");
	UTF8_BAD("\xc3", "utf8: truncated 2-byte");
	UTF8_BAD("a\xe6\x97", "utf8: truncated 3-byte");
	UTF8_BAD("\xf0\x9f\x98", "utf8: truncated 4-byte");
	UTF8_BAD("\x80", "utf8: lone continuation");
	UTF8_BAD("a\xbf" "b", "utf8: continuation inside ascii");
	UTF8_BAD("\xc3\x41", "utf8: bad second byte");
	UTF8_BAD("\xe6\x97\x41", "utf8: bad third byte");
	UTF8_BAD("\xf0\x9f\x98\x41", "utf8: bad fourth byte");
	ok(form_utf8_valid("\xc3\xa9", 1) == 0, "utf8: length is honoured");
}

#define SCRUB(in, want, name) \
	is_str(form_utf8_scrub(&A, in, sizeof(in) - 1), want, name)

static void
test_scrub(void)
{
	const char *ok_text = "caf\xc3\xa9";

	ok(form_utf8_scrub(&A, ok_text, strlen(ok_text)) == ok_text,
	    "scrub: valid text is returned as it is");
	SCRUB("Mozilla\xff\xfe", "Mozilla\xef\xbf\xbd\xef\xbf\xbd",
	    "scrub: each invalid byte becomes U+FFFD");
	SCRUB("a\xc3", "a\xef\xbf\xbd", "scrub: a truncated sequence at the end");
	SCRUB("\xed\xa0\x80x", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx",
	    "scrub: a surrogate, byte by byte");
	SCRUB("\xc3\xa9\x80\xc3\xa9", "\xc3\xa9\xef\xbf\xbd\xc3\xa9",
	    "scrub: valid sequences around a stray byte are kept");
	ok(form_utf8_valid(form_utf8_scrub(&A, "\xf0\x9f\x98\xff", 4), 12),
	    "scrub: the result is valid UTF-8");
}

static void
decode_is(const char *in, int plus, const char *want, const char *name)
{
	char *out = (char *)"x";
	size_t len = 99;
	enum form_err e;

	e = form_decode(&A, in, strlen(in), plus, &out, &len);
	if (!is_int(e, FORM_OK, name))
		return;
	is_str(out, want, name);
	is_int((long)len, (long)strlen(want), name);
}

static void
decode_err(const char *in, size_t inlen, enum form_err want,
    const char *name)
{
	char *out = (char *)"x";
	size_t len = 99;

	is_int(form_decode(&A, in, inlen, 1, &out, &len), want, name);
	ok(out == NULL && len == 0, "%s: outputs cleared", name);
}

static void
test_decode(void)
{
	decode_is("abc", 1, "abc", "decode: plain");
	decode_is("", 1, "", "decode: empty");
	decode_is("%41%4a%4A%6b", 1, "AJJk", "decode: upper and lower hex");
	decode_is("%25%2B", 1, "%+", "decode: %25 and %2B");
	decode_is("a+b", 1, "a b", "decode: plus is space");
	decode_is("a+b", 0, "a+b", "decode: plus kept without plus_space");
	decode_is("%C3%A9", 0, "\xc3\xa9", "decode: encoded e-acute");
	decode_is("\xe6\x97\xa5", 0, "\xe6\x97\xa5", "decode: raw UTF-8");
	decode_err("%", 1, FORM_BAD_ESCAPE, "decode: lone %");
	decode_err("%4", 2, FORM_BAD_ESCAPE, "decode: %4");
	decode_err("%zz", 3, FORM_BAD_ESCAPE, "decode: %zz");
	decode_err("%4g", 3, FORM_BAD_ESCAPE, "decode: %4g");
	decode_err("%g4", 3, FORM_BAD_ESCAPE, "decode: %g4");
	decode_err("ab%", 3, FORM_BAD_ESCAPE, "decode: % at end");
	/* "%41" cut after "%4": the length, not the NUL, ends the input. */
	decode_err("%41", 2, FORM_BAD_ESCAPE, "decode: escape cut by len");
	decode_err("%00", 3, FORM_NUL, "decode: %00");
	decode_err("a\0b", 3, FORM_NUL, "decode: raw NUL");
	decode_err("%C0%80", 6, FORM_BAD_UTF8, "decode: overlong");
	decode_err("%ED%A0%80", 9, FORM_BAD_UTF8, "decode: surrogate");
	decode_err("\xc3", 1, FORM_BAD_UTF8, "decode: truncated raw");
}

static void
test_urlencoded(void)
{
	struct kvlist l;
	struct kv junk = { "junk", "junk", 4 };

	is_int(parse("a=1&b=2", &big, &l), FORM_OK, "url: simple");
	is_int((long)l.n, 2, "url: simple count");
	is_str(l.v[0].name, "a", "url: first name");
	is_str(l.v[0].value, "1", "url: first value");
	is_str(l.v[1].name, "b", "url: second name");
	is_int((long)l.v[1].value_len, 1, "url: value_len");

	is_int(parse("a=1&a=2&b=3&a=4", &big, &l), FORM_OK, "url: repeats");
	is_int((long)kv_count(&l, "a"), 3, "url: kv_count a");
	is_int((long)kv_count(&l, "b"), 1, "url: kv_count b");
	is_int((long)kv_count(&l, "z"), 0, "url: kv_count missing");
	is_str(kv_get(&l, "a"), "1", "url: kv_get is the first");
	is_str(kv_get_nth(&l, "a", 0), "1", "url: nth 0");
	is_str(kv_get_nth(&l, "a", 1), "2", "url: nth 1");
	is_str(kv_get_nth(&l, "a", 2), "4", "url: nth 2");
	is_str(kv_get_nth(&l, "a", 3), NULL, "url: nth past the end");
	is_str(kv_get(&l, "A"), NULL, "url: names are case-sensitive");
	is_str(kv_get(&l, "z"), NULL, "url: missing name");

	is_int(parse("a=&b", &big, &l), FORM_OK, "url: empty values");
	is_int((long)l.n, 2, "url: empty values count");
	is_str(kv_get(&l, "a"), "", "url: a= is empty");
	is_str(kv_get(&l, "b"), "", "url: pair without '=' is empty");
	is_int((long)l.v[1].value_len, 0, "url: empty value_len");

	is_int(parse("&&a=1&&b=2&", &big, &l), FORM_OK, "url: empty segs");
	is_int((long)l.n, 2, "url: empty segments skipped");
	is_int(parse("=x&a=1&=&=y", &big, &l), FORM_OK, "url: empty names");
	is_int((long)l.n, 1, "url: empty names skipped");
	is_str(l.v[0].name, "a", "url: the named pair kept");
	is_int(parse("", &big, &l), FORM_OK, "url: empty input");
	ok(l.n == 0, "url: empty input gives nothing");

	is_int(parse("a=b=c", &big, &l), FORM_OK, "url: second '='");
	is_str(kv_get(&l, "a"), "b=c", "url: first '=' splits");
	is_int(parse("a=1;b=2", &big, &l), FORM_OK, "url: semicolon");
	is_int((long)l.n, 1, "url: ';' is not a separator");
	is_str(kv_get(&l, "a"), "1;b=2", "url: ';' stays in the value");
	is_int(parse("x+y=1+2%2B%26", &big, &l), FORM_OK, "url: plus");
	is_str(kv_get(&l, "x y"), "1 2+&", "url: plus in name and value");
	is_int(parse("n=%c3%a9&j=%E6%97%A5%E6%9C%AC&e=%F0%9F%98%80&r=\xc3\xa9",
	    &big, &l), FORM_OK, "url: multi-byte");
	is_str(kv_get(&l, "n"), "\xc3\xa9", "url: e-acute");
	is_str(kv_get(&l, "j"), "\xe6\x97\xa5\xe6\x9c\xac", "url: nihon");
	is_str(kv_get(&l, "e"), "\xf0\x9f\x98\x80", "url: emoji");
	is_str(kv_get(&l, "r"), "\xc3\xa9", "url: raw UTF-8");

	/* Errors leave the list empty. */
	l.v = &junk;
	l.n = 1;
	is_int(form_parse_urlencoded(&A, "a=1&b\0", 6, &big, &l), FORM_NUL,
	    "url: raw NUL");
	ok(l.n == 0 && l.v == NULL, "url: error leaves the list empty");
	is_int(form_parse_urlencoded(&A, "a=1&=\0", 6, &big, &l), FORM_NUL,
	    "url: raw NUL in a skipped pair");
	is_int(parse("a=%00", &big, &l), FORM_NUL, "url: %00 in value");
	is_int(parse("%00=1", &big, &l), FORM_NUL, "url: %00 in name");
	is_int(parse("a=%", &big, &l), FORM_BAD_ESCAPE, "url: %");
	is_int(parse("a=%4", &big, &l), FORM_BAD_ESCAPE, "url: %4");
	is_int(parse("a=1&b=%zz", &big, &l), FORM_BAD_ESCAPE, "url: %zz");
	ok(l.n == 0 && l.v == NULL, "url: late error leaves it empty");
	is_int(parse("a=%C0%80", &big, &l), FORM_BAD_UTF8, "url: overlong");
	is_int(parse("a=%ED%A0%80", &big, &l), FORM_BAD_UTF8,
	    "url: surrogate");
	is_int(parse("a=%F5%80%80%80", &big, &l), FORM_BAD_UTF8, "url: F5");
	is_int(parse("a=%E6%97", &big, &l), FORM_BAD_UTF8, "url: truncated");
	is_int(parse("a=%80", &big, &l), FORM_BAD_UTF8, "url: continuation");
	is_int(parse("%FF=1", &big, &l), FORM_BAD_UTF8, "url: bad name");
	is_int(parse("a=%C3&%A9", &big, &l), FORM_BAD_UTF8,
	    "url: a sequence split by '&'");
}

static void
test_url_limits(void)
{
	struct kvlist l;
	struct form_limits none = { 0, 8, 16 };

	is_int(parse("a&b&c", &small, &l), FORM_OK, "limit: 3 fields of 3");
	is_int((long)l.n, 3, "limit: 3 fields kept");
	is_int(parse("a&b&c&d", &small, &l), FORM_TOO_MANY,
	    "limit: 4 fields of 3");
	ok(l.n == 0, "limit: too many leaves the list empty");
	is_int(parse("&a&&b&=x&c&", &small, &l), FORM_OK,
	    "limit: skipped pairs do not count");
	is_int(parse("a=1&a=2&a=3&a=4", &small, &l), FORM_TOO_MANY,
	    "limit: repeats count");
	is_int(parse("", &none, &l), FORM_OK, "limit: 0 fields, none sent");
	is_int(parse("a", &none, &l), FORM_TOO_MANY, "limit: 0 fields, one");

	is_int(parse("abcdefgh=1", &small, &l), FORM_OK, "limit: name of 8");
	is_int(parse("abcdefghi=1", &small, &l), FORM_TOO_LONG,
	    "limit: name of 9");
	is_int(parse("%61bcdefgh=1", &small, &l), FORM_OK,
	    "limit: name measured decoded");
	is_int(parse("a+c+e+g+i=1", &small, &l), FORM_TOO_LONG,
	    "limit: decoded name of 9");
	is_int(parse("a=0123456789abcdef", &small, &l), FORM_OK,
	    "limit: value of 16");
	is_int((long)l.v[0].value_len, 16, "limit: value_len 16");
	is_int(parse("a=0123456789abcdefg", &small, &l), FORM_TOO_LONG,
	    "limit: value of 17");
	is_int(parse(arena_printf(&A, "a=%s", rep("%41", 16)), &small, &l),
	    FORM_OK, "limit: 48 raw bytes decoding to 16");
	is_int(parse(arena_printf(&A, "a=%s", rep("%41", 17)), &small, &l),
	    FORM_TOO_LONG, "limit: 51 raw bytes decoding to 17");
	is_int(parse(arena_printf(&A, "a=%s", rep("\xc3\xa9", 8)), &small,
	    &l), FORM_OK, "limit: counted in bytes (16)");
	is_int(parse(arena_printf(&A, "a=%s", rep("\xc3\xa9", 9)), &small,
	    &l), FORM_TOO_LONG, "limit: counted in bytes (18)");
}

static enum form_err
cookies(const char *h, const struct form_limits *lim, struct kvlist *out)
{
	return form_parse_cookies(&A, h, lim, out);
}

static void
test_cookies(void)
{
	struct kvlist l;
	struct kv junk = { "junk", "junk", 4 };

	is_int(cookies("a=1; b=2", &big, &l), FORM_OK, "cookie: two");
	is_int((long)l.n, 2, "cookie: two count");
	is_str(l.v[0].name, "a", "cookie: first name");
	is_str(l.v[0].value, "1", "cookie: first value");
	is_str(kv_get(&l, "b"), "2", "cookie: second value");

	is_int(cookies(" \ta=1 ;\tb=x y\t;c=\"q v\"  ", &big, &l), FORM_OK,
	    "cookie: spaces and tabs");
	is_int((long)l.n, 3, "cookie: spaces count");
	is_str(kv_get(&l, "a"), "1", "cookie: trimmed a");
	is_str(kv_get(&l, "b"), "x y", "cookie: inner space kept");
	is_str(kv_get(&l, "c"), "q v", "cookie: quotes removed");
	is_int((long)l.v[2].value_len, 3, "cookie: value_len unquoted");

	is_int(cookies("a=\"\"; b=\"; c=\"x; d=\"\"x\"\"", &big, &l), FORM_OK,
	    "cookie: quote shapes");
	is_str(kv_get(&l, "a"), "", "cookie: \"\" is empty");
	is_str(kv_get(&l, "b"), "\"", "cookie: lone quote kept");
	is_str(kv_get(&l, "c"), "\"x", "cookie: unbalanced quote kept");
	is_str(kv_get(&l, "d"), "\"x\"", "cookie: only one pair removed");

	is_int(cookies("t=a=b; p=%41+", &big, &l), FORM_OK, "cookie: as sent");
	is_str(kv_get(&l, "t"), "a=b", "cookie: first '=' splits");
	is_str(kv_get(&l, "p"), "%41+", "cookie: no percent-decoding");
	is_int(cookies("a=1;;b=2;", &big, &l), FORM_OK, "cookie: empty segs");
	is_int((long)l.n, 2, "cookie: empty segments skipped");
	is_int(cookies("a=1; a=2", &big, &l), FORM_OK, "cookie: repeats");
	is_int((long)kv_count(&l, "a"), 2, "cookie: both kept");
	is_str(kv_get_nth(&l, "a", 1), "2", "cookie: in order");
	is_int(cookies("e=; f=\xc3\xa9", &big, &l), FORM_OK, "cookie: misc");
	is_str(kv_get(&l, "e"), "", "cookie: empty value");
	is_str(kv_get(&l, "f"), "\xc3\xa9", "cookie: UTF-8 value");
	is_int(cookies("", &big, &l), FORM_OK, "cookie: empty header");
	ok(l.n == 0, "cookie: empty header gives nothing");
	is_int(cookies(NULL, &big, &l), FORM_OK, "cookie: NULL header");
	ok(l.n == 0, "cookie: NULL header gives nothing");

	l.v = &junk;
	l.n = 1;
	is_int(cookies("a=1; b", &big, &l), FORM_BAD_SYNTAX,
	    "cookie: pair without '='");
	ok(l.n == 0 && l.v == NULL, "cookie: error leaves the list empty");
	is_int(cookies("=1", &big, &l), FORM_BAD_SYNTAX, "cookie: empty name");
	is_int(cookies("a b=1", &big, &l), FORM_BAD_SYNTAX,
	    "cookie: space in name");
	is_int(cookies("a(b)=1", &big, &l), FORM_BAD_SYNTAX,
	    "cookie: separator in name");
	is_int(cookies("a=1\x01", &big, &l), FORM_BAD_SYNTAX,
	    "cookie: control character");
	is_int(cookies("a=x\ty", &big, &l), FORM_BAD_SYNTAX,
	    "cookie: tab inside a value");
	is_int(cookies("a=x\x7f", &big, &l), FORM_BAD_SYNTAX, "cookie: DEL");
	is_int(cookies("a=x\r\nb=2", &big, &l), FORM_BAD_SYNTAX,
	    "cookie: CR LF");
	is_int(cookies("a=\xc0\x80", &big, &l), FORM_BAD_UTF8,
	    "cookie: invalid UTF-8 value");

	is_int(cookies("a=1; b=2; c=3", &small, &l), FORM_OK,
	    "cookie: 3 of 3");
	is_int(cookies("a=1; b=2; c=3; d=4", &small, &l), FORM_TOO_MANY,
	    "cookie: 4 of 3");
	is_int(cookies("abcdefgh=1", &small, &l), FORM_OK, "cookie: name 8");
	is_int(cookies("abcdefghi=1", &small, &l), FORM_TOO_LONG,
	    "cookie: name 9");
	is_int(cookies("a=0123456789abcdef", &small, &l), FORM_OK,
	    "cookie: value 16");
	is_int(cookies("a=0123456789abcdefg", &small, &l), FORM_TOO_LONG,
	    "cookie: value 17");
	is_int(cookies("a=\"0123456789abcdef\"", &small, &l), FORM_OK,
	    "cookie: quoted value 16");
}

static void
test_misc(void)
{
	struct kvlist empty = { NULL, 0 };

	is_str(form_err_str(FORM_OK), "ok", "err_str: ok");
	is_str(form_err_str(FORM_TOO_MANY), "too many fields",
	    "err_str: too many");
	is_str(form_err_str(FORM_TOO_LONG), "field too long",
	    "err_str: too long");
	is_str(form_err_str(FORM_BAD_ESCAPE), "invalid percent-encoding",
	    "err_str: escape");
	is_str(form_err_str(FORM_NUL), "NUL byte", "err_str: NUL");
	is_str(form_err_str(FORM_BAD_UTF8), "invalid UTF-8", "err_str: UTF-8");
	is_str(form_err_str(FORM_BAD_SYNTAX), "malformed cookie header",
	    "err_str: syntax");
	is_str(form_err_str((enum form_err)99), "unknown form error",
	    "err_str: out of range");
	is_str(kv_get(&empty, "a"), NULL, "kv: get on an empty list");
	is_int((long)kv_count(&empty, "a"), 0, "kv: count on an empty list");
	is_str(kv_get(NULL, "a"), NULL, "kv: NULL list");
}

int
main(void)
{
	if (arena_init(&A) == -1)
		return 1;
	test_utf8();
	test_scrub();
	test_decode();
	test_urlencoded();
	test_url_limits();
	test_cookies();
	test_misc();
	arena_free(&A);
	return tap_done();
}
