/* sdnotify_test: lib/sdnotify.c — a datagram to the NOTIFY_SOCKET path or abstract name, nothing without it, a malformed one refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/sdnotify.h"
#include "tap.h"

/* A datagram socket bound to name (a path, or "@x": abstract). */
static int
listen_at(const char *name)
{
	struct sockaddr_un sa;
	size_t len = strlen(name);
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sa,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) == -1)
		return -1;
	return fd;
}

/* The next datagram on fd, or "" when none is waiting. */
static const char *
next(int fd)
{
	static char msg[512];
	ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);

	msg[n > 0 ? n : 0] = '\0';
	return msg;
}

int
main(void)
{
	char dir[] = "/tmp/sdnotify-test.XXXXXX", path[256], abs[64];
	int fd, afd;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/notify", dir);
	snprintf(abs, sizeof(abs), "@eleva-sdnotify-test-%d", (int)getpid());
	fd = listen_at(path);
	afd = listen_at(abs);
	tap_ok(fd >= 0 && afd >= 0, "listening on a path and an abstract name");

	unsetenv("NOTIFY_SOCKET");
	tap_is_int(sdnotify_send("READY=1"), 0,
	    "no NOTIFY_SOCKET: nothing to do, no error");
	tap_is_str(next(fd), "", "and nothing was sent");

	setenv("NOTIFY_SOCKET", path, 1);
	tap_is_int(sdnotify_send("READY=1\nSTATUS=serving"), 0, "sent to a path");
	tap_is_str(next(fd), "READY=1\nSTATUS=serving",
	    "the state arrives as one datagram, lines intact");

	setenv("NOTIFY_SOCKET", abs, 1);
	tap_is_int(sdnotify_send("STOPPING=1"), 0, "sent to an abstract name");
	tap_is_str(next(afd), "STOPPING=1", "and it arrives there");

	setenv("NOTIFY_SOCKET", "relative/notify", 1);
	tap_is_int(sdnotify_send("READY=1"), -1, "a relative path: refused");
	setenv("NOTIFY_SOCKET", "@", 1);
	tap_is_int(sdnotify_send("READY=1"), -1, "an empty abstract name: refused");
	setenv("NOTIFY_SOCKET", "/", 1);
	tap_is_int(sdnotify_send("READY=1"), -1, "a path nothing listens on: -1");

	close(fd);
	close(afd);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
