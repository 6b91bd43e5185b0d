// legacy_runbook: the README's migration runbook end to end (issue 15) on a
// generated Clerk-era world of LEGACY_USERS users (80 unless set; the
// closing note's run sets 2000): import-users, migrate-metadata,
// migrate-data, validate.  Dry runs write nothing anywhere (both databases,
// sequences included, and WorkOS); the full run validates with every check
// holding, and what each table became is checked here on its own; running
// everything again creates nothing; a row the database refuses is reported
// and the rest lands, validate fails until it is fixed; a copy killed
// halfway and run again ends with every row once.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, SRCDIR, waitFor, exited } = require('../lib/stack');
const { workos, sql, lit } = require('../lib/signin');
const legacy = require('../lib/legacy');

const { APP_URL, PG_SOCKET_DIR } = env();
if (!process.env.DATABASE_OWNER_URL || !PG_SOCKET_DIR) tap.skipAll('no owner connection in this stack');
const bin = process.env.ELEVA_BIN || path.join(SRCDIR, 'build', 'app', 'eleva');
const N = Number(process.env.LEGACY_USERS || 80);

// Each command, asynchronously (its output read as it comes).
function eleva(args, key = 'sk_test_legacy_runbook') {
	return new Promise((resolve) => {
		const c = spawn(bin, ['legacy', ...args], { env: { ...process.env, WORKOS_API_KEY: key } });
		let stdout = '';
		let stderr = '';
		c.stdout.on('data', (d) => { stdout += d; });
		c.stderr.on('data', (d) => { stderr += d; });
		c.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

// validate's verdict: 'holds' (exit 0), or the lines of the checks that
// failed, so that a failure says which.
function verdict(r) {
	if (r.status === 0) return 'holds';
	return (r.stdout.match(/^FAIL .*$/mg) || [`exit ${r.status}: ${r.stderr}`]).join('\n');
}

// Everything a database holds, as one text: each table's rows (sorted) and
// each sequence's last value.
function digest(url) {
	const q = (query) => {
		const r = spawnSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
		return r.stdout.trim();
	};
	const tables = q(`SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
		WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`).split('\n').filter(Boolean);
	const parts = tables.map((t) => `SELECT ${lit(t)} || ' ' || count(*) || ' '
		|| md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ${t} x`);
	parts.push(`SELECT string_agg(format('%s.%s %s', schemaname, sequencename, last_value), ' ') FROM pg_sequences`);
	return q(parts.join(' UNION ALL '));
}

// WorkOS's users and organizations, all of them.
async function workosTotals() {
	const count = async (p) => {
		let n = 0;
		let after = null;
		do {
			const r = await workos('GET', `${p}?limit=100&order=asc${after ? `&after=${after}` : ''}`);
			n += r.json.data.length;
			after = r.json.list_metadata && r.json.list_metadata.after;
		} while (after);
		return n;
	};
	return `${await count('/user_management/users')} users, ${await count('/organizations')} organizations`;
}

// The rows each table should get: those of experts in the map.
function expected(experts) {
	const e = experts;
	return { profiles: e, events: 2 * e, schedules: e, schedule_availabilities: 10 * e, scheduling_settings: e,
		blocked_dates: 2 * e, meetings: 8 * e, records: 2 * e, payment_transfers: 3 * e };
}

// Local rows of a world's organizations, by table.
function localRows(w, table) {
	return Number(sql(`SELECT count(*) FROM ${table} t JOIN organizations o ON o.id = t.org_id
		WHERE o.slug IN (SELECT 'user-' || workos_user_id FROM users WHERE email ILIKE ${lit(`%${w.tag}%`)})`));
}

tap.run(async () => {
	const w = legacy.make(N);
	const map = path.join(w.dir, 'map.json');
	const db = ['--legacy-db', w.url, '--map', map];
	const ours = process.env.DATABASE_OWNER_URL;
	const left = [8, 9, 12].map((i) => w.users[i]);
	const mappedExperts = w.experts.filter((u) => !left.includes(u)).length;
	try {
		// Usage.
		for (const c of ['migrate-metadata', 'migrate-data', 'validate']) {
			const r = spawnSync(bin, ['legacy', c, '--map', map], { encoding: 'utf8' });
			tap.is(r.status, 2, `${c} without --legacy-db: usage (2)`);
		}

		// 1. Dry runs write nothing anywhere.
		let before = [digest(ours), digest(w.url), await workosTotals()];
		let r = await eleva(['import-users', '--clerk-export', w.csv, ...db, '--dry-run']);
		tap.is(r.status, 0, 'import-users --dry-run: exit 0');
		tap.is(JSON.stringify([digest(ours), digest(w.url), await workosTotals()]), JSON.stringify(before),
			'... nothing written: not here, not in the legacy database, not in WorkOS');
		tap.ok(!fs.existsSync(map), '... nor a map');

		const t0 = Date.now();
		r = await eleva(['import-users', '--clerk-export', w.csv, ...db]);
		const importSecs = (Date.now() - t0) / 1000;
		tap.is(r.status, 0, `import-users: exit 0 (${N} users in ${importSecs.toFixed(1)} s, `
			+ `${(N / importSecs).toFixed(1)} users/s against the emulator)`);

		before = [digest(ours), digest(w.url), await workosTotals()];
		r = await eleva(['migrate-metadata', ...db, '--dry-run']);
		tap.is(r.status, 0, 'migrate-metadata --dry-run: exit 0');
		const plan = r.stdout.match(/(\d+) roles, (\d+) expert setups \((\d+) complete\), (\d+) preferences would change/);
		tap.ok(plan && Number(plan[2]) > 0, `... it says what it would change: ${plan && plan[0]}`);
		r = await eleva(['migrate-data', ...db, '--dry-run']);
		tap.is(r.status, 0, 'migrate-data --dry-run: exit 0');
		const total = Object.values(expected(mappedExperts)).reduce((a, b) => a + b, 0) + 3;
		tap.like(r.stdout, new RegExp(`\\(dry run\\): ${total} rows would be copied; nothing was written`),
			`... it says what it would copy (${total} rows)`);
		r = await eleva(['validate', ...db]);
		tap.is(r.status, 1, 'validate before the copy: exit 1');
		tap.like(r.stdout, /FAIL {2}per-table counts match the legacy database: categories: 3 of 3 not copied/,
			'... the counts fail, table by table');
		tap.is(JSON.stringify([digest(ours), digest(w.url), await workosTotals()]), JSON.stringify(before),
			'the dry runs and validate wrote nothing anywhere (sequences included)');

		// 2. The run, then validate: every check holds.
		r = await eleva(['migrate-metadata', ...db]);
		tap.is(r.status, 0, 'migrate-metadata: exit 0');
		tap.like(r.stdout, new RegExp(`${plan[2]} expert setups \\(${plan[3]} complete\\), ${plan[4]} preferences changed`),
			'... it changed what the dry run said');
		const meta = r.stderr;
		const t1 = Date.now();
		r = await eleva(['migrate-data', ...db]);
		const dataSecs = (Date.now() - t1) / 1000;
		tap.is(r.status, 0, `migrate-data: exit 0 (${total} rows in ${dataSecs.toFixed(1)} s)`);
		tap.like(r.stdout, new RegExp(`migrate-data: ${total} rows copied in .*, 0 refused`), '... every row copied');
		const data = r.stderr;
		// A production database also logs what belongs to no organization
		// (a refused sign-in): the audit log is not tenant data.
		await fetch(`${APP_URL}/auth/callback?code=c&state=${'x'.repeat(43)}`);
		tap.is(sql("SELECT count(*) > 0 FROM audit_logs WHERE org_id IS NULL AND chain = ''"), 't',
			'a refused sign-in is in the audit log, in no organization');
		r = await eleva(['validate', ...db]);
		tap.is(verdict(r), 'holds', 'validate: exit 0');
		tap.like(r.stdout, /validate: every check holds/, '... every check holds');
		tap.is((r.stdout.match(/^ok {4}/mg) || []).length, 11, '... eleven checks, each ok');
		tap.unlike(r.stdout, /FAIL/, '... none failed');
		tap.like(r.stdout, /3 left out by rule/, '... the three users left out named as such');

		// What each table became, checked here on its own.
		for (const [table, n] of Object.entries(expected(mappedExperts))) {
			tap.is(localRows(w, table), n, `${table}: ${n} rows in the experts' organizations`);
		}
		tap.is(sql(`SELECT count(*) FROM meetings m JOIN events e ON e.id = m.event_id WHERE m.guest_email ILIKE ${lit(`%${w.tag}%`)}
			AND (m.org_id <> e.org_id OR m.workos_user_id <> e.workos_user_id OR m.guest_workos_user_id IS NOT NULL
			OR m.guest_org_id IS NOT NULL)`), '0', "meetings: the expert's organization and event; no guest id, even for a user");
		const guestIsUser = (data.match(/is also a user: left unlinked/g) || []).length;
		tap.is(guestIsUser, mappedExperts, '... each meeting whose guest is also a user reported');
		const full = w.experts.find((u, k) => !left.includes(u) && u.role === 'top_expert' && k % 4 !== 3
			&& !u.edge.length && u.publicMeta && /expertSetup/.test(u.unsafeMeta) && !/"google_account":false/.test(u.unsafeMeta));
		tap.ok(full, 'an expert whose setup was complete in Clerk');
		tap.is(sql(`SELECT u.role || ' ' || s.setup_complete || ' ' || p.published || ' ' || p.handle FROM users u
			JOIN expert_setup s USING (workos_user_id) JOIN profiles p USING (workos_user_id) WHERE u.email = ${lit(full.email)}`),
		`expert_top true true ${full.username}`, '... is published here, under his Clerk username');
		const page = await fetch(`${APP_URL}/${full.username}`);
		tap.is(page.status, 200, '... his public page answers');
		tap.like(await page.text(), new RegExp(full.first), '... with his name');
		const five = w.users[1];
		tap.is(sql(`SELECT s.google_account_completed || ' ' || s.setup_complete || ' ' || p.published || ' '
			|| coalesce(p.handle, '-') FROM users u JOIN expert_setup s USING (workos_user_id)
			JOIN profiles p USING (workos_user_id) WHERE u.email = ${lit(five.email)}`),
		'false false false -', 'five of six setup steps: not complete, not published, no handle ("Dashboard" is a route)');
		tap.like(meta, new RegExp(`${five.clerkId}: expertSetup has 5 of 6 steps done`), '... reported by migrate-metadata');
		tap.like(data, new RegExp(`profiles [0-9a-f-]+ of ${five.clerkId}: published in the legacy app, left unpublished: `
			+ 'the username "Dashboard" is not a free handle'), '... and by migrate-data');
		const prefs = w.users.find((u, i) => i % 3 === 0 && !left.includes(u) && u.publicMeta && /securityAlerts/.test(u.publicMeta));
		tap.is(sql(`SELECT security_alerts || ' ' || new_device_alerts || ' ' || email_notifications || ' ' || theme
			FROM user_preferences p JOIN users u USING (workos_user_id) WHERE u.email = ${lit(prefs.email)}`),
		'false true true light', "securityPreferences: Clerk's two keys, the defaults for the rest");
		const bad = w.users[4];
		tap.like(meta, new RegExp(`${bad.clerkId}: public_metadata is not a JSON object`), 'malformed metadata reported');
		tap.is(sql(`SELECT role FROM users WHERE email = ${lit(bad.email)}`), 'user', '... and that user is a user');
		for (const [u, why] of [[w.users[8], 'its e-mail address is .*already'], [w.users[9], 'no e-mail address'],
			[w.users[12], 'the e-mail address is not valid']]) {
			tap.like(data, new RegExp(`meetings: ${u.clerkId}: 8 rows not copied: ${why}`), `an expert left out: ${why} (${u.clerkId})`);
		}
		tap.is(sql(`SELECT p.name FROM categories c JOIN categories p ON p.id = c.parent_id
			WHERE c.name = ${lit(`Prenatal nutrition ${w.tag}`)}`), `Nutrition ${w.tag}`, 'categories: the parent kept');
		tap.is(sql("SELECT count(*) FROM categories WHERE name = 'Pregnancy'"), '1', '... one of the same name joined, not doubled');
		tap.is(sql(`SELECT string_agg(DISTINCT t.status::text, ',' ORDER BY t.status::text) FROM payment_transfers t
			WHERE t.payment_intent_id LIKE ${lit(`pi_${w.tag}%`)}`), 'COMPLETED,PENDING', 'payment transfers: statuses as ours');

		// 3. Everything again: nothing new anywhere.
		before = [digest(ours), await workosTotals()];
		for (const args of [['import-users', '--clerk-export', w.csv, ...db], ['migrate-metadata', ...db],
			['migrate-data', ...db], ['validate', ...db]]) {
			r = await eleva(args);
			tap.is(r.status, 0, `${args[0]} again: exit 0`);
		}
		tap.like(r.stdout, /every check holds/, '... validate still holds');
		tap.is(JSON.stringify([digest(ours), await workosTotals()]), JSON.stringify(before), '... and no new row here, no new WorkOS object');

		// 4. A row the database refuses: reported, the rest lands; validate
		// fails until the legacy row is fixed and copied.
		const owner = full.clerkId;
		legacy.psqlSuper(w.db, `INSERT INTO events (id, clerk_user_id, name, slug, duration_in_minutes)
			VALUES ('00000000-0000-4000-8000-000000000001', ${lit(owner)}, 'Quick hello', 'quick-hello', 2),
			('00000000-0000-4000-8000-000000000002', ${lit(owner)}, 'Long talk', 'long-talk', 90)`);
		r = await eleva(['migrate-data', ...db]);
		tap.is(r.status, 1, 'a legacy event of 2 minutes: migrate-data exits 1');
		tap.like(r.stderr, new RegExp(`events 00000000-0000-4000-8000-000000000001 of ${owner}: refused: .*duration_in_minutes`),
			'... the refused row reported by id, user and why');
		tap.is(sql("SELECT name FROM events WHERE id = '00000000-0000-4000-8000-000000000002'"), 'Long talk',
			'... the rest of its batch copied');
		r = await eleva(['validate', ...db, '--skip-workos']);
		tap.is(r.status, 1, '... validate: exit 1');
		tap.like(r.stdout, /FAIL {2}per-table counts match the legacy database: events: 1 of \d+ not copied/, '... naming the table');
		legacy.psqlSuper(w.db, "UPDATE events SET duration_in_minutes = 15 WHERE id = '00000000-0000-4000-8000-000000000001'");
		r = await eleva(['migrate-data', ...db]);
		tap.is(r.status, 0, 'the legacy row fixed: migrate-data exits 0');
		r = await eleva(['validate', ...db, '--skip-workos']);
		tap.is(verdict(r), 'holds', '... validate holds again');

		// validate sees a broken membership.
		const m0 = JSON.parse(fs.readFileSync(map, 'utf8'))[0];
		sql(`UPDATE user_org_memberships SET status = 'suspended' WHERE workos_user_id = ${lit(m0.workosUserId)} AND role = 'owner'`);
		r = await eleva(['validate', ...db, '--skip-workos']);
		tap.like(r.stdout, new RegExp(`FAIL {2}every mapped user owns his organization here: 1 do not: ${m0.workosUserId}`),
			'a suspended owner membership: validate names the user');
		sql(`UPDATE user_org_memberships SET status = 'active' WHERE workos_user_id = ${lit(m0.workosUserId)} AND role = 'owner'`);

		// 5. A copy killed halfway (held on a lock at meetings), then run again.
		const k = legacy.make(40);
		const kmap = path.join(k.dir, 'map.json');
		const kdb = ['--legacy-db', k.url, '--map', kmap];
		const kleft = [8, 9, 12].map((i) => k.users[i]);
		const kexperts = k.experts.filter((u) => !kleft.includes(u)).length;
		r = await eleva(['import-users', '--clerk-export', k.csv, ...kdb], 'sk_test_legacy_runbook_kill');
		tap.is(r.status, 0, 'a second world imported');
		r = await eleva(['migrate-metadata', ...kdb]);
		const lock = spawn('psql', [ours, '-X', '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'inherit'] });
		lock.stdin.write('BEGIN; LOCK TABLE public.meetings IN ACCESS EXCLUSIVE MODE; SELECT 1;\n');
		await waitFor(() => sql("SELECT count(*) FROM pg_locks WHERE relation = 'public.meetings'::regclass AND granted") !== '0',
			10000, 'the lock');
		const child = spawn(bin, ['legacy', 'migrate-data', ...kdb], { stdio: 'ignore' });
		const held = await waitFor(() => sql(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
			AND query LIKE '%legacy_imports%'`) !== '0', 20000, 'migrate-data waiting at meetings');
		tap.ok(held, 'migrate-data is held at meetings');
		child.kill('SIGKILL');
		await exited(child);
		lock.stdin.end('ROLLBACK;\n');
		await exited(lock);
		tap.is(localRows(k, 'events'), 2 * kexperts, '... killed: the tables before it copied');
		tap.is(localRows(k, 'meetings'), 0, '... and nothing of meetings');
		r = await eleva(['migrate-data', ...kdb]);
		tap.is(r.status, 0, 'run again: exit 0');
		tap.like(r.stdout, /events: \d+ read, 0 copied/, '... what was copied is not copied again');
		for (const [table, n] of Object.entries(expected(kexperts))) {
			tap.is(localRows(k, table), n, `... ${table}: ${n} rows, each once`);
		}
		r = await eleva(['validate', ...kdb], 'sk_test_legacy_runbook_kill');
		tap.is(verdict(r), 'holds', '... and validate holds');
		k.drop();
	} finally {
		w.drop();
	}
});
