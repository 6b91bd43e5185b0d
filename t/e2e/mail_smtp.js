// mail_smtp: the e-mail transport (lib/mime.c, core/mail.c) against a real
// mail catcher (maildev, t/lib/maildev.js) and, where maildev cannot play a
// production server (STARTTLS, a refused recipient or message), against
// smtp-server (t/lib/smtpstub.js), through the test driver
// t/unit/mail_send_cli: delivery with accents and an .ics read back, AUTH,
// TLS required, the server down and back, a hung server, and how each
// failure is sorted (sent, retry, rejected).  Also the SMTP_* and MAIL_FROM
// settings' messages, and script/lib/stack.sh's stack_maildev_start.
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const tap = require('../lib/tap');
const { startMaildev, selfSigned } = require('../lib/maildev');
const { startSmtpStub } = require('../lib/smtpstub');

const SRCDIR = process.env.ELEVA_SRCDIR || path.resolve(__dirname, '..', '..');
if (!process.env.ELEVA_BIN) tap.skipAll('ELEVA_BIN is not set: run with script/test or make check');
const BUILD = path.resolve(path.dirname(process.env.ELEVA_BIN), '..');
const DRIVER = path.join(BUILD, 't', 'unit', 'mail_send_cli');
if (!fs.existsSync(DRIVER)) tap.skipAll(`${DRIVER} is not built`);

// Kept for reading when a test fails.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eleva-mail-'));
process.on('exit', (code) => {
	if (code === 0 && !process.exitCode) fs.rmSync(work, { recursive: true, force: true });
	else console.log(`# files kept in ${work}`);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A calendar as lib/ics.c writes one: CRLF, accents, a folded line.
const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Eleva Care//Eleva Care//EN', 'METHOD:REQUEST',
	'BEGIN:VEVENT', 'UID:m-42@eleva.care', 'SEQUENCE:0', 'DTSTART:20261206T220000Z', 'DTEND:20261206T230000Z',
	'SUMMARY:Consulta pós-parto com Ana Ferreira — primeira sessão\\, longa e com acen',
	' tos: ção ã é', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

const MESSAGE = {
	MAIL_FROM_NAME: 'Eleva Care',
	MAIL_FROM_ADDR: 'no-reply@eleva.test',
	MAIL_TO_NAME: 'Conceição Gonçalves',
	MAIL_TO_ADDR: 'conceicao@example.test',
	MAIL_SUBJECT: 'Consulta confirmada: sábado, 6 de dezembro às 22:00 — Ana Ferreira 🌸',
	MAIL_MESSAGE_ID: '<outbox-42.1@eleva.test>',
	MAIL_TEXT: 'Olá Conceição,\n\nA sua consulta está confirmada.\n.\n.hidden line\n..two dots\n' +
		`${'Uma linha longa com acentos — ção, ã, é. '.repeat(5)}\nAté breve.\n`,
	MAIL_HTML: '<!DOCTYPE html>\n<p>Olá <b>Conceição</b>, a sua consulta está confirmada.</p>\n',
	MAIL_ICS: ICS,
	MAIL_ICS_METHOD: 'REQUEST',
	MAIL_ICS_FILENAME: 'invite.ics',
};

let sends = 0;

// Build and send one message with the driver: { code, result, reason, out (the message's bytes) }.
function send(transport, message = {}) {
	const out = path.join(work, `sent-${++sends}.eml`);
	const env = { PATH: process.env.PATH, ASAN_OPTIONS: process.env.ASAN_OPTIONS || '',
		UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || '', MAIL_OUT: out, SMTP_TIMEOUT_MS: '8000',
		...MESSAGE, ...message, ...transport };
	for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
	return new Promise((resolve) => {
		const c = spawn(DRIVER, [], { env });
		let stdout = '';
		let stderr = '';
		c.stdout.on('data', (d) => { stdout += d; });
		c.stderr.on('data', (d) => { stderr += d; });
		c.on('exit', (code) => {
			const m = /^(\w+): (.*)$/m.exec(stdout) || [];
			if (/Sanitizer|runtime error/.test(stderr)) tap.diag(stderr);
			resolve({ code, result: m[1], reason: m[2] || '', stderr,
				results: stdout.split('\n').filter(Boolean).map((l) => l.split(':')[0]),
				out: fs.existsSync(out) ? fs.readFileSync(out) : null });
		});
	});
}

async function delivery() {
	const md = await startMaildev({ dir: path.join(work, 'plain') });
	try {
		const r = await send({ SMTP_URL: md.url, SMTP_TLS: 'none' });
		tap.is(r.result, 'sent', 'plain SMTP: sent');
		tap.is(r.code, 0, '... the driver exits 0');
		tap.like(r.reason, /^250 /, '... the server\'s 250 as the reason');
		const all = await md.waitForMessages(1);
		tap.is(all.length, 1, '... one message arrives');
		const m = all[0] || {};
		tap.is(m.subject, MESSAGE.MAIL_SUBJECT, '... its subject decodes to the accents and emoji sent');
		tap.is(m.to && m.to[0].name, MESSAGE.MAIL_TO_NAME, '... the recipient\'s name too');
		tap.is(m.to && m.to[0].address, MESSAGE.MAIL_TO_ADDR, '... and address');
		tap.is(m.from && m.from[0].name, 'Eleva Care', '... the sender\'s name');
		tap.is(m.envelope && m.envelope.from.address, MESSAGE.MAIL_FROM_ADDR, '... the envelope sender');
		tap.is(m.envelope && m.envelope.to.map((t) => t.address).join(), MESSAGE.MAIL_TO_ADDR,
			'... the envelope recipient, alone');
		tap.is(m.headers && m.headers['message-id'], MESSAGE.MAIL_MESSAGE_ID, '... the Message-ID given');
		tap.is(m.text, MESSAGE.MAIL_TEXT, '... the text part, lines starting with "." intact (libcurl dot-stuffs)');
		tap.is((m.html || '').trim(), MESSAGE.MAIL_HTML.trim(), '... the HTML part');
		const raw = await md.raw(m.id);
		tap.ok(r.out && raw.equals(r.out), '... the bytes that arrived are the bytes mime_write made');
		const att = (m.attachments || []).find((a) => a.filename === 'invite.ics');
		tap.ok(att && att.contentType === 'application/ics' && att.contentDisposition === 'attachment',
			'... invite.ics attached as application/ics');
		const bytes = att ? await md.attachment(m.id, att.generatedFileName) : Buffer.alloc(0);
		tap.ok(bytes.equals(Buffer.from(ICS)), '... its bytes are the calendar\'s');
		const inline = (m.attachments || []).find((a) => a.contentType === 'text/calendar');
		tap.ok(inline, '... and the inline text/calendar part is there for mail clients');
		tap.like(raw.toString(), /\r\nContent-Type: text\/calendar; charset=utf-8; method=REQUEST\r\n/,
			'... with method=REQUEST');

		let n = await send({ SMTP_URL: md.url, SMTP_TLS: 'try' }, { MAIL_HTML: undefined, MAIL_ICS: undefined,
			MAIL_SUBJECT: 'Only text', MAIL_TEXT: '.\n' });
		tap.is(n.result, 'sent', 'SMTP_TLS=try, no STARTTLS offered: sent in the clear');
		const last = (await md.waitForMessages(2))[1] || {};
		tap.is(last.text, '.\n', '... a text of one "." arrives as it is');

		n = await send({ SMTP_URL: md.url, SMTP_TLS: 'required' });
		tap.is(n.result, 'retry', 'SMTP_TLS=required, no STARTTLS offered: retry');
		tap.is(n.code, 1, '... the driver exits 1');
		await sleep(300);
		tap.is((await md.messages()).length, 2, '... and nothing was delivered');

		n = await send({ SMTP_URL: md.url }, { MAIL_SUBJECT: 'Bcc: me\r\nX: injected' });
		tap.is(n.result, 'invalid', 'a subject with CR LF: mime_write refuses, nothing is sent');

		// The server down, then back on the same port.
		await md.stop();
		n = await send({ SMTP_URL: md.url, SMTP_TLS: 'none' });
		tap.is(n.result, 'retry', 'server down (port closed): retry');
		tap.like(n.reason, /connect/i, '... saying the connection failed');
		await md.start();
		n = await send({ SMTP_URL: md.url, SMTP_TLS: 'none' }, { MAIL_MESSAGE_ID: '<outbox-43.1@eleva.test>' });
		tap.is(n.result, 'sent', 'back on the same port: sent');
		const after = await md.waitForMessages(3);
		tap.is(after.length, 3, '... the mail from before is still there, and the new one');
		await md.clear();
		tap.is((await md.messages()).length, 0, 'clear() empties the catcher');

		n = await send({ SMTP_URL: md.url, SMTP_TLS: 'none' }, { MAIL_COUNT: '3' });
		tap.is(n.results.join(), 'sent,sent,sent', 'three messages through one sender (its connection kept): sent');
		tap.is((await md.waitForMessages(3)).length, 3, '... all three arrive');
	} finally {
		await md.stop();
	}
}

async function auth() {
	const md = await startMaildev({ dir: path.join(work, 'auth'), user: 'eleva', pass: 'right-password' });
	try {
		let r = await send({ SMTP_URL: md.url, SMTP_TLS: 'none', SMTP_USER: 'eleva', SMTP_PASSWORD: 'right-password' });
		tap.is(r.result, 'sent', 'AUTH with the right password: sent');
		r = await send({ SMTP_URL: md.url, SMTP_TLS: 'none', SMTP_USER: 'eleva', SMTP_PASSWORD: 'wrong-password' });
		tap.is(r.result, 'retry', 'AUTH with a wrong password: retry (the configuration may be fixed)');
		tap.like(r.reason, /^AUTH: 535/, '... the reason is the server\'s 535');
		tap.ok(!/wrong-password/.test(r.stderr + r.reason), '... the password is in no log line');
		r = await send({ SMTP_URL: md.url, SMTP_TLS: 'none' });
		tap.is(r.result, 'retry', 'no AUTH where it is required: retry');
		tap.like(r.reason, /^MAIL: 530/, '... the 530 to MAIL FROM');
		await sleep(300);
		tap.is((await md.messages()).length, 1, 'only the authenticated message arrived');
	} finally {
		await md.stop();
	}
}

async function smtps() {
	const md = await startMaildev({ dir: path.join(work, 'tls'), tls: true, user: 'eleva', pass: 'pw' });
	try {
		const transport = { SMTP_URL: md.url, SMTP_TLS: 'required', SMTP_USER: 'eleva', SMTP_PASSWORD: 'pw' };
		tap.like(md.url, /^smtps:/, 'maildev with --incoming-secure speaks smtps (TLS at once)');
		let r = await send({ ...transport, SMTP_CA_FILE: md.caFile });
		tap.is(r.result, 'sent', 'smtps, TLS required, the test CA: sent');
		r = await send(transport);
		tap.is(r.result, 'retry', 'smtps without the CA: the certificate is refused, retry');
		tap.like(r.reason, /certificate/i, '... saying so');
		await sleep(300);
		tap.is((await md.messages()).length, 1, '... and nothing more arrived');
	} finally {
		await md.stop();
	}
}

async function starttls() {
	const cert = selfSigned(fs.mkdtempSync(path.join(work, 'stub-')));
	const stub = await startSmtpStub({ tls: cert, requireTLS: true, user: 'eleva', pass: 'pw' });
	try {
		const transport = { SMTP_URL: stub.url, SMTP_USER: 'eleva', SMTP_PASSWORD: 'pw', SMTP_CA_FILE: cert.cert };
		let r = await send({ ...transport, SMTP_TLS: 'required' });
		tap.is(r.result, 'sent', 'STARTTLS required, offered, the test CA: sent');
		tap.ok(stub.messages[0] && stub.messages[0].secure && stub.messages[0].user === 'eleva',
			'... over TLS, authenticated');
		r = await send({ ...transport, SMTP_TLS: 'try' });
		tap.is(r.result, 'sent', 'SMTP_TLS=try with STARTTLS offered: sent');
		tap.ok(stub.messages[1] && stub.messages[1].secure, '... over TLS too');
		r = await send({ ...transport, SMTP_TLS: 'none' });
		tap.is(r.result, 'retry', 'SMTP_TLS=none where the server wants STARTTLS first: retry');
		tap.like(r.reason, /^(AUTH|MAIL): 53[08] /, '... its 538 (AUTH) or 530 (MAIL): STARTTLS first');
		tap.is(stub.messages.length, 2, '... nothing delivered');
	} finally {
		await stub.close();
	}
}

async function refusals() {
	const stub = await startSmtpStub({ rcpt: {
		'nobody@example.test': [550, '5.1.1 <nobody@example.test>: Recipient address rejected: User unknown'],
		'full@example.test': [452, '4.2.2 Mailbox full'],
	} });
	try {
		const transport = { SMTP_URL: stub.url, SMTP_TLS: 'try' };
		let r = await send(transport, { MAIL_TO_ADDR: 'nobody@example.test' });
		tap.is(r.result, 'rejected', 'a 550 to RCPT TO: rejected');
		tap.is(r.code, 2, '... the driver exits 2');
		tap.like(r.reason, /^RCPT: 550 5\.1\.1 <address> Recipient address rejected/, '... the reply, the address left out');
		tap.ok(!/nobody@/.test(r.stderr + r.reason), '... in the log too');
		r = await send(transport, { MAIL_TO_ADDR: 'full@example.test' });
		tap.is(r.result, 'retry', 'a 452 to RCPT TO: retry');
		r = await send(transport, { MAIL_TO_ADDR: 'someone@example.test' });
		tap.is(r.result, 'sent', 'another recipient on the same server: sent');
		tap.is(stub.messages.length, 1, '... only that one delivered');
	} finally {
		await stub.close();
	}
	const refusing = await startSmtpStub({ data: [554, '5.6.0 Message content rejected'] });
	try {
		const r = await send({ SMTP_URL: refusing.url, SMTP_TLS: 'none' });
		tap.is(r.result, 'rejected', 'a 554 after the data: rejected');
		tap.like(r.reason, /^DATA: 554/, '... naming DATA');
	} finally {
		await refusing.close();
	}
	const tempfail = await startSmtpStub({ data: [451, '4.3.0 Try again later'] });
	try {
		const r = await send({ SMTP_URL: tempfail.url, SMTP_TLS: 'none' });
		tap.is(r.result, 'retry', 'a 451 after the data: retry');
	} finally {
		await tempfail.close();
	}
}

// A server that accepts connections and never says a word.
async function hung() {
	const sockets = [];
	const server = net.createServer((s) => sockets.push(s));
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	try {
		const t0 = Date.now();
		const r = await send({ SMTP_URL: `smtp://127.0.0.1:${server.address().port}`, SMTP_TIMEOUT_MS: '1500' });
		const ms = Date.now() - t0;
		tap.is(r.result, 'retry', 'a server that never greets: retry');
		tap.ok(ms < 6000, `... within SMTP_TIMEOUT_MS (${ms} ms for 1500)`);
	} finally {
		for (const s of sockets) s.destroy();
		server.close();
	}
}

// eleva serve refuses bad e-mail settings, naming them, quoting no secret.
function settings() {
	const bin = process.env.ELEVA_BIN;
	const key = () => spawnSync(bin, ['keygen'], { encoding: 'utf8' }).stdout.trim();
	const base = { PATH: process.env.PATH, ASAN_OPTIONS: process.env.ASAN_OPTIONS || '',
		DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', APP_BASE_URL: 'http://127.0.0.1:1',
		SESSION_KEYS: key(), ELEVA_IDENTITY_KEY: key(), WORKOS_API_KEY: 'sk_test_x', WORKOS_CLIENT_ID: 'client_x' };
	const cases = [
		[{ SMTP_URL: 'http://mail.example.test' }, /SMTP_URL: "http:\/\/mail\.example\.test" is not an smtp:\/\/ or smtps:\/\/ URL/],
		[{ SMTP_URL: 'smtp://eleva:hunter2-secret@mail.example.test' }, /SMTP_URL: give the user and password in SMTP_USER and SMTP_PASSWORD/],
		[{ SMTP_URL: 'smtp://mail.example.test', SMTP_TLS: 'maybe' }, /SMTP_TLS: "maybe" is not one of none, try, required/],
		[{ SMTP_URL: 'smtps://mail.example.test', SMTP_TLS: 'none' }, /SMTP_TLS is none but SMTP_URL is smtps:\/\//],
		[{ SMTP_URL: 'smtp://mail.example.test', SMTP_PASSWORD: 'hunter2-secret' }, /SMTP_USER and SMTP_PASSWORD go together: SMTP_USER is not set/],
		[{ SMTP_URL: 'smtp://mail.example.test', SMTP_CA_FILE: '/nonexistent/ca.pem' }, /SMTP_CA_FILE: cannot read "\/nonexistent\/ca\.pem"/],
		[{ SMTP_TIMEOUT_MS: '10' }, /SMTP_TIMEOUT_MS: "10" is not a number between 1000 and 600000/],
		[{ MAIL_FROM: 'Eleva Care <not an address>' }, /MAIL_FROM: "Eleva Care <not an address>" is neither an address/],
		[{ MAIL_FROM: 'Eleva\r\nBcc: x@example.test <no-reply@eleva.test>' }, /MAIL_FROM: .* is neither an address/],
	];
	for (const [extra, re] of cases) {
		const r = spawnSync(bin, ['serve'], { encoding: 'utf8', env: { ...base, ...extra }, timeout: 20000 });
		const name = Object.entries(extra).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
		tap.ok(r.status === 1 && re.test(r.stderr), `eleva serve refuses ${name}`) || tap.diag(`${r.status} ${r.stderr}`);
		tap.ok(!/hunter2-secret/.test(r.stderr), '... quoting no password');
	}
}

// script/lib/stack.sh: stack_maildev_start, its lines in the env file, stack_stop.
async function stackFunction() {
	const dir = fs.mkdtempSync(path.join(work, 'stack-'));
	// A shell of its own: not the running stack's pids (script/test exports
	// them), which stack_stop would stop.
	const script = `
		set -e
		unset NGINX_PID ELEVA_PID WORKOS_PID MAILDEV_PID
		. "${SRCDIR}/script/lib/stack.sh"
		stack_init "${dir}/var"
		stack_maildev_start
		stack_write_env
		cat "$STACK_VAR/run/env"
		echo "---"
		MAIL_FROM_ADDR=a@eleva.test MAIL_TO_ADDR=b@example.test MAIL_SUBJECT=stack MAIL_MESSAGE_ID='<s@eleva.test>' \\
		    MAIL_TEXT=hello SMTP_URL=$SMTP_URL "${DRIVER}" || true
		echo "---"
		curl -s "$MAILDEV_URL/api/email"
		echo
		echo "---"
		pid=$MAILDEV_PID
		stack_stop
		kill -0 "$pid" 2>/dev/null && echo "still running" || echo "stopped"
	`;
	const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60000,
		env: { PATH: process.env.PATH, HOME: process.env.HOME || '/', ASAN_OPTIONS: process.env.ASAN_OPTIONS || '' } });
	const [envText = '', sent = '', inbox = '', end = ''] = r.stdout.split('---\n');
	const vars = Object.fromEntries(envText.split('\n').filter((l) => l.includes('=')).map((l) => l.split(/=(.*)/s).slice(0, 2)));
	tap.ok(/^\d+$/.test(vars.MAILDEV_SMTP_PORT || '') && /^\d+$/.test(vars.MAILDEV_WEB_PORT || '') && /^\d+$/.test(vars.MAILDEV_PID || ''),
		'stack_maildev_start: the env file has MAILDEV_SMTP_PORT, MAILDEV_WEB_PORT, MAILDEV_PID') || tap.diag(r.stdout + r.stderr);
	tap.is(vars.SMTP_URL, `smtp://127.0.0.1:${vars.MAILDEV_SMTP_PORT}`, '... SMTP_URL naming its SMTP port');
	tap.is(vars.MAILDEV_URL, `http://127.0.0.1:${vars.MAILDEV_WEB_PORT}`, '... MAILDEV_URL its web inbox');
	tap.like(sent, /^sent: 250/, '... a message sent to SMTP_URL is taken');
	let inboxList = [];
	try {
		inboxList = JSON.parse(inbox);
	} catch {
		inboxList = [];
	}
	tap.is(inboxList.length === 1 && inboxList[0].subject, 'stack', '... and is in the inbox at MAILDEV_URL/api/email');
	tap.ok(fs.readdirSync(path.join(dir, 'var', 'mail')).some((f) => f.endsWith('.eml')), '... kept under the state directory\'s mail/');
	tap.is(end.trim(), 'stopped', 'stack_stop stops maildev');
}

tap.run(async () => {
	await delivery();
	await auth();
	await smtps();
	await starttls();
	await refusals();
	await hung();
	settings();
	await stackFunction();
});
