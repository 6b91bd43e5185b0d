// reschedule: a guest moves his booking (issue 17) at /bookings/<id>/reschedule
// — the time picker of the same session, the move made atomically by the
// database (the old start is freed only when the new one is taken), a start
// taken or never offered refused with the booking unchanged, the
// cancellation notice kept, and of 20 guests moving at once onto one start
// exactly one wins.
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { tidyErrors } = require('../lib/tidy');
const { Jar, request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail, book, manageLinkOf: manageOf } = require('../lib/booking');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const at = (id) => sql(`SELECT to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '|' || status || '|' || sequence
	FROM meetings WHERE id = ${lit(id)}`);
const offeredNow = async (e) => startsOf((await request(`${APP_URL}/${e.handle}/consultation`, null)).body);

// Book start for a new guest; {id, key, jar}.
async function booked(e, start, name) {
	const b = await book(APP_URL, e, 'consultation', { start, name, email: guestEmail(name.toLowerCase().replace(/\W/g, '')) });
	if (b.r.status !== 200) throw new Error(`booking ${start} failed: ${b.r.status}`);
	const link = manageOf(b.r.body);
	const id = /\/bookings\/([0-9a-f-]+)\/manage/.exec(link)[1];
	return { id, key: link.split('k=')[1], jar: new Jar() };
}

// POST a move; the response.  The visitor's CSRF token comes from the
// move page, or the home page when the move page sends him back.
async function move(g, start, key = g.key) {
	const page = await request(`${APP_URL}/bookings/${g.id}/reschedule?k=${key}`, g.jar);
	const csrf = csrfOf(page.body) || csrfOf((await request(`${APP_URL}/sign-in/code`, g.jar)).body);
	return request(`${APP_URL}/bookings/${g.id}/reschedule`, g.jar, {
		form: { csrf, k: key, start }, headers: { origin: APP_URL } });
}

tap.run(async () => {
	const e = await publishedExpert({ first: 'Mia', last: 'Muda', tz: 'Europe/Lisbon' });
	const starts = await offeredNow(e);
	// Starts an hour apart (a 60-minute session): none overlaps another.
	const hourly = starts.filter((s) => /:00:00Z$/.test(s));
	// Where the booking moves first: an hour with its quarter past offered
	// too (not a day's 23:00: a session from 23:15 would end past the
	// day's range), for the move onto its own neighbourhood below.
	const quarterOf = (s) => new Date(Date.parse(s) + 15 * 60000).toISOString().replace('.000', '');
	const moved = hourly.slice(33, 36).find((s) => starts.includes(quarterOf(s)));
	const g = await booked(e, hourly[30], 'Guida');

	let r = await request(`${APP_URL}/bookings/${g.id}/reschedule?k=${g.key}`, g.jar);
	tap.is(r.status, 200, 'the move page opens with the manage key');
	tap.like(r.body, /type="radio" name="start"/, '... with the time picker');
	tap.is(tidyErrors(r.body, 'reschedule').join('\n'), '', '... tidy finds no errors');
	tap.unlike(r.body, new RegExp(`value="${hourly[30]}"`), '... its own time not offered (it is taken: by it)');
	tap.like(r.body, /Booked now for <time datetime="/, '... but named');
	r = await request(`${APP_URL}/bookings/${g.id}/reschedule`, new Jar());
	tap.is(r.status, 404, 'without the key, signed out: 404');
	r = await request(`${APP_URL}/bookings/${g.id}/manage?k=${g.key}`, g.jar);
	tap.like(r.body, new RegExp(`<a class="button button-quiet" id="move" href="/bookings/${g.id}/reschedule\\?k=${g.key}">`),
		'the booking page links to the move');

	// Moved: the old start free again, the new one taken, once.
	r = await move(g, moved);
	tap.is(r.status, 303, 'the guest moves it: 303');
	tap.like(r.location || '', /\/manage\?k=[0-9a-f]{64}&done=rescheduled$/, '... back to the booking, saying so');
	tap.is(at(g.id), `${moved}|confirmed|1`, '... at its new start, sequence 1');
	let now = await offeredNow(e);
	tap.ok(now.includes(hourly[30]), 'the old start is offered again');
	tap.ok(!now.includes(moved), '... the new one no longer');
	tap.is(sql(`SELECT count(*) FROM audit_logs WHERE resource_id = ${lit(g.id)} AND action = 'APPOINTMENT_RESCHEDULED'`), '1',
		'audited once');
	tap.is(sql(`SELECT string_agg(recipient, ',' ORDER BY recipient) FROM mail_outbox WHERE meeting_id = ${lit(g.id)}
		AND kind = 'rescheduled'`), 'expert,guest', 'a message for each side in the outbox');
	r = await request(`${APP_URL}${r.location}`, g.jar);
	tap.like(r.body, /role="status">The booking has its new time\./, 'the booking page says it moved');

	// Onto its own neighbourhood: a start overlapping where it is now.
	const quarter = quarterOf(moved);
	r = await move(g, quarter);
	tap.is(r.status, 303, 'a quarter later, overlapping its own old time: moved');
	tap.is(at(g.id), `${quarter}|confirmed|2`, '... there');

	// Refused: another guest's start, a start never offered; nothing moves.
	const other = await booked(e, hourly[40], 'Olavo');
	r = await move(g, hourly[40]);
	tap.is(r.status, 409, "onto another guest's start: 409");
	tap.like(r.body, /role="alert">That time has just been taken: your booking keeps its time\./, '... saying the booking keeps its time');
	tap.is(at(g.id), `${quarter}|confirmed|2`, '... and it does');
	tap.is(at(other.id), `${hourly[40]}|confirmed|0`, "... the other guest's too");
	const odd = new Date(Date.parse(hourly[45]) + 7 * 60000).toISOString().replace('.000', '');
	r = await move(g, odd);
	tap.is(r.status, 422, 'onto a start never offered (:07): 422');
	tap.is(at(g.id), `${quarter}|confirmed|2`, '... unchanged');
	r = await move(g, 'tomorrow');
	tap.is(r.status, 422, 'a start that is not a time: 422');
	r = await move(g, hourly[44], other.key);
	tap.is(r.status, 404, "another booking's key: 404");
	tap.is(at(g.id), `${quarter}|confirmed|2`, '... unchanged');

	// The expert does not move meetings; a cancelled one is not moved.
	const es = await signIn(APP_URL, e.email);
	r = await request(`${APP_URL}/bookings/${g.id}/reschedule`, es.jar);
	tap.is(`${r.status} ${r.location}`, `303 /meetings/${g.id}`, 'the expert is sent to his meeting page');
	sql(`UPDATE meetings SET status = 'cancelled', cancelled_at = now() WHERE id = ${lit(other.id)}`);
	r = await request(`${APP_URL}/bookings/${other.id}/reschedule?k=${other.key}`, other.jar);
	tap.is(r.status, 303, 'a cancelled booking: back to its page');
	r = await move(other, hourly[50]);
	tap.is(r.status, 303, '... and a move POSTed anyway goes back too');
	tap.is(at(other.id), `${hourly[40]}|cancelled|0`, '... not moved');

	// The cancellation notice: a meeting within it is not moved.
	sql(`INSERT INTO scheduling_settings (org_id, workos_user_id, cancellation_notice) VALUES (${lit(e.org)}, ${lit(e.id)}, 60)`);
	sql(`UPDATE meetings SET start_time = now() + interval '30 minutes', end_time = now() + interval '90 minutes' WHERE id = ${lit(g.id)}`);
	r = await move(g, hourly[60]);
	tap.is(r.status, 303, 'within the notice a move goes back to the booking');
	tap.like(sql(`SELECT sequence FROM meetings WHERE id = ${lit(g.id)}`), /^2$/, '... unmoved');
	sql(`DELETE FROM scheduling_settings WHERE workos_user_id = ${lit(e.id)}`);

	// A signed-in guest needs no key.
	const u = await newUser('Sofia', 'Sessão');
	const us = await signIn(APP_URL, u.email);
	const b = await book(APP_URL, e, 'consultation', { start: hourly[70], name: 'Sofia Sessão', email: u.email }, us.jar);
	tap.is(b.r.status, 200, 'a signed-in guest books');
	const sid = sql(`SELECT id FROM meetings WHERE guest_email = ${lit(u.email.toLowerCase())}`);
	r = await move({ id: sid, jar: us.jar }, hourly[71], '');
	tap.is(r.status, 303, '... and moves it without a key');
	tap.is(at(sid), `${hourly[71]}|confirmed|1`, '... there');

	// Twenty guests move at once onto one start: exactly one wins.
	const e2 = await publishedExpert({ first: 'Vinte', last: 'Vezes', tz: 'UTC' });
	const s2 = (await offeredNow(e2)).filter((s) => /:00:00Z$/.test(s));
	const guests = [];
	for (let i = 0; i < 20; i++) guests.push(await booked(e2, s2[10 + i], `Guest ${i}`));
	const target = s2[40];
	const pages = await Promise.all(guests.map((x) => request(`${APP_URL}/bookings/${x.id}/reschedule?k=${x.key}`, x.jar)));
	const res = await Promise.all(guests.map((x, i) => request(`${APP_URL}/bookings/${x.id}/reschedule`, x.jar, {
		form: { csrf: csrfOf(pages[i].body), k: x.key, start: target }, headers: { origin: APP_URL } })));
	const codes = res.map((x) => x.status);
	tap.is(codes.filter((c) => c === 303).length, 1, `20 moves at once onto one start: one wins (${codes.join(' ')})`);
	tap.is(codes.filter((c) => c === 409).length, 19, '... the 19 others are told it was taken');
	tap.is(sql(`SELECT count(*) FROM meetings WHERE workos_user_id = ${lit(e2.id)} AND start_time = ${lit(target)}
		AND status = 'confirmed'`), '1', '... one meeting at that start');
	const winner = guests[codes.indexOf(303)];
	let unchanged = 0;
	guests.forEach((x, i) => { if (x !== winner && at(x.id) === `${s2[10 + i]}|confirmed|0`) unchanged++; });
	tap.is(unchanged, 19, '... the others each still at their own start');
	now = await offeredNow(e2);
	tap.ok(now.includes(s2[10 + guests.indexOf(winner)]), "... and the winner's old start is offered again");
	tap.is(sql(`SELECT count(*) FROM meetings WHERE workos_user_id = ${lit(e2.id)} AND status = 'confirmed'`), '20',
		'twenty meetings still: none lost, none doubled');
});
