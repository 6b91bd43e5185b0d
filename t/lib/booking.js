// booking: fixtures for the public booking pages — a published expert of
// one's own (WorkOS user, local rows, schedule, events, settings) so each
// test books times nobody else touches, and the form as a guest posts it.
'use strict';

const crypto = require('node:crypto');
const { Jar, request, csrfOf, newUser, sql, lit } = require('./signin');

// A unique, valid handle.
const uniqueHandle = (first) => `${first.toLowerCase()}-${crypto.randomBytes(6).toString('hex')}`;

// A published expert whose setup is complete, made directly in the
// database (the wizard has its own tests).  opts: first, last, tz,
// ranges ([[day, 'HH:MM', 'HH:MM'], ...]; default every day 00:00-24:00),
// events ([{slug, name, minutes, price, active}]), settings ({before,
// after, notice, interval, window}), published (default true).
// Returns {id, email, org, handle, tz, events: {slug: id}}.
async function publishedExpert(opts = {}) {
	const first = opts.first || 'Marta';
	const last = opts.last || 'Lima';
	const tz = opts.tz || 'Europe/Lisbon';
	const u = await newUser(first, last);
	const handle = opts.handle || uniqueHandle(first);
	const org = sql(`SELECT app.provision_user(${lit(u.id)}, ${lit(u.email)}, ${lit(first)}, ${lit(last)},
		'expert_top', ${lit(`org_${crypto.randomBytes(8).toString('hex').toUpperCase()}`)})`);
	const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
	const ranges = opts.ranges || days.map((d) => [d, '00:00', '24:00']);
	sql(`INSERT INTO schedules (org_id, workos_user_id, timezone) VALUES (${lit(org)}, ${lit(u.id)}, ${lit(tz)})`);
	if (ranges.length) {
		sql(`INSERT INTO schedule_availabilities (org_id, schedule_id, day_of_week, start_time, end_time)
			SELECT ${lit(org)}, s.id, r.d::day, r.f::time, r.t::time FROM schedules s,
			(VALUES ${ranges.map(([d, f, t]) => `(${lit(d)}, ${lit(f)}, ${lit(t)})`).join(', ')}) r (d, f, t)
			WHERE s.workos_user_id = ${lit(u.id)}`);
	}
	const s = opts.settings;
	if (s) {
		sql(`INSERT INTO scheduling_settings (org_id, workos_user_id, before_event_buffer, after_event_buffer,
			minimum_notice, time_slot_interval, booking_window_days) VALUES (${lit(org)}, ${lit(u.id)},
			${s.before || 0}, ${s.after || 0}, ${s.notice || 0}, ${s.interval || 15}, ${s.window || 60})`);
	}
	const events = {};
	for (const e of opts.events || [{ slug: 'consultation', name: 'Consultation', minutes: 60, price: 5000 }]) {
		events[e.slug] = sql(`INSERT INTO events (org_id, workos_user_id, name, slug, duration_in_minutes, price,
			is_active) VALUES (${lit(org)}, ${lit(u.id)}, ${lit(e.name || e.slug)}, ${lit(e.slug)},
			${e.minutes || 60}, ${e.price === undefined ? 5000 : e.price}, ${e.active === false ? 'false' : 'true'})
			RETURNING id`);
	}
	sql(`UPDATE expert_setup SET profile_completed = true, availability_completed = true, events_completed = true,
		google_account_completed = true, identity_completed = true, payment_completed = true
		WHERE workos_user_id = ${lit(u.id)}`);
	sql(`INSERT INTO profiles (org_id, workos_user_id, handle, first_name, last_name, headline, published,
		practitioner_agreement_accepted_at, practitioner_agreement_version)
		VALUES (${lit(org)}, ${lit(u.id)}, ${lit(handle)}, ${lit(first)}, ${lit(last)}, 'Women''s health',
		${opts.published === false ? 'false' : 'true'}, now(), 'test')`);
	return { id: u.id, email: u.email, org, handle, tz, events };
}

// The bookable starts (UTC, as the picker's radio values) a page offers.
const startsOf = (html) => [...html.matchAll(/<input [^>]*type="radio" name="start" value="(\d{4}-\d\d-\d\dT\d\d:\d\d:00Z)"/g)]
	.map((m) => m[1]);

// The time picker as a page shows it (templates/slot_picker.html): one
// entry per start, in order: {day: 'Monday 2026-12-07' (its fieldset's
// legend), value (UTC), time ('09:00'), offset ('+01:00', only on a day
// whose clocks go back), label (the button's text), checked}.
function slotsOf(html) {
	const out = [];
	const days = /<fieldset class="slot-day">\n<legend><span class="slot-weekday">([^<]*)<\/span> <span class="slot-date">([^<]*)<\/span><\/legend>([\s\S]*?)<\/fieldset>/g;
	const slot = /<label class="slot"><input class="visually-hidden" type="radio" name="start" value="([^"]+)" required( checked)?><span>([^<]*?)(?: <small>\(UTC([^)]*)\)<\/small>)?<\/span><\/label>/g;
	for (const d of html.matchAll(days)) {
		for (const m of d[3].matchAll(slot)) {
			out.push({ day: `${d[1]} ${d[2]}`, value: m[1], time: m[3], offset: m[4],
				label: m[4] === undefined ? m[3] : `${m[3]} (UTC${m[4]})`, checked: m[2] !== undefined });
		}
	}
	return out;
}

// A unique guest address.
const guestEmail = (name = 'guest') => `${name}.${Date.now()}.${crypto.randomBytes(4).toString('hex')}@example.test`;

// GET the booking page with a fresh (or the given) jar, then POST the form
// with fields (name, email, timezone, start, notes; csrf from the page
// unless given).  Returns {page, r, jar}.
async function book(appUrl, expert, slug, fields, jar = new Jar()) {
	const url = `${appUrl}/${expert.handle}/${slug}`;
	const page = await request(url, jar);
	const form = { csrf: csrfOf(page.body), timezone: expert.tz, notes: '', ...fields };
	for (const k of Object.keys(form)) if (form[k] === undefined) delete form[k];
	const r = await request(url, jar, { form, headers: { origin: appUrl } });
	return { page, r, jar };
}

// The link of a confirmation page to change or cancel the booking (with
// its manage key), '&' unescaped; undefined when there is none.
function manageLinkOf(html) {
	const m = /<p id="manage-link"><a href="([^"]+)"/.exec(html);
	return m ? m[1].replace(/&amp;/g, '&') : undefined;
}

module.exports = { publishedExpert, startsOf, slotsOf, guestEmail, book, uniqueHandle, manageLinkOf };
