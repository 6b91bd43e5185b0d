/* mail_send_cli: a test driver (not a test): builds one message with mime_write from the environment and sends it with mail_send. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/mime.h"
#include "core/mail.h"

/*
 * Environment: the transport as the app reads it (SMTP_URL, SMTP_USER,
 * SMTP_PASSWORD, SMTP_TLS none|try|required, SMTP_CA_FILE,
 * SMTP_TIMEOUT_MS) and the message (MAIL_FROM_NAME, MAIL_FROM_ADDR,
 * MAIL_TO_NAME, MAIL_TO_ADDR, MAIL_SUBJECT, MAIL_MESSAGE_ID, MAIL_DATE,
 * MAIL_TEXT, MAIL_HTML, MAIL_ICS, MAIL_ICS_METHOD, MAIL_ICS_FILENAME);
 * MAIL_OUT: a file to write the message to as well; MAIL_COUNT: send it
 * that many times through the one sender (its connection kept, as the
 * mailer's is).  Prints a line a send, "sent|retry|rejected: reason" (or
 * one "invalid: ..."), and exits as the last send went: 0 sent, 1 to
 * retry, 2 rejected; 3 for a message mime_write refuses.
 */
int
main(void)
{
	struct arena a;
	struct buf b;
	struct mime_msg m;
	struct mail_config cfg;
	struct mail *mail;
	enum mail_result r = MAIL_RETRY;
	const char *tls = getenv("SMTP_TLS"), *out = getenv("MAIL_OUT"),
	    *to = getenv("SMTP_TIMEOUT_MS");
	char err[512];
	FILE *f;
	int i, count = getenv("MAIL_COUNT") != NULL ?
	    atoi(getenv("MAIL_COUNT")) : 1;

	log_set_role("mail_send_cli");
	if (arena_init(&a) == -1)
		return 4;
	memset(&m, 0, sizeof(m));
	m.from_name = getenv("MAIL_FROM_NAME");
	m.from_addr = getenv("MAIL_FROM_ADDR");
	m.to_name = getenv("MAIL_TO_NAME");
	m.to_addr = getenv("MAIL_TO_ADDR");
	m.subject = getenv("MAIL_SUBJECT");
	m.message_id = getenv("MAIL_MESSAGE_ID");
	m.date = getenv("MAIL_DATE") != NULL ? atoll(getenv("MAIL_DATE")) :
	    1796594400;
	m.text = getenv("MAIL_TEXT");
	m.html = getenv("MAIL_HTML");
	m.ics = getenv("MAIL_ICS");
	m.ics_method = getenv("MAIL_ICS_METHOD");
	m.ics_filename = getenv("MAIL_ICS_FILENAME");
	buf_init(&b, &a);
	if (mime_write(&b, &m) == -1) {
		printf("invalid: mime_write refused the message\n");
		arena_free(&a);
		return 3;
	}
	if (out != NULL && (f = fopen(out, "wb")) != NULL) {
		fwrite(b.data, 1, b.len, f);
		fclose(f);
	}

	memset(&cfg, 0, sizeof(cfg));
	cfg.url = getenv("SMTP_URL");
	cfg.user = getenv("SMTP_USER");
	cfg.password = getenv("SMTP_PASSWORD");
	cfg.tls = tls == NULL || strcmp(tls, "try") == 0 ? MAIL_TLS_TRY :
	    strcmp(tls, "required") == 0 ? MAIL_TLS_REQUIRED : MAIL_TLS_NONE;
	cfg.ca_file = getenv("SMTP_CA_FILE");
	cfg.timeout_ms = to != NULL ? atol(to) : 10000;
	if ((mail = mail_new(&cfg)) == NULL) {
		printf("invalid: no SMTP_URL, or curl did not start\n");
		arena_free(&a);
		return 4;
	}
	for (i = 0; i < count; i++) {
		r = mail_send(mail, m.from_addr, m.to_addr, b.data, b.len, err,
		    sizeof(err));
		printf("%s: %s\n", mail_result_str(r), err);
		fflush(stdout);
	}
	mail_free(mail);
	arena_free(&a);
	return r == MAIL_SENT ? 0 : r == MAIL_RETRY ? 1 : 2;
}
