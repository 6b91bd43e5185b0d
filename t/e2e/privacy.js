// privacy: /settings/privacy (issue 14, GDPR art. 15/17/20).  A user
// downloads everything held about him (audited), then deletes his account
// after a fresh sign-in code: afterwards no table holds his e-mail, name or
// notes, the expert keeps the meeting with the guest anonymised, WorkOS no
// longer has him, his audit rows stay, and his old cookie is refused.  A
// deletion WorkOS did not take is finished at his next sign-in, which is
// refused.  An expert with upcoming meetings is told to cancel them first.
'use strict';

const crypto = require('node:crypto');
const tap = require('../lib/tap');
const { env, startPool } = require('../lib/stack');
const workosproxy = require('../lib/workosproxy');
const { Jar, request, csrfOf, signIn, workos, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf } = require('../lib/booking');

const { WORKOS_API_BASE } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

// A WorkOS user with names nobody else has, to look for afterwards.
async function person(tag) {
	const first = `Zel${tag}`;
	const last = `Quar${tag}`;
	const email = `zq.${tag}@example.test`;
	const r = await workos('POST', '/user_management/users', { email, first_name: first, last_name: last, email_verified: true });
	if (r.status !== 201) throw new Error(`WorkOS user: ${r.status}`);
	return { id: r.json.id, email, first, last };
}

// Every table of schema public with a row whose text holds one of the values.
function tablesHolding(values) {
	const tables = sql(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`).split('\n');
	const found = [];
	for (const t of tables) {
		const cond = values.map((v) => `x::text ILIKE ${lit(`%${v}%`)}`).join(' OR ');
		const n = sql(`SELECT count(*) FROM public.${t} x WHERE ${cond}`);
		if (n !== '0') found.push(`${t} (${n})`);
	}
	return found;
}

async function post(url, path, jar, form) {
	const page = await request(`${url}/settings/privacy`, jar);
	return request(`${url}${path}`, jar, { form: { csrf: csrfOf(page.body), ...form } });
}

tap.run(async () => {
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '2'], env: { WORKOS_API_BASE: proxy.url } });
	try {
		const tag = crypto.randomBytes(5).toString('hex');
		const g = await person(tag);
		const notes = `notes-${tag} about my back`;
		let s = await signIn(pool.url, g.email);
		tap.is(s.callback && s.callback.status, 303, 'Zelinda signs in');
		const jar = s.jar;
		const expert = await publishedExpert({ first: 'Paula' });
		const url = `${pool.url}/${expert.handle}/consultation`;
		let p = await request(url, jar);
		let r = await request(url, jar, { form: { csrf: csrfOf(p.body), timezone: expert.tz, notes, name: `${g.first} ${g.last}`,
			email: g.email, start: startsOf(p.body)[0] }, headers: { origin: pool.url } });
		tap.is(r.status, 200, '... and books a meeting, signed in');
		const meeting = sql(`SELECT id FROM meetings WHERE guest_workos_user_id = ${lit(g.id)}`);
		tap.ok(meeting, '... which exists');

		// The page.
		r = await request(`${pool.url}/settings/privacy`, jar);
		tap.is(r.status, 200, 'GET /settings/privacy: 200');
		tap.like(r.body, /<h1>Privacy and your data<\/h1>/, '... titled');
		tap.like(r.body, /href="\/settings\/privacy\/export"/, '... with the download');
		tap.like(r.body, /name="step" value="send"/, '... and the first step of deleting');
		r = await request(`${pool.url}/settings/privacy`, null);
		tap.is(r.status, 303, 'signed out: to the sign-in page');

		// The download.
		r = await request(`${pool.url}/settings/privacy/export`, jar);
		tap.is(r.status, 200, 'download: 200');
		tap.like(r.headers.get('content-disposition') || '', /^attachment; filename="eleva-my-data-\d{4}-\d\d-\d\d\.json"$/, '... a file');
		const data = JSON.parse(r.body);
		tap.is(data.account.email, g.email, '... with the account');
		tap.is(data.account.first_name, g.first, '... the name');
		tap.is(data.preferences.language, 'en', '... the preferences');
		tap.is(data.memberships.length, 1, '... the membership');
		tap.is(data.bookings.length, 1, '... the booking');
		tap.is(data.bookings[0].notes, notes, '... with what she wrote');
		tap.is(data.bookings[0].expert, 'Paula Lima', "... and the expert's name");
		tap.ok(data.audit_log.some((a) => a.action === 'USER_SIGNED_IN'), '... and her audit rows');
		tap.is(data.meetings_as_expert.length, 0, '... and no practice');
		tap.is(sql(`SELECT count(*) FROM audit_logs WHERE workos_user_id = ${lit(g.id)} AND action = 'PERSONAL_DATA_EXPORTED'`), '1',
			'... audited as PERSONAL_DATA_EXPORTED');

		// Deleting: the code first, then the code and the tick.
		r = await post(pool.url, '/settings/privacy/delete', jar, { step: 'confirm', code: '123456', confirm: 'on' });
		tap.is(r.status, 422, 'delete: a code nobody sent → 422');
		tap.like(r.body, /That code is not right or has expired/, '... saying so');
		r = await post(pool.url, '/settings/privacy/delete', jar, { step: 'send' });
		tap.is(r.status, 200, 'delete: a code is sent');
		tap.like(r.body, new RegExp(`We sent a 6-digit code to ${g.email.replace(/\./g, '\\.')}`), '... the page says where');
		tap.like(r.body, /name="code"/, '... and asks for it');
		const code = proxy.magicCode(g.email);
		tap.like(code || '', /^\d{6}$/, '... WorkOS sent one');
		r = await post(pool.url, '/settings/privacy/delete', jar, { step: 'confirm', code });
		tap.is(r.status, 422, 'delete without the tick: 422');
		tap.like(r.body, /Tick the box to confirm/, '... saying so');
		r = await post(pool.url, '/settings/privacy/delete', jar, { step: 'confirm', code: 'abcdef', confirm: 'on' });
		tap.is(r.status, 422, 'delete with a code that is not 6 digits: 422');
		r = await request(`${pool.url}/settings/privacy/delete`, jar, { form: { step: 'confirm', code, confirm: 'on' } });
		tap.is(r.status, 403, 'delete without the CSRF token: 403');
		tap.is(sql(`SELECT count(*) FROM users WHERE workos_user_id = ${lit(g.id)}`), '1', '... none of these deleted anything');

		const before = jar.clone();
		r = await post(pool.url, '/settings/privacy/delete', jar, { step: 'confirm', code, confirm: 'on' });
		tap.is(r.status, 200, 'delete with the code and the tick: 200');
		tap.like(r.body, /<h1>Your account is deleted<\/h1>/, '... "Your account is deleted"');
		tap.like(jar.setLine('eleva_session') || '', /Max-Age=0/, '... and this browser signed out');

		// What is left.
		tap.is(tablesHolding([g.email, g.first, g.last, `notes-${tag}`]).join(', '), '',
			'no table holds her e-mail address, names or notes');
		tap.is(sql(`SELECT guest_name || ' ' || (guest_email LIKE 'deleted-%@deleted.invalid') || ' ' || (guest_notes IS NULL)
			|| ' ' || (guest_workos_user_id IS NULL) || ' ' || status FROM meetings WHERE id = ${lit(meeting)}`),
			'Deleted user true true true confirmed', "the expert's meeting stays, the guest anonymised");
		const grants = sql(`SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'eleva_web'
			AND table_name = 'account_deletions'`);
		tap.is(grants, '0', 'the record of the deletion is not readable by the app role');
		tap.is((await workos('GET', `/user_management/users/${g.id}`)).status, 404, 'WorkOS no longer has her');
		tap.is(sql(`SELECT count(*) FROM audit_logs WHERE workos_user_id = ${lit(g.id)} AND action = 'ACCOUNT_DELETED'`), '1',
			'the deletion is audited');
		tap.ok(Number(sql(`SELECT count(*) FROM audit_logs WHERE workos_user_id = ${lit(g.id)}`)) >= 4, '... and her audit rows stay');
		r = await request(`${pool.url}/dashboard`, before);
		tap.is(`${r.status} ${(r.location || '').replace(/\?.*/, '')}`, '303 /sign-in', 'her old cookie replayed: to the sign-in page');
		r = await request(`${pool.url}/settings/privacy/export`, before);
		tap.is(r.status, 303, '... also for the download');
		tap.is(sql('SELECT count(*) FROM app.audit_verify(NULL) WHERE reason IS NOT NULL'), '0', 'the audit chains still verify');

		// WorkOS refuses the deletion (409, production's user_deletion_not_allowed): finished at the next sign-in, which is refused.
		const d = await person(`${tag}d`);
		s = await signIn(pool.url, d.email);
		proxy.fail('DELETE', '/user_management/users', { status: 409,
			body: { code: 'user_deletion_not_allowed', message: 'User deletion is not allowed.' } });
		r = await post(pool.url, '/settings/privacy/delete', s.jar, { step: 'send' });
		r = await post(pool.url, '/settings/privacy/delete', s.jar, { step: 'confirm', code: proxy.magicCode(d.email), confirm: 'on' });
		tap.is(r.status, 200, 'WorkOS failing: the account is deleted here all the same');
		tap.is(sql(`SELECT count(*) FROM account_deletions WHERE workos_user_id = ${lit(d.id)} AND workos_deleted_at IS NULL`), '1',
			'... WorkOS left pending');
		tap.is((await workos('GET', `/user_management/users/${d.id}`)).status, 200, '... WorkOS still has him');
		proxy.clearFaults();
		s = await signIn(pool.url, d.email);
		tap.is(s.callback && s.callback.status, 403, 'his next sign-in is refused');
		tap.like(s.callback.body, /This account was deleted at its owner&#39;s request/, '... saying why');
		tap.is(sql(`SELECT count(*) FROM users WHERE workos_user_id = ${lit(d.id)}`), '0', '... and makes no new account');
		tap.is((await workos('GET', `/user_management/users/${d.id}`)).status, 404, '... and WorkOS no longer has him');
		tap.is(sql(`SELECT count(*) FROM account_deletions WHERE workos_user_id = ${lit(d.id)} AND workos_deleted_at IS NOT NULL`), '1',
			'... recorded');

		// An expert with an upcoming meeting is asked to cancel it first.
		const e = await person(`${tag}e`);
		s = await signIn(pool.url, e.email);
		const org = sql(`SELECT org_id FROM user_org_memberships WHERE workos_user_id = ${lit(e.id)}`);
		sql(`UPDATE users SET role = 'expert_top' WHERE workos_user_id = ${lit(e.id)}`);
		const ev = sql(`INSERT INTO events (org_id, workos_user_id, name, slug, duration_in_minutes, price)
			VALUES (${lit(org)}, ${lit(e.id)}, 'Talk', 'talk', 30, 0) RETURNING id`);
		sql(`INSERT INTO meetings (org_id, event_id, workos_user_id, guest_email, guest_name, start_time, end_time, timezone)
			VALUES (${lit(org)}, ${lit(ev)}, ${lit(e.id)}, 'client@example.test', 'Client', now() + interval '2 days',
			now() + interval '2 days 30 minutes', 'UTC')`);
		r = await post(pool.url, '/settings/privacy/delete', s.jar, { step: 'send' });
		r = await post(pool.url, '/settings/privacy/delete', s.jar, { step: 'confirm', code: proxy.magicCode(e.email), confirm: 'on' });
		tap.is(r.status, 409, 'an expert with an upcoming meeting: 409');
		tap.like(r.body, /Cancel them before deleting your account: nothing was deleted/, '... saying what to do');
		tap.is(sql(`SELECT count(*) FROM users WHERE workos_user_id = ${lit(e.id)}`), '1', '... and nothing was deleted');
		tap.is((await workos('GET', `/user_management/users/${e.id}`)).status, 200, '... not even at WorkOS');

		// In Spanish.
		sql(`UPDATE user_preferences SET language = 'es' WHERE workos_user_id = ${lit(e.id)}`);
		r = await request(`${pool.url}/settings/privacy`, s.jar);
		tap.like(r.body, /<h1>Privacidad y tus datos<\/h1>/, 'the page in her language');
	} finally {
		await pool.stop();
		await proxy.close();
	}
});
