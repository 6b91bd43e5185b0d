// security: /settings/security end to end — account facts, the six alert
// toggles with their dependency rule, theme and language (applied on every
// page, public ones too), defaults for a missing row, reset, audit rows, and
// every refusal writing nothing.
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const COLS = ['security_alerts', 'new_device_alerts', 'email_notifications', 'in_app_notifications',
	'unusual_timing_alerts', 'location_change_alerts', 'theme', 'language'];
const row = (uid) => sql(`SELECT ${COLS.map((c, i) => (i < 6 ? `CASE WHEN ${c} THEN 't' ELSE 'f' END` : c)).join(" || ',' || ")}
	FROM user_preferences WHERE workos_user_id = ${lit(uid)}`);
const audits = (uid, action) => Number(sql(`SELECT count(*) FROM audit_logs WHERE workos_user_id = ${lit(uid)}
	AND action = ${lit(action)}`));

// What the page shows: each toggle's checked and disabled state, theme, language.
function shown(html) {
	const out = {};
	for (const c of COLS.slice(0, 6)) {
		const m = new RegExp(`<input type="checkbox" id="${c}" name="${c}"([^>]*)>`).exec(html);
		out[c] = m ? { checked: / checked/.test(m[1]), disabled: / disabled/.test(m[1]) } : null;
	}
	const t = /<input type="radio" id="theme-(\w+)" name="theme" value="\w+" checked>/.exec(html);
	const l = /<option value="(\w+)" selected>/.exec(html);
	out.theme = t && t[1];
	out.language = l && l[1];
	return out;
}
const asRow = (s) => [...COLS.slice(0, 6).map((c) => (s[c] && s[c].checked ? 't' : 'f')), s.theme, s.language].join(',');

// The whole form as the page would send it, with overrides.
function formOf(html, changes = {}) {
	const s = shown(html);
	const f = { csrf: csrfOf(html), theme: s.theme, language: s.language };
	for (const c of COLS.slice(0, 6)) if (s[c].checked && !s[c].disabled) f[c] = 'on';
	for (const [k, v] of Object.entries(changes)) {
		if (v === null) delete f[k];
		else f[k] = v;
	}
	return f;
}

tap.run(async () => {
	// Signed out: sign in first; a POST without a session's token is refused.
	let r = await request(`${APP_URL}/settings/security`, null);
	tap.is(r.status, 303, 'signed out: GET /settings/security redirects');
	tap.is(r.location, '/sign-in?return_to=%2Fsettings%2Fsecurity', '... to sign in, coming back here');
	r = await request(`${APP_URL}/settings/security`, null, { form: { theme: 'dark', language: 'en' } });
	tap.is(`${r.status} ${r.location}`, '303 /sign-in', 'signed out: a POST is sent to sign in, changing nothing');

	const u = await newUser('Marta', 'Pires');
	const { jar } = await signIn(APP_URL, u.email);
	const uid = u.id;

	// Account facts.
	r = await request(`${APP_URL}/settings/security`, jar);
	tap.is(r.status, 200, 'a signed-in user (role user) has the page');
	tap.like(r.body, new RegExp(`${u.email.replace(/\./g, '\\.')}\\s*<span class="tag tag-ok">verified</span>`),
		'... showing the e-mail and that WorkOS verified it');
	tap.like(r.body, new RegExp(`<code>${uid}</code>`), '... the WorkOS user id');
	tap.like(r.body, /Marta&#39;s Account/, '... and the organization');
	tap.like(r.body, /action="\/auth\/sign-out"[\s\S]*action="\/settings\/security\/sign-out-everywhere"/,
		'... with sign out and sign out everywhere');

	// A missing row reads as the defaults; the defaults are the table's.
	sql(`DELETE FROM user_preferences WHERE workos_user_id = ${lit(uid)}`);
	r = await request(`${APP_URL}/settings/security`, jar);
	tap.is(r.status, 200, 'with no preferences row the page still renders');
	const defaults = asRow(shown(r.body));
	tap.is(defaults, 't,f,t,t,t,t,light,en', '... showing the defaults (new-device alerts off, light, English)');
	tap.is(row(uid), '', '... and reading inserted nothing');
	let form = formOf(r.body);
	r = await request(`${APP_URL}/settings/security/reset`, jar, { form: { csrf: form.csrf } });
	tap.is(r.status, 303, 'reset with no row answers with a redirect');
	tap.is(row(uid), defaults, '... inserting the table defaults, which are what the page showed');
	sql(`DELETE FROM user_preferences WHERE workos_user_id = ${lit(uid)}`);

	// First save inserts.
	r = await request(`${APP_URL}/settings/security`, jar);
	form = formOf(r.body, { theme: 'dark', language: 'pt', new_device_alerts: 'on' });
	r = await request(`${APP_URL}/settings/security`, jar, { form });
	tap.is(r.status, 303, 'saving redirects (POST, then GET)');
	tap.is(r.location, '/settings/security?saved=1', '... back to the page with a notice');
	tap.is(row(uid), 't,t,t,t,t,t,dark,pt', 'the first save inserts the row');
	tap.is(audits(uid, 'PREFERENCES_UPDATED'), 1, '... and writes one audit row');
	const a = JSON.parse(sql(`SELECT json_build_object('old', old_values, 'new', new_values, 'type', resource_type,
		'id', resource_id) FROM audit_logs WHERE workos_user_id = ${lit(uid)} AND action = 'PREFERENCES_UPDATED'`));
	tap.is(`${a.old.theme},${a.old.language},${a.old.new_device_alerts}`, 'light,en,false', '... with the old values');
	tap.is(`${a.new.theme},${a.new.language},${a.new.new_device_alerts}`, 'dark,pt,true', '... and the new ones');
	tap.is(`${a.type}:${a.id}`, `user_preferences:${uid}`, '... on the user\'s preferences');

	// Theme and language apply at once and on every page.
	r = await request(`${APP_URL}/settings/security?saved=1`, jar);
	tap.like(r.body, /<html lang="pt-PT" data-theme="dark">/, 'the page is now Portuguese and dark');
	tap.like(r.body, /As suas alterações foram guardadas\./, '... with the saved notice in Portuguese');
	tap.like(r.body, /Definições de segurança/, '... and Portuguese labels');
	r = await request(`${APP_URL}/dashboard`, jar);
	tap.like(r.body, /<html lang="pt-PT" data-theme="dark">/, 'the dashboard too');
	r = await request(`${APP_URL}/`, jar, { headers: { 'accept-language': 'es' } });
	tap.like(r.body, /<html lang="pt-PT" data-theme="dark">/, 'and the public home page, over Accept-Language');
	r = await request(`${APP_URL}/`, null, { headers: { 'accept-language': 'es-ES,es;q=0.9' } });
	tap.like(r.body, /<html lang="es">/, 'a signed-out visitor gets Accept-Language (Spanish)');
	tap.unlike(r.body, /data-theme/, '... and no theme attribute (the device decides)');
	r = await request(`${APP_URL}/`, null, { headers: { 'accept-language': 'pt-BR' } });
	tap.like(r.body, /<html lang="pt-BR">/, '... or Brazilian Portuguese');

	// Refusals: each re-renders with a message in the user's language and writes nothing.
	const before = row(uid);
	const nAudit = audits(uid, 'PREFERENCES_UPDATED');
	r = await request(`${APP_URL}/settings/security`, jar);
	const good = formOf(r.body);
	const bad = [
		[{ theme: 'neon' }, /Escolha uma das opções apresentadas\./, 'an unknown theme'],
		[{ language: 'fr' }, /Escolha uma das opções apresentadas\./, 'an unknown language'],
		[{ theme: null }, /Este campo é obrigatório\./, 'no theme'],
		[{ language: '' }, /Este campo é obrigatório\./, 'an empty language'],
		[{ security_alerts: 'maybe' }, /Escolha uma das opções apresentadas\./, 'a checkbox with a value that is not on/off'],
		[{ theme: 'd'.repeat(5000) }, /Escolha uma das opções apresentadas\./, 'a very long theme'],
	];
	for (const [change, msg, what] of bad) {
		const f = { ...good, ...change };
		for (const k of Object.keys(f)) if (f[k] === null) delete f[k];
		r = await request(`${APP_URL}/settings/security`, jar, { form: f });
		tap.is(r.status, 422, `${what}: refused with 422`);
		tap.like(r.body, msg, `${what}: ... with a message in Portuguese`);
		tap.like(r.body, /class="form-errors" role="alert"/, `${what}: ... summarised at the top of the form`);
	}
	tap.is(row(uid), before, '... and none of them changed the row');
	tap.is(audits(uid, 'PREFERENCES_UPDATED'), nAudit, '... or wrote an audit row');
	r = await request(`${APP_URL}/settings/security`, jar, { form: { ...good, theme: 'light', csrf: 'forged' } });
	tap.is(r.status, 403, 'a wrong CSRF token is refused');
	const noCsrf = { ...good, theme: 'light' };
	delete noCsrf.csrf;
	r = await request(`${APP_URL}/settings/security`, jar, { form: noCsrf });
	tap.is(r.status, 403, 'no CSRF token is refused');
	r = await request(`${APP_URL}/settings/security`, jar, { form: { ...good, theme: 'light' },
		headers: { origin: 'https://evil.example' } });
	tap.is(r.status, 403, 'a foreign Origin is refused');
	tap.is(row(uid), before, '... none of which changed anything');

	// Unknown fields are ignored; another user's id in the form changes nothing of theirs.
	const other = await newUser('Outro', 'Utilizador');
	await signIn(APP_URL, other.email);
	const otherRow = row(other.id);
	r = await request(`${APP_URL}/settings/security`, jar, { form: { ...good, theme: 'system', colour: 'red',
		workos_user_id: other.id, user: other.id } });
	tap.is(r.status, 303, 'unknown fields are ignored');
	tap.is(row(uid).split(',')[6], 'system', '... the known ones saved');
	tap.is(row(other.id), otherRow, '... and another user\'s preferences are untouched');
	r = await request(`${APP_URL}/`, jar);
	tap.like(r.body, /<html lang="pt-PT">/, 'theme "system": no theme attribute, the device decides');

	// The dependency rule: with security alerts off, the five others are
	// disabled on the page and the server keeps them as they were.
	r = await request(`${APP_URL}/settings/security`, jar);
	r = await request(`${APP_URL}/settings/security`, jar, { form: formOf(r.body, { security_alerts: null, language: 'en' }) });
	tap.is(row(uid), 'f,t,t,t,t,t,system,en', 'security alerts off: the others keep their values');
	r = await request(`${APP_URL}/settings/security`, jar);
	let s = shown(r.body);
	tap.ok(!s.security_alerts.checked && !s.security_alerts.disabled, 'the master toggle is off and usable');
	tap.ok(COLS.slice(1, 6).every((c) => s[c].disabled), 'the five dependent toggles are disabled');
	tap.like(r.body, /turn security alerts on and save to change them/, '... with a hint saying why');
	r = await request(`${APP_URL}/settings/security`, jar, { form: { csrf: good.csrf, theme: 'system', language: 'en',
		new_device_alerts: '', email_notifications: 'on' } });
	tap.is(r.status, 303, 'a hand-made POST changing dependents while alerts are off is accepted...');
	tap.is(row(uid), 'f,t,t,t,t,t,system,en', '... but the dependents are not changed');
	r = await request(`${APP_URL}/settings/security`, jar, { form: { csrf: good.csrf, theme: 'system', language: 'en',
		security_alerts: 'on' } });
	tap.is(row(uid), 't,t,t,t,t,t,system,en', 'turning alerts back on restores the dependents as they were');
	r = await request(`${APP_URL}/settings/security`, jar);
	s = shown(r.body);
	tap.ok(COLS.slice(1, 6).every((c) => !s[c].disabled), '... and enables them on the page');
	r = await request(`${APP_URL}/settings/security`, jar, { form: formOf(r.body, { new_device_alerts: null,
		in_app_notifications: null }) });
	tap.is(row(uid), 't,f,t,f,t,t,system,en', 'with alerts on, the dependents change');

	// Reset.
	const nReset = audits(uid, 'PREFERENCES_RESET');
	r = await request(`${APP_URL}/settings/security/reset`, jar, { form: { csrf: good.csrf } });
	tap.is(r.location, '/settings/security?saved=reset', 'reset redirects with its own notice');
	tap.is(row(uid), defaults, '... and restores the defaults');
	tap.is(audits(uid, 'PREFERENCES_RESET'), nReset + 1, '... audited');
	r = await request(`${APP_URL}/settings/security?saved=reset`, jar);
	tap.like(r.body, /Your preferences are back to the defaults\./, '... saying so');
	r = await request(`${APP_URL}/settings/security/reset`, jar, { form: { csrf: 'nope' } });
	tap.is(r.status, 403, 'reset without the CSRF token is refused');

	// A form replayed with a session ended by "sign out everywhere" changes nothing.
	const stale = jar.clone();
	r = await request(`${APP_URL}/settings/security`, jar);
	const replay = formOf(r.body, { theme: 'dark' });
	const kept = row(uid);
	r = await request(`${APP_URL}/settings/security/sign-out-everywhere`, jar, { form: { csrf: replay.csrf } });
	tap.is(r.status, 303, 'sign out everywhere');
	r = await request(`${APP_URL}/settings/security`, stale, { form: replay });
	tap.is(`${r.status} ${r.location}`, '303 /sign-in', 'the old session replaying a saved form is sent to sign in');
	tap.is(row(uid), kept, '... and nothing changed');
});
