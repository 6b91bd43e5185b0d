/* privacy: the personal-data export and the account erasure, with WorkOS kept in step. */
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/view.h"
#include "core/workos.h"
#include "domain/privacy.h"
#include "domain/signin.h"

int
privacy_export(struct ctx *c, const char **json)
{
	const struct pg_result *r;
	struct view *m = view_new(c->arena);

	if ((r = db_run(c->db, c->arena, SQL_PRIVACY_DATA, NULL)) ==
	    NULL || db_rows(r) != 1)
		return -1;
	*json = db_val(r, 0, 0);
	view_int(m, "bytes", (long long)strlen(*json));
	if (db_audit(c->db, c->arena, AUDIT_PERSONAL_DATA_EXPORTED, "user",
	    c->user->workos_user_id, NULL, NULL, view_json(c->arena, m)) == -1)
		return -1;
	return 0;
}

/*
 * Delete WorkOS user uid and his organization org (NULL or "": none),
 * then record it.  Returns 0, or -1 (logged) when WorkOS or the database
 * did not take it: the record stays pending.
 */
static int
privacy_workos_delete(struct ctx *c, const char *uid, const char *org)
{
	enum workos_err e;

	if ((e = workos_user_delete(c->app->workos, c->arena, uid)) !=
	    WORKOS_OK || (org != NULL && *org != '\0' &&
	    (e = workos_org_delete(c->app->workos, c->arena, org)) !=
	    WORKOS_OK)) {
		log_error("privacy: WorkOS did not delete %s (%s): retried at "
		    "the next sign-in", uid, workos_err_str(e));
		return -1;
	}
	if (tx_begin(c, NULL, NULL, 0) == -1 ||
	    db_run(c->db, c->arena, SQL_ACCOUNT_DELETION_DONE, &uid) ==
	    NULL || tx_commit(c) == -1) {
		tx_rollback(c);
		log_error("privacy: %s deleted at WorkOS, not recorded", uid);
		return -1;
	}
	return 0;
}

enum privacy_refusal
privacy_delete(struct ctx *c, const char *digits)
{
	const char *uid = c->user->workos_user_id;
	const struct pg_result *r;
	struct workos_auth wa;
	const char *state, *org;
	enum workos_err e;

	e = signin_choose_org(c, workos_authenticate_magic(c->app->workos,
	    c->arena, c->user->email, digits, &wa), &wa);
	if (e == WORKOS_INVALID_GRANT || e == WORKOS_NOT_FOUND)
		return PRIVACY_CODE;
	if (e != WORKOS_OK)
		return PRIVACY_UNAVAILABLE;
	if (strcmp(wa.user.id, uid) != 0) {
		log_warn("privacy: a code of %s offered to delete %s", wa.user.id,
		    uid);
		return PRIVACY_NOT_YOU;
	}
	if (tx_begin(c, uid, c->user->org_id, 0) == -1)
		return PRIVACY_UNAVAILABLE;
	if ((r = db_run(c->db, c->arena, SQL_ACCOUNT_DELETE, NULL)) ==
	    NULL || db_rows(r) != 1 || tx_commit(c) == -1) {
		state = arena_strdup(c->arena, db_sqlstate(c->db));
		tx_rollback(c);
		if (strcmp(state, SQL_STATE_UPCOMING) == 0)
			return PRIVACY_UPCOMING;
		if (strcmp(state, SQL_STATE_PAYMENTS) == 0)
			return PRIVACY_PAYMENTS;
		return PRIVACY_UNAVAILABLE;
	}
	org = db_opt(r, 0, ACCOUNT_DELETE_ORG);
	log_info("privacy: %s erased (%s meetings anonymised)", uid,
	    db_val(r, 0, ACCOUNT_DELETE_MEETINGS));
	privacy_workos_delete(c, uid, org);
	return PRIVACY_OK;
}

int
privacy_pending(struct ctx *c, const char *uid)
{
	const struct pg_result *r;

	if (tx_begin(c, NULL, NULL, 1) == -1)
		return -1;
	r = db_run(c->db, c->arena, SQL_ACCOUNT_DELETION_PENDING, &uid);
	tx_rollback(c);
	if (r == NULL || db_rows(r) != 1)
		return -1;
	if (db_opt(r, 0, 0) == NULL)
		return 0;
	log_warn("privacy: erased account %s signed in at WorkOS: deleting "
	    "it there again", uid);
	privacy_workos_delete(c, uid, db_val(r, 0, 0));
	return 1;
}
