/* guest: get or create a booking guest's WorkOS user, personal organization and owner membership. */
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/workos.h"
#include "domain/guest.h"
#include "domain/signin.h"

/* The e-mail address stays out of the log (a health platform's guest list). */
static int
guest_failed(enum workos_err e, int *unavailable)
{
	log_error("guest: WorkOS user: %s", workos_err_str(e));
	*unavailable = e == WORKOS_UNAVAILABLE || e == WORKOS_RATE_LIMITED;
	return -1;
}

int
guest_workos(struct workos *w, struct arena *a, const char *email,
    const char *name, const char *metadata_json, struct workos_user *u,
    const char **workos_org, enum guest_step *failed, int *unavailable)
{
	struct workos_user named;
	enum workos_err e;

	*failed = GUEST_STEP_USER;
	*unavailable = 0;
	*workos_org = NULL;
	e = workos_user_by_email(w, a, email, u);
	if (e == WORKOS_NOT_FOUND) {
		e = workos_user_create(w, a, email, name, NULL, 0,
		    metadata_json, u);
		if (e == WORKOS_CONFLICT)	/* created meanwhile */
			e = workos_user_by_email(w, a, email, u);
		if (e == WORKOS_OK)
			log_info("guest: created WorkOS user %s", u->id);
	}
	if (e != WORKOS_OK)
		return guest_failed(e, unavailable);
	/* The organization is named after the name typed in the booking
	   form when WorkOS has none for the user (a magic-auth sign-up). */
	named = *u;
	if (named.first_name == NULL || named.first_name[strspn(
	    named.first_name, " ")] == '\0')
		named.first_name = name;
	*failed = GUEST_STEP_ORG;
	if (signin_workos_org(w, a, &named, 0, workos_org, unavailable) == -1)
		return -1;
	*failed = GUEST_STEP_NONE;
	return 0;
}
