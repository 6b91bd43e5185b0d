// mail: the e-mails of a booking's life (issue 17), delivered by eleva
// mailer over SMTP to a real mail catcher (maildev) and read back through
// its API: one message per change and side, in the recipient's language,
// text and HTML parts, an .ics (read by ical.js) whose UID stays and whose
// SEQUENCE grows through move and cancel; a reminder a day before; a
// sender killed mid-batch and started again sends each message once; the
// SMTP server down for a minute, the mail arrives after it returns.
'use strict';

const net = require('node:net');
const ICAL = require('ical.js');
const tap = require('../lib/tap');
const { env, sleep, until } = require('../lib/stack');
const { Jar, request, csrfOf, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail, book } = require('../lib/booking');
const { startMaildev, startMailer } = require('../lib/maildev');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

// A sender of our own, sending to smtpUrl.
const mailer = (smtpUrl, extra = {}) => startMailer(smtpUrl, { SMTP_TLS: 'try', ...extra });
const stopMailer = (m) => m.stop();

// A TCP stand-in between the sender and the catcher that can hold what
// the sender writes (hold = true): the catcher then never sees the end of
// a message, as when the network stalls mid-DATA.
function holdingProxy(port) {
	const state = { hold: false, sockets: new Set() };
	const server = net.createServer((client) => {
		const up = net.connect(port, '127.0.0.1');
		state.sockets.add(client);
		state.sockets.add(up);
		client.on('data', (d) => { if (!state.hold) up.write(d); });
		up.on('data', (d) => client.write(d));
		const close = () => { client.destroy(); up.destroy(); };
		for (const s of [client, up]) { s.on('error', close); s.on('close', close); }
	});
	server.unref();
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
		state.port = server.address().port;
		state.close = () => { for (const s of state.sockets) s.destroy(); server.close(); };
		resolve(state);
	}));
}

// The messages to one of these addresses.
const to = (all, addrs) => all.filter((m) => (m.to || []).some((t) => addrs.includes(t.address)));
const vevent = (text) => new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent');
const calendarOf = (text) => new ICAL.Component(ICAL.parse(text));

// What earlier tests left unsent is not this test's to deliver.
const forgetBacklog = () => sql(`UPDATE mail_outbox SET sent_at = now(), data = NULL
	WHERE sent_at IS NULL AND failed_at IS NULL`);

tap.run(async () => {
	forgetBacklog();
	const catcher = await startMaildev();
	const m1 = mailer(catcher.url);

	// A guest books in Portuguese; the expert reads English.
	const e = await publishedExpert({ first: 'Marta', last: 'Mensagem', tz: 'Europe/Lisbon',
		events: [{ slug: 'consultation', name: 'Primeira consulta', minutes: 50, price: 0 }] });
	const page = await request(`${APP_URL}/${e.handle}/consultation`, null);
	const starts = startsOf(page.body);
	// An hour apart (a 50-minute session): none overlaps another.
	const hourly = starts.filter((s) => /:00:00Z$/.test(s));
	const start = starts[starts.length - 1];
	const email = guestEmail('mail');
	const jar = new Jar();
	const url = `${APP_URL}/${e.handle}/consultation`;
	const form = await request(url, jar, { headers: { 'accept-language': 'pt-PT' } });
	const r = await request(url, jar, { form: { csrf: csrfOf(form.body), timezone: 'America/Sao_Paulo', start,
		name: 'Joana Júlia', email, notes: 'Primeira vez <b>aqui</b>.' }, headers: { origin: APP_URL, 'accept-language': 'pt-PT' } });
	tap.is(r.status, 200, 'a guest books in Portuguese');
	const id = sql(`SELECT id FROM meetings WHERE guest_email = ${lit(email)}`);
	const both = [email, e.email];

	let all = await until(async () => {
		const got = to(await catcher.messages(), both);
		return got.length >= 2 ? got : null;
	}, 60000, 'the confirmations');
	tap.is(all.length, 2, 'the booking delivered two messages: one per side');
	const gm = all.find((m) => m.to[0].address === email);
	const em = all.find((m) => m.to[0].address === e.email);
	tap.like(gm.subject, /^Marcado: Primeira consulta com Marta Mensagem, \d{4}-\d\d-\d\d às \d\d:\d\d$/, "the guest's subject, in Portuguese");
	tap.like(em.subject, /^New booking: Joana Júlia, \d{4}-\d\d-\d\d at \d\d:\d\d$/, "the expert's, in English");
	tap.like(gm.text, /Olá Joana Júlia,/, '... a text part');
	tap.like(gm.html, /<a href="http:\/\/[^"]+\/bookings\/[0-9a-f-]+\/manage\?k=[0-9a-f]{64}"/, "... an HTML part with the guest's link to change or cancel");
	tap.like(gm.text, /\(America\/Sao_Paulo\)/, "... the time in the guest's zone");
	tap.like(em.text, /\(Europe\/Lisbon\)/, "... and in the expert's for him");
	tap.like(em.html, /Primeira vez &lt;b&gt;aqui&lt;\/b&gt;\./, "the expert's message has what the guest wrote, escaped");
	tap.unlike(gm.text, /Primeira vez/, "... the guest's does not repeat it");
	const raw = (await catcher.raw(gm.id)).toString('latin1');
	tap.like(raw, /Content-Type: text\/calendar; ?charset="?utf-8"?; ?method=REQUEST/i, 'the invitation is inline, METHOD=REQUEST');
	const icsOf = async (m) => {
		const att = (m.attachments || []).find((a) => /\.ics$/.test(a.generatedFileName || a.fileName || ''));
		return att ? (await catcher.attachment(m.id, att.generatedFileName || att.fileName)).toString('utf8') : '';
	};
	let ics = await icsOf(gm);
	let ev = vevent(ics);
	tap.is(calendarOf(ics).getFirstPropertyValue('method'), 'REQUEST', 'the attached .ics: METHOD:REQUEST');
	tap.is(ev.getFirstPropertyValue('uid'), `${id}@eleva.care`, '... UID the meeting');
	tap.is(Number(ev.getFirstPropertyValue('sequence')), 0, '... SEQUENCE 0');
	tap.is(ev.getFirstPropertyValue('dtstart').toJSDate().toISOString().replace('.000', ''), start, '... the start');
	tap.is(sql(`SELECT count(*) FILTER (WHERE sent_at IS NOT NULL) || '/' || count(*) FROM mail_outbox WHERE meeting_id = ${lit(id)}`),
		'2/2', 'the outbox records both as sent');

	// The guest moves it through the link in his e-mail.
	const link = /\/bookings\/[0-9a-f-]+\/manage\?k=[0-9a-f]{64}/.exec(gm.text)[0];
	const key = link.split('k=')[1];
	const moveJar = new Jar();
	let mv = await request(`${APP_URL}/bookings/${id}/reschedule?k=${key}`, moveJar);
	tap.is(mv.status, 200, "the e-mail's link leads to choosing another time");
	const start2 = starts[starts.length - 3];
	mv = await request(`${APP_URL}/bookings/${id}/reschedule`, moveJar, { form: { csrf: csrfOf(mv.body), k: key, start: start2 },
		headers: { origin: APP_URL } });
	tap.is(mv.status, 303, 'the guest moves it');
	all = await until(async () => {
		const got = to(await catcher.messages(), both);
		return got.length >= 4 ? got : null;
	}, 60000, 'the move messages');
	const moved = all.slice(2);
	tap.is(moved.length, 2, 'the move delivered one message per side');
	const gm2 = moved.find((m) => m.to[0].address === email);
	tap.like(gm2.subject, /^Nova hora: /, '... the new time, in Portuguese');
	tap.like(gm2.text, /Antes: /, '... saying where it was');
	ev = vevent(await icsOf(gm2));
	tap.is(ev.getFirstPropertyValue('uid'), `${id}@eleva.care`, '... the same UID');
	tap.is(Number(ev.getFirstPropertyValue('sequence')), 1, '... SEQUENCE 1');
	tap.is(ev.getFirstPropertyValue('dtstart').toJSDate().toISOString().replace('.000', ''), start2, '... the new start');

	// The expert cancels it.
	const { signIn } = require('../lib/signin');
	const es = await signIn(APP_URL, e.email);
	const mp = await request(`${APP_URL}/meetings/${id}`, es.jar);
	const c = await request(`${APP_URL}/meetings/${id}`, es.jar, { form: { csrf: csrfOf(mp.body), reason: 'Doença súbita' },
		headers: { origin: APP_URL } });
	tap.is(c.status, 303, 'the expert cancels it');
	all = await until(async () => {
		const got = to(await catcher.messages(), both);
		return got.length >= 6 ? got : null;
	}, 60000, 'the cancellations');
	const gm3 = all.slice(4).find((m) => m.to[0].address === email);
	tap.like(gm3.subject, /^Cancelada: /, 'the guest is told, in Portuguese');
	tap.like(gm3.text, /Motivo: Doença súbita/, '... with the reason');
	ics = await icsOf(gm3);
	ev = vevent(ics);
	tap.is(calendarOf(ics).getFirstPropertyValue('method'), 'CANCEL', '... an .ics with METHOD:CANCEL');
	tap.is(ev.getFirstPropertyValue('uid'), `${id}@eleva.care`, '... the same UID');
	tap.is(Number(ev.getFirstPropertyValue('sequence')), 2, '... SEQUENCE 2');
	tap.is(ev.getFirstPropertyValue('status'), 'CANCELLED', '... STATUS:CANCELLED');
	tap.is(to(await catcher.messages(), both).length, 6, 'six changes-messages in all: none twice');

	// A reminder the day before, for a meeting booked days earlier.
	const email4 = guestEmail('remind');
	const b4 = await book(APP_URL, e, 'consultation', { start: starts[starts.length - 5], name: 'Rui Lembrete', email: email4 });
	tap.is(b4.r.status, 200, 'another booking');
	const id4 = sql(`SELECT id FROM meetings WHERE guest_email = ${lit(email4)}`);
	await until(async () => to(await catcher.messages(), [email4]).length >= 1, 60000, 'its confirmation');
	sql(`ALTER TABLE meetings DISABLE TRIGGER touch_updated_at;
		UPDATE meetings SET start_time = now() + interval '20 hours', end_time = now() + interval '21 hours',
		updated_at = now() - interval '3 days' WHERE id = ${lit(id4)};
		ALTER TABLE meetings ENABLE TRIGGER touch_updated_at`);
	const rem = await until(async () => {
		const got = to(await catcher.messages(), [email4, e.email]).filter((m) => /^(Reminder|Lembrete)/.test(m.subject));
		return got.length >= 2 ? got : null;
	}, 60000, 'the reminders');
	tap.is(rem.length, 2, 'a reminder to each side within a day of the start');
	await sleep(1000);
	tap.is(to(await catcher.messages(), [email4]).filter((m) => /^Reminder/.test(m.subject)).length, 1, '... once');
	await stopMailer(m1);

	// Killed mid-batch: each message arrives once.
	forgetBacklog();
	await catcher.clear();
	const proxy = await holdingProxy(catcher.smtpPort);
	const guests = [];
	for (let i = 0; i < 6; i++) {
		const g = guestEmail(`batch${i}`);
		guests.push(g);
		const bi = await book(APP_URL, e, 'consultation', { start: hourly[i * 2], name: `Lote ${i}`, email: g });
		tap.is(bi.r.status, 200, `batch booking ${i + 1} of 6`);
	}
	const batch = [...guests, e.email];
	const k1 = mailer(`smtp://127.0.0.1:${proxy.port}`, { ELEVA_MAIL_LEASE: '10' });
	await until(async () => to(await catcher.messages(), batch).length >= 4, 60000, 'four messages through');
	proxy.hold = true;
	await sleep(1500);
	k1.kill('SIGKILL');
	await k1.done;
	proxy.close();
	const before = to(await catcher.messages(), batch).length;
	tap.ok(before >= 4 && before < 12, `the sender is killed mid-batch (${before} of 12 delivered)`);
	const k2 = mailer(catcher.url, { ELEVA_MAIL_LEASE: '10' });
	const after = await until(async () => {
		const got = to(await catcher.messages(), batch);
		return got.length >= 12 ? got : null;
	}, 40000, 'the rest of the batch');
	await sleep(1500);
	const final = to(await catcher.messages(), batch);
	tap.is(final.length, 12, 'started again, the sender delivers the rest: 12 in all');
	const ids = await Promise.all(final.map(async (m) => (/^Message-ID: *(\S+)/im.exec((await catcher.raw(m.id)).toString('latin1')) || [])[1]));
	tap.is(new Set(ids.filter(Boolean)).size, 12, '... each message once (12 Message-IDs)');
	tap.ok(after.length === 12, '... none lost');
	await stopMailer(k2);

	// The SMTP server away until the sender has tried again (its backoff:
	// 10 s, then 20 s more), then back.
	forgetBacklog();
	await catcher.stop();
	const email5 = guestEmail('down');
	const b5 = await book(APP_URL, e, 'consultation', { start: starts[starts.length - 7], name: 'Dora Down', email: email5 });
	tap.is(b5.r.status, 200, 'a booking while the SMTP server is down');
	const d = mailer(catcher.url);
	const t0 = Date.now();
	const attempts = () => Number(sql(`SELECT max(attempts) FROM mail_outbox o JOIN meetings m ON m.id = o.meeting_id
		WHERE m.guest_email = ${lit(email5)}`));
	const tries = await until(async () => { const n = attempts(); return n >= 2 ? n : null; }, 60000, 'a second attempt');
	tap.ok(tries >= 2, `... the sender tried again meanwhile (${tries} attempts in ${Math.round((Date.now() - t0) / 1000)} s)`);
	await catcher.start();
	const back = await until(async () => {
		const got = to(await catcher.messages(), [email5, e.email]).filter((m) =>
			m.to[0].address === email5 || /Dora Down/.test(m.subject));
		return got.length >= 2 ? got : null;
	}, 90000, 'the mail after the server came back');
	tap.is(back.length, 2, `the mail is delivered after the server returns (${Math.round((Date.now() - t0) / 1000)} s after it was written)`);
	await stopMailer(d);
	await catcher.stop();
});
