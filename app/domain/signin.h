/* signin: after WorkOS authenticated someone: verify, provision on first sign-in, start the session. */
#ifndef ELEVA_SIGNIN_H
#define ELEVA_SIGNIN_H

struct arena;
struct ctx;
struct db;
struct workos;
struct workos_auth;
struct workos_user;

/*
 * Finish a sign-in (AuthKit callback or magic-auth code): verify the
 * access token (its subject must be the user WorkOS named), provision the
 * user on first sign-in (signin_provision), start a fresh session and
 * redirect to return_to when it is a local path, else an expert with an
 * unfinished setup to /setup, else /dashboard.  Returns 303, or the
 * status of the error page (502 bad token, 503 WorkOS or the database
 * unavailable) with c->message set; on failure no session is started and
 * no local row is written.
 */
int	signin_complete(struct ctx *, const struct workos_auth *,
	    const char *return_to);

/*
 * Make sure user has a personal organization in WorkOS and locally:
 * the WorkOS organization (external id "eleva-user-<id>", named
 * "<Name>'s Practice" for experts, "<Name>'s Account" otherwise) and the
 * owner membership are looked up first and created only when missing, so
 * a retry after any failure finishes the job without duplicates; then the
 * local rows through app.provision_user() in one transaction.  role is
 * the local application role (NULL: a new user).  Returns 0 with the
 * organization's uuid in *org_id (arena-owned), or -1 (logged) with
 * *unavailable set when WorkOS or the database could not be reached.
 */
int	signin_provision(struct db *, struct workos *, struct arena *,
	    const struct workos_user *, const char *role,
	    const char *request_id, const char **org_id, int *unavailable);

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
