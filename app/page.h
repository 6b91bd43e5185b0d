/* page: helpers every page handler uses: context, layout rendering, errors, JSON. */
#ifndef ELEVA_PAGE_H
#define ELEVA_PAGE_H

#include <stddef.h>

struct ctx;
struct json_object;

/*
 * A new template context holding what the layout needs (language, static
 * version).  Owned by the request (released at arena reset).
 */
struct json_object	*page_context(struct ctx *);

/* Catalog text for key in the request's language (English fallback). */
const char		*page_t(struct ctx *, const char *key);

/*
 * Render template name inside the layout with jctx as the HTML response
 * body and return status (500 and a plain page if rendering fails).
 * "title" in jctx, if set, names the page.
 */
int			 page_render(struct ctx *, int status, const char *name,
			    struct json_object *jctx);

/* Render the error page for status (and ctx->message if set). */
int			 page_error(struct ctx *, int status);

/*
 * Redirect to location (a local path or an absolute URL we built) with
 * 303 See Other: after a POST the browser GETs it; for a GET it is the
 * same as 302.  Returns 303.
 */
int			 page_redirect(struct ctx *, const char *location);

/* Answer jv as application/json with status. */
int			 page_json(struct ctx *, int status,
			    struct json_object *jv);

#endif
