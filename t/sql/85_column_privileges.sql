-- 85_column_privileges: columns the app role may not write even in its own
-- rows: a profile's verification marks, an audit row's time; and columns it
-- may write but not read, even in its own row: the practitioner agreement's
-- IP address and metadata (sql/0007_profile_privacy.sql).
BEGIN;
SET search_path = public, tap;
SELECT plan(16);
\ir lib/world.sql

SELECT pg_temp.act('A');
SELECT throws_ok($$UPDATE public.profiles SET is_verified = true WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table profiles', 'A cannot mark his own profile verified');
SELECT throws_ok($$UPDATE public.profiles SET is_top_expert = true WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table profiles', 'A cannot make himself a top expert');
SELECT lives_ok($$UPDATE public.profiles SET headline = 'Midwife' WHERE workos_user_id = pg_temp.uid('A')$$,
    'A edits the rest of his profile');
SELECT is((SELECT headline FROM public.profiles WHERE workos_user_id = pg_temp.uid('A')), 'Midwife',
    '... and the change is there');
SELECT throws_ok($$INSERT INTO public.audit_logs (workos_user_id, org_id, action, resource_type, created_at)
	VALUES (pg_temp.uid('A'), pg_temp.org('A'), 'record.read', 'record', '2000-01-01')$$,
    '42501', 'permission denied for table audit_logs', 'A cannot backdate an audit row');
SELECT lives_ok($$INSERT INTO public.audit_logs (workos_user_id, org_id, action, resource_type)
	VALUES (pg_temp.uid('A'), pg_temp.org('A'), 'record.read', 'record')$$,
    'A may add an audit row of his own, timed by the database');

-- Profiles: every column readable but the agreement's IP address and metadata.
SELECT is(ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
	WHERE a.attrelid = 'public.profiles'::regclass AND a.attnum > 0 AND NOT a.attisdropped
	AND NOT has_column_privilege('public.profiles', a.attname, 'SELECT') ORDER BY a.attnum),
    ARRAY['practitioner_agreement_ip_address', 'practitioner_agreement_metadata'],
    'the app role may SELECT every column of profiles but practitioner_agreement_ip_address and _metadata');
SELECT ok(NOT has_table_privilege('public.profiles', 'SELECT'), '... and holds no table-wide SELECT on profiles');
SELECT ok(has_column_privilege('public.profiles', 'practitioner_agreement_ip_address', 'INSERT')
	AND has_column_privilege('public.profiles', 'practitioner_agreement_ip_address', 'UPDATE')
	AND has_column_privilege('public.profiles', 'practitioner_agreement_metadata', 'INSERT')
	AND has_column_privilege('public.profiles', 'practitioner_agreement_metadata', 'UPDATE'),
    '... while it may still INSERT and UPDATE both');

SELECT pg_temp.act('A');
SELECT is(pg_temp.rows($$UPDATE public.profiles SET practitioner_agreement_accepted_at = now(),
	practitioner_agreement_version = '1.0', practitioner_agreement_ip_address = '203.0.113.7',
	practitioner_agreement_metadata = '{"ua": "Test/1.0"}' WHERE workos_user_id = pg_temp.uid('A')$$),
    1::bigint, 'A records his agreement, IP address and metadata included');
SELECT throws_ok($$SELECT practitioner_agreement_ip_address FROM public.profiles WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table profiles', '... but cannot read the IP address back, even his own (42501)');
SELECT throws_ok($$SELECT practitioner_agreement_metadata FROM public.profiles WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table profiles', '... nor the metadata');
SELECT throws_ok($$UPDATE public.profiles SET practitioner_agreement_version = '1.1'
	WHERE workos_user_id = pg_temp.uid('A') RETURNING practitioner_agreement_ip_address$$,
    '42501', 'permission denied for table profiles', '... nor through RETURNING');
SELECT throws_ok($$UPDATE public.profiles SET headline = 'x'
	WHERE practitioner_agreement_ip_address IS NOT NULL$$,
    '42501', 'permission denied for table profiles', '... nor by testing it in a WHERE');
SELECT results_eq($$SELECT practitioner_agreement_version, practitioner_agreement_accepted_at
	FROM public.profiles WHERE workos_user_id = pg_temp.uid('A')$$, $$VALUES ('1.0', now())$$,
    'the agreement''s version and time are readable');
SELECT pg_temp.act('D');
SELECT throws_ok(format('SELECT practitioner_agreement_ip_address FROM public.profiles WHERE workos_user_id = %L',
	pg_temp.uid('A')), '42501', 'permission denied for table profiles',
    'a platform admin (who reads every profile) cannot read it either');

SELECT * FROM finish();
ROLLBACK;
