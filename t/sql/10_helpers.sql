-- 10_helpers: the RLS helpers in schema app.  current_user_id() and
-- current_org_id() give what app.enter took, NULL when unset or changed
-- since (sql/0012_identity.sql);
-- is_org_member / has_org_role follow active memberships; an organization
-- role, even owner or admin, never makes is_platform_admin() true.
BEGIN;
SET search_path = public, tap;
SELECT plan(39);

-- This session has never set the settings: unset, or empty through a
-- pooler (a server connection another session used keeps the setting
-- defined, with its reset value: '').  Never someone's identity.
SELECT is(coalesce(current_setting('app.user_id', true), ''), '', 'app.user_id is unset (or empty) in a fresh session');
SELECT is(app.current_user_id(), NULL, 'current_user_id() is NULL when app.user_id is unset');
SELECT is(app.current_org_id(), NULL, 'current_org_id() is NULL when app.org_id is unset');

\ir lib/world.sql

-- current_user_id / current_org_id ----------------------------------------

SELECT app.enter('', '', NULL, NULL) \g /dev/null
SELECT is(app.current_user_id(), NULL, 'current_user_id() is NULL for nobody');
SELECT pg_temp.enter('user_someone', '') \g /dev/null
SELECT is(app.current_user_id(), 'user_someone', 'current_user_id() returns the user entered');
SELECT is(app.current_org_id(), NULL, 'current_org_id() is NULL when entered without one');
SELECT pg_temp.enter('user_someone', pg_temp.org('A')::text) \g /dev/null
SELECT is(app.current_org_id(), pg_temp.org('A'), 'current_org_id() returns the organization entered');
SELECT pg_temp.enter('user_someone', upper(pg_temp.org('A')::text)) \g /dev/null
SELECT is(app.current_org_id(), pg_temp.org('A'), '... also in upper case');
SELECT throws_ok($$SELECT pg_temp.enter('user_someone', 'garbage')$$, '22023', NULL,
    'app.enter refuses an organization that is not a uuid');
SELECT throws_ok($$SELECT pg_temp.enter('user_someone', 'a2fe0076-47a6-4694-878a-951774bacc9')$$,
    '22023', NULL, '... a uuid one digit short');
SELECT throws_ok($$SELECT pg_temp.enter('user_someone', $x$'; DROP TABLE public.users; --$x$)$$,
    '22023', NULL, '... an injection attempt');

-- Settings changed by hand after app.enter name nobody.
SELECT pg_temp.enter('user_someone', pg_temp.org('A')::text) \g /dev/null
SELECT set_config('app.org_id', 'garbage', true) \g /dev/null
SELECT lives_ok('SELECT app.current_org_id()', 'current_org_id() does not fail on a garbage setting');
SELECT is(app.current_org_id(), NULL, '... which makes it NULL');
SELECT is(app.current_user_id(), NULL, '... and the user with it');
SELECT set_config('app.org_id', ' ', true) \g /dev/null
SELECT is(app.current_org_id(), NULL, 'current_org_id() is NULL for a blank setting');
SELECT set_config('app.org_id', pg_temp.org('B')::text, true) \g /dev/null
SELECT is(app.current_org_id(), NULL, '... and for another organization set by hand');

-- is_org_member / has_org_role --------------------------------------------

SELECT pg_temp.act('A');
SELECT is(app.is_org_member(pg_temp.org('A')), true, 'A is a member of his own organization');
SELECT is(app.is_org_member(pg_temp.org('B')), false, 'A is not a member of B''s organization');
SELECT is(app.is_org_member(NULL), false, 'is_org_member(NULL) is false');
SELECT is(app.has_org_role(pg_temp.org('A'), 'owner'), true, 'A owns his personal organization');
SELECT is(app.has_org_role(pg_temp.org('A'), 'admin'), false, '... and holds no other role in it');
SELECT is(app.has_org_role(pg_temp.org('B'), 'owner'), false, 'A has no role in B''s organization');

SELECT pg_temp.act('M');
SELECT is(app.is_org_member(pg_temp.org('B')), true, 'M is a member of B''s organization');
SELECT is(app.has_org_role(pg_temp.org('B'), 'member'), true, '... with the role member');
SELECT is(app.has_org_role(pg_temp.org('B'), 'owner'), false, '... not owner');

SELECT pg_temp.act(NULL);
SELECT is(app.is_org_member(pg_temp.org('A')), false, 'with no user, is_org_member() is false');
SELECT is(app.has_org_role(pg_temp.org('A'), 'owner'), false, 'with no user, has_org_role() is false');

-- is_platform_admin: users.role only ---------------------------------------

SELECT is(app.is_platform_admin(), false, 'with no user, is_platform_admin() is false');
SELECT pg_temp.act('A');
SELECT is(app.is_platform_admin(), false,
    'owner of his own organization (and expert_top): not a platform admin');
SELECT pg_temp.act('B');
SELECT is(app.is_platform_admin(), false, 'owner of an organization with members: not a platform admin');
SELECT pg_temp.act('N');
SELECT is(app.has_org_role(pg_temp.org('B'), 'admin'), true, 'N is admin of B''s organization');
SELECT is(app.is_platform_admin(), false, '... which does not make him a platform admin');
SELECT pg_temp.act('G');
SELECT is(app.is_platform_admin(), false, 'a guest is not a platform admin');
SELECT pg_temp.act('D');
SELECT is(app.is_platform_admin(), true, 'a user with users.role admin is a platform admin');
SELECT app.provision_user('user_S' || :'run', 'super.s@example.test', 'Sara', NULL, 'superadmin',
    'org_S' || :'run') \g /dev/null
SELECT pg_temp.enter('user_S' || :'run', '') \g /dev/null
SELECT is(app.is_platform_admin(), true, 'a user with users.role superadmin is a platform admin');
SELECT pg_temp.enter('user_nobody', '') \g /dev/null
SELECT is(app.is_platform_admin(), false, 'an unknown user id is not a platform admin');

-- is_published_expert -------------------------------------------------------

SELECT is(app.is_published_expert(pg_temp.uid('A')), false, 'A''s profile is not published yet');
SELECT pg_temp.act('A');
-- Only an expert whose setup is complete publishes (sql/0012_identity.sql).
SELECT pg_temp.complete_setup('A');
UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('A');
SELECT is(app.is_published_expert(pg_temp.uid('A')), true, 'once A publishes his profile, he is a published expert');
SELECT is(app.is_published_expert(pg_temp.uid('B')), false, 'B is not');

SELECT * FROM finish();
ROLLBACK;
