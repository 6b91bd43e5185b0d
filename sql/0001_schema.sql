-- 0001_schema: every table of the identity and tenancy core.
-- Runs as the owner role.  Times are timestamptz; allowed values are CHECKed;
-- tenant tables carry org_id NOT NULL with the index the policies need first.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'Eleva: RLS helpers and privileged functions';

-- updated_at is the database's job.
CREATE FUNCTION app.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

CREATE TYPE public.day AS ENUM
    ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday');
CREATE TYPE public.payment_transfer_status AS ENUM
    ('PENDING', 'APPROVED', 'READY', 'COMPLETED', 'FAILED', 'REFUNDED', 'DISPUTED', 'PAID_OUT');

CREATE TABLE public.organizations (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	workos_org_id text NOT NULL UNIQUE,
	slug text NOT NULL UNIQUE,
	name text NOT NULL,
	type text NOT NULL CHECK (type IN ('patient_personal', 'expert_individual', 'clinic', 'educational_institution')),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.users (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	workos_user_id text NOT NULL UNIQUE,
	email text NOT NULL,
	first_name text,
	last_name text,
	role text NOT NULL DEFAULT 'user'
	    CHECK (role IN ('user', 'expert_community', 'expert_lecturer', 'expert_top', 'admin', 'superadmin')),
	stripe_customer_id text UNIQUE,
	stripe_connect_account_id text UNIQUE,
	stripe_connect_details_submitted boolean NOT NULL DEFAULT false,
	stripe_connect_charges_enabled boolean NOT NULL DEFAULT false,
	stripe_connect_payouts_enabled boolean NOT NULL DEFAULT false,
	stripe_connect_onboarding_complete boolean NOT NULL DEFAULT false,
	stripe_bank_account_last4 text,
	stripe_bank_name text,
	stripe_identity_verification_id text,
	stripe_identity_verified boolean NOT NULL DEFAULT false,
	stripe_identity_verification_status text,
	stripe_identity_verification_last_checked timestamptz,
	country text NOT NULL DEFAULT 'PT',
	image_url text,
	welcome_email_sent_at timestamptz,
	onboarding_completed_at timestamptz,
	-- Sign out everywhere: sessions issued before this are refused.
	sessions_valid_after timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_email_idx ON public.users (lower(email));

CREATE TABLE public.user_org_memberships (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	workos_user_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'billing_admin')),
	status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'invited', 'suspended')),
	joined_at timestamptz NOT NULL DEFAULT now(),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT user_org_unique UNIQUE (workos_user_id, org_id)
);
-- is_org_member / has_org_role: (org, user) first.
CREATE INDEX memberships_org_user_idx ON public.user_org_memberships (org_id, workos_user_id, status, role);

CREATE TABLE public.expert_setup (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	workos_user_id text NOT NULL UNIQUE REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	profile_completed boolean NOT NULL DEFAULT false,
	availability_completed boolean NOT NULL DEFAULT false,
	events_completed boolean NOT NULL DEFAULT false,
	google_account_completed boolean NOT NULL DEFAULT false,
	identity_completed boolean NOT NULL DEFAULT false,
	payment_completed boolean NOT NULL DEFAULT false,
	setup_complete boolean NOT NULL DEFAULT false,
	setup_completed_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (setup_complete = (setup_completed_at IS NOT NULL))
);
CREATE INDEX expert_setup_org_idx ON public.expert_setup (org_id);
CREATE INDEX expert_setup_complete_idx ON public.expert_setup (setup_complete);

CREATE TABLE public.user_preferences (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	workos_user_id text NOT NULL UNIQUE REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	security_alerts boolean NOT NULL DEFAULT true,
	new_device_alerts boolean NOT NULL DEFAULT false,
	email_notifications boolean NOT NULL DEFAULT true,
	in_app_notifications boolean NOT NULL DEFAULT true,
	unusual_timing_alerts boolean NOT NULL DEFAULT true,
	location_change_alerts boolean NOT NULL DEFAULT true,
	theme text NOT NULL DEFAULT 'light' CHECK (theme IN ('light', 'dark', 'system')),
	language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es', 'pt', 'br')),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_preferences_org_idx ON public.user_preferences (org_id);

CREATE TABLE public.categories (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL UNIQUE,
	description text,
	image text,
	parent_id uuid REFERENCES public.categories (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.profiles (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	workos_user_id text NOT NULL UNIQUE REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	-- The public handle: /<handle>.  Reserved words are refused by the app.
	handle text UNIQUE CHECK (handle ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(handle) <= 40),
	profile_picture text,
	first_name text NOT NULL,
	last_name text NOT NULL,
	headline text,
	short_bio text,
	long_bio text,
	primary_category_id uuid REFERENCES public.categories (id) ON DELETE SET NULL,
	secondary_category_id uuid REFERENCES public.categories (id) ON DELETE SET NULL,
	social_links jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(social_links) = 'array'),
	is_verified boolean NOT NULL DEFAULT false,
	is_top_expert boolean NOT NULL DEFAULT false,
	published boolean NOT NULL DEFAULT false,
	practitioner_agreement_accepted_at timestamptz,
	practitioner_agreement_version text,
	practitioner_agreement_ip_address text,
	practitioner_agreement_metadata jsonb,
	"order" integer NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profiles_org_idx ON public.profiles (org_id);
CREATE INDEX profiles_published_idx ON public.profiles (workos_user_id) WHERE published;

CREATE TABLE public.events (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	workos_user_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	name text NOT NULL,
	slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	description text,
	duration_in_minutes integer NOT NULL CHECK (duration_in_minutes BETWEEN 5 AND 1440),
	is_active boolean NOT NULL DEFAULT true,
	"order" integer NOT NULL DEFAULT 0,
	price integer NOT NULL DEFAULT 0 CHECK (price >= 0),
	currency text NOT NULL DEFAULT 'eur' CHECK (currency ~ '^[a-z]{3}$'),
	stripe_product_id text,
	stripe_price_id text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT events_user_slug_unique UNIQUE (workos_user_id, slug)
);
CREATE INDEX events_org_idx ON public.events (org_id);

CREATE TABLE public.schedules (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	workos_user_id text NOT NULL UNIQUE REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	timezone text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_org_idx ON public.schedules (org_id);

CREATE TABLE public.schedule_availabilities (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	schedule_id uuid NOT NULL REFERENCES public.schedules (id) ON DELETE CASCADE,
	day_of_week public.day NOT NULL,
	start_time time NOT NULL,
	end_time time NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (start_time < end_time),
	-- No two ranges of one weekday overlap.
	CONSTRAINT schedule_availabilities_no_overlap EXCLUDE USING gist (
	    schedule_id WITH =, day_of_week WITH =,
	    tsrange('2000-01-01'::date + start_time, '2000-01-01'::date + end_time) WITH &&)
);
CREATE INDEX schedule_availabilities_org_idx ON public.schedule_availabilities (org_id);

CREATE TABLE public.scheduling_settings (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	workos_user_id text NOT NULL UNIQUE REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	before_event_buffer integer NOT NULL DEFAULT 0 CHECK (before_event_buffer BETWEEN 0 AND 1440),
	after_event_buffer integer NOT NULL DEFAULT 0 CHECK (after_event_buffer BETWEEN 0 AND 1440),
	minimum_notice integer NOT NULL DEFAULT 0 CHECK (minimum_notice >= 0),
	time_slot_interval integer NOT NULL DEFAULT 15 CHECK (time_slot_interval BETWEEN 5 AND 1440),
	booking_window_days integer NOT NULL DEFAULT 60 CHECK (booking_window_days BETWEEN 1 AND 730),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scheduling_settings_org_idx ON public.scheduling_settings (org_id);

CREATE TABLE public.blocked_dates (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	workos_user_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	date date NOT NULL,
	timezone text NOT NULL DEFAULT 'UTC',
	reason text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT blocked_dates_user_date_unique UNIQUE (workos_user_id, date)
);
CREATE INDEX blocked_dates_org_idx ON public.blocked_dates (org_id);

CREATE TABLE public.meetings (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- The expert's organization: a meeting belongs to the practice.
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	event_id uuid NOT NULL REFERENCES public.events (id) ON DELETE CASCADE,
	workos_user_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	guest_workos_user_id text REFERENCES public.users (workos_user_id) ON DELETE SET NULL,
	guest_org_id uuid REFERENCES public.organizations (id) ON DELETE SET NULL,
	guest_email text NOT NULL,
	guest_name text NOT NULL,
	guest_notes text,
	start_time timestamptz NOT NULL,
	end_time timestamptz NOT NULL,
	timezone text NOT NULL,
	meeting_url text,
	status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
	cancelled_at timestamptz,
	stripe_payment_intent_id text UNIQUE,
	stripe_session_id text UNIQUE,
	stripe_payment_status text NOT NULL DEFAULT 'pending'
	    CHECK (stripe_payment_status IN ('pending', 'processing', 'succeeded', 'failed', 'refunded')),
	stripe_amount integer,
	stripe_application_fee_amount integer,
	stripe_transfer_id text UNIQUE,
	stripe_transfer_amount integer,
	stripe_transfer_status text NOT NULL DEFAULT 'pending'
	    CHECK (stripe_transfer_status IN ('pending', 'processing', 'succeeded', 'failed')),
	stripe_transfer_scheduled_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (start_time < end_time),
	CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
	-- One expert is never booked twice at once (cancelled meetings free the time).
	CONSTRAINT meetings_no_double_booking EXCLUDE USING gist (
	    workos_user_id WITH =, tstzrange(start_time, end_time) WITH &&)
	    WHERE (status <> 'cancelled')
);
CREATE INDEX meetings_org_start_idx ON public.meetings (org_id, start_time);
CREATE INDEX meetings_guest_idx ON public.meetings (guest_workos_user_id, start_time);
CREATE INDEX meetings_event_idx ON public.meetings (event_id);

CREATE TABLE public.slot_reservations (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	event_id uuid NOT NULL REFERENCES public.events (id) ON DELETE CASCADE,
	workos_user_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	guest_email text NOT NULL,
	start_time timestamptz NOT NULL,
	end_time timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	stripe_payment_intent_id text UNIQUE,
	stripe_session_id text UNIQUE,
	gentle_reminder_sent_at timestamptz,
	urgent_reminder_sent_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (start_time < end_time)
);
CREATE INDEX slot_reservations_org_idx ON public.slot_reservations (org_id);
CREATE INDEX slot_reservations_user_time_idx ON public.slot_reservations (workos_user_id, start_time);
CREATE INDEX slot_reservations_expires_idx ON public.slot_reservations (expires_at);

CREATE TABLE public.records (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	meeting_id uuid NOT NULL REFERENCES public.meetings (id) ON DELETE CASCADE,
	expert_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE CASCADE,
	guest_email text NOT NULL,
	encrypted_content text NOT NULL,
	encrypted_metadata text,
	last_modified_at timestamptz NOT NULL DEFAULT now(),
	version integer NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX records_org_idx ON public.records (org_id);
CREATE INDEX records_expert_idx ON public.records (expert_id);
CREATE INDEX records_meeting_idx ON public.records (meeting_id);

CREATE TABLE public.payment_transfers (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	payment_intent_id text NOT NULL,
	checkout_session_id text NOT NULL,
	event_id uuid NOT NULL REFERENCES public.events (id) ON DELETE RESTRICT,
	expert_connect_account_id text NOT NULL,
	expert_workos_user_id text NOT NULL REFERENCES public.users (workos_user_id) ON DELETE RESTRICT,
	amount integer NOT NULL CHECK (amount >= 0),
	currency text NOT NULL DEFAULT 'eur' CHECK (currency ~ '^[a-z]{3}$'),
	platform_fee integer NOT NULL CHECK (platform_fee >= 0),
	session_start_time timestamptz NOT NULL,
	scheduled_transfer_time timestamptz NOT NULL,
	status public.payment_transfer_status NOT NULL DEFAULT 'PENDING',
	transfer_id text,
	payout_id text,
	stripe_error_code text,
	stripe_error_message text,
	retry_count integer NOT NULL DEFAULT 0,
	requires_approval boolean NOT NULL DEFAULT false,
	admin_user_id text,
	admin_notes text,
	notified_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_transfers_org_idx ON public.payment_transfers (org_id);
CREATE INDEX payment_transfers_account_idx ON public.payment_transfers (expert_connect_account_id);

-- Append-only for the app role (no UPDATE/DELETE privilege or policy).
CREATE TABLE public.audit_logs (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	workos_user_id text,
	org_id uuid REFERENCES public.organizations (id) ON DELETE SET NULL,
	action text NOT NULL CHECK (action ~ '^[A-Za-z0-9_.]+$'),
	resource_type text NOT NULL CHECK (resource_type ~ '^[a-z0-9_]+$'),
	resource_id text,
	old_values jsonb,
	new_values jsonb,
	metadata jsonb,
	ip_address text,
	user_agent text,
	request_id text,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_org_created_idx ON public.audit_logs (org_id, created_at);
CREATE INDEX audit_logs_user_created_idx ON public.audit_logs (workos_user_id, created_at);
CREATE INDEX audit_logs_action_idx ON public.audit_logs (action);

CREATE TABLE public.audit_log_exports (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	workos_user_id text NOT NULL,
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	start_date timestamptz NOT NULL,
	end_date timestamptz NOT NULL,
	actions jsonb,
	resource_types jsonb,
	record_count integer NOT NULL DEFAULT 0,
	file_size bigint,
	export_format text NOT NULL DEFAULT 'json' CHECK (export_format IN ('json', 'csv')),
	blob_url text,
	expires_at timestamptz,
	reason text,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (start_date <= end_date)
);
CREATE INDEX audit_log_exports_org_created_idx ON public.audit_log_exports (org_id, created_at);

CREATE TABLE public.audit_stats (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	org_id uuid NOT NULL REFERENCES public.organizations (id) ON DELETE CASCADE,
	date date NOT NULL,
	medical_record_access integer NOT NULL DEFAULT 0,
	appointment_events integer NOT NULL DEFAULT 0,
	payment_events integer NOT NULL DEFAULT 0,
	security_events integer NOT NULL DEFAULT 0,
	after_hours_access integer NOT NULL DEFAULT 0,
	mass_exports integer NOT NULL DEFAULT 0,
	suspicious_activity boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT audit_stats_org_date_unique UNIQUE (org_id, date)
);

-- updated_at triggers on every table that has the column.
DO $$
DECLARE
	t regclass;
BEGIN
	FOR t IN
		SELECT a.attrelid::regclass FROM pg_attribute a
		WHERE a.attname = 'updated_at' AND NOT a.attisdropped
		AND a.attrelid IN (SELECT oid FROM pg_class
		    WHERE relnamespace = 'public'::regnamespace AND relkind = 'r')
	LOOP
		EXECUTE format('CREATE TRIGGER touch_updated_at BEFORE UPDATE ON %s '
		    'FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()', t);
	END LOOP;
END
$$;

-- Seed: the fields Eleva's experts work in.
INSERT INTO public.categories (name, description) VALUES
	('Pregnancy', 'Care before and during pregnancy'),
	('Postpartum', 'Recovery and support after birth'),
	('Menopause', 'Perimenopause, menopause and after'),
	('Sexual health', 'Sexual wellbeing and health'),
	('Fertility', 'Trying to conceive and fertility care'),
	('Pelvic health', 'Pelvic floor and pelvic pain');
