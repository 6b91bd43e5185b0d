/* cli/migrate: eleva migrate — numbered SQL migrations, each in its own transaction, checksummed. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "lib/arena.h"
#include "lib/crypt.h"
#include "lib/file.h"
#include "core/config.h"
#include "core/db.h"
#include "core/sql.h"
#include "cli/cli.h"


#define MIGRATE_MAX_FILE	(4 * 1024 * 1024)

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
"the owner role: DATABASE_OWNER_URL, or --database-url.  Then installs\n"
"ELEVA_IDENTITY_KEY (the app's, newest first) as the keys the database\n"
"verifies the app's signed identities with, replacing the ones before.\n";

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
		if (crypt_sha256_hex(m[i].sql, len, m[i].sum) == -1)
			return -1;
	}
	*out = m;
	return n;
}

/* Run sql (one statement or a whole file); complain naming what.  0, or -1. */
static int
migrate_exec(struct db *db, const char *sql, const char *what)
{
	if (db_script(db, sql) == 0)
		return 0;
	fprintf(stderr, "eleva migrate: %s: %s\n", what, db_error(db));
	return -1;
}

/* Run statement id of the table; complain naming what.  The result, or NULL. */
static struct pg_result *
migrate_run(struct db *db, struct arena *a, enum sql_id id,
    const char *const *p, const char *what)
{
	struct pg_result *r = db_run(db, a, id, p);

	if (r == NULL)
		fprintf(stderr, "eleva migrate: %s: %s\n", what, db_error(db));
	return r;
}

/*
 * Match the table's rows against the files; applied rows without a file
 * are appended as MIG_MISSING.  Returns the new count, or -1.
 */
static int
migrate_match(struct arena *a, struct db *db, struct mig **mp, int n)
{
	struct mig *m = *mp, *all;
	struct pg_result *r;
	int i, j, rows, extra = 0;

	if ((r = migrate_run(db, a, SQL_MIGRATIONS_LIST, NULL,
	    "reading schema_migrations")) == NULL)
		return -1;
	rows = db_rows(r);
	all = arena_calloc(a, (size_t)(n + rows) + 1, sizeof(*all));
	memcpy(all, m, (size_t)n * sizeof(*m));
	for (j = 0; j < rows; j++) {
		const char *name = db_val(r, j, MIGRATION_NAME);
		struct mig *hit = NULL;

		for (i = 0; i < n; i++)
			if (strcmp(all[i].name, name) == 0)
				hit = &all[i];
		if (hit == NULL) {
			hit = &all[n + extra++];
			hit->name = arena_strdup(a, name);
			hit->state = MIG_MISSING;
		}
		hit->applied_sum = arena_strdup(a, db_val(r, j, MIGRATION_SUM));
		hit->applied_at = arena_strdup(a, db_val(r, j, MIGRATION_AT));
		if (hit->state != MIG_MISSING)
			hit->state = strcmp(hit->applied_sum, hit->sum) == 0 ?
			    MIG_APPLIED : MIG_CHANGED;
	}
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
migrate_apply(struct db *db, struct arena *a, const struct mig *m)
{
	const char *params[2] = { m->name, m->sum };

	if (migrate_exec(db, "BEGIN", m->name) == -1)
		return -1;
	/* A file may hold many statements: the simple query protocol. */
	if (migrate_exec(db, m->sql, m->path) == -1 ||
	    migrate_run(db, a, SQL_MIGRATION_RECORD, params, m->name) == NULL) {
		(void)db_script(db, "ROLLBACK");
		return -1;
	}
	if (migrate_exec(db, "COMMIT", m->name) == -1)
		return -1;
	printf("applied  %s\n", m->name);
	return 0;
}

/*
 * Install ELEVA_IDENTITY_KEY, once the schema has the function for it
 * (sql/0012_identity.sql).  Without the variable the installed keys stay.
 * Returns 0, or -1.
 */
static int
migrate_identity_keys(struct db *db, struct arena *a)
{
	const char *keys = getenv("ELEVA_IDENTITY_KEY");
	struct pg_result *r;

	if ((r = migrate_run(db, a, SQL_IDENTITY_KEYS_READY, NULL,
	    "identity keys")) == NULL)
		return -1;
	if (!db_bool(r, 0, 0))
		return 0;
	if (keys == NULL || *keys == '\0') {
		fputs("eleva migrate: ELEVA_IDENTITY_KEY is not set: the identity "
		    "keys installed before are kept\n", stderr);
		return 0;
	}
	if ((r = migrate_run(db, a, SQL_IDENTITY_KEYS_INSTALL, &keys,
	    "installing ELEVA_IDENTITY_KEY")) == NULL)
		return -1;
	printf("identity keys: %s installed\n", db_val(r, 0, 0));
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
	struct db *db = NULL;

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
		dir = arena_printf(&a, "%s/sql", config_root());
	if ((n = migrate_scan(&a, dir, &m)) == -1)
		goto out;
	if ((db = db_new(url)) != NULL)
		db_set_quiet(db, 1);
	if (db == NULL || db_ensure(db) == -1) {
		fprintf(stderr, "eleva migrate: cannot connect: %s\n",
		    db ? db_error(db) : "out of memory");
		goto out;
	}
	/* Two migrators never interleave. */
	if (migrate_run(db, &a, SQL_MIGRATIONS_LOCK, NULL, "lock") == NULL ||
	    migrate_run(db, &a, SQL_MIGRATIONS_TABLE, NULL,
	    "schema_migrations") == NULL ||
	    (n = migrate_match(&a, db, &m, n)) == -1)
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
		if (migrate_apply(db, &a, &m[i]) == -1)
			goto out;
		applied++;
	}
	if (applied == 0)
		printf("nothing to do: %d migration(s) applied\n", n);
	if (migrate_identity_keys(db, &a) == -1)
		goto out;
	rc = 0;
out:
	db_free(db);
	arena_free(&a);
	return rc;
}
