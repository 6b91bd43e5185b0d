/* ctx: the worker's long-lived state (app) and one request's context (ctx). */
#ifndef ELEVA_CTX_H
#define ELEVA_CTX_H

#include "i18n.h"

struct arena;
struct assets;
struct config;
struct db;
struct req;
struct resp;

/* Owned by the worker; lives from worker start to exit. */
struct app {
	const struct config	*cfg;
	const struct assets	*assets;	/* templates, catalogs */
	struct db		*db;		/* this worker's connection */
};

/* Owned by the request: everything here dies at arena_reset(). */
struct ctx {
	struct app	*app;
	struct arena	*arena;
	struct req	*req;
	struct resp	*resp;
	enum lang	 lang;
	const char	*message;	/* extra text for the error page */
};

#endif
