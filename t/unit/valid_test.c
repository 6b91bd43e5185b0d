/* valid_test: each validator's accepted and refused values, and whole forms against a field table. */
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"
#include "core/valid.h"
#include "tap.h"

static struct arena A;
static const struct form_limits lim = { 100, 100, 1000 };

static const char *const colours[] = { "red", "green", NULL };

static const struct valid_field F_TEXT = { "t", VALID_TEXT, 0, 2, 5, NULL };
static const struct valid_field F_REQ = { "r", VALID_TEXT, VALID_REQUIRED, 0, 10, NULL };
static const struct valid_field F_ML = { "m", VALID_MULTILINE, 0, 0, 10, NULL };
static const struct valid_field F_INT = { "i", VALID_INT, VALID_REQUIRED, 5, 1440, NULL };
static const struct valid_field F_BOOL = { "b", VALID_BOOL, 0, 0, 0, NULL };
static const struct valid_field F_CHOICE = { "c", VALID_CHOICE, VALID_REQUIRED, 0, 0, colours };
static const struct valid_field F_SLUG = { "s", VALID_SLUG, 0, 3, 12, NULL };
static const struct valid_field F_TIME = { "h", VALID_TIME, VALID_REQUIRED, 0, 0, NULL };
static const struct valid_field F_UUID = { "u", VALID_UUID, 0, 0, 0, NULL };
/* As on the booking form: both required. */
static const struct valid_field F_EMAIL = { "e", VALID_EMAIL, VALID_REQUIRED, 0, 0, NULL };
static const struct valid_field F_INSTANT = { "w", VALID_INSTANT, VALID_REQUIRED, 0, 0, NULL };
static const struct valid_field F_DATE = { "d", VALID_DATE, 0, 0, 0, NULL };
/* As the events form's price: up to 100,000.00. */
static const struct valid_field F_MONEY = { "p", VALID_MONEY, VALID_REQUIRED, 0, 10000000, NULL };

/* One value: want NULL (valid) or an error key. */
static void
one(const struct valid_field *f, const char *in, const char *want,
    const char *name)
{
	struct valid_value v;
	const char *got = valid_value(&A, f, in, &v);

	if (want == NULL)
		ok(got == NULL, "%s: accepted%s%s", name, got ? " — got " : "",
		    got ? got : "");
	else
		is_str(got, want, name);
}

static long long
num(const struct valid_field *f, const char *in)
{
	struct valid_value v;

	valid_value(&A, f, in, &v);
	return v.n;
}

/*
 * An address of n characters (n > 70): the longest local part (64), an @
 * and a domain of 59-letter labels ending in ".com", so that only its
 * length can be wrong with it.
 */
static const char *
email_of(size_t n)
{
	static char buf[300];
	size_t i;

	memset(buf, 'a', 64);
	buf[64] = '@';
	for (i = 65; i < n - 4; i++)
		buf[i] = (i - 65) % 60 == 59 ? '.' : 'b';
	memcpy(buf + n - 4, ".com", 5);
	return buf;
}

static void
test_email(void)
{
	struct valid_value v;

	one(&F_EMAIL, "ana.alves+eleva@example.com", NULL, "email: a normal address");
	valid_value(&A, &F_EMAIL, "  Ana@Example.com \t", &v);
	is_str(v.s, "Ana@Example.com", "email: surrounding space trimmed, the case kept");
	one(&F_EMAIL, "", "valid.required", "email: required");
	one(&F_EMAIL, "ana.example.com", "valid.email", "email: no @");
	one(&F_EMAIL, "ana@alves@example.com", "valid.email", "email: two @");
	one(&F_EMAIL, "@example.com", "valid.email", "email: nothing before the @");
	one(&F_EMAIL, "ana@example", "valid.email", "email: a domain without a dot");
	one(&F_EMAIL, "ana alves@example.com", "valid.email", "email: a space in the local part");
	one(&F_EMAIL, "ana@exam ple.com", "valid.email", "email: a space in the domain");
	one(&F_EMAIL, "ana\x01@example.com", "valid.email", "email: a C0 control");
	one(&F_EMAIL, "ana\x7f@example.com", "valid.email", "email: DEL");
	/*
	 * form_email_valid() lets every byte above 0x20 through: the format
	 * characters that make an address read as another must be refused
	 * on top of it.
	 */
	one(&F_EMAIL, "ana\xe2\x80\xae" "moc.elpmaxe@x.com", "valid.email",
	    "email: a right-to-left override (U+202E)");
	one(&F_EMAIL, "an\xe2\x80\x8b" "a@example.com", "valid.email",
	    "email: a zero-width space (U+200B)");
	one(&F_EMAIL, "ana\xc2\x85@example.com", "valid.email",
	    "email: a C1 control (U+0085)");
	is_int((long)strlen(email_of(254)), 254, "email: the long address has 254 characters");
	one(&F_EMAIL, email_of(254), NULL, "email: 254 characters accepted");
	one(&F_EMAIL, email_of(255), "valid.email", "email: 255 characters refused");
	one(&F_EMAIL, "a@b..c", "valid.email", "email: an empty domain label");
	one(&F_EMAIL, "ana@.example.com", "valid.email",
	    "email: an empty first domain label");
	one(&F_EMAIL, "ana@example.com.", "valid.email", "email: the domain ends with a dot");
}

static void
test_instant(void)
{
	one(&F_INSTANT, "2026-12-01T09:30:00Z", NULL, "instant: a UTC time");
	one(&F_INSTANT, "", "valid.required", "instant: required");
	one(&F_INSTANT, "2026-12-01 09:30:00Z", "valid.instant", "instant: a space for the T");
	one(&F_INSTANT, "2026-12-1T09:30:00Z", "valid.instant", "instant: a one-digit day");
	one(&F_INSTANT, "2026-12-01T09:30Z", "valid.instant", "instant: no seconds");
	one(&F_INSTANT, "2026-12-01t09:30:00z", "valid.instant", "instant: lower-case t and z");
	one(&F_INSTANT, "2026-12-01T09:30:00", "valid.instant", "instant: no Z");
	one(&F_INSTANT, "2026-12-01T09:30:00+00:00", "valid.instant", "instant: an offset for the Z");
	one(&F_INSTANT, "2026-12-01T09:30:00Zx", "valid.instant", "instant: trailing text");
	one(&F_INSTANT, "2026-12-01T09:30:00.000Z", "valid.instant", "instant: fractions of a second");
	one(&F_INSTANT, "2026-02-30T10:00:00Z", "valid.instant", "instant: 30 February");
	one(&F_INSTANT, "2026-04-31T10:00:00Z", "valid.instant", "instant: 31 April");
	one(&F_INSTANT, "2026-13-01T10:00:00Z", "valid.instant", "instant: month 13");
	one(&F_INSTANT, "2026-00-10T10:00:00Z", "valid.instant", "instant: month 0");
	one(&F_INSTANT, "2026-12-00T10:00:00Z", "valid.instant", "instant: day 0");
	one(&F_INSTANT, "2025-02-29T10:00:00Z", "valid.instant",
	    "instant: 29 February 2025 (not a leap year)");
	one(&F_INSTANT, "2028-02-29T10:00:00Z", NULL, "instant: 29 February 2028 (a leap year)");
	one(&F_INSTANT, "2100-02-29T10:00:00Z", "valid.instant",
	    "instant: 29 February 2100 (a century)");
	one(&F_INSTANT, "2000-02-29T10:00:00Z", NULL,
	    "instant: 29 February 2000 (every 400 years)");
	one(&F_INSTANT, "2026-12-01T24:00:00Z", "valid.instant", "instant: hour 24");
	one(&F_INSTANT, "2026-12-01T23:59:59Z", NULL, "instant: the last second of a day");
	one(&F_INSTANT, "2026-12-01T09:60:00Z", "valid.instant", "instant: minute 60");
	one(&F_INSTANT, "2026-12-01T09:30:60Z", "valid.instant", "instant: second 60");
}

static void
test_values(void)
{
	struct valid_value v;

	one(&F_TEXT, "abc", NULL, "text: in bounds");
	one(&F_TEXT, "  abc \t", NULL, "text: surrounding space trimmed");
	valid_value(&A, &F_TEXT, "  abc \t", &v);
	is_str(v.s, "abc", "text: the trimmed value is kept");
	one(&F_TEXT, NULL, NULL, "text: absent and optional");
	one(&F_TEXT, "   ", NULL, "text: blank and optional");
	one(&F_TEXT, "a", "valid.too_short", "text: under min");
	one(&F_TEXT, "abcdef", "valid.too_long", "text: over max");
	one(&F_TEXT, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", NULL,
	    "text: max counts characters, not bytes");
	one(&F_TEXT, "a\nb", "valid.control", "text: newline refused");
	one(&F_TEXT, "a\x01" "b", "valid.control", "text: C0 control refused");
	one(&F_TEXT, "a\x7f" "b", "valid.control", "text: DEL refused");
	one(&F_TEXT, "a\xc2\x85" "b", "valid.control", "text: C1 control refused");
	one(&F_REQ, "Ana\xe2\x80\xae" "lef", "valid.control", "text: right-to-left override refused");
	one(&F_REQ, "An\xe2\x80\x8b" "a", "valid.control", "text: zero-width space refused");
	one(&F_REQ, "Ana\xe2\x81\xa6" "x", "valid.control", "text: directional isolate refused");
	one(&F_REQ, "\xef\xbb\xbf" "Ana", "valid.control", "text: byte order mark refused");
	one(&F_REQ, "An\xc2\xad" "a", "valid.control", "text: soft hyphen refused");
	one(&F_REQ, "Jos\xc3\xa9 \xe2\x80\x94 Ana", NULL, "text: accents and an em dash are fine");
	one(&F_ML, "a\xe2\x80\xae" "b", "valid.control", "multiline: an override refused too");
	one(&F_REQ, NULL, "valid.required", "required: absent");
	one(&F_REQ, " \t ", "valid.required", "required: blank");
	one(&F_REQ, "x", NULL, "required: present");
	one(&F_ML, "a\r\nb\tc", NULL, "multiline: newlines and tabs");
	one(&F_ML, "a\x02", "valid.control", "multiline: other controls refused");
	one(&F_ML, "01234567890", "valid.too_long", "multiline: over max");
	/* Ten characters typed, three of them line breaks sent as CRLF: 13 bytes. */
	one(&F_ML, "ab\r\ncd\r\nef\r\n!", NULL,
	    "multiline: a line break sent as CRLF counts once");
	valid_value(&A, &F_ML, "a\r\nb\rc\nd", &v);
	is_str(v.s, "a\nb\nc\nd", "multiline: CRLF and CR kept as \\n");

	one(&F_INT, "60", NULL, "int: in range");
	is_int((long)num(&F_INT, "60"), 60, "int: value");
	one(&F_INT, "5", NULL, "int: at min");
	one(&F_INT, "1440", NULL, "int: at max");
	one(&F_INT, "4", "valid.range", "int: under min");
	one(&F_INT, "1441", "valid.range", "int: over max");
	one(&F_INT, "-7", "valid.range", "int: negative");
	one(&F_INT, "6O", "valid.number", "int: a letter");
	one(&F_INT, "1.5", "valid.number", "int: a fraction");
	one(&F_INT, "1e3", "valid.number", "int: exponent");
	one(&F_INT, "0x10", "valid.number", "int: hex");
	one(&F_INT, "99999999999999999999999", "valid.number", "int: overflow");
	one(&F_INT, "-", "valid.number", "int: sign alone");
	one(&F_INT, "", "valid.required", "int: required");

	one(&F_BOOL, NULL, NULL, "bool: absent");
	is_int((long)num(&F_BOOL, NULL), 0, "bool: absent is false");
	is_int((long)num(&F_BOOL, "on"), 1, "bool: on is true");
	is_int((long)num(&F_BOOL, "1"), 1, "bool: 1 is true");
	is_int((long)num(&F_BOOL, "true"), 1, "bool: true is true");
	is_int((long)num(&F_BOOL, "off"), 0, "bool: off is false");
	one(&F_BOOL, "yes please", "valid.choice", "bool: anything else refused");

	one(&F_CHOICE, "red", NULL, "choice: known");
	one(&F_CHOICE, "Red", "valid.choice", "choice: case matters");
	one(&F_CHOICE, "blue", "valid.choice", "choice: unknown");
	one(&F_CHOICE, "", "valid.required", "choice: required");

	one(&F_SLUG, "anna-lee2", NULL, "slug: letters, digits, dash");
	one(&F_SLUG, "ab", "valid.too_short", "slug: too short");
	one(&F_SLUG, "abcdefghijklm", "valid.too_long", "slug: too long");
	one(&F_SLUG, "Anna", "valid.slug", "slug: upper case");
	one(&F_SLUG, "-anna", "valid.slug", "slug: leading dash");
	one(&F_SLUG, "anna-", "valid.slug", "slug: trailing dash");
	one(&F_SLUG, "an--na", "valid.slug", "slug: double dash");
	one(&F_SLUG, "an na", "valid.slug", "slug: space");
	one(&F_SLUG, "ann\xc3\xa1", "valid.slug", "slug: accented letter");

	one(&F_TIME, "09:30", NULL, "time: 09:30");
	is_int((long)num(&F_TIME, "09:30"), 570, "time: minutes of day");
	is_int((long)num(&F_TIME, "17:00:00"), 1020, "time: seconds :00 accepted");
	is_int((long)num(&F_TIME, "24:00"), 1440, "time: 24:00 ends the day");
	one(&F_TIME, "24:01", "valid.time", "time: past 24:00");
	one(&F_TIME, "9:30", "valid.time", "time: one-digit hour");
	one(&F_TIME, "12:60", "valid.time", "time: minute 60");
	one(&F_TIME, "25:00", "valid.time", "time: hour 25");
	one(&F_TIME, "12:30:15", "valid.time", "time: seconds other than :00");
	one(&F_TIME, "noon", "valid.time", "time: words");

	one(&F_UUID, "0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b", NULL, "uuid: canonical");
	one(&F_UUID, "0b7e2f4a1c3d4e5f8a9b0c1d2e3f4a5b", "valid.uuid", "uuid: no dashes");
	one(&F_UUID, "0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5g", "valid.uuid", "uuid: not hex");
	one(&F_UUID, "' OR 1=1 --", "valid.uuid", "uuid: injection text");

	is_int((long)valid_chars("a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80"), 4,
	    "chars: 1, 2, 3 and 4-byte characters");
	is_str(valid_format_time(&A, 570), "09:30", "format_time: 09:30");
	is_str(valid_format_time(&A, 1440), "24:00", "format_time: 24:00");
	is_str(valid_format_time(&A, 2000), "", "format_time: out of range");
}

static const struct valid_field table[] = {
	{ "name", VALID_TEXT, VALID_REQUIRED, 0, 20, NULL },
	{ "minutes", VALID_INT, VALID_REQUIRED, 5, 600, NULL },
	{ "active", VALID_BOOL, 0, 0, 0, NULL },
	{ "colour", VALID_CHOICE, 0, 0, 0, colours },
};

static void
test_form(void)
{
	struct valid_result r;
	struct kvlist kv;
	const char *body = "name=Intro+call&minutes=30&active=on&colour=red&"
	    "unknown=ignored&name=second";

	form_parse_urlencoded(&A, body, strlen(body), &lim, &kv);
	is_int((long)valid_form(&A, table, 4, &kv, &r), 0, "form: all valid");
	is_str(r.v[0].s, "Intro call", "form: the first value of a repeated name");
	is_int((long)r.v[1].n, 30, "form: int value");
	is_int((long)r.v[2].n, 1, "form: checkbox on");
	is_str(r.v[3].s, "red", "form: choice");

	body = "minutes=3x&colour=blue";
	form_parse_urlencoded(&A, body, strlen(body), &lim, &kv);
	is_int((long)valid_form(&A, table, 4, &kv, &r), 3, "form: three errors");
	is_str(valid_error_of(&r, 0)->key, "valid.required", "form: name missing");
	is_str(valid_error_of(&r, 1)->key, "valid.number", "form: minutes not a number");
	ok(valid_error_of(&r, 2) == NULL, "form: an absent checkbox is fine");
	is_str(valid_error_of(&r, 3)->key, "valid.choice", "form: unknown choice");
	is_str(r.v[1].s, "3x", "form: the refused text is kept for re-rendering");
	valid_add(&r, 0, "setup.handle_taken");
	is_int((long)r.nerr, 4, "form: a handler adds its own error");
	is_str(valid_error_of(&r, 0)->key, "valid.required",
	    "form: error_of gives the first for a field");
}

/* VALID_DATE (the audit filters) and the sign-in code's digits. */
static void
test_date_and_code(void)
{
	const char *d;

	one(&F_DATE, "2026-03-29", NULL, "date: a day");
	one(&F_DATE, "", NULL, "date: absent is fine when not required");
	one(&F_DATE, "2026-02-30", "valid.date", "date: 30 February");
	one(&F_DATE, "2025-02-29", "valid.date", "date: 29 February 2025");
	one(&F_DATE, "2028-02-29", NULL, "date: 29 February 2028");
	one(&F_DATE, "2026-3-29", "valid.date", "date: a one-digit month");
	one(&F_DATE, "2026-03-29T00:00:00Z", "valid.date", "date: a time after it");
	one(&F_DATE, "1969-12-31", "valid.date", "date: before 1970");
	one(&F_DATE, "29/03/2026", "valid.date", "date: another order");
	ok(num(&F_MONEY, "55") == 5500, "money: 55 is 5500 cents");
	ok(num(&F_MONEY, "55.5") == 5550, "money: 55.5 is 5550");
	ok(num(&F_MONEY, "55,05") == 5505, "money: 55,05 (a comma) is 5505");
	ok(num(&F_MONEY, " 0.00 ") == 0, "money: 0.00 is free (trimmed)");
	ok(num(&F_MONEY, "100000") == 10000000, "money: 100000 is the most");
	one(&F_MONEY, "100000.01", "valid.money_range", "money: a cent more: out of range");
	one(&F_MONEY, "55.", "valid.money", "money: a mark without decimals");
	one(&F_MONEY, ".5", "valid.money", "money: decimals without units");
	one(&F_MONEY, "55.123", "valid.money", "money: three decimals");
	one(&F_MONEY, "1,000.00", "valid.money", "money: a thousands separator");
	one(&F_MONEY, "-5", "valid.money", "money: a sign");
	one(&F_MONEY, "5 €", "valid.money", "money: a currency symbol");
	one(&F_MONEY, "1e3", "valid.money", "money: an exponent");
	one(&F_MONEY, "9999999999999", "valid.money", "money: thirteen digits");
	one(&F_MONEY, "", "valid.required", "money: required");
	d = valid_code_digits(&A, " 123 456 ");
	ok(d != NULL && strcmp(d, "123456") == 0, "code: spaces around and inside are dropped");
	ok(valid_code_digits(&A, "12345") == NULL, "code: five digits are refused");
	ok(valid_code_digits(&A, "1234567") == NULL, "code: seven digits are refused");
	ok(valid_code_digits(&A, "12a456") == NULL, "code: a letter is refused");
	ok(valid_code_digits(&A, NULL) == NULL, "code: none");
}

int
main(void)
{
	arena_init(&A);
	test_values();
	test_email();
	test_instant();
	test_date_and_code();
	test_form();
	arena_free(&A);
	return tap_done();
}
