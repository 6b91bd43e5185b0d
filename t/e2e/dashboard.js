// dashboard: GET /dashboard for each role end to end — the expert's setup
// progress, publish call, this week's counts and upcoming meetings in his
// time zone (daylight saving included), a guest's bookings in the time zone
// of each booking, the admin's link; other tenants' meetings never shown;
// every page valid HTML (tidy) without script.
'use strict';

const { spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, startPool } = require('../lib/stack');
const { slowProxy } = require('../lib/slowproxy');
const { request, signIn, newUser, sql, lit } = require('../lib/signin');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A signed-in user; an expert's users row exists before his first sign-in,
// so that sign-in provisions a practice and an expert_setup row.
async function user(first, last, role = 'user') {
	const u = await newUser(first, last);
	if (role !== 'user') {
		sql(`INSERT INTO users (workos_user_id, email, first_name, last_name, role)
			VALUES (${lit(u.id)}, ${lit(u.email)}, ${lit(first)}, ${lit(last)}, ${lit(role)})`);
	}
	const { jar } = await signIn(APP_URL, u.email);
	const org = sql(`SELECT id FROM organizations WHERE slug = ${lit(`user-${u.id}`)}`);
	return { id: u.id, email: u.email, name: `${first} ${last}`, jar, org };
}

const event = (x, name, minutes = 45) => sql(`INSERT INTO events (org_id, workos_user_id, name, slug, duration_in_minutes)
	VALUES (${lit(x.org)}, ${lit(x.id)}, ${lit(name)}, ${lit(name.toLowerCase().replace(/[^a-z0-9]+/g, '-'))}, ${minutes})
	RETURNING id`);

// A meeting of expert x's organization; start is an SQL timestamptz
// expression; guest g (or null: a guest without an account).
function meeting(x, ev, g, guestName, start, minutes, tz, cancelled = false) {
	sql(`INSERT INTO meetings (org_id, event_id, workos_user_id, guest_workos_user_id, guest_org_id,
		guest_email, guest_name, start_time, end_time, timezone, status, cancelled_at)
		SELECT ${lit(x.org)}, ${lit(ev)}, ${lit(x.id)}, ${g ? lit(g.id) : 'NULL'}, ${g ? lit(g.org) : 'NULL'},
		${lit(g ? g.email : 'walk-in@example.test')}, ${lit(guestName)}, s, s + interval '${minutes} minutes',
		${lit(tz)}, ${cancelled ? "'cancelled', now()" : "'confirmed', NULL"}
		FROM (SELECT ${start} AS s) t`);
}
const utc = (ts) => `${lit(ts)}::timestamptz`;
const local = (ts, tz) => `(${lit(ts)}::timestamp AT TIME ZONE ${lit(tz)})`;

const setFlags = (x, flags) => sql(`UPDATE expert_setup SET profile_completed = ${flags[0]},
	availability_completed = ${flags[1]}, events_completed = ${flags[2]}, google_account_completed = ${flags[3]},
	identity_completed = ${flags[4]}, payment_completed = ${flags[5]},
	setup_complete = ${flags.every(Boolean)}, setup_completed_at = ${flags.every(Boolean) ? 'now()' : 'NULL'}
	WHERE workos_user_id = ${lit(x.id)}`);
const ALL = [true, true, true, true, true, true];

// The page's <main>, the part the handler renders (the navigation has links of its own).
const mainOf = (html) => {
	const m = /<main id="main">([\s\S]*)<\/main>/.exec(html);
	return m ? m[1] : '';
};
const section = (html, id) => {
	const m = new RegExp(`<section class="panel[^"]*" id="${id}">([\\s\\S]*?)</section>`).exec(html);
	return m ? m[1] : '';
};

// HTML Tidy's verdict: exit status 2 means errors.
function tidy(html) {
	const r = spawnSync('tidy', ['-e', '-q'], { input: html, encoding: 'utf8' });
	return { status: r.error ? -1 : r.status, out: `${r.stderr || ''}${r.error || ''}` };
}

// Date arithmetic on YYYY-MM-DD strings (calendar days, no time zone).
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const weekdayOf = (d) => WEEKDAY[new Date(`${d}T00:00:00Z`).getUTCDay()];

// Today's date, ISO weekday, and this week's Monday in time zone tz.
function week(tz, now = new Date()) {
	const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
		timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit',
	}).formatToParts(now).map((x) => [x.type, x.value]));
	const today = `${p.year}-${p.month}-${p.day}`;
	const iso = ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
	const monday = addDays(today, 1 - iso);
	return { monday, sunday: addDays(monday, 6), next: addDays(monday, 7) };
}

// Seconds until the next Monday 00:00 in tz (asked of PostgreSQL).
const untilWeekEnd = (tz) => Number(sql(`SELECT extract(epoch FROM
	((date_trunc('week', now() AT TIME ZONE ${lit(tz)}) + interval '7 days') AT TIME ZONE ${lit(tz)}) - now())`));

tap.run(async () => {
	const LIS = 'Europe/Lisbon';
	const TYO = 'Asia/Tokyo';
	const NY = 'America/New_York';
	const year = new Date().getUTCFullYear() + 1;
	const jul = `${year}-07-15`;
	const jan = `${year}-01-13`;

	// The week counts need a little room before the week ends in either zone.
	for (const tz of [LIS, TYO]) {
		const left = untilWeekEnd(tz);
		if (left < 300) {
			tap.diag(`the week ends in ${Math.round(left)} s in ${tz}: waiting for the next one`);
			await sleep((left + 5) * 1000);
		}
	}

	// Two experts, two guests.
	const lia = await user('Lia', 'Santos', 'expert_top');
	const kenji = await user('Kenji', 'Sato', 'expert_lecturer');
	const gina = await user('Gina', 'Ramos');
	const hugo = await user('Hugo', 'Neves');
	sql(`INSERT INTO schedules (org_id, workos_user_id, timezone) VALUES (${lit(lia.org)}, ${lit(lia.id)}, ${lit(LIS)}),
		(${lit(kenji.org)}, ${lit(kenji.id)}, ${lit(TYO)})`);
	setFlags(lia, ALL);
	setFlags(kenji, ALL);
	// A published profile has a handle (profiles_published_needs_handle).
	const handle = (x) => `'${x.name.split(' ')[0].toLowerCase()}-' || substr(md5(${lit(x.id)}), 1, 16)`;
	sql(`INSERT INTO profiles (org_id, workos_user_id, handle, first_name, last_name, published) VALUES
		(${lit(lia.org)}, ${lit(lia.id)}, ${handle(lia)}, 'Lia', 'Santos', false),
		(${lit(kenji.org)}, ${lit(kenji.id)}, ${handle(kenji)}, 'Kenji', 'Sato', true)`);
	const liaEv = event(lia, 'Postpartum check-in');
	const kenjiEv = event(kenji, 'Menopause consultation', 30);

	// Lia's meetings: summer and winter, seen from Lisbon (and by the guest from New York).
	meeting(lia, liaEv, gina, 'Gina Ramos', utc(`${jul} 14:00Z`), 45, NY);
	meeting(lia, liaEv, gina, 'Gina Ramos', utc(`${jan} 14:00Z`), 45, NY);
	meeting(lia, liaEv, gina, 'Gina Ramos', utc(`${year}-02-10 10:00Z`), 45, LIS, true);
	meeting(lia, liaEv, gina, 'Gina Ramos', "date_trunc('minute', now()) - interval '30 days'", 45, LIS);
	meeting(lia, liaEv, gina, 'Gina Ramos', utc(`${year}-03-01 12:00Z`), 45, 'Mars/Olympus');
	meeting(lia, liaEv, null, 'Walter Walk-in', utc(`${year}-05-04 09:00Z`), 45, LIS);
	// This week in Lisbon: Monday 00:00 (counted), a minute before the week
	// (not), Sunday 23:58 (counted, still to come), next Monday 00:00 (not),
	// a cancelled one (not).
	const lw = week(LIS);
	meeting(lia, liaEv, null, 'Week Start', local(`${lw.monday} 00:00`, LIS), 1, LIS);
	meeting(lia, liaEv, null, 'Last Week', local(`${addDays(lw.monday, -1)} 23:59`, LIS), 1, LIS);
	meeting(lia, liaEv, null, 'Week End', local(`${lw.sunday} 23:58`, LIS), 1, LIS);
	meeting(lia, liaEv, null, 'Next Week', local(`${lw.next} 00:00`, LIS), 1, LIS);
	meeting(lia, liaEv, null, 'Called Off', local(`${lw.sunday} 23:50`, LIS), 1, LIS, true);

	// Kenji's, in Tokyo, where the week starts on Sunday 15:00 UTC.
	const kw = week(TYO);
	meeting(kenji, kenjiEv, hugo, 'Hugo Neves', local(`${kw.monday} 00:00`, TYO), 1, TYO);
	meeting(kenji, kenjiEv, hugo, 'Hugo Neves', local(`${addDays(kw.monday, -1)} 23:59`, TYO), 1, TYO);
	meeting(kenji, kenjiEv, hugo, 'Hugo Neves', local(`${kw.sunday} 23:58`, TYO), 1, TYO);
	meeting(kenji, kenjiEv, hugo, 'Hugo Neves', local(`${kw.next} 00:00`, TYO), 15, TYO);
	// Lia books Kenji: a meeting of Kenji's practice that RLS lets Lia read.
	meeting(kenji, kenjiEv, lia, 'Lia As Guest', utc(`${year}-04-20 03:00Z`), 30, LIS);

	// ---- Expert: setup complete, profile not published: the publish call.
	let r = await request(`${APP_URL}/dashboard`, lia.jar);
	tap.is(r.status, 200, 'an expert has the dashboard');
	let main = mainOf(r.body);
	tap.like(main, /<h1>Welcome, Lia!<\/h1>/, '... greeting her by first name');
	tap.like(main, /Lia Santos[\s\S]*Lia&#39;s Practice[\s\S]*>Top Expert<[\s\S]*>Owner</, '... with her practice and roles');
	tap.like(section(main, 'publish-call'), /publish your profile[\s\S]*href="\/setup"/i,
		'setup complete, profile unpublished: a call to publish, linking to /setup');
	tap.unlike(main, /id="setup-progress"/, '... and no setup progress');
	const liaPage = r.body;

	// Her upcoming meetings, in Lisbon time.
	const up = section(main, 'upcoming-meetings');
	tap.like(up, /Times in Europe\/Lisbon/, 'upcoming meetings name the expert\'s time zone');
	tap.like(up, new RegExp(`<time datetime="${jul}T14:00Z">${weekdayOf(jul)} ${jul} 15:00–15:45</time></td><td><a href="/meetings/[0-9a-f-]{36}">Gina Ramos</a></td><td>Postpartum check-in</td>`),
		'... a July meeting at 14:00 UTC shows 15:00 (summer time), with guest and event');
	tap.like(up, new RegExp(`<time datetime="${jan}T14:00Z">${weekdayOf(jan)} ${jan} 14:00–14:45</time></td><td><a href="/meetings/[0-9a-f-]{36}">Gina Ramos</a></td>`),
		'... a January one at 14:00 UTC shows 14:00 (winter time)');
	tap.like(up, /Walter Walk-in/, '... a guest without an account is listed by name');
	tap.like(up, new RegExp(`${lw.next} 00:00–00:01</time></td><td><a href="/meetings/[0-9a-f-]{36}">Next Week<`), '... next Monday 00:00 Lisbon is upcoming');
	tap.unlike(up, /Last Week|Week Start/, '... past meetings are not');
	tap.unlike(up, new RegExp(`${year}-02-10`), '... nor cancelled ones');
	tap.unlike(up, /Called Off/, '... (this week\'s cancelled one neither)');
	const times = [...up.matchAll(/<time datetime="([^"]+)">/g)].map((m) => m[1]);
	tap.ok(times.length > 0 && times.every((t, i) => i === 0 || times[i - 1] <= t), '... soonest first');
	tap.unlike(main, /Hugo Neves|Menopause consultation|Lia As Guest/, 'another expert\'s meetings are absent (even one she is the guest of)');

	// This week's counts, Monday to Monday in Lisbon.
	const wk = section(main, 'this-week');
	tap.like(wk, /<strong>2<\/strong> Booked this week/, 'this week: 2 bookings (Monday 00:00 in, the minute before out, cancelled out)');
	tap.like(wk, /<strong>1<\/strong> Still to come this week/, '... 1 of them still to come');
	tap.like(wk, new RegExp(`Monday ${lw.monday} 00:00 to Sunday ${lw.sunday} 24:00, Europe/Lisbon time`),
		'... the week named, in her time zone');

	// The other expert, in Tokyo.
	r = await request(`${APP_URL}/dashboard`, kenji.jar);
	main = mainOf(r.body);
	tap.like(section(main, 'this-week'), /<strong>2<\/strong> Booked this week[\s\S]*<strong>1<\/strong> Still to come/,
		'an expert in Tokyo: the week starts at Monday 00:00 Tokyo time (2, 1 to come)');
	tap.like(section(main, 'this-week'), new RegExp(`Monday ${kw.monday} 00:00 to Sunday ${kw.sunday} 24:00, Asia/Tokyo`),
		'... named in Tokyo time');
	tap.like(section(main, 'upcoming-meetings'), new RegExp(`${kw.next} 00:00–00:15</time></td><td><a href="/meetings/[0-9a-f-]{36}">Hugo Neves</a></td><td>Menopause consultation<`),
		'... his meetings in Tokyo time');
	tap.like(section(main, 'upcoming-meetings'), new RegExp(`${year}-04-20 12:00–12:30</time></td><td><a href="/meetings/[0-9a-f-]{36}">Lia As Guest<`),
		'... including the one another expert booked');
	tap.unlike(main, /Gina Ramos|Walter Walk-in|Postpartum check-in/, '... and none of Lia\'s');
	tap.unlike(main, /id="publish-call"|id="setup-progress"/, 'setup complete and published: neither the publish call nor the progress');

	// Published: the call goes.
	sql(`UPDATE profiles SET published = true WHERE workos_user_id = ${lit(lia.id)}`);
	r = await request(`${APP_URL}/dashboard`, lia.jar);
	tap.unlike(mainOf(r.body), /id="publish-call"|id="setup-progress"/, 'once published, Lia sees neither');
	sql(`UPDATE profiles SET published = false WHERE workos_user_id = ${lit(lia.id)}`);
	sql(`DELETE FROM profiles WHERE workos_user_id = ${lit(lia.id)}`);
	r = await request(`${APP_URL}/dashboard`, lia.jar);
	tap.like(mainOf(r.body), /id="publish-call"/, 'setup complete without any profile: the publish call');
	sql(`INSERT INTO profiles (org_id, workos_user_id, handle, first_name, last_name, published)
		VALUES (${lit(lia.org)}, ${lit(lia.id)}, ${handle(lia)}, 'Lia', 'Santos', false)`);

	// ---- Expert with setup incomplete: "N of 6" and a link to /setup.
	const nuno = await user('Nuno', 'Reis', 'expert_community');
	sql(`DELETE FROM expert_setup WHERE workos_user_id = ${lit(nuno.id)}`);
	r = await request(`${APP_URL}/dashboard`, nuno.jar);
	tap.is(r.status, 200, 'an expert without an expert_setup row has the dashboard');
	main = mainOf(r.body);
	tap.like(section(main, 'setup-progress'), /0 of 6 steps done[\s\S]*<progress max="6" value="0">[\s\S]*href="\/setup"/,
		'... reading 0 of 6 steps, linking to /setup');
	sql(`INSERT INTO expert_setup (workos_user_id, org_id) VALUES (${lit(nuno.id)}, ${lit(nuno.org)})`);
	setFlags(nuno, [true, true, true, false, false, false]);
	r = await request(`${APP_URL}/dashboard`, nuno.jar);
	main = mainOf(r.body);
	tap.like(section(main, 'setup-progress'), /3 of 6 steps done[\s\S]*<progress max="6" value="3">[\s\S]*href="\/setup"/,
		'three steps done: 3 of 6, linking to /setup');
	tap.unlike(main, /id="publish-call"/, '... and no publish call while setup is incomplete');
	tap.like(section(main, 'upcoming-meetings'), /Times in UTC[\s\S]*No upcoming meetings/, 'no schedule: UTC, and no meetings');
	tap.like(section(main, 'this-week'), /<strong>0<\/strong> Booked this week/, '... none this week');
	sql(`INSERT INTO schedules (org_id, workos_user_id, timezone) VALUES (${lit(nuno.org)}, ${lit(nuno.id)}, 'Not/A_Zone')`);
	r = await request(`${APP_URL}/dashboard`, nuno.jar);
	tap.is(r.status, 200, 'a schedule with a time zone PostgreSQL does not know still renders');
	tap.like(section(mainOf(r.body), 'upcoming-meetings'), /Times in UTC/, '... in UTC');
	const nunoPage = r.body;

	// ---- Guests: their own bookings, in the time zone of each booking.
	r = await request(`${APP_URL}/dashboard`, gina.jar);
	tap.is(r.status, 200, 'a guest has the dashboard');
	main = mainOf(r.body);
	tap.like(main, /<h1>Welcome, Gina!<\/h1>[\s\S]*Gina&#39;s Account[\s\S]*>User</, '... greeting her, with her account and role');
	tap.unlike(main, /id="this-week"|id="upcoming-meetings"|id="setup-progress"/, '... and no expert sections');
	const gup = section(main, 'upcoming-bookings');
	tap.like(gup, new RegExp(`<time datetime="${jan}T14:00Z">${weekdayOf(jan)} ${jan} 09:00–09:45</time> <span class="hint">America/New_York</span></td><td>Lia Santos</td><td>Postpartum check-in</td>`),
		'upcoming: January at 14:00 UTC is 09:00 in New York, with the (unpublished) expert and the event');
	tap.like(gup, new RegExp(`${jul} 10:00–10:45</time> <span class="hint">America/New_York</span>`),
		'... July at 14:00 UTC is 10:00 (daylight saving)');
	tap.like(gup, new RegExp(`${year}-03-01 12:00–12:45</time> <span class="hint">UTC</span>`),
		'... a booking with an unknown time zone is shown in UTC');
	const order = [...gup.matchAll(/<time datetime="([^"]+)">/g)].map((m) => m[1]);
	tap.is(order.join(' '), [`${jan}T14:00Z`, `${year}-03-01T12:00Z`, `${jul}T14:00Z`].join(' '), '... soonest first, cancelled ones left out');
	const gpast = section(main, 'past-bookings');
	tap.like(gpast, new RegExp(`${year}-02-10 10:00–10:45</time> <span class="hint">Europe/Lisbon</span></td><td>Lia Santos</td><td>Postpartum check-in</td><td><span class="tag tag-warn">Cancelled</span>`),
		'past and cancelled: the cancelled booking, marked');
	const pastTimes = [...gpast.matchAll(/<time datetime="([^"]+)">/g)].map((m) => m[1]);
	tap.is(pastTimes.length, 2, '... and the past one');
	tap.ok(pastTimes[0] > pastTimes[1], '... latest first');
	tap.like(gpast, /<td>Confirmed<\/td>/, '... the past one confirmed');
	tap.unlike(main, /Kenji|Hugo|Menopause|Walter|Week Start/, 'nobody else\'s bookings');

	r = await request(`${APP_URL}/dashboard`, hugo.jar);
	main = mainOf(r.body);
	tap.like(section(main, 'upcoming-bookings'), new RegExp(`${kw.next} 00:00–00:15</time> <span class="hint">Asia/Tokyo</span></td><td>Kenji Sato</td><td>Menopause consultation</td>`),
		'the other guest: his booking with Kenji, in Tokyo time');
	tap.unlike(main, /Lia|Gina|Postpartum/, '... and nothing of Lia\'s or Gina\'s');

	// In the guest's language: weekday names from the catalog, dates numeric.
	sql(`UPDATE user_preferences SET language = 'pt' WHERE workos_user_id = ${lit(gina.id)}`);
	r = await request(`${APP_URL}/dashboard`, gina.jar);
	main = mainOf(r.body);
	const PT = { Mon: 'seg', Tue: 'ter', Wed: 'qua', Thu: 'qui', Fri: 'sex', Sat: 'sáb', Sun: 'dom' };
	tap.like(main, new RegExp(`<h1>Olá, Gina!</h1>[\\s\\S]*As suas próximas marcações[\\s\\S]*${PT[weekdayOf(jan)]} ${jan} 09:00–09:45`),
		'in Portuguese: headings and weekday names translated, dates numeric');
	tap.like(main, /<span class="tag tag-warn">Cancelada<\/span>/, '... and the cancelled mark');
	const ginaPtPage = r.body;

	// A guest with nothing booked.
	r = await request(`${APP_URL}/dashboard`, (await user('Ivo', 'Lima')).jar);
	main = mainOf(r.body);
	tap.like(main, /You have no upcoming bookings\.[\s\S]*No past or cancelled bookings\./, 'a guest without bookings is told so');

	// ---- Admin: the link to the setup statistics (in the page, not only the menu).
	const admin = await signIn(APP_URL, 'admin@eleva.test');
	r = await request(`${APP_URL}/dashboard`, admin.jar);
	main = mainOf(r.body);
	tap.like(section(main, 'admin'), /href="\/admin\/setup-stats"/, 'the admin sees a link to /admin/setup-stats');
	tap.like(r.body, /Administrator/, '... and her role');
	const adminPage = r.body;
	for (const [who, page] of [['an expert', liaPage], ['a guest', ginaPtPage]]) {
		tap.unlike(mainOf(page), /\/admin\/setup-stats/, `${who} has no link to the setup statistics`);
	}

	// ---- The user menu on every role's page; valid HTML; no script.
	const pages = [['expert', liaPage], ['expert with setup incomplete', nunoPage], ['guest', ginaPtPage], ['admin', adminPage]];
	for (const [who, page] of pages) {
		tap.like(page, /<details class="user-menu">[\s\S]*action="\/auth\/sign-out"[\s\S]*<\/details>/, `${who}: the user menu with sign out`);
		tap.like(page, /<details class="user-menu">[\s\S]*href="\/settings\/security"/, `${who}: ... and the security settings`);
		const t = tidy(page);
		tap.ok(t.status === 0 || t.status === 1, `${who}: tidy -e finds no errors`);
		if (t.status !== 0) tap.diag(t.out);
		tap.unlike(page, /<script/i, `${who}: no script`);
	}
	tap.like(liaPage, /<details class="user-menu">[\s\S]*href="\/setup"[\s\S]*<\/details>/, 'an expert\'s menu has the setup wizard');
	tap.unlike(ginaPtPage.replace(/<main[\s\S]*<\/main>/, ''), /href="\/setup"/, '... a guest\'s does not');
	tap.like(liaPage, new RegExp(`<span class="nav-email">${esc(lia.email)}</span>`), '... and shows the e-mail');

	// ---- One round trip to the database a dashboard: BEGIN, the
	// settings, the user's row, the page's statements and COMMIT in one
	// pipeline (counted by a proxy between a pool of its own and the
	// database).
	const db = new URL(process.env.DATABASE_URL);
	const proxy = await slowProxy(Number(db.port), db.hostname);
	db.port = String(proxy.port);
	const pool = await startPool({ databaseUrl: db.toString(), args: ['--workers', '1'] });
	try {
		for (const [who, email] of [['the demo expert', 'expert@eleva.test'], ['the demo guest', 'guest@eleva.test']]) {
			const { jar } = await signIn(pool.url, email);
			// The first request learns what kind of user it is (the
			// cookie keeps it) and prepares the statements.
			for (let i = 0; i < 2; i++) await request(`${pool.url}/dashboard`, jar);
			const before = proxy.turns;
			let ok = 0;
			for (let i = 0; i < 5; i++) ok += (await request(`${pool.url}/dashboard`, jar)).status === 200;
			tap.is(`${ok} ${proxy.turns - before}`, '5 5', `${who}: 5 dashboards, 5 round trips to the database`);
		}
	} finally {
		await pool.stop();
		await proxy.close();
	}
});
