-- 0018_admin_roles: platform admins give application roles (issue 14,
-- /admin/users), audited.
--
-- app.set_user_role(user, role): for a platform admin only, never on his
-- own account (no one locks himself out or promotes himself); admin and
-- superadmin are given and taken by a superadmin only.  Making someone an
-- expert opens his setup (expert_setup row).  USER_ROLE_CHANGED records
-- old and new role, written as the admin in the user's personal
-- organization.  Returns the old role (the same as the new one: nothing
-- changed, nothing recorded).
--
-- Platform admins read every organization (the name beside each row of
-- /admin/audit).
--
-- users_role_guard (0012) lets a role change through when the one making
-- it is a platform admin as well as in an owner session: the app role has
-- no UPDATE on users.role, so that is this function alone.

CREATE OR REPLACE FUNCTION app.users_role_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	IF NEW.role = 'user' OR app.is_owner_session() OR app.is_platform_admin() THEN
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

CREATE FUNCTION app.set_user_role(p_user text, p_role text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_admin text := app.current_user_id();
	v_old text;
	v_org uuid;
BEGIN
	IF v_admin IS NULL OR NOT app.is_platform_admin() THEN
		RAISE EXCEPTION 'set_user_role: platform admins only' USING ERRCODE = '42501';
	END IF;
	IF p_user = v_admin THEN
		RAISE EXCEPTION 'set_user_role: not one''s own role' USING ERRCODE = 'ELOWN';
	END IF;
	IF p_role IS NULL OR p_role NOT IN ('user', 'expert_community', 'expert_lecturer',
	    'expert_top', 'admin', 'superadmin') THEN
		RAISE EXCEPTION 'set_user_role: invalid role %', p_role USING ERRCODE = '22023';
	END IF;
	SELECT u.role INTO v_old FROM public.users u WHERE u.workos_user_id = p_user FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'set_user_role: no such user' USING ERRCODE = 'ELNUS';
	END IF;
	IF (v_old IN ('admin', 'superadmin') OR p_role IN ('admin', 'superadmin'))
	    AND NOT EXISTS (SELECT 1 FROM public.users u WHERE u.workos_user_id = v_admin
		AND u.role = 'superadmin') THEN
		RAISE EXCEPTION 'set_user_role: administrators are a superadmin''s to name'
		    USING ERRCODE = 'ELSUP';
	END IF;
	IF v_old = p_role THEN
		RETURN v_old;
	END IF;
	SELECT o.id INTO v_org FROM public.organizations o WHERE o.slug = 'user-' || p_user;
	UPDATE public.users SET role = p_role WHERE workos_user_id = p_user;
	IF p_role LIKE 'expert\_%' AND v_org IS NOT NULL THEN
		INSERT INTO public.expert_setup (workos_user_id, org_id) VALUES (p_user, v_org)
		ON CONFLICT (workos_user_id) DO NOTHING;
	END IF;
	PERFORM app.audit_write(v_admin, v_org, 'USER_ROLE_CHANGED', 'user', p_user,
	    jsonb_build_object('role', v_old), jsonb_build_object('role', p_role), NULL);
	RETURN v_old;
END
$$;

CREATE POLICY admin_read ON public.organizations FOR SELECT
    USING ((SELECT app.is_platform_admin()));

REVOKE ALL ON FUNCTION app.set_user_role(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.set_user_role(text, text) TO eleva_web;
