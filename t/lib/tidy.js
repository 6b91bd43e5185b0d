// tidy: HTML validity through Debian's HTML Tidy (package tidy, 5.6).
//
//   const { tidyErrors, tidy } = require('../lib/tidy');
//   tap.is(tidyErrors(html).join('\n'), '', 'the page is valid HTML');
//
// tidy(html) -> { status, errors: [...lines], warnings: [...lines] }
// tidyErrors(html) -> the error lines alone ([] when there are none); the
//   warnings are printed as TAP diagnostics ("# tidy warning: ...").
//
// Tidy's exit status is 0 (clean), 1 (warnings only) or 2 (errors).  Tidy
// 5.6 checks HTML5 (the doctype and the flags below); inline <svg> is
// accepted as SVG: its elements, camelCase names (linearGradient, clipPath,
// foreignObject, feGaussianBlur) and attributes (viewBox, stop-color) raise
// nothing, with one false positive filtered out below.
'use strict';

const { spawnSync } = require('node:child_process');
const tap = require('./tap');

const TIDY = process.env.TIDY || 'tidy';

// -e: report only, write no tidied document; -q: no summary or info lines.
// --drop-empty-elements no: an empty <span>/<dd>/<td> is valid HTML5, not
//   worth a warning ("trimming empty <span>").
// --show-errors 1000: every error, not only the first 6.
// --mute-id yes: each line ends with its message key, e.g. (UNKNOWN_ELEMENT),
//   which is what --mute takes to silence one kind of message.
const ARGS = ['-e', '-q', '--doctype', 'html5', '--char-encoding', 'utf8',
	'--drop-empty-elements', 'no', '--show-errors', '1000', '--show-warnings', 'yes',
	'--mute-id', 'yes', '--gnu-emacs', 'no'];

// Tidy 5.6 takes an SVG <title> for HTML's and calls its id proprietary;
// id is a global attribute in HTML and SVG alike (and tidy accepts it on
// the <head>'s <title>), so this warning is never true; likewise
// inputmode, an HTML global attribute tidy 5.6 does not know yet.
const FALSE_POSITIVES = [
	/Warning: <title> proprietary attribute "id" \(PROPRIETARY_ATTRIBUTE\)$/,
	/Warning: <[a-z]+> proprietary attribute "inputmode" \(PROPRIETARY_ATTRIBUTE\)$/,
];

function tidy(html) {
	const r = spawnSync(TIDY, ARGS, { input: html, encoding: 'utf8', timeout: 30000 });
	if (r.error) throw new Error(`cannot run ${TIDY} (script/setup installs Debian's tidy): ${r.error.message}`);
	if (r.status === null || r.status > 2) throw new Error(`${TIDY} failed (${r.signal || r.status}): ${r.stderr}`);
	const lines = r.stderr.split('\n').filter((l) => /^line \d+ column \d+ - /.test(l));
	const errors = lines.filter((l) => / - Error: /.test(l));
	const warnings = lines.filter((l) => / - Warning: /.test(l) && !FALSE_POSITIVES.some((re) => re.test(l)));
	// Exit status 2 without a line we understood: report tidy's own words.
	if (r.status === 2 && errors.length === 0) errors.push(`tidy exit status 2: ${r.stderr.trim()}`);
	return { status: r.status, errors, warnings };
}

// The error lines of html (warnings alone are not failures: they are shown
// as diagnostics, prefixed with label when one is given).
function tidyErrors(html, label) {
	const { errors, warnings } = tidy(html);
	for (const w of warnings) tap.diag(`tidy warning${label ? ` (${label})` : ''}: ${w}`);
	return errors;
}

module.exports = { tidy, tidyErrors, TIDY_ARGS: ARGS };
