/* audit: the table of audit action names, the C code's and the SQL functions' alike. */
#include <string.h>

#include "core/audit.h"

const char *const audit_action_names[AUDIT__N + 1] = {
	[AUDIT_PREFERENCES_UPDATED] =		"PREFERENCES_UPDATED",
	[AUDIT_PREFERENCES_RESET] =		"PREFERENCES_RESET",
	[AUDIT_SESSIONS_REVOKED] =		"SESSIONS_REVOKED",
	[AUDIT_PROFILE_CREATED] =		"PROFILE_CREATED",
	[AUDIT_PROFILE_UPDATED] =		"PROFILE_UPDATED",
	[AUDIT_PROFILE_PUBLISHED] =		"PROFILE_PUBLISHED",
	[AUDIT_PROFILE_UNPUBLISHED] =		"PROFILE_UNPUBLISHED",
	[AUDIT_PRACTITIONER_AGREEMENT_ACCEPTED] = "PRACTITIONER_AGREEMENT_ACCEPTED",
	[AUDIT_SCHEDULE_UPDATED] =		"SCHEDULE_UPDATED",
	[AUDIT_EVENT_CREATED] =			"EVENT_CREATED",
	[AUDIT_EVENT_UPDATED] =			"EVENT_UPDATED",
	[AUDIT_SETUP_STEP_COMPLETED] =		"SETUP_STEP_COMPLETED",
	[AUDIT_SETUP_STEP_UNCOMPLETED] =	"SETUP_STEP_UNCOMPLETED",
	[AUDIT_SETUP_RESET] =			"SETUP_RESET",
	[AUDIT_GUEST_REGISTERED] =		"GUEST_REGISTERED",
	[AUDIT_APPOINTMENT_CREATED] =		"APPOINTMENT_CREATED",
	[AUDIT_USER_SIGNED_IN] =		"USER_SIGNED_IN",
	[AUDIT_USER_SIGNED_OUT] =		"USER_SIGNED_OUT",
	[AUDIT_AUDIT_LOG_EXPORTED] =		"AUDIT_LOG_EXPORTED",
	[AUDIT_SIGN_IN_REFUSED] =		"SIGN_IN_REFUSED",
	[AUDIT_SESSION_REFRESHED] =		"SESSION_REFRESHED",
	[AUDIT_SESSION_REFRESH_REFUSED] =	"SESSION_REFRESH_REFUSED",
	[AUDIT_USER_PROVISIONED] =		"USER_PROVISIONED",
	[AUDIT_APPOINTMENT_REQUESTED] =		"APPOINTMENT_REQUESTED",
	[AUDIT__N] =				NULL,
};

const char *const audit_resource_types[] = {
	"audit_log", "event", "expert_setup", "meeting", "profile",
	"schedule", "user", "user_preferences", NULL
};

const char *
audit_name(enum audit_action a)
{
	return (unsigned)a < AUDIT__N ? audit_action_names[a] : "UNKNOWN";
}

int
audit_parse(const char *name)
{
	int i;

	for (i = 0; i < AUDIT__N; i++)
		if (strcmp(audit_action_names[i], name) == 0)
			return i;
	return -1;
}
