-- 0019_legacy: what `eleva legacy` (app/cli/legacy*.c, issue 15) needs of
-- this database to copy the Clerk-era one into it, all for the owner role
-- (the tool's) and nobody else.
--
-- legacy_imports: each legacy row copied, by its database (origin: its
-- name), table and id, with the local row it became (the same uuid where
-- the legacy key was one).  A row is recorded in the transaction that
-- copies it, and a copy skips what is recorded, so a rerun or a run resumed
-- after a kill adds nothing.  validate checks each legacy row against it.
--
-- app.legacy_metadata_plan / _apply(users): Clerk's metadata of a batch of
-- users (roles, expert setup, security preferences; parsed by the tool,
-- which reports what is malformed) against the rows here: what would
-- change, and the change made.
--
-- app.legacy_checks(): validate's checks of this database alone.

CREATE TABLE public.legacy_imports (
	origin text NOT NULL CHECK (length(origin) BETWEEN 1 AND 200),
	source text NOT NULL CHECK (source ~ '^[a-z_]{1,40}$'),
	legacy_id text NOT NULL,
	local_id text NOT NULL,
	imported_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (origin, source, legacy_id),
	CONSTRAINT legacy_imports_one_to_one UNIQUE (origin, source, local_id)
);
SELECT app.private_table('public.legacy_imports');

-- The six steps of Clerk's unsafeMetadata.expertSetup, by the column each
-- becomes.
CREATE FUNCTION app.legacy_setup_step(p_step text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
	SELECT CASE p_step
	    WHEN 'profile' THEN 'profile_completed'
	    WHEN 'availability' THEN 'availability_completed'
	    WHEN 'events' THEN 'events_completed'
	    WHEN 'identity' THEN 'identity_completed'
	    WHEN 'payment' THEN 'payment_completed'
	    WHEN 'google_account' THEN 'google_account_completed' END
$$;

-- p_users: [{"u": WorkOS user id, "role": application role, "setup":
-- {step: true|false, ...} or null, "prefs": {securityAlerts: bool, ...,
-- theme, language} or null}], as the tool made them from the metadata.
-- A row per change: user, what ("role", "expert_setup", "user_preferences"),
-- the old and new values (JSON; old null: a row to insert).
--
-- A setup step done here stays done (the new app may be ahead of the
-- export); preferences keep here what Clerk's metadata does not name, and
-- a new row takes the defaults (eleva-spec.md §8) for those.
CREATE FUNCTION app.legacy_metadata_plan(p_users jsonb)
RETURNS TABLE (workos_user_id text, what text, old_value jsonb, new_value jsonb)
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
	WITH src AS (
		SELECT x->>'u' AS u, x->>'role' AS role, x->'setup' AS setup,
		    x->'prefs' AS prefs
		FROM jsonb_array_elements(p_users) x),
	local AS (
		SELECT s.*, us.role AS old_role,
		    (SELECT o.id FROM public.organizations o
		      WHERE o.slug = 'user-' || s.u) AS org,
		    (SELECT to_jsonb(es) - 'id' - 'workos_user_id' - 'org_id' - 'created_at'
		      - 'updated_at' - 'setup_complete' - 'setup_completed_at'
		      FROM public.expert_setup es WHERE es.workos_user_id = s.u) AS old_setup,
		    (SELECT to_jsonb(up) - 'id' - 'workos_user_id' - 'org_id' - 'created_at'
		      - 'updated_at' FROM public.user_preferences up
		      WHERE up.workos_user_id = s.u) AS old_prefs
		FROM src s JOIN public.users us ON us.workos_user_id = s.u),
	want AS (
		SELECT l.*,
		    CASE WHEN jsonb_typeof(l.setup) = 'object' THEN (
			SELECT jsonb_object_agg(c, coalesce((l.old_setup->>c)::boolean, false)
			    OR coalesce((SELECT (l.setup->k) = 'true'::jsonb
				FROM jsonb_object_keys(l.setup) k
				WHERE app.legacy_setup_step(k) = c), false))
			FROM unnest(ARRAY['profile_completed', 'availability_completed',
			    'events_completed', 'google_account_completed',
			    'identity_completed', 'payment_completed']) c) END AS new_setup,
		    CASE WHEN jsonb_typeof(l.prefs) = 'object' THEN
			coalesce(l.old_prefs, jsonb_build_object('security_alerts', true,
			    'new_device_alerts', false, 'email_notifications', true,
			    'in_app_notifications', true, 'unusual_timing_alerts', true,
			    'location_change_alerts', true, 'theme', 'light', 'language', 'en'))
			|| jsonb_strip_nulls(jsonb_build_object(
			    'security_alerts', l.prefs->'securityAlerts',
			    'new_device_alerts', l.prefs->'newDeviceAlerts',
			    'email_notifications', l.prefs->'emailNotifications',
			    'in_app_notifications', l.prefs->'inAppNotifications',
			    'unusual_timing_alerts', l.prefs->'unusualTimingAlerts',
			    'location_change_alerts', l.prefs->'locationChangeAlerts',
			    'theme', l.prefs->'theme', 'language', l.prefs->'language'))
		    END AS new_prefs
		FROM local l)
	SELECT w.u, 'role', to_jsonb(w.old_role), to_jsonb(w.role) FROM want w
	WHERE w.role IS DISTINCT FROM w.old_role
	UNION ALL
	SELECT w.u, 'expert_setup', w.old_setup, w.new_setup FROM want w
	WHERE w.new_setup IS NOT NULL AND w.new_setup IS DISTINCT FROM w.old_setup
	UNION ALL
	SELECT w.u, 'user_preferences', w.old_prefs, w.new_prefs FROM want w
	WHERE w.new_prefs IS NOT NULL AND w.new_prefs IS DISTINCT FROM w.old_prefs
$$;

-- The plan, carried out: roles set (audited as USER_ROLE_CHANGED in the
-- user's organization, metadata source "legacy"), setup and preferences
-- rows inserted or updated.  The database's own checks apply (a theme or
-- language outside the list, a value that is not a boolean: the batch
-- fails and the tool reports it).
CREATE FUNCTION app.legacy_metadata_apply(p_users jsonb)
RETURNS TABLE (workos_user_id text, what text, old_value jsonb, new_value jsonb)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	c record;
	v_org uuid;
BEGIN
	FOR c IN SELECT * FROM app.legacy_metadata_plan(p_users) LOOP
		SELECT o.id INTO v_org FROM public.organizations o
		WHERE o.slug = 'user-' || c.workos_user_id;
		IF c.what = 'role' THEN
			UPDATE public.users u SET role = c.new_value #>> '{}'
			WHERE u.workos_user_id = c.workos_user_id;
			PERFORM app.audit_write(c.workos_user_id, v_org, 'USER_ROLE_CHANGED',
			    'user', c.workos_user_id, jsonb_build_object('role', c.old_value),
			    jsonb_build_object('role', c.new_value),
			    '{"source": "legacy"}'::jsonb);
		ELSIF c.what = 'expert_setup' THEN
			INSERT INTO public.expert_setup AS es (workos_user_id, org_id,
			    profile_completed, availability_completed, events_completed,
			    google_account_completed, identity_completed, payment_completed)
			SELECT c.workos_user_id, v_org, n.profile_completed,
			    n.availability_completed, n.events_completed,
			    n.google_account_completed, n.identity_completed, n.payment_completed
			FROM jsonb_to_record(c.new_value) AS n (profile_completed boolean,
			    availability_completed boolean, events_completed boolean,
			    google_account_completed boolean, identity_completed boolean,
			    payment_completed boolean)
			ON CONFLICT ON CONSTRAINT expert_setup_workos_user_id_key DO UPDATE SET
			    profile_completed = EXCLUDED.profile_completed,
			    availability_completed = EXCLUDED.availability_completed,
			    events_completed = EXCLUDED.events_completed,
			    google_account_completed = EXCLUDED.google_account_completed,
			    identity_completed = EXCLUDED.identity_completed,
			    payment_completed = EXCLUDED.payment_completed;
		ELSE
			INSERT INTO public.user_preferences AS up (workos_user_id, org_id,
			    security_alerts, new_device_alerts, email_notifications,
			    in_app_notifications, unusual_timing_alerts, location_change_alerts,
			    theme, language)
			SELECT c.workos_user_id, v_org, n.security_alerts, n.new_device_alerts,
			    n.email_notifications, n.in_app_notifications,
			    n.unusual_timing_alerts, n.location_change_alerts, n.theme, n.language
			FROM jsonb_to_record(c.new_value) AS n (security_alerts boolean,
			    new_device_alerts boolean, email_notifications boolean,
			    in_app_notifications boolean, unusual_timing_alerts boolean,
			    location_change_alerts boolean, theme text, language text)
			ON CONFLICT ON CONSTRAINT user_preferences_workos_user_id_key DO UPDATE SET
			    security_alerts = EXCLUDED.security_alerts,
			    new_device_alerts = EXCLUDED.new_device_alerts,
			    email_notifications = EXCLUDED.email_notifications,
			    in_app_notifications = EXCLUDED.in_app_notifications,
			    unusual_timing_alerts = EXCLUDED.unusual_timing_alerts,
			    location_change_alerts = EXCLUDED.location_change_alerts,
			    theme = EXCLUDED.theme, language = EXCLUDED.language;
		END IF;
		workos_user_id := c.workos_user_id;
		what := c.what;
		old_value := c.old_value;
		new_value := c.new_value;
		RETURN NEXT;
	END LOOP;
END
$$;

-- validate's checks of this database: a row per check (name, whether it
-- holds, what was found).  Tenant tables are those of schema public with an
-- org_id column; each foreign key is checked row by row (a constraint is
-- only as good as the triggers that kept it, and a restore or a
-- session_replication_role = replica load skips them).
CREATE FUNCTION app.legacy_checks()
RETURNS TABLE (check_name text, ok boolean, detail text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
	t record;
	n bigint;
	bad text[];
	-- Tables with an org_id that are not tenant data: the audit log and
	-- its bookkeeping, where no organization is written as NULL or ''
	-- (the chain of the events that have none).
	logs CONSTANT text[] := ARRAY['audit_logs', 'audit_stats',
	    'audit_log_exports', 'audit_chain_heads', 'audit_prunes',
	    'account_deletions'];
BEGIN
	-- Every user with a personal organization owns it, active.  A user
	-- WorkOS's events made (sql/0020) has none until he first signs in:
	-- counted, not failed.
	SELECT count(*), (array_agg(u.workos_user_id ORDER BY u.workos_user_id))[1:5]
	INTO n, bad FROM public.users u
	JOIN public.organizations o ON o.slug = 'user-' || u.workos_user_id
	WHERE NOT EXISTS (SELECT 1 FROM public.user_org_memberships m
	    WHERE m.org_id = o.id AND m.workos_user_id = u.workos_user_id
	    AND m.role = 'owner' AND m.status = 'active');
	check_name := 'every user owns his organization';
	ok := n = 0;
	IF n = 0 THEN
		SELECT count(*) INTO n FROM public.users u WHERE NOT EXISTS (SELECT 1
		    FROM public.organizations o WHERE o.slug = 'user-' || u.workos_user_id);
		detail := 'all users' || CASE WHEN n > 0 THEN ' (' || n || ' known from WorkOS '
		    'only, who have not signed in yet, have none)' ELSE '' END;
	ELSE
		detail := n || ' users do not, such as ' || array_to_string(bad, ', ');
	END IF;
	RETURN NEXT;

	-- Every tenant row: an organization, and one its user belongs to.
	bad := '{}';
	FOR t IN SELECT c.relname,
	    EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
		AND a.attname = 'workos_user_id' AND NOT a.attisdropped) AS has_user
	    FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
	    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id'
	    WHERE s.nspname = 'public' AND c.relkind = 'r' AND NOT a.attisdropped
	    AND c.relname <> ALL (logs)
	    ORDER BY c.relname LOOP
		EXECUTE format('SELECT count(*) FROM public.%I x WHERE x.org_id IS NULL%s',
		    t.relname, CASE WHEN t.has_user THEN
		    ' OR NOT EXISTS (SELECT 1 FROM public.user_org_memberships m'
		    ' WHERE m.org_id = x.org_id AND m.workos_user_id = x.workos_user_id)'
		    ELSE '' END) INTO n;
		IF n > 0 THEN
			bad := bad || (t.relname || ': ' || n);
		END IF;
	END LOOP;
	check_name := 'every tenant row has its user''s organization';
	ok := cardinality(bad) = 0;
	detail := CASE WHEN ok THEN 'all tenant tables'
	    ELSE array_to_string(bad, '; ') END;
	RETURN NEXT;

	-- Foreign keys: declared, validated, and true of every row.
	bad := '{}';
	FOR t IN SELECT k.conname, k.conrelid::regclass AS child, k.confrelid::regclass AS parent,
	    k.convalidated,
	    (SELECT string_agg(format('x.%I', a.attname), ', ' ORDER BY u.i)
		FROM unnest(k.conkey) WITH ORDINALITY u (n, i)
		JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n) AS ccols,
	    (SELECT string_agg(format('p.%I', a.attname), ', ' ORDER BY u.i)
		FROM unnest(k.confkey) WITH ORDINALITY u (n, i)
		JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n) AS pcols
	    FROM pg_constraint k JOIN pg_namespace s ON s.oid = k.connamespace
	    WHERE s.nspname = 'public' AND k.contype = 'f' ORDER BY k.conname LOOP
		EXECUTE format('SELECT count(*) FROM %s x WHERE ROW(%s) IS NOT NULL'
		    ' AND NOT EXISTS (SELECT 1 FROM %s p WHERE ROW(%s) = ROW(%s))',
		    t.child, t.ccols, t.parent, t.pcols, t.ccols) INTO n;
		IF n > 0 OR NOT t.convalidated THEN
			bad := bad || (t.conname || ': ' || n || ' rows'
			    || CASE WHEN t.convalidated THEN '' ELSE ', not validated' END);
		END IF;
	END LOOP;
	check_name := 'foreign keys hold';
	ok := cardinality(bad) = 0;
	detail := CASE WHEN ok THEN 'every row of every foreign key'
	    ELSE array_to_string(bad, '; ') END;
	RETURN NEXT;

	-- Required text: declared NOT NULL, and not empty either.
	bad := '{}';
	FOR t IN SELECT c.relname, a.attname FROM pg_class c
	    JOIN pg_namespace s ON s.oid = c.relnamespace
	    JOIN pg_attribute a ON a.attrelid = c.oid
	    WHERE s.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0
	    AND NOT a.attisdropped AND a.attnotnull AND a.atttypid = 'text'::regtype
	    AND EXISTS (SELECT 1 FROM pg_attribute o WHERE o.attrelid = c.oid
		AND o.attname = 'org_id' AND NOT o.attisdropped)
	    AND c.relname <> ALL (logs)
	    ORDER BY c.relname, a.attnum LOOP
		EXECUTE format('SELECT count(*) FROM public.%I x WHERE btrim(x.%I) = ''''',
		    t.relname, t.attname) INTO n;
		IF n > 0 THEN
			bad := bad || (t.relname || '.' || t.attname || ': ' || n);
		END IF;
	END LOOP;
	check_name := 'required columns hold a value';
	ok := cardinality(bad) = 0;
	detail := CASE WHEN ok THEN 'no empty required text in tenant tables'
	    ELSE array_to_string(bad, '; ') || ' empty' END;
	RETURN NEXT;

	-- What was copied is still there.
	bad := '{}';
	FOR t IN SELECT li.source, count(*) AS rows FROM public.legacy_imports li
	    GROUP BY li.source ORDER BY li.source LOOP
		-- Compared in the id's own type (its index).
		EXECUTE format('SELECT count(*) FROM public.legacy_imports li'
		    ' WHERE li.source = %L AND NOT EXISTS (SELECT 1 FROM public.%I x'
		    ' WHERE x.id = li.local_id::%s)', t.source, t.source,
		    (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
		     WHERE a.attrelid = format('public.%I', t.source)::regclass
		     AND a.attname = 'id')) INTO n;
		IF n > 0 THEN
			bad := bad || (t.source || ': ' || n || ' of ' || t.rows || ' gone');
		END IF;
	END LOOP;
	check_name := 'copied rows are present';
	ok := cardinality(bad) = 0;
	detail := CASE WHEN ok THEN 'every recorded copy'
	    ELSE array_to_string(bad, '; ') END;
	RETURN NEXT;
END
$$;

REVOKE ALL ON FUNCTION app.legacy_setup_step(text), app.legacy_metadata_plan(jsonb),
    app.legacy_metadata_apply(jsonb), app.legacy_checks() FROM PUBLIC;
