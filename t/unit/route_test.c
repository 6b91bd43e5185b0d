/* route_test: pattern matching, 404 and 405 decisions, links, and the application's route table. */
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"
#include "core/req.h"
#include "core/route.h"
#include "core/valid.h"
#include "pages/routes.h"
#include "tap.h"

static int
h_dummy(struct ctx *c)
{
	(void)c;
	return 200;
}

static const struct route table[] = {
	{ "/",			"home",		ROUTE_PUBLIC, h_dummy, NULL, NULL },
	{ "/healthz",		"healthz",	ROUTE_PUBLIC, h_dummy, NULL, NULL },
	{ "/setup/profile",	"profile",	ROUTE_PUBLIC, h_dummy, h_dummy, NULL },
	{ "/x/y/only-post",	"only_post",	ROUTE_PUBLIC, NULL, h_dummy, NULL },
	{ "/auth/sign-out",	"sign_out",	ROUTE_PUBLIC, NULL, h_dummy, NULL },
	{ "/:handle",		"handle",	ROUTE_PUBLIC, h_dummy, NULL, NULL },
	{ "/:handle/:event",	"event",	ROUTE_PUBLIC, h_dummy, h_dummy, NULL },
	{ "/admin/:id/reset",	"reset",	ROUTE_PUBLIC, h_dummy, NULL, NULL },
};
#define NTABLE	(sizeof(table) / sizeof(table[0]))

static void
test_match(void)
{
	struct arena a;
	struct kvlist p;

	arena_init(&a);
	ok(route_match(&a, "/", "/", &p) && p.n == 0, "/ matches /");
	ok(!route_match(&a, "/", "/x", &p), "/ does not match /x");
	ok(route_match(&a, "/healthz", "/healthz", &p), "literal match");
	ok(!route_match(&a, "/healthz", "/healthz/", &p),
	    "a trailing slash is another path");
	ok(!route_match(&a, "/healthz", "/health", &p), "prefix is no match");
	ok(!route_match(&a, "/health", "/healthz", &p), "longer is no match");
	ok(route_match(&a, "/:handle/:event", "/dr-ana/first-visit", &p) &&
	    p.n == 2, "two parameters captured");
	is_str(kv_get(&p, "handle"), "dr-ana", "first parameter value");
	is_str(kv_get(&p, "event"), "first-visit", "second parameter value");
	ok(!route_match(&a, "/:handle", "/", &p), "a parameter is never empty");
	ok(!route_match(&a, "/:handle/:event", "/a//", &p),
	    "an empty segment does not match a parameter");
	ok(!route_match(&a, "/:handle", "/a/b", &p),
	    "a parameter is one segment");
	arena_free(&a);
}

static void
test_find(void)
{
	const struct route *r;
	struct arena a;
	struct kvlist p;
	unsigned allow;

	arena_init(&a);
	r = route_find(table, NTABLE, HTTP_GET, "/healthz", &a, &p, &allow);
	ok(r == &table[1], "GET /healthz finds its route");
	r = route_find(table, NTABLE, HTTP_HEAD, "/healthz", &a, &p, &allow);
	ok(r == &table[1], "HEAD is answered by the GET route");
	r = route_find(table, NTABLE, HTTP_POST, "/setup/profile", &a, &p,
	    &allow);
	ok(r == &table[2] && r->post != NULL,
	    "POST finds the route of a path with GET and POST");
	r = route_find(table, NTABLE, HTTP_POST, "/healthz", &a, &p, &allow);
	ok(r == NULL, "POST on a GET-only path has no route");
	is_int((long)allow, (long)((1u << HTTP_GET) | (1u << HTTP_HEAD)),
	    "... and Allow is GET, HEAD");
	r = route_find(table, NTABLE, HTTP_GET, "/x/y/only-post", &a, &p, &allow);
	ok(r == NULL && allow == (1u << HTTP_POST),
	    "GET on a POST-only path: Allow is POST");
	r = route_find(table, NTABLE, HTTP_GET, "/a/b/c/d", &a, &p, &allow);
	ok(r == NULL && allow == 0, "an unknown path: no route, nothing allowed");
	r = route_find(table, NTABLE, HTTP_GET, "/dr-ana", &a, &p, &allow);
	ok(r == &table[5] && strcmp(kv_get(&p, "handle"), "dr-ana") == 0,
	    "a parameter route after the literal ones");
	r = route_find(table, NTABLE, HTTP_DELETE, "/dr-ana/x", &a, &p, &allow);
	ok(r == NULL && allow == ((1u << HTTP_GET) | (1u << HTTP_HEAD) |
	    (1u << HTTP_POST)), "DELETE on a parameter path: 405, Allow GET, "
	    "HEAD, POST");
	r = route_find(table, NTABLE, HTTP_GET, "/auth/sign-out", &a, &p, &allow);
	ok(r == NULL && allow == (1u << HTTP_POST),
	    "GET on a two-segment POST-only path: 405 with Allow POST, not the parameter route");
	arena_free(&a);
}

/* The application's own table: its literal paths keep their 405s. */
static void
test_app_routes(void)
{
	static const struct {
		enum http_method	 m;
		const char		*path;
		unsigned		 allow;	/* 0: a route is found */
	} cases[] = {
		{ HTTP_GET, "/auth/sign-out", 1u << HTTP_POST },
		{ HTTP_GET, "/setup/publish", 1u << HTTP_POST },
		{ HTTP_GET, "/setup/unpublish", 1u << HTTP_POST },
		{ HTTP_GET, "/webhooks/setup", 1u << HTTP_POST },
		{ HTTP_POST, "/auth/callback", (1u << HTTP_GET) | (1u << HTTP_HEAD) },
		{ HTTP_POST, "/dashboard", (1u << HTTP_GET) | (1u << HTTP_HEAD) },
		{ HTTP_POST, "/admin/setup-stats", (1u << HTTP_GET) | (1u << HTTP_HEAD) },
		{ HTTP_GET, "/ana-ferreira", 0 },
		{ HTTP_GET, "/ana-ferreira/first-consultation", 0 },
		{ HTTP_POST, "/ana-ferreira/first-consultation", 0 },
	};
	const struct route *r;
	struct arena a;
	struct kvlist p;
	unsigned allow;
	size_t i;

	arena_init(&a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = route_find(routes, LINK__N, cases[i].m, cases[i].path, &a,
		    &p, &allow);
		if (cases[i].allow == 0)
			ok(r != NULL && strchr(r->pattern, ':') != NULL,
			    "app: %s %s is an expert's public page",
			    req_method_name(cases[i].m), cases[i].path);
		else
			ok(r == NULL && allow == cases[i].allow,
			    "app: %s %s: 405 with the literal route's methods",
			    req_method_name(cases[i].m), cases[i].path);
	}
	arena_free(&a);
}

static void
test_links(void)
{
	const char *v[3] = { "dr-ana", "first visit", "x" };
	struct arena a;

	arena_init(&a);
	is_str(route_link(&a, &table[1], NULL, 0), "/healthz",
	    "link: a path without parameters");
	is_str(route_link(&a, &table[6], v, 2), "/dr-ana/first%20visit",
	    "link: parameters filled in order, percent-encoded");
	is_str(route_link(&a, &table[7], v, 1), "/admin/dr-ana/reset",
	    "link: a parameter inside the path");
	ok(route_link(&a, &table[6], v, 1) == NULL,
	    "link: too few values is refused");
	ok(route_link(&a, &table[5], v, 2) == NULL,
	    "link: too many values is refused");
	v[0] = "";
	ok(route_link(&a, &table[5], v, 1) == NULL,
	    "link: an empty value is refused");
	ok(route_named(table, NTABLE, "event") == &table[6] &&
	    route_named(table, NTABLE, "nope") == NULL, "routes by name");
	arena_free(&a);
}

/* The application's table: names, links, reserved words. */
static void
test_app_table(void)
{
	size_t i, j, seg;
	int dup = 0, missing = 0, two = 1;
	char first[64];

	for (i = 0; i < LINK__N; i++) {
		ok(routes[i].pattern != NULL && routes[i].name != NULL &&
		    (routes[i].get != NULL || routes[i].post != NULL),
		    "app: row %zu (%s) has a pattern, a name and a handler", i,
		    routes[i].name ? routes[i].name : "?");
		for (j = i + 1; j < LINK__N; j++)
			if (strcmp(routes[i].name, routes[j].name) == 0 ||
			    strcmp(routes[i].pattern, routes[j].pattern) == 0)
				dup = 1;
		for (seg = 0, j = 0; routes[i].pattern[j] != '\0'; j++)
			seg += routes[i].pattern[j] == ':';
		if (seg > 2)
			two = 0;
		/* Every first literal segment is kept from the handles. */
		j = strcspn(routes[i].pattern + 1, "/");
		if (routes[i].pattern[1] != ':' && j > 0 && j < sizeof(first)) {
			memcpy(first, routes[i].pattern + 1, j);
			first[j] = '\0';
			if (!valid_in(routes_reserved, first)) {
				tap_diag("  %s is not reserved", first);
				missing = 1;
			}
		}
	}
	ok(!dup, "app: no two rows share a name or a pattern");
	ok(two, "app: no pattern has more than two parameters (routes_link)");
	ok(!missing, "app: every route's first segment is a reserved handle");
	is_str(routes_template_link("setup_profile"), "/setup/profile",
	    "app: templates link by name");
	ok(routes_template_link("handle") == NULL &&
	    routes_template_link("nope") == NULL,
	    "app: ... but not to a route with parameters, nor an unknown one");
	ok(route_named(routes, LINK__N, ROUTE_SIGN_IN) == &routes[LINK_SIGN_IN],
	    "app: the dispatcher finds the sign-in route by its name");
	is_str(routes_landing("/x?y=1", 1), "/x?y=1",
	    "app: a user lands on return_to when local");
	is_str(routes_landing("//evil.example", 1), "/setup",
	    "app: ... else an expert with setup to do in the wizard");
	is_str(routes_landing(NULL, 0), "/dashboard", "app: ... else the dashboard");
}

int
main(void)
{
	test_match();
	test_find();
	test_app_routes();
	test_links();
	test_app_table();
	return tap_done();
}
