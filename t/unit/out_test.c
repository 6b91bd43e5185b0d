/* out_test: response serialization and header values with CR/LF refused. */
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "core/out.h"
#include "tap.h"

static void
test_serialize(void)
{
	struct arena a;
	struct resp r;
	struct buf dst;

	arena_init(&a);
	out_init(&r, &a);
	buf_puts(&r.body, "<p>hi</p>");
	ok(out_header(&r, "X-Test", "1") == 0, "a plain header is accepted");
	buf_init(&dst, &a);
	out_serialize(&r, 0, &dst);
	is_str(buf_str(&dst),
	    "Status: 200 OK\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "X-Test: 1\r\n"
	    "Content-Length: 9\r\n\r\n"
	    "<p>hi</p>", "status line, default type, headers, length, body");

	buf_init(&dst, &a);
	out_serialize(&r, 1, &dst);
	ok(strstr(buf_str(&dst), "Content-Length: 9\r\n\r\n") != NULL &&
	    strstr(buf_str(&dst), "<p>") == NULL,
	    "HEAD keeps the length and drops the body");

	r.status = 404;
	out_header(&r, "Content-Type", "application/json");
	buf_init(&dst, &a);
	out_serialize(&r, 0, &dst);
	ok(strncmp(buf_str(&dst), "Status: 404 Not Found\r\n", 23) == 0,
	    "404 status line");
	ok(strstr(buf_str(&dst), "text/html") == NULL,
	    "an explicit Content-Type replaces the default");
	is_str(out_get_header(&r, "content-type"), "application/json",
	    "out_get_header is case-insensitive");
	is_str(out_status_text(405), "Method Not Allowed", "405 text");
	is_str(out_status_text(299), "Unknown", "unknown status text");

	out_clear(&r);
	is_int((long)r.nheaders, 0, "out_clear drops headers");
	is_int((long)r.body.len, 0, "out_clear drops the body");
	arena_free(&a);
}

static void
test_refused(void)
{
	static const char *const bad_values[] = {
		"a\r\nSet-Cookie: evil=1",
		"a\nb",
		"a\rb",
		"bell\a",
		"del\x7f",
	};
	static const char *const bad_names[] = {
		"", "Bad Name", "X-A:b", "X\r\nY", "é",
	};
	struct arena a;
	struct resp r;
	struct buf dst;
	size_t i;

	arena_init(&a);
	out_init(&r, &a);
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++)
		ok(out_header(&r, "Location", bad_values[i]) == -1,
		    "value with a control character refused (#%zu)", i);
	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++)
		ok(out_header(&r, bad_names[i], "v") == -1,
		    "bad header name refused (#%zu)", i);
	ok(out_header(&r, "Location", NULL) == -1, "NULL value refused");
	is_int((long)r.nheaders, 0, "nothing was added");
	ok(out_header(&r, "X-Tab", "a\tb") == 0, "a tab inside a value is fine");
	buf_init(&dst, &a);
	out_serialize(&r, 0, &dst);
	ok(strstr(buf_str(&dst), "evil") == NULL,
	    "the refused value never reaches the output");
	arena_free(&a);
}

int
main(void)
{
	log_set_level(LOG_ERROR + 1);	/* the refusals are logged: keep quiet */
	test_serialize();
	test_refused();
	return tap_done();
}
