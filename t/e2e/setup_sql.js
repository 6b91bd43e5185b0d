// setup_sql: sql/0004_setup.sql as the owner sees it, on a scratch database
// of the test stack.  Applied over rows written before it, it undoes a
// payment step done without identity and recomputes every completion that
// disagrees with its flags (a complete row keeps its time, the others are
// not touched; a row that was marked complete and is not has its published
// profile unpublished, audited), and unpublishes profiles published without
// a handle; afterwards the completion trigger overrides what even the
// owner writes, the CHECKs refuse payment before identity and a published
// profile without a handle (23514), and app.setup_webhook's refusals leave
// webhook_deliveries and audit_logs as they were while it forgets
// deliveries older than a day; a delivery for an expert who has no setup
// row yet waits for a transaction creating that row and is then checked
// against it.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, SRCDIR } = require('../lib/stack');

const { DATABASE_OWNER_URL, PG_SOCKET_DIR } = env();
const bin = process.env.ELEVA_BIN || path.join(SRCDIR, 'build', 'app', 'eleva');
const port = DATABASE_OWNER_URL ? new URL(DATABASE_OWNER_URL).port : '';
const scratch = `eleva_setup_test_${process.pid}`;

function scratchUrl() {
	const url = new URL(DATABASE_OWNER_URL);
	url.pathname = `/${scratch}`;
	return url.toString();
}

// psql as the bootstrap superuser, or as the owner in the scratch database;
// returns { code, out, err } (one transaction per call).
function psql(sql, asOwner) {
	const args = asOwner ? [scratchUrl()] : ['-h', PG_SOCKET_DIR, '-p', port, '-U', 'postgres', '-d', 'postgres'];
	const r = spawnSync('psql', [...args, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
	return { code: r.status, out: (r.stdout || '').trim(), err: r.stderr || '' };
}
function owner(sql) {
	const r = psql(sql, true);
	if (r.code !== 0) throw new Error(`psql: ${r.err}`);
	return r.out;
}

function migrate(dir) {
	const r = spawnSync(bin, ['migrate', '--dir', dir], {
		encoding: 'utf8',
		env: { ...process.env, DATABASE_OWNER_URL: scratchUrl() },
	});
	return { code: r.status, out: r.stdout, err: r.stderr };
}

// An open psql session as the owner in the scratch database: send(sql)
// runs statements and resolves with what they printed (up to a marker);
// close() ends the session.
function session() {
	const p = spawn('psql', [scratchUrl(), '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	let waiting = null;
	p.stdout.on('data', (d) => {
		out += d;
		const i = out.indexOf('--done--\n');
		if (waiting && i >= 0) {
			const w = waiting;
			waiting = null;
			const got = out.slice(0, i).trim();
			out = out.slice(i + 9);
			w.resolve(got);
		}
	});
	p.stderr.on('data', (d) => { err += d; });
	p.on('exit', (code) => { if (waiting) waiting.reject(new Error(`psql exited ${code}: ${err}`)); });
	return {
		send: (sql) => new Promise((resolve, reject) => {
			waiting = { resolve, reject };
			p.stdin.write(`${sql}\n\\echo --done--\n`);
		}),
		close: () => new Promise((resolve) => { p.on('close', resolve); p.stdin.end(); }),
	};
}
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// Set just before 0004 is applied.
let t0 = null;

// The six flags, setup_complete (t or f) and setup_completed_at of one
// expert (the time as 'null', 'now' when since t0, else its date).
function state(who) {
	return owner(`SELECT concat_ws(' ', profile_completed, availability_completed, events_completed,
	    google_account_completed, identity_completed, payment_completed, '|', setup_complete,
	    CASE WHEN setup_completed_at IS NULL THEN 'null' WHEN setup_completed_at >= '${t0}' THEN 'now'
	    ELSE to_char(setup_completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') END)
	    FROM public.expert_setup WHERE workos_user_id = 'user_${who}'`);
}

tap.run(async () => {
	if (!PG_SOCKET_DIR) tap.skipAll('PG_SOCKET_DIR is not set');
	if (!DATABASE_OWNER_URL) tap.skipAll('DATABASE_OWNER_URL is not set');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-setup-'));
	const made = psql(`CREATE DATABASE ${scratch} OWNER eleva_owner`);
	if (made.code !== 0) throw new Error(`psql: ${made.err}`);
	try {
		const sqlDir = path.join(SRCDIR, 'sql');
		for (const f of fs.readdirSync(sqlDir).filter((n) => /^000[123]_.*\.sql$/.test(n))) {
			fs.copyFileSync(path.join(sqlDir, f), path.join(dir, f));
		}
		let r = migrate(dir);
		tap.is(r.code, 0, 'migrations 0001-0003 build a scratch database');

		// Experts in every state the app could leave before 0004.
		owner(`SELECT app.provision_user('user_' || w, w || '@example.test', w, NULL, 'expert_top', 'org_' || w)
		    FROM unnest(ARRAY['x1', 'x2', 'x3', 'x4', 'x5', 'x7']) w`);
		owner(`UPDATE public.expert_setup SET profile_completed = true, availability_completed = true,
		    events_completed = true, google_account_completed = true, payment_completed = true
		    WHERE workos_user_id = 'user_x1'`);
		owner(`UPDATE public.expert_setup SET profile_completed = true, availability_completed = true,
		    events_completed = true, google_account_completed = true, identity_completed = true,
		    payment_completed = true, setup_complete = true, setup_completed_at = '2020-01-01Z',
		    updated_at = '2020-01-01Z'
		    WHERE workos_user_id = 'user_x2'`);
		owner(`UPDATE public.expert_setup SET profile_completed = true, availability_completed = true,
		    events_completed = true, google_account_completed = true, identity_completed = true,
		    payment_completed = true WHERE workos_user_id = 'user_x3'`);
		owner(`UPDATE public.expert_setup SET identity_completed = true, setup_complete = true,
		    setup_completed_at = '2020-01-01Z' WHERE workos_user_id = 'user_x4'`);
		// Published profiles: x2 (complete) and x4 (marked complete without its
		// steps) with a handle, x7 (nothing done) without one.
		owner(`INSERT INTO public.profiles (org_id, workos_user_id, handle, first_name, last_name, published)
		    SELECT s.org_id, s.workos_user_id, CASE WHEN s.workos_user_id <> 'user_x7' THEN 'handle-' || w END, w, 'X', true
		    FROM unnest(ARRAY['x2', 'x4', 'x7']) w JOIN public.expert_setup s ON s.workos_user_id = 'user_' || w`);
		const before = owner(`SELECT string_agg(workos_user_id || '=' || updated_at, ',' ORDER BY workos_user_id)
		    FROM public.expert_setup WHERE workos_user_id IN ('user_x2', 'user_x5')`);
		const published = () => owner(`SELECT string_agg(workos_user_id || '=' || published, ',' ORDER BY workos_user_id)
		    FROM public.profiles`);

		t0 = owner('SELECT clock_timestamp()');
		fs.copyFileSync(path.join(sqlDir, '0004_setup.sql'), path.join(dir, '0004_setup.sql'));
		r = migrate(dir);
		tap.is(r.code, 0, '0004_setup.sql applies over those rows');
		if (r.code !== 0) tap.diag(r.err);
		tap.is(r.out, 'applied  0004_setup.sql\n', '... applying only it');

		tap.is(state('x1'), 't t t t f f | f null',
			'payment done without identity: the payment step is undone, not complete');
		tap.is(state('x2'), 't t t t t t | t 2020-01-01',
			'complete with all six steps: still complete, at its time');
		tap.is(state('x3'), 't t t t t t | t now',
			'all six steps but not marked complete: complete now');
		tap.is(state('x4'), 'f f f f t f | f null',
			'marked complete without its steps: not complete, no time');
		tap.is(state('x5'), 'f f f f f f | f null', 'nothing done: nothing changes');
		tap.is(owner(`SELECT string_agg(workos_user_id || '=' || updated_at, ',' ORDER BY workos_user_id)
		    FROM public.expert_setup WHERE workos_user_id IN ('user_x2', 'user_x5')`), before,
			'... and the consistent rows were not rewritten (updated_at as before)');
		tap.is(published(), 'user_x2=true,user_x4=false,user_x7=false',
			'profiles: complete x2\'s stays published; x4\'s (no longer complete) and x7\'s (no handle) are unpublished');
		tap.is(owner(`SELECT string_agg(concat_ws(' ', workos_user_id, action, resource_id, metadata::text,
		    org_id = (SELECT id FROM public.organizations WHERE slug = 'user-' || resource_id)), ',') FROM public.audit_logs`),
			'user_x4 PROFILE_UNPUBLISHED user_x4 {"reason": "setup_incomplete"} t',
			'... x4\'s unpublication audited, in his name (no user) and organization, by the trigger');

		// A published profile has a handle, even for the owner.
		r = psql(`DO $$ BEGIN UPDATE public.profiles SET published = true WHERE workos_user_id = 'user_x7';
		    EXCEPTION WHEN check_violation THEN RAISE NOTICE 'sqlstate % %', SQLSTATE, SQLERRM; END $$`, true);
		tap.like(r.err, /sqlstate 23514 .*"profiles_published_needs_handle"/,
			'publishing a profile without a handle, even as the owner: refused by profiles_published_needs_handle (23514)');

		// The owner is bound by the trigger and the CHECK too.
		r = psql(`UPDATE public.expert_setup SET payment_completed = true WHERE workos_user_id = 'user_x5'`, true);
		tap.ok(r.code !== 0, 'payment before identity, even as the owner: refused');
		tap.like(r.err, /violates check constraint "expert_setup_payment_after_identity"/, '... by the CHECK');
		r = psql(`DO $$ BEGIN UPDATE public.expert_setup SET payment_completed = true WHERE workos_user_id = 'user_x5';
		    EXCEPTION WHEN check_violation THEN RAISE NOTICE 'sqlstate %', SQLSTATE; END $$`, true);
		tap.like(r.err, /sqlstate 23514/, '... with SQLSTATE 23514');
		owner(`UPDATE public.expert_setup SET setup_complete = true, setup_completed_at = now()
		    WHERE workos_user_id = 'user_x5'`);
		tap.is(state('x5'), 'f f f f f f | f null',
			'an UPDATE writing setup_complete and setup_completed_at: ignored');
		owner(`UPDATE public.expert_setup SET setup_completed_at = '1999-01-01Z', profile_completed = true
		    WHERE workos_user_id = 'user_x2'`);
		tap.is(state('x2'), 't t t t t t | t 2020-01-01',
			'a complete row given another setup_completed_at: keeps its own');
		owner(`SELECT app.provision_user('user_y1', 'y1@example.test', 'Y', NULL, 'user', 'org_y1')`);
		owner(`INSERT INTO public.expert_setup (workos_user_id, org_id, setup_complete, setup_completed_at)
		    SELECT 'user_y1', id, true, '2020-01-01Z' FROM public.organizations WHERE slug = 'user-user_y1'`);
		tap.is(state('y1'), 'f f f f f f | f null',
			'an INSERT claiming completion: not complete');
		owner(`INSERT INTO public.expert_setup (workos_user_id, org_id, profile_completed, availability_completed,
		    events_completed, google_account_completed, identity_completed, payment_completed)
		    SELECT 'user_x6', o.id, true, true, true, true, true, true
		    FROM (SELECT app.provision_user('user_x6', 'x6@example.test', 'X', NULL, 'user', 'org_x6') AS id) o`);
		tap.is(state('x6'), 't t t t t t | t now',
			'an INSERT with all six steps: complete now');

		// The webhook: what it writes, and what it does not.
		const counts = () => owner(`SELECT (SELECT count(*) FROM public.webhook_deliveries) || ' deliveries, '
		    || (SELECT count(*) FROM public.audit_logs WHERE action <> 'PROFILE_UNPUBLISHED') || ' audit rows'`);
		owner(`INSERT INTO public.webhook_deliveries (id, received_at) VALUES
		    ('old', now() - interval '25 hours'), ('recent', now() - interval '23 hours')`);
		tap.is(counts(), '2 deliveries, 0 audit rows', 'two deliveries recorded, 25 and 23 hours ago');
		const hook = (who, step, status, d) => owner(`SELECT app.setup_webhook('user_${who}', '${step}', '${status}', '${d}')`);
		tap.is(hook('x5', 'nonsense', 'complete', 'd1'), 'unknown_step', 'unknown_step');
		tap.is(owner('SELECT string_agg(id, \',\') FROM public.webhook_deliveries'), 'recent',
			'... wrote no delivery, and forgot the one of 25 hours ago');
		for (const [who, step, status, d, want] of [
			['x5', 'identity', 'done', 'd1', 'bad_status'],
			['nobody', 'identity', 'complete', 'd1', 'unknown_user'],
			['x5', 'identity', 'complete', 'recent', 'duplicate'],
			['x5', 'payment', 'complete', 'd1', 'order'],
		]) {
			tap.is(hook(who, step, status, d), want, want);
			tap.is(counts(), '1 deliveries, 0 audit rows', '... wrote nothing');
		}
		tap.is(hook('x5', 'identity', 'complete', 'd1'), 'ok', 'ok');
		tap.is(counts(), '2 deliveries, 1 audit rows', '... one delivery, one audit row');
		tap.is(hook('x5', 'identity', 'complete', 'd2'), 'unchanged', 'unchanged');
		tap.is(counts(), '3 deliveries, 1 audit rows', '... one delivery, no audit row');
		tap.is(owner(`SELECT workos_user_id || ' ' || action || ' ' || (org_id = (SELECT id FROM public.organizations
		    WHERE slug = 'user-user_x5')) FROM public.audit_logs WHERE action <> 'PROFILE_UNPUBLISHED'`),
			'user_x5 SETUP_STEP_COMPLETED true',
			'the audit row: in the expert\'s name and organization');

		// A delivery for an expert without a row, while another transaction
		// creates his row (his first form) with that very step done: the
		// webhook waits for it, then checks the delivery against that row.
		owner(`SELECT app.provision_user('user_z1', 'z1@example.test', 'Z', NULL, 'user', 'org_z1');
		    UPDATE public.users SET role = 'expert_top' WHERE workos_user_id = 'user_z1'`);
		const first = session();
		const second = session();
		try {
			await first.send(`BEGIN; INSERT INTO public.expert_setup (workos_user_id, org_id)
			    SELECT 'user_z1', id FROM public.organizations WHERE slug = 'user-user_z1';
			    UPDATE public.expert_setup SET identity_completed = true WHERE workos_user_id = 'user_z1';`);
			const answer = second.send(`SELECT app.setup_webhook('user_z1', 'identity', 'complete', 'dz1');`);
			let blocked = '0';
			for (let i = 0; i < 100 && blocked !== '1'; i++) {
				await sleep(50);
				blocked = owner(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
				    AND wait_event_type = 'Lock' AND query LIKE '%setup_webhook(''user_z1''%'`);
			}
			tap.is(blocked, '1', 'a delivery for promoted expert z1 (no row yet) waits while his first form creates the row');
			await first.send('COMMIT;');
			tap.is(await answer, 'unchanged', '... then finds that row, with identity done: unchanged');
		} finally {
			await first.close();
			await second.close();
		}
		tap.is(owner(`SELECT count(*) || ' ' || bool_and(identity_completed) FROM public.expert_setup
		    WHERE workos_user_id = 'user_z1'`), '1 true', '... one row, his');
		tap.is(owner(`SELECT (SELECT count(*) FROM public.webhook_deliveries WHERE id = 'dz1') || ' '
		    || (SELECT count(*) FROM public.audit_logs WHERE resource_id = 'user_z1')`), '1 0',
			'... the delivery recorded once, no audit row');
	} finally {
		psql(`DROP DATABASE IF EXISTS ${scratch}`);
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
