// webhooks_workos: POST /webhooks/workos (issue 16).  Signed events as
// production sends them (t in milliseconds) change users, organizations and
// memberships; anything not signed, too old, replayed, malformed or of
// another type changes nothing; an older update after a newer one changes
// nothing; the emulator's own deliveries reach a signed-in user's next
// request; 1,000 events sent out of order by 8 senders end where in-order
// delivery ends; /admin/webhooks lists them, for platform admins only.
'use strict';

const crypto = require('node:crypto');
const net = require('node:net');
const tap = require('../lib/tap');
const { env, waitFor } = require('../lib/stack');
const { request, signIn, workos, newUser, sql, lit } = require('../lib/signin');

const { APP_URL } = env();
const SECRET = process.env.WORKOS_WEBHOOK_SECRET;
if (!process.env.DATABASE_OWNER_URL || !SECRET) tap.skipAll('no owner connection or webhook secret in this stack');
const URL_ = `${APP_URL}/webhooks/workos`;
const tag = crypto.randomBytes(4).toString('hex');
let seq = 0;
const nextId = (prefix) => `${prefix}_${tag}${String(++seq).padStart(6, '0')}`;

// The WorkOS-Signature of body at time t (milliseconds, as WorkOS sends).
function signature(body, t = Date.now(), secret = SECRET) {
	const v1 = crypto.createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
	return `t=${t}, v1=${v1}`;
}

// POST an event (an object, or raw bytes) signed unless told otherwise.
async function deliver(event, opts = {}) {
	const body = Buffer.isBuffer(event) || typeof event === 'string' ? event : JSON.stringify(event);
	const headers = { 'content-type': 'application/json' };
	const sig = opts.signature !== undefined ? opts.signature : signature(body, opts.t, opts.secret);
	if (sig !== null) headers['workos-signature'] = sig;
	const t0 = performance.now();
	const r = await fetch(URL_, { method: 'POST', headers, body });
	const text = await r.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: r.status, json, ms: performance.now() - t0 };
}

const iso = (ms) => new Date(ms).toISOString();
function userEvent(type, id, email, first, last, at, eventId = nextId('event')) {
	return { id: eventId, event: `user.${type}`, created_at: iso(at),
		data: { object: 'user', id, email, first_name: first, last_name: last, email_verified: true,
			created_at: iso(at), updated_at: iso(at) } };
}
function membershipEvent(type, id, user, org, role, status, at, eventId = nextId('event')) {
	return { id: eventId, event: `organization_membership.${type}`, created_at: iso(at),
		data: { object: 'organization_membership', id, user_id: user, organization_id: org,
			role: { slug: role }, status, created_at: iso(at), updated_at: iso(at) } };
}
function orgEvent(type, id, name, at, eventId = nextId('event')) {
	return { id: eventId, event: `organization.${type}`, created_at: iso(at),
		data: { object: 'organization', id, name, created_at: iso(at), updated_at: iso(at) } };
}

// What the sync tables hold, as one text.
const state = () => sql(`SELECT
	(SELECT count(*) FROM workos_events) || '|' || (SELECT count(*) FROM workos_objects) || '|' ||
	(SELECT count(*) FROM users) || '|' || (SELECT count(*) FROM user_org_memberships) || '|' ||
	(SELECT coalesce(md5(string_agg(u.workos_user_id || u.email || coalesce(u.first_name, '') ||
	coalesce(u.last_name, ''), ',' ORDER BY u.workos_user_id)), '') FROM users u) || '|' ||
	(SELECT coalesce(md5(string_agg(m.workos_user_id || m.org_id || m.role || m.status, ','
	ORDER BY m.workos_user_id, m.org_id)), '') FROM user_org_memberships m) || '|' ||
	(SELECT md5(string_agg(o.workos_org_id || o.name, ',' ORDER BY o.workos_org_id)) FROM organizations o)`);

// A local organization, as sign-in makes one (WorkOS id given).
function localOrg(workosId, name) {
	return sql(`INSERT INTO organizations (workos_org_id, slug, name, type)
		VALUES (${lit(workosId)}, ${lit(`t-${workosId.toLowerCase().replace(/_/g, '-')}`)}, ${lit(name)}, 'clinic')
		RETURNING id`);
}

tap.run(async () => {
	const now = Date.now();

	// 1. Refused, nothing written.
	const uid = nextId('user');
	const created = userEvent('created', uid, `${uid}@example.test`, 'Inês', 'Prata', now - 60000);
	let before = state();
	let r = await deliver(created, { signature: null });
	tap.is(r.status, 401, 'no WorkOS-Signature: 401');
	r = await deliver(created, { secret: 'not-the-secret' });
	tap.is(r.status, 401, 'signed with another secret: 401');
	const body = JSON.stringify(created);
	r = await deliver(JSON.stringify({ ...created, id: nextId('event') }), { signature: signature(body) });
	tap.is(r.status, 401, 'a signature of another body: 401');
	r = await deliver(created, { t: now - 10 * 60 * 1000 });
	tap.is(r.status, 401, 'signed ten minutes ago: 401');
	r = await deliver(created, { t: now + 10 * 60 * 1000 });
	tap.is(r.status, 401, 'signed ten minutes ahead: 401');
	r = await deliver(created, { signature: 't=abc, v1=00' });
	tap.is(r.status, 401, 'a malformed header: 401');
	r = await deliver('{"id": "event_x", "event": ');
	tap.is(r.status, 400, 'malformed JSON, signed: 400');
	r = await deliver(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
	tap.is(r.status, 400, 'bytes that are not UTF-8, signed: 400');
	r = await deliver({ id: nextId('event'), event: 'user.created', created_at: iso(now) });
	tap.is(r.status, 400, 'an event without data: 400');
	r = await deliver(userEvent('created', uid, 'not an address', 'Inês', 'Prata', now - 60000));
	tap.is(r.status, 400, 'a user whose e-mail is not an address: 400');
	r = await deliver({ ...created, id: nextId('event'), data: { ...created.data, id: "user_'; DROP TABLE users; --" } });
	tap.is(r.status, 400, 'an id that is not a WorkOS id: 400');
	r = await deliver({ ...created, id: nextId('event'), created_at: 'the day before yesterday' });
	tap.is(r.status, 400, 'a created_at that is not a time: 400');
	r = await deliver({ ...created, id: nextId('event'), data: { ...created.data, updated_at: '2026-13-45' } });
	tap.is(r.status, 400, 'an updated_at that is not a time: 400');
	r = await deliver({ ...created, id: nextId('event'), data: { ...created.data, first_name: 'x'.repeat(101) } });
	tap.is(r.status, 400, 'a first name of 101 characters: 400');
	r = await deliver({ id: nextId('event'), event: 'connection.activated', created_at: iso(now), data: { id: 'conn_1' } });
	tap.is(`${r.status} ${r.json && r.json.result}`, '200 ignored', 'an event type not synced here: 200, ignored');
	tap.is(state(), before, '... none of these wrote anything');

	// 2. Taken once; an older update after a newer one changes nothing.
	r = await deliver(created);
	tap.is(`${r.status} ${r.json.result}`, '200 applied', 'user.created: 200, applied');
	tap.is(sql(`SELECT email || ' ' || first_name || ' ' || last_name || ' ' || role FROM users WHERE workos_user_id = ${lit(uid)}`),
		`${uid}@example.test Inês Prata user`, '... the users row made, role user');
	before = state();
	r = await deliver(created);
	tap.is(`${r.status} ${r.json.result}`, '200 duplicate', 'the same event again: 200, duplicate');
	tap.is(state(), before, '... and nothing changed');
	r = await deliver(userEvent('updated', uid, `${uid}@example.test`, 'Inês', 'Prata Lobo', now - 30000));
	tap.is(r.json.result, 'applied', 'a newer user.updated: applied');
	before = state();
	r = await deliver(userEvent('updated', uid, `old.${uid}@example.test`, 'Ines', 'Prata', now - 45000));
	tap.is(`${r.status} ${r.json.result}`, '200 stale', 'an older user.updated after it: 200, stale');
	tap.is(state().split('|').slice(2).join('|'), before.split('|').slice(2).join('|'), '... the rows unchanged');
	tap.is(sql(`SELECT last_name FROM users WHERE workos_user_id = ${lit(uid)}`), 'Prata Lobo', '... the newer name stays');

	// 3. A membership that comes before its organization and user waits
	// for them; a deletion is a tombstone.
	const oid = nextId('org');
	const uid2 = nextId('user');
	const om = nextId('om');
	r = await deliver(membershipEvent('created', om, uid2, oid, 'admin', 'active', now - 50000));
	tap.is(r.json.result, 'applied', 'a membership of a user and an organization not here yet: taken');
	localOrg(oid, 'Clínica Sol');
	r = await deliver(orgEvent('updated', oid, 'Clínica Sol Nascente', now - 40000));
	tap.is(r.json.result, 'applied', 'organization.updated of an organization here: applied');
	tap.is(sql(`SELECT name FROM organizations WHERE workos_org_id = ${lit(oid)}`), 'Clínica Sol Nascente', '... renamed');
	tap.is(sql(`SELECT count(*) FROM user_org_memberships m JOIN organizations o ON o.id = m.org_id
		WHERE o.workos_org_id = ${lit(oid)}`), '0', '... the membership still waits for its user');
	r = await deliver(userEvent('created', uid2, `${uid2}@example.test`, 'Rui', null, now - 49000));
	tap.is(sql(`SELECT m.role || ' ' || m.status FROM user_org_memberships m JOIN organizations o ON o.id = m.org_id
		WHERE o.workos_org_id = ${lit(oid)} AND m.workos_user_id = ${lit(uid2)}`), 'admin active',
	'the user arrives: the membership is made (admin, active)');
	r = await deliver(membershipEvent('deleted', om, uid2, oid, 'admin', 'active', now - 20000));
	tap.is(r.json.result, 'applied', 'organization_membership.deleted: applied');
	r = await deliver(membershipEvent('updated', om, uid2, oid, 'member', 'active', now - 25000));
	tap.is(r.json.result, 'stale', '... an update sent before the deletion, delivered after it: stale');
	tap.is(sql(`SELECT count(*) FROM user_org_memberships WHERE workos_user_id = ${lit(uid2)}`), '0', '... no membership');
	r = await deliver(userEvent('deleted', uid2, `${uid2}@example.test`, 'Rui', null, now - 10000));
	tap.is(r.json.result, 'applied', 'user.deleted: applied');
	tap.is(sql(`SELECT count(*) FROM users WHERE workos_user_id = ${lit(uid2)}`), '0', '... the users row is gone');
	tap.is(sql(`SELECT data::text FROM workos_objects WHERE id = ${lit(uid2)}`), `{"id": "${uid2}"}`,
		'... what is remembered of him is his id alone');
	tap.is(sql(`SELECT count(*) FROM workos_events WHERE detail LIKE ${lit(`%${uid2}@%`)} OR detail LIKE '%Rui%'`), '0',
		'... and the log of events names no address or name');
	r = await deliver(userEvent('updated', uid2, `${uid2}@example.test`, 'Rui', 'Late', now - 15000));
	tap.is(r.json.result, 'stale', '... an update delivered after the deletion does not bring it back');
	tap.is(sql(`SELECT count(*) FROM users WHERE workos_user_id = ${lit(uid2)}`), '0', '... still gone');

	// Payment records are kept (the law): the user stays, signed out; the
	// organization stays.  Without them an organization goes.
	const uid3 = nextId('user');
	const oid3 = nextId('org');
	r = await deliver(userEvent('created', uid3, `${uid3}@example.test`, 'Paula', 'Reis', now - 9000));
	const org3 = localOrg(oid3, 'Consultório Reis');
	r = await deliver(membershipEvent('created', nextId('om'), uid3, oid3, 'owner', 'active', now - 9000));
	tap.is(sql(`SELECT role FROM user_org_memberships WHERE workos_user_id = ${lit(uid3)}`), 'owner',
		'an expert and his practice, from WorkOS');
	sql(`WITH e AS (INSERT INTO events (org_id, workos_user_id, name, slug, duration_in_minutes)
		VALUES (${lit(org3)}, ${lit(uid3)}, 'Consulta', 'consulta', 50) RETURNING id)
		INSERT INTO payment_transfers (org_id, payment_intent_id, checkout_session_id, event_id,
		expert_connect_account_id, expert_workos_user_id, amount, platform_fee, session_start_time, scheduled_transfer_time)
		SELECT ${lit(org3)}, 'pi_1', 'cs_1', e.id, 'acct_1', ${lit(uid3)}, 5000, 750, now(), now() + interval '1 day' FROM e`);
	r = await deliver(userEvent('deleted', uid3, `${uid3}@example.test`, 'Paula', 'Reis', now - 8000));
	tap.is(r.json.result, 'kept', 'user.deleted of an expert named by payment records: kept');
	tap.is(sql(`SELECT count(*) || ' ' || (sessions_valid_after IS NOT NULL) FROM users WHERE workos_user_id = ${lit(uid3)}
		GROUP BY sessions_valid_after`), '1 true', '... the row stays, his sessions are over');
	r = await deliver(orgEvent('deleted', oid3, 'Consultório Reis', now - 7000));
	tap.is(r.json.result, 'kept', 'organization.deleted of an organization holding payment records: kept');
	const oid4 = nextId('org');
	localOrg(oid4, 'Clínica Vazia');
	r = await deliver(orgEvent('deleted', oid4, 'Clínica Vazia', now - 6000));
	tap.is(r.json.result, 'applied', 'organization.deleted of another: applied');
	tap.is(sql(`SELECT count(*) FROM organizations WHERE workos_org_id = ${lit(oid4)}`), '0', '... it is gone');
	r = await deliver(orgEvent('updated', oid4, 'Clínica Cheia', now - 6500));
	tap.is(r.json.result, 'stale', '... and an older update does not bring it back');

	// 4. The emulator's own deliveries reach the user's next request.
	const ep = await workos('POST', '/webhook_endpoints', { endpoint_url: URL_, secret: SECRET });
	tap.is(ep.status, 201, 'the emulator delivers its events here');
	try {
		const u = await newUser('Olga', 'Vaz');
		const s = await signIn(APP_URL, u.email);
		let dash = await request(`${APP_URL}/dashboard`, s.jar);
		tap.like(dash.body, /<span class="tag">Owner<\/span>/, 'signed in: the dashboard says owner');
		const ms = await workos('GET', `/user_management/organization_memberships?user_id=${u.id}`);
		const m = ms.json.data[0];
		r = await workos('PUT', `/user_management/organization_memberships/${m.id}`, { role_slug: 'admin' });
		tap.is(r.status, 200, 'the role changed in WorkOS');
		const seen = await waitFor(async () => /<span class="tag">Admin<\/span>/.test((await request(`${APP_URL}/dashboard`, s.jar)).body),
			10000, 'the role on the dashboard');
		tap.ok(seen, '... the next request says admin');
		r = await workos('PUT', `/user_management/users/${u.id}`, { first_name: 'Olívia', last_name: 'Vaz Neto' });
		tap.is(r.status, 200, 'the name changed in WorkOS');
		tap.ok(await waitFor(async () => (await request(`${APP_URL}/dashboard`, s.jar)).body.includes('Olívia Vaz Neto'), 10000, 'the name'),
			'... the next request says the new name');
		r = await workos('DELETE', `/user_management/users/${u.id}`);
		tap.ok(r.status === 200 || r.status === 202 || r.status === 204, 'the user deleted in WorkOS');
		tap.ok(await waitFor(() => sql(`SELECT count(*) FROM users WHERE workos_user_id = ${lit(u.id)}`) === '0', 10000, 'the deletion'),
			'... deleted here');
		dash = await request(`${APP_URL}/dashboard`, s.jar);
		tap.is(`${dash.status} ${(dash.location || '').replace(/\?.*/, '')}`, '303 /sign-in', '... and his session is over');
	} finally {
		await workos('DELETE', `/webhook_endpoints/${ep.json.id}`);
	}

	// 5. 1,000 events out of order, 8 senders, the same end as in order.
	const N_USERS = 40;
	const N_ORGS = 5;
	function world(prefix) {
		const ids = { users: [], orgs: [], oms: new Map() };
		for (let i = 0; i < N_USERS; i++) ids.users.push(`user_${tag}${prefix}${String(i).padStart(4, '0')}`);
		for (let i = 0; i < N_ORGS; i++) ids.orgs.push(`org_${tag}${prefix}${String(i).padStart(4, '0')}`);
		return ids;
	}
	// The same story told twice (A, B): which kind of event, on whom, when.
	const rnd = (() => { let x = 20261206; return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648; })();
	const story = [];
	const deadUsers = new Set();
	const deadOms = new Set();
	const t0 = now - 3600 * 1000;
	for (let i = 0; story.length < 1000; i++) {
		const at = t0 + i * 1000;
		const k = rnd();
		const u = Math.floor(rnd() * N_USERS);
		const o = Math.floor(rnd() * N_ORGS);
		if (deadUsers.has(u)) continue;
		if (k < 0.3) story.push({ kind: 'user', type: i < N_USERS ? 'created' : 'updated', u, first: `F${i}`, last: `L${i}`, at });
		else if (k < 0.75) {
			const key = `${u}/${o}`;
			if (deadOms.has(key)) continue;
			const roles = ['member', 'admin', 'billing_admin', 'owner'];
			const statuses = ['active', 'active', 'inactive', 'pending'];
			story.push({ kind: 'om', type: 'updated', u, o, role: roles[i % 4], status: statuses[(i >> 2) % 4], at });
		} else if (k < 0.9) story.push({ kind: 'org', type: 'updated', o, name: `Org ${o} v${i}`, at });
		else if (k < 0.95) {
			const key = `${u}/${o}`;
			if (deadOms.has(key)) continue;
			deadOms.add(key);
			story.push({ kind: 'om', type: 'deleted', u, o, role: 'member', status: 'active', at });
		} else if (k > 0.99) {
			deadUsers.add(u);
			story.push({ kind: 'user', type: 'deleted', u, first: 'x', last: 'x', at });
		}
	}
	function events(prefix) {
		const w = world(prefix);
		return story.map((s) => {
			if (s.kind === 'user') {
				return userEvent(s.type, w.users[s.u], `${w.users[s.u].toLowerCase()}@example.test`, s.first, s.last, s.at);
			}
			if (s.kind === 'org') return orgEvent(s.type, w.orgs[s.o], s.name, s.at);
			const om = `om_${tag}${prefix}${String(s.u).padStart(4, '0')}x${s.o}`;
			return membershipEvent(s.type, om, w.users[s.u], w.orgs[s.o], s.role, s.status, s.at);
		});
	}
	// What the world's rows say, its prefix taken out.
	function worldState(prefix) {
		const w = world(prefix);
		const users = sql(`SELECT string_agg(workos_user_id || ' ' || email || ' ' || coalesce(first_name, '-') || ' ' ||
			coalesce(last_name, '-'), E'\\n' ORDER BY workos_user_id) FROM users
			WHERE workos_user_id = ANY (ARRAY[${w.users.map(lit).join(',')}])`);
		const orgs = sql(`SELECT string_agg(workos_org_id || ' ' || name, E'\\n' ORDER BY workos_org_id) FROM organizations
			WHERE workos_org_id = ANY (ARRAY[${w.orgs.map(lit).join(',')}])`);
		const ms = sql(`SELECT string_agg(m.workos_user_id || ' ' || o.workos_org_id || ' ' || m.role || ' ' || m.status,
			E'\\n' ORDER BY m.workos_user_id, o.workos_org_id) FROM user_org_memberships m
			JOIN organizations o ON o.id = m.org_id WHERE o.workos_org_id = ANY (ARRAY[${w.orgs.map(lit).join(',')}])`);
		return [users, orgs, ms].join('\n--\n').split(`${tag}${prefix}`).join('#').split(`${tag}${prefix.toLowerCase()}`).join('#');
	}
	for (const prefix of ['A', 'B']) world(prefix).orgs.forEach((o, i) => localOrg(o, `Org ${i}`));
	const inOrder = events('A');
	for (const e of inOrder) {
		r = await deliver(e);
		if (r.status !== 200) { tap.diag(`in order: ${e.event} ${r.status}`); break; }
	}
	const want = worldState('A');
	const [wu, , wm] = want.split('\n--\n').map((x) => (x ? x.split('\n').length : 0));
	tap.ok(wu >= 20 && wm >= 20, `in order: ${story.length} events leave ${wu} users and ${wm} memberships`);

	// Shuffled, a tenth sent twice; each sender retries a 503 as WorkOS does.
	const shuffled = events('B');
	for (let i = 0; i < 100; i++) shuffled.push(shuffled[Math.floor(rnd() * 1000)]);
	for (let i = shuffled.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
	}
	const times = [];
	const answers = {};
	let retries = 0;
	let next = 0;
	async function sender() {
		while (next < shuffled.length) {
			const e = shuffled[next++];
			for (let attempt = 0; attempt < 10; attempt++) {
				const a = await deliver(e);
				times.push(a.ms);
				if (a.status === 503) { retries++; continue; }
				answers[a.status === 200 ? a.json.result : a.status] = (answers[a.status === 200 ? a.json.result : a.status] || 0) + 1;
				break;
			}
		}
	}
	await Promise.all(Array.from({ length: 8 }, sender));
	times.sort((a, b) => a - b);
	const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
	tap.is(Object.keys(answers).filter((k) => !['applied', 'stale', 'duplicate', 'kept'].includes(k)).join(','), '',
		`out of order, 8 senders: every answer 200 (${JSON.stringify(answers)}, ${retries} retried after 503)`);
	tap.is(answers.duplicate >= 100, true, '... each event sent twice taken once');
	tap.is(worldState('B'), want, `... the same users, organizations and memberships as in order (latency median ${p(0.5)} ms, p99 ${p(0.99)} ms)`);

	// 6. nginx: a burst of deliveries from one address is not cut as a
	// burst of forms is (127.0.0.1, the harness's, is exempt: 127.0.0.2).
	const from = (path) => new Promise((resolve) => {
		const u = new URL(APP_URL);
		const c = net.connect({ port: Number(u.port), host: '127.0.0.1', localAddress: '127.0.0.2' });
		let text = '';
		const done = () => { c.destroy(); resolve(Number((/^HTTP\/1\.1 (\d+)/.exec(text) || [])[1] || 0)); };
		c.on('data', (d) => { text += d.toString('latin1'); if (/\r\n\r\n/.test(text)) done(); });
		c.on('close', done);
		c.on('error', done);
		c.on('connect', () => c.write(`POST ${path} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n` +
			'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'));
	});
	const burst = async (path) => (await Promise.all([...Array(30)].map(() => from(path))));
	const hooks = await burst('/webhooks/workos');
	tap.is(hooks.filter((st) => st === 429).length, 0, `30 deliveries at once from one address: none cut (${hooks.filter((st) => st === 401).length} × 401 unsigned)`);
	const forms = await burst('/auth/sign-out');
	tap.ok(forms.filter((st) => st === 429).length > 0, `... while 30 form POSTs at once are (${forms.filter((st) => st === 429).length} × 429)`);

	// 7. The list, for platform admins.
	const guest = await signIn(APP_URL, 'guest@eleva.test');
	r = await request(`${APP_URL}/admin/webhooks`, guest.jar);
	tap.is(r.status, 403, '/admin/webhooks for a user: 403');
	const admin = await signIn(APP_URL, 'admin@eleva.test');
	r = await request(`${APP_URL}/admin/webhooks`, admin.jar);
	tap.is(r.status, 200, '/admin/webhooks for an admin: 200');
	tap.like(r.body, /data-outcome="stale"/, '... the events with their outcome');
	tap.like(r.body, /organization_membership\.(updated|deleted)/, '... and their type');
	tap.is(sql(`SELECT count(*) FROM workos_events WHERE id = ${lit(created.id)}`), '1', '... each event once');
});
