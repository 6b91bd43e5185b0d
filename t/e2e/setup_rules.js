// setup_rules: /setup/rules (issue 17, scheduling rules page): an expert's
// buffers, notice, window and start interval and his blocked days, saved
// through field tables and the database's checks, change what his booking
// page offers; bad values are refused with messages and write nothing;
// nobody else's blocked day can be opened; only experts may use it.
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { Jar, request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf } = require('../lib/booking');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');
const URL_ = `${APP_URL}/setup/rules`;

async function post(jar, form) {
	const page = await request(URL_, jar);
	return request(URL_, jar, { form: { csrf: csrfOf(page.body), ...form } });
}

const rules = (uid) => sql(`SELECT concat_ws(' ', before_event_buffer, after_event_buffer, minimum_notice,
	time_slot_interval, booking_window_days, cancellation_notice) FROM scheduling_settings WHERE workos_user_id = ${lit(uid)}`);
const audits = (uid) => sql(`SELECT count(*) FROM audit_logs WHERE workos_user_id = ${lit(uid)} AND action = 'SCHEDULE_UPDATED'`);

tap.run(async () => {
	const e = await publishedExpert({ first: 'Rita', last: 'Regras', tz: 'Europe/Lisbon' });
	const s = await signIn(APP_URL, e.email);
	const jar = s.jar;
	const booking = `${APP_URL}/${e.handle}/consultation`;

	let r = await request(URL_, jar);
	tap.is(r.status, 200, 'GET /setup/rules as the expert: 200');
	tap.like(r.body, /id="interval"[^>]*value="15"/, '... nothing saved: the defaults (starts every 15 minutes)');
	tap.like(r.body, /id="window"[^>]*value="60"/, '... and 60 days ahead');
	const starts0 = startsOf((await request(booking, new Jar())).body);
	tap.ok(starts0.some((t) => /:15:00Z$/.test(t)), 'the booking page offers starts at :15');

	// Refused: each value outside the database's bounds, nothing written.
	const before = audits(e.id);
	r = await post(jar, { action: 'rules', before: '-5', after: '2000', notice: 'soon', interval: '2', window: '731', cancel_notice: '43201' });
	tap.is(r.status, 422, 'out-of-range values: 422');
	for (const f of ['before', 'after', 'notice', 'interval', 'window', 'cancel_notice']) {
		tap.like(r.body, new RegExp(`id="${f}-error"`), `... ${f} has its message`);
	}
	tap.like(r.body, /value="soon"/, '... the form keeps what was typed');
	tap.is(rules(e.id), '', '... nothing saved');
	tap.is(audits(e.id), before, '... nothing audited');

	// Saved: every start on the hour or half hour, two days' notice, a week ahead.
	r = await post(jar, { action: 'rules', before: '10', after: '15', notice: '2880', interval: '30', window: '7', cancel_notice: '1440' });
	tap.is(`${r.status} ${r.location}`, '303 /setup/rules?saved=rules', 'valid rules: saved (303)');
	tap.is(rules(e.id), '10 15 2880 30 7 1440', '... as typed (a day of cancellation notice too)');
	tap.is(audits(e.id), String(Number(before) + 1), '... audited once (SCHEDULE_UPDATED)');
	r = await request(`${APP_URL}${r.location}`, jar);
	tap.like(r.body, /role="status">Your changes have been saved/, '... the page says so');
	tap.like(r.body, /id="notice"[^>]*value="2880"/, '... and shows them');
	tap.like(r.body, /id="cancel_notice"[^>]*value="1440"/, '... the cancellation notice too');
	const starts = startsOf((await request(booking, new Jar())).body);
	const now = Date.now();
	tap.ok(starts.length > 0 && starts.every((t) => /:(00|30):00Z$/.test(t)), `the booking page: every start on :00 or :30 (${starts.length} starts)`);
	tap.ok(starts.every((t) => Date.parse(t) >= now + 2 * 86400e3 - 60e3), '... none within two days');
	tap.ok(starts.every((t) => Date.parse(t) <= now + 8 * 86400e3), '... none beyond the week');

	// A blocked day has no starts; opening it again brings them back.
	const day = new Date(Date.parse(starts[0]) + 86400e3).toISOString().slice(0, 10);
	const onDay = (list) => list.filter((t) => new Date(t).toLocaleDateString('sv-SE', { timeZone: e.tz }) === day);
	const weekStarts = async () => {
		const page = await request(`${booking}?from=${day}`, new Jar());
		return startsOf(page.body);
	};
	tap.ok(onDay(await weekStarts()).length > 0, `${day} offers starts`);
	r = await post(jar, { action: 'block', date: day, reason: 'Congresso <em>anual</em>' });
	tap.is(r.status, 303, `blocking ${day}: 303`);
	tap.is(onDay(await weekStarts()).length, 0, '... the booking page offers nothing that day');
	r = await request(URL_, jar);
	tap.like(r.body, new RegExp(`<time datetime="${day}">${day}</time> · Congresso &lt;em&gt;anual&lt;/em&gt;`), '... listed with its note, escaped');
	r = await post(jar, { action: 'block', date: '2026-02-30' });
	tap.is(r.status, 422, 'a day that does not exist: 422');
	tap.like(r.body, /id="date-error"/, '... with its message');
	const id = sql(`SELECT id FROM blocked_dates WHERE workos_user_id = ${lit(e.id)} AND date = ${lit(day)}`);

	// Someone else's: another expert cannot open it, nor can a guest use the page.
	const other = await publishedExpert({ first: 'Olga', last: 'Outra' });
	const os = await signIn(APP_URL, other.email);
	r = await post(os.jar, { action: 'unblock', id });
	tap.is(r.status, 404, "another expert opening this expert's day: 404");
	tap.is(sql(`SELECT count(*) FROM blocked_dates WHERE id = ${id}`), '1', '... the day stays blocked');
	const g = await newUser('Gil', 'Guest');
	const gs = await signIn(APP_URL, g.email);
	r = await request(URL_, gs.jar);
	tap.is(r.status, 403, 'a guest: 403');
	r = await request(URL_, jar, { form: { action: 'unblock', id } });
	tap.is(r.status, 403, 'a POST without the CSRF token: 403');

	r = await post(jar, { action: 'unblock', id });
	tap.is(`${r.status} ${r.location}`, '303 /setup/rules?saved=unblocked', 'the expert opens it again: 303');
	tap.ok(onDay(await weekStarts()).length > 0, '... and the booking page offers that day again');
	r = await post(jar, { action: 'dance' });
	tap.is(r.status, 400, 'an unknown action: 400');
});
