/* mime: an e-mail message as 7-bit RFC 5322 / MIME text (encoded words, quoted-printable, base64, multipart). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/b64.h"
#include "lib/buf.h"
#include "lib/crypt.h"
#include "lib/mime.h"

/* Longest line written, CRLF not counted (RFC 2045 6.7, RFC 2047 2). */
#define MIME_LINE	76
/* An encoded word's frame, "=?UTF-8?B?" and "?=". */
#define MIME_EW_FRAME	12
/* Longest ASCII word of a header left as it is (else encoded words). */
#define MIME_WORD_MAX	60

/*
 * The length of the well-formed UTF-8 character at p[0..n) (n > 0): 1 to
 * 4, or 0 when it is not one (overlong, surrogate, past U+10FFFF, cut).
 */
static size_t
mime_utf8_char(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* s is well-formed UTF-8; with header set, also free of control characters. */
static int
mime_text_ok(const char *s, int header)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;

	while (n > 0) {
		if (header && (*p < 0x20 || *p == 0x7f))
			return 0;
		if ((k = mime_utf8_char(p, n)) == 0)
			return 0;
		p += k;
		n -= k;
	}
	return 1;
}

/* Printable ASCII without space or the characters of special. */
static int
mime_plain(int c, const char *special)
{
	return c > 0x20 && c < 0x7f && strchr(special, c) == NULL;
}

int
mime_addr_ok(const char *addr)
{
	const char *at;
	size_t i, n;

	if (addr == NULL || (n = strlen(addr)) == 0 || n > 254 ||
	    (at = strchr(addr, '@')) == NULL || at == addr || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (addr[i] != '@' && !mime_plain(addr[i], "()<>[]:;,\"\\"))
			return 0;
	return 1;
}

/*
 * "<left@right>", printable ASCII, at most 62 characters (In-Reply-To:
 * and it fit a line): a Message-ID or In-Reply-To.
 */
static int
mime_msgid_ok(const char *id)
{
	size_t n;
	char inner[64];

	if (id == NULL || (n = strlen(id)) < 5 || n > 62 || id[0] != '<' ||
	    id[n - 1] != '>')
		return 0;
	memcpy(inner, id + 1, n - 2);
	inner[n - 2] = '\0';
	return mime_addr_ok(inner);
}

/* A token of a parameter value: letters, digits and '-', 1 to 20. */
static int
mime_method_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 20)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-'))
			return 0;
	return 1;
}

/* A file name quoted as it is: letters, digits, '.', '_', '-', 1 to 40. */
static int
mime_filename_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 40)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    strchr("._-", s[i]) != NULL))
			return 0;
	return 1;
}

static int
mime_valid(const struct mime_msg *m)
{
	struct tm tm;
	time_t t = (time_t)m->date;

	if (!mime_addr_ok(m->from_addr) || !mime_addr_ok(m->to_addr) ||
	    !mime_msgid_ok(m->message_id) ||
	    (m->in_reply_to != NULL && !mime_msgid_ok(m->in_reply_to)) ||
	    m->subject == NULL || !mime_text_ok(m->subject, 1) ||
	    (m->from_name != NULL && !mime_text_ok(m->from_name, 1)) ||
	    (m->to_name != NULL && !mime_text_ok(m->to_name, 1)) ||
	    m->text == NULL || !mime_text_ok(m->text, 0) ||
	    (m->html != NULL && !mime_text_ok(m->html, 0)) ||
	    gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 1970)
		return 0;
	if (m->ics != NULL && (!mime_text_ok(m->ics, 0) ||
	    m->ics_method == NULL || !mime_method_ok(m->ics_method) ||
	    (m->ics_filename != NULL && !mime_filename_ok(m->ics_filename))))
		return 0;
	return 1;
}

/* A header being written: its buffer and the column the line is at. */
struct mime_hdr {
	struct buf	*b;
	size_t		 col;
};

static void
mime_hdr_start(struct mime_hdr *h, struct buf *b, const char *name)
{
	h->b = b;
	buf_printf(b, "%s:", name);
	h->col = strlen(name) + 1;
}

/*
 * A token that is not cut, after a space (folded onto a new line, the
 * fold's space standing for it, when the line would grow too long).
 */
static void
mime_hdr_token(struct mime_hdr *h, const char *s, size_t n)
{
	if (h->col + 1 + n > MIME_LINE && h->col > 1) {
		buf_puts(h->b, "\r\n ");
		h->col = 1;
	} else {
		buf_putc(h->b, ' ');
		h->col++;
	}
	buf_append(h->b, s, n);
	h->col += n;
}

/*
 * s[0..n) as RFC 2047 encoded words, UTF-8 and base64, each holding whole
 * characters and fitting on its line (76 columns with what precedes).
 */
static void
mime_hdr_words(struct mime_hdr *h, const char *s, size_t n)
{
	size_t room, take, k;
	char *enc;

	while (n > 0) {
		/* Raw bytes a word fits after a space on this line. */
		room = h->col + 1 + MIME_EW_FRAME + 4 <= MIME_LINE ?
		    (MIME_LINE - h->col - 1 - MIME_EW_FRAME) / 4 * 3 : 0;
		for (take = 0; take < n; take += k) {
			k = mime_utf8_char((const unsigned char *)s + take,
			    n - take);
			if (k == 0)
				k = 1;	/* validated before: not reached */
			if (take + k > room)
				break;
		}
		if (take == 0) {
			/* Not even one character here: a new line. */
			buf_puts(h->b, "\r\n");
			h->col = 0;
			continue;
		}
		enc = b64_encode(h->b->arena, s, take);
		buf_putc(h->b, ' ');
		buf_printf(h->b, "=?UTF-8?B?%s?=", enc);
		h->col += 1 + MIME_EW_FRAME + strlen(enc);
		s += take;
		n -= take;
	}
}

/*
 * Is s fine as it is in a header: printable ASCII, words separated by
 * single spaces, none too long, nothing a reader could take for an
 * encoded word; and with phrase set, only atext (RFC 5322 3.2.3).
 */
static int
mime_hdr_plain(const char *s, int phrase)
{
	size_t i, word = 0;

	if (s[0] == ' ' || (s[0] != '\0' && s[strlen(s) - 1] == ' ') ||
	    strstr(s, "=?") != NULL || strstr(s, "  ") != NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == ' ') {
			word = 0;
			continue;
		}
		if (s[i] < 0x21 || s[i] > 0x7e || ++word > MIME_WORD_MAX)
			return 0;
		if (phrase && strchr("()<>[]:;@\\,.\"", s[i]) != NULL)
			return 0;
	}
	return 1;
}

/* s as space-separated tokens, each folded onto a new line if need be. */
static void
mime_hdr_tokens(struct mime_hdr *h, const char *s)
{
	size_t n;

	while (*s != '\0') {
		n = strcspn(s, " ");
		mime_hdr_token(h, s, n);
		s += n;
		if (*s == ' ')
			s++;
	}
}

/* Unstructured text (Subject): as it is when plain, else encoded words. */
static void
mime_hdr_text(struct buf *b, const char *name, const char *value)
{
	struct mime_hdr h;

	mime_hdr_start(&h, b, name);
	if (mime_hdr_plain(value, 0))
		mime_hdr_tokens(&h, value);
	else
		mime_hdr_words(&h, value, strlen(value));
	buf_puts(b, "\r\n");
}

/*
 * A mailbox: the bare address without a name; else the name as atoms, a
 * quoted string or encoded words, then <address>.
 */
static void
mime_hdr_mailbox(struct buf *b, const char *name, const char *dname,
    const char *addr)
{
	struct mime_hdr h;
	struct buf q;
	const char *p;
	int ascii = 1;

	mime_hdr_start(&h, b, name);
	if (dname == NULL || *dname == '\0') {
		mime_hdr_token(&h, addr, strlen(addr));
		buf_puts(b, "\r\n");
		return;
	}
	for (p = dname; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = 0;
	if (mime_hdr_plain(dname, 1))
		mime_hdr_tokens(&h, dname);
	else if (ascii && strlen(dname) <= MIME_WORD_MAX &&
	    strstr(dname, "=?") == NULL) {
		buf_init(&q, b->arena);
		buf_putc(&q, '"');
		for (p = dname; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(&q, '\\');
			buf_putc(&q, *p);
		}
		buf_putc(&q, '"');
		mime_hdr_token(&h, q.data, q.len);
	} else
		mime_hdr_words(&h, dname, strlen(dname));
	buf_init(&q, b->arena);
	buf_printf(&q, "<%s>", addr);
	mime_hdr_token(&h, q.data, q.len);
	buf_puts(b, "\r\n");
}

/* Date: Sun, 06 Dec 2026 22:00:00 +0000 (English names, whatever the locale). */
static void
mime_hdr_date(struct buf *b, long long date)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)date;
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * s as quoted-printable (RFC 2045 6.7): its lines (ended by LF, CRLF or
 * CR) become CRLF-ended lines; '=', control and non-ASCII bytes become
 * =XX, a space or tab ending a line too, and "From " starting one (mbox
 * readers); lines over 76 columns end in a soft break ("=") between two
 * characters, never inside a UTF-8 character or an =XX.  No CRLF after
 * the last line (the boundary's belongs there).
 */
static void
mime_qp(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t col = 0, k, i, w;
	char enc[12];
	int bol = 1;

	while (*p != '\0') {
		if (*p == '\r' || *p == '\n') {
			p += (p[0] == '\r' && p[1] == '\n') ? 2 : 1;
			buf_puts(b, "\r\n");
			col = 0;
			bol = 1;
			continue;
		}
		k = mime_utf8_char(p, strlen((const char *)p));
		if (k == 0)
			k = 1;	/* validated before: not reached */
		w = 0;
		if (k == 1 && *p > 0x20 && *p < 0x7f && *p != '=' &&
		    !(bol && *p == 'F' && strncmp((const char *)p, "From ",
		    5) == 0))
			enc[w++] = (char)*p;
		else if (k == 1 && (*p == ' ' || *p == '\t') && p[1] != '\0' &&
		    p[1] != '\r' && p[1] != '\n')
			enc[w++] = (char)*p;
		else
			for (i = 0; i < k; i++) {
				enc[w++] = '=';
				enc[w++] = hex[p[i] >> 4];
				enc[w++] = hex[p[i] & 15];
			}
		/* Room for the soft break's '=' is kept on every line. */
		if (col + w > MIME_LINE - 1) {
			buf_puts(b, "=\r\n");
			col = 0;
		}
		buf_append(b, enc, w);
		col += w;
		p += k;
		bol = 0;
	}
}

/* data as base64 in lines of 76 characters, each CRLF-ended but the last. */
static void
mime_base64(struct buf *b, const char *data, size_t len)
{
	char *enc = b64_encode(b->arena, data, len);
	size_t n = strlen(enc), i;

	for (i = 0; i < n; i += MIME_LINE) {
		if (i > 0)
			buf_puts(b, "\r\n");
		buf_append(b, enc + i, n - i < MIME_LINE ? n - i : MIME_LINE);
	}
}

/* A text part's headers and quoted-printable body (no boundary). */
static void
mime_text_part(struct buf *b, const char *type, const char *body)
{
	buf_printf(b, "Content-Type: %s; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type);
	mime_qp(b, body);
}

int
mime_write(struct buf *out, const struct mime_msg *m)
{
	char seedhex[65], alt[40], mix[40];
	const char *seed;
	const char *fname;

	if (m == NULL || !mime_valid(m))
		return -1;
	/*
	 * Boundaries start "=_": never inside quoted-printable (where '=' is
	 * followed by two hex digits or a line end) nor base64, so never in
	 * a body this writes.
	 */
	seed = m->boundary_seed != NULL ? m->boundary_seed : m->message_id;
	if (crypt_sha256_hex(seed, strlen(seed), seedhex) == -1)
		return -1;
	snprintf(alt, sizeof(alt), "=_alt_%.24s", seedhex);
	snprintf(mix, sizeof(mix), "=_mix_%.24s", seedhex);

	mime_hdr_mailbox(out, "From", m->from_name, m->from_addr);
	mime_hdr_mailbox(out, "To", m->to_name, m->to_addr);
	mime_hdr_text(out, "Subject", m->subject);
	mime_hdr_date(out, m->date);
	buf_printf(out, "Message-ID: %s\r\n", m->message_id);
	if (m->in_reply_to != NULL)
		buf_printf(out, "In-Reply-To: %s\r\nReferences: %s\r\n",
		    m->in_reply_to, m->in_reply_to);
	buf_puts(out, "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n");

	if (m->html == NULL && m->ics == NULL) {
		mime_text_part(out, "text/plain", m->text);
		/* The message ends with a line end: the text's own, or one more. */
		if (out->len < 2 || memcmp(out->data + out->len - 2, "\r\n", 2) != 0)
			buf_puts(out, "\r\n");
		return 0;
	}
	if (m->ics != NULL)
		buf_printf(out, "Content-Type: multipart/mixed;\r\n"
		    " boundary=\"%s\"\r\n\r\n--%s\r\n", mix, mix);
	buf_printf(out, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n\r\n--%s\r\n", alt, alt);
	mime_text_part(out, "text/plain", m->text);
	if (m->html != NULL) {
		buf_printf(out, "\r\n--%s\r\n", alt);
		mime_text_part(out, "text/html", m->html);
	}
	if (m->ics != NULL) {
		buf_printf(out, "\r\n--%s\r\n", alt);
		buf_printf(out, "Content-Type: text/calendar; charset=utf-8;"
		    " method=%s\r\nContent-Transfer-Encoding: "
		    "quoted-printable\r\n\r\n", m->ics_method);
		mime_qp(out, m->ics);
	}
	buf_printf(out, "\r\n--%s--\r\n", alt);
	if (m->ics != NULL) {
		fname = m->ics_filename != NULL ? m->ics_filename :
		    "invite.ics";
		buf_printf(out, "\r\n--%s\r\n"
		    "Content-Type: application/ics; name=\"%s\"\r\n"
		    "Content-Disposition: attachment; filename=\"%s\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n",
		    mix, fname, fname);
		mime_base64(out, m->ics, strlen(m->ics));
		buf_printf(out, "\r\n--%s--\r\n", mix);
	}
	return 0;
}
