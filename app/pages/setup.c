/* pages/setup: GET /setup — the six steps with their state; POST /setup/publish and /setup/unpublish, the page's forms. */
#include <stdio.h>
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

/* The agreement an expert accepts on first publishing. */
#define SETUP_AGREEMENT_VERSION	"1.0"

static const struct valid_field publish_fields[] = {
	{ "agree", VALID_BOOL, 0, 0, 0, NULL },
};

/* The form page of each step that is a form of ours. */
static const enum link setup_forms[SETUP__N] = {
	[SETUP_PROFILE] = LINK_SETUP_PROFILE,
	[SETUP_AVAILABILITY] = LINK_SETUP_AVAILABILITY,
	[SETUP_EVENTS] = LINK_SETUP_EVENTS,
};

/* The notices after a save (?saved=...): each has a catalog text. */
static const char *const setup_saved[] = { "profile", "availability",
    "events", "published", "unpublished", NULL };

/* The step list for the template. */
static struct view *
setup_step_list(struct ctx *c, const struct setup_state *st)
{
	struct view *list = view_list(c->arena), *o;
	int i;

	for (i = 0; i < SETUP__N; i++) {
		const char *name = setup_steps[i].name;

		o = view_new(c->arena);
		view_int(o, "number", i + 1);
		view_str(o, "name", name);
		view_str(o, "title", view_t(c, arena_printf(c->arena,
		    "setup.step.%s.title", name)));
		view_str(o, "text", view_t(c, arena_printf(c->arena,
		    "setup.step.%s.text", name)));
		if (st->done[i])
			view_bool(o, "done", 1);
		else if (i == SETUP_PAYMENT && !st->done[SETUP_IDENTITY])
			view_bool(o, "blocked", 1);
		if (setup_steps[i].form) {
			view_str(o, "href", routes_path(setup_forms[i]));
			view_str(o, "action", view_t(c, st->done[i] ?
			    "setup.action.edit" : "setup.action.start"));
		} else
			view_bool(o, "external", 1);
		view_add(list, o);
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
			    *out ? ", " : "", view_t(c, arena_printf(c->arena,
			    "setup.step.%s.title", setup_steps[i].name)));
	return out;
}

static int
setup_render(struct ctx *c, int status, const struct setup_state *st,
    const char *error)
{
	struct view *v = layout_new(c);
	const char *saved = req_query(c->req, "saved");
	char num[16];

	view_str(v, "title", view_t(c, "setup.title"));
	view_set(v, "steps", setup_step_list(c, st));
	snprintf(num, sizeof(num), "%d", st->ndone);
	view_str(v, "progress", view_tf(c, "setup.progress", "done", num));
	view_int(v, "ndone", st->ndone);
	view_int(v, "ntotal", SETUP__N);
	view_bool(v, "complete", st->complete);
	view_bool(v, "published", st->published);
	if (st->handle != NULL) {
		view_str(v, "handle", st->handle);
		view_str(v, "handle_url", routes_link(c, LINK_HANDLE,
		    st->handle, NULL));
	}
	if (error != NULL)
		view_str(v, "error", error);
	if (saved != NULL && status == 200 && valid_in(setup_saved, saved))
		view_str(v, "saved", view_t(c, arena_printf(c->arena,
		    "setup.saved.%s", saved)));
	view_str(v, "agreement_version", SETUP_AGREEMENT_VERSION);
	return layout_render(c, status, "setup", v);
}

int
page_setup_get(struct ctx *c)
{
	struct setup_state st;

	if (setup_load(c, &st) == -1)
		return 503;
	return setup_render(c, 200, &st, NULL);
}

/* After publishing or unpublishing: the page again, with its notice. */
static int
setup_saved_redirect(struct ctx *c, const char *what)
{
	return layout_redirect(c, arena_printf(c->arena, "%s?saved=%s",
	    routes_path(LINK_SETUP), what));
}

int
page_setup_publish_post(struct ctx *c)
{
	const char *p[3];
	struct setup_state st;
	struct valid_result r;
	const struct pg_result *res;

	if (setup_load(c, &st) == -1)
		return 503;
	if (valid_form(c->arena, publish_fields, 1, &c->req->form, &r) > 0)
		return setup_render(c, 422, &st, view_t(c, "valid.choice"));
	if (!st.complete)
		return setup_render(c, 409, &st, view_tf(c,
		    "setup.publish.incomplete", "steps",
		    setup_missing_titles(c, &st)));
	if (!st.has_profile || st.handle == NULL)
		return setup_render(c, 409, &st,
		    view_t(c, "setup.publish.no_handle"));
	if (!r.v[0].n)
		return setup_render(c, 422, &st,
		    view_t(c, "setup.publish.agree_required"));
	if (st.published)
		return setup_saved_redirect(c, "published");
	p[0] = c->user->workos_user_id;
	p[1] = SETUP_AGREEMENT_VERSION;
	p[2] = c->req->remote_addr;
	if ((res = db_run(c->db, c->arena, SQL_PROFILE_PUBLISH,
	    p)) == NULL)
		return 503;
	/* Setup no longer complete (or no handle) since it was read. */
	if (db_rows(res) != 1)
		return setup_render(c, 409, &st, view_tf(c,
		    "setup.publish.incomplete", "steps",
		    setup_missing_titles(c, &st)));
	db_audit(c->db, c->arena, AUDIT_PROFILE_PUBLISHED, "profile", p[0],
	    "{\"published\":false}", "{\"published\":true}", NULL);
	/* The first publication records the agreement. */
	if ((res = db_run(c->db, c->arena, SQL_PROFILE_AGREEMENT,
	    p)) == NULL)
		return 503;
	if (db_rows(res) == 1)
		db_audit(c->db, c->arena,
		    AUDIT_PRACTITIONER_AGREEMENT_ACCEPTED, "profile", p[0], NULL,
		    db_val(res, 0, 0), NULL);
	return setup_saved_redirect(c, "published");
}

int
page_setup_unpublish_post(struct ctx *c)
{
	const char *uid = c->user->workos_user_id;
	const struct pg_result *res;

	if ((res = db_run(c->db, c->arena, SQL_PROFILE_UNPUBLISH,
	    &uid)) == NULL)
		return 503;
	if (db_rows(res) == 1)
		db_audit(c->db, c->arena, AUDIT_PROFILE_UNPUBLISHED,
		    "profile", uid, "{\"published\":true}",
		    "{\"published\":false}", NULL);
	return setup_saved_redirect(c, "unpublished");
}
