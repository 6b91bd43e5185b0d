/* notify: the e-mails about a meeting — each change for each side, in the recipient's language and time zone: subject, text and HTML parts, the calendar invitation. */
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/ics.h"
#include "lib/jsonh.h"
#include "core/assets.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/sql.h"
#include "core/tmpl.h"
#include "core/view.h"
#include "domain/notify.h"

/* The kinds and recipients a message may have (the outbox's checks). */
static const char *const notify_kinds[] = { "confirmed", "cancelled",
    "rescheduled", "reminder", NULL };
static const char *const notify_recipients[] = { "guest", "expert", NULL };

static int
notify_one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

/* A fact of data, "" when absent. */
static const char *
notify_fact(const struct notify_in *in, const char *key)
{
	const char *s = jsonh_str(in->data, key);

	return s != NULL ? s : "";
}

/* "Tuesday 2026-12-08, 09:00–09:50 (Europe/Lisbon)": a WHEN__COLS row. */
static const char *
notify_when(struct ctx *c, const struct pg_result *r, const char *tz)
{
	long long wd = db_int(r, 0, WHEN_WEEKDAY);

	if (wd < 1 || wd > 7)
		wd = 1;
	return arena_printf(c->arena, "%s %s, %s–%s (%s)",
	    view_t(c, arena_printf(c->arena, "day.%s", i18n_days[wd - 1])),
	    db_val(r, 0, WHEN_DATE), db_val(r, 0, WHEN_START),
	    db_val(r, 0, WHEN_END), tz);
}

/* One label and value of the message's facts, in both parts. */
static void
notify_add(struct ctx *c, struct view *facts, struct buf *text,
    const char *label_key, const char *value)
{
	struct view *o;

	if (value == NULL || *value == '\0')
		return;
	o = view_new(c->arena);
	view_str(o, "label", view_t(c, label_key));
	view_str(o, "value", value);
	view_add(facts, o);
	buf_printf(text, "%s: %s\n", view_t(c, label_key), value);
}

/* The invitation: METHOD:REQUEST, or CANCEL once cancelled. */
static const char *
notify_ics(struct ctx *c, const struct notify_in *in, int cancelled,
    long long start, long long end, const char *other)
{
	struct ics_event e;
	struct buf b;
	const char *event = notify_fact(in, "event");

	memset(&e, 0, sizeof(e));
	e.method = cancelled ? "CANCEL" : "REQUEST";
	e.uid = arena_printf(c->arena, NOTIFY_UID_FORMAT, in->meeting_id);
	e.sequence = in->sequence;
	e.start = start;
	e.end = end;
	e.stamp = (long long)time(NULL);
	if (*event == '\0')
		event = view_t(c, "ics.meeting");
	e.summary = *other != '\0' ? arena_printf(c->arena, "%s — %s", event,
	    other) : event;
	e.status = cancelled ? "CANCELLED" : "CONFIRMED";
	e.url = in->link;
	if (strcmp(in->recipient, "expert") == 0 &&
	    *notify_fact(in, "notes") != '\0')
		e.description = notify_fact(in, "notes");
	e.organizer_name = in->organizer_name;
	e.organizer_email = in->organizer_addr;
	e.attendee_name = notify_fact(in, "guest");
	e.attendee_email = notify_fact(in, "guest_email");
	buf_init(&b, c->arena);
	ics_write(&b, &e);
	return buf_str(&b);
}

int
notify_render(struct ctx *c, const struct notify_in *in,
    struct notify_msg *out)
{
	struct view *v, *facts;
	struct buf text, html;
	const char *pairs[13], *k, *r, *other, *when;
	long long start, end;
	int guest, cancelled;

	memset(out, 0, sizeof(*out));
	if (!notify_one_of(in->kind, notify_kinds) ||
	    !notify_one_of(in->recipient, notify_recipients) ||
	    jsonh_int(in->data, "start", &start) != 1 ||
	    jsonh_int(in->data, "end", &end) != 1 || in->when == NULL ||
	    db_rows(in->when) != 1)
		return -1;
	k = in->kind;
	r = in->recipient;
	guest = strcmp(r, "guest") == 0;
	cancelled = strcmp(k, "cancelled") == 0;
	other = guest ? notify_fact(in, "expert") : notify_fact(in, "guest");
	when = notify_when(c, in->when, in->tz);
	pairs[0] = "event";
	pairs[1] = *notify_fact(in, "event") != '\0' ?
	    notify_fact(in, "event") : view_t(c, "ics.meeting");
	pairs[2] = "expert";
	pairs[3] = notify_fact(in, "expert");
	pairs[4] = "guest";
	pairs[5] = notify_fact(in, "guest");
	pairs[6] = "date";
	pairs[7] = db_val(in->when, 0, WHEN_DATE);
	pairs[8] = "start";
	pairs[9] = db_val(in->when, 0, WHEN_START);
	pairs[10] = "name";
	pairs[11] = in->to_name;
	pairs[12] = NULL;

	v = view_new(c->arena);
	facts = view_list(c->arena);
	buf_init(&text, c->arena);
	out->subject = view_tn(c, arena_printf(c->arena, "mail.subject.%s.%s",
	    k, r), pairs);
	view_str(v, "subject", out->subject);
	view_str(v, "lang", i18n_html_lang(c->lang));
	view_str(v, "greeting", view_tn(c, "mail.greeting", pairs));
	view_str(v, "lead", view_tn(c, arena_printf(c->arena,
	    "mail.lead.%s.%s", k, r), pairs));
	buf_printf(&text, "%s\n\n%s\n\n", view_tn(c, "mail.greeting", pairs),
	    view_tn(c, arena_printf(c->arena, "mail.lead.%s.%s", k, r),
	    pairs));
	notify_add(c, facts, &text, "mail.when", when);
	if (in->old_when != NULL && db_rows(in->old_when) == 1)
		notify_add(c, facts, &text, "mail.was",
		    notify_when(c, in->old_when, in->tz));
	notify_add(c, facts, &text, guest ? "mail.with" : "mail.guest",
	    guest ? other : arena_printf(c->arena, "%s <%s>", other,
	    notify_fact(in, "guest_email")));
	notify_add(c, facts, &text, "mail.event", notify_fact(in, "event"));
	if (cancelled && *notify_fact(in, "cancelled_by") != '\0')
		notify_add(c, facts, &text, "mail.by", view_t(c,
		    arena_printf(c->arena, "manage.cancelled_by.%s",
		    notify_fact(in, "cancelled_by"))));
	if (cancelled)
		notify_add(c, facts, &text, "mail.reason",
		    notify_fact(in, "reason"));
	if (!guest && strcmp(k, "confirmed") == 0)
		notify_add(c, facts, &text, "mail.notes",
		    notify_fact(in, "notes"));
	view_set(v, "facts", facts);
	/* A cancelled meeting's guest has nothing left to change. */
	if (in->link != NULL && !(guest && cancelled)) {
		view_str(v, "link", in->link);
		view_str(v, "link_label", view_t(c, arena_printf(c->arena,
		    "mail.link.%s", r)));
		buf_printf(&text, "\n%s:\n%s\n", view_t(c, arena_printf(c->arena,
		    "mail.link.%s", r)), in->link);
	}
	if (strcmp(k, "reminder") != 0) {
		out->ics = notify_ics(c, in, cancelled, start, end, other);
		out->ics_method = cancelled ? "CANCEL" : "REQUEST";
		view_str(v, "ics_text", view_t(c, cancelled ?
		    "mail.ics_cancel" : "mail.ics"));
		buf_printf(&text, "\n%s\n", view_t(c, cancelled ?
		    "mail.ics_cancel" : "mail.ics"));
	}
	buf_printf(&text, "\n-- \n%s\n", view_t(c, "mail.footer"));
	out->text = buf_str(&text);
	buf_init(&html, c->arena);
	if (tmpl_render(c->app->assets->tmpl, "mail", view_object(v), c->lang,
	    &html) == -1)
		return -1;
	out->html = buf_str(&html);
	return 0;
}
