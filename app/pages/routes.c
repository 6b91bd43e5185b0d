/* routes: the route table — every URL the application answers, in one place. */
#include <stddef.h>
#include <string.h>

#include "pages/pages.h"
#include "core/route.h"

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
	{ HTTP_GET,	"/setup",	page_setup_get,		ROUTE_EXPERT },
	{ HTTP_GET,	"/setup/profile", page_setup_profile_get, ROUTE_EXPERT },
	{ HTTP_POST,	"/setup/profile", page_setup_profile_post, ROUTE_EXPERT },
	{ HTTP_GET,	"/setup/availability", page_setup_availability_get,
	    ROUTE_EXPERT },
	{ HTTP_POST,	"/setup/availability", page_setup_availability_post,
	    ROUTE_EXPERT },
	{ HTTP_GET,	"/setup/events", page_setup_events_get,	ROUTE_EXPERT },
	{ HTTP_POST,	"/setup/events", page_setup_events_post, ROUTE_EXPERT },
	{ HTTP_POST,	"/setup/publish", page_setup_publish_post, ROUTE_EXPERT },
	{ HTTP_POST,	"/setup/unpublish", page_setup_unpublish_post,
	    ROUTE_EXPERT },
	{ HTTP_POST,	"/webhooks/setup", page_webhook_setup_post,
	    ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_TX },
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
	/* Last: an expert's public pages take every other first segment
	   (handles never equal one of the routes' above: routes_reserved). */
	{ HTTP_GET,	"/:handle",	page_expert_get,	ROUTE_TX },
	{ HTTP_GET,	"/:handle/:event", page_booking_get,	ROUTE_TX },
	{ HTTP_POST,	"/:handle/:event", page_booking_post,	ROUTE_PUBLIC },
};

const size_t routes_n = sizeof(routes) / sizeof(routes[0]);

/* Handles kept for the platform besides the routes' own first segments. */
static const char *const routes_reserved_words[] = {
	"static", "admin", "api", "app", "about", "help", "support", "www",
	"eleva", "book", "booking", "bookings", "experts", "login", "logout",
	"signin", "signup", "sign-up", "register", "account", "settings",
	"setup", "dashboard", "webhooks", "auth", "sign-in", "sign-out",
	"privacy", "terms", "legal", "contact", "pricing", "blog", "null",
	NULL
};

int
routes_reserved(const char *word)
{
	size_t i, n = strlen(word);

	for (i = 0; routes_reserved_words[i] != NULL; i++)
		if (strcmp(routes_reserved_words[i], word) == 0)
			return 1;
	for (i = 0; i < routes_n; i++) {
		const char *seg = routes[i].pattern + 1;
		size_t sl = strcspn(seg, "/");

		if (seg[0] != ':' && sl == n && strncmp(seg, word, n) == 0)
			return 1;
	}
	return 0;
}
