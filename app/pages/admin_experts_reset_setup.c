/* page_admin_reset: /admin/experts/:id/reset-setup — confirm, then undo every step of an expert's setup (audited). */
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "domain/admin_setup.h"
#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/page.h"
#include "pages/pages.h"
#include "core/req.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/valid.h"

enum { RESET_CONFIRM, RESET__N };

static const struct valid_field reset_fields[RESET__N] = {
	[RESET_CONFIRM] = { "confirm", VALID_BOOL, VALID_REQUIRED, 0, 0, NULL },
};

static int
reset_render(struct ctx *c, int status, const struct admin_setup_expert *e,
    const struct valid_result *form)
{
	struct json_object *j = page_context(c);

	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "admin.reset.title")));
	json_object_object_add(j, "expert", admin_setup_json(c, e));
	if (e->complete)
		json_object_object_add(j, "complete",
		    json_object_new_boolean(1));
	page_form(c, j, reset_fields, RESET__N, form);
	json_object_object_add(j, "csrf",
	    json_object_new_string(c->session->csrf));
	return page_render(c, status, "admin_reset", j);
}

/* The expert named by the path, or the status to answer (404, 503). */
static int
reset_expert(struct ctx *c, struct admin_setup_expert *e)
{
	switch (admin_setup_expert_get(c, req_param(c->req, "id"), e)) {
	case 1:
		return 0;
	case 0:
		return 404;
	default:
		return 503;
	}
}

int
page_admin_reset_get(struct ctx *c)
{
	struct admin_setup_expert e;
	struct valid_result r;
	int st;

	if ((st = reset_expert(c, &e)) != 0)
		return st;
	memset(&r, 0, sizeof(r));
	return reset_render(c, 200, &e, &r);
}

int
page_admin_reset_post(struct ctx *c)
{
	struct admin_setup_expert e;
	struct valid_result r;
	const char *id;
	PGresult *pr;
	int st;

	if ((st = reset_expert(c, &e)) != 0)
		return st;
	if (valid_form(c->arena, reset_fields, RESET__N, &c->req->form,
	    &r) > 0 || !r.v[RESET_CONFIRM].n) {
		/* Say what is missing rather than "this field is required". */
		r.nerr = 0;
		valid_add(&r, RESET_CONFIRM, "admin.reset.confirm_required");
		return reset_render(c, 422, &e, &r);
	}
	id = e.workos_user_id;
	if ((pr = db_run(c->app->db, c->arena, sql_admin_setup_reset, 1,
	    &id)) == NULL)
		return strcmp(db_sqlstate(c->app->db), "42501") == 0 ? 403 :
		    503;
	/* Audited by app.reset_expert_setup itself (SETUP_RESET). */
	if (PQntuples(pr) != 1 || PQgetisnull(pr, 0, 0))
		return 404;
	return page_redirect(c, arena_printf(c->arena,
	    "/admin/setup-stats?reset=%s", form_urlencode(c->arena, id)));
}
