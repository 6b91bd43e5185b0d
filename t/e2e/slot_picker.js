// slot_picker: the booking page's time picker (domain/slots.c,
// templates/slot_picker.html) across daylight-saving changes (issue 17).
// An expert in Lisbon offers Sunday nights: on the next Sunday the clocks
// go back, 01:00-02:00 happens twice, and every time of that day is
// labelled with its UTC offset, the two 01:30s telling themselves apart;
// the days around it, the Sunday the clocks go forward (an hour skipped)
// and the same instants seen from Tokyo carry no offset.  A refused form
// keeps the second 01:30 checked and names it in the summary.
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request } = require('../lib/signin');
const { publishedExpert, slotsOf, guestEmail, book } = require('../lib/booking');
const { tidyErrors } = require('../lib/tidy');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const LIS = 'Europe/Lisbon';
const TYO = 'Asia/Tokyo';
const MIN = 60e3;
const DAY = 86400e3;

// The last Sunday of month (0-based) in year, as YYYY-MM-DD.
const lastSunday = (year, month) => {
	const d = new Date(Date.UTC(year, month + 1, 0));
	d.setUTCDate(d.getUTCDate() - d.getUTCDay());
	return d.toISOString().slice(0, 10);
};
// The next such Sunday at least two days away (the EU changes clocks then).
const nextSunday = (month) => {
	const y = new Date().getUTCFullYear();
	const d = lastSunday(y, month);
	return Date.parse(d) > Date.now() + 2 * DAY ? d : lastSunday(y + 1, month);
};
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hm = (t, tz) => new Intl.DateTimeFormat('en-GB', {
	timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).format(new Date(t));
const offsetIn = (t, tz) => {
	const z = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(new Date(t))
		.find((p) => p.type === 'timeZoneName').value.replace('GMT', '');
	return z === '' ? '+00:00' : z;
};

tap.run(async () => {
	const back = nextSunday(9);	// October: 02:00 WEST -> 01:00 WET
	const forward = nextSunday(2);	// March: 01:00 WET -> 02:00 WEST
	const window = Math.min(730, Math.ceil((Math.max(Date.parse(back), Date.parse(forward)) - Date.now()) / DAY) + 9);
	const e = await publishedExpert({
		first: 'Dora', last: 'Horas', tz: LIS,
		ranges: [['saturday', '09:00', '10:00'], ['sunday', '00:00', '03:00']],
		settings: { window },
		events: [{ slug: 'consultation', name: 'Night call', minutes: 30 }],
	});
	const page = `${APP_URL}/${e.handle}/consultation`;

	// The week of the Sunday the clocks go back.
	let r = await request(`${page}?from=${addDays(back, -1)}`, null);
	tap.is(r.status, 200, `the week of ${back} (clocks go back in Lisbon): 200`);
	tap.is(tidyErrors(r.body, 'dst week').join('\n'), '', '... tidy finds no errors');
	let slots = slotsOf(r.body);
	const sat = slots.filter((o) => o.day === `Saturday ${addDays(back, -1)}`);
	const sun = slots.filter((o) => o.day === `Sunday ${back}`);
	tap.ok(sat.length > 0 && sat.every((o) => o.offset === undefined && o.label === o.time),
		`Saturday: ${sat.length} times without an offset (${sat.map((o) => o.label).join(', ')})`);
	// Sunday 00:00 WEST is Saturday 23:00 UTC; the last 30-minute start
	// ends at 03:00 WET, 03:00 UTC: fifteen starts, a quarter apart.
	const want = Array.from({ length: 15 }, (_, i) => iso(Date.parse(`${addDays(back, -1)}T23:00:00Z`) + i * 15 * MIN));
	tap.is(sun.map((o) => o.value).join(), want.join(), `Sunday: the ${want.length} starts from 23:00 to 02:30 UTC`);
	tap.ok(sun.every((o) => o.offset !== undefined), '... every time of the day labelled with its UTC offset');
	const bad = sun.filter((o) => o.time !== hm(o.value, LIS) || o.offset !== offsetIn(o.value, LIS));
	tap.is(bad.map((o) => `${o.value} ${o.label}`).join(', '), '', '... the Lisbon time and the offset of each, as Intl finds them');
	tap.is(sun.map((o) => o.label).join(', '), ['00:00', '00:15', '00:30', '00:45', '01:00', '01:15', '01:30', '01:45']
		.map((t) => `${t} (UTC+01:00)`).concat(['01:00', '01:15', '01:30', '01:45', '02:00', '02:15', '02:30']
			.map((t) => `${t} (UTC+00:00)`)).join(', '), '... 00:00 to 01:45 at UTC+01:00, then 01:00 to 02:30 at UTC+00:00');
	const first130 = sun.find((o) => o.label === '01:30 (UTC+01:00)') || {};
	const second130 = sun.find((o) => o.label === '01:30 (UTC+00:00)') || {};
	tap.is(`${first130.value} ${second130.value}`, `${back}T00:30:00Z ${back}T01:30:00Z`,
		'"01:30 (UTC+01:00)" is 00:30 UTC, "01:30 (UTC+00:00)" an hour later');
	tap.is(new Set(sun.map((o) => o.label)).size, sun.length, '... so no two buttons of the day read the same');
	tap.like(r.body, new RegExp(`<label class="slot"><input class="visually-hidden" type="radio" name="start" value="${back}T01:30:00Z" required><span>01:30 <small>\\(UTC\\+00:00\\)</small></span></label>`),
		'... written as the time, then the offset in small type, on the button');

	// The same instants from Tokyo (no clock change there): no offsets.
	r = await request(`${page}?tz=${encodeURIComponent(TYO)}&from=${addDays(back, -1)}`, null);
	slots = slotsOf(r.body).filter((o) => want.includes(o.value));
	tap.ok(slots.length === want.length && slots.every((o) => o.offset === undefined && o.time === hm(o.value, TYO)),
		`the same ${slots.length} starts shown in Tokyo time: no offset`);

	// The Sunday the clocks go forward: 01:00-02:00 does not exist, nothing
	// needs telling apart.
	r = await request(`${page}?from=${addDays(forward, -1)}`, null);
	slots = slotsOf(r.body).filter((o) => o.day === `Sunday ${forward}`);
	tap.is(slots.map((o) => o.label).join(', '), '00:00, 00:15, 00:30, 00:45, 02:00, 02:15, 02:30',
		`${forward} (clocks go forward): the hour skipped, no offset shown`);

	// A refused form: the second 01:30 stays checked, the summary names it.
	const b = await book(APP_URL, e, 'consultation', { name: '   ', email: guestEmail('dst'), start: second130.value });
	tap.is(b.r.status, 422, 'booking the second 01:30 with a name of spaces: 422');
	const again = slotsOf(b.r.body);
	tap.is(again.filter((o) => o.checked).map((o) => o.label).join(), '01:30 (UTC+00:00)',
		'... the page again at that week, "01:30 (UTC+00:00)" the one time checked');
	tap.like(b.r.body, new RegExp(`<dd id="summary-time"[^>]*>Sunday ${back}, 01:30 \\(UTC\\+00:00\\)</dd>`),
		'... and named so in the summary');

	// Other zones: a quarter-hour offset, a half-hour one that moves by
	// half an hour, clocks changed at midnight, no change at all.  Each
	// is shown the week of its next clock change (or next week): the page
	// reads most local times off the day's midnight, the database converts
	// those of a day that is not 24 hours long; both must agree with Intl,
	// and only a day longer than 24 hours shows offsets.
	const localDate = (t, tz) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(t));
	const offMs = (t, tz) => {
		const o = offsetIn(t, tz);
		return (o[0] === '-' ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(4, 6))) * MIN;
	};
	const midnight = (d, tz) => {	// the instant local date d begins
		const u = Date.parse(`${d}T00:00:00Z`);
		let t = u - offMs(u, tz);
		t = u - offMs(t, tz);
		return localDate(t, tz) === d ? t : t + offMs(u, tz) - offMs(t, tz);
	};
	const dayLength = (d, tz) => midnight(addDays(d, 1), tz) - midnight(d, tz);
	for (const tz of ['Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago', 'America/St_Johns', 'Pacific/Chatham']) {
		let from = addDays(localDate(Date.now(), tz), 7);
		for (let t = Date.now() + 2 * DAY; t < Date.now() + (window - 8) * DAY; t += DAY) {
			if (offMs(t, tz) !== offMs(t + DAY, tz)) {
				from = addDays(localDate(t, tz), -2);
				break;
			}
		}
		r = await request(`${page}?tz=${encodeURIComponent(tz)}&from=${from}`, null);
		slots = slotsOf(r.body);
		const odd = [...new Set(slots.map((o) => o.day.split(' ')[1]))].filter((d) => dayLength(d, tz) !== DAY);
		const wrong = slots.filter((o) => o.time !== hm(o.value, tz) || o.day.split(' ')[1] !== localDate(o.value, tz) ||
			(dayLength(localDate(o.value, tz), tz) > DAY ? o.offset !== offsetIn(o.value, tz) : o.offset !== undefined));
		tap.ok(r.status === 200 && slots.length > 0 && wrong.length === 0,
			`${tz}, the week from ${from}: ${slots.length} starts, each on its local date at its local time` +
			`${odd.length ? `, days not of 24 hours: ${odd.join(', ')}` : ''}` +
			`${wrong.length ? `; wrong: ${wrong.slice(0, 4).map((o) => `${o.value} ${o.day} ${o.label}`).join('; ')}` : ''}`);
	}
});
