/* cli_demo: "eleva seed-demo" — the local stack's demo accounts, in WorkOS and in the database. */
#ifndef ELEVA_CLI_DEMO_H
#define ELEVA_CLI_DEMO_H

/*
 * Create (or find) each demo account in WorkOS, give it its role locally
 * and provision it exactly as a first sign-in would, then mark the
 * experienced expert's setup complete.  Safe to run again.  Reads
 * WORKOS_API_BASE, WORKOS_API_KEY, WORKOS_CLIENT_ID and
 * DATABASE_OWNER_URL (the owner role: it sets roles, which the app role
 * may not).  Returns the exit status.
 */
int	cli_demo_main(int argc, char **argv);

#endif
