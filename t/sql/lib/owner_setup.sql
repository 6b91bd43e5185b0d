-- owner_setup: the few committed fixtures the app role cannot create itself.
-- Run by t/e2e/pgtap.js as the owner role (DATABASE_OWNER_URL) before the
-- test files, with the psql variable run (a per-run suffix); undone by
-- owner_teardown.sql.  Everything else is created inside each test file's
-- own transaction, the way the app would, and rolled back.
--
--   A  expert_top, owner of org A          B  expert_community, owner of org B
--   M  plain user, also 'member' of org B  N  plain user, also 'admin' of org B
--   E  expert_lecturer, owner of org E, his setup completed here: at a time
--      before any test file's transaction (by a statement that also writes
--      setup_complete = false and setup_completed_at = 2001-01-01, which the
--      expert_setup_completion trigger ignores)
--   P  provisioned as a plain user (owner of org P), then made an
--      expert_community: no expert_setup row, as an expert promoted after
--      his first sign-in has until he saves a form
--   V  the same as P, but his owner membership of org V is suspended
--   R  an expert_top users row without any organization
--   D  a platform admin (users.role admin), S a superadmin, X an
--      expert_lecturer: the app role may create none of them
--      (sql/0012_identity.sql)
--
-- The app role can read payment_transfers and audit_stats but never write
-- them, and cannot add memberships, change a user's role or add a user
-- without an organization: those rows are made here.  Nor can it touch
-- webhook_deliveries: two deliveries are recorded here, wh_old_<run> two
-- days ago (the next app.setup_webhook forgets it) and wh_recent_<run> 23
-- hours ago.  Users and organizations go through app.provision_user like
-- the app's sign-in; the test files call it again with the same arguments
-- (idempotent) to learn the organization ids.
\set ON_ERROR_STOP 1
BEGIN;
\o /dev/null
SELECT app.provision_user('user_A' || :'run', 'expert.a.' || :'run' || '@example.test',
    'Ana', 'Alves', 'expert_top', 'org_A' || :'run');
SELECT app.provision_user('user_B' || :'run', 'expert.b.' || :'run' || '@example.test',
    'Bruno', 'Brito', 'expert_community', 'org_B' || :'run');
SELECT app.provision_user('user_M' || :'run', 'member.m.' || :'run' || '@example.test',
    'Marta', 'Matos', 'user', 'org_M' || :'run');
SELECT app.provision_user('user_N' || :'run', 'admin.n.' || :'run' || '@example.test',
    'Nuno', 'Neves', 'user', 'org_N' || :'run');
SELECT app.provision_user('user_E' || :'run', 'expert.e.' || :'run' || '@example.test',
    'Eva', 'Esteves', 'expert_lecturer', 'org_E' || :'run');
SELECT app.provision_user('user_P' || :'run', 'promoted.p.' || :'run' || '@example.test',
    'Paulo', 'Pires', 'user', 'org_P' || :'run');
SELECT app.provision_user('user_V' || :'run', 'promoted.v.' || :'run' || '@example.test',
    'Vasco', 'Vieira', 'user', 'org_V' || :'run');
SELECT app.provision_user('user_D' || :'run', 'admin.d.' || :'run' || '@example.test',
    'Diana', 'Dias', 'admin', 'org_D' || :'run');
SELECT app.provision_user('user_S' || :'run', 'super.s@example.test', 'Sara', NULL, 'superadmin',
    'org_S' || :'run');
SELECT app.provision_user('user_X' || :'run', 'Xana.Xavier@Example.TEST', ' Xana ', 'Xavier',
    'expert_lecturer', 'org_X' || :'run');
\o

UPDATE public.users SET role = 'expert_community'
WHERE workos_user_id IN ('user_P' || :'run', 'user_V' || :'run');
UPDATE public.user_org_memberships SET status = 'suspended'
WHERE workos_user_id = 'user_V' || :'run';
INSERT INTO public.users (workos_user_id, email, first_name, last_name, role)
VALUES ('user_R' || :'run', 'orphan.r.' || :'run' || '@example.test', 'Rui', 'Rocha', 'expert_top');

UPDATE public.expert_setup SET profile_completed = true, availability_completed = true,
    events_completed = true, google_account_completed = true, identity_completed = true,
    payment_completed = true, setup_complete = false, setup_completed_at = '2001-01-01'
WHERE workos_user_id = 'user_E' || :'run';

INSERT INTO public.webhook_deliveries (id, received_at) VALUES
    ('wh_old_' || :'run', now() - interval '2 days'),
    ('wh_recent_' || :'run', now() - interval '23 hours');

INSERT INTO public.user_org_memberships (workos_user_id, org_id, role)
SELECT 'user_' || w || :'run', o.id, r
FROM (VALUES ('M', 'member'), ('N', 'admin')) v (w, r),
    public.organizations o
WHERE o.slug = 'user-user_B' || :'run';

-- One paid event per expert: payment_transfers reference it.
INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes, price)
SELECT o.id, 'user_' || w || :'run', 'Paid session', 'paid-session', 60, 6000
FROM unnest(ARRAY['A', 'B']) w
JOIN public.organizations o ON o.slug = 'user-user_' || w || :'run';

INSERT INTO public.payment_transfers (org_id, payment_intent_id, checkout_session_id,
    event_id, expert_connect_account_id, expert_workos_user_id, amount, platform_fee,
    session_start_time, scheduled_transfer_time)
SELECT e.org_id, 'pi_' || w || :'run', 'cs_' || w || :'run', e.id, 'acct_' || w || :'run',
    e.workos_user_id, 6000, 900, '2030-03-04 10:00Z', '2030-03-08 10:00Z'
FROM unnest(ARRAY['A', 'B']) w
JOIN public.events e ON e.workos_user_id = 'user_' || w || :'run' AND e.slug = 'paid-session';

INSERT INTO public.audit_stats (org_id, date, medical_record_access, appointment_events)
SELECT o.id, DATE '2030-03-04', 2, 3
FROM unnest(ARRAY['A', 'B']) w
JOIN public.organizations o ON o.slug = 'user-user_' || w || :'run';
COMMIT;
