// t/bench/legacy.js N: the data half of the legacy migration at scale, run
// by script/bench-legacy on a throwaway database (DATABASE_OWNER_URL,
// PG_SOCKET_DIR, ELEVA_BIN set).  A generated Clerk-era world of N users
// (t/lib/legacy.js); its users made here as import-users would make them,
// WorkOS aside (its emulator takes 1,000 calls a minute: 50,000 users would
// take eight hours), with their map; then migrate-metadata, migrate-data
// and validate --skip-workos, each under /usr/bin/time: rows/s and the
// tool's peak memory.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const legacy = require('../lib/legacy');

const N = Number(process.argv[2] || 50000);
const bin = process.env.ELEVA_BIN;
const ours = process.env.DATABASE_OWNER_URL;

function psql(url, input) {
	const r = spawnSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1'], { input, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
	return r.stdout.trim();
}
const lit = (v) => (v == null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);

// One command under /usr/bin/time: {status, stdout, stderr, seconds, rssMB}.
function timed(args) {
	const t0 = process.hrtime.bigint();
	const r = spawnSync('/usr/bin/time', ['-v', bin, 'legacy', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
	return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds, rssMB: rss ? Number(rss[1]) / 1024 : NaN };
}

let t0 = Date.now();
const w = legacy.make(N);
const counts = w.counts();
const rows = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(`world: ${N} users, ${w.experts.length} experts, ${rows} legacy rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// The users import-users would take (the same rules), made locally.
t0 = Date.now();
const seen = new Set();
const entries = [];
w.users.forEach((u, i) => {
	const e = u.email.toLowerCase();
	if (!/^[^ @]+@[^ @]+\.[^ @]+$/.test(u.email) || seen.has(e)) return;
	seen.add(e);
	entries.push({ clerkUserId: u.clerkId, workosUserId: `user_bench${w.tag}${i}`, organizationId: `org_bench${w.tag}${i}`,
		email: u.email, u });
});
for (let k = 0; k < entries.length; k += 5000) {
	const part = entries.slice(k, k + 5000);
	psql(ours, `BEGIN;
INSERT INTO users (workos_user_id, email, first_name, last_name) VALUES
${part.map((e) => `(${lit(e.workosUserId)}, ${lit(e.email)}, ${lit(e.u.first || null)}, ${lit(e.u.last || null)})`).join(',\n')};
INSERT INTO organizations (workos_org_id, slug, name, type) VALUES
${part.map((e) => `(${lit(e.organizationId)}, ${lit(`user-${e.workosUserId}`)}, ${lit(`${e.email}'s space`)}, 'patient_personal')`).join(',\n')};
INSERT INTO user_org_memberships (workos_user_id, org_id, role)
SELECT u.workos_user_id, o.id, 'owner' FROM users u JOIN organizations o ON o.slug = 'user-' || u.workos_user_id
WHERE u.workos_user_id LIKE ${lit(`user_bench${w.tag}%`)} AND NOT EXISTS (SELECT 1 FROM user_org_memberships m
	WHERE m.workos_user_id = u.workos_user_id);
COMMIT;`);
}
const map = path.join(w.dir, 'map.json');
fs.writeFileSync(map, `[\n${entries.map(({ u, ...e }) => JSON.stringify(e)).join(',\n')}\n]\n`);
console.log(`users: ${entries.length} made locally with their map in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const db = ['--legacy-db', w.url, '--map', map];
let failed = 0;
for (const [name, args] of [['migrate-metadata', ['migrate-metadata', ...db]], ['migrate-data', ['migrate-data', ...db]],
	['migrate-data again', ['migrate-data', ...db]], ['validate', ['validate', ...db, '--skip-workos']]]) {
	const r = timed(args);
	const copied = /(\d+) rows copied/.exec(r.stdout);
	const rate = copied ? `, ${copied[1]} rows copied, ${(Number(copied[1]) / r.seconds).toFixed(0)} rows/s` : '';
	console.log(`${name}: exit ${r.status} in ${r.seconds.toFixed(1)} s${rate}, peak memory ${r.rssMB.toFixed(1)} MB`);
	if (name === 'validate') process.stdout.write(r.stdout.split('\n').filter((l) => /^(ok|FAIL)/.test(l)).join('\n') + '\n');
	if (r.status !== 0) {
		failed++;
		process.stderr.write(r.stderr.split('\n').slice(-20).join('\n'));
	}
}
w.drop();
process.exit(failed ? 1 : 0);
