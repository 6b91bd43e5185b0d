/* pages: every page handler, as named in the route table (routes.c). */
#ifndef ELEVA_PAGES_H
#define ELEVA_PAGES_H

struct ctx;

int	page_home_get(struct ctx *);	/* page_home.c */
int	page_health_get(struct ctx *);	/* page_health.c */
int	page_ping_get(struct ctx *);	/* page_health.c */
int	page_signin_get(struct ctx *);	/* page_signin.c */
int	page_callback_get(struct ctx *);	/* page_callback.c */
int	page_signout_post(struct ctx *);	/* page_signout.c */
int	page_signin_code_get(struct ctx *);	/* page_signin_code.c */
int	page_signin_code_post(struct ctx *);	/* page_signin_code.c */
int	page_dashboard_get(struct ctx *);	/* page_dashboard.c */
int	page_setup_get(struct ctx *);		/* page_setup.c */
int	page_setup_publish_post(struct ctx *);	/* page_setup.c */
int	page_setup_unpublish_post(struct ctx *); /* page_setup.c */
int	page_setup_profile_get(struct ctx *);	/* page_setup_profile.c */
int	page_setup_profile_post(struct ctx *);	/* page_setup_profile.c */
int	page_setup_availability_get(struct ctx *); /* page_setup_availability.c */
int	page_setup_availability_post(struct ctx *); /* page_setup_availability.c */
int	page_setup_events_get(struct ctx *);	/* page_setup_events.c */
int	page_setup_events_post(struct ctx *);	/* page_setup_events.c */
int	page_webhook_setup_post(struct ctx *);	/* page_webhook.c */
int	page_security_get(struct ctx *);	/* page_security.c */
int	page_security_post(struct ctx *);	/* page_security.c */
int	page_security_reset_post(struct ctx *);	/* page_security.c */
int	page_security_signout_all_post(struct ctx *); /* page_security.c */
int	page_admin_stats_get(struct ctx *);	/* page_admin_stats.c */
int	page_admin_stats_csv_get(struct ctx *);	/* page_admin_stats.c */
int	page_admin_reset_get(struct ctx *);	/* page_admin_reset.c */
int	page_admin_reset_post(struct ctx *);	/* page_admin_reset.c */
int	page_expert_get(struct ctx *);		/* page_expert.c */
int	page_booking_get(struct ctx *);		/* page_booking.c */
/* Opens and ends its own transactions (WorkOS is called between two). */
int	page_booking_post(struct ctx *);	/* page_booking.c */

#endif
