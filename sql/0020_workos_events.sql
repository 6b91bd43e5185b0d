-- 0020_workos_events: WorkOS's signed events (POST /webhooks/workos, issue
-- 16) kept in step with users, organizations and memberships here.
--
-- The app verifies WorkOS's signature (WORKOS_WEBHOOK_SECRET), then calls
-- app.workos_event(id, event, data, created_at, expires, mac), the MAC over
-- ('workos_event', id, event, data, created_at, expires) as for
-- app.setup_webhook (0012): the app role cannot make one up.  One call, one
-- transaction, one event.
--
-- Exactly once.  workos_events remembers each event taken, by WorkOS's id,
-- for 30 days: a second delivery is 'duplicate' and writes nothing.  Events
-- of a type not synced here are not remembered (the app answers
-- 'ignored').  Neither table keeps an address or a name of a deleted user:
-- the log names ids, and a deletion keeps its object's ids alone.
--
-- Order.  WorkOS delivers at least once and in no promised order.
-- workos_objects holds, per WorkOS object, the newest state received: its
-- data and its version (data.updated_at; for a deletion the event's
-- created_at, which is later than any update of the object).  An event
-- older than the stored version is 'stale' and changes nothing; a deletion
-- stays as a tombstone, so an update delivered after it does not bring the
-- object back.  The local rows are then made from the stored state, never
-- from the event alone: a membership whose user or organization is not here
-- yet waits in workos_objects and is made when the second of them arrives.
-- Whatever the order of delivery, the rows end as the newest state of each
-- object says: the order of delivery does not matter.
--
-- Concurrency.  Events take transaction-scoped advisory locks on the
-- objects they touch, always users' first (in order of id), then the
-- organization's, then the membership's: a user's event locks the user; an
-- organization's, the users it has memberships with, then itself; a
-- membership's, its user, its organization, itself.  So whoever writes a
-- membership row holds its user's lock, no two events wait for each other
-- in a circle, and an event that comes while another is under way sees
-- what the other wrote once it has the lock.  (A deadlock PostgreSQL still
-- finds, through rows cascading from a deletion, fails the delivery with
-- 503, and WorkOS delivers again.)
--
-- What is synced:
--   * user.created / user.updated: the users row (e-mail, names), made when
--     absent (role 'user'; the organization comes at first sign-in).
--   * user.deleted: the users row goes, with what cascades from it (his
--     memberships, preferences, sessions); audit rows stay (they name no
--     row).  When payment records name him (the law keeps those, 0017) the
--     row stays, his sessions end (sessions_valid_after), and the event is
--     'kept'.
--   * organization.created / .updated: the name of an organization here.
--     Organizations are made here by sign-in and booking, with types and
--     slugs of ours; one made in WorkOS alone is remembered, not created.
--   * organization.deleted: the organization here goes, unless payment
--     records are in it ('kept').
--   * organization_membership.created / .updated / .deleted: the
--     membership of the user in the organization (WorkOS's role slug when it
--     is one of ours, else member; status active, pending → invited,
--     inactive → suspended).  A pair's row follows the newest membership
--     object WorkOS has for the pair that is not deleted.
-- auth_user reads all three on every request, so a change reaches the
-- user's next request: his role in the organization, his e-mail and name;
-- a deleted user is signed out.

CREATE TABLE public.workos_events (
	id text PRIMARY KEY,
	event text NOT NULL,
	object_id text NOT NULL,
	created_at timestamptz NOT NULL,		-- WorkOS's
	received_at timestamptz NOT NULL DEFAULT now(),
	outcome text NOT NULL CHECK (outcome IN ('applied', 'stale', 'kept')),
	detail text
);
CREATE INDEX workos_events_received_idx ON public.workos_events (received_at DESC, id);

CREATE TABLE public.workos_objects (
	id text PRIMARY KEY,			-- user_..., org_..., om_...
	version timestamptz NOT NULL,
	deleted boolean NOT NULL DEFAULT false,
	data jsonb NOT NULL,
	-- A membership's pair.
	pair_user text,
	pair_org text
);
CREATE INDEX workos_objects_user_idx ON public.workos_objects (pair_user) WHERE pair_user IS NOT NULL;
CREATE INDEX workos_objects_org_idx ON public.workos_objects (pair_org) WHERE pair_org IS NOT NULL;

SELECT app.private_table('public.workos_events');
SELECT app.private_table('public.workos_objects');
-- Platform admins read the deliveries (/admin/webhooks).
GRANT SELECT ON public.workos_events TO eleva_web;
CREATE POLICY admin_read ON public.workos_events FOR SELECT TO eleva_web
    USING ((SELECT app.is_platform_admin()));

-- A text member of data: NULL when absent; refused (22023) when it is not
-- text, too long or holds a control character.
CREATE FUNCTION app.workos_text(p_data jsonb, p_key text, p_max int)
RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
	v jsonb := p_data -> p_key;
BEGIN
	IF v IS NULL OR jsonb_typeof(v) = 'null' THEN
		RETURN NULL;
	END IF;
	IF jsonb_typeof(v) <> 'string' OR length(v #>> '{}') > p_max
	    OR (v #>> '{}') ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'data.% is not text of up to % characters', p_key, p_max
		    USING ERRCODE = '22023';
	END IF;
	RETURN v #>> '{}';
END
$$;

-- Lock the WorkOS object p_id for this transaction.
CREATE FUNCTION app.workos_lock(p_id text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog AS $$
	SELECT pg_advisory_xact_lock(hashtextextended('workos object ' || p_id, 0))
$$;

-- The (user, organization) pair's row from the newest live membership
-- object of the pair; none: no row.  Nothing while the user or the
-- organization is not here: the event that brings the second makes it.
-- The caller holds the user's lock.
CREATE FUNCTION app.workos_sync_pair(p_user text, p_org text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_org uuid;
	m jsonb;
	v_role text;
	v_status text;
BEGIN
	PERFORM 1 FROM public.users u WHERE u.workos_user_id = p_user;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT o.id INTO v_org FROM public.organizations o WHERE o.workos_org_id = p_org;
	IF v_org IS NULL THEN
		RETURN;
	END IF;
	SELECT x.data INTO m FROM public.workos_objects x
	WHERE x.pair_user = p_user AND x.pair_org = p_org AND NOT x.deleted
	ORDER BY x.version DESC, x.id DESC LIMIT 1;
	IF m IS NULL THEN
		DELETE FROM public.user_org_memberships
		WHERE workos_user_id = p_user AND org_id = v_org;
		RETURN;
	END IF;
	v_role := m #>> '{role,slug}';
	IF v_role IS NULL OR v_role NOT IN ('owner', 'admin', 'member', 'billing_admin') THEN
		v_role := 'member';
	END IF;
	v_status := CASE m ->> 'status' WHEN 'inactive' THEN 'suspended'
	    WHEN 'pending' THEN 'invited' ELSE 'active' END;
	INSERT INTO public.user_org_memberships AS t (workos_user_id, org_id, role, status)
	VALUES (p_user, v_org, v_role, v_status)
	ON CONFLICT (workos_user_id, org_id) DO UPDATE
	SET role = EXCLUDED.role, status = EXCLUDED.status
	WHERE (t.role, t.status) IS DISTINCT FROM (EXCLUDED.role, EXCLUDED.status);
END
$$;

-- The rows of the object p_id from its stored state: the outcome ('applied'
-- or 'kept') and what happened, for workos_events.
CREATE FUNCTION app.workos_sync_object(p_id text, OUT outcome text, OUT detail text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	obj public.workos_objects;
	p record;
	v_email text;
	v_first text;
	v_last text;
	v_name text;
	v_org uuid;
BEGIN
	outcome := 'applied';
	SELECT * INTO obj FROM public.workos_objects w WHERE w.id = p_id;
	IF p_id LIKE 'om\_%' THEN
		PERFORM app.workos_sync_pair(obj.pair_user, obj.pair_org);
		detail := 'membership of ' || obj.pair_user || ' in ' || obj.pair_org;
		RETURN;
	END IF;
	IF p_id LIKE 'user\_%' THEN
		IF obj.deleted THEN
			-- His events go with him, and a payment record holds its event.
			IF EXISTS (SELECT 1 FROM public.payment_transfers t
			    WHERE t.expert_workos_user_id = p_id OR t.event_id IN
			    (SELECT e.id FROM public.events e WHERE e.workos_user_id = p_id)) THEN
				UPDATE public.users SET sessions_valid_after = now()
				WHERE workos_user_id = p_id;
				outcome := 'kept';
				detail := 'payment records name the user: the row stays, his sessions ended';
			ELSE
				DELETE FROM public.users WHERE workos_user_id = p_id;
				detail := CASE WHEN FOUND THEN 'user deleted' ELSE 'no such user here' END;
			END IF;
		ELSE
			v_email := lower(app.workos_text(obj.data, 'email', 254));
			v_first := NULLIF(btrim(app.workos_text(obj.data, 'first_name', 100)), '');
			v_last := NULLIF(btrim(app.workos_text(obj.data, 'last_name', 100)), '');
			IF v_email IS NULL OR v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' THEN
				RAISE EXCEPTION 'data.email is not an e-mail address' USING ERRCODE = '22023';
			END IF;
			INSERT INTO public.users AS u (workos_user_id, email, first_name, last_name)
			VALUES (p_id, v_email, v_first, v_last)
			ON CONFLICT (workos_user_id) DO UPDATE
			SET email = EXCLUDED.email, first_name = EXCLUDED.first_name,
			    last_name = EXCLUDED.last_name
			WHERE (u.email, u.first_name, u.last_name) IS DISTINCT FROM
			    (EXCLUDED.email, EXCLUDED.first_name, EXCLUDED.last_name);
			detail := 'user row ' || p_id;
		END IF;
		FOR p IN SELECT DISTINCT o.pair_user, o.pair_org FROM public.workos_objects o
		    WHERE o.pair_user = p_id ORDER BY 1, 2 LOOP
			PERFORM app.workos_sync_pair(p.pair_user, p.pair_org);
		END LOOP;
		RETURN;
	END IF;
	-- An organization.
	SELECT o.id INTO v_org FROM public.organizations o WHERE o.workos_org_id = p_id;
	IF v_org IS NULL THEN
		detail := 'no such organization here: remembered';
	ELSIF obj.deleted THEN
		IF EXISTS (SELECT 1 FROM public.payment_transfers t WHERE t.org_id = v_org
		    OR t.event_id IN (SELECT e.id FROM public.events e WHERE e.org_id = v_org)) THEN
			outcome := 'kept';
			detail := 'payment records are in the organization: it stays';
		ELSE
			DELETE FROM public.organizations WHERE id = v_org;
			detail := 'organization deleted';
		END IF;
	ELSE
		v_name := NULLIF(btrim(app.workos_text(obj.data, 'name', 200)), '');
		IF v_name IS NULL THEN
			RAISE EXCEPTION 'data.name is empty' USING ERRCODE = '22023';
		END IF;
		UPDATE public.organizations SET name = v_name WHERE id = v_org AND name <> v_name;
		detail := 'organization ' || p_id || ' named';
	END IF;
	FOR p IN SELECT DISTINCT o.pair_user, o.pair_org FROM public.workos_objects o
	    WHERE o.pair_org = p_id ORDER BY 1, 2 LOOP
		PERFORM app.workos_sync_pair(p.pair_user, p.pair_org);
	END LOOP;
END
$$;

-- One event: 'applied', 'kept', 'stale', 'duplicate' or 'ignored' (a type
-- not synced here), and what happened.  Malformed data is refused (22023).
CREATE FUNCTION app.workos_event(p_id text, p_event text, p_data jsonb, p_created timestamptz,
    OUT outcome text, OUT detail text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_kind text := split_part(p_event, '.', 1);
	v_action text := split_part(p_event, '.', 2);
	v_obj text;
	v_version timestamptz;
	v_user text;
	v_org text;
	v_kept jsonb;
	cur public.workos_objects;
BEGIN
	PERFORM app.require_match(p_id, '^[A-Za-z0-9_]{1,100}$', 'WorkOS event id');
	IF p_created IS NULL THEN
		RAISE EXCEPTION 'no created_at' USING ERRCODE = '22023';
	END IF;
	IF v_kind NOT IN ('user', 'organization', 'organization_membership')
	    OR v_action NOT IN ('created', 'updated', 'deleted')
	    OR p_event <> v_kind || '.' || v_action THEN
		outcome := 'ignored';
		detail := 'not an event synced here';
		RETURN;
	END IF;
	IF jsonb_typeof(p_data) IS DISTINCT FROM 'object' THEN
		RAISE EXCEPTION 'data is not an object' USING ERRCODE = '22023';
	END IF;
	v_obj := app.workos_text(p_data, 'id', 100);
	PERFORM app.require_match(v_obj, CASE v_kind WHEN 'user' THEN '^user_[A-Za-z0-9]{1,64}$'
	    WHEN 'organization' THEN '^org_[A-Za-z0-9]{1,64}$' ELSE '^om_[A-Za-z0-9]{1,64}$' END,
	    'data.id');
	IF v_kind = 'organization_membership' THEN
		v_user := app.workos_text(p_data, 'user_id', 100);
		v_org := app.workos_text(p_data, 'organization_id', 100);
		PERFORM app.require_match(v_user, '^user_[A-Za-z0-9]{1,64}$', 'data.user_id');
		PERFORM app.require_match(v_org, '^org_[A-Za-z0-9]{1,64}$', 'data.organization_id');
		-- WorkOS never moves a membership to another pair: refused.
		IF EXISTS (SELECT 1 FROM public.workos_objects w WHERE w.id = v_obj
		    AND (w.pair_user, w.pair_org) <> (v_user, v_org)) THEN
			RAISE EXCEPTION 'membership % names another user or organization', v_obj
			    USING ERRCODE = '22023';
		END IF;
	END IF;
	BEGIN
		v_version := CASE WHEN v_action = 'deleted' THEN p_created
		    ELSE coalesce((p_data ->> 'updated_at')::timestamptz, p_created) END;
	EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
		RAISE EXCEPTION 'data.updated_at is not a time' USING ERRCODE = '22023';
	END;

	IF v_kind = 'organization_membership' THEN
		PERFORM app.workos_lock(v_user);
		PERFORM app.workos_lock(v_org);
	ELSIF v_kind = 'organization' THEN
		PERFORM app.workos_lock(l.pair_user) FROM (SELECT DISTINCT w.pair_user
		    FROM public.workos_objects w WHERE w.pair_org = v_obj ORDER BY 1) l;
	END IF;
	PERFORM app.workos_lock(v_obj);
	IF EXISTS (SELECT 1 FROM public.workos_events e WHERE e.id = p_id) THEN
		outcome := 'duplicate';
		detail := 'taken before';
		RETURN;
	END IF;
	SELECT * INTO cur FROM public.workos_objects w WHERE w.id = v_obj;
	IF FOUND AND (v_version < cur.version
	    OR (cur.deleted AND (v_action <> 'deleted' OR v_version = cur.version))) THEN
		outcome := 'stale';
		detail := CASE WHEN cur.deleted THEN 'the object is deleted'
		    ELSE 'a newer state is here (' || cur.version || ')' END;
	ELSE
		-- Only what the rows are made of is kept, and of a deleted
		-- object its ids alone (an erased user's address is not kept).
		SELECT coalesce(jsonb_object_agg(k, p_data -> k), '{}') INTO v_kept
		FROM unnest(CASE WHEN v_action = 'deleted'
		    THEN ARRAY['id', 'user_id', 'organization_id']
		    ELSE ARRAY['id', 'email', 'first_name', 'last_name', 'name', 'user_id',
			'organization_id', 'role', 'status', 'updated_at'] END) k
		WHERE p_data ? k;
		INSERT INTO public.workos_objects AS o (id, version, deleted, data, pair_user, pair_org)
		VALUES (v_obj, v_version, v_action = 'deleted', v_kept, v_user, v_org)
		ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version,
		    deleted = EXCLUDED.deleted, data = EXCLUDED.data,
		    pair_user = EXCLUDED.pair_user, pair_org = EXCLUDED.pair_org;
		SELECT s.outcome, s.detail INTO outcome, detail FROM app.workos_sync_object(v_obj) s;
	END IF;
	INSERT INTO public.workos_events (id, event, object_id, created_at, outcome, detail)
	VALUES (p_id, p_event, v_obj, p_created, outcome, detail);
	-- WorkOS stops delivering an event after a few days; what is older
	-- than a month goes (a redelivery after that is stale anyway, unless
	-- it is the newest state, which it then sets again).
	DELETE FROM public.workos_events WHERE received_at < now() - interval '30 days';
END
$$;

-- The app's entry: the same, once the MAC over the call checks out.
CREATE FUNCTION app.workos_event(p_id text, p_event text, p_data text, p_created text,
    p_expires bigint, p_mac text, OUT outcome text, OUT detail text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_data jsonb;
	v_created timestamptz;
BEGIN
	IF p_expires IS NULL OR p_expires <= extract(epoch FROM now())
	    OR NOT app.mac_valid(app.mac_message('workos_event', p_id, p_event, p_data,
		p_created, p_expires::text), p_mac) THEN
		RAISE EXCEPTION 'workos_event: not signed by the app, or expired' USING ERRCODE = '42501';
	END IF;
	IF app.current_user_id() IS NOT NULL THEN
		RAISE EXCEPTION 'workos_event is not for signed-in requests' USING ERRCODE = '42501';
	END IF;
	BEGIN
		v_data := p_data::jsonb;
		v_created := p_created::timestamptz;
	EXCEPTION WHEN invalid_text_representation OR invalid_datetime_format
	    OR datetime_field_overflow OR untranslatable_character THEN
		RAISE EXCEPTION 'data or created_at cannot be read' USING ERRCODE = '22023';
	END;
	SELECT e.outcome, e.detail INTO outcome, detail
	FROM app.workos_event(p_id, p_event, v_data, v_created) e;
END
$$;

REVOKE ALL ON FUNCTION app.workos_text(jsonb, text, int), app.workos_lock(text),
    app.workos_sync_pair(text, text),
    app.workos_sync_object(text), app.workos_event(text, text, jsonb, timestamptz),
    app.workos_event(text, text, text, text, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.workos_event(text, text, text, text, bigint, text) TO eleva_web;
