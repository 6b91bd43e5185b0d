/*
 * pages/handle_event: GET/POST /:handle/:event — a published expert's
 * event: the times a guest can book, and the booking itself (WorkOS
 * registration, then one transaction, then the sign-in code).
 */
#include <ctype.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/crypt.h"
#include "lib/log.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/lease.h"
#include "core/out.h"
#include "core/rate.h"
#include "core/req.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/valid.h"
#include "core/view.h"
#include "core/workos.h"
#include "domain/guest.h"
#include "domain/slots.h"
#include "pages/routes.h"

/* The booking form's fields. */
enum { BK_NAME, BK_EMAIL, BK_TZ, BK_START, BK_NOTES, BK__N };

static const struct valid_field booking_fields[BK__N] = {
	[BK_NAME] = { "name", VALID_TEXT, VALID_REQUIRED, 0, 100, NULL },
	[BK_EMAIL] = { "email", VALID_EMAIL, VALID_REQUIRED, 0, 0, NULL },
	[BK_TZ] = { "timezone", VALID_TEXT, VALID_REQUIRED, 0, 64, NULL },
	[BK_START] = { "start", VALID_INSTANT, VALID_REQUIRED, 0, 0, NULL },
	[BK_NOTES] = { "notes", VALID_MULTILINE, 0, 0, 2000, NULL },
};

/*
 * The guest's lease outlives the WorkOS registration (its budget, 4 s by
 * default, plus the booking); a second request of the same guest waits
 * for it this long.
 */
#define BOOKING_LEASE_MS	15000
#define BOOKING_LEASE_WAIT_MS	6000
/* The window of the booking rate limits (config: booking_limit_*). */
#define BOOKING_LIMIT_WINDOW_S	3600

/* What the page is about; results are arena-owned. */
struct booking {
	const char	*handle;
	const char	*slug;
	const struct pg_result *event;	/* one row of SQL_BOOKING_EVENT */
	const char	*tz;		/* the guest's zone: asked for, else the expert's */
	const char	*from;		/* first local date asked for, "" for today */
	int		 guess_tz;	/* GET without a zone: tz.js may ask the browser's */
	const char	*message;	/* catalog key of a notice above the form */
	const struct pg_result *when;	/* POST: the start in tz (SQL_BOOKING_WHEN) */
};

static const char *
booking_col(const struct booking *b, int col)
{
	return db_val(b->event, 0, col);
}

/* The expert's event named by the path, or the status to answer. */
static int
booking_load(struct ctx *c, struct booking *b)
{
	const char *p[2];

	memset(b, 0, sizeof(*b));
	b->from = "";
	b->handle = valid_path_slug(req_param(c->req, "handle"));
	b->slug = valid_path_slug(req_param(c->req, "event"));
	if (b->handle == NULL || b->slug == NULL) {
		c->message = view_t(c, "booking.error.no_event");
		return 404;
	}
	p[0] = b->handle;
	p[1] = b->slug;
	if ((b->event = db_run(c->db, c->arena, SQL_BOOKING_EVENT,
	    p)) == NULL)
		return 503;
	if (db_rows(b->event) != 1) {
		c->message = view_t(c, "booking.error.no_event");
		return 404;
	}
	/* A schedule in a zone the product does not offer (a legacy name)
	   is shown in UTC: right, if not local. */
	if ((b->tz = slots_tz(c, booking_col(b, BOOKABLE_TZ))) == NULL)
		b->tz = "UTC";
	return 0;
}

/* The week of starts shown (domain/slots.c), the start selected marked. */
static int
booking_days(struct ctx *c, const struct booking *b, struct view *v,
    const char *selected)
{
	struct slots_query q;

	memset(&q, 0, sizeof(q));
	q.handle = b->handle;
	q.slug = b->slug;
	q.tz = b->tz;
	q.from = b->from;
	q.window = db_opt(b->event, 0, BOOKABLE_WINDOW);
	q.selected = selected;
	q.base = routes_link(c, LINK_HANDLE_EVENT, b->handle, b->slug);
	q.guess_tz = b->guess_tz;
	return slots_week(c, &q, v);
}

/* The event's facts every booking template shows. */
static void
booking_facts(struct ctx *c, const struct booking *b, struct view *v)
{
	const char *name = arena_printf(c->arena, "%s %s",
	    booking_col(b, BOOKABLE_FIRST_NAME),
	    booking_col(b, BOOKABLE_LAST_NAME));

	view_str(v, "expert", name);
	view_str(v, "expert_url", routes_link(c, LINK_HANDLE, b->handle, NULL));
	view_str(v, "headline", booking_col(b, BOOKABLE_HEADLINE));
	view_str(v, "event", booking_col(b, BOOKABLE_EVENT));
	view_str(v, "description", booking_col(b, BOOKABLE_DESCRIPTION));
	view_str(v, "minutes", booking_col(b, BOOKABLE_MINUTES));
	view_set_price(c, v, booking_col(b, BOOKABLE_PRICE),
	    booking_col(b, BOOKABLE_CURRENCY));
	view_str(v, "timezone", b->tz);
	view_str(v, "title", arena_printf(c->arena, "%s · %s",
	    booking_col(b, BOOKABLE_EVENT), name));
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
	struct view *v = layout_new(c);
	struct valid_result empty;

	if (!tx_open(c) && tx_begin(c, NULL, NULL, 1) == -1)
		return 503;
	booking_facts(c, b, v);
	view_str(v, "action", routes_link(c, LINK_HANDLE_EVENT, b->handle,
	    b->slug));
	if (r == NULL) {
		memset(&empty, 0, sizeof(empty));
		r = &empty;
	}
	if (booking_days(c, b, v, r->v != NULL ? r->v[BK_START].s : NULL) ==
	    -1)
		return 503;
	view_form(c, v, booking_fields, BK__N, r);
	if (b->message != NULL)
		view_str(v, "message", view_t(c, b->message));
	view_str(v, "csrf", auth_csrf_token(c));
	return layout_render(c, status, "booking", v);
}

int
page_handle_event_get(struct ctx *c)
{
	struct booking b;
	const char *tz;
	int st;

	if ((st = booking_load(c, &b)) != 0)
		return st;
	tz = req_query(c->req, "tz");
	b.guess_tz = tz == NULL || *tz == '\0';
	if ((tz = slots_tz(c, tz)) != NULL)
		b.tz = tz;
	b.from = slots_from(c, req_query(c->req, "from"));
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
    const struct pg_result *res, int code_sent)
{
	struct view *v = layout_new(c);
	int pending = db_bool(res, 0, BOOKED_PENDING);

	booking_facts(c, b, v);
	view_str(v, "title", view_t(c, pending ? "booking.pending.title" :
	    "booking.done.title"));
	view_set(v, "when", view_when(c, b->when, 0, 0, 1));
	view_str(v, "email", email);
	view_str(v, "csrf", auth_csrf_token(c));
	if (pending) {
		/* Confirmed by the address's code (pages/sign_in_code.c). */
		view_bool(v, "pending", 1);
		view_col(v, "booking", res, 0, BOOKED_ID);
		view_col(v, "held_minutes", res, 0, BOOKED_HELD_MINUTES);
	} else {
		view_bool(v, db_bool(res, 0, BOOKED_CREATED) ? "created" :
		    "repeated", 1);
		/* Change or cancel it without an account (also e-mailed). */
		view_str(v, "manage", routes_manage_link(c->arena, c->db,
		    db_val(res, 0, BOOKED_ID), NULL));
	}
	view_bool(v, code_sent ? "code_sent" : "code_failed", 1);
	return layout_render(c, 200, "booking_done", v);
}

/*
 * The mark of the visitor's form on the WorkOS user it creates: the
 * SHA-256 of the form's token, which WorkOS (and its dashboard) may keep
 * without learning the token.  NULL when hashing failed.
 */
static const char *
booking_origin(struct ctx *c)
{
	const char *tok = auth_csrf_token(c);
	char hex[65];

	if (crypt_sha256_hex(tok, strlen(tok), hex) == -1)
		return NULL;
	return arena_strdup(c->arena, hex);
}

/* Where the booking came from, for the WorkOS user's metadata. */
static const char *
booking_metadata(struct ctx *c, const struct booking *b, const char *origin)
{
	struct view *o = view_new(c->arena);

	view_str(o, "source", "eleva-booking");
	view_str(o, "expert", b->handle);
	view_str(o, "event", b->slug);
	view_str(o, "origin", origin);
	return view_json(c->arena, o);
}

/*
 * Step 1: the form, then the start as the database finds it for this
 * e-mail and form token, in the route's read-only transaction.  Returns
 * 0 to go on, else the status of the page rendered.
 */
static int
booking_check(struct ctx *c, struct booking *b, struct valid_result *r)
{
	const char *p[5], *state, *tz;
	const struct pg_result *s;
	char *e;

	valid_form(c->arena, booking_fields, BK__N, &c->req->form, r);
	if (r->v[BK_TZ].present && valid_error_of(r, BK_TZ) == NULL) {
		if ((tz = slots_tz(c, r->v[BK_TZ].s)) != NULL)
			b->tz = tz;
		else
			valid_add(r, BK_TZ, "booking.error.timezone");
	}
	if (r->v[BK_START].present && valid_error_of(r, BK_START) == NULL) {
		/* The start's week is the page shown again if the form is
		   refused, so that the start stays the one chosen. */
		p[0] = r->v[BK_START].s;
		p[1] = b->tz;
		p[2] = booking_col(b, BOOKABLE_MINUTES);
		if ((b->when = db_run(c->db, c->arena, SQL_BOOKING_WHEN,
		    p)) == NULL || db_rows(b->when) != 1)
			return 503;
		b->from = db_val(b->when, 0, WHEN_DATE);
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
	if ((s = db_run(c->db, c->arena, SQL_SLOT_STATE, p)) == NULL ||
	    db_rows(s) != 1)
		return 503;
	state = db_val(s, 0, 0);
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
		c->message = view_t(c, "booking.error.no_event");
		return 404;
	}
	if (strcmp(state, SQL_STATE_INVALID) == 0) {
		b->message = "booking.error.invalid";
		return booking_render(c, 422, b, r);
	}
	b->message = "booking.error.unavailable";
	return booking_render(c, 503, b, r);
}

/*
 * A key of the guest's address: prefix and the lower-cased address's
 * SHA-256 (the guest's lease "guest:", the address's rate limit
 * "book:addr:"), so no address is stored in clear.
 */
static const char *
booking_address_key(struct ctx *c, const char *prefix, const char *email)
{
	char *low = arena_strdup(c->arena, email), *q, hex[65];

	for (q = low; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	if (crypt_sha256_hex(low, strlen(low), hex) == -1)
		return NULL;
	return arena_printf(c->arena, "%s%s", prefix, hex);
}

/*
 * The booking rate limits, per client address and then per guest address
 * (an address over its limit counts no attempt against the guest's):
 * bound what one visitor can book and how many sign-in codes one address
 * is sent.  Returns 0 to go on, else the status of the page rendered
 * (429 with Retry-After).  No transaction may be open.
 */
static int
booking_limited(struct ctx *c, struct booking *b, struct valid_result *r)
{
	const struct config *cfg = c->app->cfg;
	const char *key[2];
	int limit[2], i, wait = 0;

	key[0] = arena_printf(c->arena, "book:ip:%s", c->req->remote_addr);
	limit[0] = cfg->booking_limit_ip;
	key[1] = booking_address_key(c, "book:addr:", r->v[BK_EMAIL].s);
	limit[1] = cfg->booking_limit_address;
	for (i = 0; i < 2 && wait == 0; i++)
		if (key[i] == NULL ||
		    (wait = rate_take(c, key[i], limit[i],
		    BOOKING_LIMIT_WINDOW_S)) == -1) {
			b->message = "booking.error.unavailable";
			return booking_render(c, 503, b, r);
		}
	if (wait == 0)
		return 0;
	log_warn("booking: %s/%s refused: too many bookings per %s",
	    b->handle, b->slug, i == 1 ? "client address" : "guest address");
	out_header(c->resp, "Retry-After", arena_printf(c->arena, "%d", wait));
	b->message = "booking.error.limited";
	return booking_render(c, 429, b, r);
}

/*
 * Steps 2 and 3, under the guest's lease: the guest in WorkOS (no
 * transaction open meanwhile), then in one write transaction the local
 * registration and the meeting (app.book_meeting), committed.  Returns 0
 * with the meeting in *res, or the status of the page rendered; either
 * way no transaction is left open (the caller releases the lease).
 */
static int
booking_guest(struct ctx *c, struct booking *b, struct valid_result *r,
    struct workos_user *u, const char **worg, const struct pg_result **res)
{
	enum guest_step failed = GUEST_STEP_USER;
	const char *p[11], *origin;
	int unavailable = 0, existed, st;

	if ((origin = booking_origin(c)) == NULL ||
	    guest_workos(c->app->workos, c->arena, r->v[BK_EMAIL].s,
	    r->v[BK_NAME].s, origin, booking_metadata(c, b, origin), u,
	    &existed, worg, &failed, &unavailable) == -1) {
		log_error("booking: registering the guest failed at the %s",
		    failed == GUEST_STEP_USER ? "user" : "organization");
		b->message = "booking.error.register";
		st = booking_render(c, unavailable ? 503 : 502, b, r);
		tx_rollback(c);
		return st;
	}
	p[0] = b->handle;
	p[1] = b->slug;
	p[2] = r->v[BK_START].s;
	p[3] = u->id;
	p[4] = *worg;
	p[5] = r->v[BK_EMAIL].s;
	p[6] = r->v[BK_NAME].s;
	p[7] = b->tz;
	p[8] = r->v[BK_NOTES].s;
	p[9] = auth_csrf_token(c);
	p[10] = existed ? "true" : "false";
	/* As the signed-in user, if any: one's own address books at once. */
	if (tx_begin(c, c->session != NULL ? c->session->user_id : NULL,
	    c->session != NULL ? c->session->org_id : NULL, 0) == -1) {
		b->message = "booking.error.unavailable";
		st = booking_render(c, 503, b, r);
		tx_rollback(c);
		return st;
	}
	*res = db_run_guarded(c->db, c->arena, SQL_BOOK_MEETING, p);
	if (*res == NULL || db_rows(*res) != 1) {
		st = booking_refused(c, b, r, db_sqlstate(c->db));
		tx_rollback(c);
		return st;
	}
	if (tx_commit(c) == -1) {
		b->message = "booking.error.unavailable";
		st = booking_render(c, 503, b, r);
		tx_rollback(c);
		return st;
	}
	return 0;
}

int
page_handle_event_post(struct ctx *c)
{
	struct booking b;
	struct valid_result r;
	struct workos_user u;
	const char *worg = NULL, *guest_key;
	const struct pg_result *res = NULL;
	int st, sent;

	/* 1. Validate, in the route's read-only transaction, then count the
	   attempt against the rate limits. */
	if ((st = booking_load(c, &b)) != 0)
		return st;
	if ((st = booking_check(c, &b, &r)) != 0)
		return st;
	tx_rollback(c);
	if ((st = booking_limited(c, &b, &r)) != 0)
		return st;

	/* 2. The guest in WorkOS, under the e-mail address's lease
	   (core/lease.h): the requests of one guest (a double click) take
	   turns, and the second finds what the first made, in WorkOS and
	   here, instead of racing it.  A lease, not a lock in a
	   transaction: nothing is held open while WorkOS answers. */
	if ((guest_key = booking_address_key(c, "guest:",
	    r.v[BK_EMAIL].s)) == NULL ||
	    (st = lease_wait(c, guest_key, BOOKING_LEASE_MS,
	    BOOKING_LEASE_WAIT_MS)) != 1) {
		if (st == 0)
			log_warn("booking: the guest's other booking took too "
			    "long");
		b.message = "booking.error.unavailable";
		return booking_render(c, 503, &b, &r);
	}
	st = booking_guest(c, &b, &r, &u, &worg, &res);
	lease_release(c, guest_key);
	if (st != 0)
		return st;
	log_info("booking: %s %s for %s (%s)", db_bool(res, 0,
	    BOOKED_PENDING) ? "pending booking" : "meeting",
	    db_val(res, 0, BOOKED_ID), u.id, db_bool(res, 0, BOOKED_CREATED) ?
	    "new" : "repeated");

	/* 4. The sign-in code; the booking stands without it. */
	sent = workos_magic_auth_create(c->app->workos, c->arena,
	    r.v[BK_EMAIL].s) == WORKOS_OK;
	if (!sent)
		log_error("booking: no sign-in code sent for meeting %s",
		    db_val(res, 0, BOOKED_ID));

	/* 5. The confirmation. */
	return booking_done(c, &b, r.v[BK_EMAIL].s, res, sent);
}
