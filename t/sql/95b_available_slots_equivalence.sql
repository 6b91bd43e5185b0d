-- 95b_available_slots_equivalence: app.available_slots as
-- sql/0022_slots_set_based.sql made it (one statement after the settings)
-- returns exactly what 0008's (five statements) returned: the same rows in
-- the same order, for every window asked, and the same errors.
--
-- 0008's body is copied below verbatim as pg_temp.available_slots_0008,
-- inside this file's transaction.  The app role cannot make a SECURITY
-- DEFINER function that reads past row-level security, so the copy runs as
-- the caller: each comparison acts as the expert asked about, who reads
-- every row of his that the function reads (his schedule, availability,
-- settings, blocked dates, reservations and meetings) and nothing else is
-- read.  The new function runs as the owner, as always.
--
-- Experts A and B (t/sql/lib/world.sql) are published and given, scenario
-- after scenario, a schedule time zone (Europe/Lisbon, America/Sao_Paulo,
-- Asia/Kolkata, America/Havana whose clocks change at midnight,
-- Australia/Lord_Howe whose change is half an hour, UTC), weekly ranges
-- (some in the hour a spring-forward skips or an autumn repeats, some
-- ending at 24:00), buffers, notice, interval and booking window (or no
-- settings row: the defaults), meetings (confirmed, cancelled, on and off
-- the grid, across slot edges, of another event), reservations (held,
-- expired, of the guest asking) and blocked dates in several zones.  The
-- windows are the booking page's weeks in several guests' zones (UTC,
-- Lisbon, Sao Paulo, Kolkata, Chatham's +12:45, Havana), the days around
-- each daylight-saving change of the schedule's zone within the coming
-- 400 days, and odd ones (inside the notice, a single instant, across the
-- end of the booking window, 62 days).  Each is asked for each event (15,
-- 60 and 150 minutes), without a guest, for a guest who holds a
-- reservation, and without meetings and reservations (p_count_taken).
-- Because now() decides what is bookable, everything is relative to the
-- transaction's now(): the tests pass on any date.
BEGIN;
SET search_path = public, tap;
SELECT plan(38);
\ir lib/world.sql
\o /dev/null

SET LOCAL timezone = 'UTC';

-- 0008's app.available_slots, verbatim but for its name and SECURITY
-- DEFINER (see above).
CREATE FUNCTION pg_temp.available_slots_0008(p_handle text, p_event_slug text,
    p_from timestamptz, p_until timestamptz, p_guest_email text DEFAULT NULL,
    p_count_taken boolean DEFAULT true)
RETURNS TABLE (start_time timestamptz, end_time timestamptz)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog SET timezone = 'UTC' AS $$
DECLARE
	v_user text;
	v_schedule uuid;
	v_tz text;
	v_duration interval;
	v_before interval;
	v_after interval;
	v_step interval;
	v_from timestamptz;
	v_until timestamptz;
	v_blocked tstzmultirange;
	v_meetings tstzmultirange;
	v_padded tstzmultirange;
	v_held tstzmultirange;
BEGIN
	IF p_from IS NULL OR p_until IS NULL OR NOT isfinite(p_from) OR NOT isfinite(p_until) THEN
		RAISE EXCEPTION 'available_slots: from and until must be finite times'
		    USING ERRCODE = '22023';
	END IF;
	IF p_until < p_from THEN
		RAISE EXCEPTION 'available_slots: until (%) is before from (%)', p_until, p_from
		    USING ERRCODE = '22023';
	END IF;
	IF p_until - p_from > interval '62 days' THEN
		RAISE EXCEPTION 'available_slots: at most 62 days at a time'
		    USING ERRCODE = '22023';
	END IF;

	-- The defaults are scheduling_settings' column defaults.
	SELECT p.workos_user_id, s.id, s.timezone,
	    make_interval(mins => e.duration_in_minutes),
	    make_interval(mins => coalesce(ss.before_event_buffer, 0)),
	    make_interval(mins => coalesce(ss.after_event_buffer, 0)),
	    make_interval(mins => coalesce(ss.time_slot_interval, 15)),
	    greatest(p_from, now() + make_interval(mins => coalesce(ss.minimum_notice, 0))),
	    least(p_until, now() + make_interval(days => coalesce(ss.booking_window_days, 60)))
	INTO v_user, v_schedule, v_tz, v_duration, v_before, v_after, v_step, v_from, v_until
	FROM public.profiles p
	JOIN public.events e ON e.workos_user_id = p.workos_user_id
	    AND e.slug = p_event_slug AND e.is_active
	JOIN public.schedules s ON s.workos_user_id = p.workos_user_id
	LEFT JOIN public.scheduling_settings ss ON ss.workos_user_id = p.workos_user_id
	WHERE p.handle = p_handle AND p.published;
	IF NOT FOUND OR v_from > v_until OR app.timezone_or_utc(v_tz) <> v_tz THEN
		RETURN;
	END IF;

	-- What is taken near the window, each as one multirange (a slot is
	-- checked against it in logarithmic time): the blocked days, the
	-- meetings (checked against the buffered slot), the held reservations.
	-- Time zone offsets differ by at most 26 hours and a slot lasts at most
	-- a day: three days on either side hold every blocked day that matters.
	SELECT coalesce(range_agg(tstzrange(
		b.date::timestamp AT TIME ZONE app.timezone_or_utc(b.timezone),
		(b.date + 1)::timestamp AT TIME ZONE app.timezone_or_utc(b.timezone))),
	    '{}'::tstzmultirange)
	INTO v_blocked
	FROM public.blocked_dates b
	WHERE b.workos_user_id = v_user
	AND b.date BETWEEN (v_from AT TIME ZONE 'UTC')::date - 3 AND (v_until AT TIME ZONE 'UTC')::date + 3;
	v_meetings := '{}';
	v_padded := '{}';
	v_held := '{}';
	IF p_count_taken THEN
		-- Each meeting as it is and with its own buffers around it.
		SELECT coalesce(range_agg(tstzrange(m.start_time, m.end_time)), '{}'::tstzmultirange),
		    coalesce(range_agg(tstzrange(m.start_time - v_before, m.end_time + v_after)),
			'{}'::tstzmultirange)
		INTO v_meetings, v_padded
		FROM public.meetings m
		WHERE m.workos_user_id = v_user AND m.status <> 'cancelled'
		AND tstzrange(m.start_time, m.end_time)
		    && tstzrange(v_from - v_before - v_after, v_until + v_duration + v_after + v_before);
		SELECT coalesce(range_agg(tstzrange(r.start_time, r.end_time)), '{}'::tstzmultirange)
		INTO v_held
		FROM public.slot_reservations r
		WHERE r.workos_user_id = v_user AND r.expires_at > now()
		AND (p_guest_email IS NULL OR lower(r.guest_email) <> lower(p_guest_email))
		AND r.end_time > v_from AND r.start_time < v_until + v_duration;
	END IF;

	RETURN QUERY
	WITH ranges AS (
		-- The day before the window's first local date too: nothing of it
		-- can start inside the window, but it costs one day's ranges.
		SELECT (d::date + a.start_time) AT TIME ZONE v_tz AS r_start,
		    (d::date + a.end_time) AT TIME ZONE v_tz AS r_end
		FROM generate_series(((v_from AT TIME ZONE v_tz)::date - 1)::timestamp,
		    (v_until AT TIME ZONE v_tz)::date::timestamp, interval '1 day') d
		JOIN public.schedule_availabilities a ON a.schedule_id = v_schedule
		    AND a.day_of_week = (ARRAY['monday', 'tuesday', 'wednesday', 'thursday',
			'friday', 'saturday', 'sunday'])[extract(isodow FROM d)::int]::public.day
	), slots AS (
		SELECT DISTINCT g AS s_start, g + v_duration AS s_end
		FROM ranges r,
		    generate_series(r.r_start, r.r_end - v_duration, v_step) g
		WHERE g BETWEEN v_from AND v_until
	)
	SELECT sl.s_start, sl.s_end
	FROM slots sl
	WHERE NOT (v_blocked && tstzrange(sl.s_start, sl.s_end))
	AND NOT (v_meetings && tstzrange(sl.s_start - v_before, sl.s_end + v_after))
	AND NOT (v_padded && tstzrange(sl.s_start, sl.s_end))
	AND NOT (v_held && tstzrange(sl.s_start, sl.s_end))
	ORDER BY sl.s_start;
END
$$;

CREATE FUNCTION pg_temp.h(who text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT lower('expert-' || who || '-' || pg_temp.fx('run')) $$;

-- The windows asked about in the current scenario: (i, from, until).
CREATE TEMP TABLE win (i int PRIMARY KEY, f timestamptz NOT NULL, u timestamptz NOT NULL);

-- As <who>: his schedule's zone, the ranges (start, end pairs as text,
-- 'HH:MI-HH:MI' or 'HH:MI-HH:MI@isodow,isodow,...') replacing his week,
-- and his settings (NULL before: no settings row at all).  His meetings
-- are cancelled and his blocked dates and reservations removed.
CREATE FUNCTION pg_temp.scenario(who text, tz text, ranges text[], before int, after int,
    notice int, step int, win int) RETURNS SETOF void
LANGUAGE plpgsql AS $$
DECLARE
	s uuid := pg_temp.fx('schedule.' || who)::uuid;
	r text;
	days int[];
BEGIN
	PERFORM pg_temp.act(who);
	UPDATE public.schedules SET timezone = tz WHERE id = s;
	DELETE FROM public.schedule_availabilities WHERE schedule_id = s;
	FOREACH r IN ARRAY ranges LOOP
		days := CASE WHEN r LIKE '%@%' THEN string_to_array(split_part(r, '@', 2), ',')::int[]
		    ELSE ARRAY[1, 2, 3, 4, 5, 6, 7] END;
		INSERT INTO public.schedule_availabilities (org_id, schedule_id, day_of_week,
		    start_time, end_time)
		SELECT pg_temp.org(who), s, (enum_range(NULL::public.day))[d],
		    split_part(split_part(r, '@', 1), '-', 1)::time,
		    split_part(split_part(r, '@', 1), '-', 2)::time
		FROM unnest(days) d;
	END LOOP;
	DELETE FROM public.scheduling_settings WHERE workos_user_id = pg_temp.uid(who);
	IF before IS NOT NULL THEN
		INSERT INTO public.scheduling_settings (org_id, workos_user_id, before_event_buffer,
		    after_event_buffer, minimum_notice, time_slot_interval, booking_window_days)
		VALUES (pg_temp.org(who), pg_temp.uid(who), before, after, notice, step, win);
	END IF;
	UPDATE public.meetings SET status = 'cancelled', cancelled_at = now()
	WHERE workos_user_id = pg_temp.uid(who) AND status <> 'cancelled';
	DELETE FROM public.blocked_dates WHERE workos_user_id = pg_temp.uid(who);
	DELETE FROM public.slot_reservations WHERE workos_user_id = pg_temp.uid(who);
	PERFORM pg_temp.act(NULL);
	RETURN;
END
$$;

-- As <who>: meetings from local date d0 on for n days in zone tz, four a
-- day at local times that drift by 7 minutes a day (on and off any grid),
-- 25 to 55 minutes long, the third of each day cancelled; and a cancelled
-- one over each confirmed one and its neighbourhood.  Event by turns
-- 'intro' and 'paid-session'.
CREATE FUNCTION pg_temp.meetings(who text, tz text, d0 date, n int) RETURNS SETOF void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act(who);
	INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id,
	    guest_org_id, guest_email, guest_name, start_time, end_time, timezone, status,
	    cancelled_at)
	SELECT pg_temp.org(who),
	    pg_temp.fx(CASE WHEN k % 2 = 0 THEN 'event.' ELSE 'event_paid.' END || who)::uuid,
	    pg_temp.uid(who), pg_temp.uid('G'), pg_temp.org('G'), 'g@guests.example.test',
	    'Guest G', t, t + make_interval(mins => 25 + 10 * k), tz,
	    CASE WHEN k = 2 THEN 'cancelled' ELSE 'confirmed' END,
	    CASE WHEN k = 2 THEN now() END
	FROM generate_series(0, n - 1) i, generate_series(0, 3) k,
	    LATERAL (SELECT ((d0 + i) + time '07:50' + make_interval(mins => 7 * i + 157 * k))
		AT TIME ZONE tz AS t) x;
	INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id,
	    guest_org_id, guest_email, guest_name, start_time, end_time, timezone, status,
	    cancelled_at)
	SELECT m.org_id, m.event_id, m.workos_user_id, m.guest_workos_user_id, m.guest_org_id,
	    m.guest_email, m.guest_name, m.start_time - interval '40 minutes',
	    m.end_time + interval '50 minutes', m.timezone, 'cancelled', now()
	FROM public.meetings m
	WHERE m.workos_user_id = pg_temp.uid(who) AND m.status = 'confirmed';
	PERFORM pg_temp.act(NULL);
	RETURN;
END
$$;

-- As <who>: blocked dates (each in its own zone) and reservations: held by
-- the guest who will ask (held@), held by someone else (other@), expired.
CREATE FUNCTION pg_temp.taken(who text, blocked date[], zones text[], held timestamptz[])
RETURNS SETOF void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act(who);
	INSERT INTO public.blocked_dates (org_id, workos_user_id, date, timezone)
	SELECT pg_temp.org(who), pg_temp.uid(who), b.d, b.z
	FROM unnest(blocked, zones) b (d, z);
	INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email,
	    start_time, end_time, expires_at)
	SELECT pg_temp.org(who), pg_temp.fx('event.' || who)::uuid, pg_temp.uid(who),
	    (ARRAY['Held@Guests.Example.Test', 'other@guests.example.test',
		'late@guests.example.test'])[1 + i % 3],
	    h, h + interval '50 minutes',
	    now() + CASE WHEN i % 3 = 2 THEN interval '-1 second' ELSE interval '10 minutes' END
	FROM unnest(held) WITH ORDINALITY x (h, i);
	PERFORM pg_temp.act(NULL);
	RETURN;
END
$$;

-- The windows of a scenario whose schedule is in zone tz: the booking
-- page's weeks (a guest's local midnight to just before the one 7 days
-- later) from several of today's dates on, in several guests' zones; the
-- days around each daylight-saving change of tz in the coming 400 days,
-- in tz and in those zones; odd ones.
CREATE FUNCTION pg_temp.windows(tz text) RETURNS SETOF void
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM win;
	INSERT INTO win
	SELECT row_number() OVER (ORDER BY o, f, u), f, u FROM (
	    SELECT 1 AS o, w.f, w.u FROM unnest(ARRAY[tz, 'UTC', 'Europe/Lisbon', 'America/Sao_Paulo',
		'Asia/Kolkata', 'Pacific/Chatham', 'America/Havana']) z,
		unnest(ARRAY[0, 1, 4, 9, 23, 55]) k,
		LATERAL (SELECT ((now() AT TIME ZONE z)::date + k)::timestamp AT TIME ZONE z AS f,
		    ((now() AT TIME ZONE z)::date + k + 7)::timestamp AT TIME ZONE z
			- interval '1 microsecond' AS u) w
	    UNION
	    SELECT 2, w.f, w.u FROM generate_series((now() AT TIME ZONE tz)::date + 1,
		(now() AT TIME ZONE tz)::date + 400, interval '1 day') d,
		unnest(ARRAY[tz, 'UTC', 'Asia/Kolkata', 'America/Havana']) z,
		LATERAL (SELECT (d::date - 1)::timestamp AT TIME ZONE z AS f,
		    (d::date + 2)::timestamp AT TIME ZONE z - interval '1 microsecond' AS u) w
	    WHERE (d::date + 1)::timestamp AT TIME ZONE tz - d::date::timestamp AT TIME ZONE tz
		<> interval '24 hours'
	    UNION
	    SELECT 3, f, u FROM (VALUES
		(now() - interval '1 day', now() + interval '2 days'),
		(now(), now()),
		(now() + interval '37 minutes', now() + interval '37 minutes'),
		(now() + interval '1 day 3 minutes', now() + interval '1 day 5 hours 14 minutes'),
		(now() + interval '29 days 22 hours', now() + interval '31 days 2 hours'),
		(now() + interval '59 days', now() + interval '61 days 13 hours'),
		(now() + interval '2 days', now() + interval '64 days'),
		(now() + interval '88 days 7 hours', now() + interval '95 days'),
		(now() + interval '700 days', now() + interval '740 days')) v (f, u)
	) x;
	INSERT INTO fx SELECT 'dst.' || tz, count(*) FROM generate_series((now() AT TIME ZONE tz)::date + 1,
	    (now() AT TIME ZONE tz)::date + 400, interval '1 day') d
	WHERE (d::date + 1)::timestamp AT TIME ZONE tz - d::date::timestamp AT TIME ZONE tz
	    <> interval '24 hours'
	ON CONFLICT (k) DO NOTHING;
	RETURN;
END
$$;

-- The starts of every window for <who>'s event, by the function fn:
-- (window, rank in its answer, start, end).
CREATE FUNCTION pg_temp.q(fn text, who text, slug text, email text, count_taken boolean)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format('SELECT w.i, s.n, s.start_time, s.end_time FROM win w '
	    'CROSS JOIN LATERAL %s(%L, %L, w.f, w.u, %L, %L) WITH ORDINALITY s (start_time, end_time, n) '
	    'ORDER BY w.i, s.n', fn, pg_temp.h(who), slug, email, count_taken)
$$;

-- As <who> (see above): the old function's starts and the new one's are
-- the same, for each event, without a guest, for the guest holding a
-- reservation, and without meetings and reservations.  One assertion per
-- (event, guest, count_taken); what counts how many starts were compared
-- goes to fx ('n.<label>').
CREATE FUNCTION pg_temp.compare(who text, label text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	c record;
	n bigint;
BEGIN
	PERFORM pg_temp.act(who);
	FOR c IN SELECT * FROM (VALUES ('quick', NULL, true), ('intro', NULL, true),
	    ('long', 'held@guests.example.test', true), ('intro', NULL, false)) v (slug, email, taken)
	LOOP
		RETURN NEXT results_eq(pg_temp.q('app.available_slots', who, c.slug, c.email, c.taken),
		    pg_temp.q('pg_temp.available_slots_0008', who, c.slug, c.email, c.taken),
		    format('%s, %s: %s%s%s', label, who, c.slug,
			CASE WHEN c.email IS NOT NULL THEN ', for the guest holding a reservation' ELSE '' END,
			CASE WHEN NOT c.taken THEN ', meetings and reservations left out' ELSE '' END));
		EXECUTE 'SELECT count(*) FROM (' || pg_temp.q('app.available_slots', who, c.slug,
		    c.email, c.taken) || ') x' INTO n;
		INSERT INTO fx VALUES ('n.' || label || '.' || who || '.' || c.slug || '.'
		    || coalesce(c.email, '-') || '.' || c.taken, n);
	END LOOP;
	PERFORM pg_temp.act(NULL);
	RETURN;
END
$$;

-- What a statement raises: 'SQLSTATE: message', or 'ok'.
CREATE FUNCTION pg_temp.err(q text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- What fn raises for each bad window (and one good one, 'ok'), in order.
CREATE FUNCTION pg_temp.errs(fn text) RETURNS text[]
LANGUAGE sql AS $$
	SELECT array_agg(pg_temp.err(format('SELECT * FROM %s(%L, %L, %s, %s)', fn, pg_temp.h('A'),
	    'intro', f, u)) ORDER BY i)
	FROM (VALUES (1, 'NULL', 'now()'), (2, 'now()', 'NULL'), (3, 'now()', '''infinity'''),
	    (4, '''-infinity''', 'now()'), (5, 'now()', 'now() - interval ''1 microsecond'''),
	    (6, '''2031-05-06 07:08:09.123456+00''', '''2031-05-06 07:08:09.123455+00'''),
	    (7, 'now()', 'now() + interval ''62 days 1 microsecond'''),
	    (8, 'now()', 'now() + interval ''62 days''')) v (i, f, u)
$$;

-- A and B publish; each gets a 15-minute and a 150-minute event next to
-- his 60-minute 'intro'.
SELECT pg_temp.complete_setup('A');
SELECT pg_temp.complete_setup('B');
SELECT pg_temp.act(NULL);
CREATE FUNCTION pg_temp.publish(who text) RETURNS SETOF void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.act(who);
	UPDATE public.profiles SET published = true WHERE workos_user_id = pg_temp.uid(who);
	INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
	VALUES (pg_temp.org(who), pg_temp.uid(who), 'Quick call', 'quick', 15),
	    (pg_temp.org(who), pg_temp.uid(who), 'Long session', 'long', 150);
	PERFORM pg_temp.act(NULL);
	RETURN;
END
$$;
SELECT pg_temp.publish('A');
SELECT pg_temp.publish('B');
\o

-- Lisbon -----------------------------------------------------------------------
-- A: office hours, Saturday mornings, 15-minute grid, buffers, notice.
-- B: ranges in the hours the clocks skip (spring, 01:00-02:00 local) and
-- repeat (autumn, 01:00-02:00 local), meeting and overlapping as instants
-- on the spring-forward day, and one ending at 24:00.

\o /dev/null
SELECT pg_temp.scenario('A', 'Europe/Lisbon',
    ARRAY['09:00-13:00@1,2,3,4,5', '14:00-18:00@1,2,3,4,5', '10:00-12:30@6'], 10, 5, 90, 15, 120);
SELECT pg_temp.meetings('A', 'Europe/Lisbon', (now() AT TIME ZONE 'Europe/Lisbon')::date, 70);
SELECT pg_temp.taken('A',
    ARRAY[(now() AT TIME ZONE 'Europe/Lisbon')::date + 2, (now() AT TIME ZONE 'Europe/Lisbon')::date + 8,
	(now() AT TIME ZONE 'Europe/Lisbon')::date + 12, (now() AT TIME ZONE 'Europe/Lisbon')::date + 3,
	(now() AT TIME ZONE 'Europe/Lisbon')::date + 10]::date[],
    ARRAY['Europe/Lisbon', 'Asia/Tokyo', 'Pacific/Pago_Pago', 'Pacific/Pago_Pago', 'Pacific/Kiritimati'],
    ARRAY(SELECT ((now() AT TIME ZONE 'Europe/Lisbon')::date + i + time '09:20')
	AT TIME ZONE 'Europe/Lisbon' FROM generate_series(1, 12) i));
SELECT pg_temp.scenario('B', 'Europe/Lisbon',
    ARRAY['00:00-01:40', '02:00-04:00', '09:00-12:00@1,3,5', '21:30-24:00'], 0, 20, 0, 30, 730);
SELECT pg_temp.meetings('B', 'Europe/Lisbon', (now() AT TIME ZONE 'Europe/Lisbon')::date + 2, 30);
SELECT pg_temp.taken('B', ARRAY[(now() AT TIME ZONE 'Europe/Lisbon')::date + 5]::date[],
    ARRAY['America/Sao_Paulo'],
    ARRAY[date_bin('30 minutes', now() + interval '3 days 1 hour', '2000-01-01')]);
SELECT pg_temp.windows('Europe/Lisbon');
\o
SELECT * FROM pg_temp.compare('A', 'Lisbon office hours');
SELECT * FROM pg_temp.compare('B', 'Lisbon nights across the clock changes');

-- Sao Paulo and Kolkata (UTC+05:30) --------------------------------------------
-- A: Sao Paulo, a 20-minute grid from odd starts, a long notice, the
-- before buffer only.  B: Kolkata, the whole day on a 45-minute grid, the
-- after buffer only, a 30-day window.

\o /dev/null
SELECT pg_temp.scenario('A', 'America/Sao_Paulo',
    ARRAY['08:10-12:00@1,2,3,4,5,6', '13:05-19:30@1,2,3,4', '06:00-07:00@7'], 15, 0, 600, 20, 90);
SELECT pg_temp.meetings('A', 'America/Sao_Paulo', (now() AT TIME ZONE 'America/Sao_Paulo')::date - 1, 95);
SELECT pg_temp.taken('A',
    ARRAY[(now() AT TIME ZONE 'America/Sao_Paulo')::date + 2, (now() AT TIME ZONE 'America/Sao_Paulo')::date + 17]::date[],
    ARRAY['Asia/Kolkata', 'UTC'],
    ARRAY(SELECT now() + make_interval(hours => 7 * i) FROM generate_series(1, 30) i));
SELECT pg_temp.scenario('B', 'Asia/Kolkata', ARRAY['00:00-24:00'], 0, 25, 45, 45, 30);
SELECT pg_temp.meetings('B', 'Asia/Kolkata', (now() AT TIME ZONE 'Asia/Kolkata')::date, 40);
SELECT pg_temp.taken('B',
    ARRAY[(now() AT TIME ZONE 'Asia/Kolkata')::date + 4, (now() AT TIME ZONE 'Asia/Kolkata')::date + 6]::date[],
    ARRAY['Asia/Kolkata', 'Pacific/Kiritimati'], '{}');
SELECT pg_temp.windows('America/Sao_Paulo');
\o
SELECT * FROM pg_temp.compare('A', 'Sao Paulo');
SELECT * FROM pg_temp.compare('B', 'Kolkata whole days (Sao Paulo''s windows)');
\o /dev/null
SELECT pg_temp.windows('Asia/Kolkata');
\o
SELECT * FROM pg_temp.compare('B', 'Kolkata whole days');

-- Havana (the clocks change at midnight) and Lord Howe (by half an hour) --------

\o /dev/null
SELECT pg_temp.scenario('A', 'America/Havana',
    ARRAY['00:00-02:00', '22:45-24:00', '12:00-15:00@2,4'], 5, 5, 0, 15, 730);
SELECT pg_temp.meetings('A', 'America/Havana', (now() AT TIME ZONE 'America/Havana')::date + 1, 20);
SELECT pg_temp.windows('America/Havana');
\o
SELECT * FROM pg_temp.compare('A', 'Havana midnights');
\o /dev/null
SELECT pg_temp.scenario('B', 'Australia/Lord_Howe', ARRAY['01:00-03:30', '07:00-12:00@1,3,5,7', '23:50-24:00'], 0, 0, 0,
    10, 730);
SELECT pg_temp.meetings('B', 'Australia/Lord_Howe', (now() AT TIME ZONE 'Australia/Lord_Howe')::date, 10);
SELECT pg_temp.windows('Australia/Lord_Howe');
\o
SELECT * FROM pg_temp.compare('B', 'Lord Howe''s half-hour changes');

-- No settings row (the defaults: 15 minutes, no buffers or notice, 60 days) ------

\o /dev/null
SELECT pg_temp.scenario('A', 'UTC', ARRAY['06:00-20:00@1,2,3,4,5', '07:30-08:00@6'], NULL, NULL,
    NULL, NULL, NULL);
SELECT pg_temp.meetings('A', 'UTC', (now() AT TIME ZONE 'UTC')::date, 65);
SELECT pg_temp.taken('A', ARRAY[(now() AT TIME ZONE 'UTC')::date + 1]::date[], ARRAY['Asia/Kolkata'],
    ARRAY[now() + interval '2 hours', now() + interval '1 day 20 minutes']);
SELECT pg_temp.windows('UTC');
\o
SELECT * FROM pg_temp.compare('A', 'UTC without settings');

-- A schedule zone PostgreSQL does not know, and one made of abbreviations ---------

\o /dev/null
SELECT pg_temp.scenario('B', 'Mars/Olympus', ARRAY['09:00-12:00'], 0, 0, 0, 30, 60);
\o
SELECT results_eq(pg_temp.q('app.available_slots', 'B', 'intro', NULL, true),
    pg_temp.q('pg_temp.available_slots_0008', 'B', 'intro', NULL, true),
    'an unknown schedule zone: nothing from either');

-- Errors -----------------------------------------------------------------------

SELECT is(pg_temp.errs('app.available_slots'), pg_temp.errs('pg_temp.available_slots_0008'),
    'the same errors (SQLSTATE and message) for a NULL, infinite or reversed window or one of more than 62 days');
SELECT is(pg_temp.err('SELECT * FROM app.available_slots(''x'', ''y'', ''2031-05-06 07:08:09.123456+00'', '
	|| '''2031-05-06 07:08:09.123455+00'')'),
    '22023: available_slots: until (2031-05-06 07:08:09.123455+00) is before from (2031-05-06 07:08:09.123456+00)',
    '... the times in the message in UTC, whatever the session''s zone');

-- Not vacuous ------------------------------------------------------------------

SELECT cmp_ok((SELECT sum(v::bigint) FROM fx WHERE k LIKE 'n.%')::bigint, '>', 20000::bigint,
    'more than 20,000 starts were compared');
SELECT is((SELECT count(*)::int FROM fx WHERE k LIKE 'n.%' AND v::bigint = 0), 0,
    '... and no comparison was of two empty answers');
SELECT ok((SELECT bool_and(v::int >= 2) FROM fx WHERE k IN ('dst.Europe/Lisbon', 'dst.America/Havana',
	'dst.Australia/Lord_Howe')) AND (SELECT count(*) FROM fx WHERE k LIKE 'dst.%') = 6,
    'windows around at least two clock changes each in Lisbon, Havana and Lord Howe were asked about');

SELECT * FROM finish();
ROLLBACK;
