-- 93_my_bookings: app.my_bookings() lists the meetings the transaction's
-- user booked as a guest, cancelled ones included, by start time, with the
-- event's name and duration and the expert's names and handle, which RLS
-- hides from guests while the expert's profile is unpublished (the profile's
-- names, else the users row's).  Nobody else's meetings, and none without
-- a user.
BEGIN;
SET search_path = public, tap;
SELECT plan(16);
\ir lib/world.sql

SELECT is((SELECT proargnames FROM pg_catalog.pg_proc WHERE oid = 'app.my_bookings()'::regprocedure),
    ARRAY['meeting_id', 'start_time', 'end_time', 'timezone', 'status', 'event_name',
    'duration_in_minutes', 'expert_first_name', 'expert_last_name', 'expert_handle']::text[],
    'my_bookings() returns the meeting, its event and its expert''s names, nothing of other guests');

-- The world's meetings: G booked A, H booked B. ----------------------------------

SELECT pg_temp.act('G');
SELECT results_eq('SELECT * FROM app.my_bookings()',
    format($$VALUES (%L::uuid, '2030-03-04 10:00Z'::timestamptz, '2030-03-04 11:00Z'::timestamptz,
	'Europe/Lisbon', 'confirmed', 'Introduction', 60, 'Expert', 'A', %L)$$,
	pg_temp.fx('meeting.A'), 'expert-a-' || pg_temp.fx('run')),
    'G: his meeting with A, the event and A''s profile names and handle');
SELECT is_empty(format('SELECT id FROM public.profiles WHERE workos_user_id = %L', pg_temp.uid('A')),
    '... which RLS does not let him read: A''s profile is unpublished');
SELECT is_empty(format('SELECT * FROM public.events WHERE id = %L', pg_temp.fx('event.A')),
    '... nor A''s event');
SELECT pg_temp.act('H');
SELECT results_eq('SELECT meeting_id, event_name, expert_last_name FROM app.my_bookings()',
    format($$VALUES (%L::uuid, 'Introduction', 'B')$$, pg_temp.fx('meeting.B')),
    'H: only his meeting with B');
SELECT pg_temp.act(NULL);
SELECT is_empty('SELECT * FROM app.my_bookings()', 'no user: no bookings');
SELECT pg_temp.enter('user_nobody', '') \g /dev/null
SELECT is_empty('SELECT * FROM app.my_bookings()', 'an unknown user: no bookings');
SELECT pg_temp.act('A');
SELECT is_empty('SELECT * FROM app.my_bookings()', 'A, the expert of G''s meeting, booked nothing as a guest');
SELECT pg_temp.act('M');
SELECT is_empty('SELECT * FROM app.my_bookings()', 'M (member of B''s organization) booked nothing');
SELECT pg_temp.act('D');
SELECT is_empty('SELECT * FROM app.my_bookings()', 'D (platform admin) booked nothing, and sees no one else''s');

-- More of G's bookings: with B, earlier; with A, in A's inactive event;
-- one with A cancelled. ---------------------------------------------------------

SELECT pg_temp.act('B');
WITH m AS (INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id, guest_org_id,
	guest_email, guest_name, start_time, end_time, timezone)
    VALUES (pg_temp.org('B'), pg_temp.fx('event.B')::uuid, pg_temp.uid('B'), pg_temp.uid('G'), pg_temp.org('G'),
	'g@guests.example.test', 'Guest G', '2030-03-02 09:00Z', '2030-03-02 10:00Z', 'UTC') RETURNING id)
INSERT INTO fx SELECT 'meeting.BG', id::text FROM m;
SELECT pg_temp.act('A');
WITH m AS (INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id, guest_org_id,
	guest_email, guest_name, start_time, end_time, timezone)
    VALUES (pg_temp.org('A'), pg_temp.fx('event_old.A')::uuid, pg_temp.uid('A'), pg_temp.uid('G'), pg_temp.org('G'),
	'g@guests.example.test', 'Guest G', '2030-03-06 09:00Z', '2030-03-06 09:30Z', 'Europe/Lisbon') RETURNING id)
INSERT INTO fx SELECT 'meeting.AG2', id::text FROM m;
WITH m AS (INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id, guest_org_id,
	guest_email, guest_name, start_time, end_time, timezone, status, cancelled_at)
    VALUES (pg_temp.org('A'), pg_temp.fx('event.A')::uuid, pg_temp.uid('A'), pg_temp.uid('G'), pg_temp.org('G'),
	'g@guests.example.test', 'Guest G', '2030-03-01 09:00Z', '2030-03-01 10:00Z', 'UTC', 'cancelled', now())
    RETURNING id)
INSERT INTO fx SELECT 'meeting.AG3', id::text FROM m;

SELECT pg_temp.act('G');
SELECT results_eq($$SELECT meeting_id, start_time, status, event_name, duration_in_minutes, expert_last_name
	FROM app.my_bookings()$$,
    format($$VALUES (%L::uuid, '2030-03-01 09:00Z'::timestamptz, 'cancelled', 'Introduction', 60, 'A'),
	(%L::uuid, '2030-03-02 09:00Z'::timestamptz, 'confirmed', 'Introduction', 60, 'B'),
	(%L::uuid, '2030-03-04 10:00Z'::timestamptz, 'confirmed', 'Introduction', 60, 'A'),
	(%L::uuid, '2030-03-06 09:00Z'::timestamptz, 'confirmed', 'Old format', 30, 'A')$$,
	pg_temp.fx('meeting.AG3'), pg_temp.fx('meeting.BG'), pg_temp.fx('meeting.A'), pg_temp.fx('meeting.AG2')),
    'G: his four bookings with A and B by start time, the cancelled one and the inactive event''s included');
SELECT pg_temp.act('H');
SELECT is((SELECT count(*)::int FROM app.my_bookings()), 1, 'H still sees only his own');

-- Without a profile, the users row's names.
SELECT pg_temp.act('B');
SELECT is(pg_temp.rows($$DELETE FROM public.profiles WHERE workos_user_id = pg_temp.uid('B')$$), 1::bigint,
    'B deletes his profile');
SELECT pg_temp.act('G');
SELECT results_eq(format($$SELECT expert_first_name, expert_last_name, expert_handle FROM app.my_bookings()
	WHERE meeting_id = %L$$, pg_temp.fx('meeting.BG')), $$VALUES ('Bruno', 'Brito', NULL::text)$$,
    'G''s booking with B: B''s names from his users row, no handle');

-- A published profile: the same names.
SELECT pg_temp.act('A');
-- Only an expert whose setup is complete publishes (sql/0012_identity.sql).
SELECT pg_temp.complete_setup('A');
UPDATE public.profiles SET published = true, first_name = 'Ana', last_name = 'Alves'
WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act('G');
SELECT results_eq(format($$SELECT expert_first_name, expert_last_name, expert_handle FROM app.my_bookings()
	WHERE meeting_id = %L$$, pg_temp.fx('meeting.A')), format($$VALUES ('Ana', 'Alves', %L)$$,
	'expert-a-' || pg_temp.fx('run')), 'once A''s profile is published and renamed: its new names');
SELECT is((SELECT count(*)::int FROM app.my_bookings()), 4, '... and G still has his four bookings');

SELECT * FROM finish();
ROLLBACK;
