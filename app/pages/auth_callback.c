/* page_callback: GET /auth/callback — check state, exchange the code, provision, start the session. */
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "lib/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/form.h"
#include "lib/log.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/req.h"
#include "core/session.h"
#include "domain/signin.h"
#include "core/workos.h"

static void
callback_put(void *p)
{
	json_object_put(p);
}

static const char *
callback_str(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* An error page that offers to start again. */
static int
callback_fail(struct ctx *c, int status, const char *key,
    const char *return_to)
{
	c->message = page_t(c, key);
	c->retry_url = return_to != NULL ? arena_printf(c->arena,
	    "/sign-in?return_to=%s", form_urlencode(c->arena, return_to)) :
	    "/sign-in";
	return status;
}

int
page_callback_get(struct ctx *c)
{
	const struct config *cfg = c->app->cfg;
	const char *code = req_query(c->req, "code");
	const char *state = req_query(c->req, "state");
	const char *error = req_query(c->req, "error");
	const char *payload, *want, *verifier, *return_to = NULL;
	struct json_object *st;
	struct workos_auth wa;
	enum workos_err e;
	int status;

	/* The state cookie is single use, whatever happens next. */
	payload = session_aux_open(cfg->session_ring, c->arena,
	    AUTH_SIGNIN_COOKIE, cfg->https, req_cookie(c->req,
	    session_aux_name(c->arena, AUTH_SIGNIN_COOKIE, cfg->https)),
	    (long long)time(NULL));
	auth_add_cookie(c, session_aux_clear(c->arena, AUTH_SIGNIN_COOKIE,
	    cfg->https));
	if (payload == NULL || (st = json_tokener_parse(payload)) == NULL) {
		log_info("callback: no sign-in in progress (state cookie "
		    "missing, altered or expired)");
		return callback_fail(c, 400, "signin.error.expired", NULL);
	}
	arena_cleanup(c->arena, callback_put, st);
	want = callback_str(st, "state");
	verifier = callback_str(st, "verifier");
	return_to = auth_local_path(callback_str(st, "return_to"));
	if (want == NULL || verifier == NULL || state == NULL ||
	    strlen(state) != strlen(want) ||
	    CRYPTO_memcmp(state, want, strlen(want)) != 0) {
		log_warn("callback: state does not match the sign-in started");
		return callback_fail(c, 400, "signin.error.state", return_to);
	}
	if (error != NULL) {
		log_info("callback: AuthKit answered error %s", error);
		return callback_fail(c, 400, "signin.error.refused", return_to);
	}
	if (code == NULL || *code == '\0' || strlen(code) > 256)
		return callback_fail(c, 400, "signin.error.code", return_to);
	e = workos_authenticate_code(c->app->workos, c->arena, code, verifier,
	    &wa);
	if (e == WORKOS_INVALID_GRANT)
		return callback_fail(c, 400, "signin.error.code", return_to);
	if (e != WORKOS_OK)
		return callback_fail(c, e == WORKOS_UNAVAILABLE ||
		    e == WORKOS_RATE_LIMITED ? 503 : 502,
		    "signin.error.unavailable", return_to);
	status = signin_complete(c, &wa, return_to);
	if (status >= 400)
		c->retry_url = "/sign-in";
	return status;
}
