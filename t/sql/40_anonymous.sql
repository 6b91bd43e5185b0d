-- 40_anonymous: with no user set, no tenant row is visible except the
-- public ones: published profiles, categories, and the active events of
-- experts whose profile is published (but not the practitioner agreement's
-- IP address and metadata of a published profile).
BEGIN;
SET search_path = public, tap;
SELECT plan(31);

-- Every row a visitor must not see: the name of its table, per row.
CREATE FUNCTION pg_temp.private_rows() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT 'organizations' FROM public.organizations
	UNION ALL SELECT 'users' FROM public.users
	UNION ALL SELECT 'user_org_memberships' FROM public.user_org_memberships
	UNION ALL SELECT 'expert_setup' FROM public.expert_setup
	UNION ALL SELECT 'user_preferences' FROM public.user_preferences
	UNION ALL SELECT 'schedules' FROM public.schedules
	UNION ALL SELECT 'schedule_availabilities' FROM public.schedule_availabilities
	UNION ALL SELECT 'scheduling_settings' FROM public.scheduling_settings
	UNION ALL SELECT 'blocked_dates' FROM public.blocked_dates
	UNION ALL SELECT 'slot_reservations' FROM public.slot_reservations
	UNION ALL SELECT 'meetings' FROM public.meetings
	UNION ALL SELECT 'records' FROM public.records
	UNION ALL SELECT 'payment_transfers' FROM public.payment_transfers
	UNION ALL SELECT 'audit_logs' FROM public.audit_logs
	UNION ALL SELECT 'audit_log_exports' FROM public.audit_log_exports
	UNION ALL SELECT 'audit_stats' FROM public.audit_stats
	UNION ALL SELECT 'profiles' FROM public.profiles WHERE NOT published
	UNION ALL SELECT 'events' FROM public.events e WHERE NOT e.is_active
	    OR NOT EXISTS (SELECT 1 FROM public.profiles p
		WHERE p.workos_user_id = e.workos_user_id AND p.published)
$$;

-- Before anything is set in this session (the committed fixtures of
-- owner_setup.sql exist): nothing.
SELECT is_empty('SELECT * FROM pg_temp.private_rows()', 'settings never set: no row of any tenant table is visible (the tables with rows are listed)');

\ir lib/world.sql

-- A publishes his profile: his active events become public, his inactive
-- one does not.  B stays unpublished.
SELECT pg_temp.act('A');
-- Only an expert whose setup is complete publishes (sql/0012_identity.sql).
SELECT pg_temp.complete_setup('A');
UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act(NULL);
SELECT is(current_setting('app.user_id'), '', 'app.user_id is now empty');

SELECT is_empty('SELECT * FROM public.organizations', 'organizations: no row visible with no user');
SELECT is_empty('SELECT * FROM public.users', 'users: no row visible with no user');
SELECT is_empty('SELECT * FROM public.user_org_memberships', 'user_org_memberships: no row visible with no user');
SELECT is_empty('SELECT * FROM public.expert_setup', 'expert_setup: no row visible with no user');
SELECT is_empty('SELECT * FROM public.user_preferences', 'user_preferences: no row visible with no user');
SELECT is_empty('SELECT * FROM public.schedules', 'schedules: no row visible with no user');
SELECT is_empty('SELECT * FROM public.schedule_availabilities', 'schedule_availabilities: no row visible with no user');
SELECT is_empty('SELECT * FROM public.scheduling_settings', 'scheduling_settings: no row visible with no user');
SELECT is_empty('SELECT * FROM public.blocked_dates', 'blocked_dates: no row visible with no user');
SELECT is_empty('SELECT * FROM public.slot_reservations', 'slot_reservations: no row visible with no user');
SELECT is_empty('SELECT * FROM public.meetings', 'meetings: no row visible with no user');
SELECT is_empty('SELECT * FROM public.records', 'records: no row visible with no user');
SELECT is_empty('SELECT * FROM public.payment_transfers', 'payment_transfers: no row visible with no user');
SELECT is_empty('SELECT * FROM public.audit_logs', 'audit_logs: no row visible with no user');
SELECT is_empty('SELECT * FROM public.audit_log_exports', 'audit_log_exports: no row visible with no user');
SELECT is_empty('SELECT * FROM public.audit_stats', 'audit_stats: no row visible with no user');

SELECT is_empty('SELECT id FROM public.profiles WHERE NOT published', 'profiles: only published profiles are visible');
SELECT isnt_empty(format('SELECT %s FROM public.profiles WHERE id = %L', pg_temp.profile_cols(), pg_temp.fx('profile.A')),
    'profiles: A''s published profile is visible');
SELECT is_empty(format('SELECT id FROM public.profiles WHERE id = %L', pg_temp.fx('profile.B')),
    'profiles: B''s unpublished profile is not');
-- ... but not the practitioner agreement's IP address and metadata, which
-- are the platform's (sql/0007_profile_privacy.sql).
SELECT throws_ok(format('SELECT practitioner_agreement_ip_address FROM public.profiles WHERE id = %L',
	pg_temp.fx('profile.A')), '42501', 'permission denied for table profiles',
    'profiles: the agreement''s IP address of A''s published profile is not readable (42501)');
SELECT throws_ok(format('SELECT practitioner_agreement_metadata FROM public.profiles WHERE id = %L',
	pg_temp.fx('profile.A')), '42501', 'permission denied for table profiles',
    '... nor its metadata');
SELECT throws_ok('SELECT * FROM public.profiles', '42501', 'permission denied for table profiles',
    '... so SELECT * of profiles is refused');
SELECT results_eq(format('SELECT handle, last_name, headline, published, practitioner_agreement_version
	FROM public.profiles WHERE id = %L', pg_temp.fx('profile.A')),
    format($$VALUES (%L, 'A', 'Pelvic health', true, NULL::text)$$, 'expert-a-' || pg_temp.fx('run')),
    '... while the rest of it is (handle, names, headline, published, the agreement''s version)');
SELECT cmp_ok((SELECT count(*)::int FROM public.categories), '>=', 6,
    'categories: all are visible (the 6 seeded at least)');

SELECT is_empty($$SELECT * FROM public.events e WHERE NOT e.is_active
	OR NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.workos_user_id = e.workos_user_id AND p.published)$$,
    'events: only active events of published experts are visible');
SELECT is(ARRAY(SELECT slug FROM public.events WHERE org_id = pg_temp.org('A') ORDER BY slug),
    ARRAY['intro', 'paid-session'], 'events: A''s two active events are visible, his inactive one is not');
SELECT is_empty(format('SELECT * FROM public.events WHERE org_id = %L', pg_temp.org('B')),
    'events: none of unpublished B''s events is visible');

-- An organization without a user, or a user id nobody has, sees no more.
SELECT set_config('app.org_id', pg_temp.org('B')::text, true) \g /dev/null
SELECT is_empty('SELECT * FROM pg_temp.private_rows()', 'no user but app.org_id of B: still nothing but public rows');
SELECT pg_temp.enter('user_nobody', pg_temp.org('B')::text) \g /dev/null
SELECT is_empty('SELECT * FROM pg_temp.private_rows()', 'an unknown user id: nothing but public rows');

SELECT * FROM finish();
ROLLBACK;
