/* mail: one message sent over SMTP with libcurl (STARTTLS or SMTPS, AUTH), its outcome sorted for retrying. */
#ifndef ELEVA_MAIL_H
#define ELEVA_MAIL_H

#include <stddef.h>

struct mail;

enum mail_tls {
	MAIL_TLS_NONE = 0,	/* plain SMTP, never STARTTLS */
	MAIL_TLS_TRY,		/* STARTTLS when the server offers it */
	MAIL_TLS_REQUIRED,	/* STARTTLS (or smtps://) or no delivery */
};

struct mail_config {
	const char	*url;		/* smtp://host:port[/ehlo-name] or
					   smtps://host:port (TLS at once) */
	const char	*user;		/* AUTH, when set (with password) */
	const char	*password;	/* never logged */
	enum mail_tls	 tls;
	const char	*ca_file;	/* CA bundle for the server's
					   certificate; NULL: the system's */
	long		 timeout_ms;	/* one message, connection included */
};

enum mail_result {
	MAIL_SENT,		/* the server took it (250 after the data) */
	MAIL_RETRY,		/* no connection, timeout, a 4xx, TLS or AUTH
				   failure, a 5xx before the envelope (the
				   configuration may be fixed): try later */
	MAIL_REJECTED,		/* a permanent 5xx to this message's sender,
				   recipient or data: never again as it is */
};

/*
 * A sender for cfg (which must outlive it): one curl handle, whose
 * connection is kept between messages.  Call after fork.  NULL when curl
 * cannot start or cfg->url is NULL (mail is off).
 */
struct mail	*mail_new(const struct mail_config *cfg);
void		 mail_free(struct mail *);

/*
 * Send msg[0..len) (a whole RFC 5322 message with CRLF lines, as
 * mime_write makes: the envelope is from_addr and to_addr, its headers
 * are not read) to to_addr.  libcurl dot-stuffs the data and ends it.
 * err gets one line: the server's last reply (its code and text, any
 * address in it replaced by "<address>") or curl's reason; the outcome
 * is logged the same way, never with the password or an address.
 */
enum mail_result mail_send(struct mail *, const char *from_addr,
		    const char *to_addr, const char *msg, size_t len,
		    char *err, size_t errlen);

/* "sent", "retry", "rejected": for logs and tests. */
const char	*mail_result_str(enum mail_result);

#endif
