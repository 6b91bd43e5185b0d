/* pages/sign_in_code: GET/POST /sign-in/code — sign in with a code WorkOS e-mails (magic auth). */
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/form.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/valid.h"
#include "core/view.h"
#include "core/workos.h"
#include "domain/guest.h"
#include "domain/signin.h"
#include "pages/routes.h"

/*
 * The pending booking the code confirms (the booking confirmation page's
 * form carries it, pages/handle_event.c), or NULL: absent, empty or not
 * a uuid (then the code only signs in).
 */
static const char *
code_booking(struct ctx *c)
{
	static const struct valid_field f =
	    { "booking", VALID_UUID, VALID_REQUIRED, 0, 0, NULL };
	const char *s = req_form(c->req, "booking");
	struct valid_value v;

	if (s == NULL || valid_value(c->arena, &f, s, &v) != NULL)
		return NULL;
	return v.s;
}

/* The form: step "email" (ask for a code) or "code" (enter it). */
static int
code_form(struct ctx *c, int status, const char *step, const char *email,
    const char *error_key)
{
	struct view *v = layout_new(c);
	const char *rt = auth_local_path(req_form(c->req, "return_to"));
	const char *booking = code_booking(c);

	if (rt == NULL)
		rt = auth_local_path(req_query(c->req, "return_to"));
	view_str(v, "title", view_t(c, "code.title"));
	view_str(v, "csrf", auth_csrf_token(c));
	view_bool(v, strcmp(step, "code") == 0 ? "step_code" : "step_email", 1);
	if (email != NULL)
		view_str(v, "email", email);
	if (rt != NULL)
		view_str(v, "return_to", rt);
	if (booking != NULL)
		view_str(v, "booking", booking);
	if (error_key != NULL)
		view_str(v, "error", view_t(c, error_key));
	return layout_render(c, status, "signin_code", v);
}

int
page_sign_in_code_get(struct ctx *c)
{
	return code_form(c, 200, "email", NULL, NULL);
}

/* Step 1: ask WorkOS to e-mail a code. */
static int
code_send(struct ctx *c, const char *email)
{
	enum workos_err e;

	e = workos_magic_auth_create(c->app->workos, c->arena, email);
	if (e == WORKOS_UNAVAILABLE || e == WORKOS_RATE_LIMITED) {
		c->message = view_t(c, e == WORKOS_RATE_LIMITED ?
		    "code.error.rate" : "signin.error.unavailable");
		return 503;
	}
	/*
	 * Any other answer (no such user included) looks the same, so the
	 * form does not tell who has an account.
	 */
	if (e != WORKOS_OK)
		log_info("magic auth: no code sent (%s)", workos_err_str(e));
	return code_form(c, 200, "code", email, NULL);
}

int
page_sign_in_code_post(struct ctx *c)
{
	const char *email = req_form(c->req, "email");
	const char *code = req_form(c->req, "code");
	const char *digits, *return_to, *booking, *form_token;
	struct workos_auth wa;
	enum workos_err e;
	int st, to_setup;

	if (email != NULL) {
		size_t n = strlen(email);

		while (n > 0 && email[n - 1] == ' ')
			n--;
		while (*email == ' ')
			email++, n = n > 0 ? n - 1 : 0;
		email = arena_strndup(c->arena, email, n);
	}
	if (!form_email_valid(email))
		return code_form(c, 422, "email", email, "code.error.email");
	if (code == NULL)
		return code_send(c, email);
	/* Step 2: the code. */
	if ((digits = valid_code_digits(c->arena, code)) == NULL)
		return code_form(c, 422, "code", email, "code.error.format");
	e = signin_choose_org(c, workos_authenticate_magic(c->app->workos,
	    c->arena, email, digits, &wa), &wa);
	if (e == WORKOS_INVALID_GRANT || e == WORKOS_NOT_FOUND) {
		signin_refused(c, "code", "code.error.code");
		return code_form(c, 422, "code", email, "code.error.code");
	}
	if (e != WORKOS_OK) {
		signin_refused(c, "code", e == WORKOS_RATE_LIMITED ?
		    "code.error.rate" : "signin.error.unavailable");
		c->message = view_t(c, e == WORKOS_RATE_LIMITED ?
		    "code.error.rate" : "signin.error.unavailable");
		return e == WORKOS_REFUSED || e == WORKOS_BAD_RESPONSE ?
		    502 : 503;
	}
	/* The form's token before signing in replaces it: a pending
	   booking is confirmed only from the browser that made it. */
	booking = code_booking(c);
	form_token = auth_csrf_token(c);
	if ((st = signin_complete(c, &wa, "code", &to_setup)) != 0)
		return st;
	if (booking != NULL && (st = guest_confirm(c, booking,
	    form_token)) != 0)
		return st;
	return_to = auth_local_path(req_form(c->req, "return_to"));
	return layout_redirect(c, routes_landing(return_to, to_setup));
}
