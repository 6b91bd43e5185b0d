/* ics: one meeting as an iCalendar object (RFC 5545): a VCALENDAR with one VEVENT, text escaped, lines folded, CRLF. */
#include <string.h>
#include <time.h>

#include "lib/buf.h"
#include "lib/ics.h"

/* Octets on a line before the CRLF (RFC 5545, 3.1). */
#define ICS_LINE	75

/* One content line: folded (a CRLF and a space) before ICS_LINE octets. */
static void
ics_line(struct buf *b, const char *line, size_t len)
{
	size_t col = 0, n;

	while (len > 0) {
		/* A UTF-8 character's bytes, kept together. */
		n = 1;
		while (n < len && ((unsigned char)line[n] & 0xc0) == 0x80)
			n++;
		if (col + n > ICS_LINE) {
			buf_puts(b, "\r\n ");
			col = 1;
		}
		buf_append(b, line, n);
		col += n;
		line += n;
		len -= n;
	}
	buf_puts(b, "\r\n");
}

/* NAME:value with value as TEXT (escaped); nothing when value is NULL. */
static void
ics_text(struct buf *b, const char *name, const char *value)
{
	struct buf l;
	const char *p;

	if (value == NULL)
		return;
	buf_init(&l, b->arena);
	buf_printf(&l, "%s:", name);
	for (p = value; *p != '\0'; p++) {
		if (*p == '\\' || *p == ';' || *p == ',')
			buf_putc(&l, '\\'), buf_putc(&l, *p);
		else if (*p == '\n')
			buf_puts(&l, "\\n");
		else if (*p == '\r')
			continue;
		else if ((unsigned char)*p < 0x20 && *p != '\t')
			buf_putc(&l, ' ');
		else
			buf_putc(&l, *p);
	}
	ics_line(b, l.data, l.len);
}

/* NAME:uri, a URI value (not escaped as TEXT; control characters dropped). */
static void
ics_uri(struct buf *b, const char *name, const char *uri)
{
	struct buf l;

	buf_init(&l, b->arena);
	buf_printf(&l, "%s:", name);
	for (; *uri != '\0'; uri++)
		if ((unsigned char)*uri > 0x20)
			buf_putc(&l, *uri);
	ics_line(b, l.data, l.len);
}

/* A parameter value: no quote, no control character (RFC 5545 QSAFE-CHAR). */
static const char *
ics_param(struct buf *tmp, const char *v)
{
	for (; *v != '\0'; v++)
		if (*v != '"' && (unsigned char)*v >= 0x20)
			buf_putc(tmp, *v);
	return buf_str(tmp);
}

/* ORGANIZER or ATTENDEE: ;CN="name":mailto:address. */
static void
ics_person(struct buf *b, const char *name, const char *cn,
    const char *email, const char *extra)
{
	struct buf l, q;

	if (email == NULL)
		return;
	buf_init(&l, b->arena);
	buf_init(&q, b->arena);
	buf_puts(&l, name);
	if (cn != NULL)
		buf_printf(&l, ";CN=\"%s\"", ics_param(&q, cn));
	if (extra != NULL)
		buf_puts(&l, extra);
	buf_printf(&l, ":mailto:%s", email);
	ics_line(b, l.data, l.len);
}

/* NAME:YYYYMMDDTHHMMSSZ. */
static void
ics_time(struct buf *b, const char *name, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y%m%dT%H%M%SZ", &tm) == 0)
		return;
	buf_printf(b, "%s:%s\r\n", name, s);
}

void
ics_write(struct buf *b, const struct ics_event *e)
{
	buf_puts(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//Eleva Care//Eleva Care//EN\r\nCALSCALE:GREGORIAN\r\n");
	if (e->method != NULL)
		buf_printf(b, "METHOD:%s\r\n", e->method);
	buf_puts(b, "BEGIN:VEVENT\r\n");
	ics_text(b, "UID", e->uid);
	buf_printf(b, "SEQUENCE:%ld\r\n", e->sequence);
	ics_time(b, "DTSTAMP", e->stamp);
	ics_time(b, "DTSTART", e->start);
	ics_time(b, "DTEND", e->end);
	ics_text(b, "SUMMARY", e->summary);
	ics_text(b, "DESCRIPTION", e->description);
	if (e->url != NULL)
		ics_uri(b, "URL", e->url);
	if (e->status != NULL)
		buf_printf(b, "STATUS:%s\r\n", e->status);
	ics_person(b, "ORGANIZER", e->organizer_name, e->organizer_email, NULL);
	ics_person(b, "ATTENDEE", e->attendee_name, e->attendee_email,
	    ";ROLE=REQ-PARTICIPANT");
	buf_puts(b, "END:VEVENT\r\nEND:VCALENDAR\r\n");
}
