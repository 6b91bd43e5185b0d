/* page_home: GET / — the landing page. */
#include <json-c/json.h>

#include "core/ctx.h"
#include "core/page.h"
#include "pages/pages.h"

int
page_home_get(struct ctx *c)
{
	struct json_object *j = page_context(c);

	json_object_object_add(j, "title",
	    json_object_new_string(page_t(c, "home.title")));
	return page_render(c, 200, "home", j);
}
