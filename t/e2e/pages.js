// pages: every page of the product, for every kind of visitor — signed
// out, a guest (role user), an expert, an admin.  Each answers its role
// with 200 and the others with 403 (or a sign-in redirect when signed
// out); every HTML page is valid for Debian's tidy (no errors) in the four
// languages, carries no script, and is screenshotted in headless Chromium
// with JavaScript off (the PNGs land in $ELEVA_ARTIFACTS).
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { Jar, request, signIn, newUser, sql, lit } = require('../lib/signin');
const { tidyErrors } = require('../lib/tidy');
const browser = require('../lib/browser');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const LANGS = [['en', 'en'], ['es', 'es'], ['pt', 'pt-PT'], ['br', 'pt-BR']];

// Who gets what: status per visitor (out = signed out).  A page listed
// with html: false is not HTML (the CSV).
function pages(ids) {
	const ALL = { out: 200, guest: 200, expert: 200, admin: 200 };
	const AUTH = { out: 303, guest: 200, expert: 200, admin: 200 };
	const EXPERT = { out: 303, guest: 403, expert: 200, admin: 403 };
	const ADMIN = { out: 303, guest: 403, expert: 403, admin: 200 };
	return [
		{ name: 'home', path: '/', who: ALL },
		{ name: 'sign-in', path: '/sign-in', who: { out: 200 } },
		{ name: 'sign-in-code', path: '/sign-in/code', who: { out: 200 } },
		{ name: 'not-found', path: '/no-such-page/here', who: { out: 404, guest: 404, expert: 404, admin: 404 } },
		{ name: 'dashboard', path: '/dashboard', who: AUTH },
		{ name: 'security', path: '/settings/security', who: AUTH },
		{ name: 'setup', path: '/setup', who: EXPERT },
		{ name: 'setup-profile', path: '/setup/profile', who: EXPERT },
		{ name: 'setup-availability', path: '/setup/availability', who: EXPERT },
		{ name: 'setup-events', path: '/setup/events', who: EXPERT },
		{ name: 'setup-event-edit', path: `/setup/events?edit=${ids.event}`, who: { ...EXPERT, admin: 403 } },
		{ name: 'admin-setup-stats', path: '/admin/setup-stats', who: ADMIN },
		{ name: 'admin-setup-stats-csv', path: '/admin/setup-stats.csv', who: ADMIN, html: false },
		{ name: 'admin-reset-setup', path: `/admin/experts/${ids.expert}/reset-setup`, who: ADMIN },
	];
}

async function newAccount(first, last, role) {
	const u = await newUser(first, last);
	await signIn(APP_URL, u.email);
	if (role !== 'user') sql(`UPDATE users SET role = ${lit(role)} WHERE workos_user_id = ${lit(u.id)}`);
	return u;
}

const setLang = (uid, lang) => sql(`UPDATE user_preferences SET language = ${lit(lang)} WHERE workos_user_id = ${lit(uid)}`);

browser.run(async () => {
	const guest = await newAccount('Paula', 'Paciente', 'user');
	const expert = await newAccount('Eva', 'Especialista', 'expert_community');
	const admin = await newAccount('Ada', 'Admin', 'admin');
	// The expert has a profile, a schedule and an event, so her pages have content.
	const org = sql(`SELECT id FROM organizations WHERE slug = ${lit(`user-${expert.id}`)}`);
	sql(`INSERT INTO profiles (org_id, workos_user_id, handle, first_name, last_name, short_bio)
		VALUES (${lit(org)}, ${lit(expert.id)}, ${lit(`eva-${Date.now() % 1e6}`)}, 'Eva', 'Especialista', 'Parteira.');
		INSERT INTO expert_setup (workos_user_id, org_id, profile_completed) VALUES (${lit(expert.id)}, ${lit(org)}, true);
		INSERT INTO events (org_id, workos_user_id, name, slug, duration_in_minutes, price)
		VALUES (${lit(org)}, ${lit(expert.id)}, 'Consulta', 'consulta', 45, 3000)`);
	const ids = { expert: expert.id, event: sql(`SELECT id FROM events WHERE workos_user_id = ${lit(expert.id)}`) };
	const users = { guest, expert, admin };
	const jars = { out: null };
	for (const [who, u] of Object.entries(users)) jars[who] = (await signIn(APP_URL, u.email)).jar;

	// Status per visitor, and tidy in every language for each HTML page.
	for (const p of pages(ids)) {
		for (const who of ['out', 'guest', 'expert', 'admin']) {
			const want = p.who[who];
			if (want === undefined) continue;
			for (const [code, htmlLang] of LANGS) {
				// The language is the user's preference: every signed-in
				// page reads it, and the session cookie keeps a copy for
				// public pages, refreshed by the next signed-in one.
				if (who !== 'out') {
					setLang(users[who].id, code);
					await request(`${APP_URL}/settings/security`, jars[who]);
				}
				const headers = who === 'out' ? { 'accept-language': htmlLang } : { 'accept-language': 'en' };
				const r = await request(`${APP_URL}${p.path}`, jars[who], { headers });
				const what = `${p.name} as ${who} [${code}]`;
				if (!tap.is(r.status, want, `${what}: ${want}`)) continue;
				if (want === 303) {
					tap.like(r.location || '', /^\/sign-in\?return_to=/, `${what}: sent to sign in`);
					break;
				}
				if (p.html === false && want === 200) {
					tap.like(r.headers.get('content-type') || '', /^text\/csv/, `${what}: CSV`);
					break;
				}
				tap.like(r.body, new RegExp(`^<!DOCTYPE html>\\n<html lang="${htmlLang}"`), `${what}: <html lang="${htmlLang}">`);
				tap.unlike(r.body, /<script/i, `${what}: no script`);
				tap.is(tidyErrors(r.body, what).join('\n'), '', `${what}: tidy finds no errors`);
			}
		}
	}
	for (const u of Object.values(users)) setLang(u.id, 'en');

	// A screenshot of every page its visitors see, JavaScript off.
	for (const who of ['out', 'guest', 'expert', 'admin']) {
		const page = await browser.newPage({ javaScript: false });
		if (who !== 'out') await browser.signIn(page, APP_URL, users[who].email);
		for (const p of pages(ids)) {
			if (p.who[who] === undefined || p.html === false || p.who[who] === 303) continue;
			const res = await page.goto(`${APP_URL}${p.path}`);
			tap.is(res.status(), p.who[who], `browser: ${p.name} as ${who}: ${p.who[who]}`);
			if (p.name === 'admin-setup-stats' && who === 'admin') {
				// The chart: inline SVG, one bar per step, named for assistive technology.
				tap.ok(await page.locator('svg.chart').isVisible(), 'browser: the admin sees the per-step chart');
				tap.is(await page.locator('svg.chart rect.bar').count(), 6, '... six bars, one per step');
				tap.ok((await page.locator('svg.chart > title').textContent()).length > 0, '... with a title');
				const box = await page.locator('svg.chart rect.bar').first().boundingBox();
				tap.ok(box && box.width > 0 && box.height > 0, '... the bars are drawn');
			}
			if (p.who[who] === 200 || p.name === 'not-found') await browser.screenshot(page, `page-${who}-${p.name}`);
		}
		tap.is(browser.cspViolations(page).join('\n'), '', `browser: nothing blocked by the CSP for ${who}`);
	}
});
