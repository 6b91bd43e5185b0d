/* routes: the route table — every URL the application answers, in one place. */
#include <stddef.h>
#include <string.h>

#include "lib/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/ctx.h"
#include "core/form.h"
#include "core/route.h"
#include "pages/routes.h"

/*
 * Row order does not decide matching (route_find tries the literal
 * patterns first); the expert's public pages come last to read that way.
 */
const struct route routes[LINK__N] = {
	/*	pattern			name			flags
		GET				POST */
	/* Opens its own transaction: without the database the page still
	   answers, without its list of experts (pages/home.c). */
	[LINK_HOME] = { "/",		"home",			ROUTE_PUBLIC,
		page_home_get,			NULL },
	[LINK_HEALTHZ] = { "/healthz",	"healthz",		ROUTE_PUBLIC,
		page_healthz_get,		NULL },
	[LINK_PING] = { "/ping",	"ping",			ROUTE_PUBLIC,
		page_ping_get,			NULL },
	[LINK_SIGN_IN] = { "/sign-in",	"sign_in",		ROUTE_PUBLIC,
		page_sign_in_get,		NULL },
	[LINK_SIGN_IN_CODE] = { "/sign-in/code", "sign_in_code", ROUTE_PUBLIC,
		page_sign_in_code_get,		page_sign_in_code_post },
	[LINK_AUTH_CALLBACK] = { "/auth/callback", "auth_callback", ROUTE_PUBLIC,
		page_auth_callback_get,		NULL },
	[LINK_AUTH_SIGN_OUT] = { "/auth/sign-out", "auth_sign_out", ROUTE_PUBLIC,
		NULL,				page_auth_sign_out_post },
	/* Its statements go with the user's own, in one round trip. */
	[LINK_DASHBOARD] = { "/dashboard", "dashboard",		ROUTE_AUTH,
		page_dashboard_get,		NULL,
		page_dashboard_prefetch },
	[LINK_MEETING] = { "/meetings/:id", "meeting",		ROUTE_EXPERT,
		page_meeting_get,		page_meeting_post },
	/* <id>.ics: the expert's or the guest's (pages/booking_ics.c). */
	[LINK_BOOKING_ICS] = { "/bookings/:file", "booking_ics", ROUTE_AUTH,
		page_booking_ics_get,		NULL },
	/* The guest's, signed in or holding the meeting's manage key
	   (pages/booking_manage.c); the expert is sent to his page. */
	[LINK_BOOKING_MANAGE] = { "/bookings/:id/manage", "booking_manage",
		ROUTE_AUTH_MAYBE,
		page_booking_manage_get,	page_booking_manage_post },
	/* The guest moves it (pages/booking_reschedule.c). */
	[LINK_BOOKING_RESCHEDULE] = { "/bookings/:id/reschedule",
		"booking_reschedule", ROUTE_AUTH_MAYBE,
		page_booking_reschedule_get,	page_booking_reschedule_post },
	[LINK_SETUP] = { "/setup",	"setup",		ROUTE_EXPERT,
		page_setup_get,			NULL },
	[LINK_SETUP_PUBLISH] = { "/setup/publish", "setup_publish", ROUTE_EXPERT,
		NULL,				page_setup_publish_post },
	[LINK_SETUP_UNPUBLISH] = { "/setup/unpublish", "setup_unpublish",
		ROUTE_EXPERT,
		NULL,				page_setup_unpublish_post },
	[LINK_SETUP_PROFILE] = { "/setup/profile", "setup_profile", ROUTE_EXPERT,
		page_setup_profile_get,		page_setup_profile_post },
	[LINK_SETUP_AVAILABILITY] = { "/setup/availability",
		"setup_availability",	ROUTE_EXPERT,
		page_setup_availability_get,	page_setup_availability_post },
	[LINK_SETUP_EVENTS] = { "/setup/events", "setup_events", ROUTE_EXPERT,
		page_setup_events_get,		page_setup_events_post },
	[LINK_SETUP_RULES] = { "/setup/rules", "setup_rules", ROUTE_EXPERT,
		page_setup_rules_get,		page_setup_rules_post },
	[LINK_WEBHOOKS_SETUP] = { "/webhooks/setup", "webhooks_setup",
		ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_TX,
		NULL,				page_webhooks_setup_post },
	[LINK_WEBHOOKS_WORKOS] = { "/webhooks/workos", "webhooks_workos",
		ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_TX,
		NULL,				page_webhooks_workos_post },
	[LINK_SETTINGS_SECURITY] = { "/settings/security", "settings_security",
		ROUTE_AUTH,
		page_settings_security_get,	page_settings_security_post },
	[LINK_SETTINGS_SECURITY_RESET] = { "/settings/security/reset",
		"settings_security_reset", ROUTE_AUTH,
		NULL,				page_settings_security_reset_post },
	[LINK_SETTINGS_SECURITY_SIGN_OUT_EVERYWHERE] = {
		"/settings/security/sign-out-everywhere",
		"settings_security_sign_out_everywhere", ROUTE_AUTH,
		NULL,		page_settings_security_sign_out_everywhere_post },
	[LINK_SETTINGS_PRIVACY] = { "/settings/privacy", "settings_privacy",
		ROUTE_AUTH,
		page_settings_privacy_get,	NULL },
	/* The download is audited as it is made. */
	[LINK_SETTINGS_PRIVACY_EXPORT] = { "/settings/privacy/export",
		"settings_privacy_export", ROUTE_AUTH | ROUTE_GET_WRITES,
		page_settings_privacy_export_get, NULL },
	[LINK_SETTINGS_PRIVACY_DELETE] = { "/settings/privacy/delete",
		"settings_privacy_delete", ROUTE_AUTH,
		NULL,				page_settings_privacy_delete_post },
	[LINK_ADMIN_SETUP_STATS] = { "/admin/setup-stats", "admin_setup_stats",
		ROUTE_ADMIN,
		page_admin_setup_stats_get,	NULL },
	[LINK_ADMIN_SETUP_STATS_CSV] = { "/admin/setup-stats.csv",
		"admin_setup_stats_csv", ROUTE_ADMIN,
		page_admin_setup_stats_csv_get,	NULL },
	[LINK_ADMIN_EXPERTS_RESET_SETUP] = { "/admin/experts/:id/reset-setup",
		"admin_experts_reset_setup", ROUTE_ADMIN,
		page_admin_experts_reset_setup_get,
		page_admin_experts_reset_setup_post },
	[LINK_ADMIN_AUDIT] = { "/admin/audit", "admin_audit", ROUTE_ADMIN,
		page_admin_audit_get,		NULL },
	[LINK_ADMIN_USERS] = { "/admin/users", "admin_users", ROUTE_ADMIN,
		page_admin_users_get,		NULL },
	[LINK_ADMIN_USER_ROLE] = { "/admin/users/:id/role", "admin_user_role",
		ROUTE_ADMIN,
		NULL,				page_admin_user_role_post },
	[LINK_ADMIN_WEBHOOKS] = { "/admin/webhooks", "admin_webhooks", ROUTE_ADMIN,
		page_admin_webhooks_get,	NULL },
	[LINK_AUDIT] = { "/audit",	"audit",		ROUTE_AUTH,
		page_audit_get,			NULL },
	/* Records each download: commits before its last chunk (pages/audit_export.c). */
	[LINK_AUDIT_EXPORT] = { "/audit/export", "audit_export",
		ROUTE_AUTH | ROUTE_GET_WRITES,
		page_audit_export_get,		NULL },
	/* An expert's public pages take every other first segment (no
	   handle equals one of the above: routes_reserved); a GET reads
	   from the replica while it is fresh. */
	[LINK_HANDLE] = { "/:handle",	"handle",	ROUTE_TX | ROUTE_REPLICA,
		page_handle_get,		NULL },
	/* The booking POST checks the form in a read-only transaction, then
	   opens its own around WorkOS (pages/handle_event.c). */
	[LINK_HANDLE_EVENT] = { "/:handle/:event", "handle_event",
		ROUTE_TX_READ | ROUTE_REPLICA,
		page_handle_event_get,		page_handle_event_post },
};

const char *const routes_reserved[] = {
	/* The routes' first segments (t/unit/route_test checks). */
	"admin", "audit", "auth", "bookings", "dashboard", "healthz", "meetings",
	"ping",
	"settings", "setup",
	"sign-in", "webhooks",
	/* nginx's, and kept for the platform. */
	"static", "eleva-maintenance", "api", "app", "about", "help", "support",
	"www", "eleva",
	"book", "booking", "bookings", "experts", "login", "logout", "signin",
	"signup", "sign-up", "register", "account", "sign-out", "privacy",
	"terms", "legal", "contact", "pricing", "blog", "null",
	NULL
};

const char *
routes_link(struct ctx *c, enum link id, const char *a, const char *b)
{
	const char *v[2] = { a, b };

	return route_link(c->arena, &routes[id], v, b != NULL ? 2 : 1);
}

const char *
routes_path(enum link id)
{
	return routes[id].pattern;
}

const char *
routes_template_link(const char *name)
{
	const struct route *r = route_named(routes, LINK__N, name);

	return r != NULL && strchr(r->pattern, ':') == NULL ? r->pattern :
	    NULL;
}

const char *
routes_landing(const char *return_to, int to_setup)
{
	const char *back = auth_local_path(return_to);

	if (back != NULL)
		return back;
	return routes_path(to_setup ? LINK_SETUP : LINK_DASHBOARD);
}

const char *
routes_manage_link(struct arena *a, struct db *db, const char *id,
    const char *done)
{
	const char *v[1] = { id };
	const char *path = route_link(a, &routes[LINK_BOOKING_MANAGE], v, 1);
	char mac[65];

	if (db_mac(db, "manage", v, 1, mac) == -1)
		return done == NULL ? path : arena_printf(a, "%s?done=%s",
		    path, done);
	return arena_printf(a, "%s?k=%s%s%s", path, mac,
	    done == NULL ? "" : "&done=", done == NULL ? "" : done);
}

const char *
routes_keyed(struct ctx *c, enum link id, const char *meeting,
    const char *key)
{
	const char *path = routes_link(c, id, meeting, NULL);

	return key == NULL || *key == '\0' ? path : arena_printf(c->arena,
	    "%s?k=%s", path, key);
}

const char *
routes_sign_in(struct ctx *c, const char *return_to)
{
	if (return_to == NULL)
		return routes_path(LINK_SIGN_IN);
	return arena_printf(c->arena, "%s?return_to=%s",
	    routes_path(LINK_SIGN_IN), form_urlencode(c->arena, return_to));
}
