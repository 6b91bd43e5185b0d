// stack: access to the stack script/test started, and private pools for tests
// that must stop or signal their own eleva master.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const tap = require('./tap');

const SRCDIR = process.env.ELEVA_SRCDIR || path.resolve(__dirname, '..', '..');

// The environment of the running stack, or skip the whole file.
function env() {
	for (const k of ['APP_URL', 'DATABASE_URL', 'ELEVA_PID', 'ELEVA_VAR']) {
		if (!process.env[k]) tap.skipAll(`${k} is not set: run the suite with script/test`);
	}
	return process.env;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// promise's value, or otherwise when it has not settled within ms; the
// timer is cleared either way (a race with sleep() kept node alive until
// the sleep ended, long after the test's last assertion).
function within(promise, ms, otherwise) {
	let timer;
	const late = new Promise((r) => { timer = setTimeout(() => r(otherwise), ms); });
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// HTTP without following redirects; resolves to {status, headers, body}.
async function get(url, opts = {}) {
	const res = await fetch(url, { redirect: 'manual', ...opts });
	const body = opts.method === 'HEAD' ? '' : await res.text();
	return { status: res.status, headers: res.headers, body };
}

// The pids of a process's children.
function children(pid) {
	try {
		return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
			.split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);
	} catch {
		return [];
	}
}

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

async function waitFor(cond, ms, what) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await cond()) return true;
		await sleep(50);
	}
	tap.diag(`timed out waiting for ${what}`);
	return false;
}

// fn's first truthy answer within ms (its last answer, or [], when none:
// logged).  waitFor's twin for a test that needs the value.
async function until(fn, ms, what) {
	const end = Date.now() + ms;
	let v;
	while (Date.now() < end) {
		if ((v = await fn())) return v;
		await sleep(100);
	}
	tap.diag(`timed out waiting for ${what || 'a value'}`);
	return v || [];
}

// A child process's end (its exit code, or the signal that ended it), also
// when it ended before anyone asked: a test killing a child that already
// crashed must go on, not wait for an 'exit' that was emitted already.
function exited(child) {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
	return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
}

// Private pools' directories: removed when the test file passes, kept for
// reading when it fails.
const poolDirs = [];
// Whatever a test started and left running (a failure midway) stops with it.
const spawned = [];
process.on('exit', (code) => {
	for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
	if (code === 0 && !process.exitCode) for (const d of poolDirs) fs.rmSync(d, { recursive: true, force: true });
});

// A private pool (eleva serve) and its own nginx, on a fresh socket and port.
// opts: { args: [...eleva serve flags], databaseUrl, env: {...extra environment},
//         https: configure the pool as if served over https }
async function startPool(opts = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-pool-'));
	fs.chmodSync(dir, 0o755);
	poolDirs.push(dir);
	const sock = path.join(dir, 'eleva.sock');
	const logPath = path.join(dir, 'eleva.log');
	const log = fs.openSync(logPath, 'a');
	const bin = process.env.ELEVA_BIN || path.join(SRCDIR, 'build', 'app', 'eleva');
	const root = os.userInfo().uid === 0;
	const args = ['serve', '--listen', `unix:${sock}`, '--root', SRCDIR,
		...(root ? ['--socket-group', 'www-data', '--user', 'www-data'] : []),
		...(opts.args || [])];
	// The public URL is part of the configuration (cookies, Origin,
	// the sign-in redirect), so the port is chosen first.
	const port = await freePort();
	const master = spawn(bin, args, {
		stdio: ['ignore', log, log],
		env: {
			...process.env,
			APP_BASE_URL: `${opts.https ? 'https' : 'http'}://127.0.0.1:${port}`,
			ELEVA_DEMO_ACCOUNTS: '1',
			...(opts.env || {}),
			DATABASE_URL: opts.databaseUrl || process.env.DATABASE_URL,
		},
	});
	spawned.push(master);
	const exited = new Promise((resolve) => master.on('exit', (code, signal) => resolve({ code, signal })));
	const pool = {
		dir, sock, master, exited, logPath,
		log: () => fs.readFileSync(logPath, 'utf8'),
		workers: () => children(master.pid),
	};
	if (opts.noNginx) return pool;
	await waitFor(() => fs.existsSync(sock) || master.exitCode !== null, 10000, 'the pool socket');
	const front = await startFront([sock], port, dir);
	pool.nginx = front.nginx;
	pool.url = front.url;
	pool.stop = async () => {
		if (master.exitCode === null && master.signalCode === null) master.kill('SIGTERM');
		await Promise.all([exited, front.stop()]);
	};
	return pool;
}

// nginx in front of one or more pools' sockets (one upstream: the
// scale-out shape with several), on port, its state under dir; resolves
// once /ping answers.  { url, nginx, stop() }.
async function startFront(sockets, port, dir) {
	const conf = execFileSync(path.join(SRCDIR, 'script', 'stackctl'),
		['nginx-conf', String(port), sockets.join(' '), dir, process.env.ELEVA_STATIC_ROOT || SRCDIR], { encoding: 'utf8' });
	fs.writeFileSync(path.join(dir, 'nginx', 'nginx.conf'), conf);
	const nginx = spawn('nginx', ['-p', path.join(dir, 'nginx'), '-e', path.join(dir, 'log', 'nginx-error.log'),
		'-c', path.join(dir, 'nginx', 'nginx.conf')], { stdio: 'ignore' });
	spawned.push(nginx);
	const url = `http://127.0.0.1:${port}`;
	await waitFor(async () => {
		try {
			return (await get(`${url}/ping`)).status === 200;
		} catch {
			return false;
		}
	}, 10000, 'nginx and the pool to answer');
	return {
		url,
		nginx,
		stop: async () => {
			if (nginx.exitCode === null) nginx.kill('SIGTERM');
			await waitFor(() => nginx.exitCode !== null || nginx.signalCode !== null, 5000, 'nginx to stop');
		},
	};
}

// Drive load until stop() is called: `concurrency` loops, each sending
// send() (resolving to a status) again as soon as it answers; a status
// other than want, or an error, counts as failed.
function drive(send, concurrency, want) {
	const stats = { ok: 0, failed: 0, statuses: {} };
	let running = true;
	const loops = [];
	for (let i = 0; i < concurrency; i++) {
		loops.push((async () => {
			while (running) {
				try {
					const status = await send();
					stats.statuses[status] = (stats.statuses[status] || 0) + 1;
					if (status === want) stats.ok++;
					else stats.failed++;
				} catch {
					stats.failed++;
				}
			}
		})());
	}
	return {
		stats,
		stop: async () => {
			running = false;
			await Promise.all(loops);
			return stats;
		},
	};
}

// GET load at url: 200 wanted.
function load(url, concurrency) {
	return drive(async () => (await get(url)).status, concurrency, 200);
}

module.exports = { SRCDIR, env, get, sleep, within, children, alive, freePort, waitFor, until, exited, startPool, startFront, load, drive };
