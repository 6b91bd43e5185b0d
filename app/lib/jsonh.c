/* jsonh: json-c values owned by an arena, typed member reads, compact text. */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/arena.h"
#include "lib/jsonh.h"

static void
jsonh_put(void *o)
{
	json_object_put(o);
}

struct json_object *
jsonh_own(struct arena *a, struct json_object *o)
{
	if (o != NULL)
		arena_cleanup(a, jsonh_put, o);
	return o;
}

/*
 * Whether the JSON text escapes a NUL ("\u0000"): json-c would hand the
 * string on, and every C reader would see it cut short there (a webhook's
 * "user_1\u0000..." read as "user_1").  Escapes stand only inside strings
 * (a backslash elsewhere is not JSON), so a scan from escape to escape is
 * exact: "\\u0000" is a backslash and the text "u0000".
 */
static int
jsonh_escapes_nul(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (s[i] != '\\')
			continue;
		if (s[i + 1] == 'u' && i + 5 < len &&
		    memcmp(s + i + 2, "0000", 4) == 0)
			return 1;
		i++;	/* the escaped character */
	}
	return 0;
}

/* Whether s is a number as JSON (RFC 8259) writes it. */
static int
jsonh_number_text(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return 0;
	if (*s == '.') {
		if (s[1] < '0' || s[1] > '9')
			return 0;
		s += 1 + strspn(s + 1, "0123456789");
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		s += strspn(s, "0123456789");
	}
	return *s == '\0';
}

/*
 * Whether every number in o is one JSON can hold: json-c also reads NaN,
 * Infinity, "-.5", "1." and "00.5", and writes a number back as it came,
 * which PostgreSQL (like any JSON reader) then refuses.  Nesting is
 * bounded by the tokener's depth.
 */
static int
jsonh_numbers_ok(struct json_object *o)
{
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_double:
		return jsonh_number_text(json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN));
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (!jsonh_numbers_ok(json_object_array_get_idx(o, i)))
				return 0;
		return 1;
	case json_type_object: {
		json_object_object_foreach(o, k, v) {
			(void)k;
			if (!jsonh_numbers_ok(v))
				return 0;
		}
		return 1;
	}
	default:
		return 1;
	}
}

struct json_object *
jsonh_parse_n(struct arena *a, const char *text, size_t len)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	if (len > INT_MAX || memchr(text, '\0', len) != NULL ||
	    jsonh_escapes_nul(text, len))
		return NULL;
	if ((tok = json_tokener_new()) == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success)
		o = NULL;	/* a partial parse is not ours to keep */
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	/* One value, nothing after it but white space. */
	while (o != NULL && end < len) {
		if (strchr(" \t\r\n", text[end++]) == NULL) {
			json_object_put(o);
			o = NULL;
		}
	}
	if (o != NULL && !jsonh_numbers_ok(o)) {
		json_object_put(o);
		o = NULL;
	}
	return jsonh_own(a, o);
}

struct json_object *
jsonh_parse(struct arena *a, const char *text)
{
	return jsonh_parse_n(a, text, strlen(text));
}

struct json_object *
jsonh_object(struct arena *a)
{
	return jsonh_own(a, json_object_new_object());
}

const char *
jsonh_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int
jsonh_strs(struct json_object *o, const struct jsonh_field *f, size_t n,
    void *out)
{
	char key[64];
	size_t i, len;
	int missing = 0;

	for (i = 0; i < n; i++) {
		struct json_object *at = o;
		const char *k = f[i].key, *dot, *s;

		/* Descend through "a.b": each part but the last an object. */
		while ((dot = strchr(k, '.')) != NULL && at != NULL) {
			len = (size_t)(dot - k);
			if (len >= sizeof(key) ||
			    !json_object_is_type(at, json_type_object))
				at = NULL;
			else {
				memcpy(key, k, len);
				key[len] = '\0';
				if (!json_object_object_get_ex(at, key, &at))
					at = NULL;
			}
			k = dot + 1;
		}
		s = jsonh_str(at, k);
		*(const char **)(void *)((char *)out + f[i].offset) = s;
		if (s == NULL && f[i].required)
			missing = 1;
	}
	return missing ? -1 : 0;
}

int
jsonh_int(struct json_object *o, const char *key, long long *out)
{
	struct json_object *v;

	*out = 0;
	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	*out = (long long)json_object_get_int64(v);
	return 1;
}

/* Member key of object o: 1 present (*v, NULL when null), 0 absent. */
static int
jsonh_member(struct json_object *o, const char *key, struct json_object **v)
{
	*v = NULL;
	return o != NULL && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, key, v);
}

int
jsonh_bool(struct json_object *o, const char *key, int *out)
{
	struct json_object *v;

	*out = 0;
	if (!jsonh_member(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v) ? 1 : 0;
	return 1;
}

int
jsonh_string(struct json_object *o, const char *key, const char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!jsonh_member(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = json_object_get_string(v);
	return 1;
}

struct json_object *
jsonh_get(struct json_object *o, const char *key)
{
	struct json_object *v;

	return jsonh_member(o, key, &v) ? v : NULL;
}

void
jsonh_add_bool(struct json_object *o, const char *key, int v)
{
	json_object_object_add(o, key, json_object_new_boolean(v != 0));
}

void
jsonh_add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v != NULL ? json_object_get(v) : NULL);
}

struct json_object *
jsonh_array(struct arena *a)
{
	return jsonh_own(a, json_object_new_array());
}

void
jsonh_push(struct json_object *arr, struct json_object *v)
{
	json_object_array_add(arr, v != NULL ? json_object_get(v) : NULL);
}

void
jsonh_add_str(struct json_object *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_object_add(o, key, json_object_new_string(s));
}

const char *
jsonh_text(struct arena *a, struct json_object *o)
{
	return arena_strdup(a, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
}

int
jsonh_is_object(struct json_object *o)
{
	return o != NULL && json_object_is_type(o, json_type_object);
}

/* Does v, a string or an array of them, hold want? */
static int
jsonh_names(struct json_object *v, const char *want)
{
	struct json_object *x;
	size_t i;

	if (json_object_is_type(v, json_type_string))
		return strcmp(json_object_get_string(v), want) == 0;
	if (!json_object_is_type(v, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(v); i++) {
		x = json_object_array_get_idx(v, i);
		if (json_object_is_type(x, json_type_string) &&
		    strcmp(json_object_get_string(x), want) == 0)
			return 1;
	}
	return 0;
}

const char *
jsonh_pick(struct json_object *o, const char *key,
    const char *const *candidates)
{
	struct json_object *v;
	size_t i;

	if (!jsonh_is_object(o) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	for (i = 0; candidates[i] != NULL; i++)
		if (jsonh_names(v, candidates[i]))
			return candidates[i];
	return NULL;
}
