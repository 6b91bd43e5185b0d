/* slots: an expert's bookable starts a week at a time, as the time picker's view (booking and reschedule pages). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/sql.h"
#include "core/tz.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/slots.h"

/* What a page's own query may hold: a few short pairs (a token, an id). */
static const struct form_limits slots_query_limits = { 20, 64, 1024 };

const char *
slots_tz(struct ctx *c, const char *tz)
{
	const struct tz_list *tzs;

	if (tz == NULL || *tz == '\0' ||
	    (tzs = tz_names(&c->app->timezones, c->db, c->arena)) == NULL)
		return NULL;
	return tz_known(tzs, tz) ? tz : NULL;
}

const char *
slots_from(struct ctx *c, const char *s)
{
	static const struct valid_field day =
	    { "from", VALID_INSTANT, 0, 0, 0, NULL };
	struct valid_value v;

	if (s == NULL || strlen(s) != 10)
		return "";
	return valid_value(c->arena, &day, arena_printf(c->arena,
	    "%sT00:00:00Z", s), &v) == NULL ? s : "";
}

/* A link to the page for another first day, keeping the time zone. */
static const char *
slots_link(struct ctx *c, const struct slots_query *q, const char *from)
{
	return arena_printf(c->arena, "%s%stz=%s&from=%s#times", q->base,
	    strchr(q->base, '?') != NULL ? "&" : "?",
	    form_urlencode(c->arena, q->tz), from);
}

/*
 * The zone form's action (base without its query) and the pairs of
 * base's query it sends again as hidden fields (a GET form's action
 * loses its query), but for tz and from, which the form sets.
 */
static void
slots_action(struct ctx *c, const struct slots_query *q, struct view *v)
{
	const char *qs = strchr(q->base, '?');
	struct view *keep, *o;
	struct kvlist kv;
	size_t i;

	if (qs == NULL) {
		view_str(v, "slots_action", q->base);
		return;
	}
	view_str(v, "slots_action", arena_strndup(c->arena, q->base,
	    (size_t)(qs - q->base)));
	if (form_parse_urlencoded(c->arena, qs + 1, strlen(qs + 1),
	    &slots_query_limits, &kv) != FORM_OK)
		return;
	keep = view_list(c->arena);
	for (i = 0; i < kv.n; i++) {
		if (strcmp(kv.v[i].name, "tz") == 0 ||
		    strcmp(kv.v[i].name, "from") == 0)
			continue;
		o = view_new(c->arena);
		view_str(o, "name", kv.v[i].name);
		view_str(o, "value", kv.v[i].value);
		view_add(keep, o);
	}
	view_set(v, "slots_keep", keep);
}

/*
 * When the local days around the shown ones begin (SQL_BOOKING_WEEK's
 * midnights): day k, from the one before the first shown, runs from
 * at[k] to at[k + 1]; its midnight read as if it were UTC is
 * local0 + k days.  A day of 24 hours keeps one UTC offset throughout
 * (no zone changes its clocks twice in a day), that midnight - at[k]; a
 * start on another day has its local time from the database.
 */
#define SLOTS_DAY	86400LL
#define SLOTS_BOUNDS	(SLOTS_DAYS + 3)
struct slots_days {
	long long	at[SLOTS_BOUNDS];
	long long	local0;
};

/* Read first (YYYY-MM-DD) and the midnights into *d: 0, or -1. */
static int
slots_days_read(const char *first, const char *midnights, struct slots_days *d)
{
	struct tm tm;
	const char *p = midnights;
	char *end;
	time_t t;
	int k;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(first, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	d->local0 = (long long)t - SLOTS_DAY;
	for (k = 0; k < SLOTS_BOUNDS; k++) {
		d->at[k] = strtoll(p, &end, 10);
		if (end == p || (k > 0 && d->at[k] <= d->at[k - 1]))
			return -1;
		p = end;
	}
	return *p == '\0' ? 0 : -1;
}

static int
slots_days_normal(const struct slots_days *d, int k)
{
	return d->at[k + 1] - d->at[k] == SLOTS_DAY;
}

/*
 * SQL_BOOKING_SLOTS' $6: the days not of 24 hours, whose starts the
 * database converts one by one ('{}' when there are none, most weeks).
 */
static const char *
slots_days_odd(struct ctx *c, const struct slots_days *d)
{
	const char *r = "";
	char from[32], to[32];
	struct tm a, b;
	time_t ta, tb;
	int k;

	for (k = 0; k + 1 < SLOTS_BOUNDS; k++) {
		if (slots_days_normal(d, k))
			continue;
		ta = (time_t)d->at[k];
		tb = (time_t)d->at[k + 1];
		if (gmtime_r(&ta, &a) == NULL || gmtime_r(&tb, &b) == NULL)
			return NULL;
		strftime(from, sizeof(from), "%Y-%m-%d %H:%M:%S+00", &a);
		strftime(to, sizeof(to), "%Y-%m-%d %H:%M:%S+00", &b);
		r = arena_printf(c->arena, "%s%s[\"%s\",\"%s\")", r,
		    *r != '\0' ? "," : "", from, to);
	}
	return arena_printf(c->arena, "{%s}", r);
}

/* One start of SQL_BOOKING_SLOTS, as the picker shows it. */
struct slot {
	long long start;	/* seconds since the epoch */
	char	value[24];	/* the form's: 2026-03-29T00:30:00Z */
	char	date[16];	/* local: 2026-03-29 */
	int	weekday;	/* local, ISO: 1 Monday ... 7 Sunday */
	char	time[8];	/* local: 01:30 */
	char	offset[8];	/* "+01:00" on a long day, else "" */
};

/*
 * Row i of SQL_BOOKING_SLOTS into *o, its local time the database's or
 * read off d: 0, or -1 for a value out of range or a start on a day
 * that is not of 24 hours without the database's local time.
 */
static int
slots_row(const struct pg_result *s, int i, const struct slots_days *d,
    struct slot *o)
{
	long long start = db_int(s, i, SLOT_START), local, diff, a, k;
	time_t ts, tl;
	struct tm u, l;

	if (db_opt(s, i, SLOT_LOCAL) != NULL)
		local = db_int(s, i, SLOT_LOCAL);
	else {
		for (k = 0; k + 1 < SLOTS_BOUNDS && d->at[k + 1] <= start; k++)
			;
		if (k + 1 == SLOTS_BOUNDS || start < d->at[k] ||
		    !slots_days_normal(d, (int)k))
			return -1;
		local = d->local0 + k * SLOTS_DAY + (start - d->at[k]);
	}
	ts = (time_t)start;
	tl = (time_t)local;
	if (gmtime_r(&ts, &u) == NULL || gmtime_r(&tl, &l) == NULL)
		return -1;
	o->start = start;
	strftime(o->value, sizeof(o->value), "%Y-%m-%dT%H:%M:%SZ", &u);
	strftime(o->date, sizeof(o->date), "%Y-%m-%d", &l);
	strftime(o->time, sizeof(o->time), "%H:%M", &l);
	o->weekday = l.tm_wday == 0 ? 7 : l.tm_wday;
	o->offset[0] = '\0';
	/* A long local day: the clocks went back, some times occur twice. */
	k = local >= d->local0 ? (local - d->local0) / SLOTS_DAY : -1;
	if (k >= 0 && k + 1 < SLOTS_BOUNDS &&
	    d->at[k + 1] - d->at[k] > SLOTS_DAY) {
		diff = local - start;
		a = llabs(diff) / 60;
		snprintf(o->offset, sizeof(o->offset), "%c%02lld:%02lld",
		    diff < 0 ? '-' : '+', a / 60 % 100, a % 60);
	}
	return 0;
}

static int
slots_cmp(const void *a, const void *b)
{
	long long x = ((const struct slot *)a)->start;
	long long y = ((const struct slot *)b)->start;

	return (x > y) - (x < y);
}

/* The days shown: SQL_BOOKING_WEEK's row, or NULL. */
static const struct pg_result *
slots_range(struct ctx *c, const struct slots_query *q)
{
	const struct pg_result *w;
	const char *p[4];

	p[0] = q->tz;
	p[1] = q->from != NULL ? q->from : "";
	p[2] = q->window != NULL ? q->window : "0";
	p[3] = arena_printf(c->arena, "%d", SLOTS_DAYS);
	if ((w = db_run(c->db, c->arena, SQL_BOOKING_WEEK, p)) == NULL ||
	    db_rows(w) != 1)
		return NULL;
	return w;
}

int
slots_week(struct ctx *c, const struct slots_query *q, struct view *v)
{
	struct view *days, *day = NULL, *slots = NULL, *o, *chosen;
	const char *p[6], *last = "", *dlabel = "", *value, *hm, *offset;
	const struct pg_result *w, *s;
	const struct tz_list *tzs;
	struct slots_days sd;
	struct slot *all;
	int i, n;

	if ((tzs = tz_names(&c->app->timezones, c->db,
	    c->arena)) == NULL || (w = slots_range(c, q)) == NULL ||
	    slots_days_read(db_val(w, 0, WEEK_FIRST),
	    db_val(w, 0, WEEK_MIDNIGHTS), &sd) == -1)
		return -1;
	p[0] = q->handle;
	p[1] = q->slug;
	p[2] = q->tz;
	p[3] = db_val(w, 0, WEEK_FIRST);
	p[4] = arena_printf(c->arena, "%d", SLOTS_DAYS);
	if ((p[5] = slots_days_odd(c, &sd)) == NULL ||
	    (s = db_run(c->db, c->arena, SQL_BOOKING_SLOTS, p)) == NULL)
		return -1;
	n = db_rows(s);
	all = arena_alloc(c->arena, (size_t)(n > 0 ? n : 1) * sizeof(*all));
	for (i = 0; i < n; i++)
		if (slots_row(s, i, &sd, &all[i]) == -1)
			return -1;
	qsort(all, (size_t)n, sizeof(*all), slots_cmp);
	view_col(v, "first_day", w, 0, WEEK_FIRST);
	view_col(v, "last_day", w, 0, WEEK_LAST);
	if (db_opt(w, 0, WEEK_EARLIER) != NULL)
		view_str(v, "earlier", slots_link(c, q,
		    db_val(w, 0, WEEK_EARLIER)));
	if (db_opt(w, 0, WEEK_LATER) != NULL)
		view_str(v, "later", slots_link(c, q,
		    db_val(w, 0, WEEK_LATER)));
	days = view_list(c->arena);
	for (i = 0; i < n; i++) {
		const struct slot *t = &all[i];
		const char *dname;

		dname = i18n_days[t->weekday - 1];
		if (strcmp(t->date, last) != 0) {
			last = t->date;
			day = view_new(c->arena);
			dlabel = view_t(c, arena_printf(c->arena, "day.%s",
			    dname));
			view_str(day, "weekday", dlabel);
			view_str(day, "date", last);
			dlabel = arena_printf(c->arena, "%s %s", dlabel, last);
			view_str(day, "label", dlabel);
			slots = view_list(c->arena);
			view_set(day, "slots", slots);
			view_add(days, day);
		}
		value = t->value;	/* all is the arena's: it outlives v */
		hm = t->time;
		offset = t->offset[0] != '\0' ? t->offset : NULL;
		o = view_new(c->arena);
		view_str(o, "value", value);
		view_str(o, "time", hm);
		if (offset != NULL)
			view_str(o, "offset", offset);
		if (q->selected != NULL && strcmp(q->selected, value) == 0) {
			view_bool(o, "checked", 1);
			chosen = view_new(c->arena);
			view_str(chosen, "value", value);
			view_str(chosen, "day", dlabel);
			view_str(chosen, "time", hm);
			if (offset != NULL)
				view_str(chosen, "offset", offset);
			view_set(v, "chosen", chosen);
		}
		view_add(slots, o);
	}
	view_set(v, "days", days);
	view_bool(v, "has_slots", n > 0);
	view_str(v, "timezone", q->tz);
	view_set(v, "timezones", view_tz_options(c, tzs, q->tz));
	slots_action(c, q, v);
	if (q->guess_tz)
		view_bool(v, "tz_guess", 1);
	return 0;
}
