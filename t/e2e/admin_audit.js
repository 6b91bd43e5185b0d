// admin_audit: the platform admin's audit view across organizations
// (/admin/audit, /audit's filters) and the user/role page (/admin/users):
// an admin makes a user an expert, audited; nobody else may, nobody changes
// his own role, and only a superadmin names administrators (issue 14).
'use strict';

const crypto = require('node:crypto');
const tap = require('../lib/tap');
const { env } = require('../lib/stack');
const { request, csrfOf, signIn, newUser, sql, lit } = require('../lib/signin');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const idsOf = (html) => [...html.matchAll(/<tr data-id="(\d+)"/g)].map((m) => m[1]);

async function member(first) {
	const u = await newUser(first, 'Admin');
	const s = await signIn(APP_URL, u.email);
	const org = sql(`SELECT org_id FROM user_org_memberships WHERE workos_user_id = ${lit(u.id)} AND role = 'owner'`);
	return { u, jar: s.jar, org };
}

async function setRole(jar, id, role, csrfFrom = true) {
	const page = await request(`${APP_URL}/admin/users`, jar);
	const form = { role };
	if (csrfFrom) form.csrf = csrfOf(page.body);
	return request(`${APP_URL}/admin/users/${encodeURIComponent(id)}/role`, jar, { form });
}

tap.run(async () => {
	const a = await member('Alma');
	const b = await member('Beto');
	const tag = crypto.randomBytes(4).toString('hex');
	for (const [m, day] of [[a, '2025-03-03'], [b, '2025-03-04']]) {
		sql(`INSERT INTO audit_logs (workos_user_id, org_id, action, resource_type, resource_id, ip_address, created_at)
			VALUES (${lit(m.u.id)}, ${lit(m.org)}, 'EVENT_CREATED', 'event', 'adm-${tag}', '198.51.100.9', '${day} 10:00Z')`);
	}
	const want = sql(`SELECT string_agg(id::text, ',' ORDER BY created_at DESC, id DESC) FROM audit_logs
		WHERE resource_id = 'adm-${tag}'`);
	const admin = await signIn(APP_URL, 'admin@eleva.test');
	const adminId = sql("SELECT workos_user_id FROM users WHERE email = 'admin@eleva.test'");

	// Who may.
	for (const path of ['/admin/audit', '/admin/users']) {
		const r = await request(`${APP_URL}${path}`, a.jar);
		tap.is(r.status, 403, `${path} for a user: 403`);
	}
	let r = await setRole(a.jar, b.u.id, 'expert_top');
	tap.is(r.status, 403, 'a user giving a role: 403');
	tap.is(sql(`SELECT role FROM users WHERE workos_user_id = ${lit(b.u.id)}`), 'user', '... nothing changed');

	// Every organization's rows, with the filters.
	r = await request(`${APP_URL}/admin/audit?action=EVENT_CREATED&type=event&from=2025-03-03&to=2025-03-04&tz=UTC`, admin.jar);
	tap.is(r.status, 200, '/admin/audit: 200');
	tap.like(r.body, /<h1>Audit trail: every organization<\/h1>/, '... titled');
	const shown = idsOf(r.body).filter((id) => want.split(',').includes(id));
	tap.is(shown.join(','), want, "... both organizations' rows, newest first");
	tap.like(r.body, /Alma&#39;s Account/, '... naming the organization');
	tap.like(r.body, /198\.51\.100\.9/, '... with whole addresses');
	r = await request(`${APP_URL}/admin/audit?from=2025-03-04&to=2025-03-04&tz=UTC&type=event`, admin.jar);
	tap.ok(idsOf(r.body).includes(want.split(',')[0]) && !idsOf(r.body).includes(want.split(',')[1]), '... one day: one row');
	r = await request(`${APP_URL}/admin/audit?action=NOPE`, admin.jar);
	tap.is(r.status, 400, '... a bad filter: 400');

	// The role page.
	r = await request(`${APP_URL}/admin/users?q=${encodeURIComponent(b.u.email)}`, admin.jar);
	tap.is(r.status, 200, '/admin/users: 200');
	tap.like(r.body, new RegExp(`<tr data-id="${b.u.id}">`), '... finds Beto by his address');
	tap.is((r.body.match(/<tr data-id=/g) || []).length, 1, '... and only him');
	r = await request(`${APP_URL}/admin/users?q=%25`, admin.jar);
	tap.is(r.status, 200, '... a search for "%" is a search for that character');
	tap.unlike(r.body, /<tr data-id=/, '... which nobody has');

	r = await request(`${APP_URL}/setup`, b.jar);
	tap.is(r.status, 403, 'Beto is no expert yet: /setup 403');
	r = await setRole(admin.jar, b.u.id, 'expert_community', false);
	tap.is(r.status, 403, 'a role change without the CSRF token: 403');
	r = await setRole(admin.jar, b.u.id, 'expert_community');
	tap.is(`${r.status} ${r.location}`, '303 /admin/users?changed=1', 'the admin makes Beto an expert');
	tap.is(sql(`SELECT role || ' ' || (SELECT count(*) FROM expert_setup s WHERE s.workos_user_id = u.workos_user_id)
		FROM users u WHERE workos_user_id = ${lit(b.u.id)}`), 'expert_community 1', '... his role, and his setup opened');
	tap.is(sql(`SELECT workos_user_id || ' ' || org_id || ' ' || (old_values->>'role') || ' ' || (new_values->>'role')
		|| ' ' || (ip_address IS NOT NULL) FROM audit_logs WHERE action = 'USER_ROLE_CHANGED' AND resource_id = ${lit(b.u.id)}`),
		`${adminId} ${b.org} user expert_community true`, '... audited: by the admin, in his organization, old and new role');
	r = await request(`${APP_URL}/setup`, b.jar);
	tap.is(r.status, 200, '... and his next request is an expert\'s (/setup 200)');
	r = await request(`${APP_URL}/audit?action=USER_ROLE_CHANGED`, b.jar);
	tap.like(r.body, /Role changed/, '... which he sees in his own audit trail');
	r = await setRole(admin.jar, b.u.id, 'expert_community');
	tap.is(sql(`SELECT count(*) FROM audit_logs WHERE action = 'USER_ROLE_CHANGED' AND resource_id = ${lit(b.u.id)}`), '1',
		'the same role again: nothing recorded');

	// Refusals.
	r = await setRole(admin.jar, adminId, 'user');
	tap.is(r.status, 403, 'an admin changing his own role: 403');
	tap.like(r.body, /You cannot change your own role/, '... saying so');
	r = await setRole(admin.jar, a.u.id, 'admin');
	tap.is(r.status, 403, 'an admin (not superadmin) naming an administrator: 403');
	tap.like(r.body, /Only a superadmin names or removes administrators/, '... saying so');
	tap.is(sql(`SELECT role FROM users WHERE workos_user_id = ${lit(a.u.id)}`), 'user', '... nothing changed');
	r = await setRole(admin.jar, a.u.id, 'king');
	tap.is(r.status, 422, 'a role that does not exist: 422');
	r = await setRole(admin.jar, 'user_NOBODY123', 'expert_top');
	tap.is(r.status, 404, 'a user who does not exist: 404');
	sql(`UPDATE users SET role = 'superadmin' WHERE workos_user_id = ${lit(adminId)}`);
	try {
		r = await setRole(admin.jar, a.u.id, 'admin');
		tap.is(r.status, 303, 'a superadmin names an administrator');
		r = await request(`${APP_URL}/admin/audit`, a.jar);
		tap.is(r.status, 200, '... who opens /admin/audit at once');
		r = await setRole(admin.jar, a.u.id, 'user');
		tap.is(r.status, 303, '... and removes him');
	} finally {
		sql(`UPDATE users SET role = 'admin' WHERE workos_user_id = ${lit(adminId)}`);
	}

	// Spanish.
	sql(`UPDATE user_preferences SET language = 'es' WHERE workos_user_id = ${lit(adminId)}`);
	try {
		r = await request(`${APP_URL}/admin/users`, admin.jar);
		tap.like(r.body, /<h1>Usuarios y roles<\/h1>/, '/admin/users in Spanish');
		tap.like(r.body, /<option value="expert_top">Experto destacado<\/option>/, '... with the roles named');
	} finally {
		sql(`UPDATE user_preferences SET language = 'en' WHERE workos_user_id = ${lit(adminId)}`);
	}
});
