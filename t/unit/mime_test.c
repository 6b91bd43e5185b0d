/* mime_test: lib/mime.c — a message's shape, encoded words and quoted-printable read back, 76-column CRLF lines, header injection refused, boundaries never in a body. */
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/buf.h"
#include "lib/ics.h"
#include "lib/mime.h"
#include "tap.h"

static struct arena A;

/* Every line CRLF-ended, at most 76 characters, 7-bit, no bare CR or LF. */
static int
lines_ok(const char *s, size_t *longest)
{
	const char *p = s, *e, *q;

	*longest = 0;
	while (*p != '\0') {
		if ((e = strstr(p, "\r\n")) == NULL)
			return 0;
		for (q = p; q < e; q++)
			if (*q == '\r' || *q == '\n' || (unsigned char)*q >= 0x80 ||
			    *q == '\0')
				return 0;
		if ((size_t)(e - p) > *longest)
			*longest = (size_t)(e - p);
		p = e + 2;
	}
	return *longest <= 76;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A well-formed UTF-8 string (the test's own, simple check). */
static int
utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0, k, j;

	while (i < n) {
		if (p[i] < 0x80)
			k = 1;
		else if ((p[i] & 0xe0) == 0xc0)
			k = 2;
		else if ((p[i] & 0xf0) == 0xe0)
			k = 3;
		else if ((p[i] & 0xf8) == 0xf0)
			k = 4;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

/*
 * Decode quoted-printable s[0..n) into b.  Returns 0, or -1 for a bad
 * escape, a line over 76 columns, or a physical line whose bytes are not
 * whole UTF-8 characters (a soft break cutting one).
 */
static int
qp_decode(struct buf *b, const char *s, size_t n)
{
	const char *end = s + n, *e;
	size_t start;
	int hi, lo, soft;

	while (s < end) {
		if ((e = memchr(s, '\r', (size_t)(end - s))) == NULL)
			e = end;
		if (e - s > 76)
			return -1;
		start = b->len;
		soft = 0;
		for (; s < e; s++) {
			if (*s != '=') {
				buf_putc(b, *s);
				continue;
			}
			if (s + 1 == e) {
				soft = 1;
				continue;
			}
			if (e - s < 3 || (hi = hexval(s[1])) < 0 ||
			    (lo = hexval(s[2])) < 0)
				return -1;
			buf_putc(b, (char)(hi << 4 | lo));
			s += 2;
		}
		if (!utf8_ok((unsigned char *)b->data + start, b->len - start))
			return -1;
		if (e < end) {
			if (e + 1 >= end || e[1] != '\n')
				return -1;
			if (!soft)
				buf_puts(b, "\r\n");
			s = e + 2;
		}
	}
	return 0;
}

/* The unfolded value of header name in the header block of msg, or NULL. */
static char *
header(const char *msg, const char *name)
{
	struct buf b;
	const char *p = msg, *e;
	size_t n = strlen(name);

	while (*p != '\0' && strncmp(p, "\r\n", 2) != 0) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			buf_init(&b, &A);
			p += n + 1;
			while (*p == ' ')
				p++;
			for (;;) {
				e = strstr(p, "\r\n");
				buf_append(&b, p, (size_t)(e - p));
				p = e + 2;
				if (*p != ' ' && *p != '\t')
					break;
			}
			return (char *)buf_str(&b);
		}
		p = strstr(p, "\r\n") + 2;
	}
	return NULL;
}

/*
 * An unfolded header value with its RFC 2047 encoded words decoded
 * (whitespace between two words dropped); NULL for a malformed word.
 * *words: how many there were.
 */
static char *
decode_words(const char *v, int *words)
{
	struct buf b;
	const char *p = v, *e;
	unsigned char *raw;
	size_t rawlen, sp;
	int last_word = 0;

	*words = 0;
	buf_init(&b, &A);
	while (*p != '\0') {
		if (strncmp(p, "=?UTF-8?B?", 10) == 0) {
			if ((e = strstr(p + 10, "?=")) == NULL || e - p > 75 ||
			    b64_decode(&A, p + 10, (size_t)(e - p - 10), 1, &raw,
			    &rawlen) == -1)
				return NULL;
			buf_append(&b, raw, rawlen);
			(*words)++;
			p = e + 2;
			last_word = 1;
			continue;
		}
		sp = strspn(p, " \t");
		if (sp > 0 && last_word && strncmp(p + sp, "=?", 2) == 0) {
			p += sp;
			continue;
		}
		buf_putc(&b, *p++);
		last_word = 0;
	}
	return (char *)buf_str(&b);
}

/* Text with its line ends made CRLF. */
static char *
crlf(const char *s)
{
	struct buf b;

	buf_init(&b, &A);
	for (; *s != '\0'; s++) {
		if (*s == '\n' && (b.len == 0 || b.data[b.len - 1] != '\r'))
			buf_putc(&b, '\r');
		buf_putc(&b, *s);
	}
	return (char *)buf_str(&b);
}

/* The body between "--boundary\r\n" + its headers and the next "\r\n--boundary". */
static char *
part_body(const char *msg, const char *boundary, int nth, char **headers)
{
	char delim[100];
	const char *p = msg, *h, *e;
	int i;

	snprintf(delim, sizeof(delim), "\r\n--%s\r\n", boundary);
	for (i = 0; i <= nth; i++)
		if ((p = strstr(p, delim)) == NULL)
			return NULL;
		else
			p += strlen(delim);
	h = p;
	if ((p = strstr(p, "\r\n\r\n")) == NULL)
		return NULL;
	if (headers != NULL)
		*headers = arena_strndup(&A, h, (size_t)(p - h));
	p += 4;
	snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	if ((e = strstr(p, delim)) == NULL)
		return NULL;
	return arena_strndup(&A, p, (size_t)(e - p));
}

/* How many times needle occurs in hay. */
static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL)
		n++, hay++;
	return n;
}

/* The boundary parameter of a Content-Type value. */
static char *
boundary_of(const char *ctype)
{
	const char *p = strstr(ctype, "boundary=\"");

	if (p == NULL)
		return NULL;
	p += 10;
	return arena_strndup(&A, p, strcspn(p, "\""));
}

static struct mime_msg
base(void)
{
	struct mime_msg m;

	memset(&m, 0, sizeof(m));
	m.from_name = "Eleva Care";
	m.from_addr = "no-reply@eleva.care";
	m.to_name = "Rui Costa";
	m.to_addr = "rui@example.test";
	m.subject = "Your booking is confirmed";
	m.message_id = "<b1.1@eleva.care>";
	m.date = 1796594400;	/* Sun 2026-12-06 22:00:00 UTC */
	m.text = "Hello Rui,\nsee you soon.\n";
	return m;
}

static void
test_plain(void)
{
	struct buf b;
	struct mime_msg m = base();

	buf_init(&b, &A);
	ok(mime_write(&b, &m) == 0, "a text-only message is written");
	is_str(buf_str(&b),
	    "From: Eleva Care <no-reply@eleva.care>\r\n"
	    "To: Rui Costa <rui@example.test>\r\n"
	    "Subject: Your booking is confirmed\r\n"
	    "Date: Sun, 06 Dec 2026 22:00:00 +0000\r\n"
	    "Message-ID: <b1.1@eleva.care>\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "Hello Rui,\r\nsee you soon.\r\n",
	    "... exactly: headers, a blank line, the text in CRLF lines");
	m.text = "No line end";
	buf_init(&b, &A);
	mime_write(&b, &m);
	ok(b.len > 13 && strcmp(b.data + b.len - 15, "\r\nNo line end\r\n") == 0,
	    "a text without a final line end: the message ends with CRLF");
	m.text = "Hello Rui,\nsee you soon.\n";

	m.to_name = NULL;
	m.in_reply_to = "<b1.0@eleva.care>";
	buf_init(&b, &A);
	mime_write(&b, &m);
	is_str(header(buf_str(&b), "To"), "rui@example.test",
	    "no name: the bare address");
	is_str(header(buf_str(&b), "In-Reply-To"), "<b1.0@eleva.care>",
	    "In-Reply-To given");
	is_str(header(buf_str(&b), "References"), "<b1.0@eleva.care>",
	    "... and References alike");

	m.to_name = "Ana \"A\" Ferreira, Dr.";
	buf_init(&b, &A);
	mime_write(&b, &m);
	is_str(header(buf_str(&b), "To"),
	    "\"Ana \\\"A\\\" Ferreira, Dr.\" <rui@example.test>",
	    "a name with specials is a quoted string, quotes escaped");
}

static void
test_words(void)
{
	struct buf b;
	struct mime_msg m = base();
	const char *subject = "Consulta de pós-parto confirmada — sábado, "
	    "6 de dezembro às 22:00 com Ana Ferreira 🌸 (Conceição, Jõao, "
	    "Ñandú, ação, 日本語のテキスト)";
	char *v, *d;
	size_t longest, i;
	int words;

	m.subject = subject;
	m.from_name = "Eleva Care — Ação";
	m.to_name = "Conceição Gonçalves";
	buf_init(&b, &A);
	ok(mime_write(&b, &m) == 0, "accented names and subject are written");
	i = (size_t)lines_ok(buf_str(&b), &longest);
	ok(i == 1, "every line CRLF, 7-bit, at most 76 characters (longest "
	    "%zu)", longest);
	v = header(buf_str(&b), "Subject");
	d = decode_words(v, &words);
	is_str(d, subject, "the subject's encoded words decode back");
	ok(words > 2, "... folded into %d words, none over 75 characters "
	    "(4-byte characters kept whole)", words);
	d = decode_words(header(buf_str(&b), "To"), &words);
	is_str(d, "Conceição Gonçalves <rui@example.test>",
	    "the recipient's name decodes back, the address plain");
	d = decode_words(header(buf_str(&b), "From"), &words);
	is_str(d, "Eleva Care — Ação <no-reply@eleva.care>",
	    "the sender's too");
	ok(strstr(buf_str(&b), "Subject: =?UTF-8?B?") != NULL,
	    "base64 encoded words");

	m.subject = "A subject with =?UTF-8?B?YQ==?= in it";
	buf_init(&b, &A);
	mime_write(&b, &m);
	d = decode_words(header(buf_str(&b), "Subject"), &words);
	is_str(d, m.subject, "text that looks like an encoded word is "
	    "encoded itself");
	m.subject = "Plain but long: the quick brown fox jumps over the lazy "
	    "dog and keeps on running for quite a while longer";
	buf_init(&b, &A);
	mime_write(&b, &m);
	ok(strstr(buf_str(&b), "Subject: Plain but long") != NULL &&
	    lines_ok(buf_str(&b), &longest),
	    "a long ASCII subject stays plain, folded at spaces");
	is_str(header(buf_str(&b), "Subject"), m.subject, "... and unfolds "
	    "whole");
}

static void
test_full(void)
{
	struct buf b, ics, dec;
	struct mime_msg m = base();
	struct ics_event e;
	char *msg, *mix, *alt, *h, *body, *line;
	unsigned char *raw;
	size_t longest, rawlen, i;
	char text[2048], close[100];

	memset(&e, 0, sizeof(e));
	e.method = "REQUEST";
	e.uid = "m-42@eleva.care";
	e.sequence = 1;
	e.start = 1796594400;
	e.end = e.start + 3600;
	e.stamp = 1796500000;
	e.summary = "Consulta com Ana Ferreira — pós-parto";
	e.organizer_name = "Ana Ferreira";
	e.organizer_email = "ana@example.test";
	buf_init(&ics, &A);
	ics_write(&ics, &e);

	/* Accents, long lines, trailing blanks, '=', "From ", '.' lines. */
	snprintf(text, sizeof(text), "Olá Conceição,\n\n%s\n"
	    "trailing space \nand tab\t\nx = y + 1; 100%% = done\n"
	    "From the team\n.\n.hidden\n%s\nend",
	    "A sua consulta de pós-parto está confirmada para sábado às "
	    "22:00, com a especialista Ana Ferreira; até lá, se precisar de "
	    "alterar ou cancelar, use a ligação abaixo. Ção ção ção ção ção "
	    "ção ção ção ção ção ção ção ção ção ção ção.",
	    "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
	    "ééééééééééééééééééééééééééééééééééééééééééééééééééé🌸🌸🌸🌸🌸");
	m.text = text;
	m.html = "<!DOCTYPE html>\n<html lang=\"pt\"><body><p style=\"color:"
	    "#333\">Olá <b>Conceição</b>, a sua consulta está confirmada."
	    "</p></body></html>\n";
	m.ics = buf_str(&ics);
	m.ics_method = "REQUEST";
	m.ics_filename = "invite.ics";
	m.boundary_seed = "outbox-42";
	buf_init(&b, &A);
	ok(mime_write(&b, &m) == 0, "text, HTML and an invitation are written");
	msg = (char *)buf_str(&b);
	i = (size_t)lines_ok(msg, &longest);
	ok(i == 1, "every line CRLF, 7-bit, at most 76 characters (longest "
	    "%zu)", longest);
	h = header(msg, "Content-Type");
	ok(h != NULL && strncmp(h, "multipart/mixed;", 16) == 0,
	    "the message is multipart/mixed");
	mix = boundary_of(h);
	ok(mix != NULL && strncmp(mix, "=_", 2) == 0, "... its boundary "
	    "starts with =_ (%s)", mix ? mix : "none");
	body = part_body(msg, mix, 0, &h);
	ok(h != NULL && strncmp(h, "Content-Type: multipart/alternative;",
	    36) == 0, "its first part is multipart/alternative");
	alt = boundary_of(h);
	ok(alt != NULL && strcmp(alt, mix) != 0, "... with a boundary of its "
	    "own");
	is_int(count(msg, mix), 4, "the mixed boundary: the header, two "
	    "delimiters, the close");
	is_int(count(msg, alt), 5, "the alternative boundary: the header, "
	    "three delimiters, the close");
	ok(strstr(msg, "\r\n--") != NULL && count(msg, "\r\n--=_") == 7,
	    "no other line starts with a boundary");

	body = part_body(msg, alt, 0, &h);
	ok(h != NULL && strstr(h, "Content-Type: text/plain; charset=utf-8") &&
	    strstr(h, "Content-Transfer-Encoding: quoted-printable"),
	    "1. text/plain in quoted-printable");
	buf_init(&dec, &A);
	ok(body != NULL && qp_decode(&dec, body, strlen(body)) == 0,
	    "... decodes, no soft break cutting a character");
	is_str(buf_str(&dec), crlf(text), "... back to the text, in CRLF "
	    "lines");
	ok(strstr(body, "trailing space=20\r\n") != NULL &&
	    strstr(body, "and tab=09\r\n") != NULL,
	    "a blank ending a line is encoded");
	ok(strstr(body, "\r\n=46rom the team") != NULL, "\"From \" starting "
	    "a line is encoded");
	ok(strstr(body, "\r\n.\r\n.hidden\r\n") != NULL, "lines of '.' are "
	    "left to the SMTP layer's dot-stuffing");
	for (line = body, i = 0; (line = strstr(line, "=\r\n")) != NULL; line++)
		i++;
	ok(i >= 4, "long lines end in soft breaks (%zu)", i);

	body = part_body(msg, alt, 1, &h);
	ok(h != NULL && strstr(h, "Content-Type: text/html; charset=utf-8"),
	    "2. text/html");
	buf_init(&dec, &A);
	ok(body != NULL && qp_decode(&dec, body, strlen(body)) == 0 &&
	    strcmp(buf_str(&dec), crlf(m.html)) == 0, "... decodes back");

	body = part_body(msg, alt, 2, &h);
	ok(h != NULL && strstr(h, "Content-Type: text/calendar; charset=utf-8; "
	    "method=REQUEST"), "3. text/calendar; method=REQUEST, inline");
	buf_init(&dec, &A);
	ok(body != NULL && qp_decode(&dec, body, strlen(body)) == 0 &&
	    strcmp(buf_str(&dec), m.ics) == 0, "... decodes to the calendar");

	body = part_body(msg, mix, 1, &h);
	ok(h != NULL && strstr(h, "Content-Type: application/ics; "
	    "name=\"invite.ics\"") && strstr(h, "Content-Disposition: "
	    "attachment; filename=\"invite.ics\"") && strstr(h,
	    "Content-Transfer-Encoding: base64"), "the attachment: "
	    "application/ics, invite.ics, base64");
	buf_init(&dec, &A);
	for (line = body, i = 0; line != NULL && *line != '\0'; ) {
		size_t n = strcspn(line, "\r");

		if (n > 76)
			i++;
		buf_append(&dec, line, n);
		line += n;
		if (*line == '\r')
			line += 2;
	}
	ok(body != NULL && i == 0, "... in lines of at most 76 characters");
	ok(b64_decode(&A, dec.data, dec.len, 1, &raw, &rawlen) == 0 &&
	    rawlen == strlen(m.ics) && memcmp(raw, m.ics, rawlen) == 0,
	    "... decodes to the calendar's bytes");
	snprintf(close, sizeof(close), "\r\n--%s--\r\n", mix);
	ok(strlen(msg) >= strlen(close) && strcmp(msg + strlen(msg) -
	    strlen(close), close) == 0, "the message ends with the mixed close "
	    "delimiter");

	/* Another seed, other boundaries; the same seed, the same. */
	buf_init(&b, &A);
	m.boundary_seed = "outbox-43";
	mime_write(&b, &m);
	ok(strstr(buf_str(&b), mix) == NULL, "another seed, other boundaries");
	m.boundary_seed = "outbox-42";
	buf_init(&b, &A);
	mime_write(&b, &m);
	ok(strcmp(buf_str(&b), msg) == 0, "the same message, the same bytes");

	/* No HTML: text and calendar; no ics: alternative alone. */
	m.html = NULL;
	buf_init(&b, &A);
	mime_write(&b, &m);
	msg = (char *)buf_str(&b);
	mix = boundary_of(header(msg, "Content-Type"));
	alt = NULL;
	if (mix != NULL && part_body(msg, mix, 0, &h) != NULL)
		alt = boundary_of(h);
	ok(alt != NULL && part_body(msg, alt, 1, &h) != NULL &&
	    strstr(h, "text/calendar") != NULL && part_body(msg, alt, 2,
	    NULL) == NULL, "without HTML: text, then the calendar");
	m.html = "<p>x</p>";
	m.ics = NULL;
	buf_init(&b, &A);
	mime_write(&b, &m);
	h = header(buf_str(&b), "Content-Type");
	ok(h != NULL && strncmp(h, "multipart/alternative;", 22) == 0 &&
	    strstr(buf_str(&b), "multipart/mixed") == NULL,
	    "without ics: multipart/alternative at the top");
}

static void
test_refused(void)
{
	struct {
		const char	*what;
		int		 field;
		const char	*value;
	} bad[] = {
		{ "CR LF in the subject", 0, "Hi\r\nBcc: x@example.test" },
		{ "LF in the subject", 0, "Hi\nBcc: x@example.test" },
		{ "a tab in the subject", 0, "Hi\tthere" },
		{ "invalid UTF-8 in the subject", 0, "caf\xe9" },
		{ "an overlong UTF-8 form", 0, "\xc0\xaf" },
		{ "LF in the recipient's name", 1, "Rui\nBcc: x@example.test" },
		{ "CR in the sender's name", 2, "Eleva\r" },
		{ "CR LF in the address", 3, "rui@example.test\r\nBcc: x@y.z" },
		{ "'>' in the address", 3, "rui@example.test>" },
		{ "a space in the address", 3, "rui costa@example.test" },
		{ "no '@' in the address", 3, "rui.example.test" },
		{ "two '@' in the address", 3, "rui@a@example.test" },
		{ "a non-ASCII address", 3, "joão@example.test" },
		{ "an empty address", 3, "" },
		{ "a sender address with LF", 4, "a@b\n" },
		{ "a message id without <>", 5, "b1@eleva.care" },
		{ "a message id with LF", 5, "<b1@eleva.care>\nX: y" },
		{ "a message id over 62 characters", 5, "<0123456789012345678901234"
		    "5678901234567890123456789@eleva.care>" },
		{ "an In-Reply-To with CR", 6, "<b1@eleva.care>\r" },
		{ "invalid UTF-8 in the text", 7, "ol\xe1" },
		{ "a method with a quote", 8, "REQUEST\"; x=\"y" },
		{ "a file name with a quote", 9, "in\"vite.ics" },
		{ "a file name with CR LF", 9, "invite.ics\r\nX: y" },
	};
	struct mime_msg m;
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = base();
		m.ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
		m.ics_method = "REQUEST";
		switch (bad[i].field) {
		case 0: m.subject = bad[i].value; break;
		case 1: m.to_name = bad[i].value; break;
		case 2: m.from_name = bad[i].value; break;
		case 3: m.to_addr = bad[i].value; break;
		case 4: m.from_addr = bad[i].value; break;
		case 5: m.message_id = bad[i].value; break;
		case 6: m.in_reply_to = bad[i].value; break;
		case 7: m.text = bad[i].value; break;
		case 8: m.ics_method = bad[i].value; break;
		case 9: m.ics_filename = bad[i].value; break;
		}
		buf_init(&b, &A);
		buf_puts(&b, "x");
		ok(mime_write(&b, &m) == -1 && b.len == 1, "refused: %s",
		    bad[i].what);
	}
	m = base();
	m.ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	buf_init(&b, &A);
	ok(mime_write(&b, &m) == -1, "refused: a calendar without a method");
	m = base();
	m.subject = NULL;
	ok(mime_write(&b, &m) == -1, "refused: no subject");
	m = base();
	m.text = NULL;
	ok(mime_write(&b, &m) == -1, "refused: no text");
	ok(mime_addr_ok("a.b+c@example.test") && !mime_addr_ok(NULL) &&
	    !mime_addr_ok("@example.test") && !mime_addr_ok("a@"),
	    "mime_addr_ok: local@domain only");
}

int
main(void)
{
	arena_init(&A);
	test_plain();
	test_words();
	test_full();
	test_refused();
	arena_free(&A);
	return tap_done();
}
