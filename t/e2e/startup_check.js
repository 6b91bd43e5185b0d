// startup_check: the pool refuses to serve when row-level security would not bind its role.
'use strict';

const { spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, startPool } = require('../lib/stack');

const { DATABASE_URL, DATABASE_OWNER_URL, PG_SOCKET_DIR } = env();
// The primary itself, not PgBouncer (--scale-out): the roles tried here
// are not PgBouncer's to let in.
const DIRECT_URL = process.env.DATABASE_DIRECT_URL || DATABASE_URL;
const port = process.env.PG_PORT || new URL(DIRECT_URL).port;

function psql(sql, url) {
	const args = url ? [url] : ['-h', PG_SOCKET_DIR, '-p', port, '-U', 'postgres', '-d', 'eleva'];
	const r = spawnSync('psql', [...args, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
	return r.stdout.trim();
}

async function refused(databaseUrl, re, what) {
	const pool = await startPool({ args: ['--workers', '1'], databaseUrl, noNginx: true });
	const exit = await pool.exited;
	tap.is(exit.code, 1, `${what}: the pool exits 1`);
	tap.like(pool.log(), re, `${what}: ... saying why`);
	tap.unlike(pool.log(), /worker \d+ started/, `${what}: ... before starting any worker`);
}

tap.run(async () => {
	if (!PG_SOCKET_DIR) tap.skipAll('PG_SOCKET_DIR is not set');
	await refused(DATABASE_OWNER_URL, /refusing to serve: role eleva_owner owns the database/, 'as the owner role');

	const superUrl = `postgresql://postgres@/eleva?host=${encodeURIComponent(PG_SOCKET_DIR)}&port=${port}`;
	await refused(superUrl, /refusing to serve: role postgres is a superuser/, 'as a superuser');

	const bypass = `eleva_bypass_${process.pid}`;
	psql(`CREATE ROLE ${bypass} LOGIN PASSWORD 'bypass' BYPASSRLS; GRANT CONNECT ON DATABASE eleva TO ${bypass}`);
	try {
		const u = new URL(DIRECT_URL);
		u.username = bypass;
		u.password = 'bypass';
		await refused(u.toString(), new RegExp(`refusing to serve: role ${bypass} has BYPASSRLS`), 'as a BYPASSRLS role');
	} finally {
		psql(`REVOKE CONNECT ON DATABASE eleva FROM ${bypass}; DROP ROLE ${bypass}`);
	}

	// A table in public without forced RLS, even one the app cannot read.
	const table = `unprotected_${process.pid}`;
	psql(`CREATE TABLE public.${table} (id int); ALTER TABLE public.${table} ENABLE ROW LEVEL SECURITY`, DATABASE_OWNER_URL);
	try {
		await refused(DATABASE_URL, new RegExp(`row-level security is not enabled and forced on public\\.${table}`),
			'a table with RLS enabled but not forced');
		psql(`ALTER TABLE public.${table} FORCE ROW LEVEL SECURITY`, DATABASE_OWNER_URL);
		const pool = await startPool({ args: ['--workers', '1'] });
		try {
			tap.ok(pool.url && (await fetch(`${pool.url}/ping`)).status === 200,
				'once RLS is enabled and forced, the app role starts and serves');
		} finally {
			await pool.stop();
		}
	} finally {
		psql(`DROP TABLE public.${table}`, DATABASE_OWNER_URL);
	}
});
