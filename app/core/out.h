/* out: the response (status, headers, body) and the only writer to the FastCGI stream. */
#ifndef ELEVA_OUT_H
#define ELEVA_OUT_H

#include <stddef.h>

#include "lib/buf.h"

struct arena;

struct out_header {
	const char	*name;
	const char	*value;
};

struct resp {
	struct arena		*arena;
	int			 status;
	struct out_header	*headers;
	size_t			 nheaders;
	size_t			 capheaders;
	struct buf		 body;
	int			 rendered;	/* a handler wrote its own page */
	/* Streaming (out_stream_*): set by the worker, then by out.c. */
	struct FCGX_Stream	*stream;	/* the request's output */
	int			 head_only;	/* HEAD: the body is dropped */
	int			 streamed;	/* the head is sent */
	int			 aborted;	/* cut short: no clean end */
	size_t			 body_sent;	/* body bytes flushed so far */
};

/* Start an empty 200 response whose memory belongs to the arena. */
void		 out_init(struct resp *, struct arena *);

/*
 * Add a header.  Names must be HTTP tokens; values must not contain CR,
 * LF, NUL or other control characters but tab.  Returns 0, or -1 (logged,
 * nothing added) for a refused name or value: a value from a request can
 * never split the response.
 */
int		 out_header(struct resp *, const char *name, const char *value);

/* The value of a header already added (case-insensitive name), or NULL. */
const char	*out_get_header(const struct resp *, const char *name);

/* Drop headers and body: a handler's partial output before an error page. */
void		 out_clear(struct resp *);

/* "Not Found" for 404...; "Unknown" for codes not in the table. */
const char	*out_status_text(int status);

/*
 * Write the CGI response head ("Status: 200 OK", headers, Content-Length,
 * a default Content-Type of text/html; charset=utf-8) into dst; the body
 * follows unless head_only (HEAD requests).
 */
void		 out_serialize(const struct resp *, int head_only, struct buf *dst);

struct FCGX_Stream;
/*
 * Send the response on the FastCGI stream (for a streamed one, what is
 * left of its body).  Returns 0, or -1 when the stream failed (the client
 * went away) or the response was cut short (out_stream_abort): then the
 * connection must close without ending the request, so that nginx and the
 * client see a broken response rather than a short one.
 */
int		 out_send(const struct resp *, int head_only, struct FCGX_Stream *);

/*
 * Streaming, for a body too large to hold (an export): out_stream_begin
 * sends the status and headers now, without Content-Length (nginx sends
 * it chunked); the handler then appends to resp->body and calls
 * out_stream_flush, which sends the body once OUT_STREAM_CHUNK bytes are
 * waiting (or always, with force) and empties it.  Headers added later
 * are not sent.  Both return 0, or -1 when the client went away.
 * out_stream_abort marks a response that must not look complete (its
 * transaction failed after the body began).
 */
#define OUT_STREAM_CHUNK	(32 * 1024)
int		 out_stream_begin(struct resp *);
int		 out_stream_flush(struct resp *, int force);
void		 out_stream_abort(struct resp *);

#endif
