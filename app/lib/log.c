/* log: one line per event on stderr with time, role, pid and request id. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"

static enum log_level	 log_min = LOG_INFO;
static const char	*log_role = "eleva";
static const char	*log_rid;

static const char *const log_names[] = {
	"debug",	/* LOG_DEBUG */
	"info",		/* LOG_INFO */
	"warn",		/* LOG_WARN */
	"error",	/* LOG_ERROR */
};

void
log_set_level(enum log_level l)
{
	log_min = l;
}

int
log_level_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++)
		if (strcmp(s, log_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
log_level_name(int l)
{
	return l >= 0 && l < (int)(sizeof(log_names) / sizeof(log_names[0])) ?
	    log_names[l] : "?";
}

void
log_set_role(const char *role)
{
	log_role = role;
}

void
log_set_request(const char *rid)
{
	log_rid = rid;
}

static void
log_vmsg(enum log_level l, const char *fmt, va_list ap)
{
	char msg[2048], line[4096];
	struct timespec ts;
	struct tm tm;
	size_t n, i;
	int len;

	if (l < log_min)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	len = snprintf(line, sizeof(line),
	    "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s[%ld] %s%s%s: ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, log_role,
	    (long)getpid(), log_names[l], log_rid ? " rid=" : "",
	    log_rid ? log_rid : "");
	if (len < 0)
		return;
	n = (size_t)len;
	for (i = 0; msg[i] != '\0' && n + 5 < sizeof(line); i++) {
		unsigned char c = (unsigned char)msg[i];

		if (c < 0x20 || c == 0x7f) {
			n += (size_t)snprintf(line + n, sizeof(line) - n,
			    "\\x%02x", c);
		} else
			line[n++] = (char)c;
	}
	line[n++] = '\n';
	/* One write(2) per line so lines from several processes never mix. */
	(void)!write(STDERR_FILENO, line, n);
}

void
log_msg(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(l, fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
