/* route: the route table type, path matching, links and the central dispatcher. */
#ifndef ELEVA_ROUTE_H
#define ELEVA_ROUTE_H

#include <stddef.h>

#include "core/req.h"
#include "core/tx.h"

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
	ROUTE_TX_READ	= 1 << 5,	/* ROUTE_TX, read only for POST too: the
					   handler ends it to write (tx.h) */
	ROUTE_GET_WRITES = 1 << 6,	/* AUTH: GET's transaction may write too
					   (a download recorded as it is made) */
	ROUTE_AUTH_MAYBE = 1 << 7,	/* signed in or not: the signed-in user's
					   transaction when the session holds
					   (c->user set), else ROUTE_TX's
					   (c->user NULL) */
	ROUTE_REPLICA	= 1 << 8,	/* a GET's read-only transaction may run
					   on the read replica while it is
					   fresh (core/replica.h) */
};

/*
 * One URL: its pattern, its name (links: route_link in C, {{%name}} in
 * templates), who may use it and its handler per method (NULL: 405).
 */
struct route {
	const char	*pattern;	/* "/a/:name/b" */
	const char	*name;		/* "setup_profile" */
	unsigned	 flags;		/* enum route_flag */
	route_handler	 get;		/* GET, and HEAD */
	route_handler	 post;
	/*
	 * AUTH GETs: what the page will read, run in the round trip that
	 * loads the user, then committed (tx.h), or NULL.
	 */
	tx_prefetch_fn	 prefetch;
};

/*
 * The path of route r with its ":name" segments filled, in order, with
 * the n values (percent-encoded); arena-owned.  NULL (logged) when there
 * are more or fewer values than segments, or an empty one.
 */
const char	*route_link(struct arena *, const struct route *r,
		    const char *const *values, size_t n);

/* The route called name in the table, or NULL. */
const struct route *route_named(const struct route *, size_t,
		    const char *name);

/*
 * Match path against pattern segment by segment; ":name" captures one
 * non-empty segment into params (arena-owned).  Returns 1 on a match.
 */
int	route_match(struct arena *, const char *pattern, const char *path,
	    struct kvlist *params);

/*
 * Find the route for path that answers method (patterns without a
 * parameter first: a path one of them names is theirs alone).  On a miss
 * returns NULL and sets *allow to the bit mask (1 << method) of the
 * methods the path's route answers (0: no such path).
 */
const struct route *route_find(const struct route *, size_t,
	    enum http_method, const char *path, struct arena *,
	    struct kvlist *params, unsigned *allow);

/* The name of the route a signed-out visitor is sent to. */
#define ROUTE_SIGN_IN	"sign_in"

/*
 * Answer the request in ctx through the table: 404 for an unknown path,
 * 405 with Allow for a known path and another method; the route's flags
 * (a redirect to the route called ROUTE_SIGN_IN, 403 for roles and CSRF,
 * 503 when WorkOS or the database cannot tell who is asking); else the
 * handler, whose
 * transaction is committed when it answers below 400 and rolled back
 * otherwise; the error page for any status >= 400 the handler did not
 * render; session cookies last.
 */
void	route_dispatch(struct ctx *, const struct route *, size_t);
/*
 * For a handler whose body is too large to hold (out.h): send the head
 * now, with the session's cookies.  The handler then ends its transaction
 * itself (tx_commit) before the last of the body; if the dispatcher finds
 * the transaction failed, the response is cut short, never completed.
 * Returns 0, or -1 when the client went away.
 */
int	route_stream_begin(struct ctx *);

#endif
