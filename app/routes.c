/* routes: the route table — every URL the application answers, in one place. */
#include <stddef.h>

#include "pages.h"
#include "route.h"

const struct route routes[] = {
	{ HTTP_GET,	"/",		page_home_get,		ROUTE_PUBLIC },
	{ HTTP_GET,	"/healthz",	page_health_get,	ROUTE_PUBLIC },
	{ HTTP_GET,	"/ping",	page_ping_get,		ROUTE_PUBLIC },
};

const size_t routes_n = sizeof(routes) / sizeof(routes[0]);
