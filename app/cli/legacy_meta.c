/* cli/legacy_meta: eleva legacy migrate-metadata — Clerk's metadata (role, expertSetup, securityPreferences) into users, expert_setup and user_preferences, with what is malformed reported. */
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/jsonh.h"
#include "core/db.h"
#include "core/sql.h"
#include "cli/cli.h"
#include "cli/legacy.h"

/* Clerk's securityPreferences keys: booleans, then the two choices. */
static const char *const meta_pref_bools[] = {
	"securityAlerts", "newDeviceAlerts", "emailNotifications",
	"inAppNotifications", "unusualTimingAlerts", "locationChangeAlerts",
	NULL
};
static const char *const meta_themes[] = { "light", "dark", "system", NULL };
static const char *const meta_languages[] = { "en", "es", "pt", "br", NULL };
/* Clerk's expertSetup steps (sql/0019: app.legacy_setup_step). */
static const char *const meta_steps[] = {
	"profile", "availability", "events", "identity", "payment",
	"google_account", NULL
};

struct meta_run {
	struct legacy_cmd c;
	long		 users, unmapped, malformed, refused;
	long		 roles, setups, complete, prefs;
};

static int
meta_in(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static void
meta_report(struct meta_run *r, const char *clerk_id, const char *what)
{
	fprintf(stderr, "migrate-metadata: %s: %s\n", clerk_id, what);
	r->malformed++;
}

/* securityPreferences, the keys we know with values we take. */
static struct json_object *
meta_prefs(struct meta_run *r, struct arena *a, const char *clerk_id,
    struct json_object *pub)
{
	static const char *const choices[] = { "theme", "language", NULL };
	struct json_object *sp, *out;
	const char *s;
	size_t i;
	int on;

	if ((sp = jsonh_get(pub, "securityPreferences")) == NULL)
		return NULL;
	if (!jsonh_is_object(sp)) {
		meta_report(r, clerk_id, "securityPreferences is not an object: "
		    "preferences left at their defaults");
		return NULL;
	}
	out = jsonh_object(a);
	for (i = 0; meta_pref_bools[i] != NULL; i++)
		switch (jsonh_bool(sp, meta_pref_bools[i], &on)) {
		case 1:
			jsonh_add_bool(out, meta_pref_bools[i], on);
			break;
		case -1:
			meta_report(r, clerk_id, arena_printf(a,
			    "securityPreferences.%s is not true or false: "
			    "left at its default", meta_pref_bools[i]));
			break;
		}
	for (i = 0; choices[i] != NULL; i++) {
		int got = jsonh_string(sp, choices[i], &s);

		if (got == 0)
			continue;
		if (got == 1 && meta_in(i == 0 ? meta_themes : meta_languages,
		    s)) {
			jsonh_add_str(out, choices[i], s);
			continue;
		}
		meta_report(r, clerk_id, arena_printf(a,
		    "securityPreferences.%s is not one we offer: "
		    "left at its default", choices[i]));
	}
	return out;
}

/* expertSetup: each step true or not. */
static struct json_object *
meta_setup(struct meta_run *r, struct arena *a, const char *clerk_id,
    struct json_object *unsafe)
{
	struct json_object *es, *out;
	size_t i, done = 0;
	int on;

	if ((es = jsonh_get(unsafe, "expertSetup")) == NULL)
		return NULL;
	if (!jsonh_is_object(es)) {
		meta_report(r, clerk_id, "expertSetup is not an object: no setup "
		    "copied");
		return NULL;
	}
	out = jsonh_object(a);
	for (i = 0; meta_steps[i] != NULL; i++) {
		if (jsonh_bool(es, meta_steps[i], &on) != 1)
			on = 0;
		done += (size_t)on;
		jsonh_add_bool(out, meta_steps[i], on);
	}
	if (done > 0 && done < i)
		fprintf(stderr, "migrate-metadata: %s: expertSetup has %zu of %zu "
		    "steps done: the setup is not complete\n", clerk_id, done, i);
	return out;
}

static void
meta_changes(struct meta_run *r, const struct pg_result *res)
{
	const char *what, *nv;
	int i;

	for (i = 0; i < db_rows(res); i++) {
		what = db_val(res, i, LEGACY_META_WHAT);
		nv = db_val(res, i, LEGACY_META_NEW);
		if (strcmp(what, "role") == 0)
			r->roles++;
		else if (strcmp(what, "expert_setup") == 0) {
			r->setups++;
			r->complete += strstr(nv, "false") == NULL;
		} else
			r->prefs++;
	}
}

/* A batch: in one transaction, or user by user when it is refused. */
static void
meta_batch(struct meta_run *r, struct arena *a, struct json_object **items,
    const char **clerk_ids, size_t n)
{
	enum sql_id id = r->c.o.dry_run ? SQL_LEGACY_META_PLAN :
	    SQL_LEGACY_META_APPLY;
	struct json_object *arr;
	struct pg_result *res;
	const char *p[1];
	size_t k;

	if (n == 0)
		return;
	arr = jsonh_array(a);
	for (k = 0; k < n; k++)
		jsonh_push(arr, items[k]);
	p[0] = jsonh_text(a, arr);
	if ((res = db_run_alone(r->c.db, a, r->c.o.dry_run, id, p)) != NULL) {
		meta_changes(r, res);
		return;
	}
	for (k = 0; k < n; k++) {
		p[0] = arena_printf(a, "[%s]", jsonh_text(a, items[k]));
		if ((res = db_run_alone(r->c.db, a, r->c.o.dry_run, id, p)) != NULL) {
			meta_changes(r, res);
			continue;
		}
		fprintf(stderr, "migrate-metadata: %s: refused: %s\n",
		    clerk_ids[k], db_error(r->c.db));
		r->refused++;
	}
}

static int
meta_users(struct meta_run *r)
{
	struct json_object *items[LEGACY_META_BATCH], *pub, *unsafe, *o, *x;
	const char *clerk_ids[LEGACY_META_BATCH];
	const struct legacy_entry *e;
	struct pg_result *res;
	struct arena a, b;
	const char *id, *ptext, *utext, *role;
	size_t n = 0;
	int i, bad;

	if (arena_init(&a) == -1)
		return -1;
	if (arena_init(&b) == -1) {
		arena_free(&a);
		return -1;
	}
	if ((res = db_run(r->c.ldb, &a, SQL_LEGACY_USERS, NULL)) == NULL) {
		fprintf(stderr, "migrate-metadata: the legacy database: %s\n",
		    db_error(r->c.ldb));
		arena_free(&a);
		arena_free(&b);
		return -1;
	}
	for (i = 0; i < db_rows(res); i++) {
		r->users++;
		id = db_val(res, i, LEGACY_USER_CLERK_ID);
		if ((e = legacy_map_by_clerk(&r->c.map, id)) == NULL) {
			r->unmapped++;
			continue;
		}
		ptext = db_opt(res, i, LEGACY_USER_PUBLIC);
		utext = db_opt(res, i, LEGACY_USER_UNSAFE);
		role = legacy_role_of(&b, ptext, &bad);
		if (bad)
			meta_report(r, id, "public_metadata is not a JSON object: "
			    "role user, preferences left at their defaults");
		pub = bad || ptext == NULL ? NULL : jsonh_parse(&b, ptext);
		unsafe = utext != NULL ? jsonh_parse(&b, utext) : NULL;
		if (utext != NULL && !jsonh_is_object(unsafe)) {
			meta_report(r, id, "unsafe_metadata is not a JSON object: "
			    "no setup copied");
			unsafe = NULL;
		}
		o = jsonh_object(&b);
		jsonh_add_str(o, "u", e->workos_user_id);
		jsonh_add_str(o, "role", role);
		x = pub != NULL ? meta_prefs(r, &b, id, pub) : NULL;
		jsonh_add(o, "prefs", x);
		x = unsafe != NULL ? meta_setup(r, &b, id, unsafe) : NULL;
		jsonh_add(o, "setup", x);
		items[n] = o;
		clerk_ids[n++] = id;
		if (n == LEGACY_META_BATCH) {
			meta_batch(r, &b, items, clerk_ids, n);
			arena_reset(&b);
			n = 0;
		}
	}
	meta_batch(r, &b, items, clerk_ids, n);
	arena_free(&b);
	arena_free(&a);
	return 0;
}

int
legacy_meta_main(int argc, char **argv)
{
	struct meta_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = legacy_open(&r.c, argc, argv, LEGACY_ARG_LEGACY |
	    LEGACY_ARG_DRY)) != 0)
		goto out;
	rc = 1;
	if (meta_users(&r) == -1)
		goto out;
	printf("migrate-metadata%s: %ld legacy users, %ld not in the map; "
	    "%ld roles, %ld expert setups (%ld complete), %ld preferences %s; "
	    "%ld with malformed metadata, %ld refused\n",
	    r.c.o.dry_run ? " (dry run)" : "", r.users, r.unmapped, r.roles,
	    r.setups, r.complete, r.prefs, r.c.o.dry_run ? "would change" :
	    "changed", r.malformed, r.refused);
	rc = r.refused > 0 ? 1 : 0;
out:
	legacy_close(&r.c);
	return rc;
}
