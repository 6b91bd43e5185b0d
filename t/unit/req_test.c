/* req_test: FastCGI parameters and bodies into struct req, with the limits. */
#include <string.h>

#include "lib/arena.h"
#include "core/form.h"
#include "core/req.h"
#include "tap.h"

static struct arena A;
static const struct req_limits *L = &req_default_limits;

#define ENV(...)	((char *[]){ __VA_ARGS__, NULL })

/* n copies of s, arena-owned. */
static char *
rep(const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *d = arena_alloc(&A, len * n + 1);

	for (i = 0; i < n; i++)
		memcpy(d + i * len, s, len);
	d[len * n] = '\0';
	return d;
}

/* "f0=v&f1=v&..." with n fields. */
static char *
fields(size_t n)
{
	char *s = arena_strdup(&A, ""), *p;
	size_t i;

	for (i = 0; i < n; i++) {
		p = arena_printf(&A, "%s%sf%zu=v", s, i ? "&" : "", i);
		s = p;
	}
	return s;
}

/* A GET of uri with one extra variable (or none). */
static int
get(struct req *r, const char *uri, const char *extra)
{
	char *env[4] = { (char *)"REQUEST_METHOD=GET", NULL, NULL, NULL };

	env[1] = arena_printf(&A, "REQUEST_URI=%s", uri);
	env[2] = (char *)extra;
	return req_parse_env(r, &A, env, L);
}

static int
is_hex16(const char *s)
{
	return s != NULL && strlen(s) == 16 &&
	    strspn(s, "0123456789abcdef") == 16;
}

/* Hardening finding 6: header bytes that are not UTF-8 never reach a page or the database. */
static void
test_non_utf8_header(void)
{
	struct req r;

	is_int(req_parse_env(&r, &A, ENV("REQUEST_METHOD=GET",
	    "REQUEST_URI=/", "HTTP_USER_AGENT=Bot\xff\xc3(", "HTTP_X_A=ok"), L), 0,
	    "non_utf8_header: a header that is not UTF-8 is no error");
	is_str(req_header(&r, "user-agent"), "Bot\xef\xbf\xbd\xef\xbf\xbd(",
	    "non_utf8_header: ... its invalid bytes are U+FFFD");
	is_int((long)r.headers.v[0].value_len, 10,
	    "non_utf8_header: ... and its length is the new one");
	is_str(req_header(&r, "x-a"), "ok", "non_utf8_header: others as sent");
}

static void
test_basic(void)
{
	struct req r;

	is_int(req_parse_env(&r, &A, ENV("REQUEST_METHOD=GET",
	    "REQUEST_URI=/a%20b/c+d%2b?x=1+2&y=%41&x=3",
	    "QUERY_STRING=x=1+2&y=%41&x=3", "REMOTE_ADDR=192.0.2.7",
	    "HTTP_USER_AGENT=Foo/1.0 (X=Y)", "HTTP_ACCEPT_LANGUAGE=fr, en",
	    "HTTP_X_FORWARDED_FOR=10.0.0.1", "SERVER_NAME=example.org",
	    "CONTENT_TYPE=text/plain", "REQUEST_ID=0123abcd-EF45"), L), 0,
	    "basic: parsed");
	ok(r.arena == &A, "basic: arena kept");
	is_int(r.method, HTTP_GET, "basic: method");
	is_str(r.method_name, "GET", "basic: method_name");
	is_str(r.uri, "/a%20b/c+d%2b?x=1+2&y=%41&x=3", "basic: uri as sent");
	is_str(r.path, "/a b/c+d+", "basic: path decoded, '+' kept");
	is_str(r.query_string, "x=1+2&y=%41&x=3", "basic: query_string raw");
	is_int((long)r.query.n, 3, "basic: query count");
	is_str(req_query(&r, "x"), "1 2", "basic: '+' is space in query");
	is_str(req_query(&r, "y"), "A", "basic: query decoded");
	is_int((long)kv_count(&r.query, "x"), 2, "basic: repeated key");
	is_str(kv_get_nth(&r.query, "x", 1), "3", "basic: repeat order");
	is_str(req_header(&r, "user-agent"), "Foo/1.0 (X=Y)",
	    "basic: HTTP_USER_AGENT is user-agent");
	is_str(req_header(&r, "accept-language"), "fr, en",
	    "basic: accept-language");
	is_str(req_header(&r, "x-forwarded-for"), "10.0.0.1",
	    "basic: x-forwarded-for");
	is_str(req_header(&r, "User-Agent"), NULL, "basic: exact names");
	is_int((long)r.headers.n, 3, "basic: only HTTP_* are headers");
	is_str(r.remote_addr, "192.0.2.7", "basic: remote_addr");
	is_str(r.content_type, "text/plain", "basic: content_type");
	is_int((long)r.content_length, 0, "basic: no CONTENT_LENGTH is 0");
	is_str(r.request_id, "0123abcd-EF45", "basic: REQUEST_ID kept");
	is_int(r.https, 0, "basic: not https");
	is_int((long)r.cookies.n, 0, "basic: no cookies");
	is_int((long)r.form.n, 0, "basic: no form");
	is_str(r.error, NULL, "basic: no error");
	is_str(req_param(&r, "id"), NULL, "basic: no params");
	is_str(req_cookie(&r, "sid"), NULL, "basic: no cookie");
	is_str(req_form(&r, "a"), NULL, "basic: no form field");
	arena_reset(&A);

	is_int(req_parse_env(&r, &A, ENV("REQUEST_METHOD=POST",
	    "REQUEST_URI=/"), L), 0, "minimal: parsed");
	is_int(r.method, HTTP_POST, "minimal: POST");
	is_str(r.path, "/", "minimal: path");
	is_str(r.query_string, "", "minimal: query_string empty");
	is_int((long)r.query.n, 0, "minimal: no query");
	is_str(r.remote_addr, "", "minimal: remote_addr empty");
	is_str(r.content_type, "", "minimal: content_type empty");
	is_int((long)r.headers.n, 0, "minimal: no headers");
	arena_reset(&A);
}

static void
test_query_source(void)
{
	struct req r;

	is_int(get(&r, "/p?a=1", "QUERY_STRING=b=2"), 0, "qs: both");
	is_str(r.query_string, "b=2", "qs: QUERY_STRING wins");
	is_str(req_query(&r, "b"), "2", "qs: parsed from QUERY_STRING");
	is_str(req_query(&r, "a"), NULL, "qs: not from REQUEST_URI");
	is_int(get(&r, "/p?a=1", "QUERY_STRING="), 0, "qs: empty present");
	is_str(r.query_string, "", "qs: empty QUERY_STRING is kept");
	is_int(get(&r, "/p?a=1+1&b", NULL), 0, "qs: from REQUEST_URI");
	is_str(r.query_string, "a=1+1&b", "qs: after '?'");
	is_str(r.path, "/p", "qs: path before '?'");
	is_str(req_query(&r, "a"), "1 1", "qs: decoded");
	is_str(req_query(&r, "b"), "", "qs: pair without '='");
	is_int(get(&r, "/p?", NULL), 0, "qs: bare '?'");
	is_str(r.query_string, "", "qs: bare '?' is empty");
	is_int(get(&r, "/p?a=&b&&=x&c=3", NULL), 0, "qs: odd pairs");
	is_int((long)r.query.n, 3, "qs: empty segment and name skipped");
	is_str(req_query(&r, "a"), "", "qs: a= is empty");
	arena_reset(&A);
}

static void
test_methods(void)
{
	static const struct {
		const char		*env;
		enum http_method	 m;
	} t[] = {
		{ "REQUEST_METHOD=GET", HTTP_GET },
		{ "REQUEST_METHOD=HEAD", HTTP_HEAD },
		{ "REQUEST_METHOD=POST", HTTP_POST },
		{ "REQUEST_METHOD=PUT", HTTP_PUT },
		{ "REQUEST_METHOD=DELETE", HTTP_DELETE },
		{ "REQUEST_METHOD=PATCH", HTTP_PATCH },
		{ "REQUEST_METHOD=OPTIONS", HTTP_OPTIONS },
		{ "REQUEST_METHOD=get", HTTP_OTHER },
		{ "REQUEST_METHOD=PROPFIND", HTTP_OTHER },
		{ "REQUEST_METHOD=GETX", HTTP_OTHER },
	};
	struct req r;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		is_int(req_parse_env(&r, &A, ENV((char *)t[i].env,
		    "REQUEST_URI=/"), L), 0, t[i].env);
		is_int(r.method, t[i].m, t[i].env);
		is_str(r.method_name, strchr(t[i].env, '=') + 1, t[i].env);
	}
	is_str(req_method_name(HTTP_GET), "GET", "name: GET");
	is_str(req_method_name(HTTP_HEAD), "HEAD", "name: HEAD");
	is_str(req_method_name(HTTP_POST), "POST", "name: POST");
	is_str(req_method_name(HTTP_PUT), "PUT", "name: PUT");
	is_str(req_method_name(HTTP_DELETE), "DELETE", "name: DELETE");
	is_str(req_method_name(HTTP_PATCH), "PATCH", "name: PATCH");
	is_str(req_method_name(HTTP_OPTIONS), "OPTIONS", "name: OPTIONS");
	is_str(req_method_name(HTTP_OTHER), NULL, "name: OTHER is NULL");
	is_str(req_method_name(HTTP__MAX), NULL, "name: out of range");
	arena_reset(&A);
}

static void
test_missing(void)
{
	struct req r;

	is_int(req_parse_env(&r, &A, ENV("REQUEST_URI=/",
	    "REQUEST_ID=abc"), L), 400, "missing: method");
	is_str(r.error, "missing REQUEST_METHOD", "missing: method error");
	is_str(r.request_id, "abc", "missing: request id still set");
	is_int(req_parse_env(&r, &A, ENV("REQUEST_METHOD=",
	    "REQUEST_URI=/"), L), 400, "missing: empty method");
	is_int(req_parse_env(&r, &A, ENV("REQUEST_METHOD=GET",
	    "HTTP_HOST=x"), L), 400, "missing: uri");
	is_str(r.error, "missing REQUEST_URI", "missing: uri error");
	is_str(req_header(&r, "host"), "x", "missing: headers still set");
	is_int(req_parse_env(&r, &A, (char *[]){ NULL }, L), 400,
	    "missing: empty environment");
	is_int(req_parse_env(&r, &A, ENV("REQUEST_METHOD", "=x",
	    "REQUEST_URI=/"), L), 400, "missing: variables without '='");
	arena_reset(&A);
}

static void
test_path(void)
{
	struct req r;
	char *uri;

	uri = arena_printf(&A, "/%s", rep("a", L->max_path - 1));
	is_int(get(&r, uri, NULL), 0, "uri: max_path bytes");
	uri = arena_printf(&A, "/%s", rep("a", L->max_path));
	is_int(get(&r, uri, NULL), 414, "uri: max_path + 1 bytes");
	is_str(r.error, "URI too long", "uri: 414 error");
	uri = arena_printf(&A, "/?a=%s", rep("x", L->max_path - 4));
	is_int(get(&r, uri, NULL), 0, "uri: query counts, at limit");
	uri = arena_printf(&A, "/?a=%s", rep("x", L->max_path - 3));
	is_int(get(&r, uri, NULL), 414, "uri: query counts, over limit");

	is_int(get(&r, "/caf%C3%A9/%e6%97%a5", NULL), 0, "path: UTF-8");
	is_str(r.path, "/caf\xc3\xa9/\xe6\x97\xa5", "path: decoded");
	is_int(get(&r, "/\xf0\x9f\x98\x80", NULL), 0, "path: raw emoji");
	is_int(get(&r, "/a%zz", NULL), 400, "path: %zz");
	is_str(r.error, "invalid path encoding", "path: error message");
	is_int(get(&r, "/a%", NULL), 400, "path: trailing %");
	is_int(get(&r, "/a%4", NULL), 400, "path: %4");
	is_int(get(&r, "/a%00b", NULL), 400, "path: %00");
	is_int(get(&r, "/%C0%80", NULL), 400, "path: overlong");
	is_int(get(&r, "/%ED%A0%80", NULL), 400, "path: surrogate");
	is_int(get(&r, "/\xc3", NULL), 400, "path: truncated raw UTF-8");
	is_int(get(&r, "a/b", NULL), 400, "path: relative");
	is_str(r.error, "path must start with '/'", "path: relative error");
	is_int(get(&r, "", NULL), 400, "path: empty");
	is_int(get(&r, "?a=1", NULL), 400, "path: only a query");
	arena_reset(&A);
}

static void
test_query_errors(void)
{
	struct req r;
	char *qs;

	is_int(get(&r, "/?a=%zz", NULL), 400, "query: %zz");
	is_str(r.error, "invalid percent-encoding", "query: escape error");
	is_int(get(&r, "/?a=%", NULL), 400, "query: %");
	is_int(get(&r, "/?a=%00", NULL), 400, "query: %00");
	is_str(r.error, "NUL byte", "query: NUL error");
	is_int(get(&r, "/?a=%C0%80", NULL), 400, "query: overlong");
	is_str(r.error, "invalid UTF-8", "query: UTF-8 error");
	is_int(get(&r, "/?a=%80", NULL), 400, "query: lone continuation");

	qs = arena_printf(&A, "QUERY_STRING=%s", fields(200));
	is_int(get(&r, "/", qs), 0, "query: 200 fields");
	is_int((long)r.query.n, 200, "query: 200 kept");
	is_str(req_query(&r, "f199"), "v", "query: last field");
	qs = arena_printf(&A, "QUERY_STRING=%s", fields(201));
	is_int(get(&r, "/", qs), 400, "query: 201 fields");
	is_str(r.error, "too many fields", "query: too many error");

	qs = arena_printf(&A, "QUERY_STRING=%s=1", rep("n", 128));
	is_int(get(&r, "/", qs), 0, "query: name of 128");
	qs = arena_printf(&A, "QUERY_STRING=%s=1", rep("n", 129));
	is_int(get(&r, "/", qs), 400, "query: name of 129");
	is_str(r.error, "field too long", "query: too long error");
	qs = arena_printf(&A, "QUERY_STRING=v=%s", rep("x", 16 * 1024));
	is_int(get(&r, "/", qs), 0, "query: value of 16384");
	is_int((long)r.query.v[0].value_len, 16 * 1024, "query: value_len");
	qs = arena_printf(&A, "QUERY_STRING=v=%s", rep("x", 16 * 1024 + 1));
	is_int(get(&r, "/", qs), 400, "query: value of 16385");
	is_str(r.error, "field too long", "query: value error");
	arena_reset(&A);
}

static void
test_cookies(void)
{
	struct req r;
	char *h;

	is_int(get(&r, "/", "HTTP_COOKIE=sid=\"abc\";  theme=dark ;lang=fr; "
	    "x=a=b"), 0, "cookie: parsed");
	is_int((long)r.cookies.n, 4, "cookie: four");
	is_str(req_cookie(&r, "sid"), "abc", "cookie: quotes removed");
	is_str(req_cookie(&r, "theme"), "dark", "cookie: spaces trimmed");
	is_str(req_cookie(&r, "lang"), "fr", "cookie: no space");
	is_str(req_cookie(&r, "x"), "a=b", "cookie: '=' in value");
	is_str(req_header(&r, "cookie"), "sid=\"abc\";  theme=dark ;lang=fr; "
	    "x=a=b", "cookie: also a header");

	is_int(get(&r, "/", "HTTP_COOKIE=sid=abc; junk; b=2"), 0,
	    "cookie: malformed header is not an error");
	is_int((long)r.cookies.n, 0, "cookie: malformed gives no cookies");
	is_str(req_cookie(&r, "sid"), NULL, "cookie: none from malformed");
	is_str(r.error, NULL, "cookie: malformed sets no error");
	is_int(get(&r, "/", "HTTP_COOKIE=a=1\x01"), 0,
	    "cookie: control character is not an error");
	is_int((long)r.cookies.n, 0, "cookie: control gives no cookies");
	is_int(get(&r, "/", "HTTP_COOKIE=a=\xff"), 0,
	    "cookie: bad UTF-8 is not an error");
	is_int((long)r.cookies.n, 0, "cookie: bad UTF-8 gives no cookies");

	h = arena_printf(&A, "HTTP_COOKIE=%s", rep("c=1; ", 200));
	is_int(get(&r, "/", h), 0, "cookie: 200 pairs");
	is_int((long)r.cookies.n, 200, "cookie: 200 kept");
	h = arena_printf(&A, "HTTP_COOKIE=%s", rep("c=1; ", 201));
	is_int(get(&r, "/", h), 400, "cookie: 201 pairs");
	is_str(r.error, "too many fields", "cookie: too many error");
	h = arena_printf(&A, "HTTP_COOKIE=%s=1", rep("n", 129));
	is_int(get(&r, "/", h), 400, "cookie: name of 129");
	is_str(r.error, "field too long", "cookie: too long error");
	h = arena_printf(&A, "HTTP_COOKIE=v=%s", rep("x", 16 * 1024 + 1));
	is_int(get(&r, "/", h), 400, "cookie: value of 16385");
	arena_reset(&A);
}

static void
test_flags(void)
{
	struct req r;

	get(&r, "/", "HTTPS=on");
	is_int(r.https, 1, "https: HTTPS=on");
	get(&r, "/", "HTTPS=ON");
	is_int(r.https, 1, "https: HTTPS=ON");
	get(&r, "/", "HTTPS=off");
	is_int(r.https, 0, "https: HTTPS=off");
	get(&r, "/", "HTTPS=");
	is_int(r.https, 0, "https: HTTPS empty");
	get(&r, "/", "HTTPS=1");
	is_int(r.https, 0, "https: HTTPS=1");
	get(&r, "/", "REQUEST_SCHEME=https");
	is_int(r.https, 1, "https: REQUEST_SCHEME=https");
	get(&r, "/", "REQUEST_SCHEME=http");
	is_int(r.https, 0, "https: REQUEST_SCHEME=http");
	get(&r, "/", NULL);
	is_int(r.https, 0, "https: neither");
	is_int(req_header(&r, "s") == NULL, 1, "https: HTTPS is no header");

	get(&r, "/", "REMOTE_ADDR=2001:db8::1");
	is_str(r.remote_addr, "2001:db8::1", "remote_addr: IPv6");
	get(&r, "/", NULL);
	is_str(r.remote_addr, "", "remote_addr: absent");
	get(&r, "/", "CONTENT_TYPE=application/json");
	is_str(r.content_type, "application/json", "content_type: kept");
	arena_reset(&A);
}

static void
test_request_id(void)
{
	struct req r;
	char *id, *first;

	id = arena_printf(&A, "REQUEST_ID=%s", rep("aF-9", 16));
	get(&r, "/", id);
	is_str(r.request_id, id + strlen("REQUEST_ID="), "rid: 64 accepted");
	get(&r, "/", "REQUEST_ID=f");
	is_str(r.request_id, "f", "rid: 1 accepted");
	id = arena_printf(&A, "REQUEST_ID=%s", rep("a", 65));
	get(&r, "/", id);
	ok(is_hex16(r.request_id), "rid: 65 chars replaced (%s)",
	    r.request_id);
	get(&r, "/", "REQUEST_ID=abc def");
	ok(is_hex16(r.request_id), "rid: space replaced");
	get(&r, "/", "REQUEST_ID=abcg");
	ok(is_hex16(r.request_id), "rid: non-hex replaced");
	get(&r, "/", "REQUEST_ID=a\nb");
	ok(is_hex16(r.request_id), "rid: newline replaced");
	get(&r, "/", "REQUEST_ID=");
	ok(is_hex16(r.request_id), "rid: empty replaced");
	get(&r, "/", NULL);
	ok(is_hex16(r.request_id), "rid: generated when absent");
	first = r.request_id != NULL ? arena_strdup(&A, r.request_id) : NULL;
	get(&r, "/", NULL);
	ok(is_hex16(r.request_id) && first != NULL &&
	    strcmp(first, r.request_id) != 0, "rid: generated ids differ");
	arena_reset(&A);
}

static void
test_content_length(void)
{
	struct req r;

	is_int(get(&r, "/", "CONTENT_LENGTH="), 0, "cl: empty");
	is_int((long)r.content_length, 0, "cl: empty is 0");
	is_int(get(&r, "/", "CONTENT_LENGTH=123"), 0, "cl: 123");
	is_int((long)r.content_length, 123, "cl: 123 value");
	is_int(get(&r, "/", "CONTENT_LENGTH=65536"), 0, "cl: max_body");
	is_int((long)r.content_length, 65536, "cl: max_body value");
	is_int(get(&r, "/", "CONTENT_LENGTH=65537"), 413, "cl: max_body + 1");
	is_str(r.error, "request body too large", "cl: 413 error");
	is_int(get(&r, "/",
	    "CONTENT_LENGTH=99999999999999999999999999999999999999999"), 413,
	    "cl: huge digit string");
	is_int(get(&r, "/", "CONTENT_LENGTH=18446744073709551616"), 413,
	    "cl: 2^64");
	is_int(get(&r, "/",
	    "CONTENT_LENGTH=000000000000000000000000000000000000000007"), 0,
	    "cl: leading zeros");
	is_int((long)r.content_length, 7, "cl: leading zeros value");
	is_int(get(&r, "/", "CONTENT_LENGTH=12a"), 400, "cl: 12a");
	is_str(r.error, "invalid CONTENT_LENGTH", "cl: 400 error");
	is_int(get(&r, "/", "CONTENT_LENGTH=abc"), 400, "cl: abc");
	is_int(get(&r, "/", "CONTENT_LENGTH=-1"), 400, "cl: -1");
	is_int(get(&r, "/", "CONTENT_LENGTH=+1"), 400, "cl: +1");
	is_int(get(&r, "/", "CONTENT_LENGTH= 1"), 400, "cl: leading space");
	is_int(get(&r, "/", "CONTENT_LENGTH=0x10"), 400, "cl: hex");
	is_int(get(&r, "/", "CONTENT_LENGTH=99999999999999999999x"), 400,
	    "cl: huge then junk is 400");
	arena_reset(&A);
}

/* Parse env for a POST with ct, then body. */
static int
post(struct req *r, const char *ct, const char *body, size_t len)
{
	char *env[5] = { (char *)"REQUEST_METHOD=POST",
	    (char *)"REQUEST_URI=/f?q=1", NULL, NULL, NULL };
	int status;

	env[2] = arena_printf(&A, "CONTENT_TYPE=%s", ct);
	env[3] = arena_printf(&A, "CONTENT_LENGTH=%zu", len);
	if ((status = req_parse_env(r, &A, env, L)) != 0)
		return status;
	return req_parse_body(r, body, len, L);
}

static int
post_s(struct req *r, const char *ct, const char *body)
{
	return post(r, ct, body, strlen(body));
}

#define FORMCT	"application/x-www-form-urlencoded"

static void
test_encoded_slash(void)
{
	struct req r;

	is_int(get(&r, "/a/1%2Fdelete", NULL), 400, "path: %2F refused");
	is_str(r.error, "encoded slash in path", "path: %2F error");
	is_int(get(&r, "/a/1%2fdelete", NULL), 400, "path: %2f refused");
	is_int(get(&r, "/a?next=%2Fb", NULL), 0,
	    "an encoded slash in the query is fine");
	is_str(req_query(&r, "next"), "/b", "... and decoded there");
	is_int(get(&r, "/a", NULL), 0, "no body: parsed");
	is_str(r.body, "", "no body: body is \"\"");
	arena_reset(&A);
}

static void
test_body(void)
{
	struct req r;
	char *b;

	is_int(post_s(&r, FORMCT, "a=1+2&b=%C3%A9&b=x&c"), 0, "body: parsed");
	is_int((long)r.form.n, 4, "body: count");
	is_str(req_form(&r, "a"), "1 2", "body: '+' is space");
	is_str(req_form(&r, "b"), "\xc3\xa9", "body: decoded");
	is_int((long)kv_count(&r.form, "b"), 2, "body: repeated");
	is_str(kv_get_nth(&r.form, "b", 1), "x", "body: repeat order");
	is_str(req_form(&r, "c"), "", "body: pair without '='");
	is_str(req_query(&r, "q"), "1", "body: query still there");
	is_str(req_form(&r, "q"), NULL, "body: query is not form");

	is_int(post_s(&r, FORMCT "; charset=UTF-8", "a=1"), 0,
	    "body: charset parameter");
	is_str(req_form(&r, "a"), "1", "body: charset parsed");
	is_int(post_s(&r, " Application/X-WWW-Form-URLEncoded\t;charset=utf-8",
	    "a=2"), 0, "body: case and spaces");
	is_str(req_form(&r, "a"), "2", "body: case and spaces parsed");
	is_int(post_s(&r, "multipart/form-data; boundary=xyz", "a=1"), 0,
	    "body: multipart is left alone");
	is_int((long)r.form.n, 0, "body: multipart form empty");
	is_int(post_s(&r, "application/json", "{\"a\":1}"), 0, "body: json");
	is_int((long)r.form.n, 0, "body: json form empty");
	is_str(r.body, "{\"a\":1}", "body: kept for the handler");
	is_int((long)r.body_len, 7, "body: body_len");
	is_int(post_s(&r, FORMCT "x", "a=1"), 0, "body: longer type");
	is_int((long)r.form.n, 0, "body: longer type not parsed");
	is_int(post_s(&r, "", "a=1"), 0, "body: no type");
	is_int((long)r.form.n, 0, "body: no type not parsed");
	is_int(post_s(&r, FORMCT, ""), 0, "body: empty");
	is_int((long)r.form.n, 0, "body: empty gives nothing");

	is_int(post(&r, FORMCT, "a=1\0b=2", 7), 400, "body: raw NUL");
	is_str(r.error, "NUL byte", "body: NUL error");
	ok(r.form.n == 0, "body: error leaves form empty");
	is_int(post(&r, FORMCT, "a=1&=\0", 6), 400, "body: NUL in skipped");
	is_int(post(&r, "text/plain", "a\0", 2), 0,
	    "body: NUL in other types is the handler's");
	is_int(post_s(&r, FORMCT, "a=%2"), 400, "body: bad escape");
	is_str(r.error, "invalid percent-encoding", "body: escape error");
	is_int(post_s(&r, FORMCT, "a=%ED%A0%80"), 400, "body: surrogate");
	is_int(post_s(&r, FORMCT, fields(200)), 0, "body: 200 fields");
	is_int(post_s(&r, FORMCT, fields(201)), 400, "body: 201 fields");
	is_str(r.error, "too many fields", "body: too many error");
	b = arena_printf(&A, "v=%s", rep("%41", 16 * 1024));
	is_int(post_s(&r, FORMCT, b), 0, "body: decoded value of 16384");
	b = arena_printf(&A, "v=%s", rep("x", 16 * 1024 + 1));
	is_int(post_s(&r, FORMCT, b), 400, "body: value of 16385");
	is_str(r.error, "field too long", "body: value error");

	b = rep("&", 64 * 1024);
	is_int(post_s(&r, FORMCT, b), 0, "body: max_body bytes");
	b = rep("&", 64 * 1024 + 1);
	is_int(req_parse_body(&r, b, strlen(b), L), 413,
	    "body: max_body + 1 bytes");
	is_str(r.error, "request body too large", "body: 413 error");
	r.content_type = "text/plain";
	is_int(req_parse_body(&r, b, strlen(b), L), 413,
	    "body: 413 whatever the type");
	is_int(post(&r, FORMCT, b, strlen(b)), 413,
	    "body: 413 from CONTENT_LENGTH first");
	arena_reset(&A);
}

int
main(void)
{
	if (arena_init(&A) == -1)
		return 1;
	test_basic();
	test_non_utf8_header();
	test_query_source();
	test_methods();
	test_missing();
	test_path();
	test_query_errors();
	test_cookies();
	test_flags();
	test_request_id();
	test_content_length();
	test_body();
	test_encoded_slash();
	arena_free(&A);
	return tap_done();
}
