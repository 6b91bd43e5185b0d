/* pages/admin_users: /admin/users — find users and give them an application role (platform admins; audited in the database). */
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/roles.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/valid.h"
#include "core/view.h"
#include "pages/routes.h"

/* Users per page: a search narrows it. */
#define USERS_LIMIT	50

static const struct valid_field users_search = { "q", VALID_TEXT, 0, 0, 100,
    NULL };
static const struct valid_field users_role = { "role", VALID_CHOICE,
    VALID_REQUIRED, 0, 0, roles_app_roles };

/* The role select's options, labelled in the user's language. */
static struct view *
users_role_options(struct ctx *c, const char *selected)
{
	struct view *list = view_list(c->arena), *o;
	size_t i;

	for (i = 0; roles_app_roles[i] != NULL; i++) {
		o = view_new(c->arena);
		view_str(o, "value", roles_app_roles[i]);
		view_str(o, "label", view_t(c, arena_printf(c->arena,
		    "users.role.%s", roles_app_roles[i])));
		if (strcmp(roles_app_roles[i], selected) == 0)
			view_bool(o, "selected", 1);
		view_add(list, o);
	}
	return list;
}

/* The page, with a notice or error (catalog keys, NULL: none). */
static int
users_render(struct ctx *c, int status, const char *notice, const char *error)
{
	struct view *v = layout_new(c), *list = view_list(c->arena), *o;
	const char *q = req_query(c->req, "q"), *p[2];
	const struct pg_result *r;
	struct valid_value qv;
	int i;

	if (valid_value(c->arena, &users_search, q, &qv) != NULL)
		qv.present = 0;
	p[0] = qv.present ? qv.s : NULL;
	p[1] = arena_printf(c->arena, "%d", USERS_LIMIT);
	if ((r = db_run(c->db, c->arena, SQL_ADMIN_USERS, p)) == NULL)
		return 503;
	for (i = 0; i < db_rows(r); i++) {
		const char *id = db_val(r, i, ADMIN_USER_ID);

		o = view_new(c->arena);
		view_str(o, "id", id);
		view_col(o, "email", r, i, ADMIN_USER_EMAIL);
		if (db_opt(r, i, ADMIN_USER_NAME) != NULL)
			view_col(o, "name", r, i, ADMIN_USER_NAME);
		view_col(o, "created", r, i, ADMIN_USER_CREATED);
		view_str(o, "role_label", view_t(c, arena_printf(c->arena,
		    "users.role.%s", db_val(r, i, ADMIN_USER_ROLE))));
		view_str(o, "action", routes_link(c, LINK_ADMIN_USER_ROLE, id,
		    NULL));
		view_bool(o, "self", strcmp(id, c->user->workos_user_id) == 0);
		view_set(o, "roles", users_role_options(c, db_val(r, i,
		    ADMIN_USER_ROLE)));
		view_add(list, o);
	}
	view_str(v, "title", view_t(c, "users.title"));
	view_str(v, "q", qv.present ? qv.s : "");
	if (db_rows(r) > 0) {
		view_set(v, "users", list);
		view_bool(v, "has_users", 1);
	}
	view_bool(v, "limited", db_rows(r) == USERS_LIMIT);
	if (notice != NULL)
		view_str(v, "notice", view_t(c, notice));
	if (error != NULL)
		view_str(v, "message", view_t(c, error));
	return layout_render(c, status, "admin_users", v);
}

int
page_admin_users_get(struct ctx *c)
{
	return users_render(c, 200, req_query(c->req, "changed") != NULL ?
	    "users.changed" : NULL, NULL);
}

int
page_admin_user_role_post(struct ctx *c)
{
	const char *p[2], *state;
	struct valid_value rv;

	p[0] = req_param(c->req, "id");
	if (valid_value(c->arena, &users_role, req_form(c->req, "role"),
	    &rv) != NULL)
		return users_render(c, 422, NULL, "users.error.role");
	p[1] = rv.s;
	if (db_run(c->db, c->arena, SQL_SET_USER_ROLE, p) == NULL) {
		/* Copied: the next transaction clears it. */
		state = arena_strdup(c->arena, db_sqlstate(c->db));
		if (strcmp(state, SQL_STATE_OWN_ROLE) == 0 ||
		    strcmp(state, SQL_STATE_SUPERADMIN) == 0 ||
		    strcmp(state, SQL_STATE_NO_USER) == 0) {
			/* The request's transaction failed: read in a new one. */
			tx_rollback(c);
			if (tx_begin(c, c->user->workos_user_id,
			    c->user->org_id, 1) == -1)
				return 503;
			return users_render(c, strcmp(state,
			    SQL_STATE_NO_USER) == 0 ? 404 : 403, NULL,
			    strcmp(state, SQL_STATE_OWN_ROLE) == 0 ?
			    "users.error.own" : strcmp(state,
			    SQL_STATE_SUPERADMIN) == 0 ? "users.error.superadmin" :
			    "users.error.no_user");
		}
		return 503;
	}
	log_info("admin: %s made %s %s", c->user->workos_user_id, p[0], p[1]);
	return layout_redirect(c, arena_printf(c->arena, "%s?changed=1",
	    routes_path(LINK_ADMIN_USERS)));
}
