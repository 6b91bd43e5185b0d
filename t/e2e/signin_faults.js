// signin_faults: what WorkOS's emulator cannot show by itself, through a
// stand-in in front of it (t/lib/workosproxy.js) or a dead port: token
// refresh (transparent, refused, failing), WorkOS down or slow during the
// callback (nothing written, works again afterwards), magic-auth codes, and
// the cookies of an https deployment.
'use strict';

const tap = require('../lib/tap');
const { env, startPool, sleep, freePort } = require('../lib/stack');
const { Jar, request, csrfOf, signIn, workos, newUser, sql, lit } = require('../lib/signin');
const workosproxy = require('../lib/workosproxy');

const { WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const rows = (uid) => sql(`SELECT (SELECT count(*) FROM users WHERE workos_user_id = ${lit(uid)}) +
	(SELECT count(*) FROM organizations WHERE slug = ${lit(`user-${uid}`)}) +
	(SELECT count(*) FROM user_org_memberships WHERE workos_user_id = ${lit(uid)})`);

async function workosOrgCount(uid) {
	const all = (await workos('GET', '/organizations?limit=100')).json.data;
	return all.filter((o) => o.external_id === `eleva-user-${uid}`).length;
}

const tight = { WORKOS_TIMEOUT_MS: '1500', WORKOS_CONNECT_TIMEOUT_MS: '500', WORKOS_RETRIES: '1' };

tap.run(async () => {
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '2'], env: { ...tight, WORKOS_API_BASE: proxy.url } });
	const dash = (jar) => request(`${pool.url}/dashboard`, jar);
	try {
		// --- Token refresh ------------------------------------------------
		// Tokens that expire 5 s ago: still within the leeway at sign-in,
		// expired a few seconds later.
		proxy.shortTokens(-5, 3);
		const fresh = await signIn(pool.url, 'guest@eleva.test');
		const refused = await signIn(pool.url, 'guest@eleva.test');
		const failing = await signIn(pool.url, 'guest@eleva.test');
		tap.is([fresh, refused, failing].map((s) => s.callback && s.callback.status).join(), '303,303,303',
			'three sessions with short-lived tokens');
		await sleep(6500);

		let n = proxy.count('POST', '/user_management/authenticate');
		const oldCookie = fresh.jar.get('eleva_session');
		let r = await dash(fresh.jar);
		tap.is(r.status, 200, 'an expired access token is refreshed transparently');
		tap.is(proxy.count('POST', '/user_management/authenticate'), n + 1, '... with one refresh call');
		tap.ok(fresh.jar.get('eleva_session') && fresh.jar.get('eleva_session') !== oldCookie, '... and the cookie is reissued');
		r = await dash(fresh.jar);
		tap.is(r.status, 200, 'the next request works');
		tap.is(proxy.count('POST', '/user_management/authenticate'), n + 1, '... without refreshing again');

		proxy.fail('POST', '/user_management/authenticate',
			{ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token.' } });
		r = await dash(refused.jar);
		tap.is(r.status, 303, 'a refused refresh signs out');
		tap.is(r.location, '/sign-in?return_to=%2Fdashboard', '... and redirects to sign in');
		tap.is(refused.jar.get('eleva_session'), undefined, '... deleting the cookie');

		proxy.fail('POST', '/user_management/authenticate', { status: 500 });
		r = await dash(failing.jar);
		tap.is(r.status, 503, 'WorkOS failing during a refresh: 503');
		tap.ok(failing.jar.get('eleva_session') !== undefined, '... and the session is kept for later');
		r = await dash(failing.jar);
		tap.is(r.status, 200, '... which works once WorkOS answers again');

		// --- WorkOS failing during the callback ---------------------------
		const cases = [
			// curl resends once by itself when a reused connection dies
			// before any answer, hence the counts.
			['authenticate: connection reset', 'POST', '/user_management/authenticate', { mode: 'reset', count: 2 }],
			['authenticate: 500', 'POST', '/user_management/authenticate', { status: 500 }],
			['authenticate: too slow', 'POST', '/user_management/authenticate', { mode: 'slow', ms: 2500 }],
			['organization creation: 500', 'POST', '/organizations', { status: 503, count: 2 }],
			['membership creation: reset', 'POST', '/user_management/organization_memberships', { mode: 'reset', count: 4 }],
			['membership list: 502', 'GET', '/user_management/organization_memberships', { status: 502, count: 2 }],
		];
		for (const [what, method, path, fault] of cases) {
			const u = await newUser('Sofia', 'Lima');
			proxy.clearFaults();
			proxy.fail(method, path, fault);
			const s = await signIn(pool.url, u.email);
			const st = s.callback && s.callback.status;
			tap.ok(st === 502 || st === 503, `${what}: a ${st} page`);
			tap.like(s.callback ? s.callback.body : '', /Nothing was changed[\s\S]*href="\/sign-in"/,
				`${what}: saying nothing changed, with a retry link`);
			tap.is(s.jar.get('eleva_session'), undefined, `${what}: not signed in`);
			tap.is(rows(u.id), '0', `${what}: no local rows`);
			proxy.clearFaults();
			const again = await signIn(pool.url, u.email);
			tap.is(again.callback && again.callback.location, '/dashboard', `${what}: signing in again works`);
			tap.is(rows(u.id), '3', `${what}: ... and provisions the user`);
			tap.is(await workosOrgCount(u.id), 1, `${what}: ... with exactly one WorkOS organization`);
		}

		// --- Magic auth ---------------------------------------------------
		const jar = new Jar();
		r = await request(`${pool.url}/sign-in/code`, jar);
		tap.is(r.status, 200, 'GET /sign-in/code shows the e-mail form');
		const token = csrfOf(r.body);
		tap.ok(token && jar.get('eleva_csrf'), '... with a CSRF token kept in a cookie of its own');
		r = await request(`${pool.url}/sign-in/code`, jar.clone(), { form: { email: 'guest@eleva.test' } });
		tap.is(r.status, 403, 'asking for a code without the CSRF token is refused');
		r = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: token, email: 'not-an-address' } });
		tap.is(r.status, 422, 'an invalid address is refused');
		tap.like(r.body, /Please enter a valid e-mail address/, '... with a message');
		r = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: token, email: 'nobody.here@example.test' } });
		tap.is(r.status, 200, 'an unknown address gets the same answer as a known one');
		r = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: token, email: 'guest@eleva.test' } });
		tap.is(r.status, 200, 'a code is sent to guest@eleva.test');
		tap.like(r.body, /name="code"/, '... and the page asks for it');
		const code = proxy.magicCode('guest@eleva.test');
		tap.like(code || '', /^\d{6}$/, 'WorkOS reported a 6-digit code');
		tap.ok(!r.body.includes(code), '... which the page never shows');
		const wrong = code === '000000' ? '111111' : '000000';
		r = await request(`${pool.url}/sign-in/code`, jar, {
			form: { csrf: token, email: 'guest@eleva.test', code: wrong }, headers: { 'accept-language': 'es' },
		});
		tap.is(r.status, 422, 'a wrong code is refused');
		tap.is(sql(`SELECT (metadata->>'method') || ' ' || (metadata->>'reason') FROM audit_logs
			WHERE action = 'SIGN_IN_REFUSED' AND request_id = ${lit(r.headers.get('x-request-id'))}`), 'code code',
			'... and audited: SIGN_IN_REFUSED, method code, reason code');
		tap.like(r.body, /Ese código no es correcto o ha caducado/, '... with the message in the visitor\'s language');
		r = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: token, email: 'guest@eleva.test', code: 'abc' } });
		tap.is(r.status, 422, 'a code that is not 6 digits is refused before asking WorkOS');
		r = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: token, email: 'guest@eleva.test', code } });
		tap.is(r.status, 303, 'the right code signs in');
		tap.is(r.location, '/dashboard', '... to the dashboard');
		r = await dash(jar);
		tap.like(r.body, /guest@eleva.test/, 'the guest sees her dashboard');
		r = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: csrfOf(r.body), email: 'guest@eleva.test', code } });
		tap.is(r.status, 422, 'the same code cannot be used twice');
	} finally {
		await pool.stop();
		await proxy.close();
	}

	// --- A dead port: WorkOS unreachable ----------------------------------
	const dead = await freePort();
	const pool2 = await startPool({ args: ['--workers', '1'], env: { ...tight, WORKOS_API_BASE: `http://127.0.0.1:${dead}` } });
	try {
		const u = await newUser('Tiago', 'Reis');
		const jar = new Jar();
		const st = await request(`${pool2.url}/sign-in?login_hint=${encodeURIComponent(u.email)}`, jar);
		// The browser would fail at the dead address; ask the emulator itself.
		const auth = await request(st.location.replace(`http://127.0.0.1:${dead}`, WORKOS_API_BASE), null);
		const r = await request(auth.location, jar);
		tap.is(r.status, 503, 'WorkOS unreachable during the callback: 503');
		tap.like(r.body, /not answering right now/, '... saying so');
		tap.is(rows(u.id), '0', '... and nothing is written');
	} finally {
		await pool2.stop();
	}

	// --- An https deployment: __Host- cookies with Secure -------------------
	const pool3 = await startPool({ args: ['--workers', '1'], https: true });
	try {
		const s = await signIn(pool3.url, 'guest@eleva.test', { callbackBase: pool3.url });
		tap.like(s.start.headers.getSetCookie().join('\n'), /^__Host-eleva_signin=[^;]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/m,
			'https: the state cookie is __Host- and Secure');
		tap.is(s.callback && s.callback.status, 303, 'https: the callback signs in');
		tap.like(s.jar.setLine('__Host-eleva_session') || '',
			/^__Host-eleva_session=[A-Za-z0-9_-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/,
			'https: the session cookie is __Host-eleva_session, Path=/, HttpOnly, SameSite=Lax, Secure');
		const r = await request(`${pool3.url}/dashboard`, s.jar);
		tap.is(r.status, 200, 'https: the session works');
		const post = await request(`${pool3.url}/settings/security/sign-out-everywhere`, s.jar.clone(),
			{ form: { csrf: csrfOf(r.body) }, headers: { origin: pool3.url } });
		tap.is(post.status, 403, 'https: an http Origin is foreign to an https site');
	} finally {
		await pool3.stop();
	}
});
