// audit_view: GET /audit and /audit/export (issue 14) against a seeded log of
// known content: filters that combine, keyset pages, times in the chosen
// zone, old/new values as a diff, addresses shortened for plain members,
// another organization's rows never shown (crafted query strings too), the
// export equal to the page and recorded, refused to a member, streamed, and
// cut short rather than completed when its record cannot be committed; the
// daily counters of audit_stats and their chart.
'use strict';

const crypto = require('node:crypto');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, signIn, newUser, sql, lit } = require('../lib/signin');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const ACTIONS = ['PROFILE_UPDATED', 'EVENT_CREATED', 'SCHEDULE_UPDATED'];
const TYPES = ['profile', 'event', 'schedule'];

// A signed-in user with his personal organization's id.
async function member(first) {
	const u = await newUser(first, 'Audit');
	const s = await signIn(APP_URL, u.email);
	if (!s.callback || s.callback.status !== 303) throw new Error(`sign-in of ${first} failed`);
	const org = sql(`SELECT org_id FROM user_org_memberships WHERE workos_user_id = ${lit(u.id)} AND role = 'owner'`);
	return { u, jar: s.jar, org };
}

// n rows in org, the i-th at 2026-01-01 00:00Z + i * 2 h, action and type
// cycling, made by the owner (created_at is the seed's).
function seed(org, user, n, tag) {
	sql(`INSERT INTO audit_logs (workos_user_id, org_id, action, resource_type, resource_id,
		old_values, new_values, ip_address, user_agent, request_id, created_at)
		SELECT ${lit(user)}, ${lit(org)}, (ARRAY[${ACTIONS.map(lit)}])[1 + i % 3],
		    (ARRAY[${TYPES.map(lit)}])[1 + (i / 3) % 3], ${lit(tag)} || i,
		    jsonb_build_object('n', i), jsonb_build_object('n', i + 1),
		    '203.0.113.77', 'seed-agent', 'seed-' || i,
		    timestamptz '2026-01-01 00:00Z' + i * interval '2 hours'
		FROM generate_series(0, ${n - 1}) i`);
}

// The ids the owner finds for the same conditions, newest first.
function expected(org, where) {
	const rows = sql(`SELECT id FROM audit_logs WHERE org_id = ${lit(org)} ${where ? `AND ${where}` : ''}
		ORDER BY created_at DESC, id DESC`);
	return rows === '' ? [] : rows.split('\n');
}

const idsOf = (html) => [...html.matchAll(/<tr data-id="(\d+)"/g)].map((m) => m[1]);
const decode = (s) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');

// Every page of /audit?query, following "Older entries": the ids, the pages.
async function walk(jar, query) {
	let url = `${APP_URL}/audit?${query}`;
	const ids = [];
	let pages = 0;
	for (;;) {
		const r = await request(url, jar);
		if (r.status !== 200) return { status: r.status, ids, pages, body: r.body };
		pages++;
		ids.push(...idsOf(r.body));
		const next = /<a rel="next" href="([^"]+)"/.exec(r.body);
		if (!next || pages > 20) return { status: 200, ids, pages };
		url = APP_URL + decode(next[1]);
	}
}

tap.run(async () => {
	const a = await member('Ana');
	const b = await member('Bruno');
	const tag = crypto.randomBytes(4).toString('hex');
	seed(a.org, a.u.id, 120, `a${tag}-`);
	seed(b.org, b.u.id, 30, `b${tag}-`);
	const jan = "created_at >= '2026-01-01Z' AND created_at < '2026-02-01Z'";
	const bIds = new Set(expected(b.org, jan));

	// The page, signed out and in.
	let r = await request(`${APP_URL}/audit`, null);
	tap.is(`${r.status} ${r.location && r.location.replace(/\?.*/, '')}`, '303 /sign-in', 'GET /audit signed out: to the sign-in page');
	r = await request(`${APP_URL}/audit`, a.jar);
	tap.is(r.status, 200, 'GET /audit: 200');
	tap.like(r.body, /<h1>Audit trail<\/h1>/, '... titled in English');
	tap.like(r.body, /data-action="USER_SIGNED_IN"/, '... with her own sign-in');
	tap.like(r.body, /<svg class="chart audit-chart"/, '... and the activity chart');

	// Filters, alone and together, over every page; the seed's month only.
	const cases = [
		['from=2026-01-01&to=2026-01-31&tz=UTC', jan],
		['action=EVENT_CREATED&from=2026-01-01&to=2026-01-31&tz=UTC', `${jan} AND action = 'EVENT_CREATED'`],
		['type=schedule&from=2026-01-01&to=2026-01-31&tz=UTC', `${jan} AND resource_type = 'schedule'`],
		['from=2026-01-03&to=2026-01-05&tz=UTC',
			"created_at >= '2026-01-03Z' AND created_at < '2026-01-06Z'"],
		['action=PROFILE_UPDATED&type=event&from=2026-01-02&to=2026-01-08&tz=UTC',
			"action = 'PROFILE_UPDATED' AND resource_type = 'event' AND created_at >= '2026-01-02Z' AND created_at < '2026-01-09Z'"],
		['action=PROFILE_UPDATED&type=event&from=2026-01-02&to=2026-01-08&tz=America/Sao_Paulo',
			"action = 'PROFILE_UPDATED' AND resource_type = 'event' AND created_at >= '2026-01-02 03:00Z' AND created_at < '2026-01-09 03:00Z'"],
	];
	for (const [q, where] of cases) {
		const want = expected(a.org, where);
		const got = await walk(a.jar, q);
		tap.is(got.status, 200, `/audit?${q}: 200`);
		tap.is(got.ids.join(','), want.join(','), `/audit?${q}: the ${want.length} rows the owner finds, newest first, over ${got.pages} page(s)`);
	}
	const all = await walk(a.jar, 'from=2026-01-01&to=2026-01-31&tz=UTC');
	tap.is(all.pages, 3, '120 rows: pages of 50, 50 and 20');
	tap.is(new Set(all.ids).size, 120, '... none twice');

	// Times in the chosen zone, and the zone named.
	const first = expected(a.org, `${jan} AND resource_id = 'a${tag}-1'`)[0];
	r = await request(`${APP_URL}/audit?from=2026-01-01&to=2026-01-01&tz=America/Sao_Paulo`, a.jar);
	tap.unlike(r.body, new RegExp(`data-id="${first}"`), 'a row of 2026-01-01 02:00Z is not on 1 January in São Paulo');
	r = await request(`${APP_URL}/audit?from=2025-12-31&to=2025-12-31&tz=America/Sao_Paulo`, a.jar);
	tap.like(r.body, new RegExp(`data-id="${first}"[^]*?<time datetime="2026-01-01T02:00:00.000000Z">2025-12-31 23:00:00</time>`),
		'... it is on 31 December at 23:00 there');
	tap.like(r.body, /Times in America\/Sao_Paulo\./, '... and the page says so');

	// Another organization's rows: never, whatever the query says.
	const bId = [...bIds][0];
	const bCursor = sql(`SELECT (extract(epoch FROM created_at) * 1000000)::bigint || '.' || (id + 1) FROM audit_logs WHERE id = ${bId}`);
	for (const q of [`org=${b.org}&from=2026-01-01&to=2026-01-31&tz=UTC`, `org_id=${b.org}`,
		`before=${bCursor}`, `id=${bId}`, `from=2026-01-01&org=${b.org}&org=${a.org}`]) {
		const got = await walk(a.jar, q);
		tap.is(got.ids.filter((id) => bIds.has(id)).length, 0, `/audit?${q}: none of Bruno's rows`);
	}
	const bAll = await walk(b.jar, 'from=2026-01-01&to=2026-01-31&tz=UTC');
	tap.is(bAll.ids.join(','), [...bIds].join(','), "Bruno's own page: his 30 rows and none of Ana's");

	// Bad filters: a clear 400 naming the field, no rows.
	for (const [q, msg] of [['action=DROP_TABLE', /Choose one of the options offered/], ['type=users%27--', /Choose one of the options offered/],
		['from=2026-02-30', /Enter a day as YYYY-MM-DD/], ['from=2026-01-05&to=2026-01-04', /The last day comes before the first day/],
		['tz=Mars/Olympus', /Choose one of the options offered/], ['before=1.2.3', /This page link is not valid/],
		['from=%FF%FE', /Bad request/]]) {
		r = await request(`${APP_URL}/audit?${q}`, a.jar);
		tap.is(r.status, 400, `/audit?${q}: 400`);
		tap.like(r.body, msg, '... saying what is wrong');
		tap.is(idsOf(r.body).length, 0, '... and showing no rows');
	}

	// The diff, with personal values redacted on the way in.
	sql(`SELECT app.audit_write(${lit(a.u.id)}, ${lit(a.org)}, 'PROFILE_UPDATED', 'profile', 'diff-${tag}',
		'{"headline": "Old <b>headline</b>", "price": 10, "gone": true}',
		'{"headline": "New headline", "price": 10, "guest_email": "x@example.com"}', NULL)`);
	r = await request(`${APP_URL}/audit?action=PROFILE_UPDATED`, a.jar);
	const row = r.body.split('<tr data-id=').find((x) => x.includes(`diff-${tag}`)) || '';
	tap.like(row, /<dt>headline<\/dt><dd><del>Old &lt;b&gt;headline&lt;\/b&gt;<\/del> → <ins>New headline<\/ins><\/dd>/, 'diff: a changed value, old → new, escaped');
	tap.like(row, /<dt>guest_email<\/dt><dd><ins>\[redacted\]<\/ins><\/dd>/, 'diff: an added personal value shows redacted');
	tap.like(row, /<dt>gone<\/dt><dd><del>true<\/del><\/dd>/, 'diff: a removed key');
	tap.unlike(row, /<dt>price<\/dt>/, 'diff: an unchanged key is left out');

	// IP addresses: whole for the owner, shortened for a plain member.
	r = await request(`${APP_URL}/audit?from=2026-01-01&to=2026-01-01&tz=UTC`, a.jar);
	tap.like(r.body, /<td class="ip">203\.0\.113\.77<\/td>/, 'owner: the address whole');
	sql(`UPDATE user_org_memberships SET role = 'member' WHERE org_id = ${lit(a.org)} AND workos_user_id = ${lit(a.u.id)}`);
	try {
		r = await request(`${APP_URL}/audit?from=2026-01-01&to=2026-01-01&tz=UTC`, a.jar);
		tap.is(r.status, 200, 'member: /audit still opens');
		tap.like(r.body, /<td class="ip">203\.0\.113\.0<\/td>/, 'member: the address shortened');
		tap.unlike(r.body, /203\.0\.113\.77/, '... and nowhere whole');
		tap.unlike(r.body, /export-links/, '... and no download links');
		r = await request(`${APP_URL}/audit/export?format=csv`, a.jar);
		tap.is(r.status, 403, 'member: the export is 403');
		tap.like(r.body, /Only the organization&#39;s owners and admins/, '... saying who may');
	} finally {
		sql(`UPDATE user_org_memberships SET role = 'owner' WHERE org_id = ${lit(a.org)} AND workos_user_id = ${lit(a.u.id)}`);
	}

	// The export: what the page shows, recorded and audited.
	const q = 'action=EVENT_CREATED&from=2026-01-01&to=2026-01-31&tz=UTC';
	const page = await walk(a.jar, q);
	r = await request(`${APP_URL}/audit/export?format=json&${q}`, a.jar);
	tap.is(r.status, 200, 'export JSON: 200');
	tap.like(r.headers.get('content-type') || '', /^application\/json/, '... as JSON');
	tap.like(r.headers.get('content-disposition') || '', /^attachment; filename="eleva-audit-\d{4}-\d\d-\d\d\.json"$/, '... as a download');
	const json = JSON.parse(r.body);
	tap.is(json.map((x) => String(x.id)).join(','), page.ids.join(','), 'export JSON: the rows the page shows, in its order');
	tap.is(json[0].ip, '203.0.113.77', '... with whole addresses');
	tap.is(JSON.stringify(json[0].new_values), JSON.stringify({ n: Number(json[0].resource_id.split('-').pop()) + 1 }), '... and the values');
	let rec = sql(`SELECT record_count || ' ' || file_size || ' ' || export_format || ' ' || actions::text || ' ' || start_date::date
		FROM audit_log_exports WHERE workos_user_id = ${lit(a.u.id)} ORDER BY created_at DESC LIMIT 1`);
	tap.is(rec, `${page.ids.length} ${Buffer.byteLength(r.body)} json ["EVENT_CREATED"] 2026-01-01`,
		'export JSON: recorded with its count, size, format, filters and range');
	const logged = sql(`SELECT metadata->>'records' || ' ' || (metadata->>'format') || ' ' || (metadata->'filters'->>'action')
		FROM audit_logs WHERE org_id = ${lit(a.org)} AND action = 'AUDIT_LOG_EXPORTED' ORDER BY id DESC LIMIT 1`);
	tap.is(logged, `${page.ids.length} json EVENT_CREATED`, 'export JSON: audited as AUDIT_LOG_EXPORTED');

	r = await request(`${APP_URL}/audit/export?format=csv&${q}`, a.jar);
	tap.is(r.status, 200, 'export CSV: 200');
	const lines = r.body.trim().split('\r\n');
	tap.is(lines[0], 'id,time,local_time,organization,action,resource_type,resource_id,user,user_email,ip,user_agent,request_id,old_values,new_values,metadata',
		'export CSV: the header row');
	tap.is(lines.slice(1).map((l) => l.split(',')[0]).join(','), page.ids.join(','), 'export CSV: the rows the page shows');
	rec = sql(`SELECT count(*) FROM audit_log_exports WHERE workos_user_id = ${lit(a.u.id)}`);
	tap.is(rec, '2', 'two exports, two records');

	for (const f of ['', 'xml', 'CSV']) {
		r = await request(`${APP_URL}/audit/export?format=${f}`, a.jar);
		tap.is(r.status, 400, `export format "${f}": 400`);
	}
	r = await request(`${APP_URL}/audit/export?format=csv&from=2026-13-01`, a.jar);
	tap.is(r.status, 400, 'export with a bad filter: 400');
	r = await request(`${APP_URL}/audit/export?format=csv`, a.jar, { method: 'HEAD' });
	tap.is(r.status, 200, 'export HEAD: 200');
	tap.is(sql(`SELECT count(*) FROM audit_log_exports WHERE workos_user_id = ${lit(a.u.id)}`), '2', '... and nothing recorded for it');

	// A large export streams (no length known in advance) and counts right.
	const big = await member('Bia');
	seed(big.org, big.u.id, 20000, `big${tag}-`);
	const bigN = expected(big.org, "created_at >= '2026-01-01Z'").length;
	r = await request(`${APP_URL}/audit/export?format=json&from=2026-01-01&tz=UTC`, big.jar);
	tap.is(r.status, 200, 'export of 20,000 rows: 200');
	tap.is(r.headers.get('content-length'), null, '... streamed, without Content-Length');
	tap.is(JSON.parse(r.body).length, bigN, `... all ${bigN} rows (the seed and her sign-in)`);
	tap.is(sql(`SELECT record_count || ' ' || file_size FROM audit_log_exports WHERE workos_user_id = ${lit(big.u.id)}`),
		`${bigN} ${Buffer.byteLength(r.body)}`, '... recorded with its size');
	tap.is(sql(`SELECT mass_exports FROM audit_stats WHERE org_id = ${lit(big.org)} AND date = (now() AT TIME ZONE 'UTC')::date`), '1',
		'... and counted as a mass export');

	// A record that cannot be committed: the download breaks, never completes.
	sql(`CREATE OR REPLACE FUNCTION test_fail_export() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'test: exports refused'; END $$`);
	sql(`CREATE TRIGGER test_fail_export_${tag} BEFORE INSERT ON audit_log_exports FOR EACH ROW
		WHEN (NEW.workos_user_id = ${lit(big.u.id)}) EXECUTE FUNCTION test_fail_export()`);
	let broke;
	try {
		r = await request(`${APP_URL}/audit/export?format=json&from=2026-01-01&tz=UTC`, big.jar);
		broke = `completed with ${r.status} and ${r.body.length} bytes`;
	} catch (e) {
		broke = 'broken';
	} finally {
		sql(`DROP TRIGGER test_fail_export_${tag} ON audit_log_exports`);
		sql('DROP FUNCTION test_fail_export()');
	}
	tap.is(broke, 'broken', 'export whose record fails: the download breaks off');
	tap.is(sql(`SELECT count(*) FROM audit_log_exports WHERE workos_user_id = ${lit(big.u.id)}`), '1', '... nothing recorded');
	tap.is(sql(`SELECT count(*) FROM audit_logs WHERE org_id = ${lit(big.org)} AND action = 'AUDIT_LOG_EXPORTED'`), '1', '... nor audited');

	// audit_stats: kept by the trigger, shown by the chart's table.
	const today = sql("SELECT (now() AT TIME ZONE 'UTC')::date");
	const before = sql(`SELECT appointment_events FROM audit_stats WHERE org_id = ${lit(a.org)} AND date = ${lit(today)}`) || '0';
	sql(`SELECT app.audit_write(${lit(a.u.id)}, ${lit(a.org)}, 'APPOINTMENT_CREATED', 'meeting', 'm-${tag}', NULL, NULL, NULL)`);
	tap.is(sql(`SELECT appointment_events FROM audit_stats WHERE org_id = ${lit(a.org)} AND date = ${lit(today)}`),
		String(Number(before) + 1), 'audit_stats: one appointment row counts one');
	tap.ok(Number(sql(`SELECT security_events FROM audit_stats WHERE org_id = ${lit(a.org)} AND date = ${lit(today)}`)) >= 2,
		'audit_stats: her sign-in and her exports are security events');
	r = await request(`${APP_URL}/audit`, a.jar);
	tap.like(r.body, new RegExp(`<g class="day" data-date="${today}"><rect class="series-appointment"`), 'chart: today has an appointment bar');
	tap.like(r.body, new RegExp(`<time datetime="${today}">${today}</time></th><td class="num">${Number(before) + 1}</td>`),
		"chart's table: today's appointments");
	tap.is(sql(`SELECT count(*) FROM audit_stats WHERE org_id = ${lit(b.org)} AND date = '2026-01-01'`), '1',
		'audit_stats: seeded rows counted on their own day');
	tap.is(sql(`SELECT count(*) FROM audit_stats WHERE org_id = ${lit(a.org)} AND date = '2026-01-01'`), '1', '... for each organization');

	// Another language: hers.
	sql(`INSERT INTO user_preferences (workos_user_id, org_id, language) VALUES (${lit(b.u.id)}, ${lit(b.org)}, 'es')
		ON CONFLICT (workos_user_id) DO UPDATE SET language = 'es'`);
	r = await request(`${APP_URL}/audit`, b.jar);
	tap.like(r.body, /<h1>Registro de auditoría<\/h1>/, 'in Spanish: the heading');
	tap.like(r.body, /Sesión iniciada/, '... and the action names');
});
