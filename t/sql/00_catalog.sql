-- 00_catalog: what the catalogs say about the schema and about the app role
-- these tests run as (eleva_app via DATABASE_URL): RLS enabled and forced on
-- every public table but schema_migrations, the policies, the triggers, and
-- a role that is no superuser, no BYPASSRLS, owns nothing and has no DDL
-- (nor any privilege on schema_migrations, webhook_deliveries, leases,
-- rate_limits, identity_keys, the audit chains' heads and prunes, and
-- workos_objects).
BEGIN;
SET search_path = public, tap;
SELECT plan(64);

-- Tables -------------------------------------------------------------------

SELECT tables_are('public', ARRAY['organizations', 'users', 'user_org_memberships',
    'expert_setup', 'user_preferences', 'categories', 'profiles', 'events', 'schedules',
    'schedule_availabilities', 'scheduling_settings', 'blocked_dates', 'meetings',
    'slot_reservations', 'records', 'payment_transfers', 'audit_logs',
    'audit_log_exports', 'audit_stats', 'webhook_deliveries', 'ended_sessions', 'leases', 'session_refreshes',
    'identity_keys', 'rate_limits', 'audit_chain_heads', 'audit_prunes', 'account_deletions',
    'legacy_imports', 'workos_events', 'workos_objects', 'mail_outbox', 'schema_migrations'],
    'public holds the tenant tables, categories, webhook_deliveries and schema_migrations, nothing else');

SELECT is_empty($$
	SELECT c.relname FROM pg_catalog.pg_class c
	WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
	AND c.relname <> 'schema_migrations'
	AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
$$, 'RLS is enabled and forced on every public table but schema_migrations');

SELECT is((SELECT count(*)::int FROM pg_catalog.pg_class c
	WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
	AND c.relrowsecurity AND c.relforcerowsecurity), 32,
    '... which are 32 tables (the check above is not vacuous)');

SELECT is_empty($$
	SELECT c.relname FROM pg_catalog.pg_class c
	WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
	AND has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
	AND c.relname = 'schema_migrations'
$$, 'the app role has no privilege at all on schema_migrations');

SELECT is_empty($$
	SELECT p.priv FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',
	    'REFERENCES', 'TRIGGER']) p (priv)
	WHERE has_table_privilege('public.webhook_deliveries', p.priv)
	OR (p.priv IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
	    AND has_any_column_privilege('public.webhook_deliveries', p.priv))
$$, 'the app role has no privilege at all on webhook_deliveries (only app.setup_webhook uses it)');

SELECT is_empty($$
	SELECT p.priv FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',
	    'REFERENCES', 'TRIGGER']) AS p (priv)
	WHERE has_table_privilege('public.mail_outbox', p.priv)
$$, 'the app role has no privilege at all on mail_outbox (the outbox: signed app.mail_* calls only)');

SELECT is_empty($$
	SELECT t || ' ' || p.priv FROM unnest(ARRAY['public.leases', 'public.rate_limits', 'public.identity_keys',
	    'public.audit_chain_heads', 'public.audit_prunes', 'public.account_deletions',
	    'public.legacy_imports', 'public.workos_objects']) t,
	    unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p (priv)
	WHERE has_table_privilege(t, p.priv)
	OR (p.priv IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') AND has_any_column_privilege(t, p.priv))
$$, 'the app role has no privilege at all on leases, rate_limits, identity_keys, audit_chain_heads, '
    'audit_prunes, account_deletions, legacy_imports and workos_objects (only app.lease_take and '
    'app.lease_release use the first, app.rate_take the second, app.enter and app.current_user_id the third, '
    'the audit trigger and the owner''s tools the next two, the privacy functions the sixth, eleva legacy '
    'the seventh, app.workos_event the last)');

SELECT is(ARRAY(SELECT p.priv FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',
	    'REFERENCES', 'TRIGGER']) p (priv)
	WHERE has_table_privilege('public.workos_events', p.priv)),
    ARRAY['SELECT'], 'the app role only reads workos_events (app.workos_event writes it)');

-- Policies, pinned: a new or renamed policy must show up here. -------------

SELECT policies_are('public', 'organizations', ARRAY['owner_all', 'member_read', 'manager_update', 'admin_read']);
SELECT policies_are('public', 'users', ARRAY['owner_all', 'self_read', 'self_update']);
SELECT policies_are('public', 'user_org_memberships', ARRAY['owner_all', 'self_or_manager_read']);
SELECT policies_are('public', 'expert_setup',
    ARRAY['owner_all', 'self_or_admin_read', 'self_insert', 'self_or_admin_update']);
SELECT policies_are('public', 'user_preferences', ARRAY['owner_all', 'self_all']);
SELECT policies_are('public', 'categories', ARRAY['owner_all', 'public_read', 'admin_all']);
SELECT policies_are('public', 'profiles', ARRAY['owner_all', 'public_read', 'self_all', 'admin_read']);
SELECT policies_are('public', 'events', ARRAY['owner_all', 'expert_all', 'member_read', 'public_read']);
SELECT policies_are('public', 'schedules', ARRAY['owner_all', 'expert_all', 'member_read']);
SELECT policies_are('public', 'schedule_availabilities', ARRAY['owner_all', 'expert_all', 'member_read']);
SELECT policies_are('public', 'scheduling_settings', ARRAY['owner_all', 'expert_all', 'member_read']);
SELECT policies_are('public', 'blocked_dates', ARRAY['owner_all', 'expert_all', 'member_read']);
SELECT policies_are('public', 'slot_reservations', ARRAY['owner_all', 'expert_all', 'member_read']);
SELECT policies_are('public', 'meetings',
    ARRAY['owner_all', 'participant_read', 'expert_insert', 'expert_update', 'expert_delete']);
SELECT policies_are('public', 'records', ARRAY['owner_all', 'expert_all']);
SELECT policies_are('public', 'payment_transfers', ARRAY['owner_all', 'manager_read']);
SELECT policies_are('public', 'audit_logs', ARRAY['owner_all', 'member_read', 'self_insert', 'admin_read',
    'self_read']);
SELECT policies_are('public', 'audit_log_exports', ARRAY['owner_all', 'manager_all']);
SELECT policies_are('public', 'audit_stats', ARRAY['owner_all', 'member_read']);
SELECT policies_are('public', 'webhook_deliveries', ARRAY['owner_all']);
SELECT policies_are('public', 'workos_events', ARRAY['owner_all', 'admin_read']);
SELECT policies_are('public', 'workos_objects', ARRAY['owner_all']);
SELECT policies_are('public', 'ended_sessions', ARRAY['owner_all', 'self_all']);
SELECT policies_are('public', 'leases', ARRAY['owner_all']);
SELECT policies_are('public', 'rate_limits', ARRAY['owner_all']);
SELECT policies_are('public', 'audit_chain_heads', ARRAY['owner_all']);
SELECT policies_are('public', 'audit_prunes', ARRAY['owner_all']);
SELECT policies_are('public', 'account_deletions', ARRAY['owner_all']);
SELECT policies_are('public', 'legacy_imports', ARRAY['owner_all']);
SELECT policies_are('public', 'identity_keys', ARRAY['owner_all']);
SELECT policies_are('public', 'session_refreshes', ARRAY['owner_all', 'self_all']);

SELECT is_empty($$
	SELECT tablename, policyname, roles FROM pg_catalog.pg_policies
	WHERE schemaname = 'public' AND policyname = 'owner_all' AND roles <> ARRAY['eleva_owner']::name[]
$$, 'every owner_all policy applies to the owner role only');

-- Triggers -----------------------------------------------------------------

SELECT is_empty($$
	SELECT c.relname FROM pg_catalog.pg_class c
	JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = 'updated_at' AND NOT a.attisdropped
	WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
	AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid
	    AND t.tgname = 'touch_updated_at' AND t.tgenabled = 'O'
	    AND t.tgfoid = 'app.touch_updated_at()'::regprocedure)
$$, 'every public table with updated_at has the touch_updated_at trigger');

SELECT trigger_is('public', 'expert_setup', 'expert_setup_completion', 'app', 'expert_setup_completion',
    'expert_setup''s completion is kept by the expert_setup_completion trigger');
SELECT trigger_is('public', 'users', 'users_role_guard', 'app', 'users_role_guard',
    'a role other than user is the platform''s to give: the users_role_guard trigger');
SELECT trigger_is('public', 'profiles', 'profiles_publish_guard', 'app', 'profiles_publish_guard',
    'a published profile is a complete expert''s: the profiles_publish_guard trigger');
SELECT trigger_is('public', 'audit_logs', 'audit_logs_chain', 'app', 'audit_chain_link',
    'each audit row joins its organization''s hash chain: the audit_logs_chain trigger');
SELECT trigger_is('public', 'expert_setup', 'expert_setup_unpublish', 'app', 'expert_setup_unpublish',
    'a setup that stops being complete unpublishes the profile: the expert_setup_unpublish trigger');

-- Functions ----------------------------------------------------------------

SELECT is_empty($$
	SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
	WHERE p.pronamespace IN ('app'::regnamespace, 'public'::regnamespace) AND p.prosecdef
	AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog'], false)
$$, 'every SECURITY DEFINER function has a fixed search_path');

SELECT is_empty($$
	SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
	WHERE p.pronamespace IN ('app'::regnamespace, 'public'::regnamespace) AND p.prosecdef
	AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a
	    WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))
$$, 'no SECURITY DEFINER function is executable by PUBLIC');

SELECT is(ARRAY(SELECT p.proname::text FROM pg_catalog.pg_proc p
	WHERE p.pronamespace = 'app'::regnamespace AND p.prosecdef
	AND has_function_privilege(p.oid, 'EXECUTE') ORDER BY p.proname::text COLLATE "C"),
    ARRAY['account_deletion_done', 'account_deletion_pending', 'audit', 'available_slots',
    'book_meeting', 'cancel_meeting', 'confirm_booking', 'current_user_id', 'delete_account',
    'enter', 'has_org_role', 'is_available_slot',
    'is_org_member', 'is_own_event_write', 'is_platform_admin', 'is_published_expert',
    'lease_release', 'lease_take', 'mail_claim', 'mail_failed', 'mail_sent', 'meeting_manage',
    'my_bookings', 'personal_data',
    'provision_user', 'public_schedule', 'rate_take', 'register_guest', 'reschedule_meeting',
    'reset_expert_setup',
    'set_user_role', 'setup_webhook', 'sign_in_provision', 'slot_state', 'workos_event'],
    'the app role may execute exactly the expected SECURITY DEFINER functions');
SELECT is(has_function_privilege('app.audit_write(text, uuid, text, text, text, jsonb, jsonb, jsonb)', 'EXECUTE'),
    false, '... not app.audit_write, the internal audit entry point');

-- The app role -------------------------------------------------------------

SELECT isnt(current_user::text, (SELECT nspowner::regrole::text FROM pg_catalog.pg_namespace
	WHERE nspname = 'public'), 'the tests run as the app role, not the owner of schema public');
SELECT ok(pg_has_role(current_user, 'eleva_web', 'USAGE'), 'the app role holds eleva_web''s privileges');
SELECT is((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user), false,
    'the app role is not a superuser');
SELECT is((SELECT rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = current_user), false,
    'the app role does not have BYPASSRLS');
SELECT is_empty($$
	SELECT r.rolname FROM pg_catalog.pg_roles r
	WHERE pg_has_role(current_user, r.oid, 'MEMBER')
	AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb)
$$, 'no role the app role is a member of is superuser, BYPASSRLS, CREATEROLE or CREATEDB');

-- Temporary objects (pgTAP's own tables, the fixtures' helpers) excepted.
SELECT is_empty($$
	SELECT 'database ' || d.datname FROM pg_catalog.pg_database d
	WHERE pg_has_role(current_user, d.datdba, 'MEMBER')
	UNION ALL
	SELECT 'schema ' || n.nspname FROM pg_catalog.pg_namespace n
	WHERE pg_has_role(current_user, n.nspowner, 'MEMBER')
	AND n.nspname !~ '^pg_(toast_)?temp_'
	UNION ALL
	SELECT 'relation ' || c.oid::regclass FROM pg_catalog.pg_class c
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE pg_has_role(current_user, c.relowner, 'MEMBER')
	AND n.nspname !~ '^pg_(toast_)?temp_'
	UNION ALL
	SELECT 'function ' || p.oid::regprocedure FROM pg_catalog.pg_proc p
	JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
	WHERE pg_has_role(current_user, p.proowner, 'MEMBER')
	AND n.nspname !~ '^pg_(toast_)?temp_'
	UNION ALL
	SELECT 'type ' || t.oid::regtype FROM pg_catalog.pg_type t
	JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
	WHERE pg_has_role(current_user, t.typowner, 'MEMBER')
	AND n.nspname !~ '^pg_(toast_)?temp_'
$$, 'the app role (and eleva_web) owns nothing: no database, schema, relation, function or type');

SELECT is(has_schema_privilege('public', 'CREATE'), false, 'the app role cannot CREATE in schema public');
SELECT is(has_schema_privilege('app', 'CREATE'), false, 'the app role cannot CREATE in schema app');
SELECT is(has_schema_privilege('tap', 'CREATE'), false, 'the app role cannot CREATE in schema tap');
SELECT is(has_database_privilege(current_database(), 'CREATE'), false,
    'the app role cannot create schemas in the database');
SELECT throws_ok('CREATE TABLE public.intruder (id int)', '42501', 'permission denied for schema public',
    'CREATE TABLE in public is refused');
SELECT throws_ok('CREATE FUNCTION app.intruder() RETURNS int LANGUAGE sql AS $f$ SELECT 1 $f$',
    '42501', 'permission denied for schema app', 'CREATE FUNCTION in app is refused');
SELECT throws_ok('ALTER TABLE public.audit_logs DISABLE ROW LEVEL SECURITY', '42501',
    'must be owner of table audit_logs', 'the app role cannot switch RLS off');

SELECT is_empty($$
	SELECT c.relname, p.priv FROM pg_catalog.pg_class c,
	    unnest(ARRAY['TRUNCATE', 'REFERENCES', 'TRIGGER']) p (priv)
	WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
	AND has_table_privilege(c.oid, p.priv)
$$, 'the app role has no TRUNCATE, REFERENCES or TRIGGER privilege on any table');

SELECT * FROM finish();
ROLLBACK;
