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

/*
 * Catalog text for key with "{name}" replaced by value (one
 * placeholder, every occurrence).  Arena-owned.
 */
const char		*page_tf(struct ctx *, const char *key,
			    const char *name, const char *value);

struct valid_field;
struct valid_result;

/*
 * Put a validated form into jctx for re-rendering: "v" maps each field
 * name to its submitted text (BOOL fields: true when checked), "err" maps
 * each refused field to its message in the request's language (with the
 * field's {min} and {max}), "errors" is the list of messages and
 * "has_errors" true (for the summary at the top of the form, the partial
 * form_errors), both absent when there are none.
 */
void			 page_form(struct ctx *, struct json_object *jctx,
			    const struct valid_field *, size_t n,
			    const struct valid_result *);

/*
 * A <select>/radio list for the template: [{value, label, selected}]
 * over the NULL-terminated values, labels from the catalog as
 * label_prefix + value.  The caller adds it to a context (ownership
 * passes there).
 */
struct json_object	*page_options(struct ctx *, const char *const *values,
			    const char *label_prefix, const char *selected);

/*
 * jv as compact JSON text (for audit rows), arena-owned; the reference
 * to jv is released.
 */
const char		*page_json_text(struct ctx *, struct json_object *jv);

/* Answer jv as application/json with status. */
int			 page_json(struct ctx *, int status,
			    struct json_object *jv);

/* "50.00 EUR" for a price in minor units ("5000") and a currency ("eur"). */
const char		*page_price(struct ctx *, const char *minor,
			    const char *currency);

/* Into j: "free" (true) for a price of 0, else "price" (page_price). */
void			 page_add_price(struct ctx *, struct json_object *j,
			    const char *minor, const char *currency);

/*
 * A category's label: the catalog's when it has one ("Sexual Health" is
 * "category.sexual_health"), else its stored name.
 */
const char		*page_category(struct ctx *, const char *name);

/*
 * The path parameter name (routes' ":name") when it is a slug (lower-case
 * letters, digits, inner dashes; at most 100 characters), else NULL: a
 * handle or event slug that cannot exist is not looked up.
 */
const char		*page_param_slug(struct ctx *, const char *name);

struct tz_list;

/*
 * The time zones for a <select>: [{value, selected}], selected (may be
 * NULL) marked.  The caller adds it to a context.
 */
struct json_object	*page_tz_options(const struct tz_list *,
			    const char *selected);

struct pg_result;

/* Row row, column col of r as a JSON string (the caller adds it to a context). */
struct json_object	*page_str(struct pg_result *, int row, int col);

/*
 * A time for the template from row's columns col.. of r (local date
 * YYYY-MM-DD, ISO weekday, start and end HH:MM, start as Unix seconds):
 * {weekday, date, start, end, datetime}: the weekday's name from the
 * catalog ("day.monday", or "day.monday.short" unless long_weekday),
 * datetime the start in UTC for <time datetime>.
 */
struct json_object	*page_when(struct ctx *, struct pg_result *, int row,
			    int col, int long_weekday);

#endif
