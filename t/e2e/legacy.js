// legacy: `eleva legacy import-users` (issue 15) on a generated Clerk-era
// world (t/lib/legacy.js): a dry run writes nothing anywhere; a run
// through a stand-in that answers as production WorkOS does (400
// email_not_available for an address taken, 429 with Retry-After, 5xx)
// converges; each edge case is reported by user and reason and the run
// goes on; running again creates nothing; a run killed halfway and run
// again finishes without a duplicate anywhere.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, SRCDIR, waitFor, exited } = require('../lib/stack');
const workosproxy = require('../lib/workosproxy');
const { workos, sql, lit } = require('../lib/signin');
const legacy = require('../lib/legacy');

const { WORKOS_API_BASE, PG_SOCKET_DIR } = env();
if (!process.env.DATABASE_OWNER_URL || !PG_SOCKET_DIR) tap.skipAll('no owner connection in this stack');
const bin = process.env.ELEVA_BIN || path.join(SRCDIR, 'build', 'app', 'eleva');

// The emulator allows each API key 1,000 calls a minute: the imports use
// keys of their own (t/workos-seed.yaml).
const KEY = 'sk_test_legacy';
const KILL_KEY = 'sk_test_legacy_kill';

// Asynchronous: the stand-in WorkOS runs in this process (spawnSync would
// block it and the command would wait on it for ever).
function run(world, map, extra = [], base = WORKOS_API_BASE, key = KEY) {
	return new Promise((resolve) => {
		const c = spawn(bin, ['legacy', 'import-users', '--clerk-export', world.csv, '--map', map,
			'--legacy-db', world.url, ...extra], { env: { ...process.env, WORKOS_API_BASE: base, WORKOS_API_KEY: key } });
		let stdout = '';
		let stderr = '';
		c.stdout.on('data', (d) => { stdout += d; });
		c.stderr.on('data', (d) => { stderr += d; });
		c.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

// The local users, WorkOS users and map entries of a world's addresses.
const localUsers = (w) => Number(sql(`SELECT count(*) FROM users WHERE email LIKE ${lit(`%${w.tag}%`)}`));
async function workosCount(w) {
	let n = 0;
	// Each address once (the first spelling: WorkOS keeps the case it was given).
	const emails = new Map();
	for (const u of w.users) {
		if (u.email.includes('@') && !u.email.includes(' ') && !emails.has(u.email.toLowerCase())) emails.set(u.email.toLowerCase(), u.email);
	}
	for (const e of emails.values()) {
		const r = await workos('GET', `/user_management/users?email=${encodeURIComponent(e)}`);
		n += r.json.data.length;
	}
	return n;
}
const mapOf = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);

tap.run(async () => {
	const N = 80;
	const w = legacy.make(N);
	const map = path.join(w.dir, 'map.json');
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	try {
		// Usage.
		let r = spawnSync(bin, ['legacy', 'import-users', '--map', map], { encoding: 'utf8' });
		tap.is(r.status, 2, 'import-users without --clerk-export: usage (2)');

		// A dry run: reports, writes nothing.
		r = await run(w, map, ['--dry-run'], proxy.url);
		tap.is(r.status, 0, 'dry run: exit 0');
		tap.like(r.stdout, new RegExp(`\\(dry run\\): ${N} users read: 0 already imported, ${N - 3} would be created`),
			'dry run: what would happen');
		tap.is(proxy.calls.filter((c) => c.method !== 'GET').length, 0, '... it asked WorkOS nothing but GETs');
		tap.ok(!fs.existsSync(map), '... wrote no map');
		tap.is(localUsers(w), 0, '... no local user');
		tap.is(await workosCount(w), 0, '... and no WorkOS user');

		// Production's answers on the way: a user made in WorkOS whose
		// answer is lost as a 400 email_not_available, 429s with
		// Retry-After, 5xx.
		const taken = w.users[20];
		proxy.fail('POST', '/user_management/users', { skip: 19, after: true, status: 400,
			body: { message: 'Could not create user.', code: 'user_creation_error',
				errors: [{ code: 'email_not_available', message: 'This email is not available.' }] } });
		proxy.fail('POST', '/user_management/users', { skip: 40, status: 429, count: 2, headers: { 'retry-after': '1' } });
		proxy.fail('POST', '/organizations', { skip: 60, status: 503, count: 2 });
		const before = await workos('POST', '/user_management/users', { email: w.users[30].email, first_name: 'Made', email_verified: true });
		tap.is(before.status, 201, 'one address has a WorkOS user already');
		const t0 = Date.now();
		r = await run(w, map, [], proxy.url);
		const secs = (Date.now() - t0) / 1000;
		tap.diag(`import-users: ${N} users in ${secs.toFixed(1)} s (${(N / secs).toFixed(1)} users/s through the stand-in)`);
		tap.is(r.status, 0, 'the run: exit 0');
		tap.like(r.stdout, new RegExp(`${N} users read: ${N - 5} created, 2 linked to an existing WorkOS user, 0 already imported, 3 skipped, 0 failed`),
			'... every importable user imported (two linked: the lost answer and the one made before)');
		for (const [u, why] of [[w.users[8], 'its e-mail address is .* already'], [w.users[9], 'no e-mail address'],
			[w.users[12], 'the e-mail address is not valid']]) {
			tap.like(r.stderr, new RegExp(`${u.clerkId}: skipped: ${why}`), `edge case reported: ${u.edge.join(', ')} (${u.clerkId})`);
		}
		tap.like(r.stderr, new RegExp(`${w.users[4].clerkId}: public_metadata is not a JSON object: role user`),
			'edge case reported: malformed metadata');
		const m = mapOf(map);
		tap.is(m.length, N - 3, 'the map: every importable user');
		tap.is(new Set(m.map((e) => e.clerkUserId)).size, m.length, '... each once');
		tap.ok(m.every((e) => /^user_/.test(e.workosUserId) && /^org_/.test(e.organizationId)), '... with WorkOS ids');
		tap.is(localUsers(w), N - 3, 'locally: every importable user');
		tap.is(sql(`SELECT count(*) FROM users u WHERE u.email LIKE ${lit(`%${w.tag}%`)} AND NOT EXISTS (SELECT 1
			FROM user_org_memberships m JOIN organizations o ON o.id = m.org_id WHERE m.workos_user_id = u.workos_user_id
			AND m.role = 'owner' AND o.slug = 'user-' || u.workos_user_id)`), '0', '... each with his organization and owner membership');
		tap.is(await workosCount(w), N - 3, 'WorkOS: one user per imported address');
		const top = w.users.find((u) => u.role === 'top_expert' && !u.edge.includes('malformed metadata'));
		tap.is(sql(`SELECT role || ' ' || (SELECT count(*) FROM expert_setup s WHERE s.workos_user_id = u.workos_user_id)
			FROM users u WHERE email = ${lit(top.email)}`), 'expert_top 1', "a Clerk top_expert: expert_top, his setup opened");
		const conc = w.users.find((u) => u.first === 'Conceição');
		tap.is(sql(`SELECT first_name || ' ' || last_name FROM users WHERE email = ${lit(conc.email)}`), 'Conceição Magalhães',
			'a non-ASCII name kept');
		const noName = w.users[5];
		tap.is(sql(`SELECT coalesce(first_name, '-') || ' ' || coalesce(last_name, '-') FROM users WHERE email = ${lit(noName.email)}`),
			'- -', 'a user without a name: none made up');
		tap.is(taken.email && sql(`SELECT count(*) FROM users WHERE email = ${lit(taken.email)}`), '1', 'the lost answer: imported once');

		// Again: nothing new.
		proxy.calls.length = 0;
		r = await run(w, map, [], proxy.url);
		tap.is(r.status, 0, 'a second run: exit 0');
		tap.like(r.stdout, new RegExp(`${N} users read: 0 created, 0 linked to an existing WorkOS user, ${N - 3} already imported`),
			'... everything already imported');
		tap.is(proxy.calls.length, 0, '... WorkOS not even asked');
		tap.is(localUsers(w), N - 3, '... no new row');

		// Killed halfway, then run again.
		const k = legacy.make(60);
		const kmap = path.join(k.dir, 'map.json');
		const child = spawn(bin, ['legacy', 'import-users', '--clerk-export', k.csv, '--map', kmap, '--legacy-db', k.url],
			{ stdio: 'ignore', env: { ...process.env, WORKOS_API_KEY: KILL_KEY } });
		await waitFor(() => fs.existsSync(kmap) && (fs.readFileSync(kmap, 'utf8').match(/clerkUserId/g) || []).length >= 25,
			60000, 'half the users imported');
		child.kill('SIGKILL');
		await exited(child);
		const half = (fs.readFileSync(kmap, 'utf8').match(/clerkUserId/g) || []).length;
		r = await run(k, kmap, [], WORKOS_API_BASE, KILL_KEY);
		tap.is(r.status, 0, `killed after ${half} users, run again: exit 0`);
		tap.like(r.stdout, /60 users read: \d+ created, \d+ linked to an existing WorkOS user, (\d+) already imported, 3 skipped, 0 failed/,
			'... it went on from the map');
		const km = mapOf(kmap);
		tap.is(km.length, 57, '... every importable user in the map');
		tap.is(new Set(km.map((e) => e.clerkUserId)).size, 57, '... each once');
		tap.is(localUsers(k), 57, '... and locally once');
		tap.is(await workosCount(k), 57, '... and in WorkOS once');
		tap.is(sql(`SELECT count(*) FROM organizations WHERE name LIKE ${lit(`%${k.tag}%`)} OR slug IN (SELECT 'user-' || workos_user_id
			FROM users WHERE email LIKE ${lit(`%${k.tag}%`)})`), '57', '... one organization each');
		k.drop();
	} finally {
		await proxy.close();
		w.drop();
	}
});
