/* page_signout: POST /auth/sign-out — forget the session here and at WorkOS. */
#include "lib/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/session.h"
#include "core/workos.h"

int
page_signout_post(struct ctx *c)
{
	const char *sid = c->session != NULL ? c->session->session_id : NULL;

	auth_end(c);
	if (sid == NULL)
		return page_redirect(c, "/");
	/* WorkOS ends its session, then sends the browser back home. */
	return page_redirect(c, workos_logout_url(&c->app->workos_cfg, c->arena,
	    sid, arena_printf(c->arena, "%s/", c->app->cfg->app_base_url)));
}
