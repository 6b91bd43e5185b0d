/* pages/booking_reschedule: GET/POST /bookings/:id/reschedule — the guest moves his booking to another offered start of the same session, in one step the database makes atomic. */
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/manage.h"
#include "domain/slots.h"
#include "pages/routes.h"

static const struct valid_field move_start = { "start", VALID_INSTANT,
    VALID_REQUIRED, 0, 0, NULL };

/*
 * The page: the booking as it is and the picker of the event's starts, in
 * tz (asked for, else the guest's own), around from; error: a catalog key
 * shown above the picker, selected: the start chosen.
 */
static int
move_render(struct ctx *c, int status, const struct manage *m,
    const char *tz, int guess, const char *from, const char *selected,
    const char *error)
{
	struct view *v = layout_new(c);
	struct slots_query q;
	const struct pg_result *ev;
	const char *p[2];

	p[0] = manage_val(m, MANAGE_HANDLE);
	p[1] = manage_val(m, MANAGE_SLUG);
	if ((ev = db_run(c->db, c->arena, SQL_BOOKING_EVENT, p)) == NULL)
		return 503;
	memset(&q, 0, sizeof(q));
	q.handle = p[0];
	q.slug = p[1];
	q.tz = tz;
	q.from = from;
	q.window = db_rows(ev) == 1 && db_opt(ev, 0, BOOKABLE_WINDOW) != NULL ?
	    db_val(ev, 0, BOOKABLE_WINDOW) : "0";
	q.selected = selected;
	q.base = routes_keyed(c, LINK_BOOKING_RESCHEDULE, m->id, m->key);
	q.guess_tz = guess;
	if (slots_week(c, &q, v) == -1)
		return 503;
	view_str(v, "title", view_t(c, "move.title"));
	view_str(v, "back", routes_keyed(c, LINK_BOOKING_MANAGE, m->id,
	    m->key));
	view_str(v, "expert", manage_val(m, MANAGE_EXPERT));
	view_str(v, "event", manage_val(m, MANAGE_EVENT));
	view_str(v, "minutes", manage_val(m, MANAGE_MINUTES));
	view_set(v, "when", view_when(c, m->m, 0, MANAGE_WHEN, 1));
	view_str(v, "current_tz", manage_val(m, MANAGE_TZ));
	view_str(v, "action", routes_link(c, LINK_BOOKING_RESCHEDULE, m->id,
	    NULL));
	view_str(v, "key", m->key);
	view_str(v, "csrf", auth_csrf_token(c));
	if (error != NULL)
		view_str(v, "message", view_t(c, error));
	return layout_render(c, status, "booking_reschedule", v);
}

/*
 * The booking, if the caller is its guest and may still move it; else
 * the status (the expert goes to his page, a booking past its notice or
 * cancelled back to its page, which says why).
 */
static int
move_open(struct ctx *c, struct manage *m, const char *key)
{
	int st;

	if ((st = manage_open(c, m, key)) != 0)
		return st;
	if (strcmp(manage_val(m, MANAGE_ACCESS), "expert") == 0)
		return layout_redirect(c, routes_link(c, LINK_MEETING, m->id,
		    NULL));
	if (!db_bool(m->m, 0, MANAGE_CAN_MOVE))
		return layout_redirect(c, routes_manage_link(c->arena,
		    c->db, m->id, NULL));
	return 0;
}

int
page_booking_reschedule_get(struct ctx *c)
{
	struct manage m;
	const char *tz;
	int st;

	if ((st = move_open(c, &m, req_query(c->req, "k"))) != 0)
		return st;
	if ((tz = slots_tz(c, req_query(c->req, "tz"))) == NULL &&
	    (tz = slots_tz(c, manage_val(&m, MANAGE_TZ))) == NULL)
		tz = "UTC";
	return move_render(c, 200, &m, tz, req_query(c->req, "tz") == NULL,
	    slots_from(c, req_query(c->req, "from")),
	    manage_val(&m, MANAGE_START), NULL);
}

int
page_booking_reschedule_post(struct ctx *c)
{
	struct manage m;
	struct valid_value start;
	const struct pg_result *r;
	const char *p[3], *tz, *state;
	int st;

	if ((st = move_open(c, &m, req_form(c->req, "k"))) != 0)
		return st;
	if ((tz = slots_tz(c, req_form(c->req, "tz"))) == NULL &&
	    (tz = slots_tz(c, manage_val(&m, MANAGE_TZ))) == NULL)
		tz = "UTC";
	if (valid_value(c->arena, &move_start, req_form(c->req, "start"),
	    &start) != NULL)
		return move_render(c, 422, &m, tz, 0, "", NULL,
		    "move.error.none");
	p[0] = m.id;
	p[1] = m.key;
	p[2] = start.s;
	if ((r = db_run_guarded(c->db, c->arena, SQL_MEETING_RESCHEDULE,
	    p)) == NULL || db_rows(r) != 1) {
		state = db_sqlstate(c->db);
		log_info("reschedule: meeting %s to %s refused (%s)", m.id,
		    start.s, state);
		if (strcmp(state, SQL_STATE_TAKEN) == 0 ||
		    strcmp(state, SQL_STATE_RESERVED) == 0)
			return move_render(c, 409, &m, tz, 0, "", NULL,
			    "move.error.taken");
		if (strcmp(state, SQL_STATE_NOT_OFFERED) == 0)
			return move_render(c, 422, &m, tz, 0, "", NULL,
			    "move.error.not_offered");
		if (strcmp(state, SQL_STATE_CUTOFF) == 0 ||
		    strcmp(state, SQL_STATE_STARTED) == 0 ||
		    strcmp(state, SQL_STATE_CANCELLED) == 0)
			return layout_redirect(c, routes_manage_link(c->arena,
			    c->db, m.id, NULL));
		if (strcmp(state, SQL_STATE_NO_MEETING) == 0) {
			c->message = view_t(c, "manage.error.none");
			return 404;
		}
		return 503;
	}
	log_info("reschedule: meeting %s %s to %s", m.id, db_val(r, 0, 0),
	    start.s);
	return layout_redirect(c, routes_manage_link(c->arena, c->db,
	    m.id, strcmp(db_val(r, 0, 0), "same") == 0 ? NULL :
	    "rescheduled"));
}
