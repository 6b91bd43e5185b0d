/* worker: FastCGI accept loop; per request arena -> parse -> route -> render -> send -> reset. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "lib/arena.h"
#include "lib/jwt.h"
#include "lib/log.h"
#include "core/assets.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/replica.h"
#include "core/i18n.h"
#include "core/layout.h"
#include "core/out.h"
#include "core/req.h"
#include "core/route.h"
#include "core/tz.h"
#include "core/workos.h"
#include "pages/routes.h"
#include "worker.h"

#define WORKER_EXIT_START	70	/* EX_SOFTWARE: could not start */
/*
 * A leaving worker waits this long for nginx to close its kept-alive
 * connection: more than nginx's upstream keepalive_time (nginx/).
 */
#define WORKER_DRAIN_SECONDS	15
/* Seconds between JWKS refetches caused by unknown key ids. */
#define WORKER_JWKS_COOLDOWN	60

static volatile sig_atomic_t	worker_quit;
static int			worker_sigpipe[2] = { -1, -1 };

static void
worker_on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	worker_quit = 1;
	(void)!write(worker_sigpipe[1], "q", 1);
	errno = saved;
}

static int
worker_signals(void)
{
	static const int quit_sigs[] = { SIGQUIT, SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;
	sigset_t none;
	size_t i;

	if (pipe2(worker_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_error("worker: pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);	/* the request timeout kills */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* No SA_RESTART: a quit signal interrupts poll() and reads. */
	sa.sa_handler = worker_on_signal;
	for (i = 0; i < sizeof(quit_sigs) / sizeof(quit_sigs[0]); i++)
		sigaction(quit_sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	return 0;
}

static int
worker_drop_privileges(const char *user)
{
	struct passwd *pw;

	if (user == NULL)
		return 0;
	if ((pw = getpwnam(user)) == NULL) {
		log_error("worker: no such user \"%s\"", user);
		return -1;
	}
	if (geteuid() != 0) {
		if (pw->pw_uid == geteuid())
			return 0;
		log_error("worker: cannot become %s without root", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1) {
		log_error("worker: cannot become %s: %s", user,
		    strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && setuid(0) != -1) {
		log_error("worker: privileges could be regained; refusing");
		return -1;
	}
	return 0;
}

static double
worker_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Read exactly len body bytes; returns 0, or -1 when the stream ended early. */
static int
worker_read_body(FCGX_Stream *in, char *body, size_t len)
{
	size_t got = 0;
	int n;

	while (got < len) {
		n = FCGX_GetStr(body + got, (int)(len - got), in);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	body[len] = '\0';
	return 0;
}

/*
 * Read and drop what is left of the request body (all of it for a refused
 * request), so the next request on a kept-alive nginx connection starts
 * at a record boundary.  Returns -1 when there is too much to skip: the
 * caller closes the connection instead.
 */
static int
worker_discard_body(FCGX_Stream *in)
{
	char scratch[8192];
	size_t total = 0;
	int n;

	while ((n = FCGX_GetStr(scratch, sizeof(scratch), in)) > 0)
		if ((total += (size_t)n) > 1024 * 1024)
			return -1;
	return 0;
}

/*
 * Answer one request; returns 0, -1 when its connection must close, or -2
 * when it must close at once (a streamed response cut short).  Never
 * inlined: a profile names it as a request's whole cost (script/bench).
 */
static int __attribute__((noinline))
worker_handle(struct app *app, FCGX_Request *fr, struct arena *a)
{
	const struct req_limits *lim = &req_default_limits;
	struct timespec t0;
	struct resp resp;
	struct req req;
	struct ctx c;
	int status, rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	out_init(&resp, a);
	status = req_parse_env(&req, a, fr->envp, lim);
	if (req.request_id != NULL)
		log_set_request(req.request_id);
	memset(&c, 0, sizeof(c));
	c.app = app;
	c.db = app->db;
	c.arena = a;
	c.req = &req;
	c.resp = &resp;
	resp.stream = fr->out;
	resp.head_only = req.method == HTTP_HEAD;
	c.lang = i18n_negotiate(req_header(&req, "accept-language"));
	req.lang = (int)c.lang;
	if (status == 0 && req.content_length > 0) {
		char *body = arena_alloc(a, req.content_length + 1);

		if (worker_read_body(fr->in, body, req.content_length) == -1) {
			req.error = "request body shorter than its length";
			status = 400;
		} else
			status = req_parse_body(&req, body,
			    req.content_length, lim);
	}
	if (status != 0) {
		log_info("refused request: %s", req.error ? req.error : "?");
		resp.status = status;
		layout_error(&c, status);
	} else {
		workos_begin(c.app->workos, c.app->workos_cfg.budget_ms);
		route_dispatch(&c, routes, LINK__N);
	}
	if (out_send(&resp, req.method == HTTP_HEAD, fr->out) == -1 &&
	    !resp.aborted)
		log_info("client went away before the response was sent");
	/*
	 * Always: a refused request's body and even the end-of-body record
	 * of a read one are still on a kept-alive connection.
	 */
	rc = worker_discard_body(fr->in);
	/*
	 * The path only: query strings carry sign-in codes, state and
	 * e-mail addresses, which do not belong in logs.
	 */
	log_info("%s %s%s %d %.2fms", req.method_name ? req.method_name : "-",
	    req.path ? req.path : "-", req.query_string != NULL &&
	    *req.query_string != '\0' ? "?..." : "", resp.status,
	    worker_ms_since(&t0));
	log_set_request(NULL);
	return resp.aborted ? -2 : rc;
}

/*
 * A leaving worker's kept-alive connection fd: wait until nginx writes a
 * request on it (1) or closes it, or until the deadline passes (0).
 */
static int
worker_drain(int fd, time_t until)
{
	struct pollfd pfd;
	time_t now;
	char c;
	int n;

	while ((now = time(NULL)) < until) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = poll(&pfd, 1, (int)(until - now) * 1000);
		if (n == -1 && errno == EINTR)
			continue;	/* another quit signal */
		if (n <= 0 || (pfd.revents & (POLLERR | POLLNVAL)))
			return 0;
		/* Readable: a request, or nginx's end of the connection. */
		return recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
	}
	log_info("leaving: closing a kept-alive connection nginx kept "
	    "open for %d s", WORKER_DRAIN_SECONDS);
	return 0;
}

/* Wait until fd is readable or a quit signal came; 1 when fd is readable. */
static int
worker_wait(int fd)
{
	struct pollfd pfd[2];

	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = worker_sigpipe[0];
	pfd[1].events = POLLIN;
	if (poll(pfd, 2, -1) == -1)
		return 0;
	return !worker_quit && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR));
}

void
worker_main(const struct config *cfg, const struct assets *assets,
    struct workos_shared *workos_shared, int slot, int listen_fd,
    int ready_fd)
{
	static char redirect[1024];
	struct arena arena;
	FCGX_Request fr;
	struct app app;
	long served = 0, limit = 0;
	time_t drain_until = 0;
	unsigned int jitter = 0;
	int rc, close_conn;
	pid_t master = getppid();

	log_set_role("worker");
	/*
	 * Orphans must not keep serving old code after the master dies.
	 * Set after the privilege drop, which clears the setting.
	 */
	if (worker_signals() == -1 ||
	    worker_drop_privileges(cfg->user) == -1 ||
	    prctl(PR_SET_PDEATHSIG, SIGQUIT) == -1 || getppid() != master ||
	    arena_init(&arena) == -1 || FCGX_Init() != 0 ||
	    FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0)
		_exit(WORKER_EXIT_START);
	memset(&app, 0, sizeof(app));
	app.cfg = cfg;
	app.assets = assets;
	if ((app.db = db_new(cfg->database_url)) == NULL ||
	    db_set_identity_key(app.db, cfg->identity_key,
	    cfg->identity_key_len) == -1)
		_exit(WORKER_EXIT_START);
	db_set_prepare(app.db, cfg->database_prepare);
	if (cfg->database_replica_url != NULL && (app.replica = replica_new(
	    cfg->database_replica_url, cfg->identity_key, cfg->identity_key_len,
	    cfg->replica_max_lag_ms, cfg->database_prepare)) == NULL)
		_exit(WORKER_EXIT_START);
	app.workos_cfg.api_base = cfg->workos_api_base;
	app.workos_cfg.api_key = cfg->workos_api_key;
	app.workos_cfg.client_id = cfg->workos_client_id;
	app.workos_cfg.redirect_uri = cfg->workos_redirect_uri;
	if (app.workos_cfg.redirect_uri == NULL) {
		snprintf(redirect, sizeof(redirect), "%s%s", cfg->app_base_url,
		    routes_path(LINK_AUTH_CALLBACK));
		app.workos_cfg.redirect_uri = redirect;
	}
	app.workos_cfg.connect_timeout_ms = cfg->workos_connect_timeout_ms;
	app.workos_cfg.timeout_ms = cfg->workos_timeout_ms;
	app.workos_cfg.max_retries = cfg->workos_retries;
	app.workos_cfg.budget_ms = cfg->workos_budget_ms;
	app.workos_cfg.shared = workos_shared;
	app.workos_cfg.slot = slot;
	if ((app.workos = workos_new(&app.workos_cfg)) == NULL)
		_exit(WORKER_EXIT_START);
	/* Signing keys are fetched on first use, then on an unknown kid. */
	app.jwks.cooldown = WORKER_JWKS_COOLDOWN;
	app.jwks.fetch = workos_jwks_fetch;
	app.jwks.fetch_arg = app.workos;
	(void)db_ensure(app.db);	/* a database outage is not fatal */
	if (cfg->max_requests > 0) {
		/* Up to 10% jitter so workers do not all recycle at once. */
		if (getrandom(&jitter, sizeof(jitter), 0) != sizeof(jitter))
			jitter = (unsigned int)getpid();
		limit = cfg->max_requests +
		    (long)(jitter % (unsigned long)(cfg->max_requests / 10 + 1));
	}
	if (write(ready_fd, "R", 1) != 1)
		_exit(WORKER_EXIT_START);
	close(ready_fd);
	log_debug("ready");

	for (;;) {
		if (worker_quit || (limit > 0 && served >= limit)) {
			/*
			 * Leaving (reload, recycling, stop).  nginx may write
			 * a request on the kept-alive connection at any moment,
			 * and one it wrote on a connection we closed is lost
			 * (it does not resend a POST): so the connection is
			 * nginx's to close.  Serve what arrives until it does
			 * (its upstream keepalive_timeout and keepalive_time,
			 * nginx/), closing it ourselves only after
			 * WORKER_DRAIN_SECONDS.
			 */
			if (drain_until == 0)
				drain_until = time(NULL) + WORKER_DRAIN_SECONDS;
			if (fr.ipcFd < 0 || !worker_drain(fr.ipcFd, drain_until))
				break;
		} else if (!worker_wait(fr.ipcFd >= 0 ? fr.ipcFd : listen_fd))
			continue;
		rc = FCGX_Accept_r(&fr);
		if (rc < 0) {
			if (rc != -EAGAIN && rc != -EWOULDBLOCK &&
			    rc != -EINTR && !worker_quit) {
				/* EMFILE and friends: do not spin. */
				log_warn("accept: %s", strerror(-rc));
				usleep(100 * 1000);
			}
			continue;
		}
		alarm((unsigned int)cfg->request_timeout);
		close_conn = worker_handle(&app, &fr, &arena);
		db_finish_request(app.db);
		if (app.replica != NULL)
			replica_finish_request(app.replica);
		/*
		 * A response cut short (out_stream_abort) must not end
		 * cleanly: drop the connection without its end record.
		 */
		if (close_conn == -2)
			FCGX_Free(&fr, 1);
		else
			FCGX_Finish_r(&fr);
		if (close_conn == -1)
			FCGX_Free(&fr, 1);
		arena_reset(&arena);
		alarm(0);
		if (limit > 0 && ++served == limit)
			log_info("recycling after %ld requests", served);
	}
	/* Closing an idle kept-alive connection tells nginx to open another. */
	FCGX_Free(&fr, 1);
	db_free(app.db);
	replica_free(app.replica);
	jwt_cache_clear(&app.jwks);
	tz_free(app.timezones);
	workos_free(app.workos);
	arena_free(&arena);
	log_debug("stopped");
	exit(0);
}
