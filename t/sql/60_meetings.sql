-- 60_meetings: a guest reads his own meetings and no one else's, and writes
-- none; one expert is never booked twice at once (exclusion constraint,
-- 23P01), while a cancelled meeting frees its time.
BEGIN;
SET search_path = public, tap;
SELECT plan(27);
\ir lib/world.sql

-- Guests --------------------------------------------------------------------

SELECT pg_temp.act('G');
SELECT results_eq('SELECT id FROM public.meetings', format('VALUES (%L::uuid)', pg_temp.fx('meeting.A')),
    'guest G reads exactly his own meeting (with A)');
SELECT is((SELECT guest_workos_user_id FROM public.meetings), pg_temp.uid('G'), '... where he is the guest');
SELECT is_empty(format('SELECT * FROM public.meetings WHERE id = %L', pg_temp.fx('meeting.B')),
    'guest G does not read H''s meeting with B');
SELECT is_empty('SELECT * FROM public.records', 'guest G reads no record, not even of his own meeting');
SELECT is_empty(pg_temp.scope('events', 'A'), 'guest G does not read A''s (unpublished) events');
SELECT is(pg_temp.rows($$UPDATE public.meetings SET guest_notes = 'changed', start_time = start_time + interval '1 day',
	end_time = end_time + interval '1 day' WHERE id = pg_temp.fx('meeting.A')::uuid$$),
    0::bigint, 'guest G cannot update his meeting (guests write through the booking function only)');
SELECT is(pg_temp.rows($$DELETE FROM public.meetings WHERE id = pg_temp.fx('meeting.A')::uuid$$),
    0::bigint, 'guest G cannot delete his meeting');
SELECT throws_ok($$INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id, guest_email,
	guest_name, start_time, end_time, timezone)
	VALUES (pg_temp.org('A'), pg_temp.fx('event.A')::uuid, pg_temp.uid('A'), pg_temp.uid('G'), 'g@example.test',
	    'G', '2030-05-01 10:00Z', '2030-05-01 11:00Z', 'UTC')$$,
    '42501', 'new row violates row-level security policy for table "meetings"',
    'guest G cannot book A directly (insert as the expert)');

SELECT pg_temp.act('H');
SELECT results_eq('SELECT id FROM public.meetings', format('VALUES (%L::uuid)', pg_temp.fx('meeting.B')),
    'guest H reads exactly his own meeting (with B)');

-- The expert updates the guest: the meeting moves from G to H.
SELECT pg_temp.act('A');
SELECT is(pg_temp.rows($$UPDATE public.meetings SET guest_workos_user_id = pg_temp.uid('H'),
	guest_org_id = pg_temp.org('H') WHERE id = pg_temp.fx('meeting.A')::uuid$$),
    1::bigint, 'A hands his meeting to guest H');
SELECT pg_temp.act('G');
SELECT is_empty('SELECT * FROM public.meetings', 'G no longer reads it');
SELECT pg_temp.act('H');
SELECT is((SELECT count(*)::int FROM public.meetings), 2, 'H reads both of his meetings now');
SELECT pg_temp.act('A');
SELECT is(pg_temp.rows($$UPDATE public.meetings SET guest_workos_user_id = pg_temp.uid('G'),
	guest_org_id = pg_temp.org('G') WHERE id = pg_temp.fx('meeting.A')::uuid$$),
    1::bigint, '(and back to G)');

-- Double booking --------------------------------------------------------------

CREATE FUNCTION pg_temp.book(who text, starts timestamptz, ends timestamptz) RETURNS text
LANGUAGE sql AS $$
	SELECT format($q$INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_email, guest_name,
	    start_time, end_time, timezone) VALUES (%L, %L, %L, 'walk-in@example.test', 'Walk-in', %L, %L, 'UTC')$q$,
	    pg_temp.org(who), pg_temp.fx('event.' || who), pg_temp.uid(who), starts, ends)
$$;

-- A's meeting with G is on 2030-03-04 10:00-11:00 UTC.
SELECT throws_ok(pg_temp.book('A', '2030-03-04 10:00Z', '2030-03-04 11:00Z'), '23P01', NULL,
    'the same slot again: refused by the exclusion constraint');
SELECT throws_ok(pg_temp.book('A', '2030-03-04 10:30Z', '2030-03-04 11:30Z'), '23P01',
    'conflicting key value violates exclusion constraint "meetings_no_double_booking"',
    'an overlapping slot (10:30-11:30): refused with 23P01');
SELECT throws_ok(pg_temp.book('A', '2030-03-04 09:00Z', '2030-03-04 12:00Z'), '23P01', NULL,
    'a slot that contains it (09:00-12:00): refused');
SELECT throws_ok(pg_temp.book('A', '2030-03-04 11:59+02', '2030-03-04 12:10+02'), '23P01', NULL,
    'an overlap written in another time zone (11:59-12:10 +02 is 09:59-10:10 UTC): refused');
SELECT lives_ok(pg_temp.book('A', '2030-03-04 11:00Z', '2030-03-04 12:00Z'),
    'the adjacent slot 11:00-12:00 is free');
SELECT lives_ok(pg_temp.book('A', '2030-03-04 09:00Z', '2030-03-04 10:00Z'),
    'the adjacent slot 09:00-10:00 is free');
SELECT throws_ok($$UPDATE public.meetings SET end_time = '2030-03-04 11:30Z' WHERE id = pg_temp.fx('meeting.A')::uuid$$,
    '23P01', NULL, 'lengthening a meeting into the next one: refused');

SELECT pg_temp.act('B');
SELECT lives_ok(pg_temp.book('B', '2030-03-04 11:00Z', '2030-03-04 12:00Z'),
    'another expert (B) can be booked at the same time as A (11:00-12:00)');

-- A cancels his meeting with G: its time is free again.
SELECT pg_temp.act('A');
SELECT throws_ok($$UPDATE public.meetings SET status = 'cancelled' WHERE id = pg_temp.fx('meeting.A')::uuid$$,
    '23514', NULL, 'a cancellation needs cancelled_at (check constraint)');
SELECT is(pg_temp.rows($$UPDATE public.meetings SET status = 'cancelled', cancelled_at = now()
	WHERE id = pg_temp.fx('meeting.A')::uuid$$), 1::bigint, 'A cancels the 10:00-11:00 meeting');
SELECT lives_ok(pg_temp.book('A', '2030-03-04 10:00Z', '2030-03-04 11:00Z'),
    'the cancelled meeting''s slot can be booked again');
SELECT throws_ok(pg_temp.book('A', '2030-03-04 10:15Z', '2030-03-04 10:45Z'), '23P01', NULL,
    '... once, not twice');
SELECT throws_ok($$UPDATE public.meetings SET status = 'confirmed', cancelled_at = NULL
	WHERE id = pg_temp.fx('meeting.A')::uuid$$, '23P01', NULL,
    'the cancelled meeting cannot be confirmed again over the new one');
SELECT is((SELECT count(*)::int FROM public.meetings WHERE workos_user_id = pg_temp.uid('A')
	AND status = 'confirmed' AND start_time < '2030-03-05' AND end_time > '2030-03-04'), 3,
    'A has three confirmed meetings that day: 09-10, 10-11 (new), 11-12');

SELECT * FROM finish();
ROLLBACK;
