// t/bench/soak.js RATE MINUTES: the soak, run by script/soak against its
// stack (APP_URL, SOAK_COOKIE, SOAK_BOOKING, ELEVA_PID set): RATE requests
// a second for MINUTES minutes, half the signed-in GET /dashboard, half the
// booking page, paced (not as fast as answers come), on at most 64
// kept-alive connections.  A line a minute: requests, errors, the rate
// reached, p50 and p99 latency, and each worker's resident memory (ps);
// then the verdict: errors, and each worker's growth from the first minute
// to the last.  Exits 1 on any error.
'use strict';

const http = require('node:http');
const { execFileSync } = require('node:child_process');

// t/bench/soak.js --peak SECONDS: instead, as many requests as are
// answered, on 16 connections, for SECONDS: prints the rate reached (the
// peak as this generator, which shares the machine, can drive it).
const PEAK = process.argv[2] === '--peak' ? Number(process.argv[3] || 10) : 0;
const RATE = Number(process.argv[2]);
const MINUTES = Number(process.argv[3] || 10);
const url = new URL(process.env.APP_URL);
const targets = [
	{ path: '/dashboard', headers: { cookie: process.env.SOAK_COOKIE } },
	{ path: process.env.SOAK_BOOKING, headers: {} },
];
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

let inflight = 0;
let minute = { n: 0, errors: 0, lat: [], statuses: {} };
let total = { n: 0, errors: 0, skipped: 0 };

function one(i) {
	const t = targets[i % 2];
	const t0 = process.hrtime.bigint();
	inflight++;
	const req = http.get({ host: url.hostname, port: url.port, path: t.path, headers: t.headers, agent }, (res) => {
		// As a browser: the session cookie the answers set is kept (a
		// refreshed access token, the last-seen time).
		for (const c of res.headers['set-cookie'] || []) {
			if (c.startsWith('eleva_session=') && !/max-age=0/i.test(c)) t.headers.cookie = c.replace(/;.*/, '');
		}
		res.resume();
		res.on('end', () => {
			inflight--;
			minute.lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
			minute.n++;
			total.n++;
			if (res.statusCode !== 200) {
				minute.errors++;
				total.errors++;
				minute.statuses[res.statusCode] = (minute.statuses[res.statusCode] || 0) + 1;
			}
		});
	});
	req.on('error', (e) => {
		inflight--;
		minute.n++;
		total.n++;
		minute.errors++;
		total.errors++;
		minute.statuses[e.code || 'error'] = (minute.statuses[e.code || 'error'] || 0) + 1;
	});
}

// Each worker's pid and resident memory (kB).
function workers() {
	const pids = execFileSync('pgrep', ['-P', process.env.ELEVA_PID], { encoding: 'utf8' }).trim().split('\n');
	const out = {};
	for (const pid of pids) {
		try {
			out[pid] = Number(execFileSync('ps', ['-o', 'rss=', '-p', pid], { encoding: 'utf8' }).trim());
		} catch {
			out[pid] = NaN;
		}
	}
	return out;
}

if (PEAK) {
	// Closed loop: each of 16 connections sends again when answered.
	let answered = 0;
	let running = true;
	const loop = (i) => new Promise((resolve) => {
		const next = () => {
			if (!running) return resolve();
			const t = targets[i % 2];
			http.get({ host: url.hostname, port: url.port, path: t.path, headers: t.headers, agent }, (res) => {
				res.resume();
				res.on('end', () => {
					answered++;
					next();
				});
			}).on('error', next);
		};
		next();
	});
	const loops = Array.from({ length: 16 }, (_, i) => loop(i));
	setTimeout(async () => {
		running = false;
		await Promise.all(loops);
		console.log((answered / PEAK).toFixed(0));
		agent.destroy();
		process.exit(0);
	}, PEAK * 1000);
	return;
}

const pct = (a, p) => (a.length ? a[Math.min(a.length - 1, Math.floor(a.length * p))] : NaN);
const rss = [];
let sent = 0;
const start = Date.now();
const TICK = 10;	// ms: RATE / 100 requests every 10 ms
const timer = setInterval(() => {
	const due = Math.floor(((Date.now() - start) / 1000) * RATE);
	while (sent < due) {
		// Beyond 512 unanswered the pool is not keeping up: count, skip.
		if (inflight >= 512) total.skipped++;
		else one(sent);
		sent++;
	}
}, TICK);

console.log(`soak: ${RATE} requests/s (half /dashboard signed in, half ${process.env.SOAK_BOOKING}) for ${MINUTES} minutes`);
console.log('minute  requests  errors  req/s    p50 ms  p99 ms  worker RSS kB');
let m = 0;
const perMinute = setInterval(() => {
	m++;
	const lat = minute.lat.sort((a, b) => a - b);
	const w = workers();
	rss.push(w);
	console.log(`${String(m).padStart(6)}  ${String(minute.n).padStart(8)}  ${String(minute.errors).padStart(6)}  ${(minute.n / 60).toFixed(0).padStart(5)}  ${pct(lat, 0.5).toFixed(2).padStart(8)}  ${pct(lat, 0.99).toFixed(2).padStart(6)}  ${Object.values(w).join(' ')}${minute.errors ? `  ${JSON.stringify(minute.statuses)}` : ''}`);
	minute = { n: 0, errors: 0, lat: [], statuses: {} };
	if (m >= MINUTES) {
		clearInterval(timer);
		clearInterval(perMinute);
		setTimeout(() => {
			const first = rss[0];
			const last = rss[rss.length - 1];
			const growth = Object.keys(last).map((pid) => (pid in first ? `${pid}: ${last[pid] - first[pid]} kB` : `${pid}: new`));
			console.log(`soak: ${total.n} requests, ${total.errors} errors, ${total.skipped} not sent (the pool behind)`);
			console.log(`soak: each worker's RSS from minute 1 to minute ${m}: ${growth.join(', ')}`);
			agent.destroy();
			process.exit(total.errors || total.skipped ? 1 : 0);
		}, 2000);
	}
}, 60000);
