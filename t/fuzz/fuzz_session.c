/*
 * fuzz_session: session and small cookies opened from arbitrary values, and
 * sealed data that opens to itself.
 *
 * The input is tried as the value of the session cookie (http and https
 * names) and of the sign-in and CSRF cookies, under a fixed ring of two
 * keys.  Only a value sealed under one of them can open, and the only ones
 * ever sealed so are the seeds listed in sealed[] (also in the corpus,
 * made once with session_cookie() and session_aux_cookie() under KEY_NEW,
 * KEY_OLD for the one named so, at about NOW): anything else that opens,
 * even as an expired or idle session, aborts.  Then fields cut from the
 * input at newlines are sealed under a third key (never used to open the
 * input, so what libFuzzer may learn of those cookies opens nothing) and
 * must open to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/crypt.h"
#include "lib/log.h"
#include "core/session.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define KEY_NEW		"FTm8aZLeaZvLbCl4qTtASsr4IhZU2JeSssa7Sor1LiM="
#define KEY_OLD		"vywqaPKvtyU2RNQ0s3OtOS8nzu9ol4UHaG4jrNOQmBs="
#define KEY_TRIP	"nITSQJHv/i2lFOuD2w8+ToaBoO6XOtu65Hh0oRlnZno="
#define NOW		1900000000LL

static const char *const sealed[] = {
	/* sealed-session */
	"AXkIrtGCP5AxvP3TnvcFw6Zj8L4vWIqzJnsAeCmzTKZ1LIOgtmatzHmiExQqWBLx"
	"NrN3nxeZbWyoqGsURS7JVNskOLiZSbve6aTtbs25lv0T1ZDfvn1mQSZkdaitxlxq"
	"KepM6X88eBbk3hlV2zrmPB3XTfCNsu--dNf5TJWWYuf8ZcEQU7aFPTXMDrfuHSec"
	"diqZXnyFuXvtK53HNCgTHk63dOOGbO8Iq9gmSne0_22BkM2QFIAHcIZq5x-Ulv0A"
	"o26wc2221wkXINayQxD3m8T55ti1hJ3ZyW0_8n1Dca1nsWtmiKoZwhDr5Gwddhsu"
	"guUgjUvNHjIPq2DherGnoPqcocvZnUDt6Gr7u1ZlBtFJUiZ6cI2xUgUeGff4xVaq"
	"_K2NGcl24x71vMZlFVafaX6T68UrUsCIhpcSGjjetPGvnFKRX_UD6lsRriHZdh5Z"
	"AtTBNxPG2W5lHavoepqF0sF1xoLPQ39zqI6bAg7wTdTTwgGovFlvaxZ1om6WHhGh"
	"MORvyiUaV6QNil3c81OeYMpnE9pj19WuDekXsp7QeAetfA",
	/* sealed-session-https */
	"AXkIrtHn5kB8qYP6dnSsnruGDXaUhvujX6K81f7Ghm4MODjLQEytQaDvkDHsD9jg"
	"1En9TqURtjk9z57DBt9Sm30jhPMnZcQ-AL8wD3pPaZTKF5xZ5uPE8cEseS3v3j8I"
	"TK_Y0lNO_H98JnOlBVNmHDI7E7ikSeBWFI5mTTTxXb3N1vTIdnFT9jRXNXiZQIZG"
	"anNoMtWuFc1X7j-JlLd-84YR0ALBXmWdJ5761pKc11ASKZhCABSCfE1yiIXh7y14"
	"G7fU5tWxbPJS22CciJxXbTsbj47xmaIunE3oOu3vbOwfR4v7GNp6cRyKLrjEiePZ"
	"XX6D66vQOrMQJcO7gXzM7wWinnrKoRWx_J2yQfJq6ukKfVJUcvOFBwwUy8-yzdW4"
	"SdWvaNtQswlFncXy4TztKcHcofDCYBDMC2tLfuWNsffzk_iARfa5njTawm8LX_Qg"
	"ZjdmqFnvOCBrmN8r4lXcHh9oEvefu-pgJvk_7yaiVshtlHpEC6Rkx7bqyEpOosxm"
	"Ma5kYOPeq2FVRmqFCFxjQxj5-T2edykv4CKrk9Tu8MKPew",
	/* sealed-session-old-key */
	"AU_7z5CBCZY319SIjxQiH8b0cObnf8uKJ9FCrJ5tEH04K7adh0SZ2-lDK0T_EI8t"
	"buvFjd_4PHvDosl4C2rYNX7bb4PKREY6bRYCx7P-7dZvd4l5WZGEx93pOTU5gaiA"
	"kNmmPWvgOlxE3BF1sbjFHAH9A0_vHF__b9-Fgmh1nTuZN_w-cU3fl6z9FvZs80JH"
	"T5M1S-1bnVtxPCVEjCpOHrf-viKgWTphSFodjy8hw4f0egQOqW9kjE0S4j_8zGJu"
	"yLn6gArpCX4W_tEBW6OwoF34Jq5cRtqOxckS-pFmPzap9pT00TGhASOFZqruQRIs"
	"md_PRNuFG7xGYtFamWYUiC1CDvKN9qzKdEuUU33cI2CamLBGplaI7ETl1PfJXfei"
	"Rf0xFIYRqS3EV0WDxJB10Q2LJ_cArLX3DQ8USeMo7mg-NVB47AOkERDnb-emOVzP"
	"xJGxlvA3LaT23vvI833hRf-wye8VKCmcZo7DFeKPIIrFHzAI654Qi1GauOLVVo0w"
	"F8gN4XNRXItnzEh3jVxhwu3zkn_4Eht23zPIDYNl6Jruyw",
	/* sealed-session-idle */
	"AXkIrtESTskxEoYPM0Pv7mFr1y8YLZ-ULgsNIsd8HlSrXz29-ucrMfRgd-5Af8SV"
	"6Uu0HgkBsq2-lrqjB5K3rF_lFySfZwHGphH_PCb1ZJKIdHbHtbjnitlCrF0N_2L-"
	"tLgtc-YSULrn3Xt4eBk0Du9jrgfNOHaw1wtK2gM9HzdjLtcrdCMtanAtDJGOWrdB"
	"tVJekV1trdNufPzKJoH1WMYW2QJokGln6ytnB9ag2cMBcIa-ieGRlB2xy5EWcNI7"
	"J36-Hzm61O8gG7Akp5Iy9JQVWWTgDtAVGhcTQmI6xv8si6eTCv7tOHcaa7xZ6QtI"
	"wmOdqbHQYyhRtrPnD2eTXvH75Gkqmxt5X-RohGhHRhipEQ-MxpnRv8OecJzGLcG4"
	"H3rTNtwXh37_vZSwwSfmW3AmWtlPWHqYcVisOg6x5IsJ2sbu0U3h1M5dENO-RLlG"
	"1bnUrFEADE0hla0VMZIE2kRDsQhNGm9N9SY0xqFHmjTYh-KwHOkT2ZTrl9tE2Dfs"
	"vxyj2qBhA_mBX6Gy4c2rq26rNqWwOkBBf47NT7uYpM57Fw",
	/* sealed-session-expired */
	"AXkIrtG_1GRVMOIntHm7NqfOfjbo-ugywNVOppQD9Y0iQhL4ixruRkr9p8rjmx0D"
	"Ua_91BO_iGZK5rpCW1ZgT4dxr0jsGFZTjKq-kVCSG7PuMZbdFR06Bx9LQSKj3Lg7"
	"CopuDopJoSYI7N-exW62iRWlcv_6J-3imUygpHRE-XaikwesddEm1ZJ9eZVeEJdP"
	"RXvgn-hndvn1SoimHL5VdnXJr1_l7A_dgBA4xpFY9u19fCfY6hMbIuJemKAeBG51"
	"BcPlJ1wNuyoate8cG1wnTVh9VI-AGW4YJC8mVzQl4zDQKDvIItRXHmiajMKFFGmu"
	"WqZk2IJRo4A3wlFk3jprCVx8dAaIIBeFujfYVZFULHuTawwWh21uo9IULXwpVV2v"
	"3Fmom85YstmWuLcBSB7bEoW2tw3Ha15Xhnr1dx6geBhZUYU4AL9BNhd-5EiAOKI8"
	"e788m1W7E4vk-iYPQTCgAJPnq3SDIUsVSui9g7Nho9-nVdqaQGX9VanVCkvG0v2w"
	"V2fpNZr0O4VFDyaxIfk2YQWFFpw982F1WEOw2I4koKIikQ",
	/* sealed-aux-signin */
	"AXkIrtFJeo63BUumzUvjedULNxBq9FruJ2swUNLWgNdtBJe9Qmzdz4eB-74hMJdX"
	"Nk7rHkwTi1M2LX9TT-A9QcZynoI8UjOqnC_zDdKeB7fJpzND1nky",
	/* sealed-aux-csrf-https */
	"AXkIrtF1KWnsJHxx-p_H3QzybSc6X7nGQqloF_zuloWVsVyd70w9uT7bZ3UV82JM"
	"WtdkCDigiXOOvfxtGW4RcmJgvEvew37biT8fu8M0xcFenCyPPUpa",
	/* sealed-aux-expired */
	"AXkIrtESsff8juB7ODrbWFJoUGWyV-pzwpHobjO0qAW4rmRxdO4qBc7Wkf3AVww",
};

static const char *const aux_names[] = { "eleva_signin", "eleva_csrf" };

/* Non-zero when value decodes to the bytes of one of sealed[]. */
static int
is_sealed_seed(struct arena *a, const char *value)
{
	unsigned char *raw, *seed;
	size_t rawlen, seedlen, i;

	if (b64_decode(a, value, strlen(value), 0, &raw, &rawlen) == -1)
		return 0;
	for (i = 0; i < sizeof(sealed) / sizeof(sealed[0]); i++)
		if (b64_decode(a, sealed[i], strlen(sealed[i]), 0, &seed,
		    &seedlen) == 0 && seedlen == rawlen &&
		    memcmp(seed, raw, rawlen) == 0)
			return 1;
	return 0;
}

/* The value of a Set-Cookie "name=value; ..." */
static const char *
cookie_value(struct arena *a, const char *cookie)
{
	const char *eq = strchr(cookie, '='), *semi = strchr(cookie, ';');

	if (eq == NULL || semi == NULL || semi < eq)
		abort();
	return arena_strndup(a, eq + 1, (size_t)(semi - eq - 1));
}

static int
same(const char *x, const char *y)
{
	return (x == NULL && y == NULL) ||
	    (x != NULL && y != NULL && strcmp(x, y) == 0);
}

/* Seal fields cut from s under the round-trip ring; they must come back. */
static void
round_trip(const struct crypt_ring *trip, struct arena *a, const char *s,
    size_t len)
{
	static const struct session_config cfg = { 1800, 8 * 3600, 0 };
	const char *f[9], *p = s, *end = s + len, *nl, *c;
	struct session in, out;
	enum session_err e;
	size_t i;

	for (i = 0; i < 9; i++) {
		if (p > end) {
			f[i] = NULL;
			continue;
		}
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		f[i] = arena_strndup(a, p, (size_t)(nl - p));
		p = nl + 1;
	}
	memset(&in, 0, sizeof(in));
	in.user_id = f[0];
	in.org_id = f[1];
	in.session_id = f[2];
	in.local_id = f[3];
	in.access_token = f[4];
	in.refresh_token = f[5];
	in.csrf = f[6];
	in.lang = f[7];
	in.theme = f[8];
	in.issued_at = NOW - (long long)(len % 1000);
	if ((c = session_cookie(trip, a, &in, &cfg, NOW)) != NULL) {
		e = session_open(trip, a, cookie_value(a, c), &cfg, NOW + 1,
		    &out);
		if (in.user_id == NULL || in.csrf == NULL ||
		    in.local_id == NULL) {
			if (e != SESSION_INVALID)
				abort();
		} else if (e != SESSION_OK || !same(in.user_id, out.user_id) ||
		    !same(in.org_id, out.org_id) ||
		    !same(in.session_id, out.session_id) ||
		    !same(in.local_id, out.local_id) ||
		    !same(in.access_token, out.access_token) ||
		    !same(in.refresh_token, out.refresh_token) ||
		    !same(in.csrf, out.csrf) || !same(in.lang, out.lang) ||
		    !same(in.theme, out.theme) ||
		    out.issued_at != in.issued_at || out.last_seen != NOW)
			abort();
	} else if (len < 400)
		abort();	/* escaped six times over, still under 4000 */
	/* A small cookie carries the whole input, up to 3039 bytes sealed. */
	if ((c = session_aux_cookie(trip, a, "eleva_signin", 1, s, NOW + 60,
	    NOW)) == NULL) {
		if (len < 3000)
			abort();
		return;
	}
	c = session_aux_open(trip, a, "eleva_signin", 1, cookie_value(a, c),
	    NOW + 59);
	if (c == NULL || strcmp(c, s) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct session_config http = { 1800, 8 * 3600, 0 };
	static const struct session_config https = { 1800, 8 * 3600, 1 };
	static struct crypt_ring *ring, *trip;
	static struct arena a;
	struct session s;
	enum session_err e;
	const char *v;
	size_t i;
	char *in;
	int h;

	if (ring == NULL) {
		log_set_level(LOG_ERROR + 1);
		if (arena_init(&a) == -1 ||
		    (ring = crypt_ring_parse(KEY_NEW "," KEY_OLD, NULL, 0)) ==
		    NULL || (trip = crypt_ring_parse(KEY_TRIP, NULL, 0)) == NULL)
			abort();
		/* The seeds still open: the keys above are theirs. */
		if (session_open(ring, &a, sealed[0], &http, NOW, &s) !=
		    SESSION_OK || session_aux_open(ring, &a, aux_names[0], 0,
		    sealed[5], NOW) == NULL)
			abort();
	}
	/* Cookie values are C strings: the input up to its first NUL. */
	in = arena_strndup(&a, (const char *)data, size);
	for (h = 0; h < 2; h++) {
		e = session_open(ring, &a, in, h ? &https : &http, NOW, &s);
		if ((e == SESSION_NONE) != (*in == '\0'))
			abort();
		if (e != SESSION_NONE && e != SESSION_INVALID &&
		    !is_sealed_seed(&a, in))
			abort();
		if (e == SESSION_OK && (s.user_id == NULL || s.csrf == NULL ||
		    s.local_id == NULL || s.last_seen < s.issued_at))
			abort();
		for (i = 0; i < sizeof(aux_names) / sizeof(aux_names[0]); i++) {
			v = session_aux_open(ring, &a, aux_names[i], h, in, NOW);
			if (v != NULL && !is_sealed_seed(&a, in))
				abort();
		}
	}
	round_trip(trip, &a, in, strlen(in));
	arena_reset(&a);
	return 0;
}
