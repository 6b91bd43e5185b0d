-- 96_booking: what a guest without a user finds and does on a published
-- expert's booking page: app.public_schedule(handle), app.slot_state(handle,
-- event, start, e-mail, form token) and app.book_meeting(...), the only way
-- such a guest books (RLS refuses him the meetings table).  Expert A publishes his
-- profile with a schedule in UTC open 00:00-24:00 every day; every start is
-- 12:00 UTC some days after today's UTC date, so no daylight-saving change
-- or day boundary comes near it and the tests pass on any date and at any
-- time (now() decides what is bookable).  Guests Q, W, K, C and T are new:
-- the booking registers them, with the run's WorkOS-style ids.  The
-- refused attempts are W's (every one of hers is refused) and those of
-- guests named Nora with e-mails no.*, so that the last checks can show
-- that none of them left a meeting or a user.
BEGIN;
SET search_path = public, tap;
SELECT plan(113);
\ir lib/world.sql
\o /dev/null

SET LOCAL timezone = 'UTC';

CREATE FUNCTION pg_temp.h() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT 'expert-a-' || pg_temp.fx('run') $$;

-- 12:00 UTC n days after today (in UTC).
CREATE FUNCTION pg_temp.noon(n int) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT ((now() AT TIME ZONE 'UTC')::date + n + time '12:00') AT TIME ZONE 'UTC'
$$;
-- The next quarter hour at or after t.
CREATE FUNCTION pg_temp.ceil15(t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
	SELECT date_bin('15 minutes', t + interval '15 minutes' - interval '1 microsecond', '2000-01-01 00:00Z')
$$;

-- The booking form's token a guest's browser sends (the CSRF token): here
-- one per e-mail address, so that a guest's repeats carry the same one.
CREATE FUNCTION pg_temp.key(email text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'form-token-' || md5(lower(email)) $$;
-- What a guest with this e-mail would find at a start of A's event, from
-- the form with the given token (default: the e-mail's).
CREATE FUNCTION pg_temp.state(slug text, t timestamptz, email text, key text DEFAULT NULL) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT app.slot_state(pg_temp.h(), slug, t, email, coalesce(key, pg_temp.key(email)))
$$;
-- Someone who has nothing booked nor held.
CREATE FUNCTION pg_temp.anyone() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT 'someone.' || pg_temp.fx('run') || '@guests.example.test' $$;

-- A booking of A's event as SQL text, for throws_ok and results_eq.
-- pending: what the app says (the WorkOS user existed before).
CREATE FUNCTION pg_temp.booking(slug text, t timestamptz, guest text, guest_org text,
    email text, name text, tz text, notes text, key text DEFAULT NULL,
    pending boolean DEFAULT false) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format('SELECT * FROM app.book_meeting(%L, %L, %L, %L, %L, %L, %L, %L, %L, %L, %L)',
	    pg_temp.h(), slug, t, guest, guest_org, email, name, tz, notes,
	    coalesce(key, pg_temp.key(email)), pending)
$$;
-- A booking by guest who (Q, W ...: his fixtures e-mail.<who> and name.<who>).
CREATE FUNCTION pg_temp.booking(who text, t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT pg_temp.booking('intro', t, pg_temp.uid(who), 'org_' || who || pg_temp.fx('run'),
	    pg_temp.fx('email.' || who), pg_temp.fx('name.' || who), 'Europe/Lisbon', NULL)
$$;
-- A booking by a guest who is to be refused: Nora <tag>, no.<tag>...@.
CREATE FUNCTION pg_temp.nora(slug text, t timestamptz, tag text, email text DEFAULT NULL,
    name text DEFAULT NULL, tz text DEFAULT 'Europe/Lisbon', notes text DEFAULT NULL,
    key text DEFAULT NULL) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT pg_temp.booking(slug, t, 'user_no' || tag || pg_temp.fx('run'),
	    'org_no' || tag || pg_temp.fx('run'),
	    coalesce(email, 'no.' || tag || '.' || pg_temp.fx('run') || '@guests.example.test'),
	    coalesce(name, 'Nora ' || tag), tz, notes, key)
$$;
-- Run a booking (SQL text), keeping the booking's id (a meeting's, or a
-- pending booking's), whether it was created and whether it is pending as
-- fixtures meeting.<key>, created.<key> and pending.<key> (the latest's).
CREATE FUNCTION pg_temp.book(key text, q text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	EXECUTE q INTO STRICT r;
	INSERT INTO fx VALUES ('meeting.' || key, r.booking_id::text), ('created.' || key, r.created::text),
	    ('pending.' || key, r.pending::text)
	ON CONFLICT (k) DO UPDATE SET v = excluded.v;
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
-- As A: the number of his meetings (not cancelled) at a start.
CREATE FUNCTION pg_temp.meetings_at(t timestamptz) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	n int;
BEGIN
	PERFORM pg_temp.act('A');
	SELECT count(*) INTO n FROM public.meetings
	WHERE workos_user_id = pg_temp.uid('A') AND start_time = t AND status <> 'cancelled';
	PERFORM pg_temp.act(NULL);
	RETURN n;
END
$$;

-- The new guests: WorkOS user ids (fixtures user.<who>), e-mails, names.
INSERT INTO fx
SELECT k || '.' || w, v
FROM (VALUES ('Q', 'Quinn.Quental', 'Quinn Quental'), ('W', 'wanda.wells', 'Wanda Wells'),
	('K', 'kim.keel', 'Kim Keel'), ('C', 'carla.cruz', 'Carla Cruz'), ('T', 'tiago.teles', 'Tiago Teles')) g (w, mail, name),
    LATERAL (VALUES ('user', 'user_' || w || pg_temp.fx('run')),
	('email', mail || '.' || pg_temp.fx('run') || '@Guests.Example.TEST'), ('name', name)) f (k, v);

-- A publishes his profile; his schedule is in UTC, open all day every day.
-- The world's blocked date, reservation and meeting of A (in 2030) go, so
-- that no run's date can meet them; a 15-minute event joins 'intro' (60).
SELECT pg_temp.act('A');
-- Only an expert whose setup is complete publishes (sql/0012_identity.sql).
SELECT pg_temp.complete_setup('A');
UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('A');
UPDATE public.schedules SET timezone = 'UTC' WHERE workos_user_id = pg_temp.uid('A');
DELETE FROM public.schedule_availabilities WHERE schedule_id = pg_temp.fx('schedule.A')::uuid;
INSERT INTO public.schedule_availabilities (org_id, schedule_id, day_of_week, start_time, end_time)
SELECT pg_temp.org('A'), pg_temp.fx('schedule.A')::uuid, d, '00:00', '24:00'
FROM unnest(enum_range(NULL::public.day)) d;
DELETE FROM public.blocked_dates WHERE workos_user_id = pg_temp.uid('A');
DELETE FROM public.slot_reservations WHERE workos_user_id = pg_temp.uid('A');
UPDATE public.meetings SET status = 'cancelled', cancelled_at = now() WHERE workos_user_id = pg_temp.uid('A');
INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
VALUES (pg_temp.org('A'), pg_temp.uid('A'), 'Quick call', 'quick', 15);
SELECT pg_temp.act(NULL);
-- No buffers, 120 minutes' notice, every quarter hour, 30 days ahead.
SELECT pg_temp.settings(0, 0, 120, 15, 30);
\o

-- app.public_schedule ------------------------------------------------------------

SELECT results_eq(format('SELECT * FROM app.public_schedule(%L)', pg_temp.h()),
    $$VALUES ('UTC', 30)$$, 'A published: his schedule''s time zone and his 30-day booking window');
SELECT is_empty(format('SELECT * FROM app.public_schedule(%L)', 'expert-b-' || pg_temp.fx('run')),
    'B, with a schedule and settings but unpublished: no row');
SELECT is_empty($$SELECT * FROM app.public_schedule('no-such-expert')$$, 'an unknown handle: no row');
\o /dev/null
SELECT pg_temp.act('A');
DELETE FROM public.scheduling_settings WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act(NULL);
\o
SELECT results_eq(format('SELECT * FROM app.public_schedule(%L)', pg_temp.h()),
    $$VALUES ('UTC', 60)$$, 'A without a settings row: the default window, 60 days');
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.scheduling_settings (org_id, workos_user_id) VALUES (pg_temp.org('A'), pg_temp.uid('A'));
SELECT pg_temp.act(NULL);
SELECT pg_temp.settings(0, 0, 120, 15, 30);
\o

-- app.slot_state: available, unavailable -------------------------------------------

SELECT is(pg_temp.state('intro', pg_temp.noon(3), pg_temp.anyone()), 'available',
    'noon three days ahead, on the grid: available');
SELECT is(pg_temp.state('intro', pg_temp.noon(3) + interval '5 minutes', pg_temp.anyone()), 'unavailable',
    '5 minutes past it, off the 15-minute grid: unavailable');
SELECT is(pg_temp.state('intro', pg_temp.noon(-1), pg_temp.anyone()), 'unavailable',
    'noon yesterday, in the past: unavailable');
SELECT is(pg_temp.state('quick', pg_temp.ceil15(now() + interval '60 minutes'), pg_temp.anyone()), 'unavailable',
    'the quarter hour an hour from now, inside the 120 minutes'' notice: unavailable');
SELECT pg_temp.settings(0, 0, 0, 15, 30) \g /dev/null
SELECT is(pg_temp.state('quick', pg_temp.ceil15(now() + interval '60 minutes'), pg_temp.anyone()), 'available',
    '... available once the expert asks for no notice');
SELECT pg_temp.settings(0, 0, 120, 15, 30) \g /dev/null
SELECT is(pg_temp.state('intro', pg_temp.noon(29), pg_temp.anyone()), 'available',
    'noon 29 days ahead, inside the 30-day window: available');
SELECT is(pg_temp.state('intro', pg_temp.noon(31), pg_temp.anyone()), 'unavailable',
    'noon 31 days ahead, beyond it: unavailable');
SELECT is(pg_temp.state('intro', pg_temp.noon(5), pg_temp.anyone()), 'available',
    'noon five days ahead: available');
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.blocked_dates (org_id, workos_user_id, date, timezone)
VALUES (pg_temp.org('A'), pg_temp.uid('A'), (now() AT TIME ZONE 'UTC')::date + 5, 'UTC');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.state('intro', pg_temp.noon(5), pg_temp.anyone()), 'unavailable',
    '... unavailable once the expert blocks that day');
SELECT is(pg_temp.state('nope', pg_temp.noon(3), pg_temp.anyone()), 'unavailable',
    'an unknown event: unavailable');
SELECT is(pg_temp.state('old', pg_temp.noon(3), pg_temp.anyone()), 'unavailable',
    'A''s inactive 30-minute event at a start on its grid: unavailable');
SELECT is(app.slot_state('no-such-expert', 'intro', pg_temp.noon(3), pg_temp.anyone(), NULL), 'unavailable',
    'an unknown handle: unavailable');
SELECT is(app.slot_state(pg_temp.h(), 'intro', NULL, pg_temp.anyone(), NULL), 'unavailable',
    'no start: unavailable');
\o /dev/null
SELECT pg_temp.act('A');
UPDATE public.profiles SET published = false WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.state('intro', pg_temp.noon(3), pg_temp.anyone()), 'unavailable',
    'A unpublished: the start that was available is unavailable');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(3), 'unpub'), 'ELNEV', NULL,
    '... and booking it is refused: ELNEV');
\o /dev/null
SELECT pg_temp.act('A');
UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid('A');
SELECT pg_temp.act(NULL);
\o

-- app.book_meeting: a booking ---------------------------------------------------------

-- Q books, as a guest without a user, with his e-mail in mixed case, his
-- name with spaces around it, a time zone of his own and notes.
SELECT pg_temp.book('Q', pg_temp.booking('intro', pg_temp.noon(3), pg_temp.uid('Q'),
    'org_Q' || pg_temp.fx('run'), pg_temp.fx('email.Q'), '  Quinn Quental  ', 'Asia/Tokyo',
    E'  Knee pain\nsince May  ')) \g /dev/null
SELECT is(pg_temp.fx('created.Q'), 'true', 'Q books noon three days ahead: a meeting created');
SELECT pg_temp.act('A') \g /dev/null
SELECT results_eq(format($$SELECT org_id, workos_user_id, guest_workos_user_id, guest_email, guest_name,
	guest_notes, timezone, start_time, end_time, status FROM public.meetings WHERE id = %L$$,
	pg_temp.fx('meeting.Q')),
    format($$VALUES (%L::uuid, %L, %L, %L, 'Quinn Quental', E'Knee pain\nsince May', 'Asia/Tokyo',
	%L::timestamptz, %L::timestamptz, 'confirmed')$$, pg_temp.org('A'), pg_temp.uid('A'), pg_temp.uid('Q'),
	lower(pg_temp.fx('email.Q')), pg_temp.noon(3), pg_temp.noon(3) + interval '60 minutes'),
    'the meeting, read by A: in his organization, with him, for Q, Q''s e-mail lower-cased, his name trimmed, '
    'his time zone and notes, ending 60 minutes after the start');
INSERT INTO fx SELECT 'org.Q', guest_org_id::text FROM public.meetings WHERE id = pg_temp.fx('meeting.Q')::uuid;
SELECT pg_temp.act('Q') \g /dev/null
SELECT results_eq(format('SELECT slug, name, type, workos_org_id FROM public.organizations WHERE id = %L',
	pg_temp.org('Q')),
    format($$VALUES (%L, 'Quinn Quental''s Account', 'patient_personal', %L)$$,
	'user-' || pg_temp.uid('Q'), 'org_Q' || pg_temp.fx('run')),
    'its guest organization is Q''s new personal one, "Quinn Quental''s Account", with his WorkOS organization id');
SELECT results_eq(format('SELECT role, email, first_name FROM public.users WHERE workos_user_id = %L',
	pg_temp.uid('Q')),
    format($$VALUES ('user', %L, 'Quinn Quental')$$, lower(pg_temp.fx('email.Q'))),
    'Q is a user now (role user, his e-mail lower-cased)');
SELECT results_eq(format('SELECT org_id, role, status FROM public.user_org_memberships WHERE workos_user_id = %L',
	pg_temp.uid('Q')),
    format($$VALUES (%L::uuid, 'owner', 'active')$$, pg_temp.org('Q')),
    '... the owner of his organization, and a member of no other');
SELECT results_eq(format($$SELECT workos_user_id, resource_type, resource_id FROM public.audit_logs
	WHERE org_id = %L AND action = 'GUEST_REGISTERED'$$, pg_temp.org('Q')),
    format($$VALUES (%L, 'user', %L)$$, pg_temp.uid('Q'), pg_temp.uid('Q')),
    'audited in his organization: GUEST_REGISTERED');
SELECT pg_temp.act('A') \g /dev/null
SELECT results_eq(format($$SELECT workos_user_id, resource_type, resource_id FROM public.audit_logs
	WHERE org_id = %L AND action = 'APPOINTMENT_CREATED'$$, pg_temp.org('A')),
    format($$VALUES (%L, 'meeting', %L)$$, pg_temp.uid('Q'), pg_temp.fx('meeting.Q')),
    'audited in A''s organization, in Q''s name: APPOINTMENT_CREATED');
SELECT pg_temp.act(NULL) \g /dev/null

SELECT is(pg_temp.state('intro', pg_temp.noon(3), upper(pg_temp.fx('email.Q'))), 'mine',
    'slot_state for Q''s e-mail (in another case): mine');
SELECT is(pg_temp.state('intro', pg_temp.noon(3), pg_temp.anyone()), 'booked',
    '... for anyone else: booked');
SELECT is(pg_temp.state('intro', pg_temp.noon(3), pg_temp.fx('email.Q'), pg_temp.key('someone else')), 'booked',
    '... and for Q''s e-mail from another form (someone typing her address): booked, nothing told');
SELECT throws_ok(pg_temp.booking('intro', pg_temp.noon(3), pg_temp.uid('Q'), 'org_Q' || pg_temp.fx('run'),
	pg_temp.fx('email.Q'), 'Quinn Quental', 'Europe/Lisbon', NULL, pg_temp.key('someone else')), '23P01', NULL,
    '... booking it so: 23P01, as for anyone else (not her meeting back)');
SELECT results_eq(pg_temp.booking('intro', pg_temp.noon(3), pg_temp.uid('Q'),
	'org_Q' || pg_temp.fx('run'), pg_temp.fx('email.Q'), '  Quinn Quental  ', 'Asia/Tokyo',
	E'  Knee pain\nsince May  '),
    format($$VALUES (%L::uuid, false, false, NULL::int)$$, pg_temp.fx('meeting.Q')),
    'Q books the same again (a second submission): the same meeting, not created now, not pending');
SELECT is(pg_temp.meetings_at(pg_temp.noon(3)), 1, '... no second meeting');
SELECT pg_temp.act('Q') \g /dev/null
SELECT is((SELECT count(*)::int FROM public.audit_logs WHERE org_id = pg_temp.org('Q') AND action = 'GUEST_REGISTERED'),
    1, '... no second GUEST_REGISTERED');
SELECT pg_temp.act('A') \g /dev/null
SELECT is((SELECT count(*)::int FROM public.audit_logs WHERE org_id = pg_temp.org('A') AND action = 'APPOINTMENT_CREATED'),
    1, '... no second APPOINTMENT_CREATED');
SELECT pg_temp.act(NULL) \g /dev/null

SELECT throws_ok(pg_temp.booking('W', pg_temp.noon(3)), '23P01', NULL,
    'W books Q''s start: 23P01');
SELECT throws_ok(pg_temp.booking('W', pg_temp.noon(3) + interval '30 minutes'), '23P01', NULL,
    'W books half an hour later, overlapping Q''s meeting: 23P01');

-- Buffers ------------------------------------------------------------------------------

SELECT is(pg_temp.state('intro', pg_temp.noon(3) + interval '1 hour', pg_temp.anyone()), 'available',
    'no buffers: the hour right after Q''s meeting (touching it) is available');
SELECT is(pg_temp.state('intro', pg_temp.noon(3) - interval '1 hour', pg_temp.anyone()), 'available',
    '... and the hour right before it');
SELECT pg_temp.settings(15, 0, 120, 15, 30) \g /dev/null
SELECT is(pg_temp.state('intro', pg_temp.noon(3) + interval '1 hour', pg_temp.anyone()), 'booked',
    'a 15-minute buffer before each event: the hour after Q''s meeting is booked');
SELECT throws_ok(pg_temp.booking('W', pg_temp.noon(3) + interval '1 hour'), '23P01', NULL,
    '... and W booking it: 23P01');
SELECT is(pg_temp.state('intro', pg_temp.noon(3) - interval '1 hour', pg_temp.anyone()), 'booked',
    '... and the hour before it, which would end inside Q''s meeting''s own buffer');
SELECT pg_temp.settings(0, 15, 120, 15, 30) \g /dev/null
SELECT is(pg_temp.state('intro', pg_temp.noon(3) - interval '1 hour', pg_temp.anyone()), 'booked',
    'a 15-minute buffer after each event: the hour before Q''s meeting is booked');
SELECT is(pg_temp.state('intro', pg_temp.noon(3) + interval '1 hour', pg_temp.anyone()), 'booked',
    '... and the hour after it, starting inside Q''s meeting''s own buffer');
SELECT is(pg_temp.state('intro', pg_temp.noon(3) + interval '75 minutes', pg_temp.anyone()), 'available',
    '... but a quarter of an hour later is clear of it');
SELECT pg_temp.settings(0, 0, 120, 15, 30) \g /dev/null

-- Reservations -------------------------------------------------------------------------

-- K holds noon four days ahead (paying, say); someone's hold of 15:00 that
-- day expired a second ago.
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email, start_time, end_time, expires_at)
VALUES (pg_temp.org('A'), pg_temp.fx('event.A')::uuid, pg_temp.uid('A'), lower(pg_temp.fx('email.K')),
	pg_temp.noon(4), pg_temp.noon(4) + interval '1 hour', now() + interval '10 minutes'),
    (pg_temp.org('A'), pg_temp.fx('event.A')::uuid, pg_temp.uid('A'), 'late.' || pg_temp.fx('run') || '@guests.example.test',
	pg_temp.noon(4) + interval '3 hours', pg_temp.noon(4) + interval '4 hours', now() - interval '1 second');
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.state('intro', pg_temp.noon(4), pg_temp.anyone()), 'reserved',
    'K''s unexpired reservation: reserved for anyone else');
SELECT is(pg_temp.state('quick', pg_temp.noon(4) + interval '45 minutes', pg_temp.anyone()), 'reserved',
    '... also a start of another event inside it');
SELECT is(pg_temp.state('intro', pg_temp.noon(4), pg_temp.fx('email.K')), 'available',
    '... available for K himself (his e-mail in another case)');
SELECT is(pg_temp.state('intro', pg_temp.noon(4) + interval '3 hours', pg_temp.anyone()), 'available',
    'an expired reservation holds nothing: available');
SELECT throws_ok(pg_temp.booking('W', pg_temp.noon(4)), 'ELRSV', NULL,
    'W books K''s reserved start: ELRSV');
SELECT pg_temp.book('K', pg_temp.booking('K', pg_temp.noon(4))) \g /dev/null
SELECT is(pg_temp.fx('created.K'), 'true', 'K books the start he holds: created');
SELECT is(pg_temp.state('intro', pg_temp.noon(4), pg_temp.anyone()), 'booked',
    '... now booked for anyone else');

-- Cancellation --------------------------------------------------------------------------

SELECT pg_temp.book('C', pg_temp.booking('C', pg_temp.noon(6))) \g /dev/null
INSERT INTO fx VALUES ('meeting.C1', pg_temp.fx('meeting.C')) \g /dev/null
SELECT is(pg_temp.state('intro', pg_temp.noon(6), pg_temp.fx('email.C')), 'mine',
    'C books noon six days ahead: mine for her');
\o /dev/null
SELECT pg_temp.act('A');
UPDATE public.meetings SET status = 'cancelled', cancelled_at = now() WHERE id = pg_temp.fx('meeting.C1')::uuid;
SELECT pg_temp.act(NULL);
\o
SELECT is(pg_temp.state('intro', pg_temp.noon(6), pg_temp.anyone()), 'available',
    'her meeting cancelled: the start is available again');
SELECT is(pg_temp.state('intro', pg_temp.noon(6), pg_temp.fx('email.C')), 'available',
    '... and no longer hers: available to her too');
-- C has an account now: she books again signed in (as herself).
SELECT pg_temp.act('A') \g /dev/null
INSERT INTO fx SELECT 'org.C', guest_org_id::text FROM public.meetings WHERE id = pg_temp.fx('meeting.C1')::uuid;
SELECT pg_temp.act('C') \g /dev/null
SELECT pg_temp.book('C', pg_temp.booking('C', pg_temp.noon(6))) \g /dev/null
SELECT pg_temp.act(NULL) \g /dev/null
SELECT ok(pg_temp.fx('created.C')::boolean AND NOT pg_temp.fx('pending.C')::boolean
    AND pg_temp.fx('meeting.C') <> pg_temp.fx('meeting.C1'),
    'C books it again, signed in: a new meeting, created now');

-- Pending bookings (issue 13, finding 8) ---------------------------------------------------

-- A stranger types Q's address (Q has an account): whatever the app says,
-- the booking is held pending Q's sign-in, from the stranger's form.
SELECT pg_temp.book('P', pg_temp.booking('intro', pg_temp.noon(14), pg_temp.uid('Q'), 'org_Q' || pg_temp.fx('run'),
    pg_temp.fx('email.Q'), 'Mallory', 'Europe/Lisbon', 'not Q', 'stranger-form-token-0123456789abcdef', false)) \g /dev/null
SELECT ok(pg_temp.fx('created.P')::boolean AND pg_temp.fx('pending.P')::boolean,
    'a booking in the name of an existing account, the app saying "new": pending (the database knows the user)');
SELECT is(pg_temp.rows(format('SELECT 1 FROM public.meetings WHERE start_time = %L', pg_temp.noon(14))), 0::bigint,
    '... no meeting made');
SELECT is(pg_temp.state('intro', pg_temp.noon(14), pg_temp.anyone()), 'reserved',
    '... the start held: reserved for anyone else');
SELECT pg_temp.book('P2', pg_temp.booking('intro', pg_temp.noon(14), pg_temp.uid('Q'), 'org_Q' || pg_temp.fx('run'),
    pg_temp.fx('email.Q'), 'Mallory', 'Europe/Lisbon', 'not Q', 'stranger-form-token-0123456789abcdef', true)) \g /dev/null
SELECT ok(pg_temp.fx('meeting.P2') = pg_temp.fx('meeting.P') AND NOT pg_temp.fx('created.P2')::boolean
    AND pg_temp.fx('pending.P2')::boolean, '... the same form again: the same pending booking');
CREATE FUNCTION pg_temp.confirm(key text) RETURNS text
LANGUAGE sql AS $$ SELECT format('SELECT app.confirm_booking(%L, %L)', pg_temp.fx('meeting.P'), key) $$;
SELECT throws_ok(pg_temp.confirm('stranger-form-token-0123456789abcdef'), '42501', NULL,
    'confirming it signed in as nobody: 42501');
SELECT pg_temp.act('C') \g /dev/null
SELECT throws_ok(pg_temp.confirm('stranger-form-token-0123456789abcdef'), 'ELEXP', NULL,
    '... as another user (C), with the form''s token: ELEXP');
SELECT pg_temp.act('Q') \g /dev/null
SELECT throws_ok(pg_temp.confirm(pg_temp.key(pg_temp.fx('email.Q'))), 'ELEXP', NULL,
    '... as Q, from another form (his own token): ELEXP');
SELECT ok(pg_temp.rows(pg_temp.confirm('stranger-form-token-0123456789abcdef')) = 1,
    '... as Q, from the form that made it: confirmed');
SELECT results_eq(format($$SELECT guest_workos_user_id, guest_org_id, guest_name, guest_notes, status
	FROM public.meetings WHERE start_time = %L$$, pg_temp.noon(14)),
    format($$VALUES (%L, %L::uuid, 'Mallory', 'not Q', 'confirmed')$$, pg_temp.uid('Q'), pg_temp.org('Q')),
    '... the meeting, Q''s, in his organization, as the form gave it');
SELECT pg_temp.act('A') \g /dev/null
SELECT is(pg_temp.rows(format('SELECT 1 FROM public.audit_logs WHERE action = %L AND workos_user_id = %L
	AND (new_values->>''start_time'')::timestamptz = %L', 'APPOINTMENT_CREATED', pg_temp.uid('Q'), pg_temp.noon(14))),
    1::bigint, '... audited APPOINTMENT_CREATED (in A''s organization)');
SELECT pg_temp.act('Q') \g /dev/null
SELECT throws_ok(pg_temp.confirm('stranger-form-token-0123456789abcdef'), 'ELEXP', NULL,
    '... once: confirming it again is ELEXP');
-- Signed in as Q, his own address books at once.
SELECT pg_temp.book('Q10', pg_temp.booking('intro', pg_temp.noon(15), pg_temp.uid('Q'), 'org_Q' || pg_temp.fx('run'),
    pg_temp.fx('email.Q'), 'Quinn Quental', 'Europe/Lisbon', NULL, NULL, true)) \g /dev/null
SELECT ok(pg_temp.fx('created.Q10')::boolean AND NOT pg_temp.fx('pending.Q10')::boolean,
    'Q, signed in, books with his own address: a meeting at once');
-- A hold that ran out confirms nothing.
SELECT pg_temp.act(NULL) \g /dev/null
SELECT pg_temp.book('P', pg_temp.booking('intro', pg_temp.noon(16), pg_temp.uid('Q'), 'org_Q' || pg_temp.fx('run'),
    pg_temp.fx('email.Q'), 'Mallory', 'Europe/Lisbon', NULL, 'stranger-form-token-0123456789abcdef', true)) \g /dev/null
SELECT pg_temp.act('A') \g /dev/null
SELECT is(pg_temp.rows(format($$UPDATE public.slot_reservations SET expires_at = now() - interval '1 second'
	WHERE id = %L$$, pg_temp.fx('meeting.P'))), 1::bigint, 'another pending booking of Q''s runs out');
SELECT pg_temp.act('Q') \g /dev/null
SELECT throws_ok(pg_temp.confirm('stranger-form-token-0123456789abcdef'), 'ELEXP', NULL,
    '... confirming it then: ELEXP');
SELECT pg_temp.act(NULL) \g /dev/null
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(17), 'script', E'\u0430dmin.' || pg_temp.fx('run') || '@guests.example.test'),
    '22023', NULL, 'an address mixing scripts ("аdmin" with a Cyrillic а): 22023');
SELECT ok(app.single_script(E'\u0438\u0432\u0430\u043d@mail.ru') AND NOT app.single_script(E'admin@\u0435leva.test'),
    'app.single_script: a Cyrillic local part with a Latin domain is fine, a Cyrillic е in a Latin label is not');

-- Rate limits (issue 13, finding 8) -------------------------------------------------------

SELECT is(ARRAY[app.rate_take('test:a:' || pg_temp.fx('run'), 3, 60), app.rate_take('test:a:' || pg_temp.fx('run'), 3, 60),
    app.rate_take('test:a:' || pg_temp.fx('run'), 3, 60)], ARRAY[0, 0, 0], 'app.rate_take: three attempts of three: 0 each');
SELECT ok(app.rate_take('test:a:' || pg_temp.fx('run'), 3, 60) BETWEEN 1 AND 60,
    '... the fourth: refused, the seconds until the window ends');
SELECT is(app.rate_take('test:b:' || pg_temp.fx('run'), 3, 60), 0, '... another key counts apart');
SELECT throws_ok($$SELECT app.rate_take('test:c', 0, 60)$$, '22023', NULL, '... a limit of 0 is refused');
SELECT throws_ok($$SELECT * FROM public.rate_limits$$, '42501', NULL,
    '... and the app role cannot read (nor reset) the counters');

-- Refusals ------------------------------------------------------------------------------

-- Noon a week ahead is free: each refusal below is for its input alone.
SELECT is(pg_temp.state('intro', pg_temp.noon(7), pg_temp.anyone()), 'available',
    'noon seven days ahead: available');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7) + interval '5 minutes', 'grid'), 'ELNAV', NULL,
    'a start off the grid: ELNAV');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(-1), 'past'), 'ELNAV', NULL,
    'a start in the past: ELNAV');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(5), 'blocked'), 'ELNAV', NULL,
    'a start on a blocked day: ELNAV');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(31), 'far'), 'ELNAV', NULL,
    'a start beyond the booking window: ELNAV');
SELECT throws_ok(pg_temp.nora('nope', pg_temp.noon(7), 'unknown'), 'ELNEV', NULL,
    'an unknown event: ELNEV');
SELECT throws_ok(pg_temp.nora('old', pg_temp.noon(7), 'inactive'), 'ELNEV', NULL,
    'an inactive event: ELNEV');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'tz', tz => 'Mars/Olympus'), '22023', NULL,
    'a time zone PostgreSQL does not know: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'long', notes => repeat('x', 2001)), '22023', NULL,
    'notes of 2001 characters: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'bell', notes => E'Ring twice\x07'), '22023', NULL,
    'notes with a control character: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'blank', name => '   '), '22023', NULL,
    'a blank name: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'longname', name => repeat('n', 101)), '22023', NULL,
    'a name of 101 characters: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'mail',
	email => 'no.mail.' || pg_temp.fx('run') || '.guests.example.test'), '22023', NULL,
    'an e-mail address without an @: 22023');
SELECT throws_ok(pg_temp.booking('intro', pg_temp.noon(7), 'usr_no' || pg_temp.fx('run'),
	'org_noid' || pg_temp.fx('run'), 'no.id.' || pg_temp.fx('run') || '@guests.example.test', 'Nora id',
	'Europe/Lisbon', NULL), '22023', NULL,
    'a malformed WorkOS user id: 22023');
SELECT throws_ok(pg_temp.booking('intro', pg_temp.noon(7), 'user_noorg' || pg_temp.fx('run'),
	'org_no org', 'no.org.' || pg_temp.fx('run') || '@guests.example.test', 'Nora org',
	'Europe/Lisbon', NULL), '22023', NULL,
    'a malformed WorkOS organization id: 22023');
SELECT throws_ok(pg_temp.booking('intro', pg_temp.noon(7), pg_temp.uid('A'), 'org_A' || pg_temp.fx('run'),
	'expert.a.' || pg_temp.fx('run') || '@example.test', 'Ana Alves', 'Europe/Lisbon', NULL), '22023', NULL,
    'A booking his own event: 22023');

-- What the database holds without the C side's checks: region names only,
-- no invisible characters, no empty domain label.
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'abbr', tz => 'CEST'), '22023', NULL,
    'a time zone abbreviation (CEST): 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'posix', tz => 'Mars+3'), '22023', NULL,
    'a POSIX time zone rule (Mars+3): 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'case', tz => 'europe/lisbon'), '22023', NULL,
    'a region name in the wrong case: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'ctl',
	email => E'no.ctl\x01.' || pg_temp.fx('run') || '@guests.example.test'), '22023', NULL,
    'an e-mail address with a control character: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'rlo',
	email => E'no.rlo\u202e.' || pg_temp.fx('run') || '@guests.example.test'), '22023', NULL,
    'an e-mail address with a right-to-left override: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'dots',
	email => 'no.dots.' || pg_temp.fx('run') || '@guests..example.test'), '22023', NULL,
    'an e-mail address with an empty domain label: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'lead',
	email => 'no.lead.' || pg_temp.fx('run') || '@.guests.example.test'), '22023', NULL,
    'an e-mail address whose domain starts with a dot: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'bidi', name => E'Nora \u202eevil'), '22023', NULL,
    'a name with a right-to-left override: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'zwsp', notes => E'see\u200bme'), '22023', NULL,
    'notes with a zero-width space: 22023');

-- A start off the grid is not offered, whatever else overlaps it.
SELECT is(pg_temp.state('intro', pg_temp.noon(3) + interval '5 minutes', pg_temp.anyone()), 'unavailable',
    'five minutes into Q''s meeting, off the grid: unavailable, not booked');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(3) + interval '5 minutes', 'offgrid'), 'ELNAV', NULL,
    '... and booking it: ELNAV, not 23P01');

-- A meeting A entered for a walk-in, with no WorkOS user and no form
-- token: a booking of its time under the e-mail it names is no repeat (the
-- address alone proves nothing): 23P01, like anyone's.
\o /dev/null
SELECT pg_temp.act('A');
INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_email, guest_name, start_time, end_time, timezone)
VALUES (pg_temp.org('A'), pg_temp.fx('event.A')::uuid, pg_temp.uid('A'),
    'walkin.' || pg_temp.fx('run') || '@guests.example.test', 'Walter Walk-in',
    pg_temp.noon(9), pg_temp.noon(9) + interval '1 hour', 'UTC');
SELECT pg_temp.act(NULL);
\o
SELECT throws_ok(pg_temp.booking('intro', pg_temp.noon(9), 'user_walkin' || pg_temp.fx('run'),
    'org_walkin' || pg_temp.fx('run'), 'Walkin.' || pg_temp.fx('run') || '@guests.example.test',
    'Walter Walk-in', 'UTC', NULL), '23P01', NULL,
    'a walk-in''s time booked under the e-mail it names: 23P01, not the meeting');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'nokey', key => 'short'), '22023', NULL,
    'a missing or short form token: 22023');
SELECT throws_ok(pg_temp.nora('intro', pg_temp.noon(7), 'legacytz', tz => 'Portugal'), '22023', NULL,
    'a legacy single-word zone name (Portugal): 22023, as the product does not offer it');
SELECT is(app.is_region_timezone('America/Argentina/Buenos_Aires') AND app.is_region_timezone('Etc/GMT+3')
    AND app.is_region_timezone('UTC') AND NOT app.is_region_timezone('GMT')
    AND NOT app.is_region_timezone('posix/Europe/Lisbon') AND NOT app.is_region_timezone('europe/lisbon'),
    true, 'is_region_timezone: UTC and Area/Location names, not GMT, posix/... or the wrong case');

-- The limits themselves are allowed: T's notes are 2000 characters, with
-- newlines and tabs.
SELECT pg_temp.book('T', pg_temp.booking('intro', pg_temp.noon(8), pg_temp.uid('T'), 'org_T' || pg_temp.fx('run'),
    pg_temp.fx('email.T'), pg_temp.fx('name.T'), 'America/New_York', repeat(E'ab\tc\n', 400))) \g /dev/null
SELECT is(pg_temp.fx('created.T'), 'true', 'notes of 2000 characters with newlines and tabs: booked');

-- Row-level security ---------------------------------------------------------------------

SELECT throws_ok(format($$INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_email,
	guest_name, start_time, end_time, timezone)
	VALUES (%L, %L, %L, 'no.rls@guests.example.test', 'Nora rls', %L, %L, 'UTC')$$,
	pg_temp.org('A'), pg_temp.fx('event.A'), pg_temp.uid('A'), pg_temp.noon(7), pg_temp.noon(7) + interval '1 hour'),
    '42501', NULL, 'no user: inserting a meeting of A directly is refused by RLS');
SELECT pg_temp.act('G') \g /dev/null
SELECT throws_ok(format($$INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id,
	guest_org_id, guest_email, guest_name, start_time, end_time, timezone)
	VALUES (%L, %L, %L, %L, %L, 'no.rls.g@guests.example.test', 'Nora rls', %L, %L, 'UTC')$$,
	pg_temp.org('A'), pg_temp.fx('event.A'), pg_temp.uid('A'), pg_temp.uid('G'), pg_temp.org('G'),
	pg_temp.noon(7), pg_temp.noon(7) + interval '1 hour'),
    '42501', NULL, '... nor may guest G, signed in, insert one for himself');
SELECT pg_temp.act(NULL) \g /dev/null

-- What the refusals left ------------------------------------------------------------------

SELECT pg_temp.act('A') \g /dev/null
SELECT results_eq(format($$SELECT guest_email, status, start_time FROM public.meetings
	WHERE workos_user_id = %L AND id <> %L AND guest_email NOT LIKE 'walkin.%%'
	ORDER BY guest_email, created_at, status$$,
	pg_temp.uid('A'), pg_temp.fx('meeting.A')),
    format($$VALUES (%L, 'cancelled', %L::timestamptz), (%1$L, 'confirmed', %2$L),
	(%3$L, 'confirmed', %4$L), (%5$L, 'confirmed', %6$L), (%5$L, 'confirmed', %9$L),
	(%5$L, 'confirmed', %10$L), (%7$L, 'confirmed', %8$L)$$,
	lower(pg_temp.fx('email.C')), pg_temp.noon(6), lower(pg_temp.fx('email.K')), pg_temp.noon(4),
	lower(pg_temp.fx('email.Q')), pg_temp.noon(3), lower(pg_temp.fx('email.T')), pg_temp.noon(8),
	pg_temp.noon(14), pg_temp.noon(15)),
    'A''s meetings are C''s two, K''s, Q''s three and T''s: no refused booking left one');
SELECT pg_temp.act('D') \g /dev/null
SELECT is_empty(format($$SELECT * FROM public.users WHERE email LIKE %L OR workos_user_id LIKE 'user\_no%%'$$,
	'no.%' || pg_temp.fx('run') || '%'),
    '... nor a user (as seen by D, a platform admin)');
SELECT is_empty(format($$SELECT * FROM public.users WHERE workos_user_id = %L$$, pg_temp.uid('W')),
    '... W, refused each time, is not a user either');

SELECT * FROM finish();
ROLLBACK;
