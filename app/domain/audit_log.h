/* audit_log: reading the audit log — the filters /audit, its export and /admin/audit share, and the rows as views. */
#ifndef ELEVA_AUDIT_LOG_H
#define ELEVA_AUDIT_LOG_H

#include "core/valid.h"

struct ctx;
struct pg_result;
struct view;

/* Rows per page of /audit and /admin/audit. */
#define AUDIT_LOG_PAGE	50

/*
 * What to read: the query's filters, all applied together, and where the
 * page starts.  Strings are arena-owned; NULL means "no filter".
 */
struct audit_log_filter {
	const char	*org;		/* organization uuid; NULL: every one
					   the reader may see (admin view) */
	const char	*action;	/* one of audit_action_names */
	const char	*type;		/* one of audit_resource_types */
	const char	*from, *to;	/* local days YYYY-MM-DD, inclusive */
	const char	*tz;		/* their zone and the times shown */
	const char	*before_t;	/* keyset cursor: after this row */
	const char	*before_id;
	int		 full_ip;	/* show IP addresses whole */
	struct valid_result res;	/* the values read and refused */
};

/*
 * Non-zero when the signed-in user manages the session's organization's
 * log (owner or admin there) or is a platform admin: he sees IP
 * addresses whole and may export.
 */
int		 audit_log_manager(const struct ctx *);

/*
 * Read ?action, type, from, to, tz and before into f for organization
 * org.  The zone is the query's when PostgreSQL knows it, else the
 * user's (his schedule's, else UTC); a day range that ends before it
 * starts is refused.  Returns 0, 1 when a value was refused (f->res
 * holds the errors, and the filter must not be used), or -1 when the
 * database failed.
 */
int		 audit_log_filter_read(struct ctx *, struct audit_log_filter *,
		    const char *org, int full_ip);

/*
 * f's filters as a query string ("action=...&tz=..."), then cursor as
 * "before" unless NULL; arena-owned.
 */
const char	*audit_log_query(struct ctx *, const struct audit_log_filter *,
		    const char *cursor);

/* The rows f selects, newest first, at most limit. NULL: the database failed. */
const struct pg_result *audit_log_list(struct ctx *, const struct audit_log_filter *,
		    int limit);

/*
 * Every row f selects, newest first, one at a time (db_each): the export.
 * Returns the number of rows, or -1.
 */
long long	 audit_log_each(struct ctx *, const struct audit_log_filter *,
		    int (*fn)(void *, const struct pg_result *), void *arg);

/*
 * The first max rows of r as a list of entries (time, action and
 * resource labelled in the user's language, who, from where, and the
 * changed values), and in *cursor the "before" value of the last one
 * (NULL when none).  NULL when the database failed.
 */
struct view	*audit_log_entries(struct ctx *, const struct pg_result *r,
		    int max, const char **cursor);

/*
 * One page of the entries f selects (AUDIT_LOG_PAGE, from f's cursor)
 * into v: "entries" and "has_entries", and the links "older_url" (the
 * next page) and "newest_url" (back to the first) to path with f's
 * filters.  Returns 0, or -1 when the database failed.
 */
int		 audit_log_page(struct ctx *, struct view *v,
		    const struct audit_log_filter *, const char *path);

/*
 * The filter form's values, options (actions and resource types
 * labelled, time zones) and errors, into v.  Returns 0, or -1 when the
 * database failed.
 */
int		 audit_log_filter_view(struct ctx *, struct view *v,
		    const struct audit_log_filter *);

#endif
