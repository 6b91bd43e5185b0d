/* notify: the e-mails about a meeting — each change for each side, in the recipient's language and time zone: subject, text and HTML parts, the calendar invitation. */
#ifndef ELEVA_NOTIFY_H
#define ELEVA_NOTIFY_H

struct ctx;
struct json_object;
struct pg_result;

/*
 * A meeting's iCalendar UID: its id at our domain, the same in every
 * file and message about it (RFC 5545 3.8.4.7), whatever changes.
 */
#define NOTIFY_UID_FORMAT	"%s@eleva.care"

/* One message of the outbox (sql/0021_manage.sql), ready to render. */
struct notify_in {
	const char	*kind;		/* confirmed, cancelled, rescheduled, reminder */
	const char	*recipient;	/* guest, expert */
	const char	*to_name, *to_addr;
	const char	*meeting_id;
	long		 sequence;	/* the meeting's, when the change was made */
	struct json_object *data;	/* the row's facts (mail_enqueue) */
	const char	*tz;		/* the recipient's time zone */
	const struct pg_result *when;	/* WHEN__COLS: the meeting, in tz */
	const struct pg_result *old_when; /* rescheduled: where it was; NULL */
	const char	*link;		/* absolute: the guest's manage page,
					   the expert's meeting page */
	const char	*organizer_name, *organizer_addr; /* the invitation's */
};

/* What notify_render makes; arena-owned. */
struct notify_msg {
	const char	*subject;
	const char	*text;		/* text/plain */
	const char	*html;		/* text/html */
	const char	*ics;		/* text/calendar, NULL for a reminder */
	const char	*ics_method;	/* REQUEST, CANCEL */
};

/*
 * Render message in for c's language (c->lang) into out, from the
 * catalogs (mail.*) and the template "mail" of c->app->assets.  Returns
 * 0, or -1 when the kind or recipient is unknown or the facts lack the
 * start and end.
 */
int	notify_render(struct ctx *c, const struct notify_in *in,
	    struct notify_msg *out);

#endif
