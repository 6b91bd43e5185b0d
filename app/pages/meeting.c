/* pages/meeting: GET/POST /meetings/:id — one of the expert's meetings: who booked, what they wrote, when (in his time zone), its state; POST cancels it. */
#include <string.h>

#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/manage.h"
#include "pages/routes.h"

static const struct valid_field meeting_id = { "id", VALID_UUID,
    VALID_REQUIRED, 0, 0, NULL };

/* The page of meeting id, with the cancel form as submitted (NULL: empty). */
static int
meeting_render(struct ctx *c, int status, const char *id,
    const struct valid_result *form, const char *notice, const char *error)
{
	const struct pg_result *r;
	struct view *v;
	const char *p[3], *by;

	p[0] = id;
	p[1] = c->user->workos_user_id;
	p[2] = c->user->org_id;
	if ((r = db_run(c->db, c->arena, SQL_MEETING_GET, p)) == NULL)
		return 503;
	if (db_rows(r) != 1)
		return 404;
	v = layout_new(c);
	view_str(v, "title", view_tf(c, "dashboard.meeting.title", "guest",
	    db_val(r, 0, MEETING_PAGE_GUEST)));
	view_set(v, "when", view_when(c, r, 0, MEETING_PAGE_WHEN, 1));
	view_col(v, "tz", r, 0, MEETING_PAGE_TZ);
	view_col(v, "guest", r, 0, MEETING_PAGE_GUEST);
	view_col(v, "email", r, 0, MEETING_PAGE_EMAIL);
	view_col(v, "notes", r, 0, MEETING_PAGE_NOTES);
	view_col(v, "event", r, 0, MEETING_PAGE_EVENT);
	view_col(v, "minutes", r, 0, MEETING_PAGE_MINUTES);
	view_col(v, "booked", r, 0, MEETING_PAGE_BOOKED);
	view_str(v, "status", db_val(r, 0, MEETING_PAGE_STATUS));
	view_str(v, "status_label", view_t(c, arena_printf(c->arena,
	    "dashboard.meeting.status.%s", db_val(r, 0, MEETING_PAGE_STATUS))));
	view_bool(v, "cancelled", strcmp(db_val(r, 0, MEETING_PAGE_STATUS),
	    "cancelled") == 0);
	by = db_val(r, 0, MEETING_PAGE_CANCELLED_BY);
	if (*by != '\0')
		view_str(v, "cancelled_by", view_t(c, arena_printf(c->arena,
		    "manage.cancelled_by.%s", by)));
	view_col(v, "reason", r, 0, MEETING_PAGE_REASON);
	view_bool(v, "can_cancel", db_bool(r, 0, MEETING_PAGE_CAN_CANCEL));
	view_str(v, "ics", routes_link(c, LINK_BOOKING_ICS, arena_printf(c->arena,
	    "%s.ics", id), NULL));
	view_str(v, "action", routes_link(c, LINK_MEETING, id, NULL));
	manage_form_view(c, v, form, notice, error);
	return layout_render(c, status, "meeting", v);
}

int
page_meeting_get(struct ctx *c)
{
	struct valid_value id;
	const char *done = req_query(c->req, "done");

	/* Another expert's meeting, or no meeting: the same 404. */
	if (valid_value(c->arena, &meeting_id, req_param(c->req, "id"),
	    &id) != NULL)
		return 404;
	return meeting_render(c, 200, id.s, NULL, done != NULL &&
	    strcmp(done, "cancelled") == 0 ? "dashboard.meeting.cancelled" :
	    NULL, NULL);
}

/* POST: the expert cancels the meeting (until it starts), with a reason. */
int
page_meeting_post(struct ctx *c)
{
	struct valid_value id;
	struct valid_result form;
	const struct pg_result *r;
	const char *p[3], *state;

	if (valid_value(c->arena, &meeting_id, req_param(c->req, "id"),
	    &id) != NULL)
		return 404;
	if (valid_form(c->arena, manage_cancel_fields, MANAGE_CANCEL__N,
	    &c->req->form, &form) > 0)
		return meeting_render(c, 422, id.s, &form, NULL, NULL);
	p[0] = id.s;
	p[1] = "";
	p[2] = form.v[MANAGE_CANCEL_REASON].present ?
	    form.v[MANAGE_CANCEL_REASON].s : NULL;
	if ((r = db_run_guarded(c->db, c->arena, SQL_MEETING_CANCEL,
	    p)) == NULL || db_rows(r) != 1) {
		state = db_sqlstate(c->db);
		if (strcmp(state, SQL_STATE_NO_MEETING) == 0)
			return 404;
		if (strcmp(state, SQL_STATE_STARTED) == 0)
			return meeting_render(c, 409, id.s, &form, NULL,
			    "dashboard.meeting.started");
		if (strcmp(state, SQL_STATE_INVALID) == 0) {
			valid_add(&form, MANAGE_CANCEL_REASON,
			    "manage.error.reason");
			return meeting_render(c, 422, id.s, &form, NULL, NULL);
		}
		return 503;
	}
	return layout_redirect(c, arena_printf(c->arena, "%s?done=cancelled",
	    routes_link(c, LINK_MEETING, id.s, NULL)));
}
