/* page_expert: GET /:handle — a published expert's public profile and active events. */
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/sql.h"

/* Columns of sql_expert_public and sql_expert_events. */
enum { EX_ID, EX_FIRST, EX_LAST, EX_HEADLINE, EX_BIO, EX_CATEGORY, EX_TZ };
enum { EV_SLUG, EV_NAME, EV_DESCRIPTION, EV_MINUTES, EV_PRICE, EV_CURRENCY };

int
page_expert_get(struct ctx *c)
{
	const char *handle = page_param_slug(c, "handle"), *uid;
	struct json_object *j, *list, *o;
	PGresult *r, *ev;
	int i;

	if (handle == NULL)
		return 404;
	if ((r = db_run(c->app->db, c->arena, sql_expert_public, 1,
	    &handle)) == NULL)
		return 503;
	if (PQntuples(r) != 1)
		return 404;
	uid = PQgetvalue(r, 0, EX_ID);
	if ((ev = db_run(c->app->db, c->arena, sql_expert_events, 1,
	    &uid)) == NULL)
		return 503;
	j = page_context(c);
	json_object_object_add(j, "title", json_object_new_string(
	    arena_printf(c->arena, "%s %s", PQgetvalue(r, 0, EX_FIRST),
	    PQgetvalue(r, 0, EX_LAST))));
	json_object_object_add(j, "first_name", page_str(r, 0, EX_FIRST));
	json_object_object_add(j, "last_name", page_str(r, 0, EX_LAST));
	if (*PQgetvalue(r, 0, EX_HEADLINE) != '\0')
		json_object_object_add(j, "headline",
		    page_str(r, 0, EX_HEADLINE));
	if (*PQgetvalue(r, 0, EX_BIO) != '\0')
		json_object_object_add(j, "bio", page_str(r, 0, EX_BIO));
	if (*PQgetvalue(r, 0, EX_CATEGORY) != '\0')
		json_object_object_add(j, "category", json_object_new_string(
		    page_category(c, PQgetvalue(r, 0, EX_CATEGORY))));
	json_object_object_add(j, "timezone", page_str(r, 0, EX_TZ));
	list = json_object_new_array();
	for (i = 0; i < PQntuples(ev); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "url", json_object_new_string(
		    arena_printf(c->arena, "/%s/%s", handle,
		    PQgetvalue(ev, i, EV_SLUG))));
		json_object_object_add(o, "name", page_str(ev, i, EV_NAME));
		if (*PQgetvalue(ev, i, EV_DESCRIPTION) != '\0')
			json_object_object_add(o, "description",
			    page_str(ev, i, EV_DESCRIPTION));
		json_object_object_add(o, "minutes",
		    page_str(ev, i, EV_MINUTES));
		page_add_price(c, o, PQgetvalue(ev, i, EV_PRICE),
		    PQgetvalue(ev, i, EV_CURRENCY));
		json_object_array_add(list, o);
	}
	json_object_object_add(j, "events", list);
	if (PQntuples(ev) > 0)
		json_object_object_add(j, "has_events",
		    json_object_new_boolean(1));
	return page_render(c, 200, "expert", j);
}
