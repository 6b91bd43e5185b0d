-- 0012_identity: the request's identity, unforgeable from SQL, and three
-- rules the database keeps even against the app role.
--
-- Until now the policies trusted app.user_id and app.org_id, settings any
-- role may set: one injected set_config('app.user_id', <an admin>) made the
-- app role an admin.  Now:
--
-- Keys.  The app holds ELEVA_IDENTITY_KEY: comma-separated keys of 32 to
-- 64 printable characters (eleva keygen), newest first.  eleva migrate, which runs as
-- the owner, installs them (app.identity_keys_install) into
-- public.identity_keys, which only the owner reads: row-level security
-- with the owner's policy alone and no privilege for eleva_web.  Installing
-- replaces the set, so a key is rotated by putting the new one in front
-- (the app signs with the first; every installed key verifies), migrating,
-- restarting the app, and dropping the old one at the next migration.
-- What is stored is HMAC-SHA256's two padded keys (key XOR ipad, key XOR
-- opad), so a MAC costs two calls of the built-in sha256(): no extension.
--
-- MACs.  HMAC-SHA256 under a key, as lower-case hex, over a purpose and
-- fields, each field as "|<octets>:<text>" (app.mac_message; the C side
-- builds the same bytes, db.c), so no field can run into the next.
--
-- Entering.  The request's transaction starts with app.enter(user,
-- organization, expires, mac): expires is in Unix seconds (the app gives
-- 5 minutes) and must be after the transaction's start; the MAC is over
-- ('enter', user, organization, expires).  Refused (42501) when it does
-- not verify or has expired; an organization that is not a uuid is 22023.
-- app.enter('', '', NULL, NULL) enters nobody (no MAC needed: nobody has no
-- rights).  It sets four transaction-local settings (app.user_id,
-- app.org_id, app.identity_expires, app.identity_mac).
--
-- Reading.  app.current_user_id() and app.current_org_id() (which the
-- policies call) are replaced here, not edited in 0002_rls.sql: they read
-- public.identity_keys, which has to exist first, and migrations 0002 to
-- 0011 run them.  They verify the four settings again on every call (the
-- MAC, and the expiry against the transaction's start), so a setting
-- changed by set_config after app.enter, or set without it, names nobody.
-- The settings, not a table, hold the identity: a read-only transaction
-- can write no table, and a temporary table can be dropped (DISCARD TEMP)
-- and made again by the app role.  The cost is one SECURITY DEFINER call
-- and two sha256() per call of either function; the policies call them
-- once per statement ((SELECT ...)-wrapped) or per row through
-- is_org_member and its kin (below; README: sessions, for the figures).  A
-- captured (user, organization, expires, mac) stays good until it expires:
-- the window is those 5 minutes, and a MAC is only ever seen inside its own
-- user's transaction.
--
-- Setup webhook.  app.setup_webhook(user, step, status, delivery) of
-- 0004_setup.sql is no longer the app role's to call: the app calls
-- app.setup_webhook(user, step, status, delivery, expires, mac), the MAC
-- over ('setup_webhook', user, step, status, delivery, expires), made by the
-- app once the provider's signature (WEBHOOK_SECRET) checked out.
--
-- Roles.  A users row is created, or its role changed, with a role other
-- than 'user' only in a session of the owner (seeding, administration):
-- the app role's sign-in creates users, never admins or experts.  Signing
-- in again a user who exists already names his existing role, which is
-- let through (provision_user's insert then does nothing).
--
-- Publication.  A published profile belongs to an expert (users.role
-- expert_*) whose setup is complete: any insert or update leaving a
-- profile published otherwise is refused (42501), whoever makes it.
-- Profiles published today without it are unpublished first.
--
-- The last three are added (a wrapper, two triggers) rather than written
-- into 0003's provision_user and 0004's setup_webhook: they hold for any
-- function that writes those rows, and no body is repeated.

-- Keys ----------------------------------------------------------------------

CREATE TABLE public.identity_keys (
	position smallint PRIMARY KEY CHECK (position BETWEEN 1 AND 8),
	ipad bytea NOT NULL CHECK (octet_length(ipad) = 64),
	opad bytea NOT NULL CHECK (octet_length(opad) = 64),
	installed_at timestamptz NOT NULL DEFAULT now()
);
SELECT app.protect_table('public.identity_keys');
REVOKE ALL ON public.identity_keys FROM PUBLIC, eleva_web;

-- Replace the installed keys with p_keys (comma-separated, newest first,
-- each 32 to 64 characters without white space or commas, at most 8).
-- Returns how many there are.  The owner's alone.
CREATE FUNCTION app.identity_keys_install(p_keys text) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	v_keys text[] := string_to_array(p_keys, ',');
	v_key bytea;
	v_ipad bytea;
	v_opad bytea;
	i integer;
	j integer;
BEGIN
	IF p_keys IS NULL OR cardinality(v_keys) NOT BETWEEN 1 AND 8 THEN
		RAISE EXCEPTION 'identity keys: 1 to 8 comma-separated keys' USING ERRCODE = '22023';
	END IF;
	DELETE FROM public.identity_keys;
	FOR i IN 1 .. cardinality(v_keys) LOOP
		IF v_keys[i] !~ '^[\x21-\x2b\x2d-\x7e]{32,64}$' THEN
			RAISE EXCEPTION 'identity key %: 32 to 64 printable characters, no white space',
			    i USING ERRCODE = '22023';
		END IF;
		-- HMAC's padded keys: the key, zero-filled to SHA-256's block of
		-- 64 bytes, XOR 0x36 and XOR 0x5c.
		v_key := convert_to(v_keys[i], 'UTF8') || decode(repeat('00', 64 - octet_length(v_keys[i])), 'hex');
		v_ipad := v_key;
		v_opad := v_key;
		FOR j IN 0 .. 63 LOOP
			v_ipad := set_byte(v_ipad, j, get_byte(v_key, j) # 54);
			v_opad := set_byte(v_opad, j, get_byte(v_key, j) # 92);
		END LOOP;
		INSERT INTO public.identity_keys (position, ipad, opad) VALUES (i, v_ipad, v_opad)
		ON CONFLICT (position) DO NOTHING;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'identity keys: key % is given twice', i USING ERRCODE = '22023';
		END IF;
	END LOOP;
	IF (SELECT count(DISTINCT ipad) FROM public.identity_keys) <> cardinality(v_keys) THEN
		RAISE EXCEPTION 'identity keys: a key is given twice' USING ERRCODE = '22023';
	END IF;
	RETURN cardinality(v_keys);
END
$$;

-- MACs ----------------------------------------------------------------------

-- The bytes a MAC is made over: the purpose, then each field (NULL as
-- empty) as |<octets>:<text>.
CREATE FUNCTION app.mac_message(p_purpose text, VARIADIC p_fields text[]) RETURNS bytea
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
	SELECT convert_to(p_purpose || coalesce(string_agg('|' || octet_length(coalesce(f, ''))
	    || ':' || coalesce(f, ''), '' ORDER BY n), ''), 'UTF8')
	FROM unnest(p_fields) WITH ORDINALITY AS x (f, n)
$$;

-- True when p_mac is the HMAC-SHA256 (hex) of p_message under an installed key.
CREATE FUNCTION app.mac_valid(p_message bytea, p_mac text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT EXISTS (SELECT 1 FROM public.identity_keys k
	    WHERE encode(sha256(k.opad || sha256(k.ipad || p_message)), 'hex') = p_mac)
$$;

-- Entering and reading the identity -----------------------------------------

CREATE FUNCTION app.enter(p_user text, p_org text, p_expires bigint, p_mac text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF coalesce(p_user, '') = '' THEN
		PERFORM set_config('app.user_id', '', true), set_config('app.org_id', '', true),
		    set_config('app.identity_expires', '', true),
		    set_config('app.identity_mac', '', true);
		RETURN;
	END IF;
	IF coalesce(p_org, '') !~* '^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$' THEN
		RAISE EXCEPTION 'enter: the organization is not a uuid' USING ERRCODE = '22023';
	END IF;
	IF p_expires IS NULL OR p_expires <= extract(epoch FROM now()) THEN
		RAISE EXCEPTION 'enter: the identity has expired' USING ERRCODE = '42501';
	END IF;
	PERFORM set_config('app.user_id', p_user, true),
	    set_config('app.org_id', coalesce(p_org, ''), true),
	    set_config('app.identity_expires', p_expires::text, true),
	    set_config('app.identity_mac', coalesce(p_mac, ''), true);
	-- The one check, the readers' own (the error undoes the settings).
	IF app.current_user_id() IS NULL THEN
		RAISE EXCEPTION 'enter: the identity is not signed by the app' USING ERRCODE = '42501';
	END IF;
END
$$;

-- The transaction's user: app.user_id when the four settings still verify.
-- PL/pgSQL, not SQL: its one query keeps its plan for the session, where a
-- SQL function called from a policy's helper is planned again on each row.
CREATE OR REPLACE FUNCTION app.current_user_id() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	u text := current_setting('app.user_id', true);
	o text := coalesce(current_setting('app.org_id', true), '');
	e text := current_setting('app.identity_expires', true);
	m text := current_setting('app.identity_mac', true);
	msg bytea;
	pads bytea[];
BEGIN
	IF coalesce(u, '') = '' OR e !~ '^[0-9]{1,15}$' OR e::bigint <= extract(epoch FROM now()) THEN
		RETURN NULL;
	END IF;
	-- app.mac_message('enter', u, o, e), written out: this runs per row.
	msg := convert_to('enter|' || octet_length(u) || ':' || u || '|' || octet_length(o) || ':' || o
	    || '|' || octet_length(e) || ':' || e, 'UTF8');
	-- ipad and opad of each key, in turn.
	pads := ARRAY(SELECT p FROM public.identity_keys k, LATERAL (VALUES (k.ipad), (k.opad)) v (p));
	FOR i IN 1 .. coalesce(array_length(pads, 1), 0) BY 2 LOOP
		IF encode(sha256(pads[i + 1] || sha256(pads[i] || msg)), 'hex') = m THEN
			RETURN u;
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

-- The cost, where it is paid per row: permissive policies are tried
-- before one another in an order of their own, and an expert reading his
-- own events (the dashboard's meetings join them) went through
-- is_org_member (so current_user_id) on every row before his own
-- expert_all.  The member_read policies that sit beside an expert_all now
-- try the expert's own rows first (the same rows pass: expert_all lets
-- them through anyway), which keeps the dashboard's transaction where it
-- was (README, "Identity in the database").
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['events', 'schedules', 'scheduling_settings', 'blocked_dates',
	    'slot_reservations']
	LOOP
		EXECUTE format('ALTER POLICY member_read ON public.%I '
		    'USING (workos_user_id = (SELECT app.current_user_id()) OR app.is_org_member(org_id))', t);
	END LOOP;
END
$$;

-- The transaction's organization, entered with its user; NULL without one.
CREATE OR REPLACE FUNCTION app.current_org_id() RETURNS uuid
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
	SELECT NULLIF(current_setting('app.org_id', true), '')::uuid
	WHERE app.current_user_id() IS NOT NULL
$$;

-- Setup webhook ---------------------------------------------------------------

CREATE FUNCTION app.setup_webhook(p_user text, p_step text, p_status text, p_delivery text,
    p_expires bigint, p_mac text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF p_expires IS NULL OR p_expires <= extract(epoch FROM now())
	    OR NOT app.mac_valid(app.mac_message('setup_webhook', p_user, p_step, p_status,
		p_delivery, p_expires::text), p_mac) THEN
		RAISE EXCEPTION 'setup_webhook: not signed by the app, or expired' USING ERRCODE = '42501';
	END IF;
	RETURN app.setup_webhook(p_user, p_step, p_status, p_delivery);
END
$$;

-- Roles -----------------------------------------------------------------------

-- True in a session of the owner (or of a superuser): the login role is a
-- member of the role these SECURITY DEFINER functions run as.
CREATE FUNCTION app.is_owner_session() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT pg_has_role(session_user, current_user, 'MEMBER')
$$;

CREATE FUNCTION app.users_role_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF NEW.role = 'user' OR app.is_owner_session() THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.role = OLD.role THEN
		RETURN NEW;
	END IF;
	-- provision_user for a user who exists already: the insert conflicts
	-- and does nothing.
	IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM public.users u
	    WHERE u.workos_user_id = NEW.workos_user_id AND u.role = NEW.role) THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'the role % is given by the platform, not by the app', NEW.role
	    USING ERRCODE = '42501';
END
$$;

CREATE TRIGGER users_role_guard BEFORE INSERT OR UPDATE OF role ON public.users
    FOR EACH ROW EXECUTE FUNCTION app.users_role_guard();

-- Publication -------------------------------------------------------------------

CREATE FUNCTION app.profiles_publish_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF NEW.published AND NOT EXISTS (SELECT 1 FROM public.users u
	    JOIN public.expert_setup s ON s.workos_user_id = u.workos_user_id
	    WHERE u.workos_user_id = NEW.workos_user_id AND u.role LIKE 'expert\_%'
	    AND s.setup_complete) THEN
		RAISE EXCEPTION 'only an expert whose setup is complete publishes a profile'
		    USING ERRCODE = '42501';
	END IF;
	RETURN NEW;
END
$$;

UPDATE public.profiles p SET published = false
WHERE p.published AND NOT EXISTS (SELECT 1 FROM public.users u
    JOIN public.expert_setup s ON s.workos_user_id = u.workos_user_id
    WHERE u.workos_user_id = p.workos_user_id AND u.role LIKE 'expert\_%' AND s.setup_complete);

CREATE TRIGGER profiles_publish_guard BEFORE INSERT OR UPDATE ON public.profiles
    FOR EACH ROW EXECUTE FUNCTION app.profiles_publish_guard();

-- Privileges ----------------------------------------------------------------------

REVOKE ALL ON FUNCTION app.identity_keys_install(text), app.mac_message(text, text[]),
    app.mac_valid(bytea, text), app.enter(text, text, bigint, text),
    app.setup_webhook(text, text, text, text, bigint, text), app.is_owner_session(),
    app.users_role_guard(), app.profiles_publish_guard() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION app.setup_webhook(text, text, text, text) FROM eleva_web;
-- current_user_id is SECURITY DEFINER now (it reads the keys): the app's only.
REVOKE ALL ON FUNCTION app.current_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.enter(text, text, bigint, text), app.current_user_id(),
    app.setup_webhook(text, text, text, text, bigint, text) TO eleva_web;
