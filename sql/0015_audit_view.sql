-- 0015_audit_view: reading the audit log (issue 14): the page's helpers,
-- platform admins' read access, and the daily counters of audit_stats.
--
-- app.audit_ip_anon(ip): the address as shown to those who may not see
-- it whole: an IPv4 address's last octet and an IPv6 address's last 80
-- bits zeroed ("203.0.113.0", "2001:db8:1::"), NULL for what is not an
-- address.
--
-- app.audit_diff(old, new): the keys whose values differ, in key order,
-- with each side as text (a string without its quotes, anything else as
-- JSON; NULL: absent).  A value that is not an object counts as the one
-- key "".
--
-- audit_stats: one row per organization and UTC day, counted by a
-- trigger on every audit row of an organization (so it is current the
-- moment a row is written, in the same transaction; a row without an
-- organization counts nowhere).  What each counter counts is
-- app.audit_stats_delta's to say: records touched (medical-record access),
-- meetings (appointment events), payments, security events (sign-ins and
-- their refusals, sign-outs, revoked sessions, role changes, account
-- deletions, exports), rows written outside 07:00-20:00 in the
-- organization owner's time zone (his schedule's, else UTC) by a signed-in
-- user (after-hours access), exports of 1,000 rows or more (mass exports).
-- A day is suspicious once it has a mass export after hours or five
-- refused sign-ins.  Pruning the log leaves the counters: they are the
-- history's summary.

CREATE FUNCTION app.audit_ip_anon(ip text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
DECLARE
	v inet;
BEGIN
	v := ip::inet;
	RETURN host(network(set_masklen(v, CASE family(v) WHEN 4 THEN 24 ELSE 48 END)));
EXCEPTION WHEN others THEN
	RETURN NULL;
END
$$;

CREATE FUNCTION app.audit_diff(p_old jsonb, p_new jsonb)
RETURNS TABLE (key text, old_value text, new_value text)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
	WITH o AS (SELECT CASE WHEN p_old IS NULL OR jsonb_typeof(p_old) = 'object' THEN p_old
		    ELSE jsonb_build_object('', p_old) END AS j),
	    n AS (SELECT CASE WHEN p_new IS NULL OR jsonb_typeof(p_new) = 'object' THEN p_new
		    ELSE jsonb_build_object('', p_new) END AS j),
	    k AS (SELECT jsonb_object_keys(o.j) AS key FROM o
		UNION SELECT jsonb_object_keys(n.j) FROM n)
	SELECT k.key, o.j ->> k.key, n.j ->> k.key
	FROM k, o, n
	WHERE (o.j -> k.key) IS DISTINCT FROM (n.j -> k.key)
	ORDER BY k.key
$$;

-- Platform admins read every organization's log (/admin/audit).
CREATE POLICY admin_read ON public.audit_logs FOR SELECT
    USING ((SELECT app.is_platform_admin()));

ALTER TABLE public.audit_stats ADD COLUMN refused_sign_ins integer NOT NULL DEFAULT 0;

-- What one audit row adds to its day's counters.
CREATE FUNCTION app.audit_stats_delta(r public.audit_logs,
    OUT medical int, OUT appointment int, OUT payment int, OUT security int,
    OUT after_hours int, OUT mass_export int, OUT refused int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_tz text;
	v_hour int;
BEGIN
	medical := (r.resource_type IN ('record', 'medical_record'))::int;
	appointment := (r.resource_type = 'meeting' OR r.action LIKE 'APPOINTMENT\_%')::int;
	payment := (r.resource_type IN ('payment', 'payment_transfer')
	    OR r.action LIKE 'PAYMENT\_%')::int;
	security := (r.action IN ('USER_SIGNED_IN', 'USER_SIGNED_OUT', 'SIGN_IN_REFUSED',
	    'SESSIONS_REVOKED', 'USER_ROLE_CHANGED', 'ACCOUNT_DELETED', 'AUDIT_LOG_EXPORTED',
	    'PERSONAL_DATA_EXPORTED'))::int;
	refused := (r.action = 'SIGN_IN_REFUSED')::int;
	mass_export := (r.action IN ('AUDIT_LOG_EXPORTED', 'PERSONAL_DATA_EXPORTED')
	    AND coalesce(r.metadata ->> 'records', '') ~ '^[0-9]{1,9}$'
	    AND (r.metadata ->> 'records')::int >= 1000)::int;
	after_hours := 0;
	IF r.workos_user_id IS NOT NULL AND r.org_id IS NOT NULL THEN
		SELECT s.timezone INTO v_tz FROM public.user_org_memberships m
		JOIN public.schedules s ON s.workos_user_id = m.workos_user_id
		WHERE m.org_id = r.org_id AND m.role = 'owner' LIMIT 1;
		v_hour := extract(hour FROM r.created_at AT TIME ZONE app.timezone_or_utc(v_tz));
		after_hours := (v_hour < 7 OR v_hour >= 20)::int;
	END IF;
END
$$;

CREATE FUNCTION app.audit_stats_count() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	d record;
BEGIN
	IF NEW.org_id IS NULL THEN
		RETURN NULL;
	END IF;
	d := app.audit_stats_delta(NEW);
	INSERT INTO public.audit_stats AS s (org_id, date, medical_record_access,
	    appointment_events, payment_events, security_events, after_hours_access,
	    mass_exports, refused_sign_ins, suspicious_activity)
	VALUES (NEW.org_id, (NEW.created_at AT TIME ZONE 'UTC')::date, d.medical, d.appointment,
	    d.payment, d.security, d.after_hours, d.mass_export, d.refused,
	    (d.mass_export > 0 AND d.after_hours > 0))
	ON CONFLICT (org_id, date) DO UPDATE SET
	    medical_record_access = s.medical_record_access + d.medical,
	    appointment_events = s.appointment_events + d.appointment,
	    payment_events = s.payment_events + d.payment,
	    security_events = s.security_events + d.security,
	    after_hours_access = s.after_hours_access + d.after_hours,
	    mass_exports = s.mass_exports + d.mass_export,
	    refused_sign_ins = s.refused_sign_ins + d.refused,
	    suspicious_activity = s.suspicious_activity
		OR (d.mass_export > 0 AND d.after_hours > 0)
		OR s.refused_sign_ins + d.refused >= 5;
	RETURN NULL;
END
$$;

CREATE TRIGGER audit_logs_stats AFTER INSERT ON public.audit_logs
    FOR EACH ROW EXECUTE FUNCTION app.audit_stats_count();

-- The log written so far, counted once.
INSERT INTO public.audit_stats (org_id, date, medical_record_access, appointment_events,
    payment_events, security_events, after_hours_access, mass_exports, refused_sign_ins,
    suspicious_activity)
SELECT a.org_id, (a.created_at AT TIME ZONE 'UTC')::date, sum(d.medical), sum(d.appointment),
    sum(d.payment), sum(d.security), sum(d.after_hours), sum(d.mass_export), sum(d.refused),
    bool_or(d.mass_export > 0 AND d.after_hours > 0) OR sum(d.refused) >= 5
FROM public.audit_logs a CROSS JOIN LATERAL app.audit_stats_delta(a) d
WHERE a.org_id IS NOT NULL
GROUP BY 1, 2;

REVOKE ALL ON FUNCTION app.audit_ip_anon(text), app.audit_diff(jsonb, jsonb),
    app.audit_stats_delta(public.audit_logs), app.audit_stats_count() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.audit_ip_anon(text), app.audit_diff(jsonb, jsonb) TO eleva_web;
