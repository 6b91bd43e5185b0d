/* page_signin: GET /sign-in — start an AuthKit sign-in (PKCE + state), or offer the demo accounts. */
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/sha.h>

#include "lib/arena.h"
#include "core/auth.h"
#include "lib/b64.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/form.h"
#include "lib/log.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/req.h"
#include "core/session.h"
#include "core/workos.h"

/* The demo accounts of the local stack (script/lib/demo.sh seeds them). */
static const struct {
	const char	*email;
	const char	*label;		/* i18n key */
} signin_demo[] = {
	{ "expert@eleva.test",		"signin.demo.expert" },
	{ "newexpert@eleva.test",	"signin.demo.newexpert" },
	{ "guest@eleva.test",		"signin.demo.guest" },
	{ "admin@eleva.test",		"signin.demo.admin" },
};

/* A login hint worth passing on: an e-mail-like value of sane length. */
static const char *
signin_hint(const char *h)
{
	size_t n;

	if (h == NULL || (n = strlen(h)) == 0 || n > 254 ||
	    strchr(h, '@') == NULL || strpbrk(h, " \t\r\n<>\"'") != NULL)
		return NULL;
	return h;
}

static int
signin_demo_page(struct ctx *c, const char *return_to)
{
	struct json_object *j = page_context(c), *list = json_object_new_array();
	const char *rt = return_to != NULL ? form_urlencode(c->arena,
	    return_to) : NULL;
	size_t i;

	for (i = 0; i < sizeof(signin_demo) / sizeof(signin_demo[0]); i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "email",
		    json_object_new_string(signin_demo[i].email));
		json_object_object_add(o, "label", json_object_new_string(
		    page_t(c, signin_demo[i].label)));
		json_object_object_add(o, "href", json_object_new_string(
		    arena_printf(c->arena, "/sign-in?login_hint=%s%s%s",
		    form_urlencode(c->arena, signin_demo[i].email),
		    rt ? "&return_to=" : "", rt ? rt : "")));
		json_object_array_add(list, o);
	}
	json_object_object_add(j, "accounts", list);
	json_object_object_add(j, "continue_href", json_object_new_string(
	    arena_printf(c->arena, "/sign-in?go=1%s%s", rt ? "&return_to=" :
	    "", rt ? rt : "")));
	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "signin.title")));
	return page_render(c, 200, "signin", j);
}

int
page_signin_get(struct ctx *c)
{
	const struct config *cfg = c->app->cfg;
	const char *return_to = auth_local_path(req_query(c->req, "return_to"));
	const char *hint = signin_hint(req_query(c->req, "login_hint"));
	const char *screen = req_query(c->req, "screen_hint");
	unsigned char digest[SHA256_DIGEST_LENGTH];
	struct json_object *st;
	char *state, *verifier, *cookie;
	long long now = (long long)time(NULL);

	if (cfg->demo_accounts && hint == NULL &&
	    req_query(c->req, "go") == NULL)
		return signin_demo_page(c, return_to);
	if (screen != NULL && strcmp(screen, "sign-up") != 0 &&
	    strcmp(screen, "sign-in") != 0)
		screen = NULL;
	state = session_random_token(c->arena);
	verifier = session_random_token(c->arena);
	if (state == NULL || verifier == NULL)
		return 500;
	SHA256((const unsigned char *)verifier, strlen(verifier), digest);
	st = json_object_new_object();
	json_object_object_add(st, "state", json_object_new_string(state));
	json_object_object_add(st, "verifier",
	    json_object_new_string(verifier));
	if (return_to != NULL)
		json_object_object_add(st, "return_to",
		    json_object_new_string(return_to));
	cookie = session_aux_cookie(cfg->session_ring, c->arena, AUTH_SIGNIN_COOKIE,
	    cfg->https, json_object_to_json_string_ext(st,
	    JSON_C_TO_STRING_PLAIN), now + AUTH_SIGNIN_LIFETIME, now);
	json_object_put(st);
	if (cookie == NULL)
		return 500;
	auth_add_cookie(c, cookie);
	return page_redirect(c, workos_authorize_url(&c->app->workos_cfg,
	    c->arena, state,
	    b64url_encode(c->arena, digest, sizeof(digest)), hint, screen));
}
