-- 0003_functions: privileged operations, each SECURITY DEFINER with a fixed
-- search_path, validating its own arguments, safe to call twice.

-- Refuse (22023, "invalid WHAT: value") an argument that is NULL or does
-- not match the pattern: the argument checks of the functions below.
CREATE FUNCTION app.require_match(p_value text, p_pattern text, p_what text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
	IF p_value IS NULL OR p_value !~ p_pattern THEN
		RAISE EXCEPTION 'invalid %: %', p_what, p_value USING ERRCODE = '22023';
	END IF;
END
$$;

-- Provision a signed-in user: users row, personal organization (slug
-- user-<workos_user_id>, "<Name>'s Practice" for experts, "<Name>'s Account"
-- otherwise), owner membership, default preferences, and for experts an
-- expert_setup row.  Returns the organization's id.  A second call creates
-- nothing and returns the same id.
CREATE FUNCTION app.provision_user(p_workos_user_id text, p_email text,
    p_first_name text, p_last_name text, p_role text, p_workos_org_id text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_expert boolean := p_role LIKE 'expert\_%';
	v_name text;
	v_org uuid;
	v_org_workos text;
BEGIN
	PERFORM app.require_match(p_workos_user_id, '^user_[A-Za-z0-9]{1,64}$', 'WorkOS user id');
	PERFORM app.require_match(p_workos_org_id, '^org_[A-Za-z0-9]{1,64}$', 'WorkOS organization id');
	IF p_email IS NULL OR length(p_email) > 254 OR p_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' THEN
		RAISE EXCEPTION 'invalid e-mail address: %', p_email USING ERRCODE = '22023';
	END IF;
	IF p_role IS NULL OR p_role NOT IN ('user', 'expert_community', 'expert_lecturer',
	    'expert_top', 'admin', 'superadmin') THEN
		RAISE EXCEPTION 'invalid role: %', p_role USING ERRCODE = '22023';
	END IF;
	IF length(coalesce(p_first_name, '')) > 100 OR length(coalesce(p_last_name, '')) > 100 THEN
		RAISE EXCEPTION 'name too long' USING ERRCODE = '22023';
	END IF;
	IF coalesce(p_first_name, '') ~ '[[:cntrl:]]' OR coalesce(p_last_name, '') ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'control characters in a name' USING ERRCODE = '22023';
	END IF;
	v_name := coalesce(NULLIF(btrim(p_first_name), ''), split_part(p_email, '@', 1));

	INSERT INTO public.users (workos_user_id, email, first_name, last_name, role)
	VALUES (p_workos_user_id, lower(p_email), NULLIF(btrim(p_first_name), ''),
	    NULLIF(btrim(p_last_name), ''), p_role)
	ON CONFLICT (workos_user_id) DO NOTHING;

	SELECT id, workos_org_id INTO v_org, v_org_workos FROM public.organizations
	WHERE slug = 'user-' || p_workos_user_id;
	IF v_org IS NULL THEN
		INSERT INTO public.organizations (workos_org_id, slug, name, type)
		VALUES (p_workos_org_id, 'user-' || p_workos_user_id,
		    v_name || CASE WHEN v_expert THEN '''s Practice' ELSE '''s Account' END,
		    CASE WHEN v_expert THEN 'expert_individual' ELSE 'patient_personal' END)
		RETURNING id INTO v_org;
	ELSIF v_org_workos <> p_workos_org_id THEN
		RAISE EXCEPTION 'user % already has organization %', p_workos_user_id, v_org_workos
		    USING ERRCODE = '23505';
	END IF;

	INSERT INTO public.user_org_memberships (workos_user_id, org_id, role)
	VALUES (p_workos_user_id, v_org, 'owner')
	ON CONFLICT (workos_user_id, org_id) DO NOTHING;
	INSERT INTO public.user_preferences (workos_user_id, org_id)
	VALUES (p_workos_user_id, v_org)
	ON CONFLICT (workos_user_id) DO NOTHING;
	IF v_expert THEN
		INSERT INTO public.expert_setup (workos_user_id, org_id)
		VALUES (p_workos_user_id, v_org)
		ON CONFLICT (workos_user_id) DO NOTHING;
	END IF;
	RETURN v_org;
END
$$;

-- Register a guest who books without an account: users row (role user),
-- personal patient_personal organization, owner membership.
CREATE FUNCTION app.register_guest(p_workos_user_id text, p_email text,
    p_name text, p_workos_org_id text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF p_name IS NULL OR btrim(p_name) = '' OR p_name ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'a guest needs a name (printable text)' USING ERRCODE = '22023';
	END IF;
	RETURN app.provision_user(p_workos_user_id, p_email, btrim(p_name), NULL,
	    'user', p_workos_org_id);
END
$$;

-- Write one audit row for the given user and organization; IP, user agent
-- and request id come from the transaction's settings.  Internal: for the
-- privileged functions (a webhook has no signed-in user), never the app's.
CREATE FUNCTION app.audit_write(p_user text, p_org uuid, p_action text,
    p_resource_type text, p_resource_id text, p_old jsonb, p_new jsonb, p_metadata jsonb)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_id bigint;
BEGIN
	PERFORM app.require_match(p_action, '^[A-Za-z0-9_.]{1,100}$', 'audit action');
	PERFORM app.require_match(p_resource_type, '^[a-z0-9_]{1,50}$', 'audit resource type');
	INSERT INTO public.audit_logs (workos_user_id, org_id, action, resource_type,
	    resource_id, old_values, new_values, metadata, ip_address, user_agent, request_id)
	VALUES (p_user, p_org, p_action, p_resource_type, p_resource_id, p_old, p_new,
	    p_metadata,
	    NULLIF(current_setting('app.ip', true), ''),
	    NULLIF(current_setting('app.user_agent', true), ''),
	    NULLIF(current_setting('app.request_id', true), ''))
	RETURNING id INTO v_id;
	RETURN v_id;
END
$$;

-- The app's entry point: as the transaction's user and organization.
CREATE FUNCTION app.audit(p_action text, p_resource_type text, p_resource_id text,
    p_old_values jsonb, p_new_values jsonb, p_metadata jsonb)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	RETURN app.audit_write(app.current_user_id(), app.current_org_id(), p_action,
	    p_resource_type, p_resource_id, p_old_values, p_new_values, p_metadata);
END
$$;

REVOKE ALL ON FUNCTION app.require_match(text, text, text),
    app.provision_user(text, text, text, text, text, text),
    app.register_guest(text, text, text, text),
    app.audit_write(text, uuid, text, text, text, jsonb, jsonb, jsonb),
    app.audit(text, text, text, jsonb, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.provision_user(text, text, text, text, text, text),
    app.register_guest(text, text, text, text),
    app.audit(text, text, text, jsonb, jsonb, jsonb) TO eleva_web;
