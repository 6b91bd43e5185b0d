// booking: the public booking pages end to end, as a guest sees them — a
// new guest books (WorkOS user, organization and membership; local users
// row, personal organization, meeting and audit rows), a repeat, a second
// booking and a double submit by the same e-mail, twenty guests racing for
// one start, a time held by someone else's reservation, every kind of bad
// input (each refused with its message, writing nothing anywhere), the
// guest's and the expert's dashboards and other tenants', the expert's
// page, time zones, and paging to the end of the booking window.
'use strict';

const crypto = require('node:crypto');
const tap = require('../lib/tap');
const { env, get } = require('../lib/stack');
const { Jar, request, csrfOf, signIn, workos, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, slotsOf, guestEmail, book } = require('../lib/booking');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const LIS = 'Europe/Lisbon';
const NY = 'America/New_York';
const TYO = 'Asia/Tokyo';
const MIN = 60e3;
const DAY = 86400e3;

// A tag that makes this run's names unique (letters only: names are text).
const TAG = [...crypto.randomBytes(5)].map((b) => String.fromCharCode(65 + (b % 26))).join('');

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mainOf = (html) => {
	const m = /<main id="main">([\s\S]*)<\/main>/.exec(html);
	return m ? m[1] : '';
};
const section = (html, id) => {
	const m = new RegExp(`<section class="panel[^"]*" id="${id}">([\\s\\S]*?)</section>`).exec(html);
	return m ? m[1] : '';
};
const unhtml = (s) => s.replace(/&amp;/g, '&');

// Instants: the form's UTC notation, and local clock and calendar by Intl.
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const grid = (ms) => Math.floor(ms / (15 * MIN)) * 15 * MIN;
const hm = (t, tz) => new Intl.DateTimeFormat('en-GB', {
	timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).format(new Date(t));
const ymd = (t, tz) => new Intl.DateTimeFormat('en-CA', {
	timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit',
}).format(new Date(t));
const weekday = (t, tz) => new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'long' }).format(new Date(t));
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

// The UTC offset of an instant in zone tz, as the picker writes it ("+01:00").
const offsetIn = (t, tz) => {
	const z = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(new Date(t))
		.find((p) => p.type === 'timeZoneName').value.replace('GMT', '');
	return z === '' ? '+00:00' : z;
};
// A start shown right in zone tz: its button's time, under its day's
// legend (weekday and date), and its UTC offset if any (only on a day the
// clocks go back: t/e2e/slot_picker.js).
const shownIn = (o, tz) => o.time === hm(o.value, tz) && o.day === `${weekday(o.value, tz)} ${ymd(o.value, tz)}`
	&& (o.offset === undefined || o.offset === offsetIn(o.value, tz));
const rangeLine = (html) => (/Times from [^<]*/.exec(html) || [''])[0];
const laterLink = (html) => {
	const m = /<a href="([^"]+)">Later days →<\/a>/.exec(html);
	return m ? unhtml(m[1]) : null;
};
const earlierLink = (html) => {
	const m = /<a href="([^"]+)">← Earlier days<\/a>/.exec(html);
	return m ? unhtml(m[1]) : null;
};
const inputValue = (html, id) => {
	const m = new RegExp(`<input id="${id}" [^>]*value="([^"]*)"`).exec(html);
	return m ? m[1] : undefined;
};
const confirmation = (html) => {
	const m = /<time datetime="([^"]+)">(\w+) (\d{4}-\d\d-\d\d), (\d\d:\d\d)–(\d\d:\d\d)<\/time> \(([^)]+)\)/.exec(html);
	return m ? { datetime: m[1], weekday: m[2], date: m[3], start: m[4], end: m[5], tz: m[6] } : null;
};

// WorkOS, straight from the emulator.
const workosUsers = async (email) =>
	(await workos('GET', `/user_management/users?email=${encodeURIComponent(email)}&limit=100`)).json.data;
// The organizations with the guest's external id among the latest hundred
// (the guest's are minutes old; the list is newest first).
const workosOrgs = async (uid) => (await workos('GET', '/organizations?limit=100')).json.data
	.filter((o) => o.external_id === `eleva-user-${uid}`);
const workosMemberships = async (uid) =>
	(await workos('GET', `/user_management/organization_memberships?user_id=${uid}&limit=100`)).json.data;

const count = (q) => Number(sql(`SELECT count(*) FROM ${q}`));
const meetingsOf = (x) => count(`meetings WHERE workos_user_id = ${lit(x.id)}`);

// Everything a refused booking must leave as it was: the experts' and the
// e-mail's meetings, a users row for the e-mail, their audit rows, WorkOS.
async function footprint(email, experts) {
	const ids = experts.map((x) => lit(x.id)).join(', ');
	const orgs = experts.map((x) => lit(x.org)).join(', ');
	return JSON.stringify({
		meetings: count(`meetings WHERE workos_user_id IN (${ids}) OR lower(guest_email) = lower(${lit(email)})`),
		users: count(`users WHERE lower(email) = lower(${lit(email)})`),
		audits: count(`audit_logs WHERE org_id IN (${orgs})
			OR resource_id IN (SELECT workos_user_id FROM users WHERE lower(email) = lower(${lit(email)}))`),
		workos: (await workosUsers(email.toLowerCase())).length,
	});
}

// A jar and CSRF token from a booking page that exists, then a POST to path.
async function postTo(path, from, fields) {
	const jar = new Jar();
	const page = await request(`${APP_URL}${from}`, jar);
	const form = { csrf: csrfOf(page.body), ...fields };
	return request(`${APP_URL}${path}`, jar, { form, headers: { origin: APP_URL } });
}

tap.run(async () => {
	// 1. A new guest books.  The expert is in Lisbon, the guest in Tokyo.
	const marta = await publishedExpert({
		first: 'Marta', last: `Lima ${TAG}`, tz: LIS,
		events: [{ slug: 'pelvic-health', name: `Pelvic health ${TAG}`, minutes: 60 }],
	});
	const martaName = `Marta Lima ${TAG}`;
	let r = await request(`${APP_URL}/${marta.handle}/pelvic-health`, null);
	tap.is(r.status, 200, 'GET /<handle>/<event> of a published expert is a page');
	let starts = startsOf(r.body);
	tap.ok(starts.length > 0, `... which lists bookable starts (${starts.length})`);
	tap.ok(starts.every((s) => Date.parse(s) > Date.now() - MIN && Date.parse(s) % (15 * MIN) === 0),
		'... all of them future times on the 15-minute grid');
	tap.like(rangeLine(r.body), new RegExp(`in ${esc(LIS)}\\.$`), '... shown in the expert\'s time zone by default');
	const picker = slotsOf(r.body);
	tap.ok(picker.length === starts.length && picker.every((o) => shownIn(o, LIS)),
		'... each a radio button in the fieldset of its day (legend: weekday and date), labelled with its Lisbon time');
	const nDays = new Set(picker.map((o) => o.day)).size;
	tap.ok(nDays > 1 && (r.body.match(/<fieldset class="slot-day">/g) || []).length === nDays, `... a fieldset per day (${nDays})`);
	tap.is(picker.filter((o) => o.checked).length, 0, '... none checked at first');
	tap.like(r.body, /<dd id="summary-time"[^>]*>No time chosen yet<\/dd>/, '... and the summary says so');

	const aikoName = `Aiko Tanaka ${TAG}`;
	const aikoEmail = guestEmail('aiko');
	const notes = 'First visit.\nAté já — obrigada';
	const start1 = starts[20];
	const b1 = await book(APP_URL, marta, 'pelvic-health', {
		name: aikoName, email: aikoEmail.toUpperCase(), timezone: TYO, start: start1, notes,
	});
	r = b1.r;
	tap.is(r.status, 200, 'POST the booking form: 200');
	const done = mainOf(r.body);
	tap.like(done, /<h1>You are booked<\/h1>/, '... "You are booked"');
	tap.like(done, new RegExp(`<dd><a href="/${marta.handle}">${esc(martaName)}</a></dd>`), '... naming the expert');
	tap.like(done, new RegExp(`<dd>${esc(`Pelvic health ${TAG}`)}</dd>`), '... and the session');
	const when = confirmation(done) || {};
	tap.is(when.tz, TYO, '... the time in the guest\'s time zone');
	tap.is(when.start, hm(start1, TYO), `... starting at ${hm(start1, TYO)} Tokyo time (as Intl converts ${start1})`);
	tap.is(when.end, hm(Date.parse(start1) + 60 * MIN, TYO), '... ending an hour later');
	tap.is(when.date, ymd(start1, TYO), '... on the Tokyo date');
	tap.is(when.weekday, weekday(start1, TYO), '... and weekday');
	tap.is(when.datetime, start1.replace(':00Z', 'Z'), '... <time datetime> is the UTC instant');
	tap.ok(hm(start1, TYO) !== hm(start1, LIS), '... (which is not the Lisbon time)');
	tap.like(done, new RegExp(`<dt>E-mail</dt><dd class="wrap">${esc(aikoEmail)}</dd>`), '... and the e-mail, lower-cased');
	tap.like(done, /We have e-mailed a six-digit sign-in code/, '... and says a sign-in code was sent');

	// WorkOS: one user, one organization, one owner membership.
	const wu = await workosUsers(aikoEmail);
	tap.is(wu.length, 1, 'WorkOS has exactly one user with the guest\'s e-mail');
	const aiko = wu[0] || { metadata: {} };
	tap.is(aiko.email_verified, false, '... not verified');
	tap.is(aiko.first_name, aikoName, '... named as typed');
	tap.is(aiko.metadata.source, 'eleva-booking', '... metadata.source eleva-booking');
	tap.is(`${aiko.metadata.expert}/${aiko.metadata.event}`, `${marta.handle}/pelvic-health`, '... and where the booking came from');
	let wo = await workosOrgs(aiko.id);
	tap.is(wo.length, 1, '... one organization with external_id eleva-user-<id>');
	const aikoWorkosOrg = (wo[0] || {}).id;
	tap.is((wo[0] || {}).name, `${aikoName}'s Account`, '... named "<Name>\'s Account"');
	let wm = await workosMemberships(aiko.id);
	tap.is(wm.length, 1, '... one membership');
	tap.is(wm.map((m) => `${m.organization_id}:${m.role && m.role.slug}`).join(), `${aikoWorkosOrg}:owner`,
		'... as the owner of that organization');

	// Local rows: the guest, her personal organization, the meeting.
	const aikoOrg = sql(`SELECT id FROM organizations WHERE slug = ${lit(`user-${aiko.id}`)}`);
	tap.is(sql(`SELECT role || '|' || email || '|' || first_name FROM users WHERE workos_user_id = ${lit(aiko.id)}`),
		`user|${aikoEmail}|${aikoName}`, 'a users row: role user, the e-mail lower-cased, the name');
	tap.is(sql(`SELECT workos_org_id || '|' || type || '|' || name FROM organizations WHERE id = ${lit(aikoOrg)}`),
		`${aikoWorkosOrg}|patient_personal|${aikoName}'s Account`, 'a personal organization tied to the WorkOS one');
	tap.is(sql(`SELECT string_agg(role, ',') FROM user_org_memberships WHERE workos_user_id = ${lit(aiko.id)}
		AND org_id = ${lit(aikoOrg)}`), 'owner', '... which she owns');
	const m1 = JSON.parse(sql(`SELECT row_to_json(m) FROM (SELECT id, org_id, event_id, workos_user_id,
		guest_workos_user_id, guest_org_id, guest_email, guest_name, guest_notes, timezone, status,
		to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS start_time,
		extract(epoch FROM end_time - start_time)::int AS seconds
		FROM meetings WHERE workos_user_id = ${lit(marta.id)}) m`) || '{}');
	tap.is(meetingsOf(marta), 1, 'one meeting for the expert');
	tap.is(m1.guest_workos_user_id, aiko.id, '... guest_workos_user_id is the WorkOS user');
	tap.is(m1.guest_org_id, aikoOrg, '... guest_org_id is the guest\'s personal organization');
	tap.is(m1.org_id, marta.org, '... org_id is the expert\'s organization');
	tap.is(m1.event_id, marta.events['pelvic-health'], '... the event');
	tap.is(`${m1.start_time} +${m1.seconds}s ${m1.status}`, `${start1} +3600s confirmed`, '... at the start, an hour, confirmed');
	tap.is(m1.guest_email, aikoEmail, '... the e-mail lower-cased');
	tap.is(m1.guest_name, aikoName, '... the name');
	tap.is(m1.timezone, TYO, '... the guest\'s time zone');
	tap.is(m1.guest_notes, notes, '... the notes, line break and accents kept');
	tap.is(count(`audit_logs WHERE action = 'GUEST_REGISTERED' AND resource_id = ${lit(aiko.id)}
		AND org_id = ${lit(aikoOrg)} AND new_values->>'email' = '[redacted]' AND new_values->>'name' = '[redacted]'`), 1,
		'audited GUEST_REGISTERED once, her e-mail and name redacted in it');
	tap.is(count(`audit_logs WHERE action = 'APPOINTMENT_CREATED' AND resource_id = ${lit(m1.id)}
		AND org_id = ${lit(marta.org)} AND workos_user_id = ${lit(aiko.id)}`), 1,
		'audited APPOINTMENT_CREATED in the expert\'s organization');
	tap.unlike(startsOf((await request(`${APP_URL}/${marta.handle}/pelvic-health`, null)).body).join(), new RegExp(esc(start1)),
		'the booked start is no longer offered');

	// 2. The same guest (her browser: the same form token), the same start:
	// the existing booking, nothing new.
	r = (await book(APP_URL, marta, 'pelvic-health', { name: aikoName, email: aikoEmail, timezone: TYO, start: start1 },
		b1.jar)).r;
	tap.is(r.status, 200, 'the same guest books the same start again: 200');
	tap.like(mainOf(r.body), /<h1>You already have this booking<\/h1>/, '... "You already have this booking"');
	tap.is((confirmation(r.body) || {}).start, hm(start1, TYO), '... at the same time');
	tap.is(meetingsOf(marta), 1, '... still one meeting');
	// Her address typed in another browser proves nothing: the answer is
	// anyone's, so that nobody learns who booked what.
	r = (await book(APP_URL, marta, 'pelvic-health', { name: 'Someone Else', email: aikoEmail, timezone: TYO, start: start1 })).r;
	tap.is(r.status, 409, 'her e-mail at her start from another browser: 409, as for anyone');
	tap.like(r.body, /This time has just been booked/, '... "has just been booked"');
	tap.unlike(r.body, /You already have this booking|Aiko/, '... nothing of her booking shown');
	tap.is(meetingsOf(marta), 1, '... still one meeting');
	// Another start from another browser: her account exists, so whoever
	// typed her address must prove it is theirs (issue 13, finding 8):
	// the start is held, pending her sign-in code; nothing reaches her
	// dashboard, nothing is registered again.
	const start2 = starts[40];
	r = (await book(APP_URL, marta, 'pelvic-health', { name: aikoName, email: aikoEmail, timezone: TYO, start: start2 })).r;
	tap.is(r.status, 200, 'the same e-mail books another start from another browser: 200');
	tap.like(mainOf(r.body), /<h1>Confirm your booking with the code we sent<\/h1>/,
		'... "Confirm your booking": her account exists, the booking waits for her code');
	tap.like(mainOf(r.body), /<input type="hidden" name="booking" value="[0-9a-f-]{36}">/,
		'... the code form names the pending booking');
	tap.is(count(`meetings WHERE workos_user_id = ${lit(marta.id)} AND guest_workos_user_id = ${lit(aiko.id)}`), 1,
		'... no second meeting before the code');
	tap.is(count(`slot_reservations WHERE workos_user_id = ${lit(marta.id)} AND guest_workos_user_id = ${lit(aiko.id)}
		AND start_time = ${lit(start2)} AND booking_key IS NOT NULL AND expires_at > now()`), 1,
		'... the start held for her, for a short while');
	tap.unlike(startsOf((await request(`${APP_URL}/${marta.handle}/pelvic-health`, null)).body).join(), new RegExp(esc(start2)),
		'... and not offered to others meanwhile');
	tap.is((await workosUsers(aikoEmail)).length, 1, '... no new WorkOS user');
	tap.is((await workosOrgs(aiko.id)).length, 1, '... no new WorkOS organization');
	tap.is((await workosMemberships(aiko.id)).length, 1, '... no new membership');
	tap.is(count(`organizations WHERE slug = ${lit(`user-${aiko.id}`)}`) + count(`users WHERE workos_user_id = ${lit(aiko.id)}`),
		2, '... no new local users row or organization');
	tap.is(count(`audit_logs WHERE action = 'GUEST_REGISTERED' AND resource_id = ${lit(aiko.id)}`), 1,
		'... GUEST_REGISTERED not written again');
	tap.is(count(`audit_logs WHERE action = 'APPOINTMENT_CREATED' AND workos_user_id = ${lit(aiko.id)}`), 1,
		'... APPOINTMENT_CREATED for the meeting only');

	// A double submit: a new guest's form sent four times at once (one jar,
	// one token) books once; the other answers are that booking, and WorkOS
	// holds one user, organization and membership.  Three rounds, as the
	// requests overlap differently each time.
	const helena = await publishedExpert({ first: 'Helena', last: `Melo ${TAG}`, tz: LIS });
	const H = `${APP_URL}/${helena.handle}/consultation`;
	const hStarts = startsOf((await request(H, null)).body);
	const rounds = [];
	for (let k = 0; k < 3; k++) {
		const jar = new Jar();
		const page = await request(H, jar);
		const form = { csrf: csrfOf(page.body), name: `Dora Dias ${TAG}`, email: guestEmail(`double${k}`), timezone: LIS,
			start: hStarts[10 + 8 * k], notes: '' };
		const rs = await Promise.all([0, 1, 2, 3].map(() => request(H, jar, { form, headers: { origin: APP_URL } })));
		rounds.push({ email: form.email, rs });
	}
	const heads = rounds.map((d) => d.rs.map((x) => `${x.status} ${(/<h1>([^<]*)<\/h1>/.exec(x.body) || [])[1]}`));
	const codes = heads.map((h) => h.map((x) => x.slice(0, 3)).join(',')).join(' / ');
	tap.ok(heads.every((h) => h.every((x) => x.startsWith('200 '))), `a double submit answers 200 every time (${codes})`);
	tap.ok(heads.every((h) => h.filter((x) => x === '200 You are booked').length === 1
		&& h.filter((x) => x === '200 You already have this booking').length === 3),
		'... once "You are booked", the others "You already have this booking"');
	tap.is(meetingsOf(helena), 3, '... one meeting per guest');
	const dup = [];
	for (const d of rounds) {
		const us = await workosUsers(d.email);
		const os = us.length === 1 ? await workosOrgs(us[0].id) : [];
		const ms = us.length === 1 ? await workosMemberships(us[0].id) : [];
		dup.push(`${us.length}/${os.length}/${ms.length}`);
	}
	tap.is(dup.join(' '), '1/1/1 1/1/1 1/1/1', '... and one WorkOS user/organization/membership per guest');

	// 3. Twenty guests race for one start: each has its page (jar and token)
	// first, then all the POSTs go at once.
	const sofia = await publishedExpert({ first: 'Sofia', last: `Reis ${TAG}`, tz: LIS });
	r = await request(`${APP_URL}/${sofia.handle}/consultation`, null);
	const raced = startsOf(r.body)[12];
	const racers = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
		const jar = new Jar();
		const page = await request(`${APP_URL}/${sofia.handle}/consultation`, jar);
		return { jar, csrf: csrfOf(page.body), status: page.status, email: guestEmail(`racer${i}`), name: `Racer ${i} ${TAG}` };
	}));
	tap.ok(racers.every((g) => g.status === 200 && g.csrf), 'twenty guests have the booking page and a token');
	const answers = await Promise.all(racers.map((g) => request(`${APP_URL}/${sofia.handle}/consultation`, g.jar, {
		form: { csrf: g.csrf, name: g.name, email: g.email, timezone: NY, start: raced, notes: '' },
		headers: { origin: APP_URL },
	})));
	const statuses = answers.map((a) => a.status);
	tap.is(statuses.filter((s) => s >= 500).length, 0, `no 5xx (${statuses.join(' ')})`);
	tap.is(statuses.filter((s) => s === 200).length, 1, 'exactly one booking succeeds');
	tap.is(statuses.filter((s) => s === 409).length, 19, '19 are refused with 409');
	const lost = answers.filter((a) => a.status === 409);
	tap.ok(lost.length === 19 && lost.every((a) => /This time has just been booked\./.test(a.body)),
		'... each saying "This time has just been booked"');
	tap.ok(lost.every((a) => !startsOf(a.body).includes(raced)), '... on a page that no longer offers that start');
	const won = racers[statuses.indexOf(200)] || {};
	tap.is(count(`meetings WHERE workos_user_id = ${lit(sofia.id)} AND start_time = ${lit(raced)}::timestamptz`), 1,
		'exactly one meeting at that start');
	tap.is(sql(`SELECT string_agg(guest_email, ',') FROM meetings WHERE workos_user_id = ${lit(sofia.id)}`), won.email,
		'... the winner\'s, and no other meeting');

	// 4. A time held by someone else's unexpired reservation.
	const rosa = await publishedExpert({ first: 'Rosa', last: `Pinto ${TAG}`, tz: LIS });
	r = await request(`${APP_URL}/${rosa.handle}/consultation`, null);
	starts = startsOf(r.body);
	const held = starts[16];
	const near = (ms) => iso(Date.parse(held) + ms);
	tap.ok([near(-60 * MIN), near(-45 * MIN), near(45 * MIN), near(60 * MIN)].every((s) => starts.includes(s)),
		'the start and its neighbours are offered before the reservation');
	const rsv = sql(`INSERT INTO slot_reservations (org_id, event_id, workos_user_id, guest_email, start_time, end_time, expires_at)
		VALUES (${lit(rosa.org)}, ${lit(rosa.events.consultation)}, ${lit(rosa.id)}, ${lit(guestEmail('holder'))},
		${lit(held)}, ${lit(held)}::timestamptz + interval '60 minutes', now() + interval '15 minutes') RETURNING id`);
	const ritaEmail = guestEmail('rita');
	r = (await book(APP_URL, rosa, 'consultation', { name: `Rita Sousa ${TAG}`, email: ritaEmail, start: held })).r;
	tap.is(r.status, 409, 'booking a time someone else holds: 409');
	tap.like(r.body, /This time is temporarily reserved by someone else\./, '... "temporarily reserved"');
	tap.is(meetingsOf(rosa), 0, '... no meeting');
	tap.is((await workosUsers(ritaEmail)).length, 0, '... and the guest is not registered with WorkOS');
	starts = startsOf((await request(`${APP_URL}/${rosa.handle}/consultation`, null)).body);
	tap.ok(!starts.includes(held), 'the booking page no longer offers the held start');
	tap.ok(!starts.includes(near(-45 * MIN)) && !starts.includes(near(45 * MIN)),
		'... nor a session overlapping it');
	tap.ok(starts.includes(near(-60 * MIN)) && starts.includes(near(60 * MIN)), '... but the sessions just before and after');
	sql(`UPDATE slot_reservations SET expires_at = now() - interval '1 second' WHERE id = ${lit(rsv)}`);
	starts = startsOf((await request(`${APP_URL}/${rosa.handle}/consultation`, null)).body);
	tap.ok(starts.includes(held) && starts.includes(near(45 * MIN)), 'once the reservation expired the start is offered again');
	r = (await book(APP_URL, rosa, 'consultation', { name: `Rita Sousa ${TAG}`, email: ritaEmail, start: held })).r;
	tap.is(r.status, 200, '... and can be booked');
	tap.is(meetingsOf(rosa), 1, '... one meeting');

	// 5. Bad input: each refused with its message, writing nothing.
	const ines = await publishedExpert({
		first: 'Ines', last: `Costa ${TAG}`, tz: LIS, settings: { window: 3 },
		events: [{ slug: 'consultation', name: 'Consultation' }, { slug: 'old-format', name: 'Old format', active: false }],
	});
	const hidden = await publishedExpert({ first: 'Clara', last: `Matos ${TAG}`, tz: LIS, published: false });
	r = await request(`${APP_URL}/${ines.handle}/consultation`, null);
	starts = startsOf(r.body);
	tap.ok(starts.length > 0 && Date.parse(starts[starts.length - 1]) <= Date.now() + 3 * DAY,
		'a 3-day window: the page offers nothing beyond it');
	tap.is(laterLink(r.body), null, '... and no later days');
	const ok = starts[8];
	const now = Date.now();
	const base = () => ({ name: `Nuno Alves ${TAG}`, email: guestEmail('nuno'), timezone: LIS, start: ok, notes: '' });
	const C = `/${ines.handle}/consultation`;
	const NOT_OFFERED = /This time cannot be booked\. Please choose one of the times offered\./;
	const NO_EVENT = /This expert or session is not open for booking\./;
	const cases = [
		['an invalid e-mail', { email: 'nuno@@example' }, 422, /Enter an e-mail address such as name@example\.com\./],
		['an empty name', { name: '' }, 422, /This field is required\./],
		['a 10 000-character name', { name: 'N'.repeat(10000) }, 422, /Use at most 100 characters\./],
		['a start off the grid (+7 minutes)', { start: iso(Date.parse(ok) + 7 * MIN) }, 422, NOT_OFFERED],
		['a start in the past', { start: iso(grid(now) - 60 * MIN) }, 422, NOT_OFFERED],
		['a start beyond the booking window', { start: iso(grid(now) + 4 * DAY) }, 422, NOT_OFFERED],
		['a start that is not an instant', { start: 'tomorrow' }, 422, /Choose one of the times offered\./],
		['notes of 2001 characters', { notes: 'n'.repeat(2001) }, 422, /Use at most 2000 characters\./],
		['an unknown time zone', { timezone: 'Mars/Olympus' }, 422, /Choose a time zone from the list\./],
		['no CSRF token', { csrf: undefined }, 403, /This form has expired or was sent from another site\./],
		['no start at all', { start: undefined }, 422, /This field is required\./],
		['an empty e-mail', { email: '' }, 422, /This field is required\./],
		['a name hiding a right-to-left override', { name: 'Nuno \u202eevil' }, 422,
			/Remove the control or invisible formatting characters/],
		['an unknown event', {}, 404, NO_EVENT, `/${ines.handle}/no-such-event`],
		['an inactive event', {}, 404, NO_EVENT, `/${ines.handle}/old-format`],
		['an unpublished expert', {}, 404, NO_EVENT, `/${hidden.handle}/consultation`],
	];
	for (const [what, change, status, message, path] of cases) {
		const f = { ...base(), ...change };
		const before = await footprint(f.email, [ines, hidden]);
		r = path ? await postTo(path, C, f) : (await book(APP_URL, ines, 'consultation', f)).r;
		tap.is(r.status, status, `${what}: ${status}`);
		tap.like(r.body, message, `... "${message.source.replace(/\\/g, '')}"`);
		if (status === 422) {
			tap.ok(inputValue(r.body, 'name') === f.name && inputValue(r.body, 'email') === f.email,
				'... the form again, with the name and e-mail kept');
		}
		tap.is(await footprint(f.email, [ines, hidden]), before,
			'... nothing written (meetings, users, audit rows, WorkOS user)');
	}
	// A body that is not UTF-8 is refused before any handler sees it.
	{
		const jar = new Jar();
		const page = await request(`${APP_URL}${C}`, jar);
		const email = guestEmail('latin1');
		const before = await footprint(email, [ines]);
		const body = `csrf=${encodeURIComponent(csrfOf(page.body))}&name=Jo%E3o&email=${encodeURIComponent(email)}`
			+ `&timezone=${encodeURIComponent(LIS)}&start=${encodeURIComponent(ok)}&notes=`;
		r = await get(`${APP_URL}${C}`, { method: 'POST', body, headers: { cookie: jar.header(), origin: APP_URL,
			'content-type': 'application/x-www-form-urlencoded' } });
		tap.is(r.status, 400, 'a Latin-1 name (not UTF-8): 400');
		tap.is(await footprint(email, [ines]), before, '... nothing written');
	}
	// At the limits: accepted.  A browser counts a line break of a textarea
	// as one character (maxlength="2000") but sends it as CRLF.
	r = (await book(APP_URL, ines, 'consultation', { name: 'N'.repeat(100), email: guestEmail('limit'), start: starts[12],
		notes: 'n'.repeat(2000) })).r;
	tap.is(r.status, 200, 'a 100-character name and 2000-character notes are accepted');
	const typed = `${'n'.repeat(1990)}${'b\n'.repeat(5)}`;
	r = (await book(APP_URL, ines, 'consultation', { name: `Nora Lobo ${TAG}`, email: guestEmail('crlf'), start: starts[16],
		notes: typed.replace(/\n/g, '\r\n') })).r;
	tap.is(r.status, 200, `notes of ${typed.length} characters with 5 line breaks, as a browser sends them (CRLF), are accepted`);
	for (const [what, p] of [['/<handle> of an unpublished expert', `/${hidden.handle}`],
		['/<handle>/<event> of an unpublished expert', `/${hidden.handle}/consultation`],
		['/<handle>/<event> of an inactive event', `/${ines.handle}/old-format`]]) {
		r = await request(`${APP_URL}${p}`, null);
		tap.is(r.status, 404, `GET ${what}: 404`);
	}

	// 6. Dashboards: the guest signs in and sees her bookings, the expert his
	// guest; nobody else sees them.
	let s = await signIn(APP_URL, aikoEmail);
	tap.is(s.callback && s.callback.location, '/dashboard', 'the guest signs in (AuthKit, the e-mail as login hint)');
	r = await request(`${APP_URL}/dashboard`, s.jar);
	tap.is(r.status, 200, '... GET /dashboard: 200');
	const upcoming = section(r.body, 'upcoming-bookings');
	tap.like(upcoming, new RegExp(`<td>${esc(martaName)}</td><td>${esc(`Pelvic health ${TAG}`)}</td>`),
		'... her upcoming bookings show the expert and the event');
	const at = `<time datetime="${esc(start1.replace(':00Z', 'Z'))}">\\w+ ${ymd(start1, TYO)} ${hm(start1, TYO)}–`;
	tap.like(upcoming, new RegExp(at),
		'... at the time booked, in Tokyo time');
	tap.is((upcoming.match(/<tr><td>/g) || []).length, 1, '... her booking only: the pending one in her name is not there');
	s = await signIn(APP_URL, marta.email);
	r = await request(`${APP_URL}/dashboard`, s.jar);
	tap.is(r.status, 200, 'the expert signs in: GET /dashboard 200');
	tap.like(section(r.body, 'upcoming-meetings'), new RegExp(`<td><a href="/meetings/[0-9a-f-]{36}">${esc(aikoName)}</a></td><td>${esc(`Pelvic health ${TAG}`)}</td>`),
		'... his upcoming meetings show the guest');
	s = await signIn(APP_URL, sofia.email);
	r = await request(`${APP_URL}/dashboard`, s.jar);
	tap.is(r.status, 200, 'another expert: GET /dashboard 200');
	tap.like(section(r.body, 'upcoming-meetings'), new RegExp(`<td><a href="/meetings/[0-9a-f-]{36}">${esc(won.name || '?')}</a></td>`), '... shows her own guest');
	tap.unlike(r.body, new RegExp(`${esc(aikoName)}|Pelvic health ${TAG}`), '... and not the other expert\'s guest or event');
	s = await signIn(APP_URL, won.email || 'nobody@example.test');
	r = await request(`${APP_URL}/dashboard`, s.jar);
	tap.is(r.status, 200, 'another guest: GET /dashboard 200');
	tap.like(section(r.body, 'upcoming-bookings'), new RegExp(`<td>Sofia Reis ${TAG}</td><td>Consultation</td>`),
		'... shows his own booking');
	tap.unlike(r.body, new RegExp(`${esc(martaName)}|Pelvic health ${TAG}|${esc(aikoName)}`),
		'... and not the other guest\'s booking');

	// Another tenant's ids: Sofia's page is public, but her event's slug or
	// id under Marta's handle is no event.
	r = await request(`${APP_URL}/${sofia.handle}/consultation`, null);
	tap.is(r.status, 200, 'a guest may GET another expert\'s booking page');
	const sofiaStart = startsOf(r.body)[30];
	const mixed = { name: `Teo Vaz ${TAG}`, email: guestEmail('teo'), timezone: LIS, start: sofiaStart, notes: '' };
	for (const [what, path] of [['her event\'s slug', `/${marta.handle}/consultation`],
		['her event\'s id', `/${marta.handle}/${sofia.events.consultation}`]]) {
		const before = await footprint(mixed.email, [marta, sofia]);
		r = await postTo(path, `/${marta.handle}/pelvic-health`, mixed);
		tap.is(r.status, 404, `POST another expert's start under this handle with ${what}: 404`);
		tap.like(r.body, NO_EVENT, '... "not open for booking"');
		tap.is(await footprint(mixed.email, [marta, sofia]), before, '... nothing written');
	}

	// 7. The expert's page, time zones, and paging to the window's end.
	const joana = await publishedExpert({
		first: 'Joana', last: `Faria ${TAG}`, tz: LIS, settings: { window: 10 },
		events: [{ slug: 'consultation', name: 'First consultation' }, { slug: 'follow-up', name: 'Follow-up', minutes: 30 },
			{ slug: 'retired', name: `Retired session ${TAG}`, active: false }],
	});
	r = await request(`${APP_URL}/${joana.handle}`, null);
	tap.is(r.status, 200, 'GET /<handle>: 200');
	const events = section(r.body, 'events');
	tap.is((events.match(/<article class="card">/g) || []).length, 2, '... two events');
	tap.ok(events.includes(`<a href="/${joana.handle}/consultation">First consultation</a>`)
		&& events.includes(`<a href="/${joana.handle}/follow-up">Follow-up</a>`), '... the active ones, linked');
	tap.unlike(r.body, new RegExp(`retired|Retired session ${TAG}`), '... not the inactive one');

	const J = `${APP_URL}/${joana.handle}/consultation`;
	r = await request(`${J}?tz=${encodeURIComponent(TYO)}`, null);
	tap.is(r.status, 200, 'GET ?tz=Asia/Tokyo: 200');
	const tokyoToday = ymd(Date.now(), TYO);
	tap.is(rangeLine(r.body), `Times from ${tokyoToday} to ${addDays(tokyoToday, 6)}, in ${TYO}.`,
		'... the range line: Tokyo\'s week, in Asia/Tokyo');
	tap.like(r.body, /<option selected>Asia\/Tokyo<\/option>/, '... Asia/Tokyo selected in the zone list');
	tap.like(r.body, /<input type="hidden" name="timezone" value="Asia\/Tokyo">/, '... and posted with the booking');
	let slots = slotsOf(r.body);
	let bad = slots.filter((o) => !shownIn(o, TYO));
	tap.ok(slots.length > 0 && bad.length === 0,
		`... all ${slots.length} starts labelled with Tokyo's time and day${bad.length ? ` (${JSON.stringify(bad[0])})` : ''}`);
	r = await request(`${J}?tz=Bogus`, null);
	tap.is(r.status, 200, 'GET ?tz=Bogus: 200');
	tap.like(rangeLine(r.body), new RegExp(`in ${esc(LIS)}\\.$`), '... falls back to the expert\'s zone');
	tap.like(r.body, /<option selected>Europe\/Lisbon<\/option>/, '... selected in the zone list');
	slots = slotsOf(r.body);
	bad = slots.filter((o) => !shownIn(o, LIS));
	tap.ok(slots.length > 0 && bad.length === 0,
		`... starts shown in Lisbon time${bad.length ? ` (${JSON.stringify(bad[0])})` : ''}`);

	r = await request(J, null);
	const first = startsOf(r.body);
	const lisToday = ymd(Date.now(), LIS);
	tap.is(earlierLink(r.body), null, 'the first page has no earlier days');
	const later = laterLink(r.body);
	tap.is(later, `/${joana.handle}/consultation?tz=Europe%2FLisbon&from=${addDays(lisToday, 7)}#times`,
		'... a "Later days" link to the next week, keeping the time zone');
	const asked = Date.now();
	r = await request(`${APP_URL}${(later || '').replace(/#.*/, '')}`, null);
	tap.is(r.status, 200, 'following it: 200');
	tap.is(rangeLine(r.body), `Times from ${addDays(lisToday, 7)} to ${addDays(lisToday, 13)}, in ${LIS}.`,
		'... the next seven days');
	const second = startsOf(r.body);
	tap.ok(second.length > 0 && ymd(second[0], LIS) === addDays(lisToday, 7)
		&& Date.parse(first[first.length - 1]) < Date.parse(second[0]), '... starts after the first page\'s');
	// The last start of the window: on the grid, no later than now + 10
	// days, its hour-long session inside the day (00:00-24:00 Lisbon).
	let end = grid(asked + 10 * DAY);
	while (hm(end, LIS) > '23:00') end -= 15 * MIN;
	const last = Date.parse(second[second.length - 1]);
	tap.ok(last >= end && last <= Date.now() + 10 * DAY,
		`... up to the end of the 10-day window (last ${second[second.length - 1]}, expected ${iso(end)} or just after)`);
	tap.is(laterLink(r.body), null, '... and no later days beyond the window');
	tap.is(earlierLink(r.body), `/${joana.handle}/consultation?tz=Europe%2FLisbon&from=${lisToday}#times`,
		'... an "Earlier days" link back to today');

	// 8. What the review of the first version found.
	// A refused form keeps the start chosen on a later page: the page shown
	// again is that start's week, with it selected.
	const laterStart = second[5];
	r = (await book(APP_URL, joana, 'consultation', { name: `Lia ${TAG}`, email: 'not-an-address', start: laterStart })).r;
	tap.is(r.status, 422, 'a later week\'s start with a bad e-mail: 422');
	const again = slotsOf(r.body);
	tap.ok(again.some((o) => o.value === laterStart) && again.filter((o) => o.checked).map((o) => o.value).join() === laterStart,
		'... the page shown again is that week, the chosen start the one radio checked');
	const want = again.find((o) => o.value === laterStart) || {};
	tap.like(r.body, new RegExp(`<dd id="summary-time"[^>]*>${esc(`${want.day}, ${want.time}`)}</dd>`),
		`... and the summary beside the form names it (${want.day}, ${want.time})`);
	// Only the zones the page offers: a legacy name (GMT) is refused at
	// the first step, before anyone is registered.
	const gmtEmail = guestEmail('gmt');
	r = (await book(APP_URL, joana, 'consultation', { name: `Gil ${TAG}`, email: gmtEmail, timezone: 'GMT', start: second[6] })).r;
	tap.is(r.status, 422, 'time zone GMT (not offered): 422');
	tap.like(r.body, /Choose a time zone from the list\./, '... "Choose a time zone from the list."');
	tap.is((await workosUsers(gmtEmail)).length, 0, '... nobody registered with WorkOS');
	tap.unlike(r.body, /<option[^>]*>GMT<\/option>/, '... and the list does not offer GMT');
	// An expert whose schedule has a legacy zone name: the page shows UTC.
	const pia = await publishedExpert({ first: 'Pia', last: `Reis ${TAG}`, tz: 'Portugal' });
	r = await request(`${APP_URL}/${pia.handle}/consultation`, null);
	tap.like(rangeLine(r.body), /in UTC\.$/, 'a schedule in "Portugal" (a legacy name): times shown in UTC');
	const piaStart = startsOf(r.body)[3];
	r = (await book(APP_URL, pia, 'consultation', { name: `Pau ${TAG}`, email: guestEmail('pau'), timezone: 'UTC', start: piaStart })).r;
	tap.is(r.status, 200, '... and bookable (200)');
	// Buffers hold when two guests book neighbouring hours at once: with a
	// 15-minute buffer before each session, 10:00 and 11:00 cannot both be
	// booked, however the requests interleave.
	const vera = await publishedExpert({ first: 'Vera', last: `Paz ${TAG}`, tz: 'UTC', settings: { before: 15 } });
	const V = `${APP_URL}/${vera.handle}/consultation`;
	const vs = startsOf((await request(V, null)).body);
	const a0 = vs.find((x) => x.endsWith('T10:00:00Z') && Date.parse(x) > Date.now() + DAY);
	const a1 = a0 && iso(Date.parse(a0) + 60 * MIN);
	tap.ok(a0 && vs.includes(a1), `two neighbouring hours are offered (${a0}, ${a1})`);
	const pair = await Promise.all([a0, a1].map(async (start, k) => {
		const jar = new Jar();
		const pg = await request(V, jar);
		return { jar, form: { csrf: csrfOf(pg.body), name: `Buffer ${k} ${TAG}`, email: guestEmail(`buf${k}`), timezone: 'UTC', start, notes: '' } };
	}));
	const rs = await Promise.all(pair.map(({ jar, form }) => request(V, jar, { form, headers: { origin: APP_URL } })));
	tap.is(rs.map((x) => x.status).sort().join(), '200,409', 'booked at once: one 200, one 409');
	tap.is(meetingsOf(vera), 1, '... one meeting: the buffer held');
});
