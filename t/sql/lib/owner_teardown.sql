-- owner_teardown: remove what owner_setup.sql committed for this run (psql
-- variable run).  Run by t/e2e/pgtap.js as the owner role, also after a
-- failed run.
\set ON_ERROR_STOP 1
BEGIN;
-- payment_transfers restrict the deletion of their event and expert.
DELETE FROM public.payment_transfers
WHERE expert_workos_user_id IN ('user_A' || :'run', 'user_B' || :'run');
DELETE FROM public.webhook_deliveries
WHERE id IN ('wh_old_' || :'run', 'wh_recent_' || :'run');
-- Everything else hangs off the organizations and users (ON DELETE CASCADE).
DELETE FROM public.organizations
WHERE slug IN (SELECT 'user-user_' || w || :'run' FROM unnest(ARRAY['A', 'B', 'M', 'N', 'E', 'P', 'V', 'D', 'S', 'X']) w);
DELETE FROM public.users
WHERE workos_user_id IN (SELECT 'user_' || w || :'run' FROM unnest(ARRAY['A', 'B', 'M', 'N', 'E', 'P', 'V', 'R', 'D', 'S', 'X']) w);
COMMIT;
