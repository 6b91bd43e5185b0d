/* admin_setup: an expert's setup row as the admin pages show it (the steps are setup.h's). */
#ifndef ELEVA_ADMIN_SETUP_H
#define ELEVA_ADMIN_SETUP_H

#include <stddef.h>

struct ctx;
struct pg_result;
struct json_object;

/* One expert (a row of sql_admin_setup_incomplete / _expert); arena-owned. */
struct admin_setup_expert {
	const char	*workos_user_id;
	const char	*name;		/* NULL when the expert has none */
	const char	*email;
	const char	*steps_done;	/* "0" ... "6" */
	const char	*started;	/* ISO 8601, UTC */
	const char	*started_date;	/* YYYY-MM-DD, UTC */
	int		 complete;	/* sql_admin_setup_expert only */
};

/* Row i of r (columns of sql_admin_setup_incomplete) into e. */
void	admin_setup_row(struct ctx *, struct pg_result *r, int i,
	    struct admin_setup_expert *e);

/*
 * Look up the expert with a setup row whose WorkOS id is id, as row-level
 * security lets the transaction's user see it.  Returns 1 (found, into e),
 * 0 (no such expert, or id is not a WorkOS user id) or -1 (database
 * error).
 */
int	admin_setup_expert_get(struct ctx *, const char *id,
	    struct admin_setup_expert *e);

/*
 * The expert as a template object {id, name, email, steps, started,
 * started_date, reset_url}; name falls back to the catalog's "no name".
 * The caller adds it to a context (ownership passes there).
 */
struct json_object *admin_setup_json(struct ctx *,
	    const struct admin_setup_expert *);

/* The URL of the expert's reset confirmation (arena-owned). */
const char *admin_setup_reset_url(struct ctx *, const char *id);

#endif
