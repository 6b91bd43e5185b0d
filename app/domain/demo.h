/* demo: the local stack's demo accounts, declared once for the sign-in page and `eleva seed-demo`. */
#ifndef ELEVA_DEMO_H
#define ELEVA_DEMO_H

#include <stddef.h>

struct demo_account {
	const char	*email;
	const char	*first_name;
	const char	*last_name;
	const char	*role;		/* users.role */
	int		 setup_complete; /* and published at /ana-ferreira */
	const char	*label;		/* the sign-in page's i18n key */
};

extern const struct demo_account	demo_accounts[];
extern const size_t			demo_accounts_n;

#endif
