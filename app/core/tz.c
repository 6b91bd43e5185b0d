/* tz: PostgreSQL's time zone names, cached per worker for validation and select lists. */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "core/db.h"
#include "core/sql.h"
#include "core/tz.h"

static int
tz_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

const struct tz_list *
tz_names(struct tz_list **cache, struct db *db, struct arena *a)
{
	struct tz_list *l;
	struct pg_result *r;
	int i, n;

	if (*cache != NULL)
		return *cache;
	if ((r = db_run(db, a, SQL_TIMEZONES, NULL)) == NULL)
		return NULL;
	n = db_rows(r);
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->names = calloc((size_t)n + 1, sizeof(char *))) == NULL) {
		free(l);
		log_error("tz: out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++)
		if ((l->names[l->n] = strdup(db_val(r, i, 0))) != NULL)
			l->n++;
	qsort(l->names, l->n, sizeof(char *), tz_cmp);
	*cache = l;
	return l;
}

int
tz_known(const struct tz_list *l, const char *name)
{
	if (l == NULL || name == NULL)
		return 0;
	return bsearch(&name, l->names, l->n, sizeof(char *), tz_cmp) != NULL;
}

void
tz_free(struct tz_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l);
}
