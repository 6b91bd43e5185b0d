/* valid: form field tables and the validators that turn submitted text into typed values. */
#ifndef ELEVA_VALID_H
#define ELEVA_VALID_H

#include <stddef.h>

struct arena;
struct kvlist;

enum valid_type {
	VALID_TEXT,	/* one line: no control characters; min/max characters */
	VALID_MULTILINE,/* like TEXT, newlines and tabs allowed; CRLF and CR
			   become "\n" (one character each) */
	VALID_INT,	/* decimal integer in [min, max] */
	VALID_BOOL,	/* checkbox: absent = false, "on"/"1"/"true" = true */
	VALID_CHOICE,	/* one of choices[] */
	VALID_SLUG,	/* lower-case letters, digits, single inner dashes; min/max;
			   none of choices[] (words kept), when set */
	VALID_TIME,	/* HH:MM (24 h; "HH:MM:SS" with :00 accepted); minutes of day */
	VALID_UUID,	/* canonical 8-4-4-4-12 hex */
	VALID_EMAIL,	/* an address form_email_valid() accepts (at most 254) */
	VALID_INSTANT,	/* a UTC time as YYYY-MM-DDTHH:MM:SSZ (a real date) */
	VALID_DATE,	/* a day as YYYY-MM-DD (one that exists, from 1970) */
	VALID_MONEY,	/* an amount: digits, then at most two decimals after
			   "." or "," (either language's mark); n in minor
			   units (cents), min/max in minor units too */
};

enum valid_flag {
	VALID_REQUIRED	= 1 << 0,	/* empty (after trimming) is an error */
};

/*
 * One field of a form, declared in the page's table.  For TEXT, MULTILINE
 * and SLUG, min and max bound the length in characters (0: no minimum);
 * for INT they bound the value.
 */
struct valid_field {
	const char		*name;		/* form field name */
	enum valid_type		 type;
	unsigned		 flags;		/* enum valid_flag */
	long			 min, max;
	const char *const	*choices;	/* VALID_CHOICE: the values allowed,
						   VALID_SLUG: words refused;
						   NULL-terminated */
};

/*
 * A field's value: present (non-empty after trimming), the trimmed text
 * (always set: "" when absent, the submitted text when invalid, for
 * re-rendering), and for INT, BOOL, TIME and MONEY the number (BOOL: 0/1,
 * TIME: minutes since midnight, MONEY: minor units).
 */
struct valid_value {
	int		 present;
	const char	*s;
	long long	 n;
};

/*
 * Why a field was refused: an i18n key, of the "valid.*" family for the
 * validators here ("valid.required", "valid.too_long" ...), whose text
 * may name the field's {min} and {max}.
 */
struct valid_error {
	size_t		 field;		/* index in the table */
	const char	*key;
};

#define VALID_MAX_ERRORS	32

struct valid_result {
	struct valid_value	*v;		/* one per field, arena-owned */
	struct valid_error	 err[VALID_MAX_ERRORS];
	size_t			 nerr;
};

/*
 * Validate form against the n fields: each gets a value in r->v (the
 * first submitted value for its name; unknown names are ignored) and each
 * refusal an error in r->err.  Returns the number of errors (0: all
 * valid).
 */
size_t	valid_form(struct arena *, const struct valid_field *, size_t n,
	    const struct kvlist *form, struct valid_result *r);

/*
 * Validate one value s (NULL: absent) for f into v; returns NULL when
 * valid, else the error key.  s is trimmed of surrounding white space
 * first.
 */
const char *valid_value(struct arena *, const struct valid_field *f,
	    const char *s, struct valid_value *v);

/* Record an error the handler found (a taken handle ...); returns -1. */
int	valid_add(struct valid_result *, size_t field, const char *key);

/* The first error recorded for field, or NULL. */
const struct valid_error *valid_error_of(const struct valid_result *,
	    size_t field);

/*
 * s when it is a slug (lower-case letters, digits, single inner dashes)
 * of at most 100 characters, else NULL: a path parameter naming a handle
 * or an event that cannot exist is not looked up.
 */
const char *valid_path_slug(const char *s);

/* Number of UTF-8 characters in s (s must be valid UTF-8). */
size_t	valid_chars(const char *s);

/* Non-zero when s is in the NULL-terminated list. */
int	valid_in(const char *const *list, const char *s);

/* "HH:MM" for minutes since midnight (0..1440), into an arena string. */
char	*valid_format_time(struct arena *, long long minutes);

/*
 * A sign-in code as WorkOS wants it: six digits, spaces around or inside
 * tolerated ("123 456").  The digits (arena-owned), or NULL.
 */
const char *valid_code_digits(struct arena *, const char *in);

#endif
