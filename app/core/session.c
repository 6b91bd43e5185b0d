/* session: sealed cookie sessions with idle and absolute lifetimes. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/rand.h>

#include "lib/arena.h"
#include "lib/b64.h"
#include "lib/crypt.h"
#include "lib/jsonh.h"
#include "lib/log.h"
#include "core/session.h"

/*
 * 3: the fields as lines (below), read without a JSON parser: a worker
 * opens the cookie on every request, and JSON made it the largest part of
 * a request's own work.  2 (JSON, "lid" the local session id sign-out
 * ends) is still read, and written as 3 the next time the cookie is set;
 * a version-1 cookie signs in again.
 */
#define SESSION_VERSION		3
#define SESSION_VERSION_JSON	2
#define SESSION_MAX_COOKIE	4000

/*
 * The cookie's text fields in the order version 3 writes them; the keys
 * are version 2's JSON members.
 */
static const struct session_field {
	const char	*key;
	size_t		 off;
} session_fields[] = {
	{ "uid", offsetof(struct session, user_id) },
	{ "oid", offsetof(struct session, org_id) },
	{ "sid", offsetof(struct session, session_id) },
	{ "lid", offsetof(struct session, local_id) },
	{ "at", offsetof(struct session, access_token) },
	{ "rt", offsetof(struct session, refresh_token) },
	{ "csrf", offsetof(struct session, csrf) },
	{ "lang", offsetof(struct session, lang) },
	{ "theme", offsetof(struct session, theme) },
	{ "kind", offsetof(struct session, kind) },
};
#define SESSION_NFIELDS	(sizeof(session_fields) / sizeof(session_fields[0]))

/* Field i of s, to read and to set. */
static const char **
session_field(struct session *s, size_t i)
{
	return (const char **)(void *)((char *)s + session_fields[i].off);
}

static const char *
session_field_value(const struct session *s, size_t i)
{
	return *(const char *const *)(const void *)((const char *)s +
	    session_fields[i].off);
}

const char *
session_cookie_name(int https)
{
	return https ? "__Host-eleva_session" : "eleva_session";
}

/*
 * Version 3's text: "3", the issue time and the last use, each on a line,
 * then a line per text field: "-" when it is NULL, else "=" and the value.
 * A value holding a newline cannot be written (logged): NULL.
 */
static char *
session_text(struct arena *a, const struct session *s, long long seen,
    size_t *lenp)
{
	size_t len = 64, i;
	const char *v;
	char *text, *p;

	for (i = 0; i < SESSION_NFIELDS; i++) {
		if ((v = session_field_value(s, i)) == NULL)
			len += 2;
		else if (strchr(v, '\n') != NULL) {
			log_error("session: a newline in the field \"%s\"",
			    session_fields[i].key);
			return NULL;
		} else
			len += strlen(v) + 2;
	}
	p = text = arena_alloc(a, len);
	p += snprintf(p, 64, "%d\n%lld\n%lld\n", SESSION_VERSION,
	    s->issued_at, seen);
	for (i = 0; i < SESSION_NFIELDS; i++) {
		if ((v = session_field_value(s, i)) == NULL) {
			memcpy(p, "-\n", 2);
			p += 2;
			continue;
		}
		*p++ = '=';
		memcpy(p, v, strlen(v));
		p += strlen(v);
		*p++ = '\n';
	}
	*p = '\0';
	*lenp = (size_t)(p - text);
	return text;
}

char *
session_cookie(const struct crypt_ring *ring, struct arena *a,
    const struct session *s, const struct session_config *cfg, long long now)
{
	const char *name = session_cookie_name(cfg->https);
	long long left = s->issued_at + cfg->absolute_seconds - now;
	char *text, *sealed, *cookie;
	size_t len;

	/* An issue time up to a second ahead (see auth_start) is kept. */
	if ((text = session_text(a, s, now > s->issued_at ? now : s->issued_at,
	    &len)) == NULL ||
	    (sealed = crypt_seal(ring, a, name, text, len)) == NULL)
		return NULL;
	cookie = arena_printf(a, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; "
	    "SameSite=Lax%s", name, sealed, left > 0 ? left : 0,
	    cfg->https ? "; Secure" : "");
	if (strlen(cookie) > SESSION_MAX_COOKIE) {
		log_error("session: cookie of %zu bytes is too large",
		    strlen(cookie));
		return NULL;
	}
	return cookie;
}

char *
session_clear_cookie(struct arena *a, int https)
{
	return arena_printf(a, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
	    session_cookie_name(https), https ? "; Secure" : "");
}

/* The next line of *p, cut at its newline, or NULL when there is none. */
static char *
session_line(char **p)
{
	char *line = *p, *nl;

	if ((nl = strchr(line, '\n')) == NULL)
		return NULL;
	*nl = '\0';
	*p = nl + 1;
	return line;
}

/* A line holding a decimal number, into *v: 0, or -1. */
static int
session_number(char **p, long long *v)
{
	char *line, *end;

	if ((line = session_line(p)) == NULL || *line == '\0')
		return -1;
	*v = strtoll(line, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* Version 3's text, after its version line, into s: 0, or -1. */
static int
session_read_lines(char *text, struct session *s)
{
	char *p = text, *line;
	size_t i;

	if (session_number(&p, &s->issued_at) == -1 ||
	    session_number(&p, &s->last_seen) == -1)
		return -1;
	for (i = 0; i < SESSION_NFIELDS; i++) {
		if ((line = session_line(&p)) == NULL)
			return -1;
		if (line[0] == '=')
			*session_field(s, i) = line + 1;
		else if (line[0] != '-' || line[1] != '\0')
			return -1;
	}
	return *p == '\0' ? 0 : -1;
}

/* Version 2's JSON text into s: 0, or -1. */
static int
session_read_json(struct arena *a, const char *json, struct session *s)
{
	struct json_object *o;
	long long version;
	size_t i;

	if ((o = jsonh_parse(a, json)) == NULL ||
	    !json_object_is_type(o, json_type_object) ||
	    jsonh_int(o, "v", &version) != 1 ||
	    version != SESSION_VERSION_JSON ||
	    jsonh_int(o, "iat", &s->issued_at) != 1 ||
	    jsonh_int(o, "seen", &s->last_seen) != 1)
		return -1;
	for (i = 0; i < SESSION_NFIELDS; i++)
		*session_field(s, i) = jsonh_str(o, session_fields[i].key);
	return 0;
}

enum session_err
session_open(const struct crypt_ring *ring, struct arena *a, const char *value,
    const struct session_config *cfg, long long now, struct session *s)
{
	char *text;
	size_t len;
	int r;

	memset(s, 0, sizeof(*s));
	if (value == NULL || *value == '\0')
		return SESSION_NONE;
	if (crypt_open(ring, a, session_cookie_name(cfg->https), value, &text,
	    &len) == -1 || strlen(text) != len)
		return SESSION_INVALID;
	if (text[0] == '0' + SESSION_VERSION && text[1] == '\n')
		r = session_read_lines(text + 2, s);
	else
		r = session_read_json(a, text, s);
	if (r == -1)
		memset(s, 0, sizeof(*s));
	if (r == -1 || s->user_id == NULL || s->csrf == NULL ||
	    s->local_id == NULL || s->issued_at < 0 ||
	    s->last_seen < s->issued_at)
		return SESSION_INVALID;
	if (now >= s->issued_at + cfg->absolute_seconds)
		return SESSION_EXPIRED;
	if (now >= s->last_seen + cfg->idle_seconds)
		return SESSION_IDLE;
	return SESSION_OK;
}

const char *
session_aux_name(struct arena *a, const char *base, int https)
{
	return arena_printf(a, "%s%s", https ? "__Host-" : "", base);
}

char *
session_aux_cookie(const struct crypt_ring *ring, struct arena *a,
    const char *base, int https, const char *payload, long long expires,
    long long now)
{
	const char *name = session_aux_name(a, base, https);
	char *plain = arena_printf(a, "%lld\n%s", expires, payload);
	char *sealed = crypt_seal(ring, a, name, plain, strlen(plain));

	if (sealed == NULL)
		return NULL;
	return arena_printf(a, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; "
	    "SameSite=Lax%s", name, sealed, expires > now ? expires - now : 0,
	    https ? "; Secure" : "");
}

const char *
session_aux_open(const struct crypt_ring *ring, struct arena *a,
    const char *base, int https, const char *value, long long now)
{
	const char *name = session_aux_name(a, base, https);
	char *plain, *nl, *end;
	size_t len;
	long long expires;

	if (value == NULL || *value == '\0' ||
	    crypt_open(ring, a, name, value, &plain, &len) == -1 ||
	    (nl = strchr(plain, '\n')) == NULL)
		return NULL;
	*nl = '\0';
	expires = strtoll(plain, &end, 10);
	if (end == plain || *end != '\0' || now >= expires)
		return NULL;
	return nl + 1;
}

char *
session_aux_clear(struct arena *a, const char *base, int https)
{
	return arena_printf(a, "%s=; Path=/; Max-Age=0; HttpOnly; "
	    "SameSite=Lax%s", session_aux_name(a, base, https),
	    https ? "; Secure" : "");
}

char *
session_random_token(struct arena *a)
{
	unsigned char raw[32];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return NULL;
	return b64url_encode(a, raw, sizeof(raw));
}
