/* csv: RFC 4180 fields and rows for downloads opened in spreadsheets. */
#include <string.h>

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
