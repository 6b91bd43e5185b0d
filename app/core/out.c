/* out: response building and the single place that writes to FastCGI. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "core/form.h"
#include "core/out.h"

static const struct {
	int		 code;
	const char	*text;
} out_statuses[] = {
	{ 200, "OK" },
	{ 201, "Created" },
	{ 204, "No Content" },
	{ 301, "Moved Permanently" },
	{ 302, "Found" },
	{ 303, "See Other" },
	{ 304, "Not Modified" },
	{ 307, "Temporary Redirect" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 409, "Conflict" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 422, "Unprocessable Content" },
	{ 429, "Too Many Requests" },
	{ 500, "Internal Server Error" },
	{ 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
	{ 504, "Gateway Timeout" },
};

void
out_init(struct resp *r, struct arena *a)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->status = 200;
	buf_init(&r->body, a);
}

const char *
out_status_text(int status)
{
	size_t i;

	for (i = 0; i < sizeof(out_statuses) / sizeof(out_statuses[0]); i++)
		if (out_statuses[i].code == status)
			return out_statuses[i].text;
	return "Unknown";
}

int
out_header(struct resp *r, const char *name, const char *value)
{
	const unsigned char *p;

	if (name == NULL || *name == '\0' || value == NULL) {
		log_error("out: refused empty header");
		return -1;
	}
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (!form_tchar(*p)) {
			log_error("out: refused header name \"%s\"", name);
			return -1;
		}
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
			log_error("out: refused control character in header %s",
			    name);
			return -1;
		}
	if (r->nheaders == r->capheaders) {
		size_t cap = r->capheaders ? r->capheaders * 2 : 8;
		struct out_header *h = arena_alloc(r->arena, cap * sizeof(*h));

		if (r->nheaders)
			memcpy(h, r->headers, r->nheaders * sizeof(*h));
		r->headers = h;
		r->capheaders = cap;
	}
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = value;
	r->nheaders++;
	return 0;
}

const char *
out_get_header(const struct resp *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

void
out_clear(struct resp *r)
{
	r->nheaders = 0;
	buf_truncate(&r->body, 0);
	r->rendered = 0;
}

static void
out_head(const struct resp *r, struct buf *dst, int streamed)
{
	size_t i;

	buf_printf(dst, "Status: %d %s\r\n", r->status,
	    out_status_text(r->status));
	if (out_get_header(r, "Content-Type") == NULL)
		buf_puts(dst, "Content-Type: text/html; charset=utf-8\r\n");
	for (i = 0; i < r->nheaders; i++)
		buf_printf(dst, "%s: %s\r\n", r->headers[i].name,
		    r->headers[i].value);
	if (!streamed)
		buf_printf(dst, "Content-Length: %zu\r\n", r->body.len);
	buf_puts(dst, "\r\n");
}

void
out_serialize(const struct resp *r, int head_only, struct buf *dst)
{
	out_head(r, dst, 0);
	if (!head_only)
		buf_append(dst, r->body.data, r->body.len);
}

int
out_send(const struct resp *r, int head_only, struct FCGX_Stream *stream)
{
	struct buf head;

	if (r->streamed) {
		if (r->aborted)
			return -1;
		return head_only || r->body.len == 0 ? 0 : FCGX_PutStr(
		    r->body.data, (int)r->body.len, stream) < 0 ? -1 : 0;
	}
	buf_init(&head, r->arena);
	out_head(r, &head, 0);
	if (FCGX_PutStr(head.data, (int)head.len, stream) < 0)
		return -1;
	if (!head_only && r->body.len > 0 &&
	    FCGX_PutStr(r->body.data, (int)r->body.len, stream) < 0)
		return -1;
	return 0;
}

int
out_stream_begin(struct resp *r)
{
	struct buf head;

	if (r->stream == NULL || r->streamed)
		return -1;
	buf_init(&head, r->arena);
	out_head(r, &head, 1);
	r->streamed = 1;
	if (FCGX_PutStr(head.data, (int)head.len, r->stream) < 0) {
		r->aborted = 1;
		return -1;
	}
	return 0;
}

int
out_stream_flush(struct resp *r, int force)
{
	int rc = 0;

	if (!r->streamed || r->aborted)
		return -1;
	if (!force && r->body.len < OUT_STREAM_CHUNK)
		return 0;
	if (!r->head_only && r->body.len > 0 && FCGX_PutStr(r->body.data,
	    (int)r->body.len, r->stream) < 0) {
		r->aborted = 1;
		rc = -1;
	}
	r->body_sent += r->body.len;
	buf_truncate(&r->body, 0);
	return rc;
}

void
out_stream_abort(struct resp *r)
{
	r->aborted = 1;
}
