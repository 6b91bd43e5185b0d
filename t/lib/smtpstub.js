// smtpstub: an SMTP server for the tests where maildev cannot stand in for a
// production server: STARTTLS offered (and required before AUTH and MAIL, as
// on a submission port), a recipient or a message refused with the reply a
// real server gives.  Built on smtp-server, maildev's own SMTP library
// (pinned in t/package-lock.json).
'use strict';

const { SMTPServer } = require('smtp-server');
const fs = require('node:fs');

// Start a server on a free port of 127.0.0.1.  opts: {
//   tls: { cert, key }: STARTTLS offered with this pair;
//   requireTLS: MAIL FROM and AUTH refused (530 5.7.0) before STARTTLS;
//   user, pass: AUTH required;
//   rcpt: { address: [code, text] }: RCPT TO refused for these;
//   data: [code, text]: every message refused after its data }.
// Resolves to { port, url, messages: [{ from, to, raw, secure, user }], close() }.
function startSmtpStub(opts = {}) {
	const messages = [];
	const fail = (code, text) => Object.assign(new Error(text), { responseCode: code });
	const server = new SMTPServer({
		secure: false,
		...(opts.tls ? { key: fs.readFileSync(opts.tls.key), cert: fs.readFileSync(opts.tls.cert) } : {}),
		hideSTARTTLS: !opts.tls,
		disabledCommands: opts.tls ? [] : ['STARTTLS'],
		authOptional: !opts.user,
		allowInsecureAuth: !opts.requireTLS,
		logger: false,
		onAuth(auth, session, cb) {
			if (auth.username === opts.user && auth.password === opts.pass) return cb(null, { user: auth.username });
			return cb(fail(535, '5.7.8 Authentication credentials invalid'));
		},
		onMailFrom(address, session, cb) {
			if (opts.requireTLS && !session.secure) return cb(fail(530, '5.7.0 Must issue a STARTTLS command first'));
			return cb();
		},
		onRcptTo(address, session, cb) {
			const refuse = (opts.rcpt || {})[address.address];
			if (refuse) return cb(fail(refuse[0], refuse[1]));
			return cb();
		},
		onData(stream, session, cb) {
			const chunks = [];
			stream.on('data', (c) => chunks.push(c));
			stream.on('end', () => {
				if (opts.data) return cb(fail(opts.data[0], opts.data[1]));
				messages.push({
					from: session.envelope.mailFrom.address,
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks),
					secure: !!session.secure,
					user: session.user || null,
				});
				return cb(null, 'Ok: queued');
			});
		},
	});
	server.on('error', () => {});
	return new Promise((resolve, reject) => {
		server.listen(0, '127.0.0.1', (err) => {
			if (err) return reject(err);
			const { port } = server.server.address();
			resolve({
				port, messages,
				url: `smtp://127.0.0.1:${port}`,
				close: () => new Promise((r) => server.close(r)),
			});
		});
	});
}

module.exports = { startSmtpStub };
