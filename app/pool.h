/* pool: the master process — listening socket, workers, signals, restarts. */
#ifndef ELEVA_POOL_H
#define ELEVA_POOL_H

struct config;

/*
 * Open the listening socket, fork cfg->workers workers and supervise them
 * until a stop signal: respawn crashed workers (giving up after
 * crash_limit crashes within crash_window seconds), recycle, SIGHUP =
 * reload templates and replace every worker without dropping a request,
 * SIGTERM/SIGQUIT/SIGINT = graceful stop escalating to SIGKILL after
 * stop_timeout.  Returns the process exit status: 0 after a requested
 * stop, 1 when it could not start or gave up.
 */
int	pool_run(const struct config *);

#endif
