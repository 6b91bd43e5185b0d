/* tx: open, commit and roll back the request's transaction through the worker's connection. */
#include <string.h>

#include "lib/log.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/replica.h"
#include "core/req.h"
#include "core/tx.h"
#include "core/view.h"

void
tx_context(const struct ctx *c, struct db_ctx *dc)
{
	memset(dc, 0, sizeof(*dc));
	dc->request_id = c->req->request_id;
	dc->ip = c->req->remote_addr;
	dc->user_agent = req_header(c->req, "user-agent");
	dc->lang = i18n_code(c->lang);
}

int
tx_begin(struct ctx *c, const char *uid, const char *org, int read_only)
{
	return tx_begin_with(c, uid, org, read_only, NULL, 0, 0);
}

int
tx_begin_with(struct ctx *c, const char *uid, const char *org, int read_only,
    struct db_call *calls, size_t n, int commit)
{
	struct db_ctx dc;

	if (c->tx_open) {
		log_error("tx: a transaction was still open: rolled back");
		tx_rollback(c);
	}
	tx_context(c, &dc);
	dc.user_id = uid;
	dc.org_id = org;
	c->db = c->app->db;
	/* A public page's reads, on the replica while it is fresh. */
	if (read_only && c->replica_ok &&
	    (c->db = replica_pick(c->app->replica, c->app->db)) != NULL) {
		if (db_begin_with(c->db, c->arena, &dc, 1, calls, n,
		    commit) == 0)
			goto open;
		replica_failed(c->app->replica);
	}
	c->db = c->app->db;
	if (db_begin_with(c->db, c->arena, &dc, read_only, calls, n,
	    commit) == -1)
		return -1;
open:
	c->tx_open = !commit;
	c->prefetched = calls;
	c->nprefetched = n;
	return 0;
}

const struct pg_result *
tx_fetch(struct ctx *c, enum sql_id id, const char *const *params)
{
	const struct db_call *k;
	size_t i, j, np = (size_t)sql_stmts[id].nparams;

	for (i = 0; i < c->nprefetched; i++) {
		k = &c->prefetched[i];
		if (k->id != id || k->result == NULL)
			continue;
		for (j = 0; j < np && strcmp(k->params[j], params[j]) == 0; j++)
			;
		if (j == np)
			return k->result;
	}
	if (!c->tx_open && tx_begin(c, c->user ? c->user->workos_user_id :
	    NULL, c->user ? c->user->org_id : NULL, 1) == -1)
		return NULL;
	return db_run(c->db, c->arena, id, params);
}

int
tx_open(const struct ctx *c)
{
	return c->tx_open;
}

int
tx_commit(struct ctx *c)
{
	int failed;

	if (!c->tx_open)
		return 0;
	c->tx_open = 0;
	failed = db_audit_failed(c->db);
	if (db_commit(c->db) == 0)
		return 0;
	/* The error page says why nothing happened. */
	if (failed)
		c->message = view_t(c, "error.audit");
	return -1;
}

void
tx_rollback(struct ctx *c)
{
	if (c->tx_open)
		db_rollback(c->db);
	c->tx_open = 0;
}

int
tx_end(struct ctx *c, int status)
{
	if (!c->tx_open)
		return status;
	if (status >= 400) {
		tx_rollback(c);
		return status;
	}
	return tx_commit(c) == -1 ? 503 : status;
}

const struct pg_result *
tx_once(struct ctx *c, enum sql_id id, const char *const *params)
{
	const struct pg_result *r;

	if (tx_begin(c, NULL, NULL, 0) == -1)
		return NULL;
	if ((r = db_run(c->db, c->arena, id, params)) ==
	    NULL || db_rows(r) != 1 || tx_commit(c) == -1) {
		tx_rollback(c);
		return NULL;
	}
	return r;
}

int
tx_audit(struct ctx *c, const char *uid, const char *org,
    enum audit_action action, const char *resource_id,
    const char *metadata_json)
{
	if (tx_begin(c, uid, org, 0) == -1 ||
	    db_audit(c->db, c->arena, action, "user", resource_id, NULL,
	    NULL, metadata_json) == -1 || tx_commit(c) == -1) {
		tx_rollback(c);
		log_error("tx: %s of %s could not be audited", audit_name(action),
		    uid != NULL ? uid : "a visitor");
		return -1;
	}
	return 0;
}
