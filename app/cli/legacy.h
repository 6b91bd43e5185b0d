/* legacy: what the commands of `eleva legacy` share (cli/legacy*.c). */
#ifndef ELEVA_CLI_LEGACY_H
#define ELEVA_CLI_LEGACY_H

#include <stddef.h>

#include "core/sql.h"
#include "core/workos.h"
#include "lib/arena.h"
#include "domain/legacy_map.h"

struct db;
struct workos;

/* A command's options (legacy_open). */
struct legacy_opts {
	const char	*cmd;		/* "migrate-data": messages start so */
	const char	*csv_path;	/* --clerk-export */
	const char	*map_path;	/* --map */
	const char	*legacy_url;	/* --legacy-db */
	const char	*owner_url;	/* DATABASE_OWNER_URL */
	int		 dry_run;	/* --dry-run */
	int		 skip_workos;	/* --skip-workos (validate) */
};

/* What a command takes (legacy_open), besides --map. */
#define LEGACY_ARG_CSV		(1u << 0)	/* --clerk-export, required */
#define LEGACY_ARG_LEGACY	(1u << 1)	/* --legacy-db, required */
#define LEGACY_ARG_LEGACY_OPT	(1u << 2)	/* --legacy-db, optional */
#define LEGACY_ARG_DRY		(1u << 3)	/* --dry-run */
#define LEGACY_ARG_SKIP_WORKOS	(1u << 4)	/* --skip-workos */

/*
 * The legacy tables migrate-data copies, parents first, each with its
 * page read from the legacy database and its copy here (sql.h); the name
 * is the legacy table's and legacy_imports.source.  validate counts the
 * same.
 */
struct legacy_table {
	const char	*source;
	enum sql_id	 read;
	enum sql_id	 copy;
};
extern const struct legacy_table legacy_tables[];
extern const size_t legacy_ntables;

/* Legacy rows read at once and copied in one transaction. */
#define LEGACY_BATCH		1000
/* Users whose metadata is written in one transaction. */
#define LEGACY_META_BATCH	500

/* A command talking to WorkOS (legacy_open), unless --skip-workos. */
#define LEGACY_OPEN_WORKOS	(1u << 5)

/*
 * What every command holds while it runs (legacy_open, legacy_close).
 */
struct legacy_cmd {
	struct legacy_opts o;
	struct legacy_map map;
	struct arena	 keep;		/* the map's, and the run's */
	int		 map_read;	/* the map was read */
	struct db	*ldb;		/* the legacy database, when given */
	struct db	*db;		/* ours, as the owner */
	struct workos	*w;		/* with LEGACY_OPEN_WORKOS */
	struct workos_config wc;	/* w's, which it keeps */
};

/*
 * Parse argv (argv[0] the command) for what (LEGACY_ARG_*, and
 * LEGACY_OPEN_WORKOS), read the map, and connect: to the legacy database
 * when --legacy-db was given, to ours, to WorkOS when asked.  Returns 0;
 * 2 after printing the usage; 1 when something cannot be read or reached
 * (reported).  legacy_close() after 0 or 1.
 */
int	legacy_open(struct legacy_cmd *c, int argc, char **argv,
	    unsigned what);
void	legacy_close(struct legacy_cmd *c);

/*
 * The legacy database's name for legacy_imports.origin (SQL_LEGACY_ORIGIN),
 * in a; NULL when it cannot be read (reported).
 */
const char *legacy_origin(const struct legacy_opts *o, struct db *ldb,
	    struct arena *a);

/*
 * Why a Clerk user with address email is left out of the migration by
 * rule (no address, an address that is not one, an address that is
 * another imported user's in another case), in arena a; NULL when no rule
 * leaves him out.  clerk_id: his own (an entry of his own is no conflict).
 */
const char *legacy_left_out(struct arena *a, const struct legacy_map *m,
	    const char *clerk_id, const char *email);

/*
 * The application role Clerk's public metadata (text, or NULL) names,
 * or "user"; *malformed set when the text is not a JSON object.
 */
const char *legacy_role_of(struct arena *a, const char *public_json,
	    int *malformed);

/* A user WorkOS keeps refusing for a while is tried this many times. */
#define LEGACY_ATTEMPTS		6

/*
 * WorkOS is busy or away (the attempt-th time for this user): wait its
 * Retry-After, or attempt seconds, saying so on stderr.
 */
void	legacy_workos_wait(struct workos *w, const char *cmd, int attempt);

/* The commands (legacy_data.c, legacy_meta.c, legacy_validate.c). */
int	legacy_data_main(int argc, char **argv);
int	legacy_meta_main(int argc, char **argv);
int	legacy_validate_main(int argc, char **argv);

#endif
