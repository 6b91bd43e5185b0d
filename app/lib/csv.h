/* csv: RFC 4180 text/csv writing, with spreadsheet formulas neutralised. */
#ifndef ELEVA_CSV_H
#define ELEVA_CSV_H

#include <stddef.h>

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

#endif
