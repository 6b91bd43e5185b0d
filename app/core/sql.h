/* sql: every SQL statement the program runs, in one table indexed by enum sql_id, with each statement's columns beside it. */
#ifndef ELEVA_SQL_H
#define ELEVA_SQL_H

/*
 * Every statement is parameterised ($1...) and schema-qualified.  The web
 * app's run inside the request's transaction as the app role, so
 * row-level security applies; the command-line tools' (marked "owner")
 * run as the owner role.  db_run() takes a statement by its id: the
 * number of parameters comes from the table, and the prepared statement
 * is named after it.  t/unit/sql_test checks each text's $N against the
 * table and, against the test database, the number of columns too.
 */
enum sql_id {
	/* Sign-in and the signed-in user (core/auth.c, domain/signin.c). */
	SQL_AUTH_USER,
	SQL_SIGNIN_USER,
	SQL_PROVISION_USER,
	SQL_SESSIONS_INVALIDATE,
	SQL_SESSION_END,
	SQL_LEASE_TAKE,
	SQL_LEASE_RELEASE,
	SQL_REFRESH_GET,
	SQL_REFRESH_PUT,
	/* Preferences (pages/settings_security.c). */
	SQL_PREFS_GET,
	SQL_PREFS_GET_FOR_UPDATE,
	SQL_PREFS_SAVE,
	SQL_PREFS_RESET,
	/* The setup wizard (domain/setup.c, pages/setup*.c). */
	SQL_SETUP_STATE,
	SQL_SETUP_ENSURE_ROW,
	SQL_SETUP_MARK_STEP,
	SQL_TIMEZONES,
	SQL_PROFILE_PUBLISH,
	SQL_PROFILE_AGREEMENT,
	SQL_PROFILE_UNPUBLISH,
	SQL_PROFILE_GET,
	SQL_PROFILE_GET_FOR_UPDATE,
	SQL_PROFILE_SAVE,
	SQL_CATEGORIES,
	SQL_SCHEDULE_GET,
	SQL_SCHEDULE_RANGES,
	SQL_SCHEDULE_SAVE,
	SQL_SCHEDULE_CLEAR,
	SQL_SCHEDULE_ADD_RANGES,
	SQL_EVENTS_LIST,
	SQL_EVENT_GET,
	SQL_EVENT_GET_FOR_UPDATE,
	SQL_EVENT_CREATE,
	SQL_EVENT_UPDATE,
	SQL_EVENTS_ACTIVE_COUNT,
	SQL_SETUP_WEBHOOK,
	/* The expert's booking rules (pages/setup_rules.c). */
	SQL_RULES_GET,
	SQL_RULES_SAVE,
	SQL_BLOCKED_LIST,
	SQL_BLOCKED_ADD,
	SQL_BLOCKED_REMOVE,
	/* Dashboards (pages/dashboard.c). */
	SQL_DASHBOARD_EXPERT,
	SQL_DASHBOARD_EXPERT_MEETINGS,
	SQL_DASHBOARD_BOOKINGS,
	SQL_MEETING_GET,
	SQL_MEETING_ICS,
	/* Admin setup statistics (domain/admin_setup.c, pages/admin_*.c). */
	SQL_ADMIN_SETUP_STATS,
	SQL_ADMIN_SETUP_INCOMPLETE,
	SQL_ADMIN_SETUP_EXPERT,
	SQL_ADMIN_SETUP_RESET,
	SQL_ADMIN_USERS,
	SQL_SET_USER_ROLE,
	/* WorkOS's events (pages/webhooks_workos.c, pages/admin_webhooks.c). */
	SQL_WORKOS_EVENT,
	SQL_ADMIN_WEBHOOKS,
	/* The home page's experts (pages/home.c). */
	SQL_HOME_EXPERTS,
	SQL_HOME_CATEGORIES,
	/* The public pages (pages/handle.c, pages/handle_event.c). */
	SQL_EXPERT_PUBLIC,
	SQL_EXPERT_EVENTS,
	SQL_BOOKING_EVENT,
	SQL_BOOKING_WEEK,
	SQL_BOOKING_SLOTS,
	SQL_SLOT_STATE,
	SQL_BOOK_MEETING,
	SQL_CONFIRM_BOOKING,
	SQL_RATE_TAKE,
	SQL_BOOKING_WHEN,
	/* A booking after it is made (pages/booking_manage.c,
	   pages/booking_reschedule.c, pages/meeting.c). */
	SQL_MANAGE_GET,
	SQL_MEETING_CANCEL,
	SQL_MEETING_RESCHEDULE,
	/* The e-mail sender (cli/mailer.c). */
	SQL_MAIL_CLAIM,
	SQL_MAIL_SENT,
	SQL_MAIL_FAILED,
	SQL_MAIL_WHEN,
	/* The audit log (domain/audit_log.c, pages/audit*.c). */
	SQL_AUDIT_LIST,
	SQL_AUDIT_DIFF,
	SQL_AUDIT_DAYS,
	SQL_AUDIT_EXPORT_RECORD,
	SQL_USER_TZ,
	/* Privacy self-service (domain/privacy.c). */
	SQL_PRIVACY_DATA,
	SQL_ACCOUNT_DELETE,
	SQL_ACCOUNT_DELETION_DONE,
	SQL_ACCOUNT_DELETION_PENDING,
	/* The request machinery (core/db.c). */
	SQL_BEGIN_SETTINGS,
	SQL_AUDIT,
	SQL_PING,
	SQL_WAL_POSITION,
	SQL_REPLAY_POSITION,
	SQL_CHECK_ROLE,
	/* The command-line tools (cli/), as the owner role. */
	SQL_MIGRATIONS_LOCK,
	SQL_MIGRATIONS_TABLE,
	SQL_MIGRATIONS_LIST,
	SQL_MIGRATION_RECORD,
	SQL_IDENTITY_KEYS_READY,
	SQL_IDENTITY_KEYS_INSTALL,
	SQL_DEMO_STALE,
	SQL_DEMO_USER,
	SQL_DEMO_SETUP,
	SQL_DEMO_PROFILE,
	SQL_DEMO_SCHEDULE,
	SQL_DEMO_RANGES,
	SQL_DEMO_EVENTS,
	SQL_AUDIT_VERIFY,
	SQL_AUDIT_PRUNE,
	SQL_LEGACY_WORKOS_ORG,
	/* The legacy Clerk-era database (cli/legacy*.c, SQL_LEGACY). */
	SQL_LEGACY_USERS,
	SQL_LEGACY_ORIGIN,
	SQL_LEGACY_USER_EMAIL,
	SQL_LEGACY_READ_CATEGORIES,
	SQL_LEGACY_READ_PROFILES,
	SQL_LEGACY_READ_EVENTS,
	SQL_LEGACY_READ_SCHEDULES,
	SQL_LEGACY_READ_AVAILABILITIES,
	SQL_LEGACY_READ_SETTINGS,
	SQL_LEGACY_READ_BLOCKED,
	SQL_LEGACY_READ_MEETINGS,
	SQL_LEGACY_READ_RECORDS,
	SQL_LEGACY_READ_TRANSFERS,
	/* Ours, for the same (sql/0019_legacy.sql). */
	SQL_LEGACY_COPY_CATEGORIES,
	SQL_LEGACY_COPY_PROFILES,
	SQL_LEGACY_COPY_EVENTS,
	SQL_LEGACY_COPY_SCHEDULES,
	SQL_LEGACY_COPY_AVAILABILITIES,
	SQL_LEGACY_COPY_SETTINGS,
	SQL_LEGACY_COPY_BLOCKED,
	SQL_LEGACY_COPY_MEETINGS,
	SQL_LEGACY_COPY_RECORDS,
	SQL_LEGACY_COPY_TRANSFERS,
	SQL_LEGACY_PENDING,
	SQL_LEGACY_META_PLAN,
	SQL_LEGACY_META_APPLY,
	SQL_LEGACY_MAP_CHECK,
	SQL_LEGACY_CHECKS,
	SQL__N
};

/* Flags of a statement. */
enum sql_flag {
	SQL_UNPREPARED	= 1 << 0,	/* sent as it is, never prepared: what
					   a process runs once (tools, startup
					   checks) or in a pipeline */
	SQL_LEGACY	= 1 << 1,	/* for the legacy Clerk-era database
					   (t/fixtures/legacy/schema.sql), not
					   ours: t/unit/sql_test leaves it */
};

struct sql_stmt {
	const char	*name;		/* "auth_user": the prepared statement's
					   name and `eleva sql NAME` */
	int		 nparams;	/* $1..$nparams */
	int		 ncols;		/* columns of a result row, 0: none */
	unsigned	 flags;		/* enum sql_flag */
	const char	*text;
};

/* The table, indexed by enum sql_id. */
extern const struct sql_stmt	sql_stmts[SQL__N];

/* The statement named name, or NULL. */
const struct sql_stmt *sql_by_name(const char *name);

/*
 * Columns.  Each statement's are declared here in the order its SELECT or
 * RETURNING names them; a statement of one column has no enum (column 0).
 * Flags are 't'/'f' (db_bool), counts and epochs digits (db_int), NULL
 * only where said.
 */

/*
 * A time, five columns in a row of the statements that show one: local
 * date YYYY-MM-DD, ISO weekday (1 Monday .. 7 Sunday), start and end
 * HH24:MI, the start in Unix seconds (view_when reads them).
 */
enum { WHEN_DATE, WHEN_WEEKDAY, WHEN_START, WHEN_END, WHEN_EPOCH, WHEN__COLS };

/*
 * SQL_AUTH_USER, $1 WorkOS user id, $2 organization uuid, $3 WorkOS
 * session id: the signed-in user, and whether that session was ended.
 */
enum {
	AUTH_USER_EMAIL, AUTH_USER_FIRST_NAME, AUTH_USER_LAST_NAME,
	AUTH_USER_ROLE,
	AUTH_USER_VALID_AFTER,		/* sessions_valid_after, epoch; NULL: never */
	AUTH_USER_ORG_NAME,
	AUTH_USER_SETUP_COMPLETE,	/* NULL: no expert_setup row */
	AUTH_USER_ORG_ROLES,		/* "admin,owner": active memberships */
	AUTH_USER_THEME, AUTH_USER_LANGUAGE,
	AUTH_USER_ENDED,		/* the session was signed out (0010) */
	AUTH_USER__COLS
};

/*
 * SQL_SIGNIN_USER, $1 WorkOS user id: what the database knows of a user
 * signing in (no row: a new user).  NULL: no setup row, no personal
 * organization, never signed out everywhere, no preferences.
 */
enum {
	SIGNIN_USER_ROLE, SIGNIN_USER_SETUP_COMPLETE, SIGNIN_USER_ORG_ID,
	SIGNIN_USER_VALID_AFTER, SIGNIN_USER_LANGUAGE, SIGNIN_USER_THEME,
	SIGNIN_USER__COLS
};

/*
 * SQL_PROVISION_USER: app.sign_in_provision($1 id, $2 e-mail, $3 first,
 * $4 last, $5 role, $6 WorkOS organization), app.provision_user audited
 * as USER_PROVISIONED when it made the user (0016): the organization's
 * uuid.
 * SQL_SESSIONS_INVALIDATE, $1 WorkOS user id: ends every session issued
 * before now.  SQL_SESSION_END, $1 WorkOS session id, $2 WorkOS user id,
 * $3 the session's absolute lifetime in seconds: ends that one session
 * (sign-out), dropping the user's records older than the lifetime.
 * SQL_LEASE_TAKE, $1 key, $2 holder, $3 milliseconds: taken (boolean);
 * SQL_LEASE_RELEASE, $1 key, $2 holder (core/lease.c).  SQL_REFRESH_GET,
 * $1 session local id, $2 SHA-256 hex of a refresh token: the sealed
 * tokens that replaced it within the last minute, if any; SQL_REFRESH_PUT,
 * $1, $2, $3 WorkOS user id, $4 sealed tokens: records them (core/auth.c).
 */

/*
 * The preferences: SQL_PREFS_GET and SQL_PREFS_GET_FOR_UPDATE ($1 WorkOS
 * user id: the row, if any), SQL_PREFS_SAVE ($1 user, $2 organization
 * uuid, $3..$10 the values in this order: insert or update) and
 * SQL_PREFS_RESET ($1, $2: every column back to its default) return
 * these.
 */
enum {
	PREFS_SECURITY_ALERTS, PREFS_NEW_DEVICE_ALERTS,
	PREFS_EMAIL_NOTIFICATIONS, PREFS_IN_APP_NOTIFICATIONS,
	PREFS_UNUSUAL_TIMING_ALERTS, PREFS_LOCATION_CHANGE_ALERTS,
	PREFS_THEME, PREFS_LANGUAGE,
	PREFS__COLS
};

/*
 * SQL_SETUP_STATE, $1 WorkOS user id: one row, a missing setup row read as
 * nothing done.  The six flags come in the order of enum setup_step.
 */
enum {
	SETUP_STATE_STEPS,		/* six flags from here */
	SETUP_STATE_COMPLETE = SETUP_STATE_STEPS + 6,
	SETUP_STATE_COMPLETED_AT,	/* ISO 8601 UTC; NULL: not complete */
	SETUP_STATE_HAS_ROW, SETUP_STATE_HAS_PROFILE, SETUP_STATE_PUBLISHED,
	SETUP_STATE_HANDLE,		/* NULL: none chosen */
	SETUP_STATE__COLS
};

/*
 * SQL_SETUP_ENSURE_ROW, $1 user, $2 organization uuid: the expert_setup
 * row, created when missing.
 * SQL_SETUP_MARK_STEP, $1 user, $2 step (profile, availability, events),
 * $3 done: set it when it differs; a row (the state before and after, as
 * JSON text) only then.
 */
enum { MARK_STEP_OLD, MARK_STEP_NEW, MARK_STEP__COLS };

/*
 * SQL_TIMEZONES: the time zones offered: UTC and pg_timezone_names'
 * region names (app.is_region_timezone).
 * SQL_PROFILE_PUBLISH, $1 user: publish a profile with a handle while
 * setup is complete; a row (its id) when published.
 * SQL_PROFILE_AGREEMENT, $1 user, $2 agreement version, $3 IP: the first
 * acceptance only; a row (the agreement as JSON text) when recorded.
 * SQL_PROFILE_UNPUBLISH, $1 user: a row when it was published.
 */

/*
 * SQL_PROFILE_GET and SQL_PROFILE_GET_FOR_UPDATE, $1 user: the profile
 * ("" for what is not set).  The columns before PROFILE_PUBLISHED are
 * also SQL_PROFILE_SAVE's parameters $3.. ($1 organization, $2 user),
 * which returns whether the profile step is complete.
 */
enum {
	PROFILE_HANDLE, PROFILE_FIRST_NAME, PROFILE_LAST_NAME, PROFILE_HEADLINE,
	PROFILE_SHORT_BIO, PROFILE_CATEGORY, PROFILE_PUBLISHED,
	PROFILE__COLS
};

/* SQL_CATEGORIES: every category, by name. */
enum { CATEGORY_ID, CATEGORY_NAME, CATEGORY__COLS };

/*
 * SQL_SCHEDULE_GET, $1 user: the schedule's time zone (no row: none).
 * SQL_SCHEDULE_RANGES, $1 user: every range, by day and start.
 */
enum { RANGE_DAY, RANGE_START, RANGE_END, RANGE__COLS };

/*
 * SQL_SCHEDULE_SAVE, $1 organization, $2 user, $3 time zone: upsert,
 * returning the schedule id.  SQL_SCHEDULE_CLEAR, $1 schedule id: remove
 * its ranges.  SQL_SCHEDULE_ADD_RANGES, $1 organization, $2 schedule id,
 * $3 days, $4 starts, $5 ends (array literals).
 */

/*
 * The signed-in expert's events (never another's, though RLS lets
 * published ones be read): SQL_EVENTS_LIST ($1 user: all, in order),
 * SQL_EVENT_GET and SQL_EVENT_GET_FOR_UPDATE ($1 user, $2 event id).
 * The columns from EVENT_NAME on are also the parameters $3..$9 of
 * SQL_EVENT_CREATE ($1 organization, $2 user) and SQL_EVENT_UPDATE ($1
 * user, $2 event id; no row: not the user's), which return the id.
 * SQL_EVENTS_ACTIVE_COUNT, $1 user: how many are active.
 */
enum {
	EVENT_ID, EVENT_NAME, EVENT_SLUG, EVENT_DESCRIPTION, EVENT_DURATION,
	EVENT_PRICE, EVENT_CURRENCY, EVENT_ACTIVE,
	EVENT__COLS
};

/*
 * SQL_SETUP_WEBHOOK: app.setup_webhook($1 user, $2 step, $3 status, $4
 * delivery id, $5 expiry in Unix seconds, $6 the app's MAC over the five,
 * db_sign "setup_webhook"): its verdict.
 */

/*
 * SQL_RULES_GET, $1 expert: his scheduling_settings (no row: none saved,
 * the columns' defaults apply).  SQL_RULES_SAVE, $1 organization, $2
 * expert, $3.. the columns in this order: the row made or replaced.
 */
enum {
	RULES_BEFORE, RULES_AFTER, RULES_NOTICE, RULES_INTERVAL, RULES_WINDOW,
	RULES_CANCEL_NOTICE,		/* minutes: the guest's cut-off */
	RULES__COLS
};

/*
 * SQL_BLOCKED_LIST, $1 expert: his blocked days from yesterday on (a day
 * is blocked in his schedule's time zone).  SQL_BLOCKED_ADD, $1
 * organization, $2 expert, $3 day (YYYY-MM-DD), $4 reason (NULL: none):
 * the day blocked (its reason replaced when blocked already), its id.
 * SQL_BLOCKED_REMOVE, $1 expert, $2 id: the day unblocked (no row: not
 * his, or gone).
 */
enum {
	BLOCKED_ID, BLOCKED_DATE, BLOCKED_REASON,	/* '' when none */
	BLOCKED__COLS
};

/*
 * SQL_DASHBOARD_EXPERT, $1 expert's WorkOS user id, $2 his organization:
 * one row: his time zone, this week's Monday and Sunday (YYYY-MM-DD), the
 * week's non-cancelled meetings and how many are still to come, setup
 * steps done (0-6), setup complete, profile published.
 */
enum {
	DASHBOARD_TZ, DASHBOARD_WEEK_FIRST, DASHBOARD_WEEK_LAST,
	DASHBOARD_WEEK_TOTAL, DASHBOARD_WEEK_UPCOMING, DASHBOARD_STEPS,
	DASHBOARD_COMPLETE, DASHBOARD_PUBLISHED,
	DASHBOARD_HANDLE,		/* NULL when none */
	DASHBOARD__COLS
};

/*
 * SQL_DASHBOARD_EXPERT_MEETINGS, $1, $2 as above: the organization's next
 * 20 non-cancelled meetings, soonest first, in his time zone.
 */
enum {
	MEETING_WHEN, MEETING_GUEST = MEETING_WHEN + WHEN__COLS, MEETING_EVENT,
	MEETING_ID,
	MEETING__COLS
};

/*
 * SQL_MEETING_ICS, $1 meeting id, $2 the signed-in user: the meeting when
 * he is its expert or its guest (no row otherwise), for its calendar file.
 */
enum {
	ICS_ID, ICS_START, ICS_END,		/* Unix seconds */
	ICS_STATUS, ICS_EVENT,			/* '' when hidden or gone */
	ICS_GUEST, ICS_GUEST_EMAIL,
	ICS_EXPERT,				/* '' when not public */
	ICS_HANDLE,				/* '' when none */
	ICS_IS_EXPERT,				/* he is the expert */
	ICS_NOTES,
	ICS_SEQUENCE,				/* one more at each change */
	ICS__COLS
};

/*
 * SQL_MEETING_GET, $1 meeting id, $2 expert's WorkOS user id, $3 his
 * organization: one of his meetings (no row: not his, or none), its time
 * in his schedule's time zone.
 */
enum {
	MEETING_PAGE_WHEN,
	MEETING_PAGE_TZ = MEETING_PAGE_WHEN + WHEN__COLS,
	MEETING_PAGE_GUEST, MEETING_PAGE_EMAIL,
	MEETING_PAGE_NOTES,		/* '' when none */
	MEETING_PAGE_STATUS,		/* confirmed, cancelled */
	MEETING_PAGE_EVENT,		/* '' when the event is gone */
	MEETING_PAGE_MINUTES,
	MEETING_PAGE_BOOKED,		/* YYYY-MM-DD HH:MM in his zone */
	MEETING_PAGE_CAN_CANCEL,	/* confirmed and not started */
	MEETING_PAGE_CANCELLED_BY,	/* guest, expert; '' */
	MEETING_PAGE_REASON,		/* '' when none given */
	MEETING_PAGE__COLS
};

/*
 * SQL_DASHBOARD_BOOKINGS, no parameters (app.my_bookings(): the signed-in
 * guest's): the next 20 non-cancelled bookings, soonest first, then the
 * 20 latest past or cancelled ones, each in its own time zone.
 */
enum {
	BOOKING_UPCOMING, BOOKING_WHEN,
	BOOKING_TZ = BOOKING_WHEN + WHEN__COLS, BOOKING_STATUS, BOOKING_EVENT,
	BOOKING_EXPERT,
	BOOKING_ID,			/* the meeting's */
	BOOKING__COLS
};

/*
 * Admin setup statistics.  They count and list only what row-level
 * security shows: a platform admin sees every expert's setup row; anybody
 * else at most his own.  An expert is a user whose role is expert_*.
 *
 * SQL_ADMIN_SETUP_STATS: one row: total, complete, incomplete, completion
 * rate (percent) and average steps done, as numeric text with one
 * decimal ("0.0" without rows); then for each of the six steps, in the
 * order of enum setup_step, how many did it and their percentage.
 */
enum {
	STATS_TOTAL, STATS_COMPLETE, STATS_INCOMPLETE, STATS_RATE,
	STATS_AVERAGE,
	STATS_STEPS,			/* count, percent, six times */
	STATS__COLS = STATS_STEPS + 2 * 6
};

/*
 * SQL_ADMIN_SETUP_INCOMPLETE, $1 limit, $2 offset (NULL: all): the
 * incomplete experts, newest setup first.  SQL_ADMIN_SETUP_EXPERT, $1
 * WorkOS user id: that expert's (no row: no setup row), with
 * EXPERT_COMPLETE too.
 */
enum {
	EXPERT_ID,
	EXPERT_NAME,			/* the profile's, else the user's; NULL:
					   neither */
	EXPERT_EMAIL, EXPERT_STEPS,
	EXPERT_STARTED,			/* ISO 8601 UTC */
	EXPERT_STARTED_DATE,		/* YYYY-MM-DD UTC */
	EXPERT_COMPLETE,		/* SQL_ADMIN_SETUP_EXPERT only */
	EXPERT__COLS
};

/*
 * SQL_ADMIN_SETUP_RESET, $1 WorkOS user id: app.reset_expert_setup
 * (sql/0004_setup.sql) as {"old": state, "new": state}, NULL without a
 * setup row; SQLSTATE 42501 when the transaction's user is not a platform
 * admin.
 */

/*
 * The public pages, run without a signed-in user.  SQL_EXPERT_PUBLIC, $1
 * handle: the published expert ("" for what is not set; the schedule's
 * time zone, UTC without one).  No row: no such published expert.
 */
enum {
	PUBLIC_ID, PUBLIC_FIRST_NAME, PUBLIC_LAST_NAME, PUBLIC_HEADLINE,
	PUBLIC_BIO, PUBLIC_CATEGORY, PUBLIC_TZ,
	PUBLIC__COLS
};

/* SQL_EXPERT_EVENTS, $1 expert's WorkOS user id: his active events. */
enum {
	OFFER_SLUG, OFFER_NAME, OFFER_DESCRIPTION, OFFER_MINUTES, OFFER_PRICE,
	OFFER_CURRENCY,
	OFFER__COLS
};

/*
 * SQL_BOOKING_EVENT, $1 handle, $2 event slug: the published expert's
 * active event (no row: nothing to book there); the time zone is UTC
 * without a schedule, the booking window (days) NULL.
 */
enum {
	BOOKABLE_FIRST_NAME, BOOKABLE_LAST_NAME, BOOKABLE_HEADLINE,
	BOOKABLE_EVENT, BOOKABLE_DESCRIPTION, BOOKABLE_MINUTES,
	BOOKABLE_PRICE, BOOKABLE_CURRENCY, BOOKABLE_TZ, BOOKABLE_WINDOW,
	BOOKABLE__COLS
};

/*
 * SQL_BOOKING_WEEK, $1 time zone, $2 first date asked for (YYYY-MM-DD, ''
 * for today), $3 booking window (days), $4 days shown: the days shown in
 * that zone: the first (today at the earliest, the window's last day at
 * the latest), the first of the page before (NULL when this one starts
 * today) and after (NULL beyond the window), the last shown, and the
 * instants the local days from the one before the first to the one after
 * the last begin at: $4 + 3 times in seconds since the epoch, separated
 * by spaces (domain/slots.c reads the starts' local times off them).
 */
enum { WEEK_FIRST, WEEK_EARLIER, WEEK_LATER, WEEK_LAST, WEEK_MIDNIGHTS,
    WEEK__COLS };

/*
 * SQL_BOOKING_SLOTS, $1 handle, $2 event slug, $3 the guest's time zone,
 * $4 first local date, $5 days, $6 the spans of those days that do not
 * last 24 hours (a tstzmultirange, '{}' for none): the bookable starts
 * (app.available_slots) of those days, in no order: the start (seconds
 * since the epoch) and, for a start in one of $6's spans only, the same
 * start's local date and time in that zone read as if they were UTC
 * (seconds since the epoch), else NULL.  On a day of 24 hours the zone's
 * offset does not change, and the page (domain/slots.c) adds it to the
 * start itself, from SQL_BOOKING_WEEK's midnights: a time zone conversion
 * per start, the long-day test and the sort cost more than the week's
 * search (0.30 against 0.21 ms a week, script/bench).
 */
enum { SLOT_START, SLOT_LOCAL, SLOT__COLS };

/*
 * SQL_SLOT_STATE, $1 handle, $2 event slug, $3 start, $4 guest e-mail, $5
 * form token: app.slot_state().
 * SQL_BOOK_MEETING, $1 handle, $2 event slug, $3 start, $4 guest's WorkOS
 * user id, $5 the guest's WorkOS organization id, $6 e-mail, $7 name, $8
 * time zone, $9 notes, $10 the form's token (the visitor's CSRF token, by
 * which a repeat is recognised), $11 pending (the address's account
 * existed before): app.book_meeting(), with the minutes a pending
 * booking is still held; refusals by SQLSTATE below.
 * SQL_CONFIRM_BOOKING, $1 pending booking's id, $2 the form's token: the
 * meeting's id (app.confirm_booking, as the signed-in user).
 * SQL_RATE_TAKE, $1 key, $2 limit, $3 window in seconds: 0 within the
 * limit, else the seconds to wait (app.rate_take, core/rate.c).
 */
enum { BOOKED_ID, BOOKED_CREATED, BOOKED_PENDING, BOOKED_HELD_MINUTES,
    BOOKED__COLS };
#define SQL_STATE_INVALID	"22023"	/* input app.book_meeting refused */
#define SQL_STATE_TAKEN		"23P01"	/* another meeting holds the time */
#define SQL_STATE_UNIQUE	"23505"	/* a unique index refused a value */
#define SQL_STATE_NOT_ADMIN	"42501"	/* not allowed (app.reset_expert_setup) */
#define SQL_STATE_NO_EVENT	"ELNEV"	/* no such published expert/event */
#define SQL_STATE_NOT_OFFERED	"ELNAV"	/* not an available start */
#define SQL_STATE_RESERVED	"ELRSV"	/* someone else's reservation */
#define SQL_STATE_EXPIRED	"ELEXP"	/* no such pending booking (run out) */

/*
 * SQL_BOOKING_WHEN, $1 start, $2 time zone, $3 minutes: the WHEN_ columns
 * of that meeting.
 */

/*
 * SQL_MANAGE_GET, $1 meeting id, $2 manage key ('' for none): the meeting
 * as its expert or guest (signed in, or holding the key) sees it
 * (app.meeting_manage, sql/0021_manage.sql); no row for anyone else.
 * Times in the viewer's zone: the guest's, or the expert's schedule's.
 * SQL_MEETING_CANCEL, $1 id, $2 key, $3 reason: 'cancelled' or 'already'.
 * SQL_MEETING_RESCHEDULE, $1 id, $2 key, $3 new start: 'rescheduled' or
 * 'same'.  Refusals by SQLSTATE: SQL_STATE_NO_MEETING, _STARTED, _CUTOFF,
 * _CANCELLED, and a move's SQL_STATE_TAKEN, _NOT_OFFERED, _RESERVED.
 */
enum {
	MANAGE_ACCESS,			/* guest, expert */
	MANAGE_STATUS,			/* confirmed, cancelled */
	MANAGE_WHEN,
	MANAGE_TZ = MANAGE_WHEN + WHEN__COLS,
	MANAGE_EVENT, MANAGE_HANDLE, MANAGE_SLUG,	/* '' when gone */
	MANAGE_EXPERT, MANAGE_GUEST, MANAGE_EMAIL,
	MANAGE_CANCELLED_BY,		/* guest, expert; '' */
	MANAGE_REASON,			/* '' when none */
	MANAGE_CUTOFF,			/* YYYY-MM-DD HH:MM: the guest's last moment */
	MANAGE_CAN_CANCEL, MANAGE_CAN_MOVE,
	MANAGE_MINUTES,
	MANAGE_START,			/* UTC, as the slot values are */
	MANAGE__COLS
};
#define SQL_STATE_NO_MEETING	"ELNMT"	/* not a meeting of the caller's */
#define SQL_STATE_STARTED	"ELPST"	/* the meeting has started */
#define SQL_STATE_CUTOFF	"ELCUT"	/* past the cancellation notice */
#define SQL_STATE_CANCELLED	"ELCAN"	/* a cancelled meeting is not moved */

/*
 * The sender's calls (sql/0021_manage.sql), each signed with db_sign:
 * SQL_MAIL_CLAIM, $1 worker, $2 limit, $3 lease seconds, $4 expiry, $5
 * MAC ("mail_claim"): the due messages claimed.  SQL_MAIL_SENT, $1 id, $2
 * worker, $3 expiry, $4 MAC ("mail_sent").  SQL_MAIL_FAILED, $1 id, $2
 * worker, $3 error, $4 permanent ("true"/"false"), $5 expiry, $6 MAC
 * ("mail_failed").  SQL_MAIL_WHEN, $1 start, $2 end (Unix seconds), $3 time
 * zone: the WHEN_ columns.
 */
enum {
	MAIL_ID, MAIL_MEETING, MAIL_KIND, MAIL_RECIPIENT, MAIL_TO_EMAIL,
	MAIL_TO_NAME, MAIL_LANG, MAIL_TZ, MAIL_SEQUENCE, MAIL_DATA,
	MAIL_ATTEMPTS,
	MAIL__COLS
};

/*
 * SQL_BEGIN_SETTINGS: the request's identity through app.enter ($1 user,
 * $2 organization, $3 expiry in Unix seconds, $4 the app's MAC; all NULL or
 * "" for nobody, sql/0012_identity.sql), then transaction-local settings
 * app.request_id ($5), app.ip ($6), app.user_agent ($7) and app.lang ($8,
 * the request's language code: a booking's e-mails are in it, 0021).  SQL_AUDIT: app.audit($1 action, $2 resource type, $3
 * id, $4 old, $5 new, $6 metadata JSON).  SQL_PING: SELECT 1.
 * SQL_WAL_POSITION: the primary's current WAL position ("16/B374D848");
 * SQL_REPLAY_POSITION: on the replica, whether it is a standby and the
 * position it has replayed to (core/replica.c).
 * SQL_CHECK_ROLE: what makes the connected role unfit to be the app's.
 */
enum {
	ROLE_SUPERUSER, ROLE_BYPASSRLS, ROLE_OWNS_DATABASE, ROLE_OWNS_SCHEMAS,
	ROLE_OWNS_TABLES, ROLE_OWNS_FUNCTIONS,
	ROLE_NO_RLS,			/* tables without RLS enabled and forced */
	ROLE_NAME,
	ROLE__COLS
};

/*
 * The migrations (cli/migrate.c, owner): SQL_MIGRATIONS_LOCK (one migrator
 * at a time), SQL_MIGRATIONS_TABLE (created when missing),
 * SQL_MIGRATIONS_LIST (the applied ones), SQL_MIGRATION_RECORD ($1 file
 * name, $2 its SHA-256).  SQL_IDENTITY_KEYS_READY: whether the schema has
 * app.identity_keys_install; SQL_IDENTITY_KEYS_INSTALL ($1
 * ELEVA_IDENTITY_KEY): how many keys are installed now.
 */
enum { MIGRATION_NAME, MIGRATION_SUM, MIGRATION_AT, MIGRATION__COLS };

/*
 * The demo accounts (cli/demo.c, owner), each taking $1, the WorkOS user
 * id: SQL_DEMO_STALE ($2 e-mail: the rows of an older id for the same
 * address go), SQL_DEMO_USER ($2 e-mail, $3 first, $4 last, $5 role),
 * SQL_DEMO_SETUP (setup complete), and the published expert's profile,
 * schedule, ranges and events, each leaving existing rows alone.
 */

/*
 * SQL_AUDIT_LIST: the audit log newest first (created_at, then id), as
 * row-level security lets the user read it: $1 organization uuid (NULL:
 * every one visible, the platform admin's view), $2 action, $3 resource
 * type, $4 first and $5 last local day YYYY-MM-DD (each NULL: no
 * filter), $6 the time zone of those days and of the times shown, $7 and
 * $8 the keyset cursor (the AUDIT_CURSOR and AUDIT_ID of the last row
 * shown; NULL: from the newest), $9 at most this many rows (NULL: all,
 * the export), $10 true to show IP addresses whole (else
 * app.audit_ip_anon).  The export is this statement too, so it holds
 * what the page shows.
 */
enum {
	AUDIT_ID,
	AUDIT_LOCAL,			/* YYYY-MM-DD HH24:MI:SS in $6 */
	AUDIT_UTC,			/* ISO 8601 UTC, microseconds */
	AUDIT_CURSOR,			/* microseconds since 1970 */
	AUDIT_ACTION, AUDIT_TYPE,
	AUDIT_RESOURCE_ID,		/* NULL: none */
	AUDIT_USER_ID,			/* NULL: nobody signed in */
	AUDIT_USER_EMAIL,		/* NULL: unknown or not readable */
	AUDIT_IP,			/* NULL: none */
	AUDIT_USER_AGENT, AUDIT_REQUEST_ID,	/* NULL: none */
	AUDIT_ORG_NAME,			/* NULL: no organization */
	AUDIT_JSON,			/* the row as one JSON object */
	AUDIT_OLD, AUDIT_NEW, AUDIT_METADATA,	/* JSON text, NULL: none */
	AUDIT__COLS
};

/*
 * SQL_AUDIT_DIFF, $1 an array of audit row ids ("{1,2}"): per row (by
 * id), the keys whose old and new values differ (app.audit_diff), the
 * values as text, NULL where absent.  SQL_AUDIT_DAYS, $1 organization:
 * its audit_stats of the last AUDIT_DAYS_N UTC days, oldest first, a day
 * without a row as zeros.  SQL_AUDIT_EXPORT_RECORD records an export in
 * audit_log_exports: $1 user, $2 organization, $3 first and $4 last local
 * day (NULL: open), $5 their zone, $6 action and $7 resource type filters
 * (NULL: none), $8 rows, $9 bytes, $10 format; returns its id.
 * SQL_USER_TZ, $1 WorkOS user id: his schedule's zone, else UTC.
 */
enum { DIFF_ID, DIFF_KEY, DIFF_OLD, DIFF_NEW, DIFF__COLS };
#define AUDIT_DAYS_N	30
enum {
	DAYS_DATE,			/* YYYY-MM-DD */
	DAYS_MEDICAL, DAYS_APPOINTMENT, DAYS_PAYMENT, DAYS_SECURITY,
	DAYS_AFTER_HOURS, DAYS_MASS_EXPORTS,
	DAYS_SUSPICIOUS,		/* flag */
	DAYS__COLS
};

/*
 * SQL_ADMIN_USERS, $1 words to find in e-mail addresses and names (NULL:
 * anyone), $2 at most this many: users newest first.  SQL_SET_USER_ROLE,
 * $1 WorkOS user id, $2 role: app.set_user_role (0018), the old role;
 * refused with SQL_STATE_OWN_ROLE, SQL_STATE_SUPERADMIN, SQL_STATE_NO_USER.
 */
enum {
	ADMIN_USER_ID, ADMIN_USER_EMAIL,
	ADMIN_USER_NAME,		/* NULL: none */
	ADMIN_USER_ROLE,
	ADMIN_USER_CREATED,		/* YYYY-MM-DD, UTC */
	ADMIN_USER__COLS
};
#define SQL_STATE_OWN_ROLE	"ELOWN"	/* one's own role */
#define SQL_STATE_SUPERADMIN	"ELSUP"	/* administrators: a superadmin's */
#define SQL_STATE_NO_USER	"ELNUS"	/* no such user */

/*
 * SQL_HOME_EXPERTS, $1 a category's name (NULL: any), $2 at most this
 * many, $3 after skipping this many: the published experts with a handle
 * (top experts first, then the platform's order and names), primary or
 * secondary category $1.
 * SQL_HOME_CATEGORIES: the categories that have one, with how many.
 */
enum {
	HOME_EXPERT_HANDLE, HOME_EXPERT_FIRST_NAME, HOME_EXPERT_LAST_NAME,
	HOME_EXPERT_HEADLINE,		/* '' when none */
	HOME_EXPERT_CATEGORY,		/* the primary one's name, '' when none */
	HOME_EXPERT_PICTURE,		/* '' when none */
	HOME_EXPERT__COLS
};
enum {
	HOME_CATEGORY_NAME, HOME_CATEGORY_EXPERTS,
	HOME_CATEGORY__COLS
};

/*
 * SQL_WORKOS_EVENT: app.workos_event($1 event id, $2 type, $3 data as JSON
 * text, $4 created_at, $5 expiry in Unix seconds, $6 the app's MAC over the
 * five, db_sign "workos_event") (sql/0020): what became of it.  Malformed
 * data is refused with SQLSTATE 22023.
 */
enum {
	WORKOS_EVENT_OUTCOME,	/* applied, kept, stale, duplicate, ignored */
	WORKOS_EVENT_DETAIL,
	WORKOS_EVENT__COLS
};

/*
 * SQL_ADMIN_WEBHOOKS, $1 at most this many: the WorkOS events taken, the
 * newest first (platform admins: RLS).
 */
enum {
	ADMIN_WEBHOOK_ID, ADMIN_WEBHOOK_EVENT, ADMIN_WEBHOOK_OBJECT,
	ADMIN_WEBHOOK_RECEIVED,		/* YYYY-MM-DD HH:MM:SS, UTC */
	ADMIN_WEBHOOK_CREATED,		/* WorkOS's, the same */
	ADMIN_WEBHOOK_OUTCOME, ADMIN_WEBHOOK_DETAIL,
	ADMIN_WEBHOOK__COLS
};

/*
 * The legacy migration (cli/legacy*.c, sql/0019_legacy.sql), as the owner.
 * SQL_LEGACY_WORKOS_ORG, $1 a local organization uuid: its WorkOS id.
 *
 * On the legacy database: SQL_LEGACY_USERS, every Clerk user with his
 * metadata as stored (text: JSON, or not, or NULL) and address ("" for
 * none); SQL_LEGACY_ORIGIN: the name legacy_imports.origin gives it;
 * SQL_LEGACY_USER_EMAIL, $1 Clerk id: his address.
 * SQL_LEGACY_READ_*, $1 the last key read ("" first), $2 at most this
 * many: a page of a table in key order, LEGACY_ROW_*.
 *
 * Ours: SQL_LEGACY_COPY_* (the same tables, in the same order), $1 a
 * batch as JSON (SQL_LEGACY_BATCH in sql.c), $2 the origin, for profiles
 * $3 the reserved handles (text[]): copies the rows not copied before,
 * records each in legacy_imports, one row per copy, LEGACY_COPY_*.
 * SQL_LEGACY_PENDING, $1 origin, $2 source, $3 legacy ids (text[]): how
 * many are not copied yet.  SQL_LEGACY_META_PLAN / _APPLY,
 * $1 a batch of users' metadata as JSON: the changes, LEGACY_META_*.
 * SQL_LEGACY_MAP_CHECK, $1 [{"u", "o"}]: the entries whose user,
 * organization or owner membership is missing here (user id, why).
 * SQL_LEGACY_CHECKS: app.legacy_checks(), LEGACY_CHECK_*.
 */
enum { LEGACY_USER_CLERK_ID, LEGACY_USER_PUBLIC, LEGACY_USER_UNSAFE,
    LEGACY_USER_EMAIL, LEGACY_USER__COLS };
enum {
	LEGACY_ROW_KEY,			/* the page's key */
	LEGACY_ROW_ID,			/* the row's id, as text */
	LEGACY_ROW_OWNER,		/* his Clerk id; NULL: nobody's */
	LEGACY_ROW_OTHER,		/* another user's Clerk id, or NULL */
	LEGACY_ROW_JSON,		/* the row */
	LEGACY_ROW__COLS
};
enum { LEGACY_COPY_ID, LEGACY_COPY_NOTE, LEGACY_COPY__COLS };
enum { LEGACY_META_USER, LEGACY_META_WHAT, LEGACY_META_OLD, LEGACY_META_NEW,
    LEGACY_META__COLS };
enum { LEGACY_CHECK_NAME, LEGACY_CHECK_OK, LEGACY_CHECK_DETAIL,
    LEGACY_CHECK__COLS };

/*
 * Privacy (sql/0017_privacy.sql).  SQL_PRIVACY_DATA: app.personal_data()
 * of the transaction's user, indented JSON.  SQL_ACCOUNT_DELETE:
 * app.delete_account() of the transaction's user, one row (SQLSTATE
 * SQL_STATE_UPCOMING or SQL_STATE_PAYMENTS when refused).
 * SQL_ACCOUNT_DELETION_DONE, $1 WorkOS user id: WorkOS has deleted him
 * (true, or NULL when nothing was pending).
 * SQL_ACCOUNT_DELETION_PENDING, $1 WorkOS user id: his erased account's
 * WorkOS organization id ('' none) when WorkOS still has him, else NULL.
 */
enum { ACCOUNT_DELETE_ORG, ACCOUNT_DELETE_MEETINGS, ACCOUNT_DELETE__COLS };
#define SQL_STATE_UPCOMING	"ELUPC"	/* an expert's upcoming meetings */
#define SQL_STATE_PAYMENTS	"ELPAY"	/* payment records name the user */

/*
 * The audit log's chains (cli/audit.c, owner): SQL_AUDIT_VERIFY ($1 an
 * organization's id, NULL: every chain): per chain, the rows checked and
 * the first broken row with the reason, NULL when intact
 * (app.audit_verify).  SQL_AUDIT_PRUNE ($1 an age as an interval, "7
 * years"; $2 execute): per chain whose prefix is older, up to which
 * sequence and how many rows (app.audit_prune, removed when $2).
 */
enum { VERIFY_CHAIN, VERIFY_ROWS, VERIFY_BAD_ID, VERIFY_REASON, VERIFY__COLS };
enum { PRUNE_CHAIN, PRUNE_UP_TO, PRUNE_ROWS, PRUNE_CUTOFF, PRUNE__COLS };

#endif
