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
