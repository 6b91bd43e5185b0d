/* routes: the route table — every URL the application answers, in one place. */
#include <stddef.h>

#include "pages.h"
#include "route.h"

const struct route routes[] = {
	{ HTTP_GET,	"/",		page_home_get,		ROUTE_PUBLIC },
	{ HTTP_GET,	"/healthz",	page_health_get,	ROUTE_PUBLIC },
	{ HTTP_GET,	"/ping",	page_ping_get,		ROUTE_PUBLIC },
	{ HTTP_GET,	"/sign-in",	page_signin_get,	ROUTE_PUBLIC },
	{ HTTP_GET,	"/auth/callback", page_callback_get,	ROUTE_PUBLIC },
	{ HTTP_POST,	"/auth/sign-out", page_signout_post,	ROUTE_PUBLIC },
	{ HTTP_GET,	"/sign-in/code", page_signin_code_get,	ROUTE_PUBLIC },
	{ HTTP_POST,	"/sign-in/code", page_signin_code_post,	ROUTE_PUBLIC },
	{ HTTP_GET,	"/dashboard",	page_dashboard_get,	ROUTE_AUTH },
	{ HTTP_GET,	"/settings/security", page_security_get, ROUTE_AUTH },
	{ HTTP_POST,	"/settings/security", page_security_post, ROUTE_AUTH },
	{ HTTP_POST,	"/settings/security/reset", page_security_reset_post,
	    ROUTE_AUTH },
	{ HTTP_POST,	"/settings/security/sign-out-everywhere",
	    page_security_signout_all_post,			ROUTE_AUTH },
	{ HTTP_GET,	"/admin/setup-stats", page_admin_stats_get,	ROUTE_ADMIN },
	{ HTTP_GET,	"/admin/setup-stats.csv", page_admin_stats_csv_get,
	    ROUTE_ADMIN },
	{ HTTP_GET,	"/admin/experts/:id/reset-setup", page_admin_reset_get,
	    ROUTE_ADMIN },
	{ HTTP_POST,	"/admin/experts/:id/reset-setup", page_admin_reset_post,
	    ROUTE_ADMIN },
};

const size_t routes_n = sizeof(routes) / sizeof(routes[0]);
