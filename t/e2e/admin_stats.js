// admin_stats: /admin/setup-stats, its CSV and the reset of an expert's setup,
// end to end: admins and superadmins only (403 for experts and plain users,
// on every route, writing nothing); the figures against the live rows; the
// chart and its text alternative; paging; CSV quoting and neutralised
// formulas; the reset's confirmation, refusals and audit row; tidy-clean
// HTML without script.
//
// The figures: the statistics cover every expert's setup row in the
// database, and the pool's connections only ever see committed rows, so an
// empty or otherwise exactly known data set cannot be arranged across HTTP
// without destroying other tests' rows.  This file seeds its own experts
// (24: known names, steps and completion), checks that each figure moved by
// exactly what the seed adds, and checks every figure against the answer
// computed here, in exact integer arithmetic, from the raw flags the owner
// reads (demo accounts and other tests' experts included).  The exact
// known-answer sets, the empty one among them, and row-level security
// alone are t/unit/admin_stats_test.c's: it runs the statements of
// app/sql.c as the app role inside one rolled-back transaction.
'use strict';

const { spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');

const { APP_URL, WORKOS_API_BASE } = env();
if (!WORKOS_API_BASE || !process.env.DATABASE_OWNER_URL) tap.skipAll('no WorkOS emulator in this stack');

const STEPS = ['profile', 'availability', 'events', 'google_account', 'identity', 'payment'];
const EXPERT_ROLES = "('expert_community', 'expert_lecturer', 'expert_top')";
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`.replace(/[^a-z0-9]/g, '');
const seedId = (i) => `user_adminstats${run}x${i}`;

// x/y rounded half up to one decimal, as text ("0.0" when y is 0).
function round1(x, y) {
	if (y === 0) return '0.0';
	const tenths = Math.floor((20 * x + y) / (2 * y));
	return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

// The expected figures from the raw rows, as the owner reads them.
function expected() {
	const rows = sql(`SELECT ${STEPS.map((s) => `${s}_completed::int`).join(" || ',' || ")} || ',' || setup_complete::int
		FROM expert_setup s JOIN users u USING (workos_user_id) WHERE u.role IN ${EXPERT_ROLES}`)
		.split('\n').filter(Boolean).map((l) => l.split(',').map(Number));
	const total = rows.length;
	const complete = rows.filter((r) => r[6] === 1).length;
	const steps = rows.reduce((n, r) => n + r.slice(0, 6).reduce((a, b) => a + b, 0), 0);
	const per = STEPS.map((_, i) => rows.filter((r) => r[i] === 1).length);
	return {
		total, complete, incomplete: total - complete,
		rate: round1(100 * complete, total), average: round1(steps, total),
		steps: per.map((n) => ({ count: n, pct: round1(100 * n, total) })),
	};
}

// The incomplete experts' ids, newest first, as the page must list them.
const incompleteIds = () => sql(`SELECT s.workos_user_id FROM expert_setup s JOIN users u USING (workos_user_id)
	WHERE u.role IN ${EXPERT_ROLES} AND NOT s.setup_complete ORDER BY s.created_at DESC, s.workos_user_id`)
	.split('\n').filter(Boolean);

// What the page shows.
function figures(html) {
	const f = {};
	for (const k of ['total', 'complete', 'incomplete', 'rate', 'average']) {
		const m = new RegExp(`id="stat-${k}"><strong>([^<]*)</strong>`).exec(html);
		f[k] = m && m[1];
	}
	f.steps = STEPS.map((s) => {
		const m = new RegExp(`<tr id="step-${s}"><th scope="row">[^<]+</th><td class="num">(\\d+)</td><td class="num">([^<]+)</td>`).exec(html);
		return m ? { count: Number(m[1]), pct: m[2] } : null;
	});
	return f;
}
const listed = (html) => [...html.matchAll(/<tr data-id="([^"]+)">/g)].map((m) => m[1]);

function tidy(html) {
	const r = spawnSync('tidy', ['-e', '-q'], { input: html, encoding: 'utf8' });
	if (r.error) return { ok: false, out: String(r.error) };
	// 0: clean, 1: warnings only, 2: errors.
	return { ok: r.status === 0, out: r.stderr.trim() };
}
function tidyOk(html, what) {
	const t = tidy(html);
	if (!tap.ok(t.ok, `${what}: tidy -e finds nothing`)) tap.diag(t.out);
	tap.unlike(html, /<script/i, `${what}: no script`);
}

// RFC 4180, enough for the test: quoted fields, doubled quotes, CRLF rows.
function parseCsv(text) {
	const rows = [];
	let row = [];
	let field = '';
	let i = 0;
	let quoted = false;
	while (i < text.length) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
			if (ch === '"') { quoted = false; i++; continue; }
			field += ch;
			i++;
			continue;
		}
		if (ch === '"' && field === '') { quoted = true; i++; continue; }
		if (ch === ',') { row.push(field); field = ''; i++; continue; }
		if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
		field += ch;
		i++;
	}
	if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
	return rows;
}

const flagsOf = (id) => sql(`SELECT ${STEPS.map((s) => `${s}_completed::int`).join(" || '' || ")} || ':' || setup_complete::int
	FROM expert_setup WHERE workos_user_id = ${lit(id)}`);
const resets = (id) => Number(sql(`SELECT count(*) FROM audit_logs WHERE action = 'SETUP_RESET' AND resource_id = ${lit(id)}`));
const allResets = () => Number(sql("SELECT count(*) FROM audit_logs WHERE action = 'SETUP_RESET'"));

// The seed: 22 incomplete experts (steps 0..5 in turn, in wizard order, so
// payment never precedes identity) and 2 complete ones.  Special names:
// 0 a profile name over the user's, 1 no name at all, 2 a formula with a
// comma and quotes, 3 an e-mail starting with +, 4 a name starting with @
// or -, 5 UTF-8, 6 HTML.
const N_INCOMPLETE = 22;
const N_COMPLETE = 2;
const specials = {
	0: ['Utilizador', 'Base'],
	1: [null, null],
	2: ['=HYPERLINK("http://evil.example","x")', 'Sousa, "Rita"'],
	4: ['@risk', '-minus'],
	5: ['João', 'Gonçalves'],
	6: ['<b>Bold</b>', 'Tag'],
};
function seed() {
	const q = [];
	for (let i = 0; i < N_INCOMPLETE + N_COMPLETE; i++) {
		const [first, last] = specials[i] || [`Seed${i}`, 'Expert'];
		const email = i === 3 ? `+351.${run}@example.test` : `seed${i}.${run}@example.test`;
		const done = i < N_INCOMPLETE ? i % 6 : 6;
		q.push(`SELECT app.provision_user(${lit(seedId(i))}, ${lit(email)}, ${first === null ? 'NULL' : lit(first)},
			${last === null ? 'NULL' : lit(last)}, 'expert_community', ${lit(`org_adminstats${run}x${i}`)})`);
		q.push(`UPDATE expert_setup SET ${STEPS.map((s, k) => `${s}_completed = ${k < done}`).join(', ')},
			setup_complete = ${done === 6}, setup_completed_at = ${done === 6 ? 'now()' : 'NULL'},
			created_at = now() - interval '${i} minutes' WHERE workos_user_id = ${lit(seedId(i))}`);
	}
	q.push(`INSERT INTO profiles (org_id, workos_user_id, first_name, last_name)
		SELECT org_id, workos_user_id, 'Dra. Perfil', 'Nome' FROM expert_setup WHERE workos_user_id = ${lit(seedId(0))}`);
	sql(`${q.join(';\n')};`);
}
function unseed() {
	sql(`DELETE FROM organizations WHERE slug LIKE ${lit(`user-user_adminstats${run}x%`)};
		DELETE FROM users WHERE workos_user_id LIKE ${lit(`user_adminstats${run}x%`)}`);
}

tap.run(async () => {
	// Signed out: sign in first.
	let r = await request(`${APP_URL}/admin/setup-stats`, null);
	tap.is(`${r.status} ${r.location}`, '303 /sign-in?return_to=%2Fadmin%2Fsetup-stats',
		'signed out: the page sends to sign in, coming back');
	r = await request(`${APP_URL}/admin/setup-stats.csv`, null);
	tap.is(r.status, 303, 'signed out: so does the CSV');

	const before = expected();
	seed();
	try {
		await main(before);
	} finally {
		unseed();
	}
});

async function main(before) {
	let r;
	const admin = (await signIn(APP_URL, 'admin@eleva.test')).jar;
	const adminId = sql("SELECT workos_user_id FROM users WHERE email = 'admin@eleva.test'");
	const target = seedId(4); // 4 steps done
	const targetPath = `/admin/experts/${target}/reset-setup`;

	// Everyone else gets 403 on every route, and a reset POST writes nothing.
	const others = [['expert@eleva.test', 'an expert (setup complete)'], ['newexpert@eleva.test', 'an expert (setup not started)'],
		['guest@eleva.test', 'a plain user']];
	const targetFlags = flagsOf(target);
	const nResets = allResets();
	for (const [email, who] of others) {
		const { jar } = await signIn(APP_URL, email);
		for (const path of ['/admin/setup-stats', '/admin/setup-stats?page=2', '/admin/setup-stats.csv', targetPath]) {
			r = await request(`${APP_URL}${path}`, jar);
			tap.is(r.status, 403, `${who}: GET ${path} is refused (403)`);
		}
		tap.unlike(r.body, /Reset this expert/, `${who}: ... showing nothing of the page`);
		r = await request(`${APP_URL}/dashboard`, jar);
		const csrf = csrfOf(r.body);
		r = await request(`${APP_URL}${targetPath}`, jar, { form: { csrf, confirm: 'on' } });
		tap.is(r.status, 403, `${who}: POST reset (with a valid CSRF token and the confirmation) is refused (403)`);
	}
	tap.is(flagsOf(target), targetFlags, '... and none of those POSTs changed the expert\'s setup');
	tap.is(allResets(), nResets, '... or wrote an audit row');

	// The figures: moved by exactly the seed, and equal to the raw rows' answer.
	r = await request(`${APP_URL}/admin/setup-stats`, admin);
	tap.is(r.status, 200, 'admin: GET /admin/setup-stats answers 200');
	tidyOk(r.body, 'the statistics page');
	const shown = figures(r.body);
	const want = expected();
	tap.is(Number(shown.total), before.total + N_INCOMPLETE + N_COMPLETE, `total: ${N_INCOMPLETE + N_COMPLETE} more than before the seed`);
	tap.is(Number(shown.complete), before.complete + N_COMPLETE, `complete: ${N_COMPLETE} more`);
	tap.is(Number(shown.incomplete), before.incomplete + N_INCOMPLETE, `incomplete: ${N_INCOMPLETE} more`);
	tap.is(`${shown.total}/${shown.complete}/${shown.incomplete}`, `${want.total}/${want.complete}/${want.incomplete}`,
		'total, complete and incomplete are the rows\' own');
	tap.is(shown.rate, `${want.rate}%`, `completion rate = complete / total x 100, one decimal (${want.rate}%)`);
	tap.is(shown.average, want.average, `average steps = all true flags / total, one decimal (${want.average})`);
	tap.is(JSON.stringify(shown.steps), JSON.stringify(want.steps.map((s) => ({ count: s.count, pct: `${s.pct}%` }))),
		'per step: how many completed it and their share, in the data table');

	// The chart: six bars with the same numbers, a title, a description, no script.
	const svg = (/<svg[^>]*>[\s\S]*?<\/svg>/.exec(r.body) || [''])[0];
	tap.like(svg, /^<svg class="chart" role="img" aria-describedby="steps-table"/, 'the chart is an inline SVG image described by the table');
	tap.like(svg, /<title>Share of experts who completed each setup step<\/title>/, '... with a title');
	const desc = (/<desc>([^<]*)<\/desc>/.exec(svg) || [])[1] || '';
	tap.is(desc.trim(), ['Profile', 'Availability', 'Services', 'Google account', 'Identity', 'Payment account']
		.map((l, i) => `${l}: ${want.steps[i].pct}% (${want.steps[i].count} of ${want.total}).`).join(' '),
	'... and a description with every step\'s figures');
	const bars = [...svg.matchAll(/<rect class="bar" x="210" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
	tap.is(bars.length, 6, '... six bars');
	tap.ok(bars.every((w, i) => Math.abs(w - 3.6 * Number(want.steps[i].pct)) < 0.06),
		'... each as long as its share of the 360-unit track');
	tap.is([...svg.matchAll(/<rect class="track"/g)].length, 6, '... each on a track');
	tap.unlike(svg, /fill="|style="/, '... coloured by the stylesheet only (both themes)');

	// The list: newest first, 20 a page, names from profiles else users.
	const ids = incompleteIds();
	const pages = Math.ceil(ids.length / 20);
	tap.ok(pages >= 2, `the incomplete experts fill ${pages} pages`);
	tap.is(JSON.stringify(listed(r.body)), JSON.stringify(ids.slice(0, 20)), 'page 1: the 20 newest incomplete setups, newest first');
	tap.like(r.body, new RegExp(`Page 1 of ${pages}`), '... saying which page it is');
	tap.like(r.body, /<a rel="next" href="\/admin\/setup-stats\?page=2">/, '... with a link to the next page');
	tap.unlike(r.body, /rel="prev"/, '... and none to a previous one');
	const row = (html, id) => (new RegExp(`<tr data-id="${id}">(.*?)</tr>`).exec(html) || [])[1] || '';
	tap.like(row(r.body, seedId(0)), /<td>Dra\. Perfil Nome<\/td><td>seed0\.[a-z0-9]+@example\.test<\/td><td class="num">0 of 6<\/td>/,
		'the name comes from the profile when there is one (even unpublished)');
	tap.like(row(r.body, seedId(7)), /<td>Seed7 Expert<\/td>/, '... else from the user');
	tap.like(row(r.body, seedId(1)), /<span class="hint">\(no name\)<\/span>/, '... and says so when there is none');
	tap.like(row(r.body, seedId(6)), /<td>&lt;b&gt;Bold&lt;\/b&gt; Tag<\/td>/, 'names are escaped');
	tap.like(row(r.body, seedId(4)), /<td class="num">4 of 6<\/td><td><time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">\d{4}-\d\d-\d\d<\/time><\/td><td><a href="\/admin\/experts\/[^"]+\/reset-setup">Reset setup<\/a>/,
		'each row: steps done, when the setup started, and a reset link');
	r = await request(`${APP_URL}/admin/setup-stats?page=2`, admin);
	tap.is(JSON.stringify(listed(r.body)), JSON.stringify(ids.slice(20, 40)), 'page 2: the next ones');
	tap.like(r.body, /<a rel="prev" href="\/admin\/setup-stats\?page=1">/, '... with a link back');
	let all = [];
	for (let p = 1; p <= pages; p++) all = all.concat(listed((await request(`${APP_URL}/admin/setup-stats?page=${p}`, admin)).body));
	tap.ok(all.includes(sql("SELECT workos_user_id FROM users WHERE email = 'newexpert@eleva.test'")),
		'the demo expert who has not started is listed');
	tap.ok(!all.includes(sql("SELECT workos_user_id FROM users WHERE email = 'expert@eleva.test'")),
		'... the one who finished is not');
	tap.ok(!all.includes(seedId(N_INCOMPLETE)) && all.length === ids.length, '... nor are the seed\'s complete experts');
	const last = JSON.stringify(ids.slice((pages - 1) * 20));
	for (const q of ['999', '99999999999999999999']) {
		r = await request(`${APP_URL}/admin/setup-stats?page=${q}`, admin);
		tap.is(`${r.status} ${JSON.stringify(listed(r.body))}`, `200 ${last}`, `?page=${q} (past the end): the last page`);
	}
	for (const q of ['0', '-1', 'abc', '', '1.5', '%00']) {
		r = await request(`${APP_URL}/admin/setup-stats?page=${q}`, admin);
		tap.is(`${r.status} ${listed(r.body)[0]}`, `${q === '%00' ? 400 : 200} ${q === '%00' ? undefined : ids[0]}`,
			`?page=${q}: ${q === '%00' ? 'refused by the request parser' : 'the first page, never an error'}`);
	}

	// The CSV: the same table, every row.
	r = await request(`${APP_URL}/admin/setup-stats.csv`, admin);
	tap.is(r.status, 200, 'admin: GET /admin/setup-stats.csv answers 200');
	tap.is(r.headers.get('content-type'), 'text/csv; charset=utf-8', '... as UTF-8 text/csv');
	const today = new Date().toISOString().slice(0, 10);
	tap.is(r.headers.get('content-disposition'), `attachment; filename="eleva-incomplete-setups-${today}.csv"`,
		'... an attachment named with the date');
	tap.like(r.headers.get('cache-control') || '', /no-store/, '... not cached');
	tap.like(r.body, /^Name,E-mail,Steps done,Started\r\n/, 'a header row, CRLF line ends');
	let csv;
	try {
		csv = parseCsv(r.body);
	} catch (e) {
		csv = [];
		tap.diag(e.message);
	}
	tap.is(csv.length, ids.length + 1, 'one row per incomplete expert (all pages) after the header');
	tap.ok(csv.every((x) => x.length === 4), 'four fields in every row');
	const emails = sql(`SELECT u.email FROM expert_setup s JOIN users u USING (workos_user_id)
		WHERE u.role IN ${EXPERT_ROLES} AND NOT s.setup_complete ORDER BY s.created_at DESC, s.workos_user_id`).split('\n');
	tap.is(JSON.stringify(csv.slice(1).map((x) => x[1].replace(/^'/, ''))), JSON.stringify(emails), 'the same experts in the same order');
	const csvRow = (i) => csv.find((x) => x[1].replace(/^'/, '') === sql(`SELECT email FROM users WHERE workos_user_id = ${lit(seedId(i))}`)) || [];
	tap.is(csvRow(2)[0], '\'=HYPERLINK("http://evil.example","x") Sousa, "Rita"', 'a formula gets a leading apostrophe');
	tap.like(r.body, /"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\) Sousa, ""Rita"""/, '... and commas and quotes are quoted RFC 4180 style');
	tap.is(csvRow(3)[1], `'+351.${run}@example.test`, 'a value starting with + is neutralised too');
	tap.is(csvRow(4)[0], '\'@risk -minus', '... and one starting with @');
	tap.is(csvRow(5)[0], 'João Gonçalves', 'UTF-8 names are kept');
	tap.is(csvRow(0)[0], 'Dra. Perfil Nome', 'names as on the page');
	tap.is(csvRow(1)[0], '', 'no name: an empty field');
	tap.like(`${csvRow(4)[2]} ${csvRow(4)[3]}`, /^4 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'steps done and the start time (UTC, ISO 8601)');
	r = await request(`${APP_URL}/admin/setup-stats.csv`, admin, { method: 'HEAD' });
	tap.is(r.status, 200, 'HEAD works too');

	// The reset: the confirmation page.
	r = await request(`${APP_URL}${targetPath}`, admin);
	tap.is(r.status, 200, 'admin: the reset confirmation page');
	tidyOk(r.body, 'the confirmation page');
	tap.like(r.body, /<dd>@risk -minus<\/dd>/, '... naming the expert');
	tap.like(r.body, /<dd>seed4\.[a-z0-9]+@example\.test<\/dd>/, '... with the e-mail');
	tap.like(r.body, /<dd>4 of 6<\/dd>/, '... and the steps done');
	tap.like(r.body, new RegExp(`<form method="post" action="${targetPath}"`), '... and a form posting back here');
	tap.like(r.body, /<input type="checkbox" id="confirm" name="confirm" required>/, '... with a required confirmation box');
	const csrf = csrfOf(r.body);
	for (const bad of ['user_nobody123', 'nope', 'user_', 'user_x<b>', `${target}x`]) {
		r = await request(`${APP_URL}/admin/experts/${encodeURIComponent(bad)}/reset-setup`, admin);
		tap.is(r.status, 404, `GET reset of an unknown id (${bad}): 404`);
	}

	// Refusals write nothing.
	const old = flagsOf(target);
	tap.is(old, '111100:0', 'the target has 4 steps done');
	r = await request(`${APP_URL}${targetPath}`, admin, { form: { confirm: 'on' } });
	tap.is(r.status, 403, 'POST without a CSRF token: 403');
	r = await request(`${APP_URL}${targetPath}`, admin, { form: { csrf: 'forged', confirm: 'on' } });
	tap.is(r.status, 403, 'POST with a wrong CSRF token: 403');
	r = await request(`${APP_URL}${targetPath}`, admin, { form: { csrf, confirm: 'on' }, headers: { origin: 'https://evil.example' } });
	tap.is(r.status, 403, 'POST from a foreign Origin: 403');
	r = await request(`${APP_URL}${targetPath}`, admin, { form: { csrf } });
	tap.is(r.status, 422, 'POST without the confirmation: re-rendered (422)');
	tap.like(r.body, /Tick the box to confirm the reset\./, '... saying why');
	tap.like(r.body, /class="form-errors" role="alert"/, '... summarised at the top');
	tap.like(r.body, /name="confirm" required aria-invalid="true" aria-describedby="confirm-error"/, '... and at the box');
	tidyOk(r.body, 'the refused form');
	r = await request(`${APP_URL}${targetPath}`, admin, { form: { csrf, confirm: 'nope' } });
	tap.is(r.status, 422, 'POST with a confirmation that is not on/off: 422');
	for (const bad of ['user_nobody123', 'nope']) {
		r = await request(`${APP_URL}/admin/experts/${bad}/reset-setup`, admin, { form: { csrf, confirm: 'on' } });
		tap.is(r.status, 404, `POST reset of an unknown id (${bad}): 404`);
		tap.is(resets(bad), 0, '... no audit row for it');
	}
	tap.is(flagsOf(target), old, 'none of the refusals changed the setup');
	tap.is(resets(target), 0, '... or wrote an audit row');

	// In the admin's language (a superadmin reading Portuguese).
	const sup = await newUser('Sofia', 'Super');
	const supJar = (await signIn(APP_URL, sup.email)).jar;
	r = await request(`${APP_URL}/admin/setup-stats`, supJar);
	tap.is(r.status, 403, 'a new user (role user) may not see the page');
	sql(`UPDATE users SET role = 'superadmin' WHERE workos_user_id = ${lit(sup.id)};
		UPDATE user_preferences SET language = 'pt' WHERE workos_user_id = ${lit(sup.id)}`);
	r = await request(`${APP_URL}/admin/setup-stats`, supJar);
	tap.is(r.status, 200, 'made superadmin, the same session sees it (the role is read per request)');
	tap.like(r.body, /<html lang="pt-PT"/, '... in Portuguese');
	tap.like(r.body, new RegExp(`id="stat-rate"><strong>${want.rate.replace('.', ',')}%</strong> taxa de conclusão`),
		'... with a decimal comma');
	tidyOk(r.body, 'the Portuguese statistics page');
	r = await request(`${APP_URL}/admin/setup-stats.csv`, supJar);
	tap.like(r.body, /^Nome,E-mail,Passos feitos,Início\r\n/, 'the CSV header in Portuguese');
	r = await request(`${APP_URL}${targetPath}`, supJar);
	r = await request(`${APP_URL}${targetPath}`, supJar, { form: { csrf: csrfOf(r.body) } });
	tap.is(r.status, 422, 'superadmin: POST without the confirmation: 422');
	tap.like(r.body, /Assinale a caixa para confirmar a reposição\./, '... with the message in Portuguese');
	tap.is(flagsOf(target), old, '... writing nothing');

	// The reset itself: one audit row (written by app.reset_expert_setup) with the old and new values.
	r = await request(`${APP_URL}${targetPath}`, admin, { form: { csrf, confirm: 'on' } });
	tap.is(`${r.status} ${r.location}`, `303 /admin/setup-stats?reset=${target}`, 'POST with the confirmation: back to the statistics');
	tap.is(flagsOf(target), '000000:0', '... every step undone');
	tap.is(resets(target), 1, '... one audit row');
	const a = JSON.parse(sql(`SELECT json_build_object('who', workos_user_id, 'type', resource_type, 'id', resource_id,
		'org', org_id = (SELECT id FROM organizations WHERE slug = 'user-' || ${lit(target)}),
		'old', old_values, 'new', new_values) FROM audit_logs WHERE action = 'SETUP_RESET' AND resource_id = ${lit(target)}`));
	tap.is(`${a.who} ${a.type} ${a.id}`, `${adminId} expert_setup ${target}`, '... by the admin, on the expert\'s expert_setup');
	tap.is(a.org, true, '... in the expert\'s organization (his audit trail), not the admin\'s');
	tap.is(STEPS.map((s) => Number(a.old[`${s}_completed`])).join(''), '111100', '... with the old values');
	tap.is(STEPS.map((s) => Number(a.new[`${s}_completed`])).join(''), '000000', '... and the new ones');
	tap.is(`${a.old.setup_complete} ${a.new.setup_complete} ${a.new.setup_completed_at}`, 'false false null', '... and the completion');
	r = await request(`${APP_URL}${r.location}`, admin);
	tap.like(r.body, /<p class="notice" role="status">The setup of @risk -minus has been reset\.<\/p>/, 'the statistics say so');
	tap.like(row(r.body, target), /<td class="num">0 of 6<\/td>/, '... and list the expert with no step done');

	// A complete expert: the completion goes too, and the figures follow.
	const done = seedId(N_INCOMPLETE);
	const c0 = figures(r.body);
	r = await request(`${APP_URL}/admin/experts/${done}/reset-setup`, admin);
	tap.like(r.body, /<dd>6 of 6 <span class="tag tag-ok">complete<\/span><\/dd>/, 'a complete expert\'s confirmation says it is complete');
	r = await request(`${APP_URL}/admin/experts/${done}/reset-setup`, admin, { form: { csrf, confirm: 'on' } });
	tap.is(r.status, 303, 'resetting a complete expert');
	tap.is(flagsOf(done), '000000:0', '... undoes the completion');
	const b = JSON.parse(sql(`SELECT json_build_object('old', old_values, 'new', new_values) FROM audit_logs
		WHERE action = 'SETUP_RESET' AND resource_id = ${lit(done)}`));
	tap.ok(b.old.setup_complete === true && b.old.setup_completed_at !== null && b.new.setup_completed_at === null,
		'... audited with the completion time it had');
	r = await request(`${APP_URL}/admin/setup-stats`, admin);
	const c1 = figures(r.body);
	tap.is(`${Number(c1.complete)} ${Number(c1.incomplete)} ${c1.total}`, `${Number(c0.complete) - 1} ${Number(c0.incomplete) + 1} ${c0.total}`,
		'... one complete fewer, one incomplete more');
	const w1 = expected();
	tap.is(`${c1.rate} ${c1.average}`, `${w1.rate}% ${w1.average}`, '... rate and average recomputed');
	tap.is(allResets(), nResets + 2, 'two resets, two audit rows in all');
}
