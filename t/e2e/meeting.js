// meeting: the expert's view of a meeting (issue 17): /meetings/<id> shows
// who booked, the address, what they wrote (escaped), the time in the
// expert's zone and the state; the dashboard links to it and to the
// expert's public page; another expert's meeting is "not found", and only
// experts may look.
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, signIn, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail, book } = require('../lib/booking');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

tap.run(async () => {
	const e = await publishedExpert({ first: 'Mara', last: 'Meeting', tz: 'America/Sao_Paulo' });
	const page = await request(`${APP_URL}/${e.handle}/consultation`, null);
	const start = startsOf(page.body)[3];
	const email = guestEmail('meeting');
	const notes = 'Tenho dúvidas <script>alert(1)</script>\nsobre o pós-parto.';
	const b = await book(APP_URL, e, 'consultation', { start, name: 'Luísa Lopes', email, notes });
	tap.is(b.r.status, 200, 'a guest books');
	const id = sql(`SELECT id FROM meetings WHERE workos_user_id = ${lit(e.id)} AND guest_email = ${lit(email)}`);

	const s = await signIn(APP_URL, e.email);
	let r = await request(`${APP_URL}/dashboard`, s.jar);
	tap.like(r.body, new RegExp(`<a href="/meetings/${id}">Luísa Lopes</a>`), "the dashboard links the guest's name to the meeting");
	tap.like(r.body, new RegExp(`<p id="public-page"><a href="/${e.handle}">`), '... and to his public page');

	r = await request(`${APP_URL}/meetings/${id}`, s.jar);
	tap.is(r.status, 200, 'GET /meetings/<id> as the expert: 200');
	const local = new Date(start).toLocaleTimeString('en-GB', { timeZone: e.tz, hour: '2-digit', minute: '2-digit' });
	const day = new Date(start).toLocaleDateString('sv-SE', { timeZone: e.tz });
	tap.like(r.body, new RegExp(`<time datetime="${start.slice(0, 16)}Z">\\w+ ${day}, ${local}–`), `... the time in his zone (${day} ${local})`);
	tap.like(r.body, /\(America\/Sao_Paulo\)/, '... naming the zone');
	tap.like(r.body, /<dd>Luísa Lopes<\/dd>/, '... who booked');
	tap.like(r.body, new RegExp(`<a href="mailto:${email}">${email}</a>`), '... the address');
	tap.like(r.body, /Tenho dúvidas &lt;script&gt;alert\(1\)&lt;\/script&gt;\nsobre o pós-parto\./, '... what they wrote, escaped');
	tap.like(r.body, /data-status="confirmed"[\s\S]*tag-ok">Confirmed</, '... confirmed');
	tap.like(r.body, /Consultation · 60 minutes/, '... the session and its length');

	sql(`UPDATE meetings SET status = 'cancelled', cancelled_at = now() WHERE id = ${lit(id)}`);
	r = await request(`${APP_URL}/meetings/${id}`, s.jar);
	tap.like(r.body, /data-status="cancelled"[\s\S]*tag-warn">Cancelled</, 'a cancelled meeting says so');

	// Nobody else's.
	const other = await publishedExpert({ first: 'Otilia', last: 'Outra' });
	const os = await signIn(APP_URL, other.email);
	r = await request(`${APP_URL}/meetings/${id}`, os.jar);
	tap.is(r.status, 404, "another expert: 404");
	tap.unlike(r.body, /Luísa|dúvidas/, '... showing nothing of it');
	const g = await newUser('Gui', 'Guest');
	const gs = await signIn(APP_URL, g.email);
	r = await request(`${APP_URL}/meetings/${id}`, gs.jar);
	tap.is(r.status, 403, 'a guest: 403');
	r = await request(`${APP_URL}/meetings/${id}`, null);
	tap.is(`${r.status} ${(r.location || '').replace(/\?.*/, '')}`, '303 /sign-in', 'signed out: to sign in');
	r = await request(`${APP_URL}/meetings/not-an-id`, s.jar);
	tap.is(r.status, 404, 'an id that is not one: 404');
	r = await request(`${APP_URL}/meetings/00000000-0000-4000-8000-000000000000`, s.jar);
	tap.is(r.status, 404, 'no such meeting: 404');
});
