/* page_health: GET /healthz — 200 when this worker's database answers, else 503. */
#include <json-c/json.h>

#include "core/ctx.h"
#include "lib/buf.h"
#include "core/db.h"
#include "core/out.h"
#include "core/page.h"
#include "pages/pages.h"

int
page_health_get(struct ctx *c)
{
	struct json_object *j = json_object_new_object();
	int up = db_ping(c->app->db) == 0;

	json_object_object_add(j, "status",
	    json_object_new_string(up ? "ok" : "unavailable"));
	json_object_object_add(j, "database",
	    json_object_new_string(up ? "up" : "down"));
	return page_json(c, up ? 200 : 503, j);
}

/* GET /ping — the cheapest answer the pool gives: measures bare FastCGI cost. */
int
page_ping_get(struct ctx *c)
{
	out_header(c->resp, "Content-Type", "text/plain; charset=utf-8");
	out_header(c->resp, "Cache-Control", "no-store");
	buf_puts(&c->resp->body, "pong\n");
	c->resp->rendered = 1;
	return 200;
}
