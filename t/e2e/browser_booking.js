// browser_booking: headless Chromium with JavaScript off, as a guest would
// book: the expert's public profile, one of her events, the times shown in
// another time zone through the GET form, a refused form (a name of spaces,
// which `required` lets through) with the message next to the field, the
// booking, the confirmation in the chosen zone, the sign-in code the
// confirmation links to (read from a stand-in in front of WorkOS, so this
// file runs a private pool behind t/lib/workosproxy.js), and the guest's
// dashboard listing the booking; then the expert signs in and sees the
// guest on hers; and the booking page once more, dark and in Brazilian
// Portuguese.  Screenshots land in $ELEVA_ARTIFACTS (booking-*.png).
'use strict';

const tap = require('../lib/tap');
const { env, startPool } = require('../lib/stack');
const { sql, lit } = require('../lib/signin');
const { publishedExpert, guestEmail } = require('../lib/booking');
const workosproxy = require('../lib/workosproxy');
const browser = require('../lib/browser');

const { WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const TOKYO = 'Asia/Tokyo';

// An instant (ms or ISO) in zone tz: {date: 'YYYY-MM-DD', time: 'HH:MM',
// weekday: 'Tuesday', short: 'Tue', day: 'Tuesday YYYY-MM-DD'}.
function local(instant, tz) {
	const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
		timeZone: tz, weekday: 'long', year: 'numeric', month: '2-digit', day: '2-digit',
		hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
	}).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
	const date = `${parts.year}-${parts.month}-${parts.day}`;
	return { date, time: `${parts.hour}:${parts.minute}`, weekday: parts.weekday, short: parts.weekday.slice(0, 3),
		day: `${parts.weekday} ${date}` };
}

const text = async (page, sel) => (await page.textContent(sel)).replace(/\s+/g, ' ').trim();
const submit = (page, sel) => Promise.all([page.waitForNavigation(), page.click(sel)]).then(([res]) => res);
// The terms and descriptions of a <dl>, in order.
const facts = (page, sel) => page.$$eval(`${sel} > *`, (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
// The rows of a table, cells joined by ' | '.
const rows = (page, sel) => page.$$eval(`${sel} tbody tr`, (trs) => trs.map((tr) =>
	[...tr.cells].map((td) => td.textContent.replace(/\s+/g, ' ').trim()).join(' | ')));
const BOOK = '#times form[method="post"] button[type="submit"]';

// Every start the page offers: [{value, label, day, checked}] (label: the
// button's text; day: the legend of the day's fieldset).
const offered = (page) => page.$$eval('#times fieldset.slot-day', (days) => days.flatMap((d) => {
	const day = d.querySelector('legend').textContent.replace(/\s+/g, ' ').trim();
	return [...d.querySelectorAll('label.slot')].map((l) => ({
		value: l.querySelector('input[type="radio"][name="start"]').value,
		label: l.textContent.replace(/\s+/g, ' ').trim(), day, checked: l.querySelector('input').checked,
	}));
}));
// Choose a start as a person does: click its button (the radio's label).
const choose = (page, value) => page.click(`#times label.slot:has(input[value="${value}"])`);
const chosen = (page) => page.$eval('input[name="start"]:checked', (i) => i.value).catch(() => null);

browser.run(async () => {
	const expert = await publishedExpert({
		first: 'Helena', last: 'Duarte', tz: 'Europe/Lisbon',
		events: [
			{ slug: 'first-visit', name: 'First pelvic-health visit', minutes: 45, price: 6000 },
			{ slug: 'follow-up', name: 'Follow-up call', minutes: 30, price: 0 },
			{ slug: 'retired', name: 'Retired session', minutes: 30, active: false },
		],
	});
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '2'], env: { WORKOS_API_BASE: proxy.url } });
	const APP = pool.url;
	try {
		// ---- The profile.
		const page = await browser.newPage({ javaScript: false });
		let res = await page.goto(`${APP}/${expert.handle}`);
		tap.is(res.status(), 200, 'the guest opens the expert\'s profile');
		tap.ok(!(await page.evaluate(() => !!document.scripts.length)), '... a page without script');
		tap.is(await text(page, 'h1'), 'Helena Duarte', '... with her name as the heading');
		const cards = await page.$$eval('#events .card h3 a', (as) => as.map((a) => a.textContent.trim()));
		tap.is(cards.sort().join(' | '), 'First pelvic-health visit | Follow-up call', '... listing her two active events, not the inactive one');
		tap.like(await text(page, '#events'), /45 minutes · €60\.00[\s\S]*30 minutes · Free/, '... with durations and prices');
		await browser.screenshot(page, 'booking-profile');
		tap.is(browser.cspViolations(page).join('\n'), '', 'profile: nothing blocked by the CSP');

		// ---- The event, in the expert's zone, then in Tokyo's.
		res = await submit(page, '#events .card h3 a[href$="/first-visit"]');
		tap.is(new URL(page.url()).pathname, `/${expert.handle}/first-visit`, 'following the event opens its booking page');
		tap.is(res.status(), 200, '... 200');
		tap.is(await text(page, 'h1'), 'First pelvic-health visit', '... headed with the event');
		tap.is((await facts(page, 'main > section:first-child dl.facts')).join(' | '), 'Duration | 45 minutes | Price | €60.00', '... its duration and price');
		tap.is((await facts(page, '.booking-summary dl.facts')).join(' | '),
			'Expert | Helena Duarte | Session | First pelvic-health visit | Duration | 45 minutes | Price | €60.00 | Time zone | Europe/Lisbon | When | No time chosen yet',
			'... and a summary beside the form: expert, session, duration, price, zone, time');
		tap.is(await page.inputValue('#tz'), 'Europe/Lisbon', '... times shown in the expert\'s zone at first');
		tap.like(await text(page, '#times .hint'), /in Europe\/Lisbon\.$/, '... and the page says so');
		let starts = await offered(page);
		tap.ok(starts.length > 0, `... ${starts.length} starts offered`);
		tap.ok(starts.every((s) => s.label === local(s.value, 'Europe/Lisbon').time &&
			s.day === local(s.value, 'Europe/Lisbon').day), '... every one labelled with its Lisbon day and time');
		await browser.screenshot(page, 'booking-page');

		await page.selectOption('#tz', TOKYO);
		res = await submit(page, '#times form[method="get"] button[type="submit"]');
		const u = new URL(page.url());
		tap.is(u.pathname, `/${expert.handle}/first-visit`, 'the Show button reloads the same page');
		tap.is(u.searchParams.get('tz'), TOKYO, '... asking for Tokyo in the query (a GET form)');
		tap.is(res.status(), 200, '... 200');
		tap.is(await page.inputValue('#tz'), TOKYO, '... Tokyo is now selected');
		tap.like(await text(page, '#times .hint'), /in Asia\/Tokyo\.$/, '... and named above the times');
		tap.is(await page.inputValue('input[type="hidden"][name="timezone"]'), TOKYO, '... and posted with the booking');
		starts = await offered(page);
		tap.ok(starts.length > 0 && starts.every((s) => s.label === local(s.value, TOKYO).time &&
			s.day === local(s.value, TOKYO).day), `... all ${starts.length} starts under their Tokyo day, at their Tokyo time`);
		// A start whose Tokyo date is not its Lisbon date (08:00 in Tokyo is
		// 23:00 the day before in Lisbon), on the third day shown.
		const days = [...new Set(starts.map((s) => s.day))];
		const pick = starts.find((s) => s.day === days[2] && s.label === '08:00');
		if (!tap.ok(pick, `... 08:00 is offered on ${days[2]}`)) return;
		tap.ok(local(pick.value, TOKYO).date !== local(pick.value, 'Europe/Lisbon').date, '... a day that differs in Lisbon');
		await browser.screenshot(page, 'booking-page-tokyo');
		tap.is(browser.cspViolations(page).join('\n'), '', 'booking page: nothing blocked by the CSP');

		// ---- The time buttons: a click checks one, it looks checked, the
		// keyboard moves along them with a visible focus ring.
		tap.is(await chosen(page), null, 'no time is chosen at first');
		tap.is(await text(page, '#summary-time'), 'No time chosen yet', '... the summary beside the form says so');
		await choose(page, pick.value);
		tap.is(await chosen(page), pick.value, 'clicking a time\'s button checks its radio');
		const look = (value) => page.$eval(`#times input[value="${value}"] + span`, (e) => {
			const st = getComputedStyle(e);
			return { bg: st.backgroundColor, fg: st.color, outline: st.outlineStyle, mark: getComputedStyle(e, '::before').content };
		});
		const picked = await look(pick.value);
		const other = await look(starts.find((x) => x.value !== pick.value).value);
		tap.ok(picked.bg !== other.bg && picked.fg !== other.fg && picked.mark.includes('\u2713'),
			`... which shows it checked: filled (${picked.bg} vs ${other.bg}) and ticked`);
		tap.ok(await page.$eval(`#times input[value="${pick.value}"]`, (i) => {
			const r = i.getBoundingClientRect();
			return r.width <= 1 && r.height <= 1;
		}), '... the radio itself visually hidden behind its button');
		await page.keyboard.press('ArrowDown');
		const next = starts[starts.findIndex((x) => x.value === pick.value) + 1];
		tap.is(await chosen(page), next.value, `the down arrow moves to the next time (${next.label})`);
		tap.is((await look(next.value)).outline, 'solid', '... with a visible focus ring');
		await page.keyboard.press('ArrowUp');
		tap.is(await chosen(page), pick.value, '... and the up arrow back');
		tap.is(await text(page, '#summary-time'), 'No time chosen yet', '... (the summary, without script, changes only when the page is sent)');

		// ---- A refusal: a name of spaces passes `required`, not the server.
		const email = guestEmail('ines');
		const notes = 'Second pregnancy; questions about exercise.';
		await page.fill('#name', '   ');
		await page.fill('#email', email);
		await page.fill('#notes', notes);
		res = await submit(page, BOOK);
		tap.is(res.status(), 422, 'a name of spaces is refused: 422');
		tap.is(await text(page, '#name-error'), 'This field is required.', '... with the message');
		tap.is(await page.$eval('#name-error', (e) => e.parentElement === document.querySelector('#name').parentElement &&
			e.nextElementSibling === document.querySelector('#name')), true, '... next to the name field');
		tap.ok(await page.locator('#name-error').isVisible(), '... visibly');
		tap.like(await text(page, '.form-errors'), /Please correct the following/, '... and summarised above the form');
		tap.is(await page.locator('.field-error').count(), 1, '... the only field refused');
		tap.is(await page.inputValue('#email'), email, '... keeping the e-mail typed');
		tap.is(await page.inputValue('#notes'), notes, '... the notes');
		tap.is(await chosen(page), pick.value, '... the start chosen, its radio checked');
		tap.is((await offered(page)).filter((x) => x.checked).length, 1, '... the only one');
		tap.ok(await page.$eval('#times input[name="start"]:checked', (i) => {
			const l = i.closest('label').getBoundingClientRect();
			const box = i.closest('.slot-times').getBoundingClientRect();
			return l.top >= box.top && l.bottom <= box.bottom;
		}), '... and in view in its day\'s column (which scrolls within itself)');
		tap.is(await text(page, '#summary-time'), `${local(pick.value, TOKYO).day}, 08:00`, '... and named in the summary beside the form');
		tap.is(await page.inputValue('#tz'), TOKYO, '... and the time zone');
		tap.is(sql(`SELECT count(*) FROM meetings WHERE guest_email = ${lit(email)}`), '0', '... and nothing is booked');
		await browser.screenshot(page, 'booking-error');

		// ---- The booking.
		await page.fill('#name', 'Inês Guerreiro');
		res = await submit(page, BOOK);
		tap.is(res.status(), 200, 'the booking is accepted');
		tap.is(await text(page, 'h1'), 'You are booked', '... "You are booked"');
		const done = await facts(page, '#booking-done dl.facts');
		const when = local(pick.value, TOKYO);
		const end = local(Date.parse(pick.value) + 45 * 60000, TOKYO);
		const wantWhen = `${when.weekday} ${when.date}, ${when.time}–${end.time} (${TOKYO})`;
		tap.is(done[1], 'Helena Duarte', '... with the expert');
		tap.is(done[3], 'First pelvic-health visit', '... the event');
		tap.is(done[5], wantWhen, '... the time in Tokyo');
		tap.is(await page.getAttribute('#booking-done time', 'datetime'), pick.value.replace(':00Z', 'Z'), '... as a machine-readable instant');
		tap.is(done[7], email, '... and the e-mail');
		tap.like(await text(page, '#booking-done .notice'), new RegExp(`six-digit sign-in code to ${email.replace(/\./g, '\\.')}`), '... saying a code was sent');
		const meeting = sql(`SELECT guest_name || '|' || timezone || '|' || to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '|' || guest_notes
			FROM meetings WHERE guest_email = ${lit(email)}`);
		tap.is(meeting, `Inês Guerreiro|${TOKYO}|${pick.value}|${notes}`, 'the meeting is stored with name, zone, start and notes');
		await browser.screenshot(page, 'booking-done');
		tap.is(browser.cspViolations(page).join('\n'), '', 'confirmation: nothing blocked by the CSP');

		// ---- The sign-in code.
		tap.ok(await page.locator('#code').isVisible(), 'the confirmation asks for the code right there');
		tap.is(await page.inputValue('#code-form input[type="hidden"][name="email"]'), email, '... for the booking\'s e-mail');
		tap.ok(!(await page.content()).includes('email='), '... and no link carries the address');
		const code = proxy.magicCode(email);
		tap.like(code || '', /^\d{6}$/, 'WorkOS was asked for a six-digit code for that e-mail');
		tap.ok(!(await page.content()).includes(code), '... which no page shows');
		await page.fill('#code', code);
		await browser.screenshot(page, 'booking-code');
		res = await submit(page, '#code-form button[type="submit"]');
		tap.is(new URL(page.url()).pathname, '/dashboard', 'the code signs the guest in, to the dashboard');
		tap.is(res.status(), 200, '... 200');
		const up = await rows(page, '#upcoming-bookings table');
		tap.is(up.length, 1, '... listing one upcoming booking');
		tap.is(up[0], `${when.short} ${when.date} ${when.time}–${end.time} ${TOKYO} | Helena Duarte | First pelvic-health visit | Add to calendar (.ics) · Change or cancel`,
			'... with the expert and event, at its Tokyo time, and its calendar file');
		await browser.screenshot(page, 'booking-dashboard-guest');
		tap.is(browser.cspViolations(page).join('\n'), '', 'code and dashboard: nothing blocked by the CSP');

		// The start is no longer offered.
		await page.goto(`${APP}/${expert.handle}/first-visit?tz=${encodeURIComponent(TOKYO)}&from=${days[0].split(' ')[1]}`);
		tap.ok(!(await offered(page)).some((s) => s.value === pick.value), 'the booked start is no longer offered');

		// ---- Her address again, in another browser, signed out: her
		// account exists, so the booking waits for her code (issue 13,
		// finding 8), and the code confirms it.
		const ppage = await browser.newPage({ javaScript: false });
		await ppage.goto(`${APP}/${expert.handle}/follow-up`);
		const free = (await offered(ppage))[12];
		await choose(ppage, free.value);
		await ppage.fill('#name', 'Inês Guerreiro');
		await ppage.fill('#email', email);
		res = await submit(ppage, BOOK);
		tap.is(res.status(), 200, 'the same address books again from another browser: 200');
		tap.is(await text(ppage, 'h1'), 'Confirm your booking with the code we sent', '... "Confirm your booking"');
		tap.like(await text(ppage, '#booking-status'), /already an account for .* We hold this time for you for 15 minutes/,
			'... saying why and for how long the time is held');
		tap.is(await text(ppage, '#code-form button[type="submit"]'), 'Confirm my booking', '... the button says what it does');
		tap.is(sql(`SELECT count(*) FROM meetings WHERE guest_email = ${lit(email)}`), '1', '... no second meeting yet');
		await browser.screenshot(ppage, 'booking-pending');
		const code2 = proxy.magicCode(email);
		tap.ok(code2 && code2 !== code, '... a new code was sent');
		await ppage.fill('#code', code2 || '');
		res = await submit(ppage, '#code-form button[type="submit"]');
		tap.is(`${res.status()} ${new URL(ppage.url()).pathname}`, '200 /dashboard', 'her code confirms it: the dashboard');
		tap.is((await rows(ppage, '#upcoming-bookings table')).length, 2, '... listing both bookings');
		tap.is(browser.cspViolations(ppage).join('\n'), '', 'pending booking: nothing blocked by the CSP');

		// ---- The expert sees the guest.
		const epage = await browser.newPage({ javaScript: false });
		await browser.signIn(epage, APP, expert.email);
		tap.is(new URL(epage.url()).pathname, '/dashboard', 'the expert signs in to her dashboard');
		const mt = await rows(epage, '#upcoming-meetings table');
		const lis = local(pick.value, 'Europe/Lisbon');
		const lisEnd = local(Date.parse(pick.value) + 45 * 60000, 'Europe/Lisbon');
		tap.is(mt.length, 2, '... listing both upcoming meetings');
		tap.is(mt.find((r) => r.includes('First pelvic-health visit')), `${lis.short} ${lis.date} ${lis.time}–${lisEnd.time} | Inês Guerreiro | First pelvic-health visit`,
			'... the guest by name, with the event, at its Lisbon time');
		await browser.screenshot(epage, 'booking-dashboard-expert');
		tap.is(browser.cspViolations(epage).join('\n'), '', 'expert dashboard: nothing blocked by the CSP');

		// ---- Dark and Brazilian Portuguese, from the browser's settings.
		const dpage = await browser.newPage({ javaScript: false, colorScheme: 'dark', locale: 'pt-BR' });
		res = await dpage.goto(`${APP}/${expert.handle}/follow-up`);
		tap.is(res.status(), 200, 'a dark pt-BR browser opens the free event');
		tap.is(await dpage.getAttribute('html', 'lang'), 'pt-BR', '... in Brazilian Portuguese');
		tap.is(await text(dpage, '#times h2'), 'Escolha um horário', '... "Escolha um horário"');
		tap.is((await facts(dpage, 'main > section:first-child dl.facts')).join(' | '), 'Duração | 30 minutos | Preço | Grátis', '... 30 minutes, free');
		tap.is(await text(dpage, BOOK), 'Agendar este horário', '... "Agendar este horário"');
		const bg = await dpage.evaluate(() => getComputedStyle(document.body).backgroundColor);
		const lum = (bg.match(/\d+/g) || [255, 255, 255]).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
		tap.ok(lum < 100, `... on a dark background (${bg})`);
		await browser.screenshot(dpage, 'booking-page-dark-br');
		tap.is(browser.cspViolations(dpage).join('\n'), '', 'dark pt-BR page: nothing blocked by the CSP');

		// ---- With JavaScript, static/js/tz.js: a page that names no zone
		// is loaded again once in the browser's, when the page offers it.
		const EVENT = `${APP}/${expert.handle}/first-visit`;
		// The page at url in a browser in zone tz: its URL once settled and
		// how many times the document was loaded.
		const visit = async (tz, url) => {
			const jpage = await browser.newPage({ javaScript: true, timezoneId: tz });
			let loads = 0;
			jpage.on('framenavigated', (f) => { if (f === jpage.mainFrame()) loads += 1; });
			await jpage.goto(url, { waitUntil: 'commit' });
			await jpage.waitForLoadState('load');
			await jpage.waitForTimeout(1500);
			await jpage.waitForLoadState('load');
			return { jpage, loads, url: new URL(jpage.url()) };
		};
		const fromDay = days[1].split(' ')[1];
		let v = await visit(TOKYO, `${EVENT}?from=${fromDay}`);
		tap.is(v.url.searchParams.get('tz'), TOKYO, 'a browser in Tokyo: tz.js loads the page again with ?tz=Asia/Tokyo');
		tap.is(v.url.searchParams.get('from'), fromDay, '... keeping the other parameters');
		tap.is(v.url.hash, '#times', '... at the times');
		tap.is(v.loads, 2, '... once');
		tap.like(await text(v.jpage, '#times .hint'), /in Asia\/Tokyo\.$/, '... which are shown in Tokyo time');
		tap.is(await v.jpage.inputValue('#tz'), TOKYO, '... Tokyo selected');
		tap.is(await v.jpage.inputValue('input[type="hidden"][name="timezone"]'), TOKYO, '... and booked in');
		tap.is(browser.cspViolations(v.jpage).join('\n'), '', '... the CSP blocking nothing');
		// The summary follows the choice when script runs.
		const js = (await offered(v.jpage))[5];
		await choose(v.jpage, js.value);
		tap.is(await text(v.jpage, '#summary-time'), `${js.day}, ${js.label}`, 'with script the summary names the time clicked at once');
		await v.jpage.context().close();
		for (const [what, tz, url] of [
			['a browser in the expert\'s zone', 'Europe/Lisbon', EVENT],
			['a browser in a zone the page does not offer (EST5EDT)', 'EST5EDT', EVENT],
			['a page that asked for Lisbon, in Tokyo', TOKYO, `${EVENT}?tz=Europe%2FLisbon`],
			['a page that asked for an unknown zone (shown in Lisbon), in Tokyo', TOKYO, `${EVENT}?tz=Bogus`],
		]) {
			v = await visit(tz, url);
			tap.is(`${v.loads} ${v.url.search}`, `1 ${new URL(url).search}`, `${what}: loaded once, as asked (no reload, no loop)`);
			tap.like(await text(v.jpage, '#times .hint'), /in Europe\/Lisbon\.$/, '... in Lisbon time');
			await v.jpage.context().close();
		}
		// A refused form answers the POST: never loaded again (the form
		// would be lost).
		v = await visit(TOKYO, `${EVENT}?tz=Europe%2FLisbon`);
		const refusedAt = (await offered(v.jpage))[3];
		await choose(v.jpage, refusedAt.value);
		await v.jpage.fill('#name', '   ');
		await v.jpage.fill('#email', guestEmail('tzjs'));
		let posts = 0;
		v.jpage.on('framenavigated', (f) => { if (f === v.jpage.mainFrame()) posts += 1; });
		res = await submit(v.jpage, BOOK);
		await v.jpage.waitForTimeout(1500);
		tap.is(`${res.status()} ${posts} ${new URL(v.jpage.url()).search}`, '422 1 ', 'a refused form in Tokyo with script: 422, not loaded again');
		tap.is(await chosen(v.jpage), refusedAt.value, '... the start still checked');
		tap.is(await text(v.jpage, '#summary-time'), `${refusedAt.day}, ${refusedAt.label}`, '... and in the summary');
		await v.jpage.context().close();
	} finally {
		await pool.stop();
		await proxy.close();
	}
});
