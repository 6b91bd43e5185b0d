/* sig_test: lib/sig.c — signature headers parsed, HMACs of "<t>.<body>" checked against known values, the replay window in seconds and milliseconds. */
#include <string.h>

#include "lib/arena.h"
#include "lib/sig.h"
#include "tap.h"

/* HMAC-SHA256 under "whsec_test" of "<t>.{"a":1}" (Python's hmac). */
#define SECRET	"whsec_test"
#define BODY	"{\"a\":1}"
#define T_S	"1700000000"
#define HEX_S	"38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
#define T_MS	"1700000000123"
#define HEX_MS	"a91a0126961636f9a9cdaa5cdc1e3917b473a60893dcbb782aca9ad90833a32a"
#define HEX_D	"0043e4adabf9591e265187027ddefd1a45966ba75f2d6c020b5cc88693a1f970"	/* "<t>.d-1.<body>" */
#define NOW	1700000060LL

int
main(void)
{
	struct arena A;
	struct sig_header h;
	const char *why;

	arena_init(&A);
	ok(sig_parse(&A, "t=" T_S ",v1=" HEX_S, &h) == 0 && h.n == 1 &&
	    strcmp(h.ts, T_S) == 0 && strcmp(h.v1[0], HEX_S) == 0,
	    "t and v1 parsed");
	ok(sig_parse(&A, " t=1 , v0=zz ,v1=aa, v1=bb ", &h) == 0 && h.n == 2 &&
	    strcmp(h.ts, "1") == 0 && strcmp(h.v1[1], "bb") == 0,
	    "white space trimmed, other keys skipped, every v1 kept");
	ok(sig_parse(&A, "v1=aa", &h) == -1, "no t: refused");
	ok(sig_parse(&A, "t=1", &h) == -1, "no v1: refused");
	ok(sig_parse(&A, "", &h) == -1 && sig_parse(&A, NULL, &h) == -1,
	    "empty or absent: refused");
	ok(sig_parse(&A, "t=1,v1=a,v1=b,v1=c,v1=d,v1=e", &h) == -1,
	    "more v1 than SIG_MAX: refused");

	ok(sig_check(&A, SECRET, T_S, NULL, HEX_S, BODY, strlen(BODY), NOW, 180) ==
	    NULL, "a genuine signature, time in seconds");
	ok(sig_check(&A, SECRET, T_MS, NULL, HEX_MS, BODY, strlen(BODY), NOW, 180) ==
	    NULL, "a genuine signature, time in milliseconds");
	why = sig_check(&A, SECRET, T_S, NULL, HEX_S, "{\"a\":2}", 7, NOW, 180);
	ok(why != NULL && strcmp(why, "signature mismatch") == 0,
	    "another body: mismatch");
	why = sig_check(&A, "whsec_other", T_S, NULL, HEX_S, BODY, strlen(BODY), NOW,
	    180);
	ok(why != NULL && strcmp(why, "signature mismatch") == 0,
	    "another secret: mismatch");
	why = sig_check(&A, SECRET, T_S, NULL, HEX_S, BODY, strlen(BODY), NOW + 200,
	    180);
	ok(why != NULL && strstr(why, "window") != NULL,
	    "200 s late: outside the window");
	why = sig_check(&A, SECRET, T_MS, NULL, HEX_MS, BODY, strlen(BODY),
	    NOW - 300, 180);
	ok(why != NULL && strstr(why, "window") != NULL,
	    "milliseconds from the future: outside the window");
	ok(sig_check(&A, SECRET, "17e8", NULL, HEX_S, BODY, strlen(BODY), NOW, 180) !=
	    NULL && sig_check(&A, SECRET, "-1", NULL, HEX_S, BODY, strlen(BODY), NOW,
	    180) != NULL && sig_check(&A, SECRET, "99999999999999999999", NULL,
	    HEX_S, BODY, strlen(BODY), NOW, 180) != NULL,
	    "malformed times: refused");
	ok(sig_check(&A, SECRET, T_S, NULL, NULL, BODY, strlen(BODY), NOW, 180) != NULL,
	    "no signature: refused");
	ok(sig_check(&A, SECRET, T_S, "d-1", HEX_D, BODY, strlen(BODY), NOW,
	    180) == NULL, "a delivery id signed with the body");
	ok(sig_check(&A, SECRET, T_S, "d-2", HEX_D, BODY, strlen(BODY), NOW,
	    180) != NULL && sig_check(&A, SECRET, T_S, NULL, HEX_D, BODY,
	    strlen(BODY), NOW, 180) != NULL,
	    "another delivery id, or none: mismatch");
	ok(sig_parse(&A, "t=" T_S ", v1=" HEX_MS ", v1=" HEX_S, &h) == 0 &&
	    sig_check_header(&A, SECRET, &h, BODY, strlen(BODY), NOW, 180) ==
	    NULL, "one genuine v1 of two is enough");
	ok(sig_parse(&A, "t=" T_S ", v1=" HEX_MS, &h) == 0 &&
	    sig_check_header(&A, SECRET, &h, BODY, strlen(BODY), NOW, 180) !=
	    NULL, "none genuine: refused");
	arena_free(&A);
	return tap_done();
}
