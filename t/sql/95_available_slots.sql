-- 95_available_slots: app.available_slots(handle, event, from, until[, guest
-- e-mail]) and app.is_available_slot(handle, event, start[, guest e-mail]),
-- the starts a guest may book.
-- Expert A (schedule in Europe/Lisbon) publishes his profile; each section
-- gives him a week of ranges and settings and asks as a guest (no user).
-- Because now() decides what is bookable, every window is relative to the
-- transaction's now(), and the daylight-saving changes are looked up: the
-- tests pass on any date.
BEGIN;
SET search_path = public, tap;
SELECT plan(55);
\ir lib/world.sql
\o /dev/null

SET LOCAL timezone = 'UTC';

CREATE FUNCTION pg_temp.h() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT 'expert-a-' || pg_temp.fx('run') $$;

-- A local wall-clock time in Lisbon as an instant.
CREATE FUNCTION pg_temp.lt(d date, t time) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT (d + t) AT TIME ZONE 'Europe/Lisbon' $$;

-- A's starts for an event between two instants, and for one Lisbon day.
CREATE FUNCTION pg_temp.starts(slug text, f timestamptz, u timestamptz) RETURNS timestamptz[]
LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT s.start_time FROM app.available_slots(pg_temp.h(), slug, f, u) s)
$$;
CREATE FUNCTION pg_temp.day(slug text, d date) RETURNS timestamptz[]
LANGUAGE sql STABLE AS $$
	SELECT pg_temp.starts(slug, pg_temp.lt(d, '00:00'), pg_temp.lt(d, '23:59'))
$$;
-- Lisbon times of one day as instants.
CREATE FUNCTION pg_temp.at(d date, VARIADIC ts time[]) RETURNS timestamptz[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY(SELECT pg_temp.lt(d, t) FROM unnest(ts) WITH ORDINALITY u (t, i) ORDER BY i)
$$;

-- As A: the same ranges on every weekday (start, end pairs), replacing his week.
CREATE FUNCTION pg_temp.week(VARIADIC r time[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act('A');
	DELETE FROM public.schedule_availabilities WHERE schedule_id = pg_temp.fx('schedule.A')::uuid;
	INSERT INTO public.schedule_availabilities (org_id, schedule_id, day_of_week, start_time, end_time)
	SELECT pg_temp.org('A'), pg_temp.fx('schedule.A')::uuid, d, r[2 * i - 1], r[2 * i]
	FROM unnest(enum_range(NULL::public.day)) d, generate_series(1, array_length(r, 1) / 2) i;
	PERFORM pg_temp.act(NULL);
END
$$;
-- As A: his scheduling settings.
CREATE FUNCTION pg_temp.settings(before int, after int, notice int, step int, win int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act('A');
	UPDATE public.scheduling_settings SET before_event_buffer = before, after_event_buffer = after,
	    minimum_notice = notice, time_slot_interval = step, booking_window_days = win
	WHERE workos_user_id = pg_temp.uid('A');
	PERFORM pg_temp.act(NULL);
END
$$;
-- The next quarter hour at or after t, and the last one at or before it.
CREATE FUNCTION pg_temp.ceil15(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
	SELECT date_bin('15 minutes', t + interval '15 minutes' - interval '1 microsecond', '2000-01-01 00:00Z')
$$;
CREATE FUNCTION pg_temp.floor15(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT date_bin('15 minutes', t, '2000-01-01 00:00Z') $$;

-- A publishes his profile; a 15-minute event next to his 60-minute 'intro'.
SELECT pg_temp.act('A');
-- Only an expert whose setup is complete publishes (sql/0012_identity.sql).
SELECT pg_temp.complete_setup('A');
UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('A');
INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
VALUES (pg_temp.org('A'), pg_temp.uid('A'), 'Quick call', 'quick', 15);
-- The next spring-forward and fall-back days in Lisbon: a local noon and the
-- one before it are 23 or 25 hours apart.
INSERT INTO fx
SELECT CASE WHEN pg_temp.lt(d::date, '12:00') - pg_temp.lt(d::date - 1, '12:00') < interval '24 hours'
	THEN 'spring' ELSE 'autumn' END, min(d::date)::text
FROM generate_series((now() AT TIME ZONE 'Europe/Lisbon')::date + 8,
    (now() AT TIME ZONE 'Europe/Lisbon')::date + 400, interval '1 day') d
WHERE pg_temp.lt(d::date, '12:00') - pg_temp.lt(d::date - 1, '12:00') <> interval '24 hours'
GROUP BY 1;
-- A day ten days ahead, well inside the window and away from the notice.
INSERT INTO fx VALUES ('d', ((now() AT TIME ZONE 'Europe/Lisbon')::date + 10)::text);
SELECT pg_temp.act(NULL);
\o

SELECT is((SELECT count(*)::int FROM fx WHERE k IN ('spring', 'autumn')), 2,
    'Lisbon has a spring-forward and a fall-back day in the coming 400 days');

-- Daylight saving --------------------------------------------------------------

SELECT pg_temp.week('09:00', '12:00') \g /dev/null
SELECT pg_temp.settings(0, 0, 0, 60, 730) \g /dev/null

SELECT is(pg_temp.day('intro', pg_temp.fx('spring')::date - 7) || pg_temp.day('intro', pg_temp.fx('spring')::date),
    ARRAY[(pg_temp.fx('spring')::date - 7) + time '09:00', (pg_temp.fx('spring')::date - 7) + time '10:00',
	(pg_temp.fx('spring')::date - 7) + time '11:00',
	pg_temp.fx('spring')::date + time '08:00', pg_temp.fx('spring')::date + time '09:00',
	pg_temp.fx('spring')::date + time '10:00']::timestamp[]::timestamptz[],
    'spring: 09:00, 10:00, 11:00 in Lisbon are 09-11 UTC the Sunday before the change, 08-10 UTC on the day');
SELECT is(ARRAY(SELECT to_char(s AT TIME ZONE 'Europe/Lisbon', 'HH24:MI')
	FROM unnest(pg_temp.day('intro', pg_temp.fx('spring')::date)) s),
    ARRAY['09:00', '10:00', '11:00'], '... which are 09:00, 10:00 and 11:00 local time on the day');
SELECT is(pg_temp.day('intro', pg_temp.fx('autumn')::date - 7) || pg_temp.day('intro', pg_temp.fx('autumn')::date),
    ARRAY[(pg_temp.fx('autumn')::date - 7) + time '08:00', (pg_temp.fx('autumn')::date - 7) + time '09:00',
	(pg_temp.fx('autumn')::date - 7) + time '10:00',
	pg_temp.fx('autumn')::date + time '09:00', pg_temp.fx('autumn')::date + time '10:00',
	pg_temp.fx('autumn')::date + time '11:00']::timestamp[]::timestamptz[],
    'autumn: the same local 09:00-11:00 starts are 08-10 UTC the Sunday before the fall-back, 09-11 UTC on the day');
SELECT is(pg_temp.day('intro', pg_temp.fx('autumn')::date - 1),
    pg_temp.at(pg_temp.fx('autumn')::date - 1, '09:00', '10:00', '11:00'),
    '... and the day before the change is still summer time');

-- A range starting in the hour the spring-forward skips: PostgreSQL reads
-- local 01:30 with the offset before the change (01:30 UTC, 02:30 summer
-- time), so 01:30-03:00 is 02:30-03:00 local, room for one 30-minute slot.
SELECT pg_temp.week('01:30', '03:00') \g /dev/null
SELECT pg_temp.settings(0, 0, 0, 30, 730) \g /dev/null
SELECT is(pg_temp.starts('old-ignored', now(), now() + interval '1 day'), '{}'::timestamptz[],
    'an unknown event: no starts');
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
VALUES (pg_temp.org('A'), pg_temp.uid('A'), 'Half hour', 'half', 30);
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.day('half', pg_temp.fx('spring')::date),
    ARRAY[pg_temp.fx('spring')::date + time '01:30']::timestamp[]::timestamptz[],
    'spring-forward day, range 01:30-03:00 local: one 30-minute slot at 01:30 UTC');
SELECT is(ARRAY(SELECT to_char(s AT TIME ZONE 'Europe/Lisbon', 'HH24:MI')
	FROM unnest(pg_temp.day('half', pg_temp.fx('spring')::date)) s),
    ARRAY['02:30'], '... which is 02:30 local (summer time): 01:30 local does not exist that day');
SELECT is(pg_temp.day('half', pg_temp.fx('spring')::date - 7),
    pg_temp.at(pg_temp.fx('spring')::date - 7, '01:30', '02:00', '02:30'),
    '... a week earlier the same range has three');

-- Minimum notice, booking window, defaults -------------------------------------

SELECT pg_temp.week('00:00', '24:00') \g /dev/null
SELECT pg_temp.settings(0, 0, 120, 15, 3) \g /dev/null
SELECT is((SELECT min(s.start_time) FROM app.available_slots(pg_temp.h(), 'quick',
	now() - interval '1 day', now() + interval '1 day') s),
    pg_temp.ceil15(now() + interval '120 minutes'),
    'every day 00:00-24:00, 120 minutes notice: the first start is the first quarter hour 120 minutes from now');
SELECT is((SELECT max(s.start_time) FROM app.available_slots(pg_temp.h(), 'quick',
	now() + interval '2 days', now() + interval '4 days') s),
    pg_temp.floor15(now() + interval '3 days'),
    'a 3-day window: the last start is the last quarter hour 3 days from now');
SELECT is(pg_temp.starts('quick', now() + interval '3 days 1 minute', now() + interval '5 days'),
    '{}'::timestamptz[], '... nothing beyond it');
SELECT is(pg_temp.starts('quick', now() - interval '2 days', now() + interval '1 hour'),
    '{}'::timestamptz[], '... nor inside the notice');
SELECT is((SELECT count(*)::int FROM app.available_slots(pg_temp.h(), 'quick',
	pg_temp.ceil15(now() + interval '1 day'), pg_temp.ceil15(now() + interval '1 day') + interval '2 hours') s),
    9, 'from and until are both included (a 2-hour window on the grid: 9 starts)');
SELECT is((SELECT array_agg(DISTINCT s.end_time - s.start_time)
	FROM app.available_slots(pg_temp.h(), 'quick', now(), now() + interval '2 days') s),
    ARRAY[interval '15 minutes'], 'each slot ends the event''s duration after its start');
SELECT is((SELECT array_agg(DISTINCT s.end_time - s.start_time)
	FROM app.available_slots(pg_temp.h(), 'intro', now(), now() + interval '2 days') s),
    ARRAY[interval '60 minutes'], '... 60 minutes for the 60-minute event');
SELECT ok((SELECT bool_and(s.start_time < lead) FROM (SELECT s.start_time,
	lead(s.start_time) OVER (ORDER BY s.start_time) FROM app.available_slots(pg_temp.h(), 'quick',
	now(), now() + interval '2 days') s) s), 'the starts come in order, each once');

\o /dev/null
SELECT pg_temp.act('A');
DELETE FROM public.scheduling_settings WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act(NULL);
\o
SELECT is((SELECT row(min(s.start_time), max(s.start_time))::text FROM app.available_slots(pg_temp.h(), 'quick',
	now() - interval '1 hour', now() + interval '61 days') s),
    row(pg_temp.ceil15(now()), pg_temp.floor15(now() + interval '60 days'))::text,
    'no scheduling settings: no notice, 15-minute interval, a 60-day window');
SELECT is((SELECT count(*)::int FROM app.available_slots(pg_temp.h(), 'intro',
	pg_temp.lt(pg_temp.fx('d')::date, '00:00'), pg_temp.lt(pg_temp.fx('d')::date, '23:59')) s),
    (extract(epoch FROM pg_temp.lt(pg_temp.fx('d')::date + 1, '00:00')
	- pg_temp.lt(pg_temp.fx('d')::date, '00:00'))::int - 3600) / 900 + 1,
    '... a 60-minute event every quarter hour of a whole day that fits in it');

\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.scheduling_settings (org_id, workos_user_id) VALUES (pg_temp.org('A'), pg_temp.uid('A'));
SELECT pg_temp.act(NULL);
\o

-- Meetings and buffers ---------------------------------------------------------

SELECT pg_temp.week('09:00', '12:00') \g /dev/null
SELECT pg_temp.settings(0, 0, 0, 30, 60) \g /dev/null
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:00', '09:30', '10:00', '10:30', '11:00'),
    '09:00-12:00 every 30 minutes, a 60-minute event: five starts, the last one ending at 12:00');
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id, guest_org_id,
    guest_email, guest_name, start_time, end_time, timezone)
VALUES (pg_temp.org('A'), pg_temp.fx('event_old.A')::uuid, pg_temp.uid('A'), pg_temp.uid('G'), pg_temp.org('G'),
    'g@guests.example.test', 'Guest G', pg_temp.lt(pg_temp.fx('d')::date, '10:30'),
    pg_temp.lt(pg_temp.fx('d')::date, '11:00'), 'Europe/Lisbon')
RETURNING id;
INSERT INTO fx SELECT 'meeting.d', id::text FROM public.meetings
WHERE workos_user_id = pg_temp.uid('A') AND start_time = pg_temp.lt(pg_temp.fx('d')::date, '10:30');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:00', '09:30', '11:00'),
    'a meeting 10:30-11:00 (of another event) takes the slots overlapping it; 09:30-10:30 and 11:00-12:00 touch it only');
-- Buffers protect every meeting, the booked one and the one being booked
-- (0009): between two meetings there must be the buffer, whichever was
-- booked first.
SELECT pg_temp.settings(15, 0, 0, 30, 60) \g /dev/null
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:00'),
    'a 15-minute buffer before each event: 11:00 starts too soon after the meeting, 09:30 ends inside the meeting''s own buffer');
SELECT pg_temp.settings(0, 15, 0, 30, 60) \g /dev/null
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:00'),
    'a 15-minute buffer after each event: 09:30 ends too close before the meeting, 11:00 starts inside the meeting''s own buffer');
SELECT pg_temp.settings(30, 0, 0, 30, 60) \g /dev/null
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:00'),
    'a 30-minute buffer before: 09:00, ending half an hour before the meeting, is still offered');
SELECT pg_temp.settings(45, 0, 0, 30, 60) \g /dev/null
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date), '{}'::timestamptz[],
    'a 45-minute buffer before: not even 09:00');
SELECT pg_temp.settings(15, 15, 0, 30, 60) \g /dev/null
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:00'), 'both buffers: only 09:00');
SELECT is(app.is_available_slot(pg_temp.h(), 'intro', pg_temp.lt(pg_temp.fx('d')::date, '09:00')), true,
    'is_available_slot: 09:00 is available');
SELECT is(app.is_available_slot(pg_temp.h(), 'intro', pg_temp.lt(pg_temp.fx('d')::date, '11:00')), false,
    '... 11:00 (buffered away) is not');
SELECT is(app.is_available_slot(pg_temp.h(), 'intro', pg_temp.lt(pg_temp.fx('d')::date, '09:05')), false,
    '... nor 09:05, off the grid');
\o /dev/null
SELECT pg_temp.act('A');
UPDATE public.meetings SET status = 'cancelled', cancelled_at = now() WHERE id = pg_temp.fx('meeting.d')::uuid;
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:00', '09:30', '10:00', '10:30', '11:00'),
    'the meeting cancelled: its time is free again, buffers and all');

-- Reservations -----------------------------------------------------------------

SELECT pg_temp.settings(0, 0, 0, 30, 60) \g /dev/null
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email, start_time, end_time, expires_at)
VALUES (pg_temp.org('A'), pg_temp.fx('event.A')::uuid, pg_temp.uid('A'), 'late@guests.example.test',
    pg_temp.lt(pg_temp.fx('d')::date, '11:00'), pg_temp.lt(pg_temp.fx('d')::date, '12:00'), now() - interval '1 second');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:00', '09:30', '10:00', '10:30', '11:00'),
    'an expired reservation 11:00-12:00 holds nothing');
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email, start_time, end_time, expires_at)
VALUES (pg_temp.org('A'), pg_temp.fx('event_old.A')::uuid, pg_temp.uid('A'), 'paying@guests.example.test',
    pg_temp.lt(pg_temp.fx('d')::date, '09:00'), pg_temp.lt(pg_temp.fx('d')::date, '09:30'), now() + interval '10 minutes');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date),
    pg_temp.at(pg_temp.fx('d')::date, '09:30', '10:00', '10:30', '11:00'),
    'an unexpired reservation 09:00-09:30 (of another event) holds the slot overlapping it');
SELECT is(app.is_available_slot(pg_temp.h(), 'intro', pg_temp.lt(pg_temp.fx('d')::date, '09:00')), false,
    'is_available_slot: the reserved 09:00 is not available');
SELECT is(ARRAY(SELECT s.start_time FROM app.available_slots(pg_temp.h(), 'intro',
	pg_temp.lt(pg_temp.fx('d')::date, '00:00'), pg_temp.lt(pg_temp.fx('d')::date, '23:59'),
	'Paying@Guests.Example.Test') s),
    pg_temp.at(pg_temp.fx('d')::date, '09:00', '09:30', '10:00', '10:30', '11:00'),
    '... but not for the guest it is held for (his e-mail in another case): he may book what he holds');
SELECT is(app.is_available_slot(pg_temp.h(), 'intro', pg_temp.lt(pg_temp.fx('d')::date, '09:00'),
	'paying@guests.example.test'), true,
    'is_available_slot: 09:00 is available to the guest who holds it');

-- Blocked dates ----------------------------------------------------------------

-- Every day 09:00-12:00 and 20:00-22:00 (local), hourly.  Blocked: day d in
-- Lisbon, and day d + 2 in Tokyo (UTC+9), which runs from 15:00 UTC on d + 1
-- to 15:00 UTC on d + 2: the evening of d + 1 and the morning of d + 2.
SELECT pg_temp.week('09:00', '12:00', '20:00', '22:00') \g /dev/null
SELECT pg_temp.settings(0, 0, 0, 60, 60) \g /dev/null
SELECT is(pg_temp.day('intro', pg_temp.fx('d')::date + 1),
    pg_temp.at(pg_temp.fx('d')::date + 1, '09:00', '10:00', '11:00', '20:00', '21:00'),
    'two ranges a day: 09:00, 10:00, 11:00, 20:00 and 21:00');
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.blocked_dates (org_id, workos_user_id, date, timezone) VALUES
    (pg_temp.org('A'), pg_temp.uid('A'), pg_temp.fx('d')::date, 'Europe/Lisbon'),
    (pg_temp.org('A'), pg_temp.uid('A'), pg_temp.fx('d')::date + 2, 'Asia/Tokyo');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.starts('intro', pg_temp.lt(pg_temp.fx('d')::date, '00:00'),
	pg_temp.lt(pg_temp.fx('d')::date + 3, '00:00')),
    pg_temp.at(pg_temp.fx('d')::date + 1, '09:00', '10:00', '11:00')
	|| pg_temp.at(pg_temp.fx('d')::date + 2, '20:00', '21:00'),
    'blocked dates: none on the Lisbon day d; the Tokyo day d + 2 takes the evening of d + 1 and the morning of d + 2');

-- A guest elsewhere -------------------------------------------------------------

SET LOCAL timezone = 'America/New_York';
SELECT is(pg_temp.starts('intro', pg_temp.lt(pg_temp.fx('d')::date + 1, '00:00'),
	pg_temp.lt(pg_temp.fx('d')::date + 1, '23:59')),
    pg_temp.at(pg_temp.fx('d')::date + 1, '09:00', '10:00', '11:00'),
    'a guest''s session in New York: the same instants (the expert''s week, not the guest''s)');
SET LOCAL timezone = 'UTC';

-- A guest in Tokyo (UTC+9, no daylight saving) asks for one day of his own,
-- as the booking page does (app/core/sql.c, booking_slots): from his local
-- midnight to just before the next, shown in his local time.  His day e
-- runs from 15:00 (16:00 in Lisbon's summer) the day before in Lisbon, so
-- it holds the expert's evening of e - 1 and his morning of e.  e is three
-- days after d, or four when a daylight-saving change falls between the
-- two (the expected local times assume one Lisbon offset for the day).
\o /dev/null
INSERT INTO fx SELECT 'tokyo', (pg_temp.fx('d')::date + CASE WHEN pg_temp.lt(pg_temp.fx('d')::date + 3, '12:00')
	- pg_temp.lt(pg_temp.fx('d')::date + 2, '12:00') = interval '24 hours' THEN 3 ELSE 4 END)::text;
\o
SELECT is(ARRAY(SELECT s.start_time FROM app.available_slots(pg_temp.h(), 'intro',
	pg_temp.fx('tokyo')::date::timestamp AT TIME ZONE 'Asia/Tokyo',
	(pg_temp.fx('tokyo')::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo' - interval '1 microsecond') s),
    pg_temp.at(pg_temp.fx('tokyo')::date - 1, '20:00', '21:00')
	|| pg_temp.at(pg_temp.fx('tokyo')::date, '09:00', '10:00', '11:00'),
    'a guest in Tokyo, his day e: the expert''s 20:00 and 21:00 of e - 1 and his 09:00, 10:00 and 11:00 of e');
SELECT is(ARRAY(SELECT to_char(s.start_time AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI')
	FROM app.available_slots(pg_temp.h(), 'intro',
	pg_temp.fx('tokyo')::date::timestamp AT TIME ZONE 'Asia/Tokyo',
	(pg_temp.fx('tokyo')::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo' - interval '1 microsecond') s),
    ARRAY(SELECT pg_temp.fx('tokyo') || ' ' || t FROM unnest(CASE
	WHEN pg_temp.lt(pg_temp.fx('tokyo')::date, '12:00') = (pg_temp.fx('tokyo')::date + time '11:00') AT TIME ZONE 'UTC'
	THEN ARRAY['04:00', '05:00', '17:00', '18:00', '19:00']
	ELSE ARRAY['05:00', '06:00', '18:00', '19:00', '20:00'] END) t),
    '... which are, on his day, 05:00, 06:00, 18:00, 19:00 and 20:00 his time (an hour earlier in Lisbon''s summer)');

-- Nothing to book --------------------------------------------------------------

SELECT is(pg_temp.starts('old', now(), now() + interval '60 days'), '{}'::timestamptz[],
    'an inactive event: no starts');
\o /dev/null
SELECT pg_temp.act('B');
INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
VALUES (pg_temp.org('B'), pg_temp.uid('B'), 'B only', 'b-only', 30);
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.starts('b-only', now(), now() + interval '60 days'), '{}'::timestamptz[],
    'another expert''s event under A''s handle: no starts');
SELECT is_empty($$SELECT * FROM app.available_slots('no-such-expert', 'intro', now(), now() + interval '60 days')$$,
    'an unknown handle: no starts');
SELECT is_empty($$SELECT * FROM app.available_slots(NULL, NULL, now(), now() + interval '60 days')$$,
    'a NULL handle and event: no starts');
\o /dev/null
SELECT pg_temp.act('A');
UPDATE public.profiles SET published = false WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.starts('intro', now(), now() + interval '60 days'), '{}'::timestamptz[],
    'A unpublished: no starts');
SELECT is(app.is_available_slot(pg_temp.h(), 'intro', pg_temp.lt(pg_temp.fx('d')::date + 1, '09:00')), false,
    '... and is_available_slot is false for a start that was available');
\o /dev/null
SELECT pg_temp.act('A');
UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('A');
UPDATE public.schedules SET timezone = 'Mars/Olympus' WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.starts('intro', now(), now() + interval '60 days'), '{}'::timestamptz[],
    'republished, but a schedule time zone PostgreSQL does not know: no starts');
\o /dev/null
SELECT pg_temp.act('A');
DELETE FROM public.schedules WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.starts('intro', now(), now() + interval '60 days'), '{}'::timestamptz[],
    'no schedule: no starts');

-- Invalid arguments ------------------------------------------------------------

SELECT throws_ok($$SELECT * FROM app.available_slots('x', 'y', NULL, now())$$, '22023', NULL,
    'a NULL from: 22023');
SELECT throws_ok($$SELECT * FROM app.available_slots('x', 'y', now(), NULL)$$, '22023', NULL,
    'a NULL until: 22023');
SELECT throws_ok($$SELECT * FROM app.available_slots('x', 'y', now(), now() - interval '1 second')$$, '22023', NULL,
    'until before from: 22023');
SELECT throws_ok($$SELECT * FROM app.available_slots('x', 'y', now(), now() + interval '62 days 1 second')$$,
    '22023', NULL, 'a span of more than 62 days: 22023');
SELECT lives_ok($$SELECT * FROM app.available_slots('x', 'y', now(), now() + interval '62 days')$$,
    '... exactly 62 days is allowed');
SELECT throws_ok($$SELECT * FROM app.available_slots('x', 'y', now(), 'infinity')$$, '22023', NULL,
    'an infinite until: 22023');
SELECT throws_ok($$SELECT app.is_available_slot('x', 'y', NULL)$$, '22023', NULL,
    'is_available_slot without a start: 22023');

SELECT * FROM finish();
ROLLBACK;
