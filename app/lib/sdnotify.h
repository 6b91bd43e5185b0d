/* sdnotify: tell the service manager (systemd's Type=notify) the pool's state. */
#ifndef ELEVA_SDNOTIFY_H
#define ELEVA_SDNOTIFY_H

/*
 * Send state ("READY=1", "RELOADING=1", "STOPPING=1", "STATUS=...", lines
 * joined by '\n') as one datagram to the socket named by NOTIFY_SOCKET: a
 * path, or "@name" for an abstract socket.  Without NOTIFY_SOCKET (not run
 * by systemd, or Type= other than notify) it does nothing and returns 0;
 * -1 when the variable is malformed or the datagram cannot be sent.
 */
int	sdnotify_send(const char *state);

#endif
