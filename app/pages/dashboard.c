/* pages/dashboard: GET /dashboard — who you are, then per role: setup and meetings (experts), bookings (guests), statistics (admins). */
#include <string.h>

#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/roles.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/view.h"
#include "domain/setup.h"
#include "pages/routes.h"

/* What the handler gathers before rendering; results are arena-owned. */
struct dashboard {
	const struct pg_result *expert;		/* experts: one row */
	const struct pg_result *meetings;	/* experts: upcoming */
	const struct pg_result *bookings;	/* everyone else: own bookings */
};

/* "role.app.expert_top" ...: every role has a label in each catalog. */
static const char *
dashboard_role(struct ctx *c, const char *scale, const char *role)
{
	return view_t(c, arena_printf(c->arena, "role.%s.%s", scale,
	    role != NULL ? role : "user"));
}

/* Setup progress, the publish call, this week's counts, upcoming meetings. */
static void
dashboard_expert(struct ctx *c, struct view *v, const struct dashboard *d)
{
	struct view *setup, *week, *list, *m;
	const struct pg_result *r = d->expert, *mt = d->meetings;
	int i, n;

	if (!db_bool(r, 0, DASHBOARD_COMPLETE)) {
		setup = view_new(c->arena);
		view_int(setup, "done", db_int(r, 0, DASHBOARD_STEPS));
		view_int(setup, "total", SETUP__N);
		view_set(v, "setup", setup);
	} else if (!db_bool(r, 0, DASHBOARD_PUBLISHED))
		view_bool(v, "publish", 1);

	/* His public page, once he has a handle (published or not yet). */
	if (db_opt(r, 0, DASHBOARD_HANDLE) != NULL)
		view_str(v, "public_url", routes_link(c, LINK_HANDLE,
		    db_val(r, 0, DASHBOARD_HANDLE), NULL));

	week = view_new(c->arena);
	view_col(week, "tz", r, 0, DASHBOARD_TZ);
	view_col(week, "first", r, 0, DASHBOARD_WEEK_FIRST);
	view_col(week, "last", r, 0, DASHBOARD_WEEK_LAST);
	view_int(week, "total", db_int(r, 0, DASHBOARD_WEEK_TOTAL));
	view_int(week, "upcoming", db_int(r, 0, DASHBOARD_WEEK_UPCOMING));
	view_set(v, "week", week);

	list = view_list(c->arena);
	n = db_rows(mt);
	for (i = 0; i < n; i++) {
		m = view_new(c->arena);
		view_set(m, "when", view_when(c, mt, i, MEETING_WHEN, 0));
		view_col(m, "guest", mt, i, MEETING_GUEST);
		view_str(m, "url", routes_link(c, LINK_MEETING,
		    db_val(mt, i, MEETING_ID), NULL));
		view_col(m, "event", mt, i, MEETING_EVENT);
		view_add(list, m);
	}
	view_set(v, "meetings", list);
	view_bool(v, "has_meetings", n > 0);
}

/* A guest's bookings: upcoming, then past and cancelled. */
static void
dashboard_bookings(struct ctx *c, struct view *v, const struct dashboard *d)
{
	struct view *up = view_list(c->arena), *past = view_list(c->arena), *b;
	const struct pg_result *r = d->bookings;
	int i, n = db_rows(r);

	for (i = 0; i < n; i++) {
		b = view_new(c->arena);
		view_set(b, "when", view_when(c, r, i, BOOKING_WHEN, 0));
		view_col(b, "tz", r, i, BOOKING_TZ);
		view_col(b, "expert", r, i, BOOKING_EXPERT);
		view_str(b, "ics", routes_link(c, LINK_BOOKING_ICS,
		    arena_printf(c->arena, "%s.ics", db_val(r, i, BOOKING_ID)),
		    NULL));
		view_str(b, "manage", routes_link(c, LINK_BOOKING_MANAGE,
		    db_val(r, i, BOOKING_ID), NULL));
		view_col(b, "event", r, i, BOOKING_EVENT);
		view_bool(b, "cancelled",
		    strcmp(db_val(r, i, BOOKING_STATUS), "cancelled") == 0);
		view_add(db_bool(r, i, BOOKING_UPCOMING) ? up : past, b);
	}
	view_bool(v, "has_upcoming", view_len(up) > 0);
	view_bool(v, "has_past", view_len(past) > 0);
	view_set(v, "upcoming", up);
	view_set(v, "past", past);
}

/*
 * The statements an expert's (expert set) or a guest's dashboard reads,
 * for user uid in organization org, into calls (at least 2); how many.
 */
static size_t
dashboard_calls(struct ctx *c, int expert, const char *uid, const char *org,
    struct db_call *calls)
{
	const char **p = arena_calloc(c->arena, 2, sizeof(*p));

	if (p == NULL)
		return 0;
	p[0] = uid;
	p[1] = org;
	if (!expert) {
		calls[0].id = SQL_DASHBOARD_BOOKINGS;
		calls[0].params = NULL;
		return 1;
	}
	calls[0].id = SQL_DASHBOARD_EXPERT;
	calls[1].id = SQL_DASHBOARD_EXPERT_MEETINGS;
	calls[0].params = calls[1].params = p;
	return 2;
}

/* Before the user is loaded: the dashboard of the session's kind. */
size_t
page_dashboard_prefetch(struct ctx *c, struct db_call *calls, size_t max)
{
	const struct session *s = c->session;

	if (max < 2)
		return 0;
	return dashboard_calls(c, s->kind != NULL &&
	    strcmp(s->kind, "expert") == 0, s->user_id, s->org_id, calls);
}

/* Every statement the user's dashboard needs.  -1 on a database error. */
static int
dashboard_gather(struct ctx *c, int expert, struct dashboard *d)
{
	struct db_call calls[2];
	size_t n;

	memset(d, 0, sizeof(*d));
	if ((n = dashboard_calls(c, expert, c->user->workos_user_id,
	    c->user->org_id, calls)) == 0)
		return -1;
	if (!expert)
		return (d->bookings = tx_fetch(c, calls[0].id,
		    calls[0].params)) == NULL ? -1 : 0;
	d->expert = tx_fetch(c, calls[0].id, calls[0].params);
	if (d->expert == NULL || db_rows(d->expert) != 1)
		return -1;
	d->meetings = tx_fetch(c, calls[1].id, calls[1].params);
	return d->meetings == NULL ? -1 : 0;
}

int
page_dashboard_get(struct ctx *c)
{
	const struct auth_user *u = c->user;
	int expert = roles_is_expert(&u->roles);
	struct view *v, *roles;
	struct dashboard d;
	size_t i;

	if (dashboard_gather(c, expert, &d) == -1)
		return 503;

	v = layout_new(c);
	view_str(v, "title", view_t(c, "dashboard.title"));
	view_str(v, "first_name", u->first_name);
	view_str(v, "last_name", u->last_name);
	view_str(v, "email", u->email);
	view_str(v, "org_name", u->org_name ? u->org_name : "");
	view_str(v, "app_role", dashboard_role(c, "app", u->roles.app_role));
	roles = view_list(c->arena);
	for (i = 0; i < u->roles.n_org_roles; i++)
		view_add_str(roles, dashboard_role(c, "org",
		    u->roles.org_roles[i]));
	view_set(v, "org_roles", roles);

	if (expert) {
		view_bool(v, "is_expert", 1);
		dashboard_expert(c, v, &d);
	} else {
		view_bool(v, "is_guest", 1);
		dashboard_bookings(c, v, &d);
	}
	view_bool(v, "is_admin", roles_is_admin(&u->roles));
	return layout_render(c, 200, "dashboard", v);
}
