// legacy: a generated Clerk-era world for `eleva legacy` (t/e2e/legacy.js):
// a legacy database (t/fixtures/legacy/schema.sql) and Clerk's user export
// (CSV, the dashboard's columns) of n users, with the edge cases a real
// export has: users without a name, non-ASCII names, two users whose
// addresses differ only in case, one without an address and one with an
// address that is not one, missing and malformed metadata, an expert with
// five of six setup steps, bcrypt digests; and the experts' data (profiles,
// events, schedules, settings, blocked dates, meetings, records, payment
// transfers, categories), with meetings whose guest is also a user, experts
// among the users left out, a published profile whose username cannot be
// a handle.
//
//   const legacy = require('../lib/legacy');
//   const w = legacy.make(200);   // {dir, csv, url, db, tag, users, experts, counts, drop()}
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const SRCDIR = process.env.ELEVA_SRCDIR || path.resolve(__dirname, '..', '..');

// A bcrypt digest (of "correct horse battery staple", cost 4).
const BCRYPT = '$2b$04$xUmQvZgkHRfr5eAiDJpIyOIcfzZ9E9hK6m0vH9pC/TvSp6r6jKz8e';
const NAMES = [['Ana', 'Ferreira'], ['Conceição', 'Magalhães'], ['Zoë', 'Brontë'], ['Łucja', 'Wąs'],
	['佐藤', '花子'], ['Sérgio', "D'Ávila"], ['Inês', 'Gonçalves, Lda'], ['Renée', 'O"Neil']];
const ROLES = ['top_expert', 'community_expert', 'lecturer', 'admin'];
const STEPS = ['profile', 'availability', 'events', 'identity', 'payment', 'google_account'];

// The legacy tables migrate-data copies, in its order.
const TABLES = ['categories', 'profiles', 'events', 'schedules', 'schedule_availabilities', 'scheduling_settings',
	'blocked_dates', 'meetings', 'records', 'payment_transfers'];

function psqlSuper(db, sql) {
	const { DATABASE_OWNER_URL, PG_SOCKET_DIR } = process.env;
	const port = new URL(DATABASE_OWNER_URL).port;
	const r = spawnSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', PG_SOCKET_DIR, '-p', port,
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
			const done = STEPS.map((s, k) => [s, !(i % 3 === 1 && k === 5)]);
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
	// Experts: the expert roles, and three of the users left out.
	out.forEach((u, i) => {
		u.expert = (u.role != null && u.role !== 'admin') || (n >= 13 && [8, 9, 12].includes(i));
		u.username = u.expert ? (i === 1 ? 'Dashboard' : `expert-${tag}-${i}`) : null;
	});
	if (n >= 2) out[1].edge.push('username is a route: no handle');
	return out;
}

// The experts' data, made by the legacy database itself (50,000 users in
// seconds).  Each expert k: a profile (published unless k % 4 == 3), two
// events, a schedule of ten ranges, settings, two blocked dates, eight
// meetings on eight days (the first one's guest a user, in upper case when
// k is odd), a record of the first two, a payment transfer of the first
// three.
function dataSql(list, tag) {
	const ok = list.filter((u) => /^[^ @]+@[^ @]+$/.test(u.email));
	const experts = list.filter((u) => u.expert).map((u, k) => {
		const g = ok[(k * 7 + 3) % ok.length];
		return `(${lit(u.clerkId)}, ${k}, ${lit(k % 2 ? g.email.toUpperCase() : g.email)}, ${lit(g.first || 'Guest')})`;
	});
	if (experts.length === 0) return '';
	return `
CREATE TEMP TABLE x (clerk text, k integer, guest text, guest_name text);
INSERT INTO x VALUES ${experts.join(',\n')};
INSERT INTO categories (name, description) VALUES ('Pregnancy', 'As in the new app'),
	('Nutrition ${tag}', 'Legacy only');
INSERT INTO categories (name, parent_id) SELECT 'Prenatal nutrition ${tag}', id FROM categories
	WHERE name = 'Nutrition ${tag}';
INSERT INTO profiles (clerk_user_id, profile_picture, first_name, last_name, headline, short_bio, long_bio,
	primary_category_id, secondary_category_id, social_links, is_verified, is_top_expert, published, "order")
SELECT x.clerk, CASE WHEN x.k % 2 = 0 THEN 'https://img.clerk.com/' || x.clerk END,
	coalesce(nullif(u.first_name, ''), 'Expert'), coalesce(nullif(u.last_name, ''), 'Number ' || x.k),
	'Headline ' || x.k, 'Short bio', 'Long bio',
	(SELECT c.id FROM categories c ORDER BY c.name OFFSET x.k % 3 LIMIT 1),
	CASE WHEN x.k % 5 = 0 THEN (SELECT c.id FROM categories c WHERE c.name = 'Pregnancy') END,
	CASE WHEN x.k % 7 = 0 THEN '{"not": "an array"}' ELSE '[{"name": "instagram", "url": "https://instagram.com/x"}]' END::json,
	x.k % 3 = 0, x.k % 5 = 0, x.k % 4 <> 3, x.k
FROM x JOIN users u ON u.clerk_user_id = x.clerk;
INSERT INTO events (clerk_user_id, name, slug, description, duration_in_minutes, is_active, "order", price, currency)
SELECT x.clerk, e.name, e.slug, e.d, e.m, NOT (e.slug = 'follow-up' AND x.k % 5 = 0), e.o, e.p, 'EUR'
FROM x, (VALUES ('First consultation', 'first-consultation', 'An hour.', 60, 1, 6000),
	('Follow-up', 'follow-up', 'Half an hour.', 30, 2, 3500)) e (name, slug, d, m, o, p);
INSERT INTO schedules (clerk_user_id, timezone)
SELECT x.clerk, (ARRAY['Europe/Lisbon', 'America/Sao_Paulo', 'Europe/Madrid', 'UTC'])[x.k % 4 + 1] FROM x;
INSERT INTO schedule_availabilities (schedule_id, start_time, end_time, day_of_week)
SELECT s.id, r.f, r.t, d FROM x JOIN schedules s ON s.clerk_user_id = x.clerk,
	unnest(ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday']) d,
	(VALUES ('09:00', '12:00'), ('13:00', '17:00')) r (f, t);
INSERT INTO scheduling_settings (user_id, before_event_buffer, after_event_buffer, minimum_notice, time_slot_interval,
	booking_window_days)
SELECT x.clerk, 5 * (x.k % 3), 10, 60 * (x.k % 4), 15, 60 FROM x;
INSERT INTO blocked_dates (clerk_user_id, date, reason, timezone)
SELECT x.clerk, date '2026-12-24' + j, CASE WHEN j = 0 THEN 'Christmas' END, 'Europe/Lisbon'
FROM x, generate_series(0, 1) j;
WITH m AS (
	INSERT INTO meetings (event_id, clerk_user_id, guest_email, guest_name, guest_notes, start_time, end_time, timezone,
		meeting_url, stripe_payment_intent_id, stripe_session_id, stripe_payment_status, stripe_amount)
	SELECT e.id, x.clerk, CASE WHEN j = 0 THEN x.guest ELSE 'guest.' || x.k || '.' || j || '.${tag}@example.test' END,
		CASE WHEN j = 0 THEN x.guest_name ELSE 'Guest ' || j END, CASE WHEN j % 2 = 0 THEN 'Notes ' || j END,
		timestamptz '2025-03-03 09:00Z' + make_interval(days => j * 3 + x.k % 3),
		timestamptz '2025-03-03 09:00Z' + make_interval(days => j * 3 + x.k % 3, mins => e.duration_in_minutes),
		'Europe/Lisbon', 'https://meet.example.test/' || x.k || '-' || j,
		CASE WHEN j < 3 THEN 'pi_${tag}_' || x.k || '_' || j END, CASE WHEN j < 3 THEN 'cs_${tag}_' || x.k || '_' || j END,
		CASE WHEN j < 3 THEN 'succeeded' ELSE 'pending' END, CASE WHEN j < 3 THEN e.price END
	FROM x, generate_series(0, 7) j
	JOIN LATERAL (SELECT * FROM events ev WHERE ev.clerk_user_id = x.clerk
		AND ev.slug = CASE WHEN j % 2 = 0 THEN 'first-consultation' ELSE 'follow-up' END) e ON true
	RETURNING id, event_id, clerk_user_id, guest_email, start_time, stripe_payment_intent_id, stripe_session_id, stripe_amount),
r AS (
	INSERT INTO records (meeting_id, expert_id, guest_email, encrypted_content, encrypted_metadata, version)
	SELECT m.id, m.clerk_user_id, m.guest_email, 'v1:' || md5(m.id::text), NULL, 1 FROM m
	WHERE m.stripe_payment_intent_id LIKE '%\\_0' OR m.stripe_payment_intent_id LIKE '%\\_1')
INSERT INTO payment_transfers (payment_intent_id, checkout_session_id, event_id, expert_connect_account_id,
	expert_clerk_user_id, amount, platform_fee, currency, session_start_time, scheduled_transfer_time, status,
	admin_user_id)
SELECT m.stripe_payment_intent_id, m.stripe_session_id, m.event_id, 'acct_' || md5(m.clerk_user_id), m.clerk_user_id,
	m.stripe_amount, m.stripe_amount / 10, 'eur', m.start_time, m.start_time + interval '1 day',
	CASE WHEN m.stripe_payment_intent_id LIKE '%\\_0' THEN 'COMPLETED' ELSE 'pending' END,
	CASE WHEN m.stripe_payment_intent_id LIKE '%\\_2' THEN (SELECT x2.clerk FROM x x2 ORDER BY x2.k LIMIT 1) END
FROM m WHERE m.stripe_payment_intent_id IS NOT NULL;
`;
}

function make(n) {
	const tag = crypto.randomBytes(4).toString('hex');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-legacy-'));
	const db = `eleva_legacy_${tag}`;
	const list = users(n, tag);
	psqlSuper('postgres', `CREATE DATABASE ${db} OWNER eleva_owner`);
	psqlSuper(db, `SET ROLE eleva_owner;\n${fs.readFileSync(path.join(SRCDIR, 't', 'fixtures', 'legacy', 'schema.sql'), 'utf8')}`);
	const rows = list.map((u) => `(${lit(u.clerkId)}, ${lit(u.email)}, ${lit(u.first)}, ${lit(u.last)}, ${lit(u.username)}, `
		+ `${lit(u.publicMeta)}, ${lit(u.unsafeMeta)})`);
	for (let k = 0; k < rows.length; k += 1000) {
		psqlSuper(db, `INSERT INTO users (clerk_user_id, email, first_name, last_name, username, public_metadata, unsafe_metadata)
			VALUES ${rows.slice(k, k + 1000).join(',\n')};`);
	}
	psqlSuper(db, `SET ROLE eleva_owner;\n${dataSql(list, tag)}`);
	const header = 'id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,' +
		'unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher';
	const lines = list.map((u) => [u.clerkId, u.first, u.last, u.username, u.email, '', u.email, '', '', '', '', u.digest, u.hasher]
		.map(csvField).join(','));
	const csv = path.join(dir, 'clerk-users.csv');
	fs.writeFileSync(csv, `\ufeff${header}\r\n${lines.join('\r\n')}\r\n`);
	const url = new URL(process.env.DATABASE_OWNER_URL);
	url.pathname = `/${db}`;
	return {
		dir, csv, db, tag, users: list, url: url.toString(),
		experts: list.filter((u) => u.expert),
		// Rows of each legacy table, as the legacy database has them.
		counts() {
			const out = {};
			for (const t of TABLES) out[t] = Number(psqlSuper(db, `SELECT count(*) FROM ${t}`).trim());
			return out;
		},
		drop() {
			psqlSuper('postgres', `DROP DATABASE IF EXISTS ${db}`);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { make, users, BCRYPT, TABLES, psqlSuper };
