/* pages/admin_experts_reset_setup: /admin/experts/:id/reset-setup — confirm, then undo every step of an expert's setup (audited by the database). */
#include <string.h>

#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/layout.h"
#include "core/req.h"
#include "core/session.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/admin_setup.h"
#include "pages/routes.h"

enum { RESET_CONFIRM, RESET__N };

static const struct valid_field reset_fields[RESET__N] = {
	[RESET_CONFIRM] = { "confirm", VALID_BOOL, VALID_REQUIRED, 0, 0, NULL },
};

static int
reset_render(struct ctx *c, int status, const struct admin_setup_expert *e,
    const struct valid_result *form)
{
	struct view *v = layout_new(c);

	view_str(v, "title", view_t(c, "admin.reset.title"));
	view_set(v, "expert", admin_setup_view(c, e, routes_link(c,
	    LINK_ADMIN_EXPERTS_RESET_SETUP, e->workos_user_id, NULL)));
	view_bool(v, "complete", e->complete);
	view_form(c, v, reset_fields, RESET__N, form);
	return layout_render(c, status, "admin_reset", v);
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
page_admin_experts_reset_setup_get(struct ctx *c)
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
page_admin_experts_reset_setup_post(struct ctx *c)
{
	struct admin_setup_expert e;
	const struct pg_result *pr;
	struct valid_result r;
	const char *id;
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
	if ((pr = db_run(c->db, c->arena, SQL_ADMIN_SETUP_RESET,
	    &id)) == NULL)
		return strcmp(db_sqlstate(c->db), SQL_STATE_NOT_ADMIN) ==
		    0 ? 403 : 503;
	/* Audited by app.reset_expert_setup itself (SETUP_RESET). */
	if (db_rows(pr) != 1 || db_opt(pr, 0, 0) == NULL)
		return 404;
	return layout_redirect(c, arena_printf(c->arena, "%s?reset=%s",
	    routes_path(LINK_ADMIN_SETUP_STATS), form_urlencode(c->arena, id)));
}
