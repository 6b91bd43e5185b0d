-- 30_tenant_read: for every tenant table, a user of organization A reads
-- nothing of organization B (nor of any other organization but public rows),
-- and the other way round; each time with the control that the owner of the
-- data does read it, so an empty result means something.
BEGIN;
SET search_path = public, tap;
SELECT plan(90);
\ir lib/world.sql

-- Controls: each expert reads his own rows of every table.
SELECT pg_temp.act('B');
SELECT isnt_empty(pg_temp.scope('organizations', 'B'), 'organizations: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('users', 'B'), 'users: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('user_org_memberships', 'B'), 'user_org_memberships: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('expert_setup', 'B'), 'expert_setup: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('user_preferences', 'B'), 'user_preferences: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('profiles', 'B'), 'profiles: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('events', 'B'), 'events: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('schedules', 'B'), 'schedules: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('schedule_availabilities', 'B'), 'schedule_availabilities: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('scheduling_settings', 'B'), 'scheduling_settings: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('blocked_dates', 'B'), 'blocked_dates: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('slot_reservations', 'B'), 'slot_reservations: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('meetings', 'B'), 'meetings: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('records', 'B'), 'records: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('payment_transfers', 'B'), 'payment_transfers: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('audit_logs', 'B'), 'audit_logs: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('audit_log_exports', 'B'), 'audit_log_exports: B (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('audit_stats', 'B'), 'audit_stats: B (control) reads his own rows');

SELECT pg_temp.act('A');
SELECT isnt_empty(pg_temp.scope('organizations', 'A'), 'organizations: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('users', 'A'), 'users: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('user_org_memberships', 'A'), 'user_org_memberships: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('expert_setup', 'A'), 'expert_setup: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('user_preferences', 'A'), 'user_preferences: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('profiles', 'A'), 'profiles: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('events', 'A'), 'events: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('schedules', 'A'), 'schedules: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('schedule_availabilities', 'A'), 'schedule_availabilities: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('scheduling_settings', 'A'), 'scheduling_settings: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('blocked_dates', 'A'), 'blocked_dates: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('slot_reservations', 'A'), 'slot_reservations: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('meetings', 'A'), 'meetings: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('records', 'A'), 'records: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('payment_transfers', 'A'), 'payment_transfers: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('audit_logs', 'A'), 'audit_logs: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('audit_log_exports', 'A'), 'audit_log_exports: A (control) reads his own rows');
SELECT isnt_empty(pg_temp.scope('audit_stats', 'A'), 'audit_stats: A (control) reads his own rows');

-- A reads nothing of B, nor of anyone else.
SELECT pg_temp.act('A');
SELECT is_empty(pg_temp.scope('organizations', 'B'), 'organizations: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('users', 'B'), 'users: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('user_org_memberships', 'B'), 'user_org_memberships: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('expert_setup', 'B'), 'expert_setup: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('user_preferences', 'B'), 'user_preferences: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('profiles', 'B'), 'profiles: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('events', 'B'), 'events: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('schedules', 'B'), 'schedules: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('schedule_availabilities', 'B'), 'schedule_availabilities: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('scheduling_settings', 'B'), 'scheduling_settings: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('blocked_dates', 'B'), 'blocked_dates: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('slot_reservations', 'B'), 'slot_reservations: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('meetings', 'B'), 'meetings: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('records', 'B'), 'records: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('payment_transfers', 'B'), 'payment_transfers: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('audit_logs', 'B'), 'audit_logs: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('audit_log_exports', 'B'), 'audit_log_exports: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.scope('audit_stats', 'B'), 'audit_stats: A reads nothing of B''s organization');
SELECT is_empty(pg_temp.outside('organizations', 'A'), 'organizations: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('users', 'A'), 'users: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('user_org_memberships', 'A'), 'user_org_memberships: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('expert_setup', 'A'), 'expert_setup: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('user_preferences', 'A'), 'user_preferences: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('profiles', 'A'), 'profiles: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('events', 'A'), 'events: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('schedules', 'A'), 'schedules: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('schedule_availabilities', 'A'), 'schedule_availabilities: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('scheduling_settings', 'A'), 'scheduling_settings: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('blocked_dates', 'A'), 'blocked_dates: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('slot_reservations', 'A'), 'slot_reservations: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('meetings', 'A'), 'meetings: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('records', 'A'), 'records: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('payment_transfers', 'A'), 'payment_transfers: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('audit_logs', 'A'), 'audit_logs: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('audit_log_exports', 'A'), 'audit_log_exports: A reads no row outside his organization but public ones');
SELECT is_empty(pg_temp.outside('audit_stats', 'A'), 'audit_stats: A reads no row outside his organization but public ones');

-- B reads nothing of A, nor of anyone else.
SELECT pg_temp.act('B');
SELECT is_empty(pg_temp.scope('organizations', 'A'), 'organizations: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('users', 'A'), 'users: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('user_org_memberships', 'A'), 'user_org_memberships: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('expert_setup', 'A'), 'expert_setup: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('user_preferences', 'A'), 'user_preferences: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('profiles', 'A'), 'profiles: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('events', 'A'), 'events: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('schedules', 'A'), 'schedules: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('schedule_availabilities', 'A'), 'schedule_availabilities: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('scheduling_settings', 'A'), 'scheduling_settings: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('blocked_dates', 'A'), 'blocked_dates: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('slot_reservations', 'A'), 'slot_reservations: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('meetings', 'A'), 'meetings: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('records', 'A'), 'records: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('payment_transfers', 'A'), 'payment_transfers: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('audit_logs', 'A'), 'audit_logs: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('audit_log_exports', 'A'), 'audit_log_exports: B reads nothing of A''s organization');
SELECT is_empty(pg_temp.scope('audit_stats', 'A'), 'audit_stats: B reads nothing of A''s organization');

SELECT * FROM finish();
ROLLBACK;
