/* lease: take, wait for and release the database's leases (sql/0011_leases.sql). */
#include <stdio.h>
#include <time.h>

#include "lib/log.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/lease.h"
#include "core/req.h"
#include "core/sql.h"
#include "core/tx.h"

int
lease_try(struct ctx *c, const char *key, int ms)
{
	const struct pg_result *r;
	const char *p[3];
	char msbuf[16];

	snprintf(msbuf, sizeof(msbuf), "%d", ms);
	p[0] = key;
	p[1] = c->req->request_id;
	p[2] = msbuf;
	if ((r = tx_once(c, SQL_LEASE_TAKE, p)) == NULL)
		return -1;
	return db_bool(r, 0, 0);
}

void
lease_pause(void)
{
	struct timespec ts = { 0, LEASE_STEP_MS * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

int
lease_wait(struct ctx *c, const char *key, int ms, int wait_ms)
{
	int waited, got;

	for (waited = 0; ; waited += LEASE_STEP_MS) {
		if ((got = lease_try(c, key, ms)) != 0)
			return got;
		if (waited >= wait_ms)
			return 0;
		lease_pause();
	}
}

void
lease_release(struct ctx *c, const char *key)
{
	const char *p[2];

	p[0] = key;
	p[1] = c->req->request_id;
	if (tx_once(c, SQL_LEASE_RELEASE, p) == NULL)
		log_warn("lease: %s not released (it runs out by itself)",
		    key);
}
