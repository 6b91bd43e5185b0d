/* notify_listen: a test driver playing systemd's side of Type=notify — bind PATH, print each datagram on a line ('\n' as " | "), until SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un sa;
	char msg[4096];
	ssize_t n, i;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fputs("usage: notify_listen PATH\n", stderr);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    chmod(argv[1], 0666) == -1) {	/* the service may be another user */
		perror("notify_listen");
		return 1;
	}
	signal(SIGTERM, SIG_DFL);
	puts("listening");
	fflush(stdout);
	while ((n = recv(fd, msg, sizeof(msg) - 1, 0)) >= 0) {
		for (i = 0; i < n; i++)
			if (msg[i] == '\n')
				fputs(" | ", stdout);
			else
				putchar(msg[i]);
		putchar('\n');
		fflush(stdout);
	}
	return 0;
}
