// workosproxy: a test double in front of WorkOS's emulator for what the
// emulator cannot do itself: fail (reset, 5xx, too slow) on chosen calls,
// hand out production-short access tokens, and let a test read the magic
// codes WorkOS would e-mail.  Everything else is passed through unchanged.
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');

function b64url(buf) {
	return Buffer.from(buf).toString('base64url');
}

// start(upstream): resolves to a proxy object; see the methods below.
async function start(upstream) {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const kid = 'sso_oidc_key_pair_TESTPROXY';
	const faults = [];	// {method, path (prefix), mode, count, skip, after}
	const calls = [];	// {method, path, email (of the body or query), idem (Idempotency-Key)}
	const magic = new Map();	// e-mail -> last code
	const magicAll = new Map();	// e-mail -> every code, oldest first
	let orgSelection = false;	// production's 403 for several memberships
	const pendingAuth = new Map();	// pending token -> the refresh token it stands for
	let tokenExp = null;	// seconds from now for the next token(s)
	let tokenCount = 0;

	// Re-sign an emulator token with our key and a new exp.
	function reissue(token, expIn) {
		const [, payload] = token.split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		const now = Math.floor(Date.now() / 1000);
		claims.iat = now - 300;
		claims.exp = now + expIn;
		const head = b64url(JSON.stringify({ alg: 'RS256', kid }));
		const body = b64url(JSON.stringify(claims));
		const sig = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey);
		return `${head}.${body}.${b64url(sig)}`;
	}

	function takeFault(method, path) {
		const i = faults.findIndex((f) => f.method === method && path.startsWith(f.path));
		if (i < 0) return null;
		const f = faults[i];
		if (f.skip > 0) {	// let this one through, fail later ones
			f.skip--;
			return null;
		}
		if (--f.count <= 0) faults.splice(i, 1);
		return f;
	}

	// The e-mail address a call is about: the JSON body's, else ?email=.
	function emailOf(url, body) {
		try {
			const j = JSON.parse(body.toString());
			if (j && typeof j.email === 'string') return j.email.toLowerCase();
		} catch { /* not JSON */ }
		const q = new URL(url, 'http://x').searchParams.get('email');
		return q === null ? undefined : q.toLowerCase();
	}

	const slowTimers = new Set();
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			const path = req.url.split('?')[0];
			calls.push({
				method: req.method, path, email: emailOf(req.url, Buffer.concat(chunks)),
				idem: req.headers['idempotency-key'],
			});
			const fault = takeFault(req.method, path);
			if (fault && fault.mode === 'reset' && !fault.after) {
				req.socket.destroy();
				return;
			}
			// A slow answer's timer does not keep the test alive after the
			// proxy is closed (a minute's freeze outlived the test by a minute).
			if (fault && fault.mode === 'slow') {
				await new Promise((r) => {
					const t = setTimeout(() => { slowTimers.delete(t); r(); }, fault.ms || 3000);
					slowTimers.add(t);
				});
			}
			if (fault && fault.status && !fault.after) {
				res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.headers || {}) });
				res.end(JSON.stringify(fault.body || { message: 'injected failure', code: 'server_error' }));
				return;
			}
			const headers = { ...req.headers };
			delete headers.host;
			delete headers['content-length'];
			// Production's organization selection, which the emulator
			// does not do: the grant that finishes it is a refresh into
			// the chosen organization, as WorkOS would have made it.
			let grant = null;
			let authBody = null;
			if (req.method === 'POST' && path === '/user_management/authenticate') {
				try {
					authBody = JSON.parse(Buffer.concat(chunks).toString());
					grant = authBody.grant_type;
				} catch { /* not JSON */ }
			}
			if (grant === 'urn:workos:oauth:grant-type:organization-selection') {
				const rt = pendingAuth.get(authBody.pending_authentication_token);
				if (!rt) {
					res.writeHead(400, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ code: 'invalid_pending_authentication_token',
						message: 'Invalid pending authentication token.' }));
					return;
				}
				pendingAuth.delete(authBody.pending_authentication_token);
				chunks.length = 0;
				chunks.push(Buffer.from(JSON.stringify({ grant_type: 'refresh_token', refresh_token: rt,
					organization_id: authBody.organization_id, client_id: authBody.client_id,
					client_secret: authBody.client_secret })));
			}
			let up;
			try {
				up = await fetch(upstream + req.url, {
					method: req.method, headers, redirect: 'manual',
					body: chunks.length ? Buffer.concat(chunks) : undefined,
				});
			} catch {
				res.writeHead(502);
				res.end();
				return;
			}
			let text = await up.text();
			if (fault && fault.after) {	// WorkOS did the work; its answer is lost
				if (fault.mode === 'reset') {
					req.socket.destroy();
					return;
				}
				res.writeHead(fault.status || 500, { 'content-type': 'application/json', ...(fault.headers || {}) });
				res.end(JSON.stringify(fault.body || { message: 'injected failure', code: 'server_error' }));
				return;
			}
			const out = {};
			up.headers.forEach((v, k) => {
				if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
			});
			if (up.ok && orgSelection && (grant === 'authorization_code' ||
			    grant === 'urn:workos:oauth:grant-type:magic-auth:code')) {
				const j = JSON.parse(text);
				const auth = { authorization: `Bearer ${authBody.client_secret}` };
				const ms = await (await fetch(`${upstream}/user_management/organization_memberships?user_id=${
					encodeURIComponent(j.user.id)}&limit=100`, { headers: auth })).json();
				const active = (ms.data || []).filter((m) => m.status === 'active');
				if (active.length > 1) {
					const orgs = [];
					for (const m of active) {
						const o = await (await fetch(`${upstream}/organizations/${m.organization_id}`, { headers: auth })).json();
						orgs.push({ id: o.id, name: o.name });
					}
					const token = crypto.randomBytes(12).toString('hex');
					pendingAuth.set(token, j.refresh_token);
					res.writeHead(403, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ code: 'organization_selection_required',
						message: 'The user must choose an organization to continue.',
						pending_authentication_token: token, organizations: orgs, user: j.user }));
					return;
				}
			}
			if (up.ok && /json/.test(up.headers.get('content-type') || '')) {
				const j = JSON.parse(text);
				if (req.method === 'POST' && path === '/user_management/magic_auth' && j.code) {
					const e = String(j.email).toLowerCase();
					magic.set(e, j.code);
					if (!magicAll.has(e)) magicAll.set(e, []);
					magicAll.get(e).push(j.code);
				}
				if (path === '/user_management/authenticate' && j.access_token && tokenExp !== null &&
				    tokenCount > 0) {
					j.access_token = reissue(j.access_token, tokenExp);
					if (--tokenCount === 0) tokenExp = null;
				}
				if (path.startsWith('/sso/jwks') && Array.isArray(j.keys)) {
					j.keys.push({ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' });
				}
				text = JSON.stringify(j);
			}
			res.writeHead(up.status, out);
			res.end(text);
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		calls,
		// Fail the next `count` calls of method to a path starting with path:
		// mode 'reset' (connection dropped), 'slow' (ms delay first), or
		// status (with body) answered instead of WorkOS.  skip: let that
		// many matching calls through first (fail the Nth call only).
		// after: pass the call to WorkOS first, then drop the connection
		// (mode 'reset') or answer status instead of WorkOS's answer.
		// headers: more headers of that answer (Retry-After ...).
		fail(method, path, opts) {
			faults.push({ method, path, count: 1, ...opts });
		},
		// Answer code exchanges (AuthKit, magic-auth) of a user with more
		// than one active membership as production does: 403
		// organization_selection_required, finished by the
		// organization-selection grant.
		orgSelection(on = true) {
			orgSelection = on;
		},
		clearFaults() {
			faults.length = 0;
		},
		// The next `count` access tokens expire expIn seconds from now.
		shortTokens(expIn, count = 1) {
			tokenExp = expIn;
			tokenCount = count;
		},
		magicCode(email) {
			return magic.get(email.toLowerCase());
		},
		// Every code WorkOS issued for email through the proxy, oldest first.
		magicCodes(email) {
			return [...(magicAll.get(email.toLowerCase()) || [])];
		},
		// Calls of method to exactly path; with email, only those about it.
		count(method, path, email) {
			return calls.filter((c) => c.method === method && c.path === path &&
				(email === undefined || c.email === email.toLowerCase())).length;
		},
		close() {
			for (const t of slowTimers) clearTimeout(t);
			slowTimers.clear();
			server.closeAllConnections();
			return new Promise((r) => server.close(r));
		},
	};
}

module.exports = { start };
