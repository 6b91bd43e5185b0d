/* jsonh_test: typed member reads and field tables of lib/jsonh.c, on hostile shapes too. */
#include <stddef.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/jsonh.h"
#include "tap.h"

struct person {
	const char	*id;
	const char	*name;
	const char	*role;
};

static const struct jsonh_field fields[] = {
	{ "id", offsetof(struct person, id), 1 },
	{ "name", offsetof(struct person, name), 0 },
	{ "role.slug", offsetof(struct person, role), 0 },
};
#define NF	(sizeof(fields) / sizeof(fields[0]))

static int
read_person(struct arena *a, const char *text, struct person *p)
{
	p->id = p->name = p->role = "untouched";
	return jsonh_strs(jsonh_parse(a, text), fields, NF, p);
}

int
main(void)
{
	struct arena A;
	struct person p;
	long long n;
	struct json_object *o, *arr, *x;
	const char *s;
	int b;

	arena_init(&A);
	ok(jsonh_parse(&A, "{\"a\":") == NULL, "truncated JSON is refused");
	ok(jsonh_parse(&A, "") == NULL, "empty text is refused");
	o = jsonh_parse(&A, "{\"s\":\"x\",\"n\":42,\"f\":1.5,\"z\":null}");
	is_str(jsonh_str(o, "s"), "x", "a string member");
	ok(jsonh_str(o, "n") == NULL, "a number is not a string");
	ok(jsonh_str(o, "z") == NULL, "null is not a string");
	ok(jsonh_str(o, "missing") == NULL, "an absent member is NULL");
	ok(jsonh_str(NULL, "s") == NULL, "no object, no member");
	ok(jsonh_str(jsonh_parse(&A, "[1]"), "s") == NULL,
	    "an array has no members");
	ok(jsonh_int(o, "n", &n) == 1 && n == 42, "an integer member");
	ok(jsonh_int(o, "s", &n) == -1 && n == 0,
	    "a string where an integer is wanted: -1, and 0");
	ok(jsonh_int(o, "missing", &n) == 0 && n == 0, "an absent integer: 0");

	ok(read_person(&A, "{\"id\":\"u1\",\"name\":\"Ana\","
	    "\"role\":{\"slug\":\"admin\"}}", &p) == 0 &&
	    p.id != NULL && p.name != NULL && p.role != NULL,
	    "a field table reads every member");
	is_str(p.role, "admin", "... a nested one through \"role.slug\"");
	is_str(p.name, "Ana", "... and a plain one");
	ok(read_person(&A, "{\"id\":\"u1\"}", &p) == 0 && p.name == NULL &&
	    p.role == NULL, "optional members absent: NULL, not left as they were");
	ok(read_person(&A, "{\"id\":\"u1\",\"role\":\"admin\"}", &p) == 0 &&
	    p.role == NULL, "a string where an object is wanted: NULL");
	ok(read_person(&A, "{\"name\":\"Ana\"}", &p) == -1 && p.id == NULL,
	    "a required member missing: -1");
	ok(read_person(&A, "{\"id\":7}", &p) == -1,
	    "a required member of another type: -1");
	ok(read_person(&A, "\"id\"", &p) == -1 && p.name == NULL,
	    "not an object: -1, every field NULL");
	ok(read_person(&A, "not json", &p) == -1, "not JSON at all: -1");
	is_str(jsonh_text(&A, jsonh_parse(&A, "{ \"a\" : [ 1, \"b\" ] }")),
	    "{\"a\":[1,\"b\"]}", "text is compact");

	/* Finding 10 of the hardening issue: NUL, raw or escaped, is refused. */
	ok(jsonh_parse(&A, "{\"user\":\"user_1\\u0000x\"}") == NULL,
	    "nul_in_json: a string escaping NUL is refused, not cut short");
	ok(jsonh_parse(&A, "{\"user\\u0000x\":\"a\",\"user\":\"b\"}") == NULL,
	    "nul_in_json: ... in a key too");
	ok(jsonh_parse(&A, "[\"\\u0000\"]") == NULL, "nul_in_json: ... alone");
	ok(jsonh_parse_n(&A, "{\"a\":\"b\"}\0{}", 10) == NULL,
	    "nul_in_json: a raw NUL byte is refused (not parsed up to it)");
	is_str(jsonh_str(jsonh_parse(&A, "{\"a\":\"\\\\u0000\"}"), "a"),
	    "\\u0000", "an escaped backslash before u0000 is text, not NUL");
	is_str(jsonh_str(jsonh_parse(&A, "{\"a\":\"\\u00e9\\u0001\"}"), "a"),
	    "\xc3\xa9\x01", "other escapes decode");
	ok(jsonh_parse(&A, "{\"a\":1} x") == NULL, "trailing text is refused");
	ok(jsonh_parse(&A, "{\"a\":1}{\"a\":2}") == NULL,
	    "a second value is refused");
	ok(jsonh_parse(&A, " {\"a\":1}\r\n") != NULL,
	    "white space around the value is allowed");
	ok(jsonh_parse_n(&A, "{\"a\":1}", 5) == NULL,
	    "a value cut short by the length is refused");

	/*
	 * fuzz_webhook: json-c reads numbers JSON has not and writes them
	 * back as they came, so a WorkOS event's data reached PostgreSQL as
	 * text it refuses ({"c":-.00}: a 503, delivered again and again).
	 */
	ok(jsonh_parse(&A, "{\"n\":NaN}") == NULL &&
	    jsonh_parse(&A, "[Infinity]") == NULL &&
	    jsonh_parse(&A, "[-Infinity]") == NULL &&
	    jsonh_parse(&A, "[nan]") == NULL,
	    "bad_numbers: NaN and Infinity are refused");
	ok(jsonh_parse(&A, "{\"c\":-.00}") == NULL &&
	    jsonh_parse(&A, "[1.]") == NULL &&
	    jsonh_parse(&A, "[1.e5]") == NULL &&
	    jsonh_parse(&A, "[00.5]") == NULL &&
	    jsonh_parse(&A, "{\"a\":{\"b\":[1,[.5]]}}") == NULL,
	    "bad_numbers: \"-.00\", \"1.\", \"00.5\" are refused, nested too");
	is_str(jsonh_text(&A, jsonh_parse(&A, "[0,-0.0,1.5e3,1E+2,-2e-3,"
	    "1e999,10.25]")), "[0,-0.0,1.5e3,1E+2,-2e-3,1e999,10.25]",
	    "bad_numbers: JSON's own numbers are read and written as they came");

	/* Typed reads that tell absent from wrong, and the builders. */
	o = jsonh_parse(&A, "{\"t\":true,\"f\":false,\"s\":\"x\","
	    "\"n\":1,\"z\":null,\"o\":{\"k\":true}}");
	ok(jsonh_bool(o, "t", &b) == 1 && b == 1, "a true member");
	ok(jsonh_bool(o, "f", &b) == 1 && b == 0, "a false member");
	b = 7;
	ok(jsonh_bool(o, "s", &b) == -1 && b == 0,
	    "a string where a boolean is wanted: -1, and 0");
	ok(jsonh_bool(o, "z", &b) == 0 && jsonh_bool(o, "no", &b) == 0,
	    "a null or absent boolean: 0");
	ok(jsonh_string(o, "s", &s) == 1 && s != NULL && strcmp(s, "x") == 0,
	    "a string member, told apart");
	ok(jsonh_string(o, "n", &s) == -1 && s == NULL,
	    "a number where a string is wanted: -1, and NULL");
	ok(jsonh_string(o, "z", &s) == 0 && s == NULL,
	    "a null string: 0");
	ok(jsonh_get(o, "o") != NULL && jsonh_is_object(jsonh_get(o, "o")),
	    "a member object");
	ok(jsonh_get(o, "z") == NULL && jsonh_get(o, "no") == NULL &&
	    jsonh_get(NULL, "o") == NULL, "null, absent or no object: NULL");
	arr = jsonh_array(&A);
	x = jsonh_object(&A);
	jsonh_add_bool(x, "on", 1);
	jsonh_add_bool(x, "off", 0);
	jsonh_add(x, "sub", jsonh_get(o, "o"));
	jsonh_add(x, "none", NULL);
	jsonh_push(arr, x);
	jsonh_push(arr, NULL);
	is_str(jsonh_text(&A, arr), "[{\"on\":true,\"off\":false,"
	    "\"sub\":{\"k\":true},\"none\":null},null]",
	    "objects and arrays built, each member counted once");
	arena_free(&A);
	return tap_done();
}
