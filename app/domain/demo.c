/* demo: the demo accounts (README "Demo accounts"; script/server prints them). */
#include "domain/demo.h"

const struct demo_account demo_accounts[] = {
	{ "expert@eleva.test",	"Ana",	"Ferreira",	"expert_top",	1,
	    "signin.demo.expert" },
	{ "newexpert@eleva.test", "Bruno", "Costa",	"expert_community", 0,
	    "signin.demo.newexpert" },
	{ "guest@eleva.test",	"Carla", "Mendes",	"user",		0,
	    "signin.demo.guest" },
	{ "admin@eleva.test",	"Diana", "Lopes",	"admin",	0,
	    "signin.demo.admin" },
};

const size_t demo_accounts_n = sizeof(demo_accounts) / sizeof(demo_accounts[0]);
