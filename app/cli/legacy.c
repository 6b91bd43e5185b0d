/* cli/legacy: eleva legacy — its commands, what they share, and import-users: the Clerk-era users into WorkOS and this database, resumable, with a mapping file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/csv.h"
#include "lib/jsonh.h"
#include "lib/log.h"
#include "core/db.h"
#include "core/form.h"
#include "core/sql.h"
#include "core/workos.h"
#include "domain/legacy_map.h"
#include "domain/signin.h"
#include "cli/cli.h"
#include "cli/legacy.h"

/* Progress on stderr every this many users. */
#define LEGACY_PROGRESS		100

/* The columns of Clerk's user export this command reads. */
enum { COL_ID, COL_FIRST, COL_LAST, COL_EMAIL, COL_DIGEST, COL_HASHER,
    COL__N };
static const char *const legacy_cols[COL__N] = {
	[COL_ID] = "id",
	[COL_FIRST] = "first_name",
	[COL_LAST] = "last_name",
	[COL_EMAIL] = "primary_email_address",
	[COL_DIGEST] = "password_digest",
	[COL_HASHER] = "password_hasher",
};

/*
 * Clerk's public_metadata.role (a name, or a list of names) to the
 * application role: the first of legacy_clerk_roles found gives the role
 * beside it.
 */
static const char *const legacy_clerk_roles[] = {
	"superadmin", "admin", "top_expert", "lecturer", "community_expert", NULL
};
static const char *const legacy_app_roles[] = {
	"superadmin", "admin", "expert_top", "expert_lecturer", "expert_community"
};

struct legacy_run {
	struct legacy_cmd c;		/* c.keep: the map's and the roles' */
	/* Clerk id -> role, from the legacy database (sorted for bsearch). */
	char		**role_ids, **roles;
	size_t		 nroles;
	/* Counts for the summary. */
	long		 seen, created, linked, done_before, skipped, failed;
	long		 would_create, would_link;
};

/* A user left out, with why: on stderr, the run goes on. */
static void
legacy_skip(struct legacy_run *r, long line, const char *id,
    const char *why)
{
	fprintf(stderr, "import-users: line %ld, %s: skipped: %s\n", line,
	    id != NULL && *id != '\0' ? id : "(no id)", why);
	r->skipped++;
}

static int
legacy_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *
legacy_role_of(struct arena *a, const char *public_json, int *malformed)
{
	struct json_object *o;
	const char *pick;
	size_t i;

	*malformed = 0;
	if (public_json == NULL)
		return "user";
	if (!jsonh_is_object(o = jsonh_parse(a, public_json))) {
		*malformed = 1;
		return "user";
	}
	if ((pick = jsonh_pick(o, "role", legacy_clerk_roles)) == NULL)
		return "user";
	for (i = 0; strcmp(legacy_clerk_roles[i], pick) != 0; i++)
		;
	return legacy_app_roles[i];
}

/* The legacy database's roles, reported where its metadata is malformed. */
static int
legacy_load_roles(struct legacy_run *r)
{
	struct pg_result *res;
	struct arena a;
	size_t i;
	int bad;

	if (r->c.ldb == NULL)
		return 0;
	if (arena_init(&a) == -1)
		return -1;
	if ((res = db_run(r->c.ldb, &a, SQL_LEGACY_USERS, NULL)) == NULL) {
		fprintf(stderr, "import-users: the legacy database cannot be "
		    "read: %s\n", db_error(r->c.ldb));
		arena_free(&a);
		return -1;
	}
	r->nroles = (size_t)db_rows(res);
	r->role_ids = arena_alloc(&r->c.keep, (r->nroles + 1) * sizeof(char *));
	r->roles = arena_alloc(&r->c.keep, (r->nroles + 1) * sizeof(char *));
	for (i = 0; i < r->nroles; i++) {
		const char *id = db_val(res, (int)i, LEGACY_USER_CLERK_ID);
		const char *role = legacy_role_of(&a, db_opt(res, (int)i,
		    LEGACY_USER_PUBLIC), &bad);

		if (bad)
			fprintf(stderr, "import-users: %s: public_metadata is "
			    "not a JSON object: role user\n", id);
		/* One allocation: "id\0role". */
		r->role_ids[i] = arena_printf(&r->c.keep, "%s%c%s", id, 0, role);
	}
	qsort(r->role_ids, r->nroles, sizeof(char *), legacy_cmp);
	for (i = 0; i < r->nroles; i++)
		r->roles[i] = r->role_ids[i] + strlen(r->role_ids[i]) + 1;
	arena_free(&a);
	return 0;
}

static const char *
legacy_role(const struct legacy_run *r, const char *id)
{
	char **hit;

	if (r->nroles == 0)
		return "user";
	hit = bsearch(&id, r->role_ids, r->nroles, sizeof(char *), legacy_cmp);
	return hit != NULL ? r->roles[hit - r->role_ids] : "user";
}

void
legacy_workos_wait(struct workos *w, const char *cmd, int attempt)
{
	int s = workos_retry_after(w);

	if (s < attempt)
		s = attempt;
	fprintf(stderr, "%s: WorkOS unavailable, waiting %d s\n", cmd, s);
	sleep((unsigned)s);
}

/*
 * WorkOS's user for this row: found by e-mail (a resumed run, or made
 * before), else created verified, with the bcrypt digest when Clerk gave
 * one.  Returns the WorkOS error (WORKOS_OK with *u, *existed).
 */
static enum workos_err
legacy_workos_user(struct legacy_run *r, struct arena *a, char **f,
    struct workos_user *u, int *existed)
{
	struct workos_new_user n;
	enum workos_err e;

	*existed = 1;
	if ((e = workos_user_by_email(r->c.w, a, f[COL_EMAIL], u)) !=
	    WORKOS_NOT_FOUND)
		return e;
	*existed = 0;
	memset(&n, 0, sizeof(n));
	n.email = f[COL_EMAIL];
	n.first_name = *f[COL_FIRST] ? f[COL_FIRST] : NULL;
	n.last_name = *f[COL_LAST] ? f[COL_LAST] : NULL;
	n.email_verified = 1;
	n.metadata_json = arena_printf(a, "{\"source\":\"eleva-legacy\","
	    "\"clerk_user_id\":\"%s\"}", f[COL_ID]);
	if (strcmp(f[COL_HASHER], "bcrypt") == 0 && *f[COL_DIGEST] != '\0') {
		n.password_hash = f[COL_DIGEST];
		n.password_hash_type = "bcrypt";
	}
	e = workos_user_make(r->c.w, a, &n, u);
	/* Taken meanwhile (production answers 400 email_not_available). */
	if (e == WORKOS_CONFLICT) {
		*existed = 1;
		e = workos_user_by_email(r->c.w, a, f[COL_EMAIL], u);
	}
	return e;
}

/* One user, all the way: 0 done, 1 skipped, -1 failed (reported). */
static int
legacy_import(struct legacy_run *r, struct arena *a, long line, char **f)
{
	struct legacy_entry le;
	struct workos_user u;
	struct pg_result *res;
	const char *org, *role = legacy_role(r, f[COL_ID]);
	enum workos_err e = WORKOS_OK;
	int attempt, existed = 0, unavailable = 0;

	for (attempt = 1; attempt <= LEGACY_ATTEMPTS; attempt++) {
		if (r->c.o.dry_run) {
			e = workos_user_by_email(r->c.w, a, f[COL_EMAIL], &u);
			if (e == WORKOS_OK || e == WORKOS_NOT_FOUND) {
				if (e == WORKOS_OK)
					r->would_link++;
				else
					r->would_create++;
				/* Later rows of the same address see it. */
				le.clerk_id = f[COL_ID];
				le.workos_user_id = le.workos_org_id = "";
				le.email = f[COL_EMAIL];
				return legacy_map_remember(&r->c.map, &le) == -1 ?
				    -2 : 0;
			}
		} else if ((e = legacy_workos_user(r, a, f, &u, &existed)) ==
		    WORKOS_OK && signin_provision(r->c.db, r->c.w, a, &u, role,
		    NULL, &org, &unavailable) == 0)
			break;
		if (e == WORKOS_OK && !unavailable) {
			fprintf(stderr, "import-users: line %ld, %s: failed: the "
			    "local rows could not be written\n", line, f[COL_ID]);
			r->failed++;
			return -1;
		}
		if (e != WORKOS_OK && e != WORKOS_UNAVAILABLE &&
		    e != WORKOS_RATE_LIMITED) {
			fprintf(stderr, "import-users: line %ld, %s: failed: "
			    "WorkOS refused it (%s)\n", line, f[COL_ID],
			    workos_err_str(e));
			r->failed++;
			return -1;
		}
		if (attempt < LEGACY_ATTEMPTS)
			legacy_workos_wait(r->c.w, "import-users", attempt);
	}
	if (attempt > LEGACY_ATTEMPTS) {
		fprintf(stderr, "import-users: line %ld, %s: failed: WorkOS or "
		    "the database stayed unavailable\n", line, f[COL_ID]);
		r->failed++;
		return -1;
	}
	if ((res = db_run(r->c.db, a, SQL_LEGACY_WORKOS_ORG, &org)) == NULL ||
	    db_rows(res) != 1) {
		fprintf(stderr, "import-users: line %ld, %s: failed: no "
		    "organization\n", line, f[COL_ID]);
		r->failed++;
		return -1;
	}
	le.clerk_id = f[COL_ID];
	le.workos_user_id = u.id;
	le.workos_org_id = db_val(res, 0, 0);
	le.email = u.email;
	if (legacy_map_append(&r->c.map, &le) == -1) {
		fprintf(stderr, "import-users: %s: %s\n", r->c.o.map_path,
		    strerror(errno));
		return -2;
	}
	if (existed)
		r->linked++;
	else
		r->created++;
	return 0;
}

/* The header's column positions of what this command reads. */
static int
legacy_header(char **h, size_t n, size_t pos[COL__N])
{
	size_t i, j;

	for (i = 0; i < COL__N; i++) {
		for (j = 0; j < n && strcmp(h[j], legacy_cols[i]) != 0; j++)
			;
		if (j == n) {
			fprintf(stderr, "import-users: the export has no column "
			    "%s\n", legacy_cols[i]);
			return -1;
		}
		pos[i] = j;
	}
	return 0;
}

static double
legacy_seconds(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Every row of the export: each user imported, skipped or failed. */
static int
legacy_rows(struct legacy_run *r, FILE *csv)
{
	struct timespec t0;
	struct arena a;
	char **row, *f[COL__N];
	const char *why;
	size_t n, pos[COL__N], i;
	long line = 0, at;
	int rc;

	if (arena_init(&a) == -1)
		return -1;
	if (csv_read(csv, &a, &row, &n, &line) != 1 ||
	    legacy_header(row, n, pos) == -1) {
		fprintf(stderr, "import-users: %s: not a Clerk user export\n",
		    r->c.o.csv_path);
		arena_free(&a);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		arena_reset(&a);
		at = line + 1;
		if ((rc = csv_read(csv, &a, &row, &n, &line)) == 0)
			break;
		if (rc == -1) {
			fprintf(stderr, "import-users: %s:%ld: not CSV: stopped\n",
			    r->c.o.csv_path, at);
			arena_free(&a);
			return -1;
		}
		r->seen++;
		for (i = 0; i < COL__N; i++)
			f[i] = pos[i] < n ? row[pos[i]] : "";
		if (strncmp(f[COL_ID], "user_", 5) != 0)
			legacy_skip(r, at, f[COL_ID], "not a Clerk user id");
		else if (legacy_map_by_clerk(&r->c.map, f[COL_ID]) != NULL)
			r->done_before++;
		else if ((why = legacy_left_out(&a, &r->c.map, f[COL_ID],
		    f[COL_EMAIL])) != NULL)
			legacy_skip(r, at, f[COL_ID], why);
		else if (legacy_import(r, &a, at, f) == -2) {
			arena_free(&a);
			return -1;
		}
		if (r->seen % LEGACY_PROGRESS == 0)
			fprintf(stderr, "import-users: %ld users, %.1f/s\n",
			    r->seen, r->seen / legacy_seconds(&t0));
	}
	fprintf(stderr, "import-users: %ld users in %.1f s\n", r->seen,
	    legacy_seconds(&t0));
	arena_free(&a);
	return 0;
}

static int
legacy_import_users(int argc, char **argv)
{
	struct legacy_run r;
	FILE *csv = NULL;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = legacy_open(&r.c, argc, argv, LEGACY_ARG_CSV |
	    LEGACY_ARG_LEGACY_OPT | LEGACY_ARG_DRY | LEGACY_OPEN_WORKOS)) != 0)
		goto out;
	rc = 1;
	if ((csv = fopen(r.c.o.csv_path, "r")) == NULL) {
		fprintf(stderr, "import-users: %s: %s\n", r.c.o.csv_path,
		    strerror(errno));
		goto out;
	}
	if (legacy_load_roles(&r) == -1)
		goto out;
	if (!r.c.o.dry_run && legacy_map_open(&r.c.map, r.c.o.map_path) == -1) {
		fprintf(stderr, "import-users: %s: %s\n", r.c.o.map_path,
		    strerror(errno));
		goto out;
	}
	if (legacy_rows(&r, csv) == 0)
		rc = r.failed > 0 ? 1 : 0;
	if (r.c.o.dry_run)
		printf("import-users (dry run): %ld users read: %ld already "
		    "imported, %ld would be created in WorkOS, %ld would be "
		    "linked to a WorkOS user of the same address, %ld "
		    "skipped\n", r.seen, r.done_before, r.would_create,
		    r.would_link, r.skipped);
	else
		printf("import-users: %ld users read: %ld created, %ld linked to "
		    "an existing WorkOS user, %ld already imported, %ld "
		    "skipped, %ld failed; the map holds %zu users\n", r.seen,
		    r.created, r.linked, r.done_before, r.skipped, r.failed,
		    r.c.map.n);
out:
	if (csv != NULL)
		fclose(csv);
	legacy_close(&r.c);
	return rc;
}

/* Everything the commands share. */

const struct legacy_table legacy_tables[] = {
	{ "categories",			SQL_LEGACY_READ_CATEGORIES,
	    SQL_LEGACY_COPY_CATEGORIES },
	{ "profiles",			SQL_LEGACY_READ_PROFILES,
	    SQL_LEGACY_COPY_PROFILES },
	{ "events",			SQL_LEGACY_READ_EVENTS,
	    SQL_LEGACY_COPY_EVENTS },
	{ "schedules",			SQL_LEGACY_READ_SCHEDULES,
	    SQL_LEGACY_COPY_SCHEDULES },
	{ "schedule_availabilities",	SQL_LEGACY_READ_AVAILABILITIES,
	    SQL_LEGACY_COPY_AVAILABILITIES },
	{ "scheduling_settings",	SQL_LEGACY_READ_SETTINGS,
	    SQL_LEGACY_COPY_SETTINGS },
	{ "blocked_dates",		SQL_LEGACY_READ_BLOCKED,
	    SQL_LEGACY_COPY_BLOCKED },
	{ "meetings",			SQL_LEGACY_READ_MEETINGS,
	    SQL_LEGACY_COPY_MEETINGS },
	{ "records",			SQL_LEGACY_READ_RECORDS,
	    SQL_LEGACY_COPY_RECORDS },
	{ "payment_transfers",		SQL_LEGACY_READ_TRANSFERS,
	    SQL_LEGACY_COPY_TRANSFERS },
};
const size_t legacy_ntables = sizeof(legacy_tables) / sizeof(legacy_tables[0]);

/* The commands, and how each is called. */
static const struct {
	const char	*name;
	int		(*main)(int, char **);
	const char	*usage;
} legacy_cmds[] = {
	{ "import-users", legacy_import_users,
	    "--clerk-export FILE --map FILE [--legacy-db URL] [--dry-run]" },
	{ "migrate-metadata", legacy_meta_main,
	    "--legacy-db URL --map FILE [--dry-run]" },
	{ "migrate-data", legacy_data_main,
	    "--legacy-db URL --map FILE [--dry-run]" },
	{ "validate", legacy_validate_main,
	    "--legacy-db URL --map FILE [--skip-workos]" },
};

static int
legacy_usage(void)
{
	size_t i;

	fputs("usage:\n", stderr);
	for (i = 0; i < sizeof(legacy_cmds) / sizeof(legacy_cmds[0]); i++)
		fprintf(stderr, "  eleva legacy %s %s\n", legacy_cmds[i].name,
		    legacy_cmds[i].usage);
	fputs("  with DATABASE_OWNER_URL set, and for import-users and validate\n"
	    "  WORKOS_API_BASE, WORKOS_API_KEY and WORKOS_CLIENT_ID\n", stderr);
	return 2;
}

static const char *
legacy_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
legacy_args(int argc, char **argv, unsigned what, struct legacy_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->cmd = argv[0];
	o->owner_url = legacy_env("DATABASE_OWNER_URL");
	for (i = 1; i < argc; i++) {
		if ((what & LEGACY_ARG_DRY) && strcmp(argv[i], "--dry-run") == 0)
			o->dry_run = 1;
		else if ((what & LEGACY_ARG_SKIP_WORKOS) &&
		    strcmp(argv[i], "--skip-workos") == 0)
			o->skip_workos = 1;
		else if ((what & LEGACY_ARG_CSV) && i + 1 < argc &&
		    strcmp(argv[i], "--clerk-export") == 0)
			o->csv_path = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--map") == 0)
			o->map_path = argv[++i];
		else if ((what & (LEGACY_ARG_LEGACY | LEGACY_ARG_LEGACY_OPT)) &&
		    i + 1 < argc && strcmp(argv[i], "--legacy-db") == 0)
			o->legacy_url = argv[++i];
		else
			return legacy_usage(), -1;
	}
	if (o->map_path == NULL || o->owner_url == NULL ||
	    ((what & LEGACY_ARG_CSV) && o->csv_path == NULL) ||
	    ((what & LEGACY_ARG_LEGACY) && o->legacy_url == NULL))
		return legacy_usage(), -1;
	return 0;
}

static int
legacy_workos_config(struct workos_config *wc)
{
	memset(wc, 0, sizeof(*wc));
	wc->api_base = legacy_env("WORKOS_API_BASE");
	wc->api_key = legacy_env("WORKOS_API_KEY");
	wc->client_id = legacy_env("WORKOS_CLIENT_ID");
	wc->connect_timeout_ms = 3000;
	wc->timeout_ms = 15000;
	wc->max_retries = 3;
	wc->max_wait_ms = 60000;	/* WorkOS's Retry-After, in full */
	if (wc->api_base == NULL || wc->api_key == NULL ||
	    wc->client_id == NULL)
		return legacy_usage(), -1;
	return 0;
}

static int
legacy_map_read(const struct legacy_opts *o, struct legacy_map *m,
    struct arena *a)
{
	char err[256];
	int torn;

	if (legacy_map_load(m, a, o->map_path, &torn, err, sizeof(err)) ==
	    -1) {
		fprintf(stderr, "%s: %s\n", o->cmd, err);
		return -1;
	}
	if (torn)
		fprintf(stderr, "%s: %s: a torn last line (an interrupted run) "
		    "was dropped\n", o->cmd, o->map_path);
	return 0;
}

static struct db *
legacy_connect(const struct legacy_opts *o, const char *url, const char *what)
{
	struct db *db;

	if ((db = db_new(url)) == NULL)
		return NULL;
	db_set_quiet(db, 1);
	if (db_ensure(db) == -1) {
		fprintf(stderr, "%s: %s cannot be reached: %s\n", o->cmd, what,
		    db_error(db));
		db_free(db);
		return NULL;
	}
	return db;
}

int
legacy_open(struct legacy_cmd *c, int argc, char **argv, unsigned what)
{
	memset(c, 0, sizeof(*c));
	if (legacy_args(argc, argv, what, &c->o) == -1)
		return 2;
	if ((what & LEGACY_OPEN_WORKOS) && !c->o.skip_workos &&
	    legacy_workos_config(&c->wc) == -1)
		return 2;
	if (arena_init(&c->keep) == -1)
		return 1;
	if (legacy_map_read(&c->o, &c->map, &c->keep) == -1)
		return 1;
	c->map_read = 1;
	if (c->o.legacy_url != NULL && (c->ldb = legacy_connect(&c->o,
	    c->o.legacy_url, "the legacy database")) == NULL)
		return 1;
	if ((c->db = legacy_connect(&c->o, c->o.owner_url, "the database")) ==
	    NULL)
		return 1;
	if ((what & LEGACY_OPEN_WORKOS) && !c->o.skip_workos &&
	    (c->w = workos_new(&c->wc)) == NULL) {
		fprintf(stderr, "%s: WorkOS cannot be used\n", c->o.cmd);
		return 1;
	}
	return 0;
}

void
legacy_close(struct legacy_cmd *c)
{
	legacy_map_close(&c->map);
	if (c->ldb != NULL)
		db_free(c->ldb);
	if (c->db != NULL)
		db_free(c->db);
	if (c->w != NULL)
		workos_free(c->w);
	arena_free(&c->keep);
}

const char *
legacy_origin(const struct legacy_opts *o, struct db *ldb, struct arena *a)
{
	struct pg_result *res = db_run(ldb, a, SQL_LEGACY_ORIGIN, NULL);

	if (res == NULL || db_rows(res) != 1) {
		fprintf(stderr, "%s: the legacy database: %s\n", o->cmd,
		    db_error(ldb));
		return NULL;
	}
	return db_val(res, 0, 0);
}

const char *
legacy_left_out(struct arena *a, const struct legacy_map *m,
    const char *clerk_id, const char *email)
{
	const struct legacy_entry *e;

	if (email == NULL || *email == '\0')
		return "no e-mail address";
	if (!form_email_valid(email))
		return "the e-mail address is not valid";
	if ((e = legacy_map_by_email(m, email)) != NULL &&
	    strcmp(e->clerk_id, clerk_id) != 0)
		return arena_printf(a, "its e-mail address is %s's already "
		    "(addresses differing only in case are one address): merge "
		    "them by hand", e->clerk_id);
	return NULL;
}

int
cli_legacy_main(int argc, char **argv)
{
	size_t i;

	log_set_role("legacy");
	for (i = 0; argc >= 2 && i < sizeof(legacy_cmds) /
	    sizeof(legacy_cmds[0]); i++)
		if (strcmp(argv[1], legacy_cmds[i].name) == 0)
			return legacy_cmds[i].main(argc - 1, argv + 1);
	return legacy_usage();
}
