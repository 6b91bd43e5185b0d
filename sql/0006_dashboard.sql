-- 0006_dashboard: a time zone name that is safe to format with, for the dashboards.
-- schedules.timezone and meetings.timezone are free text written by forms and
-- bookings; one unknown name would make every AT TIME ZONE over it fail, and
-- with it the whole page.  Looking names up in pg_timezone_names costs tens
-- of milliseconds (it reads the whole time zone database), so ask PostgreSQL
-- itself and fall back to UTC.

CREATE FUNCTION app.timezone_or_utc(tz text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
	IF tz IS NULL OR btrim(tz) = '' THEN
		RETURN 'UTC';
	END IF;
	PERFORM pg_catalog.now() AT TIME ZONE tz;
	RETURN tz;
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN 'UTC';
END
$$;
COMMENT ON FUNCTION app.timezone_or_utc(text) IS
    'tz when PostgreSQL knows it as a time zone, else UTC (also for NULL or blank)';

REVOKE ALL ON FUNCTION app.timezone_or_utc(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.timezone_or_utc(text) TO eleva_web;
