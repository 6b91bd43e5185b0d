-- 0011_leases: short leases instead of locks held across a WorkOS call,
-- and the result of a session's token refresh, shared by its requests.
--
-- A lease (app.lease_take / app.lease_release) is a row with an expiry:
-- taken in a transaction of its own and committed at once, so whoever
-- waits for it holds no transaction and no lock while the holder talks to
-- WorkOS; a holder that dies leaves a lease that expires by itself.  Keys
-- are namespaced by their users ("refresh:<session>", "guest:<e-mail
-- hash>"); the holder names itself, and only the holder releases.  The app
-- role reaches the table through the two functions only.
--
-- session_refreshes: WorkOS refresh tokens are single use, so of two
-- requests of one browser refreshing the same expired session at once one
-- would be signed out.  The request that refreshes (under the session's
-- lease) records the new tokens, sealed by the app (the database never
-- sees them in clear), under the hash of the refresh token they replace;
-- the others, and any request still carrying that old token for a minute,
-- take them from here instead of asking WorkOS.  One's own rows only.
CREATE TABLE public.leases (
	key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
	holder text NOT NULL CHECK (length(holder) BETWEEN 1 AND 100),
	until timestamptz NOT NULL
);
CREATE INDEX leases_until_idx ON public.leases (until);
SELECT app.private_table('public.leases');

-- Take the lease key for p_ms milliseconds as p_holder: true when it was
-- free (or its lease had run out) or is p_holder's already; false while
-- someone else holds it.  Leases run out an hour ago are swept.
CREATE FUNCTION app.lease_take(p_key text, p_holder text, p_ms int)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_taken boolean;
BEGIN
	IF p_ms IS NULL OR p_ms NOT BETWEEN 1 AND 60000 THEN
		RAISE EXCEPTION 'invalid lease time: %', p_ms USING ERRCODE = '22023';
	END IF;
	DELETE FROM public.leases WHERE until < clock_timestamp() - interval '1 hour';
	INSERT INTO public.leases AS l (key, holder, until)
	VALUES (p_key, p_holder, clock_timestamp() + make_interval(secs => p_ms / 1000.0))
	ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until
	    WHERE l.until < clock_timestamp() OR l.holder = EXCLUDED.holder
	RETURNING true INTO v_taken;
	RETURN coalesce(v_taken, false);
END
$$;

-- Release p_key if p_holder still holds it.
CREATE FUNCTION app.lease_release(p_key text, p_holder text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$
	DELETE FROM public.leases WHERE key = p_key AND holder = p_holder
$$;

REVOKE ALL ON FUNCTION app.lease_take(text, text, int), app.lease_release(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.lease_take(text, text, int), app.lease_release(text, text) TO eleva_web;

CREATE TABLE public.session_refreshes (
	local_id text NOT NULL CHECK (length(local_id) BETWEEN 1 AND 200),
	old_token_hash text NOT NULL CHECK (old_token_hash ~ '^[0-9a-f]{64}$'),
	workos_user_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	sealed text NOT NULL,
	refreshed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (local_id, old_token_hash)
);
CREATE INDEX session_refreshes_user_idx ON public.session_refreshes (workos_user_id, refreshed_at);
SELECT app.protect_own_rows('public.session_refreshes', 'SELECT, INSERT, DELETE');
