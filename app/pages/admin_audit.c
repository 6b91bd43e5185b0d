/* pages/admin_audit: GET /admin/audit — every organization's audit log for platform admins, with /audit's filters. */
#include "core/ctx.h"
#include "core/layout.h"
#include "core/view.h"
#include "domain/audit_log.h"
#include "pages/routes.h"

int
page_admin_audit_get(struct ctx *c)
{
	struct view *v = layout_new(c);
	struct audit_log_filter f;
	int rc;

	if ((rc = audit_log_filter_read(c, &f, NULL, 1)) == -1 ||
	    audit_log_filter_view(c, v, &f) == -1)
		return 503;
	view_str(v, "title", view_t(c, "audit.admin_title"));
	view_str(v, "form_action", routes_path(LINK_ADMIN_AUDIT));
	view_bool(v, "full_ip", 1);
	view_bool(v, "show_org", 1);
	if (rc == 1)
		return layout_render(c, 400, "audit", v);
	if (audit_log_page(c, v, &f, routes_path(LINK_ADMIN_AUDIT)) == -1)
		return 503;
	return layout_render(c, 200, "audit", v);
}
