// browser_audit: the compliance pages as a person uses them, in English and
// in Portuguese, JavaScript off (issue 14, acceptance 8): /audit's filter
// form and its CSV and JSON downloads (the same rows as the page),
// /settings/privacy's data download and the first step of deleting the
// account, /admin/audit and /admin/users as the platform admin.  Every page
// passes tidy and is screenshotted.
'use strict';

const fs = require('node:fs');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { sql, lit } = require('../lib/signin');
const { tidyErrors } = require('../lib/tidy');
const browser = require('../lib/browser');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const EXPERT = 'expert@eleva.test';
const ADMIN = 'admin@eleva.test';
const idOf = (email) => sql(`SELECT workos_user_id FROM users WHERE email = ${lit(email)}`);
const setLang = (uid, lang) => sql(`UPDATE user_preferences SET language = ${lit(lang)} WHERE workos_user_id = ${lit(uid)}`);

const LANGS = [
	{ code: 'en', html: 'en', audit: 'Audit trail', signedIn: 'Signed in', privacy: 'Privacy and your data',
		sent: 'We sent a 6-digit code', admin: 'Audit trail: every organization', users: 'Users and roles' },
	{ code: 'pt', html: 'pt-PT', audit: 'Registo de auditoria', signedIn: 'Sessão iniciada',
		privacy: 'Privacidade e os seus dados', sent: 'Enviámos um código de 6 dígitos',
		admin: 'Registo de auditoria: todas as organizações', users: 'Utilizadores e funções' },
];

// A page's raw HTML: valid for tidy, in the language asked for.
async function valid(res, what, lang) {
	const html = await res.text();
	tap.like(html, new RegExp(`^<!DOCTYPE html>\\n<html lang="${lang.html}"`), `${what}: in ${lang.code}`);
	tap.is(tidyErrors(html, what).join('\n'), '', `${what}: tidy finds no errors`);
}

async function shot(page, name) {
	const file = await browser.screenshot(page, name);
	tap.ok(fs.statSync(file).size > 1000, `screenshot ${name}`);
}

// Submit the form holding selector (a button), waiting for the page it loads.
async function submit(page, selector) {
	const [res] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
	return res;
}

async function download(page, selector) {
	const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
	return { name: dl.suggestedFilename(), text: fs.readFileSync(await dl.path(), 'utf8') };
}

browser.run(async () => {
	const expertId = idOf(EXPERT);
	const adminId = idOf(ADMIN);
	try {
		for (const L of LANGS) {
			setLang(expertId, L.code);
			setLang(adminId, L.code);
			const page = await browser.newPage({ locale: L.html });
			await browser.signIn(page, APP_URL, EXPERT);

			// The audit trail, reached from the user menu.
			await page.click('summary');
			let res = await submit(page, `.user-menu-list a[href="/audit"]`);
			tap.is(res.status(), 200, `[${L.code}] /audit from the menu: 200`);
			await valid(res, `[${L.code}] /audit`, L);
			tap.is(await page.locator('h1').innerText(), L.audit, `[${L.code}] /audit: the heading`);
			tap.ok(await page.locator('svg.audit-chart').isVisible(), `[${L.code}] /audit: the activity chart is drawn`);

			// Filter to sign-ins, in the page's own form.
			await page.selectOption('#action', 'USER_SIGNED_IN');
			await page.selectOption('#tz', 'Europe/Lisbon');
			res = await submit(page, 'form.audit-filter button[type="submit"]');
			tap.is(res.status(), 200, `[${L.code}] the filter form: 200`);
			await valid(res, `[${L.code}] /audit filtered`, L);
			tap.like(page.url(), /action=USER_SIGNED_IN/, `[${L.code}] ... the filter in the address, to bookmark`);
			const actions = await page.$$eval('tr[data-action]', (trs) => trs.map((t) => t.dataset.action));
			tap.ok(actions.length > 0 && actions.every((a) => a === 'USER_SIGNED_IN'), `[${L.code}] ... only sign-ins (${actions.length})`);
			tap.ok((await page.locator('#entries td').nth(1).innerText()).includes(L.signedIn), `[${L.code}] ... named in the language`);
			const ids = await page.$$eval('tr[data-id]', (trs) => trs.map((t) => t.dataset.id));
			await shot(page, `audit-${L.code}.png`);

			// The downloads hold the page's rows.
			const csv = await download(page, '#export-links a[href*="format=csv"]');
			tap.like(csv.name, /^eleva-audit-\d{4}-\d\d-\d\d\.csv$/, `[${L.code}] the CSV download: ${csv.name}`);
			const csvIds = csv.text.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]);
			tap.is(csvIds.slice(0, ids.length).join(','), ids.join(','), `[${L.code}] ... the page's rows, in its order`);
			const json = await download(page, '#export-links a[href*="format=json"]');
			tap.is(JSON.parse(json.text).slice(0, ids.length).map((x) => String(x.id)).join(','), ids.join(','),
				`[${L.code}] the JSON download: the page's rows too`);

			// Privacy: the data, then the first step of deleting (not taken further).
			res = await page.goto(`${APP_URL}/settings/privacy`);
			await valid(res, `[${L.code}] /settings/privacy`, L);
			tap.is(await page.locator('h1').innerText(), L.privacy, `[${L.code}] /settings/privacy: the heading`);
			await shot(page, `privacy-${L.code}.png`);
			const mine = await download(page, '#download a');
			tap.is(JSON.parse(mine.text).account.email, EXPERT, `[${L.code}] my data: a JSON file with my account (${mine.name})`);
			res = await submit(page, '#delete button[type="submit"]');
			tap.is(res.status(), 200, `[${L.code}] "send me a code": 200`);
			await valid(res, `[${L.code}] /settings/privacy, code sent`, L);
			tap.ok((await page.locator('#delete .notice').innerText()).startsWith(L.sent), `[${L.code}] ... says the code was sent`);
			tap.ok(await page.locator('#code').isVisible(), `[${L.code}] ... and asks for it`);
			await shot(page, `privacy-code-${L.code}.png`);
			res = await submit(page, '#delete a.button-quiet');
			tap.ok(await page.locator('#delete button[type="submit"]').isVisible(), `[${L.code}] "keep my account" goes back`);
			tap.is(sql(`SELECT count(*) FROM users WHERE workos_user_id = ${lit(expertId)}`), '1', `[${L.code}] ... the account is there`);

			// The platform admin's pages.
			const admin = await browser.newPage({ locale: L.html });
			await browser.signIn(admin, APP_URL, ADMIN);
			res = await admin.goto(`${APP_URL}/admin/audit`);
			await valid(res, `[${L.code}] /admin/audit`, L);
			tap.is(await admin.locator('h1').innerText(), L.admin, `[${L.code}] /admin/audit: the heading`);
			await admin.selectOption('#type', 'user');
			res = await submit(admin, 'form.audit-filter button[type="submit"]');
			await valid(res, `[${L.code}] /admin/audit filtered`, L);
			tap.ok((await admin.locator('#entries thead th').count()) === 7, `[${L.code}] ... with the organization column`);
			await shot(admin, `admin-audit-${L.code}.png`);
			res = await admin.goto(`${APP_URL}/admin/users`);
			await admin.fill('#q', 'eleva.test');
			res = await submit(admin, 'form[action="/admin/users"] button');
			await valid(res, `[${L.code}] /admin/users`, L);
			tap.is(await admin.locator('h1').innerText(), L.users, `[${L.code}] /admin/users: the heading`);
			tap.ok((await admin.locator('#users tbody tr').count()) >= 4, `[${L.code}] ... the demo accounts found`);
			await shot(admin, `admin-users-${L.code}.png`);
			tap.is(browser.cspViolations(page).concat(browser.cspViolations(admin)).join('\n'), '',
				`[${L.code}] nothing blocked by the CSP`);
		}
	} finally {
		setLang(expertId, 'en');
		setLang(adminId, 'en');
	}
});
