/* req: one HTTP request as received from nginx over FastCGI, parsed and limited. */
#ifndef ELEVA_REQ_H
#define ELEVA_REQ_H

#include <stddef.h>

#include "core/form.h"

struct arena;

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_DELETE,
	HTTP_PATCH,
	HTTP_OPTIONS,
	HTTP_OTHER,
	HTTP__MAX
};

struct req_limits {
	size_t			max_body;	/* bytes; larger bodies get 413 */
	size_t			max_path;	/* bytes of REQUEST_URI */
	struct form_limits	form;		/* query, body and cookies */
};

/* The defaults used by the worker and the tests. */
extern const struct req_limits req_default_limits;

struct req {
	struct arena		*arena;
	enum http_method	 method;
	const char		*method_name;	/* as sent: "GET" */
	const char		*uri;		/* REQUEST_URI as sent */
	const char		*path;		/* decoded path, starts with '/' */
	const char		*query_string;	/* raw, "" when absent */
	struct kvlist		 query;
	struct kvlist		 form;		/* urlencoded body fields */
	struct kvlist		 cookies;
	struct kvlist		 headers;	/* names lower-case with '-' */
	struct kvlist		 params;	/* route parameters (dispatcher) */
	const char		*remote_addr;	/* "" when absent */
	const char		*content_type;	/* "" when absent */
	size_t			 content_length;
	const char		*body;		/* as received, NUL-terminated; "" */
	size_t			 body_len;
	int			 https;		/* HTTPS=on or REQUEST_SCHEME=https */
	const char		*request_id;	/* REQUEST_ID from nginx, or generated */
	const char		*error;		/* why parsing refused the request */
	int			 lang;		/* enum lang, set by the dispatcher */
};

/*
 * Fill req from FastCGI parameters: envp is a NULL-terminated array of
 * "NAME=value" strings (FCGX_Request.envp).  Parses method, REQUEST_URI
 * (path percent-decoded without '+' rule, an encoded slash refused;
 * query string), QUERY_STRING,
 * HTTP_* headers, cookies, REMOTE_ADDR, HTTPS/REQUEST_SCHEME,
 * CONTENT_TYPE, CONTENT_LENGTH, REQUEST_ID.  Everything is arena-owned.
 * Returns 0, or the HTTP status to answer (400, 413 when CONTENT_LENGTH
 * is over max_body, 414 for an over-long URI) with req->error set.
 */
int		 req_parse_env(struct req *, struct arena *, char *const *envp,
		    const struct req_limits *);

/*
 * Parse the body read from the stream (len == req->content_length): it is
 * kept in req->body / body_len (body must be NUL-terminated and live as
 * long as the request).  Only application/x-www-form-urlencoded
 * (parameters such as charset allowed) fills req->form; other types (JSON
 * webhooks) are left to the handler.  Returns 0, or
 * 400/413 with req->error set.
 */
int		 req_parse_body(struct req *, const char *body, size_t len,
		    const struct req_limits *);

/* Lookups: the first value, or NULL.  Header names are lower-case. */
const char	*req_header(const struct req *, const char *name);
const char	*req_query(const struct req *, const char *name);
const char	*req_form(const struct req *, const char *name);
const char	*req_cookie(const struct req *, const char *name);
const char	*req_param(const struct req *, const char *name);

/* "GET" for HTTP_GET ...; NULL for HTTP_OTHER. */
const char	*req_method_name(enum http_method);

#endif
