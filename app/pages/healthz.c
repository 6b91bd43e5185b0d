/* pages/healthz: GET /healthz — 200 when this worker's database answers, else 503. */
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/view.h"
#include "pages/routes.h"

int
page_healthz_get(struct ctx *c)
{
	struct view *v = view_new(c->arena);
	int up = db_ping(c->db) == 0;

	view_str(v, "status", up ? "ok" : "unavailable");
	view_str(v, "database", up ? "up" : "down");
	return layout_json(c, up ? 200 : 503, v);
}
