/* workos: the WorkOS User Management HTTP client: calls, retries, error mapping, JSON. */
#include <curl/curl.h>
#include <json-c/json.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/mman.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/jsonh.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "core/form.h"
#include "core/workos.h"

/* Largest response body read (a JWKS or a list page is a few KB). */
#define WORKOS_MAX_BODY		(1024 * 1024)
/* Longest wait a Retry-After may impose inside a request. */
#define WORKOS_MAX_WAIT_MS	2000

/*
 * The circuit breaker, one for the whole pool: after
 * WORKOS_BREAKER_FAILURES calls in a row (by any worker) got no answer, a
 * timeout or a 5xx, no worker calls WorkOS for WORKOS_BREAKER_OPEN_MS
 * (every call fails at once: the page says 503 with Retry-After); then
 * one call, by whichever worker claims it first, tries again, and its
 * failure opens the breaker again at once.
 */
#define WORKOS_BREAKER_FAILURES	3
#define WORKOS_BREAKER_OPEN_MS	10000
/*
 * A call that finds the pool's share of workers waiting on WorkOS fails as
 * unavailable at once when all of them have waited WORKOS_QUEUE_MS or
 * more (WorkOS is slow: a worker must not spend its time queueing either),
 * else waits for one of them, in steps, at most WORKOS_QUEUE_MS (calls
 * that answer take milliseconds: a burst after a reload, every worker
 * fetching the signing keys, gets through).
 */
#define WORKOS_QUEUE_MS		300
#define WORKOS_QUEUE_STEP_MS	10

/*
 * What the workers of a pool share (memory mapped shared by the master
 * before it forks them): the breaker, and per worker slot when the WorkOS
 * call it is waiting on started (0: none; a worker that dies mid-call
 * leaves a start that is ignored once older than any call may last).  At most max_waiting workers
 * wait on WorkOS at once, so a hung WorkOS never holds the whole pool:
 * the others serve the pages that need no WorkOS.  Two workers checking
 * at the same instant may both go ahead: the bound holds within one.
 */
struct workos_shared {
	size_t			 size;		/* of the mapping */
	int			 nslots;
	int			 max_waiting;
	atomic_int		 failures;	/* in a row */
	atomic_llong		 open_until_ms;	/* breaker */
	atomic_llong		 busy_since_ms[];	/* per slot */
};

struct workos {
	const struct workos_config	*cfg;
	CURL				*h;
	char				 errbuf[CURL_ERROR_SIZE];
	long long			 deadline_ms;	/* monotonic; 0: none */
	struct workos_shared		*sh;	/* the pool's, or own_sh */
	struct workos_shared		*own_sh;	/* a lone client's */
	int				 slot;
};

struct workos_shared *
workos_shared_new(int nslots, int max_waiting)
{
	struct workos_shared *sh;
	size_t size = sizeof(*sh) + (size_t)nslots * sizeof(atomic_llong);
	int i;

	if (nslots < 1 || max_waiting < 1 || (sh = mmap(NULL, size,
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)) ==
	    MAP_FAILED)
		return NULL;
	sh->size = size;
	sh->nslots = nslots;
	sh->max_waiting = max_waiting;
	atomic_init(&sh->failures, 0);
	atomic_init(&sh->open_until_ms, 0);
	for (i = 0; i < nslots; i++)
		atomic_init(&sh->busy_since_ms[i], 0);
	return sh;
}

void
workos_shared_free(struct workos_shared *sh)
{
	if (sh != NULL)
		munmap(sh, sh->size);
}

void
workos_begin(struct workos *w, long budget_ms)
{
	w->deadline_ms = budget_ms > 0 ? clock_now_ms() + budget_ms : 0;
}

int
workos_retry_after(const struct workos *w)
{
	long long left = atomic_load(&w->sh->open_until_ms) - clock_now_ms();

	return left > 0 ? (int)((left + 999) / 1000) : 0;
}

/*
 * The breaker lets this call through: closed, or open and run out with
 * this worker the first to claim the trial call (the claim moves the
 * opening on, so the others go on failing at once meanwhile).
 */
static int
workos_breaker_passes(struct workos_shared *sh, long long now)
{
	long long until = atomic_load(&sh->open_until_ms);

	if (atomic_load(&sh->failures) < WORKOS_BREAKER_FAILURES)
		return 1;
	return now >= until && atomic_compare_exchange_strong(
	    &sh->open_until_ms, &until, now + WORKOS_BREAKER_OPEN_MS);
}

/*
 * Workers other than this one waiting on a WorkOS call now; *young: how
 * many of them started it less than WORKOS_QUEUE_MS ago.
 */
static int
workos_waiting(const struct workos *w, long long now, int *young)
{
	long long since, stale = w->cfg->timeout_ms + 1000;
	int i, n = 0;

	*young = 0;
	for (i = 0; i < w->sh->nslots; i++) {
		since = atomic_load(&w->sh->busy_since_ms[i]);
		if (i == w->slot || since == 0 || now - since > stale)
			continue;
		n++;
		if (now - since < WORKOS_QUEUE_MS)
			(*young)++;
	}
	return n;
}

static void	workos_sleep_ms(long);

/*
 * May a call start now, and for how long (ms, into *limit)?  Not while
 * the breaker is open, while the pool's share of workers waits on WorkOS
 * (after WORKOS_QUEUE_MS), or once the request's WorkOS time is spent.
 * A call allowed marks this worker waiting until workos_count.
 */
static int
workos_may_call(struct workos *w, const char *method, const char *shown,
    long *limit)
{
	long long now = clock_now_ms();
	int waiting, young, queued;

	if (!workos_breaker_passes(w->sh, now)) {
		log_warn("workos: %s %s: not called, WorkOS failed %d times in "
		    "a row (retry in %d s)", method, shown,
		    atomic_load(&w->sh->failures), workos_retry_after(w));
		return 0;
	}
	for (queued = 0; (waiting = workos_waiting(w, now, &young)) >=
	    w->sh->max_waiting; queued += WORKOS_QUEUE_STEP_MS) {
		if (young == 0 || queued >= WORKOS_QUEUE_MS) {
			log_warn("workos: %s %s: not called, %d workers are "
			    "waiting on WorkOS already", method, shown,
			    waiting);
			return 0;
		}
		workos_sleep_ms(WORKOS_QUEUE_STEP_MS);
		now = clock_now_ms();
	}
	*limit = w->cfg->timeout_ms;
	if (w->deadline_ms != 0) {
		if (w->deadline_ms - now <= 0) {
			log_warn("workos: %s %s: not called, the request's "
			    "WorkOS time is spent", method, shown);
			return 0;
		}
		if (w->deadline_ms - now < *limit)
			*limit = (long)(w->deadline_ms - now);
	}
	atomic_store(&w->sh->busy_since_ms[w->slot], now);
	return 1;
}

/* Count an attempt's outcome for the breaker; the worker waits no more. */
static void
workos_count(struct workos *w, long status)
{
	int n;

	atomic_store(&w->sh->busy_since_ms[w->slot], 0);
	if (status != 0 && status != 408 && status < 500) {
		atomic_store(&w->sh->failures, 0);
		return;
	}
	if ((n = atomic_fetch_add(&w->sh->failures, 1) + 1) >=
	    WORKOS_BREAKER_FAILURES) {
		atomic_store(&w->sh->open_until_ms,
		    clock_now_ms() + WORKOS_BREAKER_OPEN_MS);
		log_warn("workos: %d failures in a row: calls fail at once for "
		    "%d s", n, WORKOS_BREAKER_OPEN_MS / 1000);
	}
}

/* One HTTP exchange. */
struct workos_resp {
	long			 status;	/* 0: no answer */
	struct buf		 body;
	long			 retry_after_ms; /* -1: none given */
	char			 request_id[80];
	struct json_object	*json;		/* parsed body, arena-released */
};

/* Retrying a call is safe (GET, or a POST keyed by Idempotency-Key). */
enum { WORKOS_ONCE = 0, WORKOS_RETRY = 1 };

struct workos *
workos_new(const struct workos_config *cfg)
{
	struct workos *w;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->cfg = cfg;
	w->sh = cfg->shared;
	w->slot = cfg->slot;
	if (w->sh == NULL || w->slot < 0 || w->slot >= w->sh->nslots) {
		/* On its own (a command): a breaker of its own. */
		if ((w->own_sh = workos_shared_new(1, 1)) == NULL) {
			free(w);
			return NULL;
		}
		w->sh = w->own_sh;
		w->slot = 0;
	}
	if ((w->h = curl_easy_init()) == NULL) {
		workos_shared_free(w->own_sh);
		free(w);
		return NULL;
	}
	return w;
}

void
workos_free(struct workos *w)
{
	if (w == NULL)
		return;
	curl_easy_cleanup(w->h);
	workos_shared_free(w->own_sh);
	free(w);
}

const char *
workos_err_str(enum workos_err e)
{
	switch (e) {
	case WORKOS_OK:			return "ok";
	case WORKOS_NOT_FOUND:		return "not found";
	case WORKOS_CONFLICT:		return "conflict";
	case WORKOS_RATE_LIMITED:	return "rate limited";
	case WORKOS_UNAVAILABLE:	return "unavailable";
	case WORKOS_INVALID_GRANT:	return "invalid grant";
	case WORKOS_REFUSED:		return "refused";
	case WORKOS_BAD_RESPONSE:	return "bad response";
	case WORKOS_ORG_SELECTION:	return "organization selection required";
	}
	return "?";
}

static size_t
workos_write_cb(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;

	if (b->len + size * n > WORKOS_MAX_BODY)
		return 0;	/* aborts the transfer */
	buf_append(b, p, size * n);
	return size * n;
}

/* Copy the header value after "name:" (trimmed) into dst, if it is that header. */
static int
workos_header_value(const char *line, size_t len, const char *name,
    char *dst, size_t dstlen)
{
	size_t nl = strlen(name), i, j;

	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return 0;
	for (i = nl + 1; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	for (j = 0; i < len && line[i] != '\r' && line[i] != '\n' &&
	    j + 1 < dstlen; i++)
		dst[j++] = line[i];
	dst[j] = '\0';
	return 1;
}

static size_t
workos_header_cb(char *p, size_t size, size_t n, void *ud)
{
	struct workos_resp *r = ud;
	char v[64];

	if (workos_header_value(p, size * n, "Retry-After", v, sizeof(v))) {
		char *end;
		long s = strtol(v, &end, 10);

		/* Seconds only; an HTTP date falls back to our backoff. */
		r->retry_after_ms = (end != v && *end == '\0' && s >= 0) ?
		    s * 1000 : -1;
	} else
		workos_header_value(p, size * n, "X-Request-ID",
		    r->request_id, sizeof(r->request_id));
	return size * n;
}

/* A version 4 UUID for Idempotency-Key. */
static char *
workos_uuid(struct arena *a)
{
	unsigned char u[16];

	if (RAND_bytes(u, sizeof(u)) != 1)
		return NULL;
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	return arena_printf(a, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
	    u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static void
workos_sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1)
		;
}

/*
 * Backoff before retry attempt (1-based): 200 ms x 2^(attempt-1), +-50%,
 * or WorkOS's Retry-After up to the client's max_wait_ms.
 */
static long
workos_backoff_ms(const struct workos *w, int attempt, long retry_after_ms)
{
	unsigned int r = 0;
	long base = 200L << (attempt - 1);
	long cap = w->cfg->max_wait_ms > 0 ? w->cfg->max_wait_ms :
	    WORKOS_MAX_WAIT_MS;

	if (retry_after_ms >= 0)
		return retry_after_ms > cap ? cap : retry_after_ms;
	(void)RAND_bytes((unsigned char *)&r, sizeof(r));
	return base / 2 + (long)(r % (unsigned int)(base + 1));
}

/* A backoff cut to what is left of the request's WorkOS time. */
static long
workos_wait_ms(const struct workos *w, long ms)
{
	long long left = w->deadline_ms - clock_now_ms();

	if (w->deadline_ms != 0 && left < ms)
		return left > 0 ? (long)left : 0;
	return ms;
}

static int
workos_transient(long status)
{
	return status == 0 || status == 408 || status == 429 || status >= 500;
}

/*
 * One call: method path (query included) with a JSON body or none, the
 * API key as bearer unless public, retried on transient failures when
 * retry is set.  Fills r; returns 0 when an HTTP answer arrived (any
 * status), -1 when none did.
 */
static int
workos_http(struct workos *w, struct arena *a, const char *method,
    const char *path, const char *body, int public, int retry,
    struct workos_resp *r)
{
	const struct workos_config *cfg = w->cfg;
	struct curl_slist *hdrs = NULL;
	char *url, *idem = NULL;
	int attempt, max = retry ? cfg->max_retries : 0;
	CURLcode cc = CURLE_OK;
	/* Logs name the path, never its query (an e-mail address). */
	const char *shown = arena_strndup(a, path, strcspn(path, "?"));

	url = arena_printf(a, "%s%s", cfg->api_base, path);
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (body != NULL)
		hdrs = curl_slist_append(hdrs,
		    "Content-Type: application/json");
	if (!public && cfg->api_key != NULL)
		hdrs = curl_slist_append(hdrs, arena_printf(a,
		    "Authorization: Bearer %s", cfg->api_key));
	if (strcmp(method, "POST") == 0 && (idem = workos_uuid(a)) != NULL)
		hdrs = curl_slist_append(hdrs, arena_printf(a,
		    "Idempotency-Key: %s", idem));
	hdrs = curl_slist_append(hdrs, "Expect:");

	for (attempt = 0; ; attempt++) {
		long limit;

		memset(r, 0, sizeof(*r));
		buf_init(&r->body, a);
		r->retry_after_ms = -1;
		if (!workos_may_call(w, method, shown, &limit))
			break;
		curl_easy_reset(w->h);
		curl_easy_setopt(w->h, CURLOPT_URL, url);
		curl_easy_setopt(w->h, CURLOPT_CUSTOMREQUEST, method);
		if (body != NULL)
			curl_easy_setopt(w->h, CURLOPT_POSTFIELDS, body);
		else if (strcmp(method, "GET") == 0)
			curl_easy_setopt(w->h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(w->h, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(w->h, CURLOPT_USERAGENT, "eleva/" "0.1");
		curl_easy_setopt(w->h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(w->h, CURLOPT_CONNECTTIMEOUT_MS,
		    cfg->connect_timeout_ms < limit ? cfg->connect_timeout_ms :
		    limit);
		curl_easy_setopt(w->h, CURLOPT_TIMEOUT_MS, limit);
		curl_easy_setopt(w->h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(w->h, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(w->h, CURLOPT_WRITEFUNCTION, workos_write_cb);
		curl_easy_setopt(w->h, CURLOPT_WRITEDATA, &r->body);
		curl_easy_setopt(w->h, CURLOPT_HEADERFUNCTION,
		    workos_header_cb);
		curl_easy_setopt(w->h, CURLOPT_HEADERDATA, r);
		curl_easy_setopt(w->h, CURLOPT_ERRORBUFFER, w->errbuf);
		w->errbuf[0] = '\0';
		cc = curl_easy_perform(w->h);
		if (cc == CURLE_OK)
			curl_easy_getinfo(w->h, CURLINFO_RESPONSE_CODE,
			    &r->status);
		else {
			r->status = 0;
			log_warn("workos: %s %s: %s", method, shown,
			    w->errbuf[0] ? w->errbuf : curl_easy_strerror(cc));
		}
		workos_count(w, r->status);
		if (!workos_transient(r->status) || attempt >= max)
			break;
		log_info("workos: %s %s answered %ld, retrying (%d of %d)",
		    method, shown, r->status, attempt + 1, max);
		workos_sleep_ms(workos_wait_ms(w, workos_backoff_ms(w, attempt + 1,
		    r->retry_after_ms)));
	}
	curl_slist_free_all(hdrs);
	if (r->status == 0)
		return -1;
	if (r->body.len > 0) {
		r->json = jsonh_parse(a, buf_str(&r->body));
	}
	return 0;
}

/* Does the error body name code, at the top or in errors[]? */
static int
workos_has_code(struct json_object *o, const char *code)
{
	struct json_object *errs, *v;
	size_t i;
	const char *keys[] = { "code", "error" };

	if (o == NULL || !json_object_is_type(o, json_type_object))
		return 0;
	for (i = 0; i < 2; i++)
		if (json_object_object_get_ex(o, keys[i], &v) &&
		    json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), code) == 0)
			return 1;
	if (!json_object_object_get_ex(o, "errors", &errs) ||
	    !json_object_is_type(errs, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(errs); i++) {
		struct json_object *e = json_object_array_get_idx(errs, i);

		if (json_object_is_type(e, json_type_object) &&
		    json_object_object_get_ex(e, "code", &v) &&
		    json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), code) == 0)
			return 1;
	}
	return 0;
}

/*
 * Map a finished exchange to an error.  authenticate: a 400/401/403
 * answer means the credentials were refused (invalid_request excepted).
 */
static enum workos_err
workos_classify(struct arena *a, const char *what, int rc,
    struct workos_resp *r, int authenticate)
{
	enum workos_err e;
	const char *code;

	if (rc == -1)
		return WORKOS_UNAVAILABLE;
	if (r->status >= 200 && r->status < 300)
		return WORKOS_OK;
	if (r->status == 404)
		e = WORKOS_NOT_FOUND;
	else if (r->status == 409 || (r->status == 400 &&
	    (workos_has_code(r->json, "email_not_available") ||
	    workos_has_code(r->json, "external_id_already_used"))))
		e = WORKOS_CONFLICT;
	else if (r->status == 429)
		e = WORKOS_RATE_LIMITED;
	else if (r->status == 408 || r->status >= 500)
		e = WORKOS_UNAVAILABLE;
	else if (authenticate && r->status == 403 &&
	    workos_has_code(r->json, "organization_selection_required"))
		e = WORKOS_ORG_SELECTION;
	else if (authenticate && (r->status == 400 || r->status == 403) &&
	    !workos_has_code(r->json, "invalid_request") &&
	    !workos_has_code(r->json, "invalid_client"))
		e = WORKOS_INVALID_GRANT;
	else
		e = WORKOS_REFUSED;
	if ((code = jsonh_str(r->json, "code")) == NULL)
		code = jsonh_str(r->json, "error");
	if (e == WORKOS_REFUSED || e == WORKOS_UNAVAILABLE ||
	    e == WORKOS_RATE_LIMITED)
		log_warn("workos: %s: HTTP %ld %s (request %s)", what,
		    r->status, code ? code : "", r->request_id[0] ?
		    r->request_id : "-");
	else
		log_info("workos: %s: HTTP %ld %s (%s)", what, r->status,
		    code ? code : "", workos_err_str(e));
	return e;
}

/* A successful answer must be a JSON object. */
static enum workos_err
workos_call(struct workos *w, struct arena *a, const char *method,
    const char *path, struct json_object *body, int public, int retry,
    int authenticate, struct json_object **out)
{
	struct workos_resp r;
	const char *json = NULL;
	char *what = arena_printf(a, "%s %s", method, path);
	enum workos_err e;
	char *q;
	int rc;

	if (body != NULL)
		json = arena_strdup(a, json_object_to_json_string_ext(body,
		    JSON_C_TO_STRING_PLAIN));
	/* Logs name the path, never a query (an e-mail address). */
	if ((q = strchr(what, '?')) != NULL)
		*q = '\0';
	rc = workos_http(w, a, method, path, json, public, retry, &r);
	if ((e = workos_classify(a, what, rc, &r, authenticate)) != WORKOS_OK) {
		/* The step-up answer is read by the caller. */
		if (e == WORKOS_ORG_SELECTION && out != NULL)
			*out = r.json;
		return e;
	}
	if (r.json == NULL || !json_object_is_type(r.json, json_type_object)) {
		if (out == NULL)
			return WORKOS_OK;	/* revoke: body ignored */
		log_warn("workos: %s: answer is not a JSON object", what);
		return WORKOS_BAD_RESPONSE;
	}
	if (out != NULL)
		*out = r.json;
	return WORKOS_OK;
}

/* The members of WorkOS's objects that the program reads. */
#define WF(type, key, member, required) \
	{ key, offsetof(struct type, member), required }
static const struct jsonh_field workos_user_fields[] = {
	WF(workos_user, "id", id, 1),
	WF(workos_user, "email", email, 1),
	WF(workos_user, "first_name", first_name, 0),
	WF(workos_user, "last_name", last_name, 0),
	WF(workos_user, "metadata.origin", origin, 0),
};
static const struct jsonh_field workos_org_fields[] = {
	WF(workos_org, "id", id, 1),
	WF(workos_org, "name", name, 0),
	WF(workos_org, "external_id", external_id, 0),
};
static const struct jsonh_field workos_membership_fields[] = {
	WF(workos_membership, "id", id, 1),
	WF(workos_membership, "user_id", user_id, 1),
	WF(workos_membership, "organization_id", organization_id, 1),
	WF(workos_membership, "status", status, 0),
	WF(workos_membership, "role.slug", role, 0),
};
#undef WF
#define NFIELDS(t)	(sizeof(t) / sizeof((t)[0]))

/*
 * Read object o into out through its field table, whose first field is
 * the object's id; refused: a required member missing, or an id without
 * prefix (WorkOS's for the kind; "" where the program checks none).
 */
static enum workos_err
workos_parse(struct json_object *o, const struct jsonh_field *f, size_t n,
    void *out, const char *what, const char *prefix)
{
	const char *id;

	if (jsonh_strs(o, f, n, out) == -1 ||
	    (id = *(const char **)(void *)((char *)out + f[0].offset)) ==
	    NULL ||
	    strncmp(id, prefix, strlen(prefix)) != 0) {
		log_warn("workos: a %s object without its ids", what);
		return WORKOS_BAD_RESPONSE;
	}
	return WORKOS_OK;
}

static enum workos_err
workos_parse_user(struct json_object *o, struct workos_user *u)
{
	struct json_object *v;

	memset(u, 0, sizeof(*u));
	u->email_verified = json_object_object_get_ex(o, "email_verified",
	    &v) && json_object_get_boolean(v);
	return workos_parse(o, workos_user_fields,
	    NFIELDS(workos_user_fields), u, "user", "user_");
}

static enum workos_err
workos_parse_org(struct json_object *o, struct workos_org *g)
{
	memset(g, 0, sizeof(*g));
	return workos_parse(o, workos_org_fields,
	    NFIELDS(workos_org_fields), g, "organization", "org_");
}

static enum workos_err
workos_parse_membership(struct json_object *o, struct workos_membership *m)
{
	memset(m, 0, sizeof(*m));
	return workos_parse(o, workos_membership_fields,
	    NFIELDS(workos_membership_fields), m, "membership", "");
}

/* The "data" array of a list answer, or NULL. */
static struct json_object *
workos_list_data(struct json_object *o)
{
	struct json_object *d;

	if (!json_object_object_get_ex(o, "data", &d) ||
	    !json_object_is_type(d, json_type_array))
		return NULL;
	return d;
}

char *
workos_authorize_url(const struct workos_config *cfg, struct arena *a,
    const char *state, const char *code_challenge, const char *login_hint,
    const char *screen_hint)
{
	struct buf b;

	buf_init(&b, a);
	buf_printf(&b, "%s/user_management/authorize?client_id=%s",
	    cfg->api_base, form_urlencode(a, cfg->client_id));
	if (code_challenge != NULL)
		buf_printf(&b, "&code_challenge=%s&code_challenge_method=S256",
		    form_urlencode(a, code_challenge));
	if (login_hint != NULL)
		buf_printf(&b, "&login_hint=%s", form_urlencode(a, login_hint));
	buf_printf(&b, "&provider=authkit&redirect_uri=%s&response_type=code",
	    form_urlencode(a, cfg->redirect_uri));
	if (screen_hint != NULL)
		buf_printf(&b, "&screen_hint=%s",
		    form_urlencode(a, screen_hint));
	if (state != NULL)
		buf_printf(&b, "&state=%s", form_urlencode(a, state));
	return arena_strdup(a, buf_str(&b));
}

char *
workos_logout_url(const struct workos_config *cfg, struct arena *a,
    const char *session_id, const char *return_to)
{
	char *u = arena_printf(a, "%s/user_management/sessions/logout?"
	    "session_id=%s", cfg->api_base, form_urlencode(a, session_id));

	if (return_to != NULL)
		u = arena_printf(a, "%s&return_to=%s", u,
		    form_urlencode(a, return_to));
	return u;
}

/*
 * A 403 organization_selection_required: the pending token and the ids of
 * the organizations to choose from (WORKOS_BAD_RESPONSE without them).
 */
static enum workos_err
workos_org_choices(struct arena *a, struct json_object *o,
    struct workos_auth *out)
{
	struct json_object *list, *user;
	size_t i, n;

	out->pending_token = jsonh_str(o, "pending_authentication_token");
	if (json_object_object_get_ex(o, "user", &user))
		(void)workos_parse_user(user, &out->user);
	if (out->pending_token == NULL ||
	    !json_object_object_get_ex(o, "organizations", &list) ||
	    !json_object_is_type(list, json_type_array) ||
	    (n = json_object_array_length(list)) == 0 || n > 100) {
		log_warn("workos: organization selection without a token or "
		    "organizations");
		return WORKOS_BAD_RESPONSE;
	}
	out->org_ids = arena_alloc(a, n * sizeof(*out->org_ids));
	for (i = 0; i < n; i++) {
		const char *id = jsonh_str(json_object_array_get_idx(list, i),
		    "id");

		if (id == NULL || strncmp(id, "org_", 4) != 0)
			return WORKOS_BAD_RESPONSE;
		out->org_ids[out->n_orgs++] = id;
	}
	return WORKOS_ORG_SELECTION;
}

/*
 * POST /user_management/authenticate with the grant type and its members,
 * given as key, value pairs ended by a NULL key (a NULL value is left out).
 */
static enum workos_err
workos_authenticate(struct workos *w, struct arena *a,
    struct workos_auth *out, const char *grant_type, ...)
{
	struct json_object *b = jsonh_object(a), *o, *user;
	enum workos_err e;
	const char *key;
	va_list ap;

	memset(out, 0, sizeof(*out));
	jsonh_add_str(b, "grant_type", grant_type);
	va_start(ap, grant_type);
	while ((key = va_arg(ap, const char *)) != NULL)
		jsonh_add_str(b, key, va_arg(ap, const char *));
	va_end(ap);
	jsonh_add_str(b, "client_id", w->cfg->client_id);
	jsonh_add_str(b, "client_secret", w->cfg->api_key);
	e = workos_call(w, a, "POST", "/user_management/authenticate", b, 0,
	    WORKOS_ONCE, 1, &o);
	if (e == WORKOS_ORG_SELECTION)
		return workos_org_choices(a, o, out);
	if (e != WORKOS_OK)
		return e;
	if (!json_object_object_get_ex(o, "user", &user) ||
	    workos_parse_user(user, &out->user) != WORKOS_OK)
		return WORKOS_BAD_RESPONSE;
	out->access_token = jsonh_str(o, "access_token");
	out->refresh_token = jsonh_str(o, "refresh_token");
	out->organization_id = jsonh_str(o, "organization_id");
	if (out->access_token == NULL || out->refresh_token == NULL) {
		log_warn("workos: authenticate answered without tokens");
		return WORKOS_BAD_RESPONSE;
	}
	return WORKOS_OK;
}

enum workos_err
workos_authenticate_code(struct workos *w, struct arena *a, const char *code,
    const char *verifier, struct workos_auth *out)
{
	return workos_authenticate(w, a, out, "authorization_code",
	    "code", code, "code_verifier", verifier, (const char *)NULL);
}

enum workos_err
workos_authenticate_refresh(struct workos *w, struct arena *a,
    const char *refresh_token, const char *organization_id,
    struct workos_auth *out)
{
	return workos_authenticate(w, a, out, "refresh_token",
	    "refresh_token", refresh_token, "organization_id",
	    organization_id, (const char *)NULL);
}

enum workos_err
workos_authenticate_org(struct workos *w, struct arena *a,
    const char *pending_token, const char *organization_id,
    struct workos_auth *out)
{
	return workos_authenticate(w, a, out,
	    "urn:workos:oauth:grant-type:organization-selection",
	    "pending_authentication_token", pending_token, "organization_id",
	    organization_id, (const char *)NULL);
}

enum workos_err
workos_authenticate_magic(struct workos *w, struct arena *a,
    const char *email, const char *code, struct workos_auth *out)
{
	return workos_authenticate(w, a, out,
	    "urn:workos:oauth:grant-type:magic-auth:code",
	    "email", email, "code", code, (const char *)NULL);
}

enum workos_err
workos_user_create(struct workos *w, struct arena *a, const char *email,
    const char *first_name, const char *last_name, int email_verified,
    const char *metadata_json, struct workos_user *u)
{
	struct workos_new_user n = { email, first_name, last_name,
	    email_verified, metadata_json, NULL, NULL };

	return workos_user_make(w, a, &n, u);
}

enum workos_err
workos_user_make(struct workos *w, struct arena *a,
    const struct workos_new_user *n, struct workos_user *u)
{
	struct json_object *b = jsonh_object(a), *o, *md;
	const char *metadata_json = n->metadata_json;
	enum workos_err e;

	jsonh_add_str(b, "email", n->email);
	jsonh_add_str(b, "first_name", n->first_name);
	jsonh_add_str(b, "last_name", n->last_name);
	json_object_object_add(b, "email_verified",
	    json_object_new_boolean(n->email_verified));
	if (n->password_hash != NULL && n->password_hash_type != NULL) {
		jsonh_add_str(b, "password_hash", n->password_hash);
		jsonh_add_str(b, "password_hash_type", n->password_hash_type);
	}
	if (metadata_json != NULL) {
		if ((md = jsonh_parse(a, metadata_json)) == NULL)
			return WORKOS_REFUSED;
		/* The body takes a reference of its own: the arena keeps one. */
		json_object_object_add(b, "metadata", json_object_get(md));
	}
	e = workos_call(w, a, "POST", "/user_management/users", b, 0,
	    WORKOS_RETRY, 0, &o);
	return e != WORKOS_OK ? e : workos_parse_user(o, u);
}

enum workos_err
workos_user_by_email(struct workos *w, struct arena *a, const char *email,
    struct workos_user *u)
{
	struct json_object *o, *d;
	enum workos_err e;
	size_t i;

	e = workos_call(w, a, "GET", arena_printf(a,
	    "/user_management/users?email=%s&limit=10",
	    form_urlencode(a, email)), NULL, 0, WORKOS_RETRY, 0, &o);
	if (e != WORKOS_OK)
		return e;
	if ((d = workos_list_data(o)) == NULL)
		return WORKOS_BAD_RESPONSE;
	for (i = 0; i < json_object_array_length(d); i++) {
		struct json_object *it = json_object_array_get_idx(d, i);

		if (workos_parse_user(it, u) == WORKOS_OK &&
		    strcasecmp(u->email, email) == 0)
			return WORKOS_OK;
	}
	memset(u, 0, sizeof(*u));
	return WORKOS_NOT_FOUND;
}

/* GET /user_management/users/<id> into u, retried or not. */
static enum workos_err
workos_user_fetch(struct workos *w, struct arena *a, const char *id,
    int retry, struct workos_user *u)
{
	struct json_object *o;
	enum workos_err e;

	e = workos_call(w, a, "GET", arena_printf(a, "/user_management/users/%s",
	    form_urlencode(a, id)), NULL, 0, retry, 0, &o);
	return e != WORKOS_OK ? e : workos_parse_user(o, u);
}

enum workos_err
workos_user_get(struct workos *w, struct arena *a, const char *id,
    struct workos_user *u)
{
	return workos_user_fetch(w, a, id, WORKOS_RETRY, u);
}

enum workos_err
workos_user_peek(struct workos *w, struct arena *a, const char *id,
    struct workos_user *u)
{
	return workos_user_fetch(w, a, id, WORKOS_ONCE, u);
}

enum workos_err
workos_org_create(struct workos *w, struct arena *a, const char *name,
    const char *external_id, struct workos_org *g)
{
	struct json_object *b = jsonh_object(a), *o;
	enum workos_err e;

	jsonh_add_str(b, "name", name);
	jsonh_add_str(b, "external_id", external_id);
	e = workos_call(w, a, "POST", "/organizations", b, 0, WORKOS_RETRY, 0,
	    &o);
	return e != WORKOS_OK ? e : workos_parse_org(o, g);
}

/* GET /organizations/<prefix><key> into g. */
static enum workos_err
workos_org_at(struct workos *w, struct arena *a, const char *prefix,
    const char *key, struct workos_org *g)
{
	struct json_object *o;
	enum workos_err e;

	e = workos_call(w, a, "GET", arena_printf(a, "/organizations/%s%s",
	    prefix, form_urlencode(a, key)), NULL, 0, WORKOS_RETRY, 0, &o);
	return e != WORKOS_OK ? e : workos_parse_org(o, g);
}

enum workos_err
workos_org_get(struct workos *w, struct arena *a, const char *id,
    struct workos_org *g)
{
	return workos_org_at(w, a, "", id, g);
}

enum workos_err
workos_org_by_external_id(struct workos *w, struct arena *a,
    const char *external_id, struct workos_org *g)
{
	return workos_org_at(w, a, "external_id/", external_id, g);
}

enum workos_err
workos_membership_create(struct workos *w, struct arena *a,
    const char *user_id, const char *organization_id, const char *role_slug,
    struct workos_membership *m)
{
	struct json_object *b = jsonh_object(a), *o;
	enum workos_err e;

	jsonh_add_str(b, "user_id", user_id);
	jsonh_add_str(b, "organization_id", organization_id);
	jsonh_add_str(b, "role_slug", role_slug);
	e = workos_call(w, a, "POST", "/user_management/organization_memberships",
	    b, 0, WORKOS_RETRY, 0, &o);
	return e != WORKOS_OK ? e : workos_parse_membership(o, m);
}

enum workos_err
workos_memberships_by_user(struct workos *w, struct arena *a,
    const char *user_id, struct workos_membership **out, size_t *n)
{
	struct json_object *o, *d;
	struct workos_membership *v;
	enum workos_err e;
	size_t i, len;

	*out = NULL;
	*n = 0;
	e = workos_call(w, a, "GET", arena_printf(a,
	    "/user_management/organization_memberships?user_id=%s&limit=100",
	    form_urlencode(a, user_id)), NULL, 0, WORKOS_RETRY, 0, &o);
	if (e != WORKOS_OK)
		return e;
	if ((d = workos_list_data(o)) == NULL)
		return WORKOS_BAD_RESPONSE;
	len = json_object_array_length(d);
	v = arena_calloc(a, len + 1, sizeof(*v));
	for (i = 0; i < len; i++) {
		struct workos_membership m;

		if (workos_parse_membership(json_object_array_get_idx(d, i),
		    &m) != WORKOS_OK)
			return WORKOS_BAD_RESPONSE;
		/* The emulator ignores the default status filter. */
		if (m.status != NULL && strcmp(m.status, "active") != 0)
			continue;
		v[(*n)++] = m;
	}
	*out = v;
	return WORKOS_OK;
}

enum workos_err
workos_magic_auth_create(struct workos *w, struct arena *a, const char *email)
{
	struct json_object *b = jsonh_object(a), *o;

	jsonh_add_str(b, "email", email);
	return workos_call(w, a, "POST", "/user_management/magic_auth", b, 0,
	    WORKOS_RETRY, 0, &o);
}

enum workos_err
workos_session_revoke(struct workos *w, struct arena *a,
    const char *session_id)
{
	struct json_object *b = jsonh_object(a);
	enum workos_err e;

	jsonh_add_str(b, "session_id", session_id);
	e = workos_call(w, a, "POST", "/user_management/sessions/revoke", b, 0,
	    WORKOS_RETRY, 0, NULL);
	/* Already ended (404, or 400 for an id it no longer knows): done. */
	return e == WORKOS_NOT_FOUND ? WORKOS_OK : e;
}

/* DELETE path: done when WorkOS has it no more (404 included). */
static enum workos_err
workos_delete(struct workos *w, struct arena *a, const char *path)
{
	enum workos_err e;

	e = workos_call(w, a, "DELETE", path, NULL, 0, WORKOS_RETRY, 0, NULL);
	return e == WORKOS_NOT_FOUND ? WORKOS_OK : e;
}

enum workos_err
workos_user_delete(struct workos *w, struct arena *a, const char *id)
{
	return workos_delete(w, a, arena_printf(a, "/user_management/users/%s",
	    form_urlencode(a, id)));
}

enum workos_err
workos_org_delete(struct workos *w, struct arena *a, const char *id)
{
	return workos_delete(w, a, arena_printf(a, "/organizations/%s",
	    form_urlencode(a, id)));
}

char *
workos_jwks_fetch(void *arg)
{
	struct workos *w = arg;
	struct workos_resp r;
	struct arena a;
	char *doc = NULL;
	int rc;

	if (arena_init(&a) == -1)
		return NULL;
	rc = workos_http(w, &a, "GET", arena_printf(&a, "/sso/jwks/%s",
	    form_urlencode(&a, w->cfg->client_id)), NULL, 1, WORKOS_RETRY, &r);
	if (workos_classify(&a, "GET /sso/jwks", rc, &r, 0) == WORKOS_OK &&
	    r.body.len > 0)
		doc = strdup(buf_str(&r.body));
	arena_free(&a);
	return doc;
}
