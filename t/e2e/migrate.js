// migrate: eleva migrate on an empty database, a second run, a failing file,
// an edited file, and --status, against a scratch database of the test stack.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, SRCDIR } = require('../lib/stack');

const { DATABASE_OWNER_URL, PG_SOCKET_DIR } = env();
const bin = process.env.ELEVA_BIN || path.join(SRCDIR, 'build', 'app', 'eleva');
const port = new URL(DATABASE_OWNER_URL).port;
const scratch = `eleva_migrate_test_${process.pid}`;
const url = new URL(DATABASE_OWNER_URL);
url.pathname = `/${scratch}`;

// psql as the bootstrap superuser (local trust) or as the owner.
function psql(sql, asOwner) {
	const args = asOwner ? [url.toString()] : ['-h', PG_SOCKET_DIR, '-p', port, '-U', 'postgres', '-d', 'postgres'];
	const r = spawnSync('psql', [...args, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
	return r.stdout.trim();
}

function migrate(dir, ...extra) {
	const r = spawnSync(bin, ['migrate', '--dir', dir, ...extra], {
		encoding: 'utf8',
		env: { ...process.env, DATABASE_OWNER_URL: url.toString() },
	});
	return { code: r.status, out: r.stdout, err: r.stderr };
}

tap.run(async () => {
	if (!PG_SOCKET_DIR) tap.skipAll('PG_SOCKET_DIR is not set');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-sql-'));
	psql(`CREATE DATABASE ${scratch} OWNER eleva_owner`);
	try {
		fs.writeFileSync(path.join(dir, '0001_first.sql'), 'CREATE TABLE t1 (id int PRIMARY KEY);\nINSERT INTO t1 VALUES (1);\n');
		fs.writeFileSync(path.join(dir, '0002_second.sql'), 'CREATE TABLE t2 (id int);\n');
		fs.writeFileSync(path.join(dir, 'README'), 'not a migration');

		let r = migrate(dir, '--status');
		tap.is(r.code, 0, '--status on an empty database');
		tap.like(r.out, /^pending\s+0001_first\.sql\npending\s+0002_second\.sql\n$/, '... lists both files as pending');

		r = migrate(dir);
		tap.is(r.code, 0, 'migrate builds the schema on an empty database');
		tap.is(r.out, 'applied  0001_first.sql\napplied  0002_second.sql\n', '... applying the files in order');
		tap.is(psql("SELECT count(*) FROM pg_tables WHERE tablename IN ('t1','t2')", true), '2', '... and the tables exist');
		tap.is(psql('SELECT string_agg(name, \',\' ORDER BY name) FROM schema_migrations', true), '0001_first.sql,0002_second.sql',
			'... recording each file');

		r = migrate(dir);
		tap.is(r.code, 0, 'a second run succeeds');
		tap.like(r.out, /^nothing to do: 2 migration\(s\) applied\n$/, '... and does nothing');
		tap.is(psql('SELECT count(*) FROM t1', true), '1', '... (no file ran twice)');

		fs.writeFileSync(path.join(dir, '0003_broken.sql'), 'CREATE TABLE t3 (id int);\nCREATE TABLE oops (;\n');
		r = migrate(dir);
		tap.ok(r.code !== 0, 'a failing file stops migrate with a non-zero exit');
		tap.like(r.err, /0003_broken\.sql: ERROR: +syntax error/, '... naming the file and the error');
		tap.is(psql("SELECT count(*) FROM pg_tables WHERE tablename = 't3'", true), '0', '... leaving nothing of that file');
		r = migrate(dir, '--status');
		tap.like(r.out, /pending\s+0003_broken\.sql/, '... which stays pending');

		fs.writeFileSync(path.join(dir, '0003_broken.sql'), 'CREATE TABLE t3 (id int);\n');
		r = migrate(dir);
		tap.is(r.out, 'applied  0003_broken.sql\n', 'once fixed, only the pending file is applied');

		fs.appendFileSync(path.join(dir, '0001_first.sql'), '-- edited\n');
		fs.writeFileSync(path.join(dir, '0004_next.sql'), 'CREATE TABLE t4 (id int);\n');
		r = migrate(dir);
		tap.ok(r.code !== 0, 'an applied file that was edited: migrate refuses');
		tap.like(r.err, /0001_first\.sql was edited after it was applied/, '... saying which file');
		tap.is(psql("SELECT count(*) FROM pg_tables WHERE tablename = 't4'", true), '0', '... and applies nothing else');
		r = migrate(dir, '--status');
		tap.like(r.out, /^CHANGED .*0001_first\.sql  \(edited after it was applied\)\napplied .*0002_second\.sql\napplied .*0003_broken\.sql\npending\s+0004_next\.sql\n$/,
			'--status shows the edited, applied and pending files');
		tap.is(r.code, 1, '... and exits 1 while a file is changed');

		fs.unlinkSync(path.join(dir, '0002_second.sql'));
		r = migrate(dir, '--status');
		tap.like(r.out, /MISSING .*0002_second\.sql  \(applied, file no longer there\)/, '--status reports an applied file that is gone');

		r = spawnSync(bin, ['migrate', '--dir', dir], { encoding: 'utf8', env: { ...process.env, DATABASE_OWNER_URL: '' } });
		tap.is(r.status, 2, 'without DATABASE_OWNER_URL: usage error');
		tap.like(r.stderr, /DATABASE_OWNER_URL is not set/, '... saying what is missing');
	} finally {
		psql(`DROP DATABASE IF EXISTS ${scratch}`);
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
