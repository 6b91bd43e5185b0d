/* pages/home: GET / — the landing page. */
#include "core/ctx.h"
#include "core/layout.h"
#include "core/view.h"
#include "pages/routes.h"

int
page_home_get(struct ctx *c)
{
	struct view *v = layout_new(c);

	view_str(v, "title", view_t(c, "home.title"));
	return layout_render(c, 200, "home", v);
}
