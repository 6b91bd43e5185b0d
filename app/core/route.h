/* route: the route table type, path matching and the central dispatcher. */
#ifndef ELEVA_ROUTE_H
#define ELEVA_ROUTE_H

#include <stddef.h>

#include "core/req.h"

struct arena;
struct ctx;

/*
 * A handler gathers what it needs, then renders into ctx->resp and
 * returns the HTTP status.  For a status >= 400 without a page of its
 * own (resp->rendered unset) the dispatcher renders the error page.
 */
typedef int (*route_handler)(struct ctx *);

/*
 * Who may use a route; the dispatcher enforces these before the handler
 * runs.  Every POST also needs the CSRF token and a same-origin Origin
 * unless ROUTE_NO_CSRF says it proves itself otherwise.
 */
enum route_flag {
	ROUTE_PUBLIC	= 0,		/* no session needed */
	ROUTE_AUTH	= 1 << 0,	/* signed in, else redirect to /sign-in;
					   runs in the user's transaction */
	ROUTE_EXPERT	= 1 << 1,	/* an expert role, else 403 (implies AUTH) */
	ROUTE_ADMIN	= 1 << 2,	/* admin or superadmin, else 403 (ditto) */
	ROUTE_NO_CSRF	= 1 << 3,	/* a POST signed some other way (webhooks) */
	ROUTE_TX	= 1 << 4,	/* no session needed, but the handler runs in
					   the request's transaction (no user;
					   read only for GET) */
};

struct route {
	enum http_method	 method;	/* GET routes answer HEAD too */
	const char		*pattern;	/* "/a/:name/b" */
	route_handler		 handler;
	unsigned		 flags;		/* enum route_flag */
};

/* The application's table (routes.c). */
extern const struct route	routes[];
extern const size_t		routes_n;

/*
 * Non-zero when word may not be an expert's public handle (/<handle>):
 * the first segment of any route of the table, nginx's "static", and a
 * few words kept for the platform (routes.c).
 */
int	routes_reserved(const char *word);

/*
 * Match path against pattern segment by segment; ":name" captures one
 * non-empty segment into params (arena-owned).  Returns 1 on a match.
 */
int	route_match(struct arena *, const char *pattern, const char *path,
	    struct kvlist *params);

/*
 * Find the route for method and path.  On a miss returns NULL and sets
 * *allow to the bit mask (1 << method) of methods that would match the
 * path (0: no such path).
 */
const struct route *route_find(const struct route *, size_t,
	    enum http_method, const char *path, struct arena *,
	    struct kvlist *params, unsigned *allow);

/*
 * Answer the request in ctx through the table: 404 for an unknown path,
 * 405 with Allow for a known path and another method; the route's flags
 * (sign-in redirect, 403 for roles and CSRF, 503 when WorkOS or the
 * database cannot tell who is asking); else the handler, whose
 * transaction is committed when it answers below 400 and rolled back
 * otherwise; the error page for any status >= 400 the handler did not
 * render; session cookies last.
 */
void	route_dispatch(struct ctx *, const struct route *, size_t);

#endif
