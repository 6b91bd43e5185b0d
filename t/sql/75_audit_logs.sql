-- 75_audit_logs: the audit trail is append-only for the app role.  UPDATE
-- and DELETE fail with 42501 (permission denied) for every user, own rows
-- included, platform admins included, with or without a user set.
BEGIN;
SET search_path = public, tap;
SELECT plan(19);
\ir lib/world.sql

SELECT pg_temp.act('A');
SELECT isnt_empty(format('SELECT * FROM public.audit_logs WHERE id = %s', pg_temp.fx('audit.A')),
    'A reads his own organization''s audit row');
SELECT throws_ok($$UPDATE public.audit_logs SET action = 'nothing.happened' WHERE id = pg_temp.fx('audit.A')::bigint$$,
    '42501', 'permission denied for table audit_logs', 'A cannot UPDATE his own audit row');
SELECT throws_ok($$UPDATE public.audit_logs SET metadata = '{}'$$,
    '42501', 'permission denied for table audit_logs', 'A cannot UPDATE audit rows at all');
SELECT throws_ok($$DELETE FROM public.audit_logs WHERE id = pg_temp.fx('audit.A')::bigint$$,
    '42501', 'permission denied for table audit_logs', 'A cannot DELETE his own audit row');
SELECT throws_ok($$DELETE FROM public.audit_logs$$,
    '42501', 'permission denied for table audit_logs', 'A cannot DELETE audit rows at all');
SELECT throws_ok($$TRUNCATE public.audit_logs$$,
    '42501', 'permission denied for table audit_logs', 'A cannot TRUNCATE the audit trail');
SELECT throws_ok($$INSERT INTO public.audit_logs (workos_user_id, org_id, action, resource_type)
	VALUES (pg_temp.uid('A'), pg_temp.org('A'), 'record.read', 'record')
	ON CONFLICT (id) DO UPDATE SET action = 'rewritten'$$,
    '42501', NULL, 'A cannot rewrite an audit row through INSERT ... ON CONFLICT DO UPDATE');
SELECT lives_ok($$INSERT INTO public.audit_logs (workos_user_id, org_id, action, resource_type)
	VALUES (pg_temp.uid('A'), pg_temp.org('A'), 'record.read', 'record')$$,
    'A may append an audit row as himself');

SELECT pg_temp.act('M');
SELECT isnt_empty(pg_temp.scope('audit_logs', 'B'), 'M (member of B''s organization) reads its audit rows');
SELECT throws_ok($$UPDATE public.audit_logs SET action = 'nothing.happened' WHERE org_id = pg_temp.org('B')$$,
    '42501', 'permission denied for table audit_logs', 'M cannot UPDATE them');
SELECT throws_ok($$DELETE FROM public.audit_logs WHERE org_id = pg_temp.org('B')$$,
    '42501', 'permission denied for table audit_logs', 'M cannot DELETE them');

SELECT pg_temp.act('D');
SELECT throws_ok($$UPDATE public.audit_logs SET action = 'nothing.happened'$$,
    '42501', 'permission denied for table audit_logs', 'a platform admin cannot UPDATE audit rows');
SELECT throws_ok($$DELETE FROM public.audit_logs$$,
    '42501', 'permission denied for table audit_logs', 'a platform admin cannot DELETE audit rows');

SELECT pg_temp.act(NULL);
SELECT throws_ok($$UPDATE public.audit_logs SET action = 'nothing.happened'$$,
    '42501', 'permission denied for table audit_logs', 'with no user: UPDATE fails');
SELECT throws_ok($$DELETE FROM public.audit_logs$$,
    '42501', 'permission denied for table audit_logs', 'with no user: DELETE fails');
SELECT lives_ok($$INSERT INTO public.audit_logs (action, resource_type) VALUES ('auth.failed', 'session')$$,
    'with no user, an anonymous audit row (no user) can be appended');
SELECT throws_ok($$INSERT INTO public.audit_logs (workos_user_id, action, resource_type)
	VALUES (pg_temp.uid('A'), 'auth.failed', 'session')$$,
    '42501', 'new row violates row-level security policy for table "audit_logs"',
    'with no user, a row in A''s name cannot');

-- Nothing above changed A's audit row.
SELECT pg_temp.act('A');
SELECT results_eq(format($$SELECT action, resource_type, resource_id FROM public.audit_logs WHERE id = %s$$,
	pg_temp.fx('audit.A')), format($$VALUES ('meeting.create', 'meeting', %L)$$, pg_temp.fx('meeting.A')),
    'A''s audit row is as app.audit() wrote it');
SELECT is((SELECT count(*)::int FROM public.audit_logs WHERE org_id = pg_temp.org('A')), 2,
    'A''s organization has its two rows (world''s and the appended one)');

SELECT * FROM finish();
ROLLBACK;
