// tap: a minimal TAP producer for the end-to-end tests (node, no dependencies).
'use strict';

let n = 0;
let failed = 0;
// TAP_TIMES=1: each assertion followed by the milliseconds since the one
// before it, to find where a slow test spends its time.  Every file ends
// with its own duration.
const started = Date.now();
let last = started;

function ok(cond, name) {
	n++;
	if (!cond) failed++;
	console.log(`${cond ? '' : 'not '}ok ${n} - ${name}`);
	if (process.env.TAP_TIMES) {
		const now = Date.now();
		console.log(`# +${now - last} ms`);
		last = now;
	}
	return !!cond;
}

function diag(msg) {
	for (const line of String(msg).split('\n')) console.log(`# ${line}`);
}

function is(got, want, name) {
	const good = got === want;
	if (!ok(good, name)) diag(`  got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
	return good;
}

function like(got, re, name) {
	const good = typeof got === 'string' && re.test(got);
	if (!ok(good, name)) diag(`  ${JSON.stringify(String(got).slice(0, 300))} does not match ${re}`);
	return good;
}

function unlike(got, re, name) {
	const good = typeof got === 'string' && !re.test(got);
	if (!ok(good, name)) diag(`  ${JSON.stringify(String(got).slice(0, 300))} matches ${re}`);
	return good;
}

function skipAll(reason) {
	console.log(`1..0 # SKIP ${reason}`);
	process.exit(0);
}

// What keeps node alive after the last assertion (a server, a child, a
// socket left open) shows as the difference between the two lines.
process.on('exit', () => {
	console.log(`# exit after ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

function done() {
	console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
	console.log(`1..${n}`);
	process.exitCode = failed ? 1 : 0;
}

// Run an async main; any exception is a failed test, never a silent pass,
// and never a hang: what it left running (a pool, a server) would keep
// node alive, so the process ends a few seconds later whatever holds it
// (t/lib/stack.js stops the pools it started as it exits).
function run(main) {
	main().then(done, (err) => {
		ok(false, `unexpected exception: ${err && err.stack ? err.stack : err}`);
		done();
		setTimeout(() => process.exit(), 5000).unref();
	});
}

module.exports = { ok, is, like, unlike, diag, skipAll, done, run };
