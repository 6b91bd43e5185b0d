/* pages/ping: GET /ping — the cheapest answer the pool gives: measures bare FastCGI cost (script/bench). */
#include "lib/buf.h"
#include "core/ctx.h"
#include "core/out.h"
#include "pages/routes.h"

int
page_ping_get(struct ctx *c)
{
	out_header(c->resp, "Content-Type", "text/plain; charset=utf-8");
	out_header(c->resp, "Cache-Control", "no-store");
	buf_puts(&c->resp->body, "pong\n");
	c->resp->rendered = 1;
	return 200;
}
