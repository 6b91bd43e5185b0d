// maildev: the mail catcher (npm maildev, pinned in t/package-lock.json) as a
// child process of a test: free ports, optional AUTH and TLS, what arrived
// read through its REST API, stopped and started again on the same ports.
//
// What maildev 3.0.0's incoming options do (@maildev/smtp over smtp-server):
// --incoming-user/--incoming-pass turn AUTH (PLAIN, LOGIN) on and make it
// required before MAIL FROM (530 without it, 535 for a wrong password);
// --incoming-secure is TLS from the first byte (smtps, as on port 465) with
// --incoming-cert/--incoming-key (smtp-server's own self-signed pair without
// them). STARTTLS is never offered: maildev hides it always (and disables it
// outright with AUTH on a plain port), so STARTTLS itself is tested against
// t/lib/smtpstub.js, smtp-server configured as a production server is.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const BIN = path.resolve(__dirname, '..', 'node_modules', '.bin', 'maildev');
const { freePort, sleep } = require('./stack');


// Does something accept TCP connections on port?
function listening(port) {
	return new Promise((resolve) => {
		const c = net.connect(port, '127.0.0.1');
		c.once('connect', () => { c.destroy(); resolve(true); });
		c.once('error', () => resolve(false));
	});
}

// A self-signed certificate for 127.0.0.1 and localhost (its own CA: the
// client trusts it through its CA file) in dir: { cert, key }.
function selfSigned(dir) {
	const cert = path.join(dir, 'cert.pem');
	const key = path.join(dir, 'key.pem');
	if (!fs.existsSync(cert)) {
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
			'-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
		{ stdio: 'ignore' });
	}
	return { cert, key };
}

// Start maildev.  opts: { user, pass: AUTH required with these; tls: TLS
// from the first byte with a certificate made here (its file: caFile);
// dir: where its mail, log and certificate go (a new temporary directory
// otherwise); smtpPort, webPort: else free ones }.
// Resolves to the catcher: { smtpPort, webPort, url (smtp:// or smtps://),
// webUrl, caFile, dir, messages(), raw(id), attachment(id, name), clear(),
// waitForMessages(n, ms), stop(), start() }.
async function startMaildev(opts = {}) {
	const dir = opts.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-maildev-'));
	fs.mkdirSync(path.join(dir, 'mail'), { recursive: true });
	const smtpPort = opts.smtpPort || await freePort();
	const webPort = opts.webPort || await freePort();
	const tls = opts.tls ? selfSigned(dir) : null;
	const args = ['--smtp', String(smtpPort), '--ip', '127.0.0.1', '--web', String(webPort),
		'--web-ip', '127.0.0.1', '--mail-directory', path.join(dir, 'mail')];
	if (opts.user) args.push('--incoming-user', opts.user, '--incoming-pass', opts.pass);
	if (tls) args.push('--incoming-secure', '--incoming-cert', tls.cert, '--incoming-key', tls.key);
	const webUrl = `http://127.0.0.1:${webPort}`;
	let child = null;

	async function api(method, p) {
		const res = await fetch(`${webUrl}/api${p}`, { method });
		if (!res.ok) throw new Error(`maildev ${method} ${p}: ${res.status}`);
		return res;
	}

	const catcher = {
		smtpPort, webPort, webUrl, dir,
		url: `${tls ? 'smtps' : 'smtp'}://127.0.0.1:${smtpPort}`,
		caFile: tls ? tls.cert : null,
		logPath: path.join(dir, 'maildev.log'),
		get pid() { return child ? child.pid : null; },
		// Every message, in arrival order, as maildev parsed it.
		async messages() { return (await api('GET', '/email')).json(); },
		// A message's bytes as they arrived.
		async raw(id) { return Buffer.from(await (await api('GET', `/email/${id}/source`)).arrayBuffer()); },
		async attachment(id, name) {
			return Buffer.from(await (await api('GET', `/email/${id}/attachment/${encodeURIComponent(name)}`)).arrayBuffer());
		},
		async clear() { await api('DELETE', '/email/all'); },
		// Wait until at least n messages are in; resolves to them.
		async waitForMessages(n, ms = 5000) {
			const end = Date.now() + ms;
			for (;;) {
				const all = await catcher.messages();
				if (all.length >= n || Date.now() > end) return all;
				await sleep(50);
			}
		},
		// Start (again, on the same ports and with the same mail).
		async start() {
			if (child) return catcher;
			const log = fs.openSync(catcher.logPath, 'a');
			child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', log, log], cwd: dir });
			// A test that fails half-way still ends: the catcher does not
			// keep node's loop alive (it is killed at exit).
			child.unref();
			fs.closeSync(log);
			const c = child;
			const end = Date.now() + 20000;
			for (;;) {
				if (c.exitCode !== null || c.signalCode !== null) {
					throw new Error(`maildev exited: ${fs.readFileSync(catcher.logPath, 'utf8').slice(-2000)}`);
				}
				let up = false;
				try {
					up = (await fetch(`${webUrl}/api/healthz`)).ok && await listening(smtpPort);
				} catch {
					up = false;
				}
				if (up) return catcher;
				if (Date.now() > end) {
					await catcher.stop();
					throw new Error('maildev did not start within 20 s');
				}
				await sleep(100);
			}
		},
		// Stop it: its SMTP port refuses connections until start().
		async stop() {
			const c = child;
			child = null;
			if (!c || c.exitCode !== null || c.signalCode !== null) return;
			const gone = new Promise((r) => c.once('exit', r));
			c.ref();
			c.kill('SIGTERM');
			const t = setTimeout(() => c.kill('SIGKILL'), 5000);
			await gone;
			clearTimeout(t);
		},
	};
	// stop() may be followed by start(): the directory made here goes
	// when the test does (one a run was left in /tmp).
	process.on('exit', () => {
		if (child) child.kill('SIGKILL');
		if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true });
	});
	return catcher.start();
}

// eleva mailer of the build under test, sending to smtpUrl with the
// suite's environment and env's additions; its log goes to the test's
// output.  Like the catcher it never keeps node running and dies with it.
// Returns the child, with done (its end) and stop() (SIGTERM, then its end).
function startMailer(smtpUrl, env = {}) {
	const { SRCDIR } = require('./stack');
	const bin = process.env.ELEVA_BIN || path.join(SRCDIR, 'build', 'app', 'eleva');
	const child = spawn(bin, ['mailer', '--root', SRCDIR], {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, APP_BASE_URL: process.env.APP_URL, SMTP_URL: smtpUrl,
			ELEVA_MAIL_POLL_MS: '200', ...env },
	});
	child.unref();
	// Signalled, it holds node until it has gone, so its end can be awaited.
	const kill = child.kill.bind(child);
	child.kill = (sig) => {
		child.ref();
		return kill(sig);
	};
	child.done = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
	child.stop = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		return child.done;
	};
	process.on('exit', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
	return child;
}

module.exports = { startMaildev, startMailer, freePort, selfSigned };
