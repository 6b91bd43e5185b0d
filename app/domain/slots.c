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

/* One start of SQL_BOOKING_SLOTS, as the picker shows it. */
struct slot {
	char	value[24];	/* the form's: 2026-03-29T00:30:00Z */
	char	date[16];	/* local: 2026-03-29 */
	int	weekday;	/* local, ISO: 1 Monday ... 7 Sunday */
	char	time[8];	/* local: 01:30 */
	char	offset[8];	/* "+01:00" on a long day, else "" */
};

/* Row i of SQL_BOOKING_SLOTS into *o: 0, or -1 for a value out of range. */
static int
slots_row(const struct pg_result *s, int i, struct slot *o)
{
	time_t start = (time_t)db_int(s, i, SLOT_START);
	time_t local = (time_t)db_int(s, i, SLOT_LOCAL);
	long long diff = (long long)local - (long long)start, a;
	struct tm u, l;

	if (gmtime_r(&start, &u) == NULL || gmtime_r(&local, &l) == NULL)
		return -1;
	strftime(o->value, sizeof(o->value), "%Y-%m-%dT%H:%M:%SZ", &u);
	strftime(o->date, sizeof(o->date), "%Y-%m-%d", &l);
	strftime(o->time, sizeof(o->time), "%H:%M", &l);
	o->weekday = l.tm_wday == 0 ? 7 : l.tm_wday;
	o->offset[0] = '\0';
	if (db_bool(s, i, SLOT_LONG_DAY)) {
		a = llabs(diff) / 60;
		snprintf(o->offset, sizeof(o->offset), "%c%02lld:%02lld",
		    diff < 0 ? '-' : '+', a / 60 % 100, a % 60);
	}
	return 0;
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
	const char *p[5], *last = "", *dlabel = "", *value, *hm, *offset;
	const struct pg_result *w, *s;
	const struct tz_list *tzs;
	int i;

	if ((tzs = tz_names(&c->app->timezones, c->db,
	    c->arena)) == NULL || (w = slots_range(c, q)) == NULL)
		return -1;
	p[0] = q->handle;
	p[1] = q->slug;
	p[2] = q->tz;
	p[3] = db_val(w, 0, WEEK_FIRST);
	p[4] = arena_printf(c->arena, "%d", SLOTS_DAYS);
	if ((s = db_run(c->db, c->arena, SQL_BOOKING_SLOTS, p)) == NULL)
		return -1;
	view_col(v, "first_day", w, 0, WEEK_FIRST);
	view_col(v, "last_day", w, 0, WEEK_LAST);
	if (db_opt(w, 0, WEEK_EARLIER) != NULL)
		view_str(v, "earlier", slots_link(c, q,
		    db_val(w, 0, WEEK_EARLIER)));
	if (db_opt(w, 0, WEEK_LATER) != NULL)
		view_str(v, "later", slots_link(c, q,
		    db_val(w, 0, WEEK_LATER)));
	days = view_list(c->arena);
	for (i = 0; i < db_rows(s); i++) {
		struct slot t;
		const char *dname;

		if (slots_row(s, i, &t) == -1)
			return -1;
		dname = i18n_days[t.weekday - 1];
		if (strcmp(t.date, last) != 0) {
			last = arena_strdup(c->arena, t.date);
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
		value = arena_strdup(c->arena, t.value);
		hm = arena_strdup(c->arena, t.time);
		offset = t.offset[0] != '\0' ?
		    arena_strdup(c->arena, t.offset) : NULL;
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
	view_bool(v, "has_slots", db_rows(s) > 0);
	view_str(v, "timezone", q->tz);
	view_set(v, "timezones", view_tz_options(c, tzs, q->tz));
	slots_action(c, q, v);
	if (q->guess_tz)
		view_bool(v, "tz_guess", 1);
	return 0;
}
