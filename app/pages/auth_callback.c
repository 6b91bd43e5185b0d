/* pages/auth_callback: GET /auth/callback — AuthKit sends the browser back: check and exchange (domain/signin.c), then land. */
#include "core/ctx.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/workos.h"
#include "domain/signin.h"
#include "pages/routes.h"

int
page_auth_callback_get(struct ctx *c)
{
	const char *return_to;
	struct workos_auth wa;
	int st, to_setup;

	if ((st = signin_callback(c, req_query(c->req, "code"),
	    req_query(c->req, "state"), req_query(c->req, "error"), &wa,
	    &return_to)) != 0) {
		/* An error page that offers to start again. */
		c->retry_url = routes_sign_in(c, return_to);
		return st;
	}
	if ((st = signin_complete(c, &wa, "authkit", &to_setup)) != 0) {
		c->retry_url = routes_path(LINK_SIGN_IN);
		return st;
	}
	return layout_redirect(c, routes_landing(return_to, to_setup));
}
