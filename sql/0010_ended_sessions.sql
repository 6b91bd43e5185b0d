-- 0010_ended_sessions: sign-out ends the session here, not only at WorkOS.
-- A sealed session cookie stays readable after sign-out (a copy in another
-- tab, a proxy's cache, a thief's jar); its access token stays valid until
-- it expires.  Each sign-out records the WorkOS session id (the token's
-- sid), and the signed-in user's query (auth_user) refuses a session
-- recorded here.  Sign-out everywhere stays users.sessions_valid_after.
-- A row older than the session cookie's absolute lifetime can no longer
-- matter (such a cookie is refused anyway): each sign-out removes the
-- user's rows past it.
CREATE TABLE public.ended_sessions (
	session_id text PRIMARY KEY CHECK (length(session_id) BETWEEN 1 AND 200),
	workos_user_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	ended_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ended_sessions_user_idx ON public.ended_sessions (workos_user_id, ended_at);
ALTER TABLE public.ended_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.ended_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_all ON public.ended_sessions TO CURRENT_USER USING (true) WITH CHECK (true);
-- One's own sessions only: the cookie's user records, reads and prunes.
CREATE POLICY self_all ON public.ended_sessions FOR ALL
    USING (workos_user_id = (SELECT app.current_user_id()))
    WITH CHECK (workos_user_id = (SELECT app.current_user_id()));
GRANT SELECT, INSERT, DELETE ON public.ended_sessions TO eleva_web;
