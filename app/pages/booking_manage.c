/* pages/booking_manage: GET/POST /bookings/:id/manage — the guest's booking: when, with whom, its state; cancel it (with a reason) or go to move it. */
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/manage.h"
#include "pages/routes.h"

/* The notices a redirect here names (?done=...). */
static const char *const manage_done[] = { "cancelled", "rescheduled",
    NULL };

static int
manage_render(struct ctx *c, int status, const struct manage *m,
    const struct valid_result *form, const char *notice, const char *error)
{
	struct view *v = layout_new(c);
	const char *by = manage_val(m, MANAGE_CANCELLED_BY);
	int cancelled = strcmp(manage_val(m, MANAGE_STATUS), "cancelled") == 0;

	view_str(v, "title", view_t(c, "manage.title"));
	view_col(v, "event", m->m, 0, MANAGE_EVENT);
	view_col(v, "expert", m->m, 0, MANAGE_EXPERT);
	if (*manage_val(m, MANAGE_HANDLE) != '\0')
		view_str(v, "expert_url", routes_link(c, LINK_HANDLE,
		    manage_val(m, MANAGE_HANDLE), NULL));
	view_set(v, "when", view_when(c, m->m, 0, MANAGE_WHEN, 1));
	view_col(v, "tz", m->m, 0, MANAGE_TZ);
	view_col(v, "minutes", m->m, 0, MANAGE_MINUTES);
	view_col(v, "guest", m->m, 0, MANAGE_GUEST);
	view_col(v, "email", m->m, 0, MANAGE_EMAIL);
	view_str(v, "status", manage_val(m, MANAGE_STATUS));
	view_str(v, "status_label", view_t(c, arena_printf(c->arena,
	    "dashboard.meeting.status.%s", manage_val(m, MANAGE_STATUS))));
	view_bool(v, "cancelled", cancelled);
	if (cancelled && *by != '\0')
		view_str(v, "cancelled_by", view_t(c, arena_printf(c->arena,
		    "manage.cancelled_by.%s", by)));
	view_col(v, "reason", m->m, 0, MANAGE_REASON);
	view_bool(v, "can_cancel", db_bool(m->m, 0, MANAGE_CAN_CANCEL));
	/* Too late for the guest, not yet started: say until when it was. */
	view_bool(v, "too_late", !cancelled &&
	    !db_bool(m->m, 0, MANAGE_CAN_CANCEL));
	view_col(v, "cutoff", m->m, 0, MANAGE_CUTOFF);
	if (db_bool(m->m, 0, MANAGE_CAN_MOVE))
		view_str(v, "move", routes_keyed(c, LINK_BOOKING_RESCHEDULE,
		    m->id, m->key));
	if (c->user != NULL)
		view_str(v, "ics", routes_link(c, LINK_BOOKING_ICS,
		    arena_printf(c->arena, "%s.ics", m->id), NULL));
	view_str(v, "action", routes_link(c, LINK_BOOKING_MANAGE, m->id, NULL));
	view_str(v, "key", m->key);
	manage_form_view(c, v, form, notice, error);
	return layout_render(c, status, "booking_manage", v);
}

int
page_booking_manage_get(struct ctx *c)
{
	struct manage m;
	struct valid_value done;
	static const struct valid_field done_field = { "done", VALID_CHOICE,
	    0, 0, 0, manage_done };
	int st;

	if ((st = manage_open(c, &m, req_query(c->req, "k"))) != 0)
		return st;
	/* The expert's view of his meeting is his meeting page. */
	if (strcmp(manage_val(&m, MANAGE_ACCESS), "expert") == 0)
		return layout_redirect(c, routes_link(c, LINK_MEETING, m.id,
		    NULL));
	return manage_render(c, 200, &m, NULL,
	    valid_value(c->arena, &done_field, req_query(c->req, "done"),
	    &done) == NULL && done.present ? arena_printf(c->arena,
	    "manage.done.%s", done.s) : NULL, NULL);
}

/* A refusal of the database, as the page shows it. */
static int
manage_refused(struct ctx *c, struct manage *m, struct valid_result *form,
    const char *state)
{
	if (strcmp(state, SQL_STATE_NO_MEETING) == 0) {
		c->message = view_t(c, "manage.error.none");
		return 404;
	}
	if (strcmp(state, SQL_STATE_STARTED) == 0)
		return manage_render(c, 409, m, form, NULL,
		    "manage.error.started");
	if (strcmp(state, SQL_STATE_CUTOFF) == 0)
		return manage_render(c, 409, m, form, NULL,
		    "manage.error.cutoff");
	if (strcmp(state, SQL_STATE_INVALID) == 0) {
		valid_add(form, MANAGE_CANCEL_REASON, "manage.error.reason");
		return manage_render(c, 422, m, form, NULL, NULL);
	}
	return 503;
}

int
page_booking_manage_post(struct ctx *c)
{
	struct manage m;
	struct valid_result form;
	const struct pg_result *r;
	const char *p[3];
	int st;

	if ((st = manage_open(c, &m, req_form(c->req, "k"))) != 0)
		return st;
	if (strcmp(manage_val(&m, MANAGE_ACCESS), "expert") == 0)
		return layout_redirect(c, routes_link(c, LINK_MEETING, m.id,
		    NULL));
	if (valid_form(c->arena, manage_cancel_fields, MANAGE_CANCEL__N,
	    &c->req->form, &form) > 0)
		return manage_render(c, 422, &m, &form, NULL, NULL);
	p[0] = m.id;
	p[1] = m.key;
	p[2] = form.v[MANAGE_CANCEL_REASON].present ?
	    form.v[MANAGE_CANCEL_REASON].s : NULL;
	if ((r = db_run_guarded(c->db, c->arena, SQL_MEETING_CANCEL,
	    p)) == NULL || db_rows(r) != 1)
		return manage_refused(c, &m, &form, db_sqlstate(c->db));
	log_info("manage: meeting %s %s by its guest", m.id, db_val(r, 0, 0));
	return layout_redirect(c, routes_manage_link(c->arena,
	    c->db, m.id, "cancelled"));
}
