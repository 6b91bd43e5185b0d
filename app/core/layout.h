/* layout: every HTML page's frame (language, theme, navigation), the error page, redirects and JSON answers. */
#ifndef ELEVA_LAYOUT_H
#define ELEVA_LAYOUT_H

struct ctx;
struct view;

/*
 * A new page view holding what the layout needs: the language, the
 * static files' versions ("static_version" of the CSS, "tz_js_version" of
 * static/js/tz.js), the theme and, for a signed-in visitor, the
 * navigation's user menu and "csrf", the token every form of the page
 * sends.  The request's arena owns it.
 */
struct view	*layout_new(struct ctx *);

/*
 * Render template name with v inside the layout as the HTML response and
 * return status (500 with a plain page if rendering fails).  "title" in
 * v, if set, names the page.
 */
int		 layout_render(struct ctx *, int status, const char *name,
		    struct view *v);

/* Render the error page for status (with ctx->message and retry_url if set). */
int		 layout_error(struct ctx *, int status);

/*
 * Redirect to location (a local path or an absolute URL we built) with
 * 303 See Other: after a POST the browser GETs it; for a GET it is the
 * same as 302.  Returns 303.
 */
int		 layout_redirect(struct ctx *, const char *location);

/* Answer v as application/json (not cached) with status; returns status. */
int		 layout_json(struct ctx *, int status, const struct view *v);

/*
 * layout_json of the object {key: value}: a machine's short answer
 * ({"result": "ok"}, {"error": "invalid signature"}).
 */
int		 layout_json_pair(struct ctx *, int status, const char *key,
		    const char *value);

#endif
