// browser_setup: headless Chromium with JavaScript off, as an expert would:
// a new expert signs in, fills the profile, availability and events forms
// by typing and clicking, and sees the wizard's progress move; a form
// refused by the server shows its message; then the expert switches to the
// dark theme and Portuguese and sees both.  Screenshots of every page land
// in $ELEVA_ARTIFACTS.
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { signIn: fetchSignIn, newUser, sql, lit } = require('../lib/signin');
const browser = require('../lib/browser');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const progress = async (page) => (await page.textContent('#setup-progress')).trim();

browser.run(async () => {
	// An expert whose setup has not started (provisioned, then made an expert).
	const u = await newUser('Beatriz', 'Nunes');
	await fetchSignIn(APP_URL, u.email);
	sql(`UPDATE users SET role = 'expert_community' WHERE workos_user_id = ${lit(u.id)}`);

	const page = await browser.newPage({ javaScript: false });
	await browser.signIn(page, APP_URL, u.email);
	tap.ok(!(await page.evaluate(() => typeof window.fetch === 'function' && !!document.scripts.length)),
		'the page runs no script');
	let res = await page.goto(`${APP_URL}/setup`);
	tap.is(res.status(), 200, 'the new expert opens /setup');
	tap.is(await progress(page), '0 of 6 steps completed', '... 0 of 6');
	await browser.screenshot(page, 'setup-start');

	// Profile: first a handle the server refuses, then a good one.
	await page.click('#step-profile a');
	tap.is(new URL(page.url()).pathname, '/setup/profile', 'the profile step\'s button opens the form');
	tap.is(await page.inputValue('#first_name'), 'Beatriz', '... with the account\'s first name filled in');
	await page.fill('#handle', 'dashboard');
	await page.fill('#short_bio', 'Fisioterapeuta do pavimento pélvico.');
	await page.fill('#headline', 'Pelvic health physiotherapist');
	await page.selectOption('#primary_category', { label: 'Pelvic health' });
	await browser.screenshot(page, 'setup-profile');
	await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
	tap.like(await page.textContent('#handle-error'), /reserved by Eleva Care/, 'a reserved handle is refused next to the field');
	tap.like(await page.textContent('.form-errors'), /Please correct the following/, '... and summarised above the form');
	tap.is(await page.inputValue('#short_bio'), 'Fisioterapeuta do pavimento pélvico.', '... keeping what was typed');
	await browser.screenshot(page, 'setup-profile-error');
	const handle = `beatriz-${Date.now() % 100000}`;
	await page.fill('#handle', handle);
	await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
	tap.is(new URL(page.url()).pathname, '/setup', 'saving the profile returns to the wizard');
	tap.like(await page.textContent('main'), /Your profile has been saved\./, '... which says it was saved');
	tap.is(await progress(page), '1 of 6 steps completed', '... and shows 1 of 6');

	// Availability.
	await page.click('#step-availability a');
	await page.selectOption('#timezone', 'Europe/Lisbon');
	await page.fill('#monday-1-start', '09:00');
	await page.fill('#monday-1-end', '13:00');
	await page.fill('#thursday-1-start', '14:00');
	await page.fill('#thursday-1-end', '18:30');
	await browser.screenshot(page, 'setup-availability');
	await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
	tap.is(await progress(page), '2 of 6 steps completed', 'after the availability form: 2 of 6');

	// Events.
	await page.click('#step-events a');
	await page.fill('#name', 'Avaliação inicial');
	await page.fill('#slug', 'avaliacao');
	await page.fill('#description', 'Uma primeira consulta de 50 minutos.');
	await page.fill('#duration', '50');
	await page.fill('#price', '45,00');
	await Promise.all([page.waitForNavigation(), page.click('#event-form button[type="submit"]')]);
	tap.like(await page.textContent('table.data'), /Avaliação inicial[\s\S]*€45\.00/, 'the new event is listed with its price');
	await browser.screenshot(page, 'setup-events');
	await page.goto(`${APP_URL}/setup`);
	tap.is(await progress(page), '3 of 6 steps completed', 'after the events form: 3 of 6');
	tap.is(await page.getAttribute('progress', 'value'), '3', '... and the progress bar says 3');
	tap.is(await page.locator('.step-done').count(), 3, '... three steps ticked');
	await browser.screenshot(page, 'setup-progress');
	tap.is(sql(`SELECT profile_completed AND availability_completed AND events_completed FROM expert_setup
		WHERE workos_user_id = ${lit(u.id)}`), 't', 'the database agrees');

	// Dark theme and Portuguese, through the user menu.
	await page.click('.user-menu > summary');
	await Promise.all([page.waitForNavigation(), page.click('.user-menu-list a[href="/settings/security"]')]);
	const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	await browser.screenshot(page, 'security');
	await page.check('#theme-dark');
	await page.selectOption('#language', 'pt');
	await Promise.all([page.waitForNavigation(), page.click('form[action="/settings/security"] button[type="submit"]')]);
	tap.is(await page.getAttribute('html', 'lang'), 'pt-PT', 'after saving, the page is in Portuguese');
	tap.is(await page.getAttribute('html', 'data-theme'), 'dark', '... and dark');
	tap.like(await page.textContent('main'), /As suas alterações foram guardadas\./, '... saying so in Portuguese');
	const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	tap.ok(darkBg !== lightBg, `... with a dark background (${lightBg} → ${darkBg})`);
	await browser.screenshot(page, 'security-dark-pt');
	await page.goto(`${APP_URL}/setup`);
	tap.is(await progress(page), '3 de 6 passos concluídos', 'the wizard is in Portuguese too');
	await browser.screenshot(page, 'setup-dark-pt');
	await page.goto(`${APP_URL}/`);
	tap.is(await page.getAttribute('html', 'data-theme'), 'dark', 'and so is the public home page');
	tap.like(await page.textContent('h1'), /Cuidados especializados/, '... in Portuguese');
	tap.is(browser.cspViolations(page).join('\n'), '', 'nothing was blocked by the CSP on the way');
});
