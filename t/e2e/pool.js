// pool: the master under load — crashes, rolling restart, graceful stop, crash loop, recycling.
'use strict';

const tap = require('../lib/tap');
const { env, get, sleep, within, alive, waitFor, startPool, load } = require('../lib/stack');
const { slowProxy } = require('../lib/slowproxy');

const { DATABASE_URL } = env();
const sanitizer = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;
const clean = (pool, what) => tap.unlike(pool.log(), sanitizer, `${what}: no sanitizer report from the pool`);

async function killedWorkerIsReplaced() {
	const pool = await startPool({ args: ['--workers', '3'] });
	try {
		const before = pool.workers();
		tap.is(before.length, 3, 'the pool starts 3 workers');
		const l = load(`${pool.url}/`, 8);
		await sleep(500);
		process.kill(before[0], 'SIGKILL');
		await sleep(1000);
		const stats = await l.stop();
		const after = pool.workers();
		tap.is(after.length, 3, 'a worker killed with SIGKILL is replaced');
		tap.ok(!after.includes(before[0]) && after.some((p) => !before.includes(p)), '... by a new process');
		tap.ok(stats.ok > 50, `the pool kept serving during the crash (${stats.ok} ok)`);
		tap.ok(stats.failed <= 1, `only the request in flight may fail (${stats.failed} failed, ${JSON.stringify(stats.statuses)})`);
		tap.like(pool.log(), new RegExp(`worker ${before[0]} exited on signal 9`), 'the crash is logged with its signal');
	} finally {
		await pool.stop();
	}
	clean(pool, 'SIGKILL');
}

async function sighupReplacesEveryWorker() {
	const pool = await startPool({ args: ['--workers', '3'] });
	try {
		const before = pool.workers();
		const l = load(`${pool.url}/`, 8);
		await sleep(500);
		process.kill(pool.master.pid, 'SIGHUP');
		const done = await waitFor(() => /reload complete/.test(pool.log()), 15000, 'reload complete');
		await sleep(300);
		const stats = await l.stop();
		const after = pool.workers();
		tap.ok(done, 'SIGHUP: the reload completes');
		tap.is(after.length, 3, '... with 3 workers');
		tap.ok(after.every((p) => !before.includes(p)), '... every one of them new');
		tap.is(stats.failed, 0, `... and zero failed requests during it (${stats.ok} ok, ${JSON.stringify(stats.statuses)})`);
	} finally {
		await pool.stop();
	}
	clean(pool, 'SIGHUP');
}

async function sighupTwiceQueues() {
	const pool = await startPool({ args: ['--workers', '3'] });
	try {
		const before = pool.workers();
		// The second arrives while the first reload is under way (two
		// signals sent at once would merge into one, as signals do).
		process.kill(pool.master.pid, 'SIGHUP');
		await waitFor(() => /starting 3 workers of generation 1/.test(pool.log()), 5000, 'the first reload');
		process.kill(pool.master.pid, 'SIGHUP');
		const done = await waitFor(() => /reload complete: every worker is of generation 2/.test(pool.log()), 15000,
			'the second reload');
		tap.ok(done, 'a SIGHUP during a reload: the second reload runs after the first');
		const after = pool.workers();
		tap.is(after.length, 3, '... and the pool keeps its size');
		tap.ok(after.every((p) => !before.includes(p)), '... with new workers only');
		tap.is((await get(`${pool.url}/`)).status, 200, '... serving');
	} finally {
		await pool.stop();
	}
	clean(pool, 'SIGHUP twice');
}

// The socket appears only once it listens: a client connecting the moment
// the path exists (nginx started just after the pool) is never refused.
// Before, bind() made the path and listen() came after chmod and chown.
async function socketListensWhenItAppears() {
	const net = require('node:net');
	const results = [];
	for (let i = 0; i < 5; i++) {
		const pool = await startPool({ args: ['--workers', '1'], noNginx: true });
		try {
			const t0 = Date.now();
			while (!require('node:fs').existsSync(pool.sock) && Date.now() - t0 < 10000) await sleep(1);
			results.push(await new Promise((resolve) => {
				const c = net.connect(pool.sock);
				c.on('connect', () => { c.destroy(); resolve('ok'); });
				c.on('error', (e) => resolve(e.code));
			}));
			const left = require('node:fs').readdirSync(pool.dir).filter((f) => f.startsWith('eleva.sock.'));
			if (left.length) results.push(`temporary ${left.join()}`);
		} finally {
			pool.master.kill('SIGTERM');
			await pool.exited;
		}
	}
	tap.is(results.join(), 'ok,ok,ok,ok,ok', 'the socket accepts a connection the moment its path appears, five starts in a row');
}

async function orphansStop() {
	const pool = await startPool({ args: ['--workers', '2'], noNginx: true });
	await waitFor(() => pool.workers().length === 2, 10000, 'two workers');
	const workers = pool.workers();
	process.kill(pool.master.pid, 'SIGKILL');
	await pool.exited;
	const gone = await waitFor(() => workers.every((p) => !alive(p)), 10000, 'orphaned workers to exit');
	tap.ok(gone, 'workers exit when their master is killed: no orphans serving old code');
}

async function sigtermFinishesInFlight() {
	// A slow network to the database keeps a /healthz request in flight.
	const pgPort = Number(new URL(DATABASE_URL).port);
	const proxy = await slowProxy(pgPort);
	const url = new URL(DATABASE_URL);
	url.port = String(proxy.port);
	const pool = await startPool({ args: ['--workers', '2', '--stop-timeout', '10'], databaseUrl: url.toString() });
	try {
		tap.is((await get(`${pool.url}/healthz`)).status, 200, 'the pool answers through the slow proxy');
		proxy.delay = 1500;
		const inflight = get(`${pool.url}/healthz`);
		await sleep(400);
		const t0 = Date.now();
		process.kill(pool.master.pid, 'SIGTERM');
		const r = await inflight;
		tap.is(r.status, 200, 'SIGTERM: the request in flight finishes with 200');
		const exit = await pool.exited;
		tap.is(exit.code, 0, '... and the master exits 0');
		tap.ok(Date.now() - t0 < 9000, '... without waiting for the kill timeout');
		tap.like(pool.log(), /stopping \(Terminated\)[\s\S]*stopped/, '... logging the stop');
	} finally {
		proxy.delay = 0;
		await pool.stop();
		await proxy.close();
	}
	clean(pool, 'SIGTERM');

	// The same with a stop timeout shorter than the request: escalation.
	const proxy2 = await slowProxy(pgPort);
	url.port = String(proxy2.port);
	const pool2 = await startPool({ args: ['--workers', '1', '--stop-timeout', '1'], databaseUrl: url.toString() });
	try {
		await get(`${pool2.url}/healthz`);
		proxy2.delay = 5000;
		const inflight = get(`${pool2.url}/healthz`);
		await sleep(300);
		process.kill(pool2.master.pid, 'SIGQUIT');
		const exit = await pool2.exited;
		tap.is(exit.code, 0, 'SIGQUIT with a stuck request: the master still exits 0');
		tap.like(pool2.log(), /stop timeout: killing 1 worker/, '... after killing the stuck worker');
		const r = await inflight;
		tap.ok(r.status >= 500, `... and the stuck request fails (${r.status})`);
	} finally {
		await pool2.stop();
		await proxy2.close();
	}
}

async function crashLoopGivesUp() {
	const pool = await startPool({
		args: ['--workers', '2', '--user', 'no-such-user-eleva', '--crash-limit', '4', '--crash-window', '30'],
		noNginx: true,
	});
	const result = await within(pool.exited, 15000, null);
	tap.ok(result !== null, 'workers that die at start make the master give up');
	tap.ok(result && result.code !== 0, `... with a non-zero exit (${result && result.code})`);
	tap.like(pool.log(), /no such user "no-such-user-eleva"/, '... the workers say why');
	tap.like(pool.log(), /workers crashed 4 times within 30 s: giving up/, '... and the master says it gives up');
	if (result === null) pool.master.kill('SIGKILL');
}

async function maxRequestsRecycles() {
	const pool = await startPool({ args: ['--workers', '2', '--max-requests', '20'] });
	try {
		const before = pool.workers();
		let bad = 0;
		for (let i = 0; i < 120; i++) if ((await get(`${pool.url}/ping`)).status !== 200) bad++;
		tap.is(bad, 0, '--max-requests: 120 requests, none failed');
		tap.like(pool.log(), /recycling after 2\d requests/, '... workers recycle after about 20 requests');
		// A recycling worker leaves once nginx closes its kept-alive
		// connection (within nginx's upstream keepalive_time, 10 s).
		tap.ok(await waitFor(() => pool.workers().some((p) => !before.includes(p)), 15000, 'a new worker'),
			'... and are replaced');
		tap.ok(await waitFor(() => pool.workers().length === 2, 5000, 'two workers'), '... keeping the pool size');
	} finally {
		await pool.stop();
	}
	clean(pool, '--max-requests');
}

async function refusesBadConfig() {
	const pool = await startPool({ args: ['--workers', 'many'], noNginx: true });
	const exit = await pool.exited;
	tap.ok(exit.code !== 0, 'a bad --workers value: non-zero exit');
	tap.like(pool.log(), /ELEVA_WORKERS: "many" is not a number/, '... naming the setting');
	tap.ok(!alive(pool.master.pid), '... and nothing keeps running');
}

tap.run(async () => {
	await killedWorkerIsReplaced();
	await sighupReplacesEveryWorker();
	await sighupTwiceQueues();
	await orphansStop();
	await sigtermFinishesInFlight();
	await crashLoopGivesUp();
	await maxRequestsRecycles();
	await refusesBadConfig();
	await socketListensWhenItAppears();
});
