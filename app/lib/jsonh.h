/* jsonh: json-c helpers shared by every module that reads or writes JSON: arena ownership, typed member reads, compact text. */
#ifndef ELEVA_JSONH_H
#define ELEVA_JSONH_H

#include <stddef.h>

struct arena;
struct json_object;

/*
 * One string member of a JSON object read into a struct: its key ("a.b"
 * for member b of object member a), where its const char * lies in the
 * struct (offsetof), and whether the object is refused without it.
 */
struct jsonh_field {
	const char	*key;
	size_t		 offset;
	int		 required;
};

/*
 * Hand one reference to o to the arena: it is released at the next
 * arena_reset().  Returns o (NULL stays NULL).
 */
struct json_object	*jsonh_own(struct arena *, struct json_object *o);

/*
 * Parse text[0..len) into a value the arena releases.  NULL when it is
 * not one JSON value (white space around it allowed), when it holds a
 * NUL byte or a string escaping one ("\u0000"), which C readers would
 * silently cut short, or a number JSON does not write (NaN, Infinity,
 * "1.", ".5": json-c reads them, and jsonh_text() would write them back).
 * jsonh_parse: the same for a NUL-terminated text.
 */
struct json_object	*jsonh_parse_n(struct arena *, const char *text,
			    size_t len);
struct json_object	*jsonh_parse(struct arena *, const char *text);

/* A new empty object the arena releases. */
struct json_object	*jsonh_object(struct arena *);

/*
 * The string member key of o; NULL when o is not an object or the member
 * is absent, null or not a string.  Owned by o.
 */
const char		*jsonh_str(struct json_object *o, const char *key);

/*
 * Read each field of f[0..n) from o into the struct at out (NULL where a
 * member is absent or not a string; owned by o).  Returns 0, or -1 when a
 * required one is missing.
 */
int			 jsonh_strs(struct json_object *o,
			    const struct jsonh_field *f, size_t n, void *out);

/*
 * The integer member key of o into *out: 1 when it is an integer, 0 when
 * absent, -1 when it holds another type (*out is 0 then).
 */
int			 jsonh_int(struct json_object *o, const char *key,
			    long long *out);

/*
 * The boolean member key of o into *out: 1 when it is true or false, 0
 * when absent or null, -1 when it holds another type (*out is 0 then).
 */
int			 jsonh_bool(struct json_object *o, const char *key,
			    int *out);

/*
 * The string member key of o into *out, as jsonh_bool: 1, 0 (absent or
 * null) or -1 (another type); *out is NULL unless 1.  Owned by o.
 */
int			 jsonh_string(struct json_object *o, const char *key,
			    const char **out);

/*
 * The member key of object o; NULL when o is not an object or the member
 * is absent or null.  Owned by o.
 */
struct json_object	*jsonh_get(struct json_object *o, const char *key);

/* Non-zero when o is a JSON object. */
int			 jsonh_is_object(struct json_object *o);

/*
 * The first of the NULL-terminated candidates that member key of object
 * o names: a string equal to it, or an array holding one; else NULL.
 */
const char		*jsonh_pick(struct json_object *o, const char *key,
			    const char *const *candidates);

/* Add the string member key when s is not NULL. */
void			 jsonh_add_str(struct json_object *o, const char *key,
			    const char *s);

/* Add the boolean member key. */
void			 jsonh_add_bool(struct json_object *o, const char *key,
			    int v);

/* Add member key holding v (one more reference), or null when v is NULL. */
void			 jsonh_add(struct json_object *o, const char *key,
			    struct json_object *v);

/* A new empty array the arena releases; jsonh_push appends v to it. */
struct json_object	*jsonh_array(struct arena *);
void			 jsonh_push(struct json_object *arr,
			    struct json_object *v);

/* o as compact JSON text, arena-owned. */
const char		*jsonh_text(struct arena *, struct json_object *o);

#endif
