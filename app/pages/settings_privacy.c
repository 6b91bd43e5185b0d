/* pages/settings_privacy: /settings/privacy — download one's data, delete one's account after a fresh sign-in code. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/layout.h"
#include "core/out.h"
#include "core/req.h"
#include "core/tx.h"
#include "core/valid.h"
#include "core/view.h"
#include "core/workos.h"
#include "domain/privacy.h"
#include "pages/routes.h"

/* The page, its deletion form at step "send" or, with code_sent, "confirm". */
static int
privacy_render(struct ctx *c, int status, int code_sent, const char *error)
{
	struct view *v = layout_new(c);

	view_str(v, "title", view_t(c, "privacy.title"));
	view_str(v, "email", c->user->email);
	view_bool(v, "code_sent", code_sent);
	if (error != NULL)
		view_str(v, "message", view_t(c, error));
	return layout_render(c, status, "privacy", v);
}

int
page_settings_privacy_get(struct ctx *c)
{
	return privacy_render(c, 200, 0, NULL);
}

int
page_settings_privacy_export_get(struct ctx *c)
{
	const char *json;
	char date[16];
	time_t now = time(NULL);
	struct tm tm;

	if (privacy_export(c, &json) == -1)
		return 503;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	out_header(c->resp, "Content-Type", "application/json; charset=utf-8");
	out_header(c->resp, "Content-Disposition", arena_printf(c->arena,
	    "attachment; filename=\"eleva-my-data-%s.json\"", date));
	buf_puts(&c->resp->body, json);
	buf_putc(&c->resp->body, '\n');
	c->resp->rendered = 1;
	return 200;
}

/* Step 1: WorkOS e-mails the user a code. */
static int
privacy_send(struct ctx *c)
{
	enum workos_err e;

	e = workos_magic_auth_create(c->app->workos, c->arena, c->user->email);
	if (e != WORKOS_OK) {
		log_warn("privacy: no deletion code sent (%s)", workos_err_str(e));
		return privacy_render(c, 503, 0, e == WORKOS_RATE_LIMITED ?
		    "code.error.rate" : "signin.error.unavailable");
	}
	return privacy_render(c, 200, 1, NULL);
}

int
page_settings_privacy_delete_post(struct ctx *c)
{
	const char *step = req_form(c->req, "step");
	const char *confirm = req_form(c->req, "confirm");
	const char *digits;
	struct view *v;

	/* Nothing of this request's transaction is kept: WorkOS comes next. */
	tx_rollback(c);
	if (step != NULL && strcmp(step, "send") == 0)
		return privacy_send(c);
	if (step == NULL || strcmp(step, "confirm") != 0)
		return privacy_render(c, 400, 0, "privacy.error.step");
	if (confirm == NULL || strcmp(confirm, "on") != 0)
		return privacy_render(c, 422, 1, "privacy.error.confirm");
	if ((digits = valid_code_digits(c->arena, req_form(c->req, "code"))) ==
	    NULL)
		return privacy_render(c, 422, 1, "code.error.format");
	switch (privacy_delete(c, digits)) {
	case PRIVACY_OK:
		break;
	case PRIVACY_CODE:
		return privacy_render(c, 422, 1, "code.error.code");
	case PRIVACY_NOT_YOU:
		return privacy_render(c, 403, 0, "privacy.error.not_you");
	case PRIVACY_UPCOMING:
		return privacy_render(c, 409, 0, "privacy.error.upcoming");
	case PRIVACY_PAYMENTS:
		return privacy_render(c, 409, 0, "privacy.error.payments");
	case PRIVACY_UNAVAILABLE:
		return privacy_render(c, 503, 1, "signin.error.unavailable");
	}
	/* Gone: this browser's session with it. */
	auth_end(c);
	v = layout_new(c);
	view_str(v, "title", view_t(c, "privacy.deleted.title"));
	return layout_render(c, 200, "privacy_deleted", v);
}
