/* cli/legacy_data: eleva legacy migrate-data — the Clerk-era tables copied into this database with each row's organization, in batches, each batch one transaction, idempotent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "core/db.h"
#include "core/sql.h"
#include "pages/routes.h"
#include "cli/cli.h"
#include "cli/legacy.h"

/* Owners left out whose rows a table had: reported at its end. */
struct data_owner {
	char		*clerk_id;
	long		 rows;
};

struct data_run {
	struct legacy_cmd c;
	const char	*origin;	/* legacy_imports.origin */
	const char	*reserved;	/* routes_reserved as a text[] literal */
	/* This table's. */
	struct data_owner *out;
	size_t		 nout, capout;
	long		 read, copied, would, refused, noted;
	/* The run's. */
	long		 total_copied, total_would, total_refused, missing;
};

/* s as a JSON string (the map's ids; anything else is the database's). */
static void
data_json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\u%04x", (unsigned char)*s);
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* A batch element's member: its key (with what precedes), then s or null. */
static void
data_member(struct buf *b, const char *key, const char *s)
{
	buf_puts(b, key);
	if (s != NULL)
		data_json_str(b, s);
	else
		buf_puts(b, "null");
}

/* A row whose owner is not in the map, counted under him. */
static int
data_left_out(struct data_run *r, const char *clerk_id)
{
	size_t i;

	for (i = 0; i < r->nout; i++)
		if (strcmp(r->out[i].clerk_id, clerk_id) == 0) {
			r->out[i].rows++;
			return 0;
		}
	if (r->nout == r->capout) {
		size_t cap = r->capout ? r->capout * 2 : 16;
		struct data_owner *n = realloc(r->out, cap * sizeof(*n));

		if (n == NULL)
			return -1;
		r->out = n;
		r->capout = cap;
	}
	if ((r->out[r->nout].clerk_id = strdup(clerk_id)) == NULL)
		return -1;
	r->out[r->nout++].rows = 1;
	return 0;
}

/* The table's rows left out, by owner and why. */
static void
data_report_left_out(struct data_run *r, const struct legacy_table *t)
{
	const char *p[1];
	struct pg_result *res;
	const char *why;
	struct arena a;
	size_t i;

	if (arena_init(&a) == -1)
		return;
	for (i = 0; i < r->nout; i++) {
		p[0] = r->out[i].clerk_id;
		res = db_run(r->c.ldb, &a, SQL_LEGACY_USER_EMAIL, p);
		why = res != NULL && db_rows(res) == 1 ? legacy_left_out(&a,
		    &r->c.map, p[0], db_val(res, 0, 0)) : "not a legacy user";
		if (why == NULL) {
			why = "not in the map: run import-users first";
			r->missing += r->out[i].rows;
		}
		fprintf(stderr, "migrate-data: %s: %s: %ld rows not copied: %s\n",
		    t->source, p[0], r->out[i].rows, why);
		free(r->out[i].clerk_id);
	}
	r->nout = 0;
	arena_free(&a);
}

/* The copies made: counted, and the notes on them printed. */
static void
data_copied(struct data_run *r, const struct legacy_table *t,
    const struct pg_result *res, const char *const *owners,
    const char *const *ids, size_t n)
{
	const char *note, *id, *owner;
	int i;
	size_t k;

	r->copied += db_rows(res);
	for (i = 0; i < db_rows(res); i++) {
		if ((note = db_opt(res, i, LEGACY_COPY_NOTE)) == NULL)
			continue;
		id = db_val(res, i, LEGACY_COPY_ID);
		owner = "";
		for (k = 0; k < n; k++)
			if (strcmp(ids[k], id) == 0) {
				owner = owners[k];
				break;
			}
		fprintf(stderr, "migrate-data: %s %s%s%s: %s\n", t->source, id,
		    *owner ? " of " : "", owner, note);
		r->noted++;
	}
}

/*
 * Copy n rows (elements of b, each at off[k], len[k]): the whole batch in
 * one transaction (db_run_alone); when the database refuses it, each row in its own, so
 * that the refused ones are reported by id and why and the rest land.
 */
static void
data_copy(struct data_run *r, const struct legacy_table *t, struct arena *a,
    struct buf *b, const size_t *off, const size_t *len,
    const char *const *owners, const char *const *ids, size_t n)
{
	const char *p[3] = { buf_str(b), r->origin, r->reserved };
	struct pg_result *res;
	size_t k;

	if ((res = db_run_alone(r->c.db, a, 0, t->copy, p)) != NULL) {
		data_copied(r, t, res, owners, ids, n);
		return;
	}
	for (k = 0; k < n; k++) {
		p[0] = arena_printf(a, "[%.*s]", (int)len[k], b->data + off[k]);
		if ((res = db_run_alone(r->c.db, a, 0, t->copy, p)) != NULL) {
			data_copied(r, t, res, owners + k, ids + k, 1);
			continue;
		}
		fprintf(stderr, "migrate-data: %s %s of %s: refused: %s\n",
		    t->source, ids[k], *owners[k] ? owners[k] : "nobody",
		    db_error(r->c.db));
		r->refused++;
	}
}

static double
data_seconds(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One table, page by page.  Returns 0, or -1 when a database failed. */
static int
data_table(struct data_run *r, const struct legacy_table *t)
{
	char limit[16];
	const char *p[2], *owner, *other;
	const char **owners, **ids;
	const struct legacy_entry *e, *oe;
	struct pg_result *res;
	struct timespec t0;
	struct arena a;
	struct buf b, list;
	size_t *off, *len, n;
	char *after = strdup("");
	int i, rows;

	if (after == NULL || arena_init(&a) == -1)
		return -1;
	r->read = r->copied = r->would = r->refused = r->noted = 0;
	snprintf(limit, sizeof(limit), "%d", LEGACY_BATCH);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		arena_reset(&a);
		p[0] = after;
		p[1] = limit;
		if ((res = db_run(r->c.ldb, &a, t->read, p)) == NULL) {
			fprintf(stderr, "migrate-data: %s: the legacy database: "
			    "%s\n", t->source, db_error(r->c.ldb));
			free(after);
			arena_free(&a);
			return -1;
		}
		if ((rows = db_rows(res)) == 0)
			break;
		r->read += rows;
		buf_init(&b, &a);
		buf_init(&list, &a);
		off = arena_alloc(&a, (size_t)rows * sizeof(*off));
		len = arena_alloc(&a, (size_t)rows * sizeof(*len));
		owners = arena_alloc(&a, (size_t)rows * sizeof(*owners));
		ids = arena_alloc(&a, (size_t)rows * sizeof(*ids));
		buf_putc(&b, '[');
		buf_putc(&list, '{');
		for (i = 0, n = 0; i < rows; i++) {
			owner = db_opt(res, i, LEGACY_ROW_OWNER);
			other = db_opt(res, i, LEGACY_ROW_OTHER);
			e = owner != NULL ? legacy_map_by_clerk(&r->c.map, owner) :
			    NULL;
			if (owner != NULL && e == NULL) {
				if (data_left_out(r, owner) == -1) {
					free(after);
					arena_free(&a);
					return -1;
				}
				continue;
			}
			oe = other != NULL ? legacy_map_by_clerk(&r->c.map, other) :
			    NULL;
			if (n > 0) {
				buf_putc(&b, ',');
				buf_putc(&list, ',');
			}
			off[n] = b.len;
			data_member(&b, "{\"u\":", e ? e->workos_user_id : NULL);
			data_member(&b, ",\"o\":", e ? e->workos_org_id : NULL);
			data_member(&b, ",\"a\":", oe ? oe->workos_user_id : NULL);
			buf_puts(&b, ",\"r\":");
			buf_puts(&b, db_val(res, i, LEGACY_ROW_JSON));
			buf_putc(&b, '}');
			len[n] = b.len - off[n];
			owners[n] = owner != NULL ? owner : "";
			ids[n] = db_val(res, i, LEGACY_ROW_ID);
			/* Ids are uuids and numbers: no quoting needed. */
			buf_puts(&list, ids[n]);
			n++;
		}
		buf_putc(&b, ']');
		buf_putc(&list, '}');
		if (n > 0 && r->c.o.dry_run) {
			const char *pp[3] = { r->origin, t->source,
			    buf_str(&list) };
			struct pg_result *pend = db_run_alone(r->c.db, &a, 1,
			    SQL_LEGACY_PENDING, pp);

			if (pend == NULL || db_rows(pend) != 1) {
				fprintf(stderr, "migrate-data: %s: %s\n", t->source,
				    db_error(r->c.db));
				free(after);
				arena_free(&a);
				return -1;
			}
			r->would += db_int(pend, 0, 0);
		} else if (n > 0)
			data_copy(r, t, &a, &b, off, len, owners, ids, n);
		free(after);
		if ((after = strdup(db_val(res, rows - 1, LEGACY_ROW_KEY))) ==
		    NULL) {
			arena_free(&a);
			return -1;
		}
		if (r->read % (LEGACY_BATCH * 20) == 0)
			fprintf(stderr, "migrate-data: %s: %ld rows read, %.0f/s\n",
			    t->source, r->read, r->read / data_seconds(&t0));
		if (rows < LEGACY_BATCH)
			break;
	}
	free(after);
	arena_free(&a);
	data_report_left_out(r, t);
	if (r->c.o.dry_run)
		printf("migrate-data (dry run): %s: %ld read, %ld would be "
		    "copied\n", t->source, r->read, r->would);
	else
		printf("migrate-data: %s: %ld read, %ld copied, %ld refused "
		    "(%.1f s)\n", t->source, r->read, r->copied, r->refused,
		    data_seconds(&t0));
	r->total_copied += r->copied;
	r->total_would += r->would;
	r->total_refused += r->refused;
	return 0;
}

/*
 * routes_reserved as a text[] literal (each element quoted: a bare null
 * would be NULL): no handle is a route's.
 */
static const char *
data_reserved(struct arena *a)
{
	struct buf b;
	size_t i;

	buf_init(&b, a);
	buf_putc(&b, '{');
	for (i = 0; routes_reserved[i] != NULL; i++)
		buf_printf(&b, "%s\"%s\"", i ? "," : "", routes_reserved[i]);
	buf_putc(&b, '}');
	return buf_str(&b);
}

int
legacy_data_main(int argc, char **argv)
{
	struct data_run r;
	struct timespec t0;
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = legacy_open(&r.c, argc, argv, LEGACY_ARG_LEGACY |
	    LEGACY_ARG_DRY)) != 0)
		goto out;
	rc = 1;
	if ((r.origin = legacy_origin(&r.c.o, r.c.ldb, &r.c.keep)) == NULL)
		goto out;
	r.reserved = data_reserved(&r.c.keep);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < legacy_ntables; i++)
		if (data_table(&r, &legacy_tables[i]) == -1)
			goto out;
	if (r.c.o.dry_run)
		printf("migrate-data (dry run): %ld rows would be copied; nothing "
		    "was written\n", r.total_would);
	else
		printf("migrate-data: %ld rows copied in %.1f s (%.0f rows/s), "
		    "%ld refused\n", r.total_copied, data_seconds(&t0),
		    r.total_copied / data_seconds(&t0), r.total_refused);
	if (r.missing > 0)
		fprintf(stderr, "migrate-data: %ld rows belong to users who "
		    "should be in the map and are not\n", r.missing);
	rc = r.total_refused > 0 || r.missing > 0 ? 1 : 0;
out:
	free(r.out);
	legacy_close(&r.c);
	return rc;
}
