/* admin_setup: an expert's setup row as the admin pages show it (the steps are setup.h's). */
#ifndef ELEVA_ADMIN_SETUP_H
#define ELEVA_ADMIN_SETUP_H

struct ctx;
struct pg_result;
struct view;

/* One expert (a row of SQL_ADMIN_SETUP_INCOMPLETE / _EXPERT); arena-owned. */
struct admin_setup_expert {
	const char	*workos_user_id;
	const char	*name;		/* NULL when the expert has none */
	const char	*email;
	const char	*steps_done;	/* "0" ... "6" */
	const char	*started;	/* ISO 8601, UTC */
	const char	*started_date;	/* YYYY-MM-DD, UTC */
	int		 complete;	/* SQL_ADMIN_SETUP_EXPERT only */
};

/* Row i of r (the EXPERT_ columns of sql.h) into e. */
void	admin_setup_row(const struct pg_result *r, int i,
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
 * The expert for a template: {id, name or no_name (the catalog's "no
 * name"), email, steps, started, started_date, reset_url}.
 */
struct view *admin_setup_view(struct ctx *, const struct admin_setup_expert *,
	    const char *reset_url);

#endif
