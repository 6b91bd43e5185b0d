-- 70_admin: platform admins (users.role admin or superadmin) read every
-- user and every expert_setup row and can reset expert_setup; nobody else
-- reads another user's expert_setup.  Being a platform admin opens every
-- organization's name and audit trail (/admin/audit, 0015 and 0018) and
-- nothing else of the organizations' own data.
BEGIN;
SET search_path = public, tap;
SELECT plan(29);
\ir lib/world.sql

-- Non-admins ----------------------------------------------------------------

SELECT pg_temp.act('A');
SELECT is_empty(format('SELECT * FROM public.expert_setup WHERE workos_user_id <> %L', pg_temp.uid('A')),
    'A (expert, not admin) reads no other user''s expert_setup');
SELECT is(pg_temp.rows($$UPDATE public.expert_setup SET profile_completed = true WHERE workos_user_id = pg_temp.uid('B')$$),
    0::bigint, 'A cannot update B''s expert_setup');
SELECT is(pg_temp.rows($$UPDATE public.expert_setup SET profile_completed = true, availability_completed = true,
	events_completed = true WHERE workos_user_id = pg_temp.uid('A')$$),
    1::bigint, 'A completes the form steps of his own setup');
SELECT is_empty(format('SELECT * FROM public.users WHERE workos_user_id <> %L', pg_temp.uid('A')),
    'A reads no other users row');
SELECT pg_temp.act('N');
SELECT is_empty('SELECT * FROM public.expert_setup',
    'N (admin of B''s organization, not a platform admin) reads no expert_setup');
SELECT is(pg_temp.rows($$UPDATE public.expert_setup SET profile_completed = false$$),
    0::bigint, '... and resets none');
SELECT pg_temp.act('G');
SELECT is_empty('SELECT * FROM public.expert_setup', 'guest G reads no expert_setup');

-- A platform admin ----------------------------------------------------------

SELECT pg_temp.act('D');
SELECT isnt_empty(format('SELECT * FROM public.expert_setup WHERE workos_user_id = %L', pg_temp.uid('A')),
    'platform admin D reads A''s expert_setup');
SELECT isnt_empty(format('SELECT * FROM public.expert_setup WHERE workos_user_id = %L', pg_temp.uid('B')),
    '... and B''s');
SELECT is_empty(format('SELECT * FROM public.expert_setup WHERE workos_user_id = %L', pg_temp.uid('D')),
    '(an admin who is not an expert has no expert_setup of his own)');
SELECT is((SELECT count(*)::int FROM public.users WHERE workos_user_id IN
	(SELECT v FROM fx WHERE k LIKE 'user.%')), 7, 'D reads every users row (the 7 of the fixtures)');
SELECT isnt(app.reset_expert_setup(pg_temp.uid('A')), NULL,
    'D resets A''s expert_setup (app.reset_expert_setup)');
SELECT throws_ok($$DELETE FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('A')$$, '42501',
    'permission denied for table expert_setup', 'D cannot delete an expert_setup row');
SELECT is(pg_temp.rows($$UPDATE public.users SET first_name = 'Changed' WHERE workos_user_id = pg_temp.uid('A')$$),
    0::bigint, 'D reads users but cannot update another user''s row');

-- ...the organizations and their audit trails...
SELECT isnt_empty(pg_temp.scope('organizations', 'A'), 'D reads A''s organization');
SELECT isnt_empty(pg_temp.scope('audit_logs', 'A'), 'D reads A''s audit rows (/admin/audit)');
-- ...but none of the organizations' data.
SELECT is_empty(pg_temp.scope('user_preferences', 'A'), 'D does not read A''s preferences');
SELECT is_empty(pg_temp.scope('meetings', 'A'), 'D does not read A''s meetings');
SELECT is_empty(pg_temp.scope('records', 'A'), 'D does not read A''s records');
SELECT is_empty(pg_temp.scope('payment_transfers', 'A'), 'D does not read A''s payment transfers');
SELECT is_empty(pg_temp.scope('events', 'A'), 'D does not read A''s (unpublished) events');

SELECT pg_temp.act('A');
SELECT results_eq(format($$SELECT profile_completed, payment_completed, setup_complete, setup_completed_at
	FROM public.expert_setup WHERE workos_user_id = %L$$, pg_temp.uid('A')),
    $$VALUES (false, false, false, NULL::timestamptz)$$, 'A sees his setup reset');

-- A superadmin too.
SELECT app.provision_user('user_S' || :'run', 'super.s@example.test', 'Sara', NULL, 'superadmin',
    'org_S' || :'run') \g /dev/null
SELECT pg_temp.enter('user_S' || :'run', '') \g /dev/null
SELECT isnt_empty(format('SELECT * FROM public.expert_setup WHERE workos_user_id = %L', pg_temp.uid('B')),
    'a superadmin reads B''s expert_setup');
SELECT isnt(app.reset_expert_setup(pg_temp.uid('B')), NULL, '... and may reset it');

-- Categories: platform admins write them, everybody reads them.
SELECT pg_temp.act('D');
SELECT lives_ok($$INSERT INTO public.categories (name, description) VALUES ('Test category', 'made by D')$$,
    'D adds a category');
SELECT is(pg_temp.rows($$UPDATE public.categories SET description = 'edited' WHERE name = 'Test category'$$),
    1::bigint, 'D edits it');
SELECT pg_temp.act('A');
SELECT throws_ok($$INSERT INTO public.categories (name) VALUES ('Spam')$$, '42501',
    'new row violates row-level security policy for table "categories"', 'A (not admin) cannot add a category');
SELECT is(pg_temp.rows($$UPDATE public.categories SET description = 'defaced'$$), 0::bigint,
    'A cannot edit categories');
SELECT is(pg_temp.rows($$DELETE FROM public.categories$$), 0::bigint, 'A cannot delete categories');

SELECT * FROM finish();
ROLLBACK;
