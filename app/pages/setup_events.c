/* pages/setup_events: GET/POST /setup/events — the expert's event types, created and edited. */
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/setup.h"
#include "pages/routes.h"

static const char *const ev_currencies[] = { "eur", "usd", "gbp", "brl",
    NULL };

/*
 * The form's fields are the event's columns of sql.h, EVENT_ID (hidden:
 * empty for a new event) among them; from EVENT_NAME on they are also
 * the saves' parameters $3.., in this order.
 */
#define EV__N		EVENT__COLS
#define EV_SAVED	(EVENT__COLS - EVENT_NAME)	/* columns a save writes */

static const struct valid_field ev_fields[EV__N] = {
	[EVENT_ID] = { "event_id", VALID_UUID, 0, 0, 0, NULL },
	[EVENT_NAME] = { "name", VALID_TEXT, VALID_REQUIRED, 0, 100, NULL },
	[EVENT_SLUG] = { "slug", VALID_SLUG, VALID_REQUIRED, 0, 60, NULL },
	[EVENT_DESCRIPTION] = { "description", VALID_MULTILINE, 0, 0, 1000,
	    NULL },
	[EVENT_DURATION] = { "duration", VALID_INT, VALID_REQUIRED, 5, 1440,
	    NULL },
	[EVENT_PRICE] = { "price", VALID_MONEY, VALID_REQUIRED, 0, 10000000,
	    NULL },
	[EVENT_CURRENCY] = { "currency", VALID_CHOICE, VALID_REQUIRED, 0, 0,
	    ev_currencies },
	[EVENT_ACTIVE] = { "active", VALID_BOOL, 0, 0, 0, NULL },
};

/* Values of one stored event (row i of r). */
static void
ev_values(struct ctx *c, const struct pg_result *r, int i,
    struct valid_result *out)
{
	int k;

	out->v = arena_calloc(c->arena, EV__N, sizeof(out->v[0]));
	out->nerr = 0;
	for (k = 0; k < EV__N; k++) {
		out->v[k].s = db_val(r, i, k);
		out->v[k].present = *out->v[k].s != '\0';
	}
	out->v[EVENT_ACTIVE].n = db_bool(r, i, EVENT_ACTIVE);
	/* The price is stored in minor units and typed as an amount. */
	out->v[EVENT_PRICE].n = atoll(db_val(r, i, EVENT_PRICE));
	out->v[EVENT_PRICE].s = view_money(c, out->v[EVENT_PRICE].n);
}

/* An empty form for a new event (active, 60 minutes, euros). */
static void
ev_blank(struct ctx *c, struct valid_result *out)
{
	int k;

	out->v = arena_calloc(c->arena, EV__N, sizeof(out->v[0]));
	out->nerr = 0;
	for (k = 0; k < EV__N; k++)
		out->v[k].s = "";
	out->v[EVENT_DURATION].s = "60";
	out->v[EVENT_PRICE].s = view_money(c, 0);
	out->v[EVENT_CURRENCY].s = "eur";
	out->v[EVENT_ACTIVE].n = 1;
}

/* The event as JSON text, for the audit row. */
static const char *
ev_json(struct ctx *c, const struct valid_result *v)
{
	struct view *o = view_new(c->arena);
	int k;

	for (k = EVENT_NAME; k < EV__N; k++) {
		if (k == EVENT_ACTIVE)
			view_bool(o, "active", v->v[k].n != 0);
		else if (k == EVENT_DURATION)
			view_int(o, ev_fields[k].name, atoll(v->v[k].s));
		else if (k == EVENT_PRICE)
			view_int(o, ev_fields[k].name, v->v[k].n);
		else
			view_str(o, ev_fields[k].name, v->v[k].present ?
			    v->v[k].s : NULL);
	}
	return view_json(c->arena, o);
}

static int
ev_render(struct ctx *c, int status, const struct valid_result *form,
    const char *error)
{
	const char *uid = c->user->workos_user_id;
	struct view *v = layout_new(c), *list, *o;
	const struct pg_result *r;
	int i;

	if ((r = db_run(c->db, c->arena, SQL_EVENTS_LIST, &uid)) == NULL)
		return 503;
	view_str(v, "title", view_t(c, "setup.events.title"));
	list = view_list(c->arena);
	for (i = 0; i < db_rows(r); i++) {
		o = view_new(c->arena);
		view_col(o, "id", r, i, EVENT_ID);
		view_col(o, "name", r, i, EVENT_NAME);
		view_col(o, "slug", r, i, EVENT_SLUG);
		view_col(o, "duration", r, i, EVENT_DURATION);
		view_str(o, "price", view_price(c, db_val(r, i, EVENT_PRICE),
		    db_val(r, i, EVENT_CURRENCY)));
		view_bool(o, "active", db_bool(r, i, EVENT_ACTIVE));
		view_add(list, o);
	}
	view_set(v, "events", list);
	view_form(c, v, ev_fields, EV__N, form);
	view_set(v, "currencies", view_options(c, ev_currencies, "currency.",
	    form->v[EVENT_CURRENCY].s));
	view_bool(v, "editing", form->v[EVENT_ID].present);
	if (error != NULL)
		view_str(v, "error", error);
	if (req_query(c->req, "saved") != NULL && status == 200)
		view_str(v, "saved", view_t(c, "form.saved"));
	return setup_step_render(c, status, SETUP_EVENTS, v);
}

/* The signed-in expert's event id, or 0 rows (someone else's, or none). */
static const struct pg_result *
ev_get(struct ctx *c, const char *id, int for_update)
{
	const char *p[2] = { c->user->workos_user_id, id };

	return db_run(c->db, c->arena, for_update ?
	    SQL_EVENT_GET_FOR_UPDATE : SQL_EVENT_GET, p);
}

int
page_setup_events_get(struct ctx *c)
{
	const char *edit = req_query(c->req, "edit");
	struct valid_field idf = ev_fields[EVENT_ID];
	const struct pg_result *r;
	struct valid_result form;
	struct valid_value v;

	if (edit == NULL || *edit == '\0') {
		ev_blank(c, &form);
		return ev_render(c, 200, &form, NULL);
	}
	idf.flags = VALID_REQUIRED;
	if (valid_value(c->arena, &idf, edit, &v) != NULL)
		return 404;
	if ((r = ev_get(c, v.s, 0)) == NULL)
		return 503;
	if (db_rows(r) != 1)
		return 404;
	ev_values(c, r, 0, &form);
	return ev_render(c, 200, &form, NULL);
}

int
page_setup_events_post(struct ctx *c)
{
	const char *p[EV_SAVED + 2], *id;
	struct valid_result form, old;
	const struct pg_result *r;
	int k, editing;

	if (valid_form(c->arena, ev_fields, EV__N, &c->req->form, &form) > 0)
		return ev_render(c, 422, &form, NULL);
	editing = form.v[EVENT_ID].present;
	if (editing) {
		if ((r = ev_get(c, form.v[EVENT_ID].s, 1)) == NULL)
			return 503;
		/* Another expert's id reads as no event at all. */
		if (db_rows(r) != 1)
			return ev_render(c, 404, &form,
			    view_t(c, "setup.events.not_found"));
		ev_values(c, r, 0, &old);
	}
	p[0] = editing ? c->user->workos_user_id : c->user->org_id;
	p[1] = editing ? form.v[EVENT_ID].s : c->user->workos_user_id;
	for (k = EVENT_NAME; k < EV__N; k++)
		p[k - EVENT_NAME + 2] = k == EVENT_ACTIVE ?
		    (form.v[k].n ? "t" : "f") : k == EVENT_PRICE ?
		    arena_printf(c->arena, "%lld", form.v[k].n) : form.v[k].s;
	r = db_run_guarded(c->db, c->arena, editing ? SQL_EVENT_UPDATE :
	    SQL_EVENT_CREATE, p);
	if (r == NULL &&
	    strcmp(db_sqlstate(c->db), SQL_STATE_UNIQUE) == 0) {
		valid_add(&form, EVENT_SLUG, "setup.events.slug_taken");
		return ev_render(c, 409, &form, NULL);
	}
	if (r == NULL || db_rows(r) != 1)
		return 503;
	id = db_val(r, 0, 0);
	db_audit_change(c->db, c->arena, editing ? AUDIT_EVENT_UPDATED :
	    AUDIT_EVENT_CREATED, "event", id, editing ? ev_json(c, &old) : NULL,
	    ev_json(c, &form), NULL);
	/* Done while one active event exists. */
	if ((r = db_run(c->db, c->arena, SQL_EVENTS_ACTIVE_COUNT,
	    &c->user->workos_user_id)) == NULL)
		return 503;
	if (setup_set(c, SETUP_EVENTS, db_int(r, 0, 0) > 0) == -1)
		return 503;
	return layout_redirect(c, arena_printf(c->arena, "%s?saved=1",
	    routes_path(LINK_SETUP_EVENTS)));
}
