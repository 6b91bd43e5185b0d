-- 0022_slots_set_based: app.available_slots (0008) in two statements
-- instead of five, with the same results, order, errors and privileges.
--
-- 0008 read the expert's settings, then built three multiranges in three
-- more statements (blocked days; meetings, as they are and padded with
-- their buffers; held reservations) and tested every candidate start
-- against four of them in a fifth.  Each statement pays PL/pgSQL's and
-- the executor's set-up on every call, which cost more than the work
-- itself: a week of starts is about 130 candidates.
--
-- Now the settings are read as before (and the same inputs refused, the
-- same nothing-to-book cases return nothing before any time zone is used),
-- then one statement: the window's local dates (and the day before) joined
-- to the weekday's availability rows, each range's grid of starts from
-- generate_series, and one range-overlap test per candidate against one
-- multirange of everything that takes time, computed once (an InitPlan):
--   * a blocked date: its local day in its own time zone;
--   * a non-cancelled meeting, widened on both sides by the larger of the
--     two buffers.  0008 refused a slot when the slot widened by the
--     buffers (before, after) met the meeting, or when the slot met the
--     meeting widened by them: the first is the slot against
--     [start - after, end + before), the second against
--     [start - before, end + after); both hold the meeting, so their union
--     is one range, [start - greatest, end + greatest);
--   * an unexpired reservation of someone else (p_guest_email's own left
--     out), as it is.
-- Meetings and reservations are left out when p_count_taken is false, as
-- before.  The indexes are those 0008 used: meetings_no_double_booking
-- (GiST over the expert and the meeting's range, non-cancelled rows),
-- slot_reservations_user_time_idx, blocked_dates_user_date_unique and
-- schedule_availabilities_no_overlap.  A start occurring in two ranges
-- (ranges that meet or overlap as instants across a daylight-saving
-- change, where local times are read as 0008 says) is still returned once.
--
-- t/sql/95b_available_slots_equivalence.sql compares this function with a
-- copy of 0008's over many experts, rules, meetings, time zones and
-- windows.

CREATE OR REPLACE FUNCTION app.available_slots(p_handle text, p_event_slug text,
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

	-- The day before the window's first local date too: nothing of it can
	-- start inside the window, but it costs one day's ranges.  What is
	-- taken is looked for near the window only: time zone offsets differ
	-- by at most 26 hours and a slot lasts at most a day, so three days on
	-- either side hold every blocked day that matters.
	RETURN QUERY
	SELECT DISTINCT ON (g) g, g + v_duration
	FROM generate_series(((v_from AT TIME ZONE v_tz)::date - 1)::timestamp,
	    (v_until AT TIME ZONE v_tz)::date::timestamp, interval '1 day') d
	JOIN public.schedule_availabilities a ON a.schedule_id = v_schedule
	    AND a.day_of_week = (ARRAY['monday', 'tuesday', 'wednesday', 'thursday',
		'friday', 'saturday', 'sunday'])[extract(isodow FROM d)::int]::public.day
	CROSS JOIN LATERAL generate_series((d::date + a.start_time) AT TIME ZONE v_tz,
	    ((d::date + a.end_time) AT TIME ZONE v_tz) - v_duration, v_step) g
	WHERE g BETWEEN v_from AND v_until
	AND NOT ((SELECT coalesce(range_agg(t.r), '{}'::tstzmultirange) FROM (
		SELECT tstzrange(
			b.date::timestamp AT TIME ZONE app.timezone_or_utc(b.timezone),
			(b.date + 1)::timestamp AT TIME ZONE app.timezone_or_utc(b.timezone)) AS r
		FROM public.blocked_dates b
		WHERE b.workos_user_id = v_user
		AND b.date BETWEEN (v_from AT TIME ZONE 'UTC')::date - 3
		    AND (v_until AT TIME ZONE 'UTC')::date + 3
		UNION ALL
		SELECT tstzrange(m.start_time - greatest(v_before, v_after),
		    m.end_time + greatest(v_before, v_after))
		FROM public.meetings m
		WHERE p_count_taken AND m.workos_user_id = v_user AND m.status <> 'cancelled'
		AND tstzrange(m.start_time, m.end_time)
		    && tstzrange(v_from - v_before - v_after, v_until + v_duration + v_after + v_before)
		UNION ALL
		SELECT tstzrange(r.start_time, r.end_time)
		FROM public.slot_reservations r
		WHERE p_count_taken AND r.workos_user_id = v_user AND r.expires_at > now()
		AND (p_guest_email IS NULL OR lower(r.guest_email) <> lower(p_guest_email))
		AND r.end_time > v_from AND r.start_time < v_until + v_duration) t)
	    && tstzrange(g, g + v_duration))
	ORDER BY g;
END
$$;
COMMENT ON FUNCTION app.available_slots(text, text, timestamptz, timestamptz, text, boolean) IS
    'the starts (and ends) a guest may book for a published expert''s active event, by start';

REVOKE ALL ON FUNCTION app.available_slots(text, text, timestamptz, timestamptz, text, boolean)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.available_slots(text, text, timestamptz, timestamptz, text, boolean)
    TO eleva_web;
