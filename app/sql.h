/* sql: every SQL statement the application runs, by name, in one place. */
#ifndef ELEVA_SQL_H
#define ELEVA_SQL_H

/*
 * All are parameterised ($1...) and schema-qualified; they run inside the
 * request's transaction as the app role, so row-level security applies.
 */

/* $1 WorkOS user id, $2 organization uuid: the signed-in user, see auth.c. */
extern const char sql_auth_user[];
/* $1 WorkOS user id: role, setup state and personal organization, if any. */
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

#endif
