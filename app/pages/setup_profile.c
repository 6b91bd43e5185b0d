/* pages/setup_profile: GET/POST /setup/profile — public handle, names, headline, short bio, category. */
#include <string.h>

#include "lib/arena.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/setup.h"
#include "pages/routes.h"

/*
 * The form's fields are the profile's columns before PROFILE_PUBLISHED
 * (sql.h), in their order, which is also SQL_PROFILE_SAVE's parameters'.
 */
#define PF__N	PROFILE_PUBLISHED

static const struct valid_field profile_fields[PF__N] = {
	[PROFILE_HANDLE] = { "handle", VALID_SLUG, 0, 3, 40, routes_reserved },
	[PROFILE_FIRST_NAME] = { "first_name", VALID_TEXT, VALID_REQUIRED, 0,
	    100, NULL },
	[PROFILE_LAST_NAME] = { "last_name", VALID_TEXT, VALID_REQUIRED, 0,
	    100, NULL },
	[PROFILE_HEADLINE] = { "headline", VALID_TEXT, 0, 0, 120, NULL },
	[PROFILE_SHORT_BIO] = { "short_bio", VALID_MULTILINE, 0, 0, 500, NULL },
	[PROFILE_CATEGORY] = { "primary_category", VALID_UUID, 0, 0, 0, NULL },
};

static int
profile_cat_known(const struct pg_result *cats, const char *id)
{
	int i;

	for (i = 0; i < db_rows(cats); i++)
		if (strcmp(db_val(cats, i, CATEGORY_ID), id) == 0)
			return 1;
	return 0;
}

/* The stored profile into r (prefilled from the user when there is none). */
static int
profile_load(struct ctx *c, struct valid_result *r, int for_update,
    int *exists, int *published)
{
	const char *uid = c->user->workos_user_id;
	const struct pg_result *res;
	int i;

	res = db_run(c->db, c->arena, for_update ?
	    SQL_PROFILE_GET_FOR_UPDATE : SQL_PROFILE_GET, &uid);
	if (res == NULL)
		return -1;
	r->v = arena_calloc(c->arena, PF__N, sizeof(r->v[0]));
	r->nerr = 0;
	*exists = db_rows(res) == 1;
	*published = *exists && db_bool(res, 0, PROFILE_PUBLISHED);
	for (i = 0; i < PF__N; i++) {
		r->v[i].s = *exists ? db_val(res, 0, i) : "";
		r->v[i].present = *r->v[i].s != '\0';
	}
	if (!*exists) {
		r->v[PROFILE_FIRST_NAME].s = c->user->first_name ?
		    c->user->first_name : "";
		r->v[PROFILE_LAST_NAME].s = c->user->last_name ?
		    c->user->last_name : "";
	}
	return 0;
}

/* The profile as JSON text, for the audit row. */
static const char *
profile_json(struct ctx *c, const struct valid_result *r)
{
	struct view *o = view_new(c->arena);
	int i;

	for (i = 0; i < PF__N; i++)
		view_str(o, profile_fields[i].name, r->v[i].present ?
		    r->v[i].s : NULL);
	return view_json(c->arena, o);
}

static int
profile_render(struct ctx *c, int status, const struct valid_result *r,
    const struct pg_result *cats)
{
	struct view *v = layout_new(c), *list, *o;
	int i;

	view_str(v, "title", view_t(c, "setup.profile.title"));
	view_form(c, v, profile_fields, PF__N, r);
	list = view_list(c->arena);
	for (i = 0; i < db_rows(cats); i++) {
		o = view_new(c->arena);
		view_col(o, "value", cats, i, CATEGORY_ID);
		view_str(o, "label", view_category(c, db_val(cats, i,
		    CATEGORY_NAME)));
		if (strcmp(db_val(cats, i, CATEGORY_ID),
		    r->v[PROFILE_CATEGORY].s) == 0)
			view_bool(o, "selected", 1);
		view_add(list, o);
	}
	view_set(v, "categories", list);
	return setup_step_render(c, status, SETUP_PROFILE, v);
}

int
page_setup_profile_get(struct ctx *c)
{
	const struct pg_result *cats;
	struct valid_result r;
	int exists, published;

	if (profile_load(c, &r, 0, &exists, &published) == -1 ||
	    (cats = db_run(c->db, c->arena, SQL_CATEGORIES, NULL)) == NULL)
		return 503;
	return profile_render(c, 200, &r, cats);
}

int
page_setup_profile_post(struct ctx *c)
{
	const char *p[PF__N + 2];
	const struct pg_result *cats, *res;
	struct valid_result old, r;
	int exists, published, i;

	if (profile_load(c, &old, 1, &exists, &published) == -1 ||
	    (cats = db_run(c->db, c->arena, SQL_CATEGORIES, NULL)) == NULL)
		return 503;
	valid_form(c->arena, profile_fields, PF__N, &c->req->form, &r);
	/* A public page needs its address. */
	if (published && !r.v[PROFILE_HANDLE].present)
		valid_add(&r, PROFILE_HANDLE, "setup.profile.handle_published");
	if (r.v[PROFILE_CATEGORY].present &&
	    !valid_error_of(&r, PROFILE_CATEGORY) &&
	    !profile_cat_known(cats, r.v[PROFILE_CATEGORY].s))
		valid_add(&r, PROFILE_CATEGORY, "valid.choice");
	if (r.nerr > 0)
		return profile_render(c, 422, &r, cats);

	p[0] = c->user->org_id;
	p[1] = c->user->workos_user_id;
	for (i = 0; i < PF__N; i++)
		p[i + 2] = r.v[i].s;
	res = db_run_guarded(c->db, c->arena, SQL_PROFILE_SAVE, p);
	if (res == NULL &&
	    strcmp(db_sqlstate(c->db), SQL_STATE_UNIQUE) == 0) {
		/* The handle's unique index: someone has it. */
		valid_add(&r, PROFILE_HANDLE, "setup.profile.handle_taken");
		return profile_render(c, 409, &r, cats);
	}
	if (res == NULL || db_rows(res) != 1)
		return 503;
	db_audit_change(c->db, c->arena, exists ? AUDIT_PROFILE_UPDATED :
	    AUDIT_PROFILE_CREATED, "profile", c->user->workos_user_id,
	    exists ? profile_json(c, &old) : NULL, profile_json(c, &r), NULL);
	/* Done while first name, last name and short bio are set. */
	if (setup_set(c, SETUP_PROFILE, db_bool(res, 0, 0)) == -1)
		return 503;
	return layout_redirect(c, arena_printf(c->arena, "%s?saved=profile",
	    routes_path(LINK_SETUP)));
}
