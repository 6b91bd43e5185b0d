// browser_mobile: the pages of a booking's life at 1280 and 360 px wide, in
// English and Portuguese, light and dark (issue 17, acceptance 4): home,
// the expert's page, the booking page, the confirmation, the expert's
// meeting page and his rules page.  None scrolls sideways at 360 px (the
// header, selects and lists fit), the CSP blocks nothing, and tidy finds
// no error in the meeting page (pages.js checks the others).  Screenshots
// land in $ELEVA_ARTIFACTS as m<width>-<lang>-<scheme>-<page>.png.
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, signIn, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail, book } = require('../lib/booking');
const { tidyErrors } = require('../lib/tidy');
const browser = require('../lib/browser');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const LANGS = [['en', 'en-GB'], ['pt', 'pt-PT']];
const SCHEMES = ['light', 'dark'];
const WIDTHS = [1280, 360];

// Nothing wider than the window: no sideways scrolling.
const overflow = (page) => page.evaluate(() => {
	const d = document.documentElement;
	if (d.scrollWidth <= d.clientWidth) return '';
	const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > d.clientWidth + 0.5)
		.slice(0, 3).map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ')[0]}` : ''}`);
	return `${d.scrollWidth} > ${d.clientWidth}: ${wide.join(', ')}`;
});

browser.run(async () => {
	const cat = sql(`INSERT INTO categories (name) VALUES ('Perinatal mental health ${Date.now()}') RETURNING id`);
	const e = await publishedExpert({ first: 'Margarida', last: 'Vasconcelos de Albuquerque', tz: 'Europe/Lisbon',
		events: [{ slug: 'consultation', name: 'Consulta de acompanhamento pós-parto', minutes: 60, price: 5500 }] });
	sql(`UPDATE profiles SET primary_category_id = ${lit(cat)},
		short_bio = 'Enfermeira especialista em saúde materna e obstétrica, com vinte anos de experiência.'
		WHERE workos_user_id = ${lit(e.id)}`);
	const page0 = await request(`${APP_URL}/${e.handle}/consultation`, null);
	const email = guestEmail('mobile');
	await book(APP_URL, e, 'consultation', { start: startsOf(page0.body)[2], name: 'Maria da Conceição Figueiredo',
		email, notes: 'Gostaria de falar sobre amamentação e sono do bebé, e sobre o regresso ao trabalho.' });
	const meeting = sql(`SELECT id FROM meetings WHERE guest_email = ${lit(email)}`);
	const r = await request(`${APP_URL}/meetings/${meeting}`, (await signIn(APP_URL, e.email)).jar);
	tap.is(tidyErrors(r.body, 'meeting').join('\n'), '', 'the meeting page: tidy finds no errors');

	let n = 0;
	for (const [lang, locale] of LANGS) {
		for (const scheme of SCHEMES) {
			sql(`UPDATE user_preferences SET language = ${lit(lang)}, theme = ${lit(scheme)} WHERE workos_user_id = ${lit(e.id)}`);
			for (const width of WIDTHS) {
				const tag = `m${width}-${lang}-${scheme}`;
				const visitor = await browser.newPage({ colorScheme: scheme, locale, viewport: { width, height: 800 } });
				const pages = [['home', '/'], ['expert', `/${e.handle}`], ['booking', `/${e.handle}/consultation`]];
				for (const [name, path] of pages) {
					const res = await visitor.goto(`${APP_URL}${path}`);
					tap.is(`${res.status()} ${await overflow(visitor)}`, '200 ', `${tag} ${name}: 200, nothing wider than the window`);
					await browser.screenshot(visitor, `${tag}-${name}`);
				}
				// The time picker: days side by side on a wide screen, one
				// under the other on a phone, the times wrapping inside.
				const boxes = await visitor.$$eval('#times fieldset.slot-day', (fs) => fs.slice(0, 2).map((f) => {
					const r = f.getBoundingClientRect();
					return { x: Math.round(r.left), y: Math.round(r.top), w: Math.round(r.width), b: Math.round(r.bottom) };
				}));
				const wide = boxes.length === 2 && boxes[1].x > boxes[0].x && boxes[1].y === boxes[0].y;
				const stacked = boxes.length === 2 && boxes[1].x === boxes[0].x && boxes[1].y >= boxes[0].b;
				tap.ok(width > 360 ? wide : stacked, `${tag} booking: days ${width > 360 ? 'as columns' : 'as rows'} (${JSON.stringify(boxes)})`);
				if (width === 360) {
					const row = await visitor.$$eval('#times fieldset.slot-day:nth-of-type(2) label.slot', (ls) => ls.slice(0, 3)
						.map((l) => Math.round(l.getBoundingClientRect().top)));
					tap.ok(row.length === 3 && row[0] === row[1], `${tag} booking: a day's times side by side (${row.join(', ')})`);
				}
				// The confirmation: the first start offered, a name, an address.
				await visitor.locator('#times label.slot').first().click();
				await visitor.fill('#name', 'Joana Guerreiro');
				await visitor.fill('#email', guestEmail(`m${++n}`));
				const [res] = await Promise.all([visitor.waitForNavigation(), visitor.click('#times form[method="post"] button[type="submit"]')]);
				tap.is(`${res.status()} ${await overflow(visitor)}`, '200 ', `${tag} confirmation: 200, nothing wider than the window`);
				await browser.screenshot(visitor, `${tag}-confirmation`);
				tap.is(browser.cspViolations(visitor).join('\n'), '', `${tag}: the CSP blocked nothing`);
				await visitor.context().close();

				const expert = await browser.newPage({ colorScheme: scheme, locale, viewport: { width, height: 800 } });
				await browser.signIn(expert, APP_URL, e.email);
				for (const [name, path] of [['meeting', `/meetings/${meeting}`], ['rules', '/setup/rules']]) {
					const res2 = await expert.goto(`${APP_URL}${path}`);
					tap.is(`${res2.status()} ${await overflow(expert)}`, '200 ', `${tag} ${name}: 200, nothing wider than the window`);
					tap.is(await expert.getAttribute('html', 'data-theme'), scheme, `${tag} ${name}: in his theme`);
					await browser.screenshot(expert, `${tag}-${name}`);
				}
				await expert.context().close();
			}
		}
	}
});
