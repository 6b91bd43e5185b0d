-- 0016_audit_coverage: the mutations that changed rows without an audit
-- row of their own (issue 14, "every mutation ... produces exactly one
-- audit row"), recorded in the transaction that makes them.
--
-- app.sign_in_provision: what the app calls when a user signs in for the
-- first time (SQL_PROVISION_USER): app.provision_user, then
-- USER_PROVISIONED in the user's new organization when this transaction
-- made the users row (its created_at is this transaction's now(): a
-- concurrent first sign-in that lost the race finds the winner's row and
-- records nothing).  app.provision_user itself stays silent for the
-- owner's seeding.
--
-- APPOINTMENT_REQUESTED: a pending booking (app.book_meeting's hold of a
-- start for an address that has an account, until its owner signs in) is
-- recorded by a trigger on the hold, in the expert's organization, as the
-- guest; confirming it records APPOINTMENT_CREATED as before.

CREATE FUNCTION app.sign_in_provision(p_workos_user_id text, p_email text,
    p_first_name text, p_last_name text, p_role text, p_workos_org_id text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_org uuid;
BEGIN
	v_org := app.provision_user(p_workos_user_id, p_email, p_first_name, p_last_name,
	    p_role, p_workos_org_id);
	IF (SELECT u.created_at = now() FROM public.users u
	    WHERE u.workos_user_id = p_workos_user_id) THEN
		PERFORM app.audit_write(p_workos_user_id, v_org, 'USER_PROVISIONED', 'user',
		    p_workos_user_id, NULL,
		    jsonb_build_object('role', p_role, 'email', lower(p_email)),
		    jsonb_build_object('workos_org_id', p_workos_org_id));
	END IF;
	RETURN v_org;
END
$$;

CREATE FUNCTION app.audit_booking_hold() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	PERFORM app.audit_write(NEW.guest_workos_user_id, NEW.org_id, 'APPOINTMENT_REQUESTED',
	    'meeting', NEW.id::text, NULL,
	    jsonb_build_object('event', NEW.event_id, 'expert', NEW.workos_user_id,
		'start_time', NEW.start_time, 'end_time', NEW.end_time,
		'guest_email', NEW.guest_email, 'notes', NEW.guest_notes),
	    jsonb_build_object('expires_at', NEW.expires_at));
	RETURN NULL;
END
$$;

CREATE TRIGGER slot_reservations_audit_hold AFTER INSERT ON public.slot_reservations
    FOR EACH ROW WHEN (NEW.booking_key IS NOT NULL)
    EXECUTE FUNCTION app.audit_booking_hold();

REVOKE ALL ON FUNCTION app.sign_in_provision(text, text, text, text, text, text),
    app.audit_booking_hold() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.sign_in_provision(text, text, text, text, text, text) TO eleva_web;
