/* guest: get or create a booking guest's WorkOS user, personal organization and owner membership. */
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/view.h"
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
    const char *name, const char *origin, const char *metadata_json,
    struct workos_user *u, int *existed, const char **workos_org,
    enum guest_step *failed, int *unavailable)
{
	struct workos_user named;
	enum workos_err e;

	*failed = GUEST_STEP_USER;
	*unavailable = 0;
	*workos_org = NULL;
	*existed = 1;
	e = workos_user_by_email(w, a, email, u);
	if (e == WORKOS_NOT_FOUND) {
		e = workos_user_create(w, a, email, name, NULL, 0,
		    metadata_json, u);
		if (e == WORKOS_CONFLICT)	/* created meanwhile */
			e = workos_user_by_email(w, a, email, u);
		else if (e == WORKOS_OK)
			log_info("guest: created WorkOS user %s", u->id);
	}
	if (e != WORKOS_OK)
		return guest_failed(e, unavailable);
	/* Made by this visitor's form (now, or by an attempt that failed
	   later) and never signed in to: not an existing account. */
	*existed = !(u->origin != NULL && strcmp(u->origin, origin) == 0 &&
	    !u->email_verified);
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

int
guest_confirm(struct ctx *c, const char *booking_id, const char *form_token)
{
	const struct pg_result *r;
	const char *p[2], *state;
	int st;

	p[0] = booking_id;
	p[1] = form_token;
	if (c->session == NULL ||
	    tx_begin(c, c->session->user_id, c->session->org_id, 0) == -1) {
		c->message = view_t(c, "booking.pending.unavailable");
		return 503;
	}
	if ((r = db_run_guarded(c->db, c->arena, SQL_CONFIRM_BOOKING,
	    p)) != NULL && db_rows(r) == 1 && tx_commit(c) == 0) {
		log_info("booking: pending booking %s confirmed: meeting %s",
		    booking_id, db_val(r, 0, 0));
		return 0;
	}
	state = r == NULL ? db_sqlstate(c->db) : "";
	tx_rollback(c);
	if (strcmp(state, SQL_STATE_TAKEN) == 0 ||
	    strcmp(state, SQL_STATE_RESERVED) == 0 ||
	    strcmp(state, SQL_STATE_NOT_OFFERED) == 0) {
		c->message = view_t(c, "booking.pending.taken");
		st = 409;
	} else if (strcmp(state, SQL_STATE_EXPIRED) == 0) {
		c->message = view_t(c, "booking.pending.expired");
		st = 410;
	} else {
		c->message = view_t(c, "booking.pending.unavailable");
		st = 503;
	}
	log_info("booking: pending booking %s not confirmed (%s)", booking_id,
	    state);
	return st;
}
