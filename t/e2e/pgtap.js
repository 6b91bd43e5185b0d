// pgtap: the database's own tests.  Installs pgTAP (once per database, as the
// bootstrap superuser), commits the few fixtures the app role cannot make
// itself (t/sql/lib/owner_setup.sql, as the owner role), runs every
// t/sql/*.sql in name order with psql AS THE APP ROLE, and re-emits each
// pgTAP assertion here prefixed with its file's name.  A file whose psql
// fails, whose plan does not match what ran, or that ran nothing adds one
// failing assertion.  The fixtures are removed afterwards, also on failure.
//
// One file by hand, against a running stack (R: any [a-z0-9] suffix):
//   psql -X -q -v run=R -f t/sql/lib/owner_setup.sql "$DATABASE_OWNER_URL"
//   psql -X -q -At -v ON_ERROR_STOP=1 -v run=R -v identity_key="$ELEVA_IDENTITY_KEY" \
//       -f t/sql/30_tenant_read.sql "$DATABASE_URL"
//   psql -X -q -v run=R -f t/sql/lib/owner_teardown.sql "$DATABASE_OWNER_URL"
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { env, SRCDIR } = require('../lib/stack');

const { DATABASE_URL, DATABASE_OWNER_URL, PG_SOCKET_DIR, ELEVA_IDENTITY_KEY } = env();
const SQL_DIR = path.join(SRCDIR, 't', 'sql');
const dbUrl = new URL(DATABASE_URL);
// The primary's own port (DATABASE_URL may be PgBouncer's: --scale-out).
const port = process.env.PG_PORT || dbUrl.port || '5432';
const dbName = decodeURIComponent(dbUrl.pathname.replace(/^\//, '')) || 'eleva';
// A suffix for the ids of this run's committed fixtures: [a-z0-9] only, as
// WorkOS-style ids, handles and slugs allow.
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;

// tap.js counts every `not ok` as a failure, but a `not ok ... # TODO` is an
// expected one (a known defect, see the test file): keep our own count and
// set the exit status from it.
let failures = 0;
function check(cond, name) {
	if (!cond) failures++;
	return tap.ok(cond, name);
}
process.on('exit', () => {
	process.exitCode = failures ? 1 : 0;
});

function psql(args, opts = {}) {
	return spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...args], {
		encoding: 'utf8',
		timeout: opts.timeout || 180000,
		maxBuffer: 64 * 1024 * 1024,
	});
}

// Why a psql run failed, in a few diagnostic lines.
function why(r) {
	if (r.error) return String(r.error.message || r.error);
	const err = (r.stderr || '').trim().split('\n').slice(-15).join('\n');
	return `psql exited with status ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}${err ? `:\n${err}` : ''}`;
}

function asSuperuser(sql) {
	return psql(['-h', PG_SOCKET_DIR, '-p', port, '-U', 'postgres', '-d', dbName, '-c', sql]);
}

function installPgtap() {
	const r = asSuperuser('CREATE SCHEMA IF NOT EXISTS tap; '
		+ 'CREATE EXTENSION IF NOT EXISTS pgtap SCHEMA tap; '
		+ 'GRANT USAGE ON SCHEMA tap TO eleva_web;');
	if (!check(r.status === 0, 'pgTAP is installed (CREATE EXTENSION pgtap SCHEMA tap, as the superuser)')) {
		tap.diag(why(r));
		return false;
	}
	const s = asSuperuser("SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'pgtap'");
	const schema = (s.stdout || '').trim();
	if (!check(schema === 'tap', '... in schema tap')) {
		tap.diag(`pgtap is in schema ${JSON.stringify(schema)}`);
		return false;
	}
	return true;
}

function ownerScript(file) {
	return psql(['-v', `run=${run}`, '-f', path.join(SQL_DIR, 'lib', file), DATABASE_OWNER_URL]);
}

// Parse one file's TAP and re-emit it.
function report(file, r) {
	const TAP_OK = /^(not )?ok (\d+)(?: -)?(?: (.*))?$/;
	const DIRECTIVE = /^(.*?)(?:^|\s+)#\s*(TODO|SKIP)\b\s*(.*)$/i;
	let planned = null;
	let ran = 0;
	let numbered = true;
	for (const line of (r.stdout || '').split('\n')) {
		let m;
		if ((m = /^1\.\.(\d+)\s*(#.*)?$/.exec(line))) {
			if (planned !== null) check(false, `${file}: a second plan line (${line})`);
			planned = Number(m[1]);
		} else if ((m = TAP_OK.exec(line))) {
			ran++;
			if (Number(m[2]) !== ran) numbered = false;
			const pass = !m[1];
			let desc = m[3] || '';
			const d = DIRECTIVE.exec(desc);
			if (d) desc = d[1];
			const name = desc ? `${file}: ${desc}` : file;
			if (d && d[2].toUpperCase() === 'SKIP') {
				tap.ok(true, `${name} # SKIP ${d[3]}`);
			} else if (d && !pass) {
				// An expected failure: `not ok ... # TODO`, not counted.
				tap.ok(false, `${name} # TODO ${d[3]}`);
			} else if (d) {
				check(false, `${name}: marked TODO (${d[3]}) but passes now: remove the todo`);
			} else {
				check(pass, name);
			}
		} else if (line.startsWith('#')) {
			tap.diag(`${file}: ${line.replace(/^#\s?/, '')}`);
		} else if (line.trim() !== '') {
			tap.diag(`${file}: (output) ${line}`);
		}
	}
	if (r.status !== 0 || r.error) {
		check(false, `${file}: psql ran the file to the end`);
		tap.diag(why(r));
	} else if (ran === 0) {
		check(false, `${file}: produced no assertions`);
	} else if (planned !== ran) {
		check(false, `${file}: planned ${planned === null ? 'nothing' : planned} assertions, ran ${ran}`);
	} else if (!numbered) {
		check(false, `${file}: assertions numbered 1..${ran} in order`);
	}
}

async function main() {
	if (!PG_SOCKET_DIR) tap.skipAll('PG_SOCKET_DIR is not set');
	if (!DATABASE_OWNER_URL) tap.skipAll('DATABASE_OWNER_URL is not set');
	const files = fs.readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql')).sort();
	if (!check(files.length > 0, `there are pgTAP files in ${SQL_DIR}`)) return;
	if (!installPgtap()) return;

	const setup = ownerScript('owner_setup.sql');
	if (!check(setup.status === 0, `owner fixtures committed for run ${run} (t/sql/lib/owner_setup.sql)`)) {
		tap.diag(why(setup));
	}
	try {
		if (setup.status !== 0) return;
		for (const file of files) {
			// The app's identity key: the files sign their app.enter calls
			// (t/sql/lib/world.sql).
			const r = psql(['-v', `run=${run}`, '-v', `identity_key=${ELEVA_IDENTITY_KEY || ''}`,
				'-f', path.join(SQL_DIR, file), DATABASE_URL]);
			report(file, r);
		}
	} finally {
		const down = ownerScript('owner_teardown.sql');
		if (!check(down.status === 0, 'owner fixtures removed (t/sql/lib/owner_teardown.sql)')) tap.diag(why(down));
	}
}

tap.run(async () => {
	try {
		await main();
	} catch (err) {
		check(false, `unexpected exception: ${err && err.stack ? err.stack : err}`);
	}
});
