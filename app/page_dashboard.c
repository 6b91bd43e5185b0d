/* page_dashboard: GET /dashboard — for now, who you are: name, organization, roles. */
#include <json-c/json.h>

#include "arena.h"
#include "ctx.h"
#include "page.h"
#include "pages.h"

/* "role.app.expert_top" ...: every role has a label in each catalog. */
static const char *
dashboard_role(struct ctx *c, const char *scale, const char *role)
{
	return page_t(c, arena_printf(c->arena, "role.%s.%s", scale,
	    role != NULL ? role : "user"));
}

int
page_dashboard_get(struct ctx *c)
{
	const struct auth_user *u = c->user;
	struct json_object *j = page_context(c), *roles;
	size_t i;

	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "dashboard.title")));
	json_object_object_add(j, "first_name", u->first_name ?
	    json_object_new_string(u->first_name) : NULL);
	json_object_object_add(j, "last_name", u->last_name ?
	    json_object_new_string(u->last_name) : NULL);
	json_object_object_add(j, "email", json_object_new_string(u->email));
	json_object_object_add(j, "org_name",
	    json_object_new_string(u->org_name ? u->org_name : ""));
	json_object_object_add(j, "app_role", json_object_new_string(
	    dashboard_role(c, "app", u->roles.app_role)));
	roles = json_object_new_array();
	for (i = 0; i < u->roles.n_org_roles; i++)
		json_object_array_add(roles, json_object_new_string(
		    dashboard_role(c, "org", u->roles.org_roles[i])));
	json_object_object_add(j, "org_roles", roles);
	return page_render(c, 200, "dashboard", j);
}
