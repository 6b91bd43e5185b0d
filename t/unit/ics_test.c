/* ics_test: lib/ics.c — the calendar's lines, TEXT escaped, lines folded at 75 octets without cutting a character, CRLF only. */
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/ics.h"
#include "tap.h"

/* Every line of s (CRLF-separated) at most 75 octets, no bare LF or CR. */
static int
lines_ok(const char *s, size_t *longest)
{
	const char *p = s, *e;

	*longest = 0;
	while (*p != '\0') {
		if ((e = strstr(p, "\r\n")) == NULL)
			return 0;
		if (memchr(p, '\n', (size_t)(e - p)) != NULL ||
		    memchr(p, '\r', (size_t)(e - p)) != NULL)
			return 0;
		if ((size_t)(e - p) > *longest)
			*longest = (size_t)(e - p);
		/* A continuation never starts inside a UTF-8 character. */
		if (p != s && p[0] == ' ' && ((unsigned char)p[1] & 0xc0) == 0x80)
			return 0;
		p = e + 2;
	}
	return *longest <= 75;
}

/* s unfolded (RFC 5545 3.1: CRLF followed by one space is removed). */
static char *
unfold(struct arena *a, const char *s)
{
	struct buf b;

	buf_init(&b, a);
	for (; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		buf_putc(&b, *s);
	}
	return (char *)buf_str(&b);
}

int
main(void)
{
	struct arena A;
	struct buf b;
	struct ics_event e;
	char long_text[401], *u;
	size_t longest, i;

	arena_init(&A);
	memset(&e, 0, sizeof(e));
	e.method = "REQUEST";
	e.uid = "3f2a@eleva.care";
	e.sequence = 2;
	e.start = 1796594400;	/* 2026-12-06 22:00:00 UTC */
	e.end = e.start + 3600;
	e.stamp = 1796500000;
	e.summary = "Consulta, pós-parto; mãe\\filha\nsegunda linha";
	for (i = 0; i + 2 <= 400; i += 2)
		memcpy(long_text + i, "é", 2);
	long_text[400] = '\0';
	e.description = long_text;
	e.status = "CONFIRMED";
	e.organizer_name = "Ana \"A\" Ferreira";
	e.organizer_email = "ana@example.test";
	e.attendee_name = "Rui";
	e.attendee_email = "rui@example.test";
	buf_init(&b, &A);
	ics_write(&b, &e);
	ok(strncmp(buf_str(&b), "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0,
	    "a VCALENDAR of version 2.0");
	i = (size_t)lines_ok(buf_str(&b), &longest);
	ok(i == 1, "every line CRLF-ended, at most 75 octets (longest %zu), no "
	    "character cut", longest);
	u = unfold(&A, buf_str(&b));
	ok(strstr(u, "\r\nSUMMARY:Consulta\\, pós-parto\\; mãe\\\\filha\\nsegunda "
	    "linha\r\n") != NULL, "TEXT escaped: comma, semicolon, backslash, "
	    "newline");
	ok(strstr(u, "\r\nDESCRIPTION:") != NULL &&
	    strstr(u, long_text) != NULL, "a long description, folded, "
	    "unfolds whole");
	ok(strstr(u, "\r\nDTSTART:20261206T220000Z\r\nDTEND:20261206T230000Z\r\n")
	    != NULL, "times in UTC");
	ok(strstr(u, "\r\nUID:3f2a@eleva.care\r\nSEQUENCE:2\r\n") != NULL,
	    "the UID and the sequence");
	ok(strstr(u, "\r\nMETHOD:REQUEST\r\n") != NULL, "the method");
	ok(strstr(u, "\r\nORGANIZER;CN=\"Ana A Ferreira\":mailto:ana@example.test"
	    "\r\n") != NULL, "a parameter value loses its quotes");
	ok(strstr(u, "\r\nATTENDEE;CN=\"Rui\";ROLE=REQ-PARTICIPANT:mailto:"
	    "rui@example.test\r\n") != NULL, "the attendee");
	ok(strstr(u, "END:VEVENT\r\nEND:VCALENDAR\r\n") != NULL &&
	    u[strlen(u) - 1] == '\n', "closed");
	arena_free(&A);
	return tap_done();
}
