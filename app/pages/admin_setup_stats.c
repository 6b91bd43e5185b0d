/* pages/admin_setup_stats: GET /admin/setup-stats (figures, per-step chart, incomplete experts) and its CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/csv.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/out.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/view.h"
#include "domain/admin_setup.h"
#include "domain/setup.h"
#include "pages/routes.h"

/* Incomplete experts per page. */
#define STATS_PAGE_SIZE		20

/* The chart's geometry (SVG user units): one row per step. */
#define STATS_CHART_WIDTH	640
#define STATS_CHART_ROW		34
#define STATS_CHART_TOP		8
#define STATS_CHART_BAR_X	210
#define STATS_CHART_BAR_W	360
#define STATS_CHART_BAR_H	18

/* A decimal from the database ("33.3") with the language's decimal mark. */
static const char *
stats_decimal(struct ctx *c, const char *v)
{
	const char *mark = view_t(c, "number.decimal");
	const char *dot = strchr(v, '.');

	if (dot == NULL || strcmp(mark, ".") == 0)
		return v;
	return arena_printf(c->arena, "%.*s%s%s", (int)(dot - v), v, mark,
	    dot + 1);
}

static const char *
stats_percent(struct ctx *c, const char *v)
{
	return view_tf(c, "admin.percent", "value", stats_decimal(c, v));
}

/*
 * ?page=N: 1 unless N is a number; past the end, the last page.  Digits
 * only, so "-1", "2x" and "" read as 1.
 */
static long
stats_page(struct ctx *c, long pages)
{
	const char *q = req_query(c->req, "page");
	size_t len;
	long n;

	if (q == NULL || (len = strlen(q)) == 0 ||
	    strspn(q, "0123456789") != len)
		return 1;
	if (len > 9)
		return pages;
	n = strtol(q, NULL, 10);
	if (n < 1)
		return 1;
	return n > pages ? pages : n;
}

static const char *
stats_num(struct ctx *c, long n)
{
	return arena_printf(c->arena, "%ld", n);
}

/* The per-step bars, their text alternative and the data table's rows. */
static void
stats_steps(struct ctx *c, struct view *v, const struct pg_result *s)
{
	struct view *steps = view_list(c->arena), *o;
	int i;

	for (i = 0; i < SETUP__N; i++) {
		const char *count = db_val(s, 0, STATS_STEPS + 2 * i);
		const char *pct = db_val(s, 0, STATS_STEPS + 2 * i + 1);
		double share = strtod(pct, NULL);
		int y = STATS_CHART_TOP + i * STATS_CHART_ROW;

		if (share < 0 || share > 100)
			share = 0;
		o = view_new(c->arena);
		view_str(o, "key", setup_steps[i].name);
		view_str(o, "label", view_t(c, arena_printf(c->arena,
		    "admin.step.%s", setup_steps[i].name)));
		view_str(o, "count", count);
		view_str(o, "percent", stats_percent(c, pct));
		view_str(o, "y", stats_num(c, y));
		view_str(o, "text_y", stats_num(c, y + STATS_CHART_BAR_H - 5));
		view_str(o, "width", arena_printf(c->arena, "%.1f",
		    STATS_CHART_BAR_W * share / 100.0));
		view_add(steps, o);
	}
	view_set(v, "steps", steps);
	view_str(v, "chart_height", stats_num(c, 2 * STATS_CHART_TOP +
	    SETUP__N * STATS_CHART_ROW - (STATS_CHART_ROW - STATS_CHART_BAR_H)));
	view_str(v, "chart_width", stats_num(c, STATS_CHART_WIDTH));
	view_str(v, "bar_x", stats_num(c, STATS_CHART_BAR_X));
	view_str(v, "bar_w", stats_num(c, STATS_CHART_BAR_W));
	view_str(v, "bar_h", stats_num(c, STATS_CHART_BAR_H));
	view_str(v, "pct_x", stats_num(c, STATS_CHART_WIDTH));
}

/* The notice after a reset (?reset=<id>), naming the expert when known. */
static int
stats_notice(struct ctx *c, struct view *v)
{
	const char *id = req_query(c->req, "reset");
	struct admin_setup_expert e;
	int found;

	if (id == NULL)
		return 0;
	if ((found = admin_setup_expert_get(c, id, &e)) == -1)
		return -1;
	if (found)
		view_str(v, "notice", view_tf(c, "admin.reset.done_name",
		    "name", e.name != NULL ? e.name : e.email));
	else
		view_str(v, "notice", view_t(c, "admin.reset.done"));
	return 0;
}

/* The page's link to page n of the list. */
static const char *
stats_page_url(struct ctx *c, long n)
{
	return arena_printf(c->arena, "%s?page=%ld",
	    routes_path(LINK_ADMIN_SETUP_STATS), n);
}

int
page_admin_setup_stats_get(struct ctx *c)
{
	struct view *v = layout_new(c), *list, *fig;
	char lim[24], off[24];
	const char *params[2] = { lim, off };
	const struct pg_result *s, *r;
	struct admin_setup_expert e;
	long incomplete, pages, page;
	int i;

	if ((s = db_run(c->db, c->arena, SQL_ADMIN_SETUP_STATS,
	    NULL)) == NULL || db_rows(s) != 1)
		return 503;
	incomplete = (long)db_int(s, 0, STATS_INCOMPLETE);
	pages = incomplete > 0 ? (incomplete + STATS_PAGE_SIZE - 1) /
	    STATS_PAGE_SIZE : 1;
	page = stats_page(c, pages);
	snprintf(lim, sizeof(lim), "%d", STATS_PAGE_SIZE);
	snprintf(off, sizeof(off), "%ld", (page - 1) * STATS_PAGE_SIZE);
	if ((r = db_run(c->db, c->arena, SQL_ADMIN_SETUP_INCOMPLETE,
	    params)) == NULL || stats_notice(c, v) == -1)
		return 503;

	view_str(v, "title", view_t(c, "admin.stats.title"));
	fig = view_new(c->arena);
	view_col(fig, "total", s, 0, STATS_TOTAL);
	view_col(fig, "complete", s, 0, STATS_COMPLETE);
	view_col(fig, "incomplete", s, 0, STATS_INCOMPLETE);
	view_str(fig, "rate", stats_percent(c, db_val(s, 0, STATS_RATE)));
	view_str(fig, "average", stats_decimal(c, db_val(s, 0,
	    STATS_AVERAGE)));
	view_set(v, "stats", fig);
	stats_steps(c, v, s);

	list = view_list(c->arena);
	for (i = 0; i < db_rows(r); i++) {
		admin_setup_row(r, i, &e);
		view_add(list, admin_setup_view(c, &e, routes_link(c,
		    LINK_ADMIN_EXPERTS_RESET_SETUP, e.workos_user_id, NULL)));
	}
	if (db_rows(r) > 0) {
		view_set(v, "experts", list);
		view_bool(v, "has_experts", 1);
	}
	view_str(v, "page", stats_num(c, page));
	view_str(v, "pages", stats_num(c, pages));
	if (page > 1)
		view_str(v, "prev_url", stats_page_url(c, page - 1));
	if (page < pages)
		view_str(v, "next_url", stats_page_url(c, page + 1));
	view_bool(v, "paged", pages > 1);
	return layout_render(c, 200, "admin_stats", v);
}

int
page_admin_setup_stats_csv_get(struct ctx *c)
{
	const char *head[4], *row[4];
	const char *params[2] = { NULL, NULL };
	const struct pg_result *r;
	struct admin_setup_expert e;
	struct buf *b = &c->resp->body;
	char date[16];
	struct tm tm;
	time_t now = time(NULL);
	int i;

	if ((r = db_run(c->db, c->arena, SQL_ADMIN_SETUP_INCOMPLETE,
	    params)) == NULL)
		return 503;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	out_clear(c->resp);
	out_header(c->resp, "Content-Type", "text/csv; charset=utf-8");
	out_header(c->resp, "Content-Disposition", arena_printf(c->arena,
	    "attachment; filename=\"eleva-incomplete-setups-%s.csv\"", date));
	head[0] = view_t(c, "admin.col.name");
	head[1] = view_t(c, "admin.col.email");
	head[2] = view_t(c, "admin.col.steps");
	head[3] = view_t(c, "admin.col.started");
	csv_row(b, head, 4);
	for (i = 0; i < db_rows(r); i++) {
		admin_setup_row(r, i, &e);
		row[0] = e.name;
		row[1] = e.email;
		row[2] = e.steps_done;
		row[3] = e.started;
		csv_row(b, row, 4);
	}
	c->resp->rendered = 1;
	c->resp->status = 200;
	return 200;
}
