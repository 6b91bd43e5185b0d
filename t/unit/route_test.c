/* route_test: pattern matching, 404 and 405 decisions of the route table. */
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"
#include "core/req.h"
#include "core/route.h"
#include "tap.h"

static int
h_dummy(struct ctx *c)
{
	(void)c;
	return 200;
}

static const struct route table[] = {
	{ HTTP_GET,	"/",			h_dummy, ROUTE_PUBLIC },
	{ HTTP_GET,	"/healthz",		h_dummy, ROUTE_PUBLIC },
	{ HTTP_GET,	"/setup/profile",	h_dummy, ROUTE_PUBLIC },
	{ HTTP_POST,	"/setup/profile",	h_dummy, ROUTE_PUBLIC },
	{ HTTP_POST,	"/x/y/only-post",		h_dummy, ROUTE_PUBLIC },
	{ HTTP_POST,	"/auth/sign-out",	h_dummy, ROUTE_PUBLIC },
	{ HTTP_GET,	"/:handle",		h_dummy, ROUTE_PUBLIC },
	{ HTTP_GET,	"/:handle/:event",	h_dummy, ROUTE_PUBLIC },
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
	ok(r == &table[3], "POST finds the POST route of a shared path");
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
	ok(r == &table[6] && strcmp(kv_get(&p, "handle"), "dr-ana") == 0,
	    "a parameter route after the literal ones");
	r = route_find(table, NTABLE, HTTP_DELETE, "/dr-ana/x", &a, &p, &allow);
	ok(r == NULL && (allow & (1u << HTTP_GET)),
	    "DELETE on a parameter path: 405 material");
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
		r = route_find(routes, routes_n, cases[i].m, cases[i].path, &a,
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

int
main(void)
{
	test_match();
	test_find();
	test_app_routes();
	return tap_done();
}
