/* page_setup: GET /setup — the six steps with their state; POST /setup/publish and /setup/unpublish. */
#include <stdio.h>
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

/* The agreement an expert accepts on first publishing. */
#define SETUP_AGREEMENT_VERSION	"1.0"

static const struct valid_field publish_fields[] = {
	{ "agree", VALID_BOOL, 0, 0, 0, NULL },
};

/* The step list for the template. */
static struct json_object *
setup_step_list(struct ctx *c, const struct setup_state *st)
{
	struct json_object *list = json_object_new_array(), *o;
	int i;

	for (i = 0; i < SETUP__N; i++) {
		const char *name = setup_steps[i].name;

		o = json_object_new_object();
		json_object_object_add(o, "number", json_object_new_int(i + 1));
		json_object_object_add(o, "name", json_object_new_string(name));
		json_object_object_add(o, "title", json_object_new_string(
		    page_t(c, arena_printf(c->arena, "setup.step.%s.title",
		    name))));
		json_object_object_add(o, "text", json_object_new_string(
		    page_t(c, arena_printf(c->arena, "setup.step.%s.text",
		    name))));
		if (st->done[i])
			json_object_object_add(o, "done",
			    json_object_new_boolean(1));
		else if (i == SETUP_PAYMENT && !st->done[SETUP_IDENTITY])
			json_object_object_add(o, "blocked",
			    json_object_new_boolean(1));
		if (setup_steps[i].href != NULL) {
			json_object_object_add(o, "href",
			    json_object_new_string(setup_steps[i].href));
			json_object_object_add(o, "action",
			    json_object_new_string(page_t(c, st->done[i] ?
			    "setup.action.edit" : "setup.action.start")));
		} else
			json_object_object_add(o, "external",
			    json_object_new_boolean(1));
		json_object_array_add(list, o);
	}
	return list;
}

/* The incomplete steps' titles, for the refusal to publish. */
static const char *
setup_missing_titles(struct ctx *c, const struct setup_state *st)
{
	const char *out = "";
	int i;

	for (i = 0; i < SETUP__N; i++)
		if (!st->done[i])
			out = arena_printf(c->arena, "%s%s%s", out,
			    *out ? ", " : "", page_t(c, arena_printf(c->arena,
			    "setup.step.%s.title", setup_steps[i].name)));
	return out;
}

static int
setup_render(struct ctx *c, int status, const struct setup_state *st,
    const char *error)
{
	struct json_object *j = page_context(c);
	char num[16];
	const char *saved = req_query(c->req, "saved");

	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "setup.title")));
	json_object_object_add(j, "steps", setup_step_list(c, st));
	snprintf(num, sizeof(num), "%d", st->ndone);
	json_object_object_add(j, "progress", json_object_new_string(
	    arena_strdup(c->arena, page_tf(c, "setup.progress", "done", num))));
	json_object_object_add(j, "ndone", json_object_new_int(st->ndone));
	json_object_object_add(j, "ntotal", json_object_new_int(SETUP__N));
	if (st->complete)
		json_object_object_add(j, "complete",
		    json_object_new_boolean(1));
	if (st->published)
		json_object_object_add(j, "published",
		    json_object_new_boolean(1));
	if (st->handle != NULL)
		json_object_object_add(j, "handle",
		    json_object_new_string(st->handle));
	if (error != NULL)
		json_object_object_add(j, "error",
		    json_object_new_string(error));
	if (saved != NULL && status == 200 && (strcmp(saved, "profile") == 0 ||
	    strcmp(saved, "availability") == 0 || strcmp(saved, "events") == 0 ||
	    strcmp(saved, "published") == 0 ||
	    strcmp(saved, "unpublished") == 0))
		json_object_object_add(j, "saved", json_object_new_string(
		    page_t(c, arena_printf(c->arena, "setup.saved.%s", saved))));
	json_object_object_add(j, "csrf",
	    json_object_new_string(c->session->csrf));
	json_object_object_add(j, "agreement_version",
	    json_object_new_string(SETUP_AGREEMENT_VERSION));
	return page_render(c, status, "setup", j);
}

int
page_setup_get(struct ctx *c)
{
	struct setup_state st;

	if (setup_load(c, &st) == -1)
		return 503;
	return setup_render(c, 200, &st, NULL);
}

int
page_setup_publish_post(struct ctx *c)
{
	const char *p[3];
	struct setup_state st;
	struct valid_result r;
	PGresult *res;

	if (setup_load(c, &st) == -1)
		return 503;
	if (valid_form(c->arena, publish_fields, 1, &c->req->form, &r) > 0)
		return setup_render(c, 422, &st, page_t(c, "valid.choice"));
	if (!st.complete)
		return setup_render(c, 409, &st, page_tf(c,
		    "setup.publish.incomplete", "steps",
		    setup_missing_titles(c, &st)));
	if (!st.has_profile || st.handle == NULL)
		return setup_render(c, 409, &st,
		    page_t(c, "setup.publish.no_handle"));
	if (!r.v[0].n)
		return setup_render(c, 422, &st,
		    page_t(c, "setup.publish.agree_required"));
	if (st.published)
		return page_redirect(c, "/setup?saved=published");
	p[0] = c->user->workos_user_id;
	p[1] = SETUP_AGREEMENT_VERSION;
	p[2] = c->req->remote_addr;
	if ((res = db_run(c->app->db, c->arena, sql_profile_publish, 1,
	    p)) == NULL)
		return 503;
	/* Setup no longer complete (or no handle) since it was read. */
	if (PQntuples(res) != 1)
		return setup_render(c, 409, &st, page_tf(c,
		    "setup.publish.incomplete", "steps",
		    setup_missing_titles(c, &st)));
	db_audit(c->app->db, c->arena, AUDIT_PROFILE_PUBLISHED, "profile", p[0],
	    "{\"published\":false}", "{\"published\":true}", NULL);
	/* The first publication records the agreement. */
	if ((res = db_run(c->app->db, c->arena, sql_profile_agreement, 3,
	    p)) == NULL)
		return 503;
	if (PQntuples(res) == 1)
		db_audit(c->app->db, c->arena,
		    AUDIT_PRACTITIONER_AGREEMENT_ACCEPTED, "profile", p[0], NULL,
		    PQgetvalue(res, 0, 0), NULL);
	return page_redirect(c, "/setup?saved=published");
}

int
page_setup_unpublish_post(struct ctx *c)
{
	const char *uid = c->user->workos_user_id;
	PGresult *res;

	if ((res = db_run(c->app->db, c->arena, sql_profile_unpublish, 1,
	    &uid)) == NULL)
		return 503;
	if (PQntuples(res) == 1)
		db_audit(c->app->db, c->arena, AUDIT_PROFILE_UNPUBLISHED, "profile",
		    uid, "{\"published\":true}", "{\"published\":false}", NULL);
	return page_redirect(c, "/setup?saved=unpublished");
}
