/* roles_test: role predicates, the permission table, and the boundary checks of sign-in (return paths, e-mail). */
#include <string.h>

#include "core/auth.h"
#include "core/form.h"
#include "core/roles.h"
#include "tap.h"

int
main(void)
{
	struct roles owner_user = { "user", { "owner" }, 1 };
	struct roles expert = { "expert_top", { "owner" }, 1 };
	struct roles admin = { "admin", { "member" }, 1 };
	struct roles none = { NULL, { NULL }, 0 };
	struct roles billing = { "user", { "billing_admin" }, 1 };
	struct roles orgadmin = { "user", { "admin" }, 1 };
	const char *const experts_or_admin[] = { "expert_top", "admin", NULL };
	static const char *const refused[] = {
		"//evil.example", "https://evil.example", "/\\evil.example",
		"javascript:alert(1)", "", "dashboard", "/a\\b", "/\t/evil",
		"/a\nb", "http:/x", NULL
	};
	char longpath[600];
	size_t i;

	/* Application and organization scales stay apart. */
	ok(roles_has_org_role(&owner_user, "owner"), "owner of the personal org");
	ok(!roles_is_admin(&owner_user), "... which is not an admin");
	ok(!roles_is_expert(&owner_user), "... nor an expert");
	ok(!roles_has_role(&owner_user, "owner"), "owner is not an application role");
	ok(roles_is_expert(&expert), "expert_top is an expert");
	ok(!roles_is_admin(&expert), "... not an admin");
	ok(roles_is_admin(&admin), "admin is an admin");
	ok(roles_is_admin(&(struct roles){ "superadmin", { NULL }, 0 }),
	    "superadmin is an admin");
	ok(!roles_is_expert(&admin), "admin is not an expert");
	ok(roles_has_any_role(&expert, experts_or_admin), "has_any_role: expert_top in list");
	ok(!roles_has_any_role(&owner_user, experts_or_admin), "has_any_role: user not in list");
	ok(!roles_is_admin(&none) && !roles_can(&none, "org:read"), "no roles: nothing");
	ok(!roles_is_admin(NULL) && !roles_can(NULL, "org:read"), "NULL roles: nothing");
	ok(!roles_has_role(&admin, "ADMIN"), "roles are case-sensitive");

	/* Permissions from the table. */
	ok(roles_can(&owner_user, "billing:refund"), "owner: everything");
	ok(roles_can(&orgadmin, "bookings:cancel"), "org admin: bookings:*");
	ok(roles_can(&orgadmin, "org:update"), "org admin: org:update");
	ok(!roles_can(&orgadmin, "billing:read"), "org admin: no billing");
	ok(roles_can(&admin, "bookings:create"), "member: bookings:create");
	ok(!roles_can(&admin, "bookings:delete"), "member: not bookings:delete");
	ok(!roles_can(&admin, "org:update"), "member: not org:update (platform admin or not)");
	ok(roles_can(&billing, "subscriptions:cancel"), "billing_admin: subscriptions:*");
	ok(!roles_can(&billing, "bookings:read"), "billing_admin: no bookings");
	ok(!roles_can(&orgadmin, "bookingsx:read"), "a wildcard covers its own category only");
	ok(!roles_can(&orgadmin, "bookings"), "a permission needs category:action");
	ok(roles_valid_app_role("expert_lecturer") && !roles_valid_app_role("owner"),
	    "valid application roles");

	/* return_to: local paths only. */
	ok(auth_local_path("/dashboard") != NULL, "/dashboard is local");
	ok(auth_local_path("/setup?step=2#x") != NULL, "a path with a query is local");
	for (i = 0; refused[i] != NULL; i++)
		ok(auth_local_path(refused[i]) == NULL, "refused return_to "
		    "#%zu (%s)", i, strpbrk(refused[i], "\t\n") ? "control "
		    "character" : refused[i]);
	ok(auth_local_path(NULL) == NULL, "NULL is refused");
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	ok(auth_local_path(longpath) == NULL, "an over-long path is refused");

	/* E-mail addresses at the boundary. */
	ok(form_email_valid("guest@eleva.test"), "a plain address");
	ok(form_email_valid("a.b+tag@sub.example.org"), "dots and plus");
	ok(!form_email_valid("guest"), "no @");
	ok(!form_email_valid("@eleva.test"), "empty local part");
	ok(!form_email_valid("guest@eleva"), "no dot in the domain");
	ok(!form_email_valid("guest@.test"), "domain starting with a dot");
	ok(!form_email_valid("guest@eleva."), "domain ending with a dot");
	ok(!form_email_valid("gu est@eleva.test"), "a space");
	ok(!form_email_valid("a@b@eleva.test"), "two @");
	ok(!form_email_valid("<x>@eleva.test"), "angle brackets");
	ok(!form_email_valid("guest@eleva..test"), "two dots in a row");
	ok(!form_email_valid(NULL), "NULL");

	/* Parts that mix scripts (issue 13, finding 8). */
	ok(!form_email_valid("\xd0\xb0" "dmin@eleva.test"),
	    "a Cyrillic a among Latin letters (\"аdmin\") is refused");
	ok(!form_email_valid("admin@\xd0\xb5leva.test"),
	    "a Cyrillic e in a Latin domain label is refused");
	ok(!form_email_valid("\xce\xbfscar@eleva.test"),
	    "a Greek omicron among Latin letters is refused");
	ok(!form_email_valid("\xe0\xa4\x85" "bc@eleva.test"),
	    "Devanagari mixed with Latin in one part is refused");
	ok(form_email_valid("\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd@mail.ru"),
	    "a Cyrillic local part with a Latin domain is accepted");
	ok(form_email_valid("jo\xc3\xa3o.m\xc3\xbcller@eleva.test"),
	    "accented Latin letters are Latin");
	ok(form_email_valid("info@\xe6\x97\xa5\xe6\x9c\xac" "test.jp"),
	    "Han with Latin in one label is accepted (UTS #39)");
	ok(form_email_valid("ana-2024_x+y@eleva.test"),
	    "digits and punctuation belong to no script");
	ok(!form_email_valid("guest\xff@eleva.test"), "invalid UTF-8 is refused");
	ok(!form_single_script("\xd0\xb0\xce\xb1"),
	    "Cyrillic and Greek in one part are refused");
	ok(form_single_script("\xe6\x97\xa5" "a\xe3\x81\x82"),
	    "Han, Latin and kana in one part are accepted");
	return tap_done();
}
