/* slots: an expert's bookable starts, a week at a time, as the time picker shows them (templates/slot_week.html, slot_picker.html). */
#ifndef ELEVA_SLOTS_H
#define ELEVA_SLOTS_H

struct ctx;
struct view;

/* Days the picker shows at a time (the "earlier" and "later" links page). */
#define SLOTS_DAYS	7

/*
 * Which starts to show, and where the picker's links go.  Strings are the
 * caller's (arena-owned or static) and must outlive the view.
 */
struct slots_query {
	const char	*handle;	/* the expert's handle */
	const char	*slug;		/* the event's slug */
	const char	*tz;		/* the zone the times are shown in,
					   one slots_tz knows */
	const char	*from;		/* first local date YYYY-MM-DD ("" or
					   NULL: today), checked by
					   slots_from */
	const char	*window;	/* the booking window in days, as
					   text (NULL: "0") */
	const char	*selected;	/* the start chosen (UTC, a radio's
					   value), or NULL */
	const char	*base;		/* the page's path (may carry a
					   query): the zone form's action,
					   the earlier and later links' */
	int		 guess_tz;	/* the visitor named no zone: the
					   page may ask the browser's
					   (static/js/tz.js) */
};

/*
 * tz when PostgreSQL knows it (then the picker may show times in it),
 * else NULL (also for NULL or "").  NULL as well when the zone list
 * cannot be read.
 */
const char	*slots_tz(struct ctx *, const char *tz);

/*
 * s when it is a YYYY-MM-DD date that exists, else "" (today).  s is
 * returned as is (the caller's).
 */
const char	*slots_from(struct ctx *, const char *s);

/*
 * Put the week of starts q asks for into v, for the partials slot_week
 * (the zone form, the range, the earlier/later links: outside any form)
 * and slot_picker (the radio buttons: inside the page's POST form):
 *   first_day, last_day   the local dates shown (YYYY-MM-DD)
 *   earlier, later        links to the week before and after (absent at
 *                         today and past the window): base?tz=..&from=..#times
 *   days                  [{label, weekday, date, slots: [{value, time,
 *                         offset, checked}]}], one per day with starts;
 *                         offset ("+01:00") only on a day whose local
 *                         times occur twice (a clock set back)
 *   has_slots             true when any day has a start
 *   chosen                {value, day, time, offset} of q->selected when
 *                         it is among the starts shown
 *   timezone, timezones   the zone shown, and the zones offered
 *                         ([{value, selected}])
 *   slots_action          q->base without its query; slots_keep, its
 *                         query's pairs ([{name, value}]) but tz and from,
 *                         as hidden fields of the zone form
 *   tz_guess              true when q->guess_tz (tz.js may reload the
 *                         page in the browser's zone)
 * Runs its statements in the request's open transaction.  Returns 0, or
 * -1 when the database failed (answer 503).
 */
int		 slots_week(struct ctx *, const struct slots_query *q,
		    struct view *v);

#endif
