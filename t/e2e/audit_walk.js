// audit_walk: every mutation of the product leaves exactly one audit row of
// each kind it records, in the same request, with the user, organization,
// client address, browser and request id filled (issue 14, acceptance 5):
// a first sign-in (provisioning), preferences, the setup steps (forms and
// the signed webhook), publishing, an admin's reset, bookings (a new
// guest's, a pending one and its confirmation), sign-out everywhere and
// sign-out.  The client address is the connection's unless a trusted proxy
// (127.0.0.3 in the local nginx) names another.
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { Jar, request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf } = require('../lib/booking');

const { APP_URL, WEBHOOK_SECRET } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

// The audit rows a request left, by its X-Request-Id.
function rowsOf(res) {
	const rid = res.headers.get('x-request-id');
	if (!rid) return { rid, rows: [] };
	const out = sql(`SELECT action || '|' || coalesce(workos_user_id, '') || '|' || coalesce(org_id::text, '') || '|'
		|| coalesce(ip_address, '') || '|' || coalesce(user_agent, '') FROM audit_logs
		WHERE request_id = ${lit(rid)} ORDER BY id`);
	return { rid, rows: out === '' ? [] : out.split('\n').map((l) => {
		const [action, user, org, ip, ua] = l.split('|');
		return { action, user, org, ip, ua };
	}) };
}

// The request's rows are exactly the actions wanted, once each, complete.
function check(what, res, want, ua, user, opts = {}) {
	const { rid, rows } = rowsOf(res);
	tap.ok(rid, `${what}: the answer names its request (X-Request-Id)`);
	tap.is(rows.map((r) => r.action).sort().join(' '), [...want].sort().join(' '),
		`${what}: exactly ${want.join(', ')}, once each`);
	for (const r of rows) {
		tap.ok(r.user !== '' && r.org !== '' && r.ip === (opts.ip || '127.0.0.1') && r.ua === ua,
			`${what}: ${r.action} has the user, organization, address ${opts.ip || '127.0.0.1'} and browser`);
		if (user) tap.is(r.user, typeof user === 'function' ? user(r) : user, `${what}: ${r.action} names who did it`);
	}
}

const headers = (ua) => ({ 'user-agent': ua });

// GET path for its form's token, then POST the form with the given browser.
async function post(path, jar, form, ua, from) {
	const page = await request(`${APP_URL}${from || path}`, jar, { headers: headers(ua) });
	return request(`${APP_URL}${path}`, jar, { form: { csrf: csrfOf(page.body), ...form }, headers: headers(ua) });
}

async function postPairs(path, jar, pairs, ua) {
	const page = await request(`${APP_URL}${path}`, jar, { headers: headers(ua) });
	const f = new URLSearchParams({ csrf: csrfOf(page.body) });
	for (const [k, v] of pairs) f.append(k, v);
	const r = await fetch(`${APP_URL}${path}`, { method: 'POST', redirect: 'manual', body: f.toString(),
		headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded', 'user-agent': ua } });
	await r.text();
	return r;
}

async function webhook(user, step, ua) {
	const body = JSON.stringify({ user, step, status: 'complete' });
	const ts = String(Math.floor(Date.now() / 1000));
	const delivery = crypto.randomUUID();
	const sig = `sha256=${crypto.createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.${delivery}.${body}`).digest('hex')}`;
	const r = await fetch(`${APP_URL}/webhooks/setup`, { method: 'POST', body,
		headers: { 'content-type': 'application/json', 'x-eleva-timestamp': ts, 'x-eleva-delivery': delivery,
			'x-eleva-signature': sig, 'user-agent': ua } });
	await r.text();
	return r;
}

// GET /ping... from a given local address with given headers: the status
// and X-Request-Id, over node's http (fetch cannot choose the address).
function fromAddress(localAddress, path, hdrs) {
	const u = new URL(APP_URL + path);
	return new Promise((resolve, reject) => {
		const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, localAddress,
			method: hdrs.method || 'GET', headers: hdrs.headers }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode, headers: { get: (k) => res.headers[k.toLowerCase()] } }));
		});
		req.on('error', reject);
		if (hdrs.body) req.write(hdrs.body);
		req.end();
	});
}

tap.run(async () => {
	// A first sign-in: the user, his organization and membership made.
	const u = await newUser('Wanda', 'Walker');
	let s = await signIn(APP_URL, u.email, { headers: headers('walk/sign-in') });
	tap.is(s.callback && s.callback.status, 303, 'a first sign-in');
	check('first sign-in', s.callback, ['USER_PROVISIONED', 'USER_SIGNED_IN'], 'walk/sign-in', u.id);
	const jar = s.jar;
	const org = sql(`SELECT org_id FROM user_org_memberships WHERE workos_user_id = ${lit(u.id)}`);
	s = await signIn(APP_URL, u.email, { headers: headers('walk/sign-in-again') });
	check('a second sign-in', s.callback, ['USER_SIGNED_IN'], 'walk/sign-in-again', u.id);

	// Preferences.
	let r = await request(`${APP_URL}/settings/security`, jar);
	const themeForm = { theme: 'dark', language: 'en', security_alerts: 'on' };
	r = await post('/settings/security', jar, themeForm, 'walk/preferences');
	tap.is(r.status, 303, 'preferences saved');
	check('preferences', r, ['PREFERENCES_UPDATED'], 'walk/preferences', u.id);
	r = await post('/settings/security/reset', jar, {}, 'walk/reset', '/settings/security');
	check('preferences reset', r, ['PREFERENCES_RESET'], 'walk/reset', u.id);

	// The setup steps of an expert.
	sql(`UPDATE users SET role = 'expert_community' WHERE workos_user_id = ${lit(u.id)}`);
	const handle = `wanda-${Date.now() % 1000000}`;
	r = await post('/setup/profile', jar, { handle, first_name: 'Wanda', last_name: 'Walker', headline: 'Doula',
		short_bio: 'Births.', primary_category: '' }, 'walk/profile');
	tap.is(r.status, 303, 'profile saved');
	check('profile', r, ['PROFILE_CREATED', 'SETUP_STEP_COMPLETED'], 'walk/profile', u.id);
	r = await postPairs('/setup/availability', jar, [['timezone', 'Europe/Lisbon'], ['monday_start', '09:00'],
		['monday_end', '17:00']], 'walk/availability');
	tap.is(r.status, 303, 'availability saved');
	check('availability', r, ['SCHEDULE_UPDATED', 'SETUP_STEP_COMPLETED'], 'walk/availability', u.id);
	r = await post('/setup/events', jar, { name: 'Visit', slug: 'visit', description: '', duration: '45', price: '0',
		currency: 'eur', active: 'on' }, 'walk/events');
	tap.is(r.status, 303, 'event saved');
	check('event', r, ['EVENT_CREATED', 'SETUP_STEP_COMPLETED'], 'walk/events', u.id);
	for (const step of ['google_account', 'identity', 'payment']) {
		r = await webhook(u.id, step, `walk/webhook-${step}`);
		tap.is(r.status, 200, `webhook ${step}`);
		check(`webhook ${step}`, r, ['SETUP_STEP_COMPLETED'], `walk/webhook-${step}`, u.id);
	}
	r = await post('/setup/publish', jar, { agree: 'on' }, 'walk/publish', '/setup');
	tap.is(r.status, 303, 'profile published');
	check('publish', r, ['PRACTITIONER_AGREEMENT_ACCEPTED', 'PROFILE_PUBLISHED'], 'walk/publish', u.id);

	// An admin resets the setup: audited as the admin, in the expert's organization.
	const admin = await signIn(APP_URL, 'admin@eleva.test');
	const adminId = sql("SELECT workos_user_id FROM users WHERE email = 'admin@eleva.test'");
	r = await post(`/admin/experts/${u.id}/reset-setup`, admin.jar, { confirm: 'on' }, 'walk/admin-reset');
	tap.is(r.status, 303, 'setup reset by an admin');
	check('admin reset', r, ['SETUP_RESET', 'PROFILE_UNPUBLISHED'], 'walk/admin-reset', adminId);

	// Bookings: a new guest's, then an address with an account (pending until signed in).
	const expert = await publishedExpert({ first: 'Wilma' });
	const url = `${APP_URL}/${expert.handle}/consultation`;
	let g = new Jar();
	let p = await request(url, g);
	const starts = startsOf(p.body);
	const guestEmail = `walk.guest.${Date.now()}@example.test`;
	r = await request(url, g, { form: { csrf: csrfOf(p.body), timezone: expert.tz, notes: 'Back pain', name: 'Gil Guest',
		email: guestEmail, start: starts[0] }, headers: { origin: APP_URL, 'user-agent': 'walk/book' } });
	tap.is(r.status, 200, 'a new guest books');
	const guestId = sql(`SELECT workos_user_id FROM users WHERE email = ${lit(guestEmail)}`);
	check('booking by a new guest', r, ['GUEST_REGISTERED', 'APPOINTMENT_CREATED'], 'walk/book', guestId);
	tap.is(sql(`SELECT org_id FROM audit_logs WHERE request_id = ${lit(r.headers.get('x-request-id'))} AND action = 'APPOINTMENT_CREATED'`),
		expert.org, "... the appointment in the expert's organization");

	g = new Jar();
	p = await request(url, g);
	r = await request(url, g, { form: { csrf: csrfOf(p.body), timezone: expert.tz, notes: '', name: 'Wanda',
		email: u.email, start: starts.find((x) => Date.parse(x) >= Date.parse(starts[0]) + 2 * 3600e3) }, headers: { origin: APP_URL, 'user-agent': 'walk/book-pending' } });
	tap.is(r.status, 200, 'an address with an account books: pending, a code is sent');
	check('pending booking', r, ['APPOINTMENT_REQUESTED'], 'walk/book-pending', u.id);

	// Sign-out everywhere, then sign-out.
	r = await post('/settings/security/sign-out-everywhere', jar, {}, 'walk/everywhere', '/settings/security');
	check('sign-out everywhere', r, ['SESSIONS_REVOKED'], 'walk/everywhere', u.id);
	s = await signIn(APP_URL, u.email, { headers: headers('walk/sign-in-3') });
	r = await post('/auth/sign-out', s.jar, {}, 'walk/sign-out', '/dashboard');
	tap.is(r.status, 303, 'signed out');
	check('sign-out', r, ['USER_SIGNED_OUT'], 'walk/sign-out', u.id);

	tap.is(sql(`SELECT count(*) FROM audit_logs WHERE org_id = ${lit(org)} AND (ip_address IS NULL OR user_agent IS NULL
		OR request_id IS NULL OR workos_user_id IS NULL)`), '0', "none of her organization's rows lacks a field");

	// The client address: a header from anyone but a trusted proxy changes nothing.
	const t = await signIn(APP_URL, u.email);
	let page = await request(`${APP_URL}/settings/security`, t.jar);
	const postHdrs = (xff, theme) => {
		const body = new URLSearchParams({ csrf: csrfOf(page.body), theme, language: 'en' }).toString();
		return { method: 'POST', body, headers: { cookie: t.jar.header(), 'user-agent': 'walk/xff',
			'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), origin: APP_URL,
			'x-forwarded-for': xff, 'x-real-ip': xff } };
	};
	r = await fromAddress('127.0.0.1', '/settings/security', postHdrs('198.51.100.23', 'light'));
	tap.is(r.status, 303, 'preferences saved by a client claiming another address');
	check('X-Forwarded-For from a client', r, ['PREFERENCES_UPDATED'], 'walk/xff', u.id);
	page = await request(`${APP_URL}/settings/security`, t.jar);
	r = await fromAddress('127.0.0.3', '/settings/security', postHdrs('198.51.100.23', 'dark'));
	tap.is(r.status, 303, 'preferences saved through the trusted proxy');
	check('X-Forwarded-For from the trusted proxy', r, ['PREFERENCES_UPDATED'], 'walk/xff', u.id, { ip: '198.51.100.23' });
});
