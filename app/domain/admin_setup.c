/* admin_setup: expert setup rows for the admin pages (statistics, reset). */
#include <string.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/sql.h"
#include "core/view.h"
#include "domain/admin_setup.h"

/* A WorkOS user id as app.provision_user accepts them: user_[A-Za-z0-9]{1,64}. */
static int
admin_setup_valid_id(const char *id)
{
	size_t n;

	if (id == NULL || strncmp(id, "user_", 5) != 0)
		return 0;
	n = strspn(id + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789");
	return n >= 1 && n <= 64 && id[5 + n] == '\0';
}

void
admin_setup_row(const struct pg_result *r, int i,
    struct admin_setup_expert *e)
{
	memset(e, 0, sizeof(*e));
	e->workos_user_id = db_val(r, i, EXPERT_ID);
	e->name = db_opt(r, i, EXPERT_NAME);
	e->email = db_val(r, i, EXPERT_EMAIL);
	e->steps_done = db_val(r, i, EXPERT_STEPS);
	e->started = db_val(r, i, EXPERT_STARTED);
	e->started_date = db_val(r, i, EXPERT_STARTED_DATE);
}

int
admin_setup_expert_get(struct ctx *c, const char *id,
    struct admin_setup_expert *e)
{
	struct pg_result *r;

	if (!admin_setup_valid_id(id))
		return 0;
	if ((r = db_run(c->db, c->arena, SQL_ADMIN_SETUP_EXPERT,
	    &id)) == NULL)
		return -1;
	if (db_rows(r) != 1)
		return 0;
	admin_setup_row(r, 0, e);
	e->complete = db_bool(r, 0, EXPERT_COMPLETE);
	return 1;
}

struct view *
admin_setup_view(struct ctx *c, const struct admin_setup_expert *e,
    const char *reset_url)
{
	struct view *o = view_new(c->arena);

	view_str(o, "id", e->workos_user_id);
	if (e->name != NULL)
		view_str(o, "name", e->name);
	else
		view_str(o, "no_name", view_t(c, "admin.no_name"));
	view_str(o, "email", e->email);
	view_str(o, "steps", e->steps_done);
	view_str(o, "started", e->started);
	view_str(o, "started_date", e->started_date);
	view_str(o, "reset_url", reset_url);
	return o;
}
