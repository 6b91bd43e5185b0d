-- 90_setup: expert_setup's completion belongs to the database.  The
-- expert_setup_completion trigger sets setup_complete and setup_completed_at
-- from the six step flags, in the statement that completes the sixth step,
-- keeps the first completion's time when a step is repeated, clears both
-- when a step is undone, and ignores what a statement writes into them.
-- The payment step needs the identity step (a CHECK).  The app role writes
-- only the three form steps, of its own row; the external steps come
-- through app.setup_webhook (91_setup_webhook.sql).  Publication follows
-- completeness: a setup that stops being complete (a form step undone by
-- the expert, an external one by the webhook; an admin reset in
-- 92_reset_expert_setup.sql) unpublishes the expert's profile, with one
-- PROFILE_UNPUBLISHED audit row; an update that keeps it complete, or one
-- of a setup that was not complete, leaves publication alone.  A published
-- profile has a handle (a CHECK).
BEGIN;
SET search_path = public, tap;
SELECT plan(62);
\ir lib/world.sql

-- E: committed by owner_setup.sql with all six steps done.
INSERT INTO fx VALUES ('user.E', 'user_E' || :'run'), ('org.E',
    app.provision_user('user_E' || :'run', 'expert.e.' || :'run' || '@example.test',
	'Eva', 'Esteves', 'expert_lecturer', 'org_E' || :'run'));

-- <who>'s profile is published, and his PROFILE_UNPUBLISHED audit rows
-- (who, organization, resource, old, new, metadata), as he reads them.
CREATE FUNCTION pg_temp.published(who text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	r boolean;
BEGIN
	PERFORM pg_temp.act(who);
	SELECT p.published INTO r FROM public.profiles p WHERE p.workos_user_id = pg_temp.uid(who);
	RETURN r;
END
$$;
CREATE FUNCTION pg_temp.unpublished(who text) RETURNS TABLE (workos_user_id text, org_id uuid,
    resource_type text, resource_id text, old_values jsonb, new_values jsonb, metadata jsonb)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act(who);
	RETURN QUERY SELECT a.workos_user_id, a.org_id, a.resource_type, a.resource_id, a.old_values,
	    a.new_values, a.metadata FROM public.audit_logs a
	    WHERE a.action = 'PROFILE_UNPUBLISHED' ORDER BY a.id;
END
$$;
-- The row pg_temp.unpublished gives for one unpublication of <who>'s
-- profile in <actor>'s name.
CREATE FUNCTION pg_temp.unpublication(who text, actor text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format($v$(%L, %L::uuid, 'profile', %L, '{"published": true}'::jsonb,
	    '{"published": false}'::jsonb, '{"reason": "setup_incomplete"}'::jsonb)$v$,
	    pg_temp.uid(actor), pg_temp.org(who), pg_temp.uid(who))
$$;

-- <who>'s completion, as he reads it.
CREATE FUNCTION pg_temp.done(who text) RETURNS TABLE (complete boolean, completed_at timestamptz)
LANGUAGE sql AS $$
	SELECT s.setup_complete, s.setup_completed_at FROM public.expert_setup s
	WHERE s.workos_user_id = pg_temp.uid(who)
$$;
-- An external step reported by the webhook (no user signed in).
CREATE FUNCTION pg_temp.hook(who text, step text, status text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	PERFORM pg_temp.act(NULL);
	r := pg_temp.webhook(pg_temp.uid(who), step, status,
	    'wh_90_' || who || '_' || step || '_' || status || '_' || pg_temp.fx('run'));
	PERFORM pg_temp.act(who);
	RETURN r;
END
$$;

-- Privileges -----------------------------------------------------------------

SELECT is(ARRAY(SELECT c.col FROM unnest(ARRAY['id', 'workos_user_id', 'org_id', 'profile_completed',
	'availability_completed', 'events_completed', 'google_account_completed', 'identity_completed',
	'payment_completed', 'setup_complete', 'setup_completed_at', 'created_at', 'updated_at']) c (col)
	WHERE has_column_privilege('public.expert_setup', c.col, 'UPDATE')),
    ARRAY['profile_completed', 'availability_completed', 'events_completed'],
    'the app role may UPDATE exactly the three form steps of expert_setup');
SELECT is(ARRAY(SELECT c.col FROM unnest(ARRAY['id', 'workos_user_id', 'org_id', 'profile_completed',
	'availability_completed', 'events_completed', 'google_account_completed', 'identity_completed',
	'payment_completed', 'setup_complete', 'setup_completed_at', 'created_at', 'updated_at']) c (col)
	WHERE has_column_privilege('public.expert_setup', c.col, 'INSERT')),
    ARRAY['workos_user_id', 'org_id'],
    '... may INSERT only workos_user_id and org_id');
SELECT ok(has_table_privilege('public.expert_setup', 'SELECT'), '... may SELECT');
SELECT ok(NOT has_table_privilege('public.expert_setup', 'UPDATE')
	AND NOT has_table_privilege('public.expert_setup', 'INSERT')
	AND NOT has_table_privilege('public.expert_setup', 'DELETE'),
    '... and holds no table-wide UPDATE, INSERT or DELETE');

SELECT pg_temp.act('A');
SELECT throws_ok($$UPDATE public.expert_setup SET identity_completed = true WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table expert_setup', 'A cannot mark his own identity step done');
SELECT throws_ok($$UPDATE public.expert_setup SET payment_completed = true WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table expert_setup', 'A cannot mark his own payment step done');
SELECT throws_ok($$UPDATE public.expert_setup SET google_account_completed = true WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table expert_setup', 'A cannot mark his own Google account step done');
SELECT throws_ok($$UPDATE public.expert_setup SET setup_complete = true WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table expert_setup', 'A cannot write setup_complete');
SELECT throws_ok($$UPDATE public.expert_setup SET setup_completed_at = now() WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table expert_setup', 'A cannot write setup_completed_at');
SELECT throws_ok($$UPDATE public.expert_setup SET profile_completed = true, payment_completed = true
	WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', 'permission denied for table expert_setup', 'a form step together with an external one: refused as a whole');
SELECT is(pg_temp.rows($$UPDATE public.expert_setup SET profile_completed = true WHERE workos_user_id = pg_temp.uid('A')$$),
    1::bigint, 'A completes his profile step');
SELECT is(pg_temp.rows($$UPDATE public.expert_setup SET profile_completed = true WHERE workos_user_id = pg_temp.uid('B')$$),
    0::bigint, '... and the same update of B''s row affects no row');
SELECT results_eq($$SELECT profile_completed, payment_completed FROM public.expert_setup
	WHERE workos_user_id = pg_temp.uid('A')$$, $$VALUES (true, false)$$,
    'A''s row: profile done, the refused statements changed nothing');

-- A user who becomes an expert creates his row: user id and organization
-- only, everything else is the database's.
INSERT INTO fx VALUES ('user.Y', 'user_Y' || :'run'), ('org.Y', app.provision_user('user_Y' || :'run',
    'yara.' || :'run' || '@example.test', 'Yara', 'Yates', 'user', 'org_Y' || :'run'));
SELECT pg_temp.act('Y');
SELECT throws_ok($$INSERT INTO public.expert_setup (workos_user_id, org_id, setup_complete, setup_completed_at)
	VALUES (pg_temp.uid('Y'), pg_temp.org('Y'), true, now())$$,
    '42501', 'permission denied for table expert_setup', 'Y cannot insert his row already complete');
SELECT throws_ok($$INSERT INTO public.expert_setup (workos_user_id, org_id, identity_completed)
	VALUES (pg_temp.uid('Y'), pg_temp.org('Y'), true)$$,
    '42501', 'permission denied for table expert_setup', '... nor with an external step done');
SELECT throws_ok($$INSERT INTO public.expert_setup (workos_user_id, org_id, profile_completed)
	VALUES (pg_temp.uid('Y'), pg_temp.org('Y'), true)$$,
    '42501', 'permission denied for table expert_setup', '... nor with a form step done');
SELECT lives_ok($$INSERT INTO public.expert_setup (workos_user_id, org_id) VALUES (pg_temp.uid('Y'), pg_temp.org('Y'))$$,
    'Y inserts his row with his user id and organization');
SELECT results_eq($$SELECT profile_completed, identity_completed, setup_complete, setup_completed_at
	FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('Y')$$,
    $$VALUES (false, false, false, NULL::timestamptz)$$, '... nothing done, not complete');

-- Completion: the sixth step, done by the webhook ----------------------------

SELECT pg_temp.act('A');
UPDATE public.expert_setup SET availability_completed = true, events_completed = true
WHERE workos_user_id = pg_temp.uid('A');
SELECT results_eq($$SELECT * FROM pg_temp.done('A')$$, $$VALUES (false, NULL::timestamptz)$$,
    'A: the three form steps done, not complete');
SELECT is(pg_temp.hook('A', 'google_account', 'complete'), 'ok', 'the webhook: A''s Google account connected');
SELECT is(pg_temp.hook('A', 'identity', 'complete'), 'ok', 'the webhook: A''s identity verified');
SELECT results_eq($$SELECT * FROM pg_temp.done('A')$$, $$VALUES (false, NULL::timestamptz)$$,
    'five steps: not complete');
SELECT is(pg_temp.hook('A', 'payment', 'complete'), 'ok', 'the webhook: A''s payments enabled');
SELECT results_eq($$SELECT * FROM pg_temp.done('A')$$, $$VALUES (true, now())$$,
    'the sixth step sets setup_complete and setup_completed_at, in the same statement');
SELECT is(pg_temp.rows($$UPDATE public.expert_setup SET profile_completed = true, events_completed = true
	WHERE workos_user_id = pg_temp.uid('A')$$), 1::bigint, 'A repeats two done steps');
SELECT results_eq($$SELECT * FROM pg_temp.done('A')$$, $$VALUES (true, now())$$, '... still complete');

-- Completion: the sixth step, a form step done by the app --------------------

SELECT pg_temp.act('B');
SELECT is(pg_temp.hook('B', 'google_account', 'complete') || pg_temp.hook('B', 'identity', 'complete')
	|| pg_temp.hook('B', 'payment', 'complete'), 'okokok', 'the webhook: B''s three external steps done');
UPDATE public.expert_setup SET profile_completed = true, availability_completed = true
WHERE workos_user_id = pg_temp.uid('B');
SELECT results_eq($$SELECT * FROM pg_temp.done('B')$$, $$VALUES (false, NULL::timestamptz)$$,
    'B: five steps, not complete');
UPDATE public.expert_setup SET events_completed = true WHERE workos_user_id = pg_temp.uid('B');
SELECT results_eq($$SELECT * FROM pg_temp.done('B')$$, $$VALUES (true, now())$$,
    'B completes his events step last: complete, now');
UPDATE public.expert_setup SET availability_completed = false WHERE workos_user_id = pg_temp.uid('B');
SELECT results_eq($$SELECT * FROM pg_temp.done('B')$$, $$VALUES (false, NULL::timestamptz)$$,
    'B undoes a form step: not complete, no time');
SELECT is_empty($$SELECT * FROM pg_temp.unpublished('B')$$,
    '... his profile was not published: no PROFILE_UNPUBLISHED row');

-- A completion from an earlier transaction ------------------------------------

SELECT pg_temp.act('E');
SELECT results_eq($$SELECT profile_completed AND availability_completed AND events_completed
	AND google_account_completed AND identity_completed AND payment_completed, setup_complete
	FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('E')$$, $$VALUES (true, true)$$,
    'E (owner_setup.sql): six steps done, complete although the statement wrote setup_complete = false');
SELECT cmp_ok((SELECT completed_at FROM pg_temp.done('E')), '<', now(),
    '... completed before this transaction');
SELECT cmp_ok((SELECT completed_at FROM pg_temp.done('E')), '>', '2001-01-02'::timestamptz,
    '... at the time of that transaction, not the 2001-01-01 it wrote');
INSERT INTO fx SELECT 'completed.E', completed_at::text FROM pg_temp.done('E');

-- E publishes his profile: it needs a handle.
SELECT throws_ok($$INSERT INTO public.profiles (org_id, workos_user_id, first_name, last_name, published)
	VALUES (pg_temp.org('E'), pg_temp.uid('E'), 'Eva', 'Esteves', true)$$,
    '23514', 'new row for relation "profiles" violates check constraint "profiles_published_needs_handle"',
    'a profile published without a handle is refused (23514, profiles_published_needs_handle)');
INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name, last_name)
VALUES (pg_temp.org('E'), pg_temp.uid('E'), 'expert-e-' || pg_temp.fx('run'), 'Eva', 'Esteves');
SELECT throws_ok($$UPDATE public.profiles SET handle = NULL, published = true WHERE workos_user_id = pg_temp.uid('E')$$,
    '23514', NULL, '... and so is publishing one while removing its handle');
SELECT is(pg_temp.rows($$UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('E')$$),
    1::bigint, 'E publishes his profile, which has a handle');
SELECT throws_ok($$UPDATE public.profiles SET handle = NULL WHERE workos_user_id = pg_temp.uid('E')$$,
    '23514', NULL, '... whose handle cannot go while it is published');
SELECT pg_temp.act('E');

UPDATE public.expert_setup SET profile_completed = true WHERE workos_user_id = pg_temp.uid('E');
SELECT results_eq($$SELECT * FROM pg_temp.done('E')$$,
    format($$VALUES (true, %L::timestamptz)$$, pg_temp.fx('completed.E')),
    'E repeats his profile step: setup_completed_at unchanged');
UPDATE public.expert_setup SET profile_completed = true, availability_completed = true,
    events_completed = true WHERE workos_user_id = pg_temp.uid('E');
SELECT results_eq($$SELECT * FROM pg_temp.done('E')$$,
    format($$VALUES (true, %L::timestamptz)$$, pg_temp.fx('completed.E')),
    '... all three form steps again: unchanged');
SELECT is(pg_temp.hook('E', 'identity', 'complete'), 'unchanged', 'the webhook repeats his identity step');
SELECT results_eq($$SELECT * FROM pg_temp.done('E')$$,
    format($$VALUES (true, %L::timestamptz)$$, pg_temp.fx('completed.E')), '... unchanged');
SELECT cmp_ok((SELECT updated_at FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('E')), '=', now(),
    '(while updated_at follows every update)');
SELECT is(pg_temp.published('E'), true, 'complete to complete (steps repeated, by the form and the webhook): E''s profile stays published');
SELECT is_empty($$SELECT * FROM pg_temp.unpublished('E')$$, '... no PROFILE_UNPUBLISHED row');

-- As the app does on saving a form: the step's flag set to its current truth.
SELECT pg_temp.act('E');
UPDATE public.expert_setup SET events_completed = false WHERE workos_user_id = pg_temp.uid('E');
SELECT results_eq($$SELECT * FROM pg_temp.done('E')$$, $$VALUES (false, NULL::timestamptz)$$,
    'E undoes his events step: setup_complete and setup_completed_at cleared');
SELECT is(pg_temp.published('E'), false, '... and his profile is unpublished');
SELECT results_eq($$SELECT * FROM pg_temp.unpublished('E')$$,
    'VALUES ' || pg_temp.unpublication('E', 'E'),
    '... one PROFILE_UNPUBLISHED row: in E''s name and organization, published true to false, reason setup_incomplete');
UPDATE public.expert_setup SET events_completed = true WHERE workos_user_id = pg_temp.uid('E');
SELECT results_eq($$SELECT * FROM pg_temp.done('E')$$, $$VALUES (true, now())$$,
    'E does it again: complete, at the new time');
SELECT is(pg_temp.published('E'), false, '... which does not publish his profile again');
UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('E');

SELECT is(pg_temp.hook('E', 'payment', 'incomplete'), 'ok', 'E publishes again; the webhook undoes his payment step');
SELECT results_eq($$SELECT payment_completed, setup_complete, setup_completed_at FROM public.expert_setup
	WHERE workos_user_id = pg_temp.uid('E')$$, $$VALUES (false, false, NULL::timestamptz)$$,
    '... not complete, no time');
SELECT is(pg_temp.published('E'), false, '... his profile unpublished');
SELECT results_eq($$SELECT * FROM pg_temp.unpublished('E')$$,
    'VALUES ' || pg_temp.unpublication('E', 'E') || ', ' || pg_temp.unpublication('E', 'E'),
    '... a second PROFILE_UNPUBLISHED row, in the expert''s name (the webhook has no user)');

-- Published while incomplete: the database refuses it too
-- (sql/0012_identity.sql); an update that leaves the setup incomplete
-- leaves publication alone.
SELECT throws_ok($$UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('E')$$,
    '42501', NULL, 'publishing while incomplete is refused by the database (42501)');
SELECT is(pg_temp.hook('E', 'identity', 'incomplete'), 'ok', 'the webhook undoes E''s identity step too');
SELECT is(pg_temp.published('E'), false, '... incomplete to incomplete: his profile is left as it was');
SELECT is((SELECT count(*)::int FROM pg_temp.unpublished('E')), 2, '... no new PROFILE_UNPUBLISHED row');

-- Payment after identity -------------------------------------------------------

SELECT col_has_check('public', 'expert_setup', ARRAY['payment_completed', 'identity_completed'],
    'expert_setup has a CHECK on payment_completed and identity_completed');
SELECT is((SELECT pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c
	WHERE c.conrelid = 'public.expert_setup'::regclass AND c.conname = 'expert_setup_payment_after_identity'),
    'CHECK (((NOT payment_completed) OR identity_completed))',
    '... expert_setup_payment_after_identity: no payment step without the identity step');
-- The app role cannot write either column; the webhook refuses the order
-- before the constraint would (t/e2e/setup_sql.js: 23514 for the owner).
SELECT is(pg_temp.hook('Y', 'payment', 'complete'), 'order', 'the webhook: Y''s payment before his identity is refused');
SELECT results_eq($$SELECT identity_completed, payment_completed FROM public.expert_setup
	WHERE workos_user_id = pg_temp.uid('Y')$$, $$VALUES (false, false)$$, '... and not recorded');

SELECT * FROM finish();
ROLLBACK;
