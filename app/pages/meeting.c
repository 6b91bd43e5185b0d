/* pages/meeting: GET /meetings/:id — one of the expert's meetings: who booked, what they wrote, when (in his time zone), its state. */
#include <string.h>

#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "pages/routes.h"

static const struct valid_field meeting_id = { "id", VALID_UUID,
    VALID_REQUIRED, 0, 0, NULL };

int
page_meeting_get(struct ctx *c)
{
	const struct pg_result *r;
	struct valid_value id;
	struct view *v;
	const char *p[3];

	/* Another expert's meeting, or no meeting: the same 404. */
	if (valid_value(c->arena, &meeting_id, req_param(c->req, "id"),
	    &id) != NULL)
		return 404;
	p[0] = id.s;
	p[1] = c->user->workos_user_id;
	p[2] = c->user->org_id;
	if ((r = db_run(c->app->db, c->arena, SQL_MEETING_GET, p)) == NULL)
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
	view_str(v, "ics", routes_link(c, LINK_BOOKING_ICS, arena_printf(c->arena,
	    "%s.ics", id.s), NULL));
	return layout_render(c, 200, "meeting", v);
}
