-- 92_reset_expert_setup: app.reset_expert_setup is for platform admins
-- (users.role admin or superadmin) only: anybody else gets 42501, an
-- organization role notwithstanding.  It undoes all six steps (so the
-- trigger clears the completion) and returns {"old": ..., "new": ...}, the
-- six steps and the completion before and after; NULL for a user without
-- an expert_setup row.  It audits itself: one SETUP_RESET row per reset
-- (even one that changes nothing) in the admin's name and the expert's
-- organization, so that the expert reads it in his trail, with the states
-- it returns.  Resetting a complete setup unpublishes a published profile
-- (the expert_setup_unpublish trigger: one PROFILE_UNPUBLISHED row, also in
-- the admin's name).
BEGIN;
SET search_path = public, tap;
SELECT plan(28);
\ir lib/world.sql

-- E: committed by owner_setup.sql with all six steps done.
INSERT INTO fx VALUES ('user.E', 'user_E' || :'run'), ('org.E',
    app.provision_user('user_E' || :'run', 'expert.e.' || :'run' || '@example.test',
	'Eva', 'Esteves', 'expert_lecturer', 'org_E' || :'run'));
SELECT pg_temp.act('E');
INSERT INTO fx SELECT 'completed.E', setup_completed_at::text FROM public.expert_setup
WHERE workos_user_id = pg_temp.uid('E');

-- E publishes a profile.
INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name, last_name, published)
VALUES (pg_temp.org('E'), pg_temp.uid('E'), 'expert-e-' || :'run', 'Eva', 'Esteves', true);

-- E's audit rows of an action (who, organization, resource, old, new,
-- metadata), as E reads them.
CREATE FUNCTION pg_temp.e_audits(p_action text) RETURNS TABLE (workos_user_id text, org_id uuid,
    resource_type text, resource_id text, old_values jsonb, new_values jsonb, metadata jsonb)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act('E');
	RETURN QUERY SELECT a.workos_user_id, a.org_id, a.resource_type, a.resource_id, a.old_values,
	    a.new_values, a.metadata FROM public.audit_logs a WHERE a.action = p_action ORDER BY a.id;
END
$$;

-- The state of E's row, as E reads it.
CREATE FUNCTION pg_temp.e_state() RETURNS TABLE (steps_done int, complete boolean, completed_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act('E');
	RETURN QUERY SELECT profile_completed::int + availability_completed::int + events_completed::int
	    + google_account_completed::int + identity_completed::int + payment_completed::int,
	    s.setup_complete, s.setup_completed_at
	    FROM public.expert_setup s WHERE s.workos_user_id = pg_temp.uid('E');
END
$$;

-- Everybody but platform admins ----------------------------------------------

SELECT pg_temp.act('E');
SELECT throws_ok($$SELECT app.reset_expert_setup(pg_temp.uid('E'))$$, '42501', NULL,
    'E cannot reset his own setup (42501)');
SELECT pg_temp.act('A');
SELECT throws_ok($$SELECT app.reset_expert_setup(pg_temp.uid('E'))$$, '42501', NULL,
    'A (expert_top) cannot reset E''s');
SELECT pg_temp.act('N');
SELECT throws_ok($$SELECT app.reset_expert_setup(pg_temp.uid('B'))$$, '42501', NULL,
    'N (admin of B''s organization, not a platform admin) cannot reset B''s');
SELECT pg_temp.act('M');
SELECT throws_ok($$SELECT app.reset_expert_setup(pg_temp.uid('B'))$$, '42501', NULL,
    'M (member of B''s organization) cannot either');
SELECT pg_temp.act('G');
SELECT throws_ok($$SELECT app.reset_expert_setup(pg_temp.uid('E'))$$, '42501', NULL, 'a guest cannot');
SELECT pg_temp.act(NULL);
SELECT throws_ok($$SELECT app.reset_expert_setup(pg_temp.uid('E'))$$, '42501', NULL, 'no user: cannot');
SELECT throws_ok($$SELECT app.reset_expert_setup('user_nobody')$$, '42501', NULL,
    '... not even for an unknown user (the privilege is checked first)');
SELECT pg_temp.enter('user_nobody', '') \g /dev/null
SELECT throws_ok($$SELECT app.reset_expert_setup(pg_temp.uid('E'))$$, '42501', NULL, 'an unknown user id: cannot');
SELECT results_eq('SELECT * FROM pg_temp.e_state()',
    format($$VALUES (6, true, %L::timestamptz)$$, pg_temp.fx('completed.E')),
    'E''s setup is as it was');
SELECT is_empty($$SELECT * FROM pg_temp.e_audits('SETUP_RESET')$$, '... and no SETUP_RESET row was written');

-- A platform admin -------------------------------------------------------------

SELECT pg_temp.act('D');
SELECT is(app.reset_expert_setup('user_nobody'), NULL, 'D: an unknown user: NULL');
SELECT is(app.reset_expert_setup(NULL), NULL, 'D: NULL: NULL');
SELECT is(app.reset_expert_setup(pg_temp.uid('G')), NULL, 'D: a guest (no expert_setup row): NULL');
SELECT is(app.reset_expert_setup(pg_temp.uid('D')), NULL, 'D: himself (no expert_setup row): NULL');

INSERT INTO fx VALUES ('reset.E', app.reset_expert_setup(pg_temp.uid('E'))::text);
SELECT is(pg_temp.fx('reset.E')::jsonb #- '{old,setup_completed_at}', jsonb_build_object(
	'old', jsonb_build_object('profile_completed', true, 'availability_completed', true,
	    'events_completed', true, 'google_account_completed', true, 'identity_completed', true,
	    'payment_completed', true, 'setup_complete', true),
	'new', jsonb_build_object('profile_completed', false, 'availability_completed', false,
	    'events_completed', false, 'google_account_completed', false, 'identity_completed', false,
	    'payment_completed', false, 'setup_complete', false, 'setup_completed_at', NULL)),
    'D resets E''s setup: old, all done and complete; new, nothing done, not complete, no time');
SELECT is((pg_temp.fx('reset.E')::jsonb #>> '{old,setup_completed_at}')::timestamptz,
    pg_temp.fx('completed.E')::timestamptz, '... old carries the time E''s setup was completed');
SELECT results_eq('SELECT * FROM pg_temp.e_state()', $$VALUES (0, false, NULL::timestamptz)$$,
    'E reads his setup reset');
SELECT results_eq($$SELECT * FROM pg_temp.e_audits('SETUP_RESET')$$,
    format($$VALUES (%L, %L::uuid, 'expert_setup', %L, %L::jsonb, %L::jsonb, NULL::jsonb)$$,
	pg_temp.uid('D'), pg_temp.org('E'), pg_temp.uid('E'), pg_temp.fx('reset.E')::jsonb -> 'old',
	pg_temp.fx('reset.E')::jsonb -> 'new'),
    '... and in his trail one SETUP_RESET row: in D''s name, in E''s organization, on E''s expert_setup, '
    'with the old and new states the reset returned');
SELECT results_eq($$SELECT published FROM public.profiles WHERE workos_user_id = pg_temp.uid('E')$$,
    ARRAY[false], 'the reset unpublished E''s profile');
SELECT results_eq($$SELECT * FROM pg_temp.e_audits('PROFILE_UNPUBLISHED')$$,
    format($$VALUES (%L, %L::uuid, 'profile', %L, '{"published": true}'::jsonb, '{"published": false}'::jsonb,
	'{"reason": "setup_incomplete"}'::jsonb)$$, pg_temp.uid('D'), pg_temp.org('E'), pg_temp.uid('E')),
    '... with one PROFILE_UNPUBLISHED row, in D''s name, reason setup_incomplete');
SELECT pg_temp.act('D');
SELECT results_eq($$SELECT app.reset_expert_setup(pg_temp.uid('E')) -> 'old' = app.reset_expert_setup(pg_temp.uid('E')) -> 'new',
	app.reset_expert_setup(pg_temp.uid('E')) #>> '{new,setup_complete}'$$, $$VALUES (true, 'false')$$,
    'a second reset: old and new the same, nothing done');
SELECT results_eq($$SELECT count(*)::int, count(*) FILTER (WHERE old_values = new_values
	AND workos_user_id = pg_temp.uid('D'))::int FROM pg_temp.e_audits('SETUP_RESET')$$, $$VALUES (4, 3)$$,
    '... still audited: one SETUP_RESET row for each of the three calls, old and new the same');
SELECT is((SELECT count(*)::int FROM pg_temp.e_audits('PROFILE_UNPUBLISHED')), 1,
    '... and no further PROFILE_UNPUBLISHED row (the setup was not complete)');

-- Once reset, E's form steps alone do not complete it; the webhook's do.
SELECT pg_temp.act('E');
UPDATE public.expert_setup SET profile_completed = true, availability_completed = true,
    events_completed = true WHERE workos_user_id = pg_temp.uid('E');
SELECT results_eq('SELECT * FROM pg_temp.e_state()', $$VALUES (3, false, NULL::timestamptz)$$,
    'after a reset, E redoes his form steps: not complete');
SELECT pg_temp.act(NULL);
SELECT is(pg_temp.webhook(pg_temp.uid('E'), 'google_account', 'complete', 'wh_92_g_' || :'run')
	|| pg_temp.webhook(pg_temp.uid('E'), 'identity', 'complete', 'wh_92_i_' || :'run')
	|| pg_temp.webhook(pg_temp.uid('E'), 'payment', 'complete', 'wh_92_p_' || :'run'), 'okokok',
    '... the webhook reports his external steps again');
SELECT results_eq('SELECT * FROM pg_temp.e_state()', $$VALUES (6, true, now())$$,
    '... complete again, at the new time');

-- A superadmin too.
SELECT app.provision_user('user_S' || :'run', 'super.s@example.test', 'Sara', NULL, 'superadmin',
    'org_S' || :'run') \g /dev/null
SELECT pg_temp.enter('user_S' || :'run', '') \g /dev/null
SELECT is(app.reset_expert_setup(pg_temp.uid('E')) #>> '{new,setup_complete}', 'false',
    'a superadmin resets E''s setup too');
SELECT results_eq(format($$SELECT org_id, resource_id, (old_values->>'setup_complete')::boolean
	FROM pg_temp.e_audits('SETUP_RESET') WHERE workos_user_id = %L$$, 'user_S' || :'run'),
    format($$VALUES (%L::uuid, %L, true)$$, pg_temp.org('E'), pg_temp.uid('E')),
    '... audited in her name, in E''s organization');

SELECT * FROM finish();
ROLLBACK;
