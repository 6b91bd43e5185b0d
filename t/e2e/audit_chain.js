// audit_chain: the audit log's tamper evidence and retention (issue 14,
// sql/0014_audit_chain.sql, eleva audit): each organization's rows form a
// hash chain made in the database at insert; `eleva audit verify` finds a
// row changed or removed by the owner, and 50 concurrent inserts leave an
// intact chain; `eleva audit prune` removes nothing in a dry run, keeps
// everything newer than the cutoff, and leaves a chain that still
// verifies.
'use strict';

const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, SRCDIR } = require('../lib/stack');
const fs = require('node:fs');
const { request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');

const { DATABASE_URL, APP_URL, ELEVA_VAR } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');
const bin = process.env.ELEVA_BIN || path.join(SRCDIR, 'build', 'app', 'eleva');

const eleva = (...args) => spawnSync(bin, ['audit', ...args], { encoding: 'utf8', env: process.env });

// A new organization with nothing in its chain yet.
function newOrg() {
	const tag = crypto.randomBytes(6).toString('hex');
	return sql(`INSERT INTO organizations (workos_org_id, slug, name, type)
		VALUES ('org_audit${tag}', 'audit-${tag}', 'Audit ${tag}', 'patient_personal') RETURNING id`);
}

// One audit row of org through the privileged entry point, as the owner.
const write = (org, n) => `SELECT app.audit_write(NULL, ${lit(org)}, 'TEST_AUDIT_CHAIN', 'test', '${n}', NULL,
	'{"n": ${n}}', NULL)`;

// psql as the owner, in the background: resolves to its exit status.
const psqlAsync = (query) => new Promise((resolve) => {
	const p = spawn('psql', [process.env.DATABASE_OWNER_URL, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query],
		{ stdio: 'ignore' });
	p.on('exit', (code) => resolve(code));
});

const idAt = (org, seq) => sql(`SELECT id FROM audit_logs WHERE org_id = ${lit(org)} AND chain_seq = ${seq}`);

tap.run(async () => {
	// Usage.
	let r = eleva('verify', '--older-than', '7y');
	tap.is(r.status, 2, 'eleva audit verify --older-than: bad usage (2)');
	r = eleva('prune', '--older-than', '7 years');
	tap.is(r.status, 2, 'eleva audit prune --older-than "7 years": bad usage (2), the age is 7y');
	r = eleva('prune');
	tap.is(r.status, 2, 'eleva audit prune without an age: bad usage (2)');

	// The stack's log so far, written by the whole suite: intact.
	r = eleva('verify');
	tap.is(r.status, 0, `eleva audit verify on the stack's log: exit 0`);
	tap.like(r.stdout, /(^|\n)intact\n$/, '... "intact"');

	// 50 concurrent inserts in one organization.
	const busy = newOrg();
	const codes = await Promise.all([...Array(50)].map((_, i) => psqlAsync(write(busy, i))));
	tap.ok(codes.every((c) => c === 0), '50 audit rows written at once in one organization');
	tap.is(sql(`SELECT count(DISTINCT chain_seq) || '/' || min(chain_seq) || '/' || max(chain_seq)
		FROM audit_logs WHERE org_id = ${lit(busy)}`), '50/1/50', '... numbered 1 to 50 in their chain, none twice');
	r = eleva('verify', '--org', busy);
	tap.is(`${r.status} ${r.stdout.trim()}`, `0 organization ${busy}: intact (50 rows)\nintact`,
		'... and the chain verifies: intact (50 rows)');

	// The app role can neither change nor remove a row, nor see the heads.
	const appPsql = (q) => spawnSync('psql', [DATABASE_URL, '-X', '-q', '-At', '-c', q], { encoding: 'utf8' });
	r = appPsql(`DELETE FROM audit_logs WHERE org_id = ${lit(busy)}`);
	tap.like(r.stderr, /permission denied/, 'the app role may not delete audit rows');
	r = appPsql('SELECT * FROM audit_chain_heads');
	tap.like(r.stderr, /permission denied/, '... nor read the chains\' heads');

	// A row changed by the owner.
	const changed = newOrg();
	for (let i = 0; i < 5; i++) sql(write(changed, i));
	const victim = idAt(changed, 3);
	sql(`UPDATE audit_logs SET new_values = '{"n": 999}' WHERE id = ${victim}`);
	r = eleva('verify', '--org', changed);
	tap.is(r.status, 1, 'a row changed after it was written: verify exits 1');
	tap.like(r.stdout, new RegExp(`broken at audit row ${victim}: its content does not match its hash`),
		'... naming that row and why');
	tap.like(r.stdout, /\nBROKEN\n$/, '... "BROKEN"');
	r = eleva('verify');
	tap.is(r.status, 1, '... and so does verify of every chain');

	// A row removed in the middle, then one at the end.
	const gap = newOrg();
	for (let i = 0; i < 5; i++) sql(write(gap, i));
	const after = idAt(gap, 3);
	sql(`DELETE FROM audit_logs WHERE org_id = ${lit(gap)} AND chain_seq = 2`);
	r = eleva('verify', '--org', gap);
	tap.is(r.status, 1, 'a row removed from the middle: exit 1');
	tap.like(r.stdout, new RegExp(`broken at audit row ${after}: sequence 3 follows 1: rows are missing before it`),
		'... naming the row after the gap');
	const tail = newOrg();
	for (let i = 0; i < 3; i++) sql(write(tail, i));
	sql(`DELETE FROM audit_logs WHERE org_id = ${lit(tail)} AND chain_seq = 3`);
	r = eleva('verify', '--org', tail);
	tap.like(`${r.status} ${r.stdout}`, /^1 .*broken: the chain ends at sequence 2, its head says 3/,
		'the last row removed: exit 1, the chain is shorter than its head');
	// Put the tampered chains out of the way of the rest (the owner's repair).
	sql(`DELETE FROM audit_logs WHERE org_id IN (${lit(changed)}, ${lit(gap)}, ${lit(tail)});
		DELETE FROM audit_chain_heads WHERE chain IN (${lit(changed)}, ${lit(gap)}, ${lit(tail)})`);

	// Retention: 5 rows of 8 years ago, one of now, then one more that
	// looks old (a transaction that began long ago): the prefix goes, the
	// late one stays with what follows it.
	const old = newOrg();
	const ins = (age, n) => sql(`INSERT INTO audit_logs (org_id, action, resource_type, resource_id, created_at)
		VALUES (${lit(old)}, 'TEST_AUDIT_CHAIN', 'test', '${n}', now() - interval '${age}')`);
	for (let i = 0; i < 5; i++) ins('8 years', i);
	ins('1 day', 5);
	ins('8 years', 6);
	const count = () => Number(sql(`SELECT count(*) FROM audit_logs WHERE org_id = ${lit(old)}`));
	r = eleva('prune', '--older-than', '7y');
	tap.is(r.status, 0, 'eleva audit prune --older-than 7y (a dry run): exit 0');
	tap.like(r.stdout, new RegExp(`organization ${old}: would remove 5 rows \\(up to sequence 5, older than `),
		'... would remove the five old rows before the new one');
	tap.is(count(), 7, '... and removes nothing');
	r = eleva('prune', '--older-than', '7y', '--execute');
	tap.is(r.status, 0, 'with --execute: exit 0');
	tap.like(r.stdout, new RegExp(`organization ${old}: removed 5 rows`), '... removed 5 rows');
	tap.is(sql(`SELECT string_agg(resource_id, ',' ORDER BY chain_seq) FROM audit_logs WHERE org_id = ${lit(old)}`), '5,6',
		'... keeping the new row and the late one after it');
	tap.is(sql(`SELECT rows_removed || '/' || up_to_seq FROM audit_prunes WHERE chain = ${lit(old)}`), '5/5',
		'... recording what it removed');
	r = eleva('verify', '--org', old);
	tap.is(`${r.status} ${r.stdout.trim()}`, `0 organization ${old}: intact (2 rows)\nintact`,
		'... and what remains verifies from the anchor');
	sql(write(old, 7));
	r = eleva('verify', '--org', old);
	tap.is(r.status, 0, '... and goes on verifying after new rows');
	r = eleva('prune', '--older-than', '7y', '--execute');
	tap.unlike(r.stdout, new RegExp(old), 'pruning again removes nothing more from it');
	r = eleva('verify');
	tap.is(r.status, 0, 'every chain verifies at the end');

	// Personal values are redacted as they are stored, at any depth;
	// the rest is kept, and the chain is made over what is stored.
	const priv = newOrg();
	sql(`SELECT app.audit_write(NULL, ${lit(priv)}, 'TEST_AUDIT_CHAIN', 'test', 'privacy',
		'{"Email": "old@example.test", "notes": null}',
		('{"guest_email": "a@example.test", "name": "Ana", "nested": {"phone": "+351 900"}, ' ||
		'"list": [{"access_token": "t0k3n"}, 3], "ip_address": "192.0.2.1", "email": null}')::jsonb, NULL)`);
	tap.is(sql(`SELECT old_values::text || ' ' || new_values::text FROM audit_logs WHERE org_id = ${lit(priv)}`),
		'{"Email": "[redacted]", "notes": null} {"list": [{"access_token": "[redacted]"}, 3], "name": "[redacted]", ' +
		'"email": null, "nested": {"phone": "[redacted]"}, "ip_address": "[redacted]", "guest_email": "[redacted]"}',
		'personal values (e-mail, phone, token, address, name since 0017, at any depth) are stored redacted; numbers and nulls kept');
	r = eleva('verify', '--org', priv);
	tap.is(r.status, 0, '... and the chain verifies over what was stored');

	// Nothing changes unrecorded: when the audit row of a change cannot be
	// written, the change is rolled back and the page says so (503).
	const u = await newUser('Nora', 'Unrecorded');
	const s = await signIn(APP_URL, u.email);
	const theme = () => sql(`SELECT theme FROM user_preferences WHERE workos_user_id = ${lit(u.id)}`);
	const before = theme();
	const change = async () => request(`${APP_URL}/settings/security`, s.jar, { form: {
		csrf: csrfOf((await request(`${APP_URL}/settings/security`, s.jar)).body), theme: before === 'dark' ? 'light' : 'dark',
		language: 'en' }, headers: { origin: APP_URL } });
	sql(`ALTER TABLE audit_logs ADD CONSTRAINT test_refuse_preferences CHECK (action <> 'PREFERENCES_UPDATED') NOT VALID`);
	try {
		r = await change();
	} finally {
		sql('ALTER TABLE audit_logs DROP CONSTRAINT test_refuse_preferences');
	}
	tap.is(r.status, 503, 'nothing_unrecorded: a preferences change whose audit row cannot be written: 503');
	tap.like(r.body, /Your change could not be recorded in the audit log, so it was not made\./, '... saying why');
	tap.is(theme(), before, '... and the preference is unchanged');
	tap.like(fs.readFileSync(path.join(ELEVA_VAR, 'log', 'eleva.log'), 'utf8'),
		/AUDIT FAILURE: PREFERENCES_UPDATED on user_preferences .* was not recorded: the transaction will not commit/,
		'... logged loudly');
	r = await change();
	tap.is(r.status, 303, 'nothing_unrecorded: the audit table writable again, the same change: 303');
	tap.ok(theme() !== before, '... made');
});
