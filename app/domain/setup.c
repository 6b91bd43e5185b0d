/* setup: the wizard's step table, the expert's progress, and marking form steps done. */
#include <string.h>

#include <libpq-fe.h>

#include "lib/arena.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "domain/setup.h"
#include "core/sql.h"

const struct setup_step_def setup_steps[SETUP__N] = {
	[SETUP_PROFILE] =		{ "profile",		"/setup/profile" },
	[SETUP_AVAILABILITY] =		{ "availability",	"/setup/availability" },
	[SETUP_EVENTS] =		{ "events",		"/setup/events" },
	[SETUP_GOOGLE_ACCOUNT] =	{ "google_account",	NULL },
	[SETUP_IDENTITY] =		{ "identity",		NULL },
	[SETUP_PAYMENT] =		{ "payment",		NULL },
};

const char *const setup_days[SETUP_DAYS] = { "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday" };

int
setup_load(struct ctx *c, struct setup_state *st)
{
	const char *uid = c->user->workos_user_id;
	PGresult *r;
	int i;

	memset(st, 0, sizeof(*st));
	if ((r = db_run(c->app->db, c->arena, sql_setup_state, 1, &uid)) ==
	    NULL)
		return -1;
	/* Columns: the six flags, complete, completed_at, has_row, then the profile. */
	for (i = 0; i < SETUP__N; i++) {
		st->done[i] = PQgetvalue(r, 0, i)[0] == 't';
		st->ndone += st->done[i];
	}
	st->complete = PQgetvalue(r, 0, 6)[0] == 't';
	st->completed_at = PQgetisnull(r, 0, 7) ? NULL :
	    arena_strdup(c->arena, PQgetvalue(r, 0, 7));
	st->has_row = PQgetvalue(r, 0, 8)[0] == 't';
	st->has_profile = PQgetvalue(r, 0, 9)[0] == 't';
	st->published = PQgetvalue(r, 0, 10)[0] == 't';
	st->handle = PQgetisnull(r, 0, 11) ? NULL :
	    arena_strdup(c->arena, PQgetvalue(r, 0, 11));
	return 0;
}

int
setup_set(struct ctx *c, enum setup_step step, int done)
{
	const char *row[2] = { c->user->workos_user_id, c->user->org_id };
	const char *mark[3] = { c->user->workos_user_id,
	    setup_steps[step].name, done ? "t" : "f" };
	const char *p[1] = { c->user->workos_user_id };
	PGresult *r;

	if (step > SETUP_EVENTS)
		return -1;
	/* Nothing to undo without a row: none is made for it. */
	if (done && db_run(c->app->db, c->arena, sql_setup_ensure_row, 2,
	    row) == NULL)
		return -1;
	if ((r = db_run(c->app->db, c->arena, sql_setup_mark_step, 3,
	    mark)) == NULL)
		return -1;
	if (PQntuples(r) == 0)
		return 0;
	db_audit(c->app->db, c->arena, done ? AUDIT_SETUP_STEP_COMPLETED :
	    AUDIT_SETUP_STEP_UNCOMPLETED, "expert_setup",
	    p[0], PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
	    arena_printf(c->arena, "{\"step\":\"%s\",\"source\":\"form\"}",
	    setup_steps[step].name));
	return 1;
}
