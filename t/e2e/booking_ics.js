// booking_ics: GET /bookings/<id>.ics (issue 17): a meeting as a calendar
// file for its expert and its guest, read back by a real iCalendar parser
// (ical.js): the start and end, a UID that stays the same, the state, the
// attendee for the expert; nobody else's meeting, and no other file name.
'use strict';

const ICAL = require('ical.js');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, signIn, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail, book } = require('../lib/booking');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

// The one VEVENT of a calendar file, as ical.js reads it.
function vevent(text) {
	const comp = new ICAL.Component(ICAL.parse(text));
	return comp.getFirstSubcomponent('vevent');
}

tap.run(async () => {
	const e = await publishedExpert({ first: 'Carla', last: 'Calendário', tz: 'Europe/Lisbon',
		events: [{ slug: 'consultation', name: 'Consulta, primeira; longa', minutes: 50, price: 0 }] });
	const page = await request(`${APP_URL}/${e.handle}/consultation`, null);
	const start = startsOf(page.body)[1];
	const email = guestEmail('ics');
	const notes = `${'Uma nota longa com acentos — ção, ã, é. '.repeat(6)}\nE uma segunda linha.`;
	const b = await book(APP_URL, e, 'consultation', { start, name: 'Beatriz Borges', email, notes });
	tap.is(b.r.status, 200, 'a guest books');
	const id = sql(`SELECT id FROM meetings WHERE guest_email = ${lit(email)}`);
	const url = `${APP_URL}/bookings/${id}.ics`;

	const ex = await signIn(APP_URL, e.email);
	let r = await request(url, ex.jar);
	tap.is(r.status, 200, 'the expert downloads it: 200');
	tap.is(r.headers.get('content-type'), 'text/calendar; charset=utf-8', '... text/calendar');
	tap.like(r.headers.get('content-disposition') || '', new RegExp(`attachment; filename="eleva-${id}\\.ics"`), '... as a file');
	tap.ok(r.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75) && !/[^\r]\n/.test(r.body),
		'... every line CRLF-ended, at most 75 octets');
	let ev = vevent(r.body);
	tap.is(ev.getFirstPropertyValue('uid'), `${id}@eleva.care`, '... parsed: its UID names the meeting');
	tap.is(ev.getFirstPropertyValue('dtstart').toJSDate().toISOString(), new Date(start).toISOString(), '... the start');
	tap.is(ev.getFirstPropertyValue('dtend').toJSDate().getTime() - Date.parse(start), 50 * 60000, '... fifty minutes');
	tap.is(ev.getFirstPropertyValue('summary'), 'Consulta, primeira; longa — Beatriz Borges', '... the session and the guest (escaped commas)');
	tap.is(ev.getFirstPropertyValue('description'), notes, '... what the guest wrote, whole');
	tap.is(ev.getFirstPropertyValue('attendee'), `mailto:${email}`, '... the guest as attendee');
	tap.is(ev.getFirstPropertyValue('url'), `${APP_URL}/meetings/${id}`, '... the meeting page');
	tap.is(ev.getFirstPropertyValue('status'), 'CONFIRMED', '... confirmed');
	tap.is(String(ev.getFirstPropertyValue('sequence')), '0', '... sequence 0');
	r = await request(`${APP_URL}/meetings/${id}`, ex.jar);
	tap.like(r.body, new RegExp(`<a href="/bookings/${id}\\.ics" download>`), 'the meeting page links to it');

	const g = await signIn(APP_URL, email);
	r = await request(url, g.jar);
	tap.is(r.status, 200, 'the guest downloads it: 200');
	ev = vevent(r.body);
	tap.is(ev.getFirstPropertyValue('uid'), `${id}@eleva.care`, '... the same UID');
	tap.is(ev.getFirstPropertyValue('summary'), `Consulta, primeira; longa — Carla Calendário`, '... the session and the expert');
	tap.is(ev.getFirstPropertyValue('url'), `${APP_URL}/${e.handle}`, "... the expert's page");
	tap.is(ev.getFirstPropertyValue('attendee'), null, '... and no address of anyone');
	r = await request(`${APP_URL}/dashboard`, g.jar);
	tap.like(r.body, new RegExp(`<a href="/bookings/${id}\\.ics" download>Add to calendar`), "the guest's dashboard links to it");

	sql(`UPDATE meetings SET status = 'cancelled', cancelled_at = now() WHERE id = ${lit(id)}`);
	r = await request(url, ex.jar);
	ev = vevent(r.body);
	tap.is(`${ev.getFirstPropertyValue('status')} ${ev.getFirstPropertyValue('uid')}`, `CANCELLED ${id}@eleva.care`,
		'cancelled: CANCELLED, the same UID');

	const other = await newUser('Olavo', 'Outro');
	const os = await signIn(APP_URL, other.email);
	r = await request(url, os.jar);
	tap.is(r.status, 404, 'somebody else: 404');
	r = await request(url, null);
	tap.is(`${r.status} ${(r.location || '').replace(/\?.*/, '')}`, '303 /sign-in', 'signed out: to sign in');
	for (const bad of [`${id}.ical`, id, `${id}.ics.ics`, 'x.ics', '%2e%2e.ics']) {
		r = await request(`${APP_URL}/bookings/${bad}`, ex.jar);
		tap.is(r.status, 404, `/bookings/${bad}: 404`);
	}
});
