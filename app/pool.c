/* pool: prefork master with self-pipe signals, crash-loop guard, rolling restart. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/sdnotify.h"
#include "core/assets.h"
#include "core/config.h"
#include "core/db.h"
#include "core/workos.h"
#include "pages/routes.h"
#include "pool.h"
#include "worker.h"

enum child_state {
	CHILD_FREE,
	CHILD_STARTING,	/* forked, not yet ready */
	CHILD_READY,	/* serving */
	CHILD_RETIRING,	/* told to finish and exit */
};

struct child {
	enum child_state	 state;
	pid_t			 pid;
	int			 ready_fd;	/* read end; -1 once ready */
	unsigned		 gen;		/* reload generation */
	double			 started;
};

struct pool {
	const struct config	*cfg;
	struct assets		*assets;
	struct workos_shared	*workos;	/* the workers' (core/workos.h) */
	int			 listen_fd;
	const char		*unix_path;	/* unlinked at exit */
	struct child		*kids;
	size_t			 nkids;		/* slots: 2 x workers */
	unsigned		 gen;
	int			 stopping;
	int			 killed;
	int			 reload_pending;	/* SIGHUP during a reload */
	int			 announced;	/* READY=1 sent (lib/sdnotify) */
	int			 short_handed;	/* a spawn failed: retry */
	int			 exit_code;
	double			 deadline;
	double			*crashes;	/* ring of crash times */
	size_t			 ncrash;
};

static int	pool_sigpipe[2] = { -1, -1 };

static void	pool_reload_done(struct pool *);

/* The state, for a service manager (systemd Type=notify; lib/sdnotify). */
static void __attribute__((format(printf, 1, 2)))
pool_announce(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sdnotify_send(msg) == -1)
		log_warn("cannot notify the service manager (NOTIFY_SOCKET): "
		    "%s", strerror(errno));
}

static void
pool_on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	(void)!write(pool_sigpipe[1], &c, 1);
	errno = saved;
}

/*
 * The unix socket at path, listening.  It is made under a temporary name
 * and renamed into place once it listens with its mode and group, so that
 * whoever sees path can connect (nginx, started just after, never meets a
 * socket that refuses connections).
 */
static int
pool_listen_unix(struct pool *p, const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	char tmp[sizeof(sun.sun_path)];
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.%ld", path,
	    (long)getpid()) >= sizeof(tmp)) {
		log_error("listen: socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
		log_error("listen: socket: %s", strerror(errno));
		return -1;
	}
	if (lstat(path, &st) == 0) {
		/* A socket nobody answers on is left over from a crash. */
		if (!S_ISSOCK(st.st_mode)) {
			log_error("listen: %s exists and is not a socket", path);
			goto fail;
		}
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			log_error("listen: %s is in use by a running server",
			    path);
			goto fail;
		}
		close(fd);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
			log_error("listen: socket: %s", strerror(errno));
			return -1;
		}
	}
	strcpy(sun.sun_path, tmp);
	unlink(tmp);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_error("listen: bind %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (chmod(tmp, (mode_t)p->cfg->socket_mode) == -1) {
		log_error("listen: chmod %s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (p->cfg->socket_group != NULL) {
		struct group *gr = getgrnam(p->cfg->socket_group);

		if (gr == NULL) {
			log_error("listen: no such group \"%s\"",
			    p->cfg->socket_group);
			goto fail;
		}
		if (chown(tmp, (uid_t)-1, gr->gr_gid) == -1) {
			log_error("listen: chown %s: %s", tmp,
			    strerror(errno));
			goto fail;
		}
	}
	if (listen(fd, 511) == -1 || rename(tmp, path) == -1) {
		log_error("listen: %s: %s", path, strerror(errno));
		goto fail;
	}
	p->unix_path = path;
	return fd;
fail:
	unlink(tmp);
	close(fd);
	return -1;
}

static int
pool_listen_tcp(const char *spec)
{
	struct addrinfo hints, *res, *ai;
	char host[256];
	const char *colon = strrchr(spec, ':');
	size_t hlen = (size_t)(colon - spec);
	int fd = -1, one = 1, rc;

	if (hlen >= sizeof(host)) {
		log_error("listen: host too long");
		return -1;
	}
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((rc = getaddrinfo(hlen ? host : NULL, colon + 1, &hints, &res))) {
		log_error("listen: %s: %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype, 0)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		log_error("listen: cannot bind %s: %s", spec, strerror(errno));
	else if (listen(fd, 511) == -1) {
		log_error("listen: %s: %s", spec, strerror(errno));
		close(fd);
		fd = -1;
	}
	return fd;
}

static int
pool_listen(struct pool *p)
{
	const char *l = p->cfg->listen;
	int fd;

	fd = strncmp(l, "unix:", 5) == 0 ? pool_listen_unix(p, l + 5) :
	    pool_listen_tcp(l);
	if (fd == -1)
		return -1;
	/*
	 * Non-blocking: every idle worker polls the socket and the losers
	 * of a wake-up get EAGAIN instead of sleeping in accept(), where a
	 * stop signal could be missed.
	 */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
		log_error("listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static size_t
pool_count(const struct pool *p, int want_state, int old_only)
{
	size_t i, n = 0;

	for (i = 0; i < p->nkids; i++) {
		const struct child *k = &p->kids[i];

		if (k->state == CHILD_FREE)
			continue;
		if (want_state >= 0 && (int)k->state != want_state)
			continue;
		if (old_only && k->gen == p->gen)
			continue;
		n++;
	}
	return n;
}

static int
pool_spawn(struct pool *p)
{
	struct child *k = NULL;
	sigset_t all, old;
	int fds[2];
	size_t i;
	pid_t pid;

	for (i = 0; i < p->nkids; i++)
		if (p->kids[i].state == CHILD_FREE) {
			k = &p->kids[i];
			break;
		}
	if (k == NULL) {
		log_error("spawn: no free worker slot");
		return -1;
	}
	if (pipe2(fds, O_CLOEXEC) == -1) {
		log_error("spawn: pipe: %s", strerror(errno));
		return -1;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) == -1) {
		log_error("spawn: fork: %s", strerror(errno));
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		struct sigaction sa;
		static const int sigs[] = {
			SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGCHLD
		};

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			sigaction(sigs[i], &sa, NULL);
		close(fds[0]);
		close(pool_sigpipe[0]);
		close(pool_sigpipe[1]);
		for (i = 0; i < p->nkids; i++)
			if (p->kids[i].state != CHILD_FREE &&
			    p->kids[i].ready_fd >= 0)
				close(p->kids[i].ready_fd);
		worker_main(p->cfg, p->assets, p->workos, (int)(k - p->kids),
		    p->listen_fd, fds[1]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	k->state = CHILD_STARTING;
	k->pid = pid;
	k->ready_fd = fds[0];
	k->gen = p->gen;
	k->started = clock_now();
	log_info("worker %ld started (generation %u)", (long)pid, p->gen);
	return 0;
}

/*
 * Start workers of the current generation until there are cfg->workers of
 * them (starting or ready).  A failed fork is retried from the main loop.
 */
static void
pool_fill(struct pool *p)
{
	size_t i, have = 0;

	if (p->stopping)
		return;
	for (i = 0; i < p->nkids; i++)
		if (p->kids[i].gen == p->gen &&
		    (p->kids[i].state == CHILD_STARTING ||
		    p->kids[i].state == CHILD_READY))
			have++;
	p->short_handed = 0;
	for (; have < (size_t)p->cfg->workers; have++)
		if (pool_spawn(p) == -1) {
			p->short_handed = 1;
			break;
		}
}

static void
pool_signal_all(struct pool *p, int sig)
{
	size_t i;

	for (i = 0; i < p->nkids; i++)
		if (p->kids[i].state != CHILD_FREE)
			kill(p->kids[i].pid, sig);
}

static void
pool_begin_stop(struct pool *p, const char *why)
{
	size_t i;

	if (p->stopping)
		return;
	log_info("stopping (%s): letting %zu worker(s) finish, %d s before "
	    "they are killed", why, pool_count(p, -1, 0), p->cfg->stop_timeout);
	p->stopping = 1;
	pool_announce("STOPPING=1\nSTATUS=stopping (%s)", why);
	p->deadline = clock_now() + p->cfg->stop_timeout;
	for (i = 0; i < p->nkids; i++)
		if (p->kids[i].state != CHILD_FREE)
			p->kids[i].state = CHILD_RETIRING;
	pool_signal_all(p, SIGQUIT);
	/* Stop accepting: new connections are refused, not left queued. */
	if (p->listen_fd >= 0) {
		close(p->listen_fd);
		p->listen_fd = -1;
	}
	if (p->unix_path != NULL) {
		unlink(p->unix_path);
		p->unix_path = NULL;
	}
}

/* Record a crash; 1 when the crash-loop limit is reached. */
static int
pool_note_crash(struct pool *p, double now)
{
	size_t limit = (size_t)p->cfg->crash_limit, i, recent = 0;

	p->crashes[p->ncrash++ % limit] = now;
	for (i = 0; i < limit && i < p->ncrash; i++)
		if (now - p->crashes[i] <= p->cfg->crash_window)
			recent++;
	return recent >= limit;
}

/* Retire one worker of an older generation for each new ready worker. */
static void
pool_retire_old(struct pool *p)
{
	size_t i, fresh = 0, retiring = 0, old = 0;

	for (i = 0; i < p->nkids; i++) {
		struct child *k = &p->kids[i];

		if (k->state == CHILD_READY && k->gen == p->gen)
			fresh++;
	}
	for (i = 0; i < p->nkids; i++) {
		struct child *k = &p->kids[i];

		if (k->state == CHILD_FREE || k->gen == p->gen)
			continue;
		if (k->state == CHILD_RETIRING)
			retiring++;
		else
			old++;
	}
	for (i = 0; i < p->nkids && old > 0 && retiring < fresh; i++) {
		struct child *k = &p->kids[i];

		if (k->state == CHILD_FREE || k->state == CHILD_RETIRING ||
		    k->gen == p->gen)
			continue;
		log_info("worker %ld replaced: finishing its request",
		    (long)k->pid);
		kill(k->pid, SIGQUIT);
		k->state = CHILD_RETIRING;
		retiring++;
		old--;
	}
}

static void
pool_reap(struct pool *p)
{
	double now = clock_now();
	int status;
	pid_t pid;
	size_t i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct child *k = NULL;
		int crashed, start_failure, was_old;

		for (i = 0; i < p->nkids; i++)
			if (p->kids[i].state != CHILD_FREE &&
			    p->kids[i].pid == pid)
				k = &p->kids[i];
		if (k == NULL)
			continue;
		if (k->ready_fd >= 0)
			close(k->ready_fd);
		crashed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		if (WIFSIGNALED(status))
			log_warn("worker %ld exited on signal %d (%s%s) after "
			    "%.1f s%s", (long)pid, WTERMSIG(status),
			    strsignal(WTERMSIG(status)),
			    WCOREDUMP(status) ? ", core dumped" : "",
			    now - k->started, WTERMSIG(status) == SIGALRM ?
			    ": request timeout" : "");
		else if (crashed)
			log_warn("worker %ld exited with status %d after %.1f s%s",
			    (long)pid, WEXITSTATUS(status), now - k->started,
			    k->state == CHILD_STARTING ? " before it was ready" :
			    "");
		else
			log_info("worker %ld exited after %.1f s", (long)pid,
			    now - k->started);
		/*
		 * The crash-loop guard counts workers that cannot start: dead
		 * before ready or within a second.  A worker that served and
		 * then crashed, or ran out of time on one request, is
		 * replaced without counting, so one bad URL cannot stop the
		 * pool.
		 */
		start_failure = crashed && (k->state == CHILD_STARTING ||
		    now - k->started < 1.0) && !(WIFSIGNALED(status) &&
		    WTERMSIG(status) == SIGALRM);
		was_old = k->gen != p->gen;
		memset(k, 0, sizeof(*k));
		k->ready_fd = -1;
		if (p->stopping)
			continue;
		if (start_failure && pool_note_crash(p, now)) {
			log_error("workers crashed %d times within %d s: giving "
			    "up (see the lines above for why)",
			    p->cfg->crash_limit, p->cfg->crash_window);
			p->exit_code = 1;
			pool_begin_stop(p, "crash loop");
			continue;
		}
		if (was_old && pool_count(p, -1, 1) == 0)
			pool_reload_done(p);
	}
	pool_fill(p);
}

static void
pool_reload(struct pool *p)
{
	struct assets *as;
	char err[1024];

	if (p->stopping)
		return;
	if (pool_count(p, -1, 1) > 0) {
		/* The previous reload still has old workers finishing. */
		log_info("reload requested during a reload: queued");
		p->reload_pending = 1;
		return;
	}
	if ((as = assets_load(p->cfg->root, routes_template_link, err,
	    sizeof(err))) == NULL) {
		log_error("reload refused, workers keep running: %s", err);
		pool_announce("STATUS=reload refused, generation %u serving: "
		    "%s", p->gen, err);
		return;
	}
	assets_free(p->assets);
	p->assets = as;
	p->gen++;
	log_info("reloading: starting %d workers of generation %u",
	    p->cfg->workers, p->gen);
	pool_announce("RELOADING=1\nSTATUS=reloading: generation %u "
	    "starting", p->gen);
	pool_fill(p);
}

/* Every worker of an older generation is gone. */
static void
pool_reload_done(struct pool *p)
{
	log_info("reload complete: every worker is of generation %u", p->gen);
	pool_announce("READY=1\nSTATUS=serving, generation %u", p->gen);
	if (p->reload_pending) {
		p->reload_pending = 0;
		pool_reload(p);
	}
}

static void
pool_on_ready(struct pool *p, struct child *k)
{
	char c;
	ssize_t n = read(k->ready_fd, &c, 1);

	if (n == 1 && c == 'R') {
		close(k->ready_fd);
		k->ready_fd = -1;
		if (k->state == CHILD_STARTING)
			k->state = CHILD_READY;
		/* Ready once the first worker is: a service manager
		   (Type=notify) starts what depends on us then. */
		if (!p->announced && !p->stopping) {
			p->announced = 1;
			pool_announce("READY=1\nSTATUS=serving on %s, "
			    "generation %u", p->cfg->listen, p->gen);
		}
		pool_retire_old(p);
	} else if (n <= 0) {
		/* Died before ready: pool_reap() accounts for it. */
		close(k->ready_fd);
		k->ready_fd = -1;
	}
}

static int
pool_install_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGCHLD };
	struct sigaction sa;
	size_t i;

	if (pipe2(pool_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_error("pipe: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = pool_on_signal;
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	return 0;
}

int
pool_run(const struct config *cfg)
{
	struct pool p;
	char err[1024];

	log_set_role("master");
	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.listen_fd = -1;
	if ((p.assets = assets_load(cfg->root, routes_template_link, err,
	    sizeof(err))) == NULL) {
		log_error("cannot load templates: %s", err);
		return 1;
	}
	if (db_check_role(cfg->database_url, err, sizeof(err)) == -1 ||
	    db_check_identity(cfg->database_url, cfg->identity_key,
	    cfg->identity_key_len, err, sizeof(err)) == -1) {
		log_error("refusing to serve: %s", err);
		assets_free(p.assets);
		return 1;
	}
	p.nkids = 2 * (size_t)cfg->workers;
	p.kids = calloc(p.nkids, sizeof(*p.kids));
	p.crashes = calloc((size_t)cfg->crash_limit, sizeof(*p.crashes));
	/* At most half the workers wait on WorkOS at once: a hung WorkOS
	   leaves the others to the pages that need none. */
	p.workos = workos_shared_new((int)p.nkids,
	    cfg->workers / 2 > 0 ? cfg->workers / 2 : 1);
	if (p.kids == NULL || p.crashes == NULL || p.workos == NULL) {
		log_error("out of memory");
		return 1;
	}
	if (pool_install_signals() == -1 || (p.listen_fd = pool_listen(&p)) == -1)
		return 1;
	log_info("listening on %s with %d workers", cfg->listen, cfg->workers);
	pool_fill(&p);

	for (;;) {
		struct pollfd pfd[1 + 512];
		struct child *who[1 + 512];
		unsigned char sigs[64];
		size_t n = 1, j;
		int timeout = -1;
		ssize_t got;

		if (p.stopping && pool_count(&p, -1, 0) == 0)
			break;
		pfd[0].fd = pool_sigpipe[0];
		pfd[0].events = POLLIN;
		for (j = 0; j < p.nkids && n < 1 + 512; j++)
			if (p.kids[j].state != CHILD_FREE &&
			    p.kids[j].ready_fd >= 0) {
				pfd[n].fd = p.kids[j].ready_fd;
				pfd[n].events = POLLIN;
				who[n++] = &p.kids[j];
			}
		if (p.stopping && !p.killed) {
			double left = p.deadline - clock_now();

			timeout = left > 0 ? (int)(left * 1000) + 1 : 0;
		} else if (p.short_handed)
			timeout = 1000;		/* retry a failed fork */
		if (poll(pfd, n, timeout) == -1 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		for (j = 1; j < n; j++)
			if (pfd[j].revents != 0 && who[j]->ready_fd >= 0)
				pool_on_ready(&p, who[j]);
		while ((got = read(pool_sigpipe[0], sigs, sizeof(sigs))) > 0) {
			for (j = 0; j < (size_t)got; j++) {
				switch (sigs[j]) {
				case SIGCHLD:
					pool_reap(&p);
					break;
				case SIGHUP:
					pool_reload(&p);
					break;
				case SIGTERM:
				case SIGINT:
				case SIGQUIT:
					pool_begin_stop(&p,
					    strsignal(sigs[j]));
					break;
				}
			}
		}
		if (p.short_handed)
			pool_fill(&p);
		if (p.stopping && !p.killed && clock_now() >= p.deadline &&
		    pool_count(&p, -1, 0) > 0) {
			log_warn("stop timeout: killing %zu worker(s)",
			    pool_count(&p, -1, 0));
			pool_signal_all(&p, SIGKILL);
			p.killed = 1;
		}
	}
	log_info("stopped");
	if (p.unix_path != NULL)
		unlink(p.unix_path);
	if (p.listen_fd >= 0)
		close(p.listen_fd);
	workos_shared_free(p.workos);
	assets_free(p.assets);
	free(p.kids);
	free(p.crashes);
	return p.exit_code;
}
