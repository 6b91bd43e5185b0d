/* audit: the audit trail's action names, declared once; rows are written through db_audit. */
#ifndef ELEVA_AUDIT_H
#define ELEVA_AUDIT_H

/*
 * Every action the audit trail records, whoever writes it: the C code
 * (db_audit) or the database's privileged functions, which write some
 * rows themselves (the migrations of sql/: SETUP_STEP_COMPLETED and
 * SETUP_STEP_UNCOMPLETED in app.setup_webhook, PROFILE_UNPUBLISHED when a
 * setup stops being complete, SETUP_RESET in app.reset_expert_setup,
 * GUEST_REGISTERED and APPOINTMENT_CREATED in app.book_meeting,
 * USER_PROVISIONED in app.sign_in_provision, APPOINTMENT_REQUESTED when a
 * booking is held pending, ACCOUNT_DELETED in app.delete_account, USER_ROLE_CHANGED in
 * app.set_user_role).
 * t/unit/audit_test checks that every name the SQL writes is here.
 */
enum audit_action {
	AUDIT_PREFERENCES_UPDATED,
	AUDIT_PREFERENCES_RESET,
	AUDIT_SESSIONS_REVOKED,
	AUDIT_PROFILE_CREATED,
	AUDIT_PROFILE_UPDATED,
	AUDIT_PROFILE_PUBLISHED,
	AUDIT_PROFILE_UNPUBLISHED,
	AUDIT_PRACTITIONER_AGREEMENT_ACCEPTED,
	AUDIT_SCHEDULE_UPDATED,
	AUDIT_EVENT_CREATED,
	AUDIT_EVENT_UPDATED,
	AUDIT_SETUP_STEP_COMPLETED,
	AUDIT_SETUP_STEP_UNCOMPLETED,
	AUDIT_SETUP_RESET,		/* SQL only */
	AUDIT_GUEST_REGISTERED,		/* SQL only */
	AUDIT_APPOINTMENT_CREATED,	/* SQL only */
	AUDIT_USER_SIGNED_IN,
	AUDIT_USER_SIGNED_OUT,
	AUDIT_AUDIT_LOG_EXPORTED,
	AUDIT_SIGN_IN_REFUSED,
	AUDIT_SESSION_REFRESHED,
	AUDIT_SESSION_REFRESH_REFUSED,
	AUDIT_USER_PROVISIONED,		/* SQL only */
	AUDIT_APPOINTMENT_REQUESTED,	/* SQL only */
	AUDIT_PERSONAL_DATA_EXPORTED,
	AUDIT_ACCOUNT_DELETED,		/* SQL only */
	AUDIT_USER_ROLE_CHANGED,	/* SQL only */
	AUDIT_APPOINTMENT_CANCELLED,	/* SQL only */
	AUDIT_APPOINTMENT_RESCHEDULED,	/* SQL only */
	AUDIT__N
};

/* The action names in enum order, then NULL (a VALID_CHOICE list). */
extern const char *const audit_action_names[AUDIT__N + 1];

/*
 * The resource types audit rows name, C's and SQL's alike (the /audit
 * filter offers these), NULL-terminated.
 */
extern const char *const audit_resource_types[];

/* "PREFERENCES_UPDATED" ... (static storage). */
const char	*audit_name(enum audit_action);

/* The action called name, or -1. */
int		 audit_parse(const char *name);

#endif
