/* manage: a booking as its guest or expert opens it after it is made — by the meeting's id and, without signing in, its manage key. */
#include <string.h>

#include "core/auth.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/valid.h"
#include "core/view.h"
#include "domain/manage.h"

const struct valid_field manage_cancel_fields[MANAGE_CANCEL__N] = {
	[MANAGE_CANCEL_REASON] = { "reason", VALID_MULTILINE, 0, 0, 500, NULL },
};

static const struct valid_field manage_id = { "id", VALID_UUID,
    VALID_REQUIRED, 0, 0, NULL };

/*
 * A manage key as links carry it (64 lower-case hex digits, db_mac),
 * else "": a value of any other shape cannot be one and is not sent on.
 */
static const char *
manage_key_of(const char *k)
{
	size_t i;

	if (k == NULL || strlen(k) != 64)
		return "";
	for (i = 0; i < 64; i++)
		if (!((k[i] >= '0' && k[i] <= '9') ||
		    (k[i] >= 'a' && k[i] <= 'f')))
			return "";
	return k;
}

int
manage_open(struct ctx *c, struct manage *m, const char *key)
{
	struct valid_value id;
	const char *p[2];

	memset(m, 0, sizeof(*m));
	if (valid_value(c->arena, &manage_id, req_param(c->req, "id"),
	    &id) != NULL) {
		c->message = view_t(c, "manage.error.none");
		return 404;
	}
	m->id = id.s;
	m->key = manage_key_of(key);
	p[0] = m->id;
	p[1] = m->key;
	if ((m->m = db_run(c->db, c->arena, SQL_MANAGE_GET, p)) == NULL)
		return 503;
	if (db_rows(m->m) != 1) {
		c->message = view_t(c, "manage.error.none");
		return 404;
	}
	return 0;
}

const char *
manage_val(const struct manage *m, int col)
{
	return db_val(m->m, 0, col);
}

void
manage_form_view(struct ctx *c, struct view *v, const struct valid_result *form,
    const char *notice, const char *error)
{
	struct valid_result empty;

	if (form == NULL) {
		memset(&empty, 0, sizeof(empty));
		form = &empty;
	}
	view_form(c, v, manage_cancel_fields, MANAGE_CANCEL__N, form);
	view_str(v, "csrf", auth_csrf_token(c));
	if (notice != NULL)
		view_str(v, "notice", view_t(c, notice));
	if (error != NULL)
		view_str(v, "error", view_t(c, error));
}
