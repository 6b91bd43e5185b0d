// install: the README's "Deploy on one host", step by step, in a temporary
// prefix: configure and make install from the checkout, the installed
// man page, systemd units and sysusers entry checked, a throwaway
// PostgreSQL bootstrapped with the installed roles script and migrated by
// the installed program, eleva.service's own commands run with its
// environment file (as a user other than root when we are root), nginx
// with the installed eleva.conf after the operator's edits (TLS, a
// self-signed certificate), then a sign-in through WorkOS's emulator, a
// reload and a stop as systemd would signal them (Type=notify heard on a
// socket of ours), and make uninstall.  systemd itself does not run here:
// the units are checked offline (systemd-analyze verify, security).
'use strict';

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';	// our self-signed certificate
process.removeAllListeners('warning');

const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const tap = require('../lib/tap');
const { env, get, freePort, waitFor, until, SRCDIR } = require('../lib/stack');
const { request, signIn, newUser } = require('../lib/signin');
const { selfSigned } = require('../lib/maildev');

env();
const ROOT = os.userInfo().uid === 0;
const T = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-install-'));
fs.chmodSync(T, 0o755);
const PREFIX = path.join(T, 'usr');
const ETC = path.join(T, 'etc');
const SBIN = path.join(PREFIX, 'sbin', 'eleva');
const DATA = path.join(PREFIX, 'share', 'eleva');
const UNITS = path.join(PREFIX, 'lib', 'systemd', 'system');
// What systemd would make for the unit (RuntimeDirectory=, StateDirectory=).
const RUN = path.join(T, 'run', 'eleva');
const STATE = path.join(T, 'var', 'lib', 'eleva');
const children = [];
let pgVar;

// The installed program as an operator runs it: no ELEVA_ROOT, so it
// finds its data where make install put it.
const installedEnv = (extra = {}) => {
	const e = { ...process.env, ...extra };
	delete e.ELEVA_ROOT;
	return e;
};

function run(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, ...opts });
	if (r.error) throw r.error;
	return r;
}

function step(name, cmd, args, opts) {
	const r = run(cmd, args, opts);
	tap.ok(r.status === 0, name);
	if (r.status !== 0) tap.diag(`${cmd} ${args.join(' ')}: ${r.status}\n${(r.stderr || '').slice(-3000)}${(r.stdout || '').slice(-2000)}`);
	return r;
}

// EnvironmentFile= as systemd reads it: KEY=VALUE lines, comments, quotes.
function readEnvFile(file) {
	const out = {};
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
		if (!m) continue;
		let v = m[2].trim();
		if (/^".*"$/.test(v) || /^'.*'$/.test(v)) v = v.slice(1, -1);
		out[m[1]] = v;
	}
	return out;
}

// A unit's settings: key -> [values] (ExecStartPre= appears twice).
function readUnit(file) {
	const out = {};
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const m = /^([A-Za-z]+)=(.*)$/.exec(line);
		if (m) (out[m[1]] = out[m[1]] || []).push(m[2]);
	}
	return out;
}

// A unit's command with systemd's directories moved under T.
const relocate = (s) => s.replaceAll('/run/eleva', RUN).replaceAll('/var/lib/eleva', STATE);

function cleanup() {
	for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
	if (pgVar) run(path.join(SRCDIR, 'script', 'stackctl'), ['pg-stop'], { env: { ...process.env, ELEVA_VAR: pgVar } });
	pgVar = undefined;
}
process.on('exit', (code) => {
	cleanup();
	if (code === 0 && !process.exitCode) fs.rmSync(T, { recursive: true, force: true });
	else process.stderr.write(`install test: files kept in ${T}\n`);
});

// Whatever happens, nothing is left running (a child would keep node alive).
tap.run(async () => {
	try {
		await main();
	} finally {
		cleanup();
	}
});

async function main() {
	// 1. Build and install from the checkout.
	const build = path.join(T, 'build');
	fs.mkdirSync(build);
	step('configure --prefix (a temporary one) --sysconfdir', path.join(SRCDIR, 'configure'),
		['-q', `--prefix=${PREFIX}`, `--sysconfdir=${ETC}`], { cwd: build });
	step('make', 'make', ['-s', `-j${os.cpus().length}`], { cwd: build });
	step('make install', 'make', ['-s', 'install'], { cwd: build });
	for (const f of ['sbin/eleva', 'share/eleva/templates/layout.html', 'share/eleva/templates/i18n',
		'share/eleva/static/css/eleva.css', 'share/eleva/sql/0001_schema.sql', 'share/eleva/sql/bootstrap/roles.psql',
		'share/eleva/nginx/eleva.conf', 'share/eleva/nginx/eleva-common.conf', 'share/eleva/nginx/eleva-zones.conf',
		'share/eleva/eleva.env.example', 'share/man/man8/eleva.8', 'lib/systemd/system/eleva.service',
		'lib/systemd/system/eleva-mailer.service', 'lib/sysusers.d/eleva.conf']) {
		tap.ok(fs.existsSync(path.join(PREFIX, f)), `installed: ${f}`);
	}
	const generated = ['share/eleva/nginx/eleva.conf', 'share/man/man8/eleva.8', 'lib/systemd/system/eleva.service',
		'lib/systemd/system/eleva-mailer.service'].filter((f) => /@[a-z]+@/.test(fs.readFileSync(path.join(PREFIX, f), 'utf8')));
	tap.is(generated.join(' '), '', 'no @dir@ placeholder left in the installed files');
	tap.like(run(SBIN, ['check'], { env: installedEnv() }).stdout, new RegExp(`valid`),
		'the installed eleva check finds its templates without ELEVA_ROOT');

	// 2. The man page: renders, and names every command and setting.
	const man = path.join(PREFIX, 'share', 'man', 'man8', 'eleva.8');
	const lint = run('groff', ['-mdoc', '-ww', '-z', '-Tutf8', man]);
	tap.is(`${lint.status} ${lint.stderr}`, '0 ', 'eleva(8): groff -ww finds nothing to warn about');
	const page = run('groff', ['-mdoc', '-Tutf8', '-P', '-cbou', man]).stdout;
	const commands = run(SBIN, ['help']).stdout.split('\n').map((l) => (/eleva ([a-z-]+)/.exec(l) || [])[1]).filter(Boolean);
	tap.ok(commands.length >= 12, `eleva help lists ${commands.length} commands`);
	tap.is(commands.filter((c) => !new RegExp(`^\\s+${c}\\b`, 'm').test(page)).join(' '), '',
		'eleva(8) describes every command eleva help lists');
	const settings = run(SBIN, ['settings'], { env: {} }).stdout.split('\n').map((l) => l.split(/\s+/)[0]).filter(Boolean);
	tap.ok(settings.length >= 40, `eleva settings lists ${settings.length} settings`);
	tap.is(settings.filter((s) => !page.includes(s)).join(' '), '', 'eleva(8) describes every setting');
	const readme = fs.readFileSync(path.join(SRCDIR, 'README.md'), 'utf8');
	tap.is(settings.filter((s) => !readme.includes(`\`${s}\``)).join(' '), '', 'so does the README\'s table');

	// 3. The systemd units and the user they run as, checked offline.
	const sd = run('sh', ['-c', 'command -v systemd-analyze']).status === 0;
	if (sd) {
		const v = run('systemd-analyze', ['verify', path.join(UNITS, 'eleva.service'), path.join(UNITS, 'eleva-mailer.service')],
			{ env: { ...process.env, MANPATH: path.join(PREFIX, 'share', 'man') } });
		tap.is(`${v.status} ${v.stderr.trim()}`, '0 ', 'systemd-analyze verify: both units, Documentation=man:eleva(8) found');
		for (const u of ['eleva.service', 'eleva-mailer.service']) {
			const s = run('systemd-analyze', ['security', '--offline=true', path.join(UNITS, u)]);
			const level = Number((/Overall exposure level for \S+: ([\d.]+)/.exec(s.stdout) || [])[1]);
			tap.ok(level > 0 && level <= 2.0, `${u}: systemd's exposure level ${level} (at most 2.0: "OK")`);
		}
		const sysroot = path.join(T, 'sysroot');
		fs.mkdirSync(path.join(sysroot, 'etc'), { recursive: true });
		step('systemd-sysusers creates the user from the installed entry', 'systemd-sysusers',
			[`--root=${sysroot}`, path.join(PREFIX, 'lib', 'sysusers.d', 'eleva.conf')]);
		tap.like(fs.readFileSync(path.join(sysroot, 'etc', 'passwd'), 'utf8'), /^eleva:x:\d+:\d+:Eleva Care:\/var\/lib\/eleva:\/usr\/sbin\/nologin$/m,
			'... a system user eleva, no login');
	} else {
		tap.diag('systemd-analyze is not installed: the units are not verified here');
	}
	const unit = readUnit(path.join(UNITS, 'eleva.service'));
	tap.is(`${unit.Type} ${unit.ExecReload} ${unit.User}`, 'notify /bin/kill -HUP $MAINPID eleva', 'eleva.service: Type=notify, reload by SIGHUP, its own user');
	tap.is(['NoNewPrivileges', 'ProtectSystem', 'PrivateTmp', 'ProtectHome'].map((k) => `${k}=${unit[k]}`).join(' '),
		'NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes ProtectHome=yes', '... hardened');

	// 4. A throwaway PostgreSQL, bootstrapped by the installed script.
	pgVar = path.join(T, 'pg');
	const pg = Object.fromEntries(run(path.join(SRCDIR, 'script', 'stackctl'), ['pg-cluster'],
		{ env: { ...process.env, ELEVA_VAR: pgVar } }).stdout.split('\n').filter(Boolean).map((l) => l.split('=')));
	tap.ok(pg.PG_PORT, `a bare PostgreSQL cluster on port ${pg.PG_PORT}`);
	const ownerPw = run('openssl', ['rand', '-hex', '24']).stdout.trim();
	const appPw = run('openssl', ['rand', '-hex', '24']).stdout.trim();
	const asPg = (args) => (pg.PG_USER ? ['runuser', ['-u', pg.PG_USER, '--', ...args]] : [args[0], args.slice(1)]);
	const roles = fs.readFileSync(path.join(DATA, 'sql', 'bootstrap', 'roles.psql'));
	step('psql -f roles.psql (the installed copy) as the superuser', ...asPg(['psql', '-X', '-q', '-h', pg.PG_SOCKET_DIR,
		'-p', pg.PG_PORT, '-U', 'postgres', '-d', 'postgres', '-v', `owner_password=${ownerPw}`, '-v', `app_password=${appPw}`]),
	{ input: roles, cwd: '/' });

	// 5. The environment file, from the installed example.
	const port = await freePort();
	const appUrl = `https://127.0.0.1:${port}`;
	fs.mkdirSync(path.join(ETC, 'eleva'), { recursive: true });
	const envFile = path.join(ETC, 'eleva', 'eleva.env');
	const key = () => run(SBIN, ['keygen']).stdout.trim();
	const values = {
		DATABASE_URL: `postgresql://eleva_app:${appPw}@127.0.0.1:${pg.PG_PORT}/eleva`,
		APP_BASE_URL: appUrl, SESSION_KEYS: key(), ELEVA_IDENTITY_KEY: key(), WEBHOOK_SECRET: key(),
		WORKOS_API_KEY: process.env.WORKOS_API_KEY, WORKOS_CLIENT_ID: process.env.WORKOS_CLIENT_ID,
	};
	let text = fs.readFileSync(path.join(DATA, 'eleva.env.example'), 'utf8');
	for (const [k, v] of Object.entries(values)) text = text.replace(new RegExp(`^${k}=.*$`, 'm'), `${k}=${v}`);
	// Mail is eleva-mailer.service's (tested in mail.js); the emulator for WorkOS.
	text = text.replace(/^SMTP_/mg, '#SMTP_') + `WORKOS_API_BASE=${process.env.WORKOS_API_BASE}\n`;
	fs.writeFileSync(envFile, text, { mode: 0o640 });
	tap.unlike(text, /CHANGE-ME/, 'every CHANGE-ME of the example replaced');
	const shellSettings = run('bash', ['-c', `set -a; . '${envFile}'; set +a; exec '${SBIN}' settings`], { env: installedEnv() });
	tap.is(shellSettings.status, 0, 'set -a; . eleva.env; eleva settings: the settings hold together');
	tap.like(shellSettings.stdout, /^SESSION_KEYS\s+--session-keys\s+\(set\)$/m, '... a secret shown only as set');
	tap.like(shellSettings.stdout, new RegExp(`^DATABASE_URL\\s+\\S+\\s+postgresql://eleva_app:\\*\\*\\*\\*@127\\.0\\.0\\.1:${pg.PG_PORT}/eleva$`, 'm'),
		'... the database password masked');
	tap.unlike(shellSettings.stdout, new RegExp(appPw), '... and nowhere in the output');
	// Every form a password can take in a connection string is masked.
	for (const [form, url] of [
		['a keyword list, quoted with a space and a quote', "host=/run dbname=eleva password='s3cret pa\\'ss' user=eleva_app"],
		['a keyword list, unquoted', 'password=s3cretpass host=127.0.0.1 dbname=eleva'],
		['a URL query', 'postgresql://127.0.0.1/eleva?user=eleva_app&password=s3cretpass&sslmode=disable'],
		['a URL with user:password@', 'postgresql://eleva_app:s3cretpass@127.0.0.1:5432/eleva'],
	]) {
		const out = run(SBIN, ['settings'], { env: installedEnv({ DATABASE_URL: url }) }).stdout;
		const line = (/^DATABASE_URL .*$/m.exec(out) || [''])[0];
		tap.ok(/\*\*\*\*/.test(line) && !/s3cret|pa\\?'ss/.test(line), `eleva settings masks the password in ${form} (${line.replace(/^DATABASE_URL\s+\S+\s+/, '')})`);
	}
	const fileEnv = readEnvFile(envFile);

	// 6. Migrations by the installed program, as the owner.
	step('eleva migrate (installed, as the owner role)', SBIN, ['migrate'], {
		env: installedEnv({ ...fileEnv, DATABASE_OWNER_URL: `postgresql://eleva_owner:${ownerPw}@127.0.0.1:${pg.PG_PORT}/eleva` }),
	});

	// 7. eleva.service's commands, with its environment file and directories.
	let uid, gid;
	if (ROOT) {
		uid = Number(run('id', ['-u', 'www-data']).stdout);
		gid = Number(run('id', ['-g', 'www-data']).stdout);
	}
	for (const d of [RUN, STATE]) {
		fs.mkdirSync(d, { recursive: true, mode: 0o755 });
		if (ROOT) fs.chownSync(d, uid, gid);
	}
	const notifyPath = path.join(T, 'notify');
	// The suite's build directory holds the test driver.
	const builddir = path.dirname(path.dirname(process.env.ELEVA_BIN || path.join(SRCDIR, 'build-asan', 'app', 'eleva')));
	const listener = spawn(path.join(builddir, 't', 'unit', 'notify_listen'),
		[notifyPath], { stdio: ['ignore', 'pipe', 'inherit'] });
	children.push(listener);
	const notes = [];
	readline.createInterface({ input: listener.stdout }).on('line', (l) => notes.push(l));
	await waitFor(() => notes.includes('listening'), 5000, 'the notify listener');
	const serviceEnv = installedEnv({ ...fileEnv, NOTIFY_SOCKET: notifyPath });
	const asService = ROOT ? { uid, gid } : {};
	tap.is(unit.UMask[0], '0027', 'eleva.service: UMask=0027');
	process.umask(0o027);	// what the service's processes inherit
	for (const cmd of unit.ExecStartPre) {
		const [bin, ...args] = relocate(cmd).split(' ');
		step(`ExecStartPre=${cmd}`, bin, args, { env: serviceEnv, ...asService });
	}
	const mdir = path.join(STATE, 'maintenance');
	tap.is(fs.existsSync(mdir) && [mdir, ...fs.readdirSync(mdir).map((f) => path.join(mdir, f))]
		.map((f) => `${path.basename(f)}:${(fs.statSync(f).mode & 0o777).toString(8)}`).join(' '),
	'maintenance:755 br.html:644 en.html:644 es.html:644 pt.html:644',
	'... the maintenance pages made in the state directory, readable by nginx despite the umask');
	const [bin, ...args] = relocate(unit.ExecStart[0]).split(' ');
	// Not root: nginx runs as we do and the socket needs no group.
	const serveArgs = ROOT ? args : args.filter((a, i) => a !== '--socket-group' && args[i - 1] !== '--socket-group');
	const log = fs.openSync(path.join(T, 'eleva.log'), 'a');
	const master = spawn(bin, serveArgs, { env: serviceEnv, stdio: ['ignore', log, log], ...asService });
	process.umask(0o022);
	children.push(master);
	const exited = new Promise((res) => master.on('exit', (code, signal) => res({ code, signal })));
	await until(() => notes.find((n) => n.startsWith('READY=1')), 20000, 'READY=1');
	tap.like(notes.find((n) => n.startsWith('READY=1')) || '', new RegExp(`^READY=1 \\| STATUS=serving on unix:${RUN}/eleva.sock`),
		'ExecStart: the pool tells systemd READY=1 once a worker is ready');
	const sock = fs.statSync(path.join(RUN, 'eleva.sock'));
	tap.is((sock.mode & 0o777).toString(8), '660', '... its socket mode 0660');
	if (ROOT) tap.is(`${sock.uid} ${sock.gid}`, `${uid} ${gid}`, '... owned by the service\'s user, group www-data');

	// 8. nginx with the installed eleva.conf and the operator's edits.
	const ngx = path.join(T, 'nginx');
	fs.mkdirSync(path.join(ngx, 'logs'), { recursive: true });
	const { cert, key: certKey } = selfSigned(ngx);
	const httpPort = await freePort();
	const workosOrigin = new URL(process.env.WORKOS_API_BASE).origin;
	let conf = fs.readFileSync(path.join(DATA, 'nginx', 'eleva.conf'), 'utf8');
	conf = relocate(conf)
		.replace(/^\s*listen \[::\].*$/mg, '')
		.replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`)
		.replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${port} ssl http2;`)
		.replace(/server_name eleva\.example;/g, 'server_name 127.0.0.1;')
		.replace(/ssl_certificate \S+;/, `ssl_certificate ${cert};`)
		.replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${certKey};`)
		.replace(/set \$eleva_workos_origin \S+;/, `set $eleva_workos_origin ${workosOrigin};`);
	tap.unlike(conf, /eleva\.example|\/etc\/ssl\/eleva/, 'eleva.conf: every CHANGE line edited');
	fs.writeFileSync(path.join(ngx, 'eleva.conf'), conf);
	fs.writeFileSync(path.join(ngx, 'nginx.conf'), `${ROOT ? 'user www-data;' : ''}
worker_processes 1;
pid ${ngx}/nginx.pid;
error_log ${ngx}/logs/error.log warn;
daemon off;
events { worker_connections 256; }
http {
	include /etc/nginx/mime.types;
	access_log ${ngx}/logs/access.log;
	client_body_temp_path ${ngx}/body;
	fastcgi_temp_path ${ngx}/fastcgi;
	proxy_temp_path ${ngx}/proxy;
	uwsgi_temp_path ${ngx}/uwsgi;
	scgi_temp_path ${ngx}/scgi;
	include ${ngx}/eleva.conf;
}
`);
	step('nginx -t with the installed eleva.conf', 'nginx', ['-t', '-q', '-p', ngx, '-e', path.join(ngx, 'logs', 'error.log'), '-c', path.join(ngx, 'nginx.conf')]);
	const nginx = spawn('nginx', ['-p', ngx, '-e', path.join(ngx, 'logs', 'error.log'), '-c', path.join(ngx, 'nginx.conf')], { stdio: 'ignore' });
	children.push(nginx);
	await until(async () => {
		try {
			return (await get(`${appUrl}/ping`)).status === 200;
		} catch {
			return false;
		}
	}, 10000, 'nginx and the pool');

	// 9. The site: over https, static files from the installed tree, a sign-in.
	let r = await get(`http://127.0.0.1:${httpPort}/dashboard`);
	tap.is(`${r.status} ${r.headers.get('location')}`, `301 https://127.0.0.1/dashboard`, 'http: 301 to https');
	r = await get(`${appUrl}/static/css/eleva.css`);
	tap.is(`${r.status} ${r.body === fs.readFileSync(path.join(DATA, 'static', 'css', 'eleva.css'), 'utf8')}`, '200 true',
		'static files: the installed ones, from nginx');
	r = await get(`${appUrl}/`);
	tap.like(`${r.status} ${r.headers.get('strict-transport-security')}`, /^200 max-age=/, 'the home page, with HSTS');
	const user = await newUser('Ines', 'Install');
	const s = await signIn(appUrl, user.email);
	tap.is(s.callback && s.callback.status, 303, 'signed in through WorkOS: the callback answers 303');
	tap.like(s.jar.setLine('__Host-eleva_session') || '', /; Secure/i, '... with a __Host- Secure session cookie');
	r = await request(`${appUrl}${s.callback ? s.callback.location : '/dashboard'}`, s.jar);
	tap.like(`${r.status} ${r.body}`, /^200 [\s\S]*Ines/, `... and lands on ${s.callback && s.callback.location}, which greets her`);

	// 10. systemctl reload (ExecReload: SIGHUP), maintenance, systemctl stop.
	const before = notes.length;
	master.kill('SIGHUP');
	await until(() => notes.slice(before).find((n) => n.startsWith('READY=1')), 20000, 'READY=1 after the reload');
	tap.is(notes.slice(before).map((n) => n.split(' | ')[0]).join(' '), 'RELOADING=1 READY=1',
		'reload: RELOADING=1, then READY=1 once every worker is new');
	r = await request(`${appUrl}/dashboard`, s.jar);
	tap.like(`${r.status} ${r.body}`, /^200 [\s\S]*Ines/, '... and her session goes on');
	fs.writeFileSync(path.join(STATE, 'maintenance', 'on'), '');
	r = await get(`${appUrl}/dashboard`, { headers: { 'accept-language': 'pt-PT' } });
	tap.like(`${r.status} ${r.body}`, /^503 [\s\S]*<html lang="pt-PT">/, 'touch /var/lib/eleva/maintenance/on: 503 in her language');
	fs.unlinkSync(path.join(STATE, 'maintenance', 'on'));
	master.kill('SIGTERM');
	const end = await exited;
	tap.is(`${end.code} ${end.signal}`, '0 null', 'systemctl stop (SIGTERM): the pool exits 0');
	tap.ok(notes.some((n) => n.startsWith('STOPPING=1')), '... having told systemd STOPPING=1');
	tap.ok(!fs.existsSync(path.join(RUN, 'eleva.sock')), '... and removed its socket');
	nginx.kill('SIGQUIT');

	// 11. make uninstall leaves no file behind.
	step('make uninstall', 'make', ['-s', 'uninstall'], { cwd: build });
	const left = run('find', [PREFIX, '-type', 'f']).stdout.trim();
	tap.is(left, '', 'no installed file left');
}
