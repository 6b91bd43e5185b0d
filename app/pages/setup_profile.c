/* page_setup_profile: GET/POST /setup/profile — public handle, names, headline, short bio, category. */
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/route.h"
#include "core/session.h"
#include "domain/setup.h"
#include "core/sql.h"
#include "core/valid.h"

/* In the column order of sql_profile_get and the parameters of sql_profile_save. */
enum {
	PF_HANDLE,
	PF_FIRST,
	PF_LAST,
	PF_HEADLINE,
	PF_SHORT_BIO,
	PF_CATEGORY,
	PF__N
};

static const struct valid_field profile_fields[PF__N] = {
	[PF_HANDLE] = { "handle", VALID_SLUG, 0, 3, 40, NULL },
	[PF_FIRST] = { "first_name", VALID_TEXT, VALID_REQUIRED, 0, 100, NULL },
	[PF_LAST] = { "last_name", VALID_TEXT, VALID_REQUIRED, 0, 100, NULL },
	[PF_HEADLINE] = { "headline", VALID_TEXT, 0, 0, 120, NULL },
	[PF_SHORT_BIO] = { "short_bio", VALID_MULTILINE, 0, 0, 500, NULL },
	[PF_CATEGORY] = { "primary_category", VALID_UUID, 0, 0, 0, NULL },
};

/* The categories, for the select and for validating the choice. */
struct profile_cats {
	PGresult	*r;
};

static int
profile_cat_known(const struct profile_cats *cats, const char *id)
{
	int i;

	for (i = 0; i < PQntuples(cats->r); i++)
		if (strcmp(PQgetvalue(cats->r, i, 0), id) == 0)
			return 1;
	return 0;
}

/* The stored profile into r (prefilled from the user when there is none). */
static int
profile_load(struct ctx *c, struct valid_result *r, int for_update,
    int *exists, int *published)
{
	const char *uid = c->user->workos_user_id;
	PGresult *res;
	int i;

	res = db_run(c->app->db, c->arena, for_update ?
	    sql_profile_get_for_update : sql_profile_get, 1, &uid);
	if (res == NULL)
		return -1;
	r->v = arena_calloc(c->arena, PF__N, sizeof(r->v[0]));
	r->nerr = 0;
	*exists = PQntuples(res) == 1;
	*published = *exists && PQgetvalue(res, 0, PF__N)[0] == 't';
	for (i = 0; i < PF__N; i++) {
		r->v[i].s = *exists ? arena_strdup(c->arena,
		    PQgetvalue(res, 0, i)) : "";
		r->v[i].present = *r->v[i].s != '\0';
	}
	if (!*exists) {
		r->v[PF_FIRST].s = c->user->first_name ? c->user->first_name : "";
		r->v[PF_LAST].s = c->user->last_name ? c->user->last_name : "";
	}
	return 0;
}

static const char *
profile_json(struct ctx *c, const struct valid_result *r)
{
	struct json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < PF__N; i++)
		json_object_object_add(o, profile_fields[i].name,
		    r->v[i].present ? json_object_new_string(r->v[i].s) : NULL);
	return page_json_text(c, o);
}

static int
profile_render(struct ctx *c, int status, const struct valid_result *r,
    const struct profile_cats *cats)
{
	struct json_object *j = page_context(c), *list, *o;
	struct setup_state st;
	int i;

	if (setup_load(c, &st) == -1)
		return 503;
	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "setup.profile.title")));
	page_form(c, j, profile_fields, PF__N, r);
	list = json_object_new_array();
	for (i = 0; i < PQntuples(cats->r); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(
		    PQgetvalue(cats->r, i, 0)));
		json_object_object_add(o, "label", json_object_new_string(
		    page_category(c, PQgetvalue(cats->r, i, 1))));
		if (strcmp(PQgetvalue(cats->r, i, 0), r->v[PF_CATEGORY].s) == 0)
			json_object_object_add(o, "selected",
			    json_object_new_boolean(1));
		json_object_array_add(list, o);
	}
	json_object_object_add(j, "categories", list);
	if (st.done[SETUP_PROFILE])
		json_object_object_add(j, "done", json_object_new_boolean(1));
	json_object_object_add(j, "csrf",
	    json_object_new_string(c->session->csrf));
	return page_render(c, status, "setup_profile", j);
}

static int
profile_cats_load(struct ctx *c, struct profile_cats *cats)
{
	return (cats->r = db_run(c->app->db, c->arena, sql_categories, 0,
	    NULL)) == NULL ? -1 : 0;
}

int
page_setup_profile_get(struct ctx *c)
{
	struct profile_cats cats;
	struct valid_result r;
	int exists, published;

	if (profile_load(c, &r, 0, &exists, &published) == -1 ||
	    profile_cats_load(c, &cats) == -1)
		return 503;
	return profile_render(c, 200, &r, &cats);
}

int
page_setup_profile_post(struct ctx *c)
{
	const char *p[PF__N + 2];
	struct profile_cats cats;
	struct valid_result old, r;
	PGresult *res;
	int exists, published, i;

	if (profile_load(c, &old, 1, &exists, &published) == -1 ||
	    profile_cats_load(c, &cats) == -1)
		return 503;
	valid_form(c->arena, profile_fields, PF__N, &c->req->form, &r);
	if (r.v[PF_HANDLE].present && !valid_error_of(&r, PF_HANDLE) &&
	    routes_reserved(r.v[PF_HANDLE].s))
		valid_add(&r, PF_HANDLE, "setup.profile.handle_reserved");
	/* A public page needs its address. */
	if (published && !r.v[PF_HANDLE].present)
		valid_add(&r, PF_HANDLE, "setup.profile.handle_published");
	if (r.v[PF_CATEGORY].present && !valid_error_of(&r, PF_CATEGORY) &&
	    !profile_cat_known(&cats, r.v[PF_CATEGORY].s))
		valid_add(&r, PF_CATEGORY, "valid.choice");
	if (r.nerr > 0)
		return profile_render(c, 422, &r, &cats);

	p[0] = c->user->org_id;
	p[1] = c->user->workos_user_id;
	for (i = 0; i < PF__N; i++)
		p[i + 2] = r.v[i].s;
	res = db_run_guarded(c->app->db, c->arena, sql_profile_save, PF__N + 2,
	    p);
	if (res == NULL && strcmp(db_sqlstate(c->app->db), "23505") == 0) {
		/* The handle's unique index: someone has it. */
		valid_add(&r, PF_HANDLE, "setup.profile.handle_taken");
		return profile_render(c, 409, &r, &cats);
	}
	if (res == NULL || PQntuples(res) != 1)
		return 503;
	db_audit_change(c->app->db, c->arena, exists ? AUDIT_PROFILE_UPDATED :
	    AUDIT_PROFILE_CREATED, "profile", c->user->workos_user_id,
	    exists ? profile_json(c, &old) : NULL, profile_json(c, &r), NULL);
	/* Done while first name, last name and short bio are set. */
	if (setup_set(c, SETUP_PROFILE, PQgetvalue(res, 0, 0)[0] == 't') == -1)
		return 503;
	return page_redirect(c, "/setup?saved=profile");
}
