/* cli/mailer: eleva mailer — deliver the outbox's e-mails over SMTP: claim, render, send, record; retried with backoff, never sent twice. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/jsonh.h"
#include "lib/log.h"
#include "lib/mime.h"
#include "core/assets.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/sql.h"
#include "domain/notify.h"
#include "pages/routes.h"
#include "cli/cli.h"

/* Messages claimed at once (a claim holds ELEVA_MAIL_LEASE seconds). */
#define MAILER_BATCH	20
/* Recording a delivery is retried this long before the sender gives up. */
#define MAILER_RECORD_S	60

static volatile sig_atomic_t mailer_stop;

static void
mailer_on_signal(int sig)
{
	(void)sig;
	mailer_stop = 1;
}

/* What the loop holds. */
struct mailer {
	struct app	 app;
	struct config	 cfg;
	struct mail	*mail;
	struct arena	 arena;
	char		 worker[96];
	long		 poll_ms;
	long		 lease;		/* seconds a claim holds */
};

/* Sleep ms milliseconds, or less when asked to stop. */
static void
mailer_sleep(long ms)
{
	struct timespec ts;

	while (ms > 0 && !mailer_stop) {
		ts.tv_sec = 0;
		ts.tv_nsec = (ms > 200 ? 200 : ms) * 1000000L;
		nanosleep(&ts, NULL);
		ms -= 200;
	}
}

/*
 * A signed call (sql/0021_manage.sql): id's parameters p[0..n), then the
 * expiry and the MAC over them under purpose, in one transaction of its
 * own.  The result, or NULL (logged).
 */
static const struct pg_result *
mailer_call(struct mailer *m, enum sql_id id, const char *purpose,
    const char **p, size_t n)
{
	char expires[24], mac[65];

	if (db_sign(m->app.db, purpose, p, n, expires, mac) == -1)
		return NULL;
	p[n] = expires;
	p[n + 1] = mac;
	return db_run_alone(m->app.db, &m->arena, 0, id, p);
}

/* The message's absolute link: the guest's manage page, the expert's meeting. */
static const char *
mailer_link(struct mailer *m, const char *recipient, const char *meeting)
{
	const char *v[1] = { meeting };
	const char *path = strcmp(recipient, "guest") == 0 ?
	    routes_manage_link(&m->arena, m->app.db, meeting, NULL) :
	    route_link(&m->arena, &routes[LINK_MEETING], v, 1);

	return arena_printf(&m->arena, "%s%s", m->cfg.app_base_url, path);
}

/* The WHEN__COLS of [start, end) in tz, or NULL. */
static const struct pg_result *
mailer_when(struct mailer *m, long long start, long long end, const char *tz)
{
	const char *p[3];
	const struct pg_result *r;

	p[0] = arena_printf(&m->arena, "%lld", start);
	p[1] = arena_printf(&m->arena, "%lld", end);
	p[2] = tz;
	r = db_run_alone(m->app.db, &m->arena, 1, SQL_MAIL_WHEN, p);
	return r != NULL && db_rows(r) == 1 ? r : NULL;
}

/*
 * Render row i of claimed messages r as MIME into out; 0, or -1 when the
 * row cannot make a message (its facts are broken: given up at once).
 */
static int
mailer_build(struct mailer *m, const struct pg_result *r, int i,
    struct buf *out)
{
	struct ctx c;
	struct notify_in in;
	struct notify_msg msg;
	struct mime_msg mm;
	long long start, end, old_start, old_end;
	int lang;

	memset(&c, 0, sizeof(c));
	c.app = &m->app;
	c.db = m->app.db;
	c.arena = &m->arena;
	lang = i18n_parse_code(db_val(r, i, MAIL_LANG));
	c.lang = lang < 0 ? LANG_EN : (enum lang)lang;
	memset(&in, 0, sizeof(in));
	in.kind = db_val(r, i, MAIL_KIND);
	in.recipient = db_val(r, i, MAIL_RECIPIENT);
	in.to_name = db_val(r, i, MAIL_TO_NAME);
	in.to_addr = db_val(r, i, MAIL_TO_EMAIL);
	in.meeting_id = db_val(r, i, MAIL_MEETING);
	in.sequence = (long)db_int(r, i, MAIL_SEQUENCE);
	in.tz = db_val(r, i, MAIL_TZ);
	if ((in.data = jsonh_parse(&m->arena, db_val(r, i, MAIL_DATA))) ==
	    NULL || jsonh_int(in.data, "start", &start) != 1 ||
	    jsonh_int(in.data, "end", &end) != 1)
		return -1;
	if ((in.when = mailer_when(m, start, end, in.tz)) == NULL)
		return -1;
	if (jsonh_int(in.data, "old_start", &old_start) == 1 &&
	    jsonh_int(in.data, "old_end", &old_end) == 1)
		in.old_when = mailer_when(m, old_start, old_end, in.tz);
	in.link = mailer_link(m, in.recipient, in.meeting_id);
	in.organizer_name = jsonh_str(in.data, "expert");
	in.organizer_addr = m->cfg.mail_from_addr;
	if (notify_render(&c, &in, &msg) == -1)
		return -1;
	memset(&mm, 0, sizeof(mm));
	mm.from_name = m->cfg.mail_from_name;
	mm.from_addr = m->cfg.mail_from_addr;
	mm.to_name = in.to_name;
	mm.to_addr = in.to_addr;
	mm.subject = msg.subject;
	/* One id per message of the outbox, the same at every attempt. */
	mm.message_id = arena_printf(&m->arena, "<%s.%s@eleva.care>",
	    db_val(r, i, MAIL_ID), in.meeting_id);
	mm.date = (long long)time(NULL);
	mm.text = msg.text;
	mm.html = msg.html;
	mm.ics = msg.ics;
	mm.ics_method = msg.ics_method;
	mm.ics_filename = "invite.ics";
	mm.boundary_seed = mm.message_id;
	buf_init(out, &m->arena);
	return mime_write(out, &mm);
}

/*
 * Record what became of message id: sent, or failed (permanent: given
 * up).  A delivery is recorded however long the database takes to come
 * back (up to MAILER_RECORD_S): until it is, another claim would send it
 * again.  Returns 0, or -1.
 */
static int
mailer_record(struct mailer *m, const char *id, int sent, const char *error,
    int permanent)
{
	const char *p[6];
	int waited = 0;

	for (;;) {
		p[0] = id;
		p[1] = m->worker;
		if (sent) {
			if (mailer_call(m, SQL_MAIL_SENT, "mail_sent", p, 2) !=
			    NULL)
				return 0;
		} else {
			p[2] = error;
			p[3] = permanent ? "true" : "false";
			if (mailer_call(m, SQL_MAIL_FAILED, "mail_failed", p,
			    4) != NULL)
				return 0;
		}
		if (!sent || waited >= MAILER_RECORD_S)
			break;
		sleep(1);
		waited++;
	}
	log_error("mailer: message %s could not be recorded as %s", id,
	    sent ? "sent" : "failed");
	return -1;
}

/* One batch: claim, then each message.  How many were claimed, or -1. */
static int
mailer_batch(struct mailer *m)
{
	const struct pg_result *r;
	const char *p[5];
	struct buf msg;
	enum mail_result res;
	char err[256];
	int i, n;

	arena_reset(&m->arena);
	p[0] = m->worker;
	p[1] = arena_printf(&m->arena, "%d", MAILER_BATCH);
	p[2] = arena_printf(&m->arena, "%ld", m->lease);
	if ((r = mailer_call(m, SQL_MAIL_CLAIM, "mail_claim", p, 3)) == NULL)
		return -1;
	n = db_rows(r);
	for (i = 0; i < n; i++) {
		const char *id = db_val(r, i, MAIL_ID);

		/* Claimed but not tried: the claim's lease runs out and
		   the next run takes it. */
		if (mailer_stop)
			break;
		if (mailer_build(m, r, i, &msg) == -1) {
			log_error("mailer: message %s cannot be written: given up",
			    id);
			mailer_record(m, id, 0, "the message cannot be written",
			    1);
			continue;
		}
		err[0] = '\0';
		res = mail_send(m->mail, m->cfg.mail_from_addr,
		    db_val(r, i, MAIL_TO_EMAIL), buf_str(&msg), msg.len, err,
		    sizeof(err));
		if (res == MAIL_SENT) {
			log_info("mailer: message %s (%s to the %s) sent", id,
			    db_val(r, i, MAIL_KIND), db_val(r, i, MAIL_RECIPIENT));
			mailer_record(m, id, 1, NULL, 0);
		} else {
			log_warn("mailer: message %s (attempt %s) not sent: %s",
			    id, db_val(r, i, MAIL_ATTEMPTS), err);
			mailer_record(m, id, 0, err, res == MAIL_REJECTED);
		}
	}
	return n;
}

int
cli_mailer_main(int argc, char **argv)
{
	struct mailer m;
	struct assets *as;
	struct mail_config mc;
	struct sigaction sa;
	char err[2048], host[64];
	int once = 0, n, rc = 0;

	if (argc > 1 && strcmp(argv[1], "--once") == 0) {
		once = 1;
		argc--;
		argv++;
	}
	memset(&m, 0, sizeof(m));
	log_set_role("mailer");
	if (config_load(&m.cfg, argc, argv, err, sizeof(err)) == -1) {
		log_error("configuration: %s", err);
		return 2;
	}
	log_set_level((enum log_level)m.cfg.log_level);
	if (m.cfg.smtp_url == NULL) {
		log_error("configuration: SMTP_URL is not set: there is "
		    "nowhere to send mail");
		config_free(&m.cfg);
		return 2;
	}
	if ((as = assets_load(m.cfg.root, routes_template_link, err,
	    sizeof(err))) == NULL) {
		log_error("templates: %s", err);
		config_free(&m.cfg);
		return 1;
	}
	memset(&mc, 0, sizeof(mc));
	mc.url = m.cfg.smtp_url;
	mc.user = m.cfg.smtp_user;
	mc.password = m.cfg.smtp_password;
	mc.tls = (enum mail_tls)m.cfg.smtp_tls;
	mc.ca_file = m.cfg.smtp_ca_file;
	mc.timeout_ms = m.cfg.smtp_timeout_ms;
	m.poll_ms = m.cfg.mail_poll_ms;
	/* Tests shorten the lease to see a killed sender's claims taken over. */
	m.lease = m.cfg.mail_lease;
	if (gethostname(host, sizeof(host)) == -1)
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(m.worker, sizeof(m.worker), "%s:%ld", host, (long)getpid());
	m.app.cfg = &m.cfg;
	m.app.assets = as;
	if (arena_init(&m.arena) == -1 ||
	    (m.app.db = db_new(m.cfg.database_url)) == NULL ||
	    db_set_identity_key(m.app.db, m.cfg.identity_key,
	    m.cfg.identity_key_len) == -1 ||
	    (m.mail = mail_new(&mc)) == NULL) {
		log_error("mailer: out of memory");
		return 1;
	}
	db_set_prepare(m.app.db, m.cfg.database_prepare);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = mailer_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info("mailer: %s sending through %s every %ld ms", m.worker,
	    m.cfg.smtp_url, m.poll_ms);
	while (!mailer_stop) {
		if ((n = mailer_batch(&m)) == -1) {
			/* The database is away: wait for it. */
			if (once) {
				rc = 1;
				break;
			}
			mailer_sleep(m.poll_ms);
			continue;
		}
		if (n == MAILER_BATCH)
			continue;
		if (once)
			break;
		mailer_sleep(m.poll_ms);
	}
	log_info("mailer: stopped");
	mail_free(m.mail);
	db_free(m.app.db);
	arena_free(&m.arena);
	assets_free(as);
	config_free(&m.cfg);
	return rc;
}
