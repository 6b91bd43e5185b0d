/* sql: the statement table (see sql.h for the parameters of each). */
#include <string.h>

#include "core/sql.h"

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
    " ceil(extract(epoch FROM u.sessions_valid_after))::bigint,"
    " (SELECT p.language FROM public.user_preferences p"
    "   WHERE p.workos_user_id = u.workos_user_id),"
    " (SELECT p.theme FROM public.user_preferences p"
    "   WHERE p.workos_user_id = u.workos_user_id)"
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

#define SQL_SETUP_JSON(t) \
    "json_build_object('profile_completed', " t ".profile_completed," \
    " 'availability_completed', " t ".availability_completed," \
    " 'events_completed', " t ".events_completed," \
    " 'google_account_completed', " t ".google_account_completed," \
    " 'identity_completed', " t ".identity_completed," \
    " 'payment_completed', " t ".payment_completed," \
    " 'setup_complete', " t ".setup_complete," \
    " 'setup_completed_at', " t ".setup_completed_at)::text"

const char sql_setup_state[] =
    "SELECT coalesce(s.profile_completed, false),"
    " coalesce(s.availability_completed, false),"
    " coalesce(s.events_completed, false),"
    " coalesce(s.google_account_completed, false),"
    " coalesce(s.identity_completed, false),"
    " coalesce(s.payment_completed, false),"
    " coalesce(s.setup_complete, false),"
    " to_char(s.setup_completed_at AT TIME ZONE 'UTC',"
    "   'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " s.id IS NOT NULL, p.id IS NOT NULL, coalesce(p.published, false),"
    " p.handle"
    " FROM (SELECT $1::text AS uid) me"
    " LEFT JOIN public.expert_setup s ON s.workos_user_id = me.uid"
    " LEFT JOIN public.profiles p ON p.workos_user_id = me.uid";

const char sql_setup_ensure_row[] =
    "INSERT INTO public.expert_setup (workos_user_id, org_id)"
    " VALUES ($1, $2::uuid) ON CONFLICT (workos_user_id) DO NOTHING";

const char sql_setup_mark_step[] =
    "WITH old AS (SELECT * FROM public.expert_setup"
    "   WHERE workos_user_id = $1 FOR UPDATE)"
    " UPDATE public.expert_setup s SET"
    " profile_completed = CASE WHEN $2::text = 'profile' THEN $3::boolean"
    "   ELSE s.profile_completed END,"
    " availability_completed = CASE WHEN $2::text = 'availability'"
    "   THEN $3::boolean ELSE s.availability_completed END,"
    " events_completed = CASE WHEN $2::text = 'events' THEN $3::boolean"
    "   ELSE s.events_completed END"
    " FROM old WHERE s.workos_user_id = old.workos_user_id"
    " AND CASE $2::text WHEN 'profile' THEN old.profile_completed"
    "   WHEN 'availability' THEN old.availability_completed"
    "   WHEN 'events' THEN old.events_completed END IS DISTINCT FROM $3::boolean"
    " RETURNING " SQL_SETUP_JSON("old") ", " SQL_SETUP_JSON("s");

const char sql_timezones[] =
    "SELECT name FROM pg_catalog.pg_timezone_names"
    " WHERE app.is_region_timezone(name)"
    " ORDER BY name";

const char sql_profile_publish[] =
    "WITH s AS (SELECT 1 FROM public.expert_setup"
    "   WHERE workos_user_id = $1 AND setup_complete FOR SHARE)"
    " UPDATE public.profiles p SET published = true FROM s"
    " WHERE p.workos_user_id = $1 AND p.handle IS NOT NULL RETURNING p.id";

const char sql_profile_agreement[] =
    "UPDATE public.profiles SET practitioner_agreement_accepted_at = now(),"
    " practitioner_agreement_version = $2,"
    " practitioner_agreement_ip_address = NULLIF($3, '')"
    " WHERE workos_user_id = $1 AND practitioner_agreement_accepted_at IS NULL"
    " RETURNING json_build_object('version', practitioner_agreement_version,"
    " 'accepted_at', practitioner_agreement_accepted_at)::text";

const char sql_profile_unpublish[] =
    "UPDATE public.profiles SET published = false"
    " WHERE workos_user_id = $1 AND published RETURNING id";

#define SQL_PROFILE_COLUMNS \
    " coalesce(handle, ''), first_name, last_name, coalesce(headline, '')," \
    " coalesce(short_bio, ''), coalesce(primary_category_id::text, '')," \
    " published"

const char sql_profile_get[] =
    "SELECT" SQL_PROFILE_COLUMNS
    " FROM public.profiles WHERE workos_user_id = $1";

const char sql_profile_get_for_update[] =
    "SELECT" SQL_PROFILE_COLUMNS
    " FROM public.profiles WHERE workos_user_id = $1 FOR UPDATE";

const char sql_profile_save[] =
    "INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name,"
    " last_name, headline, short_bio, primary_category_id)"
    " VALUES ($1::uuid, $2, NULLIF($3, ''), $4, $5, NULLIF($6, ''),"
    " NULLIF($7, ''), NULLIF($8, '')::uuid)"
    " ON CONFLICT (workos_user_id) DO UPDATE SET handle = EXCLUDED.handle,"
    " first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,"
    " headline = EXCLUDED.headline, short_bio = EXCLUDED.short_bio,"
    " primary_category_id = EXCLUDED.primary_category_id"
    " RETURNING first_name <> '' AND last_name <> ''"
    " AND coalesce(short_bio, '') <> ''";

const char sql_categories[] =
    "SELECT id::text, name FROM public.categories ORDER BY name";

const char sql_schedule_get[] =
    "SELECT timezone FROM public.schedules WHERE workos_user_id = $1";

const char sql_schedule_ranges[] =
    "SELECT a.day_of_week::text, to_char(a.start_time, 'HH24:MI'),"
    " to_char(a.end_time, 'HH24:MI')"
    " FROM public.schedule_availabilities a"
    " JOIN public.schedules s ON s.id = a.schedule_id"
    " WHERE s.workos_user_id = $1 ORDER BY a.day_of_week, a.start_time";

const char sql_schedule_save[] =
    "INSERT INTO public.schedules (org_id, workos_user_id, timezone)"
    " VALUES ($1::uuid, $2, $3)"
    " ON CONFLICT (workos_user_id) DO UPDATE SET timezone = EXCLUDED.timezone"
    " RETURNING id::text";

const char sql_schedule_clear[] =
    "DELETE FROM public.schedule_availabilities WHERE schedule_id = $1::uuid";

const char sql_schedule_add_ranges[] =
    "INSERT INTO public.schedule_availabilities"
    " (org_id, schedule_id, day_of_week, start_time, end_time)"
    " SELECT $1::uuid, $2::uuid, d::public.day, s::time, e::time"
    " FROM unnest($3::text[], $4::text[], $5::text[]) AS t(d, s, e)";

#define SQL_EVENT_COLUMNS \
    " id::text, name, slug, coalesce(description, ''), duration_in_minutes," \
    " price, currency, is_active"

const char sql_events_list[] =
    "SELECT" SQL_EVENT_COLUMNS " FROM public.events"
    " WHERE workos_user_id = $1 ORDER BY \"order\", created_at, name";

const char sql_event_get[] =
    "SELECT" SQL_EVENT_COLUMNS " FROM public.events"
    " WHERE workos_user_id = $1 AND id = $2::uuid";

const char sql_event_get_for_update[] =
    "SELECT" SQL_EVENT_COLUMNS " FROM public.events"
    " WHERE workos_user_id = $1 AND id = $2::uuid FOR UPDATE";

const char sql_event_create[] =
    "INSERT INTO public.events (org_id, workos_user_id, name, slug,"
    " description, duration_in_minutes, price, currency, is_active)"
    " VALUES ($1::uuid, $2, $3, $4, NULLIF($5, ''), $6::integer,"
    " $7::integer, $8, $9::boolean) RETURNING id::text";

const char sql_event_update[] =
    "UPDATE public.events SET name = $3, slug = $4,"
    " description = NULLIF($5, ''), duration_in_minutes = $6::integer,"
    " price = $7::integer, currency = $8, is_active = $9::boolean"
    " WHERE workos_user_id = $1 AND id = $2::uuid RETURNING id::text";

const char sql_events_active_count[] =
    "SELECT count(*) FROM public.events"
    " WHERE workos_user_id = $1 AND is_active";

const char sql_setup_webhook[] =
    "SELECT app.setup_webhook($1, $2, $3, $4)";
/* Admin setup statistics: experts' setup rows, as RLS shows them. */
/* How many of the six steps the expert_setup row t has done. */
#define SQL_STEPS_DONE(t) \
    " (" t ".profile_completed::int + " t ".availability_completed::int" \
    " + " t ".events_completed::int + " t ".google_account_completed::int" \
    " + " t ".identity_completed::int + " t ".payment_completed::int)"
#define SQL_SETUP_STEPS_DONE SQL_STEPS_DONE("s")
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
/*
 * The dashboards (page_dashboard.c).  An expert's time zone is his
 * schedule's, UTC without one (or for a name PostgreSQL does not know);
 * his week runs from Monday 00:00 to the next Monday 00:00 there, counted
 * on local dates so that a daylight-saving change inside it is right.
 * The zone is worked out once (MATERIALIZED: inlined, the schedule lookup
 * and app.timezone_or_utc ran for every use of it).
 */
const char sql_dashboard_expert[] =
    "WITH z AS MATERIALIZED (SELECT app.timezone_or_utc((SELECT s.timezone"
    "   FROM public.schedules s WHERE s.workos_user_id = $1)) AS tz),"
    " w AS MATERIALIZED (SELECT z.tz, date_trunc('week', now() AT TIME ZONE z.tz) AS d"
    "   FROM z)"
    " SELECT w.tz, to_char(w.d, 'YYYY-MM-DD'),"
    " to_char(w.d + interval '6 days', 'YYYY-MM-DD'),"
    " k.total, k.upcoming,"
    " coalesce(" SQL_STEPS_DONE("e") ", 0),"
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
    "WITH z AS MATERIALIZED (SELECT app.timezone_or_utc((SELECT s.timezone"
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

/*
 * The public pages (page_expert.c, page_booking.c): they run without a
 * signed-in user, so only published profiles, their active events and
 * the SECURITY DEFINER functions of 0008/0009 are visible.
 */
const char sql_expert_public[] =
    "SELECT p.workos_user_id, p.first_name, p.last_name,"
    " coalesce(p.headline, ''), coalesce(p.short_bio, ''), coalesce(c.name, ''),"
    " app.timezone_or_utc(s.timezone)"
    " FROM public.profiles p"
    " LEFT JOIN public.categories c ON c.id = p.primary_category_id"
    " LEFT JOIN LATERAL app.public_schedule(p.handle) s ON true"
    " WHERE p.handle = $1 AND p.published";

const char sql_expert_events[] =
    "SELECT e.slug, e.name, coalesce(e.description, ''),"
    " e.duration_in_minutes, e.price, e.currency"
    " FROM public.events e WHERE e.workos_user_id = $1 AND e.is_active"
    " ORDER BY e.\"order\", e.name, e.slug";

const char sql_booking_event[] =
    "SELECT p.first_name, p.last_name, coalesce(p.headline, ''),"
    " e.name, coalesce(e.description, ''), e.duration_in_minutes,"
    " e.price, e.currency, app.timezone_or_utc(s.timezone),"
    " s.booking_window_days"
    " FROM public.profiles p"
    " JOIN public.events e ON e.workos_user_id = p.workos_user_id"
    "   AND e.slug = $2 AND e.is_active"
    " LEFT JOIN LATERAL app.public_schedule(p.handle) s ON true"
    " WHERE p.handle = $1 AND p.published";

const char sql_booking_week[] =
    "WITH t AS (SELECT (now() AT TIME ZONE $1)::date AS today),"
    " d AS (SELECT t.today, least(greatest(coalesce(NULLIF($2::text, '')::date,"
    "   t.today), t.today), t.today + $3::int) AS d0 FROM t)"
    " SELECT to_char(d.d0, 'YYYY-MM-DD'),"
    " CASE WHEN d.d0 > d.today THEN to_char(greatest(d.d0 - $4::int,"
    "   d.today), 'YYYY-MM-DD') END,"
    " CASE WHEN d.d0 + $4::int <= d.today + $3::int"
    "   THEN to_char(d.d0 + $4::int, 'YYYY-MM-DD') END,"
    " to_char(d.d0 + $4::int - 1, 'YYYY-MM-DD')"
    " FROM d";

const char sql_booking_slots[] =
    "SELECT to_char(s.start_time AT TIME ZONE 'UTC',"
    "   'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " to_char(s.start_time AT TIME ZONE $3, 'YYYY-MM-DD'),"
    " extract(isodow FROM s.start_time AT TIME ZONE $3)::int,"
    " to_char(s.start_time AT TIME ZONE $3, 'HH24:MI')"
    " FROM app.available_slots($1, $2, $4::date::timestamp AT TIME ZONE $3,"
    "   ($4::date + $5::int)::timestamp AT TIME ZONE $3"
    "   - interval '1 microsecond') s"
    " ORDER BY s.start_time";

const char sql_guest_lock[] =
    "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended("
    "'eleva.guest:' || lower($1), 0))";

const char sql_slot_state[] =
    "SELECT app.slot_state($1, $2, $3::timestamptz, $4, $5)";

const char sql_book_meeting[] =
    "SELECT b.meeting_id, b.created FROM app.book_meeting($1, $2,"
    " $3::timestamptz, $4, $5, $6, $7, $8, $9, $10) b";

const char sql_booking_when[] =
    "SELECT to_char($1::timestamptz AT TIME ZONE $2, 'YYYY-MM-DD'),"
    " extract(isodow FROM $1::timestamptz AT TIME ZONE $2)::int,"
    " to_char($1::timestamptz AT TIME ZONE $2, 'HH24:MI'),"
    " to_char(($1::timestamptz + make_interval(mins => $3::int))"
    "   AT TIME ZONE $2, 'HH24:MI'),"
    " floor(extract(epoch FROM $1::timestamptz))::bigint";

/* Keep in step with sql.h (t/unit/sql_test checks every declaration is here). */
const struct sql_named sql_table[] = {
	{ "auth_user", sql_auth_user },
	{ "signin_user", sql_signin_user },
	{ "provision_user", sql_provision_user },
	{ "sessions_invalidate", sql_sessions_invalidate },
	{ "prefs_get", sql_prefs_get },
	{ "prefs_get_for_update", sql_prefs_get_for_update },
	{ "prefs_save", sql_prefs_save },
	{ "prefs_reset", sql_prefs_reset },
	{ "setup_state", sql_setup_state },
	{ "setup_ensure_row", sql_setup_ensure_row },
	{ "setup_mark_step", sql_setup_mark_step },
	{ "timezones", sql_timezones },
	{ "profile_publish", sql_profile_publish },
	{ "profile_agreement", sql_profile_agreement },
	{ "profile_unpublish", sql_profile_unpublish },
	{ "profile_get", sql_profile_get },
	{ "profile_get_for_update", sql_profile_get_for_update },
	{ "profile_save", sql_profile_save },
	{ "categories", sql_categories },
	{ "schedule_get", sql_schedule_get },
	{ "schedule_ranges", sql_schedule_ranges },
	{ "schedule_save", sql_schedule_save },
	{ "schedule_clear", sql_schedule_clear },
	{ "schedule_add_ranges", sql_schedule_add_ranges },
	{ "events_list", sql_events_list },
	{ "event_get", sql_event_get },
	{ "event_get_for_update", sql_event_get_for_update },
	{ "event_create", sql_event_create },
	{ "event_update", sql_event_update },
	{ "events_active_count", sql_events_active_count },
	{ "setup_webhook", sql_setup_webhook },
	{ "dashboard_expert", sql_dashboard_expert },
	{ "dashboard_expert_meetings", sql_dashboard_expert_meetings },
	{ "dashboard_bookings", sql_dashboard_bookings },
	{ "admin_setup_stats", sql_admin_setup_stats },
	{ "admin_setup_incomplete", sql_admin_setup_incomplete },
	{ "admin_setup_expert", sql_admin_setup_expert },
	{ "admin_setup_reset", sql_admin_setup_reset },
	{ "expert_public", sql_expert_public },
	{ "expert_events", sql_expert_events },
	{ "booking_event", sql_booking_event },
	{ "booking_week", sql_booking_week },
	{ "booking_slots", sql_booking_slots },
	{ "guest_lock", sql_guest_lock },
	{ "slot_state", sql_slot_state },
	{ "book_meeting", sql_book_meeting },
	{ "booking_when", sql_booking_when },
};

const size_t sql_table_n = sizeof(sql_table) / sizeof(sql_table[0]);

const char *
sql_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sql_table_n; i++)
		if (strcmp(sql_table[i].name, name) == 0)
			return sql_table[i].sql;
	return NULL;
}
