/*
 * page_booking: GET/POST /:handle/:event — a published expert's event: the
 * times a guest can book, and the booking itself (WorkOS registration,
 * then one transaction, then the sign-in code).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "domain/guest.h"
#include "lib/log.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/req.h"
#include "domain/setup.h"
#include "core/sql.h"
#include "core/tz.h"
#include "core/valid.h"
#include "core/workos.h"

/* The booking form's fields. */
enum { BK_NAME, BK_EMAIL, BK_TZ, BK_START, BK_NOTES, BK__N };

static const struct valid_field booking_fields[BK__N] = {
	[BK_NAME] = { "name", VALID_TEXT, VALID_REQUIRED, 0, 100, NULL },
	[BK_EMAIL] = { "email", VALID_EMAIL, VALID_REQUIRED, 0, 0, NULL },
	[BK_TZ] = { "timezone", VALID_TEXT, VALID_REQUIRED, 0, 64, NULL },
	[BK_START] = { "start", VALID_INSTANT, VALID_REQUIRED, 0, 0, NULL },
	[BK_NOTES] = { "notes", VALID_MULTILINE, 0, 0, 2000, NULL },
};

/* Days the page shows at a time (the "earlier" and "later" links page). */
#define BOOKING_DAYS	7

/* Columns of sql_booking_event, sql_booking_week and sql_booking_slots. */
enum {
	BE_FIRST, BE_LAST, BE_HEADLINE, BE_EVENT, BE_DESCRIPTION, BE_MINUTES,
	BE_PRICE, BE_CURRENCY, BE_TZ, BE_WINDOW
};
enum { BW_FIRST, BW_EARLIER, BW_LATER, BW_LAST };
enum { BS_VALUE, BS_DATE, BS_WEEKDAY, BS_TIME };

/* What the page is about; results are arena-owned. */
struct booking {
	const char	*handle;
	const char	*slug;
	PGresult	*event;		/* one row of sql_booking_event */
	const char	*tz;		/* the guest's zone: asked for, else the expert's */
	const char	*from;		/* first local date asked for, "" for today */
	const char	*message;	/* catalog key of a notice above the form */
	PGresult	*when;		/* POST: the start in tz (sql_booking_when) */
};

/* tz when PostgreSQL knows it (then it is the page's), else NULL. */
static const char *
booking_tz_known(struct ctx *c, const char *tz)
{
	const struct tz_list *tzs;

	if (tz == NULL || *tz == '\0' ||
	    (tzs = tz_names(&c->app->timezones, c->app->db, c->arena)) == NULL)
		return NULL;
	return tz_known(tzs, tz) ? tz : NULL;
}

static const char *
booking_col(const struct booking *b, int col)
{
	return PQgetvalue(b->event, 0, col);
}

/* The expert's event named by the path, or the status to answer. */
static int
booking_load(struct ctx *c, struct booking *b)
{
	const char *p[2];

	memset(b, 0, sizeof(*b));
	b->from = "";
	b->handle = page_param_slug(c, "handle");
	b->slug = page_param_slug(c, "event");
	if (b->handle == NULL || b->slug == NULL) {
		c->message = page_t(c, "booking.error.no_event");
		return 404;
	}
	p[0] = b->handle;
	p[1] = b->slug;
	if ((b->event = db_run(c->app->db, c->arena, sql_booking_event, 2,
	    p)) == NULL)
		return 503;
	if (PQntuples(b->event) != 1) {
		c->message = page_t(c, "booking.error.no_event");
		return 404;
	}
	/* A schedule in a zone the product does not offer (a legacy name)
	   is shown in UTC: right, if not local. */
	if ((b->tz = booking_tz_known(c, booking_col(b, BE_TZ))) == NULL)
		b->tz = "UTC";
	return 0;
}

/* A YYYY-MM-DD date that exists, else "" (today). */
static const char *
booking_date(struct ctx *c, const char *s)
{
	static const struct valid_field day =
	    { "from", VALID_INSTANT, 0, 0, 0, NULL };
	struct valid_value v;

	if (s == NULL || strlen(s) != 10)
		return "";
	return valid_value(c->arena, &day, arena_printf(c->arena,
	    "%sT00:00:00Z", s), &v) == NULL ? s : "";
}

/* A link to this page for another first day, keeping the time zone. */
static struct json_object *
booking_link(struct ctx *c, const struct booking *b, const char *from)
{
	return json_object_new_string(arena_printf(c->arena,
	    "/%s/%s?tz=%s&from=%s#times", b->handle, b->slug,
	    form_urlencode(c->arena, b->tz), from));
}

/* The days shown, each with its bookable starts, into j. */
static int
booking_days(struct ctx *c, const struct booking *b, struct json_object *j,
    const char *selected)
{
	struct json_object *days, *day = NULL, *slots = NULL, *o;
	const char *p[5], *window, *last = "";
	PGresult *w, *s;
	int i;

	window = PQgetisnull(b->event, 0, BE_WINDOW) ? "0" :
	    booking_col(b, BE_WINDOW);
	p[0] = b->tz;
	p[1] = b->from;
	p[2] = window;
	p[3] = arena_printf(c->arena, "%d", BOOKING_DAYS);
	if ((w = db_run(c->app->db, c->arena, sql_booking_week, 4, p)) ==
	    NULL || PQntuples(w) != 1)
		return -1;
	p[0] = b->handle;
	p[1] = b->slug;
	p[2] = b->tz;
	p[3] = PQgetvalue(w, 0, BW_FIRST);
	p[4] = arena_printf(c->arena, "%d", BOOKING_DAYS);
	if ((s = db_run(c->app->db, c->arena, sql_booking_slots, 5, p)) ==
	    NULL)
		return -1;
	json_object_object_add(j, "first_day",
	    json_object_new_string(PQgetvalue(w, 0, BW_FIRST)));
	json_object_object_add(j, "last_day",
	    json_object_new_string(PQgetvalue(w, 0, BW_LAST)));
	if (!PQgetisnull(w, 0, BW_EARLIER))
		json_object_object_add(j, "earlier", booking_link(c, b,
		    PQgetvalue(w, 0, BW_EARLIER)));
	if (!PQgetisnull(w, 0, BW_LATER))
		json_object_object_add(j, "later", booking_link(c, b,
		    PQgetvalue(w, 0, BW_LATER)));
	days = json_object_new_array();
	for (i = 0; i < PQntuples(s); i++) {
		int wd = atoi(PQgetvalue(s, i, BS_WEEKDAY));
		const char *dname = setup_days[wd >= 1 && wd <= 7 ? wd - 1 : 0];

		if (strcmp(PQgetvalue(s, i, BS_DATE), last) != 0) {
			last = PQgetvalue(s, i, BS_DATE);
			day = json_object_new_object();
			json_object_object_add(day, "label",
			    json_object_new_string(arena_printf(c->arena,
			    "%s %s", page_t(c, arena_printf(c->arena, "day.%s",
			    dname)), last)));
			slots = json_object_new_array();
			json_object_object_add(day, "slots", slots);
			json_object_array_add(days, day);
		}
		o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(
		    PQgetvalue(s, i, BS_VALUE)));
		json_object_object_add(o, "time", json_object_new_string(
		    PQgetvalue(s, i, BS_TIME)));
		/* What a closed <select> shows: the day with the time. */
		json_object_object_add(o, "label", json_object_new_string(
		    arena_printf(c->arena, "%s %s %s", page_t(c, arena_printf(
		    c->arena, "day.%s.short", dname)), last,
		    PQgetvalue(s, i, BS_TIME))));
		if (selected != NULL &&
		    strcmp(selected, PQgetvalue(s, i, BS_VALUE)) == 0)
			json_object_object_add(o, "selected",
			    json_object_new_boolean(1));
		json_object_array_add(slots, o);
	}
	json_object_object_add(j, "days", days);
	if (PQntuples(s) > 0)
		json_object_object_add(j, "has_slots",
		    json_object_new_boolean(1));
	return 0;
}

/* The event's facts every booking template shows. */
static void
booking_facts(struct ctx *c, const struct booking *b, struct json_object *j)
{
	const char *name = arena_printf(c->arena, "%s %s",
	    booking_col(b, BE_FIRST), booking_col(b, BE_LAST));

	json_object_object_add(j, "expert", json_object_new_string(name));
	json_object_object_add(j, "expert_url", json_object_new_string(
	    arena_printf(c->arena, "/%s", b->handle)));
	if (*booking_col(b, BE_HEADLINE) != '\0')
		json_object_object_add(j, "headline",
		    json_object_new_string(booking_col(b, BE_HEADLINE)));
	json_object_object_add(j, "event",
	    json_object_new_string(booking_col(b, BE_EVENT)));
	if (*booking_col(b, BE_DESCRIPTION) != '\0')
		json_object_object_add(j, "description",
		    json_object_new_string(booking_col(b, BE_DESCRIPTION)));
	json_object_object_add(j, "minutes",
	    json_object_new_string(booking_col(b, BE_MINUTES)));
	page_add_price(c, j, booking_col(b, BE_PRICE),
	    booking_col(b, BE_CURRENCY));
	json_object_object_add(j, "timezone", json_object_new_string(b->tz));
	json_object_object_add(j, "title", json_object_new_string(
	    arena_printf(c->arena, "%s · %s", booking_col(b, BE_EVENT),
	    name)));
}

/*
 * The booking page with form r (NULL: empty) at status.  Runs in the
 * request's transaction, opening a read-only one when the handler has
 * none (after a WorkOS failure).
 */
static int
booking_render(struct ctx *c, int status, const struct booking *b,
    const struct valid_result *r)
{
	struct json_object *j = page_context(c);
	const struct tz_list *tzs;
	struct valid_result empty;

	if (!c->tx_open && auth_begin(c, NULL, NULL, 1) == -1)
		return 503;
	if ((tzs = tz_names(&c->app->timezones, c->app->db, c->arena)) == NULL)
		return 503;
	booking_facts(c, b, j);
	json_object_object_add(j, "action", json_object_new_string(
	    arena_printf(c->arena, "/%s/%s", b->handle, b->slug)));
	json_object_object_add(j, "timezones", page_tz_options(tzs, b->tz));
	if (r == NULL) {
		memset(&empty, 0, sizeof(empty));
		r = &empty;
	}
	if (booking_days(c, b, j, r->v != NULL ? r->v[BK_START].s : NULL) ==
	    -1)
		return 503;
	page_form(c, j, booking_fields, BK__N, r);
	if (b->message != NULL)
		json_object_object_add(j, "message",
		    json_object_new_string(page_t(c, b->message)));
	json_object_object_add(j, "csrf",
	    json_object_new_string(auth_csrf_token(c)));
	return page_render(c, status, "booking", j);
}

int
page_booking_get(struct ctx *c)
{
	struct booking b;
	const char *tz;
	int st;

	if ((st = booking_load(c, &b)) != 0)
		return st;
	if ((tz = booking_tz_known(c, req_query(c->req, "tz"))) != NULL)
		b.tz = tz;
	b.from = booking_date(c, req_query(c->req, "from"));
	return booking_render(c, 200, &b, NULL);
}

/* A refusal of the start field: its message, and the status. */
static int
booking_refuse(struct ctx *c, struct booking *b, struct valid_result *r,
    int status, const char *key)
{
	valid_add(r, BK_START, key);
	return booking_render(c, status, b, r);
}

/*
 * The confirmation: expert, event, time in the guest's zone, and the form
 * for the code WorkOS e-mailed (posted to /sign-in/code, so the address
 * never travels in a URL, where logs and history would keep it).
 */
static int
booking_done(struct ctx *c, const struct booking *b, const char *email,
    int created, int code_sent)
{
	struct json_object *j = page_context(c);

	booking_facts(c, b, j);
	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "booking.done.title")));
	json_object_object_add(j, "when", page_when(c, b->when, 0, 0, 1));
	json_object_object_add(j, "email", json_object_new_string(email));
	json_object_object_add(j, "csrf",
	    json_object_new_string(auth_csrf_token(c)));
	json_object_object_add(j, created ? "created" : "repeated",
	    json_object_new_boolean(1));
	json_object_object_add(j, code_sent ? "code_sent" : "code_failed",
	    json_object_new_boolean(1));
	return page_render(c, 200, "booking_done", j);
}

/* Where the booking came from, for the WorkOS user's metadata. */
static const char *
booking_metadata(struct ctx *c, const struct booking *b)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "source",
	    json_object_new_string("eleva-booking"));
	json_object_object_add(o, "expert", json_object_new_string(b->handle));
	json_object_object_add(o, "event", json_object_new_string(b->slug));
	return page_json_text(c, o);
}

/*
 * Step 1: the form, then the start as the database finds it for this
 * e-mail and form token, in a read-only transaction.  Returns 0 to go on,
 * else the status of the page rendered.
 */
static int
booking_check(struct ctx *c, struct booking *b, struct valid_result *r)
{
	const char *p[5], *state, *tz;
	PGresult *s;
	char *e;

	valid_form(c->arena, booking_fields, BK__N, &c->req->form, r);
	if (r->v[BK_TZ].present && valid_error_of(r, BK_TZ) == NULL) {
		if ((tz = booking_tz_known(c, r->v[BK_TZ].s)) != NULL)
			b->tz = tz;
		else
			valid_add(r, BK_TZ, "booking.error.timezone");
	}
	if (r->v[BK_START].present && valid_error_of(r, BK_START) == NULL) {
		/* The start's week is the page shown again if the form is
		   refused, so that the start stays the one chosen. */
		p[0] = r->v[BK_START].s;
		p[1] = b->tz;
		p[2] = booking_col(b, BE_MINUTES);
		if ((b->when = db_run(c->app->db, c->arena, sql_booking_when, 3,
		    p)) == NULL || PQntuples(b->when) != 1)
			return 503;
		b->from = PQgetvalue(b->when, 0, 0);
	}
	if (r->nerr > 0)
		return booking_render(c, 422, b, r);
	for (e = (char *)(r->v[BK_EMAIL].s = arena_strdup(c->arena,
	    r->v[BK_EMAIL].s)); *e != '\0'; e++)
		*e = (char)tolower((unsigned char)*e);
	p[0] = b->handle;
	p[1] = b->slug;
	p[2] = r->v[BK_START].s;
	p[3] = r->v[BK_EMAIL].s;
	p[4] = auth_csrf_token(c);
	if ((s = db_run(c->app->db, c->arena, sql_slot_state, 5, p)) == NULL ||
	    PQntuples(s) != 1)
		return 503;
	state = PQgetvalue(s, 0, 0);
	if (strcmp(state, "available") == 0 || strcmp(state, "mine") == 0)
		return 0;
	if (strcmp(state, "booked") == 0)
		return booking_refuse(c, b, r, 409, "booking.error.taken");
	if (strcmp(state, "reserved") == 0)
		return booking_refuse(c, b, r, 409, "booking.error.reserved");
	return booking_refuse(c, b, r, 422, "booking.error.not_offered");
}

/* Step 3's refusals, by SQLSTATE (the transaction is still usable). */
static int
booking_refused(struct ctx *c, struct booking *b, struct valid_result *r,
    const char *state)
{
	log_info("booking: %s/%s at %s refused (%s)", b->handle, b->slug,
	    r->v[BK_START].s, state);
	if (strcmp(state, SQL_STATE_TAKEN) == 0)
		return booking_refuse(c, b, r, 409, "booking.error.taken");
	if (strcmp(state, SQL_STATE_RESERVED) == 0)
		return booking_refuse(c, b, r, 409, "booking.error.reserved");
	if (strcmp(state, SQL_STATE_NOT_OFFERED) == 0)
		return booking_refuse(c, b, r, 422, "booking.error.not_offered");
	if (strcmp(state, SQL_STATE_NO_EVENT) == 0) {
		c->message = page_t(c, "booking.error.no_event");
		return 404;
	}
	if (strcmp(state, SQL_STATE_INVALID) == 0) {
		b->message = "booking.error.invalid";
		return booking_render(c, 422, b, r);
	}
	b->message = "booking.error.unavailable";
	return booking_render(c, 503, b, r);
}

int
page_booking_post(struct ctx *c)
{
	struct booking b;
	struct valid_result r;
	struct workos_user u;
	enum guest_step failed;
	const char *worg, *p[10];
	PGresult *res = NULL;
	int st, unavailable, created, sent;

	/* 1. Validate, in a read-only transaction. */
	if (auth_begin(c, NULL, NULL, 1) == -1)
		return 503;
	if ((st = booking_load(c, &b)) != 0)
		return st;
	if ((st = booking_check(c, &b, &r)) != 0)
		return st;
	auth_rollback(c);

	/* 2. The guest in WorkOS.  The write transaction opens first and
	   locks the e-mail address (sql_guest_lock): the requests of one
	   guest (a double click) take turns, and the second finds what the
	   first made, in WorkOS and here, instead of racing it.  No row is
	   locked meanwhile, and the worker would wait for WorkOS with its
	   connection idle either way. */
	if (auth_begin(c, NULL, NULL, 0) == -1 || db_run(c->app->db,
	    c->arena, sql_guest_lock, 1, &r.v[BK_EMAIL].s) == NULL) {
		auth_rollback(c);
		b.message = "booking.error.unavailable";
		return booking_render(c, 503, &b, &r);
	}
	if (guest_workos(c->app->workos, c->arena, r.v[BK_EMAIL].s,
	    r.v[BK_NAME].s, booking_metadata(c, &b), &u, &worg, &failed,
	    &unavailable) == -1) {
		log_error("booking: registering the guest failed at the %s",
		    failed == GUEST_STEP_USER ? "user" : "organization");
		auth_rollback(c);
		b.message = "booking.error.register";
		return booking_render(c, unavailable ? 503 : 502, &b, &r);
	}

	/* 3. In the same transaction: the local registration and the
	   meeting (app.book_meeting). */
	p[0] = b.handle;
	p[1] = b.slug;
	p[2] = r.v[BK_START].s;
	p[3] = u.id;
	p[4] = worg;
	p[5] = r.v[BK_EMAIL].s;
	p[6] = r.v[BK_NAME].s;
	p[7] = b.tz;
	p[8] = r.v[BK_NOTES].s;
	p[9] = auth_csrf_token(c);
	res = db_run_guarded(c->app->db, c->arena, sql_book_meeting, 10, p);
	if (res == NULL || PQntuples(res) != 1)
		return booking_refused(c, &b, &r, db_sqlstate(c->app->db));
	created = PQgetvalue(res, 0, 1)[0] == 't';
	if (auth_commit(c) == -1) {
		b.message = "booking.error.unavailable";
		return booking_render(c, 503, &b, &r);
	}
	log_info("booking: meeting %s for %s (%s)", PQgetvalue(res, 0, 0),
	    u.id, created ? "new" : "existing");

	/* 4. The sign-in code; the booking stands without it. */
	sent = workos_magic_auth_create(c->app->workos, c->arena,
	    r.v[BK_EMAIL].s) == WORKOS_OK;
	if (!sent)
		log_error("booking: no sign-in code sent for meeting %s",
		    PQgetvalue(res, 0, 0));

	/* 5. The confirmation. */
	return booking_done(c, &b, r.v[BK_EMAIL].s, created, sent);
}
