-- 0013_rate_limits: counters of attempts per key and window, kept in the
-- database so that a limit holds across workers, pools and hosts.
--
-- app.rate_take(key, limit, window seconds): counts one attempt under key
-- in the current fixed window (which starts at the key's first attempt
-- after the previous window ran out) and returns 0 when the attempt is
-- within the limit, else the seconds until the window ends (the page's
-- Retry-After).  Refused attempts count too: hammering does not shorten
-- the wait.  One row per key, updated in place under its row lock, so
-- concurrent attempts of one key are counted exactly.  Keys are
-- namespaced by their users ("book:addr:<e-mail hash>", "book:ip:<addr>")
-- and hold no personal data in clear.  Rows whose window ran out a day ago
-- are swept now and then.  The app role reaches the table only through
-- the function.
CREATE TABLE public.rate_limits (
	key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
	window_start timestamptz NOT NULL,
	window_end timestamptz NOT NULL,
	hits integer NOT NULL CHECK (hits >= 1)
);
CREATE INDEX rate_limits_window_end_idx ON public.rate_limits (window_end);
COMMENT ON TABLE public.rate_limits IS
    'attempts per key in a fixed window (app.rate_take), e.g. bookings per client and per guest address';
SELECT app.private_table('public.rate_limits');

CREATE FUNCTION app.rate_take(p_key text, p_limit int, p_window_s int) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_now timestamptz := clock_timestamp();
	v_hits int;
	v_end timestamptz;
BEGIN
	IF p_limit IS NULL OR p_limit < 1 OR p_window_s IS NULL
	    OR p_window_s NOT BETWEEN 1 AND 86400 THEN
		RAISE EXCEPTION 'invalid rate limit: % per % s', p_limit, p_window_s
		    USING ERRCODE = '22023';
	END IF;
	IF random() < 0.01 THEN
		DELETE FROM public.rate_limits WHERE window_end < v_now - interval '1 day';
	END IF;
	INSERT INTO public.rate_limits AS r (key, window_start, window_end, hits)
	VALUES (p_key, v_now, v_now + make_interval(secs => p_window_s), 1)
	ON CONFLICT (key) DO UPDATE SET
	    window_start = CASE WHEN r.window_end <= v_now THEN v_now ELSE r.window_start END,
	    window_end = CASE WHEN r.window_end <= v_now
		THEN v_now + make_interval(secs => p_window_s) ELSE r.window_end END,
	    hits = CASE WHEN r.window_end <= v_now THEN 1 ELSE r.hits + 1 END
	RETURNING r.hits, r.window_end INTO v_hits, v_end;
	IF v_hits <= p_limit THEN
		RETURN 0;
	END IF;
	RETURN greatest(1, ceil(extract(epoch FROM v_end - v_now)))::int;
END
$$;

COMMENT ON FUNCTION app.rate_take(text, int, int) IS
    'count an attempt under a key: 0 within the limit, else seconds until the window ends';
REVOKE ALL ON FUNCTION app.rate_take(text, int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.rate_take(text, int, int) TO eleva_web;
