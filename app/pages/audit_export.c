/* pages/audit_export: GET /audit/export?format=csv|json&... — the audit log as /audit filters it, streamed, recorded and audited. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/csv.h"
#include "lib/log.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/out.h"
#include "core/req.h"
#include "core/route.h"
#include "core/sql.h"
#include "core/tx.h"
#include "core/view.h"
#include "domain/audit_log.h"
#include "pages/routes.h"

/*
 * The columns of the CSV file, by their SQL_AUDIT_LIST column; the names
 * are the JSON format's keys (a file for tools, the same in every
 * language).
 */
static const struct {
	const char	*name;
	int		 col;
} export_cols[] = {
	{ "id", AUDIT_ID },
	{ "time", AUDIT_UTC },
	{ "local_time", AUDIT_LOCAL },
	{ "organization", AUDIT_ORG_NAME },
	{ "action", AUDIT_ACTION },
	{ "resource_type", AUDIT_TYPE },
	{ "resource_id", AUDIT_RESOURCE_ID },
	{ "user", AUDIT_USER_ID },
	{ "user_email", AUDIT_USER_EMAIL },
	{ "ip", AUDIT_IP },
	{ "user_agent", AUDIT_USER_AGENT },
	{ "request_id", AUDIT_REQUEST_ID },
	{ "old_values", AUDIT_OLD },
	{ "new_values", AUDIT_NEW },
	{ "metadata", AUDIT_METADATA },
};
#define EXPORT_COLS	(sizeof(export_cols) / sizeof(export_cols[0]))

struct export {
	struct ctx	*c;
	int		 json;
	long long	 rows;
};

/* One row into the body, sent on once a chunk is waiting. */
static int
export_row(void *arg, const struct pg_result *r)
{
	struct export *e = arg;
	struct buf *b = &e->c->resp->body;
	const char *f[EXPORT_COLS];
	size_t i;

	if (e->json) {
		buf_puts(b, e->rows == 0 ? "\n" : ",\n");
		buf_puts(b, db_val(r, 0, AUDIT_JSON));
	} else {
		for (i = 0; i < EXPORT_COLS; i++)
			f[i] = db_opt(r, 0, export_cols[i].col);
		csv_row(b, f, EXPORT_COLS);
	}
	e->rows++;
	return out_stream_flush(e->c->resp, 0);
}

/* The export's audit metadata: format, size and filters. */
static const char *
export_metadata(struct ctx *c, const struct audit_log_filter *f,
    const char *format, long long rows, size_t bytes, const char *id)
{
	struct view *m = view_new(c->arena), *filters = view_new(c->arena);

	view_str(m, "format", format);
	view_int(m, "records", rows);
	view_int(m, "bytes", (long long)bytes);
	view_str(m, "export_id", id);
	if (f->action != NULL)
		view_str(filters, "action", f->action);
	if (f->type != NULL)
		view_str(filters, "resource_type", f->type);
	if (f->from != NULL)
		view_str(filters, "from", f->from);
	if (f->to != NULL)
		view_str(filters, "to", f->to);
	view_str(filters, "tz", f->tz);
	view_set(m, "filters", filters);
	return view_json(c->arena, m);
}

/*
 * Stream the rows, then record the export and audit it, and commit before
 * the last chunk leaves: if the record cannot be committed, the dispatcher
 * cuts the response short, so no complete export goes unrecorded.  A
 * client that leaves midway stops the export; nothing is recorded then.
 */
static int
export_stream(struct ctx *c, const struct audit_log_filter *f,
    const char *format)
{
	struct export e = { c, strcmp(format, "json") == 0, 0 };
	struct buf *b = &c->resp->body;
	const struct pg_result *r;
	const char *p[10], *id;
	size_t i, bytes;

	if (route_stream_begin(c) == -1)
		return 503;
	if (e.json)
		buf_putc(b, '[');
	else {
		for (i = 0; i < EXPORT_COLS; i++) {
			if (i > 0)
				buf_putc(b, ',');
			csv_field(b, export_cols[i].name);
		}
		buf_puts(b, "\r\n");
	}
	if (audit_log_each(c, f, export_row, &e) == -1) {
		log_warn("audit export stopped after %lld rows", e.rows);
		return 503;
	}
	if (e.json)
		buf_puts(b, e.rows > 0 ? "\n]\n" : "]\n");
	bytes = c->resp->body_sent + b->len;

	p[0] = c->user->workos_user_id;
	p[1] = c->user->org_id;
	p[2] = f->from;
	p[3] = f->to;
	p[4] = f->tz;
	p[5] = f->action;
	p[6] = f->type;
	p[7] = arena_printf(c->arena, "%lld", e.rows);
	p[8] = arena_printf(c->arena, "%zu", bytes);
	p[9] = format;
	if ((r = db_run(c->db, c->arena, SQL_AUDIT_EXPORT_RECORD, p)) ==
	    NULL || db_rows(r) != 1)
		return 503;
	id = db_val(r, 0, 0);
	if (db_audit(c->db, c->arena, AUDIT_AUDIT_LOG_EXPORTED, "audit_log", id,
	    NULL, NULL, export_metadata(c, f, format, e.rows, bytes, id)) == -1 ||
	    tx_commit(c) == -1)
		return 503;
	log_info("audit export %s: %lld rows, %zu bytes", id, e.rows, bytes);
	return 200;
}

int
page_audit_export_get(struct ctx *c)
{
	const char *format = req_query(c->req, "format");
	struct audit_log_filter f;
	char date[16];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	if (format == NULL || (strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0)) {
		c->message = view_t(c, "audit.error.format");
		return 400;
	}
	if (!audit_log_manager(c)) {
		c->message = view_t(c, "audit.error.export_forbidden");
		return 403;
	}
	if ((rc = audit_log_filter_read(c, &f, c->user->org_id, 1)) == -1)
		return 503;
	if (rc == 1) {
		c->message = view_t(c, "audit.error.filter");
		return 400;
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	out_header(c->resp, "Content-Type", strcmp(format, "csv") == 0 ?
	    "text/csv; charset=utf-8" : "application/json; charset=utf-8");
	out_header(c->resp, "Content-Disposition", arena_printf(c->arena,
	    "attachment; filename=\"eleva-audit-%s.%s\"", date, format));
	/* HEAD: the headers only; nothing is read, so nothing is recorded. */
	if (c->resp->head_only) {
		c->resp->rendered = 1;
		return 200;
	}
	c->resp->rendered = 1;
	return export_stream(c, &f, format);
}
