/* admin_setup: expert setup rows for the admin pages (statistics, reset). */
#include <string.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "domain/admin_setup.h"
#include "lib/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/form.h"
#include "core/page.h"
#include "core/sql.h"

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

static const char *
admin_setup_value(struct ctx *c, PGresult *r, int i, int col)
{
	return PQgetisnull(r, i, col) ? NULL :
	    arena_strdup(c->arena, PQgetvalue(r, i, col));
}

void
admin_setup_row(struct ctx *c, PGresult *r, int i,
    struct admin_setup_expert *e)
{
	memset(e, 0, sizeof(*e));
	e->workos_user_id = admin_setup_value(c, r, i, 0);
	e->name = admin_setup_value(c, r, i, 1);
	e->email = admin_setup_value(c, r, i, 2);
	e->steps_done = admin_setup_value(c, r, i, 3);
	e->started = admin_setup_value(c, r, i, 4);
	e->started_date = admin_setup_value(c, r, i, 5);
	if (PQnfields(r) > 6)
		e->complete = PQgetvalue(r, i, 6)[0] == 't';
}

int
admin_setup_expert_get(struct ctx *c, const char *id,
    struct admin_setup_expert *e)
{
	PGresult *r;

	if (!admin_setup_valid_id(id))
		return 0;
	if ((r = db_run(c->app->db, c->arena, sql_admin_setup_expert, 1,
	    &id)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	admin_setup_row(c, r, 0, e);
	return 1;
}

const char *
admin_setup_reset_url(struct ctx *c, const char *id)
{
	return arena_printf(c->arena, "/admin/experts/%s/reset-setup",
	    form_urlencode(c->arena, id));
}

struct json_object *
admin_setup_json(struct ctx *c, const struct admin_setup_expert *e)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id",
	    json_object_new_string(e->workos_user_id));
	if (e->name != NULL)
		json_object_object_add(o, "name",
		    json_object_new_string(e->name));
	else
		json_object_object_add(o, "no_name",
		    json_object_new_string(page_t(c, "admin.no_name")));
	json_object_object_add(o, "email", json_object_new_string(e->email));
	json_object_object_add(o, "steps",
	    json_object_new_string(e->steps_done));
	json_object_object_add(o, "started",
	    json_object_new_string(e->started));
	json_object_object_add(o, "started_date",
	    json_object_new_string(e->started_date));
	json_object_object_add(o, "reset_url", json_object_new_string(
	    admin_setup_reset_url(c, e->workos_user_id)));
	return o;
}
