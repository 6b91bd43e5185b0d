/* page_setup_events: GET/POST /setup/events — the expert's event types, created and edited. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/req.h"
#include "core/session.h"
#include "domain/setup.h"
#include "core/sql.h"
#include "core/valid.h"

static const char *const ev_currencies[] = { "eur", "usd", "gbp", "brl",
    NULL };

/* In the column order of sql_event_get (after the id) and the parameters of the saves. */
enum {
	EV_NAME,
	EV_SLUG,
	EV_DESCRIPTION,
	EV_DURATION,
	EV_PRICE,
	EV_CURRENCY,
	EV_ACTIVE,
	EV_ID,		/* hidden: empty for a new event */
	EV__N
};
#define EV_COLUMNS	EV_ID

static const struct valid_field ev_fields[EV__N] = {
	[EV_NAME] = { "name", VALID_TEXT, VALID_REQUIRED, 0, 100, NULL },
	[EV_SLUG] = { "slug", VALID_SLUG, VALID_REQUIRED, 0, 60, NULL },
	[EV_DESCRIPTION] = { "description", VALID_MULTILINE, 0, 0, 1000, NULL },
	[EV_DURATION] = { "duration", VALID_INT, VALID_REQUIRED, 5, 1440, NULL },
	[EV_PRICE] = { "price", VALID_INT, VALID_REQUIRED, 0, 10000000, NULL },
	[EV_CURRENCY] = { "currency", VALID_CHOICE, VALID_REQUIRED, 0, 0,
	    ev_currencies },
	[EV_ACTIVE] = { "active", VALID_BOOL, 0, 0, 0, NULL },
	[EV_ID] = { "event_id", VALID_UUID, 0, 0, 0, NULL },
};

/* Values of one stored event (row i of r, columns id then EV_NAME..EV_ACTIVE). */
static void
ev_values(struct ctx *c, PGresult *r, int i, struct valid_result *out)
{
	int k;

	out->v = arena_calloc(c->arena, EV__N, sizeof(out->v[0]));
	out->nerr = 0;
	for (k = 0; k < EV_COLUMNS; k++) {
		out->v[k].s = arena_strdup(c->arena, PQgetvalue(r, i, k + 1));
		out->v[k].present = *out->v[k].s != '\0';
	}
	out->v[EV_ACTIVE].n = out->v[EV_ACTIVE].s[0] == 't';
	out->v[EV_ID].s = arena_strdup(c->arena, PQgetvalue(r, i, 0));
	out->v[EV_ID].present = 1;
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
	out->v[EV_DURATION].s = "60";
	out->v[EV_PRICE].s = "0";
	out->v[EV_CURRENCY].s = "eur";
	out->v[EV_ACTIVE].n = 1;
}

static const char *
ev_json(struct ctx *c, const struct valid_result *v)
{
	struct json_object *o = json_object_new_object();
	int k;

	for (k = 0; k < EV_COLUMNS; k++) {
		if (k == EV_ACTIVE)
			json_object_object_add(o, "active",
			    json_object_new_boolean(v->v[k].n != 0));
		else if (k == EV_DURATION || k == EV_PRICE)
			json_object_object_add(o, ev_fields[k].name,
			    json_object_new_int64(atoll(v->v[k].s)));
		else
			json_object_object_add(o, ev_fields[k].name,
			    v->v[k].present ? json_object_new_string(v->v[k].s) :
			    NULL);
	}
	return page_json_text(c, o);
}

static int
ev_render(struct ctx *c, int status, const struct valid_result *form,
    const char *error)
{
	const char *uid = c->user->workos_user_id;
	struct json_object *j = page_context(c), *list, *o;
	struct setup_state st;
	PGresult *r;
	int i;

	if (setup_load(c, &st) == -1 ||
	    (r = db_run(c->app->db, c->arena, sql_events_list, 1, &uid)) ==
	    NULL)
		return 503;
	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "setup.events.title")));
	list = json_object_new_array();
	for (i = 0; i < PQntuples(r); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "id",
		    json_object_new_string(PQgetvalue(r, i, 0)));
		json_object_object_add(o, "name",
		    json_object_new_string(PQgetvalue(r, i, 1)));
		json_object_object_add(o, "slug",
		    json_object_new_string(PQgetvalue(r, i, 2)));
		json_object_object_add(o, "duration",
		    json_object_new_string(PQgetvalue(r, i, 4)));
		json_object_object_add(o, "price", json_object_new_string(
		    page_price(c, PQgetvalue(r, i, 5), PQgetvalue(r, i, 6))));
		if (PQgetvalue(r, i, 7)[0] == 't')
			json_object_object_add(o, "active",
			    json_object_new_boolean(1));
		json_object_array_add(list, o);
	}
	json_object_object_add(j, "events", list);
	page_form(c, j, ev_fields, EV__N, form);
	json_object_object_add(j, "currencies", page_options(c, ev_currencies,
	    "currency.", form->v[EV_CURRENCY].s));
	if (form->v[EV_ID].present)
		json_object_object_add(j, "editing", json_object_new_boolean(1));
	if (error != NULL)
		json_object_object_add(j, "error",
		    json_object_new_string(error));
	if (st.done[SETUP_EVENTS])
		json_object_object_add(j, "done", json_object_new_boolean(1));
	if (req_query(c->req, "saved") != NULL && status == 200)
		json_object_object_add(j, "saved",
		    json_object_new_string(page_t(c, "form.saved")));
	json_object_object_add(j, "csrf",
	    json_object_new_string(c->session->csrf));
	return page_render(c, status, "setup_events", j);
}

/* The signed-in expert's event id, or 0 rows (someone else's, or none). */
static PGresult *
ev_get(struct ctx *c, const char *id, int for_update)
{
	const char *p[2] = { c->user->workos_user_id, id };

	return db_run(c->app->db, c->arena, for_update ?
	    sql_event_get_for_update : sql_event_get, 2, p);
}

int
page_setup_events_get(struct ctx *c)
{
	const char *edit = req_query(c->req, "edit");
	struct valid_field idf = ev_fields[EV_ID];
	struct valid_result form;
	struct valid_value v;
	PGresult *r;

	if (edit == NULL || *edit == '\0') {
		ev_blank(c, &form);
		return ev_render(c, 200, &form, NULL);
	}
	idf.flags = VALID_REQUIRED;
	if (valid_value(c->arena, &idf, edit, &v) != NULL)
		return 404;
	if ((r = ev_get(c, v.s, 0)) == NULL)
		return 503;
	if (PQntuples(r) != 1)
		return 404;
	ev_values(c, r, 0, &form);
	return ev_render(c, 200, &form, NULL);
}

int
page_setup_events_post(struct ctx *c)
{
	const char *p[EV_COLUMNS + 2], *id;
	struct valid_result form, old;
	PGresult *r;
	int k, editing;

	if (valid_form(c->arena, ev_fields, EV__N, &c->req->form, &form) > 0)
		return ev_render(c, 422, &form, NULL);
	editing = form.v[EV_ID].present;
	if (editing) {
		if ((r = ev_get(c, form.v[EV_ID].s, 1)) == NULL)
			return 503;
		/* Another expert's id reads as no event at all. */
		if (PQntuples(r) != 1)
			return ev_render(c, 404, &form,
			    page_t(c, "setup.events.not_found"));
		ev_values(c, r, 0, &old);
	}
	p[0] = editing ? c->user->workos_user_id : c->user->org_id;
	p[1] = editing ? form.v[EV_ID].s : c->user->workos_user_id;
	for (k = 0; k < EV_COLUMNS; k++)
		p[k + 2] = k == EV_ACTIVE ? (form.v[k].n ? "t" : "f") :
		    form.v[k].s;
	r = db_run_guarded(c->app->db, c->arena, editing ? sql_event_update :
	    sql_event_create, EV_COLUMNS + 2, p);
	if (r == NULL && strcmp(db_sqlstate(c->app->db), "23505") == 0) {
		valid_add(&form, EV_SLUG, "setup.events.slug_taken");
		return ev_render(c, 409, &form, NULL);
	}
	if (r == NULL || PQntuples(r) != 1)
		return 503;
	id = arena_strdup(c->arena, PQgetvalue(r, 0, 0));
	db_audit_change(c->app->db, c->arena, editing ? AUDIT_EVENT_UPDATED :
	    AUDIT_EVENT_CREATED, "event", id, editing ? ev_json(c, &old) : NULL,
	    ev_json(c, &form), NULL);
	/* Done while one active event exists. */
	if ((r = db_run(c->app->db, c->arena, sql_events_active_count, 1,
	    &c->user->workos_user_id)) == NULL)
		return 503;
	if (setup_set(c, SETUP_EVENTS, atoi(PQgetvalue(r, 0, 0)) > 0) == -1)
		return 503;
	return page_redirect(c, "/setup/events?saved=1");
}
