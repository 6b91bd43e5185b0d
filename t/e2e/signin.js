// signin: AuthKit sign-in through nginx against WorkOS's emulator: demo
// accounts, first-sign-in provisioning, state and code checks, return paths,
// cookies, sign-out, sign-out everywhere, CSRF and the dispatcher's rules.
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { Jar, request, csrfOf, signIn, workos, newUser, sql, lit } = require('../lib/signin');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const counts = (uid) => sql(`SELECT (SELECT count(*) FROM users WHERE workos_user_id = ${lit(uid)}) || ',' ||
	(SELECT count(*) FROM organizations WHERE slug = ${lit(`user-${uid}`)}) || ',' ||
	(SELECT count(*) FROM user_org_memberships WHERE workos_user_id = ${lit(uid)})`);

async function workosOrgs(uid) {
	const m = await workos('GET', `/user_management/organization_memberships?user_id=${uid}&limit=100`);
	const o = await workos('GET', `/organizations/external_id/eleva-user-${uid}`);
	return { memberships: m.json.data, org: o.status === 200 ? o.json : null };
}

tap.run(async () => {
	// The sign-in page of the local stack offers the demo accounts.
	let r = await request(`${APP_URL}/sign-in?return_to=/dashboard`, null);
	tap.is(r.status, 200, 'GET /sign-in in the local stack is a page');
	for (const e of ['expert', 'newexpert', 'guest', 'admin']) {
		tap.like(r.body, new RegExp(`href="/sign-in\\?login_hint=${e}%40eleva.test&amp;return_to=%2Fdashboard"`),
			`... with a one-click sign-in for ${e}@eleva.test`);
	}
	tap.unlike(r.body, /<script/, '... and no script');

	// Starting a sign-in: PKCE, state, the state cookie.
	let jar = new Jar();
	r = await request(`${APP_URL}/sign-in?login_hint=guest%40eleva.test`, jar);
	tap.is(r.status, 303, 'a login hint starts the AuthKit sign-in');
	const au = new URL(r.location);
	tap.is(`${au.origin}${au.pathname}`, `${WORKOS_API_BASE}/user_management/authorize`, '... at WorkOS authorize');
	tap.is(au.searchParams.get('client_id'), process.env.WORKOS_CLIENT_ID, '... with the client id');
	tap.is(au.searchParams.get('response_type'), 'code', '... response_type=code');
	tap.is(au.searchParams.get('provider'), 'authkit', '... provider=authkit');
	tap.is(au.searchParams.get('redirect_uri'), `${APP_URL}/auth/callback`, '... our callback');
	tap.is(au.searchParams.get('code_challenge_method'), 'S256', '... PKCE S256');
	tap.like(au.searchParams.get('code_challenge') || '', /^[A-Za-z0-9_-]{43}$/, '... a SHA-256 challenge');
	tap.like(au.searchParams.get('state') || '', /^[A-Za-z0-9_-]{43}$/, '... a random state');
	tap.is(au.searchParams.get('login_hint'), 'guest@eleva.test', '... the login hint');
	const sc = jar.setLine('eleva_signin') || '';
	tap.like(sc, /; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/, 'the state cookie is short-lived and HttpOnly');
	tap.unlike(sc, new RegExp(au.searchParams.get('state')), '... and sealed (the state is not readable in it)');

	// Each demo account lands on its page.
	const landing = {
		'expert@eleva.test': '/dashboard', 'newexpert@eleva.test': '/setup',
		'guest@eleva.test': '/dashboard', 'admin@eleva.test': '/dashboard',
	};
	const demoJars = {};
	for (const [email, where] of Object.entries(landing)) {
		const s = await signIn(APP_URL, email);
		tap.is(s.callback && s.callback.status, 303, `${email}: the callback signs in`);
		tap.is(s.callback && s.callback.location, where, `${email}: lands on ${where}`);
		demoJars[email] = s.jar;
	}
	r = await request(`${APP_URL}/dashboard`, demoJars['expert@eleva.test']);
	tap.is(r.status, 200, 'the expert sees the dashboard');
	tap.like(r.body, /Ana Ferreira[\s\S]*expert@eleva.test[\s\S]*Ana&#39;s Practice[\s\S]*Top Expert[\s\S]*Owner/,
		'... naming her, her practice, her role and her organization role');
	r = await request(`${APP_URL}/dashboard`, demoJars['admin@eleva.test']);
	tap.like(r.body, /Administrator/, 'the admin sees the Administrator role');
	r = await request(`${APP_URL}/dashboard`, demoJars['guest@eleva.test']);
	tap.like(r.body, /Carla&#39;s Account[\s\S]*>User<[\s\S]*Owner/, 'the guest: her account, role User, owner of it');
	tap.like(r.body, /action="\/auth\/sign-out"/, 'signed-in pages carry the sign-out form');
	tap.is(r.headers.get('cache-control'), 'private, no-store', 'signed-in pages are not cached');

	// First sign-in provisions; a second creates nothing.
	const u = await newUser('Rita', 'Sousa');
	tap.is(counts(u.id), '0,0,0', 'a new WorkOS user has no local rows');
	let s = await signIn(APP_URL, u.email, { returnTo: '/dashboard' });
	tap.is(s.callback.location, '/dashboard', 'first sign-in of a new user lands on return_to');
	tap.is(counts(u.id), '1,1,1', '... and creates the users row, the organization and the membership');
	tap.is(sql(`SELECT role FROM users WHERE workos_user_id = ${lit(u.id)}`), 'user', '... with the role user');
	tap.is(sql(`SELECT name || '|' || type FROM organizations WHERE slug = ${lit(`user-${u.id}`)}`),
		"Rita's Account|patient_personal", "... an organization named Rita's Account, patient_personal");
	tap.is(sql(`SELECT role || '|' || status FROM user_org_memberships WHERE workos_user_id = ${lit(u.id)}`),
		'owner|active', '... and an active owner membership');
	let wo = await workosOrgs(u.id);
	tap.is(wo.org && wo.org.name, "Rita's Account", 'in WorkOS: the organization, by external id');
	tap.is(wo.memberships.length, 1, '... one membership');
	tap.is(wo.memberships[0] && wo.memberships[0].role.slug, 'owner', '... as owner');
	tap.is(sql(`SELECT o.workos_org_id FROM organizations o WHERE slug = ${lit(`user-${u.id}`)}`), wo.org && wo.org.id,
		'the local organization is the WorkOS one');
	s = await signIn(APP_URL, u.email);
	tap.is(s.callback.location, '/dashboard', 'a second sign-in lands on the dashboard');
	tap.is(counts(u.id), '1,1,1', '... and creates nothing locally');
	wo = await workosOrgs(u.id);
	const orgs = (await workos('GET', '/organizations?limit=100')).json.data.filter((o) => o.external_id === `eleva-user-${u.id}`);
	tap.is(orgs.length, 1, '... nor in WorkOS (one organization)');
	tap.is(wo.memberships.length, 1, '... (one membership)');

	// Cookie attributes over http.
	const line = s.jar.setLine('eleva_session') || '';
	tap.like(line, /^eleva_session=[A-Za-z0-9_-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/,
		'session cookie: Path=/, HttpOnly, SameSite=Lax, no Secure over http');
	tap.ok(line.length < 4096, `... under 4 KB (${line.length} bytes)`);
	tap.like(s.jar.setLine('eleva_signin') || '', /Max-Age=0/, 'the callback deletes the state cookie');

	// State checks.
	let a = await signIn(APP_URL, u.email);
	const cb = new URL(a.callbackUrl);
	let j2 = new Jar();
	await request(`${APP_URL}/sign-in?login_hint=${encodeURIComponent(u.email)}`, j2);
	cb.searchParams.set('state', 'x'.repeat(43));
	r = await request(cb.toString(), j2);
	tap.is(r.status, 400, 'a wrong state is refused (400)');
	const refusal = (res) => sql(`SELECT coalesce(workos_user_id, '-') || ' ' || (metadata->>'method') || ' ' ||
		(metadata->>'reason') || ' ' || (ip_address IS NOT NULL AND user_agent IS NOT NULL) FROM audit_logs
		WHERE action = 'SIGN_IN_REFUSED' AND request_id = ${lit(res.headers.get('x-request-id'))}`);
	tap.is(refusal(r), '- authkit state true', '... and audited: SIGN_IN_REFUSED, reason state, with address and browser');
	tap.is(j2.get('eleva_session'), undefined, '... without a session');
	tap.like(r.body, /href="\/sign-in"/, '... with a retry link');
	j2 = new Jar();
	await request(`${APP_URL}/sign-in?login_hint=${encodeURIComponent(u.email)}`, j2);
	cb.searchParams.delete('state');
	r = await request(cb.toString(), j2);
	tap.is(r.status, 400, 'a missing state is refused');
	r = await request(a.callbackUrl, new Jar());
	tap.is(r.status, 400, 'a callback without the state cookie is refused');
	tap.is(refusal(r), '- authkit expired true', '... audited, reason expired');
	// A reused code: a fresh sign-in's cookie and state with an old code.
	j2 = new Jar();
	let st = await request(`${APP_URL}/sign-in?login_hint=${encodeURIComponent(u.email)}`, j2);
	let reuse = new URL(a.callbackUrl);
	reuse.searchParams.set('state', new URL(st.location).searchParams.get('state'));
	r = await request(reuse.toString(), j2);
	tap.is(r.status, 400, 'a code used before is refused');
	tap.is(refusal(r), '- authkit code true', '... audited, reason code');
	tap.is(j2.get('eleva_session'), undefined, '... without a session');
	j2 = new Jar();
	st = await request(`${APP_URL}/sign-in?login_hint=${encodeURIComponent(u.email)}`, j2);
	r = await request(`${APP_URL}/auth/callback?state=${new URL(st.location).searchParams.get('state')}`, j2);
	tap.is(r.status, 400, 'a missing code is refused');
	j2 = new Jar();
	st = await request(`${APP_URL}/sign-in?login_hint=${encodeURIComponent(u.email)}`, j2);
	r = await request(`${APP_URL}/auth/callback?error=access_denied&state=${new URL(st.location).searchParams.get('state')}`, j2);
	tap.is(r.status, 400, 'an error from AuthKit is shown, not signed in');

	// return_to is a local path, or replaced.
	for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)']) {
		a = await signIn(APP_URL, 'guest@eleva.test', { returnTo: bad });
		tap.is(a.callback && a.callback.location, '/dashboard', `return_to ${bad} is replaced by /dashboard`);
	}
	a = await signIn(APP_URL, 'guest@eleva.test', { returnTo: '/dashboard?tab=2' });
	tap.is(a.callback.location, '/dashboard?tab=2', 'a local return_to with a query is kept');

	// Signed-out visitors are sent to sign in, coming back afterwards.
	r = await request(`${APP_URL}/dashboard?x=1`, new Jar());
	tap.is(r.status, 303, 'signed out: /dashboard redirects');
	tap.is(r.location, '/sign-in?return_to=%2Fdashboard%3Fx%3D1', '... to /sign-in with return_to');
	r = await request(`${APP_URL}/dashboard`, null, { headers: { cookie: 'eleva_session=garbage' } });
	tap.is(r.status, 303, 'a forged cookie is refused (redirect)');
	tap.like(r.headers.getSetCookie().join('\n'), /eleva_session=; Path=\/; Max-Age=0/, '... and deleted');

	// CSRF on every POST.
	const victim = await signIn(APP_URL, 'guest@eleva.test');
	const other = await signIn(APP_URL, 'expert@eleva.test');
	const otherToken = csrfOf((await request(`${APP_URL}/dashboard`, other.jar)).body);
	const token = csrfOf((await request(`${APP_URL}/dashboard`, victim.jar)).body);
	tap.like(token || '', /^[A-Za-z0-9_-]{43}$/, 'the dashboard carries a CSRF token');
	const guestId = sql(`SELECT workos_user_id FROM users WHERE email = 'guest@eleva.test'`);
	const sva = () => sql(`SELECT coalesce(sessions_valid_after::text, 'none') FROM users WHERE workos_user_id = ${lit(guestId)}`);
	const before = sva();
	const post = (form, headers, jar = victim.jar) => request(`${APP_URL}/settings/security/sign-out-everywhere`,
		jar.clone(), { form, headers });
	r = await post({});
	tap.is(r.status, 403, 'a POST without the CSRF token is refused (403)');
	r = await post({ csrf: otherToken });
	tap.is(r.status, 403, '... with another session\'s token, 403');
	r = await post({ csrf: token }, { origin: 'https://evil.example' });
	tap.is(r.status, 403, '... with a foreign Origin, 403');
	r = await post({ csrf: token }, { 'sec-fetch-site': 'cross-site' });
	tap.is(r.status, 403, '... marked cross-site by the browser, 403');
	tap.is(sva(), before, '... and none of them changed anything');
	r = await request(`${APP_URL}/auth/sign-out`, victim.jar.clone(), { form: {} });
	tap.is(r.status, 403, 'sign-out without the token is refused too');
	r = await request(`${APP_URL}/dashboard`, victim.jar.clone());
	tap.is(r.status, 200, '... and the session still works');

	// Sign-out.
	const out = victim.jar.clone();
	r = await request(`${APP_URL}/auth/sign-out`, out, { form: { csrf: token }, headers: { origin: APP_URL } });
	tap.is(r.status, 303, 'sign-out redirects');
	const lo = new URL(r.location);
	tap.is(`${lo.origin}${lo.pathname}`, `${WORKOS_API_BASE}/user_management/sessions/logout`, '... to the WorkOS logout');
	tap.like(lo.searchParams.get('session_id') || '', /^session_/, '... for the WorkOS session');
	tap.is(lo.searchParams.get('return_to'), `${APP_URL}/`, '... returning home');
	tap.is(out.get('eleva_session'), undefined, '... and clears the cookie');
	const back = await request(r.location, null);
	tap.is(back.location, `${APP_URL}/`, 'WorkOS ends its session and sends the browser home');
	r = await request(`${APP_URL}/dashboard`, out);
	tap.is(r.status, 303, 'signed out: the dashboard asks to sign in again');

	// Sign-out everywhere: every copy of every session stops working.
	const one = await signIn(APP_URL, 'guest@eleva.test');
	const two = await signIn(APP_URL, 'guest@eleva.test');
	const copy = one.jar.clone();
	const t1 = csrfOf((await request(`${APP_URL}/dashboard`, one.jar)).body);
	r = await request(`${APP_URL}/settings/security/sign-out-everywhere`, one.jar, { form: { csrf: t1 } });
	tap.is(r.status, 303, 'sign out everywhere redirects');
	tap.is(one.jar.get('eleva_session'), undefined, '... clearing this browser\'s cookie');
	tap.isnt = (g, w, n) => tap.ok(g !== w, n);
	tap.isnt(sva(), 'none', '... and setting sessions_valid_after');
	r = await request(`${APP_URL}/dashboard`, copy);
	tap.is(r.status, 303, 'an old copy of the cookie is refused');
	r = await request(`${APP_URL}/dashboard`, two.jar);
	tap.is(r.status, 303, 'the session of another browser is refused');
	tap.is(sql(`SELECT count(*) FROM audit_logs WHERE action = 'SESSIONS_REVOKED' AND workos_user_id = ${lit(guestId)}`) > 0,
		true, 'the action is audited');
	const again = await signIn(APP_URL, 'guest@eleva.test');
	r = await request(`${APP_URL}/dashboard`, again.jar);
	tap.is(r.status, 200, 'signing in again afterwards works at once');

	// Sign-ins and sign-outs are audited (issue 14): one row each, with
	// the user, the organization, the address, the user agent and the
	// request id.
	{
		const u = await newUser('Aude', 'Trail');
		const a = await signIn(APP_URL, u.email, { headers: { 'user-agent': 'audit-test/1.0' } });
		tap.is(a.callback && a.callback.status, 303, 'audit: a new user signs in');
		const row = (action) => sql(`SELECT count(*) || '|' || coalesce(min(metadata->>'method'), '-') || '|'
			|| bool_and(org_id = (SELECT id FROM organizations WHERE slug = 'user-' || workos_user_id)
			    AND ip_address <> '' AND user_agent <> '' AND request_id <> '')
			FROM audit_logs WHERE action = '${action}' AND workos_user_id = ${lit(u.id)}`);
		tap.is(row('USER_SIGNED_IN'), '1|authkit|true',
			'audit: one USER_SIGNED_IN (method authkit) in his organization, with address, user agent and request id');
		const d = await request(`${APP_URL}/dashboard`, a.jar);
		r = await request(`${APP_URL}/auth/sign-out`, a.jar, { form: { csrf: csrfOf(d.body) }, headers: { origin: APP_URL } });
		tap.is(r.status, 303, 'audit: he signs out');
		tap.is(row('USER_SIGNED_OUT'), '1|-|true', 'audit: one USER_SIGNED_OUT, as complete');
	}

	// Roles are loaded from the database, not from the organization role.
	tap.is(sql(`SELECT role FROM users WHERE email = 'newexpert@eleva.test'`), 'expert_community',
		'newexpert keeps her application role');
});
