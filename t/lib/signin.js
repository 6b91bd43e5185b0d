// signin: drive the sign-in flow as a browser would (cookie jar, redirects
// followed by hand), plus the WorkOS admin calls and owner-side SQL tests need.
'use strict';

const { spawnSync } = require('node:child_process');
const http = require('node:http');
const { get } = require('./stack');

// A cookie jar for one host: name -> value, and the raw Set-Cookie lines.
class Jar {
	constructor() {
		this.cookies = new Map();
		this.lastSet = [];
	}

	take(headers) {
		this.lastSet = headers.getSetCookie();
		for (const line of this.lastSet) {
			const [pair, ...attrs] = line.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const maxAge = attrs.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('max-age='));
			if (value === '' || maxAge === 'max-age=0') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}

	header() {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	get(name) {
		return this.cookies.get(name);
	}

	// The Set-Cookie line of the last response for name, or undefined.
	setLine(name) {
		return this.lastSet.find((l) => l.startsWith(`${name}=`));
	}

	clone() {
		const j = new Jar();
		j.cookies = new Map(this.cookies);
		return j;
	}
}

// GET or POST with the jar's cookies; the jar takes the answer's cookies.
async function request(url, jar, opts = {}) {
	const headers = { ...(opts.headers || {}) };
	if (jar && jar.cookies.size) headers.cookie = jar.header();
	let body;
	if (opts.form) {
		body = new URLSearchParams(opts.form).toString();
		headers['content-type'] = 'application/x-www-form-urlencoded';
	}
	const r = await get(url, { method: opts.form ? 'POST' : (opts.method || 'GET'), headers, body });
	if (jar) jar.take(r.headers);
	r.location = r.headers.get('location');
	return r;
}

// The hidden CSRF field of a page.
function csrfOf(html) {
	const m = /name="csrf" value="([^"]+)"/.exec(html);
	return m ? m[1] : undefined;
}

// Sign in through AuthKit (the emulator signs in the login_hint user).
// Returns {jar, start, authorize, callback} responses; callback.location
// is where the app sends the user.
async function signIn(appUrl, email, opts = {}) {
	const jar = opts.jar || new Jar();
	const q = new URLSearchParams({ login_hint: email });
	if (opts.returnTo !== undefined) q.set('return_to', opts.returnTo);
	const start = await request(`${appUrl}/sign-in?${q}`, jar, { headers: opts.headers });
	if (start.status !== 303) return { jar, start };
	const authorize = await request(start.location, null);
	if (authorize.status !== 302) return { jar, start, authorize };
	let cb = authorize.location;
	if (opts.callbackBase) cb = cb.replace(/^https?:\/\/[^/]+/, opts.callbackBase);
	const callback = await request(cb, jar, { headers: opts.headers });
	return { jar, start, authorize, callback, callbackUrl: cb };
}

// WorkOS API calls with the stack's key (straight to the emulator), each on
// a connection of its own: a kept-alive one the emulator closes when idle
// (after 5 s) could take a request just as it goes, and a POST cannot be
// sent again safely.
function workos(method, path, body) {
	const url = new URL(process.env.WORKOS_API_BASE + path);
	const data = body ? JSON.stringify(body) : undefined;
	return new Promise((resolve, reject) => {
		const req = http.request(url, {
			method,
			agent: false,
			headers: {
				authorization: `Bearer ${process.env.WORKOS_API_KEY}`,
				'content-type': 'application/json',
				...(data ? { 'content-length': Buffer.byteLength(data) } : {}),
			},
		}, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (c) => { text += c; });
			res.on('end', () => {
				try {
					resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null });
				} catch (e) {
					reject(e);
				}
			});
		});
		req.on('error', reject);
		req.end(data);
	});
}

// A new WorkOS user with a unique address.
async function newUser(first = 'Rita', last = 'Sousa') {
	const email = `${first.toLowerCase()}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.test`;
	const r = await workos('POST', '/user_management/users', { email, first_name: first, last_name: last, email_verified: true });
	if (r.status !== 201) throw new Error(`cannot create a WorkOS user: ${r.status}`);
	return r.json;
}

// One value (or rows joined by newlines) from SQL run as the owner role.
function sql(query) {
	const r = spawnSync('psql', [process.env.DATABASE_OWNER_URL, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query],
		{ encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
	return r.stdout.trim();
}

// SQL string literal.
const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;

module.exports = { Jar, request, csrfOf, signIn, workos, newUser, sql, lit };
