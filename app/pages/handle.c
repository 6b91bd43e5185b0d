/* pages/handle: GET /:handle — a published expert's public profile and active events. */
#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "pages/routes.h"

int
page_handle_get(struct ctx *c)
{
	const char *handle = valid_path_slug(req_param(c->req, "handle"));
	const struct pg_result *r, *ev;
	struct view *v, *list, *o;
	const char *uid;
	int i;

	if (handle == NULL)
		return 404;
	if ((r = db_run(c->db, c->arena, SQL_EXPERT_PUBLIC,
	    &handle)) == NULL)
		return 503;
	if (db_rows(r) != 1)
		return 404;
	uid = db_val(r, 0, PUBLIC_ID);
	if ((ev = db_run(c->db, c->arena, SQL_EXPERT_EVENTS, &uid)) ==
	    NULL)
		return 503;
	v = layout_new(c);
	view_str(v, "title", arena_printf(c->arena, "%s %s",
	    db_val(r, 0, PUBLIC_FIRST_NAME), db_val(r, 0, PUBLIC_LAST_NAME)));
	view_col(v, "first_name", r, 0, PUBLIC_FIRST_NAME);
	view_col(v, "last_name", r, 0, PUBLIC_LAST_NAME);
	view_col(v, "headline", r, 0, PUBLIC_HEADLINE);
	view_col(v, "bio", r, 0, PUBLIC_BIO);
	if (*db_val(r, 0, PUBLIC_CATEGORY) != '\0')
		view_str(v, "category", view_category(c, db_val(r, 0,
		    PUBLIC_CATEGORY)));
	view_col(v, "timezone", r, 0, PUBLIC_TZ);
	list = view_list(c->arena);
	for (i = 0; i < db_rows(ev); i++) {
		o = view_new(c->arena);
		view_str(o, "url", routes_link(c, LINK_HANDLE_EVENT, handle,
		    db_val(ev, i, OFFER_SLUG)));
		view_col(o, "name", ev, i, OFFER_NAME);
		view_col(o, "description", ev, i, OFFER_DESCRIPTION);
		view_col(o, "minutes", ev, i, OFFER_MINUTES);
		view_set_price(c, o, db_val(ev, i, OFFER_PRICE),
		    db_val(ev, i, OFFER_CURRENCY));
		view_add(list, o);
	}
	view_set(v, "events", list);
	view_bool(v, "has_events", db_rows(ev) > 0);
	return layout_render(c, 200, "expert", v);
}
