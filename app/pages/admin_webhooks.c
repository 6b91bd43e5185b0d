/* pages/admin_webhooks: /admin/webhooks — the last WorkOS events taken and what became of each (platform admins). */
#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/sql.h"
#include "core/view.h"
#include "pages/routes.h"

/* Events shown: the newest. */
#define WEBHOOKS_LIMIT	100

int
page_admin_webhooks_get(struct ctx *c)
{
	struct view *v = layout_new(c), *list = view_list(c->arena), *o;
	const struct pg_result *r;
	const char *p[1], *outcome;
	int i;

	p[0] = arena_printf(c->arena, "%d", WEBHOOKS_LIMIT);
	if ((r = db_run(c->db, c->arena, SQL_ADMIN_WEBHOOKS, p)) == NULL)
		return 503;
	for (i = 0; i < db_rows(r); i++) {
		o = view_new(c->arena);
		view_col(o, "id", r, i, ADMIN_WEBHOOK_ID);
		view_col(o, "event", r, i, ADMIN_WEBHOOK_EVENT);
		view_col(o, "object", r, i, ADMIN_WEBHOOK_OBJECT);
		view_col(o, "received", r, i, ADMIN_WEBHOOK_RECEIVED);
		view_col(o, "created", r, i, ADMIN_WEBHOOK_CREATED);
		outcome = db_val(r, i, ADMIN_WEBHOOK_OUTCOME);
		view_str(o, "outcome", outcome);
		view_str(o, "outcome_label", view_t(c, arena_printf(c->arena,
		    "admin.webhooks.outcome.%s", outcome)));
		if (db_opt(r, i, ADMIN_WEBHOOK_DETAIL) != NULL)
			view_col(o, "detail", r, i, ADMIN_WEBHOOK_DETAIL);
		view_add(list, o);
	}
	view_str(v, "title", view_t(c, "admin.webhooks.title"));
	if (db_rows(r) > 0) {
		view_set(v, "events", list);
		view_bool(v, "has_events", 1);
	}
	view_bool(v, "limited", db_rows(r) == WEBHOOKS_LIMIT);
	return layout_render(c, 200, "admin_webhooks", v);
}
