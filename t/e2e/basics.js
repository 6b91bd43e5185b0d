// basics: the landing page, errors, methods, static files and headers through nginx.
'use strict';

const tap = require('../lib/tap');
const { env, get } = require('../lib/stack');

const { APP_URL } = env();

function securityHeaders(h, where) {
	const csp = h.get('content-security-policy') || '';
	tap.like(csp, /frame-ancestors 'none'/, `${where}: CSP forbids framing`);
	tap.like(csp, /script-src 'self'/, `${where}: CSP allows scripts from self only`);
	tap.unlike(csp, /unsafe-inline|unsafe-eval/, `${where}: CSP allows no inline script`);
	tap.is(h.get('x-content-type-options'), 'nosniff', `${where}: nosniff`);
	tap.is(h.get('referrer-policy'), 'strict-origin-when-cross-origin', `${where}: Referrer-Policy`);
	tap.is(h.get('server'), 'nginx', `${where}: Server carries no version`);
}

tap.run(async () => {
	// The landing page, in the layout.
	let r = await get(`${APP_URL}/`);
	tap.is(r.status, 200, 'GET / is 200');
	tap.like(r.headers.get('content-type'), /^text\/html; charset=utf-8/, 'GET / is UTF-8 HTML');
	tap.like(r.body, /^<!DOCTYPE html>\n<html lang="en">/, 'the layout opens the page, in English by default');
	tap.like(r.body, /<header class="site-header">[\s\S]*<main id="main">[\s\S]*<footer class="site-footer">/,
		'header, main and footer of the layout are there');
	tap.like(r.body, /<link rel="stylesheet" href="\/static\/css\/eleva.css\?v=[0-9a-f]{12}">/,
		'the stylesheet is linked with a content version');
	tap.like(r.body, /href="\/sign-in"/, 'the landing page links to sign-in');
	tap.like(r.body, /<title>Expert care for every stage of life · Eleva Care<\/title>/, 'page title');
	tap.unlike(r.body, /<script/, 'no script on the landing page');
	securityHeaders(r.headers, 'GET /');

	// Language from Accept-Language.
	r = await get(`${APP_URL}/`, { headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } });
	tap.like(r.body, /<html lang="es">/, 'Spanish visitors get lang="es"');
	tap.like(r.body, /Iniciar sesión/, '... and Spanish text');
	r = await get(`${APP_URL}/`, { headers: { 'accept-language': 'pt-BR' } });
	tap.like(r.body, /<html lang="pt-BR">[\s\S]*Entrar/, 'pt-BR visitors get Brazilian Portuguese');
	r = await get(`${APP_URL}/`, { headers: { 'accept-language': 'pt-PT,pt;q=0.8' } });
	tap.like(r.body, /<html lang="pt-PT">[\s\S]*Iniciar sessão/, 'pt-PT visitors get European Portuguese');
	r = await get(`${APP_URL}/`, { headers: { 'accept-language': 'de-DE,fr;q=0.5' } });
	tap.like(r.body, /<html lang="en">/, 'an unsupported language falls back to English');

	// HEAD.
	r = await get(`${APP_URL}/`, { method: 'HEAD' });
	tap.is(r.status, 200, 'HEAD / is 200');

	// Unknown path: 404 with the error page in the layout.
	r = await get(`${APP_URL}/no/such/page`);
	tap.is(r.status, 404, 'an unknown path is 404');
	tap.like(r.body, /<main id="main">[\s\S]*class="error-code">404<[\s\S]*Page not found/, '404 renders the error page in the layout');
	securityHeaders(r.headers, '404');
	r = await get(`${APP_URL}/no-such-page`, { headers: { 'accept-language': 'es' } });
	tap.like(r.body, /Página no encontrada/, 'the error page speaks the visitor\'s language');

	// Wrong method: 405 with Allow.
	r = await get(`${APP_URL}/`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	tap.is(r.status, 405, 'POST on a GET-only route is 405');
	tap.is(r.headers.get('allow'), 'GET, HEAD', '... with Allow: GET, HEAD');
	tap.like(r.body, /class="error-code">405</, '... and the error page');
	r = await get(`${APP_URL}/healthz`, { method: 'DELETE' });
	tap.is(r.status, 405, 'DELETE on /healthz is 405');

	// Bad input reaching the app: a 400 page, never a crash.
	for (const [q, what] of [['%ff', 'invalid UTF-8'], ['%zz', 'a bad escape'], ['%00', 'a NUL byte'],
		['%c0%80', 'an overlong encoding']]) {
		r = await get(`${APP_URL}/?q=${q}`);
		tap.is(r.status, 400, `a query with ${what} is 400`);
		tap.like(r.body, /class="error-code">400</, `... with the error page (${what})`);
	}
	const many = Array.from({ length: 201 }, (_, i) => `f${i}=x`).join('&');
	r = await get(`${APP_URL}/?${many}`);
	tap.is(r.status, 400, '201 query fields are 400');
	r = await get(`${APP_URL}/?${Array.from({ length: 200 }, (_, i) => `f${i}=x`).join('&')}`);
	tap.is(r.status, 200, '200 query fields are fine');
	r = await get(`${APP_URL}/?q=${'x'.repeat(16 * 1024 + 1)}`);
	tap.ok([400, 414].includes(r.status), `an over-long field is refused (${r.status})`);
	r = await get(`${APP_URL}/`, { method: 'POST', body: 'a='.padEnd(70 * 1024, 'x'),
		headers: { 'content-type': 'application/x-www-form-urlencoded' } });
	tap.is(r.status, 413, 'a body over 64 KiB is 413');
	r = await get(`${APP_URL}/%ff`);
	tap.is(r.status, 400, 'a path with invalid UTF-8 is 400');
	r = await get(`${APP_URL}/a/1%2Fdelete`);
	tap.is(r.status, 400, 'an encoded slash in the path is 400');

	// A refused request's unread body must not break the kept-alive
	// connection nginx uses for the next request (POSTs are not retried).
	const form = { 'content-type': 'application/x-www-form-urlencoded' };
	const statuses = [];
	for (let i = 0; i < 10; i++) {
		statuses.push((await get(`${APP_URL}/?q=%ff`, { method: 'POST', body: `a=${'x'.repeat(30000)}`, headers: form })).status);
		statuses.push((await get(`${APP_URL}/`, { method: 'POST', body: 'a=1', headers: form })).status);
	}
	tap.is(statuses.join(','), Array(10).fill('400,405').join(','),
		'refused POSTs with bodies, each followed by another POST: no 502');

	// Static files: nginx serves them, with long cache headers.
	r = await get(`${APP_URL}/static/css/eleva.css`);
	tap.is(r.status, 200, 'the stylesheet is served');
	tap.like(r.headers.get('content-type'), /^text\/css/, '... as text/css');
	tap.like(r.headers.get('cache-control') || '', /max-age=31536000/, '... cached for a year');
	tap.ok(r.headers.get('expires') !== null, '... with Expires');
	tap.like(r.body, /--accent/, '... with the CSS content');
	securityHeaders(r.headers, 'static');
	r = await get(`${APP_URL}/static/nope.css`);
	tap.is(r.status, 404, 'a missing static file is 404');
	tap.unlike(r.body, /site-header/, '... answered by nginx, not the pool');

	// The bare FastCGI route the benchmark uses.
	r = await get(`${APP_URL}/ping`);
	tap.is(r.body, 'pong\n', '/ping answers pong');
});
