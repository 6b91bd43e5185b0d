/* cli_migrate: "eleva migrate" — apply the numbered SQL files of sql/ in order. */
#ifndef ELEVA_CLI_MIGRATE_H
#define ELEVA_CLI_MIGRATE_H

/*
 * eleva migrate [--status] [--dir DIR] [--database-url URL]
 * Connects as the owner role (DATABASE_OWNER_URL), records each applied
 * file's name and SHA-256 in public.schema_migrations, applies pending
 * files in name order, each in its own transaction, and refuses to do
 * anything when an applied file has changed.  Returns the exit status.
 */
int	cli_migrate_main(int argc, char **argv);

#endif
