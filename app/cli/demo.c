/* cli/demo: eleva seed-demo — the demo accounts (WorkOS user, role, personal organization, setup state). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/db.h"
#include "core/sql.h"
#include "core/workos.h"
#include "domain/demo.h"
#include "domain/signin.h"
#include "cli/cli.h"

static const char *
demo_env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/* One statement in its own transaction, as the owner. */
struct demo_stmt {
	struct arena		*arena;
	enum sql_id		 id;
	const char *const	*params;
};

static int
demo_run(struct db *db, void *arg)
{
	const struct demo_stmt *d = arg;

	return db_run(db, d->arena, d->id, d->params) == NULL ? -1 : 0;
}

static int
demo_exec(struct db *db, struct arena *a, enum sql_id id,
    const char *const *p)
{
	struct demo_stmt d = { a, id, p };
	struct db_ctx dc;

	memset(&dc, 0, sizeof(dc));
	return db_transact(db, &dc, 0, demo_run, &d);
}

/*
 * The setup-complete expert's public side, so that the local stack has a
 * booking page: profile, schedule, ranges and events, each statement
 * leaving existing rows alone, so a second seeding changes nothing.
 */
static int
demo_public(struct db *db, struct arena *a, const char *uid)
{
	static const enum sql_id steps[] = { SQL_DEMO_PROFILE,
	    SQL_DEMO_SCHEDULE, SQL_DEMO_RANGES, SQL_DEMO_EVENTS };
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (demo_exec(db, a, steps[i], &uid) == -1)
			return -1;
	return 0;
}

static int
demo_account(struct db *db, struct workos *w, struct arena *a,
    const struct demo_account *d)
{
	struct workos_user u;
	enum workos_err e;
	const char *p[5], *org;
	int unavailable;

	e = workos_user_by_email(w, a, d->email, &u);
	if (e == WORKOS_NOT_FOUND)
		e = workos_user_create(w, a, d->email,
		    d->first_name, d->last_name, 1,
		    "{\"source\":\"eleva-demo\"}", &u);
	if (e != WORKOS_OK) {
		fprintf(stderr, "seed-demo: %s: WorkOS: %s\n",
		    d->email, workos_err_str(e));
		return -1;
	}
	p[0] = u.id;
	p[1] = u.email;
	p[2] = d->first_name;
	p[3] = d->last_name;
	p[4] = d->role;
	if (demo_exec(db, a, SQL_DEMO_STALE, p) == -1 ||
	    demo_exec(db, a, SQL_DEMO_USER, p) == -1 ||
	    signin_provision(db, w, a, &u, d->role, NULL, &org,
	    &unavailable) == -1 || (d->setup_complete &&
	    demo_exec(db, a, SQL_DEMO_SETUP, p) == -1) ||
	    (d->setup_complete && demo_public(db, a, u.id) == -1)) {
		fprintf(stderr, "seed-demo: %s: could not provision\n",
		    d->email);
		return -1;
	}
	printf("  %-22s %-17s %s\n", d->email,
	    d->role, d->setup_complete ?
	    "setup complete" : "");
	return 0;
}

int
cli_demo_main(int argc, char **argv)
{
	struct workos_config wc;
	struct workos *w;
	struct arena a;
	struct db *db;
	const char *url = demo_env("DATABASE_OWNER_URL", NULL);
	size_t i;
	int rc = 0;

	(void)argv;
	log_set_role("seed-demo");
	memset(&wc, 0, sizeof(wc));
	wc.api_base = demo_env("WORKOS_API_BASE", "https://api.workos.com");
	wc.api_key = demo_env("WORKOS_API_KEY", NULL);
	wc.client_id = demo_env("WORKOS_CLIENT_ID", NULL);
	wc.connect_timeout_ms = 3000;
	wc.timeout_ms = 10000;
	wc.max_retries = 2;
	if (argc != 1 || url == NULL || wc.api_key == NULL ||
	    wc.client_id == NULL) {
		fputs("usage: eleva seed-demo  (with DATABASE_OWNER_URL, "
		    "WORKOS_API_BASE, WORKOS_API_KEY, WORKOS_CLIENT_ID set)\n",
		    stderr);
		return 2;
	}
	if (arena_init(&a) == -1 || (w = workos_new(&wc)) == NULL ||
	    (db = db_new(url)) == NULL) {
		fputs("seed-demo: out of memory\n", stderr);
		return 1;
	}
	for (i = 0; i < demo_accounts_n; i++) {
		if (demo_account(db, w, &a, &demo_accounts[i]) == -1)
			rc = 1;
		arena_reset(&a);
	}
	db_free(db);
	workos_free(w);
	arena_free(&a);
	return rc;
}
