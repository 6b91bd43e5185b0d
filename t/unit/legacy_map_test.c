/* legacy_map_test: the migration's mapping file: loading, a torn last line dropped, duplicates refused, addresses in any case, appends that survive a reload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "domain/legacy_map.h"
#include "tap.h"

static char dir[] = "/tmp/legacy_map_test.XXXXXX";

/* A map file holding text; its path. */
static const char *
file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

#define E1 "{\"clerkUserId\":\"user_2a\",\"workosUserId\":\"user_01A\"," \
	"\"organizationId\":\"org_01A\",\"email\":\"Ana@Example.test\"}"
#define E2 "{\"clerkUserId\":\"user_2b\",\"workosUserId\":\"user_01B\"," \
	"\"organizationId\":\"org_01B\",\"email\":\"bo@example.test\"}"

int
main(void)
{
	struct legacy_map m;
	struct legacy_entry e;
	struct arena a;
	char err[256];
	const char *p;
	int torn;

	if (mkdtemp(dir) == NULL || arena_init(&a) == -1)
		return 1;

	p = file("missing-is-empty", "");
	unlink(p);
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), 0,
	    "a missing file is an empty map");
	is_int((long)m.n, 0, "... with no entry");
	legacy_map_close(&m);

	p = file("two", "[\n" E1 ",\n" E2 "\n]\n");
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), 0,
	    "a whole file loads");
	is_int((long)m.n, 2, "... two entries");
	is_int(torn, 0, "... nothing torn");
	ok(legacy_map_by_clerk(&m, "user_2b") != NULL &&
	    strcmp(legacy_map_by_clerk(&m, "user_2b")->workos_org_id,
	    "org_01B") == 0, "found by Clerk id");
	ok(legacy_map_by_email(&m, "ana@EXAMPLE.TEST") != NULL,
	    "found by address in another case");
	ok(legacy_map_by_clerk(&m, "user_2c") == NULL, "an unknown id: none");
	legacy_map_close(&m);

	p = file("torn", "[\n" E1 ",\n{\"clerkUserId\":\"user_2b\",\"wor");
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), 0,
	    "a torn last line (a killed run) loads");
	is_int(torn, 1, "... said to be torn");
	is_int((long)m.n, 1, "... without it");
	legacy_map_close(&m);

	p = file("torn-inside", "[\n{\"clerkUserId\":\n" E2 "\n]\n");
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), -1,
	    "a bad line before the last is refused");
	ok(strstr(err, ":2: not an entry") != NULL, "... naming its line");

	p = file("twice", "[\n" E1 ",\n" E1 "\n]\n");
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), -1,
	    "one Clerk user twice is refused");
	ok(strstr(err, "user_2a is in the map twice") != NULL, "... by name");

	p = file("same-address", "[\n" E1 ",\n{\"clerkUserId\":\"user_2z\","
	    "\"workosUserId\":\"user_01Z\",\"organizationId\":\"org_01Z\","
	    "\"email\":\"ANA@example.test\"}\n]\n");
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), -1,
	    "one address in two cases is refused");

	/* Appends, then a reload: the rewritten file has both. */
	p = file("append", "[\n" E1 ",\n{\"clerkUserId\"");
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), 0,
	    "append: a torn file loads");
	is_int(legacy_map_open(&m, p), 0, "... is rewritten clean and opened");
	e.clerk_id = "user_2b";
	e.workos_user_id = "user_01B";
	e.workos_org_id = "org_01B";
	e.email = "bo@example.test";
	is_int(legacy_map_append(&m, &e), 0, "... an entry appended");
	legacy_map_close(&m);
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), 0,
	    "... the file loads again");
	is_int(torn, 0, "... whole");
	is_int((long)m.n, 2, "... with both entries");
	legacy_map_close(&m);

	/* A dry run remembers without writing. */
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), 0,
	    "remember: loads");
	e.clerk_id = "user_2c";
	e.email = "Cy@example.test";
	is_int(legacy_map_remember(&m, &e), 0, "... one remembered");
	ok(legacy_map_by_email(&m, "cy@example.test") != NULL,
	    "... found by address");
	legacy_map_close(&m);
	is_int(legacy_map_load(&m, &a, p, &torn, err, sizeof(err)), 0,
	    "... and the file");
	is_int((long)m.n, 2, "... still holds two");
	legacy_map_close(&m);

	arena_free(&a);
	snprintf(err, sizeof(err), "rm -rf '%s'", dir);
	ok(system(err) == 0, "the test's files removed");
	return tap_done();
}
