/* sql: the statement table (sql.h documents each statement's parameters and columns). */
#include <string.h>

#include "core/sql.h"

/*
 * SQL(...) is the text between its parentheses as a string, written as
 * SQL rather than as C strings.  The arguments are macro-expanded first,
 * so a statement uses the SQL_ fragments defined beside it by name; C's
 * own macros would expand too, hence NULL is undefined here (this file
 * writes 0) and a header that defines true or false is refused.  The
 * preprocessor keeps '...' literals whole and turns each run of spaces
 * and newlines into one space.  SQL's -- comments cannot be written.
 */
#define SQL(...)	SQL_STR(__VA_ARGS__)
#define SQL_STR(...)	" " #__VA_ARGS__ " "

/*
 * The WHEN__COLS of sql.h for a meeting from start to end, in time zone
 * tz: its local date, ISO weekday, start and end times, and the start in
 * Unix seconds (view_when reads them).
 */
#define SQL_WHEN(start, end, tz) \
	    to_char((start) AT TIME ZONE (tz), 'YYYY-MM-DD'), \
	    extract(isodow FROM (start) AT TIME ZONE (tz))::int, \
	    to_char((start) AT TIME ZONE (tz), 'HH24:MI'), \
	    to_char((end) AT TIME ZONE (tz), 'HH24:MI'), \
	    floor(extract(epoch FROM (start)))::bigint

/*
 * z.tz: the time zone of expert user's schedule, UTC without one (or for
 * a name PostgreSQL does not know), worked out once (MATERIALIZED: inlined,
 * the lookup ran for every use).
 */
#define SQL_EXPERT_TZ(user) \
	    z AS MATERIALIZED (SELECT app.timezone_or_utc((SELECT s.timezone \
	      FROM public.schedules s WHERE s.workos_user_id = (user))) AS tz)
#undef NULL
#if defined(true) || defined(false)
#error "core/sql.c: true and false are SQL here, not C macros"
#endif

const struct sql_stmt sql_stmts[SQL__N] = {
	[SQL_AUTH_USER] = { "auth_user", 3, AUTH_USER__COLS, 0,
	    SQL(SELECT u.email, u.first_name, u.last_name, u.role,
	    ceil(extract(epoch FROM u.sessions_valid_after))::bigint,
	    o.name,
	    (SELECT s.setup_complete FROM public.expert_setup s
	      WHERE s.workos_user_id = u.workos_user_id),
	    (SELECT string_agg(m.role, ',' ORDER BY m.role)
	      FROM public.user_org_memberships m
	      WHERE m.org_id = o.id AND m.workos_user_id = u.workos_user_id
	      AND m.status = 'active'),
	    coalesce(p.theme, 'light'), coalesce(p.language, 'en'),
	    EXISTS (SELECT 1 FROM public.ended_sessions e
	      WHERE e.session_id = $3 AND e.workos_user_id = u.workos_user_id)
	    FROM public.users u JOIN public.organizations o ON o.id = $2::uuid
	    LEFT JOIN public.user_preferences p
	      ON p.workos_user_id = u.workos_user_id
	    WHERE u.workos_user_id = $1) },
	[SQL_SIGNIN_USER] = { "signin_user", 1, SIGNIN_USER__COLS, 0,
	    SQL(SELECT u.role,
	    (SELECT s.setup_complete FROM public.expert_setup s
	      WHERE s.workos_user_id = u.workos_user_id),
	    (SELECT o.id::text FROM public.organizations o
	      JOIN public.user_org_memberships m ON m.org_id = o.id
	      WHERE o.slug = 'user-' || u.workos_user_id
	      AND m.workos_user_id = u.workos_user_id AND m.role = 'owner'
	      AND m.status = 'active'),
	    ceil(extract(epoch FROM u.sessions_valid_after))::bigint,
	    (SELECT p.language FROM public.user_preferences p
	      WHERE p.workos_user_id = u.workos_user_id),
	    (SELECT p.theme FROM public.user_preferences p
	      WHERE p.workos_user_id = u.workos_user_id)
	    FROM public.users u WHERE u.workos_user_id = $1) },
	[SQL_PROVISION_USER] = { "provision_user", 6, 1, 0,
	    SQL(SELECT app.sign_in_provision($1, $2, $3, $4, $5, $6)::text) },
	[SQL_SESSIONS_INVALIDATE] = { "sessions_invalidate", 1, 0, 0,
	    SQL(UPDATE public.users SET sessions_valid_after = now()
	    WHERE workos_user_id = $1) },
	[SQL_LEASE_TAKE] = { "lease_take", 3, 1, 0,
	    SQL(SELECT app.lease_take($1, $2, $3::int)) },
	[SQL_LEASE_RELEASE] = { "lease_release", 2, 1, 0,
	    SQL(SELECT app.lease_release($1, $2)) },
	[SQL_REFRESH_GET] = { "refresh_get", 2, 1, 0,
	    SQL(SELECT sealed FROM public.session_refreshes
	    WHERE local_id = $1 AND old_token_hash = $2
	    AND refreshed_at > now() - interval '1 minute') },
	[SQL_REFRESH_PUT] = { "refresh_put", 4, 0, 0,
	    SQL(WITH past AS (DELETE FROM public.session_refreshes
	      WHERE workos_user_id = $3
	      AND refreshed_at < now() - interval '10 minutes')
	    INSERT INTO public.session_refreshes
	    (local_id, old_token_hash, workos_user_id, sealed)
	    VALUES ($1, $2, $3, $4)
	    ON CONFLICT (local_id, old_token_hash) DO NOTHING) },
	[SQL_SESSION_END] = { "session_end", 3, 0, 0,
	    SQL(WITH past AS (DELETE FROM public.ended_sessions
	      WHERE workos_user_id = $2
	      AND ended_at < now() - make_interval(secs => $3::int))
	    INSERT INTO public.ended_sessions (session_id, workos_user_id)
	    VALUES ($1, $2) ON CONFLICT (session_id) DO NOTHING) },
#define SQL_PREFS_COLUMNS \
	    security_alerts, new_device_alerts, email_notifications, \
	    in_app_notifications, unusual_timing_alerts, location_change_alerts, \
	    theme, language

#define SQL_PREFS_SELECT \
	    SELECT SQL_PREFS_COLUMNS FROM public.user_preferences WHERE workos_user_id = $1

	[SQL_PREFS_GET] = { "prefs_get", 1, PREFS__COLS, 0, SQL(SQL_PREFS_SELECT) },
	[SQL_PREFS_GET_FOR_UPDATE] = { "prefs_get_for_update", 1, PREFS__COLS, 0,
	    SQL(SQL_PREFS_SELECT FOR UPDATE) },
	[SQL_PREFS_SAVE] = { "prefs_save", 10, PREFS__COLS, 0,
	    SQL(INSERT INTO public.user_preferences (workos_user_id, org_id,
	    SQL_PREFS_COLUMNS)
	    VALUES ($1, $2::uuid, $3::boolean, $4::boolean, $5::boolean,
	    $6::boolean, $7::boolean, $8::boolean, $9, $10)
	    ON CONFLICT (workos_user_id) DO UPDATE SET
	    security_alerts = EXCLUDED.security_alerts,
	    new_device_alerts = EXCLUDED.new_device_alerts,
	    email_notifications = EXCLUDED.email_notifications,
	    in_app_notifications = EXCLUDED.in_app_notifications,
	    unusual_timing_alerts = EXCLUDED.unusual_timing_alerts,
	    location_change_alerts = EXCLUDED.location_change_alerts,
	    theme = EXCLUDED.theme, language = EXCLUDED.language
	    RETURNING SQL_PREFS_COLUMNS) },
	[SQL_PREFS_RESET] = { "prefs_reset", 2, PREFS__COLS, 0,
	    SQL(INSERT INTO public.user_preferences (workos_user_id, org_id)
	    VALUES ($1, $2::uuid)
	    ON CONFLICT (workos_user_id) DO UPDATE SET
	    security_alerts = DEFAULT, new_device_alerts = DEFAULT,
	    email_notifications = DEFAULT, in_app_notifications = DEFAULT,
	    unusual_timing_alerts = DEFAULT, location_change_alerts = DEFAULT,
	    theme = DEFAULT, language = DEFAULT
	    RETURNING SQL_PREFS_COLUMNS) },
#define SQL_SETUP_JSON(t) \
	    json_build_object('profile_completed', t.profile_completed, \
	    'availability_completed', t.availability_completed, \
	    'events_completed', t.events_completed, \
	    'google_account_completed', t.google_account_completed, \
	    'identity_completed', t.identity_completed, \
	    'payment_completed', t.payment_completed, \
	    'setup_complete', t.setup_complete, \
	    'setup_completed_at', t.setup_completed_at)::text

	[SQL_SETUP_STATE] = { "setup_state", 1, SETUP_STATE__COLS, 0,
	    SQL(SELECT coalesce(s.profile_completed, false),
	    coalesce(s.availability_completed, false),
	    coalesce(s.events_completed, false),
	    coalesce(s.google_account_completed, false),
	    coalesce(s.identity_completed, false),
	    coalesce(s.payment_completed, false),
	    coalesce(s.setup_complete, false),
	    to_char(s.setup_completed_at AT TIME ZONE 'UTC',
	      'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
	    s.id IS NOT NULL, p.id IS NOT NULL, coalesce(p.published, false),
	    p.handle
	    FROM (SELECT $1::text AS uid) me
	    LEFT JOIN public.expert_setup s ON s.workos_user_id = me.uid
	    LEFT JOIN public.profiles p ON p.workos_user_id = me.uid) },
	[SQL_SETUP_ENSURE_ROW] = { "setup_ensure_row", 2, 0, 0,
	    SQL(INSERT INTO public.expert_setup (workos_user_id, org_id)
	    VALUES ($1, $2::uuid) ON CONFLICT (workos_user_id) DO NOTHING) },
	[SQL_SETUP_MARK_STEP] = { "setup_mark_step", 3, MARK_STEP__COLS, 0,
	    SQL(WITH old AS (SELECT * FROM public.expert_setup
	      WHERE workos_user_id = $1 FOR UPDATE)
	    UPDATE public.expert_setup s SET
	    profile_completed = CASE WHEN $2::text = 'profile' THEN $3::boolean
	      ELSE s.profile_completed END,
	    availability_completed = CASE WHEN $2::text = 'availability'
	      THEN $3::boolean ELSE s.availability_completed END,
	    events_completed = CASE WHEN $2::text = 'events' THEN $3::boolean
	      ELSE s.events_completed END
	    FROM old WHERE s.workos_user_id = old.workos_user_id
	    AND CASE $2::text WHEN 'profile' THEN old.profile_completed
	      WHEN 'availability' THEN old.availability_completed
	      WHEN 'events' THEN old.events_completed END IS DISTINCT FROM $3::boolean
	    RETURNING SQL_SETUP_JSON(old), SQL_SETUP_JSON(s)) },
	[SQL_TIMEZONES] = { "timezones", 0, 1, 0,
	    SQL(SELECT name FROM pg_catalog.pg_timezone_names
	    WHERE app.is_region_timezone(name)
	    ORDER BY name) },
	[SQL_PROFILE_PUBLISH] = { "profile_publish", 1, 1, 0,
	    SQL(WITH s AS (SELECT 1 FROM public.expert_setup
	      WHERE workos_user_id = $1 AND setup_complete FOR SHARE)
	    UPDATE public.profiles p SET published = true FROM s
	    WHERE p.workos_user_id = $1 AND p.handle IS NOT NULL RETURNING p.id) },
	[SQL_PROFILE_AGREEMENT] = { "profile_agreement", 3, 1, 0,
	    SQL(UPDATE public.profiles SET practitioner_agreement_accepted_at = now(),
	    practitioner_agreement_version = $2,
	    practitioner_agreement_ip_address = NULLIF($3, '')
	    WHERE workos_user_id = $1 AND practitioner_agreement_accepted_at IS NULL
	    RETURNING json_build_object('version', practitioner_agreement_version,
	    'accepted_at', practitioner_agreement_accepted_at)::text) },
	[SQL_PROFILE_UNPUBLISH] = { "profile_unpublish", 1, 1, 0,
	    SQL(UPDATE public.profiles SET published = false
	    WHERE workos_user_id = $1 AND published RETURNING id) },
#define SQL_PROFILE_COLUMNS \
	    coalesce(handle, ''), first_name, last_name, coalesce(headline, ''), \
	    coalesce(short_bio, ''), coalesce(primary_category_id::text, ''), \
	    published

#define SQL_PROFILE_SELECT \
	    SELECT SQL_PROFILE_COLUMNS FROM public.profiles WHERE workos_user_id = $1

	[SQL_PROFILE_GET] = { "profile_get", 1, PROFILE__COLS, 0, SQL(SQL_PROFILE_SELECT) },
	[SQL_PROFILE_GET_FOR_UPDATE] = { "profile_get_for_update", 1, PROFILE__COLS, 0,
	    SQL(SQL_PROFILE_SELECT FOR UPDATE) },
	[SQL_PROFILE_SAVE] = { "profile_save", 8, 1, 0,
	    SQL(INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name,
	    last_name, headline, short_bio, primary_category_id)
	    VALUES ($1::uuid, $2, NULLIF($3, ''), $4, $5, NULLIF($6, ''),
	    NULLIF($7, ''), NULLIF($8, '')::uuid)
	    ON CONFLICT (workos_user_id) DO UPDATE SET handle = EXCLUDED.handle,
	    first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
	    headline = EXCLUDED.headline, short_bio = EXCLUDED.short_bio,
	    primary_category_id = EXCLUDED.primary_category_id
	    RETURNING first_name <> '' AND last_name <> ''
	    AND coalesce(short_bio, '') <> '') },
	[SQL_CATEGORIES] = { "categories", 0, CATEGORY__COLS, 0,
	    SQL(SELECT id::text, name FROM public.categories ORDER BY name) },
	[SQL_SCHEDULE_GET] = { "schedule_get", 1, 1, 0,
	    SQL(SELECT timezone FROM public.schedules WHERE workos_user_id = $1) },
	[SQL_SCHEDULE_RANGES] = { "schedule_ranges", 1, RANGE__COLS, 0,
	    SQL(SELECT a.day_of_week::text, to_char(a.start_time, 'HH24:MI'),
	    to_char(a.end_time, 'HH24:MI')
	    FROM public.schedule_availabilities a
	    JOIN public.schedules s ON s.id = a.schedule_id
	    WHERE s.workos_user_id = $1 ORDER BY a.day_of_week, a.start_time) },
	[SQL_SCHEDULE_SAVE] = { "schedule_save", 3, 1, 0,
	    SQL(INSERT INTO public.schedules (org_id, workos_user_id, timezone)
	    VALUES ($1::uuid, $2, $3)
	    ON CONFLICT (workos_user_id) DO UPDATE SET timezone = EXCLUDED.timezone
	    RETURNING id::text) },
	[SQL_SCHEDULE_CLEAR] = { "schedule_clear", 1, 0, 0,
	    SQL(DELETE FROM public.schedule_availabilities WHERE schedule_id = $1::uuid) },
	[SQL_SCHEDULE_ADD_RANGES] = { "schedule_add_ranges", 5, 0, 0,
	    SQL(INSERT INTO public.schedule_availabilities
	    (org_id, schedule_id, day_of_week, start_time, end_time)
	    SELECT $1::uuid, $2::uuid, d::public.day, s::time, e::time
	    FROM unnest($3::text[], $4::text[], $5::text[]) AS t(d, s, e)) },
#define SQL_EVENT_COLUMNS \
	    id::text, name, slug, coalesce(description, ''), duration_in_minutes, \
	    price, currency, is_active

	[SQL_EVENTS_LIST] = { "events_list", 1, EVENT__COLS, 0,
	    SQL(SELECT SQL_EVENT_COLUMNS FROM public.events
	    WHERE workos_user_id = $1 ORDER BY "order", created_at, name) },
#define SQL_EVENT_SELECT \
	    SELECT SQL_EVENT_COLUMNS FROM public.events \
	    WHERE workos_user_id = $1 AND id = $2::uuid

	[SQL_EVENT_GET] = { "event_get", 2, EVENT__COLS, 0, SQL(SQL_EVENT_SELECT) },
	[SQL_EVENT_GET_FOR_UPDATE] = { "event_get_for_update", 2, EVENT__COLS, 0,
	    SQL(SQL_EVENT_SELECT FOR UPDATE) },
	[SQL_EVENT_CREATE] = { "event_create", 9, 1, 0,
	    SQL(INSERT INTO public.events (org_id, workos_user_id, name, slug,
	    description, duration_in_minutes, price, currency, is_active)
	    VALUES ($1::uuid, $2, $3, $4, NULLIF($5, ''), $6::integer,
	    $7::integer, $8, $9::boolean) RETURNING id::text) },
	[SQL_EVENT_UPDATE] = { "event_update", 9, 1, 0,
	    SQL(UPDATE public.events SET name = $3, slug = $4,
	    description = NULLIF($5, ''), duration_in_minutes = $6::integer,
	    price = $7::integer, currency = $8, is_active = $9::boolean
	    WHERE workos_user_id = $1 AND id = $2::uuid RETURNING id::text) },
	[SQL_EVENTS_ACTIVE_COUNT] = { "events_active_count", 1, 1, 0,
	    SQL(SELECT count(*) FROM public.events
	    WHERE workos_user_id = $1 AND is_active) },
	[SQL_RULES_GET] = { "rules_get", 1, RULES__COLS, 0,
	    SQL(SELECT before_event_buffer, after_event_buffer, minimum_notice,
	    time_slot_interval, booking_window_days, cancellation_notice
	    FROM public.scheduling_settings WHERE workos_user_id = $1) },
	[SQL_RULES_SAVE] = { "rules_save", 8, 1, 0,
	    SQL(INSERT INTO public.scheduling_settings (org_id, workos_user_id,
	    before_event_buffer, after_event_buffer, minimum_notice,
	    time_slot_interval, booking_window_days, cancellation_notice)
	    VALUES ($1::uuid, $2, $3::integer, $4::integer, $5::integer,
	    $6::integer, $7::integer, $8::integer)
	    ON CONFLICT (workos_user_id) DO UPDATE SET
	    before_event_buffer = EXCLUDED.before_event_buffer,
	    after_event_buffer = EXCLUDED.after_event_buffer,
	    minimum_notice = EXCLUDED.minimum_notice,
	    time_slot_interval = EXCLUDED.time_slot_interval,
	    booking_window_days = EXCLUDED.booking_window_days,
	    cancellation_notice = EXCLUDED.cancellation_notice
	    RETURNING id::text) },
	[SQL_BLOCKED_LIST] = { "blocked_list", 1, BLOCKED__COLS, 0,
	    SQL(SELECT b.id::text, b.date::text, coalesce(b.reason, '')
	    FROM public.blocked_dates b
	    WHERE b.workos_user_id = $1 AND b.date >= current_date - 1
	    ORDER BY b.date) },
	[SQL_BLOCKED_ADD] = { "blocked_add", 4, 1, 0,
	    SQL(INSERT INTO public.blocked_dates (org_id, workos_user_id, date,
	    timezone, reason)
	    SELECT $1::uuid, $2, $3::date, app.timezone_or_utc((SELECT s.timezone
	      FROM public.schedules s WHERE s.workos_user_id = $2)), $4
	    ON CONFLICT (workos_user_id, date) DO UPDATE SET reason = EXCLUDED.reason
	    RETURNING id::text) },
	[SQL_BLOCKED_REMOVE] = { "blocked_remove", 2, 1, 0,
	    SQL(DELETE FROM public.blocked_dates
	    WHERE workos_user_id = $1 AND id = $2::bigint RETURNING date::text) },
	[SQL_SETUP_WEBHOOK] = { "setup_webhook", 6, 1, 0,
	    SQL(SELECT app.setup_webhook($1, $2, $3, $4, $5::bigint, $6)) },

/* Admin setup statistics: experts' setup rows, as RLS shows them. */
/* How many of the six steps the expert_setup row t has done. */
#define SQL_STEPS_DONE(t) \
	    (t.profile_completed::int + t.availability_completed::int \
	    + t.events_completed::int + t.google_account_completed::int \
	    + t.identity_completed::int + t.payment_completed::int)
#define SQL_SETUP_EXPERTS \
	    FROM public.expert_setup s \
	    JOIN public.users u ON u.workos_user_id = s.workos_user_id \
	    AND u.role IN ('expert_community', 'expert_lecturer', 'expert_top')
#define SQL_SETUP_STEP(flag) \
	    count(*) FILTER (WHERE s.flag), \
	    round(CASE WHEN count(*) = 0 THEN 0 \
	      ELSE 100.0 * count(*) FILTER (WHERE s.flag) / count(*) END, 1)
#define SQL_SETUP_ROW \
	    SELECT s.workos_user_id, \
	    NULLIF(btrim(CASE WHEN p.id IS NULL \
	      THEN concat_ws(' ', u.first_name, u.last_name) \
	      ELSE concat_ws(' ', p.first_name, p.last_name) END), ''), \
	    u.email, SQL_STEPS_DONE(s), \
	    to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), \
	    to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')

	[SQL_ADMIN_SETUP_STATS] = { "admin_setup_stats", 0, STATS__COLS, 0,
	    SQL(SELECT count(*), count(*) FILTER (WHERE s.setup_complete),
	    count(*) FILTER (WHERE NOT s.setup_complete),
	    round(CASE WHEN count(*) = 0 THEN 0
	      ELSE 100.0 * count(*) FILTER (WHERE s.setup_complete) / count(*) END, 1),
	    round(CASE WHEN count(*) = 0 THEN 0
	      ELSE sum(SQL_STEPS_DONE(s))::numeric / count(*) END, 1),
	    SQL_SETUP_STEP(profile_completed),
	    SQL_SETUP_STEP(availability_completed),
	    SQL_SETUP_STEP(events_completed),
	    SQL_SETUP_STEP(google_account_completed),
	    SQL_SETUP_STEP(identity_completed),
	    SQL_SETUP_STEP(payment_completed)
	    SQL_SETUP_EXPERTS) },
	[SQL_ADMIN_SETUP_INCOMPLETE] = { "admin_setup_incomplete", 2, EXPERT_COMPLETE, 0,
	    SQL(SQL_SETUP_ROW
	    SQL_SETUP_EXPERTS
	    LEFT JOIN public.profiles p ON p.workos_user_id = s.workos_user_id
	    WHERE NOT s.setup_complete
	    ORDER BY s.created_at DESC, s.workos_user_id
	    LIMIT $1::int OFFSET $2::int) },
	[SQL_ADMIN_SETUP_EXPERT] = { "admin_setup_expert", 1, EXPERT__COLS, 0,
	    SQL(SQL_SETUP_ROW, s.setup_complete
	    SQL_SETUP_EXPERTS
	    LEFT JOIN public.profiles p ON p.workos_user_id = s.workos_user_id
	    WHERE s.workos_user_id = $1) },
	[SQL_ADMIN_SETUP_RESET] = { "admin_setup_reset", 1, 1, 0,
	    SQL(SELECT app.reset_expert_setup($1)::text) },
	[SQL_ADMIN_USERS] = { "admin_users", 2, ADMIN_USER__COLS, 0,
	    SQL(SELECT u.workos_user_id, u.email,
	    NULLIF(concat_ws(' ', u.first_name, u.last_name), ''), u.role,
	    to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
	    FROM public.users u
	    CROSS JOIN LATERAL (SELECT '%' || replace(replace(replace($1::text,
	      chr(92), chr(92) || chr(92)), '%', chr(92) || '%'), '_',
	      chr(92) || '_') || '%' AS pat) q
	    WHERE $1::text IS NULL OR u.email ILIKE q.pat
	      OR concat_ws(' ', u.first_name, u.last_name) ILIKE q.pat
	    ORDER BY u.created_at DESC, u.workos_user_id
	    LIMIT $2::int) },
	[SQL_SET_USER_ROLE] = { "set_user_role", 2, 1, 0,
	    SQL(SELECT app.set_user_role($1, $2)) },
	[SQL_WORKOS_EVENT] = { "workos_event", 6, WORKOS_EVENT__COLS, 0,
	    SQL(SELECT e.outcome, e.detail
	    FROM app.workos_event($1, $2, $3, $4, $5::bigint, $6) e) },
	[SQL_ADMIN_WEBHOOKS] = { "admin_webhooks", 1, ADMIN_WEBHOOK__COLS, 0,
	    SQL(SELECT e.id, e.event, e.object_id,
	    to_char(e.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
	    to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
	    e.outcome, e.detail
	    FROM public.workos_events e
	    ORDER BY e.received_at DESC, e.id DESC LIMIT $1::integer) },

/*
 * The audit log (domain/audit_log.c).  The list is the page and the
 * export alike; the IP address and the local time are worked out once
 * per row in x.  It is planned for its values every time (unprepared): a
 * generic plan of its optional filters cannot use an index and read the
 * whole log (42 ms against 0.7 ms on 100,000 rows).
 */
	[SQL_AUDIT_LIST] = { "audit_list", 10, AUDIT__COLS, SQL_UNPREPARED,
	    SQL(SELECT a.id::text, x.local, x.utc,
	    (extract(epoch FROM a.created_at) * 1000000)::bigint,
	    a.action, a.resource_type, a.resource_id, a.workos_user_id,
	    u.email, x.ip, a.user_agent, a.request_id, o.name,
	    json_build_object('id', a.id, 'time', x.utc, 'local_time', x.local,
	      'organization', o.name, 'action', a.action,
	      'resource_type', a.resource_type, 'resource_id', a.resource_id,
	      'user', a.workos_user_id, 'user_email', u.email, 'ip', x.ip,
	      'user_agent', a.user_agent, 'request_id', a.request_id,
	      'old_values', a.old_values, 'new_values', a.new_values,
	      'metadata', a.metadata)::text,
	    a.old_values::text, a.new_values::text, a.metadata::text
	    FROM public.audit_logs a
	    CROSS JOIN LATERAL (SELECT
	      to_char(a.created_at AT TIME ZONE $6, 'YYYY-MM-DD HH24:MI:SS') AS local,
	      to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS utc,
	      CASE WHEN $10::boolean THEN a.ip_address
	        ELSE app.audit_ip_anon(a.ip_address) END AS ip) x
	    LEFT JOIN public.users u ON u.workos_user_id = a.workos_user_id
	    LEFT JOIN public.organizations o ON o.id = a.org_id
	    WHERE ($1::uuid IS NULL OR a.org_id = $1::uuid)
	    AND ($2::text IS NULL OR a.action = $2)
	    AND ($3::text IS NULL OR a.resource_type = $3)
	    AND ($4::date IS NULL OR a.created_at >= ($4::date::timestamp AT TIME ZONE $6))
	    AND ($5::date IS NULL
	      OR a.created_at < (($5::date + 1)::timestamp AT TIME ZONE $6))
	    AND ($7::bigint IS NULL OR (a.created_at, a.id) <
	      (timestamptz 'epoch' + $7::bigint * interval '1 microsecond', $8::bigint))
	    ORDER BY a.created_at DESC, a.id DESC
	    LIMIT $9::int) },
	[SQL_AUDIT_DIFF] = { "audit_diff", 1, DIFF__COLS, 0,
	    SQL(SELECT a.id::text, d.key, d.old_value, d.new_value
	    FROM public.audit_logs a
	    CROSS JOIN LATERAL app.audit_diff(a.old_values, a.new_values) d
	    WHERE a.id = ANY ($1::bigint[])
	    ORDER BY a.id, d.key) },
	[SQL_AUDIT_DAYS] = { "audit_days", 1, DAYS__COLS, 0,
	    SQL(SELECT to_char(d.day, 'YYYY-MM-DD'),
	    coalesce(s.medical_record_access, 0), coalesce(s.appointment_events, 0),
	    coalesce(s.payment_events, 0), coalesce(s.security_events, 0),
	    coalesce(s.after_hours_access, 0), coalesce(s.mass_exports, 0),
	    coalesce(s.suspicious_activity, false)
	    FROM generate_series((now() AT TIME ZONE 'UTC')::date - (AUDIT_DAYS_N - 1),
	      (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d (day)
	    LEFT JOIN public.audit_stats s ON s.org_id = $1::uuid AND s.date = d.day
	    ORDER BY d.day) },
	[SQL_AUDIT_EXPORT_RECORD] = { "audit_export_record", 10, 1, 0,
	    SQL(INSERT INTO public.audit_log_exports (workos_user_id, org_id,
	      start_date, end_date, actions, resource_types, record_count,
	      file_size, export_format)
	    VALUES ($1, $2::uuid,
	      coalesce($3::date::timestamp AT TIME ZONE $5, '-infinity'),
	      coalesce(($4::date + 1)::timestamp AT TIME ZONE $5, 'infinity'),
	      CASE WHEN $6::text IS NULL THEN NULL ELSE jsonb_build_array($6::text) END,
	      CASE WHEN $7::text IS NULL THEN NULL ELSE jsonb_build_array($7::text) END,
	      $8::int, $9::bigint, $10)
	    RETURNING id::text) },
	[SQL_PRIVACY_DATA] = { "privacy_data", 0, 1, 0,
	    SQL(SELECT jsonb_pretty(app.personal_data())) },
	[SQL_ACCOUNT_DELETE] = { "account_delete", 0, ACCOUNT_DELETE__COLS, 0,
	    SQL(SELECT d.workos_org_id, d.meetings_anonymised
	    FROM app.delete_account() d) },
	[SQL_ACCOUNT_DELETION_DONE] = { "account_deletion_done", 1, 1, 0,
	    SQL(SELECT app.account_deletion_done($1)) },
	[SQL_ACCOUNT_DELETION_PENDING] = { "account_deletion_pending", 1, 1, 0,
	    SQL(SELECT app.account_deletion_pending($1)) },
	[SQL_USER_TZ] = { "user_tz", 1, 1, 0,
	    SQL(SELECT app.timezone_or_utc((SELECT s.timezone
	      FROM public.schedules s WHERE s.workos_user_id = $1))) },

/*
 * The dashboards (pages/dashboard.c).  An expert's time zone is his
 * schedule's, UTC without one (or for a name PostgreSQL does not know);
 * his week runs from Monday 00:00 to the next Monday 00:00 there, counted
 * on local dates so that a daylight-saving change inside it is right.
 */
	[SQL_DASHBOARD_EXPERT] = { "dashboard_expert", 2, DASHBOARD__COLS, 0,
	    SQL(WITH SQL_EXPERT_TZ($1),
	    w AS MATERIALIZED (SELECT z.tz, date_trunc('week', now() AT TIME ZONE z.tz) AS d
	      FROM z)
	    SELECT w.tz, to_char(w.d, 'YYYY-MM-DD'),
	    to_char(w.d + interval '6 days', 'YYYY-MM-DD'),
	    k.total, k.upcoming,
	    coalesce(SQL_STEPS_DONE(e), 0),
	    coalesce(e.setup_complete, false), coalesce(p.published, false),
	    p.handle
	    FROM w CROSS JOIN LATERAL (SELECT count(*) AS total,
	      count(*) FILTER (WHERE m.start_time >= now()) AS upcoming
	      FROM public.meetings m WHERE m.org_id = $2::uuid
	      AND m.status <> 'cancelled'
	      AND m.start_time >= (w.d AT TIME ZONE w.tz)
	      AND m.start_time < ((w.d + interval '7 days') AT TIME ZONE w.tz)) k
	    LEFT JOIN public.expert_setup e ON e.workos_user_id = $1
	    LEFT JOIN public.profiles p ON p.workos_user_id = $1) },
	[SQL_DASHBOARD_EXPERT_MEETINGS] = { "dashboard_expert_meetings", 2, MEETING__COLS, 0,
	    SQL(WITH SQL_EXPERT_TZ($1)
	    SELECT SQL_WHEN(m.start_time, m.end_time, z.tz),
	    m.guest_name, coalesce(e.name, ''), m.id::text
	    FROM z CROSS JOIN public.meetings m
	    LEFT JOIN public.events e ON e.id = m.event_id
	    WHERE m.org_id = $2::uuid AND m.status <> 'cancelled'
	    AND m.start_time >= now()
	    ORDER BY m.start_time, m.id LIMIT 20) },
	[SQL_MEETING_ICS] = { "meeting_ics", 2, ICS__COLS, 0,
	    SQL(SELECT m.id::text, floor(extract(epoch FROM m.start_time))::bigint,
	    floor(extract(epoch FROM m.end_time))::bigint, m.status,
	    coalesce(e.name, ''), m.guest_name, m.guest_email,
	    coalesce(concat_ws(' ', p.first_name, p.last_name), ''),
	    coalesce(p.handle, ''), m.workos_user_id = $2,
	    coalesce(m.guest_notes, ''), m.sequence
	    FROM public.meetings m
	    LEFT JOIN public.events e ON e.id = m.event_id
	    LEFT JOIN public.profiles p ON p.workos_user_id = m.workos_user_id
	    WHERE m.id = $1::uuid
	    AND (m.workos_user_id = $2 OR m.guest_workos_user_id = $2)) },
	[SQL_MEETING_GET] = { "meeting_get", 3, MEETING_PAGE__COLS, 0,
	    SQL(WITH SQL_EXPERT_TZ($2)
	    SELECT SQL_WHEN(m.start_time, m.end_time, z.tz),
	    z.tz, m.guest_name, m.guest_email, coalesce(m.guest_notes, ''),
	    m.status, coalesce(e.name, ''),
	    (extract(epoch FROM m.end_time - m.start_time) / 60)::int,
	    to_char(m.created_at AT TIME ZONE z.tz, 'YYYY-MM-DD HH24:MI'),
	    m.status = 'confirmed' AND m.start_time > now(),
	    coalesce(m.cancelled_by, ''), coalesce(m.cancel_reason, '')
	    FROM z CROSS JOIN public.meetings m
	    LEFT JOIN public.events e ON e.id = m.event_id
	    WHERE m.id = $1::uuid AND m.workos_user_id = $2
	    AND m.org_id = $3::uuid) },
	[SQL_DASHBOARD_BOOKINGS] = { "dashboard_bookings", 0, BOOKING__COLS, 0,
	    SQL(WITH b AS (SELECT k.*, app.timezone_or_utc(k.timezone) AS tz,
	      k.start_time >= now() AND k.status <> 'cancelled' AS upcoming
	      FROM app.my_bookings() k),
	    r AS (SELECT b.*, row_number() OVER (PARTITION BY b.upcoming
	      ORDER BY CASE WHEN b.upcoming THEN b.start_time END,
	      b.start_time DESC, b.meeting_id) AS n FROM b)
	    SELECT r.upcoming, SQL_WHEN(r.start_time, r.end_time, r.tz),
	    r.tz, r.status, coalesce(r.event_name, ''),
	    concat_ws(' ', r.expert_first_name, r.expert_last_name),
	    r.meeting_id::text
	    FROM r WHERE r.n <= 20 ORDER BY r.upcoming DESC, r.n) },
/*
 * The public pages (pages/handle.c, pages/handle_event.c): they run without a
 * signed-in user, so only published profiles, their active events and
 * the SECURITY DEFINER functions of 0008/0009 are visible.
 */
	[SQL_HOME_EXPERTS] = { "home_experts", 3, HOME_EXPERT__COLS, 0,
	    SQL(SELECT p.handle, p.first_name, p.last_name,
	    coalesce(p.headline, ''), coalesce(c.name, ''),
	    coalesce(p.profile_picture, '')
	    FROM public.profiles p
	    LEFT JOIN public.categories c ON c.id = p.primary_category_id
	    WHERE p.published AND p.handle IS NOT NULL
	    AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM public.categories f
	      WHERE f.name = $1 AND f.id IN (p.primary_category_id,
	      p.secondary_category_id)))
	    ORDER BY p.is_top_expert DESC, p."order", p.last_name, p.first_name,
	    p.handle LIMIT $2::integer OFFSET $3::integer) },
	[SQL_HOME_CATEGORIES] = { "home_categories", 0, HOME_CATEGORY__COLS, 0,
	    SQL(SELECT c.name, count(*) FROM public.categories c
	    JOIN public.profiles p ON p.published AND p.handle IS NOT NULL
	      AND c.id IN (p.primary_category_id, p.secondary_category_id)
	    GROUP BY c.name ORDER BY c.name) },
	[SQL_EXPERT_PUBLIC] = { "expert_public", 1, PUBLIC__COLS, 0,
	    SQL(SELECT p.workos_user_id, p.first_name, p.last_name,
	    coalesce(p.headline, ''), coalesce(p.short_bio, ''), coalesce(c.name, ''),
	    app.timezone_or_utc(s.timezone)
	    FROM public.profiles p
	    LEFT JOIN public.categories c ON c.id = p.primary_category_id
	    LEFT JOIN LATERAL app.public_schedule(p.handle) s ON true
	    WHERE p.handle = $1 AND p.published) },
	[SQL_EXPERT_EVENTS] = { "expert_events", 1, OFFER__COLS, 0,
	    SQL(SELECT e.slug, e.name, coalesce(e.description, ''),
	    e.duration_in_minutes, e.price, e.currency
	    FROM public.events e WHERE e.workos_user_id = $1 AND e.is_active
	    ORDER BY e."order", e.name, e.slug) },
	[SQL_BOOKING_EVENT] = { "booking_event", 2, BOOKABLE__COLS, 0,
	    SQL(SELECT p.first_name, p.last_name, coalesce(p.headline, ''),
	    e.name, coalesce(e.description, ''), e.duration_in_minutes,
	    e.price, e.currency, app.timezone_or_utc(s.timezone),
	    s.booking_window_days
	    FROM public.profiles p
	    JOIN public.events e ON e.workos_user_id = p.workos_user_id
	      AND e.slug = $2 AND e.is_active
	    LEFT JOIN LATERAL app.public_schedule(p.handle) s ON true
	    WHERE p.handle = $1 AND p.published) },
	[SQL_BOOKING_WEEK] = { "booking_week", 4, WEEK__COLS, 0,
	    SQL(WITH t AS (SELECT (now() AT TIME ZONE $1)::date AS today),
	    d AS (SELECT t.today, least(greatest(coalesce(NULLIF($2::text, '')::date,
	      t.today), t.today), t.today + $3::int) AS d0 FROM t)
	    SELECT to_char(d.d0, 'YYYY-MM-DD'),
	    CASE WHEN d.d0 > d.today THEN to_char(greatest(d.d0 - $4::int,
	      d.today), 'YYYY-MM-DD') END,
	    CASE WHEN d.d0 + $4::int <= d.today + $3::int
	      THEN to_char(d.d0 + $4::int, 'YYYY-MM-DD') END,
	    to_char(d.d0 + $4::int - 1, 'YYYY-MM-DD'),
	    array_to_string(ARRAY(SELECT date_part('epoch',
	      (d.d0 + k)::timestamp AT TIME ZONE $1)::bigint
	      FROM generate_series(-1, $4::int + 1) k), ' ')
	    FROM d) },
	[SQL_BOOKING_SLOTS] = { "booking_slots", 6, SLOT__COLS, 0,
	    SQL(SELECT date_part('epoch', s.start_time)::bigint,
	    CASE WHEN s.start_time <@ $6::tstzmultirange THEN
	      date_part('epoch', s.start_time AT TIME ZONE $3)::bigint END
	    FROM app.available_slots($1, $2, $4::date::timestamp AT TIME ZONE $3,
	      ($4::date + $5::int)::timestamp AT TIME ZONE $3
	      - interval '1 microsecond') s) },
	[SQL_SLOT_STATE] = { "slot_state", 5, 1, 0,
	    SQL(SELECT app.slot_state($1, $2, $3::timestamptz, $4, $5)) },
	[SQL_BOOK_MEETING] = { "book_meeting", 11, BOOKED__COLS, 0,
	    SQL(SELECT b.booking_id, b.created, b.pending, b.held_minutes
	    FROM app.book_meeting($1, $2, $3::timestamptz, $4, $5, $6, $7, $8,
	      $9, $10, $11::boolean) b) },
	[SQL_CONFIRM_BOOKING] = { "confirm_booking", 2, 1, 0,
	    SQL(SELECT app.confirm_booking($1::uuid, $2)) },
	[SQL_RATE_TAKE] = { "rate_take", 3, 1, 0,
	    SQL(SELECT app.rate_take($1, $2::int, $3::int)) },
	[SQL_BOOKING_WHEN] = { "booking_when", 3, WHEN__COLS, 0,
	    SQL(SELECT SQL_WHEN($1::timestamptz,
	      $1::timestamptz + make_interval(mins => $3::int), $2)) },
	[SQL_MANAGE_GET] = { "manage_get", 2, MANAGE__COLS, 0,
	    SQL(SELECT k.access, k.status,
	    SQL_WHEN(k.start_time, k.end_time, k.timezone), k.timezone,
	    coalesce(k.event_name, ''), coalesce(k.handle, ''),
	    coalesce(k.slug, ''), k.expert_name, k.guest_name, k.guest_email,
	    coalesce(k.cancelled_by, ''), coalesce(k.cancel_reason, ''),
	    to_char(k.cutoff AT TIME ZONE k.timezone, 'YYYY-MM-DD HH24:MI'),
	    k.can_cancel, k.can_move,
	    (extract(epoch FROM k.end_time - k.start_time) / 60)::int,
	    to_char(k.start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
	    FROM app.meeting_manage($1::uuid, NULLIF($2, '')) k) },
	[SQL_MEETING_CANCEL] = { "meeting_cancel", 3, 1, 0,
	    SQL(SELECT app.cancel_meeting($1::uuid, NULLIF($2, ''), $3)) },
	[SQL_MEETING_RESCHEDULE] = { "meeting_reschedule", 3, 1, 0,
	    SQL(SELECT app.reschedule_meeting($1::uuid, NULLIF($2, ''),
	    $3::timestamptz)) },
	[SQL_MAIL_CLAIM] = { "mail_claim", 5, MAIL__COLS, 0,
	    SQL(SELECT c.id, c.meeting_id::text, c.kind, c.recipient, c.to_email,
	    c.to_name, c.language, c.timezone, c.sequence, c.data::text,
	    c.attempts
	    FROM app.mail_claim($1, $2::integer, $3::integer, $4::bigint, $5) c) },
	[SQL_MAIL_SENT] = { "mail_sent", 4, 1, 0,
	    SQL(SELECT app.mail_sent($1::bigint, $2, $3::bigint, $4)) },
	[SQL_MAIL_FAILED] = { "mail_failed", 6, 1, 0,
	    SQL(SELECT app.mail_failed($1::bigint, $2, $3, $4::boolean,
	    $5::bigint, $6)) },
	[SQL_MAIL_WHEN] = { "mail_when", 3, WHEN__COLS, 0,
	    SQL(SELECT SQL_WHEN(to_timestamp($1::bigint), to_timestamp($2::bigint),
	    app.timezone_or_utc($3))) },


	/* The request machinery (core/db.c). */
	[SQL_BEGIN_SETTINGS] = { "begin_settings", 8, 5, SQL_UNPREPARED,
	    SQL(SELECT app.enter($1, $2, $3::bigint, $4),
	    set_config('app.request_id', $5, true),
	    set_config('app.ip', $6, true),
	    set_config('app.user_agent', $7, true),
	    set_config('app.lang', $8, true)) },
	[SQL_AUDIT] = { "audit", 6, 1, 0,
	    SQL(SELECT app.audit($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb)) },
	[SQL_PING] = { "ping", 0, 1, SQL_UNPREPARED, SQL(SELECT 1) },
	[SQL_WAL_POSITION] = { "wal_position", 0, 1, 0,
	    SQL(SELECT pg_current_wal_lsn()::text) },
	[SQL_REPLAY_POSITION] = { "replay_position", 0, 2, 0,
	    SQL(SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text) },
	[SQL_CHECK_ROLE] = { "check_role", 0, ROLE__COLS, SQL_UNPREPARED,
	    SQL(SELECT r.rolsuper, r.rolbypassrls,
	    (SELECT d.datdba = r.oid FROM pg_database d
	      WHERE d.datname = current_database()),
	    (SELECT string_agg(n.nspname, ', ' ORDER BY n.nspname) FROM pg_namespace n
	      WHERE n.nspowner = r.oid AND n.nspname NOT LIKE 'pg\_%'
	      AND n.nspname <> 'information_schema'),
	    (SELECT string_agg(n.nspname || '.' || c.relname, ', '
	      ORDER BY n.nspname, c.relname)
	      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	      WHERE c.relowner = r.oid AND n.nspname NOT LIKE 'pg\_%'
	      AND n.nspname <> 'information_schema'),
	    (SELECT string_agg(n.nspname || '.' || p.proname, ', '
	      ORDER BY n.nspname, p.proname)
	      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	      WHERE p.proowner = r.oid AND n.nspname NOT LIKE 'pg\_%'
	      AND n.nspname <> 'information_schema'),
	    (SELECT string_agg('public.' || c.relname, ', '
	      ORDER BY c.relname)
	      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
	      AND c.relname <> 'schema_migrations'
	      AND NOT (c.relrowsecurity AND c.relforcerowsecurity)),
	    current_user
	    FROM pg_roles r WHERE r.rolname = current_user) },

	/* The migrations (cli/migrate.c), as the owner. */
	[SQL_MIGRATIONS_LOCK] = { "migrations_lock", 0, 1, SQL_UNPREPARED,
	    SQL(SELECT pg_advisory_lock(7404119001)) },
	[SQL_MIGRATIONS_TABLE] = { "migrations_table", 0, 0, SQL_UNPREPARED,
	    SQL(CREATE TABLE IF NOT EXISTS public.schema_migrations (
	    name text PRIMARY KEY,
	    checksum text NOT NULL,
	    applied_at timestamptz NOT NULL DEFAULT now())) },
	[SQL_MIGRATIONS_LIST] = { "migrations_list", 0, MIGRATION__COLS, SQL_UNPREPARED,
	    SQL(SELECT name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS')
	    FROM public.schema_migrations ORDER BY name) },
	[SQL_MIGRATION_RECORD] = { "migration_record", 2, 0, SQL_UNPREPARED,
	    SQL(INSERT INTO public.schema_migrations (name, checksum) VALUES ($1, $2)) },
	[SQL_IDENTITY_KEYS_READY] = { "identity_keys_ready", 0, 1, SQL_UNPREPARED,
	    SQL(SELECT to_regprocedure('app.identity_keys_install(text)') IS NOT NULL) },
	[SQL_IDENTITY_KEYS_INSTALL] = { "identity_keys_install", 1, 1, SQL_UNPREPARED,
	    SQL(SELECT app.identity_keys_install($1)) },

	/*
	 * The demo accounts (cli/demo.c), as the owner.  The emulator forgets
	 * its users when it stops, so a restarted local stack meets new ids
	 * for the same demo addresses: the old ones go.  The setup-complete
	 * expert gets a public side, so that the local stack has a booking
	 * page: /ana-ferreira, two sessions, weekday hours in Lisbon.
	 */
	[SQL_DEMO_STALE] = { "demo_stale", 2, 0, SQL_UNPREPARED,
	    SQL(WITH gone AS (DELETE FROM public.users WHERE lower(email) = lower($2)
	    AND workos_user_id <> $1 RETURNING workos_user_id)
	    DELETE FROM public.organizations WHERE slug IN
	    (SELECT 'user-' || workos_user_id FROM gone)) },
	[SQL_DEMO_USER] = { "demo_user", 5, 0, SQL_UNPREPARED,
	    SQL(INSERT INTO public.users (workos_user_id, email, first_name, last_name, role)
	    VALUES ($1, $2, $3, $4, $5)
	    ON CONFLICT (workos_user_id) DO UPDATE SET role = EXCLUDED.role) },
	[SQL_DEMO_SETUP] = { "demo_setup", 1, 0, SQL_UNPREPARED,
	    SQL(UPDATE public.expert_setup SET profile_completed = true,
	    availability_completed = true, events_completed = true,
	    google_account_completed = true, identity_completed = true,
	    payment_completed = true, setup_complete = true,
	    setup_completed_at = coalesce(setup_completed_at, now())
	    WHERE workos_user_id = $1) },
	[SQL_DEMO_PROFILE] = { "demo_profile", 1, 0, SQL_UNPREPARED,
	    SQL(INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name,
	    last_name, headline, short_bio, published,
	    practitioner_agreement_accepted_at, practitioner_agreement_version)
	    SELECT o.id, $1, 'ana-ferreira', 'Ana', 'Ferreira',
	    'Pregnancy and postpartum physiotherapist',
	    'Fifteen years of helping people through pregnancy, birth and the months after.', true, now(), 'demo'
	    FROM public.organizations o WHERE o.slug = 'user-' || $1
	    ON CONFLICT (workos_user_id) DO NOTHING) },
	[SQL_DEMO_SCHEDULE] = { "demo_schedule", 1, 0, SQL_UNPREPARED,
	    SQL(INSERT INTO public.schedules (org_id, workos_user_id, timezone)
	    SELECT o.id, $1, 'Europe/Lisbon' FROM public.organizations o
	    WHERE o.slug = 'user-' || $1
	    ON CONFLICT (workos_user_id) DO NOTHING) },
	[SQL_DEMO_RANGES] = { "demo_ranges", 1, 0, SQL_UNPREPARED,
	    SQL(INSERT INTO public.schedule_availabilities (org_id, schedule_id,
	    day_of_week, start_time, end_time)
	    SELECT s.org_id, s.id, d::public.day, r.f::time, r.t::time
	    FROM public.schedules s,
	    unnest(ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday']) d,
	    (VALUES ('09:00', '13:00'), ('14:00', '18:00')) r (f, t)
	    WHERE s.workos_user_id = $1 AND NOT EXISTS (SELECT 1
	    FROM public.schedule_availabilities a WHERE a.schedule_id = s.id)) },
	[SQL_DEMO_EVENTS] = { "demo_events", 1, 0, SQL_UNPREPARED,
	    SQL(INSERT INTO public.events (org_id, workos_user_id, name, slug,
	    description, duration_in_minutes, price, currency, "order")
	    SELECT o.id, $1, e.name, e.slug, e.description, e.minutes, e.price,
	    'eur', e.ord FROM public.organizations o,
	    (VALUES ('First consultation', 'first-consultation',
	      'An hour to understand where you are and plan what comes next.',
	      60, 6000, 1),
	     ('Follow-up', 'follow-up', 'Half an hour to review progress.',
	      30, 3500, 2)) e (name, slug, description, minutes, price, ord)
	    WHERE o.slug = 'user-' || $1
	    ON CONFLICT (workos_user_id, slug) DO NOTHING) },
	[SQL_AUDIT_VERIFY] = { "audit_verify", 1, VERIFY__COLS, SQL_UNPREPARED,
	    SQL(SELECT v.chain, v.rows_checked, v.first_bad_id, v.reason
	    FROM app.audit_verify($1::uuid) v) },
	[SQL_AUDIT_PRUNE] = { "audit_prune", 2, PRUNE__COLS, SQL_UNPREPARED,
	    SQL(SELECT p.chain, p.up_to_seq, p.rows_removed,
	    to_char((now() - $1::interval) AT TIME ZONE 'UTC',
	      'YYYY-MM-DD"T"HH24:MI:SS"Z"')
	    FROM app.audit_prune(now() - $1::interval, $2::boolean) p) },
	[SQL_LEGACY_WORKOS_ORG] = { "legacy_workos_org", 1, 1, SQL_UNPREPARED,
	    SQL(SELECT o.workos_org_id FROM public.organizations o
	    WHERE o.id = $1::uuid) },
	[SQL_LEGACY_USERS] = { "legacy_users", 0, LEGACY_USER__COLS,
	    SQL_UNPREPARED | SQL_LEGACY,
	    SQL(SELECT u.clerk_user_id, u.public_metadata::text,
	    u.unsafe_metadata::text, coalesce(u.email, '') FROM public.users u
	    ORDER BY u.clerk_user_id) },
	[SQL_LEGACY_ORIGIN] = { "legacy_origin", 0, 1, SQL_LEGACY,
	    SQL(SELECT current_database()::text) },
	[SQL_LEGACY_USER_EMAIL] = { "legacy_user_email", 1, 1, SQL_LEGACY,
	    SQL(SELECT coalesce(u.email, '') FROM public.users u
	    WHERE u.clerk_user_id = $1) },
#define SQL_LEGACY_PAGE_UUID(t) \
	    t.id > coalesce(nullif($1, '')::uuid, \
	      '00000000-0000-0000-0000-000000000000'::uuid) \
	    ORDER BY t.id LIMIT $2::integer
#define SQL_LEGACY_PAGE_INT(t) \
	    t.id > coalesce(nullif($1, '')::integer, 0) \
	    ORDER BY t.id LIMIT $2::integer
	/* Parents first: by depth, then id (the key is both). */
	[SQL_LEGACY_READ_CATEGORIES] = { "legacy_read_categories", 2,
	    LEGACY_ROW__COLS, SQL_LEGACY,
	    SQL(WITH RECURSIVE d AS (SELECT c.id, 0 AS depth FROM categories c
	      WHERE c.parent_id IS NULL
	      UNION ALL SELECT c.id, d.depth + 1 FROM categories c
	      JOIN d ON c.parent_id = d.id WHERE d.depth < 20),
	    k AS (SELECT lpad(d.depth::text, 2, '0') || d.id::text AS key, c
	      FROM d JOIN categories c ON c.id = d.id)
	    SELECT k.key, (k.c).id::text, NULL::text, NULL::text,
	    row_to_json(k.c)::text FROM k WHERE k.key > $1
	    ORDER BY k.key LIMIT $2::integer) },
	[SQL_LEGACY_READ_PROFILES] = { "legacy_read_profiles", 2,
	    LEGACY_ROW__COLS, SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, t.clerk_user_id, NULL::text,
	    (to_jsonb(t) || jsonb_build_object('username', u.username))::text
	    FROM profiles t JOIN users u ON u.clerk_user_id = t.clerk_user_id
	    WHERE SQL_LEGACY_PAGE_UUID(t)) },
	[SQL_LEGACY_READ_EVENTS] = { "legacy_read_events", 2, LEGACY_ROW__COLS,
	    SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, t.clerk_user_id, NULL::text,
	    row_to_json(t)::text FROM events t
	    WHERE SQL_LEGACY_PAGE_UUID(t)) },
	[SQL_LEGACY_READ_SCHEDULES] = { "legacy_read_schedules", 2,
	    LEGACY_ROW__COLS, SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, t.clerk_user_id, NULL::text,
	    row_to_json(t)::text FROM schedules t
	    WHERE SQL_LEGACY_PAGE_UUID(t)) },
	[SQL_LEGACY_READ_AVAILABILITIES] = { "legacy_read_availabilities", 2,
	    LEGACY_ROW__COLS, SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, s.clerk_user_id, NULL::text,
	    row_to_json(t)::text FROM schedule_availabilities t
	    JOIN schedules s ON s.id = t.schedule_id
	    WHERE SQL_LEGACY_PAGE_UUID(t)) },
	[SQL_LEGACY_READ_SETTINGS] = { "legacy_read_settings", 2,
	    LEGACY_ROW__COLS, SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, t.user_id, NULL::text,
	    row_to_json(t)::text FROM scheduling_settings t
	    WHERE SQL_LEGACY_PAGE_INT(t)) },
	[SQL_LEGACY_READ_BLOCKED] = { "legacy_read_blocked", 2, LEGACY_ROW__COLS,
	    SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, t.clerk_user_id, NULL::text,
	    row_to_json(t)::text FROM blocked_dates t
	    WHERE SQL_LEGACY_PAGE_INT(t)) },
	[SQL_LEGACY_READ_MEETINGS] = { "legacy_read_meetings", 2,
	    LEGACY_ROW__COLS, SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, t.clerk_user_id, NULL::text,
	    row_to_json(t)::text FROM meetings t
	    WHERE SQL_LEGACY_PAGE_UUID(t)) },
	[SQL_LEGACY_READ_RECORDS] = { "legacy_read_records", 2, LEGACY_ROW__COLS,
	    SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, t.expert_id, NULL::text,
	    row_to_json(t)::text FROM records t
	    WHERE SQL_LEGACY_PAGE_UUID(t)) },
	[SQL_LEGACY_READ_TRANSFERS] = { "legacy_read_transfers", 2,
	    LEGACY_ROW__COLS, SQL_LEGACY,
	    SQL(SELECT t.id::text, t.id::text, t.expert_clerk_user_id,
	    t.admin_user_id, row_to_json(t)::text FROM payment_transfers t
	    WHERE SQL_LEGACY_PAGE_INT(t)) },
/*
 * A batch of legacy rows ($1, made by cli/legacy_data.c): [{"u": the
 * owner's WorkOS id, "o": his WorkOS organization, "a": another user's
 * WorkOS id (or null), "r": the legacy row}], as s: u, a, org (local
 * uuid) and the row's columns, less the rows copied before.
 */
#define SQL_LEGACY_BATCH(src_, ...) \
	    WITH x AS (SELECT e->>'u' AS u, e->>'a' AS a, \
	      (SELECT o.id FROM public.organizations o \
	        WHERE o.workos_org_id = e->>'o') AS org, e->'r' AS r \
	      FROM jsonb_array_elements($1::jsonb) e), \
	    s AS (SELECT x.u, x.a, x.org, r.* FROM x, \
	      jsonb_to_record(x.r) AS r (__VA_ARGS__) \
	      WHERE NOT EXISTS (SELECT 1 FROM public.legacy_imports li \
	        WHERE li.origin = $2 AND li.source = src_ \
	        AND li.legacy_id = r.id::text))
/* The copies recorded (ins: the local ids, the legacy ones where equal). */
#define SQL_LEGACY_RECORD(src_) \
	    imp AS (INSERT INTO public.legacy_imports (origin, source, \
	      legacy_id, local_id) SELECT $2, src_, ins.id::text, ins.id::text \
	      FROM ins RETURNING legacy_id)
/* A table with an identity key: its new ids, beside the legacy ones. */
#define SQL_LEGACY_NEW_IDS(table) \
	    n AS (SELECT s.*, nextval(pg_get_serial_sequence(table, 'id')) \
	      AS new_id FROM s)
#define SQL_LEGACY_RECORD_NEW(src_) \
	    imp AS (INSERT INTO public.legacy_imports (origin, source, \
	      legacy_id, local_id) SELECT $2, src_, n.id::text, ins.id::text \
	      FROM ins JOIN n ON n.new_id = ins.id RETURNING legacy_id)
	/* A category of the same name here is the same category; a parent
	   is copied before its children, or in the same batch. */
	[SQL_LEGACY_COPY_CATEGORIES] = { "legacy_copy_categories", 2,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('categories', id uuid, name text,
	      description text, image text, parent_id text,
	      created_at timestamptz, updated_at timestamptz),
	    ins AS (INSERT INTO public.categories (id, name, description, image,
	      parent_id, created_at, updated_at)
	      SELECT s.id, s.name, s.description, s.image,
	      coalesce((SELECT li.local_id::uuid FROM public.legacy_imports li
	        WHERE li.origin = $2 AND li.source = 'categories'
	        AND li.legacy_id = s.parent_id),
	        (SELECT coalesce(c.id, p.id) FROM s p
	          LEFT JOIN public.categories c ON c.name = p.name
	          WHERE p.id::text = s.parent_id)),
	      s.created_at, s.updated_at FROM s
	      WHERE NOT EXISTS (SELECT 1 FROM public.categories c
	        WHERE c.name = s.name)
	      RETURNING id),
	    imp AS (INSERT INTO public.legacy_imports (origin, source, legacy_id,
	      local_id)
	      SELECT $2, 'categories', s.id::text, coalesce(ins.id, c.id)::text
	      FROM s LEFT JOIN ins ON ins.id = s.id
	      LEFT JOIN public.categories c ON c.name = s.name
	      RETURNING legacy_id, local_id)
	    SELECT imp.legacy_id, CASE WHEN imp.legacy_id <> imp.local_id
	      THEN 'joined to the category of the same name here' END
	    FROM imp) },
	/* The handle is the Clerk username where it makes one (free, not a
	   route's: $3); a profile stays published only with a handle, for an
	   expert whose setup is complete (migrate-metadata comes first). */
	[SQL_LEGACY_COPY_PROFILES] = { "legacy_copy_profiles", 3,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('profiles', id uuid, username text,
	      profile_picture text, first_name text, last_name text,
	      headline text, short_bio text, long_bio text,
	      primary_category_id text, secondary_category_id text,
	      social_links jsonb, is_verified boolean, is_top_expert boolean,
	      published boolean, "order" integer, created_at timestamptz,
	      updated_at timestamptz),
	    h AS (SELECT s.*,
	      CASE WHEN lower(s.username) ~ '^[a-z0-9]+(-[a-z0-9]+)*$'
	        AND length(s.username) BETWEEN 3 AND 40
	        AND lower(s.username) <> ALL ($3::text[])
	        AND NOT EXISTS (SELECT 1 FROM public.profiles p
	          WHERE p.handle = lower(s.username))
	        THEN lower(s.username) END AS handle,
	      EXISTS (SELECT 1 FROM public.users us
	        JOIN public.expert_setup es ON es.workos_user_id = us.workos_user_id
	        WHERE us.workos_user_id = s.u AND es.setup_complete
	        AND us.role IN ('expert_community', 'expert_lecturer',
	          'expert_top')) AS ready
	      FROM s),
	    ins AS (INSERT INTO public.profiles (id, org_id, workos_user_id, handle,
	      profile_picture, first_name, last_name, headline, short_bio,
	      long_bio, primary_category_id, secondary_category_id, social_links,
	      is_verified, is_top_expert, published, "order", created_at,
	      updated_at)
	      SELECT h.id, h.org, h.u, h.handle, h.profile_picture, h.first_name,
	      h.last_name, h.headline, h.short_bio, h.long_bio,
	      (SELECT li.local_id::uuid FROM public.legacy_imports li
	        WHERE li.origin = $2 AND li.source = 'categories'
	        AND li.legacy_id = h.primary_category_id),
	      (SELECT li.local_id::uuid FROM public.legacy_imports li
	        WHERE li.origin = $2 AND li.source = 'categories'
	        AND li.legacy_id = h.secondary_category_id),
	      CASE WHEN jsonb_typeof(h.social_links) = 'array'
	        THEN h.social_links ELSE '[]'::jsonb END,
	      h.is_verified, h.is_top_expert,
	      h.published AND h.handle IS NOT NULL AND h.ready, h."order",
	      h.created_at, h.updated_at FROM h
	      RETURNING id),
	    SQL_LEGACY_RECORD('profiles')
	    SELECT imp.legacy_id, CASE
	      WHEN h.published AND h.handle IS NULL THEN
	        'published in the legacy app, left unpublished: the username '
	        || coalesce('"' || h.username || '"', '(none)')
	        || ' is not a free handle'
	      WHEN h.published AND NOT h.ready THEN
	        'published in the legacy app, left unpublished: not an expert'
	        || ' whose setup is complete' END
	    FROM imp JOIN h ON h.id::text = imp.legacy_id) },
	[SQL_LEGACY_COPY_EVENTS] = { "legacy_copy_events", 2, LEGACY_COPY__COLS,
	    0,
	    SQL(SQL_LEGACY_BATCH('events', id uuid, name text, slug text,
	      description text, duration_in_minutes integer, is_active boolean,
	      "order" integer, price integer, currency text,
	      stripe_product_id text, stripe_price_id text,
	      created_at timestamptz, updated_at timestamptz),
	    ins AS (INSERT INTO public.events (id, org_id, workos_user_id, name,
	      slug, description, duration_in_minutes, is_active, "order", price,
	      currency, stripe_product_id, stripe_price_id, created_at,
	      updated_at)
	      SELECT s.id, s.org, s.u, s.name, s.slug, s.description,
	      s.duration_in_minutes, s.is_active, s."order", s.price,
	      lower(s.currency), s.stripe_product_id, s.stripe_price_id,
	      s.created_at, s.updated_at FROM s
	      RETURNING id),
	    SQL_LEGACY_RECORD('events')
	    SELECT imp.legacy_id, NULL::text FROM imp) },
	[SQL_LEGACY_COPY_SCHEDULES] = { "legacy_copy_schedules", 2,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('schedules', id uuid, timezone text,
	      created_at timestamptz, updated_at timestamptz),
	    ins AS (INSERT INTO public.schedules (id, org_id, workos_user_id,
	      timezone, created_at, updated_at)
	      SELECT s.id, s.org, s.u, s.timezone, s.created_at, s.updated_at
	      FROM s RETURNING id),
	    SQL_LEGACY_RECORD('schedules')
	    SELECT imp.legacy_id, NULL::text FROM imp) },
	[SQL_LEGACY_COPY_AVAILABILITIES] = { "legacy_copy_availabilities", 2,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('schedule_availabilities', id uuid,
	      schedule_id uuid, start_time text, end_time text,
	      day_of_week text),
	    ins AS (INSERT INTO public.schedule_availabilities (id, org_id,
	      schedule_id, day_of_week, start_time, end_time)
	      SELECT s.id, s.org, s.schedule_id, lower(s.day_of_week)::public.day,
	      s.start_time::time, s.end_time::time FROM s RETURNING id),
	    SQL_LEGACY_RECORD('schedule_availabilities')
	    SELECT imp.legacy_id, NULL::text FROM imp) },
	[SQL_LEGACY_COPY_SETTINGS] = { "legacy_copy_settings", 2,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('scheduling_settings', id integer,
	      before_event_buffer integer, after_event_buffer integer,
	      minimum_notice integer, time_slot_interval integer,
	      booking_window_days integer, created_at timestamptz,
	      updated_at timestamptz),
	    SQL_LEGACY_NEW_IDS('public.scheduling_settings'),
	    ins AS (INSERT INTO public.scheduling_settings (id, org_id,
	      workos_user_id, before_event_buffer, after_event_buffer,
	      minimum_notice, time_slot_interval, booking_window_days,
	      created_at, updated_at) OVERRIDING SYSTEM VALUE
	      SELECT n.new_id, n.org, n.u, n.before_event_buffer,
	      n.after_event_buffer, n.minimum_notice, n.time_slot_interval,
	      n.booking_window_days, n.created_at, n.updated_at FROM n
	      RETURNING id),
	    SQL_LEGACY_RECORD_NEW('scheduling_settings')
	    SELECT imp.legacy_id, NULL::text FROM imp) },
	[SQL_LEGACY_COPY_BLOCKED] = { "legacy_copy_blocked", 2,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('blocked_dates', id integer, date date,
	      reason text, timezone text, created_at timestamptz,
	      updated_at timestamptz),
	    SQL_LEGACY_NEW_IDS('public.blocked_dates'),
	    ins AS (INSERT INTO public.blocked_dates (id, org_id, workos_user_id,
	      date, timezone, reason, created_at, updated_at)
	      OVERRIDING SYSTEM VALUE
	      SELECT n.new_id, n.org, n.u, n.date, coalesce(n.timezone, 'UTC'),
	      n.reason, n.created_at, n.updated_at FROM n RETURNING id),
	    SQL_LEGACY_RECORD_NEW('blocked_dates')
	    SELECT imp.legacy_id, NULL::text FROM imp) },
	/* The guest's WorkOS ids stay NULL, even where the address is a
	   user's: whoever booked typed it, and it was never verified. */
	[SQL_LEGACY_COPY_MEETINGS] = { "legacy_copy_meetings", 2,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('meetings', id uuid, event_id uuid,
	      guest_email text, guest_name text, guest_notes text,
	      start_time timestamptz, end_time timestamptz, timezone text,
	      meeting_url text, stripe_payment_intent_id text,
	      stripe_session_id text, stripe_payment_status text,
	      stripe_amount integer, stripe_application_fee_amount integer,
	      stripe_transfer_id text, stripe_transfer_amount integer,
	      stripe_transfer_status text,
	      stripe_transfer_scheduled_at timestamptz,
	      created_at timestamptz, updated_at timestamptz),
	    ins AS (INSERT INTO public.meetings (id, org_id, event_id,
	      workos_user_id, guest_email, guest_name, guest_notes, start_time,
	      end_time, timezone, meeting_url, stripe_payment_intent_id,
	      stripe_session_id, stripe_payment_status, stripe_amount,
	      stripe_application_fee_amount, stripe_transfer_id,
	      stripe_transfer_amount, stripe_transfer_status,
	      stripe_transfer_scheduled_at, created_at, updated_at)
	      SELECT s.id, s.org, s.event_id, s.u, s.guest_email, s.guest_name,
	      s.guest_notes, s.start_time, s.end_time, s.timezone, s.meeting_url,
	      s.stripe_payment_intent_id, s.stripe_session_id,
	      coalesce(s.stripe_payment_status, 'pending'), s.stripe_amount,
	      s.stripe_application_fee_amount, s.stripe_transfer_id,
	      s.stripe_transfer_amount,
	      coalesce(s.stripe_transfer_status, 'pending'),
	      s.stripe_transfer_scheduled_at, s.created_at, s.updated_at FROM s
	      RETURNING id),
	    SQL_LEGACY_RECORD('meetings')
	    SELECT imp.legacy_id, CASE WHEN EXISTS (SELECT 1 FROM public.users gu
	      WHERE lower(gu.email) = lower(s.guest_email))
	      THEN 'the guest ' || s.guest_email || ' is also a user: left'
	      || ' unlinked from that account (whoever booked typed the'
	      || ' address; it was never verified)' END
	    FROM imp JOIN s ON s.id::text = imp.legacy_id) },
	[SQL_LEGACY_COPY_RECORDS] = { "legacy_copy_records", 2,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('records', id uuid, meeting_id uuid,
	      guest_email text, encrypted_content text, encrypted_metadata text,
	      last_modified_at timestamptz, version integer,
	      created_at timestamptz, updated_at timestamptz),
	    ins AS (INSERT INTO public.records (id, org_id, meeting_id, expert_id,
	      guest_email, encrypted_content, encrypted_metadata,
	      last_modified_at, version, created_at, updated_at)
	      SELECT s.id, s.org, s.meeting_id, s.u, s.guest_email,
	      s.encrypted_content, s.encrypted_metadata, s.last_modified_at,
	      s.version, s.created_at, s.updated_at FROM s RETURNING id),
	    SQL_LEGACY_RECORD('records')
	    SELECT imp.legacy_id, NULL::text FROM imp) },
	/* admin_user_id: the approving admin's WorkOS id ("a"). */
	[SQL_LEGACY_COPY_TRANSFERS] = { "legacy_copy_transfers", 2,
	    LEGACY_COPY__COLS, 0,
	    SQL(SQL_LEGACY_BATCH('payment_transfers', id integer,
	      payment_intent_id text, checkout_session_id text, event_id uuid,
	      expert_connect_account_id text, amount integer,
	      platform_fee integer, currency text,
	      session_start_time timestamptz, scheduled_transfer_time timestamptz,
	      status text, transfer_id text, stripe_error_code text,
	      stripe_error_message text, retry_count integer,
	      requires_approval boolean, admin_user_id text, admin_notes text,
	      created_at timestamptz, updated_at timestamptz),
	    SQL_LEGACY_NEW_IDS('public.payment_transfers'),
	    ins AS (INSERT INTO public.payment_transfers (id, org_id,
	      payment_intent_id, checkout_session_id, event_id,
	      expert_connect_account_id, expert_workos_user_id, amount, currency,
	      platform_fee, session_start_time, scheduled_transfer_time, status,
	      transfer_id, stripe_error_code, stripe_error_message, retry_count,
	      requires_approval, admin_user_id, admin_notes, created_at,
	      updated_at) OVERRIDING SYSTEM VALUE
	      SELECT n.new_id, n.org, n.payment_intent_id, n.checkout_session_id,
	      n.event_id, n.expert_connect_account_id, n.u, n.amount,
	      lower(n.currency), n.platform_fee, n.session_start_time,
	      n.scheduled_transfer_time,
	      upper(n.status)::public.payment_transfer_status, n.transfer_id,
	      n.stripe_error_code, n.stripe_error_message,
	      coalesce(n.retry_count, 0), coalesce(n.requires_approval, false),
	      n.a, n.admin_notes, n.created_at, n.updated_at FROM n
	      RETURNING id),
	    SQL_LEGACY_RECORD_NEW('payment_transfers')
	    SELECT imp.legacy_id, CASE WHEN n.admin_user_id IS NOT NULL
	      AND n.a IS NULL THEN 'approved by ' || n.admin_user_id
	      || ', who is not in the map: admin_user_id left empty' END
	    FROM imp JOIN n ON n.id::text = imp.legacy_id) },
	[SQL_LEGACY_PENDING] = { "legacy_pending", 3, 1, 0,
	    SQL(SELECT count(*) FROM unnest($3::text[]) AS l (id)
	    WHERE NOT EXISTS (SELECT 1 FROM public.legacy_imports li
	      WHERE li.origin = $1 AND li.source = $2 AND li.legacy_id = l.id)) },
	[SQL_LEGACY_META_PLAN] = { "legacy_meta_plan", 1, LEGACY_META__COLS, 0,
	    SQL(SELECT p.workos_user_id, p.what, p.old_value::text,
	    p.new_value::text FROM app.legacy_metadata_plan($1::jsonb) p) },
	[SQL_LEGACY_META_APPLY] = { "legacy_meta_apply", 1, LEGACY_META__COLS, 0,
	    SQL(SELECT p.workos_user_id, p.what, p.old_value::text,
	    p.new_value::text FROM app.legacy_metadata_apply($1::jsonb) p) },
	/* The map ($1: [{"u", "o"}]) against the rows here: each entry whose
	   user, organization or owner membership is missing, and why. */
	[SQL_LEGACY_MAP_CHECK] = { "legacy_map_check", 1, 2, 0,
	    SQL(SELECT m->>'u', CASE
	      WHEN u.workos_user_id IS NULL THEN 'no user here'
	      WHEN o.id IS NULL THEN 'no organization ' || (m->>'o') || ' here'
	      ELSE 'not the active owner of ' || (m->>'o') END
	    FROM jsonb_array_elements($1::jsonb) m
	    LEFT JOIN public.users u ON u.workos_user_id = m->>'u'
	    LEFT JOIN public.organizations o ON o.workos_org_id = m->>'o'
	    WHERE u.workos_user_id IS NULL OR o.id IS NULL
	    OR NOT EXISTS (SELECT 1 FROM public.user_org_memberships om
	      WHERE om.org_id = o.id AND om.workos_user_id = u.workos_user_id
	      AND om.role = 'owner' AND om.status = 'active')) },
	[SQL_LEGACY_CHECKS] = { "legacy_checks", 0, LEGACY_CHECK__COLS,
	    SQL_UNPREPARED,
	    SQL(SELECT c.check_name, c.ok, c.detail FROM app.legacy_checks() c) },
};

const struct sql_stmt *
sql_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < SQL__N; i++)
		if (strcmp(sql_stmts[i].name, name) == 0)
			return &sql_stmts[i];
	return 0;
}
