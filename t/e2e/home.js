// home: the landing page lists the published experts (issue 17, "Find an
// expert"): name, headline, area, initials; filtered by area through plain
// links, page after page; unpublished experts never; names escaped; without
// the database the page stays; and a visitor books from the home page in
// four clicks or fewer.
'use strict';

const crypto = require('node:crypto');
const tap = require('../lib/tap');
const { env, startPool, sleep } = require('../lib/stack');
const { Jar, request, csrfOf, sql, lit } = require('../lib/signin');
const { publishedExpert, startsOf, guestEmail } = require('../lib/booking');

const { APP_URL } = env();
if (!process.env.DATABASE_OWNER_URL) tap.skipAll('no owner connection in this stack');

const hrefs = (html) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
const cards = (html) => [...html.matchAll(/<li class="expert-card">\n<a href="\/([^"]+)">/g)].map((m) => m[1]);
// Every expert the list shows from url on, page after page (rel="next").
async function allCards(url) {
	const seen = [];
	for (let next = url, n = 0; next && n < 100; n++) {
		const r = await request(`${APP_URL}${next}`, null);
		seen.push(...cards(r.body));
		const m = /<a class="button button-quiet" rel="next" href="([^"]+)">/.exec(r.body);
		next = m ? m[1].replace(/&amp;/g, '&') : null;
	}
	return seen;
}

tap.run(async () => {
	const tag = crypto.randomBytes(3).toString('hex');
	const area = `Doulas ${tag} & amigas`;
	const cat = sql(`INSERT INTO categories (name) VALUES (${lit(area)}) RETURNING id`);
	const inArea = await publishedExpert({ first: 'Íris', last: `Água ${tag}`, handle: `iris-agua-${tag}` });
	sql(`UPDATE profiles SET primary_category_id = ${lit(cat)}, headline = '<b>Doula</b> & mãe'
		WHERE workos_user_id = ${lit(inArea.id)}`);
	const second = await publishedExpert({ first: 'Beatriz', last: `Sá ${tag}` });
	sql(`UPDATE profiles SET secondary_category_id = ${lit(cat)} WHERE workos_user_id = ${lit(second.id)}`);
	const elsewhere = await publishedExpert({ first: 'Carmo', last: `Reis ${tag}` });
	const hidden = await publishedExpert({ first: 'Dora', last: `Oculta ${tag}`, published: false });

	let r = await request(`${APP_URL}/`, null);
	tap.is(r.status, 200, 'GET /: 200');
	tap.ok(cards(r.body).length <= 24, `... at most 24 experts a page (${cards(r.body).length})`);
	const all = await allCards('/');
	tap.is(new Set(all).size, all.length, `page after page, each expert once (${all.length})`);
	tap.ok(all.includes('ana-ferreira'), 'the demo expert is listed');
	tap.ok([inArea, second, elsewhere].every((e) => all.includes(e.handle)), '... and every published expert made here');
	tap.ok(!all.includes(hidden.handle), '... but not an unpublished one');
	tap.is(all.length, Number(sql('SELECT count(*) FROM profiles WHERE published AND handle IS NOT NULL')),
		'... as many as are published');
	r = await request(`${APP_URL}/?category=${encodeURIComponent(area)}`, null);
	tap.like(r.body, new RegExp(`<span class="avatar" aria-hidden="true">ÍÁ</span>\\n<span class="expert-name">Íris Água ${tag}</span>`),
		'... each with initials (accents kept) and name');
	tap.ok(r.body.includes('&lt;b&gt;Doula&lt;/b&gt; &amp; mãe') && !r.body.includes('<b>Doula</b>'), '... the headline escaped');
	r = await request(`${APP_URL}/`, null);
	tap.like(r.body, /<a class="tag tag-current" href="\/" aria-current="page">All areas<\/a>/, '... "All areas" is the current filter');
	const filter = hrefs(r.body).find((h) => h.startsWith('/?category=') && decodeURIComponent(h.slice(11)) === area);
	tap.ok(filter, `... an area's filter is a plain link (${filter})`);

	r = await request(`${APP_URL}${filter}`, null);
	tap.is(cards(r.body).filter((h) => h.includes(tag) || [inArea, second, elsewhere].some((e) => e.handle === h)).sort().join(' '),
		[inArea.handle, second.handle].sort().join(' '), 'filtered: the experts of that area, primary or secondary, only');
	tap.like(r.body, /aria-current="page">Doulas [0-9a-f]+ &amp; amigas <span class="count">\(2\)<\/span><\/a>/,
		'... the area is current, with its count');

	r = await request(`${APP_URL}/?category=${encodeURIComponent('No such area')}`, null);
	tap.is(r.status, 200, 'an unknown area: 200');
	tap.like(r.body, /There is no such area/, '... saying so');
	tap.like(r.body, /id="no-experts"/, '... and listing nobody for it');
	r = await request(`${APP_URL}/?category=${'x'.repeat(200)}`, null);
	tap.is(r.status, 200, 'an area name too long: 200, all experts');
	tap.is(cards(r.body).join(' '), cards((await request(`${APP_URL}/`, null)).body).join(' '), '... the filter ignored');
	r = await request(`${APP_URL}/?page=0`, null);
	tap.is(`${r.status} ${cards(r.body).join(' ')}`, `200 ${cards((await request(`${APP_URL}/`, null)).body).join(' ')}`,
		'?page=0: the first page');
	r = await request(`${APP_URL}/?page=999`, null);
	tap.is(r.status, 200, '?page=999: 200');
	tap.like(r.body, /id="no-experts"/, '... nobody there');

	// A visitor books from the home page: the area (the list has many
	// experts), the expert, her session, the form.
	const jar = new Jar();
	let clicks = 0;
	r = await request(`${APP_URL}/`, jar);
	tap.ok(hrefs(r.body).includes(filter), 'the home page links to the area');
	r = await request(`${APP_URL}${filter}`, jar);
	clicks++;
	const toExpert = hrefs(r.body).find((h) => h === `/${inArea.handle}`);
	r = await request(`${APP_URL}${toExpert}`, jar);
	clicks++;
	const toEvent = hrefs(r.body).find((h) => h.startsWith(`/${inArea.handle}/`));
	r = await request(`${APP_URL}${toEvent}`, jar);
	clicks++;
	const start = startsOf(r.body)[0];
	const form = { csrf: csrfOf(r.body), timezone: inArea.tz, start, name: 'Gabi Guest', email: guestEmail('home'), notes: '' };
	r = await request(`${APP_URL}${toEvent}`, jar, { form, headers: { origin: APP_URL } });
	clicks++;
	tap.is(r.status, 200, `booked from the home page in ${clicks} clicks (the area, the expert, the session, the form's button)`);
	tap.like(r.body, /id="booking-done"/, '... the confirmation');
	tap.ok(clicks <= 4, '... four or fewer');
	tap.is(sql(`SELECT count(*) FROM meetings WHERE workos_user_id = ${lit(inArea.id)} AND guest_email = ${lit(form.email)}`), '1',
		'... and the meeting is there');

	// Kept: a worker keeps each page of the list ELEVA_LIST_CACHE seconds
	// (2 here; 30 by default, 0 in the rest of the suite).
	const pool = await startPool({ args: ['--workers', '1'], env: { ELEVA_LIST_CACHE: '2' } });
	try {
		const area2 = `Yoga ${tag}`;
		const cat2 = sql(`INSERT INTO categories (name) VALUES (${lit(area2)}) RETURNING id`);
		const url = `${pool.url}/?category=${encodeURIComponent(area2)}`;
		r = await request(url, null);
		tap.like(r.body, /id="no-experts"/, 'kept lists: an area nobody is in yet');
		sql(`UPDATE profiles SET secondary_category_id = ${lit(cat2)} WHERE workos_user_id = ${lit(elsewhere.id)}`);
		r = await request(url, null);
		tap.like(r.body, /id="no-experts"/, '... an expert joins it: the kept page does not show her yet');
		await sleep(2500);
		r = await request(url, null);
		tap.ok(cards(r.body).includes(elsewhere.handle), '... two seconds later it does');
	} finally {
		await pool.stop();
	}
});
