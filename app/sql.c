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

/*
 * The dashboards (page_dashboard.c).  An expert's time zone is his
 * schedule's, UTC without one (or for a name PostgreSQL does not know);
 * his week runs from Monday 00:00 to the next Monday 00:00 there, counted
 * on local dates so that a daylight-saving change inside it is right.
 */
const char sql_dashboard_expert[] =
    "WITH w AS (SELECT z.tz, date_trunc('week', now() AT TIME ZONE z.tz) AS d"
    "   FROM (SELECT app.timezone_or_utc((SELECT s.timezone"
    "     FROM public.schedules s WHERE s.workos_user_id = $1)) AS tz) z)"
    " SELECT w.tz, to_char(w.d, 'YYYY-MM-DD'),"
    " to_char(w.d + interval '6 days', 'YYYY-MM-DD'),"
    " k.total, k.upcoming,"
    " coalesce(e.profile_completed::int + e.availability_completed::int"
    "   + e.events_completed::int + e.google_account_completed::int"
    "   + e.identity_completed::int + e.payment_completed::int, 0),"
    " coalesce(e.setup_complete, false), coalesce(p.published, false)"
    " FROM w CROSS JOIN LATERAL (SELECT count(*) AS total,"
    "   count(*) FILTER (WHERE m.start_time >= now()) AS upcoming"
    "   FROM public.meetings m WHERE m.org_id = $2::uuid"
    "   AND m.status <> 'cancelled'"
    "   AND m.start_time >= (w.d AT TIME ZONE w.tz)"
    "   AND m.start_time < ((w.d + interval '7 days') AT TIME ZONE w.tz)) k"
    " LEFT JOIN public.expert_setup e ON e.workos_user_id = $1"
    " LEFT JOIN public.profiles p ON p.workos_user_id = $1";

const char sql_dashboard_expert_meetings[] =
    "WITH z AS (SELECT app.timezone_or_utc((SELECT s.timezone"
    "   FROM public.schedules s WHERE s.workos_user_id = $1)) AS tz)"
    " SELECT to_char(m.start_time AT TIME ZONE z.tz, 'YYYY-MM-DD'),"
    " extract(isodow FROM m.start_time AT TIME ZONE z.tz)::int,"
    " to_char(m.start_time AT TIME ZONE z.tz, 'HH24:MI'),"
    " to_char(m.end_time AT TIME ZONE z.tz, 'HH24:MI'),"
    " floor(extract(epoch FROM m.start_time))::bigint,"
    " m.guest_name, coalesce(e.name, '')"
    " FROM z CROSS JOIN public.meetings m"
    " LEFT JOIN public.events e ON e.id = m.event_id"
    " WHERE m.org_id = $2::uuid AND m.status <> 'cancelled'"
    " AND m.start_time >= now()"
    " ORDER BY m.start_time, m.id LIMIT 20";

const char sql_dashboard_bookings[] =
    "WITH b AS (SELECT k.*, app.timezone_or_utc(k.timezone) AS tz,"
    "   k.start_time >= now() AND k.status <> 'cancelled' AS upcoming"
    "   FROM app.my_bookings() k),"
    " r AS (SELECT b.*, row_number() OVER (PARTITION BY b.upcoming"
    "   ORDER BY CASE WHEN b.upcoming THEN b.start_time END,"
    "   b.start_time DESC, b.meeting_id) AS n FROM b)"
    " SELECT r.upcoming, to_char(r.start_time AT TIME ZONE r.tz, 'YYYY-MM-DD'),"
    " extract(isodow FROM r.start_time AT TIME ZONE r.tz)::int,"
    " to_char(r.start_time AT TIME ZONE r.tz, 'HH24:MI'),"
    " to_char(r.end_time AT TIME ZONE r.tz, 'HH24:MI'),"
    " floor(extract(epoch FROM r.start_time))::bigint,"
    " r.tz, r.status, coalesce(r.event_name, ''),"
    " concat_ws(' ', r.expert_first_name, r.expert_last_name)"
    " FROM r WHERE r.n <= 20 ORDER BY r.upcoming DESC, r.n";
