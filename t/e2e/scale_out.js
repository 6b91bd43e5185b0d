// scale_out: the scale-out shape (script/test --scale-out; README "Deploy on
// several hosts"): two pools of its own behind one nginx upstream, as two
// hosts would be, on PgBouncer in transaction mode, public pages read from
// the streaming replica.  A cookie one pool issued is honoured by the
// other, and ended by either; no request sees another's identity through
// PgBouncer's shared server connections; the replica is used while fresh,
// and the primary when it lags past the bound or is down; stopping one
// pool under load loses no request.  Skips in the one-pool shape.
'use strict';

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const tap = require('../lib/tap');
const { env, get, freePort, startPool, startFront, waitFor, until, sleep, load, drive, SRCDIR } = require('../lib/stack');
const { request, csrfOf, signIn, newUser } = require('../lib/signin');
const { publishedExpert, startsOf, book, guestEmail } = require('../lib/booking');
const { psqlSuper } = require('../lib/legacy');

const E = env();
if (!E.ELEVA_SCALE_OUT) tap.skipAll('not the scale-out shape: script/test --scale-out runs this');
const run = promisify(execFile);
const stackctl = (...args) => run(path.join(SRCDIR, 'script', 'stackctl'), args, { env: { ...process.env, ELEVA_VAR: E.ELEVA_VAR } });
// SQL as the superuser on the replica.
function replicaSql(sql) {
	const saved = [process.env.PG_SOCKET_DIR, process.env.DATABASE_OWNER_URL];
	process.env.PG_SOCKET_DIR = E.REPLICA_SOCKET_DIR;
	process.env.DATABASE_OWNER_URL = E.DATABASE_OWNER_URL.replace(/:\d+\//, `:${E.REPLICA_PORT}/`);
	try {
		return psqlSuper('eleva', sql).trim();
	} finally {
		[process.env.PG_SOCKET_DIR, process.env.DATABASE_OWNER_URL] = saved;
	}
}

const dirs = [];
function frontDir() {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-front-'));
	fs.chmodSync(d, 0o755);
	dirs.push(d);
	return d;
}
process.on('exit', (code) => {
	if (code === 0 && !process.exitCode) for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

tap.run(async () => {
	// Two pools, one upstream; and a front for each alone.
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const opts = { noNginx: true, env: { APP_BASE_URL: base } };
	const a = await startPool(opts);
	const b = await startPool(opts);
	await waitFor(() => fs.existsSync(a.sock) && fs.existsSync(b.sock), 10000, 'both pools');
	const front = await startFront([a.sock, b.sock], port, frontDir());
	const onlyA = await startFront([a.sock], await freePort(), frontDir());
	const onlyB = await startFront([b.sock], await freePort(), frontDir());
	tap.like(fs.readFileSync(path.join(dirs[0], 'nginx', 'nginx.conf'), 'utf8'),
		new RegExp(`server unix:${a.sock};\\s+server unix:${b.sock};`), 'one nginx upstream, two pools');

	// Both serve.
	const probe = `/scale-probe-${Date.now()}`;
	for (let i = 0; i < 24; i++) await get(`${base}${probe}`);
	const served = [a, b].map((p) => (p.log().match(new RegExp(`GET ${probe} 404`, 'g')) || []).length);
	tap.ok(served[0] > 0 && served[1] > 0 && served[0] + served[1] === 24, `requests go to both pools (${served.join(' + ')})`);

	// A cookie from one pool, used on the other, ended on the other.
	const rita = await newUser('Rita', 'Twopools');
	const s = await signIn(onlyA.url, rita.email, { callbackBase: onlyA.url });
	tap.is(s.callback && s.callback.status, 303, 'signed in on pool A alone');
	tap.like(a.log(), new RegExp(`signin: ${rita.id} signed in`), '... pool A did it');
	let r = await request(`${onlyB.url}/dashboard`, s.jar);
	tap.like(`${r.status} ${r.body}`, /^200 [\s\S]*Rita/, 'pool B honours its cookie: her dashboard');
	const copy = s.jar.clone();
	r = await request(`${onlyB.url}/auth/sign-out`, s.jar, { form: { csrf: csrfOf(r.body) }, headers: { origin: base } });
	tap.ok(r.status === 303, `signed out on pool B (${r.status})`);
	r = await request(`${onlyA.url}/dashboard`, copy);
	tap.is(`${r.status} ${r.location && r.location.replace(/\?.*/, '')}`, '303 /sign-in', 'the old cookie replayed on pool A: signed out there too');

	// No request sees another's identity through PgBouncer: two users'
	// dashboards at once over fewer server connections than requests,
	// and the app role's own sessions in between see no setting left.
	const ines = await newUser('Ines', 'Pooled');
	const olga = await newUser('Olga', 'Pooled');
	const ji = (await signIn(base, ines.email)).jar;
	const jo = (await signIn(base, olga.email)).jar;
	const pages = await Promise.all(Array.from({ length: 60 }, (_, i) => request(`${base}/dashboard`, i % 2 ? jo : ji)));
	const wrong = pages.filter((p, i) => p.status !== 200 || !p.body.includes(i % 2 ? 'Olga' : 'Ines') ||
		p.body.includes(i % 2 ? 'Ines' : 'Olga')).length;
	tap.is(wrong, 0, '60 dashboards of two users at once through PgBouncer: each shows its own user only');
	const leftovers = await Promise.all(Array.from({ length: 12 }, async () => {
		const [o] = await Promise.all([
			run('psql', [E.DATABASE_URL, '-X', '-At', '-c', "SELECT coalesce(current_setting('app.user_id', true), '') || '|' || coalesce(current_setting('app.request_id', true), '')"]),
			request(`${base}/dashboard`, ji),
		]);
		return o.stdout.trim();
	}));
	tap.is(leftovers.filter((x) => x !== '|').join(','), '', '... and a session of the app role between them finds no identity or request id left');
	tap.like(E.DATABASE_URL, new RegExp(`:${E.PGBOUNCER_PORT}/`), '... (DATABASE_URL is PgBouncer\'s)');

	// The replica: used while fresh.
	const ana = await publishedExpert({ first: 'Ana', last: 'Replica' });
	const page = `${base}/${ana.handle}/consultation`;
	r = await get(page);
	tap.is(r.status, 200, 'the booking page through the front');
	const logs = () => a.log() + b.log();
	tap.ok(await waitFor(async () => (await get(page)) && /replica: fresh: public pages read from it/.test(logs()), 5000, 'fresh'),
		'the pools read public pages from the replica while it is fresh');
	const starts = startsOf(r.body);
	tap.ok(starts.length > 2, `${starts.length} starts offered`);

	// Lagging: replay paused, a booking on the primary; within the bound
	// the page no longer offers the start (read from the primary).
	await stackctl('replica-sync', 'off');
	replicaSql('SELECT pg_wal_replay_pause()');
	const bk = await book(base, ana, 'consultation', { name: 'Lea Lag', email: guestEmail('lea'), start: starts[0] });
	tap.like(`${bk.r.status} ${bk.r.body}`, /^200 [\s\S]*You are booked/, 'replay paused on the replica: a guest books the first start (primary)');
	const t0 = Date.now();
	const gone = await until(async () => !startsOf((await get(page)).body).includes(starts[0]), 6000, 'the start to go');
	const took = Date.now() - t0;
	tap.ok(gone === true && took <= 3000, `within ${took} ms (bound ${E.ELEVA_REPLICA_MAX_LAG_MS || 1000} ms, checked every half): the page no longer offers it`);
	tap.like(logs(), /replica: the replica lags past ELEVA_REPLICA_MAX_LAG_MS: public pages read from the primary/, '... the pools said why');
	replicaSql('SELECT pg_wal_replay_resume()');
	// A pool checks the replica when a public page asks for it.
	const freshAgain = async () => {
		await get(page);
		const l = logs();
		return l.lastIndexOf('replica: fresh') > l.lastIndexOf('public pages read from the primary');
	};
	tap.ok(await waitFor(freshAgain, 5000, 'fresh again'), 'replay resumed: fresh again, back on the replica');

	// Down: the primary serves the public pages.
	await stackctl('replica-stop');
	const down = await Promise.all(Array.from({ length: 6 }, () => get(page)));
	tap.is(down.map((x) => x.status).join(' '), '200 200 200 200 200 200', 'the replica stopped: the booking page still answers');
	tap.ok(!startsOf(down[5].body).includes(starts[0]) && startsOf(down[5].body).length > 0, '... with the starts, from the primary');
	r = await get(`${base}/${ana.handle}`);
	tap.like(`${r.status} ${r.body}`, /^200 [\s\S]*Ana/, '... and so does the expert\'s page');
	tap.like(logs(), /replica: (the replica does not answer|a request failed there)/, '... the pools said why');
	await stackctl('replica-start');
	await stackctl('replica-sync', 'on');
	tap.ok(await waitFor(freshAgain, 8000, 'fresh after restart'), 'the replica back: read from again');

	// One pool stopped under GET and POST load: nothing lost.
	const poster = await newUser('Paula', 'Poster');
	const sp = await signIn(base, poster.email);
	const csrf = csrfOf((await request(`${base}/settings/security`, sp.jar)).body);
	const gets = load(`${base}/${ana.handle}/consultation`, 3);
	let n = 0;
	const posts = drive(async () => (await request(`${base}/settings/security`, sp.jar.clone(), { form: {
		csrf, theme: n++ % 2 ? 'dark' : 'light', language: 'en' }, headers: { origin: base } })).status, 2, 303);
	await sleep(1500);
	b.master.kill('SIGTERM');
	const end = await b.exited;
	await sleep(1500);
	const g = await gets.stop();
	const p = await posts.stop();
	tap.is(`${end.code}`, '0', 'pool B stopped (SIGTERM) in the middle, exit 0');
	tap.ok(g.ok > 20 && g.failed === 0, `GETs: ${g.ok} answered 200, ${g.failed} not (${JSON.stringify(g.statuses)})`);
	tap.ok(p.ok > 10 && p.failed === 0, `POSTs: ${p.ok} answered 303, ${p.failed} not (${JSON.stringify(p.statuses)})`);
	r = await request(`${base}/dashboard`, sp.jar);
	tap.is(r.status, 200, 'pool A alone serves on');

	await Promise.all([front.stop(), onlyA.stop(), onlyB.stop()]);
	a.master.kill('SIGTERM');
	await a.exited;
});
