/* sql: every SQL statement the application runs, by name, in one place. */
#ifndef ELEVA_SQL_H
#define ELEVA_SQL_H

/*
 * All are parameterised ($1...) and schema-qualified; they run inside the
 * request's transaction as the app role, so row-level security applies.
 */

/* $1 WorkOS user id, $2 organization uuid: the signed-in user, see auth.c. */
extern const char sql_auth_user[];
/* $1 WorkOS user id: role, setup state, personal organization, sessions_valid_after, language, theme. */
extern const char sql_signin_user[];
/* provision_user($1 id, $2 e-mail, $3 first, $4 last, $5 role, $6 WorkOS org). */
extern const char sql_provision_user[];
/* $1 WorkOS user id: ends every session issued before now. */
extern const char sql_sessions_invalidate[];

/*
 * Preferences, columns in the order of page_security.c's field table:
 * security_alerts, new_device_alerts, email_notifications,
 * in_app_notifications, unusual_timing_alerts, location_change_alerts
 * ('t'/'f'), theme, language.
 */
/* $1 WorkOS user id: the row, if any (for_update: locked for a save). */
extern const char sql_prefs_get[];
extern const char sql_prefs_get_for_update[];
/* $1 user, $2 organization uuid, $3..$10 the values: insert or update, returning them. */
extern const char sql_prefs_save[];
/* $1 user, $2 organization uuid: every column back to its default, returning them. */
extern const char sql_prefs_reset[];

/* Setup (setup.c): six flags, complete, completed_at, has_row, has_profile, published, handle. */
extern const char sql_setup_state[];
/* $1 user, $2 organization uuid: the expert_setup row, created when missing. */
extern const char sql_setup_ensure_row[];
/* $1 user, $2 step (profile, availability, events), $3 done: set it when it differs; returns old, new JSON. */
extern const char sql_setup_mark_step[];
/* The time zones offered: UTC and pg_timezone_names' region names (app.is_region_timezone). */
extern const char sql_timezones[];

/* $1 user: publish a profile with a handle while setup is complete; a row (its id) when published. */
extern const char sql_profile_publish[];
/* $1 user, $2 agreement version, $3 IP: the first acceptance only; a row (the agreement JSON) when recorded. */
extern const char sql_profile_agreement[];
/* $1 user: unpublish; a row when it was published. */
extern const char sql_profile_unpublish[];

/* $1 user: handle, first, last, headline, short bio, primary category id (text, "" for NULL), published. */
extern const char sql_profile_get[];
extern const char sql_profile_get_for_update[];
/* $1 org, $2 user, $3 handle .. $8 category ("" for none): upsert; returns whether the step is complete. */
extern const char sql_profile_save[];
/* id, name of every category, by name. */
extern const char sql_categories[];

/* $1 user: the schedule's time zone (no row: no schedule). */
extern const char sql_schedule_get[];
/* $1 user: day, start "HH:MM", end "HH:MM" of every range, by day and start. */
extern const char sql_schedule_ranges[];
/* $1 org, $2 user, $3 time zone: upsert, returning the schedule id. */
extern const char sql_schedule_save[];
/* $1 schedule id: remove its ranges. */
extern const char sql_schedule_clear[];
/* $1 org, $2 schedule id, $3 days, $4 starts, $5 ends (text arrays): add ranges. */
extern const char sql_schedule_add_ranges[];

/*
 * Events of the signed-in expert (never another's, though RLS lets
 * published ones be read): id, name, slug, description, duration, price,
 * currency, is_active ('t'/'f').
 */
/* $1 user: all of them, in order. */
extern const char sql_events_list[];
/* $1 user, $2 event id: that one, when it is the user's. */
extern const char sql_event_get[];
extern const char sql_event_get_for_update[];
/* $1 org, $2 user, $3 name .. $9 active: returns the new id. */
extern const char sql_event_create[];
/* $1 user, $2 event id, $3 name .. $9 active: returns the id (0 rows: not the user's). */
extern const char sql_event_update[];
/* $1 user: how many active events. */
extern const char sql_events_active_count[];

/* app.setup_webhook($1 user, $2 step, $3 status, $4 delivery id): its verdict. */
extern const char sql_setup_webhook[];
/*
 * The dashboards.  Times come formatted in the right time zone: date
 * (YYYY-MM-DD), ISO weekday (1 Monday .. 7 Sunday), start and end
 * (HH24:MI), start as Unix seconds.
 */
/*
 * $1 expert's WorkOS user id, $2 his organization uuid: one row: time
 * zone, this week's Monday and Sunday (YYYY-MM-DD), the week's
 * non-cancelled meetings of the organization and how many of them are
 * still to come, setup steps done (0-6), setup complete, profile
 * published ('t'/'f').
 */
extern const char sql_dashboard_expert[];
/*
 * $1, $2 as above: the organization's next 20 non-cancelled meetings,
 * soonest first, in the expert's time zone: date, weekday, start, end,
 * start epoch, guest name, event name.
 */
extern const char sql_dashboard_expert_meetings[];
/*
 * No parameters (app.my_bookings(): the signed-in guest's): the next 20
 * non-cancelled bookings, soonest first, then the 20 latest past or
 * cancelled ones, each in its own time zone: upcoming ('t'/'f'), date,
 * weekday, start, end, start epoch, time zone, status, event name,
 * expert's name.
 */
extern const char sql_dashboard_bookings[];

/*
 * The public pages, run without a signed-in user.
 * $1 handle: the published expert: WorkOS user id, first and last name,
 * headline, short bio, category name ('' for none), schedule time zone
 * (UTC without a schedule).  No row: no such published expert.
 */
extern const char sql_expert_public[];
/* $1 expert's WorkOS user id: active events: slug, name, description, minutes, price (minor units), currency. */
extern const char sql_expert_events[];
/*
 * $1 handle, $2 event slug: the published expert's active event: first
 * and last name, headline, event name, description, minutes, price,
 * currency, schedule time zone (UTC without one), booking window in days
 * (NULL without a schedule).  No row: nothing to book there.
 */
extern const char sql_booking_event[];
/*
 * $1 time zone, $2 first date asked for (YYYY-MM-DD, '' for today), $3
 * booking window (days), $4 days shown: the days shown in that zone: the
 * first (today at the earliest, the window's last day at the latest), the
 * first of the page before (NULL when
 * this one starts today), of the page after (NULL beyond the window), the
 * last day shown.
 */
extern const char sql_booking_week[];
/*
 * $1 handle, $2 event slug, $3 the guest's time zone, $4 first local date,
 * $5 days: the bookable starts (app.available_slots) of those local days:
 * the start in UTC (YYYY-MM-DDTHH:MM:SSZ, the form's value), its local
 * date, ISO weekday and HH24:MI.
 */
extern const char sql_booking_slots[];
/*
 * $1 e-mail address: a transaction-scoped advisory lock on it, so that one
 * guest's bookings take turns from WorkOS to the commit.
 */
extern const char sql_guest_lock[];
/* $1 handle, $2 event slug, $3 start, $4 guest e-mail, $5 form token: app.slot_state(). */
extern const char sql_slot_state[];
/*
 * $1 handle, $2 event slug, $3 start, $4 guest's WorkOS user id, $5 the
 * guest's WorkOS organization id, $6 e-mail, $7 name, $8 time zone, $9
 * notes, $10 the form's token (the visitor's CSRF token, by which a
 * repeat is recognised): app.book_meeting(): the meeting's id and whether
 * it was created now ('f': a repeat).  Refusals by SQLSTATE below.
 */
extern const char sql_book_meeting[];
#define SQL_STATE_INVALID	"22023"	/* input app.book_meeting refused */
#define SQL_STATE_TAKEN		"23P01"	/* another meeting holds the time */
#define SQL_STATE_NO_EVENT	"ELNEV"	/* no such published expert/event */
#define SQL_STATE_NOT_OFFERED	"ELNAV"	/* not an available start */
#define SQL_STATE_RESERVED	"ELRSV"	/* someone else's reservation */
/* $1 start, $2 time zone, $3 minutes: local date, ISO weekday, start and end HH24:MI, start epoch. */
extern const char sql_booking_when[];

/* Every statement above by name ("auth_user" ...), for tools (eleva sql). */
struct sql_named {
	const char	*name;
	const char	*sql;
};
extern const struct sql_named	sql_table[];
extern const size_t		sql_table_n;

/* The statement named name, or NULL. */
const char	*sql_by_name(const char *name);

#endif

/*
 * Admin setup statistics (page_admin_stats.c, page_admin_reset.c).  They
 * count and list only what row-level security shows: a platform admin sees
 * every expert's setup row; anybody else at most his own.  An expert is a
 * user whose role is expert_*; steps are profile, availability, events,
 * google_account, identity, payment.
 */
/*
 * One row: total, complete, incomplete, completion rate (complete / total
 * x 100) and average steps completed (true flags over all rows / total),
 * both numeric text with one decimal ("0.0" when there are no rows); then
 * for each of the six steps, in that order, how many completed it and the
 * percentage of experts that did (one decimal).
 */
extern const char sql_admin_setup_stats[];
/*
 * The incomplete experts, newest setup first: $1 limit, $2 offset (NULL:
 * all of them).  Columns: WorkOS user id, name (the profile's if any, else
 * the user's first and last name; NULL when neither), e-mail, steps done,
 * started (ISO 8601 in UTC), started (YYYY-MM-DD, UTC).
 */
extern const char sql_admin_setup_incomplete[];
/*
 * $1 WorkOS user id: the expert_setup row's owner with the columns of
 * sql_admin_setup_incomplete, then setup_complete ('t'/'f'); no row when
 * there is no setup row for that id.
 */
extern const char sql_admin_setup_expert[];
/*
 * $1 WorkOS user id: app.reset_expert_setup (sql/0004_setup.sql) as text:
 * {"old": state, "new": state}, NULL without a setup row; SQLSTATE 42501
 * when the transaction's user is not a platform admin.
 */
extern const char sql_admin_setup_reset[];
