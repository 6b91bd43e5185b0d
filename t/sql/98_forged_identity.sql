-- 98_forged_identity: finding 9 of issue 13, each attack as the app role
-- (sql/0012_identity.sql).  Before, set_config('app.user_id', <an admin>)
-- made the app role that admin; app.setup_webhook marked any expert's
-- external steps; app.provision_user(..., 'admin', ...) made an admin; and
-- a guest published a profile.  Now the identity is what app.enter took
-- with the app's MAC, and the database refuses the other three.
BEGIN;
SET search_path = public, tap;
SELECT plan(33);
\ir lib/world.sql

-- A view only an admin has: B's setup row and every user.
CREATE FUNCTION pg_temp.admin_view() RETURNS bigint
LANGUAGE sql AS $$
	SELECT (SELECT count(*) FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('B'))
	    + (SELECT count(*) FROM public.users WHERE workos_user_id <> pg_temp.uid('G'))
$$;

-- The control: admin D, entered as the app enters him, sees it.
SELECT pg_temp.act('D');
SELECT ok(pg_temp.admin_view() > 0, 'control: admin D, entered with the app''s MAC, reads the admin''s view');

-- Forging the settings -------------------------------------------------------

SELECT pg_temp.act('G');
SELECT set_config('app.user_id', pg_temp.uid('D'), true) \g /dev/null
SELECT is(app.current_user_id(), NULL, 'forged_identity: guest G sets app.user_id to admin D: nobody');
SELECT is(app.is_platform_admin(), false, '... not a platform admin');
SELECT is(pg_temp.admin_view(), 0::bigint, '... and the admin''s view is empty');
SELECT set_config('app.org_id', pg_temp.org('D')::text, true) \g /dev/null
SELECT is(pg_temp.admin_view(), 0::bigint, '... also with app.org_id set to D''s organization');
SELECT is_empty(format('SELECT * FROM public.organizations WHERE id = %L', pg_temp.org('A')),
    '... nor is another organization''s row readable');

SELECT app.enter('', '', NULL, NULL) \g /dev/null
SELECT set_config('app.user_id', pg_temp.uid('D'), true), set_config('app.org_id', pg_temp.org('D')::text, true),
    set_config('app.identity_expires', (extract(epoch FROM now())::bigint + 300)::text, true),
    set_config('app.identity_mac', repeat('0', 64), true) \g /dev/null
SELECT is(pg_temp.admin_view(), 0::bigint, 'forged_identity: all four settings set by hand, a made-up MAC: nothing');

-- G's own MAC, taken from his transaction, does not name D.
SELECT pg_temp.act('G');
SELECT set_config('app.user_id', pg_temp.uid('D'), true), set_config('app.org_id', pg_temp.org('D')::text, true)
    \g /dev/null
SELECT is(pg_temp.admin_view(), 0::bigint, 'forged_identity: G''s own MAC with D''s user and organization: nothing');

-- app.enter ------------------------------------------------------------------

SELECT throws_ok(format('SELECT app.enter(%L, %L, %s, %L)', pg_temp.uid('D'), pg_temp.org('D'),
    extract(epoch FROM now())::bigint + 300, repeat('0', 64)), '42501', NULL,
    'forged_identity: app.enter with a made-up MAC is refused (42501)');
SELECT throws_ok(format('SELECT app.enter(%L, %L, %s, NULL)', pg_temp.uid('D'), pg_temp.org('D'),
    extract(epoch FROM now())::bigint + 300), '42501', NULL, '... and without one');
SELECT throws_ok(format('SELECT app.enter(%1$L, %2$L, %3$s, %4$L)', pg_temp.uid('D'), pg_temp.org('D'),
    extract(epoch FROM now())::bigint - 1, pg_temp.mac('enter', pg_temp.uid('D'), pg_temp.org('D')::text,
	(extract(epoch FROM now())::bigint - 1)::text)), '42501', NULL,
    '... and with the app''s MAC once it has expired');
SELECT throws_ok(format('SELECT app.enter(%1$L, %2$L, %3$s, %4$L)', pg_temp.uid('D'), pg_temp.org('G'),
    extract(epoch FROM now())::bigint + 300, pg_temp.mac('enter', pg_temp.uid('G'), pg_temp.org('G')::text,
	(extract(epoch FROM now())::bigint + 300)::text)), '42501', NULL,
    '... and with the MAC of another user');
SELECT throws_ok(format('SELECT app.enter(%1$L, %2$L, %3$s, %4$L)', pg_temp.uid('G'), pg_temp.org('G'),
    extract(epoch FROM now())::bigint + 3600, pg_temp.mac('enter', pg_temp.uid('G'), pg_temp.org('G')::text,
	(extract(epoch FROM now())::bigint + 300)::text)), '42501', NULL,
    '... and with an expiry the MAC was not made for');
SELECT pg_temp.act('G');
SELECT is(app.current_user_id(), pg_temp.uid('G'), 'control: G entered with the app''s MAC is G');

-- The keys ---------------------------------------------------------------------

SELECT throws_ok('SELECT * FROM public.identity_keys', '42501', NULL,
    'the identity keys are not the app role''s to read');
SELECT throws_ok($$SELECT app.identity_keys_install(repeat('k', 40))$$, '42501', NULL,
    '... nor to install');
SELECT throws_ok($$SELECT app.mac_valid('\x00', repeat('0', 64))$$, '42501', NULL,
    '... nor to test MACs against');

-- The setup webhook ---------------------------------------------------------------

SELECT pg_temp.act(NULL);
SELECT throws_ok(format($$SELECT app.setup_webhook(%L, 'identity', 'complete', 'wh_98_a_%s')$$,
    pg_temp.uid('B'), pg_temp.fx('run')), '42501', NULL,
    'forged_identity: app.setup_webhook without the app''s MAC is not the app role''s to call');
SELECT throws_ok(format($$SELECT app.setup_webhook(%L, 'identity', 'complete', 'wh_98_b_%s', %s, %L)$$,
    pg_temp.uid('B'), pg_temp.fx('run'), extract(epoch FROM now())::bigint + 300, repeat('0', 64)),
    '42501', NULL, '... nor with a made-up MAC');
SELECT throws_ok(format($$SELECT app.setup_webhook(%1$L, 'identity', 'complete', %2$L, %3$s, %4$L)$$,
    pg_temp.uid('B'), 'wh_98_c_' || pg_temp.fx('run'), extract(epoch FROM now())::bigint + 300,
    pg_temp.mac('setup_webhook', pg_temp.uid('B'), 'identity', 'incomplete', 'wh_98_c_' || pg_temp.fx('run'),
	(extract(epoch FROM now())::bigint + 300)::text)), '42501', NULL,
    '... nor with the MAC of another call');
SELECT throws_ok(format($$SELECT app.setup_webhook(%1$L, 'identity', 'complete', %2$L, %3$s, %4$L)$$,
    pg_temp.uid('B'), 'wh_98_d_' || pg_temp.fx('run'), extract(epoch FROM now())::bigint - 1,
    pg_temp.mac('setup_webhook', pg_temp.uid('B'), 'identity', 'complete', 'wh_98_d_' || pg_temp.fx('run'),
	(extract(epoch FROM now())::bigint - 1)::text)), '42501', NULL,
    '... nor with an expired one');
SELECT is(pg_temp.webhook(pg_temp.uid('B'), 'identity', 'complete', 'wh_98_e_' || pg_temp.fx('run')), 'ok',
    'control: with the app''s MAC the step is taken');

-- Roles ------------------------------------------------------------------------------

SELECT throws_ok(format($$SELECT app.provision_user('user_F98%s', 'f98.%s@example.test', 'Fake',
    'Admin', 'admin', 'org_F98%s')$$, pg_temp.fx('run'), pg_temp.fx('run'), pg_temp.fx('run')),
    '42501', NULL, 'forged_identity: app.provision_user(..., ''admin'', ...) is refused (42501)');
SELECT throws_ok(format($$SELECT app.provision_user('user_F98%s', 'f98.%s@example.test', 'Fake',
    'Admin', 'superadmin', 'org_F98%s')$$, pg_temp.fx('run'), pg_temp.fx('run'), pg_temp.fx('run')),
    '42501', NULL, '... and so is a superadmin');
SELECT throws_ok(format($$SELECT app.provision_user('user_F98%s', 'f98.%s@example.test', 'Fake',
    'Expert', 'expert_top', 'org_F98%s')$$, pg_temp.fx('run'), pg_temp.fx('run'), pg_temp.fx('run')),
    '42501', NULL, '... and an expert');
SELECT throws_ok(format($$SELECT app.provision_user(%L, 'guest.g.%s@example.test', 'Gil', NULL, 'admin', 'org_G%s')$$,
    pg_temp.uid('G'), pg_temp.fx('run'), pg_temp.fx('run')), '42501', NULL,
    '... and so is an existing user named again with another role');
SELECT is(app.provision_user(pg_temp.uid('D'), 'admin.d.' || pg_temp.fx('run') || '@example.test', 'Diana',
    'Dias', 'admin', 'org_D' || pg_temp.fx('run')), pg_temp.org('D'),
    'control: an admin who exists signs in again (his own role: nothing is created)');
SELECT isnt(app.provision_user('user_F98' || pg_temp.fx('run'), 'f98.' || pg_temp.fx('run') || '@example.test',
    'Fay', 'User', 'user', 'org_F98' || pg_temp.fx('run')), NULL, 'control: a new user is provisioned');

-- Publication --------------------------------------------------------------------------

SELECT pg_temp.act('G');
SELECT throws_ok(format($$INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name, last_name,
    published) VALUES (%L, %L, 'fake-%s', 'Gil', 'Gomes', true)$$, pg_temp.org('G'), pg_temp.uid('G'),
    pg_temp.fx('run')), '42501', NULL,
    'forged_identity: a guest inserting a published profile is refused (42501)');
SELECT lives_ok(format($$INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name, last_name)
    VALUES (%L, %L, 'fake-%s', 'Gil', 'Gomes')$$, pg_temp.org('G'), pg_temp.uid('G'), pg_temp.fx('run')),
    '... he may have an unpublished one');
SELECT throws_ok(format($$UPDATE public.profiles SET published = true WHERE workos_user_id = %L$$,
    pg_temp.uid('G')), '42501', NULL, '... but not publish it');
SELECT pg_temp.act('B');
SELECT throws_ok(format($$UPDATE public.profiles SET published = true WHERE workos_user_id = %L$$,
    pg_temp.uid('B')), '42501', NULL, '... nor may an expert whose setup is not complete');
SELECT pg_temp.complete_setup('B');
SELECT is(pg_temp.rows(format($$UPDATE public.profiles SET published = true WHERE workos_user_id = %L$$,
    pg_temp.uid('B'))), 1::bigint, 'control: once it is, he publishes');

SELECT * FROM finish();
ROLLBACK;
