/* cli: the eleva command's subcommands other than serve, each in its own file; main.c's table names them. */
#ifndef ELEVA_CLI_H
#define ELEVA_CLI_H

/*
 * Each takes the subcommand's own argv (argv[0] is its name) and returns
 * the process's exit status: 0 done, 1 failed, 2 bad usage.
 */

/*
 * eleva migrate [--status] [--dir DIR] [--database-url URL] (migrate.c):
 * connects as the owner role (DATABASE_OWNER_URL), records each applied
 * file's name and SHA-256 in public.schema_migrations, applies pending
 * files in name order, each in its own transaction, and refuses to do
 * anything when an applied file has changed.
 */
int	cli_migrate_main(int argc, char **argv);

/*
 * eleva seed-demo (demo.c): create (or find) each demo account in
 * WorkOS, give it its role locally and provision it exactly as a first
 * sign-in would, then mark the experienced expert's setup complete and
 * publish her page.  Safe to run again.  Reads WORKOS_API_BASE,
 * WORKOS_API_KEY, WORKOS_CLIENT_ID and DATABASE_OWNER_URL (the owner
 * role: it sets roles, which the app role may not).
 */
int	cli_demo_main(int argc, char **argv);

/*
 * eleva check [--root DIR] (check.c): load the templates and catalogs as
 * a worker would and report errors and missing translations.
 */
int	cli_check_main(int argc, char **argv);

/*
 * eleva settings [flags] (settings.c): each setting's variable, flag and
 * value (secrets only as set or unset) from the defaults, the environment
 * and the flags, as eleva serve would read them; exit 1 with the message
 * eleva serve would give when they do not hold together.
 */
int	cli_settings_main(int argc, char **argv);

/* eleva keygen (keygen.c): print a new SESSION_KEYS key. */
int	cli_keygen_main(int argc, char **argv);

/*
 * eleva audit verify [--org ID] | prune --older-than AGE [--execute]
 * (audit.c), as the owner role (DATABASE_OWNER_URL): verify walks each
 * organization's hash chain of audit rows and names the first broken row
 * (exit 1), or says "intact"; prune reports (and with --execute removes,
 * in one transaction) each chain's prefix older than AGE ("7y", "18m",
 * "90d"), anchoring what remains and recording the prune.
 */
int	cli_audit_main(int argc, char **argv);

/*
 * eleva legacy import-users --clerk-export FILE --map FILE [--legacy-db
 * URL] [--dry-run] (legacy.c): each user of Clerk's user export (CSV) into
 * WorkOS (verified, a bcrypt digest imported; found by e-mail when it is
 * there already), his personal organization and owner membership, and
 * the local rows as a first sign-in makes them (the role from the legacy
 * database's Clerk metadata when given), then one line in the mapping
 * file.  Users in the map are skipped, so a run resumes where one
 * stopped; a user that cannot be imported is reported with its reason
 * and the run goes on; WorkOS's 429 and 5xx are waited out.  --dry-run
 * reads and reports, writing nothing anywhere.  Exit 1 when a user
 * failed.
 */
int	cli_legacy_main(int argc, char **argv);

/*
 * eleva mailer [--once] [serve's options] (mailer.c): deliver the mail
 * outbox (sql/0021_manage.sql) over SMTP_URL, as the app role with the
 * pool's configuration: claim a batch for a lease, render each message in
 * its recipient's language (domain/notify.c), send it (core/mail.c) and
 * record it sent or failed (retried with backoff, given up after 30
 * attempts or a permanent refusal); the reminders due are written at each
 * claim.  Polls every ELEVA_MAIL_POLL_MS (2000); SIGTERM finishes the
 * message in hand.  --once: what is due now, then exit.
 */
int	cli_mailer_main(int argc, char **argv);

/*
 * eleva maintenance-pages [--root DIR] OUTDIR (maintenance.c): render the
 * template "maintenance" in each language into OUTDIR/<code>.html (en,
 * es, pt, br), the pages nginx serves while OUTDIR/on exists
 * (nginx/eleva-common.conf); each file replaced whole.
 */
int	cli_maintenance_main(int argc, char **argv);

/* eleva sql [NAME] (sql.c): the statements' names, or one's text. */
int	cli_sql_main(int argc, char **argv);

#endif
