-- 72_admin_profiles: platform admins read every expert's profile, published
-- or not (the setup statistics name incomplete experts by their profile,
-- which stays unpublished until the setup is complete), and write none;
-- nobody else reads an unpublished profile that is not his own.
BEGIN;
SET search_path = public, tap;
SELECT plan(10);
\ir lib/world.sql

SELECT pg_temp.act('A');
SELECT results_eq(format('SELECT published FROM public.profiles WHERE workos_user_id = %L', pg_temp.uid('A')),
    ARRAY[false], '(A''s profile is unpublished)');

SELECT pg_temp.act('D');
SELECT isnt_empty(format('SELECT id FROM public.profiles WHERE workos_user_id = %L', pg_temp.uid('A')),
    'platform admin D reads A''s unpublished profile');
SELECT isnt_empty(format('SELECT id FROM public.profiles WHERE workos_user_id = %L', pg_temp.uid('B')),
    '... and B''s');
SELECT is(pg_temp.rows($$UPDATE public.profiles SET headline = 'defaced' WHERE workos_user_id = pg_temp.uid('A')$$),
    0::bigint, '... but cannot change A''s');
SELECT is(pg_temp.rows($$DELETE FROM public.profiles WHERE workos_user_id = pg_temp.uid('A')$$),
    0::bigint, '... nor delete it');

SELECT app.provision_user('user_S' || :'run', 'super.s@example.test', 'Sara', NULL, 'superadmin',
    'org_S' || :'run') \g /dev/null
SELECT pg_temp.enter('user_S' || :'run', '') \g /dev/null
SELECT isnt_empty(format('SELECT id FROM public.profiles WHERE workos_user_id = %L', pg_temp.uid('B')),
    'a superadmin reads B''s unpublished profile');

SELECT pg_temp.act('N');
SELECT is_empty('SELECT id FROM public.profiles WHERE NOT published',
    'N (admin of B''s organization, not a platform admin) reads no unpublished profile');
SELECT pg_temp.act('B');
SELECT is_empty(format('SELECT id FROM public.profiles WHERE NOT published AND workos_user_id <> %L', pg_temp.uid('B')),
    'expert B reads no other unpublished profile');
SELECT pg_temp.act('G');
SELECT is_empty('SELECT id FROM public.profiles WHERE NOT published', 'guest G reads no unpublished profile');
SELECT pg_temp.act(NULL);
SELECT is_empty('SELECT id FROM public.profiles WHERE NOT published', 'nobody signed in reads no unpublished profile');

SELECT * FROM finish();
ROLLBACK;
