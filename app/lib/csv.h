/* csv: RFC 4180 text/csv writing, with spreadsheet formulas neutralised, and reading (imports). */
#ifndef ELEVA_CSV_H
#define ELEVA_CSV_H

#include <stddef.h>
#include <stdio.h>

struct arena;
struct buf;

/*
 * Append one field to b: a value starting with = + - @ (or a tab or
 * carriage return, which some spreadsheets skip before reading a formula)
 * gets a leading apostrophe, so a spreadsheet shows it as text instead of
 * running it; a value holding a comma, a double quote, CR or LF is quoted
 * with its quotes doubled.  NULL is an empty field.  Bytes are copied as
 * they are (UTF-8 in, UTF-8 out).
 */
void	csv_field(struct buf *b, const char *s);

/* Append n fields separated by commas and ended by CRLF. */
void	csv_row(struct buf *b, const char *const *fields, size_t n);

/* Limits of csv_read: fields per record, bytes per record. */
#define CSV_MAX_FIELDS	256
#define CSV_MAX_RECORD	(1024 * 1024)

/*
 * Read one record of RFC 4180 text from f: *fields gets its n fields
 * (arena-owned, NUL-terminated; a quoted field may hold commas, doubled
 * quotes and line breaks), a record ends at LF or CRLF, a UTF-8 byte
 * order mark before the first record is skipped, and so is an empty last
 * line.  Returns 1, 0 at the end of f, or -1 for text that is not CSV (a
 * quote inside an unquoted field, text after a closing quote, a quote
 * never closed, a NUL byte) or a record over the limits above; *line
 * (when not NULL) counts the lines read, for messages.
 */
int	csv_read(FILE *f, struct arena *a, char ***fields, size_t *n,
	    long *line);

#endif
