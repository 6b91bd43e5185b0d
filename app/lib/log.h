/* log: one line per event on stderr, tagged with the process and request id. */
#ifndef ELEVA_LOG_H
#define ELEVA_LOG_H

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
};

/* Messages below this level are dropped.  Default LOG_INFO. */
void	log_set_level(enum log_level);
/* Parse "debug", "info", "warn", "error"; -1 when unknown. */
int	log_level_parse(const char *);
/* The name of a level ("?" when out of range). */
const char *log_level_name(int);
/* Role shown on each line: "master", "worker", "cli"... (static string). */
void	log_set_role(const char *);
/*
 * The current request id, included in every line until cleared with NULL.
 * The string must live until it is cleared (the request's arena).
 */
void	log_set_request(const char *);

/*
 * Write one line.  Control characters in the formatted message are shown
 * as \xNN so a value from a request cannot forge a log line.  Safe to call
 * at any time but not from a signal handler.
 */
void	log_msg(enum log_level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)

/* Startup failure: log at error level and exit(1). */
void	log_fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
