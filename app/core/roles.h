/* roles: application roles (users.role) and organization roles (memberships), kept apart. */
#ifndef ELEVA_ROLES_H
#define ELEVA_ROLES_H

#include <stddef.h>

#define ROLES_MAX_ORG	4

/*
 * Who the signed-in user is, loaded inside the request's transaction.
 * Strings are arena-owned.  app_role is one of user, expert_community,
 * expert_lecturer, expert_top, admin, superadmin; org_roles are the
 * user's active membership roles in the session's organization (owner,
 * admin, member, billing_admin).  The two never mix: owning your own
 * organization grants no application role.
 */
struct roles {
	const char	*app_role;
	const char	*org_roles[ROLES_MAX_ORG];
	size_t		 n_org_roles;
};

/* The application roles, least to most privileged, NULL-terminated. */
extern const char *const roles_app_roles[];

/* Non-zero when the application role is exactly role. */
int	roles_has_role(const struct roles *, const char *role);
/* Non-zero when the application role is one of the NULL-terminated list. */
int	roles_has_any_role(const struct roles *, const char *const *list);
/* Non-zero when one of the organization roles is exactly role. */
int	roles_has_org_role(const struct roles *, const char *role);
/* expert_community, expert_lecturer or expert_top. */
int	roles_is_expert(const struct roles *);
/* admin or superadmin. */
int	roles_is_admin(const struct roles *);
/*
 * Organization permission check from the declared table (owner: all;
 * admin: org:read, org:update, members:*, bookings:*, profiles:*;
 * member: org:read, bookings:read, bookings:create, profiles:read;
 * billing_admin: org:read, billing:*, subscriptions:*).  perm is
 * "category:action"; a grant matches on "*", exactly, or "category:*".
 */
int	roles_can(const struct roles *, const char *perm);
/* Non-zero for a known application role name. */
int	roles_valid_app_role(const char *);

#endif
