-- 97_leases: app.lease_take and app.lease_release (0011), as the app role:
-- one holder at a time, the holder renews, only the holder releases, an
-- expired lease is free; and session_refreshes and ended_sessions (0010)
-- are one's own.
BEGIN;
SET search_path = public, tap;
SELECT plan(14);
\ir lib/world.sql

SELECT is(app.lease_take('t:' || pg_temp.fx('run'), 'one', 5000), true, 'a free lease is taken');
SELECT is(app.lease_take('t:' || pg_temp.fx('run'), 'two', 5000), false, '... and refused to another holder meanwhile');
SELECT is(app.lease_take('t:' || pg_temp.fx('run'), 'one', 5000), true, '... renewed by its holder');
SELECT lives_ok(format('SELECT app.lease_release(%L, %L)', 't:' || pg_temp.fx('run'), 'two'),
    'a release by someone else is no error');
SELECT is(app.lease_take('t:' || pg_temp.fx('run'), 'two', 5000), false, '... and releases nothing');
SELECT app.lease_release('t:' || pg_temp.fx('run'), 'one');
SELECT is(app.lease_take('t:' || pg_temp.fx('run'), 'two', 5000), true, 'released by its holder, it is free');
SELECT is(app.lease_take('u:' || pg_temp.fx('run'), 'one', 1), true, 'a lease of a millisecond');
SELECT pg_sleep(0.01);
SELECT is(app.lease_take('u:' || pg_temp.fx('run'), 'two', 5000), true, '... run out, it is free for another');
SELECT throws_ok(format('SELECT app.lease_take(%L, %L, 0)', 'v:' || pg_temp.fx('run'), 'one'), '22023',
    NULL, 'a lease of no time is refused');
SELECT throws_ok('SELECT * FROM public.leases', '42501', NULL, 'the table itself is not the app''s');

SELECT pg_temp.act('A');
INSERT INTO public.session_refreshes (local_id, old_token_hash, workos_user_id, sealed)
VALUES ('lid-' || pg_temp.fx('run'), repeat('a', 64), pg_temp.uid('A'), 'sealed');
SELECT pg_temp.act('B');
SELECT is_empty(format('SELECT 1 FROM public.session_refreshes WHERE local_id = %L', 'lid-' || pg_temp.fx('run')),
    'B reads nothing of A''s refreshes');
SELECT throws_ok(format($$INSERT INTO public.session_refreshes (local_id, old_token_hash, workos_user_id, sealed)
	VALUES ('x', %L, %L, 's')$$, repeat('b', 64), pg_temp.uid('A')), '42501', NULL,
    '... nor writes one in A''s name');

SELECT pg_temp.act('A');
INSERT INTO public.ended_sessions (session_id, workos_user_id) VALUES ('ended-' || pg_temp.fx('run'), pg_temp.uid('A'));
SELECT pg_temp.act('B');
SELECT is_empty(format('SELECT 1 FROM public.ended_sessions WHERE session_id = %L', 'ended-' || pg_temp.fx('run')),
    'B reads nothing of A''s ended sessions');
SELECT throws_ok(format($$INSERT INTO public.ended_sessions (session_id, workos_user_id) VALUES ('x-%s', %L)$$,
    pg_temp.fx('run'), pg_temp.uid('A')), '42501', NULL, '... nor ends one in A''s name');

SELECT * FROM finish();
ROLLBACK;
