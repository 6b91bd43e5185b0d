/* form: application/x-www-form-urlencoded, query strings, cookies, UTF-8. */
#ifndef ELEVA_FORM_H
#define ELEVA_FORM_H

#include <stddef.h>

struct arena;

/* One name/value pair.  Both are NUL-terminated and arena-owned. */
struct kv {
	const char	*name;
	const char	*value;
	size_t		 value_len;
};

/* Pairs in the order received; repeated names are kept. */
struct kvlist {
	struct kv	*v;
	size_t		 n;
};

struct form_limits {
	size_t	max_fields;	/* pairs per list */
	size_t	max_name;	/* bytes of a decoded name */
	size_t	max_value;	/* bytes of a decoded value */
};

enum form_err {
	FORM_OK = 0,
	FORM_TOO_MANY,		/* more pairs than max_fields */
	FORM_TOO_LONG,		/* a name or a value over its limit */
	FORM_BAD_ESCAPE,	/* '%' not followed by two hex digits */
	FORM_NUL,		/* a NUL byte, raw or decoded */
	FORM_BAD_UTF8,		/* decoded bytes are not valid UTF-8 */
	FORM_BAD_SYNTAX,	/* cookie header that is not name=value pairs */
};

/*
 * Parse "a=1&b=2" (query string or form body).  '+' means space, %XX is
 * decoded, a pair without '=' has the empty value, empty segments ("a&&b")
 * and pairs with an empty name are skipped.  Names and values must decode
 * to valid UTF-8 without NUL.  On error *out is left empty.
 */
enum form_err	 form_parse_urlencoded(struct arena *, const char *s,
		    size_t len, const struct form_limits *, struct kvlist *out);

/*
 * Parse a Cookie header ("a=1; b=2").  Values are kept as sent (no
 * percent-decoding; surrounding double quotes removed).  A pair without
 * '=' is FORM_BAD_SYNTAX; limits apply as above.
 */
enum form_err	 form_parse_cookies(struct arena *, const char *header,
		    const struct form_limits *, struct kvlist *out);

/*
 * Percent-decode s[0..len) into a new arena string; plus_space turns '+'
 * into ' '.  *outlen receives the decoded length.  Rejects bad escapes,
 * NUL and invalid UTF-8.
 */
enum form_err	 form_decode(struct arena *, const char *s, size_t len,
		    int plus_space, char **out, size_t *outlen);

/*
 * Percent-encode s for a query string or a path segment: every byte but
 * the RFC 3986 unreserved characters becomes %XX.  Arena-owned.
 */
char		*form_urlencode(struct arena *, const char *s);

/*
 * Non-zero for a plausible e-mail address: at most 254 bytes of UTF-8,
 * one '@' with a non-empty local part before it and a dotted domain after
 * it, no spaces, control characters or characters that need quoting, and
 * each part in one script (form_single_script).
 */
int		 form_email_valid(const char *s);

/*
 * Non-zero when s is well-formed UTF-8 and each of its parts (separated by
 * '@' and '.') keeps to one script: "аdmin" with a Cyrillic "а" among Latin
 * letters is refused, "иван@mail.ru" is not.  Latin may go with Han, kana
 * and Hangul (UTS #39's highly restrictive profile).
 */
int		 form_single_script(const char *s);

/* Non-zero when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int		 form_utf8_valid(const char *s, size_t len);

/*
 * s[0..len) as well-formed UTF-8: s itself when it is, else an arena
 * copy with each byte that starts no valid sequence replaced by U+FFFD.
 * NUL-terminated either way when s is.
 */
const char	*form_utf8_scrub(struct arena *, const char *s, size_t len);

/* Non-zero for an RFC 9110 token character (header and cookie names). */
int		 form_tchar(unsigned char);

/* A short English description of an error, for logs. */
const char	*form_err_str(enum form_err);

/* First value for name, or NULL. */
const char	*kv_get(const struct kvlist *, const char *name);
/* Number of pairs named name. */
size_t		 kv_count(const struct kvlist *, const char *name);
/* The idx-th value (0-based) for name, or NULL. */
const char	*kv_get_nth(const struct kvlist *, const char *name, size_t idx);

#endif
