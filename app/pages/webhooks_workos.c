/* pages/webhooks_workos: POST /webhooks/workos — WorkOS's signed events, each synced once into users, organizations and memberships (sql/0020). */
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/jsonh.h"
#include "lib/log.h"
#include "lib/sig.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/sql.h"
#include "pages/routes.h"

/*
 * WorkOS signs each delivery: WorkOS-Signature: t=<time>, v1=<hex
 * HMAC-SHA256 of "<t>.<body>" under the endpoint's secret>.  A time more
 * than this many seconds away from now is refused, as WorkOS's own
 * libraries do by default.
 */
#define WORKOS_WEBHOOK_WINDOW	180

/*
 * The dispatcher commits what is accepted (200) and rolls back every
 * refusal (>= 400): a refused event writes nothing.  WorkOS delivers again
 * what was not answered 2xx, so a 503 is a "later", and a 400 is for what
 * no later delivery would mend.
 */
int
page_webhooks_workos_post(struct ctx *c)
{
	const char *secret = c->app->cfg->workos_webhook_secret;
	const char *why, *p[6], *outcome, *detail, *state;
	struct sig_header h;
	struct json_object *body, *data;
	const struct pg_result *r;
	char expires[24], mac[65];

	if (secret == NULL) {
		log_warn("webhook: workos: WORKOS_WEBHOOK_SECRET is not set: "
		    "refused");
		return layout_json_pair(c, 503, "error",
		    "webhooks are not configured");
	}
	if (sig_parse(c->arena, req_header(c->req, "workos-signature"),
	    &h) == -1)
		why = "no or malformed WorkOS-Signature header";
	else
		why = sig_check_header(c->arena, secret, &h, c->req->body,
		    c->req->body_len, (long long)time(NULL),
		    WORKOS_WEBHOOK_WINDOW);
	if (why != NULL) {
		log_warn("webhook: workos: refused: %s", why);
		return layout_json_pair(c, 401, "error", "invalid signature");
	}
	/* JSON is UTF-8 text; jsonh_parse_n refuses NUL, raw or escaped. */
	if (!form_utf8_valid(c->req->body, c->req->body_len) ||
	    (body = jsonh_parse_n(c->arena, c->req->body,
	    c->req->body_len)) == NULL) {
		log_warn("webhook: workos: refused: the body is not UTF-8 JSON");
		return layout_json_pair(c, 400, "error",
		    "the body must be UTF-8 JSON text");
	}
	if ((p[0] = jsonh_str(body, "id")) == NULL ||
	    (p[1] = jsonh_str(body, "event")) == NULL ||
	    (p[3] = jsonh_str(body, "created_at")) == NULL ||
	    !jsonh_is_object(data = jsonh_get(body, "data"))) {
		log_warn("webhook: workos: refused: not an event (id, event, "
		    "data, created_at)");
		return layout_json_pair(c, 400, "error", "the body must be a "
		    "WorkOS event: id, event, data and created_at");
	}
	p[2] = jsonh_text(c->arena, data);

	/* The function acts for no user: it checks our MAC over the call. */
	if (db_sign(c->db, "workos_event", p, 4, expires, mac) == -1)
		return layout_json_pair(c, 503, "error", "try again later");
	p[4] = expires;
	p[5] = mac;
	if ((r = db_run(c->db, c->arena, SQL_WORKOS_EVENT, p)) == NULL) {
		state = db_sqlstate(c->db);
		if (strcmp(state, "22023") == 0) {
			log_warn("webhook: workos: %s %s refused: %s", p[1], p[0],
			    db_error(c->db));
			return layout_json_pair(c, 400, "error",
			    "the event's data cannot be taken");
		}
		/* A deadlock, a lost connection: WorkOS delivers again. */
		log_warn("webhook: workos: %s %s failed (%s): answered 503",
		    p[1], p[0], state);
		return layout_json_pair(c, 503, "error", "try again later");
	}
	outcome = db_val(r, 0, WORKOS_EVENT_OUTCOME);
	detail = db_opt(r, 0, WORKOS_EVENT_DETAIL);
	log_info("webhook: workos: %s %s: %s%s%s", p[1], p[0], outcome,
	    detail != NULL ? ": " : "", detail != NULL ? detail : "");
	return layout_json_pair(c, 200, "result", outcome);
}
