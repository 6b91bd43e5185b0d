/* audit: the audit trail's action names, declared once; rows are written through db_audit. */
#ifndef ELEVA_AUDIT_H
#define ELEVA_AUDIT_H

/*
 * What the C code records.  The database's privileged functions write
 * some rows themselves, with these names too: SETUP_STEP_COMPLETED and
 * SETUP_STEP_UNCOMPLETED (app.setup_webhook), PROFILE_UNPUBLISHED (when a
 * setup stops being complete), SETUP_RESET (app.reset_expert_setup).
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
	AUDIT__N
};

/* "PREFERENCES_UPDATED" ... (static storage). */
const char	*audit_name(enum audit_action);

#endif
