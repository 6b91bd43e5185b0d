/* cli/legacy_validate: eleva legacy validate — the migration checked against the legacy database, the map, this database and WorkOS: a line per check, exit 1 on any failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "core/db.h"
#include "core/sql.h"
#include "core/workos.h"
#include "cli/cli.h"
#include "cli/legacy.h"

/* Examples named in a failing check's line. */
#define VALIDATE_EXAMPLES	5

struct validate_run {
	struct legacy_cmd c;
	int		 failed;
};

/* A check's line: "ok" or "FAIL", its name and what was found. */
static void
validate_line(struct validate_run *r, int ok, const char *name,
    const char *detail)
{
	printf("%-4s  %s: %s\n", ok ? "ok" : "FAIL", name, detail);
	if (!ok)
		r->failed++;
}

/* Up to VALIDATE_EXAMPLES names, then "...". */
static void
validate_example(struct buf *b, long count, const char *s)
{
	if (count <= VALIDATE_EXAMPLES)
		buf_printf(b, "%s%s", count > 1 ? ", " : "", s);
	else if (count == VALIDATE_EXAMPLES + 1)
		buf_puts(b, ", ...");
}

static int
validate_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No two entries with one WorkOS user or one organization. */
static void
validate_one_to_one(struct validate_run *r, struct arena *a)
{
	const char **ids = arena_alloc(a, (r->c.map.n + 1) * sizeof(*ids));
	const char **orgs = arena_alloc(a, (r->c.map.n + 1) * sizeof(*orgs));
	struct buf b;
	long dup = 0;
	size_t i;

	buf_init(&b, a);
	for (i = 0; i < r->c.map.n; i++) {
		ids[i] = r->c.map.e[i].workos_user_id;
		orgs[i] = r->c.map.e[i].workos_org_id;
	}
	qsort(ids, r->c.map.n, sizeof(*ids), validate_cmp);
	qsort(orgs, r->c.map.n, sizeof(*orgs), validate_cmp);
	for (i = 1; i < r->c.map.n; i++) {
		if (strcmp(ids[i], ids[i - 1]) == 0)
			validate_example(&b, ++dup, ids[i]);
		if (strcmp(orgs[i], orgs[i - 1]) == 0)
			validate_example(&b, ++dup, orgs[i]);
	}
	validate_line(r, dup == 0, "the map is one-to-one", dup == 0 ?
	    arena_printf(a, "%zu entries, each Clerk user, address, WorkOS "
	    "user and organization once", r->c.map.n) :
	    arena_printf(a, "%ld WorkOS ids named twice: %s", dup, buf_str(&b)));
}

/* Every legacy user in the map or left out by rule; nobody else in it. */
static int
validate_complete(struct validate_run *r, struct arena *a)
{
	struct pg_result *res;
	struct buf miss, out;
	const char *id, *why;
	long missing = 0, left = 0;
	size_t inlegacy = 0;
	int i;

	if ((res = db_run(r->c.ldb, a, SQL_LEGACY_USERS, NULL)) == NULL) {
		fprintf(stderr, "validate: the legacy database: %s\n",
		    db_error(r->c.ldb));
		return -1;
	}
	buf_init(&miss, a);
	buf_init(&out, a);
	for (i = 0; i < db_rows(res); i++) {
		id = db_val(res, i, LEGACY_USER_CLERK_ID);
		if (legacy_map_by_clerk(&r->c.map, id) != NULL) {
			inlegacy++;
			continue;
		}
		why = legacy_left_out(a, &r->c.map, id,
		    db_val(res, i, LEGACY_USER_EMAIL));
		if (why == NULL)
			validate_example(&miss, ++missing, id);
		else
			validate_example(&out, ++left, arena_printf(a, "%s (%s)",
			    id, why));
	}
	validate_line(r, missing == 0, "every legacy user is in the map",
	    missing == 0 ? arena_printf(a, "%zu mapped, %ld left out by rule%s%s",
	    inlegacy, left, left ? ": " : "", buf_str(&out)) :
	    arena_printf(a, "%ld are not: %s", missing, buf_str(&miss)));
	validate_line(r, inlegacy == r->c.map.n, "the map names legacy users only",
	    inlegacy == r->c.map.n ? "all of them" : arena_printf(a, "%zu entries "
	    "name Clerk users the legacy database does not have",
	    r->c.map.n - inlegacy));
	return 0;
}

/* The map as [{"u", "o"}]. */
static const char *
validate_map_json(struct validate_run *r, struct arena *a)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_putc(&b, '[');
	for (i = 0; i < r->c.map.n; i++)
		buf_printf(&b, "%s{\"u\":\"%s\",\"o\":\"%s\"}", i ? "," : "",
		    r->c.map.e[i].workos_user_id, r->c.map.e[i].workos_org_id);
	buf_putc(&b, ']');
	return buf_str(&b);
}

/* This database's checks, in one read-only transaction. */
struct validate_local {
	struct validate_run *r;
	struct arena	*a;
	struct pg_result *map, *checks;
};

static int
validate_local_tx(struct db *db, void *arg)
{
	struct validate_local *l = arg;
	const char *p[1] = { validate_map_json(l->r, l->a) };

	return (l->map = db_run(db, l->a, SQL_LEGACY_MAP_CHECK, p)) == NULL ||
	    (l->checks = db_run(db, l->a, SQL_LEGACY_CHECKS, NULL)) == NULL ?
	    -1 : 0;
}

/*
 * Each legacy table, page by page: every row a run copies (nobody's, or a
 * mapped user's) is recorded as copied from this legacy database.
 */
static int
validate_counts(struct validate_run *r, struct arena *a, const char *origin)
{
	const struct legacy_table *t;
	struct pg_result *res, *pend;
	struct arena page;
	struct buf bad, ids;
	char limit[16], *after;
	const char *p[2], *owner;
	long expected, left, pending, n;
	size_t k;
	int i, rows, nbad = 0;

	if (arena_init(&page) == -1)
		return -1;
	buf_init(&bad, a);
	snprintf(limit, sizeof(limit), "%d", LEGACY_BATCH);
	for (k = 0; k < legacy_ntables; k++) {
		t = &legacy_tables[k];
		expected = left = pending = 0;
		after = strdup("");
		for (;;) {
			arena_reset(&page);
			p[0] = after;
			p[1] = limit;
			if (after == NULL ||
			    (res = db_run(r->c.ldb, &page, t->read, p)) == NULL) {
				fprintf(stderr, "validate: the legacy database: %s\n",
				    db_error(r->c.ldb));
				free(after);
				arena_free(&page);
				return -1;
			}
			rows = db_rows(res);
			buf_init(&ids, &page);
			buf_putc(&ids, '{');
			for (i = 0, n = 0; i < rows; i++) {
				owner = db_opt(res, i, LEGACY_ROW_OWNER);
				if (owner != NULL &&
				    legacy_map_by_clerk(&r->c.map, owner) == NULL) {
					left++;
					continue;
				}
				buf_printf(&ids, "%s%s", n++ ? "," : "",
				    db_val(res, i, LEGACY_ROW_ID));
			}
			buf_putc(&ids, '}');
			expected += n;
			if (n > 0) {
				const char *pp[3] = { origin, t->source,
				    buf_str(&ids) };

				if ((pend = db_run_alone(r->c.db, &page, 1,
				    SQL_LEGACY_PENDING, pp)) == NULL ||
				    db_rows(pend) != 1) {
					fprintf(stderr, "validate: the database: "
					    "%s\n", db_error(r->c.db));
					free(after);
					arena_free(&page);
					return -1;
				}
				pending += db_int(pend, 0, 0);
			}
			free(after);
			after = rows > 0 ? strdup(db_val(res, rows - 1,
			    LEGACY_ROW_KEY)) : NULL;
			if (rows < LEGACY_BATCH)
				break;
		}
		free(after);
		printf("      %-24s legacy %ld, of users left out %ld, copied "
		    "%ld\n", t->source, expected + left, left,
		    expected - pending);
		if (pending > 0)
			buf_printf(&bad, "%s%s: %ld of %ld not copied",
			    nbad++ ? "; " : "", t->source, pending, expected);
	}
	arena_free(&page);
	validate_line(r, nbad == 0, "per-table counts match the legacy "
	    "database", nbad == 0 ? "every row is copied (but those of users "
	    "left out by rule)" : buf_str(&bad));
	return 0;
}

/* Each mapped user owns his organization in WorkOS too. */
static void
validate_workos(struct validate_run *r, struct arena *a)
{
	struct workos_membership *ms;
	const struct legacy_entry *e;
	enum workos_err err;
	struct arena call;
	struct buf bad;
	long nbad = 0;
	size_t i, j, n;
	int attempt;

	if (r->c.o.skip_workos) {
		validate_line(r, 1, "every user owns his organization in WorkOS",
		    "not checked (--skip-workos)");
		return;
	}
	if (arena_init(&call) == -1)
		return;
	buf_init(&bad, a);
	for (i = 0; i < r->c.map.n; i++) {
		e = &r->c.map.e[i];
		for (attempt = 1; ; attempt++) {
			arena_reset(&call);
			err = workos_memberships_by_user(r->c.w, &call,
			    e->workos_user_id, &ms, &n);
			if ((err != WORKOS_UNAVAILABLE &&
			    err != WORKOS_RATE_LIMITED) || attempt == LEGACY_ATTEMPTS)
				break;
			legacy_workos_wait(r->c.w, "validate", attempt);
		}
		for (j = 0; err == WORKOS_OK && j < n; j++)
			if (strcmp(ms[j].organization_id, e->workos_org_id) == 0 &&
			    strcmp(ms[j].role, "owner") == 0)
				break;
		if (err != WORKOS_OK || j == n)
			validate_example(&bad, ++nbad, arena_printf(a, "%s (%s)",
			    e->clerk_id, err != WORKOS_OK ? workos_err_str(err) :
			    "no owner membership of his organization"));
		if ((i + 1) % 500 == 0)
			fprintf(stderr, "validate: WorkOS: %zu of %zu users\n",
			    i + 1, r->c.map.n);
	}
	arena_free(&call);
	validate_line(r, nbad == 0, "every user owns his organization in WorkOS",
	    nbad == 0 ? arena_printf(a, "%zu users", r->c.map.n) :
	    arena_printf(a, "%ld do not: %s", nbad, buf_str(&bad)));
}

static int
validate_all(struct validate_run *r)
{
	struct validate_local l;
	struct arena a;
	const char *origin;
	struct buf b;
	long nbad;
	int i, rc = -1;

	if (arena_init(&a) == -1)
		return -1;
	validate_one_to_one(r, &a);
	if (validate_complete(r, &a) == -1)
		goto out;
	memset(&l, 0, sizeof(l));
	l.r = r;
	l.a = &a;
	if (db_transact(r->c.db, NULL, 1, validate_local_tx, &l) == -1) {
		fprintf(stderr, "validate: the database: %s\n", db_error(r->c.db));
		goto out;
	}
	buf_init(&b, &a);
	nbad = db_rows(l.map);
	for (i = 0; i < nbad; i++)
		validate_example(&b, i + 1, arena_printf(&a, "%s (%s)",
		    db_val(l.map, i, 0), db_val(l.map, i, 1)));
	validate_line(r, nbad == 0, "every mapped user owns his organization "
	    "here", nbad == 0 ? arena_printf(&a, "%zu users", r->c.map.n) :
	    arena_printf(&a, "%ld do not: %s", nbad, buf_str(&b)));
	validate_workos(r, &a);
	for (i = 0; i < db_rows(l.checks); i++)
		validate_line(r, db_bool(l.checks, i, LEGACY_CHECK_OK),
		    db_val(l.checks, i, LEGACY_CHECK_NAME),
		    db_val(l.checks, i, LEGACY_CHECK_DETAIL));
	if ((origin = legacy_origin(&r->c.o, r->c.ldb, &a)) == NULL ||
	    validate_counts(r, &a, origin) == -1)
		goto out;
	rc = 0;
out:
	arena_free(&a);
	return rc;
}

int
legacy_validate_main(int argc, char **argv)
{
	struct validate_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = legacy_open(&r.c, argc, argv, LEGACY_ARG_LEGACY |
	    LEGACY_ARG_SKIP_WORKOS | LEGACY_OPEN_WORKOS)) != 0) {
		if (rc == 1 && !r.c.map_read)
			validate_line(&r, 0, "the map is one-to-one", "it cannot "
			    "be read as one (above)");
		goto out;
	}
	rc = 1;
	if (validate_all(&r) == -1)
		goto out;
	printf("validate: %s\n", r.failed == 0 ? "every check holds" :
	    r.failed == 1 ? "1 check failed" : arena_printf(&r.c.keep,
	    "%d checks failed", r.failed));
	rc = r.failed == 0 ? 0 : 1;
out:
	legacy_close(&r.c);
	return rc;
}
