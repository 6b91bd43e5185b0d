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
-- One's own sessions only: the cookie's user records, reads and prunes.
SELECT app.protect_own_rows('public.ended_sessions', 'SELECT, INSERT, DELETE');
