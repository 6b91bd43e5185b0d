/* html: escaping writers; the only place that knows which bytes HTML needs escaped. */
#ifndef ELEVA_HTML_H
#define ELEVA_HTML_H

#include <stddef.h>

struct buf;

/*
 * Append s[0..len) to b with & < > " ' written as entities: safe in text
 * and in quoted attribute values.
 */
void	html_escape(struct buf *b, const char *s, size_t len);
void	html_escape_str(struct buf *b, const char *s);

#endif
