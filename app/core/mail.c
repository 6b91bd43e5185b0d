/* mail: the SMTP client (libcurl, one handle per process): one message, its envelope, TLS, AUTH, the outcome sorted. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/mime.h"
#include "core/mail.h"

/* The longest a connection may take, within the message's timeout. */
#define MAIL_CONNECT_MS	10000

struct mail {
	const struct mail_config	*cfg;
	CURL				*h;
	char				 errbuf[CURL_ERROR_SIZE];
};

/* The message as libcurl reads it. */
struct mail_upload {
	const char	*p;
	size_t		 left;
};

/*
 * What the conversation came to, from libcurl's trace: the last command
 * sent (its verb only: what follows may be an address or, after AUTH,
 * the credentials) and the server's last reply line.
 */
struct mail_trace {
	char	verb[12];
	char	reply[160];
	int	quit;		/* QUIT sent: its 221 is no news */
};

struct mail *
mail_new(const struct mail_config *cfg)
{
	struct mail *m;

	if (cfg == NULL || cfg->url == NULL ||
	    curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->cfg = cfg;
	if ((m->h = curl_easy_init()) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
mail_free(struct mail *m)
{
	if (m == NULL)
		return;
	curl_easy_cleanup(m->h);
	free(m);
}

const char *
mail_result_str(enum mail_result r)
{
	switch (r) {
	case MAIL_SENT:		return "sent";
	case MAIL_RETRY:	return "retry";
	case MAIL_REJECTED:	return "rejected";
	}
	return "?";
}

static size_t
mail_read_cb(char *dst, size_t size, size_t n, void *ud)
{
	struct mail_upload *u = ud;
	size_t k = size * n < u->left ? size * n : u->left;

	memcpy(dst, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

/*
 * dst = the line src[0..n) without its line end, control characters as
 * spaces, every word holding an '@' as "<address>" (a reply may quote
 * the recipient; logs name no one).
 */
static void
mail_scrub(char *dst, size_t dstlen, const char *src, size_t n)
{
	size_t i, j = 0, w;

	while (n > 0 && (src[n - 1] == '\r' || src[n - 1] == '\n'))
		n--;
	for (i = 0; i < n && j + 1 < dstlen; ) {
		if (src[i] == ' ') {
			dst[j++] = src[i++];
			continue;
		}
		for (w = i; w < n && src[w] != ' '; w++)
			;
		if (memchr(src + i, '@', w - i) != NULL) {
			j += (size_t)snprintf(dst + j, dstlen - j, "<address>");
			if (j >= dstlen)
				j = dstlen - 1;
			i = w;
			continue;
		}
		for (; i < w && j + 1 < dstlen; i++)
			dst[j++] = (unsigned char)src[i] < 0x20 ||
			    src[i] == 0x7f ? ' ' : src[i];
	}
	dst[j] = '\0';
}

static int
mail_debug_cb(CURL *h, curl_infotype type, char *data, size_t size,
    void *ud)
{
	static const char *const verbs[] = { "EHLO", "HELO", "STARTTLS",
	    "AUTH", "MAIL", "RCPT", "DATA", "RSET", NULL };
	struct mail_trace *t = ud;
	size_t i, n;

	(void)h;
	if (type == CURLINFO_HEADER_OUT) {
		for (n = 0; n < size && data[n] != ' ' && data[n] != '\r' &&
		    data[n] != '\n'; n++)
			;
		if (n == 4 && strncmp(data, "QUIT", 4) == 0)
			t->quit = 1;
		/* Only a verb: an AUTH continuation is the credentials. */
		for (i = 0; verbs[i] != NULL; i++)
			if (strlen(verbs[i]) == n &&
			    strncmp(data, verbs[i], n) == 0) {
				memcpy(t->verb, data, n);
				t->verb[n] = '\0';
			}
	} else if (type == CURLINFO_HEADER_IN && size >= 3 && !t->quit)
		mail_scrub(t->reply, sizeof(t->reply), data, size);
	return 0;
}

/*
 * The outcome of a failed transfer: a 5xx to the envelope or the data is
 * the message's own (rejected), except the 5xx of authentication and
 * TLS (530, 534, 535, 538: the configuration's); everything else may
 * work later.
 */
static enum mail_result
mail_classify(const char *verb, long code)
{
	if (code >= 500 && code <= 599 && code != 530 && code != 534 &&
	    code != 535 && code != 538 && (strcmp(verb, "MAIL") == 0 ||
	    strcmp(verb, "RCPT") == 0 || strcmp(verb, "DATA") == 0))
		return MAIL_REJECTED;
	return MAIL_RETRY;
}

enum mail_result
mail_send(struct mail *m, const char *from_addr, const char *to_addr,
    const char *msg, size_t len, char *err, size_t errlen)
{
	const struct mail_config *cfg = m->cfg;
	struct curl_slist *rcpt = NULL;
	struct mail_upload up = { msg, len };
	struct mail_trace tr;
	enum mail_result r;
	char from[300], to[300];
	long code = 0, limit;
	CURLcode cc;

	if (!mime_addr_ok(from_addr) || !mime_addr_ok(to_addr) ||
	    msg == NULL || len == 0) {
		snprintf(err, errlen, "not sent: an address or the message "
		    "is not valid");
		log_warn("mail: %s", err);
		return MAIL_REJECTED;
	}
	snprintf(from, sizeof(from), "<%s>", from_addr);
	snprintf(to, sizeof(to), "<%s>", to_addr);
	if ((rcpt = curl_slist_append(NULL, to)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return MAIL_RETRY;
	}
	memset(&tr, 0, sizeof(tr));
	limit = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;

	curl_easy_reset(m->h);
	curl_easy_setopt(m->h, CURLOPT_URL, cfg->url);
	curl_easy_setopt(m->h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(m->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(m->h, CURLOPT_CONNECTTIMEOUT_MS,
	    limit < MAIL_CONNECT_MS ? limit : MAIL_CONNECT_MS);
	curl_easy_setopt(m->h, CURLOPT_TIMEOUT_MS, limit);
	curl_easy_setopt(m->h, CURLOPT_USE_SSL,
	    cfg->tls == MAIL_TLS_REQUIRED ? (long)CURLUSESSL_ALL :
	    cfg->tls == MAIL_TLS_TRY ? (long)CURLUSESSL_TRY :
	    (long)CURLUSESSL_NONE);
	if (cfg->ca_file != NULL)
		curl_easy_setopt(m->h, CURLOPT_CAINFO, cfg->ca_file);
	if (cfg->user != NULL) {
		curl_easy_setopt(m->h, CURLOPT_USERNAME, cfg->user);
		curl_easy_setopt(m->h, CURLOPT_PASSWORD,
		    cfg->password != NULL ? cfg->password : "");
	}
	curl_easy_setopt(m->h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(m->h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(m->h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(m->h, CURLOPT_READFUNCTION, mail_read_cb);
	curl_easy_setopt(m->h, CURLOPT_READDATA, &up);
	curl_easy_setopt(m->h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	/* The trace, for the verb and the reply; nothing is printed. */
	curl_easy_setopt(m->h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(m->h, CURLOPT_DEBUGFUNCTION, mail_debug_cb);
	curl_easy_setopt(m->h, CURLOPT_DEBUGDATA, &tr);
	curl_easy_setopt(m->h, CURLOPT_ERRORBUFFER, m->errbuf);
	m->errbuf[0] = '\0';

	cc = curl_easy_perform(m->h);
	curl_easy_getinfo(m->h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	/* The options point at this call's memory: forget them. */
	curl_easy_setopt(m->h, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(m->h, CURLOPT_READDATA, NULL);
	curl_easy_setopt(m->h, CURLOPT_DEBUGDATA, NULL);

	if (cc == CURLE_OK) {
		snprintf(err, errlen, "%s", tr.reply[0] != '\0' ? tr.reply :
		    "sent");
		log_info("mail: sent, %zu bytes: %s", len, err);
		return MAIL_SENT;
	}
	r = mail_classify(tr.verb, code);
	if (code >= 400 && tr.reply[0] != '\0')
		snprintf(err, errlen, "%s: %s", tr.verb[0] != '\0' ?
		    tr.verb : "connect", tr.reply);
	else {
		char scrubbed[CURL_ERROR_SIZE];
		const char *why = m->errbuf[0] != '\0' ? m->errbuf :
		    curl_easy_strerror(cc);

		mail_scrub(scrubbed, sizeof(scrubbed), why, strlen(why));
		snprintf(err, errlen, "%s", scrubbed);
	}
	log_warn("mail: %s (%s)", err, mail_result_str(r));
	return r;
}
