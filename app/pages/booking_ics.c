/* pages/booking_ics: GET /bookings/<id>.ics — a meeting as a calendar file, for its expert or its guest. */
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/ics.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/out.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "pages/routes.h"

/*
 * A meeting's UID: its id at our domain, the same in every file and
 * message about it (RFC 5545 3.8.4.7), whatever changes.
 */
#define ICS_UID_FORMAT	"%s@eleva.care"

static const struct valid_field ics_id = { "id", VALID_UUID, VALID_REQUIRED,
    0, 0, NULL };

int
page_booking_ics_get(struct ctx *c)
{
	const char *file = req_param(c->req, "file"), *p[2], *dot, *event;
	const char *other;
	const struct pg_result *r;
	struct valid_value id;
	struct ics_event e;
	int expert;

	/* "<uuid>.ics", nothing else; another's meeting is not found. */
	if (file == NULL || (dot = strrchr(file, '.')) == NULL ||
	    strcmp(dot, ".ics") != 0 || valid_value(c->arena, &ics_id,
	    arena_strndup(c->arena, file, (size_t)(dot - file)), &id) != NULL)
		return 404;
	p[0] = id.s;
	p[1] = c->user->workos_user_id;
	if ((r = db_run(c->db, c->arena, SQL_MEETING_ICS, p)) == NULL)
		return 503;
	if (db_rows(r) != 1)
		return 404;
	expert = db_bool(r, 0, ICS_IS_EXPERT);
	event = *db_val(r, 0, ICS_EVENT) != '\0' ? db_val(r, 0, ICS_EVENT) :
	    view_t(c, "ics.meeting");
	other = expert ? db_val(r, 0, ICS_GUEST) : db_val(r, 0, ICS_EXPERT);
	memset(&e, 0, sizeof(e));
	e.method = "PUBLISH";
	e.uid = arena_printf(c->arena, ICS_UID_FORMAT, db_val(r, 0, ICS_ID));
	e.start = db_int(r, 0, ICS_START);
	e.end = db_int(r, 0, ICS_END);
	e.stamp = (long long)time(NULL);
	e.summary = *other != '\0' ? arena_printf(c->arena, "%s — %s", event,
	    other) : event;
	e.status = strcmp(db_val(r, 0, ICS_STATUS), "cancelled") == 0 ?
	    "CANCELLED" : "CONFIRMED";
	if (expert) {
		e.description = *db_val(r, 0, ICS_NOTES) != '\0' ?
		    db_val(r, 0, ICS_NOTES) : NULL;
		e.url = arena_printf(c->arena, "%s%s", c->app->cfg->app_base_url,
		    routes_link(c, LINK_MEETING, db_val(r, 0, ICS_ID), NULL));
		e.attendee_name = db_val(r, 0, ICS_GUEST);
		e.attendee_email = db_val(r, 0, ICS_GUEST_EMAIL);
	} else if (*db_val(r, 0, ICS_HANDLE) != '\0')
		e.url = arena_printf(c->arena, "%s%s", c->app->cfg->app_base_url,
		    routes_link(c, LINK_HANDLE, db_val(r, 0, ICS_HANDLE), NULL));
	out_clear(c->resp);
	out_header(c->resp, "Content-Type", "text/calendar; charset=utf-8");
	out_header(c->resp, "Content-Disposition", arena_printf(c->arena,
	    "attachment; filename=\"eleva-%s.ics\"", db_val(r, 0, ICS_ID)));
	ics_write(&c->resp->body, &e);
	c->resp->rendered = 1;
	c->resp->status = 200;
	return 200;
}
