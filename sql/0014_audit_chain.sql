-- 0014_audit_chain: tamper evidence for the audit log, and its one
-- deletion path (issue 14).
--
-- Each audit row joins its organization's chain when it is inserted (rows
-- without an organization form a chain of their own): a BEFORE INSERT
-- trigger takes the chain's head row in audit_chain_heads under its row
-- lock (so concurrent inserts of one organization take turns there and
-- only there), names the chain in the row (chain: the organization's id
-- at insert, kept when the organization is deleted and org_id becomes
-- NULL), gives it the next chain_seq and the previous row's hash as
-- prev_hash, and sets row_hash = SHA-256(prev_hash || the row's fields but
-- org_id), framed by app.mac_message (0012) with NULL told apart from ''.
-- Whatever the caller put in the four columns is overwritten.  A later
-- UPDATE of a row breaks its own hash, a DELETE breaks the sequence (or,
-- at the end, the head), and app.audit_verify finds either.
--
-- Privacy: the same trigger redacts, in old_values and new_values, the
-- value under any key naming personal data (e-mail, notes, phone,
-- address, password, token, secret: "guest_email", "notes" ...), at any
-- depth, as "[redacted]": what changed stays on record, not the personal
-- value (a health platform's audit log is read by admins and exported).
-- Every path into audit_logs passes the trigger.
--
-- app.audit_verify(org or NULL for all): per chain, rows in chain_seq
-- order from the anchor (the chain's start, or where app.audit_prune cut
-- it): the first row whose sequence, link or hash does not hold, with the
-- reason, or none when intact.  For the owner (eleva audit verify).
--
-- app.audit_prune(cutoff, execute): per chain, the longest prefix whose
-- rows are all older than cutoff (a row inserted late by a transaction
-- that began early does not let an older-looking one jump the queue);
-- with execute, deletes it, moves the chain's anchor to its last row
-- (sequence and hash, so what remains still verifies) and records the
-- prune in audit_prunes.  The owner's only; the app role has no DELETE on
-- audit_logs at all.  Returns what it would remove, or removed.

ALTER TABLE public.audit_logs
	ADD COLUMN chain text,
	ADD COLUMN chain_seq bigint,
	ADD COLUMN prev_hash bytea,
	ADD COLUMN row_hash bytea;
CREATE UNIQUE INDEX audit_logs_chain_idx ON public.audit_logs (chain, chain_seq);

CREATE TABLE public.audit_chain_heads (
	chain text PRIMARY KEY,		-- the organization's id, '' for none
	last_seq bigint NOT NULL,
	last_hash bytea NOT NULL,
	anchor_seq bigint NOT NULL DEFAULT 0,	-- rows up to it were pruned
	anchor_hash bytea NOT NULL DEFAULT '\x'
);
COMMENT ON TABLE public.audit_chain_heads IS
    'per organization: the last audit row of its hash chain, and where pruning cut it';
SELECT app.private_table('public.audit_chain_heads');

CREATE TABLE public.audit_prunes (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	chain text NOT NULL,
	cutoff timestamptz NOT NULL,
	up_to_seq bigint NOT NULL,
	rows_removed bigint NOT NULL,
	pruned_at timestamptz NOT NULL DEFAULT now()
);
SELECT app.private_table('public.audit_prunes');

-- v with the values under personal keys replaced by "[redacted]".
CREATE FUNCTION app.audit_redact(v jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog AS $$
BEGIN
	IF jsonb_typeof(v) = 'object' THEN
		RETURN (SELECT coalesce(jsonb_object_agg(k, CASE
		    WHEN k ~* '(e-?mail|notes|phone|address|password|token|secret)'
			AND jsonb_typeof(x) <> 'null' THEN to_jsonb('[redacted]'::text)
		    ELSE app.audit_redact(x) END), '{}'::jsonb)
		    FROM jsonb_each(v) AS e (k, x));
	ELSIF jsonb_typeof(v) = 'array' THEN
		RETURN (SELECT coalesce(jsonb_agg(app.audit_redact(x) ORDER BY n), '[]'::jsonb)
		    FROM jsonb_array_elements(v) WITH ORDINALITY AS a (x, n));
	END IF;
	RETURN v;
END
$$;

-- The hash of row r after prev: its fields in a fixed order, each NULL
-- told apart from an empty value.
CREATE FUNCTION app.audit_hash(r public.audit_logs, prev bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
	SELECT sha256(prev || app.mac_message('audit', VARIADIC ARRAY(
	    SELECT CASE WHEN f IS NULL THEN '-' ELSE '+' || f END
	    FROM unnest(ARRAY[r.id::text, r.chain, r.chain_seq::text, r.workos_user_id,
		r.action, r.resource_type, r.resource_id, r.old_values::text, r.new_values::text,
		r.metadata::text, r.ip_address, r.user_agent, r.request_id,
		(extract(epoch FROM r.created_at) * 1000000)::bigint::text])
	    WITH ORDINALITY AS x (f, n) ORDER BY n)))
$$;

CREATE FUNCTION app.audit_chain_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	v_chain text := coalesce(NEW.org_id::text, '');
	v_seq bigint;
	v_prev bytea;
BEGIN
	-- The head row's lock orders one organization's inserts.
	INSERT INTO public.audit_chain_heads AS h (chain, last_seq, last_hash)
	VALUES (v_chain, 0, '\x')
	ON CONFLICT (chain) DO UPDATE SET last_seq = h.last_seq
	RETURNING h.last_seq, h.last_hash INTO v_seq, v_prev;
	NEW.old_values := app.audit_redact(NEW.old_values);
	NEW.new_values := app.audit_redact(NEW.new_values);
	NEW.chain := v_chain;
	NEW.chain_seq := v_seq + 1;
	NEW.prev_hash := v_prev;
	NEW.row_hash := app.audit_hash(NEW, v_prev);
	UPDATE public.audit_chain_heads SET last_seq = NEW.chain_seq, last_hash = NEW.row_hash
	WHERE chain = v_chain;
	RETURN NEW;
END
$$;

CREATE TRIGGER audit_logs_chain BEFORE INSERT ON public.audit_logs
    FOR EACH ROW EXECUTE FUNCTION app.audit_chain_link();

-- The rows written before this migration join their chains in id order.
DO $$
DECLARE
	r public.audit_logs;
	v_seq bigint;
	v_prev bytea;
BEGIN
	FOR r IN SELECT * FROM public.audit_logs ORDER BY id LOOP
		SELECT last_seq, last_hash INTO v_seq, v_prev FROM public.audit_chain_heads
		WHERE chain = coalesce(r.org_id::text, '');
		IF NOT FOUND THEN
			v_seq := 0;
			v_prev := '\x';
			INSERT INTO public.audit_chain_heads (chain, last_seq, last_hash)
			VALUES (coalesce(r.org_id::text, ''), 0, '\x');
		END IF;
		r.old_values := app.audit_redact(r.old_values);
		r.new_values := app.audit_redact(r.new_values);
		r.chain := coalesce(r.org_id::text, '');
		r.chain_seq := v_seq + 1;
		r.prev_hash := v_prev;
		r.row_hash := app.audit_hash(r, v_prev);
		UPDATE public.audit_logs SET old_values = r.old_values, new_values = r.new_values,
		    chain = r.chain, chain_seq = r.chain_seq,
		    prev_hash = r.prev_hash, row_hash = r.row_hash WHERE id = r.id;
		UPDATE public.audit_chain_heads SET last_seq = r.chain_seq, last_hash = r.row_hash
		WHERE chain = coalesce(r.org_id::text, '');
	END LOOP;
END
$$;
ALTER TABLE public.audit_logs
	ALTER COLUMN chain SET NOT NULL,
	ALTER COLUMN chain_seq SET NOT NULL,
	ALTER COLUMN prev_hash SET NOT NULL,
	ALTER COLUMN row_hash SET NOT NULL;

CREATE FUNCTION app.audit_verify(p_org uuid)
RETURNS TABLE (chain text, rows_checked bigint, first_bad_id bigint, reason text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
	h public.audit_chain_heads;
	r public.audit_logs;
	v_seq bigint;
	v_prev bytea;
	v_n bigint;
BEGIN
	FOR h IN SELECT * FROM public.audit_chain_heads x
	    WHERE p_org IS NULL OR x.chain = p_org::text ORDER BY x.chain LOOP
		chain := h.chain;
		first_bad_id := NULL;
		reason := NULL;
		v_seq := h.anchor_seq;
		v_prev := h.anchor_hash;
		v_n := 0;
		FOR r IN SELECT * FROM public.audit_logs a
		    WHERE a.chain = h.chain ORDER BY a.chain_seq LOOP
			v_n := v_n + 1;
			IF r.chain_seq <> v_seq + 1 THEN
				first_bad_id := r.id;
				reason := format('sequence %s follows %s: rows are missing before it',
				    r.chain_seq, v_seq);
			ELSIF r.prev_hash <> v_prev THEN
				first_bad_id := r.id;
				reason := 'its link to the previous row does not match';
			ELSIF r.row_hash <> app.audit_hash(r, r.prev_hash) THEN
				first_bad_id := r.id;
				reason := 'its content does not match its hash (changed after it was written)';
			END IF;
			EXIT WHEN first_bad_id IS NOT NULL;
			v_seq := r.chain_seq;
			v_prev := r.row_hash;
		END LOOP;
		IF first_bad_id IS NULL AND (v_seq <> h.last_seq OR v_prev <> h.last_hash) THEN
			reason := format('the chain ends at sequence %s, its head says %s: the last rows are missing',
			    v_seq, h.last_seq);
		END IF;
		rows_checked := v_n;
		RETURN NEXT;
	END LOOP;
END
$$;

CREATE FUNCTION app.audit_prune(p_cutoff timestamptz, p_execute boolean)
RETURNS TABLE (chain text, up_to_seq bigint, rows_removed bigint)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	h public.audit_chain_heads;
	v_keep bigint;
	v_hash bytea;
BEGIN
	FOR h IN SELECT * FROM public.audit_chain_heads x ORDER BY x.chain FOR UPDATE LOOP
		-- The first row to keep: the oldest in chain order not older than cutoff.
		SELECT min(a.chain_seq) INTO v_keep FROM public.audit_logs a
		WHERE a.chain = h.chain AND a.created_at >= p_cutoff;
		v_keep := coalesce(v_keep, h.last_seq + 1);
		IF v_keep - 1 <= h.anchor_seq THEN
			CONTINUE;
		END IF;
		chain := h.chain;
		up_to_seq := v_keep - 1;
		SELECT count(*) INTO rows_removed FROM public.audit_logs a
		WHERE a.chain = h.chain AND a.chain_seq < v_keep;
		IF p_execute THEN
			SELECT a.row_hash INTO v_hash FROM public.audit_logs a
			WHERE a.chain = h.chain AND a.chain_seq = v_keep - 1;
			DELETE FROM public.audit_logs a
			WHERE a.chain = h.chain AND a.chain_seq < v_keep;
			UPDATE public.audit_chain_heads x SET anchor_seq = v_keep - 1, anchor_hash = v_hash
			WHERE x.chain = h.chain;
			INSERT INTO public.audit_prunes (chain, cutoff, up_to_seq, rows_removed)
			VALUES (h.chain, p_cutoff, v_keep - 1, rows_removed);
		END IF;
		RETURN NEXT;
	END LOOP;
END
$$;

REVOKE ALL ON FUNCTION app.audit_redact(jsonb), app.audit_hash(public.audit_logs, bytea),
    app.audit_chain_link(),
    app.audit_verify(uuid), app.audit_prune(timestamptz, boolean) FROM PUBLIC;
