/* csv: RFC 4180 fields and rows for downloads opened in spreadsheets, and a reader for imports. */
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/csv.h"

void
csv_field(struct buf *b, const char *s)
{
	int formula, quote;

	if (s == NULL || *s == '\0')
		return;
	formula = strchr("=+-@\t\r", *s) != NULL;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	if (quote)
		buf_putc(b, '"');
}

void
csv_row(struct buf *b, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		csv_field(b, fields[i]);
	}
	buf_puts(b, "\r\n");
}

/* The field in b ends: copy it into the record. */
static int
csv_take(struct arena *a, struct buf *b, char **out, size_t *n)
{
	if (*n == CSV_MAX_FIELDS)
		return -1;
	out[(*n)++] = arena_strndup(a, b->len > 0 ? b->data : "", b->len);
	buf_truncate(b, 0);
	return 0;
}

int
csv_read(FILE *f, struct arena *a, char ***fields, size_t *n, long *line)
{
	char *out[CSV_MAX_FIELDS];
	struct buf b;
	size_t total = 0;
	int c, quoted = 0, closed = 0, started = 0;

	buf_init(&b, a);
	*n = 0;
	for (;;) {
		c = getc(f);
		if (c == EOF) {
			if (quoted)
				return -1;
			if (!started)
				return 0;
			break;
		}
		if (++total > CSV_MAX_RECORD || c == '\0')
			return -1;
		/* A byte order mark before the first record. */
		if (!started && line != NULL && *line == 0 && c == 0xEF) {
			if (getc(f) != 0xBB || getc(f) != 0xBF)
				return -1;
			continue;
		}
		started = 1;
		if (quoted) {
			if (c != '"') {
				if (c == '\n' && line != NULL)
					(*line)++;
				buf_putc(&b, (char)c);
				continue;
			}
			if ((c = getc(f)) == '"') {
				buf_putc(&b, '"');
				continue;
			}
			quoted = 0;
			closed = 1;
			if (c == EOF)
				break;
		}
		if (c == '\r') {
			if ((c = getc(f)) != '\n')
				return -1;
		}
		if (c == '\n') {
			if (line != NULL)
				(*line)++;
			break;
		}
		if (c == ',') {
			if (csv_take(a, &b, out, n) == -1)
				return -1;
			closed = 0;
			continue;
		}
		if (closed)
			return -1;
		if (c == '"') {
			if (b.len > 0)
				return -1;
			quoted = 1;
			continue;
		}
		buf_putc(&b, (char)c);
	}
	if (csv_take(a, &b, out, n) == -1)
		return -1;
	*fields = arena_alloc(a, *n * sizeof(char *));
	memcpy(*fields, out, *n * sizeof(char *));
	return 1;
}
