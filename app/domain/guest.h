/* guest: a guest who books without an account, registered in WorkOS on the way. */
#ifndef ELEVA_GUEST_H
#define ELEVA_GUEST_H

struct arena;
struct ctx;
struct workos;
struct workos_user;

/* Why guest_workos() stopped: the step that failed, for logs and tests. */
enum guest_step {
	GUEST_STEP_NONE = 0,
	GUEST_STEP_USER,		/* looking up or creating the user */
	GUEST_STEP_ORG,			/* organization or membership */
};

/*
 * Get or create the guest with e-mail email in WorkOS: the user is looked
 * up by e-mail and created only when absent (email_verified false,
 * first name name, metadata_json recording where the booking came from,
 * with origin, the visitor form's mark, as "origin");
 * WorkOS's "e-mail taken" answer (another request created it meanwhile)
 * is answered by looking the user up again.  Then the personal
 * organization ("<name>'s Account", external id "eleva-user-<id>") and the
 * owner membership, each looked up before it is created
 * (signin_workos_org).  Every step is safe to repeat: a retry after any
 * failure finishes the job without a second user or organization.
 * Returns 0 with the user in *u, *existed set unless the user was made
 * from the visitor's form (by this call, or by an earlier attempt of it
 * that failed later) and never verified (any other account is not the
 * visitor's to book for: app.book_meeting holds such a booking pending),
 * and the organization's WorkOS id in *workos_org; or
 * -1 (logged) with *failed naming the step and *unavailable set when
 * WorkOS could not be reached (or refused for too many requests) rather
 * than refusing the request.
 */
int	guest_workos(struct workos *, struct arena *, const char *email,
	    const char *name, const char *origin, const char *metadata_json,
	    struct workos_user *u, int *existed, const char **workos_org,
	    enum guest_step *failed, int *unavailable);

/*
 * Confirm the pending booking booking_id made from the form with token
 * form_token, as the user just signed in (c->session): it becomes the
 * meeting (app.confirm_booking), committed in a transaction of its own.
 * Returns 0, or the status of a refusal with c->message set (the hold
 * ran out or was never this user's: 410; the time was taken meanwhile:
 * 409; the database: 503).
 */
int	guest_confirm(struct ctx *, const char *booking_id,
	    const char *form_token);

#endif
