/* rate: take an attempt from a rate limit kept in the database. */
#include <stdio.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/rate.h"
#include "core/sql.h"
#include "core/tx.h"

int
rate_take(struct ctx *c, const char *key, int limit, int window_s)
{
	const struct pg_result *r;
	const char *p[3];
	char lbuf[16], wbuf[16];

	if (limit <= 0)
		return 0;
	snprintf(lbuf, sizeof(lbuf), "%d", limit);
	snprintf(wbuf, sizeof(wbuf), "%d", window_s);
	p[0] = key;
	p[1] = lbuf;
	p[2] = wbuf;
	if ((r = tx_once(c, SQL_RATE_TAKE, p)) == NULL)
		return -1;
	return (int)db_int(r, 0, 0);
}
