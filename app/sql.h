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
