-- 0002_rls: row-level security helpers, policies and the app's privileges.
-- RLS is enabled and FORCED on every table: the owner is bound too, and gets
-- its own all-access policy (the privileged functions run as the owner).
-- The app logs in as a role that is a member of eleva_web, which holds the
-- privileges below and nothing more (no DDL, no ownership).

-- Helpers, called (select ...)-wrapped so they run once per statement.
CREATE FUNCTION app.current_user_id() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
	SELECT NULLIF(current_setting('app.user_id', true), '')
$$;

CREATE FUNCTION app.current_org_id() RETURNS uuid
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
	RETURN NULLIF(current_setting('app.org_id', true), '')::uuid;
EXCEPTION WHEN invalid_text_representation THEN
	RETURN NULL;
END
$$;

-- SECURITY DEFINER: they read memberships and users without recursing
-- into those tables' own policies.
CREATE FUNCTION app.is_org_member(org uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT EXISTS (SELECT 1 FROM public.user_org_memberships m
	    WHERE m.org_id = org AND m.workos_user_id = app.current_user_id()
	    AND m.status = 'active')
$$;

CREATE FUNCTION app.has_org_role(org uuid, wanted text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT EXISTS (SELECT 1 FROM public.user_org_memberships m
	    WHERE m.org_id = org AND m.workos_user_id = app.current_user_id()
	    AND m.status = 'active' AND m.role = wanted)
$$;

-- Platform admin: users.role only; an organization role never counts.
CREATE FUNCTION app.is_platform_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT EXISTS (SELECT 1 FROM public.users u
	    WHERE u.workos_user_id = app.current_user_id()
	    AND u.role IN ('admin', 'superadmin'))
$$;

-- An expert whose profile is published (public booking pages).
CREATE FUNCTION app.is_published_expert(expert text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT EXISTS (SELECT 1 FROM public.profiles p
	    WHERE p.workos_user_id = expert AND p.published)
$$;

-- A write of a reservation or a meeting in the signed-in expert's name:
-- his, in one of his organizations, for one of his events.
CREATE FUNCTION app.is_own_event_write(expert text, org uuid, event uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
	SELECT expert = app.current_user_id() AND app.is_org_member(org)
	    AND EXISTS (SELECT 1 FROM public.events e
		WHERE e.id = event AND e.workos_user_id = app.current_user_id())
$$;

REVOKE ALL ON FUNCTION app.is_org_member(uuid), app.has_org_role(uuid, text),
    app.is_platform_admin(), app.is_published_expert(text),
    app.is_own_event_write(text, uuid, uuid) FROM PUBLIC;

-- How a table is protected, declared once for this and later migrations
-- (run by the owner, who alone may execute them).  protect_table: RLS
-- enabled and forced, with the owner's policy.  private_table: the same,
-- and no privilege for anyone else: the app role reaches it only through
-- SECURITY DEFINER functions.  protect_own_rows: each row is one user's
-- (its workos_user_id); the signed-in user reaches only his own, with the
-- privileges given to eleva_web.
CREATE FUNCTION app.protect_table(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
	EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
	EXECUTE format('CREATE POLICY owner_all ON %s TO %I USING (true) WITH CHECK (true)',
	    t, current_user);
END
$$;

CREATE FUNCTION app.private_table(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM app.protect_table(t);
	EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, eleva_web', t);
END
$$;

CREATE FUNCTION app.protect_own_rows(t regclass, privileges text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM app.protect_table(t);
	EXECUTE format('CREATE POLICY self_all ON %s FOR ALL'
	    ' USING (workos_user_id = (SELECT app.current_user_id()))'
	    ' WITH CHECK (workos_user_id = (SELECT app.current_user_id()))', t);
	EXECUTE format('GRANT %s ON %s TO eleva_web', privileges, t);
END
$$;

REVOKE ALL ON FUNCTION app.protect_table(regclass), app.private_table(regclass),
    app.protect_own_rows(regclass, text) FROM PUBLIC;

-- Every table of public so far.
SELECT app.protect_table(oid::regclass) FROM pg_class
WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
AND relname <> 'schema_migrations';

-- organizations: read by active members; updated by owner/admin.
CREATE POLICY member_read ON public.organizations FOR SELECT
    USING (app.is_org_member(id));
CREATE POLICY manager_update ON public.organizations FOR UPDATE
    USING (app.has_org_role(id, 'owner') OR app.has_org_role(id, 'admin'))
    WITH CHECK (app.has_org_role(id, 'owner') OR app.has_org_role(id, 'admin'));

-- users: own row; platform admins read all.
CREATE POLICY self_read ON public.users FOR SELECT
    USING (workos_user_id = (SELECT app.current_user_id()) OR (SELECT app.is_platform_admin()));
CREATE POLICY self_update ON public.users FOR UPDATE
    USING (workos_user_id = (SELECT app.current_user_id()))
    WITH CHECK (workos_user_id = (SELECT app.current_user_id()));

-- memberships: own rows, and the rows of orgs one owns or administers.
CREATE POLICY self_or_manager_read ON public.user_org_memberships FOR SELECT
    USING (workos_user_id = (SELECT app.current_user_id())
	OR app.has_org_role(org_id, 'owner') OR app.has_org_role(org_id, 'admin'));

-- An expert's own data: everything for the expert, read for org members.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['events', 'schedules', 'scheduling_settings',
	    'blocked_dates']
	LOOP
		EXECUTE format('CREATE POLICY expert_all ON public.%I FOR ALL '
		    'USING (workos_user_id = (SELECT app.current_user_id())) '
		    'WITH CHECK (workos_user_id = (SELECT app.current_user_id()) '
		    'AND app.is_org_member(org_id))', t);
		EXECUTE format('CREATE POLICY member_read ON public.%I FOR SELECT '
		    'USING (app.is_org_member(org_id))', t);
	END LOOP;
END
$$;

-- Reservations and meetings may only name one's own event.
CREATE POLICY expert_all ON public.slot_reservations FOR ALL
    USING (workos_user_id = (SELECT app.current_user_id()))
    WITH CHECK (app.is_own_event_write(workos_user_id, org_id, event_id));
CREATE POLICY member_read ON public.slot_reservations FOR SELECT
    USING (app.is_org_member(org_id));

CREATE POLICY expert_all ON public.schedule_availabilities FOR ALL
    USING (EXISTS (SELECT 1 FROM public.schedules s WHERE s.id = schedule_id
	AND s.workos_user_id = (SELECT app.current_user_id())))
    WITH CHECK (EXISTS (SELECT 1 FROM public.schedules s WHERE s.id = schedule_id
	AND s.org_id = schedule_availabilities.org_id
	AND s.workos_user_id = (SELECT app.current_user_id())));
CREATE POLICY member_read ON public.schedule_availabilities FOR SELECT
    USING (app.is_org_member(org_id));

-- Public booking pages: a published expert's active events.
CREATE POLICY public_read ON public.events FOR SELECT
    USING (is_active AND app.is_published_expert(workos_user_id));

-- meetings: the expert and the guest read; the expert writes.  Guests book
-- only through a privileged function.
CREATE POLICY participant_read ON public.meetings FOR SELECT
    USING (workos_user_id = (SELECT app.current_user_id())
	OR guest_workos_user_id = (SELECT app.current_user_id()));
CREATE POLICY expert_insert ON public.meetings FOR INSERT
    WITH CHECK (app.is_own_event_write(workos_user_id, org_id, event_id));
CREATE POLICY expert_update ON public.meetings FOR UPDATE
    USING (workos_user_id = (SELECT app.current_user_id()))
    WITH CHECK (app.is_own_event_write(workos_user_id, org_id, event_id));
CREATE POLICY expert_delete ON public.meetings FOR DELETE
    USING (workos_user_id = (SELECT app.current_user_id()));

-- profiles: published ones are public; one's own is one's to write.
CREATE POLICY public_read ON public.profiles FOR SELECT
    USING (published OR workos_user_id = (SELECT app.current_user_id()));
CREATE POLICY self_all ON public.profiles FOR ALL
    USING (workos_user_id = (SELECT app.current_user_id()))
    WITH CHECK (workos_user_id = (SELECT app.current_user_id()) AND app.is_org_member(org_id));

-- categories: everyone reads; platform admins write.
CREATE POLICY public_read ON public.categories FOR SELECT USING (true);
CREATE POLICY admin_all ON public.categories FOR ALL
    USING ((SELECT app.is_platform_admin())) WITH CHECK ((SELECT app.is_platform_admin()));

-- records (health information): the expert only.
CREATE POLICY expert_all ON public.records FOR ALL
    USING (expert_id = (SELECT app.current_user_id()))
    WITH CHECK (expert_id = (SELECT app.current_user_id()) AND app.is_org_member(org_id)
	AND EXISTS (SELECT 1 FROM public.meetings m WHERE m.id = meeting_id
	    AND m.workos_user_id = (SELECT app.current_user_id())));

-- expert_setup: own row; platform admins read and reset.
CREATE POLICY self_or_admin_read ON public.expert_setup FOR SELECT
    USING (workos_user_id = (SELECT app.current_user_id()) OR (SELECT app.is_platform_admin()));
CREATE POLICY self_insert ON public.expert_setup FOR INSERT
    WITH CHECK (workos_user_id = (SELECT app.current_user_id()) AND app.is_org_member(org_id));
CREATE POLICY self_or_admin_update ON public.expert_setup FOR UPDATE
    USING (workos_user_id = (SELECT app.current_user_id()) OR (SELECT app.is_platform_admin()))
    WITH CHECK ((workos_user_id = (SELECT app.current_user_id()) AND app.is_org_member(org_id))
	OR (SELECT app.is_platform_admin()));

-- user_preferences: own row.
CREATE POLICY self_all ON public.user_preferences FOR ALL
    USING (workos_user_id = (SELECT app.current_user_id()))
    WITH CHECK (workos_user_id = (SELECT app.current_user_id()) AND app.is_org_member(org_id));

-- payment_transfers: owner/admin of the org read.
CREATE POLICY manager_read ON public.payment_transfers FOR SELECT
    USING (app.has_org_role(org_id, 'owner') OR app.has_org_role(org_id, 'admin'));

-- audit_logs: members of the org read; rows are added through app.audit()
-- (or directly, as oneself); never updated or deleted by the app.
CREATE POLICY member_read ON public.audit_logs FOR SELECT
    USING (app.is_org_member(org_id));
CREATE POLICY self_insert ON public.audit_logs FOR INSERT
    WITH CHECK (workos_user_id IS NOT DISTINCT FROM (SELECT app.current_user_id())
	AND (org_id IS NULL OR app.is_org_member(org_id)));

-- audit_log_exports: owner/admin of the org.  audit_stats: members read.
CREATE POLICY manager_all ON public.audit_log_exports FOR ALL
    USING (app.has_org_role(org_id, 'owner') OR app.has_org_role(org_id, 'admin'))
    WITH CHECK ((app.has_org_role(org_id, 'owner') OR app.has_org_role(org_id, 'admin'))
	AND workos_user_id = (SELECT app.current_user_id()));
CREATE POLICY member_read ON public.audit_stats FOR SELECT
    USING (app.is_org_member(org_id));

-- Privileges of eleva_web: what the policies above need, no more.
GRANT USAGE ON SCHEMA public, app TO eleva_web;
GRANT EXECUTE ON FUNCTION app.is_org_member(uuid), app.has_org_role(uuid, text),
    app.is_platform_admin(), app.is_published_expert(text),
    app.is_own_event_write(text, uuid, uuid) TO eleva_web;
GRANT SELECT ON public.organizations, public.user_org_memberships, public.categories,
    public.payment_transfers, public.audit_stats TO eleva_web;
GRANT UPDATE (name) ON public.organizations TO eleva_web;
GRANT SELECT ON public.users TO eleva_web;
GRANT UPDATE (first_name, last_name, image_url, country, sessions_valid_after,
    welcome_email_sent_at, onboarding_completed_at) ON public.users TO eleva_web;
GRANT SELECT, INSERT, UPDATE ON public.expert_setup TO eleva_web;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.user_preferences,
    public.events, public.schedules, public.schedule_availabilities,
    public.scheduling_settings, public.blocked_dates, public.slot_reservations,
    public.meetings, public.records TO eleva_web;
GRANT INSERT, UPDATE, DELETE ON public.categories TO eleva_web;
-- Profiles: an expert edits his own, but verification and the top-expert
-- mark are the platform's to give.
GRANT SELECT, DELETE ON public.profiles TO eleva_web;
GRANT INSERT (org_id, workos_user_id, handle, profile_picture, first_name, last_name,
    headline, short_bio, long_bio, primary_category_id, secondary_category_id,
    social_links, published, practitioner_agreement_accepted_at,
    practitioner_agreement_version, practitioner_agreement_ip_address,
    practitioner_agreement_metadata, "order") ON public.profiles TO eleva_web;
GRANT UPDATE (handle, profile_picture, first_name, last_name, headline, short_bio,
    long_bio, primary_category_id, secondary_category_id, social_links, published,
    practitioner_agreement_accepted_at, practitioner_agreement_version,
    practitioner_agreement_ip_address, practitioner_agreement_metadata, "order")
    ON public.profiles TO eleva_web;
-- Audit rows get their time from the database, never from the caller.
GRANT SELECT ON public.audit_logs TO eleva_web;
GRANT INSERT (workos_user_id, org_id, action, resource_type, resource_id, old_values,
    new_values, metadata, ip_address, user_agent, request_id) ON public.audit_logs TO eleva_web;
GRANT SELECT, INSERT ON public.audit_log_exports TO eleva_web;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO eleva_web;
