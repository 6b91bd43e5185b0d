/* routes: the route table — every URL the application answers, its name, who may use it and its handlers. */
#ifndef ELEVA_ROUTES_H
#define ELEVA_ROUTES_H

#include <stddef.h>

#include "core/route.h"

struct arena;
struct ctx;
struct db;

/* The table's rows: a page links to another by its row (routes_link). */
enum link {
	LINK_HOME,
	LINK_HEALTHZ,
	LINK_PING,
	LINK_SIGN_IN,
	LINK_SIGN_IN_CODE,
	LINK_AUTH_CALLBACK,
	LINK_AUTH_SIGN_OUT,
	LINK_DASHBOARD,
	LINK_MEETING,
	LINK_BOOKING_ICS,
	LINK_BOOKING_MANAGE,
	LINK_BOOKING_RESCHEDULE,
	LINK_SETUP,
	LINK_SETUP_PUBLISH,
	LINK_SETUP_UNPUBLISH,
	LINK_SETUP_PROFILE,
	LINK_SETUP_AVAILABILITY,
	LINK_SETUP_EVENTS,
	LINK_SETUP_RULES,
	LINK_WEBHOOKS_SETUP,
	LINK_WEBHOOKS_WORKOS,
	LINK_SETTINGS_SECURITY,
	LINK_SETTINGS_SECURITY_RESET,
	LINK_SETTINGS_SECURITY_SIGN_OUT_EVERYWHERE,
	LINK_SETTINGS_PRIVACY,
	LINK_SETTINGS_PRIVACY_EXPORT,
	LINK_SETTINGS_PRIVACY_DELETE,
	LINK_ADMIN_SETUP_STATS,
	LINK_ADMIN_SETUP_STATS_CSV,
	LINK_ADMIN_EXPERTS_RESET_SETUP,
	LINK_ADMIN_AUDIT,
	LINK_ADMIN_USERS,
	LINK_ADMIN_USER_ROLE,
	LINK_ADMIN_WEBHOOKS,
	LINK_AUDIT,
	LINK_AUDIT_EXPORT,
	LINK_HANDLE,
	LINK_HANDLE_EVENT,
	LINK__N
};

extern const struct route routes[LINK__N];

/*
 * The path of row id with its ":name" segments filled by a, then b
 * (NULL for a route of one parameter), percent-encoded (route_link):
 * no pattern has more than two.  Arena-owned.
 */
const char	*routes_link(struct ctx *, enum link id, const char *a,
		    const char *b);

/* The path of a row without parameters (static). */
const char	*routes_path(enum link id);

/*
 * Where a user lands once signed in: return_to when it is a local path,
 * else the setup wizard for an expert who has not finished it, else the
 * dashboard.
 */
const char	*routes_landing(const char *return_to, int to_setup);

/*
 * The guest's page of meeting id (a uuid), with the meeting's manage key
 * (db_mac "manage") when the connection can sign: a link that works
 * without signing in, for the confirmation and the e-mails; with
 * "done=<done>" unless done is NULL.  Arena-owned.
 */
const char	*routes_manage_link(struct arena *, struct db *, const char *id,
		    const char *done);

/*
 * The path of row id for meeting meeting, carrying the manage key the
 * request came with (key: "" for none, as domain/manage.h keeps it), so
 * a guest without an account stays on his way.  Arena-owned.
 */
const char	*routes_keyed(struct ctx *, enum link id, const char *meeting,
		    const char *key);

/* The sign-in page's path with return_to (when not NULL) to come back to. */
const char	*routes_sign_in(struct ctx *, const char *return_to);

/*
 * The path of the route called name when it has no parameter, else NULL:
 * the templates' {{%name}} (tmpl_link_fn).
 */
const char	*routes_template_link(const char *name);

/*
 * Words that may not be an expert's public handle (/<handle>): the first
 * segment of every route but the handle's own, nginx's "static", and a
 * few kept for the platform.  NULL-terminated; the profile form's handle
 * field refuses them (VALID_SLUG's choices).
 */
extern const char *const routes_reserved[];

/* The handlers, one file per page (pages/<name>.c), as the table names them. */
int	page_home_get(struct ctx *);
int	page_healthz_get(struct ctx *);
int	page_ping_get(struct ctx *);
int	page_sign_in_get(struct ctx *);
int	page_sign_in_code_get(struct ctx *);
int	page_sign_in_code_post(struct ctx *);
int	page_auth_callback_get(struct ctx *);
int	page_auth_sign_out_post(struct ctx *);
int	page_dashboard_get(struct ctx *);
size_t	page_dashboard_prefetch(struct ctx *, struct db_call *, size_t);
int	page_meeting_get(struct ctx *);
int	page_meeting_post(struct ctx *);
int	page_booking_manage_get(struct ctx *);
int	page_booking_manage_post(struct ctx *);
int	page_booking_reschedule_get(struct ctx *);
int	page_booking_reschedule_post(struct ctx *);
int	page_booking_ics_get(struct ctx *);
int	page_setup_get(struct ctx *);
int	page_setup_publish_post(struct ctx *);
int	page_setup_unpublish_post(struct ctx *);
int	page_setup_profile_get(struct ctx *);
int	page_setup_profile_post(struct ctx *);
int	page_setup_availability_get(struct ctx *);
int	page_setup_availability_post(struct ctx *);
int	page_setup_events_get(struct ctx *);
int	page_setup_events_post(struct ctx *);
int	page_setup_rules_get(struct ctx *);
int	page_setup_rules_post(struct ctx *);
int	page_webhooks_setup_post(struct ctx *);
int	page_webhooks_workos_post(struct ctx *);
int	page_admin_webhooks_get(struct ctx *);
int	page_admin_audit_get(struct ctx *);
int	page_admin_users_get(struct ctx *);
int	page_admin_user_role_post(struct ctx *);
int	page_audit_get(struct ctx *);
int	page_audit_export_get(struct ctx *);
int	page_settings_privacy_get(struct ctx *);
int	page_settings_privacy_export_get(struct ctx *);
int	page_settings_privacy_delete_post(struct ctx *);
int	page_settings_security_get(struct ctx *);
int	page_settings_security_post(struct ctx *);
int	page_settings_security_reset_post(struct ctx *);
int	page_settings_security_sign_out_everywhere_post(struct ctx *);
int	page_admin_setup_stats_get(struct ctx *);
int	page_admin_setup_stats_csv_get(struct ctx *);
int	page_admin_experts_reset_setup_get(struct ctx *);
int	page_admin_experts_reset_setup_post(struct ctx *);
int	page_handle_get(struct ctx *);
int	page_handle_event_get(struct ctx *);
int	page_handle_event_post(struct ctx *);

#endif
