-- 0005_admin_stats: what the admin setup statistics need from the database.
-- Platform admins list incomplete experts by the name of their profile, and
-- an expert's profile stays unpublished until the setup is complete: admins
-- read every profile (read only; writing stays the expert's own).  Nobody
-- else gains anything.  The incomplete experts are listed newest first.

CREATE POLICY admin_read ON public.profiles FOR SELECT
    USING ((SELECT app.is_platform_admin()));

CREATE INDEX expert_setup_incomplete_idx ON public.expert_setup (created_at DESC, workos_user_id)
    WHERE NOT setup_complete;
