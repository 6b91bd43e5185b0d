/* worker: one pool process — the FastCGI accept loop and per-request handling. */
#ifndef ELEVA_WORKER_H
#define ELEVA_WORKER_H

struct assets;
struct config;
struct workos_shared;

/*
 * Run a worker in this freshly forked process: drop privileges if
 * configured, open per-worker state, write one byte on ready_fd once able
 * to serve, then answer requests on listen_fd until SIGQUIT/SIGTERM/
 * SIGINT/SIGHUP (finishing the request in flight) or max_requests.
 * The pool's workers share what they know of WorkOS (the breaker, who
 * waits on it) through workos_shared, this worker at index slot.
 * Never returns: exits 0 after a clean stop, 70 when it cannot start.
 */
void	worker_main(const struct config *, const struct assets *,
	    struct workos_shared *, int slot, int listen_fd, int ready_fd)
	    __attribute__((noreturn));

#endif
