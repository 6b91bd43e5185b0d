/* req: turn FastCGI parameters and a request body into a limited struct req. */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "core/form.h"
#include "core/req.h"

#define REQ_ID_MAX	64	/* longest REQUEST_ID accepted from nginx */
#define FORM_MEDIA	"application/x-www-form-urlencoded"

const struct req_limits req_default_limits = {
	.max_body = 64 * 1024,
	.max_path = 4096,
	.form = {
		.max_fields = 200,
		.max_name = 128,
		.max_value = 16 * 1024,
	},
};

static const char *const req_method_names[] = {
	"GET",		/* HTTP_GET */
	"HEAD",		/* HTTP_HEAD */
	"POST",		/* HTTP_POST */
	"PUT",		/* HTTP_PUT */
	"DELETE",	/* HTTP_DELETE */
	"PATCH",	/* HTTP_PATCH */
	"OPTIONS",	/* HTTP_OPTIONS */
	NULL,		/* HTTP_OTHER */
};

_Static_assert(sizeof(req_method_names) / sizeof(req_method_names[0]) ==
    HTTP__MAX, "req_method_names must have one entry per enum http_method");

const char *
req_method_name(enum http_method m)
{
	if ((unsigned)m >= HTTP__MAX)
		return NULL;
	return req_method_names[m];
}

static enum http_method
method_parse(const char *s)
{
	int m;

	for (m = 0; m < HTTP__MAX; m++)
		if (req_method_names[m] != NULL &&
		    strcmp(s, req_method_names[m]) == 0)
			return (enum http_method)m;
	return HTTP_OTHER;
}

/* The request's error message for a refused query string, body or cookie. */
static int
form_fail(struct req *r, enum form_err e)
{
	r->error = form_err_str(e);
	return 400;
}

/* 1..64 characters of [0-9a-fA-F-]: safe to copy into logs and headers. */
static int
request_id_ok(const char *s)
{
	size_t n = strspn(s, "0123456789abcdefABCDEF-");

	return n > 0 && n <= REQ_ID_MAX && s[n] == '\0';
}

static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* 16 lower-case hex characters, random when the kernel lets us. */
static char *
request_id_new(struct arena *a)
{
	static uint64_t counter;
	static const char hex[] = "0123456789abcdef";
	unsigned char b[8];
	struct timespec ts;
	uint64_t x;
	char *id;
	size_t i;

	if (getrandom(b, sizeof(b), GRND_NONBLOCK) != (ssize_t)sizeof(b)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		x = mix64(++counter ^ ((uint64_t)getpid() << 32));
		x = mix64(x ^ (uint64_t)ts.tv_sec * 1000000000ULL ^
		    (uint64_t)ts.tv_nsec);
		for (i = 0; i < sizeof(b); i++)
			b[i] = (unsigned char)(x >> (8 * i));
	}
	id = arena_alloc(a, 2 * sizeof(b) + 1);
	for (i = 0; i < sizeof(b); i++) {
		id[2 * i] = hex[b[i] >> 4];
		id[2 * i + 1] = hex[b[i] & 0xf];
	}
	id[2 * sizeof(b)] = '\0';
	return id;
}

/* "HTTP_USER_AGENT" (after the prefix) to "user-agent". */
static char *
header_name(struct arena *a, const char *s, size_t len)
{
	char *d = arena_alloc(a, len + 1);
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '_')
			c = '-';
		else if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		d[i] = c;
	}
	d[len] = '\0';
	return d;
}

/*
 * CONTENT_LENGTH: digits only, at most max.  Returns 0 with *out set, 400
 * for anything but digits, 413 when over max (however many digits).
 */
static int
content_length_parse(const char *s, size_t max, size_t *out)
{
	size_t n = 0;
	const char *p;

	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	for (p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return 400;
	for (p = s; *p != '\0'; p++) {
		/* Only reached with n <= max; guard n * 10 + 9 anyway. */
		if (n > (SIZE_MAX - 9) / 10)
			return 413;
		n = n * 10 + (size_t)(*p - '0');
		if (n > max)
			return 413;
	}
	*out = n;
	return 0;
}

/* Non-zero when the media type (before ';', trimmed) is FORM_MEDIA. */
static int
is_form_type(const char *ct)
{
	const char *end;

	if (ct == NULL)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if ((end = strchr(ct, ';')) == NULL)
		end = ct + strlen(ct);
	while (end > ct && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return (size_t)(end - ct) == sizeof(FORM_MEDIA) - 1 &&
	    strncasecmp(ct, FORM_MEDIA, sizeof(FORM_MEDIA) - 1) == 0;
}

/* The CGI variables req_parse_env looks at; the first occurrence wins. */
enum env_var {
	EV_METHOD,
	EV_URI,
	EV_QUERY,
	EV_COOKIE,
	EV_REMOTE_ADDR,
	EV_HTTPS,
	EV_SCHEME,
	EV_CONTENT_TYPE,
	EV_CONTENT_LENGTH,
	EV_REQUEST_ID,
	EV__MAX
};

static const char *const env_names[] = {
	"REQUEST_METHOD",	/* EV_METHOD */
	"REQUEST_URI",		/* EV_URI */
	"QUERY_STRING",		/* EV_QUERY */
	"HTTP_COOKIE",		/* EV_COOKIE */
	"REMOTE_ADDR",		/* EV_REMOTE_ADDR */
	"HTTPS",		/* EV_HTTPS */
	"REQUEST_SCHEME",	/* EV_SCHEME */
	"CONTENT_TYPE",		/* EV_CONTENT_TYPE */
	"CONTENT_LENGTH",	/* EV_CONTENT_LENGTH */
	"REQUEST_ID",		/* EV_REQUEST_ID */
};

_Static_assert(sizeof(env_names) / sizeof(env_names[0]) == EV__MAX,
    "env_names must have one entry per enum env_var");

/* Copy the HTTP_* headers and pick out the CGI variables into ev[]. */
static void
env_scan(struct req *r, char *const *envp, const char *ev[EV__MAX])
{
	struct arena *a = r->arena;
	const char *e, *eq, *val;
	size_t n, i, len;
	struct kv *kv;

	for (i = 0; i < EV__MAX; i++)
		ev[i] = NULL;
	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		continue;
	/* At most one header per variable: no second pass to count. */
	r->headers.v = n > 0 ? arena_alloc(a, n * sizeof(*r->headers.v)) :
	    NULL;
	r->headers.n = 0;
	for (; n > 0; envp++, n--) {
		e = *envp;
		if ((eq = strchr(e, '=')) == NULL)
			continue;
		len = (size_t)(eq - e);
		val = eq + 1;
		if (len > 5 && strncmp(e, "HTTP_", 5) == 0) {
			kv = &r->headers.v[r->headers.n++];
			kv->name = header_name(a, e + 5, len - 5);
			/*
			 * Values reach pages, logs and the database (the
			 * user agent is in every transaction's settings),
			 * which refuses what is not UTF-8: bytes that are
			 * not become U+FFFD, so no header makes a 5xx.
			 */
			kv->value = form_utf8_scrub(a, val, strlen(val));
			if (kv->value == val)
				kv->value = arena_strdup(a, val);
			kv->value_len = strlen(kv->value);
		}
		for (i = 0; i < EV__MAX; i++) {
			if (strncmp(e, env_names[i], len) == 0 &&
			    env_names[i][len] == '\0') {
				if (ev[i] == NULL)
					ev[i] = val;
				break;
			}
		}
	}
}

/* Split REQUEST_URI and decode its path.  Returns 0 or an HTTP status. */
static int
uri_parse(struct req *r, const char *uri, const struct req_limits *lim,
    const char **qs)
{
	const char *q;
	size_t ulen, plen;
	char *path;

	ulen = strlen(uri);
	if (ulen > lim->max_path) {
		r->error = "URI too long";
		return 414;
	}
	r->uri = arena_strndup(r->arena, uri, ulen);
	if ((q = strchr(uri, '?')) != NULL) {
		plen = (size_t)(q - uri);
		*qs = q + 1;
	} else
		plen = ulen;
	/*
	 * Routing splits the decoded path on '/': an encoded slash would
	 * smuggle a separator into a segment ("/a/1%2Fdelete").
	 */
	if (memmem(uri, plen, "%2F", 3) != NULL ||
	    memmem(uri, plen, "%2f", 3) != NULL) {
		r->error = "encoded slash in path";
		return 400;
	}
	if (form_decode(r->arena, uri, plen, 0, &path, &plen) != FORM_OK) {
		r->error = "invalid path encoding";
		return 400;
	}
	if (path[0] != '/') {
		r->error = "path must start with '/'";
		return 400;
	}
	r->path = path;
	return 0;
}

int
req_parse_env(struct req *r, struct arena *a, char *const *envp,
    const struct req_limits *lim)
{
	const char *ev[EV__MAX], *qs = NULL, *rid, *v;
	enum form_err e;
	int status;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->method = HTTP_OTHER;
	r->method_name = "";
	r->uri = "";
	r->path = "/";
	r->query_string = "";
	r->body = "";

	/* Everything that cannot fail first, so an error page can still use
	 * the headers, the scheme and the request id. */
	env_scan(r, envp, ev);
	rid = ev[EV_REQUEST_ID];
	r->request_id = rid != NULL && request_id_ok(rid) ?
	    arena_strdup(a, rid) : request_id_new(a);
	v = ev[EV_REMOTE_ADDR];
	r->remote_addr = arena_strdup(a, v != NULL ? v : "");
	v = ev[EV_CONTENT_TYPE];
	r->content_type = arena_strdup(a, v != NULL ? v : "");
	r->https = (ev[EV_HTTPS] != NULL &&
	    strcasecmp(ev[EV_HTTPS], "on") == 0) ||
	    (ev[EV_SCHEME] != NULL && strcasecmp(ev[EV_SCHEME], "https") == 0);
	if ((v = ev[EV_METHOD]) == NULL || *v == '\0') {
		r->error = "missing REQUEST_METHOD";
		return 400;
	}
	r->method_name = arena_strdup(a, v);
	r->method = method_parse(v);

	if (ev[EV_URI] == NULL) {
		r->error = "missing REQUEST_URI";
		return 400;
	}
	if ((status = uri_parse(r, ev[EV_URI], lim, &qs)) != 0)
		return status;
	switch (content_length_parse(ev[EV_CONTENT_LENGTH], lim->max_body,
	    &r->content_length)) {
	case 0:
		break;
	case 413:
		r->error = "request body too large";
		return 413;
	default:
		r->error = "invalid CONTENT_LENGTH";
		return 400;
	}

	if (ev[EV_QUERY] != NULL)
		qs = ev[EV_QUERY];
	r->query_string = arena_strdup(a, qs != NULL ? qs : "");
	e = form_parse_urlencoded(a, r->query_string, strlen(r->query_string),
	    &lim->form, &r->query);
	if (e != FORM_OK)
		return form_fail(r, e);

	e = form_parse_cookies(a, ev[EV_COOKIE], &lim->form, &r->cookies);
	switch (e) {
	case FORM_OK:
		break;
	case FORM_TOO_MANY:
	case FORM_TOO_LONG:
		return form_fail(r, e);
	default:
		/* Other sites and extensions set odd cookies: ignore them
		 * all rather than refuse the request.  Never log values. */
		log_warn("ignoring Cookie header: %s", form_err_str(e));
		break;
	}
	return 0;
}

int
req_parse_body(struct req *r, const char *body, size_t len,
    const struct req_limits *lim)
{
	enum form_err e;

	r->form.v = NULL;
	r->form.n = 0;
	if (len > lim->max_body) {
		r->error = "request body too large";
		return 413;
	}
	if (body == NULL)
		len = 0;
	r->body = body != NULL ? body : "";
	r->body_len = len;
	if (!is_form_type(r->content_type))
		return 0;
	e = form_parse_urlencoded(r->arena, body != NULL ? body : "", len,
	    &lim->form, &r->form);
	if (e != FORM_OK)
		return form_fail(r, e);
	return 0;
}

const char *
req_header(const struct req *r, const char *name)
{
	return kv_get(&r->headers, name);
}

const char *
req_query(const struct req *r, const char *name)
{
	return kv_get(&r->query, name);
}

const char *
req_form(const struct req *r, const char *name)
{
	return kv_get(&r->form, name);
}

const char *
req_cookie(const struct req *r, const char *name)
{
	return kv_get(&r->cookies, name);
}

const char *
req_param(const struct req *r, const char *name)
{
	return kv_get(&r->params, name);
}
