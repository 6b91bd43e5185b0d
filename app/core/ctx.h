/* ctx: the worker's long-lived state (app) and one request's context (ctx). */
#ifndef ELEVA_CTX_H
#define ELEVA_CTX_H

#include "lib/jwt.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "core/workos.h"

struct arena;
struct assets;
struct config;
struct db;
struct req;
struct resp;
struct session;
struct tz_list;

/* Owned by the worker; lives from worker start to exit. */
struct app {
	const struct config	*cfg;
	const struct assets	*assets;	/* templates, catalogs */
	struct db		*db;		/* this worker's connection */
	struct replica		*replica;	/* DATABASE_REPLICA_URL, or NULL */
	struct workos_config	 workos_cfg;	/* from cfg */
	struct workos		*workos;	/* this worker's WorkOS client */
	struct jwt_cache	 jwks;		/* WorkOS signing keys */
	struct tz_list		*timezones;	/* tz.c: loaded on first use */
};

/* The signed-in user, loaded in the request's transaction (auth.c). */
struct auth_user {
	const char	*workos_user_id;
	const char	*org_id;		/* uuid of the session's org */
	const char	*org_name;
	const char	*email;
	const char	*first_name;		/* NULL when unknown */
	const char	*last_name;
	int		 setup_complete;	/* -1: not an expert (no row) */
	const char	*theme;			/* preferences (defaults if no row) */
	const char	*language;
	struct roles	 roles;
};

#define CTX_MAX_COOKIES	4

/* Owned by the request: everything here dies at arena_reset(). */
struct ctx {
	struct app	*app;
	struct db	*db;		/* the transaction's connection: app->db,
					   or the replica's (tx_begin) */
	int		 replica_ok;	/* this request's reads may use it */
	struct arena	*arena;
	struct req	*req;
	struct resp	*resp;
	enum lang	 lang;		/* preferences, else Accept-Language */
	const char	*theme;		/* "light", "dark", "system"; NULL: default */
	const char	*message;	/* extra text for the error page */
	const char	*retry_url;	/* error page: "try again" link */

	struct session	*session;	/* opened cookie, NULL: signed out */
	int		 session_dirty;	/* reissue the cookie */
	int		 session_clear;	/* delete the cookie */
	struct auth_user *user;		/* AUTH routes: who is asking */
	int		 tx_open;	/* the dispatcher's transaction */
	struct db_call	*prefetched;	/* run with its first round trip */
	size_t		 nprefetched;
	const char	*cookies[CTX_MAX_COOKIES]; /* more Set-Cookie values */
	size_t		 ncookies;
};

#endif
