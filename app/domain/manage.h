/* manage: a booking as its guest or expert opens it after it is made — by the meeting's id and, without signing in, its manage key. */
#ifndef ELEVA_MANAGE_H
#define ELEVA_MANAGE_H

#include "core/valid.h"

struct ctx;
struct pg_result;
struct view;

/* The cancel form's one field, the guest's and the expert's alike: the
   reason, which the other side reads (at most 500 characters). */
enum { MANAGE_CANCEL_REASON, MANAGE_CANCEL__N };
extern const struct valid_field manage_cancel_fields[MANAGE_CANCEL__N];

/* What the request names: the meeting and the key it carries. */
struct manage {
	const char	*id;		/* the meeting's uuid */
	const char	*key;		/* its manage key as given, "" for none */
	const struct pg_result *m;	/* one row of SQL_MANAGE_GET */
};

/*
 * The meeting of the route's ":id" as the caller may see it (signed in,
 * or holding key: a query or form value, NULL for none) into m.  Returns
 * 0, or the status to answer: 404 for no meeting of his, whatever the
 * reason (a wrong key tells nothing of the meeting), with c->message
 * set; 503 when the database fails.
 */
int		 manage_open(struct ctx *c, struct manage *m, const char *key);

/*
 * Into v, for a page with the cancel form: the form as submitted (NULL:
 * empty), the CSRF token, and the catalog texts of notice and error
 * (NULL: none) as "notice" and "error".
 */
void		 manage_form_view(struct ctx *c, struct view *v,
		    const struct valid_result *form, const char *notice,
		    const char *error);

/* Column col (MANAGE_*) of the meeting opened. */
const char	*manage_val(const struct manage *m, int col);

#endif
