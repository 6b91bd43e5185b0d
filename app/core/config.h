/* config: the one configuration struct, read from the environment and flags, validated. */
#ifndef ELEVA_CONFIG_H
#define ELEVA_CONFIG_H

#include <stddef.h>
#include <stdio.h>

struct crypt_ring;

struct config {
	const char	*listen;	/* "unix:/path" or "host:port" */
	unsigned	 socket_mode;	/* unix socket permissions */
	const char	*socket_group;	/* unix socket group, or NULL */
	int		 workers;
	long		 max_requests;	/* per worker before recycling; 0 = never */
	int		 crash_limit;	/* give up after this many crashes... */
	int		 crash_window;	/* ...within this many seconds */
	int		 stop_timeout;	/* seconds before graceful stop escalates */
	int		 request_timeout; /* seconds a request may take */
	const char	*root;		/* holds templates/ and static/ */
	const char	*user;		/* workers drop privileges to this user */
	const char	*database_url;
	const char	*database_replica_url;	/* public pages' reads, or NULL */
	int		 replica_max_lag_ms;	/* past this, read the primary */
	int		 database_prepare;	/* 0: no named statements (PgBouncer) */
	const char	*app_base_url;	/* "https://eleva.care", no '/' at end */
	int		 https;		/* app_base_url is https: Secure cookies */
	int		 log_level;	/* enum log_level */

	/* WorkOS (DESIGN.md section 7). */
	const char	*workos_api_key;
	const char	*workos_client_id;
	const char	*workos_api_base;	/* no '/' at end */
	const char	*workos_redirect_uri;	/* NULL: APP_BASE_URL + the callback
						   route's path (worker.c) */
	const char	*workos_issuer;		/* checked against iss when set */
	int		 workos_connect_timeout_ms;
	int		 workos_timeout_ms;
	int		 workos_retries;
	int		 workos_budget_ms;	/* all of a request's calls */

	/* Sessions. */
	const char	*session_keys;		/* SESSION_KEYS (never logged) */
	struct crypt_ring *session_ring;	/* parsed from session_keys */
	int		 session_idle;		/* seconds */
	int		 session_absolute;	/* seconds */
	int		 demo_accounts;		/* offer demo sign-ins (local stack) */

	/* Public bookings an hour per guest address and per client IP
	   (counted in the database); 0: no limit. */
	int		 booking_limit_address;
	int		 booking_limit_ip;
	int		 list_cache;		/* seconds a worker keeps the home
						   page's list (0: none) */

	/*
	 * Signs POST /webhooks/setup (HMAC-SHA256); NULL: webhooks are
	 * refused with 503.  Never logged.
	 */
	const char	*webhook_secret;
	const char	*workos_webhook_secret;	/* WorkOS's, for its events */

	/*
	 * ELEVA_IDENTITY_KEY: comma-separated keys, newest first; the first
	 * (identity_key_len bytes) signs the request's identity for the
	 * database (app.enter), which "eleva migrate" installs them in.
	 * Required.  Never logged.
	 */
	const char	*identity_key;
	size_t		 identity_key_len;

	/*
	 * E-mail (core/mail.h).  SMTP_URL unset: no mail is sent.  MAIL_FROM
	 * ("Name <address>" or an address) is split into mail_from_name (NULL
	 * when none) and mail_from_addr, allocated, freed by config_free.
	 */
	const char	*smtp_url;		/* smtp://host:port or smtps:// */
	const char	*smtp_user;
	const char	*smtp_password;		/* never logged */
	int		 smtp_tls;		/* enum mail_tls */
	const char	*smtp_ca_file;
	int		 smtp_timeout_ms;
	const char	*mail_from;
	int		 mail_poll_ms;		/* eleva mailer: between looks */
	int		 mail_lease;		/* eleva mailer: seconds a claim holds */
	char		*mail_from_name;
	char		*mail_from_addr;
};

/*
 * Fill cfg with defaults, then the environment (ELEVA_LISTEN,
 * ELEVA_WORKERS, ELEVA_SOCKET_MODE, ELEVA_SOCKET_GROUP, ELEVA_MAX_REQUESTS,
 * ELEVA_CRASH_LIMIT, ELEVA_CRASH_WINDOW, ELEVA_STOP_TIMEOUT,
 * ELEVA_REQUEST_TIMEOUT, ELEVA_ROOT, ELEVA_USER, ELEVA_LOG_LEVEL,
 * DATABASE_URL, APP_BASE_URL, WORKOS_*, SESSION_*, ELEVA_DEMO_ACCOUNTS,
 * ELEVA_BOOKING_LIMIT_*, SMTP_*, MAIL_FROM),
 * then the command-line flags of the same names (--listen, --workers,
 * ...).  Returns 0, or -1 with a message naming the bad setting (never
 * quoting a secret) in err.  Strings point into argv/environ; the key
 * ring is allocated and lives as long as the process.
 */
int	config_load(struct config *cfg, int argc, char **argv, char *err,
	    size_t errlen);

/*
 * config_load without the final checks: defaults, then the environment,
 * then the flags, each value checked alone.  What eleva settings shows
 * before it checks the whole (config_check).  0, or -1 with err.
 */
int	config_read(struct config *cfg, int argc, char **argv, char *err,
	    size_t errlen);
/* The checks across settings, and the derived values: 0, or -1 with err. */
int	config_check(struct config *cfg, char *err, size_t errlen);
/*
 * Every setting, one a line: its variable, its flag and its value in cfg
 * (a secret as "(set)"; "(unset)" for none), in the order of the table.
 */
void	config_show(FILE *, const struct config *cfg);

/* Release what config_load() allocated (the key ring, wiped; MAIL_FROM's parts). */
void	config_free(struct config *cfg);
/* The directory holding templates/, static/ and sql/: ELEVA_ROOT when set,
   else where make install put them. */
const char *config_root(void);

/* The usage text for "eleva serve". */
extern const char config_usage[];

#endif
