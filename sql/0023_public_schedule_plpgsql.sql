-- 0023_public_schedule_plpgsql: app.public_schedule (0009), the booking
-- page's first statement's helper, in PL/pgSQL with the same query.  As a
-- SECURITY DEFINER SQL function PostgreSQL planned its body again on every
-- call (a SQL function is not inlined when it runs as its owner), about
-- 0.2 ms of each booking page; PL/pgSQL keeps the plan for the session.
-- Same arguments, result, owner, privileges and comment (CREATE OR
-- REPLACE keeps the grants).

CREATE OR REPLACE FUNCTION app.public_schedule(p_handle text)
RETURNS TABLE (timezone text, booking_window_days integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	RETURN QUERY
	SELECT s.timezone, coalesce(ss.booking_window_days, 60)
	FROM public.profiles p
	JOIN public.schedules s ON s.workos_user_id = p.workos_user_id
	LEFT JOIN public.scheduling_settings ss ON ss.workos_user_id = p.workos_user_id
	WHERE p.handle = p_handle AND p.published;
END
$$;
