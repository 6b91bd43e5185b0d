// hardening: the findings of the attack run (issue 13), one test each,
// named after the finding, reproducing the attack against the real stack.
'use strict';

const net = require('node:net');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert } = require('../lib/booking');

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

tap.run(async () => {
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
