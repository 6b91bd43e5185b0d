/* privacy: a user's data on request and the erasure of his account (GDPR art. 15, 17, 20). */
#ifndef ELEVA_PRIVACY_H
#define ELEVA_PRIVACY_H

struct ctx;

/*
 * Everything held about the signed-in user (app.personal_data) as JSON
 * text in *json, the export audited (PERSONAL_DATA_EXPORTED) in the
 * request's transaction.  Returns 0, or -1 when the database failed.
 */
int	privacy_export(struct ctx *, const char **json);

/* Why privacy_delete did not erase the account. */
enum privacy_refusal {
	PRIVACY_OK = 0,
	PRIVACY_CODE,		/* the code is wrong or spent (422) */
	PRIVACY_NOT_YOU,	/* the code signed in someone else (403) */
	PRIVACY_UPCOMING,	/* an expert with upcoming meetings (409) */
	PRIVACY_PAYMENTS,	/* payment records name him (409) */
	PRIVACY_UNAVAILABLE,	/* WorkOS or the database failed (503) */
};

/*
 * Erase the signed-in user's account once he proves it is him with a
 * fresh sign-in code (digits, e-mailed by WorkOS): the code is checked at
 * WorkOS (no transaction open meanwhile), then app.delete_account() runs
 * and commits in a transaction of its own, then the WorkOS user and his
 * personal organization are deleted there (a failure is logged and left
 * for the retry at his next sign-in: privacy_pending).  The request's
 * transaction must be ended before.  Returns PRIVACY_OK once erased (the
 * caller ends the session), else why not, nothing changed.
 */
enum privacy_refusal privacy_delete(struct ctx *, const char *digits);

/*
 * At sign-in of WorkOS user uid who has no local account: 1 when his
 * account was erased and WorkOS still had him (the deletion there is
 * retried now: the sign-in must be refused), 0 otherwise, -1 when the
 * database failed.  No transaction may be open.
 */
int	privacy_pending(struct ctx *, const char *uid);

#endif
