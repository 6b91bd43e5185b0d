/* html: HTML escaping writers (& < > " ' as entities) for text and quoted attributes. */
#include <string.h>

#include "lib/buf.h"
#include "lib/html.h"

/* Non-zero for the bytes that must be written as an entity. */
static const unsigned char html_unsafe[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

static const char *
html_entity(unsigned char c, size_t *len)
{
	switch (c) {
	case '&':
		*len = 5;
		return "&amp;";
	case '<':
		*len = 4;
		return "&lt;";
	case '>':
		*len = 4;
		return "&gt;";
	case '"':
		*len = 6;
		return "&quot;";
	default:
		*len = 5;
		return "&#39;";
	}
}

void
html_escape(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len, *run;
	const char *ent;
	size_t elen;

	while (p < end) {
		/* Copy the longest run of safe bytes in one append. */
		for (run = p; p < end && !html_unsafe[*p]; p++)
			continue;
		if (p > run)
			buf_append(b, run, (size_t)(p - run));
		if (p == end)
			break;
		ent = html_entity(*p, &elen);
		buf_append(b, ent, elen);
		p++;
	}
}

void
html_escape_str(struct buf *b, const char *s)
{
	if (s != NULL)
		html_escape(b, s, strlen(s));
}
