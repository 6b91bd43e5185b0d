// booking_faults: a guest's booking (POST /<handle>/<event>) while WorkOS
// fails, through the fault-injecting stand-in in front of the emulator
// (t/lib/workosproxy.js).  Registration failing at any step (user lookup,
// user, organization or membership creation; 5xx, reset, too slow, or the
// answer lost after WorkOS did the work) books nothing and says so, keeping
// the form; the same form again books once, with exactly one WorkOS user,
// organization and owner membership.  The sign-in code failing leaves the
// booking standing and points to a new code; a code that did arrive signs
// the guest in to a dashboard that lists the booking.  The log never names
// a guest's e-mail address.
'use strict';

const tap = require('../lib/tap');
const { env, startPool, sleep } = require('../lib/stack');
const { Jar, request, csrfOf, workos, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail, book } = require('../lib/booking');
const workosproxy = require('../lib/workosproxy');

const { WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const TIMEOUT_MS = 1500;
const RETRIES = 1;
const tight = {
	WORKOS_TIMEOUT_MS: String(TIMEOUT_MS), WORKOS_CONNECT_TIMEOUT_MS: '500', WORKOS_RETRIES: String(RETRIES),
};
const ATTEMPTS = RETRIES + 1;
const SLUG = 'consultation';
const STEP = 60;	// WorkOS calls one step below makes, at most (about 30)
const REGISTER = /We could not register you with our sign-in service just now\. Nothing was booked\. Please try again\./;

const enc = encodeURIComponent;
const emails = [];	// every guest's address, which the log must never name
const guest = () => {
	const e = guestEmail('gina');
	emails.push(e);
	return e;
};
const tag = () => Math.random().toString(36).slice(2, 10);

// The emulator allows 1000 calls a minute per API key, shared by the whole
// stack (other test files included), and answers 429 beyond.  Before a
// step that needs about n calls (the application's and the checks'), wait
// for the next window when fewer are left, so that no fault of ours is
// mistaken for one injected.
async function rateBudget(n) {
	for (let i = 0; i < 3; i++) {
		const r = await fetch(`${WORKOS_API_BASE}/organizations?limit=1`,
			{ headers: { authorization: `Bearer ${process.env.WORKOS_API_KEY}` } });
		await r.arrayBuffer();
		const left = Number(r.headers.get('x-ratelimit-remaining'));
		const reset = Number(r.headers.get('x-ratelimit-reset'));
		if (!(left < n) || !reset) return;
		const ms = Math.max(0, reset * 1000 - Date.now()) + 250;
		tap.diag(`WorkOS emulator: ${left} calls left this minute, waiting ${ms} ms for the next`);
		await sleep(ms);
	}
}

// Every page of a WorkOS list (straight to the emulator).
async function wList(path) {
	const out = [];
	let after = null;
	for (let i = 0; i < 50; i++) {
		const sep = path.includes('?') ? '&' : '?';
		const r = await workos('GET', `${path}${sep}limit=100${after ? `&after=${enc(after)}` : ''}`);
		if (r.status === 429) {	// someone else's burst: the next window
			await rateBudget(50);
			i--;
			continue;
		}
		if (r.status !== 200) throw new Error(`WorkOS ${path}: ${r.status}`);
		out.push(...r.json.data);
		after = r.json.list_metadata && r.json.list_metadata.after;
		if (!after || r.json.data.length === 0) break;
	}
	return out;
}

// What WorkOS and the database hold for a guest (e-mail, and the unique
// word in the name every organization named after her contains).
async function state(email, word) {
	const users = await wList(`/user_management/users?email=${enc(email)}`);
	const uid = users.length === 1 ? users[0].id : null;
	const orgs = (await wList(`/organizations?name=${enc(word)}`))
		.filter((o) => !uid || o.external_id === `eleva-user-${uid}`);
	const ms = uid ? (await wList(`/user_management/organization_memberships?user_id=${enc(uid)}`))
		.filter((m) => m.status === 'active') : [];
	const e = lit(email.toLowerCase());
	const db = sql(`SELECT (SELECT count(*) FROM users WHERE lower(email) = ${e}) || ',' ||
		(SELECT count(*) FROM meetings WHERE lower(guest_email) = ${e}) || ',' ||
		(SELECT count(*) FROM organizations o JOIN users u ON o.slug = 'user-' || u.workos_user_id
			WHERE lower(u.email) = ${e}) || ',' ||
		(SELECT count(*) FROM user_org_memberships m JOIN users u USING (workos_user_id)
			WHERE lower(u.email) = ${e}) || ',' ||
		(SELECT count(*) FROM audit_logs WHERE action = 'GUEST_REGISTERED'
			AND resource_id IN (SELECT workos_user_id FROM users WHERE lower(email) = ${e}))`).split(',').map(Number);
	return {
		users, uid, orgs, ms,
		wu: users.length, wo: orgs.length, wm: ms.length,
		lu: db[0], meetings: db[1], lo: db[2], lm: db[3], audits: db[4],
	};
}

const summary = (s) => `WorkOS users ${s.wu}, organizations ${s.wo}, memberships ${s.wm}; ` +
	`local users ${s.lu}, organizations ${s.lo}, memberships ${s.lm}, meetings ${s.meetings}, ` +
	`GUEST_REGISTERED audits ${s.audits}`;

// The exact shape of a registered guest: one of each, tied together.
async function once(what, email, word) {
	const s = await state(email, word);
	tap.is(summary(s), summary({ wu: 1, wo: 1, wm: 1, lu: 1, lo: 1, lm: 1, meetings: 1, audits: 1 }),
		`${what}: exactly one WorkOS user, organization and membership, one local registration, one meeting`);
	const org = s.orgs[0];
	const m = s.ms[0];
	tap.ok(org && org.external_id === `eleva-user-${s.uid}` && m && m.organization_id === org.id &&
		m.role && m.role.slug === 'owner', `${what}: ... the organization is eleva-user-<id>, the membership its owner`);
	if (s.uid && org) {
		tap.is(sql(`SELECT count(*) FROM meetings m JOIN organizations o ON o.id = m.guest_org_id
			WHERE m.guest_workos_user_id = ${lit(s.uid)} AND o.workos_org_id = ${lit(org.id)}`), '1',
		`${what}: ... and the meeting is the guest's, with her organization`);
	}
	return s;
}

// A fresh expert's booking page: the jar, the page, and a start well
// inside the week shown.
async function open(pool, expert) {
	const jar = new Jar();
	const page = await request(`${pool.url}/${expert.handle}/${SLUG}`, jar);
	const starts = startsOf(page.body);
	if (page.status !== 200 || starts.length < 10) throw new Error(`no booking page for ${expert.handle}: ${page.status}`);
	return { jar, page, start: starts[Math.floor(starts.length / 2)] };
}

// POST the form again as the page shown asks (its own CSRF token).
function again(pool, expert, jar, html, fields) {
	return request(`${pool.url}/${expert.handle}/${SLUG}`, jar, {
		form: { csrf: csrfOf(html), timezone: expert.tz, notes: '', ...fields }, headers: { origin: pool.url },
	});
}

// The booking page shown again after a registration failure, form kept.
function refusedPage(what, r, fields) {
	tap.ok(r.status === 502 || r.status === 503, `${what}: a ${r.status} page`);
	tap.like(r.body, REGISTER, `${what}: saying registration failed, nothing was booked, try again`);
	tap.ok(r.body.includes(`value="${fields.name}"`) && r.body.includes(`value="${fields.email}"`) &&
		new RegExp(`name="start" value="${fields.start}" required checked>`).test(r.body) && csrfOf(r.body) !== undefined,
	`${what}: the form again with name, e-mail and time kept`);
}

const booked = (r) => r.status === 200 && /You are booked/.test(r.body);

tap.run(async () => {
	const proxy = await workosproxy.start(WORKOS_API_BASE);
	const pool = await startPool({ args: ['--workers', '2'], env: { ...tight, WORKOS_API_BASE: proxy.url } });
	try {
		// --- Registration failing, then the same form again -------------
		// [what, method, path prefix, fault, [WorkOS users, organizations,
		// memberships] for the guest afterwards]
		// 5xx faults outlast the client's attempts; curl resends once by
		// itself when a reused connection dies before any answer, hence
		// the reset counts.
		const cases = [
			['user lookup: 500', 'GET', '/user_management/users', { status: 500, count: ATTEMPTS }, [0, 0, 0]],
			['user lookup: reset', 'GET', '/user_management/users', { mode: 'reset', count: 2 * ATTEMPTS }, [0, 0, 0]],
			['user creation: 500', 'POST', '/user_management/users', { status: 500, count: ATTEMPTS }, [0, 0, 0]],
			['user creation: reset', 'POST', '/user_management/users', { mode: 'reset', count: 2 * ATTEMPTS }, [0, 0, 0]],
			['user creation: refused (422)', 'POST', '/user_management/users', { status: 422, body: { code: 'invalid_request_parameters', message: 'Invalid' } }, [0, 0, 0]],
			['user creation: answers lost', 'POST', '/user_management/users', { after: true, status: 502, count: ATTEMPTS }, [1, 0, 0]],
			['organization lookup: 502', 'GET', '/organizations/external_id/', { status: 502, count: ATTEMPTS }, [1, 0, 0]],
			['organization creation: 500', 'POST', '/organizations', { status: 500, count: ATTEMPTS }, [1, 0, 0]],
			['organization creation: reset', 'POST', '/organizations', { mode: 'reset', count: 2 * ATTEMPTS }, [1, 0, 0]],
			['membership list: 503', 'GET', '/user_management/organization_memberships', { status: 503, count: ATTEMPTS }, [1, 1, 0]],
			['membership creation: 500', 'POST', '/user_management/organization_memberships', { status: 500, count: ATTEMPTS }, [1, 1, 0]],
			['membership creation: reset', 'POST', '/user_management/organization_memberships', { mode: 'reset', count: 2 * ATTEMPTS }, [1, 1, 0]],
			['membership creation: answers lost', 'POST', '/user_management/organization_memberships', { after: true, status: 500, count: ATTEMPTS }, [1, 1, 1]],
		];
		let first = null;
		for (const [what, method, path, fault, [wu, wo, wm]] of cases) {
			await rateBudget(STEP);
			const expert = await publishedExpert({ last: 'Faults' });
			const { jar, start } = await open(pool, expert);
			const word = tag();
			const fields = { name: `Gina ${word}`, email: guest(), start };
			proxy.clearFaults();
			proxy.fail(method, path, fault);
			const before = proxy.calls.length;
			const { r } = await book(pool.url, expert, SLUG, fields, jar);
			proxy.clearFaults();
			refusedPage(what, r, fields);
			if (fault.status) {
				const tries = proxy.calls.slice(before).filter((c) => c.method === method && c.path.startsWith(path));
				const want = fault.status >= 500 ? ATTEMPTS : 1;
				tap.is(tries.length, want, `${what}: tried ${want} time(s) (${want > 1 ? 'retried' : 'a refusal is not retried'})`);
				if (want === 1) tap.is(r.status, 502, `${what}: WorkOS refusing is a 502`);
				if (method === 'POST') {
					tap.ok(tries[0].idem && tries.every((c) => c.idem === tries[0].idem),
						`${what}: ... with one Idempotency-Key`);
				}
			}
			const s = await state(fields.email, word);
			tap.is(summary(s), summary({ wu, wo, wm, lu: 0, lo: 0, lm: 0, meetings: 0, audits: 0 }),
				`${what}: nothing booked or registered locally${wu ? '' : ', no WorkOS user'}`);
			if (wu) tap.is(s.users[0].email_verified, false, `${what}: the WorkOS user is created unverified`);

			const r2 = await again(pool, expert, jar, r.body, fields);
			tap.ok(booked(r2), `${what}: the same form again books (${r2.status})`);
			await once(what, fields.email, word);
			if (!first) first = { expert, jar, fields, word, body: r.body };
		}

		// The confirmation lost as well: the guest sends the form once more.
		{
			await rateBudget(STEP);
			const { expert, jar, fields, word, body } = first;
			const r = await again(pool, expert, jar, body, fields);
			tap.is(r.status, 200, 'the same booking a third time: 200');
			tap.like(r.body, /You already have this booking/, '... saying the guest already has it');
			await once('the same booking a third time', fields.email, word);
		}

		// Only the first creation's answer lost: the retry is told "exists"
		// (409), which the client resolves (the user looked up again, the
		// membership taken as made) within the same request.
		for (const [what, path] of [['user creation', '/user_management/users'],
			['membership creation', '/user_management/organization_memberships']]) {
			await rateBudget(STEP);
			const expert = await publishedExpert({ last: 'Faults' });
			const { jar, start } = await open(pool, expert);
			const word = tag();
			const fields = { name: `Gina ${word}`, email: guest(), start };
			proxy.fail('POST', path, { after: true, status: 500 });
			const { r } = await book(pool.url, expert, SLUG, fields, jar);
			proxy.clearFaults();
			tap.ok(booked(r), `${what}: first answer lost, the retry's conflict resolved: booked (${r.status})`);
			await once(`${what}, first answer lost`, fields.email, word);
		}

		// The user made but the answer lost, then the lookup that resolves
		// the retry's conflict failing (the second lookup of the request:
		// the first is let through).
		{
			await rateBudget(STEP);
			const expert = await publishedExpert({ last: 'Faults' });
			const { jar, start } = await open(pool, expert);
			const word = tag();
			const fields = { name: `Gina ${word}`, email: guest(), start };
			const what = 'user lookup after a conflict: 500';
			proxy.fail('POST', '/user_management/users', { after: true, mode: 'reset' });
			proxy.fail('GET', '/user_management/users', { skip: 1, status: 500, count: ATTEMPTS });
			const { r } = await book(pool.url, expert, SLUG, fields, jar);
			proxy.clearFaults();
			refusedPage(what, r, fields);
			tap.is(proxy.count('GET', '/user_management/users', fields.email), 1 + ATTEMPTS,
				`${what}: looked up first, then again after the conflict (retried)`);
			const s = await state(fields.email, word);
			tap.is(summary(s), summary({ wu: 1, wo: 0, wm: 0, lu: 0, lo: 0, lm: 0, meetings: 0, audits: 0 }),
				`${what}: nothing booked or registered locally`);
			const r2 = await again(pool, expert, jar, r.body, fields);
			tap.ok(booked(r2), `${what}: the same form again books (${r2.status})`);
			await once(what, fields.email, word);
		}

		// --- WorkOS too slow at the first lookup -------------------------
		{
			await rateBudget(STEP);
			const expert = await publishedExpert({ last: 'Faults' });
			const { jar, page, start } = await open(pool, expert);
			const word = tag();
			const fields = { name: `Gina ${word}`, email: guest(), start };
			proxy.fail('GET', '/user_management/users', { mode: 'slow', ms: TIMEOUT_MS + 1500, count: ATTEMPTS });
			const t0 = Date.now();
			const r = await again(pool, expert, jar, page.body, fields);
			const took = Date.now() - t0;
			proxy.clearFaults();
			refusedPage('user lookup: too slow', r, fields);
			tap.is(r.status, 503, 'user lookup: too slow: 503 (unavailable)');
			// Each attempt ends at the timeout; the backoff is at most 300 ms.
			const budget = ATTEMPTS * TIMEOUT_MS + 300 + 1000;
			tap.ok(took < budget, `user lookup: too slow: answered in ${took} ms, within the budget of ${budget} ms`);
			tap.is(proxy.count('GET', '/user_management/users', fields.email), ATTEMPTS,
				`user lookup: too slow: ${ATTEMPTS} attempts, then given up`);
			const s = await state(fields.email, word);
			tap.is(summary(s), summary({ wu: 0, wo: 0, wm: 0, lu: 0, lo: 0, lm: 0, meetings: 0, audits: 0 }),
				'user lookup: too slow: nothing written');
			const r2 = await again(pool, expert, jar, r.body, fields);
			tap.ok(booked(r2), `user lookup: too slow: the same form again books (${r2.status})`);
			await once('user lookup: too slow', fields.email, word);
		}

		// --- The sign-in code failing: the booking stands ---------------
		for (const [what, fault] of [['500', { status: 500, count: ATTEMPTS }], ['reset', { mode: 'reset', count: 2 * ATTEMPTS }]]) {
			await rateBudget(STEP);
			const last = `Codeless${tag()}`;
			const expert = await publishedExpert({ last });
			const { jar, start } = await open(pool, expert);
			const word = tag();
			const fields = { name: `Gina ${word}`, email: guest(), start };
			proxy.fail('POST', '/user_management/magic_auth', fault);
			const { r } = await book(pool.url, expert, SLUG, fields, jar);
			proxy.clearFaults();
			const w = `magic auth: ${what}`;
			tap.is(r.status, 200, `${w}: the confirmation, 200`);
			tap.like(r.body, /You are booked/, `${w}: ... saying the guest is booked`);
			tap.like(r.body, /Your booking stands, but we could not send your sign-in code just now\./,
				`${w}: ... that the booking stands and the code could not be sent`);
			tap.like(r.body, /<a class="button" href="\/sign-in\/code">Get a sign-in code<\/a>/, `${w}: ... with a link to get a new code`);
			tap.unlike(r.body, /We have e-mailed a six-digit sign-in code/, `${w}: ... and no claim that a code was sent`);
			tap.ok(r.body.includes(`<time datetime="${start.replace(':00Z', 'Z')}">`), `${w}: ... at the time booked`);
			tap.ok(proxy.count('POST', '/user_management/magic_auth', fields.email) >= ATTEMPTS,
				`${w}: the code was asked for ${ATTEMPTS} times (retried)`);
			tap.is(proxy.magicCodes(fields.email).length, 0, `${w}: no code was issued`);
			await once(w, fields.email, word);
			if (what !== '500') continue;

			// A new code, asked for by hand.
			const cj = new Jar();
			let p = await request(`${pool.url}/sign-in/code`, cj);
			tap.ok(p.status === 200 && /name="email"/.test(p.body), `${w}: /sign-in/code asks for the e-mail`);
			p = await request(`${pool.url}/sign-in/code`, cj, { form: { csrf: csrfOf(p.body), email: fields.email } });
			tap.ok(p.status === 200 && /name="code"/.test(p.body), `${w}: ... then for the code`);
			const codes = proxy.magicCodes(fields.email);
			tap.is(codes.length, 1, `${w}: WorkOS issued one code`);
			p = await request(`${pool.url}/sign-in/code`, cj, { form: { csrf: csrfOf(p.body), email: fields.email, code: codes[0] || '' } });
			tap.is(`${p.status} ${p.location}`, '303 /dashboard', `${w}: the code signs the guest in`);
			await dashboardLists(pool, cj, w, last, start);
		}

		// --- A booking that works: one code, which signs in --------------
		{
			await rateBudget(STEP);
			const last = `Coded${tag()}`;
			const expert = await publishedExpert({ last });
			const { jar, start } = await open(pool, expert);
			const word = tag();
			const fields = { name: `Gina ${word}`, email: guest(), start };
			const before = proxy.calls.length;
			const { r } = await book(pool.url, expert, SLUG, fields, jar);
			const w = 'booking through the proxy';
			tap.ok(booked(r), `${w}: confirmed (${r.status})`);
			tap.ok(r.body.includes(`We have e-mailed a six-digit sign-in code to ${fields.email}.`), `${w}: ... saying a code was sent`);
			tap.unlike(r.body, /could not send your sign-in code/, `${w}: ... and not that it failed`);
			tap.is(proxy.count('POST', '/user_management/magic_auth', fields.email), 1, `${w}: exactly one magic-auth request for the guest`);
			tap.is(proxy.calls.slice(before).filter((c) => c.path === '/user_management/magic_auth').length, 1,
				`${w}: ... and none for anyone else`);
			const codes = proxy.magicCodes(fields.email);
			tap.ok(codes.length === 1 && /^\d{6}$/.test(codes[0]), `${w}: WorkOS issued one 6-digit code`);
			tap.ok(!r.body.includes(codes[0]), `${w}: ... which the page never shows`);
			const s = await once(w, fields.email, word);
			tap.is(s.users[0] && s.users[0].email_verified, false, `${w}: the WorkOS user is created unverified`);

			// The confirmation holds the code form itself: the address
			// travels in the POST body, never in a URL.
			tap.unlike(r.body, /href="[^"]*email=/, `${w}: no link carries the e-mail address`);
			tap.ok(/<form method="post" action="\/sign-in\/code" id="code-form">/.test(r.body) &&
				r.body.includes(`name="email" value="${fields.email}"`) && /name="code"/.test(r.body),
				`${w}: the confirmation asks for the code, for the booking's e-mail`);
			const p = await request(`${pool.url}/sign-in/code`, jar, { form: { csrf: csrfOf(r.body), email: fields.email,
				code: codes[0] || '', return_to: '/dashboard' }, headers: { origin: pool.url } });
			tap.is(`${p.status} ${p.location}`, '303 /dashboard', `${w}: the recorded code signs the guest in`);
			await dashboardLists(pool, jar, w, last, start);
		}

		// --- A health platform's guest list stays out of the log ---------
		const leaks = pool.log().split('\n').filter((l) => emails.some((e) => l.includes(e) || l.includes(enc(e))));
		tap.is(leaks.length, 0, 'the pool log never names a guest\'s e-mail address (nor URL-encoded)');
		for (const l of leaks.slice(0, 3)) tap.diag(`  ${l}`);
	} finally {
		await pool.stop();
		await proxy.close();
	}
});

// The guest's dashboard lists the booking among the upcoming ones: the
// time, the expert (Marta <last>) and the event.
async function dashboardLists(pool, jar, what, last, start) {
	const d = await request(`${pool.url}/dashboard`, jar);
	tap.is(d.status, 200, `${what}: the dashboard opens`);
	const sec = (/<section class="panel" id="upcoming-bookings">([\s\S]*?)<\/section>/.exec(d.body) || [])[1] || '';
	const row = sec.split('<tr>').find((tr) => tr.includes(`<time datetime="${start.replace(':00Z', 'Z')}">`));
	tap.ok(row !== undefined, `${what}: the dashboard lists the booking at its time`);
	tap.ok(row !== undefined && row.includes(`<td>Marta ${last}</td>`) && row.includes('<td>Consultation</td>'),
		`${what}: ... with the expert and the event`);
	if (row === undefined) tap.diag(sec.slice(0, 1500));
}
