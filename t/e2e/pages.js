// pages: every page of the product, for every kind of visitor — signed
// out, a guest (role user), an expert, an admin.  Each answers its role
// with 200 and the others with 403 (or a sign-in redirect when signed
// out); the public booking pages (a published expert's profile, an event's
// booking page, the confirmation and a refused form after a POST) answer
// everybody, and an unpublished expert's answer everybody 404; every HTML
// page is valid for Debian's tidy (no errors) in the four languages,
// carries no script, and is screenshotted in headless Chromium with
// JavaScript off (the PNGs land in $ELEVA_ARTIFACTS).
'use strict';

const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { Jar, request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail } = require('../lib/booking');
const { tidyErrors } = require('../lib/tidy');
const browser = require('../lib/browser');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const LANGS = [['en', 'en'], ['es', 'es'], ['pt', 'pt-PT'], ['br', 'pt-BR']];

// Who gets what: status per visitor (out = signed out).  A page listed
// with html: false is not HTML (the CSV); one with post: 'book' or
// 'refuse' is the answer to the booking form of its path, filled in with a
// start it offers and a name (or a name of spaces, which the server
// refuses); like, unlike: what its body must (not) hold; says: the text
// it shows per language.
function pages(ids) {
	const ALL = { out: 200, guest: 200, expert: 200, admin: 200 };
	const AUTH = { out: 303, guest: 200, expert: 200, admin: 200 };
	const EXPERT = { out: 303, guest: 403, expert: 200, admin: 403 };
	const ADMIN = { out: 303, guest: 403, expert: 403, admin: 200 };
	const GONE = { out: 404, guest: 404, expert: 404, admin: 404 };
	const REFUSED = { out: 422, guest: 422, expert: 422, admin: 422 };
	const booking = `/${ids.published}/${ids.slug}`;
	const say = (en, es, pt, br) => ({ en, es, pt, br });
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
		{ name: 'setup-rules', path: '/setup/rules', who: EXPERT },
		{ name: 'setup-event-edit', path: `/setup/events?edit=${ids.event}`, who: { ...EXPERT, admin: 403 } },
		{ name: 'admin-setup-stats', path: '/admin/setup-stats', who: ADMIN },
		{ name: 'admin-setup-stats-csv', path: '/admin/setup-stats.csv', who: ADMIN, html: false },
		{ name: 'admin-reset-setup', path: `/admin/experts/${ids.expert}/reset-setup`, who: ADMIN },
		{ name: 'audit', path: '/audit', who: AUTH, like: /<svg class="chart audit-chart"/,
			says: say('Audit trail', 'Registro de auditoría', 'Registo de auditoria', 'Registro de auditoria') },
		{ name: 'audit-filtered', path: '/audit?action=USER_SIGNED_IN&type=user&from=2020-01-01&tz=America%2FSao_Paulo', who: AUTH,
			like: /<tr data-id="\d+" data-action="USER_SIGNED_IN">/ },
		{ name: 'audit-bad-filter', path: '/audit?from=2026-02-30', who: { out: 303, guest: 400, expert: 400, admin: 400 },
			says: say('Enter a day as YYYY-MM-DD', 'Indica un día como AAAA-MM-DD', 'Indique um dia como AAAA-MM-DD',
				'Informe um dia como AAAA-MM-DD') },
		{ name: 'audit-export-csv', path: '/audit/export?format=csv&action=USER_SIGNED_IN', who: AUTH, html: false },
		{ name: 'privacy', path: '/settings/privacy', who: AUTH,
			says: say('Delete your account', 'Eliminar tu cuenta', 'Eliminar a sua conta', 'Excluir sua conta') },
		{ name: 'admin-audit', path: '/admin/audit', who: ADMIN },
		{ name: 'admin-users', path: '/admin/users', who: ADMIN },
		{ name: 'admin-webhooks', path: '/admin/webhooks', who: ADMIN },
		{ name: 'expert-profile', path: `/${ids.published}`, who: ALL,
			like: /<h1>Clara Conceição<\/h1>[\s\S]*href="\/[^"]+\/consulta-inicial"[\s\S]*href="\/[^"]+\/conversa"/,
			says: say('Sessions you can book', 'Sesiones que puedes reservar', 'Sessões que pode marcar', 'Sessões que você pode agendar') },
		{ name: 'booking', path: booking, who: ALL, like: /<fieldset class="slot-day">\n<legend>[^\n]+<\/legend>\n<div class="slot-times">\n<label class="slot"><input class="visually-hidden" type="radio" name="start" value="/,
			says: say('Choose a time', 'Elige una hora', 'Escolha uma hora', 'Escolha um horário') },
		{ name: 'booking-done', path: booking, who: ALL, post: 'book', like: /<section class="panel narrow" id="booking-done">[\s\S]*\(Europe\/Lisbon\)/,
			says: say('You are booked', 'Tu reserva está hecha', 'A sua marcação está feita', 'Seu horário está agendado') },
		{ name: 'booking-refused', path: booking, who: REFUSED, post: 'refuse', like: /<span class="field-error" id="name-error">/,
			says: say('This field is required.', 'Este campo es obligatorio.', 'Este campo é obrigatório.', 'Este campo é obrigatório.') },
		{ name: 'expert-unpublished', path: `/${ids.hidden}`, who: GONE, unlike: /Oculta|Consulta inicial/ },
		{ name: 'booking-unpublished', path: `/${ids.hidden}/${ids.slug}`, who: GONE, unlike: /Oculta|Consulta inicial/,
			says: say('This expert or session is not open for booking.', 'Esta persona experta o esta sesión no admite reservas.',
				'Este perfil ou esta sessão não está disponível para marcação.',
				'Este perfil ou esta sessão não está aberto para agendamento.') },
	];
}

async function newAccount(first, last, role) {
	const u = await newUser(first, last);
	await signIn(APP_URL, u.email);
	if (role !== 'user') sql(`UPDATE users SET role = ${lit(role)} WHERE workos_user_id = ${lit(u.id)}`);
	return u;
}

// GET the page; for a form's answer, GET its form with jar, then POST it
// as filled in by p.post.
async function fetchPage(p, jar, headers) {
	const url = `${APP_URL}${p.path}`;
	const r = await request(url, jar, { headers });
	if (!p.post || r.status !== 200) return r;
	const form = {
		csrf: csrfOf(r.body), timezone: 'Europe/Lisbon', start: startsOf(r.body).pop(),
		name: p.post === 'refuse' ? '   ' : 'Paula Paciente', email: guestEmail('pages'), notes: 'Primeira consulta.',
	};
	return request(url, jar, { form, headers: { ...headers, origin: APP_URL } });
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
	// A published expert with a paid and a free event, whose public pages
	// everybody sees, and an unpublished one whose nobody does.
	const events = [{ slug: 'consulta-inicial', name: 'Consulta inicial', minutes: 60, price: 5000 },
		{ slug: 'conversa', name: 'Conversa de 20 minutos', minutes: 20, price: 0 }];
	const published = await publishedExpert({ first: 'Clara', last: 'Conceição', tz: 'Europe/Lisbon', events });
	const hidden = await publishedExpert({ first: 'Olga', last: 'Oculta', events, published: false });
	const ids = {
		expert: expert.id, event: sql(`SELECT id FROM events WHERE workos_user_id = ${lit(expert.id)}`),
		published: published.handle, hidden: hidden.handle, slug: 'consulta-inicial',
	};
	const users = { guest, expert, admin };
	const jars = { out: null };
	for (const [who, u] of Object.entries(users)) jars[who] = (await signIn(APP_URL, u.email)).jar;

	// Status per visitor, and tidy in every language for each HTML page.
	// The language is the user's preference: every signed-in page reads
	// it, and the session cookie keeps a copy for public pages, refreshed
	// by the next signed-in one (the dashboard: it asks WorkOS nothing, and
	// the emulator limits the calls a minute); so each visitor goes
	// through the pages once per language.  A redirect to sign in or a CSV
	// is checked in the first language only.
	const once = new Set();
	for (const who of ['out', 'guest', 'expert', 'admin']) {
		for (const [code, htmlLang] of LANGS) {
			if (who !== 'out') {
				setLang(users[who].id, code);
				await request(`${APP_URL}/dashboard`, jars[who]);
			}
			const headers = who === 'out' ? { 'accept-language': htmlLang } : { 'accept-language': 'en' };
			for (const p of pages(ids)) {
				const want = p.who[who];
				if (want === undefined || once.has(`${p.name} ${who}`)) continue;
				const r = await fetchPage(p, jars[who] || new Jar(), headers);
				const what = `${p.name} as ${who} [${code}]`;
				if (!tap.is(r.status, want, `${what}: ${want}`)) continue;
				if (want === 303) {
					tap.like(r.location || '', /^\/sign-in\?return_to=/, `${what}: sent to sign in`);
					once.add(`${p.name} ${who}`);
					continue;
				}
				if (p.html === false && want === 200) {
					tap.like(r.headers.get('content-type') || '', /^text\/csv/, `${what}: CSV`);
					once.add(`${p.name} ${who}`);
					continue;
				}
				tap.like(r.body, new RegExp(`^<!DOCTYPE html>\\n<html lang="${htmlLang}"`), `${what}: <html lang="${htmlLang}">`);
				// No script but the time picker's optional one (static/js/tz.js).
				tap.unlike(r.body.replace(/<script src="\/static\/js\/tz\.js\?v=[0-9a-f]{12}" defer><\/script>/, ''), /<script/i,
					`${what}: no script${/^booking/.test(p.name) ? ' but tz.js' : ''}`);
				tap.is(/\/static\/js\/tz\.js/.test(r.body), /<form class="slot-zone"/.test(r.body),
					`${what}: tz.js only with the time picker`);
				tap.is(tidyErrors(r.body, what).join('\n'), '', `${what}: tidy finds no errors`);
				if (p.like) tap.like(r.body, p.like, `${what}: the expected content`);
				if (p.unlike) tap.unlike(r.body, p.unlike, `${what}: nothing of the unpublished expert`);
				if (p.says) tap.ok(r.body.includes(p.says[code]), `${what}: says "${p.says[code]}"`);
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
			let res = await page.goto(`${APP_URL}${p.path}`);
			if (p.post) {
				// The form as a person fills it: the last start offered.
				await page.locator('#times label.slot').last().click();
				await page.fill('#name', p.post === 'refuse' ? '   ' : 'Paula Paciente');
				await page.fill('#email', guestEmail('pages'));
				[res] = await Promise.all([page.waitForNavigation(), page.click('#times form[method="post"] button[type="submit"]')]);
			}
			tap.is(res.status(), p.who[who], `browser: ${p.name} as ${who}: ${p.who[who]}`);
			if (p.name === 'admin-setup-stats' && who === 'admin') {
				// The chart: inline SVG, one bar per step, named for assistive technology.
				tap.ok(await page.locator('svg.chart').isVisible(), 'browser: the admin sees the per-step chart');
				tap.is(await page.locator('svg.chart rect.bar').count(), 6, '... six bars, one per step');
				tap.ok((await page.locator('svg.chart > title').textContent()).length > 0, '... with a title');
				const box = await page.locator('svg.chart rect.bar').first().boundingBox();
				tap.ok(box && box.width > 0 && box.height > 0, '... the bars are drawn');
			}
			if ([200, 400, 404, 422].includes(p.who[who])) await browser.screenshot(page, `page-${who}-${p.name}`);
		}
		tap.is(browser.cspViolations(page).join('\n'), '', `browser: nothing blocked by the CSP for ${who}`);
	}
});
