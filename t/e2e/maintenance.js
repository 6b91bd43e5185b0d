// maintenance: while the file <dir>/on exists, nginx answers every request
// but static files with 503, Retry-After and the maintenance page in the
// browser's language (rendered ahead by eleva maintenance-pages), POSTs
// included, without the pool: on a private pool, which is then stopped.
// Removing the file ends it without a reload.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const tap = require('../lib/tap');
const { env, get, startPool, SRCDIR } = require('../lib/stack');
const { tidyErrors } = require('../lib/tidy');

env();
const BIN = process.env.ELEVA_BIN || path.join(SRCDIR, 'build', 'app', 'eleva');

tap.run(async () => {
	const pool = await startPool();
	const dir = path.join(pool.dir, 'maintenance');
	fs.mkdirSync(dir, { recursive: true });
	execFileSync(BIN, ['maintenance-pages', '--root', SRCDIR, dir]);
	fs.chmodSync(dir, 0o755);
	for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
	tap.is(fs.readdirSync(dir).sort().join(' '), 'br.html en.html es.html pt.html', 'eleva maintenance-pages: one page per language');

	let r = await get(`${pool.url}/`);
	tap.is(r.status, 200, 'before: the home page, from the pool');
	tap.is(r.headers.get('retry-after'), null, '... without Retry-After');

	fs.writeFileSync(path.join(dir, 'on'), '');
	r = await get(`${pool.url}/`);
	tap.is(r.status, 503, 'the switch on: 503');
	tap.is(r.headers.get('retry-after'), '120', '... Retry-After: 120');
	tap.like(r.headers.get('content-security-policy') || '', /default-src 'self'/, '... with the security headers');
	tap.like(r.body, /<html lang="en">[\s\S]*<h1>We are updating Eleva Care<\/h1>/, '... the page in English');
	tap.is(tidyErrors(r.body, 'maintenance').join('\n'), '', '... which tidy passes');
	const langs = { 'pt-PT,pt;q=0.9': ['pt-PT', 'Estamos a atualizar a Eleva Care'], 'pt-BR': ['pt-BR', 'Estamos atualizando a Eleva Care'],
		'es-ES,es;q=0.8': ['es', 'Estamos actualizando Eleva Care'], 'de-DE': ['en', 'We are updating Eleva Care'] };
	for (const [accept, [lang, title]] of Object.entries(langs)) {
		r = await get(`${pool.url}/dashboard`, { headers: { 'accept-language': accept } });
		tap.like(`${r.status} ${r.body}`, new RegExp(`^503 [\\s\\S]*<html lang="${lang}">[\\s\\S]*<h1>${title}</h1>`), `Accept-Language ${accept}: 503, in ${lang}`);
	}
	r = await get(`${pool.url}/static/css/eleva.css`);
	tap.is(r.status, 200, 'static files still served (the page needs its CSS)');
	r = await get(`${pool.url}/sign-in/code`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.test' });
	tap.like(`${r.status} ${r.body}`, /^503 [\s\S]*We are updating/, 'a POST: 503 and the page, not 405');
	r = await get(`${pool.url}/webhooks/workos`, { method: 'POST', body: '{}' });
	tap.is(r.status, 503, 'a webhook: 503 (WorkOS delivers it again later)');
	r = await get(`${pool.url}/eleva-maintenance`);
	tap.is(r.status, 404, 'the pages are not reachable by their own URL');

	// Without the pool.
	pool.master.kill('SIGTERM');
	await pool.exited;
	r = await get(`${pool.url}/`);
	tap.like(`${r.status} ${r.body}`, /^503 [\s\S]*We are updating/, 'the pool stopped: the same page');

	fs.unlinkSync(path.join(dir, 'on'));
	r = await get(`${pool.url}/`);
	tap.is(r.status, 502, 'the switch off: requests go to the pool again (stopped here: 502), no reload needed');
	pool.nginx.kill('SIGTERM');
	await new Promise((res) => (pool.nginx.exitCode !== null ? res() : pool.nginx.once('exit', res)));
});
