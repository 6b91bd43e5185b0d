/* roles: role predicates and the organization permission table. */
#include <string.h>

#include "core/roles.h"

const char *const roles_app_roles[] = {
	"user", "expert_community", "expert_lecturer", "expert_top", "admin",
	"superadmin", NULL
};
static const char *const roles_experts[] = {
	"expert_community", "expert_lecturer", "expert_top", NULL
};
static const char *const roles_admins[] = { "admin", "superadmin", NULL };

/* Organization role -> permissions granted (eleva-spec.md section 6.3). */
static const struct {
	const char		*role;
	const char *const	 grants[8];
} roles_perms[] = {
	{ "owner",		{ "*", NULL } },
	{ "admin",		{ "org:read", "org:update", "members:*",
				  "bookings:*", "profiles:*", NULL } },
	{ "member",		{ "org:read", "bookings:read", "bookings:create",
				  "profiles:read", NULL } },
	{ "billing_admin",	{ "org:read", "billing:*", "subscriptions:*",
				  NULL } },
};

static int
roles_in(const char *s, const char *const *list)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

int
roles_has_role(const struct roles *r, const char *role)
{
	return r != NULL && r->app_role != NULL && role != NULL &&
	    strcmp(r->app_role, role) == 0;
}

int
roles_has_any_role(const struct roles *r, const char *const *list)
{
	return r != NULL && roles_in(r->app_role, list);
}

int
roles_has_org_role(const struct roles *r, const char *role)
{
	size_t i;

	if (r == NULL || role == NULL)
		return 0;
	for (i = 0; i < r->n_org_roles; i++)
		if (strcmp(r->org_roles[i], role) == 0)
			return 1;
	return 0;
}

int
roles_is_expert(const struct roles *r)
{
	return roles_has_any_role(r, roles_experts);
}

int
roles_is_admin(const struct roles *r)
{
	return roles_has_any_role(r, roles_admins);
}

int
roles_valid_app_role(const char *s)
{
	return roles_in(s, roles_app_roles);
}

/* Does grant ("*", "a:b" or "a:*") cover perm ("a:b")? */
static int
roles_grant_covers(const char *grant, const char *perm)
{
	size_t n = strlen(grant);
	const char *colon = strchr(perm, ':');

	if (strcmp(grant, "*") == 0 || strcmp(grant, perm) == 0)
		return 1;
	return colon != NULL && n >= 2 && grant[n - 1] == '*' &&
	    grant[n - 2] == ':' && (size_t)(colon - perm) == n - 2 &&
	    strncmp(grant, perm, n - 2) == 0;
}

int
roles_can(const struct roles *r, const char *perm)
{
	size_t i, j, k;

	if (r == NULL || perm == NULL || strchr(perm, ':') == NULL)
		return 0;
	for (i = 0; i < r->n_org_roles; i++)
		for (j = 0; j < sizeof(roles_perms) / sizeof(roles_perms[0]);
		    j++) {
			if (strcmp(roles_perms[j].role, r->org_roles[i]) != 0)
				continue;
			for (k = 0; roles_perms[j].grants[k] != NULL; k++)
				if (roles_grant_covers(roles_perms[j].grants[k],
				    perm))
					return 1;
		}
	return 0;
}
