-- 31_tenant_write: for every tenant table, a user of organization A inserts,
-- updates and deletes nothing of organization B.  Inserts naming B's
-- organization or B's user fail with 42501 (row-level security, or no
-- privilege at all); updates and deletes of B's rows affect no row (or fail
-- with 42501 where the app role has no such privilege); A cannot move his
-- own rows into B's organization either.  Afterwards B's rows are checked
-- unchanged, row for row.
BEGIN;
SET search_path = public, tap;
SELECT plan(113);
\ir lib/world.sql

CREATE FUNCTION pg_temp.rls(tbl text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT format('new row violates row-level security policy for table "%s"', tbl)
$$;
CREATE FUNCTION pg_temp.denied(tbl text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT 'permission denied for table ' || tbl
$$;

-- B's rows as B sees them, before A tries anything.
SELECT pg_temp.act('B');
CREATE TEMP TABLE snap AS
SELECT t, pg_temp.digest(pg_temp.scope(t, 'B')) AS d FROM pg_temp.tenant_tables() t;

SELECT pg_temp.act('A');

-- organizations: no INSERT or DELETE privilege; UPDATE of name only, by
-- owners and admins of the organization.
SELECT throws_ok($$INSERT INTO public.organizations (workos_org_id, slug, name, type)
	VALUES ('org_intruder', 'intruder', 'Intruder', 'clinic')$$,
    '42501', pg_temp.denied('organizations'), 'organizations: A cannot insert an organization');
SELECT is(pg_temp.rows($$UPDATE public.organizations SET name = 'Taken over' WHERE id = pg_temp.org('B')$$),
    0::bigint, 'organizations: A''s update of B''s organization affects no row');
SELECT throws_ok($$UPDATE public.organizations SET slug = 'taken' WHERE id = pg_temp.org('A')$$,
    '42501', pg_temp.denied('organizations'), 'organizations: A cannot change the slug, even of his own');
SELECT throws_ok($$DELETE FROM public.organizations WHERE id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('organizations'), 'organizations: A cannot delete an organization');

-- users: no INSERT or DELETE; UPDATE of a few own columns.
SELECT throws_ok($$INSERT INTO public.users (workos_user_id, email) VALUES ('user_intruder', 'i@example.test')$$,
    '42501', pg_temp.denied('users'), 'users: A cannot insert a user');
SELECT is(pg_temp.rows($$UPDATE public.users SET first_name = 'Taken' WHERE workos_user_id = pg_temp.uid('B')$$),
    0::bigint, 'users: A''s update of B''s user row affects no row');
SELECT throws_ok($$UPDATE public.users SET role = 'admin' WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', pg_temp.denied('users'), 'users: A cannot change his own role');
SELECT throws_ok($$DELETE FROM public.users WHERE workos_user_id = pg_temp.uid('B')$$,
    '42501', pg_temp.denied('users'), 'users: A cannot delete a user');

-- user_org_memberships: read only.
SELECT throws_ok($$INSERT INTO public.user_org_memberships (workos_user_id, org_id, role)
	VALUES (pg_temp.uid('A'), pg_temp.org('B'), 'owner')$$,
    '42501', pg_temp.denied('user_org_memberships'), 'user_org_memberships: A cannot make himself owner of B''s organization');
SELECT throws_ok($$UPDATE public.user_org_memberships SET role = 'member' WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('user_org_memberships'), 'user_org_memberships: A cannot update memberships');
SELECT throws_ok($$DELETE FROM public.user_org_memberships WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('user_org_memberships'), 'user_org_memberships: A cannot delete memberships');

-- expert_setup: no DELETE.
SELECT throws_ok($$INSERT INTO public.expert_setup (workos_user_id, org_id) VALUES (pg_temp.uid('A'), pg_temp.org('B'))$$,
    '42501', pg_temp.rls('expert_setup'), 'expert_setup: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.expert_setup (workos_user_id, org_id) VALUES (pg_temp.uid('B'), pg_temp.org('A'))$$,
    '42501', pg_temp.rls('expert_setup'), 'expert_setup: A cannot insert with B''s user id');
SELECT is(pg_temp.rows($$UPDATE public.expert_setup SET profile_completed = true
	WHERE workos_user_id = pg_temp.uid('B')$$), 0::bigint, 'expert_setup: A''s update of B''s row affects no row');
SELECT throws_ok($$DELETE FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('B')$$,
    '42501', pg_temp.denied('expert_setup'), 'expert_setup: A cannot delete');

-- user_preferences
SELECT throws_ok($$INSERT INTO public.user_preferences (workos_user_id, org_id) VALUES (pg_temp.uid('A'), pg_temp.org('B'))$$,
    '42501', pg_temp.rls('user_preferences'), 'user_preferences: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.user_preferences (workos_user_id, org_id) VALUES (pg_temp.uid('B'), pg_temp.org('A'))$$,
    '42501', pg_temp.rls('user_preferences'), 'user_preferences: A cannot insert with B''s user id');
SELECT is(pg_temp.rows($$UPDATE public.user_preferences SET theme = 'dark' WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'user_preferences: A''s update of B''s rows affects no row');
SELECT throws_ok($$UPDATE public.user_preferences SET org_id = pg_temp.org('B') WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', pg_temp.rls('user_preferences'), 'user_preferences: A cannot move his own row into B''s organization');
SELECT is(pg_temp.rows($$DELETE FROM public.user_preferences WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'user_preferences: A''s delete of B''s rows affects no row');

-- profiles
SELECT throws_ok($$INSERT INTO public.profiles (org_id, workos_user_id, first_name, last_name)
	VALUES (pg_temp.org('B'), pg_temp.uid('A'), 'A', 'A')$$,
    '42501', pg_temp.rls('profiles'), 'profiles: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.profiles (org_id, workos_user_id, first_name, last_name)
	VALUES (pg_temp.org('A'), pg_temp.uid('B'), 'B', 'B')$$,
    '42501', pg_temp.rls('profiles'), 'profiles: A cannot insert with B''s user id');
SELECT is(pg_temp.rows($$UPDATE public.profiles SET published = true, headline = 'Taken' WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'profiles: A''s update of B''s profile affects no row');
-- org_id is not among the columns the app may update (42501 either way).
SELECT throws_ok($$UPDATE public.profiles SET org_id = pg_temp.org('B') WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', NULL, 'profiles: A cannot move his own profile into B''s organization');
SELECT is(pg_temp.rows($$DELETE FROM public.profiles WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'profiles: A''s delete of B''s profile affects no row');

-- events
SELECT throws_ok($$INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
	VALUES (pg_temp.org('B'), pg_temp.uid('A'), 'X', 'x', 30)$$,
    '42501', pg_temp.rls('events'), 'events: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
	VALUES (pg_temp.org('A'), pg_temp.uid('B'), 'X', 'x', 30)$$,
    '42501', pg_temp.rls('events'), 'events: A cannot insert with B''s user id');
SELECT is(pg_temp.rows($$UPDATE public.events SET price = 1 WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'events: A''s update of B''s events affects no row');
SELECT throws_ok($$UPDATE public.events SET org_id = pg_temp.org('B') WHERE id = pg_temp.fx('event.A')::uuid$$,
    '42501', pg_temp.rls('events'), 'events: A cannot move his own event into B''s organization');
SELECT is(pg_temp.rows($$DELETE FROM public.events WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'events: A''s delete of B''s events affects no row');

-- schedules
SELECT throws_ok($$INSERT INTO public.schedules (org_id, workos_user_id, timezone)
	VALUES (pg_temp.org('B'), pg_temp.uid('A'), 'UTC')$$,
    '42501', pg_temp.rls('schedules'), 'schedules: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.schedules (org_id, workos_user_id, timezone)
	VALUES (pg_temp.org('A'), pg_temp.uid('B'), 'UTC')$$,
    '42501', pg_temp.rls('schedules'), 'schedules: A cannot insert with B''s user id');
SELECT is(pg_temp.rows($$UPDATE public.schedules SET timezone = 'UTC' WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'schedules: A''s update of B''s schedule affects no row');
SELECT throws_ok($$UPDATE public.schedules SET org_id = pg_temp.org('B') WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', pg_temp.rls('schedules'), 'schedules: A cannot move his own schedule into B''s organization');
SELECT is(pg_temp.rows($$DELETE FROM public.schedules WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'schedules: A''s delete of B''s schedule affects no row');

-- schedule_availabilities (owned through their schedule)
SELECT throws_ok($$INSERT INTO public.schedule_availabilities (org_id, schedule_id, day_of_week, start_time, end_time)
	VALUES (pg_temp.org('B'), pg_temp.fx('schedule.B')::uuid, 'tuesday', '09:00', '10:00')$$,
    '42501', pg_temp.rls('schedule_availabilities'), 'schedule_availabilities: A cannot insert into B''s schedule');
SELECT throws_ok($$INSERT INTO public.schedule_availabilities (org_id, schedule_id, day_of_week, start_time, end_time)
	VALUES (pg_temp.org('B'), pg_temp.fx('schedule.A')::uuid, 'tuesday', '09:00', '10:00')$$,
    '42501', pg_temp.rls('schedule_availabilities'), 'schedule_availabilities: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.schedule_availabilities (org_id, schedule_id, day_of_week, start_time, end_time)
	VALUES (pg_temp.org('A'), pg_temp.fx('schedule.B')::uuid, 'tuesday', '09:00', '10:00')$$,
    '42501', pg_temp.rls('schedule_availabilities'), 'schedule_availabilities: A cannot insert in his org into B''s schedule');
SELECT is(pg_temp.rows($$UPDATE public.schedule_availabilities SET end_time = '23:00' WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'schedule_availabilities: A''s update of B''s rows affects no row');
SELECT throws_ok($$UPDATE public.schedule_availabilities SET org_id = pg_temp.org('B') WHERE id = pg_temp.fx('avail.A')::uuid$$,
    '42501', pg_temp.rls('schedule_availabilities'), 'schedule_availabilities: A cannot move his own row into B''s organization');
SELECT throws_ok($$UPDATE public.schedule_availabilities SET schedule_id = pg_temp.fx('schedule.B')::uuid
	WHERE id = pg_temp.fx('avail.A')::uuid$$,
    '42501', pg_temp.rls('schedule_availabilities'), 'schedule_availabilities: A cannot move his own row into B''s schedule');
SELECT is(pg_temp.rows($$DELETE FROM public.schedule_availabilities WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'schedule_availabilities: A''s delete of B''s rows affects no row');

-- scheduling_settings
SELECT throws_ok($$INSERT INTO public.scheduling_settings (org_id, workos_user_id) VALUES (pg_temp.org('B'), pg_temp.uid('A'))$$,
    '42501', pg_temp.rls('scheduling_settings'), 'scheduling_settings: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.scheduling_settings (org_id, workos_user_id) VALUES (pg_temp.org('A'), pg_temp.uid('B'))$$,
    '42501', pg_temp.rls('scheduling_settings'), 'scheduling_settings: A cannot insert with B''s user id');
SELECT is(pg_temp.rows($$UPDATE public.scheduling_settings SET minimum_notice = 9999 WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'scheduling_settings: A''s update of B''s settings affects no row');
SELECT throws_ok($$UPDATE public.scheduling_settings SET org_id = pg_temp.org('B') WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', pg_temp.rls('scheduling_settings'), 'scheduling_settings: A cannot move his own row into B''s organization');
SELECT is(pg_temp.rows($$DELETE FROM public.scheduling_settings WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'scheduling_settings: A''s delete of B''s settings affects no row');

-- blocked_dates
SELECT throws_ok($$INSERT INTO public.blocked_dates (org_id, workos_user_id, date) VALUES (pg_temp.org('B'), pg_temp.uid('A'), '2030-06-01')$$,
    '42501', pg_temp.rls('blocked_dates'), 'blocked_dates: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.blocked_dates (org_id, workos_user_id, date) VALUES (pg_temp.org('A'), pg_temp.uid('B'), '2030-06-01')$$,
    '42501', pg_temp.rls('blocked_dates'), 'blocked_dates: A cannot insert with B''s user id');
SELECT is(pg_temp.rows($$UPDATE public.blocked_dates SET reason = 'taken' WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'blocked_dates: A''s update of B''s rows affects no row');
SELECT throws_ok($$UPDATE public.blocked_dates SET org_id = pg_temp.org('B') WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', pg_temp.rls('blocked_dates'), 'blocked_dates: A cannot move his own row into B''s organization');
SELECT is(pg_temp.rows($$DELETE FROM public.blocked_dates WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'blocked_dates: A''s delete of B''s rows affects no row');

-- slot_reservations
SELECT throws_ok($$INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email, start_time, end_time, expires_at)
	VALUES (pg_temp.org('B'), pg_temp.fx('event.B')::uuid, pg_temp.uid('A'), 'x@example.test',
	    '2030-07-01 10:00Z', '2030-07-01 11:00Z', now() + interval '1 hour')$$,
    '42501', pg_temp.rls('slot_reservations'), 'slot_reservations: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email, start_time, end_time, expires_at)
	VALUES (pg_temp.org('A'), pg_temp.fx('event.A')::uuid, pg_temp.uid('B'), 'x@example.test',
	    '2030-07-01 10:00Z', '2030-07-01 11:00Z', now() + interval '1 hour')$$,
    '42501', pg_temp.rls('slot_reservations'), 'slot_reservations: A cannot insert with B''s user id');
SELECT is(pg_temp.rows($$UPDATE public.slot_reservations SET expires_at = now() WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'slot_reservations: A''s update of B''s reservations affects no row');
SELECT throws_ok($$UPDATE public.slot_reservations SET org_id = pg_temp.org('B') WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', pg_temp.rls('slot_reservations'), 'slot_reservations: A cannot move his own row into B''s organization');
SELECT is(pg_temp.rows($$DELETE FROM public.slot_reservations WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'slot_reservations: A''s delete of B''s reservations affects no row');

-- meetings
SELECT throws_ok($$INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_email, guest_name,
	start_time, end_time, timezone)
	VALUES (pg_temp.org('B'), pg_temp.fx('event.B')::uuid, pg_temp.uid('A'), 'x@example.test', 'X',
	    '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'UTC')$$,
    '42501', pg_temp.rls('meetings'), 'meetings: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_email, guest_name,
	start_time, end_time, timezone)
	VALUES (pg_temp.org('A'), pg_temp.fx('event.A')::uuid, pg_temp.uid('B'), 'x@example.test', 'X',
	    '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'UTC')$$,
    '42501', pg_temp.rls('meetings'), 'meetings: A cannot insert with B''s user id as the expert');
SELECT is(pg_temp.rows($$UPDATE public.meetings SET status = 'cancelled', cancelled_at = now() WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'meetings: A''s update (cancel) of B''s meetings affects no row');
SELECT throws_ok($$UPDATE public.meetings SET org_id = pg_temp.org('B') WHERE id = pg_temp.fx('meeting.A')::uuid$$,
    '42501', pg_temp.rls('meetings'), 'meetings: A cannot move his own meeting into B''s organization');
SELECT throws_ok($$UPDATE public.meetings SET workos_user_id = pg_temp.uid('B') WHERE id = pg_temp.fx('meeting.A')::uuid$$,
    '42501', pg_temp.rls('meetings'), 'meetings: A cannot hand his own meeting to B');
SELECT is(pg_temp.rows($$DELETE FROM public.meetings WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'meetings: A''s delete of B''s meetings affects no row');

-- records
SELECT throws_ok($$INSERT INTO public.records (org_id, meeting_id, expert_id, guest_email, encrypted_content)
	VALUES (pg_temp.org('B'), pg_temp.fx('meeting.B')::uuid, pg_temp.uid('A'), 'x@example.test', 'c')$$,
    '42501', pg_temp.rls('records'), 'records: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.records (org_id, meeting_id, expert_id, guest_email, encrypted_content)
	VALUES (pg_temp.org('A'), pg_temp.fx('meeting.A')::uuid, pg_temp.uid('B'), 'x@example.test', 'c')$$,
    '42501', pg_temp.rls('records'), 'records: A cannot insert with B''s user id as the expert');
SELECT is(pg_temp.rows($$UPDATE public.records SET encrypted_content = 'overwritten' WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'records: A''s update of B''s records affects no row');
SELECT throws_ok($$UPDATE public.records SET org_id = pg_temp.org('B') WHERE id = pg_temp.fx('record.A')::uuid$$,
    '42501', pg_temp.rls('records'), 'records: A cannot move his own record into B''s organization');
SELECT is(pg_temp.rows($$DELETE FROM public.records WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'records: A''s delete of B''s records affects no row');

-- payment_transfers: read only.
SELECT throws_ok($$INSERT INTO public.payment_transfers (org_id, payment_intent_id, checkout_session_id, event_id,
	expert_connect_account_id, expert_workos_user_id, amount, platform_fee, session_start_time, scheduled_transfer_time)
	VALUES (pg_temp.org('B'), 'pi_x', 'cs_x', pg_temp.fx('event_paid.B')::uuid, 'acct_x', pg_temp.uid('B'),
	    1, 0, now(), now())$$,
    '42501', pg_temp.denied('payment_transfers'), 'payment_transfers: A cannot insert');
SELECT throws_ok($$UPDATE public.payment_transfers SET status = 'APPROVED' WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('payment_transfers'), 'payment_transfers: A cannot update');
SELECT throws_ok($$DELETE FROM public.payment_transfers WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('payment_transfers'), 'payment_transfers: A cannot delete');

-- audit_logs: insert as oneself only; never updated or deleted.
SELECT throws_ok($$INSERT INTO public.audit_logs (workos_user_id, org_id, action, resource_type)
	VALUES (pg_temp.uid('B'), pg_temp.org('A'), 'record.read', 'record')$$,
    '42501', pg_temp.rls('audit_logs'), 'audit_logs: A cannot insert with B''s user id');
SELECT throws_ok($$UPDATE public.audit_logs SET action = 'nothing.happened' WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('audit_logs'), 'audit_logs: A cannot update B''s audit rows');
SELECT throws_ok($$DELETE FROM public.audit_logs WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('audit_logs'), 'audit_logs: A cannot delete B''s audit rows');

-- audit_log_exports: owner/admin of the organization; no UPDATE or DELETE.
SELECT throws_ok($$INSERT INTO public.audit_log_exports (workos_user_id, org_id, start_date, end_date)
	VALUES (pg_temp.uid('A'), pg_temp.org('B'), '2030-01-01', '2030-02-01')$$,
    '42501', pg_temp.rls('audit_log_exports'), 'audit_log_exports: A cannot insert with B''s org_id');
SELECT throws_ok($$UPDATE public.audit_log_exports SET blob_url = 'https://evil.example' WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('audit_log_exports'), 'audit_log_exports: A cannot update');
SELECT throws_ok($$DELETE FROM public.audit_log_exports WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('audit_log_exports'), 'audit_log_exports: A cannot delete');

-- audit_stats: read only.
SELECT throws_ok($$INSERT INTO public.audit_stats (org_id, date) VALUES (pg_temp.org('B'), '2031-01-01')$$,
    '42501', pg_temp.denied('audit_stats'), 'audit_stats: A cannot insert');
SELECT throws_ok($$UPDATE public.audit_stats SET suspicious_activity = true WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('audit_stats'), 'audit_stats: A cannot update');
SELECT throws_ok($$DELETE FROM public.audit_stats WHERE org_id = pg_temp.org('B')$$,
    '42501', pg_temp.denied('audit_stats'), 'audit_stats: A cannot delete');

-- With no user set, nothing can be written either.
SELECT pg_temp.act(NULL);
SELECT throws_ok($$INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
	VALUES (pg_temp.org('B'), pg_temp.uid('B'), 'X', 'x', 30)$$,
    '42501', pg_temp.rls('events'), 'no user: cannot insert an event, even naming its owner');
SELECT is(pg_temp.rows($$UPDATE public.profiles SET published = true WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'no user: an update of B''s profile affects no row');
SELECT is(pg_temp.rows($$DELETE FROM public.meetings WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'no user: a delete of B''s meetings affects no row');

-- The other members of B's organization (M, member; N, admin) can read
-- some of B's rows; they cannot change B's own data.
SELECT pg_temp.act('M');
SELECT is(pg_temp.rows($$UPDATE public.events SET price = 1 WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'events: M (member of B''s organization) cannot update B''s events');
SELECT is(pg_temp.rows($$DELETE FROM public.blocked_dates WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'blocked_dates: M cannot delete B''s blocked dates');
SELECT is(pg_temp.rows($$UPDATE public.organizations SET name = 'Taken' WHERE id = pg_temp.org('B')$$),
    0::bigint, 'organizations: M (member, not admin) cannot rename B''s organization');
SELECT throws_ok($$INSERT INTO public.audit_log_exports (workos_user_id, org_id, start_date, end_date)
	VALUES (pg_temp.uid('M'), pg_temp.org('B'), '2030-01-01', '2030-02-01')$$,
    '42501', pg_temp.rls('audit_log_exports'), 'audit_log_exports: M (member, not admin) cannot export');
SELECT pg_temp.act('N');
SELECT is(pg_temp.rows($$UPDATE public.schedules SET timezone = 'UTC' WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'schedules: N (admin of B''s organization) cannot update B''s schedule');
SELECT is(pg_temp.rows($$UPDATE public.records SET encrypted_content = 'x' WHERE org_id = pg_temp.org('B')$$),
    0::bigint, 'records: N (admin) cannot touch B''s records');

-- B's rows, as B sees them, are what they were.
SELECT pg_temp.act('B');
SELECT is(pg_temp.digest(pg_temp.scope('organizations', 'B')), (SELECT d FROM snap WHERE t = 'organizations'),
    'organizations: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('users', 'B')), (SELECT d FROM snap WHERE t = 'users'),
    'users: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('user_org_memberships', 'B')), (SELECT d FROM snap WHERE t = 'user_org_memberships'),
    'user_org_memberships: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('expert_setup', 'B')), (SELECT d FROM snap WHERE t = 'expert_setup'),
    'expert_setup: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('user_preferences', 'B')), (SELECT d FROM snap WHERE t = 'user_preferences'),
    'user_preferences: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('profiles', 'B')), (SELECT d FROM snap WHERE t = 'profiles'),
    'profiles: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('events', 'B')), (SELECT d FROM snap WHERE t = 'events'),
    'events: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('schedules', 'B')), (SELECT d FROM snap WHERE t = 'schedules'),
    'schedules: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('schedule_availabilities', 'B')), (SELECT d FROM snap WHERE t = 'schedule_availabilities'),
    'schedule_availabilities: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('scheduling_settings', 'B')), (SELECT d FROM snap WHERE t = 'scheduling_settings'),
    'scheduling_settings: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('blocked_dates', 'B')), (SELECT d FROM snap WHERE t = 'blocked_dates'),
    'blocked_dates: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('slot_reservations', 'B')), (SELECT d FROM snap WHERE t = 'slot_reservations'),
    'slot_reservations: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('meetings', 'B')), (SELECT d FROM snap WHERE t = 'meetings'),
    'meetings: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('records', 'B')), (SELECT d FROM snap WHERE t = 'records'),
    'records: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('payment_transfers', 'B')), (SELECT d FROM snap WHERE t = 'payment_transfers'),
    'payment_transfers: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('audit_logs', 'B')), (SELECT d FROM snap WHERE t = 'audit_logs'),
    'audit_logs: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('audit_log_exports', 'B')), (SELECT d FROM snap WHERE t = 'audit_log_exports'),
    'audit_log_exports: B''s rows are unchanged');
SELECT is(pg_temp.digest(pg_temp.scope('audit_stats', 'B')), (SELECT d FROM snap WHERE t = 'audit_stats'),
    'audit_stats: B''s rows are unchanged');

-- Moving one's rows into another tenant, and links to another tenant's
-- event or meeting; kept last because a statement that wrongly succeeded
-- would leave its row behind.
SELECT pg_temp.act('A');
SELECT throws_ok($$UPDATE public.expert_setup SET org_id = pg_temp.org('B') WHERE workos_user_id = pg_temp.uid('A')$$,
    '42501', pg_temp.denied('expert_setup'),
    'expert_setup: A cannot move his own row into B''s organization (org_id is not his to update)');
SELECT throws_ok($$INSERT INTO public.audit_logs (workos_user_id, org_id, action, resource_type)
	VALUES (pg_temp.uid('A'), pg_temp.org('B'), 'record.read', 'record')$$,
    '42501', pg_temp.rls('audit_logs'), 'audit_logs: A cannot insert with B''s org_id');
SELECT throws_ok($$INSERT INTO public.audit_log_exports (workos_user_id, org_id, start_date, end_date)
	VALUES (pg_temp.uid('B'), pg_temp.org('A'), '2030-01-01', '2030-02-01')$$,
    '42501', pg_temp.rls('audit_log_exports'), 'audit_log_exports: A cannot insert with B''s user id');
SELECT throws_ok($$INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_email, guest_name,
	start_time, end_time, timezone)
	VALUES (pg_temp.org('A'), pg_temp.fx('event.B')::uuid, pg_temp.uid('A'), 'x@example.test', 'X',
	    '2030-07-01 10:00Z', '2030-07-01 11:00Z', 'UTC')$$,
    '42501', pg_temp.rls('meetings'), 'meetings: A cannot insert a meeting of B''s event');
SELECT throws_ok($$INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email, start_time, end_time, expires_at)
	VALUES (pg_temp.org('A'), pg_temp.fx('event.B')::uuid, pg_temp.uid('A'), 'x@example.test',
	    '2030-07-01 10:00Z', '2030-07-01 11:00Z', now() + interval '1 hour')$$,
    '42501', pg_temp.rls('slot_reservations'), 'slot_reservations: A cannot reserve a slot of B''s event');
SELECT throws_ok($$INSERT INTO public.records (org_id, meeting_id, expert_id, guest_email, encrypted_content)
	VALUES (pg_temp.org('A'), pg_temp.fx('meeting.B')::uuid, pg_temp.uid('A'), 'x@example.test', 'c')$$,
    '42501', pg_temp.rls('records'), 'records: A cannot attach a record to B''s meeting');

SELECT * FROM finish();
ROLLBACK;
