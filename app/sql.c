/* sql: the statement table (see sql.h for the parameters of each). */
#include "sql.h"

const char sql_auth_user[] =
    "SELECT u.email, u.first_name, u.last_name, u.role,"
    " ceil(extract(epoch FROM u.sessions_valid_after))::bigint,"
    " o.name,"
    " (SELECT s.setup_complete FROM public.expert_setup s"
    "   WHERE s.workos_user_id = u.workos_user_id),"
    " (SELECT string_agg(m.role, ',' ORDER BY m.role)"
    "   FROM public.user_org_memberships m"
    "   WHERE m.org_id = o.id AND m.workos_user_id = u.workos_user_id"
    "   AND m.status = 'active'),"
    " coalesce(p.theme, 'light'), coalesce(p.language, 'en')"
    " FROM public.users u JOIN public.organizations o ON o.id = $2::uuid"
    " LEFT JOIN public.user_preferences p"
    "   ON p.workos_user_id = u.workos_user_id"
    " WHERE u.workos_user_id = $1";

const char sql_signin_user[] =
    "SELECT u.role,"
    " (SELECT s.setup_complete FROM public.expert_setup s"
    "   WHERE s.workos_user_id = u.workos_user_id),"
    " (SELECT o.id::text FROM public.organizations o"
    "   JOIN public.user_org_memberships m ON m.org_id = o.id"
    "   WHERE o.slug = 'user-' || u.workos_user_id"
    "   AND m.workos_user_id = u.workos_user_id AND m.role = 'owner'"
    "   AND m.status = 'active'),"
    " ceil(extract(epoch FROM u.sessions_valid_after))::bigint"
    " FROM public.users u WHERE u.workos_user_id = $1";

const char sql_provision_user[] =
    "SELECT app.provision_user($1, $2, $3, $4, $5, $6)::text";

const char sql_sessions_invalidate[] =
    "UPDATE public.users SET sessions_valid_after = now()"
    " WHERE workos_user_id = $1";

#define SQL_PREFS_COLUMNS \
    " security_alerts, new_device_alerts, email_notifications," \
    " in_app_notifications, unusual_timing_alerts, location_change_alerts," \
    " theme, language"

const char sql_prefs_get[] =
    "SELECT" SQL_PREFS_COLUMNS
    " FROM public.user_preferences WHERE workos_user_id = $1";

const char sql_prefs_get_for_update[] =
    "SELECT" SQL_PREFS_COLUMNS
    " FROM public.user_preferences WHERE workos_user_id = $1 FOR UPDATE";

const char sql_prefs_save[] =
    "INSERT INTO public.user_preferences (workos_user_id, org_id,"
    SQL_PREFS_COLUMNS ")"
    " VALUES ($1, $2::uuid, $3::boolean, $4::boolean, $5::boolean,"
    " $6::boolean, $7::boolean, $8::boolean, $9, $10)"
    " ON CONFLICT (workos_user_id) DO UPDATE SET"
    " security_alerts = EXCLUDED.security_alerts,"
    " new_device_alerts = EXCLUDED.new_device_alerts,"
    " email_notifications = EXCLUDED.email_notifications,"
    " in_app_notifications = EXCLUDED.in_app_notifications,"
    " unusual_timing_alerts = EXCLUDED.unusual_timing_alerts,"
    " location_change_alerts = EXCLUDED.location_change_alerts,"
    " theme = EXCLUDED.theme, language = EXCLUDED.language"
    " RETURNING" SQL_PREFS_COLUMNS;

const char sql_prefs_reset[] =
    "INSERT INTO public.user_preferences (workos_user_id, org_id)"
    " VALUES ($1, $2::uuid)"
    " ON CONFLICT (workos_user_id) DO UPDATE SET"
    " security_alerts = DEFAULT, new_device_alerts = DEFAULT,"
    " email_notifications = DEFAULT, in_app_notifications = DEFAULT,"
    " unusual_timing_alerts = DEFAULT, location_change_alerts = DEFAULT,"
    " theme = DEFAULT, language = DEFAULT"
    " RETURNING" SQL_PREFS_COLUMNS;

/* Admin setup statistics: experts' setup rows, as RLS shows them. */
#define SQL_SETUP_STEPS_DONE \
    " (s.profile_completed::int + s.availability_completed::int" \
    " + s.events_completed::int + s.google_account_completed::int" \
    " + s.identity_completed::int + s.payment_completed::int)"
#define SQL_SETUP_EXPERTS \
    " FROM public.expert_setup s" \
    " JOIN public.users u ON u.workos_user_id = s.workos_user_id" \
    " AND u.role IN ('expert_community', 'expert_lecturer', 'expert_top')"
#define SQL_SETUP_STEP(flag) \
    ", count(*) FILTER (WHERE s." flag ")" \
    ", round(CASE WHEN count(*) = 0 THEN 0" \
    " ELSE 100.0 * count(*) FILTER (WHERE s." flag ") / count(*) END, 1)"
#define SQL_SETUP_ROW \
    "SELECT s.workos_user_id," \
    " NULLIF(btrim(CASE WHEN p.id IS NULL" \
    "   THEN concat_ws(' ', u.first_name, u.last_name)" \
    "   ELSE concat_ws(' ', p.first_name, p.last_name) END), '')," \
    " u.email," SQL_SETUP_STEPS_DONE "," \
    " to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')," \
    " to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"

const char sql_admin_setup_stats[] =
    "SELECT count(*), count(*) FILTER (WHERE s.setup_complete),"
    " count(*) FILTER (WHERE NOT s.setup_complete),"
    " round(CASE WHEN count(*) = 0 THEN 0"
    "   ELSE 100.0 * count(*) FILTER (WHERE s.setup_complete) / count(*) END, 1),"
    " round(CASE WHEN count(*) = 0 THEN 0"
    "   ELSE sum(" SQL_SETUP_STEPS_DONE ")::numeric / count(*) END, 1)"
    SQL_SETUP_STEP("profile_completed")
    SQL_SETUP_STEP("availability_completed")
    SQL_SETUP_STEP("events_completed")
    SQL_SETUP_STEP("google_account_completed")
    SQL_SETUP_STEP("identity_completed")
    SQL_SETUP_STEP("payment_completed")
    SQL_SETUP_EXPERTS;

const char sql_admin_setup_incomplete[] =
    SQL_SETUP_ROW
    SQL_SETUP_EXPERTS
    " LEFT JOIN public.profiles p ON p.workos_user_id = s.workos_user_id"
    " WHERE NOT s.setup_complete"
    " ORDER BY s.created_at DESC, s.workos_user_id"
    " LIMIT $1::int OFFSET $2::int";

const char sql_admin_setup_expert[] =
    SQL_SETUP_ROW ", s.setup_complete"
    SQL_SETUP_EXPERTS
    " LEFT JOIN public.profiles p ON p.workos_user_id = s.workos_user_id"
    " WHERE s.workos_user_id = $1";

const char sql_admin_setup_reset[] =
    "SELECT app.reset_expert_setup($1)::text";
