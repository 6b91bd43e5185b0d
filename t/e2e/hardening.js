// hardening: the findings of the attack run (issue 13), one test each,
// named after the finding, reproducing the attack against the real stack.
'use strict';

const crypto = require('node:crypto');
const net = require('node:net');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const tap = require('../lib/tap');
const { env, startPool, sleep, within, waitFor } = require('../lib/stack');
const workosproxy = require('../lib/workosproxy');
const { Jar, request, csrfOf, signIn, workos, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail, book } = require('../lib/booking');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

// One HTTP/1.1 request written byte for byte (fetch refuses header bytes
// that are not Latin-1 text); a form body makes it a POST.  Resolves to
// { status, head, body }.
function raw(path, headers, body) {
	const u = new URL(APP_URL);
	return new Promise((resolve, reject) => {
		const s = net.connect(Number(u.port || 80), u.hostname);
		const chunks = [];
		s.on('data', (d) => chunks.push(d));
		s.on('error', reject);
		s.on('end', () => {
			const text = Buffer.concat(chunks).toString('latin1');
			const [head, ...rest] = text.split('\r\n\r\n');
			resolve({ status: Number((/^HTTP\/1\.1 (\d+)/.exec(head) || [])[1]), head, body: rest.join('\r\n\r\n') });
		});
		const method = body === undefined ? 'GET' : 'POST';
		const out = [Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n`)];
		if (body !== undefined) {
			out.push(Buffer.from('Content-Type: application/x-www-form-urlencoded\r\n'));
			out.push(Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n`));
		}
		for (const [k, v] of Object.entries(headers)) out.push(Buffer.concat([Buffer.from(`${k}: `), v, Buffer.from('\r\n')]));
		out.push(Buffer.from('\r\n'));
		if (body !== undefined) out.push(Buffer.from(body));
		// write, not end: nginx takes a half-closed connection for a client gone
		s.write(Buffer.concat(out));
	});
}

// 4. A hung WorkOS starved the pool: signed-in pages answered after 24.5
// to 35 s (three attempts of 8 s), every worker stuck in turn.  Now one
// request spends at most WORKOS_BUDGET_MS on WorkOS, and after three
// failures in a row the pool stops calling for 10 s (503, Retry-After).
async function hungWorkos() {
	const FREEZE = 30000;
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '1'], env: { WORKOS_API_BASE: proxy.url,
		WORKOS_TIMEOUT_MS: '8000', WORKOS_RETRIES: '2', WORKOS_BUDGET_MS: '1500' } });
	try {
		const u = await newUser('Hana', 'Hung');
		proxy.shortTokens(-5, 5);
		const s = [];
		for (let i = 0; i < 5; i++) s.push(await signIn(pool.url, u.email));
		tap.is(s.map((x) => x.callback && x.callback.status).join(), '303,303,303,303,303',
			'hung_workos: five sessions whose tokens need a refresh');
		await sleep(6500);
		const expert = await publishedExpert({ first: 'Helga' });
		proxy.fail('POST', '/user_management/authenticate', { mode: 'slow', ms: FREEZE, count: 10 });
		const before = proxy.count('POST', '/user_management/authenticate');
		for (let i = 0; i < 3; i++) {
			const t0 = Date.now();
			const r = await request(`${pool.url}/dashboard`, s[i].jar);
			const took = Date.now() - t0;
			tap.is(r.status, 503, `hung_workos: request ${i + 1} with WorkOS frozen → 503`);
			tap.ok(took < FREEZE / 3, `hung_workos: ... answered while WorkOS was still frozen (the request's budget, not ${FREEZE / 1000} s: ${took} ms)`);
			tap.ok(Number(r.headers.get('retry-after')) >= 5, '... with Retry-After');
			tap.ok(s[i].jar.get('eleva_session') !== undefined, '... keeping the session');
		}
		tap.is(proxy.count('POST', '/user_management/authenticate'), before + 3,
			'hung_workos: one attempt each (no retries of a single-use refresh, none past the budget)');
		let r = await request(`${pool.url}/dashboard`, s[3].jar);
		tap.is(r.status, 503, 'hung_workos: after three failures in a row the pool fails fast');
		tap.is(proxy.count('POST', '/user_management/authenticate'), before + 3, '... without calling WorkOS');
		tap.ok(Number(r.headers.get('retry-after')) >= 5, '... and says when to come back');
		r = await request(`${pool.url}/${expert.handle}`, null);
		tap.is(r.status, 200, 'hung_workos: the public pages are served meanwhile');
		tap.like(pool.log(), /3 failures in a row: calls fail at once/, 'hung_workos: the breaker opening is logged');
		proxy.clearFaults();
		await sleep(10500);
		r = await request(`${pool.url}/dashboard`, s[4].jar);
		tap.is(r.status, 200, 'hung_workos: WorkOS back and the breaker closed: the next refresh works');
	} finally {
		await pool.stop();
		await proxy.close();
	}
}

// 3. Refresh race: WorkOS's refresh tokens are single use, so of five
// parallel requests of one browser after the access token expired one got
// 200 and four were signed out.  Now one refreshes and the others take its
// result.
async function refreshRace() {
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '4'], env: { WORKOS_API_BASE: proxy.url } });
	try {
		const u = await newUser('Rita', 'Race');
		proxy.shortTokens(-5, 1);
		const s = await signIn(pool.url, u.email);
		tap.is(s.callback && s.callback.status, 303, 'refresh_race: signed in with a token about to expire');
		await sleep(6500);
		const n = proxy.count('POST', '/user_management/authenticate');
		const jars = Array.from({ length: 5 }, () => s.jar.clone());
		const rs = await Promise.all(jars.map((j) => request(`${pool.url}/dashboard`, j)));
		tap.is(rs.map((r) => r.status).join(), '200,200,200,200,200',
			'refresh_race: five parallel requests of one browser after expiry: five 200s, nobody signed out');
		tap.is(proxy.count('POST', '/user_management/authenticate'), n + 1, 'refresh_race: ... one refresh at WorkOS');
		tap.ok(jars.every((j) => j.get('eleva_session') && j.get('eleva_session') !== s.jar.get('eleva_session')),
			'refresh_race: ... each answer reissues the cookie');
		const again = await Promise.all(jars.map((j) => request(`${pool.url}/dashboard`, j)));
		tap.is(again.map((r) => r.status).join(), '200,200,200,200,200', 'refresh_race: every reissued cookie works');
		const late = await request(`${pool.url}/dashboard`, s.jar.clone());
		tap.is(late.status, 200, 'refresh_race: a tab still sending the cookie from before the refresh: 200');
		tap.is(proxy.count('POST', '/user_management/authenticate'), n + 1, 'refresh_race: ... and still one refresh at WorkOS');
		tap.is(sql(`SELECT count(*) || ' ' || count(*) FILTER (WHERE ip_address IS NOT NULL AND user_agent IS NOT NULL
			AND request_id IS NOT NULL AND org_id IS NOT NULL) FROM audit_logs
			WHERE workos_user_id = ${lit(u.id)} AND action = 'SESSION_REFRESHED'`), '1 1',
			'refresh_race: ... audited once, as SESSION_REFRESHED, with its organization, address, browser and request');

		// WorkOS refuses a refresh: signed out, and audited so.
		proxy.shortTokens(-5, 1);
		const s2 = await signIn(pool.url, u.email);
		await sleep(6500);
		proxy.fail('POST', '/user_management/authenticate', { status: 400,
			body: { error: 'invalid_grant', error_description: 'Session has already ended.' } });
		const refused = await request(`${pool.url}/dashboard`, s2.jar);
		tap.is(`${refused.status} ${(refused.location || '').replace(/\?.*/, '')}`, '303 /sign-in',
			'refresh_race: a refresh WorkOS refuses signs out');
		tap.is(sql(`SELECT metadata->>'reason' FROM audit_logs WHERE workos_user_id = ${lit(u.id)}
			AND action = 'SESSION_REFRESH_REFUSED'`), 'refresh_token', '... audited as SESSION_REFRESH_REFUSED');
	} finally {
		await pool.stop();
		await proxy.close();
	}
}

// 4, the rest: no transaction open across a WorkOS call.  The booking POST
// held its write transaction (and an advisory lock) while WorkOS
// registered the guest; with WorkOS slow, that was an idle transaction.
async function noTxAcrossWorkos() {
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '2'], env: { WORKOS_API_BASE: proxy.url } });
	// Other sessions' state is shown to a superuser only: the stack's, over
	// its socket (t/unit/admin_stats_test does the same).
	const db = new URL(process.env.DATABASE_URL);
	const pgPort = process.env.PG_PORT || db.port;
	const idleInTx = () => {
		const r = spawnSync('psql', [`host=${process.env.PG_SOCKET_DIR} port=${pgPort} dbname=${db.pathname.slice(1)} user=postgres`,
			'-X', '-q', '-At', '-c', `SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'
			AND state_change < now() - interval '300 milliseconds'
			AND datname = current_database() AND pid <> pg_backend_pid()`], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`psql as postgres: ${r.stderr}`);
		return Number(r.stdout.trim());
	};
	tap.is(idleInTx(), 0, 'no_tx_across_workos: the superuser sees every session (none idle in a transaction for long now)');
	try {
		const expert = await publishedExpert({ first: 'Tessa' });
		const slug = Object.keys(expert.events)[0];
		const page = await request(`${pool.url}/${expert.handle}/${slug}`, null);
		const start = startsOf(page.body)[3];
		proxy.fail('GET', '/user_management/users', { mode: 'slow', ms: 2500 });
		let done = false;
		const booking = book(pool.url, expert, slug, { name: 'Tomas Tx', email: guestEmail('tx'), start })
			.finally(() => { done = true; });
		let most = 0;
		let samples = 0;
		while (!done) {
			most = Math.max(most, idleInTx());
			samples++;
			await sleep(100);
		}
		const { r } = await booking;
		tap.is(r.status, 200, 'no_tx_across_workos: a booking while WorkOS is slow still books');
		tap.ok(samples >= 10, `no_tx_across_workos: ... watched ${samples} times while WorkOS answered`);
		tap.is(most, 0, 'no_tx_across_workos: ... and no transaction sat open meanwhile');
		const sec = await signIn(pool.url, (await newUser('Tove', 'Tx')).email);
		proxy.fail('GET', '/user_management/users/', { mode: 'slow', ms: 2500 });
		done = false;
		most = 0;
		const securityPage = request(`${pool.url}/settings/security`, sec.jar).finally(() => { done = true; });
		while (!done) {
			most = Math.max(most, idleInTx());
			await sleep(100);
		}
		tap.is((await securityPage).status, 200, 'no_tx_across_workos: the security page while WorkOS is slow');
		tap.is(most, 0, 'no_tx_across_workos: ... holds no transaction open meanwhile');
	} finally {
		await pool.stop();
		await proxy.close();
	}
}

// 2. A user with several WorkOS memberships was locked out: production
// answers the code exchange with 403 organization_selection_required, and
// the app showed 400 on every sign-in.  Now it finishes through the
// organization-selection grant, in the personal organization.
async function severalMemberships() {
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '2'], env: { WORKOS_API_BASE: proxy.url } });
	try {
		const u = await newUser('Mia', 'Multi');
		let s = await signIn(pool.url, u.email);
		tap.is(s.callback && s.callback.status, 303, 'several_memberships: a first sign-in makes the personal organization');
		const other = await workos('POST', '/organizations', { name: `Clinic ${Date.now()}` });
		const m = await workos('POST', '/user_management/organization_memberships',
			{ user_id: u.id, organization_id: other.json.id, role_slug: 'member' });
		tap.is(m.status, 201, 'several_memberships: ... and another organization takes her in');
		proxy.orgSelection(true);
		const personal = (await workos('GET', `/organizations?limit=100`)).json.data
			.find((o) => o.external_id === `eleva-user-${u.id}`);
		s = await signIn(pool.url, u.email);
		tap.is(`${s.callback && s.callback.status} ${s.callback && s.callback.location}`, '303 /dashboard',
			'several_memberships: AuthKit sign-in with two memberships → 303 to the dashboard (was 400)');
		let r = await request(`${pool.url}/dashboard`, s.jar);
		tap.is(r.status, 200, 'several_memberships: ... and the dashboard opens');
		tap.like(r.body, /Mia&#39;s Account/, 'several_memberships: ... in her personal organization');
		tap.like(pool.log(), new RegExp(`a member of 2 organizations: signing in to ${personal.id}`),
			'several_memberships: the personal organization is the one chosen at WorkOS');

		const jar = new Jar();
		r = await request(`${pool.url}/sign-in/code`, jar);
		const token = csrfOf(r.body);
		r = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: token, email: u.email } });
		const code = proxy.magicCode(u.email);
		r = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: token, email: u.email, code } });
		tap.is(`${r.status} ${r.location}`, '303 /dashboard',
			'several_memberships: a sign-in code with two memberships signs in too');
		r = await request(`${pool.url}/dashboard`, jar);
		tap.is(r.status, 200, 'several_memberships: ... and the dashboard opens');
	} finally {
		await pool.stop();
		await proxy.close();
	}
}

// wrk with args: resolves to { n requests, bad (non-2xx/3xx), sock (socket
// errors), rps, max latency as wrk prints it }.
function wrk(args) {
	return new Promise((resolve) => {
		const p = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		p.stdout.on('data', (d) => { out += d; });
		p.on('exit', () => {
			const sock = /Socket errors: ([^\n]*)/.exec(out);
			resolve({
				n: Number((/(\d+) requests in/.exec(out) || [])[1] || 0),
				bad: Number((/Non-2xx or 3xx responses: (\d+)/.exec(out) || [])[1] || 0),
				sock: sock ? sock[1] : 'none',
				rps: Number((/Requests\/sec:\s+([\d.]+)/.exec(out) || [])[1] || 0),
				max: (/Latency\s+\S+\s+\S+\s+(\S+)/.exec(out) || [])[1] || '?',
			});
		});
	});
}

// 4, under load: with WorkOS frozen the public booking page fell from
// 1,920 to 380 req/s with 23.9 s maxima, every worker stuck in turn on a
// signed-in request's refresh.  The figures now, with the production
// budget (4 s) and 4 workers: the booking page alone, then beside 8
// signed-in browsers whose tokens need a refresh while WorkOS hangs.
async function hungWorkosUnderLoad() {
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '4', '--log-level', 'warn'], env: { WORKOS_API_BASE: proxy.url } });
	try {
		const expert = await publishedExpert({ first: 'Lena' });
		const page = `${pool.url}/${expert.handle}/consultation`;
		const u = await newUser('Lars', 'Load');
		proxy.shortTokens(-5, 8);
		const jars = [];
		for (let i = 0; i < 8; i++) jars.push((await signIn(pool.url, u.email)).jar);
		await sleep(6500);
		const calm = await wrk(['-t1', '-c8', '-d5s', '--latency', page]);
		proxy.fail('POST', '/user_management/authenticate', { mode: 'slow', ms: 60000, count: 1000 });
		let running = true;
		const signedIn = { n: 0, statuses: {}, ms: [] };
		const loops = jars.map(async (jar) => {
			while (running) {
				const t0 = Date.now();
				const r = await request(`${pool.url}/dashboard`, jar.clone()).catch(() => ({ status: 'error' }));
				signedIn.ms.push(Date.now() - t0);
				signedIn.n++;
				signedIn.statuses[r.status] = (signedIn.statuses[r.status] || 0) + 1;
			}
		});
		const frozen = await wrk(['-t1', '-c8', '-d5s', '--latency', page]);
		running = false;
		await Promise.all(loops);
		proxy.clearFaults();
		tap.diag(`hung_workos_under_load: booking page alone ${calm.rps} req/s (max ${calm.max}); ` +
			`with WorkOS frozen and 8 signed-in browsers refreshing ${frozen.rps} req/s (max ${frozen.max}); ` +
			`signed-in answers meanwhile ${JSON.stringify(signedIn.statuses)}, ` +
			`took ${Math.min(...signedIn.ms)}..${Math.max(...signedIn.ms)} ms ` +
			`(median ${signedIn.ms.sort((a, b) => a - b)[signedIn.ms.length >> 1]} ms)`);
		tap.ok(calm.n > 0 && calm.bad === 0, `hung_workos_under_load: the booking page alone: ${calm.rps} req/s, all 200`);
		tap.ok(frozen.n > 0 && frozen.bad === 0,
			`hung_workos_under_load: with WorkOS frozen beside signed-in refreshes: ${frozen.rps} req/s, all 200 ` +
			`(max ${frozen.max}; socket errors: ${frozen.sock})`);
		tap.ok(signedIn.n > 8 && Object.keys(signedIn.statuses).every((st) => st === '503'),
			`hung_workos_under_load: the signed-in requests got 503 meanwhile (${signedIn.n} of them), none hung past the run`);
	} finally {
		await pool.stop();
		await proxy.close();
	}
}

// 5. SIGHUP dropped POSTs: a leaving worker closed a kept-alive nginx
// connection that a request had just been sent on, and nginx, which does
// not resend a POST, answered 502.  Twenty reloads under GET and POST load.
async function reloadUnderLoad() {
	const pool = await startPool({ args: ['--workers', '4'] });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-wrk-'));
	try {
		const u = await newUser('Rolf', 'Reload');
		const s = await signIn(pool.url, u.email);
		const csrf = csrfOf((await request(`${pool.url}/settings/security`, s.jar)).body);
		// wrk, as in the attack run: POSTs of the security form at 12
		// connections, and GETs of / beside them.
		const lua = path.join(dir, 'post.lua');
		fs.writeFileSync(lua, `wrk.method = "POST"
wrk.body = "csrf=${encodeURIComponent(csrf)}&theme=dark&language=en"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "${s.jar.header()}"
`);
		const posts = wrk(['-t2', '-c12', '-d16s', '-s', lua, `${pool.url}/settings/security`]);
		const gets = wrk(['-t1', '-c4', '-d16s', `${pool.url}/`]);
		await sleep(500);
		for (let i = 0; i < 20; i++) {
			process.kill(pool.master.pid, 'SIGHUP');
			await sleep(700);
		}
		const p = await posts;
		const g = await gets;
		const done = await waitFor(() => /reload complete/.test(pool.log()), 30000, 'the last reload');
		tap.ok(done, 'sighup_under_load: the reloads complete');
		tap.ok(p.n > 500 && g.n > 200, `sighup_under_load: load ran through 20 reloads (${p.n} POST, ${g.n} GET)`);
		tap.is(`${p.bad} ${g.bad}`, '0 0', `sighup_under_load: no request dropped, POST or GET (socket errors: ${p.sock}; ${g.sock})`);
		const nginxLog = fs.readFileSync(path.join(pool.dir, 'log', 'nginx-error.log'), 'utf8');
		tap.unlike(nginxLog, /upstream prematurely closed/, 'sighup_under_load: nginx never saw a connection closed under a request');
	} finally {
		await pool.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// A FastCGI client that keeps its connection alive, as nginx's upstream
// keepalive does: one request at a time on one socket.
function fcgiConn(sock) {
	const c = net.connect(sock);
	let buf = Buffer.alloc(0);
	let waiter = null;
	let closed = false;
	const wake = () => { if (waiter) { const w = waiter; waiter = null; w(); } };
	c.on('data', (d) => { buf = Buffer.concat([buf, d]); wake(); });
	c.on('close', () => { closed = true; wake(); });
	c.on('error', () => { closed = true; wake(); });
	const rec = (type, id, content) => {
		const pad = (8 - (content.length % 8)) % 8;
		const h = Buffer.from([1, type, id >> 8, id & 255, content.length >> 8, content.length & 255, pad, 0]);
		return Buffer.concat([h, content, Buffer.alloc(pad)]);
	};
	const nv = (k, v) => {
		const kb = Buffer.from(k);
		const vb = Buffer.from(v);
		const len = (n) => (n < 128 ? Buffer.from([n]) : Buffer.from([(n >> 24) | 128, (n >> 16) & 255, (n >> 8) & 255, n & 255]));
		return Buffer.concat([len(kb.length), len(vb.length), kb, vb]);
	};
	return {
		closed: () => closed,
		close: () => c.destroy(),
		// Send one request (KEEP_CONN); resolves to the status, or null when
		// the connection closed before any answer (a dropped request).
		async request(method, uri, params, body = '') {
			if (closed) return null;
			const all = { REQUEST_METHOD: method, REQUEST_URI: uri, QUERY_STRING: '', SERVER_PROTOCOL: 'HTTP/1.1',
				REMOTE_ADDR: '127.0.0.1', CONTENT_LENGTH: String(Buffer.byteLength(body)), ...params };
			const p = Buffer.concat(Object.entries(all).map(([k, v]) => nv(k, v)));
			c.write(Buffer.concat([rec(1, 1, Buffer.from([0, 1, 1, 0, 0, 0, 0, 0])), rec(4, 1, p), rec(4, 1, Buffer.alloc(0)),
				...(body ? [rec(5, 1, Buffer.from(body))] : []), rec(5, 1, Buffer.alloc(0))]));
			let out = '';
			const timer = setTimeout(() => { closed = true; c.destroy(); wake(); }, 20000);
			try {
				for (;;) {
					while (buf.length >= 8 && buf.length >= 8 + buf.readUInt16BE(4) + buf[6]) {
						const type = buf[1];
						const len = buf.readUInt16BE(4);
						const content = buf.subarray(8, 8 + len);
						buf = buf.subarray(8 + len + buf[6]);
						if (type === 6) out += content.toString('latin1');
						if (type === 3) {
							const m = /^Status: (\d+)/m.exec(out);
							return m ? Number(m[1]) : 200;
						}
					}
					if (closed) return null;
					await new Promise((r) => { waiter = r; });
				}
			} finally {
				clearTimeout(timer);
			}
		},
	};
}

// The heart of finding 5, without nginx's timing: a request sent on a
// kept-alive connection just after SIGHUP.  Before, the leaving worker
// had closed the connection (the request was lost); now it serves what
// arrives until the client closes.
async function keptConnectionAcrossReload() {
	const pool = await startPool({ args: ['--workers', '1'], noNginx: true });
	try {
		await waitFor(() => fs.existsSync(pool.sock), 10000, 'the pool socket');
		const conn = fcgiConn(pool.sock);
		tap.is(await conn.request('GET', '/ping', {}), 200, 'sighup_kept_connection: a request on a kept-alive connection');
		process.kill(pool.master.pid, 'SIGHUP');
		await waitFor(() => /reloading: starting 1 workers/.test(pool.log()), 5000, 'the reload');
		await sleep(300);
		const st = await conn.request('POST', '/webhooks/setup', { CONTENT_TYPE: 'application/json' }, '{}');
		tap.ok(st !== null, `sighup_kept_connection: a POST sent on it after SIGHUP is answered, not dropped (${st})`);
		conn.close();
		const done = await waitFor(() => /reload complete/.test(pool.log()), 20000, 'the reload to complete');
		tap.ok(done, 'sighup_kept_connection: once the client closes the connection, the old worker leaves');
	} finally {
		pool.master.kill('SIGTERM');
		await within(pool.exited, 20000);
	}
}

// A connection from another address (the stack exempts 127.0.0.1, the
// harness's own): write head, then the rest as the caller likes.  answer
// resolves to the status (0: closed without one) when the server answers
// or closes.
function from(addr, head) {
	const u = new URL(APP_URL);
	const s = net.connect({ port: Number(u.port), host: '127.0.0.1', localAddress: addr });
	let text = '';
	const answer = new Promise((resolve) => {
		const done = () => resolve(Number((/^HTTP\/1\.1 (\d+)/.exec(text) || [])[1] || 0));
		s.on('data', (d) => { text += d.toString('latin1'); if (/\r\n\r\n/.test(text)) done(); });
		s.on('close', done);
		s.on('error', done);
	});
	s.on('connect', () => s.write(head));
	return { s, answer };
}

// 7. nginx edge limits: 1,100 slow-header connections from one address
// refused 79 of 120 normal requests; a body trickled at a byte every 5 s
// was never cut; nothing limited request rates.
async function edgeLimits() {
	const host = new URL(APP_URL).host;
	const slow = [];
	for (let i = 0; i < 1000; i++) slow.push(from('127.0.0.2', `GET / HTTP/1.1\r\nHost: ${host}\r\n`));
	const drip = setInterval(() => slow.forEach((c) => c.s.writable && c.s.write('X-Slow: 1\r\n')), 2000);
	await sleep(1500);
	const statuses = {};
	for (let round = 0; round < 15; round++) {
		const rs = await Promise.all([...Array(8)].map(() => request(`${APP_URL}/`, null).then((r) => r.status, () => 'error')));
		for (const st of rs) statuses[st] = (statuses[st] || 0) + 1;
	}
	clearInterval(drip);
	const open = slow.filter((c) => !c.s.destroyed).length;
	slow.forEach((c) => c.s.destroy());
	tap.ok(open > 900, `edge_slow_headers: one address held ${open} slow-header connections`);
	tap.is(JSON.stringify(statuses), '{"200":120}', 'edge_slow_headers: ... and 120 normal requests were all served');

	// A body trickled a byte at a time, 5.5 s apart: cut at the first pause.
	const t0 = Date.now();
	const trickle = from('127.0.0.2', `POST /sign-in/code HTTP/1.1\r\nHost: ${host}\r\n` +
		'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\ne');
	let sent = 1;
	const tick = setInterval(() => { if (trickle.s.writable && sent < 40) { trickle.s.write('x'); sent++; } }, 5500);
	const cut = await within(trickle.answer.then(() => true), 20000, false);
	clearInterval(tick);
	trickle.s.destroy();
	tap.ok(cut && sent <= 3, `edge_body_trickle: a body paused 5.5 s is cut (after ${sent} bytes, ${Date.now() - t0} ms)`);

	// Requests at once from one address, each a slow body: 40 at most
	// (GETs spaced below the request rate, so that only this limit acts).
	const held = [];
	for (let i = 0; i < 50; i++) {
		held.push(from('127.0.0.2', `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n` +
			'Content-Length: 40\r\n\r\ne'));
		await sleep(30);
	}
	const quick = await Promise.all(held.map((c) => within(c.answer, 2000, 'open')));
	held.forEach((c) => c.s.destroy());
	tap.is(quick.filter((x) => x === 429).length, 10, 'edge_conn_limit: of 50 requests with slow bodies from one address, 10 are refused with 429');

	// Rates: sign-in codes (each may send an e-mail), then plain GETs.
	await sleep(1000);
	const codes = [];
	for (let i = 0; i < 12; i++) {
		const c = from('127.0.0.2', `POST /sign-in/code HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n` +
			'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n');
		codes.push(await c.answer);
		c.s.destroy();
	}
	tap.ok(codes.slice(0, 5).every((st) => st !== 429) && codes.slice(7).every((st) => st === 429),
		`edge_rate_code: sign-in code POSTs from one address are limited after a burst (${codes.join(',')})`);
	const gets = await Promise.all([...Array(60)].map(async () => {
		const c = from('127.0.0.2', `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
		const st = await c.answer;
		c.s.destroy();
		return st;
	}));
	tap.ok(gets.filter((st) => st === 429).length >= 10 && gets.filter((st) => st === 200).length >= 20,
		`edge_rate_requests: 60 requests at once from one address: the burst served, the rest 429 (${
			gets.filter((st) => st === 200).length} × 200, ${gets.filter((st) => st === 429).length} × 429)`);
	const mine = await request(`${APP_URL}/healthz`, null);
	tap.is(mine.status, 200, 'edge_rate_requests: ... another address is served meanwhile');
}

// 8. Public booking had no rate limit and attached to existing accounts:
// 30 bookings in 0.6 s from one address; a stranger booking with a real
// guest's address put a meeting with the stranger's name and notes on that
// guest's dashboard.  Now per-address and per-IP limits are counted in the
// database (across workers and pools), a booking with an existing
// account's address stays pending until that address's code is entered,
// and addresses mixing scripts are refused.
async function bookingAbuse() {
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const limits = { WORKOS_API_BASE: proxy.url, ELEVA_BOOKING_LIMIT_ADDRESS: '5', ELEVA_BOOKING_LIMIT_IP: '0' };
	const pool = await startPool({ args: ['--workers', '4'], env: limits });
	const pool2 = await startPool({ args: ['--workers', '1'], env: limits });
	const SLUG = 'consultation';
	const expert = await publishedExpert({ first: 'Rosa' });
	// Starts two hours apart: no two of them overlap (one-hour sessions).
	const starts = startsOf((await request(`${pool.url}/${expert.handle}/${SLUG}`, null)).body)
		.filter((_, i) => i % 8 === 0);
	const page = async (p) => {
		const jar = new Jar();
		const r = await request(`${p.url}/${expert.handle}/${SLUG}`, jar);
		return { jar, csrf: csrfOf(r.body) };
	};
	const post = (p, f, form) => request(`${p.url}/${expert.handle}/${SLUG}`, f.jar,
		{ form: { csrf: f.csrf, timezone: expert.tz, notes: '', ...form }, headers: { origin: p.url } });
	const heading = (r) => (/<h1>([^<]*)<\/h1>/.exec(r.body) || [])[1];
	const meetingsOf = (uid) => Number(sql(`SELECT count(*) FROM meetings WHERE guest_workos_user_id = ${lit(uid)}`));
	try {
		// Per address: 30 bookings at once for one address, from 30 browsers.
		const flood = guestEmail('flood');
		const forms = await Promise.all(starts.slice(0, 30).map(() => page(pool)));
		const t0 = Date.now();
		const rs = await Promise.all(forms.map((f, i) => post(pool, f, { name: 'Flo Flood', email: flood, start: starts[i] })));
		const took = Date.now() - t0;
		const st = rs.map((r) => r.status);
		const n429 = st.filter((x) => x === 429).length;
		tap.is(st.filter((x) => x === 200).length, 5, `booking_rate_limit: 30 bookings for one address at once (${took} ms): 5 accepted`);
		tap.is(n429, 25, '... the other 25 refused with 429');
		const limited = rs.find((r) => r.status === 429);
		tap.ok(limited && Number(limited.headers.get('retry-after')) > 3000 && Number(limited.headers.get('retry-after')) <= 3600,
			'... with Retry-After (the rest of the hour)');
		tap.like(limited ? limited.body : '', /Too many bookings have been made from here or for this e-mail address in the last hour\. Nothing was booked\./,
			'... on the booking page, saying so in words');
		tap.ok(proxy.magicCodes(flood).length <= 5, `... the address was sent ${proxy.magicCodes(flood).length} codes, not 30`);
		const other = await page(pool2);
		const r2 = await post(pool2, other, { name: 'Flo Flood', email: flood.toUpperCase(), start: starts[31] });
		tap.is(r2.status, 429, 'booking_rate_limit: the same address through another pool (another host), in capitals: 429 too');

		// Per client address: a pool allowing 6 bookings an hour per IP.
		const ipPool = await startPool({ args: ['--workers', '2'],
			env: { ...limits, ELEVA_BOOKING_LIMIT_ADDRESS: '0', ELEVA_BOOKING_LIMIT_IP: '6' } });
		try {
			const got = [];
			for (let i = 0; i < 9; i++) {
				const f = await page(ipPool);
				got.push((await post(ipPool, f, { name: 'Ivo Ip', email: guestEmail(`ip${i}`), start: starts[40 + i] })).status);
			}
			tap.is(got.join(), '200,200,200,200,200,200,429,429,429',
				'booking_rate_limit: nine bookings of nine addresses from one client address: six, then 429');
		} finally {
			await ipPool.stop();
		}

		// A stranger books with an existing account's address.
		const gina = await newUser('Gina', 'Guest');
		const signed = await signIn(pool.url, gina.email);
		tap.is(signed.callback && signed.callback.status, 303, 'existing_account_pending: Gina has an account');
		const stranger = await page(pool);
		let r = await post(pool, stranger, { name: 'Mallory Stranger', email: gina.email, start: starts[50],
			notes: 'stranger notes' });
		tap.is(`${r.status} ${heading(r)}`, '200 Confirm your booking with the code we sent',
			'existing_account_pending: a stranger books with her address: "Confirm your booking", not booked');
		tap.is(meetingsOf(gina.id), 0, '... no meeting in her name');
		let dash = await request(`${pool.url}/dashboard`, signed.jar);
		tap.ok(dash.status === 200 && !/Mallory|stranger notes|Rosa/.test(dash.body),
			'... her dashboard shows nothing of it');
		const held = /name="booking" value="([0-9a-f-]{36})"/.exec(r.body);
		const wrong = await request(`${pool.url}/sign-in/code`, stranger.jar, { form: { csrf: csrfOf(r.body), email: gina.email,
			code: '000000', booking: held ? held[1] : '', return_to: '/dashboard' }, headers: { origin: pool.url } });
		tap.is(wrong.status, 422, '... the stranger cannot confirm it without her code (422)');
		tap.is(meetingsOf(gina.id), 0, '... still no meeting');
		// Her own code, from her own browser, does not confirm the
		// stranger's booking either: the hold is tied to his form.
		const code0 = proxy.magicCode(gina.email);
		const cp = await request(`${pool.url}/sign-in/code`, signed.jar);
		const mine = await request(`${pool.url}/sign-in/code`, signed.jar, { form: { csrf: csrfOf(cp.body), email: gina.email,
			code: code0 || '', booking: held ? held[1] : '', return_to: '/dashboard' }, headers: { origin: pool.url } });
		tap.is(mine.status, 410, '... nor does her code, entered in her own browser with his booking\'s id (410)');
		tap.like(mine.body, /this booking could not be confirmed/, '... saying the booking was not confirmed');
		tap.is(meetingsOf(gina.id), 0, '... still no meeting');

		// Gina books herself, not signed in: pending too, then her code confirms it.
		const own = await page(pool);
		r = await post(pool, own, { name: 'Gina Guest', email: gina.email, start: starts[52], notes: 'my own notes' });
		tap.is(`${r.status} ${heading(r)}`, '200 Confirm your booking with the code we sent',
			'existing_account_pending: Gina books herself, signed out: pending as well');
		tap.like(r.body, /We hold this time for you for 1[45] minutes/, '... the page says how long the time is held');
		const id = (/name="booking" value="([0-9a-f-]{36})"/.exec(r.body) || [])[1];
		const code = proxy.magicCode(gina.email);
		const ok = await request(`${pool.url}/sign-in/code`, own.jar, { form: { csrf: csrfOf(r.body), email: gina.email,
			code: code || '', booking: id || '', return_to: '/dashboard' }, headers: { origin: pool.url } });
		tap.is(`${ok.status} ${ok.location}`, '303 /dashboard', '... her code signs her in and confirms it');
		tap.is(sql(`SELECT count(*) FROM audit_logs WHERE action = 'USER_SIGNED_IN' AND workos_user_id = ${lit(gina.id)}
			AND metadata->>'method' = 'code'`), '2',
			'... each of her two code sign-ins audited with the method "code" (the earlier one, whose booking was refused, too)');
		tap.is(sql(`SELECT guest_name || '|' || guest_notes FROM meetings WHERE guest_workos_user_id = ${lit(gina.id)}`),
			'Gina Guest|my own notes', '... one meeting, hers, with what she typed');
		// A code form with an empty booking field only signs in.
		const plain = new Jar();
		let cf = await request(`${pool.url}/sign-in/code`, plain);
		cf = await request(`${pool.url}/sign-in/code`, plain, { form: { csrf: csrfOf(cf.body), email: gina.email },
			headers: { origin: pool.url } });
		const signedIn = await request(`${pool.url}/sign-in/code`, plain, { form: { csrf: csrfOf(cf.body), email: gina.email,
			code: proxy.magicCode(gina.email) || '', booking: '', return_to: '/dashboard' }, headers: { origin: pool.url } });
		tap.is(`${signedIn.status} ${signedIn.location}`, '303 /dashboard',
			'existing_account_pending: a code form with an empty booking field signs in, nothing more');
		dash = await request(`${pool.url}/dashboard`, own.jar);
		tap.ok(/Rosa/.test(dash.body) && !/Mallory|stranger notes/.test(dash.body), '... on her dashboard; the stranger\'s is not');
		// Signed in, her own address books at once.
		const inForm = await request(`${pool.url}/${expert.handle}/${SLUG}`, own.jar);
		r = await request(`${pool.url}/${expert.handle}/${SLUG}`, own.jar, { form: { csrf: csrfOf(inForm.body), timezone: expert.tz,
			name: 'Gina Guest', email: gina.email, start: starts[54], notes: '' }, headers: { origin: pool.url } });
		tap.is(`${r.status} ${heading(r)}`, '200 You are booked', 'existing_account_pending: signed in as herself: booked at once');
		tap.is(meetingsOf(gina.id), 2, '... her second meeting');

		// Mixed scripts: a Cyrillic а in "admin".
		const mix = `\u0430dmin.${Date.now()}@eleva.test`;
		r = await post(pool, await page(pool), { name: 'Ada Mix', email: mix, start: starts[56] });
		tap.is(r.status, 422, 'mixed_script_email: "аdmin@…" with a Cyrillic а: 422');
		tap.like(r.body, /Enter an e-mail address such as name@example\.com/, '... the e-mail field says why');
		tap.is((await workos('GET', `/user_management/users?email=${encodeURIComponent(mix)}`)).json.data.length, 0,
			'... and no WorkOS user was made');
	} finally {
		await pool.stop();
		await pool2.stop();
		await proxy.close();
	}
}

// 9. The app role gave itself any identity: set_config('app.user_id',
// <an admin>) and the admin's view was readable.  Now the database takes an
// identity only through app.enter with the app's HMAC (ELEVA_IDENTITY_KEY)
// over user, organization and expiry, and refuses the setup webhook's
// function without the app's MAC, an admin made by provision_user and a
// guest's published profile.  Each attack as the app role (DATABASE_URL).
function forgedIdentity() {
	// psql as the app role: the last line (the last statement's row), or the error.
	const asApp = (q) => {
		const r = spawnSync('psql', [process.env.DATABASE_URL, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', q],
			{ encoding: 'utf8' });
		return r.status === 0 ? r.stdout.trim().split('\n').pop() : `ERROR ${r.stderr.trim()}`;
	};
	// The app's MAC (app/core/db.c db_sign, app.mac_message).
	const mac = (purpose, ...fields) => crypto.createHmac('sha256', process.env.ELEVA_IDENTITY_KEY.split(',')[0])
		.update(purpose + fields.map((f) => `|${Buffer.byteLength(f)}:${f}`).join('')).digest('hex');
	const who = (email) => {
		const [uid, org] = sql(`SELECT u.workos_user_id, o.id FROM users u JOIN organizations o
			ON o.slug = 'user-' || u.workos_user_id WHERE u.email = ${lit(email)}`).split('|');
		return { uid, org };
	};
	const admin = who('admin@eleva.test');
	const guest = who('guest@eleva.test');
	const users = sql('SELECT count(*) FROM users');
	const now = Math.floor(Date.now() / 1000);
	const enter = (w, exp, m) => `SELECT app.enter(${lit(w.uid)}, ${lit(w.org)}, ${exp}, ${lit(m)})`;

	tap.is(asApp(`SELECT set_config('app.user_id', ${lit(admin.uid)}, true), set_config('app.org_id', ${lit(admin.org)}, true);
		SELECT count(*) FROM public.users`), '0',
	`forged_identity: set_config('app.user_id', <the demo admin>) reads no users (was all ${users})`);
	tap.like(asApp(`${enter(admin, now + 300, '0'.repeat(64))}; SELECT count(*) FROM public.users`),
		/ERROR .*not signed by the app/, 'forged_identity: app.enter with a made-up MAC is refused');
	tap.like(asApp(`${enter(admin, now - 10, mac('enter', admin.uid, admin.org, String(now - 10)))}; SELECT 1`),
		/ERROR .*expired/, 'forged_identity: ... and with the app\'s MAC once expired');
	tap.is(asApp(`${enter(admin, now + 300, mac('enter', admin.uid, admin.org, String(now + 300)))};
		SELECT count(*) FROM public.users`), users,
	'forged_identity: control: with the app\'s MAC the admin reads every user');
	tap.like(asApp(`SELECT app.setup_webhook(${lit(admin.uid)}, 'identity', 'complete', 'wh_forged_${now}')`),
		/ERROR .*permission denied/, 'forged_identity: app.setup_webhook without a signature is refused');
	tap.like(asApp(`SELECT app.setup_webhook(${lit(admin.uid)}, 'identity', 'complete', 'wh_forged_${now}', ${now + 300},
		${lit('0'.repeat(64))})`), /ERROR .*not signed by the app/, 'forged_identity: ... and with a made-up MAC');
	tap.like(asApp(`SELECT app.provision_user('user_forged${now}', 'forged${now}@eleva.test', 'Eve', 'Forged',
		'admin', 'org_forged${now}')`), /ERROR .*given by the platform/,
	'forged_identity: app.provision_user(..., \'admin\', ...) is refused');
	tap.like(asApp(`${enter(guest, now + 300, mac('enter', guest.uid, guest.org, String(now + 300)))};
		INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name, last_name, published)
		VALUES (${lit(guest.org)}, ${lit(guest.uid)}, 'forged-${now}', 'Guest', 'Forged', true)`),
	/ERROR .*only an expert whose setup is complete/, 'forged_identity: a guest inserting a published profile is refused');
	tap.is(sql(`SELECT count(*) FROM users WHERE workos_user_id = 'user_forged${now}'`)
		+ sql(`SELECT count(*) FROM profiles WHERE handle = 'forged-${now}'`), '00', 'forged_identity: ... nothing was written');
}

tap.run(async () => {
	forgedIdentity();
	await bookingAbuse();
	await edgeLimits();
	await keptConnectionAcrossReload();
	await reloadUnderLoad();
	// These four wait, mostly (for tokens to expire, WorkOS to answer,
	// the breaker to close), each on its own pool and WorkOS proxy: at
	// once, they take the time of the longest.
	await Promise.all([severalMemberships(), noTxAcrossWorkos(), refreshRace(), hungWorkos()]);
	await hungWorkosUnderLoad();

	// 1. Sign-out did not end the session on the server: a copy of the
	// cookie kept opening /dashboard until its token expired.
	{
		const u = await newUser('Sina', 'Out');
		const a = await signIn(APP_URL, u.email);
		const b = await signIn(APP_URL, u.email);
		const copy = a.jar.clone();
		let r = await request(`${APP_URL}/dashboard`, a.jar);
		tap.is(r.status, 200, 'replayed_cookie_after_sign_out: signed in, the dashboard opens');
		r = await request(`${APP_URL}/auth/sign-out`, a.jar, { form: { csrf: csrfOf(r.body) } });
		tap.is(r.status, 303, 'replayed_cookie_after_sign_out: sign-out answers 303');
		r = await request(`${APP_URL}/dashboard`, copy.clone());
		tap.is(`${r.status} ${r.location}`, '303 /sign-in?return_to=%2Fdashboard',
			'replayed_cookie_after_sign_out: a copy of the cookie taken before sign-out → sign in again');
		r = await request(`${APP_URL}/settings/security`, copy.clone());
		tap.is(r.status, 303, 'replayed_cookie_after_sign_out: ... on every signed-in page');
		r = await request(`${APP_URL}/dashboard`, b.jar);
		tap.is(r.status, 200, 'replayed_cookie_after_sign_out: the same user\'s other session (another browser) still works');
		tap.is(sql(`SELECT count(*) FROM ended_sessions WHERE workos_user_id = ${lit(u.id)}`), '1',
			'replayed_cookie_after_sign_out: one ended session recorded');
		r = await request(`${APP_URL}/auth/sign-out`, copy.clone(), { form: { csrf: csrfOf((await request(`${APP_URL}/`, copy.clone())).body) || 'x' } });
		tap.ok(r.status === 303 || r.status === 403, 'replayed_cookie_after_sign_out: signing the copy out again is harmless');
		tap.is(sql(`SELECT count(*) FROM ended_sessions WHERE workos_user_id = ${lit(u.id)}`), '1',
			'replayed_cookie_after_sign_out: ... and records nothing twice');
	}

	// 6. A User-Agent (or any header) that is not UTF-8 reached the
	// transaction's settings: 22021 from PostgreSQL, 503 on every database
	// route.  Now its bytes become U+FFFD.
	const badUA = Buffer.from([0x4d, 0x6f, 0x7a, 0xff, 0xfe, 0xc3, 0x28]);
	const expert = await publishedExpert({ first: 'Ulla' });
	const user = await newUser('Ugo', 'Utf');
	const { jar } = await signIn(APP_URL, user.email);
	tap.ok(jar.cookies.size > 0, 'non_utf8_header: a user is signed in');
	const cookie = Buffer.from(jar.header());
	for (const [path, headers] of [
		['/', {}],
		['/dashboard', { Cookie: cookie }],
		['/settings/security', { Cookie: cookie }],
		[`/${expert.handle}`, {}],
		[`/${expert.handle}/${Object.keys(expert.events)[0]}`, {}],
	]) {
		const r = await raw(path, { 'User-Agent': badUA, 'Accept-Language': Buffer.from([0xe9, 0x2c, 0x65, 0x6e]),
			Referer: Buffer.from('http://x/\xff', 'latin1'), ...headers });
		if (r.status !== 200) tap.diag(r.head);
		tap.is(r.status, 200, `non_utf8_header: GET ${path.replace(expert.handle, 'HANDLE')} with headers that are not UTF-8 → 200`);
	}
	// A write: its audit row keeps the user agent, made valid.
	const page = await request(`${APP_URL}/settings/security`, jar);
	const r = await raw('/settings/security', { 'User-Agent': badUA, Cookie: cookie },
		`csrf=${encodeURIComponent(csrfOf(page.body))}&theme=dark&language=en`);
	if (r.status !== 303) tap.diag(r.head);
	tap.is(r.status, 303, 'non_utf8_header: POST /settings/security (a change) with that User-Agent → 303');
	tap.is(sql(`SELECT user_agent FROM audit_logs WHERE workos_user_id = ${lit(user.id)}
		ORDER BY id DESC LIMIT 1`), 'Moz\ufffd\ufffd\ufffd(',
	'non_utf8_header: ... its audit row holds the user agent, each byte that was not UTF-8 as U+FFFD');
});
