/* cli_demo: seed the demo accounts (WorkOS user, role, personal organization, setup state). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "lib/arena.h"
#include "cli/demo.h"
#include "core/db.h"
#include "lib/log.h"
#include "domain/signin.h"
#include "core/workos.h"

/* The demo accounts the sign-in page offers (page_signin.c). */
static const struct {
	const char	*email;
	const char	*first_name;
	const char	*last_name;
	const char	*role;
	int		 setup_complete;
} demo_accounts[] = {
	{ "expert@eleva.test",		"Ana",		"Ferreira",	"expert_top",		1 },
	{ "newexpert@eleva.test",	"Bruno",	"Costa",	"expert_community",	0 },
	{ "guest@eleva.test",		"Carla",	"Mendes",	"user",			0 },
	{ "admin@eleva.test",		"Diana",	"Lopes",	"admin",		0 },
};

/*
 * The emulator forgets its users when it stops, so a restarted local
 * stack meets new ids for the same demo addresses: the old ones go.
 */
static const char demo_sql_stale[] =
    "WITH gone AS (DELETE FROM public.users WHERE lower(email) = lower($2)"
    " AND workos_user_id <> $1 RETURNING workos_user_id)"
    " DELETE FROM public.organizations WHERE slug IN"
    " (SELECT 'user-' || workos_user_id FROM gone)";
static const char demo_sql_user[] =
    "INSERT INTO public.users (workos_user_id, email, first_name, last_name, role)"
    " VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (workos_user_id) DO UPDATE SET role = EXCLUDED.role";
static const char demo_sql_setup[] =
    "UPDATE public.expert_setup SET profile_completed = true,"
    " availability_completed = true, events_completed = true,"
    " google_account_completed = true, identity_completed = true,"
    " payment_completed = true, setup_complete = true,"
    " setup_completed_at = coalesce(setup_completed_at, now())"
    " WHERE workos_user_id = $1";

/*
 * The setup-complete expert's public side, so that the local stack has a
 * booking page: /ana-ferreira, two sessions, weekday hours in Lisbon.
 * Each statement takes $1, the WorkOS user id; each leaves existing rows
 * alone, so a second seeding changes nothing.
 */
static const char *const demo_sql_public[] = {
    "INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name,"
    " last_name, headline, short_bio, published,"
    " practitioner_agreement_accepted_at, practitioner_agreement_version)"
    " SELECT o.id, $1, 'ana-ferreira', 'Ana', 'Ferreira',"
    " 'Pregnancy and postpartum physiotherapist',"
    " 'Fifteen years of helping people through pregnancy, birth and the"
    " months after.', true, now(), 'demo'"
    " FROM public.organizations o WHERE o.slug = 'user-' || $1"
    " ON CONFLICT (workos_user_id) DO NOTHING",
    "INSERT INTO public.schedules (org_id, workos_user_id, timezone)"
    " SELECT o.id, $1, 'Europe/Lisbon' FROM public.organizations o"
    " WHERE o.slug = 'user-' || $1"
    " ON CONFLICT (workos_user_id) DO NOTHING",
    "INSERT INTO public.schedule_availabilities (org_id, schedule_id,"
    " day_of_week, start_time, end_time)"
    " SELECT s.org_id, s.id, d::public.day, r.f::time, r.t::time"
    " FROM public.schedules s,"
    " unnest(ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday']) d,"
    " (VALUES ('09:00', '13:00'), ('14:00', '18:00')) r (f, t)"
    " WHERE s.workos_user_id = $1 AND NOT EXISTS (SELECT 1"
    " FROM public.schedule_availabilities a WHERE a.schedule_id = s.id)",
    "INSERT INTO public.events (org_id, workos_user_id, name, slug,"
    " description, duration_in_minutes, price, currency, \"order\")"
    " SELECT o.id, $1, e.name, e.slug, e.description, e.minutes, e.price,"
    " 'eur', e.ord FROM public.organizations o,"
    " (VALUES ('First consultation', 'first-consultation',"
    "   'An hour to understand where you are and plan what comes next.',"
    "   60, 6000, 1),"
    "  ('Follow-up', 'follow-up', 'Half an hour to review progress.',"
    "   30, 3500, 2)) e (name, slug, description, minutes, price, ord)"
    " WHERE o.slug = 'user-' || $1"
    " ON CONFLICT (workos_user_id, slug) DO NOTHING",
};

static const char *
demo_env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/* One statement in its own transaction, as the owner. */
static int
demo_exec(struct db *db, struct arena *a, const char *sql, int n,
    const char *const *p)
{
	struct db_ctx dc;

	memset(&dc, 0, sizeof(dc));
	if (db_begin(db, &dc, 0) == -1)
		return -1;
	if (db_query(db, a, sql, n, p) == NULL) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

static int
demo_public(struct db *db, struct arena *a, const char *uid)
{
	size_t i;

	for (i = 0; i < sizeof(demo_sql_public) / sizeof(demo_sql_public[0]);
	    i++)
		if (demo_exec(db, a, demo_sql_public[i], 1, &uid) == -1)
			return -1;
	return 0;
}

static int
demo_account(struct db *db, struct workos *w, struct arena *a, size_t i)
{
	struct workos_user u;
	enum workos_err e;
	const char *p[5], *org;
	int unavailable;

	e = workos_user_by_email(w, a, demo_accounts[i].email, &u);
	if (e == WORKOS_NOT_FOUND)
		e = workos_user_create(w, a, demo_accounts[i].email,
		    demo_accounts[i].first_name, demo_accounts[i].last_name, 1,
		    "{\"source\":\"eleva-demo\"}", &u);
	if (e != WORKOS_OK) {
		fprintf(stderr, "seed-demo: %s: WorkOS: %s\n",
		    demo_accounts[i].email, workos_err_str(e));
		return -1;
	}
	p[0] = u.id;
	p[1] = u.email;
	p[2] = demo_accounts[i].first_name;
	p[3] = demo_accounts[i].last_name;
	p[4] = demo_accounts[i].role;
	if (demo_exec(db, a, demo_sql_stale, 2, p) == -1 ||
	    demo_exec(db, a, demo_sql_user, 5, p) == -1 ||
	    signin_provision(db, w, a, &u, demo_accounts[i].role, NULL, &org,
	    &unavailable) == -1 || (demo_accounts[i].setup_complete &&
	    demo_exec(db, a, demo_sql_setup, 1, p) == -1) ||
	    (demo_accounts[i].setup_complete && demo_public(db, a, u.id) == -1)) {
		fprintf(stderr, "seed-demo: %s: could not provision\n",
		    demo_accounts[i].email);
		return -1;
	}
	printf("  %-22s %-17s %s\n", demo_accounts[i].email,
	    demo_accounts[i].role, demo_accounts[i].setup_complete ?
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
	for (i = 0; i < sizeof(demo_accounts) / sizeof(demo_accounts[0]); i++) {
		if (demo_account(db, w, &a, i) == -1)
			rc = 1;
		arena_reset(&a);
	}
	db_free(db);
	workos_free(w);
	arena_free(&a);
	return rc;
}
