/* pages/audit: GET /audit — the organization's audit log, filtered and paged, with its daily activity chart. */
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/sql.h"
#include "core/view.h"
#include "domain/audit_log.h"
#include "pages/routes.h"

/* The chart's geometry (SVG user units): one stacked bar per day. */
#define CHART_WIDTH	640
#define CHART_HEIGHT	140
#define CHART_BAR_STEP	(CHART_WIDTH / AUDIT_DAYS_N)
#define CHART_BAR_W	(CHART_BAR_STEP - 5)
#define CHART_AXIS	18		/* room for the day labels below */

/* The chart's series, bottom to top, by their SQL_AUDIT_DAYS column. */
static const struct {
	const char	*key;		/* CSS class, i18n "audit.series.<key>" */
	int		 col;
} audit_series[] = {
	{ "appointment",	DAYS_APPOINTMENT },
	{ "security",		DAYS_SECURITY },
	{ "payment",		DAYS_PAYMENT },
	{ "medical",		DAYS_MEDICAL },
};
#define AUDIT_SERIES_N	(sizeof(audit_series) / sizeof(audit_series[0]))

static const char *
audit_num(struct ctx *c, long long n)
{
	return arena_printf(c->arena, "%lld", n);
}

/* The last AUDIT_DAYS_N days of audit_stats as a stacked bar chart and its table. */
static int
audit_chart(struct ctx *c, struct view *v)
{
	const char *org = c->user->org_id;
	const struct pg_result *r;
	struct view *days, *day, *bars, *bar, *legend, *o;
	long long max = 0, total, y, h, n;
	int i;
	size_t s;

	if ((r = db_run(c->db, c->arena, SQL_AUDIT_DAYS, &org)) == NULL)
		return -1;
	for (i = 0; i < db_rows(r); i++) {
		for (total = 0, s = 0; s < AUDIT_SERIES_N; s++)
			total += db_int(r, i, audit_series[s].col);
		if (total > max)
			max = total;
	}
	days = view_list(c->arena);
	for (i = 0; i < db_rows(r); i++) {
		day = view_new(c->arena);
		bars = view_list(c->arena);
		y = CHART_HEIGHT - CHART_AXIS;
		for (total = 0, s = 0; s < AUDIT_SERIES_N; s++) {
			n = db_int(r, i, audit_series[s].col);
			view_str(day, audit_series[s].key, audit_num(c, n));
			total += n;
			if (n == 0 || max == 0)
				continue;
			h = n * (CHART_HEIGHT - CHART_AXIS - 4) / max;
			if (h < 1)
				h = 1;
			y -= h;
			bar = view_new(c->arena);
			view_str(bar, "series", audit_series[s].key);
			view_str(bar, "y", audit_num(c, y));
			view_str(bar, "h", audit_num(c, h));
			view_add(bars, bar);
		}
		view_col(day, "date", r, i, DAYS_DATE);
		view_str(day, "label", db_val(r, i, DAYS_DATE) + 8);
		view_str(day, "x", audit_num(c, (long long)i * CHART_BAR_STEP));
		view_str(day, "text_x", audit_num(c, (long long)i *
		    CHART_BAR_STEP + CHART_BAR_W / 2));
		view_str(day, "total", audit_num(c, total));
		view_col(day, "after_hours", r, i, DAYS_AFTER_HOURS);
		view_col(day, "mass_exports", r, i, DAYS_MASS_EXPORTS);
		view_bool(day, "suspicious", db_bool(r, i, DAYS_SUSPICIOUS));
		view_bool(day, "label_shown", i % 5 == 0 || i == db_rows(r) - 1);
		view_set(day, "bars", bars);
		view_add(days, day);
	}
	legend = view_list(c->arena);
	for (s = 0; s < AUDIT_SERIES_N; s++) {
		o = view_new(c->arena);
		view_str(o, "series", audit_series[s].key);
		view_str(o, "label", view_t(c, arena_printf(c->arena,
		    "audit.series.%s", audit_series[s].key)));
		view_add(legend, o);
	}
	view_set(v, "days", days);
	view_set(v, "legend", legend);
	view_str(v, "chart_width", audit_num(c, CHART_WIDTH));
	view_str(v, "chart_height", audit_num(c, CHART_HEIGHT));
	view_str(v, "bar_w", audit_num(c, CHART_BAR_W));
	view_str(v, "axis_y", audit_num(c, CHART_HEIGHT - 4));
	view_str(v, "chart_max", audit_num(c, max));
	return 0;
}

int
page_audit_get(struct ctx *c)
{
	struct view *v = layout_new(c);
	struct audit_log_filter f;
	const char *q;
	int rc, manager = audit_log_manager(c);

	if ((rc = audit_log_filter_read(c, &f, c->user->org_id,
	    manager)) == -1 || audit_log_filter_view(c, v, &f) == -1 ||
	    audit_chart(c, v) == -1)
		return 503;
	view_str(v, "title", view_t(c, "audit.title"));
	view_str(v, "form_action", routes_path(LINK_AUDIT));
	view_str(v, "org_name", c->user->org_name);
	view_bool(v, "full_ip", f.full_ip);
	if (rc == 1)
		return layout_render(c, 400, "audit", v);
	if (audit_log_page(c, v, &f, routes_path(LINK_AUDIT)) == -1)
		return 503;
	q = audit_log_query(c, &f, NULL);
	if (manager) {
		view_str(v, "csv_url", arena_printf(c->arena, "%s?format=csv&%s",
		    routes_path(LINK_AUDIT_EXPORT), q));
		view_str(v, "json_url", arena_printf(c->arena,
		    "%s?format=json&%s", routes_path(LINK_AUDIT_EXPORT), q));
	}
	return layout_render(c, 200, "audit", v);
}
