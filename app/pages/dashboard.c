/* page_dashboard: GET /dashboard — who you are, then per role: setup and meetings (experts), bookings (guests), statistics (admins). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/roles.h"
#include "domain/setup.h"
#include "core/sql.h"

/* Columns of sql_dashboard_expert. */
enum {
	EXP_TZ, EXP_WEEK_FIRST, EXP_WEEK_LAST, EXP_WEEK_TOTAL,
	EXP_WEEK_UPCOMING, EXP_STEPS, EXP_COMPLETE, EXP_PUBLISHED
};
/* Columns of sql_dashboard_expert_meetings. */
enum {
	MTG_DATE, MTG_WEEKDAY, MTG_START, MTG_END, MTG_EPOCH, MTG_GUEST,
	MTG_EVENT
};
/* Columns of sql_dashboard_bookings: when starts at BKG_DATE as above. */
enum {
	BKG_UPCOMING, BKG_DATE, BKG_WEEKDAY, BKG_START, BKG_END, BKG_EPOCH,
	BKG_TZ, BKG_STATUS, BKG_EVENT, BKG_EXPERT
};

/* What the handler gathers before rendering; results are arena-owned. */
struct dashboard {
	PGresult	*expert;	/* experts: one row */
	PGresult	*meetings;	/* experts: upcoming */
	PGresult	*bookings;	/* everyone else: own bookings */
};

/* "role.app.expert_top" ...: every role has a label in each catalog. */
static const char *
dashboard_role(struct ctx *c, const char *scale, const char *role)
{
	return page_t(c, arena_printf(c->arena, "role.%s.%s", scale,
	    role != NULL ? role : "user"));
}

static int
dashboard_bool(PGresult *r, int row, int col)
{
	return PQgetvalue(r, row, col)[0] == 't';
}

/* Setup progress, the publish call, this week's counts, upcoming meetings. */
static void
dashboard_expert(struct ctx *c, struct json_object *j,
    const struct dashboard *d)
{
	struct json_object *setup, *week, *list, *m;
	PGresult *r = d->expert;
	int i, n;

	if (!dashboard_bool(r, 0, EXP_COMPLETE)) {
		setup = json_object_new_object();
		json_object_object_add(setup, "done",
		    json_object_new_int(atoi(PQgetvalue(r, 0, EXP_STEPS))));
		json_object_object_add(setup, "total",
		    json_object_new_int(SETUP__N));
		json_object_object_add(j, "setup", setup);
	} else if (!dashboard_bool(r, 0, EXP_PUBLISHED))
		json_object_object_add(j, "publish",
		    json_object_new_boolean(1));

	week = json_object_new_object();
	json_object_object_add(week, "tz", page_str(r, 0, EXP_TZ));
	json_object_object_add(week, "first",
	    page_str(r, 0, EXP_WEEK_FIRST));
	json_object_object_add(week, "last",
	    page_str(r, 0, EXP_WEEK_LAST));
	json_object_object_add(week, "total", json_object_new_int64(
	    strtoll(PQgetvalue(r, 0, EXP_WEEK_TOTAL), NULL, 10)));
	json_object_object_add(week, "upcoming", json_object_new_int64(
	    strtoll(PQgetvalue(r, 0, EXP_WEEK_UPCOMING), NULL, 10)));
	json_object_object_add(j, "week", week);

	list = json_object_new_array();
	n = PQntuples(d->meetings);
	for (i = 0; i < n; i++) {
		m = json_object_new_object();
		json_object_object_add(m, "when",
		    page_when(c, d->meetings, i, MTG_DATE, 0));
		json_object_object_add(m, "guest",
		    page_str(d->meetings, i, MTG_GUEST));
		json_object_object_add(m, "event",
		    page_str(d->meetings, i, MTG_EVENT));
		json_object_array_add(list, m);
	}
	json_object_object_add(j, "meetings", list);
	if (n > 0)
		json_object_object_add(j, "has_meetings",
		    json_object_new_boolean(1));
}

/* A guest's bookings: upcoming, then past and cancelled. */
static void
dashboard_bookings(struct ctx *c, struct json_object *j,
    const struct dashboard *d)
{
	struct json_object *up = json_object_new_array();
	struct json_object *past = json_object_new_array(), *b;
	PGresult *r = d->bookings;
	int i, n = PQntuples(r);

	for (i = 0; i < n; i++) {
		b = json_object_new_object();
		json_object_object_add(b, "when",
		    page_when(c, r, i, BKG_DATE, 0));
		json_object_object_add(b, "tz", page_str(r, i, BKG_TZ));
		json_object_object_add(b, "expert",
		    page_str(r, i, BKG_EXPERT));
		json_object_object_add(b, "event",
		    page_str(r, i, BKG_EVENT));
		if (strcmp(PQgetvalue(r, i, BKG_STATUS), "cancelled") == 0)
			json_object_object_add(b, "cancelled",
			    json_object_new_boolean(1));
		json_object_array_add(dashboard_bool(r, i, BKG_UPCOMING) ?
		    up : past, b);
	}
	if (json_object_array_length(up) > 0)
		json_object_object_add(j, "has_upcoming",
		    json_object_new_boolean(1));
	if (json_object_array_length(past) > 0)
		json_object_object_add(j, "has_past",
		    json_object_new_boolean(1));
	json_object_object_add(j, "upcoming", up);
	json_object_object_add(j, "past", past);
}

/* Run every statement the user's dashboard needs.  -1 on a database error. */
static int
dashboard_gather(struct ctx *c, int expert, struct dashboard *d)
{
	const char *params[2] = { c->user->workos_user_id, c->user->org_id };

	memset(d, 0, sizeof(*d));
	if (expert) {
		d->expert = db_run(c->app->db, c->arena, sql_dashboard_expert,
		    2, params);
		if (d->expert == NULL || PQntuples(d->expert) != 1)
			return -1;
		d->meetings = db_run(c->app->db, c->arena,
		    sql_dashboard_expert_meetings, 2, params);
		return d->meetings == NULL ? -1 : 0;
	}
	d->bookings = db_run(c->app->db, c->arena, sql_dashboard_bookings, 0,
	    NULL);
	return d->bookings == NULL ? -1 : 0;
}

int
page_dashboard_get(struct ctx *c)
{
	const struct auth_user *u = c->user;
	int expert = roles_is_expert(&u->roles);
	struct json_object *j, *roles;
	struct dashboard d;
	size_t i;

	if (dashboard_gather(c, expert, &d) == -1)
		return 503;

	j = page_context(c);
	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "dashboard.title")));
	json_object_object_add(j, "first_name", u->first_name ?
	    json_object_new_string(u->first_name) : NULL);
	json_object_object_add(j, "last_name", u->last_name ?
	    json_object_new_string(u->last_name) : NULL);
	json_object_object_add(j, "email", json_object_new_string(u->email));
	json_object_object_add(j, "org_name",
	    json_object_new_string(u->org_name ? u->org_name : ""));
	json_object_object_add(j, "app_role", json_object_new_string(
	    dashboard_role(c, "app", u->roles.app_role)));
	roles = json_object_new_array();
	for (i = 0; i < u->roles.n_org_roles; i++)
		json_object_array_add(roles, json_object_new_string(
		    dashboard_role(c, "org", u->roles.org_roles[i])));
	json_object_object_add(j, "org_roles", roles);

	if (expert) {
		json_object_object_add(j, "is_expert",
		    json_object_new_boolean(1));
		dashboard_expert(c, j, &d);
	} else {
		json_object_object_add(j, "is_guest",
		    json_object_new_boolean(1));
		dashboard_bookings(c, j, &d);
	}
	if (roles_is_admin(&u->roles))
		json_object_object_add(j, "is_admin",
		    json_object_new_boolean(1));
	return page_render(c, 200, "dashboard", j);
}
