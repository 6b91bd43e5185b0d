-- 0017_privacy: a user's own data, on request (GDPR art. 15/20) and
-- erased on request (art. 17), issue 14.
--
-- app.personal_data(): everything held about the signed-in user, as one
-- JSON document: the account, preferences, memberships, the expert's
-- profile, events, schedule and settings, bookings made as a guest (and
-- pending ones), meetings held as an expert (without the guests' details:
-- those are theirs), and the audit rows about what the user did.
--
-- app.delete_account(): erases the signed-in user, in one transaction.
--   * Refused (ELUPC) while the user, as an expert, has upcoming confirmed
--     meetings (cancel them first), and (ELPAY) when payment records name
--     him (the law keeps those).
--   * Meetings he booked as a guest stay with their expert, the guest
--     anonymised: name "Deleted user", an address that reaches nobody,
--     notes removed, no link to the account; the expert's health records
--     of those meetings keep their content (the practitioner's to keep)
--     under the anonymised address.  His pending holds are dropped.
--   * His personal organization goes, with everything in it (profile,
--     events, schedule, the practice's past meetings, preferences ...);
--     then the users row, with his memberships elsewhere and his session
--     records.
--   * Audit rows stay, as the law requires: their personal values were
--     redacted when written (now names too, below), and the chain is
--     never rewritten.  ACCOUNT_DELETED records the erasure.
--   * account_deletions remembers the WorkOS ids to delete there: the app
--     deletes the WorkOS user and organization after the commit and calls
--     app.account_deletion_done; a deletion WorkOS did not take is
--     retried when that WorkOS user next signs in, and the sign-in is
--     refused (SQL_DELETION_PENDING).
--
-- Redaction (0014's app.audit_redact) now also covers names: keys "name",
-- "first_name", "last_name", "guest_name" ... are personal.

CREATE OR REPLACE FUNCTION app.audit_redact(v jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
	IF jsonb_typeof(v) = 'object' THEN
		RETURN (SELECT coalesce(jsonb_object_agg(k, CASE
		    WHEN k ~* '(e-?mail|notes|phone|address|password|token|secret|(^|_)name$)'
			AND jsonb_typeof(x) <> 'null' THEN to_jsonb('[redacted]'::text)
		    ELSE app.audit_redact(x) END), '{}'::jsonb)
		    FROM jsonb_each(v) AS e (k, x));
	ELSIF jsonb_typeof(v) = 'array' THEN
		RETURN (SELECT coalesce(jsonb_agg(app.audit_redact(x) ORDER BY n), '[]'::jsonb)
		    FROM jsonb_array_elements(v) WITH ORDINALITY AS a (x, n));
	END IF;
	RETURN v;
END
$$;

-- One reads the audit rows about what one did, wherever they were written.
CREATE POLICY self_read ON public.audit_logs FOR SELECT
    USING (workos_user_id = (SELECT app.current_user_id()));

CREATE TABLE public.account_deletions (
	workos_user_id text PRIMARY KEY,
	workos_org_id text,
	deleted_at timestamptz NOT NULL DEFAULT now(),
	workos_deleted_at timestamptz
);
COMMENT ON TABLE public.account_deletions IS
    'erased accounts: the WorkOS user and organization still to delete there (workos_deleted_at NULL)';
SELECT app.private_table('public.account_deletions');

CREATE FUNCTION app.personal_data() RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_user text := app.current_user_id();
BEGIN
	IF v_user IS NULL THEN
		RAISE EXCEPTION 'personal_data: nobody is signed in' USING ERRCODE = '42501';
	END IF;
	RETURN jsonb_build_object(
	    'generated_at', now(),
	    'account', (SELECT to_jsonb(u) - 'id' FROM public.users u WHERE u.workos_user_id = v_user),
	    'preferences', (SELECT to_jsonb(p) - 'id' FROM public.user_preferences p
		WHERE p.workos_user_id = v_user),
	    'memberships', (SELECT coalesce(jsonb_agg(jsonb_build_object('organization', o.name,
		'organization_id', o.id, 'role', m.role, 'status', m.status, 'since', m.created_at)
		ORDER BY m.created_at), '[]') FROM public.user_org_memberships m
		JOIN public.organizations o ON o.id = m.org_id WHERE m.workos_user_id = v_user),
	    'expert_setup', (SELECT to_jsonb(s) - 'id' FROM public.expert_setup s
		WHERE s.workos_user_id = v_user),
	    'profile', (SELECT to_jsonb(p) - 'id' FROM public.profiles p WHERE p.workos_user_id = v_user),
	    'events', (SELECT coalesce(jsonb_agg(to_jsonb(e) ORDER BY e.created_at), '[]')
		FROM public.events e WHERE e.workos_user_id = v_user),
	    'schedule', (SELECT to_jsonb(s) || jsonb_build_object('availabilities',
		(SELECT coalesce(jsonb_agg(jsonb_build_object('day', a.day_of_week,
		    'start', a.start_time, 'end', a.end_time) ORDER BY a.day_of_week, a.start_time), '[]')
		 FROM public.schedule_availabilities a WHERE a.schedule_id = s.id))
		FROM public.schedules s WHERE s.workos_user_id = v_user),
	    'scheduling_settings', (SELECT to_jsonb(x) - 'id' FROM public.scheduling_settings x
		WHERE x.workos_user_id = v_user),
	    'blocked_dates', (SELECT coalesce(jsonb_agg(jsonb_build_object('date', b.date,
		'reason', b.reason) ORDER BY b.date), '[]')
		FROM public.blocked_dates b WHERE b.workos_user_id = v_user),
	    'bookings', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', m.id,
		'expert', concat_ws(' ', p.first_name, p.last_name), 'event', e.name,
		'start_time', m.start_time, 'end_time', m.end_time, 'timezone', m.timezone,
		'status', m.status, 'name', m.guest_name, 'email', m.guest_email,
		'notes', m.guest_notes, 'booked_at', m.created_at) ORDER BY m.start_time), '[]')
		FROM public.meetings m JOIN public.events e ON e.id = m.event_id
		LEFT JOIN public.profiles p ON p.workos_user_id = m.workos_user_id
		WHERE m.guest_workos_user_id = v_user),
	    'pending_bookings', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id,
		'event', e.name, 'start_time', r.start_time, 'expires_at', r.expires_at,
		'name', r.guest_name, 'email', r.guest_email, 'notes', r.guest_notes)
		ORDER BY r.start_time), '[]')
		FROM public.slot_reservations r JOIN public.events e ON e.id = r.event_id
		WHERE r.guest_workos_user_id = v_user),
	    'meetings_as_expert', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', m.id,
		'event', e.name, 'start_time', m.start_time, 'end_time', m.end_time,
		'status', m.status) ORDER BY m.start_time), '[]')
		FROM public.meetings m JOIN public.events e ON e.id = m.event_id
		WHERE m.workos_user_id = v_user),
	    'audit_log', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id,
		'time', a.created_at, 'action', a.action, 'resource_type', a.resource_type,
		'resource_id', a.resource_id, 'old_values', a.old_values, 'new_values', a.new_values,
		'metadata', a.metadata, 'ip', a.ip_address, 'user_agent', a.user_agent,
		'request_id', a.request_id) ORDER BY a.id), '[]')
		FROM public.audit_logs a WHERE a.workos_user_id = v_user));
END
$$;

CREATE FUNCTION app.delete_account()
RETURNS TABLE (workos_org_id text, meetings_anonymised int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_user text := app.current_user_id();
	v_email text;
	v_org uuid;
	v_org_workos text;
	v_n int;
BEGIN
	SELECT u.email INTO v_email FROM public.users u WHERE u.workos_user_id = v_user FOR UPDATE;
	IF v_user IS NULL OR NOT FOUND THEN
		RAISE EXCEPTION 'delete_account: nobody is signed in' USING ERRCODE = '42501';
	END IF;
	IF EXISTS (SELECT 1 FROM public.meetings m WHERE m.workos_user_id = v_user
	    AND m.status = 'confirmed' AND m.end_time > now()) THEN
		RAISE EXCEPTION 'delete_account: upcoming meetings' USING ERRCODE = 'ELUPC';
	END IF;
	IF EXISTS (SELECT 1 FROM public.payment_transfers t WHERE t.expert_workos_user_id = v_user) THEN
		RAISE EXCEPTION 'delete_account: payment records' USING ERRCODE = 'ELPAY';
	END IF;
	SELECT o.id, o.workos_org_id INTO v_org, v_org_workos FROM public.organizations o
	WHERE o.slug = 'user-' || v_user;

	-- The guest's meetings stay with their experts, anonymised.
	WITH m AS (UPDATE public.meetings m SET guest_workos_user_id = NULL, guest_org_id = NULL,
		guest_name = 'Deleted user',
		guest_email = 'deleted-' || left(md5(m.id::text), 12) || '@deleted.invalid',
		guest_notes = NULL
	    WHERE (m.guest_workos_user_id = v_user OR lower(m.guest_email) = lower(v_email))
	    AND m.workos_user_id <> v_user
	    RETURNING m.id, m.guest_email)
	, r AS (UPDATE public.records r SET guest_email = m.guest_email FROM m WHERE r.meeting_id = m.id
	    RETURNING r.id)
	SELECT count(*) INTO v_n FROM m;
	DELETE FROM public.slot_reservations r
	WHERE r.guest_workos_user_id = v_user OR lower(r.guest_email) = lower(v_email);

	PERFORM app.audit_write(v_user, NULL, 'ACCOUNT_DELETED', 'user', v_user, NULL, NULL,
	    jsonb_build_object('meetings_anonymised', v_n, 'workos_org_id', v_org_workos));
	INSERT INTO public.account_deletions (workos_user_id, workos_org_id)
	VALUES (v_user, v_org_workos)
	ON CONFLICT (workos_user_id) DO UPDATE SET deleted_at = now(), workos_deleted_at = NULL,
	    workos_org_id = EXCLUDED.workos_org_id;

	DELETE FROM public.organizations o WHERE o.id = v_org;
	DELETE FROM public.ended_sessions e WHERE e.workos_user_id = v_user;
	DELETE FROM public.session_refreshes s WHERE s.workos_user_id = v_user;
	DELETE FROM public.users u WHERE u.workos_user_id = v_user;
	workos_org_id := v_org_workos;
	meetings_anonymised := v_n;
	RETURN NEXT;
END
$$;

-- The WorkOS user (and organization) of an erased account are gone there
-- too.  As that user (the session still names him) or as nobody on a
-- retry at sign-in.
CREATE FUNCTION app.account_deletion_done(p_user text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
	UPDATE public.account_deletions SET workos_deleted_at = now()
	WHERE workos_user_id = p_user AND workos_deleted_at IS NULL
	AND coalesce(app.current_user_id(), p_user) = p_user
	RETURNING true
$$;

-- Whether p_user's account was erased and WorkOS still has him: his
-- WorkOS organization's id (or '' for none) to delete, else no row.
CREATE FUNCTION app.account_deletion_pending(p_user text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT coalesce(d.workos_org_id, '') FROM public.account_deletions d
	WHERE d.workos_user_id = p_user AND d.workos_deleted_at IS NULL
$$;

REVOKE ALL ON FUNCTION app.personal_data(), app.delete_account(),
    app.account_deletion_done(text), app.account_deletion_pending(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.personal_data(), app.delete_account(),
    app.account_deletion_done(text), app.account_deletion_pending(text) TO eleva_web;
