/* pages/auth_sign_out: POST /auth/sign-out — forget the session here and at WorkOS. */
#include "lib/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/layout.h"
#include "core/session.h"
#include "core/workos.h"
#include "pages/routes.h"

int
page_auth_sign_out_post(struct ctx *c)
{
	const char *sid = c->session != NULL ? c->session->session_id : NULL;

	auth_end(c);
	if (sid == NULL)
		return layout_redirect(c, routes_path(LINK_HOME));
	/* WorkOS ends its session, then sends the browser back home. */
	return layout_redirect(c, workos_logout_url(&c->app->workos_cfg,
	    c->arena, sid, arena_printf(c->arena, "%s%s",
	    c->app->cfg->app_base_url, routes_path(LINK_HOME))));
}
