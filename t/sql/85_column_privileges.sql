-- 85_column_privileges: columns the app role may not write even in its own
-- rows: a profile's verification marks, an audit row's time.
BEGIN;
SET search_path = public, tap;
SELECT plan(6);
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

SELECT * FROM finish();
ROLLBACK;
