-- 0009_booking: what a guest's booking needs from the database, which has
-- no signed-in user to let in through the policies.
--
-- app.public_schedule(handle): a published expert's schedule time zone (the
-- booking page shows times in it unless the guest picks another) and
-- booking window in days (how far ahead the page offers to look); no row
-- for anyone else.  Profiles and events are public through their policies;
-- schedules and scheduling settings are not.
--
-- meetings.booking_key: the SHA-256 of the booking form's token (the
-- visitor's CSRF token, high-entropy and theirs alone).  A repeat of a
-- booking (a double click, a reload of the confirmation, the retry after
-- a failure) is recognised only when it carries the same token: matching on
-- the e-mail address alone would tell anyone who types a stranger's address
-- whether that person booked a given time (on a health platform), and have
-- a sign-in code sent to them at will.
--
-- app.is_region_timezone(name): the time zone names the product offers and
-- accepts: "UTC" and the IANA region names ("Europe/Lisbon",
-- "America/Argentina/Buenos_Aires", "Etc/GMT+3"), not abbreviations,
-- POSIX rules or the legacy single-word links ("Portugal", "EST5EDT").  The
-- app's time zone list (sql_timezones) and app.book_meeting both use it.
--
-- app.slot_state(handle, event slug, start, guest e-mail, form token): what
-- a guest submitting that start would find, checked before anyone is
-- registered:
--   'mine'        this e-mail, from the form with this token, already has this
--                 event at this start (a repeat: the booking answers with the
--                 existing meeting),
--   'available'   one of app.available_slots' starts,
--   'booked'      one of the starts the page would offer but for a meeting
--                 of the expert overlapping it (buffers included),
--   'reserved'    ... but for someone else's unexpired reservation,
--   'unavailable' anything else: no such published expert or active event,
--                 off the grid, in the past, within the minimum notice,
--                 beyond the booking window, blocked, outside the hours.
--
-- app.book_meeting(handle, event slug, start, guest WorkOS user id, guest
-- WorkOS organization id, e-mail, name, time zone, notes, form token,
-- pending): in the caller's transaction, one booking of the expert at a
-- time (a transaction-scoped advisory lock: a rival's meeting committed
-- meanwhile is then seen, buffers and all, which the exclusion constraint
-- alone does not know of), registers the guest locally (app.register_guest:
-- users row, personal organization, owner membership; audited
-- GUEST_REGISTERED the first time) and books the meeting in the expert's
-- organization (audited APPOINTMENT_CREATED).  Returns the booking's id,
-- whether it was created now, whether it is pending, and for how many more
-- minutes a pending booking is held: a repeat
-- (app.slot_state's 'mine', or the same form's pending hold) returns the
-- existing one.
--
-- Pending bookings.  Whoever types an address into the form is not known
-- to own it.  When the address belongs to an existing account (p_pending:
-- the app found the WorkOS user rather than creating it; or a local users
-- row exists, whatever the app says) nothing is registered and no meeting
-- made, unless the account is the signed-in user's own (the request's
-- identity): the start is held by a slot_reservations row carrying the booking
-- (guest, name, notes, time zone, form token's hash) for 15 minutes, and
-- app.confirm_booking turns it into the meeting once the address's owner
-- has signed in with the code WorkOS e-mailed them, from the same browser
-- (the form token).  A stranger's booking in someone else's name so never
-- reaches that person's dashboard; it holds one start for 15 minutes, and
-- the booking rate limits (0013) bound how many.
--
-- app.confirm_booking(reservation id, form token): as the signed-in user
-- (the request's identity), the pending booking made with this form whose
-- guest is that user becomes the meeting, if it has not run out and its
-- start is still available.  Returns the meeting's id.
--
-- Checks that hold without the C side's: a time zone is one
-- app.is_region_timezone accepts and PostgreSQL knows; e-mail, name and
-- notes carry no control or invisible formatting characters
-- (app.printable); the e-mail's parts each keep to one script
-- (app.single_script).  Refusals, by SQLSTATE (the C side names them in
-- sql.h):
--   22023  invalid input (e-mail, name, time zone, notes, ids, token)
--   ELNEV  no such published expert with that active event
--   ELNAV  not an available start (app.slot_state's 'unavailable')
--   ELRSV  held by someone else's unexpired reservation
--   ELEXP  (confirm) no such pending booking of this user and form, or run out
--   23P01  taken by another meeting: found here, or by the exclusion
--          constraint meetings_no_double_booking when two bookings race.

ALTER TABLE public.meetings ADD COLUMN booking_key bytea;
COMMENT ON COLUMN public.meetings.booking_key IS
    'SHA-256 of the booking form''s token: repeats are recognised from the same form only';

-- A pending booking is a reservation with the booking's details (no
-- foreign key on the guest: the account may exist in WorkOS only).
ALTER TABLE public.slot_reservations
	ADD COLUMN guest_workos_user_id text,
	ADD COLUMN guest_name text,
	ADD COLUMN guest_notes text,
	ADD COLUMN timezone text,
	ADD COLUMN booking_key bytea,
	ADD CONSTRAINT slot_reservations_pending_complete CHECK (booking_key IS NULL OR
	    (guest_workos_user_id IS NOT NULL AND guest_name IS NOT NULL AND timezone IS NOT NULL));
COMMENT ON COLUMN public.slot_reservations.booking_key IS
    'a pending booking: SHA-256 of the form''s token that app.confirm_booking must be given';

-- Each part of an e-mail address (local part, domain labels) in at most one
-- of the scripts that imitate each other: "аdmin" with a Cyrillic а is
-- refused.  The C side's form_single_script (app/core/form.c) is stricter
-- (every block of letters counts).
CREATE FUNCTION app.single_script(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
	SELECT coalesce(bool_and(
	    (part ~ '[A-Za-z\u00c0-\u024f\u1e00-\u1eff]')::int
	    + (part ~ '[\u0370-\u03ff\u1f00-\u1fff]')::int
	    + (part ~ '[\u0400-\u052f]')::int
	    + (part ~ '[\u0530-\u058f]')::int
	    + (part ~ '[\u0590-\u05ff]')::int
	    + (part ~ '[\u0600-\u06ff\u0750-\u077f]')::int <= 1), true)
	FROM regexp_split_to_table(p, '[@.]') AS part
$$;

CREATE FUNCTION app.is_region_timezone(p_name text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
	SELECT p_name = 'UTC' OR p_name ~ '^[A-Z][A-Za-z0-9_+-]*(/[A-Z0-9][A-Za-z0-9_+-]*)+$'
$$;

CREATE FUNCTION app.public_schedule(p_handle text)
RETURNS TABLE (timezone text, booking_window_days integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT s.timezone, coalesce(ss.booking_window_days, 60)
	FROM public.profiles p
	JOIN public.schedules s ON s.workos_user_id = p.workos_user_id
	LEFT JOIN public.scheduling_settings ss ON ss.workos_user_id = p.workos_user_id
	WHERE p.handle = p_handle AND p.published
$$;

-- No control characters (tabs and line breaks allowed when multiline) nor
-- the invisible formatting ones that can disguise text (soft hyphen,
-- zero-width and direction marks, bidirectional overrides and isolates,
-- word joiners, BOM): the same set as the C validators' (app/valid.c).
CREATE FUNCTION app.printable(p text, p_multiline boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
	SELECT p IS NULL OR NOT (CASE WHEN p_multiline THEN translate(p, E'\n\r\t', '') ELSE p END
	    ~ '[\x01-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]')
$$;

CREATE FUNCTION app.slot_state(p_handle text, p_event_slug text, p_start timestamptz,
    p_email text, p_key text)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_user text;
	v_event uuid;
	v_duration interval;
	v_before interval;
	v_after interval;
BEGIN
	IF p_start IS NULL OR NOT isfinite(p_start) THEN
		RETURN 'unavailable';
	END IF;
	SELECT p.workos_user_id, e.id, make_interval(mins => e.duration_in_minutes),
	    make_interval(mins => coalesce(ss.before_event_buffer, 0)),
	    make_interval(mins => coalesce(ss.after_event_buffer, 0))
	INTO v_user, v_event, v_duration, v_before, v_after
	FROM public.profiles p
	JOIN public.events e ON e.workos_user_id = p.workos_user_id
	    AND e.slug = p_event_slug AND e.is_active
	LEFT JOIN public.scheduling_settings ss ON ss.workos_user_id = p.workos_user_id
	WHERE p.handle = p_handle AND p.published;
	IF NOT FOUND THEN
		RETURN 'unavailable';
	END IF;
	IF p_key IS NOT NULL AND EXISTS (SELECT 1 FROM public.meetings m
	    WHERE m.event_id = v_event AND m.start_time = p_start AND m.status <> 'cancelled'
	    AND lower(m.guest_email) = lower(p_email)
	    AND m.booking_key = sha256(convert_to(p_key, 'UTF8'))) THEN
		RETURN 'mine';
	END IF;
	IF app.is_available_slot(p_handle, p_event_slug, p_start, p_email) THEN
		RETURN 'available';
	END IF;
	-- Not offered now: would it be without meetings and reservations?
	IF NOT EXISTS (SELECT 1 FROM app.available_slots(p_handle, p_event_slug,
	    p_start - interval '24 hours', p_start + interval '24 hours', p_email, false) s
	    WHERE s.start_time = p_start) THEN
		RETURN 'unavailable';
	END IF;
	IF EXISTS (SELECT 1 FROM public.meetings m
	    WHERE m.workos_user_id = v_user AND m.status <> 'cancelled'
	    AND (tstzrange(m.start_time, m.end_time)
		    && tstzrange(p_start - v_before, p_start + v_duration + v_after)
		OR tstzrange(m.start_time - v_before, m.end_time + v_after)
		    && tstzrange(p_start, p_start + v_duration))) THEN
		RETURN 'booked';
	END IF;
	IF EXISTS (SELECT 1 FROM public.slot_reservations r
	    WHERE r.workos_user_id = v_user AND r.expires_at > now()
	    AND lower(r.guest_email) IS DISTINCT FROM lower(p_email)
	    AND tstzrange(r.start_time, r.end_time) && tstzrange(p_start, p_start + v_duration)) THEN
		RETURN 'reserved';
	END IF;
	RETURN 'unavailable';
END
$$;

-- Internal: the meeting itself, audited APPOINTMENT_CREATED (as the guest).
CREATE FUNCTION app.insert_meeting(p_org uuid, p_event uuid, p_expert text, p_guest text,
    p_guest_org uuid, p_email text, p_name text, p_notes text, p_start timestamptz,
    p_duration interval, p_timezone text, p_key_hash bytea)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_id uuid;
BEGIN
	INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id,
	    guest_org_id, guest_email, guest_name, guest_notes, start_time, end_time, timezone,
	    booking_key)
	VALUES (p_org, p_event, p_expert, p_guest, p_guest_org, lower(p_email), btrim(p_name),
	    p_notes, p_start, p_start + p_duration, p_timezone, p_key_hash)
	RETURNING id INTO v_id;
	PERFORM app.audit_write(p_guest, p_org, 'APPOINTMENT_CREATED', 'meeting', v_id::text, NULL,
	    jsonb_build_object('event', p_event, 'expert', p_expert, 'start_time', p_start,
		'end_time', p_start + p_duration, 'timezone', p_timezone,
		'guest_workos_user_id', p_guest, 'guest_org_id', p_guest_org),
	    jsonb_build_object('source', 'booking'));
	RETURN v_id;
END
$$;

-- Internal: app.slot_state's verdict on p_start as an exception, unless
-- it is 'available'.
CREATE FUNCTION app.require_available(p_handle text, p_event_slug text, p_start timestamptz,
    p_email text, p_key text)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	v_state text := app.slot_state(p_handle, p_event_slug, p_start, p_email, p_key);
BEGIN
	IF v_state = 'booked' THEN
		RAISE EXCEPTION 'book_meeting: % is taken', p_start USING ERRCODE = '23P01';
	ELSIF v_state = 'reserved' THEN
		RAISE EXCEPTION 'book_meeting: % is reserved', p_start USING ERRCODE = 'ELRSV';
	ELSIF v_state <> 'available' THEN
		RAISE EXCEPTION 'book_meeting: % is not an available start', p_start
		    USING ERRCODE = 'ELNAV';
	END IF;
END
$$;

CREATE FUNCTION app.book_meeting(p_handle text, p_event_slug text, p_start timestamptz,
    p_guest_workos_user_id text, p_guest_workos_org_id text, p_email text, p_name text,
    p_timezone text, p_notes text, p_key text, p_pending boolean)
RETURNS TABLE (booking_id uuid, created boolean, pending boolean, held_minutes int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_user text;
	v_org uuid;
	v_event uuid;
	v_duration interval;
	v_guest_org uuid;
	v_pending boolean;
	v_id uuid;
	v_notes text := NULLIF(btrim(p_notes), '');
	v_key bytea;
	v_until timestamptz;
	v_hold constant int := 15;	-- minutes a pending booking holds its start
BEGIN
	IF p_timezone IS NULL OR NOT app.is_region_timezone(p_timezone)
	    OR app.timezone_or_utc(p_timezone) <> p_timezone THEN
		RAISE EXCEPTION 'book_meeting: unknown time zone %', p_timezone USING ERRCODE = '22023';
	END IF;
	IF length(v_notes) > 2000 OR NOT app.printable(v_notes, true) THEN
		RAISE EXCEPTION 'book_meeting: notes too long or with control characters'
		    USING ERRCODE = '22023';
	END IF;
	IF p_name IS NULL OR length(btrim(p_name)) > 100 OR NOT app.printable(p_name, false) THEN
		RAISE EXCEPTION 'book_meeting: a name of at most 100 printable characters'
		    USING ERRCODE = '22023';
	END IF;
	IF p_email IS NULL OR NOT app.printable(p_email, false) OR p_email ~ '\.\.|@\.|\.$'
	    OR NOT app.single_script(p_email) THEN
		RAISE EXCEPTION 'book_meeting: invalid e-mail address' USING ERRCODE = '22023';
	END IF;
	IF p_key IS NULL OR length(p_key) < 32 THEN
		RAISE EXCEPTION 'book_meeting: the form''s token is missing' USING ERRCODE = '22023';
	END IF;
	v_key := sha256(convert_to(p_key, 'UTF8'));
	SELECT p.workos_user_id, e.org_id, e.id, make_interval(mins => e.duration_in_minutes)
	INTO v_user, v_org, v_event, v_duration
	FROM public.profiles p
	JOIN public.events e ON e.workos_user_id = p.workos_user_id
	    AND e.slug = p_event_slug AND e.is_active
	WHERE p.handle = p_handle AND p.published;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'book_meeting: no published expert % with active event %',
		    p_handle, p_event_slug USING ERRCODE = 'ELNEV';
	END IF;
	-- One booking of this expert at a time: the checks below then see a
	-- rival's meeting as soon as it is committed, buffers and all (the
	-- exclusion constraint alone knows nothing of buffers).
	PERFORM pg_advisory_xact_lock(hashtextextended('eleva.book_meeting:' || v_user, 0));
	IF p_guest_workos_user_id = v_user THEN
		RAISE EXCEPTION 'book_meeting: experts do not book themselves' USING ERRCODE = '22023';
	END IF;

	-- A repeat from the same form: the meeting, or the pending booking.
	SELECT m.id INTO v_id FROM public.meetings m
	WHERE m.event_id = v_event AND m.start_time = p_start AND m.status <> 'cancelled'
	AND lower(m.guest_email) = lower(p_email) AND m.booking_key = v_key;
	IF FOUND THEN
		RETURN QUERY SELECT v_id, false, false, NULL::int;
		RETURN;
	END IF;
	SELECT r.id, r.expires_at INTO v_id, v_until FROM public.slot_reservations r
	WHERE r.event_id = v_event AND r.start_time = p_start AND r.expires_at > now()
	AND r.guest_workos_user_id = p_guest_workos_user_id AND r.booking_key = v_key;
	IF FOUND THEN
		RETURN QUERY SELECT v_id, false, true,
		    ceil(extract(epoch FROM v_until - now()) / 60)::int;
		RETURN;
	END IF;

	PERFORM app.require_available(p_handle, p_event_slug, p_start, p_email, p_key);
	-- Pending unless the address's account was made just now or is the
	-- signed-in user's own.
	v_pending := (coalesce(p_pending, true) OR EXISTS (SELECT 1 FROM public.users u
	    WHERE u.workos_user_id = p_guest_workos_user_id))
	    AND p_guest_workos_user_id IS DISTINCT FROM app.current_user_id();
	IF v_pending THEN
		PERFORM app.require_match(p_guest_workos_user_id, '^user_[A-Za-z0-9]{1,64}$',
		    'WorkOS user id');
		DELETE FROM public.slot_reservations
		WHERE booking_key IS NOT NULL AND expires_at < now() - interval '1 day';
		INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email,
		    start_time, end_time, expires_at, guest_workos_user_id, guest_name, guest_notes,
		    timezone, booking_key)
		VALUES (v_org, v_event, v_user, lower(p_email), p_start, p_start + v_duration,
		    now() + make_interval(mins => v_hold), p_guest_workos_user_id, btrim(p_name), v_notes,
		    p_timezone, v_key)
		RETURNING id INTO v_id;
		RETURN QUERY SELECT v_id, true, true, v_hold;
		RETURN;
	END IF;

	v_guest_org := app.register_guest(p_guest_workos_user_id, p_email, p_name,
	    p_guest_workos_org_id);
	PERFORM app.audit_write(p_guest_workos_user_id, v_guest_org, 'GUEST_REGISTERED',
	    'user', p_guest_workos_user_id, NULL,
	    jsonb_build_object('email', lower(p_email), 'name', btrim(p_name)),
	    jsonb_build_object('source', 'booking', 'expert', v_user, 'event', v_event));
	v_id := app.insert_meeting(v_org, v_event, v_user, p_guest_workos_user_id, v_guest_org,
	    p_email, p_name, v_notes, p_start, v_duration, p_timezone, v_key);
	RETURN QUERY SELECT v_id, true, false, NULL::int;
END
$$;

CREATE FUNCTION app.confirm_booking(p_reservation uuid, p_key text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_guest text := app.current_user_id();
	r public.slot_reservations;
	v_handle text;
	v_slug text;
	v_guest_org uuid;
	v_id uuid;
BEGIN
	IF v_guest IS NULL THEN
		RAISE EXCEPTION 'confirm_booking: nobody is signed in' USING ERRCODE = '42501';
	END IF;
	SELECT * INTO r FROM public.slot_reservations s
	WHERE s.id = p_reservation AND s.guest_workos_user_id = v_guest
	AND s.booking_key = sha256(convert_to(coalesce(p_key, ''), 'UTF8'))
	AND s.expires_at > now()
	FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'confirm_booking: no such pending booking' USING ERRCODE = 'ELEXP';
	END IF;
	SELECT p.handle, e.slug INTO v_handle, v_slug
	FROM public.events e JOIN public.profiles p ON p.workos_user_id = e.workos_user_id
	WHERE e.id = r.event_id;
	PERFORM pg_advisory_xact_lock(hashtextextended('eleva.book_meeting:' || r.workos_user_id, 0));
	-- The hold is the guest's own (same address): slot_state looks past it.
	PERFORM app.require_available(v_handle, v_slug, r.start_time, r.guest_email, NULL);
	SELECT o.id INTO v_guest_org FROM public.organizations o WHERE o.slug = 'user-' || v_guest;
	v_id := app.insert_meeting(r.org_id, r.event_id, r.workos_user_id, v_guest, v_guest_org,
	    r.guest_email, r.guest_name, r.guest_notes, r.start_time, r.end_time - r.start_time,
	    r.timezone, r.booking_key);
	DELETE FROM public.slot_reservations WHERE id = r.id;
	RETURN v_id;
END
$$;

COMMENT ON FUNCTION app.public_schedule(text) IS
    'a published expert''s schedule time zone and booking window (days)';
COMMENT ON FUNCTION app.is_region_timezone(text) IS
    'UTC or an IANA region name (Area/Location): the time zones the product offers';
COMMENT ON FUNCTION app.slot_state(text, text, timestamptz, text, text) IS
    'mine, available, booked, reserved or unavailable: a start as a guest would find it';
COMMENT ON FUNCTION app.book_meeting(text, text, timestamptz, text, text, text, text, text, text, text, boolean) IS
    'register a guest and book a published expert''s event at an available start, or hold it pending the address owner''s sign-in (idempotent)';
COMMENT ON FUNCTION app.confirm_booking(uuid, text) IS
    'the signed-in guest''s pending booking made with this form becomes the meeting';

REVOKE ALL ON FUNCTION app.printable(text, boolean), app.is_region_timezone(text),
    app.single_script(text), app.public_schedule(text),
    app.slot_state(text, text, timestamptz, text, text),
    app.insert_meeting(uuid, uuid, text, text, uuid, text, text, text, timestamptz, interval,
	text, bytea),
    app.require_available(text, text, timestamptz, text, text),
    app.book_meeting(text, text, timestamptz, text, text, text, text, text, text, text, boolean),
    app.confirm_booking(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.is_region_timezone(text), app.single_script(text),
    app.public_schedule(text),
    app.slot_state(text, text, timestamptz, text, text),
    app.book_meeting(text, text, timestamptz, text, text, text, text, text, text, text, boolean),
    app.confirm_booking(uuid, text) TO eleva_web;
