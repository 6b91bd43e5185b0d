/* slots: an expert's bookable starts a week at a time, as the time picker's view (booking and reschedule pages). */
#include <string.h>

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
	const char *p[5], *last = "", *dlabel = "", *value, *offset;
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
		long long wd = db_int(s, i, SLOT_WEEKDAY);
		const char *dname = i18n_days[wd >= 1 && wd <= 7 ? wd - 1 : 0];

		if (strcmp(db_val(s, i, SLOT_DATE), last) != 0) {
			last = db_val(s, i, SLOT_DATE);
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
		value = db_val(s, i, SLOT_VALUE);
		offset = db_opt(s, i, SLOT_OFFSET);
		o = view_new(c->arena);
		view_str(o, "value", value);
		view_col(o, "time", s, i, SLOT_TIME);
		if (offset != NULL)
			view_str(o, "offset", offset);
		if (q->selected != NULL && strcmp(q->selected, value) == 0) {
			view_bool(o, "checked", 1);
			chosen = view_new(c->arena);
			view_str(chosen, "value", value);
			view_str(chosen, "day", dlabel);
			view_col(chosen, "time", s, i, SLOT_TIME);
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
