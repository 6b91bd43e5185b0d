-- 80_constraints: overlapping weekly availability ranges are refused (an
-- exclusion constraint per schedule and weekday), and the updated_at trigger
-- bumps updated_at on every update whatever the statement says.
BEGIN;
SET search_path = public, tap;
SELECT plan(20);
\ir lib/world.sql

-- Weekly availability: A's schedule has Monday 09:00-12:00. ------------------

CREATE FUNCTION pg_temp.avail(who text, day text, starts text, ends text) RETURNS text
LANGUAGE sql AS $$
	SELECT format($q$INSERT INTO public.schedule_availabilities (org_id, schedule_id, day_of_week, start_time, end_time)
	    VALUES (%L, %L, %L, %L, %L)$q$, pg_temp.org(who), pg_temp.fx('schedule.' || who), day, starts, ends)
$$;

SELECT pg_temp.act('A');
SELECT throws_ok(pg_temp.avail('A', 'monday', '11:00', '13:00'), '23P01',
    'conflicting key value violates exclusion constraint "schedule_availabilities_no_overlap"',
    'Monday 11:00-13:00 overlaps 09:00-12:00: refused with 23P01');
SELECT throws_ok(pg_temp.avail('A', 'monday', '08:00', '09:30'), '23P01', NULL,
    'Monday 08:00-09:30 overlaps the start: refused');
SELECT throws_ok(pg_temp.avail('A', 'monday', '10:00', '11:00'), '23P01', NULL,
    'Monday 10:00-11:00 lies inside: refused');
SELECT throws_ok(pg_temp.avail('A', 'monday', '09:00', '12:00'), '23P01', NULL,
    'the same range twice: refused');
SELECT lives_ok(pg_temp.avail('A', 'monday', '12:00', '13:00'), 'Monday 12:00-13:00 (adjacent) is allowed');
SELECT lives_ok(pg_temp.avail('A', 'monday', '08:00', '09:00'), 'Monday 08:00-09:00 (adjacent) is allowed');
SELECT lives_ok(pg_temp.avail('A', 'tuesday', '09:00', '12:00'), 'Tuesday 09:00-12:00 (another day) is allowed');
SELECT throws_ok($$UPDATE public.schedule_availabilities SET day_of_week = 'monday'
	WHERE schedule_id = pg_temp.fx('schedule.A')::uuid AND day_of_week = 'tuesday'$$, '23P01', NULL,
    'moving the Tuesday range onto Monday: refused');
SELECT throws_ok(pg_temp.avail('A', 'friday', '12:00', '12:00'), '23514', NULL,
    'an empty range (start = end) is refused by the check constraint');
SELECT throws_ok(pg_temp.avail('A', 'friday', '13:00', '12:00'), '23514', NULL,
    'a reversed range is refused');
SELECT throws_ok(pg_temp.avail('A', 'someday', '09:00', '10:00'), '22P02', NULL,
    'an unknown weekday is refused by the enum');
SELECT pg_temp.act('B');
SELECT lives_ok(pg_temp.avail('B', 'monday', '12:00', '13:00'),
    'B''s schedule may hold the same range as A''s (the constraint is per schedule)');

-- updated_at ---------------------------------------------------------------

-- A's preferences and organization were committed by owner_setup.sql, in
-- an earlier transaction than this one.
SELECT pg_temp.act('A');
CREATE TEMP TABLE before AS
SELECT (SELECT updated_at FROM public.user_preferences WHERE workos_user_id = pg_temp.uid('A')) AS prefs,
    (SELECT updated_at FROM public.organizations WHERE id = pg_temp.org('A')) AS org,
    (SELECT updated_at FROM public.users WHERE workos_user_id = pg_temp.uid('A')) AS usr;
SELECT cmp_ok((SELECT prefs FROM before), '<', now(), 'A''s preferences were last updated before this transaction');
UPDATE public.user_preferences SET theme = 'dark' WHERE workos_user_id = pg_temp.uid('A');
SELECT is((SELECT updated_at FROM public.user_preferences WHERE workos_user_id = pg_temp.uid('A')), now(),
    'an update of user_preferences bumps updated_at to now()');
UPDATE public.organizations SET name = 'Ana''s Clinic' WHERE id = pg_temp.org('A');
SELECT cmp_ok((SELECT updated_at FROM public.organizations WHERE id = pg_temp.org('A')), '>', (SELECT org FROM before),
    'renaming the organization bumps its updated_at');
UPDATE public.users SET country = 'ES' WHERE workos_user_id = pg_temp.uid('A');
SELECT cmp_ok((SELECT updated_at FROM public.users WHERE workos_user_id = pg_temp.uid('A')), '>', (SELECT usr FROM before),
    'updating the users row bumps its updated_at');
UPDATE public.user_preferences SET language = 'pt', updated_at = '2000-01-01' WHERE workos_user_id = pg_temp.uid('A');
SELECT is((SELECT updated_at FROM public.user_preferences WHERE workos_user_id = pg_temp.uid('A')), now(),
    'an update cannot set updated_at into the past: the trigger overrides it');
UPDATE public.events SET updated_at = '2000-01-01', created_at = '2000-01-01' WHERE id = pg_temp.fx('event.A')::uuid;
SELECT results_eq(format($$SELECT created_at, updated_at FROM public.events WHERE id = %L$$, pg_temp.fx('event.A')),
    $$VALUES ('2000-01-01'::timestamptz, now())$$,
    'events: updated_at is now() even when the statement sets it (created_at is left alone)');
SELECT pg_temp.act('D');
SELECT app.reset_expert_setup(pg_temp.uid('B')) \g /dev/null
SELECT is((SELECT updated_at FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('B')), now(),
    'an admin''s reset of expert_setup bumps its updated_at too');
SELECT isnt((SELECT updated_at FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('B')),
    (SELECT created_at FROM public.expert_setup WHERE workos_user_id = pg_temp.uid('B')),
    '... which now differs from created_at (B was provisioned in an earlier transaction)');

SELECT * FROM finish();
ROLLBACK;
