/* sql: the statement table (see sql.h for the parameters of each). */
#include "sql.h"

const char sql_auth_user[] =
    "SELECT u.email, u.first_name, u.last_name, u.role,"
    " ceil(extract(epoch FROM u.sessions_valid_after))::bigint,"
    " o.name,"
    " (SELECT s.setup_complete FROM public.expert_setup s"
    "   WHERE s.workos_user_id = u.workos_user_id),"
    " (SELECT string_agg(m.role, ',' ORDER BY m.role)"
    "   FROM public.user_org_memberships m"
    "   WHERE m.org_id = o.id AND m.workos_user_id = u.workos_user_id"
    "   AND m.status = 'active')"
    " FROM public.users u JOIN public.organizations o ON o.id = $2::uuid"
    " WHERE u.workos_user_id = $1";

const char sql_signin_user[] =
    "SELECT u.role,"
    " (SELECT s.setup_complete FROM public.expert_setup s"
    "   WHERE s.workos_user_id = u.workos_user_id),"
    " (SELECT o.id::text FROM public.organizations o"
    "   JOIN public.user_org_memberships m ON m.org_id = o.id"
    "   WHERE o.slug = 'user-' || u.workos_user_id"
    "   AND m.workos_user_id = u.workos_user_id AND m.role = 'owner'"
    "   AND m.status = 'active'),"
    " ceil(extract(epoch FROM u.sessions_valid_after))::bigint"
    " FROM public.users u WHERE u.workos_user_id = $1";

const char sql_provision_user[] =
    "SELECT app.provision_user($1, $2, $3, $4, $5, $6)::text";

const char sql_sessions_invalidate[] =
    "UPDATE public.users SET sessions_valid_after = now()"
    " WHERE workos_user_id = $1";
