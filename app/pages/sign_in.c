/* pages/sign_in: GET /sign-in — start an AuthKit sign-in (domain/signin.c), or offer the demo accounts. */
#include <string.h>

#include "lib/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/form.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/view.h"
#include "domain/demo.h"
#include "domain/signin.h"
#include "pages/routes.h"

/* A login hint worth passing on: an e-mail-like value of sane length. */
static const char *
sign_in_hint(const char *h)
{
	size_t n;

	if (h == NULL || (n = strlen(h)) == 0 || n > 254 ||
	    strchr(h, '@') == NULL || strpbrk(h, " \t\r\n<>\"'") != NULL)
		return NULL;
	return h;
}

/* The local stack's page: one link per demo account, and AuthKit's own. */
static int
sign_in_demo_page(struct ctx *c, const char *return_to)
{
	struct view *v = layout_new(c), *list = view_list(c->arena), *o;
	const char *path = routes_path(LINK_SIGN_IN);
	const char *rt = return_to != NULL ? arena_printf(c->arena,
	    "&return_to=%s", form_urlencode(c->arena, return_to)) : "";
	size_t i;

	for (i = 0; i < demo_accounts_n; i++) {
		o = view_new(c->arena);
		view_str(o, "email", demo_accounts[i].email);
		view_str(o, "label", view_t(c, demo_accounts[i].label));
		view_str(o, "href", arena_printf(c->arena,
		    "%s?login_hint=%s%s", path, form_urlencode(c->arena,
		    demo_accounts[i].email), rt));
		view_add(list, o);
	}
	view_set(v, "accounts", list);
	view_str(v, "continue_href", arena_printf(c->arena, "%s?go=1%s", path,
	    rt));
	view_str(v, "title", view_t(c, "signin.title"));
	return layout_render(c, 200, "signin", v);
}

int
page_sign_in_get(struct ctx *c)
{
	const char *return_to = auth_local_path(req_query(c->req, "return_to"));
	const char *hint = sign_in_hint(req_query(c->req, "login_hint"));
	const char *screen = req_query(c->req, "screen_hint");
	const char *url;

	if (c->app->cfg->demo_accounts && hint == NULL &&
	    req_query(c->req, "go") == NULL)
		return sign_in_demo_page(c, return_to);
	if (screen != NULL && strcmp(screen, "sign-up") != 0 &&
	    strcmp(screen, "sign-in") != 0)
		screen = NULL;
	if ((url = signin_start(c, return_to, hint, screen)) == NULL)
		return 500;
	return layout_redirect(c, url);
}
