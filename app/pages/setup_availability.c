/* pages/setup_availability: GET/POST /setup/availability — time zone and weekly time ranges. */
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/tz.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/setup.h"
#include "pages/routes.h"

#define AV_DAYS		I18N_DAYS
#define AV_MAX_RANGES	12	/* per weekday */
#define AV_BLANK_ROWS	2	/* empty rows offered after the ranges */

static const struct valid_field av_tz_field =
	{ "timezone", VALID_TEXT, VALID_REQUIRED, 0, 64, NULL };
static const struct valid_field av_time_field =
	{ "time", VALID_TIME, 0, 0, 0, NULL };

struct av_range {
	const char	*start, *end;	/* as sent or stored, "HH:MM" */
	long long	 s, e;		/* minutes */
	const char	*error;		/* message for this row */
};

struct av_day {
	struct av_range	 r[AV_MAX_RANGES];
	size_t		 n;
};

struct av_form {
	const char	*timezone;
	const char	*tz_error;
	struct av_day	 day[AV_DAYS];
	size_t		 nranges;	/* non-empty ones */
	struct view	*errors;	/* summary messages, or NULL */
};

static void
av_error(struct ctx *c, struct av_form *f, int d, struct av_range *rg,
    const char *key)
{
	const char *msg = view_t(c, key);

	if (rg != NULL && rg->error == NULL)
		rg->error = msg;
	view_add_str(f->errors, arena_printf(c->arena, "%s: %s", d >= 0 ?
	    view_t(c, arena_printf(c->arena, "day.%s", i18n_days[d])) :
	    view_t(c, "setup.availability.timezone"), msg));
}

/* The stored schedule.  Returns 0, -1 on a database error. */
static int
av_load(struct ctx *c, struct av_form *f)
{
	const char *uid = c->user->workos_user_id;
	const struct pg_result *r;
	int i, d;

	memset(f, 0, sizeof(*f));
	if ((r = db_run(c->db, c->arena, SQL_SCHEDULE_GET, &uid)) == NULL)
		return -1;
	f->timezone = db_rows(r) == 1 ? db_val(r, 0, 0) : NULL;
	if ((r = db_run(c->db, c->arena, SQL_SCHEDULE_RANGES,
	    &uid)) == NULL)
		return -1;
	for (i = 0; i < db_rows(r); i++) {
		struct av_day *day;

		for (d = 0; d < AV_DAYS; d++)
			if (strcmp(db_val(r, i, RANGE_DAY), i18n_days[d]) == 0)
				break;
		if (d == AV_DAYS || f->day[d].n >= AV_MAX_RANGES)
			continue;
		day = &f->day[d];
		day->r[day->n].start = db_val(r, i, RANGE_START);
		day->r[day->n].end = db_val(r, i, RANGE_END);
		day->n++;
		f->nranges++;
	}
	return 0;
}

static int
av_cmp(const void *a, const void *b)
{
	const struct av_range *x = a, *y = b;

	return (x->s > y->s) - (x->s < y->s);
}

/* Parse and check the submitted form; returns the number of problems. */
static size_t
av_parse(struct ctx *c, const struct tz_list *tzs, struct av_form *f)
{
	const struct kvlist *form = &c->req->form;
	struct valid_value v;
	const char *key;
	size_t nerr = 0;
	int d;

	memset(f, 0, sizeof(*f));
	f->errors = view_list(c->arena);
	key = valid_value(c->arena, &av_tz_field, req_form(c->req, "timezone"),
	    &v);
	f->timezone = v.s;
	if (key == NULL && !tz_known(tzs, v.s))
		key = "setup.availability.unknown_timezone";
	if (key != NULL) {
		f->tz_error = view_t(c, key);
		av_error(c, f, -1, NULL, key);
		nerr++;
	}
	for (d = 0; d < AV_DAYS; d++) {
		char *sn = arena_printf(c->arena, "%s_start", i18n_days[d]);
		char *en = arena_printf(c->arena, "%s_end", i18n_days[d]);
		size_t ns = kv_count(form, sn), ne = kv_count(form, en), i, k;
		struct av_day *day = &f->day[d];
		size_t day_err = nerr;

		for (i = 0; i < (ns > ne ? ns : ne); i++) {
			struct valid_value vs, ve;
			const char *ks, *ke;
			struct av_range *rg;

			ks = valid_value(c->arena, &av_time_field,
			    kv_get_nth(form, sn, i), &vs);
			ke = valid_value(c->arena, &av_time_field,
			    kv_get_nth(form, en, i), &ve);
			if (!vs.present && !ve.present)
				continue;
			if (day->n == AV_MAX_RANGES) {
				av_error(c, f, d, NULL,
				    "setup.availability.too_many");
				nerr++;
				break;
			}
			rg = &day->r[day->n++];
			rg->start = vs.s;
			rg->end = ve.s;
			rg->s = vs.n;
			rg->e = ve.n;
			if (!vs.present || !ve.present)
				key = "setup.availability.half_range";
			else if (ks != NULL || ke != NULL)
				key = "valid.time";
			else if (vs.n >= ve.n)
				key = "setup.availability.end_before_start";
			else
				key = vs.n == 1440 ? "valid.time" : NULL;
			if (key != NULL) {
				av_error(c, f, d, rg, key);
				nerr++;
			}
		}
		if (nerr > day_err)
			continue;
		/* In order, as stored; no two overlap (touching is fine). */
		qsort(day->r, day->n, sizeof(day->r[0]), av_cmp);
		for (k = 1; k < day->n; k++)
			if (day->r[k].s < day->r[k - 1].e) {
				av_error(c, f, d, &day->r[k],
				    "setup.availability.overlap");
				nerr++;
				break;
			}
		f->nranges += day->n;
	}
	return nerr;
}

/* {"timezone": .., "ranges": {"monday": [["09:00","12:00"]], ..}} for the audit row. */
static const char *
av_json(struct ctx *c, const struct av_form *f)
{
	struct view *o = view_new(c->arena), *days = view_new(c->arena);
	struct view *list, *pair;
	size_t i;
	int d;

	view_str(o, "timezone", f->timezone);
	for (d = 0; d < AV_DAYS; d++) {
		if (f->day[d].n == 0)
			continue;
		list = view_list(c->arena);
		for (i = 0; i < f->day[d].n; i++) {
			pair = view_list(c->arena);
			view_add_str(pair, f->day[d].r[i].start);
			view_add_str(pair, f->day[d].r[i].end);
			view_add(list, pair);
		}
		view_set(days, i18n_days[d], list);
	}
	view_set(o, "ranges", days);
	return view_json(c->arena, o);
}

static int
av_render(struct ctx *c, int status, const struct av_form *f,
    const struct tz_list *tzs)
{
	struct view *v = layout_new(c), *days, *o, *rows, *row;
	const char *tz = f->timezone != NULL && *f->timezone ? f->timezone :
	    "Europe/Lisbon";
	size_t i, n;
	int d;

	view_str(v, "title", view_t(c, "setup.availability.title"));
	view_set(v, "timezones", view_tz_options(c, tzs, tz));
	if (f->tz_error != NULL)
		view_str(v, "tz_error", f->tz_error);
	days = view_list(c->arena);
	for (d = 0; d < AV_DAYS; d++) {
		o = view_new(c->arena);
		view_str(o, "name", i18n_days[d]);
		view_str(o, "label", view_t(c, arena_printf(c->arena,
		    "day.%s", i18n_days[d])));
		rows = view_list(c->arena);
		n = f->day[d].n + AV_BLANK_ROWS;
		for (i = 0; i < n; i++) {
			const struct av_range *rg = i < f->day[d].n ?
			    &f->day[d].r[i] : NULL;

			row = view_new(c->arena);
			view_str(row, "id", arena_printf(c->arena, "%s-%zu",
			    i18n_days[d], i + 1));
			view_int(row, "number", (long long)i + 1);
			view_str(row, "start", rg ? rg->start : "");
			view_str(row, "end", rg ? rg->end : "");
			if (rg != NULL && rg->error != NULL)
				view_str(row, "error", rg->error);
			view_add(rows, row);
		}
		view_set(o, "rows", rows);
		view_add(days, o);
	}
	view_set(v, "days", days);
	if (f->errors != NULL && view_len(f->errors) > 0) {
		view_set(v, "errors", f->errors);
		view_bool(v, "has_errors", 1);
	}
	return setup_step_render(c, status, SETUP_AVAILABILITY, v);
}

int
page_setup_availability_get(struct ctx *c)
{
	const struct tz_list *tzs;
	struct av_form f;

	if ((tzs = tz_names(&c->app->timezones, c->db, c->arena)) ==
	    NULL || av_load(c, &f) == -1)
		return 503;
	return av_render(c, 200, &f, tzs);
}

/* Postgres array literal of the ranges' days, starts or ends (all validated words). */
static const char *
av_array(struct ctx *c, const struct av_form *f, int what)
{
	struct buf b;
	size_t i;
	int d, first = 1;

	buf_init(&b, c->arena);
	buf_putc(&b, '{');
	for (d = 0; d < AV_DAYS; d++)
		for (i = 0; i < f->day[d].n; i++) {
			if (!first)
				buf_putc(&b, ',');
			first = 0;
			buf_puts(&b, what == 0 ? i18n_days[d] : what == 1 ?
			    f->day[d].r[i].start : f->day[d].r[i].end);
		}
	buf_putc(&b, '}');
	return buf_str(&b);
}

int
page_setup_availability_post(struct ctx *c)
{
	const struct tz_list *tzs;
	struct av_form old, f;
	const char *p[5];
	const struct pg_result *r;

	if ((tzs = tz_names(&c->app->timezones, c->db, c->arena)) ==
	    NULL || av_load(c, &old) == -1)
		return 503;
	if (av_parse(c, tzs, &f) > 0)
		return av_render(c, 422, &f, tzs);
	p[0] = c->user->org_id;
	p[1] = c->user->workos_user_id;
	p[2] = f.timezone;
	if ((r = db_run(c->db, c->arena, SQL_SCHEDULE_SAVE, p)) == NULL ||
	    db_rows(r) != 1)
		return 503;
	p[1] = db_val(r, 0, 0);	/* schedule id */
	if (db_run(c->db, c->arena, SQL_SCHEDULE_CLEAR, p + 1) == NULL)
		return 503;
	p[2] = av_array(c, &f, 0);
	p[3] = av_array(c, &f, 1);
	p[4] = av_array(c, &f, 2);
	if (f.nranges > 0 && db_run_guarded(c->db, c->arena,
	    SQL_SCHEDULE_ADD_RANGES, p) == NULL) {
		if (strcmp(db_sqlstate(c->db), SQL_STATE_TAKEN) != 0)
			return 503;
		av_error(c, &f, -1, NULL, "setup.availability.overlap");
		return av_render(c, 422, &f, tzs);
	}
	db_audit_change(c->db, c->arena, AUDIT_SCHEDULE_UPDATED, "schedule",
	    c->user->workos_user_id, av_json(c, &old), av_json(c, &f), NULL);
	/* Done while one range exists. */
	if (setup_set(c, SETUP_AVAILABILITY, f.nranges > 0) == -1)
		return 503;
	return layout_redirect(c, arena_printf(c->arena,
	    "%s?saved=availability", routes_path(LINK_SETUP)));
}
