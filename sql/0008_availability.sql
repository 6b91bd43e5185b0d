-- 0008_availability: the start times a guest may book, computed by the
-- database from the expert's schedule, for the public booking pages and for
-- the booking step that re-checks a submitted start.
--
-- app.available_slots(handle, event slug, from, until): for the published
-- expert with that handle and his active event with that slug, every start
-- in [from, until], clamped to [now() + minimum notice, now() + booking
-- window], by start.  The week is the schedule's time zone's: each local
-- calendar date's weekday ranges (local wall-clock times, an end of 24:00
-- being the next midnight) become instants with (date + time) AT TIME ZONE
-- tz, so a 09:00-12:00 range is 09:00-12:00 local on both sides of a
-- daylight-saving change (its UTC instants move by the offset's change).
-- A local time that does not exist (the hour skipped by a spring-forward
-- change) is read by PostgreSQL with the UTC offset in force before the
-- change: in Europe/Lisbon, where 01:00 WET jumps to 02:00 WEST on the last
-- Sunday of March, local 01:30 is 01:30 UTC, which is 02:30 WEST; a range
-- 01:30-03:00 that day is 02:30-03:00 WEST (half an hour long).  A local
-- time that exists twice (the hour repeated in autumn) is read as the later
-- one, standard time.  Candidate starts are every time_slot_interval
-- minutes of elapsed time from each range's start; a slot [start, start +
-- duration) must fit inside its range.  Excluded: slots overlapping a
-- blocked date (the local day of the blocked date's own time zone), slots
-- whose [start - before buffer, end + after buffer) overlaps a non-cancelled
-- meeting of the expert or that overlap such a meeting's own buffered span
-- (so the order in which two neighbouring times are booked does not decide
-- whether the second one's buffer is kept), slots overlapping an unexpired
-- reservation (expires_at > now()) of the expert for any event.  Two
-- optional arguments: p_guest_email, whose own reservations do not hide a
-- time from that guest, and p_count_taken: false leaves meetings and
-- reservations out altogether, the grid of starts app.slot_state (0009)
-- uses to tell "taken" from "never offered".  An expert without a
-- scheduling_settings row has the table's defaults (no buffers, no notice,
-- 15-minute interval, 60-day window).
--
-- Nothing to book (no rows, not an error): an unknown handle, an
-- unpublished expert, an unknown or inactive event or another expert's, no
-- schedule, a schedule time zone PostgreSQL does not know.  Refused
-- (22023): a NULL or infinite bound, until before from, a span of more than
-- 62 days (a caller cannot make it scan years).
--
-- app.is_available_slot(handle, event slug, start): whether start is one of
-- those starts (asked for the day on either side of it, where the grid is
-- the same: it is anchored at the ranges' starts, not at the window's).

CREATE FUNCTION app.available_slots(p_handle text, p_event_slug text,
    p_from timestamptz, p_until timestamptz, p_guest_email text DEFAULT NULL,
    p_count_taken boolean DEFAULT true)
RETURNS TABLE (start_time timestamptz, end_time timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
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
COMMENT ON FUNCTION app.available_slots(text, text, timestamptz, timestamptz, text, boolean) IS
    'the starts (and ends) a guest may book for a published expert''s active event, by start';

CREATE FUNCTION app.is_available_slot(p_handle text, p_event_slug text, p_start timestamptz,
    p_guest_email text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF p_start IS NULL OR NOT isfinite(p_start) THEN
		RAISE EXCEPTION 'is_available_slot: the start must be a finite time'
		    USING ERRCODE = '22023';
	END IF;
	RETURN EXISTS (SELECT 1
	    FROM app.available_slots(p_handle, p_event_slug,
		p_start - interval '24 hours', p_start + interval '24 hours', p_guest_email) s
	    WHERE s.start_time = p_start);
END
$$;
COMMENT ON FUNCTION app.is_available_slot(text, text, timestamptz, text) IS
    'whether a guest may book the start for a published expert''s active event now';

REVOKE ALL ON FUNCTION app.available_slots(text, text, timestamptz, timestamptz, text, boolean),
    app.is_available_slot(text, text, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.available_slots(text, text, timestamptz, timestamptz, text, boolean),
    app.is_available_slot(text, text, timestamptz, text) TO eleva_web;
