-- world: the fixtures and helpers every test file shares, included with
-- \ir right after plan() inside the file's transaction (so all of it is
-- rolled back).  Needs the psql variable run: users A, B, M and N and their
-- organizations were committed for this run by owner_setup.sql.
--
-- Everything here is done as the app role, the way the app does it: users
-- through app.provision_user / app.register_guest, and each practice's rows
-- inserted by its own expert through row-level security after
-- pg_temp.act(<who>) entered him and his organization for the transaction
-- through app.enter, signed with the psql variable identity_key (the
-- stack's ELEVA_IDENTITY_KEY, which t/e2e/pgtap.js passes): the HMAC is
-- made here from scratch with sha256(), as a check on the database's.
--
-- Who is who (pg_temp.uid(w) and pg_temp.org(w) give the ids):
--   A  expert_top, owner of org A; unpublished profile; guest G booked him
--   B  expert_community, owner of org B; unpublished profile; guest H booked him
--   M  plain user, member of org B      N  plain user, admin of org B
--   G, H  guests (app.register_guest)   D  platform admin (users.role admin)
-- Each of A and B has: a profile, events 'intro' (active) and 'old'
-- (inactive) and the committed 'paid-session', a schedule with a Monday
-- 09:00-12:00 availability, scheduling settings, a blocked date, a slot
-- reservation, a meeting with his guest on 2030-03-04 10:00-11:00 UTC, a
-- record of it, an audit row, an audit export, and (committed) a payment
-- transfer and an audit_stats row.  pg_temp.fx('<kind>.<who>') gives each
-- row's id: profile, event, event_old, event_paid, schedule, avail,
-- settings, blocked, reservation, meeting, record, audit, export, transfer,
-- stats, setup, prefs, membership.

\o /dev/null

CREATE TEMP TABLE fx (k text PRIMARY KEY, v text NOT NULL);

-- A fixture's id by name; an unknown name is an error, not a NULL.
CREATE FUNCTION pg_temp.fx(key text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	r text;
BEGIN
	SELECT v INTO r FROM fx WHERE k = key;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no fixture named %', key;
	END IF;
	RETURN r;
END
$$;
CREATE FUNCTION pg_temp.uid(who text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT pg_temp.fx('user.' || who) $$;
CREATE FUNCTION pg_temp.org(who text) RETURNS uuid
LANGUAGE sql STABLE AS $$ SELECT pg_temp.fx('org.' || who)::uuid $$;

-- HMAC-SHA256 (hex) under the identity key of purpose and fields, each as
-- |<octets>:<text>, as the app signs (app/core/db.c, db_sign).
CREATE FUNCTION pg_temp.mac(purpose text, VARIADIC fields text[]) RETURNS text
LANGUAGE sql STABLE AS $$
	WITH k AS (SELECT rpad(encode(convert_to(pg_temp.fx('identity_key'), 'UTF8'), 'hex'),
	    128, '0') AS hex),
	pad AS (SELECT decode(string_agg(lpad(to_hex(get_byte(decode(k.hex, 'hex'), b) # 54), 2, '0'),
		'' ORDER BY b), 'hex') AS i,
	    decode(string_agg(lpad(to_hex(get_byte(decode(k.hex, 'hex'), b) # 92), 2, '0'),
		'' ORDER BY b), 'hex') AS o
	    FROM k, generate_series(0, 63) b),
	m AS (SELECT convert_to(purpose || coalesce(string_agg(format('|%s:%s',
	    octet_length(coalesce(f, '')), f), '' ORDER BY n), ''), 'UTF8') AS msg
	    FROM unnest(fields) WITH ORDINALITY AS x (f, n))
	SELECT encode(sha256(pad.o || sha256(pad.i || m.msg)), 'hex') FROM pad, m
$$;

-- Enter user u of organization o (text, '' for none) for the rest of the
-- transaction, as the app does at the start of a request: app.enter with
-- the app's MAC, good for 5 minutes.
CREATE FUNCTION pg_temp.enter(u text, o text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	e text := (extract(epoch FROM now())::bigint + 300)::text;
BEGIN
	PERFORM app.enter(u, o, e::bigint, pg_temp.mac('enter', u, o, e));
END
$$;

-- The setup webhook's function as the app calls it once the provider's
-- signature checked out: signed (sql/0012_identity.sql).
CREATE FUNCTION pg_temp.webhook(who_id text, step text, status text, delivery text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	e text := (extract(epoch FROM now())::bigint + 300)::text;
BEGIN
	RETURN app.setup_webhook(who_id, step, status, delivery, e::bigint,
	    pg_temp.mac('setup_webhook', who_id, step, status, delivery, e));
END
$$;

-- Complete <who>'s setup, as he and the providers would: his three form
-- steps, then the three external ones through the webhook.  Acts as him.
CREATE FUNCTION pg_temp.complete_setup(who text) RETURNS SETOF void
LANGUAGE plpgsql AS $$
DECLARE
	step text;
BEGIN
	PERFORM pg_temp.act(NULL);
	FOREACH step IN ARRAY ARRAY['google_account', 'identity', 'payment'] LOOP
		PERFORM pg_temp.webhook(pg_temp.uid(who), step, 'complete',
		    'wh_world_' || who || '_' || step || '_' || pg_temp.fx('run'));
	END LOOP;
	PERFORM pg_temp.act(who);
	UPDATE public.expert_setup SET profile_completed = true,
	    availability_completed = true, events_completed = true
	WHERE workos_user_id = pg_temp.uid(who);
	RETURN;
END
$$;

-- Act as a user for the rest of the transaction (pg_temp.enter with his
-- personal organization).  NULL: nobody.  Returns no rows, so prints
-- nothing.
CREATE FUNCTION pg_temp.act(who text) RETURNS SETOF void
LANGUAGE plpgsql AS $$
BEGIN
	IF who IS NULL THEN
		PERFORM app.enter('', '', NULL, NULL);
	ELSE
		PERFORM pg_temp.enter(pg_temp.uid(who), pg_temp.org(who)::text);
	END IF;
	RETURN;
END
$$;

-- The number of rows a statement affected.
CREATE FUNCTION pg_temp.rows(q text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	EXECUTE q;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- A digest of the rows a query returns (as the current user): 'md5/count'.
CREATE FUNCTION pg_temp.digest(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	EXECUTE format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) '
	    '|| %L || count(*) FROM (%s) t', E'\n', '', '/', q) INTO r;
	RETURN r;
END
$$;

-- The columns of profiles the app role may read, for a select list: all but
-- the practitioner agreement's IP address and metadata (the platform's only,
-- sql/0007_profile_privacy.sql), so SELECT * is refused there.  Named by
-- the catalog, not by the privileges: a new column without its grant fails
-- the tests that read profiles.
CREATE FUNCTION pg_temp.profile_cols() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
	FROM pg_catalog.pg_attribute a
	WHERE a.attrelid = 'public.profiles'::regclass AND a.attnum > 0 AND NOT a.attisdropped
	AND a.attname NOT IN ('practitioner_agreement_ip_address', 'practitioner_agreement_metadata')
$$;

-- The rows of one table that belong to <who>'s organization (or are his).
CREATE FUNCTION pg_temp.scope(tbl text, who text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format(CASE tbl
	    WHEN 'organizations' THEN 'SELECT * FROM public.organizations WHERE id = %2$L'
	    WHEN 'users' THEN 'SELECT * FROM public.users WHERE workos_user_id = %3$L'
	    WHEN 'profiles' THEN 'SELECT %4$s FROM public.profiles WHERE org_id = %2$L'
	    ELSE 'SELECT * FROM public.%1$I WHERE org_id = %2$L'
	    END, tbl, pg_temp.org(who), pg_temp.uid(who), pg_temp.profile_cols())
$$;

-- The rows of one table that are not <who>'s (nor public: published
-- profiles, published experts' active events).
CREATE FUNCTION pg_temp.outside(tbl text, who text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT format(CASE tbl
	    WHEN 'organizations' THEN 'SELECT * FROM public.organizations WHERE id <> %2$L'
	    WHEN 'users' THEN 'SELECT * FROM public.users WHERE workos_user_id <> %3$L'
	    WHEN 'profiles' THEN 'SELECT %4$s FROM public.profiles WHERE org_id <> %2$L AND NOT published'
	    WHEN 'events' THEN 'SELECT * FROM public.events WHERE org_id <> %2$L '
		'AND NOT (is_active AND app.is_published_expert(workos_user_id))'
	    ELSE 'SELECT * FROM public.%1$I WHERE org_id IS DISTINCT FROM %2$L'
	    END, tbl, pg_temp.org(who), pg_temp.uid(who), pg_temp.profile_cols())
$$;

-- Every tenant table, in the order the files test them.
CREATE FUNCTION pg_temp.tenant_tables() RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
	SELECT unnest(ARRAY['organizations', 'users', 'user_org_memberships',
	    'expert_setup', 'user_preferences', 'profiles', 'events', 'schedules',
	    'schedule_availabilities', 'scheduling_settings', 'blocked_dates',
	    'slot_reservations', 'meetings', 'records', 'payment_transfers',
	    'audit_logs', 'audit_log_exports', 'audit_stats'])
$$;

INSERT INTO fx (k, v) VALUES ('identity_key', :'identity_key');

-- Users.  A, B, M, N and D exist already (owner_setup.sql): provisioning them
-- again with the same arguments returns their organization.
INSERT INTO fx (k, v)
SELECT 'user.' || w, 'user_' || w || :'run' FROM unnest(ARRAY['A', 'B', 'M', 'N', 'G', 'H', 'D']) w;
INSERT INTO fx (k, v) VALUES
    ('org.A', app.provision_user('user_A' || :'run', 'expert.a.' || :'run' || '@example.test',
	'Ana', 'Alves', 'expert_top', 'org_A' || :'run')),
    ('org.B', app.provision_user('user_B' || :'run', 'expert.b.' || :'run' || '@example.test',
	'Bruno', 'Brito', 'expert_community', 'org_B' || :'run')),
    ('org.M', app.provision_user('user_M' || :'run', 'member.m.' || :'run' || '@example.test',
	'Marta', 'Matos', 'user', 'org_M' || :'run')),
    ('org.N', app.provision_user('user_N' || :'run', 'admin.n.' || :'run' || '@example.test',
	'Nuno', 'Neves', 'user', 'org_N' || :'run')),
    ('org.G', app.register_guest('user_G' || :'run', 'guest.g.' || :'run' || '@example.test',
	'Gil Gomes', 'org_G' || :'run')),
    ('org.H', app.register_guest('user_H' || :'run', 'guest.h.' || :'run' || '@example.test',
	'Helena Horta', 'org_H' || :'run')),
    ('org.D', app.provision_user('user_D' || :'run', 'admin.d.' || :'run' || '@example.test',
	'Diana', 'Dias', 'admin', 'org_D' || :'run'));

-- An expert's practice, inserted by the expert himself through RLS.
CREATE FUNCTION pg_temp.practice(who text, guest text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	u text := pg_temp.uid(who);
	o uuid := pg_temp.org(who);
	g text := pg_temp.uid(guest);
	gmail text := lower(guest) || '@guests.example.test';
	rid text;
BEGIN
	PERFORM pg_temp.act(who);

	INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name, last_name, headline)
	VALUES (o, u, lower('expert-' || who || '-' || pg_temp.fx('run')), 'Expert', who, 'Pelvic health')
	RETURNING profiles.id INTO rid;
	INSERT INTO fx VALUES ('profile.' || who, rid);

	INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes)
	VALUES (o, u, 'Introduction', 'intro', 60) RETURNING events.id INTO rid;
	INSERT INTO fx VALUES ('event.' || who, rid);
	INSERT INTO public.events (org_id, workos_user_id, name, slug, duration_in_minutes, is_active)
	VALUES (o, u, 'Old format', 'old', 30, false) RETURNING events.id INTO rid;
	INSERT INTO fx VALUES ('event_old.' || who, rid);
	SELECT e.id INTO STRICT rid FROM public.events e WHERE e.workos_user_id = u AND e.slug = 'paid-session';
	INSERT INTO fx VALUES ('event_paid.' || who, rid);

	INSERT INTO public.schedules (org_id, workos_user_id, timezone)
	VALUES (o, u, 'Europe/Lisbon') RETURNING schedules.id INTO rid;
	INSERT INTO fx VALUES ('schedule.' || who, rid);
	INSERT INTO public.schedule_availabilities (org_id, schedule_id, day_of_week, start_time, end_time)
	VALUES (o, rid::uuid, 'monday', '09:00', '12:00') RETURNING schedule_availabilities.id INTO rid;
	INSERT INTO fx VALUES ('avail.' || who, rid);

	INSERT INTO public.scheduling_settings (org_id, workos_user_id, before_event_buffer)
	VALUES (o, u, 10) RETURNING scheduling_settings.id INTO rid;
	INSERT INTO fx VALUES ('settings.' || who, rid);
	INSERT INTO public.blocked_dates (org_id, workos_user_id, date, reason)
	VALUES (o, u, '2030-01-01', 'holiday') RETURNING blocked_dates.id INTO rid;
	INSERT INTO fx VALUES ('blocked.' || who, rid);

	INSERT INTO public.slot_reservations (org_id, event_id, workos_user_id, guest_email,
	    start_time, end_time, expires_at)
	VALUES (o, pg_temp.fx('event.' || who)::uuid, u, 'walk-in@guests.example.test',
	    '2030-03-05 10:00Z', '2030-03-05 11:00Z', now() + interval '15 minutes')
	RETURNING slot_reservations.id INTO rid;
	INSERT INTO fx VALUES ('reservation.' || who, rid);

	INSERT INTO public.meetings (org_id, event_id, workos_user_id, guest_workos_user_id,
	    guest_org_id, guest_email, guest_name, start_time, end_time, timezone)
	VALUES (o, pg_temp.fx('event.' || who)::uuid, u, g, pg_temp.org(guest), gmail,
	    'Guest ' || guest, '2030-03-04 10:00Z', '2030-03-04 11:00Z', 'Europe/Lisbon')
	RETURNING meetings.id INTO rid;
	INSERT INTO fx VALUES ('meeting.' || who, rid);
	INSERT INTO public.records (org_id, meeting_id, expert_id, guest_email, encrypted_content)
	VALUES (o, rid::uuid, u, gmail, 'ciphertext') RETURNING records.id INTO rid;
	INSERT INTO fx VALUES ('record.' || who, rid);

	INSERT INTO fx VALUES ('audit.' || who, app.audit('meeting.create', 'meeting',
	    pg_temp.fx('meeting.' || who), NULL, '{"status": "confirmed"}', NULL));
	INSERT INTO public.audit_log_exports (workos_user_id, org_id, start_date, end_date, reason)
	VALUES (u, o, '2030-01-01', '2030-12-31', 'yearly review')
	RETURNING audit_log_exports.id INTO rid;
	INSERT INTO fx VALUES ('export.' || who, rid);

	-- Rows made by provisioning and by owner_setup.sql, read as the owner of o.
	SELECT t.id INTO STRICT rid FROM public.payment_transfers t WHERE t.org_id = o;
	INSERT INTO fx VALUES ('transfer.' || who, rid);
	SELECT s.id INTO STRICT rid FROM public.audit_stats s WHERE s.org_id = o AND s.date = DATE '2030-03-04';
	INSERT INTO fx VALUES ('stats.' || who, rid);
	SELECT s.id INTO STRICT rid FROM public.expert_setup s WHERE s.workos_user_id = u;
	INSERT INTO fx VALUES ('setup.' || who, rid);
	SELECT p.id INTO STRICT rid FROM public.user_preferences p WHERE p.workos_user_id = u;
	INSERT INTO fx VALUES ('prefs.' || who, rid);
	SELECT m.id INTO STRICT rid FROM public.user_org_memberships m WHERE m.workos_user_id = u AND m.org_id = o;
	INSERT INTO fx VALUES ('membership.' || who, rid);
END
$$;

INSERT INTO fx VALUES ('run', :'run');
SELECT pg_temp.practice('A', 'G');
SELECT pg_temp.practice('B', 'H');
SELECT pg_temp.act(NULL);

\o
