/* cli_migrate: numbered SQL migrations, each in its own transaction, checksummed. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <openssl/evp.h>

#include "lib/arena.h"
#include "cli/migrate.h"
#include "lib/file.h"

#ifndef ELEVA_ROOT
#define ELEVA_ROOT "."
#endif

#define MIGRATE_MAX_FILE	(4 * 1024 * 1024)
/* pg_advisory_lock key: two migrators never interleave. */
#define MIGRATE_LOCK		"7404119001"

enum mig_state {
	MIG_PENDING,
	MIG_APPLIED,
	MIG_CHANGED,	/* applied, but the file differs now */
	MIG_MISSING,	/* applied, and the file is gone */
};

struct mig {
	char		*name;		/* "0001_roles.sql" */
	char		*path;
	char		*sql;
	char		 sum[65];	/* file's sha256, hex */
	char		*applied_sum;	/* from the table, or NULL */
	char		*applied_at;
	enum mig_state	 state;
};

static const char migrate_usage[] =
"usage: eleva migrate [--status] [--dir DIR] [--database-url URL]\n"
"Applies DIR/*.sql (default: sql/ of the deployment root) in name order as\n"
"the owner role: DATABASE_OWNER_URL, or --database-url.\n";

static const char migrate_table_sql[] =
"CREATE TABLE IF NOT EXISTS public.schema_migrations ("
" name text PRIMARY KEY,"
" checksum text NOT NULL,"
" applied_at timestamptz NOT NULL DEFAULT now())";

static void
migrate_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;	/* "already exists, skipping" and friends */
}

static void
migrate_sha256(const char *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1)
		n = 0;
	for (i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * i] = '\0';
}

static int
migrate_is_sql(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	    strcmp(d->d_name + n - 4, ".sql") == 0;
}

/* Read DIR's *.sql files in name order.  Returns the count, or -1. */
static int
migrate_scan(struct arena *a, const char *dir, struct mig **out)
{
	struct dirent **names;
	struct mig *m;
	const char *why;
	size_t len;
	int i, n;

	if ((n = scandir(dir, &names, migrate_is_sql, alphasort)) < 0) {
		fprintf(stderr, "eleva migrate: %s: cannot read the directory\n",
		    dir);
		return -1;
	}
	m = arena_calloc(a, (size_t)n + 1, sizeof(*m));
	for (i = 0; i < n; i++) {
		m[i].name = arena_strdup(a, names[i]->d_name);
		m[i].path = arena_printf(a, "%s/%s", dir, m[i].name);
		free(names[i]);
	}
	free(names);
	for (i = 0; i < n; i++) {
		if (file_read(a, m[i].path, MIGRATE_MAX_FILE, &m[i].sql, &len,
		    &why) == -1) {
			fprintf(stderr, "eleva migrate: %s: %s\n", m[i].path,
			    why);
			return -1;
		}
		migrate_sha256(m[i].sql, len, m[i].sum);
	}
	*out = m;
	return n;
}

static int
migrate_ok(PGconn *c, PGresult *r, const char *what)
{
	ExecStatusType st = PQresultStatus(r);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 1;
	fprintf(stderr, "eleva migrate: %s: %s", what, PQerrorMessage(c));
	return 0;
}

static int
migrate_exec(PGconn *c, const char *sql, const char *what)
{
	PGresult *r = PQexec(c, sql);
	int ok = migrate_ok(c, r, what);

	PQclear(r);
	return ok ? 0 : -1;
}

/*
 * Match the table's rows against the files; applied rows without a file
 * are appended as MIG_MISSING.  Returns the new count, or -1.
 */
static int
migrate_match(struct arena *a, PGconn *c, struct mig **mp, int n)
{
	struct mig *m = *mp, *all;
	PGresult *r;
	int i, j, rows, extra = 0;

	r = PQexec(c, "SELECT name, checksum, to_char(applied_at, "
	    "'YYYY-MM-DD HH24:MI:SS') FROM public.schema_migrations "
	    "ORDER BY name");
	if (!migrate_ok(c, r, "reading schema_migrations")) {
		PQclear(r);
		return -1;
	}
	rows = PQntuples(r);
	all = arena_calloc(a, (size_t)(n + rows) + 1, sizeof(*all));
	memcpy(all, m, (size_t)n * sizeof(*m));
	for (j = 0; j < rows; j++) {
		const char *name = PQgetvalue(r, j, 0);
		struct mig *hit = NULL;

		for (i = 0; i < n; i++)
			if (strcmp(all[i].name, name) == 0)
				hit = &all[i];
		if (hit == NULL) {
			hit = &all[n + extra++];
			hit->name = arena_strdup(a, name);
			hit->state = MIG_MISSING;
		}
		hit->applied_sum = arena_strdup(a, PQgetvalue(r, j, 1));
		hit->applied_at = arena_strdup(a, PQgetvalue(r, j, 2));
		if (hit->state != MIG_MISSING)
			hit->state = strcmp(hit->applied_sum, hit->sum) == 0 ?
			    MIG_APPLIED : MIG_CHANGED;
	}
	PQclear(r);
	*mp = all;
	return n + extra;
}

static int
migrate_status(const struct mig *m, int n)
{
	static const char *const label[] = {
		"pending",	/* MIG_PENDING */
		"applied",	/* MIG_APPLIED */
		"CHANGED",	/* MIG_CHANGED */
		"MISSING",	/* MIG_MISSING */
	};
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		printf("%-8s %-19s %s%s\n", label[m[i].state],
		    m[i].applied_at ? m[i].applied_at : "",
		    m[i].name, m[i].state == MIG_CHANGED ?
		    "  (edited after it was applied)" : m[i].state ==
		    MIG_MISSING ? "  (applied, file no longer there)" : "");
		if (m[i].state == MIG_CHANGED)
			bad = 1;
	}
	if (n == 0)
		printf("no migrations\n");
	return bad;
}

static int
migrate_apply(PGconn *c, const struct mig *m)
{
	const char *params[2] = { m->name, m->sum };
	PGresult *r;

	if (migrate_exec(c, "BEGIN", m->name) == -1)
		return -1;
	/* A file may hold many statements: the simple query protocol. */
	r = PQexec(c, m->sql);
	if (!migrate_ok(c, r, m->path)) {
		PQclear(r);
		migrate_exec(c, "ROLLBACK", m->name);
		return -1;
	}
	PQclear(r);
	r = PQexecParams(c, "INSERT INTO public.schema_migrations (name, "
	    "checksum) VALUES ($1, $2)", 2, NULL, params, NULL, NULL, 0);
	if (!migrate_ok(c, r, m->name)) {
		PQclear(r);
		migrate_exec(c, "ROLLBACK", m->name);
		return -1;
	}
	PQclear(r);
	if (migrate_exec(c, "COMMIT", m->name) == -1)
		return -1;
	printf("applied  %s\n", m->name);
	return 0;
}

int
cli_migrate_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "status", no_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'd' },
		{ "database-url", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *url = getenv("DATABASE_OWNER_URL"), *dir = NULL;
	int status_only = 0, ch, n, i, rc = 1, applied = 0;
	struct arena a;
	struct mig *m;
	PGconn *c = NULL;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			status_only = 1;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		case 'h':
			fputs(migrate_usage, stdout);
			return 0;
		default:
			fputs(migrate_usage, stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fputs(migrate_usage, stderr);
		return 2;
	}
	if (url == NULL || *url == '\0') {
		fputs("eleva migrate: DATABASE_OWNER_URL is not set (the "
		    "connection string of the role that owns the schema)\n",
		    stderr);
		return 2;
	}
	if (arena_init(&a) == -1)
		return 1;
	if (dir == NULL)
		dir = arena_printf(&a, "%s/sql", getenv("ELEVA_ROOT") ?
		    getenv("ELEVA_ROOT") : ELEVA_ROOT);
	if ((n = migrate_scan(&a, dir, &m)) == -1)
		goto out;
	c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "eleva migrate: cannot connect: %s",
		    PQerrorMessage(c));
		goto out;
	}
	PQsetNoticeProcessor(c, migrate_quiet, NULL);
	if (migrate_exec(c, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")",
	    "lock") == -1 ||
	    migrate_exec(c, migrate_table_sql, "schema_migrations") == -1 ||
	    (n = migrate_match(&a, c, &m, n)) == -1)
		goto out;
	if (status_only) {
		rc = migrate_status(m, n);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (m[i].state == MIG_CHANGED) {
			fprintf(stderr, "eleva migrate: %s was edited after it "
			    "was applied (checksum %.12s..., now %.12s...): "
			    "refusing to continue; add a new migration "
			    "instead\n", m[i].path, m[i].applied_sum,
			    m[i].sum);
			goto out;
		}
	for (i = 0; i < n; i++) {
		if (m[i].state != MIG_PENDING)
			continue;
		if (migrate_apply(c, &m[i]) == -1)
			goto out;
		applied++;
	}
	if (applied == 0)
		printf("nothing to do: %d migration(s) applied\n", n);
	rc = 0;
out:
	if (c != NULL)
		PQfinish(c);
	arena_free(&a);
	return rc;
}
