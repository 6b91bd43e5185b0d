// browser_pages: every page that exists today is valid HTML (tidy), in the
// four languages; then headless Chromium with JavaScript off, as a person
// would: the public pages, the e-mail code form, a 404, signing in as the
// demo expert through the real flow, the dashboard, signing out with the
// form's button, and the dark colour scheme.  Screenshots of each page land
// in $ELEVA_ARTIFACTS (script/test prints where).
'use strict';

const fs = require('node:fs');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { Jar, request, csrfOf, signIn: fetchSignIn } = require('../lib/signin');
const { tidy, tidyErrors } = require('../lib/tidy');
const browser = require('../lib/browser');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE) tap.skipAll('no WorkOS emulator in this stack');

const EXPERT = 'expert@eleva.test';

// Per language: the Accept-Language sent, <html lang>, and the headings.
const LANGS = [
	{ accept: 'en', lang: 'en', home: 'Expert care for every stage of life', signIn: 'Sign in to Eleva Care',
		code: 'Sign in with a code', notFound: 'Page not found', dashboard: 'Your account' },
	{ accept: 'es', lang: 'es', home: 'Atención experta en cada etapa de la vida', signIn: 'Iniciar sesión en Eleva Care',
		code: 'Iniciar sesión con un código', notFound: 'Página no encontrada', dashboard: 'Tu cuenta' },
	{ accept: 'pt-PT', lang: 'pt-PT', home: 'Cuidados especializados em todas as fases da vida',
		signIn: 'Iniciar sessão na Eleva Care', code: 'Iniciar sessão com um código',
		notFound: 'Página não encontrada', dashboard: 'A sua conta' },
	{ accept: 'pt-BR', lang: 'pt-BR', home: 'Cuidado especializado em todas as fases da vida',
		signIn: 'Entrar na Eleva Care', code: 'Entrar com um código',
		notFound: 'Página não encontrada', dashboard: 'Sua conta' },
];

const h1 = (html) => {
	const m = /<h1>([^<]*)<\/h1>/.exec(html);
	return m ? m[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&') : undefined;
};

// One page fetched: its status, its heading, and tidy's verdict.
function checkHtml(r, what, status, heading, lang) {
	tap.is(r.status, status, `${what}: status ${status}`);
	tap.like(r.headers.get('content-type') || '', /^text\/html; charset=utf-8$/i, `${what}: text/html; charset=utf-8`);
	tap.is(h1(r.body), heading, `${what}: heading "${heading}"`);
	if (lang) tap.like(r.body, new RegExp(`^<!DOCTYPE html>\\n<html lang="${lang}">`), `${what}: <html lang="${lang}">`);
	const errors = tidyErrors(r.body, what);
	tap.is(errors.join('\n'), '', `${what}: tidy finds no errors`);
}

// tidy itself: inline SVG (as later pages' charts) passes clean, and a
// broken page does not.
function tidySelfCheck() {
	const doc = (body) => `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>t</title>\n</head>\n<body>\n${body}\n</body>\n</html>\n`;
	const svg = tidy(doc('<main><svg viewBox="0 0 100 50" role="img" aria-labelledby="t"><title id="t">x</title>' +
		'<rect x="0" y="0" width="10" height="10"/></svg></main>'));
	tap.is([...svg.errors, ...svg.warnings].join('\n'), '', 'tidy: inline SVG with a <title id> gives no error or warning');
	const bad = tidy(doc('<main><foo>x</foo></main>'));
	tap.is(bad.status, 2, 'tidy: an unknown element is an error (exit status 2)');
	tap.like(bad.errors.join('\n'), /Error: <foo> is not recognized!/, '... reported as an error line');
	const warn = tidy(doc('<main><p id="a">1</p><p id="a">2</p></main>'));
	tap.ok(warn.status === 1 && warn.errors.length === 0 && /already defined/.test(warn.warnings.join('\n')),
		'tidy: a duplicate id is a warning, not an error');
}

async function fetchPages() {
	// Sign-out's form answer sends the browser to WorkOS's logout: browsers
	// hold a form's redirects to the CSP's form-action, so it names WorkOS.
	const csp = (await request(`${APP_URL}/`, null)).headers.get('content-security-policy') || '';
	tap.like(csp, new RegExp(`form-action 'self' ${new URL(WORKOS_API_BASE).origin.replace(/[.]/g, '\\.')};`),
		`the CSP's form-action allows 'self' and WorkOS (${new URL(WORKOS_API_BASE).origin}) alone`);
	const expert = await fetchSignIn(APP_URL, EXPERT);
	tap.is(expert.callback && expert.callback.location, '/dashboard', `${EXPERT} signs in (fetch) and lands on /dashboard`);
	for (const L of LANGS) {
		const headers = { 'accept-language': L.accept };
		const tag = `[${L.accept}]`;
		checkHtml(await request(`${APP_URL}/`, null, { headers }), `GET / ${tag}`, 200, L.home, L.lang);
		checkHtml(await request(`${APP_URL}/sign-in`, null, { headers }), `GET /sign-in ${tag}`, 200, L.signIn, L.lang);
		const jar = new Jar();
		const form = await request(`${APP_URL}/sign-in/code`, jar, { headers });
		checkHtml(form, `GET /sign-in/code ${tag}`, 200, L.code, L.lang);
		const csrf = csrfOf(form.body);
		checkHtml(await request(`${APP_URL}/sign-in/code`, jar, { headers, form: { csrf, email: 'not-an-address' } }),
			`POST /sign-in/code, a bad address ${tag}`, 422, L.code, L.lang);
		checkHtml(await request(`${APP_URL}/no-such-page`, null, { headers }), `GET /no-such-page ${tag}`, 404,
			L.notFound, L.lang);
		// Signed in, the user's own language (preferences) wins over Accept-Language.
		const dash = await request(`${APP_URL}/dashboard`, expert.jar, { headers });
		checkHtml(dash, `GET /dashboard as ${EXPERT} ${tag}`, 200, 'Welcome, Ana!');
		tap.like(dash.body, /^<!DOCTYPE html>\n<html lang="en" data-theme="light">/,
			`GET /dashboard as ${EXPERT} ${tag}: in her own language (English) and theme, not Accept-Language's`);
	}
	// The code step (once: it asks WorkOS to send a code).
	const jar = new Jar();
	const csrf = csrfOf((await request(`${APP_URL}/sign-in/code`, jar)).body);
	const sent = await request(`${APP_URL}/sign-in/code`, jar, { form: { csrf, email: 'nobody.here@example.test' } });
	checkHtml(sent, 'POST /sign-in/code, the code step', 200, 'Sign in with a code', 'en');
	tap.like(sent.body, /name="code"/, '... asking for the code');
}

const bg = (page) => page.locator('body').evaluate((e) => getComputedStyle(e).backgroundColor);
// Relative luminance-ish of "rgb(r, g, b)": enough to tell dark from light.
const lightness = (rgb) => {
	const m = /rgba?\((\d+), (\d+), (\d+)/.exec(rgb || '');
	return m ? (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3 : NaN;
};

async function shot(page, name) {
	const file = await browser.screenshot(page, name);
	const size = fs.statSync(file).size;
	tap.ok(size > 1000, `screenshot ${name} (${size} bytes)`);
	return file;
}

// Nothing on the page was blocked by the Content Security Policy.
const cspClean = (page, what) => tap.is(browser.cspViolations(page).join('\n'), '', `${what}: nothing blocked by the CSP`);

async function visible(page, locator, what) {
	let seen = false;
	try {
		await locator.first().waitFor({ state: 'visible', timeout: 5000 });
		seen = true;
	} catch {
		seen = false;
	}
	return tap.ok(seen, what);
}

async function inBrowser() {
	const b = await browser.launch();
	tap.ok(b.isConnected(), `browser: Chromium ${b.version()} (${browser.EXECUTABLE}) starts headless`);
	const page = await browser.newPage();

	// Home, signed out.
	let res = await page.goto(`${APP_URL}/`);
	tap.is(res.status(), 200, 'browser: GET / is 200');
	tap.is(await page.locator('h1').innerText(), 'Expert care for every stage of life', 'browser: the home heading');
	tap.is(await page.title(), 'Expert care for every stage of life · Eleva Care', 'browser: the home title');
	tap.is(await page.locator('script').count(), 0, 'browser: the home page has no script');
	await visible(page, page.getByRole('link', { name: 'Sign in', exact: true }), 'browser: signed out, the nav offers Sign in');
	tap.is(await page.getByRole('button', { name: 'Sign out', exact: true }).count(), 0, '... and no Sign out button');
	const cssLoaded = await page.locator('body').evaluate((e) => getComputedStyle(e).fontFamily);
	tap.like(cssLoaded, /system-ui/, 'browser: the stylesheet is applied');
	const lightBg = await bg(page);
	tap.diag(`light background: ${lightBg}`);
	cspClean(page, 'browser: home');
	await shot(page, 'home.png');

	// Sign-in page: the demo accounts, one click each.
	res = await page.goto(`${APP_URL}/sign-in`);
	tap.is(res.status(), 200, 'browser: GET /sign-in is 200');
	tap.is(await page.locator('h1').innerText(), 'Sign in to Eleva Care', 'browser: the sign-in heading');
	await visible(page, page.getByRole('link', { name: /expert@eleva\.test/ }), 'browser: the demo expert is offered');
	cspClean(page, 'browser: /sign-in');
	await shot(page, 'sign-in.png');

	// The e-mail code form works without JavaScript.
	res = await page.goto(`${APP_URL}/sign-in/code`);
	tap.is(res.status(), 200, 'browser: GET /sign-in/code is 200');
	tap.is(await page.locator('h1').innerText(), 'Sign in with a code', 'browser: the code page heading');
	await shot(page, 'sign-in-code.png');
	await page.getByLabel('E-mail address').fill('nobody.there@example.test');
	const [posted] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${APP_URL}/sign-in/code`),
		page.getByRole('button', { name: 'Send me a code' }).click()]);
	tap.is(posted.status(), 200, 'browser: the address form posts (no JavaScript) and answers 200');
	await visible(page, page.getByLabel('6-digit code'), 'browser: submitting the address asks for the code');
	await visible(page, page.getByText('If there is an account for this address'), '... saying a code was sent if the account exists');
	cspClean(page, 'browser: the code form');
	await shot(page, 'sign-in-code-sent.png');

	// A page that does not exist.
	res = await page.goto(`${APP_URL}/no-such-page`);
	tap.is(res.status(), 404, 'browser: GET /no-such-page is 404');
	tap.is(await page.locator('h1').innerText(), 'Page not found', 'browser: the 404 heading');
	await visible(page, page.locator('main').getByRole('link', { name: 'Back to the home page' }),
		'browser: the 404 page links home');
	cspClean(page, 'browser: the 404 page');
	await shot(page, 'not-found.png');

	// Signing in through the real flow lands on the dashboard.
	res = await browser.signIn(page, APP_URL, EXPERT);
	tap.is(new URL(page.url()).pathname, '/dashboard', `browser: ${EXPERT} signs in and lands on /dashboard`);
	tap.is(res.status(), 200, '... which is 200');
	tap.is(await page.locator('h1').innerText(), 'Welcome, Ana!', 'browser: the dashboard greets her by first name');
	const facts = await page.locator('dl.facts').innerText();
	tap.like(facts, /Ana Ferreira/, 'browser: the dashboard names her');
	tap.like(facts, /expert@eleva\.test/, '... her address');
	tap.like(facts, /Ana's Practice/, '... her practice');
	tap.like(facts, /Top Expert/, '... her role');
	tap.like(facts, /Owner/, '... her organization role');
	// The user menu is a <details>: it opens without script.
	await page.click('.user-menu > summary');
	await visible(page, page.getByRole('button', { name: 'Sign out', exact: true }), 'browser: signed in, the user menu offers Sign out');
	const session = (await page.context().cookies()).find((c) => c.name === 'eleva_session');
	tap.ok(session && session.httpOnly && session.sameSite === 'Lax', 'browser: the session cookie is HttpOnly, SameSite=Lax');
	tap.ok(!(await page.context().cookies()).some((c) => c.name === 'eleva_signin'), '... and the sign-in cookie is gone');
	cspClean(page, 'browser: sign-in and the dashboard');
	await shot(page, 'dashboard-expert.png');

	// Signing out with the nav's form button (a POST), through WorkOS's
	// logout, back home.
	try {
		await Promise.all([page.waitForURL(`${APP_URL}/`, { timeout: 5000 }),
			page.getByRole('button', { name: 'Sign out', exact: true }).click()]);
	} catch (e) {
		tap.diag(`signing out: ${e.message.split('\n')[0]}`);
	}
	tap.is(page.url(), `${APP_URL}/`, 'browser: Sign out comes back home');
	await visible(page, page.getByRole('link', { name: 'Sign in', exact: true }), 'browser: signed out, the nav offers Sign in again');
	tap.is(await page.getByRole('button', { name: 'Sign out', exact: true }).count(), 0, '... and no Sign out button');
	tap.ok(!(await page.context().cookies()).some((c) => c.name === 'eleva_session'), '... and the session cookie is gone');
	cspClean(page, 'browser: signing out');
	await shot(page, 'signed-out.png');
	res = await page.goto(`${APP_URL}/dashboard`);
	const after = new URL(page.url());
	tap.is(`${after.pathname}?${after.searchParams}`, '/sign-in?return_to=%2Fdashboard',
		'browser: after signing out, /dashboard asks to sign in');
	await page.context().close();

	// One click on a demo account on /sign-in is a whole sign-in.
	const guest = await browser.newPage();
	await guest.goto(`${APP_URL}/sign-in`);
	await Promise.all([guest.waitForURL(`${APP_URL}/dashboard`),
		guest.getByRole('link', { name: /guest@eleva\.test/ }).click()]);
	tap.is(new URL(guest.url()).pathname, '/dashboard', 'browser: clicking the demo guest on /sign-in lands on /dashboard');
	tap.like(await guest.locator('dl.facts').innerText(), /Carla's Account/, '... signed in as her');
	cspClean(guest, 'browser: the demo guest\'s one-click sign-in');
	await guest.context().close();

	// The dark colour scheme, from the system preference.
	const dark = await browser.newPage({ colorScheme: 'dark' });
	res = await dark.goto(`${APP_URL}/`);
	tap.is(res.status(), 200, 'browser (dark): GET / is 200');
	const darkBg = await bg(dark);
	tap.diag(`dark background: ${darkBg}`);
	tap.ok(darkBg !== lightBg, `browser (dark): the background differs from the light one (${darkBg} vs ${lightBg})`);
	tap.ok(lightness(darkBg) < lightness(lightBg) / 2, '... and is dark');
	cspClean(dark, 'browser (dark): home');
	await shot(dark, 'home-dark.png');
	// data-theme overrides the system preference both ways (a later
	// preference sets it on <html>).
	await dark.locator('html').evaluate((e) => e.setAttribute('data-theme', 'light'));
	tap.is(await bg(dark), lightBg, 'browser (dark): data-theme="light" brings the light background back');
	await dark.context().close();
	const forced = await browser.newPage({ colorScheme: 'light' });
	await forced.goto(`${APP_URL}/`);
	await forced.locator('html').evaluate((e) => e.setAttribute('data-theme', 'dark'));
	tap.is(await bg(forced), darkBg, 'browser (light): data-theme="dark" gives the dark background');
	await forced.context().close();

	// The language follows the browser's.
	const es = await browser.newPage({ locale: 'es-ES' });
	await es.goto(`${APP_URL}/`);
	tap.is(await es.locator('html').getAttribute('lang'), 'es', 'browser (es-ES): <html lang="es">');
	tap.is(await es.locator('h1').innerText(), 'Atención experta en cada etapa de la vida', '... and the Spanish heading');
	await es.context().close();
}

browser.run(async () => {
	tidySelfCheck();
	await fetchPages();
	await inBrowser();
	tap.diag(`screenshots in ${browser.artifactsDir()}`);
});
