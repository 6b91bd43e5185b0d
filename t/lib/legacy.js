// legacy: a generated Clerk-era world for `eleva legacy` (t/e2e/legacy.js):
// a legacy database (t/fixtures/legacy/schema.sql) and Clerk's user export
// (CSV, the dashboard's columns) of n users, with the edge cases a real
// export has: users without a name, non-ASCII names, two users whose
// addresses differ only in case, one without an address and one with an
// address that is not one, missing and malformed metadata, an expert with
// five of six setup steps, bcrypt digests.
//
//   const legacy = require('../lib/legacy');
//   const w = legacy.make(200);   // {dir, csv, url, db, tag, users, drop()}
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { SRCDIR, env } = require('./stack');

// A bcrypt digest (of "correct horse battery staple", cost 4).
const BCRYPT = '$2b$04$xUmQvZgkHRfr5eAiDJpIyOIcfzZ9E9hK6m0vH9pC/TvSp6r6jKz8e';
const NAMES = [['Ana', 'Ferreira'], ['Conceição', 'Magalhães'], ['Zoë', 'Brontë'], ['Łucja', 'Wąs'],
	['佐藤', '花子'], ['Sérgio', "D'Ávila"], ['Inês', 'Gonçalves, Lda'], ['Renée', 'O"Neil']];
const ROLES = ['top_expert', 'community_expert', 'lecturer', 'admin'];
const STEPS = ['profile', 'availability', 'events', 'identity', 'payment', 'google_account'];

function psqlSuper(db, sql) {
	const { DATABASE_OWNER_URL, PG_SOCKET_DIR } = env();
	const port = new URL(DATABASE_OWNER_URL).port;
	const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', PG_SOCKET_DIR, '-p', port,
		'-U', 'postgres', '-d', db], { input: sql, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
	return r.stdout;
}

const csvField = (v) => (v == null ? '' : /[",\r\n]/.test(v) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const lit = (v) => (v == null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);

// The generated users: {clerkId, email, first, last, role (Clerk's), publicMeta, unsafeMeta, edge}.
function users(n, tag) {
	const out = [];
	for (let i = 0; i < n; i++) {
		const [first, last] = i % 97 === 5 ? ['', ''] : i % 13 === 3 ? NAMES[(i / 13 | 0) % NAMES.length] : [`User${i}`, `Legacy${tag}`];
		const u = { clerkId: `user_2${tag}${String(i).padStart(6, '0')}`, email: `legacy.${tag}.${i}@example.test`, first, last,
			edge: [], digest: i % 5 === 0 ? BCRYPT : '', hasher: i % 5 === 0 ? 'bcrypt' : '' };
		if (first === '') u.edge.push('no name');
		if (/[^\x00-\x7f]/.test(first + last)) u.edge.push('non-ASCII name');
		const role = i % 10 === 1 ? ROLES[(i / 10 | 0) % ROLES.length] : null;
		u.role = role;
		u.publicMeta = i % 11 === 0 ? null : JSON.stringify({ role: role ? (i % 20 === 1 ? [role] : role) : 'user',
			securityPreferences: i % 3 === 0 ? { securityAlerts: false, newDeviceAlerts: true } : {} });
		if (i % 17 === 4) {
			u.publicMeta = '{"role": "top_expert", "securityPreferences": {';
			u.edge.push('malformed metadata');
		}
		if (role && role !== 'admin') {
			const done = STEPS.map((s, k) => [s, !(i % 3 === 1 && k === 3)]);
			u.unsafeMeta = JSON.stringify({ expertSetup: Object.fromEntries(done) });
			if (i % 3 === 1) u.edge.push('five of six setup steps');
		} else {
			u.unsafeMeta = i % 11 === 0 ? null : '{}';
		}
		out.push(u);
	}
	if (n >= 10) {
		// Two addresses that differ only in case.
		out[7].email = `Case.${tag}@Example.test`;
		out[8].email = `case.${tag}@example.test`;
		out[8].edge.push('e-mail differs only in case from another user');
		// No address, and one that is not an address.
		out[9].email = '';
		out[9].edge.push('no e-mail');
	}
	if (n >= 13) {
		out[12].email = `not an address ${tag}`;
		out[12].edge.push('invalid e-mail');
	}
	return out;
}

function make(n) {
	const tag = crypto.randomBytes(4).toString('hex');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-legacy-'));
	const db = `eleva_legacy_${tag}`;
	const list = users(n, tag);
	psqlSuper('postgres', `CREATE DATABASE ${db} OWNER eleva_owner`);
	psqlSuper(db, `SET ROLE eleva_owner;\n${fs.readFileSync(path.join(SRCDIR, 't', 'fixtures', 'legacy', 'schema.sql'), 'utf8')}`);
	const rows = list.map((u) => `(${lit(u.clerkId)}, ${lit(u.email)}, ${lit(u.first)}, ${lit(u.last)}, ${lit(u.publicMeta)}, ${lit(u.unsafeMeta)})`);
	for (let k = 0; k < rows.length; k += 1000) {
		psqlSuper(db, `INSERT INTO users (clerk_user_id, email, first_name, last_name, public_metadata, unsafe_metadata)
			VALUES ${rows.slice(k, k + 1000).join(',\n')};`);
	}
	const header = 'id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,' +
		'unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher';
	const lines = list.map((u) => [u.clerkId, u.first, u.last, '', u.email, '', u.email, '', '', '', '', u.digest, u.hasher]
		.map(csvField).join(','));
	const csv = path.join(dir, 'clerk-users.csv');
	fs.writeFileSync(csv, `\ufeff${header}\r\n${lines.join('\r\n')}\r\n`);
	const url = new URL(env().DATABASE_OWNER_URL);
	url.pathname = `/${db}`;
	return {
		dir, csv, db, tag, users: list, url: url.toString(),
		drop() {
			psqlSuper('postgres', `DROP DATABASE IF EXISTS ${db}`);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { make, users, BCRYPT };
