-- 20_functions: the SECURITY DEFINER functions the app role calls.
-- provision_user and register_guest reject bad arguments with 22023 and are
-- idempotent (a second call returns the same organization and creates no
-- row); audit() writes one row per call with user, organization, IP, user
-- agent and request id taken from the transaction's settings.
BEGIN;
SET search_path = public, tap;
SELECT plan(72);
\ir lib/world.sql

-- provision_user: bad arguments -------------------------------------------

CREATE FUNCTION pg_temp.provision(uid text, email text, first text, last text, role text, org text)
RETURNS text LANGUAGE sql AS $$
	SELECT format('SELECT app.provision_user(%L, %L, %L, %L, %L, %L)', uid, email, first, last, role, org)
$$;

SELECT throws_ok(pg_temp.provision(NULL, 'x@example.test', 'X', 'Y', 'user', 'org_x1'), '22023', NULL,
    'provision_user: NULL user id is refused with 22023');
SELECT throws_ok(pg_temp.provision('bob', 'x@example.test', 'X', 'Y', 'user', 'org_x1'), '22023', NULL,
    'provision_user: a user id without the user_ prefix is refused');
SELECT throws_ok(pg_temp.provision('user_', 'x@example.test', 'X', 'Y', 'user', 'org_x1'), '22023', NULL,
    'provision_user: an empty user id after the prefix is refused');
SELECT throws_ok(pg_temp.provision('user_a-b', 'x@example.test', 'X', 'Y', 'user', 'org_x1'), '22023', NULL,
    'provision_user: a user id with a dash is refused');
SELECT throws_ok(pg_temp.provision('user_x'' OR ''1''=''1', 'x@example.test', 'X', 'Y', 'user', 'org_x1'),
    '22023', NULL, 'provision_user: a user id with quotes is refused');
SELECT throws_ok(pg_temp.provision('user_' || repeat('a', 65), 'x@example.test', 'X', 'Y', 'user', 'org_x1'),
    '22023', NULL, 'provision_user: a user id of 70 characters is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@example.test', 'X', 'Y', 'user', NULL), '22023', NULL,
    'provision_user: NULL organization id is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@example.test', 'X', 'Y', 'user', 'user_x1'), '22023', NULL,
    'provision_user: an organization id without the org_ prefix is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@example.test', 'X', 'Y', 'user', 'org_'), '22023', NULL,
    'provision_user: an empty organization id after the prefix is refused');
SELECT throws_ok(pg_temp.provision('user_x1', NULL, 'X', 'Y', 'user', 'org_x1'), '22023', NULL,
    'provision_user: NULL e-mail is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'nobody', 'X', 'Y', 'user', 'org_x1'), '22023', NULL,
    'provision_user: an e-mail without @ is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@localhost', 'X', 'Y', 'user', 'org_x1'), '22023', NULL,
    'provision_user: an e-mail without a dot in the domain is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'x y@example.test', 'X', 'Y', 'user', 'org_x1'), '22023', NULL,
    'provision_user: an e-mail with a space is refused');
SELECT throws_ok(pg_temp.provision('user_x1', repeat('x', 250) || '@example.test', 'X', 'Y', 'user', 'org_x1'),
    '22023', NULL, 'provision_user: an e-mail longer than 254 characters is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@example.test', 'X', 'Y', NULL, 'org_x1'), '22023', NULL,
    'provision_user: NULL role is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@example.test', 'X', 'Y', 'owner', 'org_x1'), '22023', NULL,
    'provision_user: an organization role (owner) is not a user role');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@example.test', 'X', 'Y', 'ADMIN', 'org_x1'), '22023', NULL,
    'provision_user: roles are case-sensitive (ADMIN)');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@example.test', repeat('X', 101), 'Y', 'user', 'org_x1'),
    '22023', NULL, 'provision_user: a first name of 101 characters is refused');
SELECT throws_ok(pg_temp.provision('user_x1', 'x@example.test', 'X', repeat('Y', 101), 'user', 'org_x1'),
    '22023', NULL, 'provision_user: a last name of 101 characters is refused');
SELECT pg_temp.act('D');
SELECT is_empty($$SELECT 1 FROM public.users WHERE workos_user_id IN ('user_x1', 'bob', 'user_a-b')$$,
    'provision_user: the refused calls created no user (as read by a platform admin)');

-- provision_user: an expert, again -------------------------------------------
-- Only the owner creates an expert (sql/0012_identity.sql): X was provisioned
-- by owner_setup.sql with these arguments; the app role signs him in again.

INSERT INTO fx VALUES ('user.X', 'user_X' || :'run'), ('user.Y', 'user_Y' || :'run');
INSERT INTO fx VALUES ('org.X', app.provision_user(pg_temp.uid('X'), 'Xana.Xavier@Example.TEST',
    ' Xana ', 'Xavier', 'expert_lecturer', 'org_X' || :'run'));
SELECT isnt(pg_temp.org('X'), NULL, 'provision_user returns the new organization''s id');
SELECT is(app.provision_user(pg_temp.uid('X'), 'Xana.Xavier@Example.TEST', ' Xana ', 'Xavier',
    'expert_lecturer', 'org_X' || :'run'), pg_temp.org('X'), 'a second identical call returns the same id');
SELECT is(app.provision_user(pg_temp.uid('X'), 'changed@example.test', 'Other', 'Name',
    'expert_lecturer', 'org_X' || :'run'), pg_temp.org('X'),
    'a third call with other details returns the same id too');
SELECT throws_ok(format('SELECT app.provision_user(%L, %L, %L, %L, %L, %L)', pg_temp.uid('X'),
    'x@example.test', 'X', NULL, 'expert_lecturer', 'org_other' || pg_temp.fx('run')), '23505', NULL,
    'a call naming another WorkOS organization for the same user is refused (23505)');

SELECT pg_temp.act('X');
SELECT results_eq($$SELECT workos_user_id, email, first_name, last_name, role FROM public.users$$,
    format($$VALUES (%L, 'xana.xavier@example.test', 'Xana', 'Xavier', 'expert_lecturer')$$, pg_temp.uid('X')),
    'one users row: e-mail lower-cased, names trimmed, details of the first call kept');
SELECT results_eq($$SELECT id, workos_org_id, slug, name, type FROM public.organizations$$,
    format($$VALUES (%L::uuid, %L, %L, 'Xana''s Practice', 'expert_individual')$$,
	pg_temp.org('X'), 'org_X' || pg_temp.fx('run'), 'user-' || pg_temp.uid('X')),
    'one personal organization: slug user-<id>, "<Name>''s Practice", expert_individual');
SELECT results_eq($$SELECT org_id, role, status FROM public.user_org_memberships$$,
    format($$VALUES (%L::uuid, 'owner', 'active')$$, pg_temp.org('X')),
    'one membership: owner, active');
SELECT results_eq($$SELECT org_id, theme, language, email_notifications FROM public.user_preferences$$,
    format($$VALUES (%L::uuid, 'light', 'en', true)$$, pg_temp.org('X')),
    'one user_preferences row with the defaults');
SELECT results_eq($$SELECT org_id, setup_complete, profile_completed FROM public.expert_setup$$,
    format($$VALUES (%L::uuid, false, false)$$, pg_temp.org('X')),
    'one expert_setup row, nothing completed');
SELECT pg_temp.act('D');
SELECT is((SELECT count(*)::int FROM public.users WHERE workos_user_id = pg_temp.uid('X')
	OR email IN ('xana.xavier@example.test', 'changed@example.test')), 1,
    'a platform admin sees exactly one users row for X');

-- provision_user: a plain user ----------------------------------------------

INSERT INTO fx VALUES ('org.Y', app.provision_user(pg_temp.uid('Y'), 'yolanda@example.test',
    '  ', NULL, 'user', 'org_Y' || :'run'));
SELECT is(app.provision_user(pg_temp.uid('Y'), 'yolanda@example.test', '  ', NULL, 'user', 'org_Y' || :'run'),
    pg_temp.org('Y'), 'plain user: a second call returns the same id');
SELECT pg_temp.act('Y');
SELECT results_eq($$SELECT name, type FROM public.organizations$$,
    $$VALUES ('yolanda''s Account', 'patient_personal')$$,
    'plain user, blank first name: "<e-mail name>''s Account", patient_personal');
SELECT is((SELECT first_name FROM public.users), NULL, '... and a blank first name is stored as NULL');
SELECT is_empty('SELECT * FROM public.expert_setup', '... and no expert_setup row');
SELECT is((SELECT count(*)::int FROM public.user_org_memberships), 1, '... one membership');
SELECT is((SELECT count(*)::int FROM public.user_preferences), 1, '... one user_preferences row');

-- provision_user: the committed users A, B, M, N of owner_setup.sql were
-- provisioned a second time by lib/world.sql.
SELECT pg_temp.act('A');
SELECT is((SELECT count(*)::int FROM public.user_org_memberships), 1,
    'A (provisioned in an earlier transaction and again now) still has one membership');
SELECT is((SELECT count(*)::int FROM public.organizations), 1, '... one organization');
SELECT is((SELECT count(*)::int FROM public.expert_setup), 1, '... one expert_setup row');
SELECT is((SELECT count(*)::int FROM public.user_preferences), 1, '... one user_preferences row');

-- register_guest -------------------------------------------------------------

CREATE FUNCTION pg_temp.guest(uid text, email text, name text, org text)
RETURNS text LANGUAGE sql AS $$
	SELECT format('SELECT app.register_guest(%L, %L, %L, %L)', uid, email, name, org)
$$;
SELECT throws_ok(pg_temp.guest('user_g1', 'g@example.test', NULL, 'org_g1'), '22023', NULL,
    'register_guest: NULL name is refused with 22023');
SELECT throws_ok(pg_temp.guest('user_g1', 'g@example.test', '', 'org_g1'), '22023', NULL,
    'register_guest: an empty name is refused');
SELECT throws_ok(pg_temp.guest('user_g1', 'g@example.test', '   ', 'org_g1'), '22023', NULL,
    'register_guest: a name of spaces is refused');
SELECT throws_ok(pg_temp.guest('user_g1', 'g@example.test', E'\t\n', 'org_g1'), '22023', NULL,
    'register_guest: a name of other white space (tab, newline) is refused');
SELECT throws_ok(pg_temp.guest('user_g1', 'g@example.test', repeat('n', 101), 'org_g1'), '22023', NULL,
    'register_guest: a name of 101 characters is refused');
SELECT throws_ok(pg_temp.guest(NULL, 'g@example.test', 'Gina', 'org_g1'), '22023', NULL,
    'register_guest: NULL user id is refused');
SELECT throws_ok(pg_temp.guest('guest_g1', 'g@example.test', 'Gina', 'org_g1'), '22023', NULL,
    'register_guest: a malformed user id is refused');
SELECT throws_ok(pg_temp.guest('user_g1', 'g@', 'Gina', 'org_g1'), '22023', NULL,
    'register_guest: a malformed e-mail is refused');
SELECT throws_ok(pg_temp.guest('user_g1', NULL, 'Gina', 'org_g1'), '22023', NULL,
    'register_guest: NULL e-mail is refused');
SELECT throws_ok(pg_temp.guest('user_g1', 'g@example.test', 'Gina', NULL), '22023', NULL,
    'register_guest: NULL organization id is refused');
SELECT throws_ok(pg_temp.guest('user_g1', 'g@example.test', 'Gina', 'org g1'), '22023', NULL,
    'register_guest: a malformed organization id is refused');

INSERT INTO fx VALUES ('user.Q', 'user_Q' || :'run');
INSERT INTO fx VALUES ('org.Q', app.register_guest(pg_temp.uid('Q'), 'Quinta@Example.test',
    ' Quinta Queiroz ', 'org_Q' || :'run'));
SELECT is(app.register_guest(pg_temp.uid('Q'), 'Quinta@Example.test', ' Quinta Queiroz ', 'org_Q' || :'run'),
    pg_temp.org('Q'), 'register_guest: a second identical call returns the same id');
SELECT is(app.register_guest(pg_temp.uid('Q'), 'other@example.test', 'Other', 'org_Q' || :'run'),
    pg_temp.org('Q'), 'register_guest: a call with other details returns the same id');
SELECT pg_temp.act('Q');
SELECT results_eq($$SELECT email, first_name, last_name, role FROM public.users$$,
    $$VALUES ('quinta@example.test', 'Quinta Queiroz', NULL::text, 'user')$$,
    'register_guest: one users row, role user, the trimmed name as first name');
SELECT results_eq($$SELECT name, type, slug FROM public.organizations$$,
    format($$VALUES ('Quinta Queiroz''s Account', 'patient_personal', %L)$$, 'user-' || pg_temp.uid('Q')),
    'register_guest: one patient_personal organization with slug user-<id>');
SELECT results_eq($$SELECT org_id, role, status FROM public.user_org_memberships$$,
    format($$VALUES (%L::uuid, 'owner', 'active')$$, pg_temp.org('Q')),
    'register_guest: one owner membership');
SELECT is((SELECT count(*)::int FROM public.user_preferences), 1, 'register_guest: one user_preferences row');
SELECT is_empty('SELECT * FROM public.expert_setup', 'register_guest: no expert_setup row');

-- audit ------------------------------------------------------------------

SELECT pg_temp.act('A');
SELECT set_config('app.ip', '203.0.113.7', true), set_config('app.user_agent', 'pgTAP/1.2 (test)', true),
    set_config('app.request_id', 'req-' || :'run', true) \g /dev/null
INSERT INTO fx VALUES ('audit1', app.audit('record.read', 'record', 'r-1', '{"v": 1}', '{"v": 2}',
    '{"reason": "test"}')::text);
SELECT results_eq(format($$SELECT workos_user_id, org_id, action, resource_type, resource_id,
	old_values, new_values, metadata, ip_address, user_agent, request_id
	FROM public.audit_logs WHERE id = %s$$, pg_temp.fx('audit1')),
    format($$VALUES (%L, %L::uuid, 'record.read', 'record', 'r-1', '{"v": 1}'::jsonb, '{"v": 2}'::jsonb,
	'{"reason": "test"}'::jsonb, '203.0.113.7', 'pgTAP/1.2 (test)', %L)$$,
	pg_temp.uid('A'), pg_temp.org('A'), 'req-' || pg_temp.fx('run')),
    'audit() writes user, organization, IP, user agent and request id from the settings');
SELECT is((SELECT created_at FROM public.audit_logs WHERE id = pg_temp.fx('audit1')::bigint), now(),
    '... stamped with the transaction''s time');

SELECT set_config('app.ip', '', true), set_config('app.user_agent', '', true),
    set_config('app.request_id', '', true) \g /dev/null
INSERT INTO fx VALUES ('audit2', app.audit('record.read', 'record', 'r-1', NULL, NULL, NULL)::text);
SELECT results_eq(format($$SELECT workos_user_id, org_id, ip_address, user_agent, request_id
	FROM public.audit_logs WHERE id = %s$$, pg_temp.fx('audit2')),
    format($$VALUES (%L, %L::uuid, NULL::text, NULL::text, NULL::text)$$, pg_temp.uid('A'), pg_temp.org('A')),
    'audit(): empty settings are stored as NULL');
SELECT isnt(pg_temp.fx('audit2'), pg_temp.fx('audit1'),
    'audit() is an append: each call writes its own row (there is nothing to deduplicate)');
SELECT is((SELECT count(*)::int FROM public.audit_logs WHERE org_id = pg_temp.org('A')
	AND resource_id = 'r-1'), 2, '... two calls, two rows');

SELECT set_config('app.org_id', 'garbage', true) \g /dev/null
SELECT lives_ok($$SELECT app.audit('record.read', 'record', 'r-2', NULL, NULL, NULL)$$,
    'audit() with a garbage app.org_id still writes (no user, no organization: it does not verify)');
SELECT pg_temp.act(NULL);
SELECT lives_ok($$SELECT app.audit('auth.failed', 'session', NULL, NULL, NULL, '{"why": "bad password"}')$$,
    'audit() works with no user set (a request before sign-in)');

-- audit() refuses bad arguments itself, with 22023 like the others.
SELECT pg_temp.act('A');
SELECT throws_ok($$SELECT app.audit(NULL, 'record', NULL, NULL, NULL, NULL)$$, NULL::char(5), NULL,
    'audit(): a NULL action is rejected');
SELECT throws_ok($$SELECT app.audit('drop table; --', 'record', NULL, NULL, NULL, NULL)$$, NULL::char(5), NULL,
    'audit(): a malformed action is rejected');
SELECT throws_ok($$SELECT app.audit('record.read', 'Record Type', NULL, NULL, NULL, NULL)$$, NULL::char(5), NULL,
    'audit(): a malformed resource type is rejected');
SELECT is((SELECT count(*)::int FROM public.audit_logs WHERE org_id = pg_temp.org('A')), 3,
    'audit(): the rejected calls wrote nothing (A''s organization has its 3 rows)');
SELECT throws_ok($$SELECT app.audit(NULL, 'record', NULL, NULL, NULL, NULL)$$, '22023', NULL,
    'audit(): a NULL action is refused with 22023');
SELECT throws_ok($$SELECT app.audit('drop table; --', 'record', NULL, NULL, NULL, NULL)$$, '22023', NULL,
    'audit(): a malformed action is refused with 22023');
SELECT throws_ok($$SELECT app.audit('record.read', 'Record Type', NULL, NULL, NULL, NULL)$$, '22023', NULL,
    'audit(): a malformed resource type is refused with 22023');

SELECT * FROM finish();
ROLLBACK;
