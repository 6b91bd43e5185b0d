/* workos_test: the WorkOS client against the emulator, and against canned answers for what it never sends. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/log.h"
#include "tap.h"
#include "core/workos.h"

static struct arena	A;

/* Canned answers by request line; every request writes one byte to hits. */
static const struct {
	const char	*line;
	const char	*answer;
} canned[] = {
	{ "POST /user_management/users ", "HTTP/1.1 400 Bad Request\r\n"
	  "Content-Type: application/json\r\n\r\n{\"message\":\"Could not create user.\","
	  "\"code\":\"user_creation_error\",\"errors\":[{\"code\":\"email_not_available\","
	  "\"message\":\"This email is not available.\"}]}" },
	{ "GET /user_management/users/user_500 ", "HTTP/1.1 500 Internal Server Error\r\n"
	  "Content-Type: application/json\r\n\r\n{\"message\":\"boom\"}" },
	{ "GET /organizations/org_429 ", "HTTP/1.1 429 Too Many Requests\r\n"
	  "Retry-After: 0\r\nContent-Type: application/json\r\n\r\n{\"message\":\"slow down\"}" },
	{ "GET /organizations/org_text ", "HTTP/1.1 200 OK\r\n"
	  "Content-Type: text/html\r\n\r\n<html>maintenance</html>" },
	{ "GET /organizations/org_404 ", "HTTP/1.1 404 Not Found\r\n"
	  "Content-Type: application/json\r\n\r\n{\"message\":\"Organization not found\"}" },
	{ "GET /user_management/organization_memberships", "HTTP/1.1 200 OK\r\n"
	  "Content-Type: application/json\r\n\r\n{\"object\":\"list\",\"data\":[{\"object\":"
	  "\"organization_membership\",\"id\":\"om_1\",\"user_id\":\"user_1\","
	  "\"organization_id\":\"org_1\",\"status\":\"active\",\"role\":{\"slug\":\"owner\"},"
	  "\"something_new\":{\"x\":[1,2]}},{\"object\":\"organization_membership\",\"id\":"
	  "\"om_2\",\"user_id\":\"user_1\",\"organization_id\":\"org_2\",\"status\":"
	  "\"inactive\",\"role\":{\"slug\":\"member\"}}],\"list_metadata\":{}}" },
	{ "POST /user_management/authenticate ", "HTTP/1.1 400 Bad Request\r\n"
	  "Content-Type: application/json\r\n\r\n{\"error\":\"invalid_grant\","
	  "\"error_description\":\"Invalid refresh token.\"}" },
};

/* Serve canned answers on a fresh port until killed; returns the port. */
static int
canned_start(pid_t *pid, int *hits)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0), p[2], one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(s, 16) == -1 || getsockname(s, (struct sockaddr *)&sa,
	    &len) == -1 || pipe(p) == -1)
		return -1;
	if ((*pid = fork()) == 0) {
		close(p[0]);
		for (;;) {
			char req[8192], out[4096];
			ssize_t n;
			size_t i;
			int c = accept(s, NULL, NULL);

			if (c == -1)
				continue;
			n = read(c, req, sizeof(req) - 1);
			req[n > 0 ? n : 0] = '\0';
			(void)!write(p[1], "x", 1);
			for (i = 0; i < sizeof(canned) / sizeof(canned[0]); i++)
				if (strncmp(req, canned[i].line,
				    strlen(canned[i].line)) == 0)
					break;
			if (i == sizeof(canned) / sizeof(canned[0]))
				snprintf(out, sizeof(out), "HTTP/1.1 418 No\r\n"
				    "Content-Length: 0\r\nConnection: close\r\n\r\n");
			else {
				const char *body = strstr(canned[i].answer,
				    "\r\n\r\n") + 4;

				snprintf(out, sizeof(out), "%.*sContent-Length: "
				    "%zu\r\nConnection: close\r\n\r\n%s",
				    (int)(body - canned[i].answer - 2),
				    canned[i].answer, strlen(body), body);
			}
			(void)!write(c, out, strlen(out));
			close(c);
		}
	}
	close(p[1]);
	close(s);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	*hits = p[0];
	return ntohs(sa.sin_port);
}

static int
hits_since(int fd)
{
	char b[64];
	ssize_t n;
	int total = 0;

	usleep(50 * 1000);
	while ((n = read(fd, b, sizeof(b))) > 0)
		total += (int)n;
	return total;
}

static void
test_canned(void)
{
	struct workos_config cfg = { NULL, "sk_test_x", "client_x",
	    "http://127.0.0.1/auth/callback", 1000, 2000, 2, 0, 0, NULL, 0 };
	struct workos_user u;
	struct workos_org g;
	struct workos_membership *ms;
	struct workos_auth wa;
	struct workos *w;
	size_t n;
	pid_t pid;
	int hits, port = canned_start(&pid, &hits);

	ok(port > 0, "a canned WorkOS stand-in starts");
	cfg.api_base = arena_printf(&A, "http://127.0.0.1:%d", port);
	w = workos_new(&cfg);
	hits_since(hits);
	is_int(workos_user_create(w, &A, "taken@example.test", "A", "B", 0, NULL,
	    &u), WORKOS_CONFLICT, "production's 400 email_not_available is a conflict");
	is_int(workos_user_get(w, &A, "user_500", &u), WORKOS_UNAVAILABLE,
	    "a 500 is unavailable");
	is_int(hits_since(hits), 1 + 3, "... after 2 retries of the GET (1 + 1 + 2 requests)");
	/* Hardening finding 4: three failures in a row open the breaker. */
	ok(workos_retry_after(w) > 0 && workos_retry_after(w) <= 10,
	    "hung_workos: three failures in a row open the breaker for 10 s");
	is_int(workos_org_get(w, &A, "org_404", &g), WORKOS_UNAVAILABLE,
	    "hung_workos: ... a call then fails at once as unavailable");
	is_int(hits_since(hits), 0, "hung_workos: ... without reaching WorkOS");
	workos_free(w);
	w = workos_new(&cfg);
	is_int(workos_retry_after(w), 0, "another worker's breaker is closed");
	is_int(workos_org_get(w, &A, "org_429", &g), WORKOS_RATE_LIMITED,
	    "a 429 after the retries is rate limited");
	is_int(workos_org_get(w, &A, "org_text", &g), WORKOS_BAD_RESPONSE,
	    "a 200 that is not JSON is a bad response");
	is_int(workos_org_get(w, &A, "org_404", &g), WORKOS_NOT_FOUND, "404 is not found");
	is_int(workos_memberships_by_user(w, &A, "user_1", &ms, &n), WORKOS_OK,
	    "a membership list with unknown fields and list_metadata {} parses");
	is_int((long)n, 1, "... keeping the active membership only");
	is_str(n > 0 ? ms[0].role : NULL, "owner", "... with its role");
	hits_since(hits);
	is_int(workos_authenticate_refresh(w, &A, "rt", NULL, &wa),
	    WORKOS_INVALID_GRANT, "invalid_grant on refresh");
	is_int(hits_since(hits), 1, "... asked once, never retried");
	workos_free(w);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(hits);

	/* Nothing listening. */
	cfg.api_base = arena_printf(&A, "http://127.0.0.1:%d", port);
	cfg.max_retries = 0;
	w = workos_new(&cfg);
	is_int(workos_user_get(w, &A, "user_1", &u), WORKOS_UNAVAILABLE,
	    "a dead port is unavailable");
	workos_free(w);
}

static void
test_emulator(const char *base, const char *key)
{
	struct workos_config cfg = { base, key, "client_test",
	    "http://127.0.0.1:1/auth/callback", 2000, 5000, 1, 0, 0, NULL, 0 };
	struct workos_user u, u2;
	struct workos_org g, g2;
	struct workos_membership m, *ms;
	struct workos_auth wa;
	struct workos *w = workos_new(&cfg);
	char email[96], ext[64], *jwks, *url;
	size_t n;

	snprintf(email, sizeof(email), "client.%ld.%d@example.test",
	    (long)time(NULL), (int)getpid());
	is_int(workos_user_by_email(w, &A, email, &u), WORKOS_NOT_FOUND,
	    "emulator: an unknown e-mail is not found");
	is_int(workos_user_create(w, &A, email, "Eva", NULL, 0,
	    "{\"source\":\"test\"}", &u), WORKOS_OK, "emulator: create a user");
	ok(strncmp(u.id, "user_", 5) == 0 && strcmp(u.email, email) == 0 &&
	    u.last_name == NULL, "... with its id and e-mail, a null last name tolerated");
	is_int(workos_user_create(w, &A, email, "Eva", NULL, 0, NULL, &u2),
	    WORKOS_CONFLICT, "emulator: the same e-mail again is a conflict (its 409)");
	is_int(workos_user_by_email(w, &A, email, &u2), WORKOS_OK, "emulator: found by e-mail");
	is_str(u2.id, u.id, "... the same user");
	is_int(workos_user_get(w, &A, u.id, &u2), WORKOS_OK, "emulator: get by id");
	is_int(workos_user_get(w, &A, "user_NOPE", &u2), WORKOS_NOT_FOUND,
	    "emulator: an unknown id is not found");
	snprintf(ext, sizeof(ext), "eleva-test-%s", u.id);
	is_int(workos_org_by_external_id(w, &A, ext, &g), WORKOS_NOT_FOUND,
	    "emulator: no organization with that external id yet");
	is_int(workos_org_create(w, &A, "Eva's Account", ext, &g), WORKOS_OK,
	    "emulator: create an organization");
	is_int(workos_org_by_external_id(w, &A, ext, &g2), WORKOS_OK,
	    "emulator: found by external id");
	is_str(g2.id, g.id, "... the same organization");
	is_int(workos_org_get(w, &A, g.id, &g2), WORKOS_OK, "emulator: get by id");
	is_str(g2.name, "Eva's Account", "... with its name");
	is_int(workos_membership_create(w, &A, u.id, g.id, "owner", &m), WORKOS_OK,
	    "emulator: create a membership");
	is_str(m.role, "owner", "... as owner");
	is_int(workos_membership_create(w, &A, u.id, g.id, "owner", &m),
	    WORKOS_CONFLICT, "emulator: the same membership again is a conflict");
	is_int(workos_memberships_by_user(w, &A, u.id, &ms, &n), WORKOS_OK,
	    "emulator: list memberships by user");
	ok(n == 1 && strcmp(ms[0].organization_id, g.id) == 0, "... one, in that organization");
	is_int(workos_magic_auth_create(w, &A, email), WORKOS_OK,
	    "emulator: a magic-auth code is sent");
	is_int(workos_authenticate_magic(w, &A, email, "000000", &wa),
	    WORKOS_INVALID_GRANT, "emulator: a wrong code is an invalid grant");
	is_int(workos_authenticate_code(w, &A, "auth_code_NOPE", "v", &wa),
	    WORKOS_INVALID_GRANT, "emulator: an unknown authorization code too");
	is_int(workos_authenticate_refresh(w, &A, "ref_NOPE", NULL, &wa),
	    WORKOS_INVALID_GRANT, "emulator: an unknown refresh token too");
	is_int(workos_session_revoke(w, &A, "session_NOPE"), WORKOS_OK,
	    "emulator: revoking a session that is gone is done");
	jwks = workos_jwks_fetch(w);
	ok(jwks != NULL && strstr(jwks, "\"keys\"") != NULL, "emulator: the JWKS is fetched");
	free(jwks);
	url = workos_authorize_url(&cfg, &A, "st ate", "chal", "a+b@x.test", "sign-up");
	is_str(url, arena_printf(&A, "%s/user_management/authorize?client_id=client_test"
	    "&code_challenge=chal&code_challenge_method=S256&login_hint=a%%2Bb%%40x.test"
	    "&provider=authkit&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A1%%2Fauth%%2Fcallback"
	    "&response_type=code&screen_hint=sign-up&state=st%%20ate", base),
	    "the authorization URL, every value encoded");
	is_str(workos_logout_url(&cfg, &A, "session_1", "http://x/"), arena_printf(&A,
	    "%s/user_management/sessions/logout?session_id=session_1&return_to="
	    "http%%3A%%2F%%2Fx%%2F", base), "the logout URL");
	workos_free(w);
}

int
main(void)
{
	const char *base = getenv("WORKOS_API_BASE");
	const char *key = getenv("WORKOS_API_KEY");

	log_set_level(LOG_ERROR + 1);	/* the failures are on purpose */
	signal(SIGPIPE, SIG_IGN);
	arena_init(&A);
	test_canned();
	if (base != NULL && *base != '\0' && key != NULL)
		test_emulator(base, key);
	else
		tap_diag("WORKOS_API_BASE is not set: emulator tests skipped");
	arena_free(&A);
	return tap_done();
}
