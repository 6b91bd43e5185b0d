/* page_security: POST /settings/security/sign-out-everywhere — end every session of the user. */
#include "auth.h"
#include "ctx.h"
#include "db.h"
#include "log.h"
#include "page.h"
#include "pages.h"
#include "session.h"
#include "sql.h"
#include "workos.h"

int
page_security_signout_all_post(struct ctx *c)
{
	const char *uid = c->user->workos_user_id;
	enum workos_err e;

	if (db_run(c->app->db, c->arena, sql_sessions_invalidate, 1,
	    &uid) == NULL)
		return 503;
	db_audit(c->app->db, c->arena, "SESSIONS_REVOKED", "user", uid, NULL,
	    NULL, NULL);
	/* This browser's WorkOS session too; the others end at next use. */
	e = workos_session_revoke(c->app->workos, c->arena,
	    c->session->session_id);
	if (e != WORKOS_OK)
		log_warn("sign-out everywhere: WorkOS session not revoked "
		    "(%s); sessions_valid_after still ends it here",
		    workos_err_str(e));
	auth_end(c);
	return page_redirect(c, "/?signed_out=everywhere");
}
