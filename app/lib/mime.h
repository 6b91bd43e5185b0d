/* mime: one e-mail message as RFC 5322 / MIME text: headers, text and HTML parts, a calendar invitation. */
#ifndef ELEVA_MIME_H
#define ELEVA_MIME_H

struct buf;

/*
 * One message.  Strings are UTF-8 unless said otherwise; optional ones
 * may be NULL (or "" for the names).
 */
struct mime_msg {
	const char	*from_name, *from_addr;	/* "Eleva Care", "no-reply@eleva.care" */
	const char	*to_name, *to_addr;
	const char	*subject;
	const char	*message_id;	/* "<...@eleva.care>", at most 62
					   characters: stable per message */
	const char	*in_reply_to;	/* optional, a message id as above */
	long long	 date;		/* Unix seconds: the Date header, in UTC */
	const char	*text;		/* the plain text part */
	const char	*html;		/* optional HTML part */
	const char	*ics;		/* optional text/calendar (ics_write) */
	const char	*ics_method;	/* REQUEST, CANCEL, PUBLISH: with ics */
	const char	*ics_filename;	/* the attachment's name; NULL: invite.ics */
	const char	*boundary_seed;	/* unique per message; NULL: message_id */
};

/*
 * Append the whole message to out, 7-bit, every line CRLF-ended and at
 * most 76 characters (but for an address too long to share a line):
 * non-ASCII display names and subject as RFC 2047 encoded words (UTF-8,
 * base64, never cutting a character), the parts in quoted-printable, the
 * .ics attachment in base64.  The shape: text alone;
 * multipart/alternative (text, HTML); with ics, multipart/mixed of
 * { multipart/alternative (text, [HTML], text/calendar; method=M), the
 * attachment application/ics }.  Bodies may end lines with LF or CRLF; a
 * text alone that does not end with one gets a CRLF.  The same message
 * and seed give the same bytes.  Returns 0, or -1 (out unchanged) when an
 * input is invalid: a header value with a control character (CR, LF,
 * tab...), invalid UTF-8 anywhere, an address that mime_addr_ok refuses,
 * a message id not "<x@y>" or over 62 characters, a method not [A-Z-]+,
 * a file name not [A-Za-z0-9._-]+, a missing subject, text or method.
 */
int	mime_write(struct buf *out, const struct mime_msg *m);

/*
 * Non-zero when addr can stand in an envelope and a header unquoted:
 * local@domain, printable ASCII without spaces or the characters
 * ()<>[]:;,"\, one '@', both sides non-empty, at most 254 characters.
 */
int	mime_addr_ok(const char *addr);

#endif
