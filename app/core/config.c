/* config: defaults, environment and flags into one validated struct. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/crypt.h"
#include "lib/log.h"
#include "lib/mime.h"
#include "core/config.h"
#include "core/form.h"
#include "core/mail.h"

/* Where make install puts templates/, static/ and sql/ ($(pkgdatadir)). */
#ifndef ELEVA_DATADIR
#define ELEVA_DATADIR "/usr/local/share/eleva"
#endif

enum config_kind {
	CONFIG_STR,
	CONFIG_INT,	/* decimal, within [min, max] */
	CONFIG_MODE,	/* octal permissions */
	CONFIG_LEVEL,	/* log level name */
	CONFIG_SECRET,	/* a string never quoted in messages */
	CONFIG_TLS,	/* none, try, required: enum mail_tls */
};

struct config_opt {
	const char		*flag;	/* --flag */
	const char		*env;
	enum config_kind	 kind;
	size_t			 off;	/* into struct config */
	long			 min, max;
};

#define OFF(f)	offsetof(struct config, f)

static const struct config_opt config_opts[] = {
	{ "listen", "ELEVA_LISTEN", CONFIG_STR, OFF(listen), 0, 0 },
	{ "socket-mode", "ELEVA_SOCKET_MODE", CONFIG_MODE, OFF(socket_mode), 0, 0777 },
	{ "socket-group", "ELEVA_SOCKET_GROUP", CONFIG_STR, OFF(socket_group), 0, 0 },
	{ "workers", "ELEVA_WORKERS", CONFIG_INT, OFF(workers), 1, 256 },
	{ "max-requests", "ELEVA_MAX_REQUESTS", CONFIG_INT, OFF(max_requests), 0, 1000000000 },
	{ "crash-limit", "ELEVA_CRASH_LIMIT", CONFIG_INT, OFF(crash_limit), 1, 1000 },
	{ "crash-window", "ELEVA_CRASH_WINDOW", CONFIG_INT, OFF(crash_window), 1, 86400 },
	{ "stop-timeout", "ELEVA_STOP_TIMEOUT", CONFIG_INT, OFF(stop_timeout), 1, 3600 },
	{ "request-timeout", "ELEVA_REQUEST_TIMEOUT", CONFIG_INT, OFF(request_timeout), 1, 3600 },
	{ "root", "ELEVA_ROOT", CONFIG_STR, OFF(root), 0, 0 },
	{ "user", "ELEVA_USER", CONFIG_STR, OFF(user), 0, 0 },
	{ "log-level", "ELEVA_LOG_LEVEL", CONFIG_LEVEL, OFF(log_level), 0, 0 },
	{ "database-url", "DATABASE_URL", CONFIG_STR, OFF(database_url), 0, 0 },
	{ "database-replica-url", "DATABASE_REPLICA_URL", CONFIG_STR, OFF(database_replica_url), 0, 0 },
	{ "replica-max-lag", "ELEVA_REPLICA_MAX_LAG_MS", CONFIG_INT, OFF(replica_max_lag_ms), 10, 600000 },
	{ "database-prepare", "DATABASE_PREPARE", CONFIG_INT, OFF(database_prepare), 0, 1 },
	{ "app-base-url", "APP_BASE_URL", CONFIG_STR, OFF(app_base_url), 0, 0 },
	{ "workos-api-key", "WORKOS_API_KEY", CONFIG_SECRET, OFF(workos_api_key), 0, 0 },
	{ "workos-client-id", "WORKOS_CLIENT_ID", CONFIG_STR, OFF(workos_client_id), 0, 0 },
	{ "workos-api-base", "WORKOS_API_BASE", CONFIG_STR, OFF(workos_api_base), 0, 0 },
	{ "workos-redirect-uri", "WORKOS_REDIRECT_URI", CONFIG_STR, OFF(workos_redirect_uri), 0, 0 },
	{ "workos-issuer", "WORKOS_ISSUER", CONFIG_STR, OFF(workos_issuer), 0, 0 },
	{ "workos-connect-timeout", "WORKOS_CONNECT_TIMEOUT_MS", CONFIG_INT, OFF(workos_connect_timeout_ms), 50, 60000 },
	{ "workos-timeout", "WORKOS_TIMEOUT_MS", CONFIG_INT, OFF(workos_timeout_ms), 100, 60000 },
	{ "workos-retries", "WORKOS_RETRIES", CONFIG_INT, OFF(workos_retries), 0, 5 },
	{ "workos-budget", "WORKOS_BUDGET_MS", CONFIG_INT, OFF(workos_budget_ms), 100, 60000 },
	{ "session-keys", "SESSION_KEYS", CONFIG_SECRET, OFF(session_keys), 0, 0 },
	{ "session-idle", "SESSION_IDLE", CONFIG_INT, OFF(session_idle), 60, 31536000 },
	{ "session-absolute", "SESSION_ABSOLUTE", CONFIG_INT, OFF(session_absolute), 60, 31536000 },
	{ "demo-accounts", "ELEVA_DEMO_ACCOUNTS", CONFIG_INT, OFF(demo_accounts), 0, 1 },
	{ "booking-limit-address", "ELEVA_BOOKING_LIMIT_ADDRESS", CONFIG_INT, OFF(booking_limit_address), 0, 1000000 },
	{ "booking-limit-ip", "ELEVA_BOOKING_LIMIT_IP", CONFIG_INT, OFF(booking_limit_ip), 0, 1000000 },
	{ "list-cache", "ELEVA_LIST_CACHE", CONFIG_INT, OFF(list_cache), 0, 3600 },
	{ "webhook-secret", "WEBHOOK_SECRET", CONFIG_SECRET, OFF(webhook_secret), 0, 0 },
	{ "workos-webhook-secret", "WORKOS_WEBHOOK_SECRET", CONFIG_SECRET, OFF(workos_webhook_secret), 0, 0 },
	{ "identity-key", "ELEVA_IDENTITY_KEY", CONFIG_SECRET, OFF(identity_key), 0, 0 },
	{ "smtp-url", "SMTP_URL", CONFIG_STR, OFF(smtp_url), 0, 0 },
	{ "smtp-user", "SMTP_USER", CONFIG_STR, OFF(smtp_user), 0, 0 },
	{ "smtp-password", "SMTP_PASSWORD", CONFIG_SECRET, OFF(smtp_password), 0, 0 },
	{ "smtp-tls", "SMTP_TLS", CONFIG_TLS, OFF(smtp_tls), 0, 0 },
	{ "smtp-ca-file", "SMTP_CA_FILE", CONFIG_STR, OFF(smtp_ca_file), 0, 0 },
	{ "smtp-timeout", "SMTP_TIMEOUT_MS", CONFIG_INT, OFF(smtp_timeout_ms), 1000, 600000 },
	{ "mail-from", "MAIL_FROM", CONFIG_STR, OFF(mail_from), 0, 0 },
	{ "mail-poll", "ELEVA_MAIL_POLL_MS", CONFIG_INT, OFF(mail_poll_ms), 100, 600000 },
	{ "mail-lease", "ELEVA_MAIL_LEASE", CONFIG_INT, OFF(mail_lease), 10, 3600 },
};

#define NOPTS	(sizeof(config_opts) / sizeof(config_opts[0]))

const char *
config_root(void)
{
	const char *r = getenv("ELEVA_ROOT");

	return r != NULL && *r != '\0' ? r : ELEVA_DATADIR;
}

const char config_usage[] =
"usage: eleva serve [--listen unix:PATH|HOST:PORT] [--workers N]\n"
"           [--socket-mode OCTAL] [--socket-group GROUP] [--max-requests N]\n"
"           [--crash-limit K] [--crash-window SECONDS] [--stop-timeout SECONDS]\n"
"           [--request-timeout SECONDS] [--root DIR] [--user USER]\n"
"           [--log-level debug|info|warn|error] [--database-url URL]\n"
"           [--database-replica-url URL] [--replica-max-lag MS]\n"
"           [--database-prepare 0|1]\n"
"           [--app-base-url URL] [--workos-client-id ID]\n"
"           [--workos-api-base URL] [--workos-redirect-uri URL]\n"
"           [--workos-issuer ISS] [--workos-connect-timeout MS]\n"
"           [--workos-timeout MS] [--workos-retries N] [--session-idle S]\n"
"           [--session-absolute S] [--demo-accounts 0|1]\n"
"           [--booking-limit-address N] [--booking-limit-ip N]\n"
"           [--list-cache SECONDS] [--smtp-url smtp://HOST:PORT]\n"
"           [--smtp-user USER] [--smtp-tls none|try|required]\n"
"           [--smtp-ca-file FILE] [--smtp-timeout MS]\n"
"           [--mail-from 'NAME <ADDRESS>'] [--mail-poll MS]\n"
"           [--mail-lease SECONDS]\n"
"Each flag can also be given as an environment variable: ELEVA_LISTEN,\n"
"ELEVA_WORKERS, ... (DATABASE_URL, APP_BASE_URL, WORKOS_*, SESSION_*,\n"
"SMTP_*, MAIL_FROM as named in the README).  Secrets (WORKOS_API_KEY,\n"
"SESSION_KEYS, WEBHOOK_SECRET, WORKOS_WEBHOOK_SECRET, ELEVA_IDENTITY_KEY,\n"
"SMTP_PASSWORD) belong in the environment, not on a command line.\n";

static int
config_set(struct config *cfg, const struct config_opt *o, const char *v,
    char *err, size_t errlen)
{
	char *end;
	long n;
	void *field = (char *)cfg + o->off;

	switch (o->kind) {
	case CONFIG_SECRET:
	case CONFIG_STR:
		if (*v == '\0') {
			snprintf(err, errlen, "%s: empty value", o->env);
			return -1;
		}
		*(const char **)field = v;
		return 0;
	case CONFIG_INT:
	case CONFIG_MODE:
		errno = 0;
		n = strtol(v, &end, o->kind == CONFIG_MODE ? 8 : 10);
		if (errno != 0 || end == v || *end != '\0' || n < o->min ||
		    n > o->max) {
			snprintf(err, errlen, "%s: \"%s\" is not %s between "
			    "%ld and %ld", o->env, v, o->kind == CONFIG_MODE ?
			    "an octal mode" : "a number", o->min, o->max);
			return -1;
		}
		if (o->off == OFF(max_requests))
			cfg->max_requests = n;
		else if (o->kind == CONFIG_MODE)
			cfg->socket_mode = (unsigned)n;
		else
			*(int *)field = (int)n;
		return 0;
	case CONFIG_LEVEL:
		if ((n = log_level_parse(v)) < 0) {
			snprintf(err, errlen, "%s: \"%s\" is not one of debug, "
			    "info, warn, error", o->env, v);
			return -1;
		}
		cfg->log_level = (int)n;
		return 0;
	case CONFIG_TLS:
		if (strcmp(v, "none") == 0)
			cfg->smtp_tls = MAIL_TLS_NONE;
		else if (strcmp(v, "try") == 0)
			cfg->smtp_tls = MAIL_TLS_TRY;
		else if (strcmp(v, "required") == 0)
			cfg->smtp_tls = MAIL_TLS_REQUIRED;
		else {
			snprintf(err, errlen, "%s: \"%s\" is not one of none, "
			    "try, required", o->env, v);
			return -1;
		}
		return 0;
	}
	return -1;
}

static void
config_defaults(struct config *cfg)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = "unix:/run/eleva/eleva.sock";
	cfg->socket_mode = 0660;
	cfg->workers = (int)(cores > 0 ? 2 * cores : 2);
	cfg->crash_limit = 5;
	cfg->crash_window = 10;
	cfg->stop_timeout = 30;
	cfg->request_timeout = 30;
	cfg->root = config_root();
	cfg->log_level = LOG_INFO;
	cfg->workos_api_base = "https://api.workos.com";
	cfg->workos_connect_timeout_ms = 3000;
	cfg->workos_timeout_ms = 8000;
	cfg->workos_retries = 2;
	cfg->workos_budget_ms = 4000;
	cfg->session_idle = 7 * 86400;
	cfg->session_absolute = 30 * 86400;
	cfg->booking_limit_address = 10;
	cfg->booking_limit_ip = 30;
	cfg->list_cache = 30;
	cfg->smtp_tls = MAIL_TLS_TRY;
	cfg->smtp_timeout_ms = 30000;
	cfg->mail_from = "Eleva Care <no-reply@eleva.care>";
	cfg->mail_poll_ms = 2000;
	cfg->replica_max_lag_ms = 1000;
	cfg->database_prepare = 1;
	cfg->mail_lease = 120;
}

/* "http(s)://host[:port]" with no path: base URLs we append paths to. */
static int
config_base_url(const char *name, const char *v, int *https, char *err,
    size_t errlen)
{
	const char *host;

	if (strncmp(v, "https://", 8) == 0)
		host = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		host = v + 7;
	else {
		snprintf(err, errlen, "%s: \"%s\" is not an http(s) URL", name, v);
		return -1;
	}
	if (*host == '\0' || strpbrk(host, "/?#@ \t\r\n") != NULL) {
		snprintf(err, errlen, "%s: \"%s\" must be scheme://host[:port] "
		    "with no path or trailing slash", name, v);
		return -1;
	}
	if (https != NULL)
		*https = host == v + 8;
	return 0;
}

/*
 * ELEVA_IDENTITY_KEY: 1 to 8 comma-separated keys of 32 to 64 printable
 * ASCII characters, newest first (what app.identity_keys_install takes);
 * the first signs.  Its length into *first.  0, or -1 with err.
 */
static int
config_identity_key(const char *v, size_t *first, char *err, size_t errlen)
{
	size_t n = 0, len;
	const char *p = v;

	for (;;) {
		len = strcspn(p, ",");
		if (n == 0)
			*first = len;
		if (len < 32 || len > 64 || ++n > 8)
			break;
		while (len > 0 && *p > ' ' && *p <= '~')
			p++, len--;
		if (len > 0)
			break;
		if (*p == '\0')
			return 0;
		p++;
	}
	snprintf(err, errlen, "ELEVA_IDENTITY_KEY must be 1 to 8 comma-separated "
	    "keys of 32 to 64 printable characters (\"eleva keygen\" makes one)");
	return -1;
}

/*
 * The e-mail settings: SMTP_URL smtp:// or smtps://, a host, no
 * credentials (SMTP_USER, SMTP_PASSWORD hold them), at most a path (the
 * EHLO name); TLS not refused on smtps://; user and password together; a
 * CA file that can be read; MAIL_FROM an address, or a name and
 * <address>, split into mail_from_name and mail_from_addr.
 */
static int
config_mail(struct config *cfg, char *err, size_t errlen)
{
	const char *u = cfg->smtp_url, *host, *lt, *gt, *name, *end;

	if (u != NULL) {
		if (strncmp(u, "smtps://", 8) == 0)
			host = u + 8;
		else if (strncmp(u, "smtp://", 7) == 0)
			host = u + 7;
		else {
			snprintf(err, errlen, "SMTP_URL: \"%s\" is not an "
			    "smtp:// or smtps:// URL", u);
			return -1;
		}
		if (strchr(host, '@') != NULL) {
			snprintf(err, errlen, "SMTP_URL: give the user and "
			    "password in SMTP_USER and SMTP_PASSWORD, not in "
			    "the URL");
			return -1;
		}
		if (*host == '\0' || *host == '/' ||
		    strpbrk(host, "?# \t\r\n") != NULL) {
			snprintf(err, errlen, "SMTP_URL: \"%s\" must be "
			    "smtp://host[:port][/ehlo-name]", u);
			return -1;
		}
		if (host == u + 8 && cfg->smtp_tls == MAIL_TLS_NONE) {
			snprintf(err, errlen, "SMTP_TLS is none but SMTP_URL "
			    "is smtps:// (TLS from the start): use smtp:// or "
			    "another SMTP_TLS");
			return -1;
		}
	}
	if ((cfg->smtp_user == NULL) != (cfg->smtp_password == NULL)) {
		snprintf(err, errlen, "SMTP_USER and SMTP_PASSWORD go together: "
		    "%s is not set", cfg->smtp_user == NULL ? "SMTP_USER" :
		    "SMTP_PASSWORD");
		return -1;
	}
	if (cfg->smtp_ca_file != NULL && access(cfg->smtp_ca_file, R_OK) == -1) {
		snprintf(err, errlen, "SMTP_CA_FILE: cannot read \"%s\": %s",
		    cfg->smtp_ca_file, strerror(errno));
		return -1;
	}

	/* MAIL_FROM: "address" or "Name <address>" (the name maybe quoted). */
	u = cfg->mail_from;
	if ((lt = strrchr(u, '<')) != NULL) {
		gt = strchr(lt, '>');
		for (name = u; *name == ' '; name++)
			;
		for (end = lt; end > name && end[-1] == ' '; end--)
			;
		if (end - name >= 2 && *name == '"' && end[-1] == '"')
			name++, end--;
		if (gt != NULL && gt[1] == '\0') {
			cfg->mail_from_addr = strndup(lt + 1,
			    (size_t)(gt - lt - 1));
			if (end > name)
				cfg->mail_from_name = strndup(name,
				    (size_t)(end - name));
		}
	} else
		cfg->mail_from_addr = strdup(u);
	if (cfg->mail_from_addr == NULL ||
	    !mime_addr_ok(cfg->mail_from_addr) ||
	    (cfg->mail_from_name != NULL && (!form_utf8_valid(
	    cfg->mail_from_name, strlen(cfg->mail_from_name)) ||
	    strpbrk(cfg->mail_from_name, "<>\"\r\n\t") != NULL))) {
		snprintf(err, errlen, "MAIL_FROM: \"%s\" is neither an address "
		    "(no-reply@example.com) nor a name and an address (Eleva "
		    "Care <no-reply@example.com>)", u);
		return -1;
	}
	return 0;
}

/* Cross-setting checks and derived values once everything is read. */
int
config_check(struct config *cfg, char *err, size_t errlen)
{
	const char *missing = NULL;

	if (strncmp(cfg->listen, "unix:", 5) != 0 &&
	    strrchr(cfg->listen, ':') == NULL) {
		snprintf(err, errlen, "ELEVA_LISTEN: \"%s\" is neither "
		    "unix:PATH nor HOST:PORT", cfg->listen);
		return -1;
	}
	if (cfg->database_url == NULL) {
		snprintf(err, errlen, "DATABASE_URL is not set (the "
		    "PostgreSQL connection string of the app role)");
		return -1;
	}
	if (cfg->app_base_url == NULL)
		missing = "APP_BASE_URL (the public URL, e.g. https://eleva.care)";
	else if (cfg->session_keys == NULL)
		missing = "SESSION_KEYS (make one with \"eleva keygen\")";
	else if (cfg->identity_key == NULL)
		missing = "ELEVA_IDENTITY_KEY (make one with \"eleva keygen\"; "
		    "\"eleva migrate\" installs it in the database)";
	else if (cfg->workos_api_key == NULL)
		missing = "WORKOS_API_KEY";
	else if (cfg->workos_client_id == NULL)
		missing = "WORKOS_CLIENT_ID";
	if (missing != NULL) {
		snprintf(err, errlen, "%s is not set", missing);
		return -1;
	}
	if (config_base_url("APP_BASE_URL", cfg->app_base_url, &cfg->https,
	    err, errlen) == -1 || config_base_url("WORKOS_API_BASE",
	    cfg->workos_api_base, NULL, err, errlen) == -1)
		return -1;
	if (cfg->session_idle > cfg->session_absolute) {
		snprintf(err, errlen, "SESSION_IDLE (%d s) is longer than "
		    "SESSION_ABSOLUTE (%d s)", cfg->session_idle,
		    cfg->session_absolute);
		return -1;
	}
	if (cfg->webhook_secret != NULL && strlen(cfg->webhook_secret) < 32) {
		snprintf(err, errlen, "WEBHOOK_SECRET is too short (at least "
		    "32 characters; \"eleva keygen\" makes one)");
		return -1;
	}
	if (config_identity_key(cfg->identity_key, &cfg->identity_key_len,
	    err, errlen) == -1)
		return -1;
	if (config_mail(cfg, err, errlen) == -1)
		return -1;
	if ((cfg->session_ring = crypt_ring_parse(cfg->session_keys, err,
	    errlen)) == NULL)
		return -1;
	return 0;
}

int
config_load(struct config *cfg, int argc, char **argv, char *err,
    size_t errlen)
{
	if (config_read(cfg, argc, argv, err, errlen) == -1)
		return -1;
	if (config_check(cfg, err, errlen) == -1) {
		config_free(cfg);
		return -1;
	}
	return 0;
}

int
config_read(struct config *cfg, int argc, char **argv, char *err,
    size_t errlen)
{
	struct option longopts[NOPTS + 1];
	const char *v;
	size_t i;
	int ch;

	config_defaults(cfg);
	for (i = 0; i < NOPTS; i++) {
		if ((v = getenv(config_opts[i].env)) != NULL && *v != '\0' &&
		    config_set(cfg, &config_opts[i], v, err, errlen) == -1)
			return -1;
		longopts[i].name = config_opts[i].flag;
		longopts[i].has_arg = required_argument;
		longopts[i].flag = NULL;
		longopts[i].val = 256 + (int)i;
	}
	memset(&longopts[NOPTS], 0, sizeof(longopts[NOPTS]));
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch < 256) {
			snprintf(err, errlen, "unknown or incomplete option "
			    "\"%s\"\n%s", argv[optind - 1], config_usage);
			return -1;
		}
		if (config_set(cfg, &config_opts[ch - 256], optarg, err,
		    errlen) == -1)
			return -1;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument \"%s\"\n%s",
		    argv[optind], config_usage);
		return -1;
	}
	return 0;
}

/*
 * Print a string setting with any password in it masked: a URL's
 * "user:password@" or "?password=", a connection string's "password=...".
 */
static void
config_show_str(FILE *f, const char *s)
{
	const char *scheme = strstr(s, "://"), *at, *colon, *pw, *end;

	if (scheme != NULL && (at = strchr(scheme + 3, '@')) != NULL &&
	    (colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3))) !=
	    NULL && strcspn(scheme + 3, "/?#") > (size_t)(at - scheme - 3)) {
		fprintf(f, "%.*s:****%s\n", (int)(colon - s), s, at);
		return;
	}
	if ((pw = strstr(s, "password=")) != NULL &&
	    (pw == s || strchr(" ?&", pw[-1]) != NULL)) {
		pw += strlen("password=");
		end = pw;
		if (*end == '\'')	/* 'quoted', \' and \\ escaped */
			for (end++; *end != '\0' && *end != '\''; end++)
				if (*end == '\\' && end[1] != '\0')
					end++;
		end += strcspn(end, " &");
		fprintf(f, "%.*s****%s\n", (int)(pw - s), s, end);
		return;
	}
	fprintf(f, "%s\n", s);
}

void
config_show(FILE *f, const struct config *cfg)
{
	const struct config_opt *o;
	const void *field;
	const char *s;
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		o = &config_opts[i];
		field = (const char *)cfg + o->off;
		fprintf(f, "%-28s --%-24s ", o->env, o->flag);
		switch (o->kind) {
		case CONFIG_STR:
			s = *(const char *const *)field;
			if (s != NULL)
				config_show_str(f, s);
			else
				fputs("(unset)\n", f);
			break;
		case CONFIG_SECRET:
			s = *(const char *const *)field;
			fprintf(f, "%s\n", s != NULL ? "(set)" : "(unset)");
			break;
		case CONFIG_INT:
			if (o->off == OFF(max_requests))
				fprintf(f, "%ld\n", cfg->max_requests);
			else
				fprintf(f, "%d\n", *(const int *)field);
			break;
		case CONFIG_MODE:
			fprintf(f, "%04o\n", cfg->socket_mode);
			break;
		case CONFIG_LEVEL:
			fprintf(f, "%s\n", log_level_name(cfg->log_level));
			break;
		case CONFIG_TLS:
			fprintf(f, "%s\n", cfg->smtp_tls == MAIL_TLS_NONE ?
			    "none" : cfg->smtp_tls == MAIL_TLS_REQUIRED ?
			    "required" : "try");
			break;
		}
	}
}

void
config_free(struct config *cfg)
{
	crypt_ring_free(cfg->session_ring);
	cfg->session_ring = NULL;
	free(cfg->mail_from_name);
	free(cfg->mail_from_addr);
	cfg->mail_from_name = cfg->mail_from_addr = NULL;
}
