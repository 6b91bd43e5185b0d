// health: /healthz follows PostgreSQL down and up again without restarting the pool.
'use strict';

const path = require('node:path');
const { execFileSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, get, children, waitFor, SRCDIR } = require('../lib/stack');

const { APP_URL, ELEVA_PID } = env();
const stackctl = (cmd) => execFileSync(path.join(SRCDIR, 'script', 'stackctl'), [cmd], { stdio: ['ignore', 'ignore', 'inherit'] });

// Enough requests to reach every worker more than once.
async function statuses(n) {
	const out = [];
	for (let i = 0; i < n; i++) out.push((await get(`${APP_URL}/healthz`)).status);
	return out;
}

tap.run(async () => {
	const workersBefore = children(Number(ELEVA_PID));
	tap.ok(workersBefore.length > 0, `the pool has workers (${workersBefore.length})`);

	let r = await get(`${APP_URL}/healthz`);
	tap.is(r.status, 200, '/healthz is 200 while PostgreSQL runs');
	tap.like(r.headers.get('content-type'), /^application\/json/, '... as JSON');
	tap.is(r.body, '{"status":"ok","database":"up"}\n', '... saying the database is up');

	stackctl('pg-stop');
	try {
		const down = await statuses(4 * workersBefore.length);
		tap.ok(down.every((s) => s === 503), `every answer is 503 while PostgreSQL is stopped (${down.join(',')})`);
		r = await get(`${APP_URL}/healthz`);
		tap.is(r.body, '{"status":"unavailable","database":"down"}\n', '... saying the database is down');
		r = await get(`${APP_URL}/`);
		tap.is(r.status, 200, 'the landing page still works without the database');
		tap.like(r.body, /id="experts-away"/, '... saying its list of experts cannot be shown now');
	} finally {
		stackctl('pg-start');
	}
	tap.ok(await waitFor(async () => (await get(`${APP_URL}/healthz`)).status === 200, 20000, 'healthz 200'),
		'/healthz is 200 again after PostgreSQL restarts');
	const up = await statuses(4 * workersBefore.length);
	tap.ok(up.every((s) => s === 200), `every worker reconnected by itself (${up.join(',')})`);
	tap.is(children(Number(ELEVA_PID)).join(','), workersBefore.join(','), 'the same workers served throughout: no pool restart');
});
