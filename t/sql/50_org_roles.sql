-- 50_org_roles: what the other members of an organization see.  M is a
-- plain member of B's organization, N an admin of it (both committed by
-- owner_setup.sql).  Members read the practice's calendar data, audit rows
-- and stats; owners and admins also read payment transfers, audit exports
-- and all memberships, and rename the organization; nobody but B reads B's
-- meetings, records, setup and preferences.
BEGIN;
SET search_path = public, tap;
SELECT plan(33);
\ir lib/world.sql

SELECT pg_temp.act('M');
SELECT isnt_empty(pg_temp.scope('organizations', 'B'), 'M (member) reads B''s organization');
SELECT isnt_empty(pg_temp.scope('events', 'B'), 'M reads the organization''s events');
SELECT isnt_empty(pg_temp.scope('schedules', 'B'), 'M reads the organization''s schedules');
SELECT isnt_empty(pg_temp.scope('schedule_availabilities', 'B'), 'M reads the organization''s availabilities');
SELECT isnt_empty(pg_temp.scope('scheduling_settings', 'B'), 'M reads the organization''s scheduling settings');
SELECT isnt_empty(pg_temp.scope('blocked_dates', 'B'), 'M reads the organization''s blocked dates');
SELECT isnt_empty(pg_temp.scope('slot_reservations', 'B'), 'M reads the organization''s slot reservations');
SELECT isnt_empty(pg_temp.scope('audit_logs', 'B'), 'M reads the organization''s audit rows');
SELECT isnt_empty(pg_temp.scope('audit_stats', 'B'), 'M reads the organization''s audit stats');
SELECT is_empty(pg_temp.scope('users', 'B'), 'M does not read B''s users row');
SELECT is_empty(pg_temp.scope('expert_setup', 'B'), 'M does not read B''s expert_setup');
SELECT is_empty(pg_temp.scope('user_preferences', 'B'), 'M does not read B''s preferences');
SELECT is_empty(pg_temp.scope('profiles', 'B'), 'M does not read B''s unpublished profile');
SELECT is_empty(pg_temp.scope('meetings', 'B'), 'M does not read B''s meetings');
SELECT is_empty(pg_temp.scope('records', 'B'), 'M does not read B''s records');
SELECT is_empty(pg_temp.scope('payment_transfers', 'B'), 'M (member, not owner/admin) does not read payment transfers');
SELECT is_empty(pg_temp.scope('audit_log_exports', 'B'), 'M (member, not owner/admin) does not read audit exports');
SELECT is_empty(format('SELECT * FROM public.user_org_memberships WHERE workos_user_id <> %L', pg_temp.uid('M')),
    'M reads only his own memberships');
SELECT is((SELECT count(*)::int FROM public.user_org_memberships), 2,
    '... both of them (his personal organization and B''s)');

SELECT pg_temp.act('N');
SELECT isnt_empty(pg_temp.scope('payment_transfers', 'B'), 'N (admin) reads the organization''s payment transfers');
SELECT isnt_empty(pg_temp.scope('audit_log_exports', 'B'), 'N reads the organization''s audit exports');
SELECT is((SELECT count(*)::int FROM public.user_org_memberships WHERE org_id = pg_temp.org('B')), 3,
    'N reads all three memberships of the organization');
SELECT is_empty(pg_temp.scope('meetings', 'B'), 'N does not read B''s meetings');
SELECT is_empty(pg_temp.scope('records', 'B'), 'N does not read B''s records');
SELECT is_empty(pg_temp.scope('expert_setup', 'B'), 'N does not read B''s expert_setup');
SELECT is_empty(pg_temp.scope('users', 'B'), 'N does not read B''s users row');
SELECT is(pg_temp.rows($$UPDATE public.organizations SET name = 'Renamed by N' WHERE id = pg_temp.org('B')$$),
    1::bigint, 'N (admin) renames the organization');
SELECT lives_ok($$INSERT INTO public.audit_log_exports (workos_user_id, org_id, start_date, end_date)
	VALUES (pg_temp.uid('N'), pg_temp.org('B'), '2030-01-01', '2030-02-01')$$,
    'N (admin) records an audit export for the organization');
SELECT is_empty(format('SELECT * FROM public.payment_transfers WHERE org_id <> %L', pg_temp.org('B')),
    'N reads no payment transfer of another organization (A''s)');

SELECT pg_temp.act('B');
SELECT is((SELECT name FROM public.organizations WHERE id = pg_temp.org('B')), 'Renamed by N',
    'B (owner) sees the new name');
SELECT is((SELECT count(*)::int FROM public.user_org_memberships WHERE org_id = pg_temp.org('B')), 3,
    'B (owner) reads all three memberships');
SELECT is(pg_temp.rows($$UPDATE public.organizations SET name = 'Bruno''s Practice' WHERE id = pg_temp.org('B')$$),
    1::bigint, 'B (owner) renames his organization');
SELECT is_empty(format('SELECT * FROM public.users WHERE workos_user_id IN (%L, %L)', pg_temp.uid('M'), pg_temp.uid('N')),
    'B (owner) does not read his members'' users rows');

SELECT * FROM finish();
ROLLBACK;
