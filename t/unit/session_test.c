/* session_test: the session cookie's attributes, size, lifetimes and refusals. */
#include <string.h>

#include "lib/arena.h"
#include "lib/crypt.h"
#include "lib/log.h"
#include "core/session.h"
#include "tap.h"

static struct arena	A;

/* The value of "name=value; ..." */
static const char *
value_of(const char *cookie)
{
	const char *eq = strchr(cookie, '='), *semi = strchr(cookie, ';');

	return arena_strndup(&A, eq + 1, (size_t)(semi - eq - 1));
}

int
main(void)
{
	struct session_config http = { 1800, 8 * 3600, 0 };
	struct session_config https = { 1800, 8 * 3600, 1 };
	struct crypt_ring *ring, *other;
	struct session s, got;
	char key[64], key2[64], *at;
	const char *c, *v;
	long long now = 1900000000;

	log_set_level(LOG_ERROR + 1);
	arena_init(&A);
	crypt_keygen(key, sizeof(key));
	crypt_keygen(key2, sizeof(key2));
	ring = crypt_ring_parse(key, NULL, 0);
	other = crypt_ring_parse(key2, NULL, 0);

	/* A production-sized access token (WorkOS: about 1 KB) and more. */
	at = arena_alloc(&A, 1601);
	memset(at, 'x', 1600);
	at[1600] = '\0';
	memset(&s, 0, sizeof(s));
	s.user_id = "user_01HXYZABCDEFGHJKMNPQRSTVWX";
	s.org_id = "6f1c2a4e-8d9b-4c3a-9e1f-2b7d5a0c8e61";
	s.session_id = "session_01HXYZABCDEFGHJKMNPQRSTVWX";
	s.access_token = at;
	s.refresh_token = "rt_01HXYZABCDEFGHJKMNPQRSTVWXYZ01234567";
	s.csrf = session_random_token(&A);
	s.local_id = session_random_token(&A);
	s.issued_at = now;

	c = session_cookie(ring, &A, &s, &https, now);
	ok(c != NULL, "a session with a 1.6 KB access token is sealed");
	ok(strlen(c) < 4096, "... into a cookie under 4 KB (%zu bytes)", strlen(c));
	ok(strncmp(c, "__Host-eleva_session=", 21) == 0,
	    "https: the cookie is named __Host-eleva_session");
	ok(strstr(c, "; Path=/") && strstr(c, "; HttpOnly") &&
	    strstr(c, "; SameSite=Lax") && strstr(c, "; Secure") &&
	    !strstr(c, "Domain"), "https: Path=/, HttpOnly, SameSite=Lax, Secure, "
	    "no Domain");
	ok(strstr(c, "; Max-Age=28800;") != NULL, "Max-Age is the absolute lifetime");
	v = value_of(c);
	is_int(session_open(ring, &A, v, &https, now + 60, &got), SESSION_OK,
	    "the cookie opens");
	ok(strcmp(got.user_id, s.user_id) == 0 && strcmp(got.org_id, s.org_id) == 0
	    && strcmp(got.access_token, at) == 0 &&
	    strcmp(got.refresh_token, s.refresh_token) == 0 &&
	    got.issued_at == now, "... with everything in it");
	ok(crypt_equal(got.csrf, s.csrf), "the CSRF token comes back");
	ok(got.local_id != NULL && strcmp(got.local_id, s.local_id) == 0,
	    "the local session id (what sign-out ends) comes back");
	ok(!crypt_equal(got.csrf, session_random_token(&A)),
	    "another session's token does not match it");
	ok(!crypt_equal(got.csrf, "") && !crypt_equal(got.csrf, NULL),
	    "a missing token does not");

	c = session_cookie(ring, &A, &s, &http, now);
	ok(strncmp(c, "eleva_session=", 14) == 0 && !strstr(c, "Secure") &&
	    strstr(c, "HttpOnly") && strstr(c, "SameSite=Lax"),
	    "http: eleva_session, HttpOnly and SameSite=Lax, no Secure");
	is_int(session_open(ring, &A, value_of(c), &https, now, &got),
	    SESSION_INVALID, "a cookie sealed under the other name is refused");

	v = value_of(session_cookie(ring, &A, &s, &http, now));
	is_int(session_open(ring, &A, v, &http, now + 1799, &got), SESSION_OK,
	    "within the idle time: open");
	is_int(session_open(ring, &A, v, &http, now + 1800, &got), SESSION_IDLE,
	    "idle too long: refused");
	s.issued_at = now - 8 * 3600 + 10;
	v = value_of(session_cookie(ring, &A, &s, &http, now));
	is_int(session_open(ring, &A, v, &http, now + 5, &got), SESSION_OK,
	    "before the absolute expiry: open");
	is_int(session_open(ring, &A, v, &http, now + 10, &got), SESSION_EXPIRED,
	    "past the absolute expiry: refused even if used recently");
	s.issued_at = now;
	v = value_of(session_cookie(ring, &A, &s, &http, now));
	is_int(session_open(other, &A, v, &http, now, &got), SESSION_INVALID,
	    "a wrong key: refused");
	is_int(session_open(ring, &A, "", &http, now, &got), SESSION_NONE,
	    "no cookie");
	is_int(session_open(ring, &A, "%%%", &http, now, &got), SESSION_INVALID,
	    "garbage");
	{
		char *t = arena_strdup(&A, v);

		t[strlen(t) / 2] = t[strlen(t) / 2] == 'A' ? 'B' : 'A';
		is_int(session_open(ring, &A, t, &http, now, &got),
		    SESSION_INVALID, "a flipped character: refused");
		t[strlen(t) - 5] = '\0';
		is_int(session_open(ring, &A, t, &http, now, &got),
		    SESSION_INVALID, "truncated: refused");
	}
	{
		const char *keep = s.local_id;

		s.local_id = NULL;
		v = value_of(session_cookie(ring, &A, &s, &http, now));
		is_int(session_open(ring, &A, v, &http, now, &got),
		    SESSION_INVALID, "a session without a local id: refused "
		    "(sign-out could not end it)");
		s.local_id = keep;
	}
	{
		/* Version 2 (JSON), as cookies issued before 3 hold it. */
		const char *json = arena_printf(&A, "{\"v\":2,\"uid\":\"u1\","
		    "\"lid\":\"l1\",\"csrf\":\"c1\",\"at\":\"a\\\"t\","
		    "\"kind\":\"expert\",\"iat\":%lld,\"seen\":%lld}", now,
		    now);

		v = crypt_seal(ring, &A, "eleva_session", json, strlen(json));
		is_int(session_open(ring, &A, v, &http, now + 1, &got),
		    SESSION_OK, "a version-2 cookie (JSON) still opens");
		ok(strcmp(got.user_id, "u1") == 0 &&
		    strcmp(got.local_id, "l1") == 0 &&
		    strcmp(got.csrf, "c1") == 0 &&
		    strcmp(got.access_token, "a\"t") == 0 &&
		    strcmp(got.kind, "expert") == 0 && got.org_id == NULL &&
		    got.issued_at == now, "... with its fields");
	}
	{
		const char *lang = s.lang, *theme = s.theme;

		s.lang = NULL;
		s.theme = "";
		v = value_of(session_cookie(ring, &A, &s, &http, now));
		ok(session_open(ring, &A, v, &http, now, &got) == SESSION_OK &&
		    got.lang == NULL && got.theme != NULL &&
		    *got.theme == '\0', "a field left out and an empty one "
		    "come back as they were");
		s.theme = "dark\n=x";
		ok(session_cookie(ring, &A, &s, &http, now) == NULL,
		    "a value with a newline is not written (it would make "
		    "a field of its own)");
		s.lang = lang;
		s.theme = theme;
	}
	{
		/* Version 3 texts that are not whole. */
		static const char *texts[] = {
			"3\n1900000000\n1900000000\n=u\n",
			"3\n1900000000\n1900000000\n=u\n-\n-\n=l\n-\n-\n=c\n-"
			    "\n-\n-\n-\n",
			"3\n1900000000\n1900000000\n=u\n-\n-\n=l\nx\n-\n=c\n-"
			    "\n-\n-\n",
			"3\n19e8\n1900000000\n=u\n-\n-\n=l\n-\n-\n=c\n-\n-\n-"
			    "\n",
			"3\n1900000000\n1900000000\n=u\n-\n-\n=l\n-\n-\n=c\n-"
			    "\n-\n-",
		};
		const char *whole = "3\n1900000000\n1900000000\n=u\n-\n-\n=l"
		    "\n-\n-\n=c\n-\n-\n-\n";
		size_t i;
		int all = 1;

		v = crypt_seal(ring, &A, "eleva_session", whole, strlen(whole));
		is_int(session_open(ring, &A, v, &http, now, &got), SESSION_OK,
		    "version 3: the smallest whole text opens");
		for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
			v = crypt_seal(ring, &A, "eleva_session", texts[i],
			    strlen(texts[i]));
			all &= session_open(ring, &A, v, &http, now, &got) ==
			    SESSION_INVALID && got.user_id == NULL;
		}
		ok(all, "version 3: a field short, one too many, a line "
		    "neither set nor left out, a number that is not one, the "
		    "last newline missing: each refused, nothing read");
	}
	/* A sealed text that is not a session. */
	v = crypt_seal(ring, &A, "eleva_session", "{\"v\":1}", 7);
	is_int(session_open(ring, &A, v, &http, now, &got), SESSION_INVALID,
	    "a sealed object without a user: refused");
	at = arena_alloc(&A, 4001);
	memset(at, 'y', 4000);
	at[4000] = '\0';
	s.access_token = at;
	ok(session_cookie(ring, &A, &s, &http, now) == NULL,
	    "a session too large for a cookie is not issued");
	c = session_clear_cookie(&A, 1);
	ok(strncmp(c, "__Host-eleva_session=;", 22) == 0 &&
	    strstr(c, "Max-Age=0") && strstr(c, "Secure"),
	    "the clearing cookie empties it at once");
	crypt_ring_free(ring);
	crypt_ring_free(other);
	arena_free(&A);
	return tap_done();
}
