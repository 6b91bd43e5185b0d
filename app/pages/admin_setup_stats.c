/* page_admin_stats: GET /admin/setup-stats (figures, per-step chart, incomplete experts) and its CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "domain/admin_setup.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/csv.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/out.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/req.h"
#include "domain/setup.h"
#include "core/sql.h"

/* Incomplete experts per page. */
#define STATS_PAGE_SIZE		20

/* The chart's geometry (SVG user units): one row per step. */
#define STATS_CHART_WIDTH	640
#define STATS_CHART_ROW		34
#define STATS_CHART_TOP		8
#define STATS_CHART_BAR_X	210
#define STATS_CHART_BAR_W	360
#define STATS_CHART_BAR_H	18

/* The figures of sql_admin_setup_stats, as text. */
struct stats {
	const char	*total, *complete, *incomplete, *rate, *average;
	const char	*step_count[SETUP__N];
	const char	*step_pct[SETUP__N];
};

/* -1 on a database error. */
static int
stats_load(struct ctx *c, struct stats *s)
{
	PGresult *r;
	int i;

	r = db_run(c->app->db, c->arena, sql_admin_setup_stats, 0, NULL);
	if (r == NULL || PQntuples(r) != 1 ||
	    PQnfields(r) != 5 + 2 * SETUP__N)
		return -1;
	s->total = arena_strdup(c->arena, PQgetvalue(r, 0, 0));
	s->complete = arena_strdup(c->arena, PQgetvalue(r, 0, 1));
	s->incomplete = arena_strdup(c->arena, PQgetvalue(r, 0, 2));
	s->rate = arena_strdup(c->arena, PQgetvalue(r, 0, 3));
	s->average = arena_strdup(c->arena, PQgetvalue(r, 0, 4));
	for (i = 0; i < SETUP__N; i++) {
		s->step_count[i] = arena_strdup(c->arena,
		    PQgetvalue(r, 0, 5 + 2 * i));
		s->step_pct[i] = arena_strdup(c->arena,
		    PQgetvalue(r, 0, 6 + 2 * i));
	}
	return 0;
}

/* A decimal from the database ("33.3") with the language's decimal mark. */
static const char *
stats_decimal(struct ctx *c, const char *v)
{
	const char *mark = page_t(c, "admin.decimal_mark");
	const char *dot = strchr(v, '.');

	if (dot == NULL || strcmp(mark, ".") == 0)
		return v;
	return arena_printf(c->arena, "%.*s%s%s", (int)(dot - v), v, mark,
	    dot + 1);
}

static const char *
stats_percent(struct ctx *c, const char *v)
{
	return page_tf(c, "admin.percent", "value", stats_decimal(c, v));
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

static void
stats_add(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

/* The per-step bars, their text alternative and the data table's rows. */
static void
stats_steps(struct ctx *c, struct json_object *j, const struct stats *s)
{
	struct json_object *steps = json_object_new_array();
	int i;

	for (i = 0; i < SETUP__N; i++) {
		struct json_object *o = json_object_new_object();
		const char *label = page_t(c, arena_printf(c->arena,
		    "admin.step.%s", setup_steps[i].name));
		double pct = strtod(s->step_pct[i], NULL);
		int y = STATS_CHART_TOP + i * STATS_CHART_ROW;

		if (pct < 0 || pct > 100)
			pct = 0;
		stats_add(o, "key", setup_steps[i].name);
		stats_add(o, "label", label);
		stats_add(o, "count", s->step_count[i]);
		stats_add(o, "percent", stats_percent(c, s->step_pct[i]));
		stats_add(o, "y", arena_printf(c->arena, "%d", y));
		stats_add(o, "text_y", arena_printf(c->arena, "%d",
		    y + STATS_CHART_BAR_H - 5));
		stats_add(o, "width", arena_printf(c->arena, "%.1f",
		    STATS_CHART_BAR_W * pct / 100.0));
		json_object_array_add(steps, o);
	}
	json_object_object_add(j, "steps", steps);
	stats_add(j, "chart_height", arena_printf(c->arena, "%d",
	    2 * STATS_CHART_TOP + SETUP__N * STATS_CHART_ROW -
	    (STATS_CHART_ROW - STATS_CHART_BAR_H)));
	stats_add(j, "chart_width", arena_printf(c->arena, "%d",
	    STATS_CHART_WIDTH));
	stats_add(j, "bar_x", arena_printf(c->arena, "%d", STATS_CHART_BAR_X));
	stats_add(j, "bar_w", arena_printf(c->arena, "%d", STATS_CHART_BAR_W));
	stats_add(j, "bar_h", arena_printf(c->arena, "%d", STATS_CHART_BAR_H));
	stats_add(j, "pct_x", arena_printf(c->arena, "%d", STATS_CHART_WIDTH));
}

/* The notice after a reset (?reset=<id>), naming the expert when known. */
static int
stats_notice(struct ctx *c, struct json_object *j)
{
	const char *id = req_query(c->req, "reset");
	struct admin_setup_expert e;
	int found;

	if (id == NULL)
		return 0;
	if ((found = admin_setup_expert_get(c, id, &e)) == -1)
		return -1;
	if (found)
		stats_add(j, "notice", page_tf(c, "admin.reset.done_name",
		    "name", e.name != NULL ? e.name : e.email));
	else
		stats_add(j, "notice", page_t(c, "admin.reset.done"));
	return 0;
}

int
page_admin_stats_get(struct ctx *c)
{
	struct json_object *j = page_context(c), *list, *fig;
	char lim[24], off[24];
	const char *params[2] = { lim, off };
	struct admin_setup_expert e;
	struct stats s;
	long incomplete, pages, page;
	PGresult *r;
	int i;

	if (stats_load(c, &s) == -1)
		return 503;
	incomplete = strtol(s.incomplete, NULL, 10);
	pages = incomplete > 0 ? (incomplete + STATS_PAGE_SIZE - 1) /
	    STATS_PAGE_SIZE : 1;
	page = stats_page(c, pages);
	snprintf(lim, sizeof(lim), "%d", STATS_PAGE_SIZE);
	snprintf(off, sizeof(off), "%ld", (page - 1) * STATS_PAGE_SIZE);
	if ((r = db_run(c->app->db, c->arena, sql_admin_setup_incomplete, 2,
	    params)) == NULL || stats_notice(c, j) == -1)
		return 503;

	stats_add(j, "title", page_t(c, "admin.stats.title"));
	fig = json_object_new_object();
	stats_add(fig, "total", s.total);
	stats_add(fig, "complete", s.complete);
	stats_add(fig, "incomplete", s.incomplete);
	stats_add(fig, "rate", stats_percent(c, s.rate));
	stats_add(fig, "average", stats_decimal(c, s.average));
	json_object_object_add(j, "stats", fig);
	stats_steps(c, j, &s);

	list = json_object_new_array();
	for (i = 0; i < PQntuples(r); i++) {
		admin_setup_row(c, r, i, &e);
		json_object_array_add(list, admin_setup_json(c, &e));
	}
	if (PQntuples(r) > 0) {
		json_object_object_add(j, "experts", list);
		json_object_object_add(j, "has_experts",
		    json_object_new_boolean(1));
	} else
		json_object_put(list);
	stats_add(j, "page", arena_printf(c->arena, "%ld", page));
	stats_add(j, "pages", arena_printf(c->arena, "%ld", pages));
	if (page > 1)
		stats_add(j, "prev_url", arena_printf(c->arena,
		    "/admin/setup-stats?page=%ld", page - 1));
	if (page < pages)
		stats_add(j, "next_url", arena_printf(c->arena,
		    "/admin/setup-stats?page=%ld", page + 1));
	if (pages > 1)
		json_object_object_add(j, "paged", json_object_new_boolean(1));
	return page_render(c, 200, "admin_stats", j);
}

int
page_admin_stats_csv_get(struct ctx *c)
{
	const char *head[4], *row[4];
	const char *params[2] = { NULL, NULL };
	struct admin_setup_expert e;
	struct buf *b = &c->resp->body;
	char date[16];
	struct tm tm;
	time_t now = time(NULL);
	PGresult *r;
	int i;

	if ((r = db_run(c->app->db, c->arena, sql_admin_setup_incomplete, 2,
	    params)) == NULL)
		return 503;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	out_clear(c->resp);
	out_header(c->resp, "Content-Type", "text/csv; charset=utf-8");
	out_header(c->resp, "Content-Disposition", arena_printf(c->arena,
	    "attachment; filename=\"eleva-incomplete-setups-%s.csv\"", date));
	head[0] = page_t(c, "admin.col.name");
	head[1] = page_t(c, "admin.col.email");
	head[2] = page_t(c, "admin.col.steps");
	head[3] = page_t(c, "admin.col.started");
	csv_row(b, head, 4);
	for (i = 0; i < PQntuples(r); i++) {
		admin_setup_row(c, r, i, &e);
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
