-- 0007_profile_privacy: the practitioner agreement's IP address and metadata
-- are personal data kept for the platform, not for the app to read back.
-- Published profiles are readable by anyone (the public_read policy), so a
-- table-wide SELECT would hand those two columns to every visitor's
-- transaction.  The app role reads every other column of profiles; it still
-- writes both (the INSERT and UPDATE column grants of 0002_rls.sql stay), as
-- the agreement is accepted, and never reads them back.

REVOKE SELECT ON public.profiles FROM eleva_web;
GRANT SELECT (id, org_id, workos_user_id, handle, profile_picture, first_name,
    last_name, headline, short_bio, long_bio, primary_category_id,
    secondary_category_id, social_links, is_verified, is_top_expert, published,
    practitioner_agreement_accepted_at, practitioner_agreement_version, "order",
    created_at, updated_at) ON public.profiles TO eleva_web;
