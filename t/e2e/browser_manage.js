// browser_manage: a booking's life in headless Chromium with JavaScript off
// (issue 17): a guest books, follows the link of the e-mail he receives
// (delivered by eleva mailer to maildev) in a browser that never signed
// in, moves the booking by clicking another time's button, and cancels it
// with a reason; a signed-in guest cancels from her dashboard; the expert
// cancels from his meeting page.  Screenshots of the booking's page and of
// the move page at 1280 and 360 px land in $ELEVA_ARTIFACTS (manage-*.png).
'use strict';

const tap = require('../lib/tap');
const { env, sleep, until } = require('../lib/stack');
const { newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, guestEmail } = require('../lib/booking');
const { startMaildev, startMailer } = require('../lib/maildev');
const browser = require('../lib/browser');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const text = async (page, sel) => (await page.textContent(sel)).replace(/\s+/g, ' ').trim();
const submit = (page, sel) => Promise.all([page.waitForNavigation(), page.click(sel)]).then(([res]) => res);
const values = (page) => page.$$eval('#times input[type="radio"][name="start"]', (is) => is.map((i) => i.value));
const choose = (page, value) => page.click(`#times label.slot:has(input[value="${value}"])`);
const state = (id) => sql(`SELECT status || '|' || coalesce(cancelled_by, '') || '|' ||
	to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM meetings WHERE id = ${lit(id)}`);
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

browser.run(async () => {
	// Only this test's mail: what earlier tests left is not ours to send.
	sql(`UPDATE mail_outbox SET sent_at = now(), data = NULL WHERE sent_at IS NULL AND failed_at IS NULL`);
	const catcher = await startMaildev();
	const mailer = startMailer(catcher.url);

	const e = await publishedExpert({ first: 'Beatriz', last: 'Browser', tz: 'Europe/Lisbon' });

	// ---- A guest books in the browser.
	const page = await browser.newPage();
	await page.goto(`${APP_URL}/${e.handle}/consultation`);
	const hourly = (await values(page)).filter((v) => /:00:00Z$/.test(v));
	await choose(page, hourly[5]);
	const email = guestEmail('browser');
	await page.fill('#name', 'Bruno Browser');
	await page.fill('#email', email);
	await submit(page, '#times form[method="post"] button[type="submit"]');
	tap.is(await text(page, 'h1'), 'You are booked', 'the guest books');
	const id = sql(`SELECT id FROM meetings WHERE guest_email = ${lit(email)}`);

	// ---- The e-mail's link, in a browser that never signed in.
	const mails = await until(async () => {
		const got = (await catcher.messages()).filter((m) => m.to[0].address === email);
		return got.length ? got : null;
	}, 60000);
	tap.is((mails || []).length, 1, 'one confirmation e-mail reaches the guest');
	const link = /https?:\/\/\S+\/bookings\/[0-9a-f-]+\/manage\?k=[0-9a-f]{64}/.exec(mails[0].text)[0];
	const other = await browser.newPage();
	await other.goto(link);
	tap.is(await text(other, 'h1'), 'Your booking', "the e-mail's link opens the booking");
	tap.like(await text(other, '#manage .facts'), /Beatriz Browser/, '... with whom');
	await browser.screenshot(other, 'manage-1280');

	// Move it: click "Choose another time", then another time's button.
	await submit(other, '#move');
	tap.is(await text(other, 'h1'), 'Choose another time', 'the move page');
	await browser.screenshot(other, 'reschedule-1280');
	const newStart = hourly[8];
	await choose(other, newStart);
	await submit(other, '#times form[method="post"] button[type="submit"]');
	tap.like(await text(other, '[role="status"]'), /The booking has its new time/, 'moved: the booking page says so');
	tap.is(state(id), `confirmed||${newStart}`, '... and the meeting is at the new time');
	await other.goto(`${APP_URL}/${e.handle}/consultation`);
	tap.ok((await values(other)).includes(hourly[5]), 'the old time is offered again on the booking page');

	// Cancel it with a reason.
	await other.goto(link);
	await other.fill('#reason', 'Mudei de planos');
	await submit(other, '#cancel button[type="submit"]');
	tap.like(await text(other, '[role="status"]'), /The booking is cancelled/, 'cancelled from the link: the page says so');
	tap.like(await text(other, '#manage'), /Cancelled by the guest/, '... by the guest');
	tap.is(state(id).split('|').slice(0, 2).join('|'), 'cancelled|guest', '... and the database agrees');
	const after = await until(async () => {
		const got = (await catcher.messages()).filter((m) => m.to[0].address === email);
		return got.length >= 3 ? got : null;
	}, 60000);
	tap.is((after || []).length, 3, 'the guest received three e-mails: booked, moved, cancelled');

	// At 360 px: the booking's page and the move page fit.
	const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
	const b2 = guestEmail('phone');
	await phone.goto(`${APP_URL}/${e.handle}/consultation`);
	await choose(phone, hourly[12]);
	await phone.fill('#name', 'Paula Phone');
	await phone.fill('#email', b2);
	await submit(phone, '#times form[method="post"] button[type="submit"]');
	await submit(phone, '#manage-link a');
	tap.is(await overflow(phone), 0, 'the booking page fits 360 px');
	await browser.screenshot(phone, 'manage-360');
	await submit(phone, '#move');
	tap.is(await overflow(phone), 0, 'the move page fits 360 px');
	await browser.screenshot(phone, 'reschedule-360');

	// ---- A signed-in guest cancels from her dashboard.
	const g = await newUser('Dalia', 'Dashboard');
	const gp = await browser.newPage();
	await browser.signIn(gp, APP_URL, g.email);
	await gp.goto(`${APP_URL}/${e.handle}/consultation`);
	await choose(gp, hourly[16]);
	await gp.fill('#name', 'Dalia Dashboard');
	await gp.fill('#email', g.email);
	await submit(gp, '#times form[method="post"] button[type="submit"]');
	await gp.goto(`${APP_URL}/dashboard`);
	await submit(gp, '#upcoming-bookings a:has-text("Change or cancel")');
	tap.is(await text(gp, 'h1'), 'Your booking', 'her dashboard leads to the booking');
	await submit(gp, '#move');
	await choose(gp, hourly[17]);
	await submit(gp, '#times form[method="post"] button[type="submit"]');
	tap.like(await text(gp, '[role="status"]'), /The booking has its new time/, 'the signed-in guest moves it');
	await submit(gp, '#cancel button[type="submit"]');
	tap.like(await text(gp, '[role="status"]'), /The booking is cancelled/, 'the signed-in guest cancels it');
	const gid = sql(`SELECT id FROM meetings WHERE guest_email = ${lit(g.email.toLowerCase())}`);
	tap.is(state(gid).split('|')[0], 'cancelled', '... cancelled');

	// ---- The expert cancels from his meeting page.
	const b3 = guestEmail('expertcancel');
	const xp = await browser.newPage();
	await xp.goto(`${APP_URL}/${e.handle}/consultation`);
	await choose(xp, hourly[20]);
	await xp.fill('#name', 'Xavier Expertcancel');
	await xp.fill('#email', b3);
	await submit(xp, '#times form[method="post"] button[type="submit"]');
	const ep = await browser.newPage();
	await browser.signIn(ep, APP_URL, e.email);
	await ep.goto(`${APP_URL}/dashboard`);
	await submit(ep, 'a:has-text("Xavier Expertcancel")');
	await ep.fill('#reason', 'Estou doente');
	await submit(ep, '#cancel button[type="submit"]');
	tap.like(await text(ep, '[role="status"]'), /The meeting is cancelled/, 'the expert cancels from the meeting page');
	tap.like(await text(ep, '#meeting'), /Cancelled by the expert.*Estou doente/, '... which shows who and why');
	const xid = sql(`SELECT id FROM meetings WHERE guest_email = ${lit(b3)}`);
	tap.is(state(xid).split('|').slice(0, 2).join('|'), 'cancelled|expert', '... cancelled by the expert');
	for (const p of [page, other, phone, gp, ep]) tap.is(browser.cspViolations(p).length, 0, 'no CSP violation');

	await mailer.stop();
	await catcher.stop();
});
