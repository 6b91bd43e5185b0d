// setup: the expert setup wizard end to end — who may use it, the three
// forms with every kind of bad input (each re-rendered in the user's
// language, writing nothing), the signed webhook for the external steps,
// setup_complete set exactly once, publishing and unpublishing, audit rows,
// and another expert's ids.
'use strict';

const crypto = require('node:crypto');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');

const { APP_URL, WORKOS_API_BASE, WEBHOOK_SECRET } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');
if (!WEBHOOK_SECRET) tap.skipAll('WEBHOOK_SECRET is not set in this stack');

const FLAGS = ['profile', 'availability', 'events', 'google_account', 'identity', 'payment'];
const flags = (uid) => sql(`SELECT coalesce((SELECT ${FLAGS.map((f) => `CASE WHEN ${f}_completed THEN '1' ELSE '0' END`).join(' || ')}
	|| CASE WHEN setup_complete THEN ' complete' ELSE '' END FROM expert_setup WHERE workos_user_id = ${lit(uid)}), 'no row')`);
const completedAt = (uid) => sql(`SELECT coalesce(setup_completed_at::text, 'null') FROM expert_setup WHERE workos_user_id = ${lit(uid)}`);
const audits = (uid, action) => Number(sql(`SELECT count(*) FROM audit_logs WHERE resource_id = ${lit(uid)}
	${action ? `AND action = ${lit(action)}` : ''}`));
const allAudits = () => Number(sql('SELECT count(*) FROM audit_logs'));
const profile = (uid) => sql(`SELECT coalesce(handle, '-') || '|' || first_name || '|' || last_name || '|' || coalesce(short_bio, '-')
	|| '|' || published FROM profiles WHERE workos_user_id = ${lit(uid)}`);
const ranges = (uid) => sql(`SELECT s.timezone || ' ' || coalesce(string_agg(a.day_of_week || ' ' || to_char(a.start_time, 'HH24:MI')
	|| '-' || to_char(a.end_time, 'HH24:MI'), ', ' ORDER BY a.day_of_week, a.start_time), '')
	FROM schedules s LEFT JOIN schedule_availabilities a ON a.schedule_id = s.id WHERE s.workos_user_id = ${lit(uid)}
	GROUP BY s.timezone`);
const events = (uid) => sql(`SELECT coalesce(string_agg(slug || ':' || duration_in_minutes || ':' || price || currency || ':' || is_active,
	', ' ORDER BY slug), '') FROM events WHERE workos_user_id = ${lit(uid)}`);

// A new expert: signed in once (provisioned as a user), then given an expert role.
async function newExpert(first, last, lang) {
	const u = await newUser(first, last);
	const { jar } = await signIn(APP_URL, u.email);
	sql(`UPDATE users SET role = 'expert_community' WHERE workos_user_id = ${lit(u.id)}`);
	if (lang) sql(`UPDATE user_preferences SET language = ${lit(lang)} WHERE workos_user_id = ${lit(u.id)}`);
	return { ...u, jar };
}

async function page(path, jar) {
	const r = await request(`${APP_URL}${path}`, jar);
	return { ...r, csrf: csrfOf(r.body) };
}

// POST a form as the page would, from a fresh GET of the page (its token).
async function post(path, jar, form, from) {
	const p = await page(from || path, jar);
	const f = { csrf: p.csrf, ...form };
	for (const k of Object.keys(f)) if (f[k] === null) delete f[k];
	return request(`${APP_URL}${path}`, jar, { form: f });
}

// The provider's signature: "<timestamp>.<delivery id>.<body>".
function sign(body, delivery, ts = Math.floor(Date.now() / 1000), secret = WEBHOOK_SECRET) {
	return { ts: String(ts), sig: `sha256=${crypto.createHmac('sha256', secret).update(`${ts}.${delivery}.`).update(body).digest('hex')}` };
}

async function webhook(payload, opts = {}) {
	const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
	const delivery = opts.delivery || crypto.randomUUID();
	const s = sign(body, delivery, opts.ts, opts.secret);
	const headers = { 'content-type': 'application/json' };
	if (!opts.noTs) headers['x-eleva-timestamp'] = opts.tsHeader || s.ts;
	if (!opts.noSig) headers['x-eleva-signature'] = opts.sig || s.sig;
	if (!opts.noDelivery) headers['x-eleva-delivery'] = opts.deliveryHeader || delivery;
	const r = await fetch(`${APP_URL}/webhooks/setup`, { method: 'POST', headers, body });
	const text = await r.text();
	let json = null;
	try {
		json = JSON.parse(text);
	} catch { /* not JSON */ }
	return { status: r.status, json, body, headers };
}

tap.run(async () => {
	// Who may use it.
	let r = await request(`${APP_URL}/setup`, null);
	tap.is(r.location, '/sign-in?return_to=%2Fsetup', 'signed out: /setup asks to sign in first');
	const guest = await newUser('Gabi', 'Guest');
	const g = await signIn(APP_URL, guest.email);
	for (const p of ['/setup', '/setup/profile', '/setup/availability', '/setup/events']) {
		r = await request(`${APP_URL}${p}`, g.jar);
		tap.is(r.status, 403, `a guest (role user) gets 403 on GET ${p}`);
	}
	const gcsrf = csrfOf((await request(`${APP_URL}/settings/security`, g.jar)).body);
	for (const p of ['/setup/profile', '/setup/availability', '/setup/events', '/setup/publish', '/setup/unpublish']) {
		r = await request(`${APP_URL}${p}`, g.jar, { form: { csrf: gcsrf, first_name: 'X', last_name: 'Y' } });
		tap.is(r.status, 403, `... and on POST ${p}`);
	}
	tap.is(sql(`SELECT count(*) FROM profiles WHERE workos_user_id = ${lit(guest.id)}`), '0', '... which wrote nothing');

	// A second expert who already holds a handle and an event.
	const other = await newExpert('Olga', 'Other');
	r = await post('/setup/profile', other.jar, { handle: `olga-${Date.now() % 100000}`, first_name: 'Olga', last_name: 'Other', short_bio: 'Doula.' });
	tap.is(r.status, 303, 'another expert saves her profile');
	const otherHandle = profile(other.id).split('|')[0];
	r = await post('/setup/events', other.jar, { name: 'Olga call', slug: 'call', duration: '30', price: '0', currency: 'eur', active: 'on' });
	tap.is(r.status, 303, '... and an event');
	const otherEvent = sql(`SELECT id FROM events WHERE workos_user_id = ${lit(other.id)}`);

	// Our expert works in Spanish; no expert_setup row yet.
	const e = await newExpert('Elena', 'Experta', 'es');
	tap.is(flags(e.id), 'no row', 'a new expert has no setup row yet');
	r = await page('/setup', e.jar);
	tap.is(r.status, 200, 'the expert sees /setup');
	tap.like(r.body, /0 de 6 pasos completados/, '... 0 of 6, in Spanish');
	for (const s of ['Completa tu perfil de experto', 'Indica tu disponibilidad', 'Crea un servicio', 'Conecta tu cuenta de Google',
		'Verifica tu identidad', 'Conecta una cuenta de pagos']) tap.like(r.body, new RegExp(s), `... step "${s}"`);
	tap.like(r.body, /id="step-payment">[\s\S]*?Verifica primero tu identidad/, '... payment says identity comes first');
	tap.like(r.body, /href="\/setup\/profile"[\s\S]*href="\/setup\/availability"[\s\S]*href="\/setup\/events"/, '... the three forms in order');
	tap.unlike(r.body, /<script/i, '... no script');

	// Profile: every bad input refused, in Spanish, writing nothing.
	r = await page('/setup/profile', e.jar);
	tap.like(r.body, /name="first_name"[^>]*value="Elena"/, 'the profile form starts from the account name');
	const good = { handle: `elena-${Date.now() % 100000}`, first_name: 'Elena', last_name: 'Experta', headline: 'Matrona',
		short_bio: 'Acompaño embarazos.', primary_category: '' };
	const before = allAudits();
	const badProfile = [
		[{ first_name: '' }, 422, /Este campo es obligatorio\./, 'an empty first name'],
		[{ last_name: 'x'.repeat(101) }, 422, /Usa como máximo 100 caracteres\./, 'a 101-character last name'],
		[{ first_name: 'y'.repeat(10000) }, 422, /Usa como máximo 100 caracteres\./, 'a 10 000-character first name'],
		[{ first_name: '\u202eatsepxE' }, 422, /Elimina los caracteres de control o de formato invisibles/, 'a right-to-left override in a name'],
		[{ short_bio: 'b'.repeat(501) }, 422, /Usa como máximo 500 caracteres\./, 'a 501-character short bio'],
		[{ headline: 'tab\there' }, 422, /Elimina los caracteres de control/, 'a control character in the headline'],
		[{ handle: 'ab' }, 422, /Usa al menos 3 caracteres\./, 'a two-letter handle'],
		[{ handle: 'Elena Experta' }, 422, /Usa solo letras minúsculas, dígitos y guiones/, 'a handle with capitals and a space'],
		[{ handle: 'elena--x' }, 422, /Usa solo letras minúsculas/, 'a handle with a double dash'],
		[{ primary_category: 'not-a-uuid' }, 422, /Este identificador no es válido\./, 'a category that is not an id'],
		[{ primary_category: '00000000-0000-4000-8000-000000000000' }, 422, /Elige una de las opciones ofrecidas\./, 'an unknown category'],
		[{ handle: otherHandle }, 409, /Este identificador ya está en uso/, 'another expert\'s handle'],
	];
	for (const h of ['dashboard', 'setup', 'admin', 'sign-in', 'static', 'settings', 'webhooks', 'auth']) {
		badProfile.push([{ handle: h }, 422, /Esta palabra está reservada por Eleva Care/, `the reserved handle "${h}"`]);
	}
	for (const [change, status, msg, what] of badProfile) {
		r = await post('/setup/profile', e.jar, { ...good, ...change });
		tap.is(r.status, status, `profile: ${what} is refused (${status})`);
		tap.like(r.body, msg, `profile: ${what}: ... with a message in Spanish`);
	}
	tap.like(r.body, /name="handle" type="text"[^>]*value="auth"/, 'a refused form keeps what was typed');
	tap.is(sql(`SELECT count(*) FROM profiles WHERE workos_user_id = ${lit(e.id)}`), '0', 'none of the refused profiles was written');
	tap.is(allAudits(), before, '... nor audited');
	r = await request(`${APP_URL}/setup/profile`, e.jar, { form: good });
	tap.is(r.status, 403, 'profile: no CSRF token → 403');
	tap.is(sql(`SELECT count(*) FROM profiles WHERE workos_user_id = ${lit(e.id)}`), '0', '... nothing written');

	// A profile without a short bio saves but leaves the step open.
	r = await post('/setup/profile', e.jar, { ...good, short_bio: '' });
	tap.is(r.status, 303, 'a profile without a short bio saves');
	tap.is(r.location, '/setup?saved=profile', '... back to the wizard');
	tap.is(flags(e.id), 'no row', '... but the step is not done (no setup row written)');
	tap.is(audits(e.id, 'PROFILE_CREATED'), 1, '... audited as PROFILE_CREATED');
	r = await post('/setup/profile', e.jar, good);
	tap.is(profile(e.id), `${good.handle}|Elena|Experta|Acompaño embarazos.|false`, 'with the short bio the profile is saved');
	tap.is(flags(e.id), '100000', '... and the profile step is done (the row created)');
	tap.is(audits(e.id, 'SETUP_STEP_COMPLETED'), 1, '... audited once');
	const pu = JSON.parse(sql(`SELECT json_build_object('old', old_values, 'new', new_values) FROM audit_logs
		WHERE resource_id = ${lit(e.id)} AND action = 'PROFILE_UPDATED'`));
	tap.is(`${pu.old.short_bio}>${pu.new.short_bio}`, 'null>Acompaño embarazos.', 'PROFILE_UPDATED holds old and new values');
	r = await page('/setup?saved=profile', e.jar);
	tap.like(r.body, /Tu perfil se ha guardado\./, 'the wizard says so');
	tap.like(r.body, /1 de 6 pasos completados/, '... 1 of 6');
	r = await post('/setup/profile', e.jar, { ...good, headline: 'Matrona <script>alert(1)</script> & "doula"' });
	tap.is(audits(e.id, 'SETUP_STEP_COMPLETED'), 1, 'saving the profile again does not complete the step twice');
	r = await page('/setup/profile', e.jar);
	tap.like(r.body, /value="Matrona &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;doula&quot;"/,
		'markup typed into a field is stored as text and shown escaped');
	tap.unlike(r.body, /<script/i, '... never as a script');

	// Availability.
	r = await page('/setup/availability', e.jar);
	tap.like(r.body, /<option selected>Europe\/Lisbon<\/option>/, 'availability: Lisbon is offered by default');
	tap.like(r.body, /<option>America\/Sao_Paulo<\/option>/, '... among PostgreSQL\'s time zones');
	tap.unlike(r.body, /posix\//, '... without the posix/ copies');
	const okTz = { timezone: 'Europe/Madrid' };
	const badAv = [
		[{ timezone: 'Mars/Olympus' }, /Elige una zona horaria de la lista\./, 'an unknown time zone'],
		[{ timezone: '' }, /Este campo es obligatorio\./, 'no time zone'],
		[{ ...okTz, monday_start: '09:00' }, /Indica el inicio y el final del intervalo\./, 'a range without an end'],
		[{ ...okTz, monday_start: '12:00', monday_end: '09:00' }, /El final debe ser posterior al inicio\./, 'an end before the start'],
		[{ ...okTz, monday_start: '12:00', monday_end: '12:00' }, /El final debe ser posterior al inicio\./, 'an empty range'],
		[{ ...okTz, tuesday_start: '25:00', tuesday_end: '26:00' }, /Introduce una hora en formato HH:MM/, 'an hour 25'],
		[{ ...okTz, tuesday_start: 'nueve', tuesday_end: '10:00' }, /Introduce una hora en formato HH:MM/, 'a word for a time'],
		[{ ...okTz, friday_start: ['09:00', '11:00'], friday_end: ['12:00', '13:00'] }, /Dos intervalos de este día se solapan\./, 'overlapping ranges'],
	];
	const beforeAv = allAudits();
	for (const [form, msg, what] of badAv) {
		const f = new URLSearchParams({ csrf: (await page('/setup/availability', e.jar)).csrf });
		for (const [k, v] of Object.entries(form)) for (const x of [].concat(v)) f.append(k, x);
		r = await fetch(`${APP_URL}/setup/availability`, { method: 'POST', redirect: 'manual',
			headers: { cookie: e.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: f.toString() });
		const body = await r.text();
		tap.is(r.status, 422, `availability: ${what} is refused`);
		tap.like(body, msg, `availability: ${what}: ... with a message in Spanish`);
	}
	tap.is(sql(`SELECT count(*) FROM schedules WHERE workos_user_id = ${lit(e.id)}`), '0', '... none wrote a schedule');
	tap.is(allAudits(), beforeAv, '... nor an audit row');

	async function saveAvailability(fields) {
		const f = new URLSearchParams({ csrf: (await page('/setup/availability', e.jar)).csrf });
		for (const [k, v] of fields) f.append(k, v);
		return fetch(`${APP_URL}/setup/availability`, { method: 'POST', redirect: 'manual',
			headers: { cookie: e.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: f.toString() });
	}
	r = await saveAvailability([['timezone', 'Europe/Madrid']]);
	tap.is(r.status, 303, 'a time zone without ranges saves');
	tap.is(flags(e.id), '100000', '... and leaves the availability step open');
	r = await saveAvailability([['timezone', 'Europe/Madrid'], ['monday_start', '13:00'], ['monday_end', '17:00'],
		['monday_start', '09:00'], ['monday_end', '12:00'], ['monday_start', ''], ['monday_end', ''],
		['wednesday_start', '10:00'], ['wednesday_end', '14:00'], ['sunday_start', '12:00'], ['sunday_end', '24:00']]);
	tap.is(r.status, 303, 'weekly ranges save');
	tap.is(ranges(e.id), 'Europe/Madrid monday 09:00-12:00, monday 13:00-17:00, wednesday 10:00-14:00, sunday 12:00-24:00',
		'... as entered (touching ranges and 24:00 allowed, blank rows ignored)');
	tap.is(flags(e.id), '110000', '... and the availability step is done');
	r = await page('/setup/availability', e.jar);
	tap.like(r.body, /name="monday_start" type="time" step="300" value="09:00"/, 'the form shows the stored ranges');
	tap.like(r.body, /<option selected>Europe\/Madrid<\/option>/, '... and the time zone');
	r = await saveAvailability([['timezone', 'Europe/Madrid'], ['tuesday_start', '08:00'], ['tuesday_end', '09:30']]);
	tap.is(ranges(e.id), 'Europe/Madrid tuesday 08:00-09:30', 'saving again replaces the ranges');
	tap.is(audits(e.id, 'SCHEDULE_UPDATED'), 3, 'each save is audited (SCHEDULE_UPDATED)');

	// Events.
	const ev = { name: 'Primera consulta', slug: 'primera-consulta', description: 'Una hora.', duration: '60', price: '50,00', currency: 'eur', active: 'on' };
	const badEv = [
		[{ name: '' }, 422, /Este campo es obligatorio\./, 'an empty name'],
		[{ name: 'n'.repeat(101) }, 422, /Usa como máximo 100 caracteres\./, 'a too long name'],
		[{ slug: 'Primera Consulta' }, 422, /Usa solo letras minúsculas/, 'a bad slug'],
		[{ duration: 'sesenta' }, 422, /Introduce un número entero\./, 'a duration that is not a number'],
		[{ duration: '3' }, 422, /Introduce un número entre 5 y 1440\./, 'a 3-minute duration'],
		[{ duration: '2000' }, 422, /Introduce un número entre 5 y 1440\./, 'a 2000-minute duration'],
		[{ price: '-100' }, 422, /Introduce un importe como 55,00/, 'a negative price'],
		[{ price: 'cincuenta' }, 422, /Introduce un importe como 55,00/, 'a price in words'],
		[{ price: '50,001' }, 422, /como mucho, dos decimales/, 'a price with three decimals'],
		[{ price: '1.000,00' }, 422, /Introduce un importe como 55,00/, 'a price with a thousands separator'],
		[{ price: '100000,01' }, 422, /Introduce un importe entre 0,00 y 100\.000,00\./, 'a price above 100.000,00'],
		[{ currency: 'xyz' }, 422, /Elige una de las opciones ofrecidas\./, 'an unknown currency'],
		[{ active: 'sometimes' }, 422, /Elige una de las opciones ofrecidas\./, 'an "active" that is not on/off'],
		[{ description: 'd'.repeat(1001) }, 422, /Usa como máximo 1000 caracteres\./, 'a too long description'],
		[{ event_id: otherEvent, name: 'Hijacked' }, 404, /Este tipo de evento no existe o no es tuyo\./, 'another expert\'s event id'],
		[{ event_id: 'nope' }, 422, /Este identificador no es válido\./, 'an event id that is not an id'],
	];
	const beforeEv = allAudits();
	for (const [change, status, msg, what] of badEv) {
		r = await post('/setup/events', e.jar, { ...ev, ...change });
		tap.is(r.status, status, `events: ${what} is refused (${status})`);
		tap.like(r.body, msg, `events: ${what}: ... with a message in Spanish`);
	}
	tap.is(events(e.id), '', '... no event written');
	tap.is(sql(`SELECT name FROM events WHERE id = ${lit(otherEvent)}`), 'Olga call', '... and the other expert\'s event is untouched');
	tap.is(allAudits(), beforeEv, '... nothing audited');
	r = await request(`${APP_URL}/setup/events?edit=${otherEvent}`, e.jar);
	tap.is(r.status, 404, 'GET ?edit= with another expert\'s event id: 404');
	tap.unlike(r.body, /Olga call/, '... showing nothing of it');
	r = await request(`${APP_URL}/setup/events?edit=garbage`, e.jar);
	tap.is(r.status, 404, 'GET ?edit=garbage: 404');

	r = await post('/setup/events', e.jar, { ...ev, active: null });
	tap.is(r.status, 303, 'an inactive event saves');
	tap.is(events(e.id), 'primera-consulta:60:5000eur:false', '... as given');
	tap.is(flags(e.id), '110000', '... without completing the events step');
	r = await post('/setup/events', e.jar, { ...ev, name: 'Otra' });
	tap.is(r.status, 409, 'a second event with the same slug: 409');
	tap.like(r.body, /Ya tienes un tipo de evento con esta dirección\./, '... saying so in Spanish');
	const myEvent = sql(`SELECT id FROM events WHERE workos_user_id = ${lit(e.id)}`);
	r = await page(`/setup/events?edit=${myEvent}`, e.jar);
	tap.like(r.body, new RegExp(`name="event_id" value="${myEvent}"`), 'editing one\'s own event shows its form');
	r = await post('/setup/events', e.jar, { ...ev, event_id: myEvent, duration: '45' });
	tap.is(r.status, 303, 'the expert activates and shortens it');
	tap.is(events(e.id), 'primera-consulta:45:5000eur:true', '... saved');
	tap.is(flags(e.id), '111000', '... and the events step is done');
	tap.is(audits(myEvent, 'EVENT_UPDATED'), 1, '... EVENT_UPDATED audited');
	r = await page('/setup/events', e.jar);
	tap.like(r.body, /Primera consulta[\s\S]*50,00\u00a0€/, 'the list shows the event and its price, as Spanish writes it');
	r = await page(`/setup/events?edit=${myEvent}`, e.jar);
	tap.like(r.body, /id="price"[^>]*value="50,00"/, '... and its form the amount, as Spanish writes it');
	r = await post('/setup/events', e.jar, { ...ev, event_id: myEvent, duration: '45', price: '49.5' });
	tap.is(events(e.id), 'primera-consulta:45:4950eur:true', 'a price with a point and one decimal: 4950 cents');
	r = await post('/setup/events', e.jar, { ...ev, event_id: myEvent, duration: '45', price: '50' });
	tap.is(events(e.id), 'primera-consulta:45:5000eur:true', 'a price without decimals: 5000 cents');
	r = await page('/setup', e.jar);
	tap.like(r.body, /3 de 6 pasos completados/, 'the wizard shows 3 of 6');

	// Publishing before setup is complete is refused.
	r = await post('/setup/publish', e.jar, { agree: 'on' }, '/setup');
	tap.is(r.status, 409, 'publishing with steps missing: 409');
	tap.like(r.body, /Falta: Conecta tu cuenta de Google, Verifica tu identidad, Conecta una cuenta de pagos\./, '... naming them');
	tap.like(profile(e.id), /\|false$/, '... not published');

	// The webhook: refusals first; each changes nothing.
	const beforeWh = allAudits();
	const step = (s, status = 'complete', user = e.id) => ({ user, step: s, status });
	let w = await webhook(step('google_account'), { sig: 'sha256=' + '0'.repeat(64) });
	tap.is(w.status, 401, 'webhook: a wrong signature → 401');
	w = await webhook(step('google_account'), { secret: 'another-secret-of-at-least-32-characters!' });
	tap.is(w.status, 401, 'webhook: signed with another secret → 401');
	w = await webhook(step('google_account'), { ts: Math.floor(Date.now() / 1000) - 301 });
	tap.is(w.status, 401, 'webhook: a timestamp 301 s old → 401');
	w = await webhook(step('google_account'), { ts: Math.floor(Date.now() / 1000) + 301 });
	tap.is(w.status, 401, 'webhook: a timestamp 301 s ahead → 401');
	w = await webhook(step('google_account'), { noSig: true });
	tap.is(w.status, 401, 'webhook: no signature header → 401');
	w = await webhook(step('google_account'), { noTs: true });
	tap.is(w.status, 401, 'webhook: no timestamp header → 401');
	w = await webhook(step('google_account'), { delivery: 'd-1', sig: sign(JSON.stringify(step('identity')), 'd-1').sig });
	tap.is(w.status, 401, 'webhook: a signature of another body → 401');
	w = await webhook(step('google_account'), { noDelivery: true });
	tap.is(w.status, 401, 'webhook: no delivery id → 401');
	w = await webhook(step('google_account'), { delivery: 'd-2', deliveryHeader: 'd-3' });
	tap.is(w.status, 401, 'webhook: a delivery id other than the one signed → 401');
	w = await webhook(step('google_account'), { delivery: 'd 4' });
	tap.is(w.status, 401, 'webhook: a delivery id with a space → 401');
	w = await webhook(step('google_account'), { delivery: 'd'.repeat(201) });
	tap.is(w.status, 401, 'webhook: a delivery id of 201 characters → 401');
	w = await webhook(step('calendar'));
	tap.is(`${w.status} ${w.json && w.json.error}`, '400 unknown_step', 'webhook: an unknown step → 400');
	w = await webhook(step('profile'));
	tap.is(`${w.status} ${w.json && w.json.error}`, '400 unknown_step', 'webhook: a form step (profile) → 400');
	w = await webhook(step('identity', 'done'));
	tap.is(`${w.status} ${w.json && w.json.error}`, '400 bad_status', 'webhook: an unknown status → 400');
	w = await webhook(step('identity', 'complete', 'user_01NOBODY000000000000000000'));
	tap.is(`${w.status} ${w.json && w.json.error}`, '400 unknown_user', 'webhook: an unknown user → 400');
	w = await webhook(step('identity', 'complete', guest.id));
	tap.is(`${w.status} ${w.json && w.json.error}`, '400 unknown_user', 'webhook: a user who is not an expert → 400');
	w = await webhook('{"user": "x", "step":');
	tap.is(w.status, 400, 'webhook: a body that is not JSON → 400');
	w = await webhook('');
	tap.is(w.status, 400, 'webhook: a signed empty body → 400');
	// Signed bodies the request core passes through untouched (not a form).
	const rawHook = (buf) => {
		const ts = String(Math.floor(Date.now() / 1000));
		const delivery = crypto.randomUUID();
		const sig = crypto.createHmac('sha256', WEBHOOK_SECRET).update(Buffer.concat([Buffer.from(`${ts}.${delivery}.`), buf])).digest('hex');
		return fetch(`${APP_URL}/webhooks/setup`, { method: 'POST', body: buf,
			headers: { 'content-type': 'application/json', 'x-eleva-timestamp': ts, 'x-eleva-delivery': delivery,
				'x-eleva-signature': `sha256=${sig}` } });
	};
	const json = Buffer.from(JSON.stringify(step('identity')));
	let rr = await rawHook(Buffer.concat([json.subarray(0, json.length - 1), Buffer.from(',"x":"'),
		Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
	tap.is(rr.status, 400, 'webhook: a signed body that is not UTF-8 → 400');
	tap.like(await rr.text(), /UTF-8 JSON text/, '... saying why');
	rr = await rawHook(Buffer.concat([json, Buffer.from([0])]));
	tap.is(rr.status, 400, 'webhook: a signed body with a NUL byte → 400');
	w = await webhook({ user: e.id, step: 'identity', status: true });
	tap.is(w.status, 400, 'webhook: a status that is not a string → 400');
	// Hardening finding 10: a user id escaping NUL would be read cut short
	// (the real expert's id); refused before anything is read.
	const nulBody = JSON.stringify(step('identity')).replace(JSON.stringify(e.id),
		JSON.stringify(e.id).replace(/"$/, '\\u0000x"'));
	tap.ok(nulBody.includes('\\u0000x"'), 'nul_in_json: the body escapes a NUL after the real id');
	w = await webhook(nulBody);
	tap.is(w.status, 400, 'nul_in_json: a signed webhook whose user id escapes NUL → 400');
	w = await webhook(JSON.stringify(step('identity')) + ' {}');
	tap.is(w.status, 400, 'webhook: a signed body with a second value after the object → 400');
	w = await webhook(step('payment'));
	tap.is(`${w.status} ${w.json && w.json.error}`, '409 order', 'webhook: payment before identity → 409');
	tap.is(flags(e.id), '111000', '... none of these changed a step');
	tap.is(allAudits(), beforeWh, '... or wrote an audit row');

	w = await webhook(step('google_account'));
	tap.is(`${w.status} ${w.json && w.json.result}`, '200 ok', 'webhook: google_account complete → 200 ok');
	w = await webhook(step('identity'));
	tap.is(`${w.status} ${w.json && w.json.result}`, '200 ok', 'webhook: identity complete → 200 ok');
	tap.is(flags(e.id), '111110', '... both recorded');
	const replay = crypto.randomUUID();
	const ts = Math.floor(Date.now() / 1000);
	w = await webhook(step('identity'), { delivery: replay, ts });
	const w2 = await webhook(step('identity'), { delivery: replay, ts });
	tap.is(`${w2.status} ${w2.json && w2.json.result}`, '200 duplicate', 'webhook: the same delivery twice → duplicate');
	const w3 = await webhook(step('identity'), { ts });
	tap.is(`${w3.status} ${w3.json && w3.json.result}`, '200 unchanged',
		'... another delivery of the same body in the same second is another delivery (unchanged, not duplicate)');
	tap.is(audits(e.id, 'SETUP_STEP_COMPLETED'), 5, '... audit rows: 3 form steps + google + identity (the replays add none)');
	tap.is(completedAt(e.id), 'null', 'setup is not complete with five steps');
	w = await webhook(step('payment'));
	tap.is(`${w.status} ${w.json && w.json.result}`, '200 ok', 'webhook: payment after identity → 200 ok');
	tap.is(flags(e.id), '111111 complete', 'the sixth step completes the setup');
	const done = completedAt(e.id);
	tap.unlike(done, /^null$/, '... setup_completed_at is set');
	w = await webhook(step('payment'));
	tap.is(`${w.status} ${w.json && w.json.result}`, '200 unchanged', 'repeating the payment step → unchanged');
	r = await post('/setup/profile', e.jar, { ...good, headline: 'Otra vez' });
	r = await post('/setup/events', e.jar, { ...ev, event_id: myEvent });
	tap.is(completedAt(e.id), done, 'repeating steps (webhook and forms) leaves setup_completed_at unchanged');
	r = await page('/setup', e.jar);
	tap.like(r.body, /6 de 6 pasos completados/, 'the wizard shows 6 of 6');
	tap.like(r.body, /Has completado los seis pasos: puedes publicar tu perfil\./, '... and offers publishing');

	// Publish and unpublish.
	r = await post('/setup/publish', e.jar, {}, '/setup');
	tap.is(r.status, 422, 'publishing without accepting the agreement: 422');
	tap.like(r.body, /Acepta el acuerdo profesional para publicar tu perfil\./, '... saying so');
	tap.like(profile(e.id), /\|false$/, '... not published');
	r = await request(`${APP_URL}/setup/publish`, e.jar, { form: { agree: 'on' } });
	tap.is(r.status, 403, 'publishing without the CSRF token: 403');
	r = await post('/setup/publish', e.jar, { agree: 'on' }, '/setup');
	tap.is(r.location, '/setup?saved=published', 'publishing with the agreement accepted');
	tap.like(profile(e.id), /\|true$/, '... publishes');
	const agreement = sql(`SELECT practitioner_agreement_version || ' ' || practitioner_agreement_ip_address || ' '
		|| (practitioner_agreement_accepted_at > now() - interval '1 minute') FROM profiles WHERE workos_user_id = ${lit(e.id)}`);
	tap.is(agreement, '1.0 127.0.0.1 true', '... recording the agreement version, the IP and the time');
	tap.is(audits(e.id, 'PROFILE_PUBLISHED'), 1, '... audited PROFILE_PUBLISHED');
	tap.is(audits(e.id, 'PRACTITIONER_AGREEMENT_ACCEPTED'), 1, '... and PRACTITIONER_AGREEMENT_ACCEPTED');
	r = await page('/setup', e.jar);
	tap.like(r.body, new RegExp(`Tu perfil es público en <a href="/${good.handle}">`), 'the wizard links the public page');
	const acceptedAt = sql(`SELECT practitioner_agreement_accepted_at FROM profiles WHERE workos_user_id = ${lit(e.id)}`);
	r = await post('/setup/unpublish', e.jar, {}, '/setup');
	tap.is(r.location, '/setup?saved=unpublished', 'unpublishing is always allowed');
	tap.like(profile(e.id), /\|false$/, '... and unpublishes');
	tap.is(audits(e.id, 'PROFILE_UNPUBLISHED'), 1, '... audited');
	await new Promise((res) => setTimeout(res, 1100));
	r = await post('/setup/publish', e.jar, { agree: 'on' }, '/setup');
	tap.is(sql(`SELECT practitioner_agreement_accepted_at FROM profiles WHERE workos_user_id = ${lit(e.id)}`), acceptedAt,
		'publishing again keeps the first acceptance time');
	tap.is(audits(e.id, 'PRACTITIONER_AGREEMENT_ACCEPTED'), 1, '... and records no second acceptance');

	// Steps follow what the forms hold: undoing one undoes the setup, and
	// an incomplete setup is never public.
	r = await post('/setup/profile', e.jar, { ...good, handle: '' });
	tap.is(r.status, 422, 'a published profile cannot lose its handle');
	tap.like(r.body, /Tu perfil está publicado con este identificador/, '... saying why');
	tap.like(profile(e.id), new RegExp(`^${good.handle}\\|.*\\|true$`), '... the handle and publication stay');
	r = await saveAvailability([['timezone', 'Europe/Madrid']]);
	tap.is(r.status, 303, 'the published expert removes every range');
	tap.is(flags(e.id), '101111', '... the availability step is undone');
	tap.is(completedAt(e.id), 'null', '... the setup is no longer complete');
	tap.like(profile(e.id), /\|false$/, '... and the profile is no longer public');
	tap.is(audits(e.id, 'SETUP_STEP_UNCOMPLETED'), 1, '... audited SETUP_STEP_UNCOMPLETED');
	tap.is(audits(e.id, 'PROFILE_UNPUBLISHED'), 2, '... and PROFILE_UNPUBLISHED (by the database)');
	r = await saveAvailability([['timezone', 'Europe/Madrid'], ['friday_start', '09:00'], ['friday_end', '13:00']]);
	tap.is(flags(e.id), '111111 complete', 'a range again: complete again');
	tap.unlike(completedAt(e.id), /^null$/, '... with a completion time');
	tap.like(profile(e.id), /\|false$/, '... but publishing stays the expert\'s decision');
	r = await post('/setup/events', e.jar, { ...ev, event_id: myEvent, active: null });
	tap.is(flags(e.id), '110111', 'deactivating the only event undoes the events step');
	r = await post('/setup/events', e.jar, { ...ev, event_id: myEvent, active: null });
	tap.is(audits(myEvent, 'EVENT_UPDATED'), 5, 'saving an event unchanged writes no audit row (five changes so far)');

	// The other expert was never touched.
	tap.like(profile(other.id), new RegExp(`^${otherHandle}\\|Olga\\|Other\\|Doula\\.\\|false$`), 'the other expert\'s profile is as she left it');
	tap.is(flags(other.id), '101000', '... and so is her setup');
});
