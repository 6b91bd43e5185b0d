// browser: headless Chromium (Debian's /usr/bin/chromium) driven by
// playwright-core, for the end-to-end tests that look at pages as a person
// would.  Nothing here downloads a browser.
//
//   const browser = require('../lib/browser');
//   browser.run(async () => {                      // tap.run + close at the end
//     const page = await browser.newPage();        // JavaScript off by default
//     await browser.signIn(page, APP_URL, 'expert@eleva.test');
//     await browser.screenshot(page, 'dashboard-expert.png');
//   });
//
// launch() -> Promise<Browser>: the one browser of this test file, started
//   on first use.  A browser that cannot start throws: under script/test the
//   test fails, never skips.
// newPage({javaScript = false, colorScheme = 'light', locale = 'en-GB',
//   viewport = {width: 1280, height: 800}, timezoneId}) -> Promise<Page>: a
//   page in a context of its own (own cookies), in the machine's time zone
//   unless timezoneId names another.  Our pages must work without
//   JavaScript, so it is off unless asked for.
// signIn(page, appUrl, email, {returnTo}) -> Promise<Response>: the real
//   sign-in: /sign-in?login_hint=EMAIL, the emulator's authorize, then
//   /auth/callback and wherever it sends the user; resolves to the last
//   navigation's response (page.url() is the landing page).
// screenshot(page, name) -> Promise<string>: a full-page PNG, name like
//   'home.png', in artifactsDir(); resolves to its path.
// artifactsDir() -> string: $ELEVA_ARTIFACTS (script/test sets it to
//   build-asan/t/artifacts/screenshots), else t/artifacts/screenshots
//   under the current (build) directory.
// cspViolations(page) -> [messages]: what the Content Security Policy
//   blocked on the page since the last call (assert it is empty).
// close() -> Promise<void>: closes every page and the browser; run() calls it.
// run(main): tap.run(main), then close(), whatever main did.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const tap = require('./tap');

const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
// This machine has no network but loopback: without the background
// networking flags Chromium keeps trying Google's hosts.  The profile is a
// fresh temporary directory Playwright makes (and removes) for each launch.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT_MS = 15000;
// A browser that hangs must not hang the suite.
const WATCHDOG_MS = Number(process.env.ELEVA_BROWSER_WATCHDOG_MS || 180000);

let browserPromise = null;
let watchdog = null;

function loadPlaywright() {
	try {
		return require('playwright-core');
	} catch (e) {
		throw new Error(`playwright-core is not installed under t/ (run script/setup): ${e.message}`);
	}
}

function launch() {
	if (!browserPromise) {
		browserPromise = (async () => {
			if (!fs.existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} not found (script/setup installs Debian's chromium)`);
			const { chromium } = loadPlaywright();
			const b = await chromium.launch({ executablePath: EXECUTABLE, headless: true, args: ARGS, timeout: 30000 });
			watchdog = setTimeout(() => {
				tap.ok(false, `the browser test ran over ${WATCHDOG_MS} ms: stopping it`);
				tap.done();
				const p = b.close().catch(() => {});
				Promise.race([p, new Promise((r) => setTimeout(r, 5000))]).then(() => process.exit(1));
			}, WATCHDOG_MS);
			watchdog.unref();
			return b;
		})();
	}
	return browserPromise;
}

async function newPage(opts = {}) {
	const b = await launch();
	const context = await b.newContext({
		javaScriptEnabled: opts.javaScript === true,
		colorScheme: opts.colorScheme || 'light',
		locale: opts.locale || 'en-GB',
		viewport: opts.viewport || { width: 1280, height: 800 },
		...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
	});
	context.setDefaultTimeout(TIMEOUT_MS);
	context.setDefaultNavigationTimeout(TIMEOUT_MS);
	const page = await context.newPage();
	const seen = [];
	violations.set(page, seen);
	page.on('console', (m) => {
		if (/Content Security Policy/.test(m.text())) seen.push(m.text());
	});
	return page;
}

// What the Content Security Policy blocked on this page so far (Chromium's
// console messages), and forget them: an inline style attribute, a form
// posting or redirecting to another origin...
const violations = new WeakMap();
function cspViolations(page) {
	const seen = violations.get(page) || [];
	return seen.splice(0, seen.length);
}

async function signIn(page, appUrl, email, opts = {}) {
	const q = new URLSearchParams({ login_hint: email });
	if (opts.returnTo !== undefined) q.set('return_to', opts.returnTo);
	// One navigation: the browser follows 303 (app) -> 302 (authorize) ->
	// 303 (callback) -> the landing page, keeping the cookies on the way.
	const res = await page.goto(`${appUrl}/sign-in?${q}`);
	const landed = new URL(page.url());
	if (landed.origin !== new URL(appUrl).origin || landed.pathname.startsWith('/sign-in') ||
	    landed.pathname === '/auth/callback') {
		throw new Error(`sign-in of ${email} did not complete: at ${page.url()} (${res && res.status()})`);
	}
	return res;
}

function artifactsDir() {
	return process.env.ELEVA_ARTIFACTS || path.resolve('t', 'artifacts', 'screenshots');
}

async function screenshot(page, name) {
	if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new Error(`bad screenshot name ${JSON.stringify(name)}`);
	if (!name.endsWith('.png')) name += '.png';
	const dir = artifactsDir();
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, name);
	await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
	const head = fs.readFileSync(file).subarray(0, 8);
	if (!head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error(`${file} is not a PNG`);
	return file;
}

async function close() {
	if (watchdog) clearTimeout(watchdog);
	watchdog = null;
	if (!browserPromise) return;
	const p = browserPromise;
	browserPromise = null;
	let b;
	try {
		b = await p;
	} catch {
		return; // it never started
	}
	await b.close();
}

function run(main) {
	tap.run(async () => {
		try {
			await main();
		} finally {
			await close();
		}
	});
}

module.exports = { launch, newPage, signIn, cspViolations, screenshot, artifactsDir, close, run, EXECUTABLE, ARGS };
