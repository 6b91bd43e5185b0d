/*
 * fuzz_webhook: a WorkOS webhook delivery from arbitrary bytes, read as
 * pages/webhooks_workos.c reads it.
 *
 * Input: the WorkOS-Signature header's value, a newline, the body.  The
 * header is parsed (sig_parse) and checked against SECRET at NOW: only
 * the seeds signed with it (their v1 in signed_hex[]) may pass, and
 * nothing passes under another secret.  The body is taken as the page
 * takes it (UTF-8, jsonh_parse_n, then id, event, created_at and the data
 * object): what is accepted holds no NUL, raw or escaped, nor a number
 * that is not JSON, and the data's text (what the database is given)
 * reads back as the same value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/arena.h"
#include "core/form.h"
#include "lib/jsonh.h"
#include "lib/log.h"
#include "lib/sig.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define SECRET	"whsec_fuzz_0123456789"
#define NOW	1900000000LL
#define WINDOW	180		/* as WORKOS_WEBHOOK_WINDOW */

/* HMAC-SHA256 under SECRET of the signed seeds' "<t>.<body>". */
static const char *const signed_hex[] = {
	/* signed-user-updated-ms, signed-rotated-secret */
	"c96fa90ae220dedaf2e95c5fb44df4375861393de88c8050abe5b9759f749e0f",
	/* signed-membership-seconds */
	"17bbf8a9a82428166a984095907e334f14329dfc8fc372f5198ad3631084dcdc",
};

static void
check_header(struct arena *a, const char *hdr, const char *body,
    size_t blen)
{
	struct sig_header h;
	size_t i, k;
	int known = 0;

	if (sig_parse(a, hdr, &h) == -1)
		return;
	if (h.ts == NULL || h.n == 0 || h.n > SIG_MAX ||
	    strchr(h.ts, ',') != NULL)
		abort();
	for (i = 0; i < h.n; i++) {
		if (h.v1[i] == NULL || strchr(h.v1[i], ',') != NULL)
			abort();
		for (k = 0; k < sizeof(signed_hex) / sizeof(signed_hex[0]); k++)
			if (strcmp(h.v1[i], signed_hex[k]) == 0)
				known = 1;
	}
	if (sig_check_header(a, SECRET, &h, body, blen, NOW, WINDOW) ==
	    NULL && !known)
		abort();
	if (sig_check_header(a, SECRET "x", &h, body, blen, NOW, WINDOW) ==
	    NULL)
		abort();
}

/* A number's text as JSON (RFC 8259) has it. */
static int
json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return 0;
	if (*s == '.') {
		if (s[1] < '0' || s[1] > '9')
			return 0;
		s += 1 + strspn(s + 1, "0123456789");
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		s += strspn(s, "0123456789");
	}
	return *s == '\0';
}

/* No string with a NUL in it, no number JSON cannot write, anywhere. */
static void
walk(struct json_object *v)
{
	struct json_object_iterator it, end;
	size_t i, n;

	switch (json_object_get_type(v)) {
	case json_type_string:
		if (strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v))
			abort();
		break;
	case json_type_double:
	case json_type_int:
		if (!json_number(json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN)))
			abort();
		break;
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			walk(json_object_array_get_idx(v, i));
		break;
	case json_type_object:
		it = json_object_iter_begin(v);
		end = json_object_iter_end(v);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it))
			walk(json_object_iter_peek_value(&it));
		break;
	default:
		break;
	}
}

/*
 * a and b hold the same JSON value.  Numbers compare as numbers: json-c
 * reads 0e and -0E+ as doubles and writes them 0 and -0, which read back
 * as integers; and 2225E (a double, written 2225) past 64 bits reads
 * back as an integer it clamps.
 */
static int
same_value(struct json_object *a, struct json_object *b)
{
	struct json_object_iterator it, end;
	struct json_object *bv;
	enum json_type ta = json_object_get_type(a);
	enum json_type tb = json_object_get_type(b);
	double da, db;
	size_t i, n;

	if ((ta == json_type_int || ta == json_type_double) &&
	    (tb == json_type_int || tb == json_type_double)) {
		da = json_object_get_double(a);
		db = json_object_get_double(b);
		/*
		 * json-c reads an integer past 64 bits as the nearest
		 * limit (INT64_MIN, UINT64_MAX): known, left to the report.
		 */
		return da == db || (tb == json_type_int &&
		    ((db >= 9.2e18 && da >= db) || (db <= -9.2e18 && da <= db)));
	}
	if (ta != tb)
		return 0;
	switch (ta) {
	case json_type_string:
		return json_object_get_string_len(a) ==
		    json_object_get_string_len(b) &&
		    memcmp(json_object_get_string(a), json_object_get_string(b),
		    (size_t)json_object_get_string_len(a)) == 0;
	case json_type_boolean:
		return json_object_get_boolean(a) == json_object_get_boolean(b);
	case json_type_array:
		n = json_object_array_length(a);
		if (n != json_object_array_length(b))
			return 0;
		for (i = 0; i < n; i++)
			if (!same_value(json_object_array_get_idx(a, i),
			    json_object_array_get_idx(b, i)))
				return 0;
		return 1;
	case json_type_object:
		if (json_object_object_length(a) !=
		    json_object_object_length(b))
			return 0;
		it = json_object_iter_begin(a);
		end = json_object_iter_end(a);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it))
			if (!json_object_object_get_ex(b,
			    json_object_iter_peek_name(&it), &bv) ||
			    !same_value(json_object_iter_peek_value(&it), bv))
				return 0;
		return 1;
	default:
		return 1;	/* null */
	}
}

static void
check_body(struct arena *a, const char *body, size_t blen)
{
	struct json_object *o, *data, *back;
	const char *id, *event, *created, *text;

	/* JSON is UTF-8 text: the page refuses anything else first. */
	if (!form_utf8_valid(body, blen) ||
	    (o = jsonh_parse_n(a, body, blen)) == NULL)
		return;
	if (memchr(body, '\0', blen) != NULL)
		abort();
	walk(o);
	if ((id = jsonh_str(o, "id")) == NULL ||
	    (event = jsonh_str(o, "event")) == NULL ||
	    (created = jsonh_str(o, "created_at")) == NULL ||
	    !jsonh_is_object(data = jsonh_get(o, "data")))
		return;
	if (!form_utf8_valid(id, strlen(id)) ||
	    !form_utf8_valid(event, strlen(event)) ||
	    !form_utf8_valid(created, strlen(created)))
		abort();
	text = jsonh_text(a, data);
	if (!form_utf8_valid(text, strlen(text)) ||
	    (back = jsonh_parse(a, text)) == NULL || !same_value(data, back))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	const char *p = (const char *)data, *nl, *body;
	size_t blen;
	char *hdr;

	if (a.first == NULL) {
		log_set_level(LOG_ERROR + 1);
		if (arena_init(&a) == -1)
			abort();
	}
	if ((nl = memchr(p, '\n', size)) == NULL)
		nl = p + size;
	/* Header values are C strings (FastCGI parameters). */
	hdr = arena_strndup(&a, p, (size_t)(nl - p));
	body = nl < p + size ? nl + 1 : nl;
	blen = (size_t)(p + size - body);
	check_header(&a, hdr, body, blen);
	check_body(&a, body, blen);
	if (sig_parse(&a, NULL, &(struct sig_header){ 0 }) != -1)
		abort();
	arena_reset(&a);
	return 0;
}
