/* signin: the sign-in protocol — AuthKit start (state, PKCE), the callback's checks and code exchange, first-sign-in provisioning, the session start. */
#ifndef ELEVA_SIGNIN_H
#define ELEVA_SIGNIN_H

struct arena;
struct ctx;
struct db_ctx;
struct db;
struct workos;
struct workos_auth;
struct workos_user;

/* The sign-in state cookie (state, PKCE verifier, return path), JSON. */
#define SIGNIN_COOKIE		"eleva_signin"
#define SIGNIN_LIFETIME		600

/*
 * Start an AuthKit sign-in: a fresh state and PKCE verifier (S256) kept
 * in the sealed, short-lived sign-in cookie with return_to when it is a
 * local path; login_hint and screen_hint ("sign-up", "sign-in") are passed
 * on when given.  Returns the authorization URL to redirect to, or NULL
 * (logged) when no random bytes or cookie could be made.
 */
const char *signin_start(struct ctx *, const char *return_to,
	    const char *login_hint, const char *screen_hint);

/*
 * Audit a refused sign-in (SIGN_IN_REFUSED, as a visitor: who it was is
 * not known, or not proven) with its method ("authkit", "code") and
 * reason (the last part of the error's catalog key: "state", "code" ...).
 * A failure to record it is logged; the refusal stands either way.
 */
void	signin_refused(struct ctx *, const char *method, const char *key);

/*
 * The AuthKit callback's checks and the code exchange: the sign-in
 * cookie is opened and deleted (single use, whatever follows), its state
 * compared with state in constant time, AuthKit's error refused, then the
 * code exchanged with the PKCE verifier.  Returns 0 with WorkOS's answer
 * in *wa, or the status of the error page with c->message set: 400 for
 * an expired or foreign sign-in, a refused or bad code; 502/503 when
 * WorkOS fails.  *return_to is the sign-in's return path when known
 * (NULL otherwise), for the page's "try again" link.
 */
int	signin_callback(struct ctx *, const char *code, const char *state,
	    const char *error, struct workos_auth *wa, const char **return_to);

/*
 * A user with several WorkOS memberships: WorkOS answered e ==
 * WORKOS_ORG_SELECTION to a code exchange (AuthKit or magic-auth), so
 * finish with the organization-selection grant, choosing the user's
 * personal organization (external id "eleva-user-<id>") when it is among
 * the choices, else the first (the session's organization is the local
 * personal one either way: signin_complete).  Any other e is returned as
 * it is; *wa is WorkOS's final answer.
 */
enum workos_err signin_choose_org(struct ctx *, int e, struct workos_auth *wa);

/*
 * Finish a sign-in (AuthKit callback or magic-auth code): verify the
 * access token (its subject must be the user WorkOS named), provision the
 * user on first sign-in (signin_provision) and start a fresh session in
 * the user's language, audited USER_SIGNED_IN with method ("authkit",
 * "code") in its own transaction, committed before the session starts (no
 * session without its audit row).  Returns 0 with *to_setup set for an
 * expert whose setup is unfinished (he lands in the wizard), or the status
 * of the error page (502 bad token, 503 WorkOS or the database
 * unavailable) with c->message set; on failure no session is started.
 */
int	signin_complete(struct ctx *, const struct workos_auth *,
	    const char *method, int *to_setup);

/*
 * Make sure user has a personal organization in WorkOS and locally:
 * the WorkOS organization (external id "eleva-user-<id>", named
 * "<Name>'s Practice" for experts, "<Name>'s Account" otherwise) and the
 * owner membership are looked up first and created only when missing, so
 * a retry after any failure finishes the job without duplicates; then the
 * local rows through app.sign_in_provision() in one transaction, with
 * the request's context from (tx_context; NULL from the command line).
 * role is the local application role (NULL: a new user).  Returns 0 with the
 * organization's uuid in *org_id (arena-owned), or -1 (logged) with
 * *unavailable set when WorkOS or the database could not be reached.
 */
int	signin_provision(struct db *, struct workos *, struct arena *,
	    const struct workos_user *, const char *role,
	    const struct db_ctx *from, const char **org_id, int *unavailable);

/*
 * The WorkOS half of signin_provision: user u's personal organization
 * (external id "eleva-user-<id>"; "<first name>'s Practice" for an
 * expert, "<first name>'s Account" otherwise, the e-mail's local part
 * without a first name) and owner membership, each looked up before it is
 * created.  Returns 0 with the organization's WorkOS id in *workos_org, or
 * -1 (logged) with *unavailable set when WorkOS could not be reached.
 */
int	signin_workos_org(struct workos *, struct arena *,
	    const struct workos_user *u, int expert, const char **workos_org,
	    int *unavailable);

#endif
