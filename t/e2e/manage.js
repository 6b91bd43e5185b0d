// manage: a booking after it is made (issue 17) — the guest's page at
// /bookings/<id>/manage, reached signed in or through the manage key of the
// confirmation (and its e-mail); cancelling with a reason, by the guest or
// the expert; the expert's cancellation notice; a cancelled start offered
// again; each change audited once and written to the outbox for both sides.
'use strict';

const tap = require('../lib/tap');
const { env, get } = require('../lib/stack');
const { tidyErrors } = require('../lib/tidy');
const { Jar, request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail, book, manageLinkOf: manageOf } = require('../lib/booking');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const post = (url, jar, form) => request(`${APP_URL}${url}`, jar, { form, headers: { origin: APP_URL } });
const row = (id) => sql(`SELECT status || '|' || coalesce(cancelled_by, '') || '|' || sequence || '|' ||
	coalesce(cancel_reason, '') FROM meetings WHERE id = ${lit(id)}`);
const outbox = (id) => sql(`SELECT string_agg(kind || ':' || recipient || ':' || sequence, ',' ORDER BY id)
	FROM mail_outbox WHERE meeting_id = ${lit(id)}`);
const audits = (id, action) => sql(`SELECT count(*) FROM audit_logs WHERE resource_id = ${lit(id)}
	AND action = ${lit(action)}`);

tap.run(async () => {
	const e = await publishedExpert({ first: 'Clara', last: 'Cancela', tz: 'Europe/Lisbon' });
	let page = await request(`${APP_URL}/${e.handle}/consultation`, null);
	const starts = startsOf(page.body);
	const start = starts[4];
	const email = guestEmail('manage');
	const b = await book(APP_URL, e, 'consultation', { start, name: 'Gil Guest', email, notes: '' });
	tap.is(b.r.status, 200, 'a guest books');
	const id = sql(`SELECT id FROM meetings WHERE workos_user_id = ${lit(e.id)} AND guest_email = ${lit(email)}`);
	const link = manageOf(b.r.body);
	tap.like(link || '', new RegExp(`^/bookings/${id}/manage\\?k=[0-9a-f]{64}$`), 'the confirmation links to the booking with its manage key');
	tap.is(outbox(id), 'confirmed:guest:0,confirmed:expert:0', 'the booking wrote one confirmation for each side to the outbox');
	tap.is(sql(`SELECT language FROM meetings WHERE id = ${lit(id)}`), 'en', "... and kept the guest's language");

	// The key opens it for anyone holding it, and nothing else does.
	let r = await request(`${APP_URL}${link}`, new Jar());
	tap.is(r.status, 200, 'the link opens the booking without an account');
	tap.like(r.body, /data-status="confirmed"/, '... confirmed');
	tap.like(r.body, /<dd>Clara Cancela<\/dd>/, '... with whom');
	tap.like(r.body, /id="until">You can cancel or move this booking until /, '... until when it can change');
	tap.like(r.body, /<form method="post" action="\/bookings\/[0-9a-f-]+\/manage">/, '... and the cancel form');
	tap.is(tidyErrors(r.body, 'manage').join('\n'), '', '... tidy finds no errors');
	const key = link.split('k=')[1];
	const wrong = key.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a'));
	r = await request(`${APP_URL}/bookings/${id}/manage?k=${wrong}`, new Jar());
	tap.is(r.status, 404, 'a key one digit off: 404');
	tap.unlike(r.body, /Gil Guest|Clara/, '... telling nothing of the booking');
	r = await request(`${APP_URL}/bookings/${id}/manage`, new Jar());
	tap.is(r.status, 404, 'no key, not signed in: 404');
	r = await request(`${APP_URL}/bookings/${id}/manage?k=${key.toUpperCase()}`, new Jar());
	tap.is(r.status, 404, 'the key in capitals is not the key: 404');
	r = await request(`${APP_URL}/bookings/not-a-uuid/manage?k=${key}`, new Jar());
	tap.is(r.status, 404, 'an id that is not one: 404');

	// Another booking's key does not open this one.
	const start2 = starts[8];
	const b2 = await book(APP_URL, e, 'consultation', { start: start2, name: 'Other Person', email: guestEmail('other') });
	const link2 = manageOf(b2.r.body);
	r = await request(`${APP_URL}/bookings/${id}/manage?k=${link2.split('k=')[1]}`, new Jar());
	tap.is(r.status, 404, "another booking's key: 404");

	// Cancel through the link, with a reason.
	const anon = new Jar();
	page = await request(`${APP_URL}${link}`, anon);
	const tok = csrfOf(page.body);
	r = await post(`/bookings/${id}/manage`, anon, { csrf: tok, k: key, reason: 'Fiquei doente <b>hoje</b>' });
	tap.is(r.status, 303, 'the guest cancels with the key: 303');
	tap.like(r.location || '', new RegExp(`/bookings/${id}/manage\\?k=${key}&done=cancelled$`), '... back to the booking');
	tap.is(row(id), 'cancelled|guest|1|Fiquei doente <b>hoje</b>', '... cancelled by the guest, reason kept, sequence 1');
	tap.is(audits(id, 'APPOINTMENT_CANCELLED'), '1', '... audited once');
	tap.is(outbox(id), 'confirmed:guest:0,confirmed:expert:0,cancelled:guest:1,cancelled:expert:1',
		'... a cancellation written for each side');
	r = await request(`${APP_URL}${r.location}`, anon);
	tap.like(r.body, /role="status">The booking is cancelled\./, 'the page says it is cancelled');
	tap.like(r.body, /tag-warn">Cancelled<\/span> <span class="hint">Cancelled by the guest/, '... by the guest');
	tap.like(r.body, /id="cancel-reason">Fiquei doente &lt;b&gt;hoje&lt;\/b&gt;</, '... with the reason, escaped');
	tap.unlike(r.body, /id="cancel"/, '... and no cancel form any more');
	tap.is(tidyErrors(r.body, 'manage, cancelled').join('\n'), '', '... tidy finds no errors');
	page = await request(`${APP_URL}/${e.handle}/consultation`, null);
	tap.ok(startsOf(page.body).includes(start), 'the freed start is offered again');
	r = await post(`/bookings/${id}/manage`, anon, { csrf: tok, k: key, reason: '' });
	tap.is(r.status, 303, 'cancelling again (a second click) is answered as done');
	tap.is(audits(id, 'APPOINTMENT_CANCELLED'), '1', '... no second audit row');
	tap.is(row(id).split('|')[2], '1', '... nor a second sequence');

	// Without the form's token: refused.
	r = await post(`/bookings/${id}/manage`, new Jar(), { k: key, reason: 'x' });
	tap.is(r.status, 403, 'a POST without the CSRF token: 403');

	// The expert cancels the second booking from his meeting page.
	const id2 = sql(`SELECT id FROM meetings WHERE workos_user_id = ${lit(e.id)} AND start_time = ${lit(start2)}`);
	const es = await signIn(APP_URL, e.email);
	r = await request(`${APP_URL}/meetings/${id2}`, es.jar);
	tap.like(r.body, /id="cancel"[\s\S]*<textarea id="reason"/, 'the meeting page offers the expert a cancel form');
	tap.is(tidyErrors(r.body, 'meeting').join('\n'), '', '... tidy finds no errors');
	const other = await publishedExpert({ first: 'Olga', last: 'Outra' });
	const os = await signIn(APP_URL, other.email);
	const op = await request(`${APP_URL}/dashboard`, os.jar);
	r = await post(`/meetings/${id2}`, os.jar, { csrf: csrfOf(op.body), reason: 'mine now' });
	tap.is(r.status, 404, "another expert cancelling it: 404");
	tap.is(row(id2).split('|')[0], 'confirmed', '... and it stands');
	r = await post(`/meetings/${id2}`, es.jar, { csrf: csrfOf((await request(`${APP_URL}/meetings/${id2}`, es.jar)).body), reason: 'Estou de férias' });
	tap.is(r.status, 303, 'the expert cancels it: 303');
	tap.is(row(id2), 'cancelled|expert|1|Estou de férias', '... cancelled by the expert');
	r = await request(`${APP_URL}${r.location}`, es.jar);
	tap.like(r.body, /The meeting is cancelled/, '... his page says so');
	r = await request(`${APP_URL}${link2}`, new Jar());
	tap.like(r.body, /Cancelled by the expert[\s\S]*id="cancel-reason">Estou de férias</, 'the guest sees who cancelled and why');

	// A signed-in guest needs no key; his dashboard links to the booking.
	const g = await newUser('Sara', 'Signed');
	const gs = await signIn(APP_URL, g.email);
	const start3 = starts[starts.length - 1]; // days ahead
	const b3 = await book(APP_URL, e, 'consultation', { start: start3, name: 'Sara Signed', email: g.email }, gs.jar);
	tap.is(b3.r.status, 200, 'a signed-in guest books with her own address');
	const id3 = sql(`SELECT id FROM meetings WHERE workos_user_id = ${lit(e.id)} AND start_time = ${lit(start3)} AND status = 'confirmed'`);
	r = await request(`${APP_URL}/dashboard`, gs.jar);
	tap.like(r.body, new RegExp(`<a href="/bookings/${id3}/manage">Change or cancel</a>`), 'her dashboard links to the booking');
	r = await request(`${APP_URL}/bookings/${id3}/manage`, gs.jar);
	tap.is(r.status, 200, '... which opens without a key');
	tap.like(r.body, /\.ics" download>/, '... with its calendar file');
	r = await request(`${APP_URL}/bookings/${id}/manage`, gs.jar);
	tap.is(r.status, 404, "someone else's booking, signed in without its key: 404");
	r = await request(`${APP_URL}/bookings/${id3}/manage`, es.jar);
	tap.is(`${r.status} ${r.location}`, `303 /meetings/${id3}`, 'the expert is sent to his meeting page');

	// The cancellation notice: a day, and a meeting within it.
	sql(`INSERT INTO scheduling_settings (org_id, workos_user_id, cancellation_notice)
		VALUES (${lit(e.org)}, ${lit(e.id)}, 1440)`);
	r = await request(`${APP_URL}/bookings/${id3}/manage`, gs.jar);
	tap.like(r.body, /id="cancel"/, 'a meeting days away can still be cancelled with a day of notice');
	sql(`UPDATE meetings SET start_time = now() + interval '3 hours', end_time = now() + interval '4 hours'
		WHERE id = ${lit(id3)}`);
	r = await request(`${APP_URL}/bookings/${id3}/manage`, gs.jar);
	tap.like(r.body, /id="too-late">It is too late to change this booking online/, 'within the notice: too late, it says');
	tap.unlike(r.body, /id="cancel"/, '... and offers no cancel form');
	r = await post(`/bookings/${id3}/manage`, gs.jar, { csrf: csrfOf(r.body), reason: 'late' });
	tap.is(r.status, 409, 'cancelling anyway: 409');
	tap.like(r.body, /role="alert">It is too late to change this booking online\./, '... saying why');
	tap.is(row(id3).split('|')[0], 'confirmed', '... and it stands');
	r = await request(`${APP_URL}/meetings/${id3}`, es.jar);
	tap.like(r.body, /id="cancel"/, 'the expert may still cancel it');

	// A meeting that has started changes no more, for either side.
	sql(`UPDATE meetings SET start_time = now() - interval '10 minutes', end_time = now() + interval '50 minutes'
		WHERE id = ${lit(id3)}`);
	r = await request(`${APP_URL}/meetings/${id3}`, es.jar);
	tap.unlike(r.body, /id="cancel"/, 'a started meeting: no cancel form for the expert');
	r = await post(`/meetings/${id3}`, es.jar, { csrf: csrfOf(r.body), reason: '' });
	tap.is(r.status, 409, '... and cancelling it anyway: 409');
	tap.is(row(id3).split('|')[0], 'confirmed', '... it stands');

	// A reason the database refuses (control characters) or too long.
	const e2 = await publishedExpert({ first: 'Rui', last: 'Razão' });
	page = await request(`${APP_URL}/${e2.handle}/consultation`, null);
	const b4 = await book(APP_URL, e2, 'consultation', { start: startsOf(page.body)[2], name: 'Rita R', email: guestEmail('reason') });
	const l4 = manageOf(b4.r.body);
	const j4 = new Jar();
	page = await request(`${APP_URL}${l4}`, j4);
	r = await post(l4.replace(/\?.*/, ''), j4, { csrf: csrfOf(page.body), k: l4.split('k=')[1], reason: 'x'.repeat(501) });
	tap.is(r.status, 422, 'a reason of 501 characters: 422');
	tap.like(r.body, /id="reason-error"/, '... marked on the field');
	r = await post(l4.replace(/\?.*/, ''), j4, { csrf: csrfOf(page.body), k: l4.split('k=')[1], reason: 'bad\u0007bell' });
	tap.is(r.status, 422, 'a reason with a control character: 422');
	r = await get(`${APP_URL}${l4.replace(/\?.*/, '')}`, { method: 'POST', headers: { origin: APP_URL,
		cookie: j4.header(), 'content-type': 'application/x-www-form-urlencoded' },
		body: `csrf=${encodeURIComponent(csrfOf(page.body))}&k=${l4.split('k=')[1]}&reason=%FF%FEnot%20UTF-8` });
	tap.ok([400, 422].includes(r.status), `a reason that is not UTF-8: refused (${r.status})`);
	r = await request(`${APP_URL}${l4.replace(/k=[0-9a-f]{64}/, `k=${'z'.repeat(64)}`)}`, new Jar());
	tap.is(r.status, 404, 'a key of 64 characters that are not hex digits: 404');
	tap.is(sql(`SELECT status FROM meetings WHERE workos_user_id = ${lit(e2.id)}`), 'confirmed', '... nothing cancelled');
});
