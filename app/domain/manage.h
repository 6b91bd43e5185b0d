/* manage: a booking as its guest or expert opens it after it is made — by the meeting's id and, without signing in, its manage key. */
#ifndef ELEVA_MANAGE_H
#define ELEVA_MANAGE_H

struct ctx;
struct pg_result;

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

/* Column col (MANAGE_*) of the meeting opened. */
const char	*manage_val(const struct manage *m, int col);

#endif
