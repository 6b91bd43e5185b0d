/* pages: every page handler, as named in the route table (routes.c). */
#ifndef ELEVA_PAGES_H
#define ELEVA_PAGES_H

struct ctx;

int	page_home_get(struct ctx *);	/* page_home.c */
int	page_health_get(struct ctx *);	/* page_health.c */
int	page_ping_get(struct ctx *);	/* page_health.c */

#endif
