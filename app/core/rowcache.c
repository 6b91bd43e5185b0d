/* rowcache: a worker's copy of a few query results for some seconds — what every visitor sees alike (the home page's experts). */
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/rowcache.h"

/* Keys kept at once: the pages and areas people look at most. */
#define ROWCACHE_SLOTS	32

struct rowcache_slot {
	char			*key;
	time_t			 at;
	struct rowcache_rows	 rows;
	void			*mem;	/* the cells and their strings */
};

static struct rowcache_slot rowcache_slots[ROWCACHE_SLOTS];

static void
rowcache_drop(struct rowcache_slot *s)
{
	free(s->key);
	free(s->mem);
	memset(s, 0, sizeof(*s));
}

const struct rowcache_rows *
rowcache_get(const char *key, time_t now, int ttl)
{
	size_t i;

	for (i = 0; i < ROWCACHE_SLOTS; i++)
		if (rowcache_slots[i].key != NULL &&
		    strcmp(rowcache_slots[i].key, key) == 0)
			return now - rowcache_slots[i].at < ttl &&
			    now >= rowcache_slots[i].at ?
			    &rowcache_slots[i].rows : NULL;
	return NULL;
}

const struct rowcache_rows *
rowcache_put(const char *key, time_t now, const struct pg_result *const *r,
    size_t n)
{
	struct rowcache_slot *s = NULL, fresh;
	size_t i, k, cells = 0, bytes = 0;
	const char **cell;
	char *text;
	int row, col;

	if (n > ROWCACHE_RESULTS)
		return NULL;
	/* One allocation: the cell pointers, then every string. */
	for (k = 0; k < n; k++) {
		cells += (size_t)db_rows(r[k]) * (size_t)db_cols(r[k]);
		for (row = 0; row < db_rows(r[k]); row++)
			for (col = 0; col < db_cols(r[k]); col++)
				if (db_opt(r[k], row, col) != NULL)
					bytes += strlen(db_val(r[k], row,
					    col)) + 1;
	}
	memset(&fresh, 0, sizeof(fresh));
	if ((fresh.key = strdup(key)) == NULL ||
	    (fresh.mem = malloc(cells * sizeof(char *) + bytes + 1)) == NULL) {
		free(fresh.key);
		return NULL;
	}
	cell = fresh.mem;
	text = (char *)(cell + cells);
	fresh.at = now;
	fresh.rows.n = n;
	for (k = 0; k < n; k++) {
		struct rowcache_result *c = &fresh.rows.res[k];

		c->rows = db_rows(r[k]);
		c->cols = db_cols(r[k]);
		c->cells = cell;
		for (row = 0; row < c->rows; row++)
			for (col = 0; col < c->cols; col++) {
				const char *v = db_opt(r[k], row, col);

				if (v == NULL) {
					*cell++ = NULL;
					continue;
				}
				*cell++ = text;
				memcpy(text, v, strlen(v) + 1);
				text += strlen(v) + 1;
			}
	}
	/* The same key's slot, else an empty one, else the oldest. */
	for (i = 0; i < ROWCACHE_SLOTS && s == NULL; i++)
		if (rowcache_slots[i].key != NULL &&
		    strcmp(rowcache_slots[i].key, key) == 0)
			s = &rowcache_slots[i];
	for (i = 0; i < ROWCACHE_SLOTS && s == NULL; i++)
		if (rowcache_slots[i].key == NULL)
			s = &rowcache_slots[i];
	if (s == NULL) {
		s = &rowcache_slots[0];
		for (i = 1; i < ROWCACHE_SLOTS; i++)
			if (rowcache_slots[i].at < s->at)
				s = &rowcache_slots[i];
	}
	rowcache_drop(s);
	*s = fresh;
	return &s->rows;
}

void
rowcache_clear(void)
{
	size_t i;

	for (i = 0; i < ROWCACHE_SLOTS; i++)
		rowcache_drop(&rowcache_slots[i]);
}
