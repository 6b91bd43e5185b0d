/* pages/auth_sign_out: POST /auth/sign-out — end the session here (recorded, so no copy of the cookie opens it again) and at WorkOS. */
#include <stdio.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/workos.h"
#include "pages/routes.h"

/*
 * Record the cookie's session as ended, in a transaction as the cookie's
 * user: its seal proves we issued it, which is all ending it needs (its
 * token may have expired).  The dispatcher commits it with the redirect.
 * In a savepoint, so that a refusal leaves the transaction whole.  When
 * the database cannot take it the browser still forgets the cookie
 * and WorkOS still ends its session (a shared computer matters more than
 * a copy of the cookie); the failure is logged.
 */
static void
sign_out_record(struct ctx *c, const struct session *s)
{
	char secs[24];
	const char *p[3];

	snprintf(secs, sizeof(secs), "%d", c->app->cfg->session_absolute);
	p[0] = s->local_id;
	p[1] = s->user_id;
	p[2] = secs;
	if (tx_begin(c, s->user_id, s->org_id, 0) == -1 ||
	    db_run_guarded(c->db, c->arena, SQL_SESSION_END, p) == NULL)
		log_error("sign-out: the session could not be recorded as "
		    "ended; a copy of its cookie opens it until it expires");
	else
		(void)db_audit(c->db, c->arena, AUDIT_USER_SIGNED_OUT,
		    "user", s->user_id, NULL, NULL, NULL);
}

int
page_auth_sign_out_post(struct ctx *c)
{
	const struct session *s = c->session;
	const char *sid = s != NULL ? s->session_id : NULL;

	if (s != NULL)
		sign_out_record(c, s);
	auth_end(c);
	if (sid == NULL)
		return layout_redirect(c, routes_path(LINK_HOME));
	/* WorkOS ends its session, then sends the browser back home. */
	return layout_redirect(c, workos_logout_url(&c->app->workos_cfg,
	    c->arena, sid, arena_printf(c->arena, "%s%s",
	    c->app->cfg->app_base_url, routes_path(LINK_HOME))));
}
