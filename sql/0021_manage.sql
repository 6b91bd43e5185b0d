-- 0021_manage: a booking's life after it is made — cancelled by either side,
-- moved by its guest — and the e-mail each change sends, written in the
-- same transaction as the change.
--
-- Who may touch a meeting (app.meeting_access): its expert, signed in; its
-- guest, signed in, or holding the meeting's manage key: the HMAC under the
-- identity key (0012) of ('manage', meeting id), which the confirmation
-- e-mail's link carries, so that a guest who never signs in can still
-- cancel or move.  The key never expires: it names one meeting, and what
-- it allows ends with the meeting (nothing changes once it has started or
-- been cancelled).  Anyone else finds no meeting (ELNMT).
--
-- Rules the database keeps, whoever calls:
--   * a meeting that has started (or ended) changes no more (ELPST);
--   * the guest cancels or moves only until the expert's cancellation
--     notice (scheduling_settings.cancellation_notice, minutes before the
--     start; 0: until the start) (ELCUT); the expert may cancel until the
--     start;
--   * only the guest moves a meeting, and only to a start the booking page
--     would offer him now, his own meeting left out (the same event; the
--     expert's rules, buffers and other meetings as for a new booking):
--     the meeting is moved in one statement of one transaction under the
--     expert's booking lock (0009), so its old start is freed exactly when
--     the new one is taken, and of rival moves onto one start exactly one
--     wins (23P01 or ELNAV for the others);
--   * a cancelled meeting frees its time (the exclusion constraint and
--     app.available_slots ignore cancelled meetings) and is cancelled once:
--     cancelling it again changes nothing ('already').
-- Each change counts one more in meetings.sequence (iCalendar SEQUENCE:
-- calendars replace the older copy), is audited (APPOINTMENT_CANCELLED,
-- APPOINTMENT_RESCHEDULED; as the guest when he used his key) and writes
-- its e-mails.
--
-- The outbox (public.mail_outbox): one row per message and recipient (the
-- guest, the expert), holding what the message says as it was when it was
-- written (the expert's name, the event, the times, the reason), the
-- recipient's language (the guest's: the language he booked in,
-- meetings.language, else his preference; the expert's preference) and time zone
-- (the guest's at booking; the expert's schedule's).  Kinds: confirmed
-- (app.insert_meeting, replaced here to write them), cancelled,
-- rescheduled, reminder (24 hours before the start, for a meeting last
-- booked or moved more than 24 hours before it: app.mail_reminders, which
-- the sender calls).  (meeting, kind, recipient, sequence) is unique: a
-- message is written once.
--
-- The sender (eleva mailer) runs as the app role and reaches the outbox
-- only through three functions it signs like app.workos_event (0020): the
-- MAC over the call under the identity key, with an expiry.
--   app.mail_claim(worker, limit, lease seconds): the due messages (not
--     sent, not given up, next_attempt_at passed, not claimed by a worker
--     whose lease runs), oldest first, claimed for the lease (SKIP LOCKED:
--     two senders never claim one message); each claim counts an attempt.
--   app.mail_sent(id, worker): delivered (the SMTP server took it); what it
--     said is cleared.  A message whose lease ran out meanwhile (a frozen
--     sender) is still marked.
--   app.mail_failed(id, worker, error, permanent): not delivered; tried
--     again after 10 s x 2^(attempts - 1), at most 10 minutes apart, and
--     given up after 30 attempts (about four hours) or at once when
--     permanent (the server refused the message or the recipient).
-- A sender killed between the SMTP server's acceptance and mail_sent
-- leaves a claimed message that another claim sends again once the lease
-- runs out: the only window in which a message can go twice (RFC 5321
-- 6.1 has the same), a few milliseconds wide.

ALTER TABLE public.scheduling_settings
	ADD COLUMN cancellation_notice integer NOT NULL DEFAULT 0
	    CHECK (cancellation_notice BETWEEN 0 AND 43200);
COMMENT ON COLUMN public.scheduling_settings.cancellation_notice IS
    'minutes before the start after which the guest can no longer cancel or move the meeting';

ALTER TABLE public.meetings
	ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
	ADD COLUMN cancelled_by text CHECK (cancelled_by IN ('guest', 'expert')),
	ADD COLUMN cancel_reason text CHECK (length(cancel_reason) <= 500),
	ADD COLUMN language text CHECK (language IN ('en', 'es', 'pt', 'br'));
COMMENT ON COLUMN public.meetings.sequence IS
    'iCalendar SEQUENCE: one more at each change (move, cancellation)';
COMMENT ON COLUMN public.meetings.language IS
    'the language the guest booked in: his e-mails'' unless he has a preference';

CREATE TABLE public.mail_outbox (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	meeting_id uuid NOT NULL REFERENCES public.meetings (id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('confirmed', 'cancelled', 'rescheduled', 'reminder')),
	recipient text NOT NULL CHECK (recipient IN ('guest', 'expert')),
	to_email text NOT NULL,
	to_name text NOT NULL,
	language text NOT NULL CHECK (language IN ('en', 'es', 'pt', 'br')),
	timezone text NOT NULL,
	sequence integer NOT NULL,
	data jsonb,
	created_at timestamptz NOT NULL DEFAULT now(),
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	attempts integer NOT NULL DEFAULT 0,
	claimed_by text,
	claimed_until timestamptz,
	sent_at timestamptz,
	failed_at timestamptz,
	last_error text,
	CONSTRAINT mail_outbox_once UNIQUE (meeting_id, kind, recipient, sequence),
	CHECK (sent_at IS NULL OR failed_at IS NULL),
	CHECK (data IS NOT NULL OR sent_at IS NOT NULL OR failed_at IS NOT NULL)
);
CREATE INDEX mail_outbox_due_idx ON public.mail_outbox (next_attempt_at, id)
    WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_org_idx ON public.mail_outbox (org_id);
SELECT app.private_table('public.mail_outbox');

-- Who the caller is to meeting p_id: 'expert', 'guest' or NULL.
CREATE FUNCTION app.meeting_access(p_id uuid, p_key text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT CASE
	    WHEN m.workos_user_id = app.current_user_id() THEN 'expert'
	    WHEN m.guest_workos_user_id = app.current_user_id() THEN 'guest'
	    WHEN p_key IS NOT NULL AND app.mac_valid(app.mac_message('manage', m.id::text), p_key)
		THEN 'guest'
	    END
	FROM public.meetings m WHERE m.id = p_id
$$;

-- Internal: the e-mails of a change of meeting p_id (kind), one for each
-- side, with extra facts (the old times, the reason) in p_extra.
CREATE FUNCTION app.mail_enqueue(p_id uuid, p_kind text, p_extra jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	m public.meetings;
	v_data jsonb;
	v_expert_name text;
	v_expert_email text;
	v_expert_lang text;
	v_expert_tz text;
	v_guest_lang text;
BEGIN
	SELECT * INTO m FROM public.meetings WHERE id = p_id;
	SELECT coalesce(NULLIF(btrim(concat_ws(' ', coalesce(p.first_name, u.first_name),
		coalesce(p.last_name, u.last_name))), ''), u.email),
	    u.email, coalesce(pr.language, 'en'),
	    app.timezone_or_utc((SELECT s.timezone FROM public.schedules s
		WHERE s.workos_user_id = u.workos_user_id))
	INTO v_expert_name, v_expert_email, v_expert_lang, v_expert_tz
	FROM public.users u
	LEFT JOIN public.profiles p ON p.workos_user_id = u.workos_user_id
	LEFT JOIN public.user_preferences pr ON pr.workos_user_id = u.workos_user_id
	WHERE u.workos_user_id = m.workos_user_id;
	SELECT pr.language INTO v_guest_lang FROM public.user_preferences pr
	WHERE pr.workos_user_id = m.guest_workos_user_id;
	v_data := jsonb_build_object('meeting', m.id, 'start', floor(extract(epoch FROM m.start_time))::bigint,
	    'end', floor(extract(epoch FROM m.end_time))::bigint, 'status', m.status,
	    'event', (SELECT e.name FROM public.events e WHERE e.id = m.event_id),
	    'expert', v_expert_name, 'guest', m.guest_name, 'guest_email', m.guest_email,
	    'handle', (SELECT p.handle FROM public.profiles p WHERE p.workos_user_id = m.workos_user_id),
	    'slug', (SELECT e.slug FROM public.events e WHERE e.id = m.event_id),
	    'cancelled_by', m.cancelled_by, 'reason', m.cancel_reason) || coalesce(p_extra, '{}');
	-- Never to an address of .invalid (RFC 2606): a deleted account's.
	INSERT INTO public.mail_outbox (org_id, meeting_id, kind, recipient, to_email, to_name,
	    language, timezone, sequence, data)
	SELECT * FROM (VALUES (m.org_id, m.id, p_kind, 'guest', m.guest_email, m.guest_name,
	    coalesce(m.language, v_guest_lang, 'en'), app.timezone_or_utc(m.timezone), m.sequence,
	    v_data),
	    (m.org_id, m.id, p_kind, 'expert', v_expert_email, v_expert_name, v_expert_lang,
	    v_expert_tz, m.sequence, v_data || jsonb_build_object('notes', m.guest_notes))) r
	WHERE r.column5 IS NOT NULL AND r.column5 !~* '\.invalid$'
	ON CONFLICT ON CONSTRAINT mail_outbox_once DO NOTHING;
END
$$;

-- A user who goes (app.delete_account of 0017, or WorkOS's deletion
-- event) takes his mail with him: every message to him, and every one
-- about his bookings (their facts name him), sent or not.
CREATE FUNCTION app.mail_forget_user() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	DELETE FROM public.mail_outbox o
	WHERE lower(o.to_email) = lower(OLD.email)
	OR lower(o.data->>'guest_email') = lower(OLD.email);
	RETURN OLD;
END
$$;
CREATE TRIGGER users_mail_forget AFTER DELETE ON public.users
    FOR EACH ROW EXECUTE FUNCTION app.mail_forget_user();

-- app.insert_meeting of 0009, now also recording the guest's language (the
-- request's, app.lang) and writing the confirmations.
CREATE OR REPLACE FUNCTION app.insert_meeting(p_org uuid, p_event uuid, p_expert text, p_guest text,
    p_guest_org uuid, p_email text, p_name text, p_notes text, p_start timestamptz,
    p_duration interval, p_timezone text, p_key_hash bytea)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_id uuid;
	v_lang text := NULLIF(current_setting('app.lang', true), '');
BEGIN
	IF v_lang NOT IN ('en', 'es', 'pt', 'br') THEN
		v_lang := NULL;
	END IF;
	INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id,
	    guest_org_id, guest_email, guest_name, guest_notes, start_time, end_time, timezone,
	    booking_key, language)
	VALUES (p_org, p_event, p_expert, p_guest, p_guest_org, lower(p_email), btrim(p_name),
	    p_notes, p_start, p_start + p_duration, p_timezone, p_key_hash, v_lang)
	RETURNING id INTO v_id;
	PERFORM app.audit_write(p_guest, p_org, 'APPOINTMENT_CREATED', 'meeting', v_id::text, NULL,
	    jsonb_build_object('event', p_event, 'expert', p_expert, 'start_time', p_start,
		'end_time', p_start + p_duration, 'timezone', p_timezone,
		'guest_workos_user_id', p_guest, 'guest_org_id', p_guest_org),
	    jsonb_build_object('source', 'booking'));
	PERFORM app.mail_enqueue(v_id, 'confirmed', NULL);
	RETURN v_id;
END
$$;

-- What the manage page shows of meeting p_id to the caller (no row for
-- anyone app.meeting_access does not name).  Times as Unix seconds; the
-- caller's time zone is the guest's (guest) or the expert's schedule's.
CREATE FUNCTION app.meeting_manage(p_id uuid, p_key text)
RETURNS TABLE (access text, status text, start_time timestamptz, end_time timestamptz,
    timezone text, event_name text, handle text, slug text, expert_name text,
    guest_name text, guest_email text, cancelled_by text, cancel_reason text,
    cutoff timestamptz, can_cancel boolean, can_move boolean, sequence integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_access text := app.meeting_access(p_id, p_key);
BEGIN
	IF v_access IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY
	SELECT v_access, m.status, m.start_time, m.end_time,
	    CASE WHEN v_access = 'guest' THEN app.timezone_or_utc(m.timezone)
		ELSE app.timezone_or_utc(s.timezone) END,
	    e.name, p.handle, e.slug,
	    coalesce(NULLIF(btrim(concat_ws(' ', p.first_name, p.last_name)), ''), u.email),
	    m.guest_name, m.guest_email, m.cancelled_by, m.cancel_reason,
	    m.start_time - make_interval(mins => coalesce(ss.cancellation_notice, 0)),
	    m.status = 'confirmed' AND now() < m.start_time - CASE WHEN v_access = 'guest'
		THEN make_interval(mins => coalesce(ss.cancellation_notice, 0))
		ELSE interval '0' END,
	    v_access = 'guest' AND m.status = 'confirmed' AND p.published AND e.is_active
		AND now() < m.start_time - make_interval(mins => coalesce(ss.cancellation_notice, 0)),
	    m.sequence
	FROM public.meetings m
	JOIN public.users u ON u.workos_user_id = m.workos_user_id
	LEFT JOIN public.events e ON e.id = m.event_id
	LEFT JOIN public.profiles p ON p.workos_user_id = m.workos_user_id
	LEFT JOIN public.schedules s ON s.workos_user_id = m.workos_user_id
	LEFT JOIN public.scheduling_settings ss ON ss.workos_user_id = m.workos_user_id
	WHERE m.id = p_id;
END
$$;

-- Internal: meeting p_id locked for a change by the caller, or the refusal.
CREATE FUNCTION app.meeting_for_change(p_id uuid, p_key text, OUT m public.meetings,
    OUT access text, OUT notice interval)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	access := app.meeting_access(p_id, p_key);
	IF access IS NULL THEN
		RAISE EXCEPTION 'no such meeting of yours' USING ERRCODE = 'ELNMT';
	END IF;
	SELECT * INTO m FROM public.meetings WHERE id = p_id FOR UPDATE;
	SELECT make_interval(mins => coalesce((SELECT ss.cancellation_notice
	    FROM public.scheduling_settings ss WHERE ss.workos_user_id = m.workos_user_id), 0))
	INTO notice;
	IF m.status = 'confirmed' AND m.start_time <= now() THEN
		RAISE EXCEPTION 'the meeting has started' USING ERRCODE = 'ELPST';
	END IF;
END
$$;

-- Cancel meeting p_id as its expert or its guest, with an optional reason.
-- 'cancelled', or 'already' when it was.
CREATE FUNCTION app.cancel_meeting(p_id uuid, p_key text, p_reason text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	c record;
	v_reason text := NULLIF(btrim(p_reason), '');
	v_actor text;
BEGIN
	IF length(v_reason) > 500 OR NOT app.printable(v_reason, true) THEN
		RAISE EXCEPTION 'cancel_meeting: a reason of at most 500 printable characters'
		    USING ERRCODE = '22023';
	END IF;
	c := app.meeting_for_change(p_id, p_key);
	IF (c.m).status = 'cancelled' THEN
		RETURN 'already';
	END IF;
	IF c.access = 'guest' AND now() >= (c.m).start_time - c.notice THEN
		RAISE EXCEPTION 'past the cancellation notice' USING ERRCODE = 'ELCUT';
	END IF;
	UPDATE public.meetings SET status = 'cancelled', cancelled_at = now(),
	    cancelled_by = c.access, cancel_reason = v_reason, sequence = sequence + 1
	WHERE id = p_id;
	v_actor := CASE WHEN c.access = 'expert' THEN (c.m).workos_user_id
	    ELSE coalesce((c.m).guest_workos_user_id, app.current_user_id()) END;
	PERFORM app.audit_write(v_actor, (c.m).org_id, 'APPOINTMENT_CANCELLED', 'meeting',
	    p_id::text, jsonb_build_object('status', (c.m).status),
	    jsonb_build_object('status', 'cancelled', 'reason', v_reason),
	    jsonb_build_object('by', c.access, 'with_key', app.current_user_id() IS NULL,
		'start_time', (c.m).start_time));
	PERFORM app.mail_enqueue(p_id, 'cancelled', NULL);
	RETURN 'cancelled';
END
$$;

-- Move meeting p_id, as its guest, to p_start.  'rescheduled', or 'same'
-- when it is there already.
CREATE FUNCTION app.reschedule_meeting(p_id uuid, p_key text, p_start timestamptz) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	c record;
	v_handle text;
	v_slug text;
	v_duration interval;
BEGIN
	IF p_start IS NULL OR NOT isfinite(p_start) THEN
		RAISE EXCEPTION 'reschedule_meeting: a start is needed' USING ERRCODE = '22023';
	END IF;
	-- The expert's booking lock first (0009's order: then the meeting).
	PERFORM pg_advisory_xact_lock(hashtextextended('eleva.book_meeting:'
	    || (SELECT m.workos_user_id FROM public.meetings m WHERE m.id = p_id), 0));
	c := app.meeting_for_change(p_id, p_key);
	IF c.access <> 'guest' THEN
		RAISE EXCEPTION 'only the guest moves a meeting' USING ERRCODE = '42501';
	END IF;
	IF (c.m).status = 'cancelled' THEN
		RAISE EXCEPTION 'the meeting is cancelled' USING ERRCODE = 'ELCAN';
	END IF;
	IF now() >= (c.m).start_time - c.notice THEN
		RAISE EXCEPTION 'past the cancellation notice' USING ERRCODE = 'ELCUT';
	END IF;
	IF p_start = (c.m).start_time THEN
		RETURN 'same';
	END IF;
	SELECT p.handle, e.slug INTO v_handle, v_slug
	FROM public.events e JOIN public.profiles p ON p.workos_user_id = e.workos_user_id
	WHERE e.id = (c.m).event_id;
	v_duration := (c.m).end_time - (c.m).start_time;
	-- Offered now with this meeting out of the way?  Only this
	-- transaction sees it out of the way, and it is back, moved or not,
	-- before anyone else can look.
	UPDATE public.meetings SET status = 'cancelled', cancelled_at = now() WHERE id = p_id;
	PERFORM app.require_available(v_handle, v_slug, p_start, (c.m).guest_email, NULL);
	UPDATE public.meetings SET status = 'confirmed', cancelled_at = NULL,
	    start_time = p_start, end_time = p_start + v_duration, sequence = sequence + 1
	WHERE id = p_id;
	PERFORM app.audit_write(coalesce((c.m).guest_workos_user_id, app.current_user_id()),
	    (c.m).org_id, 'APPOINTMENT_RESCHEDULED', 'meeting', p_id::text,
	    jsonb_build_object('start_time', (c.m).start_time, 'end_time', (c.m).end_time),
	    jsonb_build_object('start_time', p_start, 'end_time', p_start + v_duration),
	    jsonb_build_object('by', 'guest', 'with_key', app.current_user_id() IS NULL));
	PERFORM app.mail_enqueue(p_id, 'rescheduled', jsonb_build_object(
	    'old_start', floor(extract(epoch FROM (c.m).start_time))::bigint,
	    'old_end', floor(extract(epoch FROM (c.m).end_time))::bigint));
	RETURN 'rescheduled';
END
$$;

-- The reminders due: meetings starting within 24 hours, booked or last
-- moved more than 24 hours before their start.  Returns how many.
CREATE FUNCTION app.mail_reminders() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	r record;
	n integer := 0;
BEGIN
	FOR r IN SELECT m.id FROM public.meetings m
	    WHERE m.status = 'confirmed' AND m.start_time > now()
	    AND m.start_time <= now() + interval '24 hours'
	    AND m.updated_at <= m.start_time - interval '24 hours'
	    AND NOT EXISTS (SELECT 1 FROM public.mail_outbox o WHERE o.meeting_id = m.id
		AND o.kind = 'reminder' AND o.sequence = m.sequence)
	LOOP
		PERFORM app.mail_enqueue(r.id, 'reminder', NULL);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

-- Internal: a sender's call, signed (0012's MAC) and not expired.
CREATE FUNCTION app.mail_signed(p_message bytea, p_expires bigint, p_mac text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF p_expires IS NULL OR p_expires <= extract(epoch FROM now())
	    OR NOT app.mac_valid(p_message, p_mac) THEN
		RAISE EXCEPTION 'mail: not signed by the app, or expired' USING ERRCODE = '42501';
	END IF;
END
$$;

CREATE FUNCTION app.mail_claim(p_worker text, p_limit integer, p_lease integer,
    p_expires bigint, p_mac text)
RETURNS TABLE (id bigint, meeting_id uuid, kind text, recipient text, to_email text,
    to_name text, language text, timezone text, sequence integer, data jsonb, attempts integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	PERFORM app.mail_signed(app.mac_message('mail_claim', p_worker, p_limit::text,
	    p_lease::text, p_expires::text), p_expires, p_mac);
	IF p_limit NOT BETWEEN 1 AND 100 OR p_lease NOT BETWEEN 10 AND 3600 THEN
		RAISE EXCEPTION 'mail_claim: limit 1-100, lease 10-3600 s' USING ERRCODE = '22023';
	END IF;
	PERFORM app.mail_reminders();
	RETURN QUERY
	UPDATE public.mail_outbox o SET claimed_by = p_worker,
	    claimed_until = now() + make_interval(secs => p_lease), attempts = o.attempts + 1
	WHERE o.id IN (SELECT d.id FROM public.mail_outbox d
	    WHERE d.sent_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= now()
	    AND (d.claimed_until IS NULL OR d.claimed_until < now())
	    ORDER BY d.next_attempt_at, d.id LIMIT p_limit FOR UPDATE SKIP LOCKED)
	RETURNING o.id, o.meeting_id, o.kind, o.recipient, o.to_email, o.to_name, o.language,
	    o.timezone, o.sequence, o.data, o.attempts;
END
$$;

CREATE FUNCTION app.mail_sent(p_id bigint, p_worker text, p_expires bigint, p_mac text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	PERFORM app.mail_signed(app.mac_message('mail_sent', p_id::text, p_worker,
	    p_expires::text), p_expires, p_mac);
	UPDATE public.mail_outbox SET sent_at = now(), claimed_by = NULL, claimed_until = NULL,
	    data = NULL, last_error = NULL
	WHERE id = p_id AND sent_at IS NULL AND failed_at IS NULL;
	RETURN FOUND;
END
$$;

CREATE FUNCTION app.mail_failed(p_id bigint, p_worker text, p_error text, p_permanent boolean,
    p_expires bigint, p_mac text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	PERFORM app.mail_signed(app.mac_message('mail_failed', p_id::text, p_worker, p_error,
	    p_permanent::text, p_expires::text), p_expires, p_mac);
	UPDATE public.mail_outbox SET claimed_by = NULL, claimed_until = NULL,
	    last_error = left(p_error, 500),
	    failed_at = CASE WHEN p_permanent OR attempts >= 30 THEN now() END,
	    data = CASE WHEN p_permanent OR attempts >= 30 THEN NULL ELSE data END,
	    next_attempt_at = now() + least(interval '10 minutes',
		make_interval(secs => 10 * power(2, least(attempts, 12) - 1)))
	WHERE id = p_id AND sent_at IS NULL AND failed_at IS NULL;
	RETURN FOUND;
END
$$;

COMMENT ON FUNCTION app.meeting_access(uuid, text) IS
    'expert, guest (signed in, or by the manage key) or NULL: who the caller is to a meeting';
COMMENT ON FUNCTION app.meeting_manage(uuid, text) IS
    'a meeting as its expert or guest may see it, with what each may still do';
COMMENT ON FUNCTION app.cancel_meeting(uuid, text, text) IS
    'cancel a meeting as its expert or guest (the guest until the cancellation notice)';
COMMENT ON FUNCTION app.reschedule_meeting(uuid, text, timestamptz) IS
    'move a meeting, as its guest, to a start offered now: atomically';
COMMENT ON FUNCTION app.mail_claim(text, integer, integer, bigint, text) IS
    'the sender''s due messages, claimed for a lease (signed call)';

REVOKE ALL ON FUNCTION app.meeting_access(uuid, text), app.mail_enqueue(uuid, text, jsonb),
    app.mail_forget_user(),
    app.meeting_manage(uuid, text), app.meeting_for_change(uuid, text),
    app.cancel_meeting(uuid, text, text), app.reschedule_meeting(uuid, text, timestamptz),
    app.mail_reminders(), app.mail_signed(bytea, bigint, text),
    app.mail_claim(text, integer, integer, bigint, text),
    app.mail_sent(bigint, text, bigint, text),
    app.mail_failed(bigint, text, text, boolean, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.meeting_manage(uuid, text),
    app.cancel_meeting(uuid, text, text), app.reschedule_meeting(uuid, text, timestamptz),
    app.mail_claim(text, integer, integer, bigint, text),
    app.mail_sent(bigint, text, bigint, text),
    app.mail_failed(bigint, text, text, boolean, bigint, text) TO eleva_web;
