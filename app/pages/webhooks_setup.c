/* pages/webhooks_setup: POST /webhooks/setup — a provider reports an external setup step, signed with WEBHOOK_SECRET. */
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
 * The contract, for providers (README, "Setup webhooks"):
 *   X-Eleva-Timestamp: <unix seconds>
 *   X-Eleva-Delivery: <the delivery's own id, 1-200 printable ASCII>
 *   X-Eleva-Signature: sha256=<hex HMAC-SHA256 of
 *                      "<timestamp>.<delivery>.<body>">
 *   body: {"user": "user_...", "step": "google_account"|"identity"|"payment",
 *          "status": "complete"|"incomplete"}
 * A timestamp more than WEBHOOK_WINDOW seconds away from now is refused
 * (replay window); within it a replay is recognised by its delivery id
 * (signed, so none is made up) and changes nothing, while two deliveries
 * of the same body in the same second are two.
 */
#define WEBHOOK_WINDOW		300
#define WEBHOOK_SIG_PREFIX	"sha256="
#define WEBHOOK_DELIVERY_MAX	200

/* A delivery id: 1 to 200 printable ASCII characters. */
static int
webhook_delivery_valid(const char *d)
{
	size_t n;

	for (n = 0; d[n] != '\0'; n++)
		if (d[n] < 0x21 || d[n] > 0x7e || n == WEBHOOK_DELIVERY_MAX)
			return 0;
	return n > 0;
}

/*
 * The signature checks; NULL when genuine (the delivery id in *delivery),
 * else why not (for the log).
 */
static const char *
webhook_verify(struct ctx *c, const char **delivery)
{
	const char *sig = req_header(c->req, "x-eleva-signature");
	const char *d = req_header(c->req, "x-eleva-delivery");
	const char *why;

	if (sig == NULL || strncmp(sig, WEBHOOK_SIG_PREFIX,
	    strlen(WEBHOOK_SIG_PREFIX)) != 0)
		return "no or malformed signature header";
	if (d == NULL || !webhook_delivery_valid(d))
		return "no or malformed delivery id";
	sig += strlen(WEBHOOK_SIG_PREFIX);
	if ((why = sig_check(c->arena, c->app->cfg->webhook_secret,
	    req_header(c->req, "x-eleva-timestamp"), d, sig, c->req->body,
	    c->req->body_len, (long long)time(NULL), WEBHOOK_WINDOW)) != NULL)
		return why;
	*delivery = d;
	return NULL;
}

int
page_webhooks_setup_post(struct ctx *c)
{
	const char *why, *delivery = NULL, *p[6], *result;
	char expires[24], mac[65];
	struct json_object *body;
	const struct pg_result *r;
	int status;

	if (c->app->cfg->webhook_secret == NULL) {
		log_warn("webhook: WEBHOOK_SECRET is not set: refused");
		return layout_json_pair(c, 503, "error", "webhooks are not configured");
	}
	if ((why = webhook_verify(c, &delivery)) != NULL) {
		log_warn("webhook: refused: %s", why);
		return layout_json_pair(c, 401, "error", "invalid signature");
	}
	/*
	 * JSON is UTF-8 text: the request core leaves other types to us, and
	 * jsonh_parse_n refuses NUL, raw or escaped.
	 */
	if (!form_utf8_valid(c->req->body, c->req->body_len) ||
	    (body = jsonh_parse_n(c->arena, c->req->body,
	    c->req->body_len)) == NULL)
		return layout_json_pair(c, 400, "error",
		    "the body must be UTF-8 JSON text");
	if ((p[0] = jsonh_str(body, "user")) == NULL ||
	    (p[1] = jsonh_str(body, "step")) == NULL ||
	    (p[2] = jsonh_str(body, "status")) == NULL)
		return layout_json_pair(c, 400, "error",
		    "the body must be a JSON object with string fields user, "
		    "step and status");
	p[3] = delivery;

	/*
	 * The route's transaction has no signed-in user: the function acts
	 * for the named expert, once it has checked our MAC over the call
	 * (sql/0012_identity.sql: the app role alone cannot make one).  The
	 * dispatcher commits what is accepted and rolls back every refusal
	 * (>= 400), so a refusal writes nothing.
	 */
	if (db_sign(c->db, "setup_webhook", p, 4, expires, mac) == -1)
		return layout_json_pair(c, 503, "error", "try again later");
	p[4] = expires;
	p[5] = mac;
	if ((r = db_run(c->db, c->arena, SQL_SETUP_WEBHOOK, p)) == NULL)
		return layout_json_pair(c, 503, "error", "try again later");
	result = db_val(r, 0, 0);
	if (strcmp(result, "ok") == 0 || strcmp(result, "unchanged") == 0 ||
	    strcmp(result, "duplicate") == 0)
		status = 200;
	else if (strcmp(result, "order") == 0)
		status = 409;
	else
		status = 400;
	log_info("webhook: %s %s for %s: %s", p[1], p[2], p[0], result);
	return layout_json_pair(c, status, status == 200 ? "result" : "error",
	    result);
}
