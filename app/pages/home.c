/* pages/home: GET / — the landing page and the published experts to book, by category. */
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/rowcache.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/valid.h"
#include "core/view.h"
#include "pages/routes.h"

/* Experts a page lists; ?page=N for the next ones. */
#define HOME_EXPERTS_PAGE	24
#define HOME_PAGES_MAX		1000
/*
 * Every visitor sees the same list: a worker keeps each page of it
 * ELEVA_LIST_CACHE seconds (30; core/rowcache.c), so a publication shows
 * on the home page within that, and most visits cost no query
 * (script/bench).
 */

static const struct valid_field home_category = { "category", VALID_TEXT, 0,
    0, 100, NULL };
static const struct valid_field home_page = { "page", VALID_INT, 0, 1,
    HOME_PAGES_MAX, NULL };

/* A cached cell, "" for NULL. */
#define HOME_CELL(r, row, col) \
	((r)->cells[(row) * (r)->cols + (col)] != NULL ? \
	(r)->cells[(row) * (r)->cols + (col)] : "")

/* The first character of s (UTF-8), upper-cased when ASCII; "" when none. */
static const char *
home_initial(struct arena *a, const char *s)
{
	size_t n = 1;

	if (s == NULL || *s == '\0')
		return "";
	while (((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	if (n == 1 && *s >= 'a' && *s <= 'z')
		return arena_printf(a, "%c", *s - 32);
	return arena_strndup(a, s, n);
}

/* The category filter: "all", then each category with an expert. */
static struct view *
home_filters(struct ctx *c, const struct rowcache_result *r,
    const char *current, int *known)
{
	struct view *list = view_list(c->arena), *o;
	const char *name;
	int i;

	o = view_new(c->arena);
	view_str(o, "label", view_t(c, "home.find.all"));
	view_str(o, "url", routes_path(LINK_HOME));
	view_bool(o, "current", current == NULL);
	view_add(list, o);
	*known = current == NULL;
	for (i = 0; i < r->rows; i++) {
		name = HOME_CELL(r, i, HOME_CATEGORY_NAME);
		o = view_new(c->arena);
		view_str(o, "label", view_category(c, name));
		view_str(o, "count", HOME_CELL(r, i, HOME_CATEGORY_EXPERTS));
		view_str(o, "url", arena_printf(c->arena, "%s?category=%s",
		    routes_path(LINK_HOME), form_urlencode(c->arena, name)));
		if (current != NULL && strcmp(current, name) == 0) {
			view_bool(o, "current", 1);
			*known = 1;
		}
		view_add(list, o);
	}
	return list;
}

/* The link to page n of the list, in the current area. */
static const char *
home_page_url(struct ctx *c, const char *category, long long n)
{
	return arena_printf(c->arena, "%s%s%s%s%s%lld#experts",
	    routes_path(LINK_HOME), category != NULL ? "?category=" : "",
	    category != NULL ? form_urlencode(c->arena, category) : "",
	    category != NULL ? "&" : "?", "page=", n);
}

/*
 * The experts of one page, with the filter and the links to the pages
 * around it, into v.  Returns 0, or -1 when the database failed.
 */
static int
home_experts(struct ctx *c, struct view *v)
{
	struct view *list = view_list(c->arena), *o;
	const struct pg_result *res[2];
	const struct rowcache_rows *rows;
	const struct rowcache_result *r;
	const char *p[3], *first, *last, *pic, *key;
	struct valid_value cv, pv;
	int i, known, shown;

	if (valid_value(c->arena, &home_category, req_query(c->req,
	    "category"), &cv) != NULL)
		cv.present = 0;
	if (valid_value(c->arena, &home_page, req_query(c->req, "page"),
	    &pv) != NULL || !pv.present)
		pv.n = 1;
	p[0] = cv.present ? cv.s : NULL;
	/* One more than a page: is there a next one? */
	p[1] = arena_printf(c->arena, "%d", HOME_EXPERTS_PAGE + 1);
	p[2] = arena_printf(c->arena, "%lld", (pv.n - 1) * HOME_EXPERTS_PAGE);
	key = arena_printf(c->arena, "home|%lld|%s", pv.n, p[0] ? p[0] : "");
	if ((rows = rowcache_get(key, time(NULL), c->app->cfg->list_cache)) ==
	    NULL) {
		if (tx_begin(c, NULL, NULL, 1) == -1 ||
		    (res[0] = db_run(c->db, c->arena, SQL_HOME_EXPERTS,
		    p)) == NULL || (res[1] = db_run(c->db, c->arena,
		    SQL_HOME_CATEGORIES, NULL)) == NULL) {
			tx_rollback(c);
			return -1;
		}
		rows = rowcache_put(key, time(NULL), res, 2);
		tx_rollback(c);
		if (rows == NULL)
			return -1;
	}
	r = &rows->res[0];
	shown = r->rows > HOME_EXPERTS_PAGE ? HOME_EXPERTS_PAGE : r->rows;
	for (i = 0; i < shown; i++) {
		first = HOME_CELL(r, i, HOME_EXPERT_FIRST_NAME);
		last = HOME_CELL(r, i, HOME_EXPERT_LAST_NAME);
		o = view_new(c->arena);
		view_str(o, "url", routes_link(c, LINK_HANDLE,
		    HOME_CELL(r, i, HOME_EXPERT_HANDLE), NULL));
		view_str(o, "name", arena_printf(c->arena, "%s %s", first,
		    last));
		view_str(o, "initials", arena_printf(c->arena, "%s%s",
		    home_initial(c->arena, first), home_initial(c->arena, last)));
		view_str(o, "headline", HOME_CELL(r, i, HOME_EXPERT_HEADLINE));
		if (*HOME_CELL(r, i, HOME_EXPERT_CATEGORY) != '\0')
			view_str(o, "category", view_category(c,
			    HOME_CELL(r, i, HOME_EXPERT_CATEGORY)));
		/* Only our own images: the CSP allows no other (img-src). */
		pic = HOME_CELL(r, i, HOME_EXPERT_PICTURE);
		if (pic[0] == '/' && pic[1] != '/' && pic[1] != '\\')
			view_str(o, "picture", pic);
		view_add(list, o);
	}
	view_set(v, "experts", list);
	view_bool(v, "has_experts", shown > 0);
	if (pv.n > 1)
		view_str(v, "previous", home_page_url(c, p[0], pv.n - 1));
	if (r->rows > HOME_EXPERTS_PAGE && pv.n < HOME_PAGES_MAX)
		view_str(v, "next", home_page_url(c, p[0], pv.n + 1));
	view_set(v, "filters", home_filters(c, &rows->res[1], p[0], &known));
	view_bool(v, "has_filters", rows->res[1].rows > 0);
	if (p[0] != NULL && !known)
		view_bool(v, "unknown_category", 1);
	return 0;
}

int
page_home_get(struct ctx *c)
{
	struct view *v = layout_new(c);

	view_str(v, "title", view_t(c, "home.title"));
	/* Without the database the page stays, saying the list is away. */
	if (home_experts(c, v) == -1)
		view_bool(v, "experts_away", 1);
	return layout_render(c, 200, "home", v);
}
