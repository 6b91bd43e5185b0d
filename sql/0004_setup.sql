-- 0004_setup: the expert setup wizard's rules, kept by the database.
-- setup_complete and setup_completed_at follow the six step flags (a
-- trigger; whatever a caller writes into them is ignored); payment comes
-- after identity (a CHECK); the app may write the three form steps only,
-- the three external steps arrive through the signed webhook's function
-- (replay-protected by webhook_deliveries) and a reset through the admin's.
-- Publication follows completeness: a setup that stops being complete
-- unpublishes the expert's profile (a trigger), and a published profile has a
-- handle (a CHECK).  Also: a guest's bookings for his dashboard.

-- Completion ----------------------------------------------------------------

-- All six steps done: complete, since the first statement that made it so
-- (an update of a row that was complete already keeps its time); otherwise
-- not complete and no time.
CREATE FUNCTION app.expert_setup_completion() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	IF NEW.profile_completed AND NEW.availability_completed AND NEW.events_completed
	    AND NEW.google_account_completed AND NEW.identity_completed
	    AND NEW.payment_completed THEN
		NEW.setup_complete := true;
		IF TG_OP = 'UPDATE' AND OLD.setup_complete THEN
			NEW.setup_completed_at := coalesce(OLD.setup_completed_at, now());
		ELSE
			NEW.setup_completed_at := now();
		END IF;
	ELSE
		NEW.setup_complete := false;
		NEW.setup_completed_at := NULL;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER expert_setup_completion BEFORE INSERT OR UPDATE ON public.expert_setup
    FOR EACH ROW EXECUTE FUNCTION app.expert_setup_completion();

-- The state the audit trail records for an expert_setup row: the six flags
-- and the completion, the time in UTC.
CREATE FUNCTION app.expert_setup_state(s public.expert_setup) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog SET timezone = 'UTC' AS $$
	SELECT jsonb_build_object(
	    'profile_completed', s.profile_completed,
	    'availability_completed', s.availability_completed,
	    'events_completed', s.events_completed,
	    'google_account_completed', s.google_account_completed,
	    'identity_completed', s.identity_completed,
	    'payment_completed', s.payment_completed,
	    'setup_complete', s.setup_complete,
	    'setup_completed_at', s.setup_completed_at)
$$;

-- Publication ---------------------------------------------------------------

-- A setup that was complete and is not any more (an admin reset, the webhook
-- undoing an external step, the expert undoing a form step) unpublishes the
-- expert's profile when it was published, with one PROFILE_UNPUBLISHED audit
-- row in the name of the transaction's user, or of the expert when there is
-- none (a webhook), in the profile's organization.  An update that leaves
-- the setup complete (a step repeated) leaves publication alone.
CREATE FUNCTION app.expert_setup_unpublish() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_org uuid;
BEGIN
	IF OLD.setup_complete AND NOT NEW.setup_complete THEN
		UPDATE public.profiles p SET published = false
		WHERE p.workos_user_id = NEW.workos_user_id AND p.published
		RETURNING p.org_id INTO v_org;
		IF FOUND THEN
			PERFORM app.audit_write(coalesce(app.current_user_id(), NEW.workos_user_id),
			    v_org, 'PROFILE_UNPUBLISHED', 'profile', NEW.workos_user_id,
			    '{"published": true}', '{"published": false}',
			    '{"reason": "setup_incomplete"}');
		END IF;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER expert_setup_unpublish AFTER UPDATE ON public.expert_setup
    FOR EACH ROW WHEN (OLD.setup_complete AND NOT NEW.setup_complete)
    EXECUTE FUNCTION app.expert_setup_unpublish();

-- Rows written before this migration ----------------------------------------

-- A payment step done without the identity step is undone (it is redone
-- once identity is verified), and every row whose completion disagrees with
-- its flags is recomputed by the trigger (an already complete row keeps its
-- time; one that was marked complete without its six steps is not complete
-- any more, so its published profile is unpublished, and audited, by the
-- trigger above).
UPDATE public.expert_setup SET payment_completed = false
WHERE payment_completed AND NOT identity_completed;
UPDATE public.expert_setup SET setup_complete = setup_complete
WHERE setup_complete IS DISTINCT FROM (profile_completed AND availability_completed
    AND events_completed AND google_account_completed AND identity_completed
    AND payment_completed);

ALTER TABLE public.expert_setup ADD CONSTRAINT expert_setup_payment_after_identity
    CHECK (NOT payment_completed OR identity_completed);

-- A published profile has a handle (its public address): a profile published
-- without one is unpublished first.
UPDATE public.profiles SET published = false WHERE published AND handle IS NULL;
ALTER TABLE public.profiles ADD CONSTRAINT profiles_published_needs_handle
    CHECK (NOT published OR handle IS NOT NULL);

-- The app writes the form steps of its own row (RLS) and creates the row;
-- the external steps and a reset go through the functions below.
REVOKE ALL ON public.expert_setup FROM eleva_web;
GRANT SELECT ON public.expert_setup TO eleva_web;
GRANT INSERT (workos_user_id, org_id) ON public.expert_setup TO eleva_web;
GRANT UPDATE (profile_completed, availability_completed, events_completed)
    ON public.expert_setup TO eleva_web;

-- Webhook -------------------------------------------------------------------

-- Deliveries already applied (replay protection), kept for a day.  The app
-- role has no privilege on it: only app.setup_webhook reads and writes it.
CREATE TABLE public.webhook_deliveries (
	id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
	received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_received_idx ON public.webhook_deliveries (received_at);
ALTER TABLE public.webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON public.webhook_deliveries TO CURRENT_USER USING (true) WITH CHECK (true);
REVOKE ALL ON public.webhook_deliveries FROM PUBLIC, eleva_web;

-- An external step (google_account, identity, payment) of p_user's setup
-- reported complete or incomplete by the signed webhook, whose signature
-- the caller verified; p_delivery is the delivery's unique id.  Returns,
-- checked in this order: 'unknown_step', 'bad_status', 'unknown_user' (no
-- expert_setup row, and not an expert who has none yet: see below),
-- 'duplicate' (delivery seen already), 'order' (payment before identity, or
-- identity undone under a completed payment), and for these three nothing is
-- written; 'unchanged' (the step had that value: the delivery is recorded)
-- or 'ok' (the step changed: delivery recorded and one audit row,
-- SETUP_STEP_COMPLETED or SETUP_STEP_UNCOMPLETED, in the expert's name and
-- organization).  Deliveries older than a day are forgotten.
--
-- A user made an expert after his first sign-in has no expert_setup row
-- until he saves a form.  A delivery for him is not lost: when p_user is a
-- users row with an expert role and a personal organization (slug
-- user-<p_user>, with his active owner membership), the checks read his
-- six steps as not done; an 'ok' creates his row (in that organization)
-- and applies the step, an 'unchanged' records the delivery and creates
-- nothing.
CREATE FUNCTION app.setup_webhook(p_user text, p_step text, p_status text, p_delivery text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_done boolean;
	v_was boolean;
	v_row public.expert_setup;
	v_missing boolean;
	v_org uuid;
	v_old jsonb;
	v_n bigint;
BEGIN
	-- Providers have no session: a signed-in request never marks these.
	IF app.current_user_id() IS NOT NULL THEN
		RAISE EXCEPTION 'setup_webhook is not for signed-in requests' USING ERRCODE = '42501';
	END IF;
	IF p_delivery IS NULL OR length(p_delivery) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'invalid webhook delivery id (1 to 200 characters)' USING ERRCODE = '22023';
	END IF;
	DELETE FROM public.webhook_deliveries WHERE received_at < now() - interval '1 day';

	IF p_step IS NULL OR p_step NOT IN ('google_account', 'identity', 'payment') THEN
		RETURN 'unknown_step';
	END IF;
	IF p_status IS NULL OR p_status NOT IN ('complete', 'incomplete') THEN
		RETURN 'bad_status';
	END IF;
	v_done := p_status = 'complete';

	-- Run again, once the row exists, when a concurrent transaction created
	-- the row this delivery was about to create.
	LOOP
		-- Locked: concurrent deliveries for one expert are checked one at a time.
		SELECT * INTO v_row FROM public.expert_setup s WHERE s.workos_user_id = p_user FOR UPDATE;
		v_missing := NOT FOUND;
		IF v_missing THEN
			SELECT o.id INTO v_org FROM public.users u
			JOIN public.organizations o ON o.slug = 'user-' || u.workos_user_id
			JOIN public.user_org_memberships m ON m.org_id = o.id
			    AND m.workos_user_id = u.workos_user_id AND m.role = 'owner'
			    AND m.status = 'active'
			WHERE u.workos_user_id = p_user AND u.role LIKE 'expert\_%';
			IF NOT FOUND THEN
				RETURN 'unknown_user';
			END IF;
			v_row.workos_user_id := p_user;
			v_row.org_id := v_org;
			v_row.profile_completed := false;
			v_row.availability_completed := false;
			v_row.events_completed := false;
			v_row.google_account_completed := false;
			v_row.identity_completed := false;
			v_row.payment_completed := false;
			v_row.setup_complete := false;
		END IF;
		IF EXISTS (SELECT 1 FROM public.webhook_deliveries d WHERE d.id = p_delivery) THEN
			RETURN 'duplicate';
		END IF;
		IF (p_step = 'payment' AND v_done AND NOT v_row.identity_completed)
		    OR (p_step = 'identity' AND NOT v_done AND v_row.payment_completed) THEN
			RETURN 'order';
		END IF;

		-- A concurrent transaction may have recorded the same delivery since.
		INSERT INTO public.webhook_deliveries (id) VALUES (p_delivery) ON CONFLICT (id) DO NOTHING;
		GET DIAGNOSTICS v_n = ROW_COUNT;
		IF v_n = 0 THEN
			RETURN 'duplicate';
		END IF;

		v_was := CASE p_step WHEN 'google_account' THEN v_row.google_account_completed
		    WHEN 'identity' THEN v_row.identity_completed ELSE v_row.payment_completed END;
		IF v_was = v_done THEN
			RETURN 'unchanged';
		END IF;

		EXIT WHEN NOT v_missing;
		INSERT INTO public.expert_setup (workos_user_id, org_id) VALUES (p_user, v_org)
		ON CONFLICT (workos_user_id) DO NOTHING
		RETURNING * INTO v_row;
		EXIT WHEN FOUND;
		-- Created meanwhile (his first form, another delivery): forget this
		-- delivery and check it again against that row.
		DELETE FROM public.webhook_deliveries d WHERE d.id = p_delivery;
	END LOOP;

	v_old := app.expert_setup_state(v_row);
	UPDATE public.expert_setup s SET
	    google_account_completed = CASE WHEN p_step = 'google_account' THEN v_done
		ELSE s.google_account_completed END,
	    identity_completed = CASE WHEN p_step = 'identity' THEN v_done
		ELSE s.identity_completed END,
	    payment_completed = CASE WHEN p_step = 'payment' THEN v_done
		ELSE s.payment_completed END
	WHERE s.id = v_row.id
	RETURNING s.* INTO v_row;
	PERFORM app.audit_write(p_user, v_row.org_id,
	    CASE WHEN v_done THEN 'SETUP_STEP_COMPLETED' ELSE 'SETUP_STEP_UNCOMPLETED' END,
	    'expert_setup', p_user, v_old, app.expert_setup_state(v_row),
	    jsonb_build_object('source', 'webhook', 'step', p_step));
	RETURN 'ok';
END
$$;

-- Reset ---------------------------------------------------------------------

-- A platform admin resets p_user's setup: every step undone, audited here
-- (always, even when nothing changed): one SETUP_RESET row in the admin's
-- name, in the expert's organization (so it shows in his trail), with the
-- state before and after.  Returns {"old": <state>, "new": <state>} (see
-- expert_setup_state), or NULL when p_user has no expert_setup row.  Anybody
-- but a platform admin: 42501, checked first.  A complete setup's published
-- profile is unpublished by the expert_setup_unpublish trigger.
CREATE FUNCTION app.reset_expert_setup(p_user text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_row public.expert_setup;
	v_old jsonb;
	v_new jsonb;
BEGIN
	IF NOT app.is_platform_admin() THEN
		RAISE EXCEPTION 'only a platform administrator may reset an expert''s setup'
		    USING ERRCODE = '42501';
	END IF;
	SELECT * INTO v_row FROM public.expert_setup s WHERE s.workos_user_id = p_user FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	v_old := app.expert_setup_state(v_row);
	UPDATE public.expert_setup s SET profile_completed = false,
	    availability_completed = false, events_completed = false,
	    google_account_completed = false, identity_completed = false,
	    payment_completed = false
	WHERE s.id = v_row.id
	RETURNING s.* INTO v_row;
	v_new := app.expert_setup_state(v_row);
	PERFORM app.audit_write(app.current_user_id(), v_row.org_id, 'SETUP_RESET',
	    'expert_setup', p_user, v_old, v_new, NULL);
	RETURN jsonb_build_object('old', v_old, 'new', v_new);
END
$$;

-- A guest's bookings -----------------------------------------------------------

-- The meetings the transaction's user booked as a guest (cancelled ones
-- included), with the event and the expert's names: a guest may not read an
-- unpublished expert's events and profile through RLS.  No user: no rows.
CREATE FUNCTION app.my_bookings()
RETURNS TABLE (meeting_id uuid, start_time timestamptz, end_time timestamptz,
    timezone text, status text, event_name text, duration_in_minutes integer,
    expert_first_name text, expert_last_name text, expert_handle text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT m.id, m.start_time, m.end_time, m.timezone, m.status, e.name,
	    e.duration_in_minutes,
	    CASE WHEN p.id IS NULL THEN u.first_name ELSE p.first_name END,
	    CASE WHEN p.id IS NULL THEN u.last_name ELSE p.last_name END,
	    p.handle
	FROM public.meetings m
	JOIN public.events e ON e.id = m.event_id
	JOIN public.users u ON u.workos_user_id = m.workos_user_id
	LEFT JOIN public.profiles p ON p.workos_user_id = m.workos_user_id
	WHERE m.guest_workos_user_id = (SELECT app.current_user_id())
	ORDER BY m.start_time, m.id
$$;

REVOKE ALL ON FUNCTION app.expert_setup_state(public.expert_setup),
    app.expert_setup_unpublish(),
    app.setup_webhook(text, text, text, text), app.reset_expert_setup(text),
    app.my_bookings() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.setup_webhook(text, text, text, text),
    app.reset_expert_setup(text), app.my_bookings() TO eleva_web;
