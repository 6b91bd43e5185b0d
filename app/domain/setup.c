/* setup: the wizard's step table, the expert's progress, and marking form steps done. */
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/layout.h"
#include "core/sql.h"
#include "core/view.h"
#include "domain/setup.h"

const struct setup_step_def setup_steps[SETUP__N] = {
	[SETUP_PROFILE] =		{ "profile",		1 },
	[SETUP_AVAILABILITY] =		{ "availability",	1 },
	[SETUP_EVENTS] =		{ "events",		1 },
	[SETUP_GOOGLE_ACCOUNT] =	{ "google_account",	0 },
	[SETUP_IDENTITY] =		{ "identity",		0 },
	[SETUP_PAYMENT] =		{ "payment",		0 },
};

int
setup_load(struct ctx *c, struct setup_state *st)
{
	const char *uid = c->user->workos_user_id;
	struct pg_result *r;
	int i;

	memset(st, 0, sizeof(*st));
	if ((r = db_run(c->db, c->arena, SQL_SETUP_STATE, &uid)) == NULL)
		return -1;
	for (i = 0; i < SETUP__N; i++) {
		st->done[i] = db_bool(r, 0, SETUP_STATE_STEPS + i);
		st->ndone += st->done[i];
	}
	st->complete = db_bool(r, 0, SETUP_STATE_COMPLETE);
	st->completed_at = db_opt(r, 0, SETUP_STATE_COMPLETED_AT);
	st->has_row = db_bool(r, 0, SETUP_STATE_HAS_ROW);
	st->has_profile = db_bool(r, 0, SETUP_STATE_HAS_PROFILE);
	st->published = db_bool(r, 0, SETUP_STATE_PUBLISHED);
	st->handle = db_opt(r, 0, SETUP_STATE_HANDLE);
	return 0;
}

int
setup_set(struct ctx *c, enum setup_step step, int done)
{
	const char *row[2] = { c->user->workos_user_id, c->user->org_id };
	const char *mark[3] = { c->user->workos_user_id,
	    setup_steps[step].name, done ? "t" : "f" };
	struct pg_result *r;

	if (step > SETUP_EVENTS)
		return -1;
	/* Nothing to undo without a row: none is made for it. */
	if (done && db_run(c->db, c->arena, SQL_SETUP_ENSURE_ROW,
	    row) == NULL)
		return -1;
	if ((r = db_run(c->db, c->arena, SQL_SETUP_MARK_STEP,
	    mark)) == NULL)
		return -1;
	if (db_rows(r) == 0)
		return 0;
	db_audit(c->db, c->arena, done ? AUDIT_SETUP_STEP_COMPLETED :
	    AUDIT_SETUP_STEP_UNCOMPLETED, "expert_setup",
	    c->user->workos_user_id, db_val(r, 0, MARK_STEP_OLD),
	    db_val(r, 0, MARK_STEP_NEW), arena_printf(c->arena,
	    "{\"step\":\"%s\",\"source\":\"form\"}", setup_steps[step].name));
	return 1;
}

int
setup_step_render(struct ctx *c, int status, enum setup_step step,
    struct view *v)
{
	struct setup_state st;
	char name[64];

	if (setup_load(c, &st) == -1)
		return 503;
	view_bool(v, "done", st.done[step]);
	snprintf(name, sizeof(name), "setup_%s", setup_steps[step].name);
	return layout_render(c, status, name, v);
}
