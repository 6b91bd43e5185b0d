-- 91_setup_webhook: app.setup_webhook, called by the signed webhook with no
-- user signed in.  Every answer: unknown_step, bad_status, unknown_user,
-- duplicate, order, unchanged, ok, checked in that order; a bad delivery id
-- is refused with 22023.  Refusals write nothing: no audit row (read back
-- by the expert, a member of his organization) and no delivery (the same
-- delivery id is accepted afterwards).  'unchanged' records the delivery
-- only; 'ok' records it and writes one audit row in the expert's name.
-- Deliveries are remembered for a day.  An expert without an expert_setup
-- row (made an expert after his first sign-in) who has a personal
-- organization is not unknown_user: his steps read as not done, 'ok'
-- creates his row there, 'unchanged' creates none.  app.audit_write, the
-- internal audit entry point behind it, is not the app's to call.
BEGIN;
SET search_path = public, tap;
SELECT plan(67);
\ir lib/world.sql

-- A delivery, with no user: app.setup_webhook's answer.
CREATE FUNCTION pg_temp.hook(who_id text, step text, status text, delivery text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act(NULL);
	RETURN pg_temp.webhook(who_id, step, status, delivery);
END
$$;
-- A delivery id of this run.
CREATE FUNCTION pg_temp.d(n text) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT 'wh_91_' || n || '_' || pg_temp.fx('run')
$$;
-- A's external steps and audit rows of the webhook, as A reads them.
CREATE FUNCTION pg_temp.steps() RETURNS TABLE (google boolean, identity boolean, payment boolean)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act('A');
	RETURN QUERY SELECT s.google_account_completed, s.identity_completed, s.payment_completed
	    FROM public.expert_setup s WHERE s.workos_user_id = pg_temp.uid('A');
END
$$;
CREATE FUNCTION pg_temp.audits() RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	n int;
BEGIN
	PERFORM pg_temp.act('A');
	SELECT count(*) INTO n FROM public.audit_logs WHERE action LIKE 'SETUP\_STEP\_%';
	RETURN n;
END
$$;

SELECT pg_temp.act(NULL);
SELECT set_config('app.ip', '198.51.100.9', true), set_config('app.user_agent', 'Webhook/1.0', true),
    set_config('app.request_id', 'req-91-' || :'run', true) \g /dev/null

-- Delivery ids ---------------------------------------------------------------

SELECT throws_ok($$SELECT pg_temp.webhook(pg_temp.uid('A'), 'identity', 'complete', NULL)$$,
    '22023', NULL, 'a NULL delivery id is refused with 22023');
SELECT throws_ok($$SELECT pg_temp.webhook(pg_temp.uid('A'), 'identity', 'complete', '')$$,
    '22023', NULL, 'an empty delivery id is refused with 22023');
SELECT throws_ok($$SELECT pg_temp.webhook(pg_temp.uid('A'), 'identity', 'complete', repeat('x', 201))$$,
    '22023', NULL, 'a delivery id of 201 characters is refused with 22023');
SELECT throws_ok($$SELECT pg_temp.webhook(pg_temp.uid('A'), 'nonsense', 'nonsense', '')$$,
    '22023', NULL, '... before any other check');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'nonsense', 'complete', repeat('x', 200)), 'unknown_step',
    'a delivery id of 200 characters passes (and the step is checked: unknown_step)');

-- Refusals, in order -----------------------------------------------------------

SELECT is(pg_temp.hook(pg_temp.uid('A'), 'profile', 'complete', pg_temp.d('r1')), 'unknown_step',
    'a form step (profile) is not the webhook''s: unknown_step');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'events', 'complete', pg_temp.d('r1')), 'unknown_step',
    '... nor events');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'Identity', 'complete', pg_temp.d('r1')), 'unknown_step',
    'steps are case-sensitive: Identity is unknown_step');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity_completed', 'complete', pg_temp.d('r1')), 'unknown_step',
    'a column name is unknown_step');
SELECT is(pg_temp.hook(pg_temp.uid('A'), NULL, 'complete', pg_temp.d('r1')), 'unknown_step',
    'a NULL step is unknown_step');
SELECT is(pg_temp.hook('user_nobody', 'nonsense', 'nonsense', pg_temp.d('r1')), 'unknown_step',
    'unknown_step comes before bad_status and unknown_user');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'completed', pg_temp.d('r1')), 'bad_status',
    'a status other than complete or incomplete is bad_status');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', NULL, pg_temp.d('r1')), 'bad_status',
    'a NULL status is bad_status');
SELECT is(pg_temp.hook('user_nobody', 'identity', 'true', pg_temp.d('r1')), 'bad_status',
    'bad_status comes before unknown_user');
SELECT is(pg_temp.hook('user_nobody', 'identity', 'complete', pg_temp.d('r1')), 'unknown_user',
    'a user id nobody has (no expert_setup row, no users row) is unknown_user');
SELECT is(pg_temp.hook(pg_temp.uid('G'), 'identity', 'complete', pg_temp.d('r1')), 'unknown_user',
    '... a guest too');
SELECT is(pg_temp.hook(NULL, 'identity', 'complete', pg_temp.d('r1')), 'unknown_user',
    '... and a NULL user');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'payment', 'complete', pg_temp.d('r1')), 'order',
    'payment complete while identity is not: order');
SELECT results_eq('SELECT * FROM pg_temp.steps()', $$VALUES (false, false, false)$$,
    'the refusals changed none of A''s steps');
SELECT is(pg_temp.audits(), 0, '... and wrote no audit row');

-- ok, duplicate, unchanged -----------------------------------------------------

SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'complete', pg_temp.d('r1')), 'ok',
    'identity complete, with the delivery id every refusal above used: ok (no refusal recorded it)');
SELECT results_eq('SELECT * FROM pg_temp.steps()', $$VALUES (false, true, false)$$, '... A''s identity step is done');
SELECT is(pg_temp.audits(), 1, '... one audit row');
SELECT pg_temp.act('A');
SELECT results_eq($$SELECT workos_user_id, org_id, action, resource_type, resource_id, metadata,
	ip_address, user_agent, request_id FROM public.audit_logs WHERE action LIKE 'SETUP\_STEP\_%'$$,
    format($$VALUES (%L, %L::uuid, 'SETUP_STEP_COMPLETED', 'expert_setup', %L,
	'{"source": "webhook", "step": "identity"}'::jsonb, '198.51.100.9', 'Webhook/1.0', %L)$$,
	pg_temp.uid('A'), pg_temp.org('A'), pg_temp.uid('A'), 'req-91-' || pg_temp.fx('run')),
    '... SETUP_STEP_COMPLETED on expert_setup <A> in A''s name and organization, request context from the settings');
SELECT results_eq($$SELECT old_values, new_values FROM public.audit_logs WHERE action LIKE 'SETUP\_STEP\_%'$$,
    $$VALUES ('{"profile_completed": false, "availability_completed": false, "events_completed": false,
	"google_account_completed": false, "identity_completed": false, "payment_completed": false,
	"setup_complete": false, "setup_completed_at": null}'::jsonb,
	'{"profile_completed": false, "availability_completed": false, "events_completed": false,
	"google_account_completed": false, "identity_completed": true, "payment_completed": false,
	"setup_complete": false, "setup_completed_at": null}'::jsonb)$$,
    '... with the six steps and the completion before and after');

SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'complete', pg_temp.d('r1')), 'duplicate',
    'the same delivery again: duplicate');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'incomplete', pg_temp.d('r1')), 'duplicate',
    '... whatever it says');
SELECT is(pg_temp.hook(pg_temp.uid('B'), 'google_account', 'complete', pg_temp.d('r1')), 'duplicate',
    '... and whoever it names (delivery ids are global)');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'nonsense', 'complete', pg_temp.d('r1')), 'unknown_step',
    'unknown_step comes before duplicate');
SELECT is(pg_temp.hook('user_nobody', 'identity', 'complete', pg_temp.d('r1')), 'unknown_user',
    'unknown_user comes before duplicate');
SELECT is(pg_temp.audits(), 1, 'the duplicates wrote no audit row');
SELECT pg_temp.act('B');
SELECT is((SELECT google_account_completed FROM public.expert_setup), false, '... and changed nothing of B''s');

SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'complete', pg_temp.d('u1')), 'unchanged',
    'identity complete again, a new delivery: unchanged');
SELECT is(pg_temp.audits(), 1, '... no audit row');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'incomplete', pg_temp.d('u1')), 'duplicate',
    '... the delivery was recorded (sent again: duplicate)');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'google_account', 'incomplete', pg_temp.d('u2')), 'unchanged',
    'Google account incomplete while it is: unchanged');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'google_account', 'complete', pg_temp.d('u2')), 'duplicate',
    '... recorded too');

-- Payment after identity -------------------------------------------------------

SELECT is(pg_temp.hook(pg_temp.uid('A'), 'payment', 'complete', pg_temp.d('p1')), 'ok',
    'payment complete once identity is: ok');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'incomplete', pg_temp.d('o2')), 'order',
    'identity incomplete while payment is complete: order');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'incomplete', pg_temp.d('p1')), 'duplicate',
    'duplicate comes before order (identity incomplete again, with the payment''s delivery id)');
SELECT results_eq('SELECT * FROM pg_temp.steps()', $$VALUES (false, true, true)$$,
    'A: identity and payment done, the order refusal changed nothing');
SELECT is(pg_temp.audits(), 2, '... two audit rows (identity, payment)');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'payment', 'incomplete', pg_temp.d('p2')), 'ok',
    'payment incomplete: ok');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'identity', 'incomplete', pg_temp.d('o2')), 'ok',
    'then identity incomplete, with the delivery id the order refusal used: ok');
SELECT results_eq('SELECT * FROM pg_temp.steps()', $$VALUES (false, false, false)$$, '... both undone');
SELECT pg_temp.act('A');
SELECT results_eq($$SELECT action, metadata->>'step', old_values->>'payment_completed',
	new_values->>'payment_completed', new_values->>'identity_completed'
	FROM public.audit_logs WHERE action LIKE 'SETUP\_STEP\_%' ORDER BY id$$,
    $$VALUES ('SETUP_STEP_COMPLETED', 'identity', 'false', 'false', 'true'),
	('SETUP_STEP_COMPLETED', 'payment', 'false', 'true', 'true'),
	('SETUP_STEP_UNCOMPLETED', 'payment', 'true', 'false', 'true'),
	('SETUP_STEP_UNCOMPLETED', 'identity', 'false', 'false', 'false')$$,
    'four audit rows: one per change, SETUP_STEP_UNCOMPLETED for the undone steps');

-- The sixth step: the audit row carries the completion -------------------------

UPDATE public.expert_setup SET profile_completed = true, availability_completed = true,
    events_completed = true WHERE workos_user_id = pg_temp.uid('A');
SELECT is(pg_temp.hook(pg_temp.uid('A'), 'google_account', 'complete', pg_temp.d('c1'))
	|| pg_temp.hook(pg_temp.uid('A'), 'identity', 'complete', pg_temp.d('c2'))
	|| pg_temp.hook(pg_temp.uid('A'), 'payment', 'complete', pg_temp.d('c3')), 'okokok',
    'A''s three external steps after his form steps: ok, ok, ok');
SELECT pg_temp.act('A');
SELECT results_eq($$SELECT setup_complete, setup_completed_at FROM public.expert_setup$$,
    $$VALUES (true, now())$$, '... A''s setup is complete');
SELECT results_eq($$SELECT old_values->'setup_complete', old_values->'setup_completed_at',
	new_values->'setup_complete', (new_values->>'setup_completed_at')::timestamptz
	FROM public.audit_logs WHERE metadata->>'step' = 'payment' ORDER BY id DESC LIMIT 1$$,
    $$VALUES ('false'::jsonb, 'null'::jsonb, 'true'::jsonb, now())$$,
    '... and the last audit row shows it: setup_complete false before, true and completed now after');
SELECT ok((SELECT new_values->>'setup_completed_at' FROM public.audit_logs
	WHERE metadata->>'step' = 'payment' ORDER BY id DESC LIMIT 1) LIKE '%+00:00',
    '... the time written in UTC');


-- Deliveries are remembered for a day (owner_setup.sql recorded two).
SELECT is(pg_temp.hook(pg_temp.uid('B'), 'google_account', 'complete', 'wh_recent_' || :'run'), 'duplicate',
    'a delivery recorded 23 hours ago is still a duplicate');
SELECT is(pg_temp.hook(pg_temp.uid('B'), 'google_account', 'complete', 'wh_old_' || :'run'), 'ok',
    'a delivery recorded two days ago is forgotten: ok');

-- An expert without an expert_setup row -----------------------------------------

-- P (owner_setup.sql): a plain user at his first sign-in, made an
-- expert_community since: no expert_setup row.  V: the same, his owner
-- membership suspended.  R: an expert with no organization at all.
INSERT INTO fx VALUES ('user.P', 'user_P' || :'run'), ('user.V', 'user_V' || :'run'),
    ('user.R', 'user_R' || :'run'), ('org.P', app.provision_user('user_P' || :'run',
	'promoted.p.' || :'run' || '@example.test', 'Paulo', 'Pires', 'user', 'org_P' || :'run'));
-- P's expert_setup row, as he reads it.
CREATE FUNCTION pg_temp.p_row() RETURNS TABLE (org_id uuid, google boolean, identity boolean,
    payment boolean, complete boolean)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act('P');
	RETURN QUERY SELECT s.org_id, s.google_account_completed, s.identity_completed,
	    s.payment_completed, s.setup_complete FROM public.expert_setup s;
END
$$;

SELECT is(pg_temp.hook(pg_temp.uid('R'), 'identity', 'complete', pg_temp.d('m1')), 'unknown_user',
    'an expert without an expert_setup row nor a personal organization (R): unknown_user');
SELECT is(pg_temp.hook(pg_temp.uid('V'), 'identity', 'complete', pg_temp.d('m1')), 'unknown_user',
    '... nor one whose owner membership of his personal organization is suspended (V)');
SELECT is(pg_temp.hook(pg_temp.uid('M'), 'identity', 'complete', pg_temp.d('m1')), 'unknown_user',
    '... a plain user with a personal organization (M) is unknown_user too');
SELECT is(pg_temp.hook(pg_temp.uid('P'), 'payment', 'complete', pg_temp.d('m1')), 'order',
    'P, made an expert after his first sign-in (no expert_setup row): payment before identity is order');
SELECT is(pg_temp.hook(pg_temp.uid('P'), 'identity', 'incomplete', pg_temp.d('m1')), 'unchanged',
    '... identity incomplete: unchanged, his steps read as not done (and the refusals above recorded nothing)');
SELECT is_empty('SELECT * FROM pg_temp.p_row()', '... which creates no row');
SELECT is(pg_temp.hook(pg_temp.uid('P'), 'google_account', 'complete', pg_temp.d('m1')), 'duplicate',
    '... but records the delivery (sent again: duplicate)');
SELECT is(pg_temp.hook(pg_temp.uid('P'), 'identity', 'complete', pg_temp.d('m2')), 'ok',
    'identity complete: ok');
SELECT results_eq('SELECT * FROM pg_temp.p_row()', format($$VALUES (%L::uuid, false, true, false, false)$$,
	pg_temp.org('P')), '... his row is created, in his personal organization, with the step done');
SELECT pg_temp.act('P');
SELECT results_eq($$SELECT workos_user_id, org_id, action, resource_id, old_values, new_values->>'identity_completed'
	FROM public.audit_logs WHERE action LIKE 'SETUP\_STEP\_%'$$,
    format($$VALUES (%L, %L::uuid, 'SETUP_STEP_COMPLETED', %L, '{"profile_completed": false,
	"availability_completed": false, "events_completed": false, "google_account_completed": false,
	"identity_completed": false, "payment_completed": false, "setup_complete": false,
	"setup_completed_at": null}'::jsonb, 'true')$$, pg_temp.uid('P'), pg_temp.org('P'), pg_temp.uid('P')),
    '... one SETUP_STEP_COMPLETED audit row in P''s name and organization, from nothing done');
SELECT is(pg_temp.hook(pg_temp.uid('P'), 'payment', 'complete', pg_temp.d('m3')), 'ok',
    'the next delivery finds his row: payment after identity, ok');

-- The internal audit entry point ----------------------------------------------

SELECT throws_ok($$SELECT app.audit_write(pg_temp.uid('A'), pg_temp.org('A'), 'record.read', 'record',
	NULL, NULL, NULL, NULL)$$, '42501', 'permission denied for function audit_write',
    'the app role cannot call app.audit_write (it could write in anyone''s name)');
SELECT pg_temp.act('A');
SELECT lives_ok($$SELECT app.audit('record.read', 'record', 'r-91', NULL, NULL, NULL)$$,
    'app.audit, which calls it, still works for the app role');
SELECT results_eq($$SELECT workos_user_id, org_id FROM public.audit_logs WHERE resource_id = 'r-91'$$,
    format($$VALUES (%L, %L::uuid)$$, pg_temp.uid('A'), pg_temp.org('A')),
    '... in the name of the transaction''s user and organization');

-- A signed-in request (an expert acting for himself) cannot call it.
SELECT pg_temp.act('A');
SELECT throws_ok($$SELECT pg_temp.webhook(pg_temp.uid('A'), 'identity', 'complete', pg_temp.d('self'))$$,
    '42501', 'setup_webhook is not for signed-in requests',
    'an expert in his own transaction cannot mark his identity verified');

SELECT * FROM finish();
ROLLBACK;
