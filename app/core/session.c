/* session: sealed cookie sessions with idle and absolute lifetimes. */
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

/* 2: "lid", the local session id sign-out ends; a version-1 cookie signs in again. */
#define SESSION_VERSION		2
#define SESSION_MAX_COOKIE	4000

const char *
session_cookie_name(int https)
{
	return https ? "__Host-eleva_session" : "eleva_session";
}

char *
session_cookie(const struct crypt_ring *ring, struct arena *a,
    const struct session *s, const struct session_config *cfg, long long now)
{
	struct json_object *o = jsonh_object(a);
	const char *name = session_cookie_name(cfg->https), *json;
	long long left = s->issued_at + cfg->absolute_seconds - now;
	char *sealed, *cookie;

	json_object_object_add(o, "v", json_object_new_int(SESSION_VERSION));
	jsonh_add_str(o, "uid", s->user_id);
	jsonh_add_str(o, "oid", s->org_id);
	jsonh_add_str(o, "sid", s->session_id);
	jsonh_add_str(o, "lid", s->local_id);
	jsonh_add_str(o, "at", s->access_token);
	jsonh_add_str(o, "rt", s->refresh_token);
	jsonh_add_str(o, "csrf", s->csrf);
	jsonh_add_str(o, "lang", s->lang);
	jsonh_add_str(o, "theme", s->theme);
	jsonh_add_str(o, "kind", s->kind);
	json_object_object_add(o, "iat", json_object_new_int64(s->issued_at));
	/* An issue time up to a second ahead (see auth_start) is kept. */
	json_object_object_add(o, "seen", json_object_new_int64(
	    now > s->issued_at ? now : s->issued_at));
	json = jsonh_text(a, o);
	if ((sealed = crypt_seal(ring, a, name, json, strlen(json))) == NULL)
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

enum session_err
session_open(const struct crypt_ring *ring, struct arena *a, const char *value,
    const struct session_config *cfg, long long now, struct session *s)
{
	struct json_object *o;
	long long version;
	char *json;
	size_t len;

	memset(s, 0, sizeof(*s));
	if (value == NULL || *value == '\0')
		return SESSION_NONE;
	if (crypt_open(ring, a, session_cookie_name(cfg->https), value, &json,
	    &len) == -1 || (o = jsonh_parse(a, json)) == NULL)
		return SESSION_INVALID;
	if (!json_object_is_type(o, json_type_object) ||
	    jsonh_int(o, "v", &version) != 1 || version != SESSION_VERSION ||
	    jsonh_int(o, "iat", &s->issued_at) != 1 ||
	    jsonh_int(o, "seen", &s->last_seen) != 1)
		return SESSION_INVALID;
	s->user_id = jsonh_str(o, "uid");
	s->org_id = jsonh_str(o, "oid");
	s->session_id = jsonh_str(o, "sid");
	s->local_id = jsonh_str(o, "lid");
	s->access_token = jsonh_str(o, "at");
	s->refresh_token = jsonh_str(o, "rt");
	s->csrf = jsonh_str(o, "csrf");
	s->lang = jsonh_str(o, "lang");
	s->theme = jsonh_str(o, "theme");
	s->kind = jsonh_str(o, "kind");
	if (s->user_id == NULL || s->csrf == NULL || s->local_id == NULL ||
	    s->issued_at < 0 ||
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
