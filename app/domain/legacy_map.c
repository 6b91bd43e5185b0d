/* legacy_map: the mapping file of the Clerk migration, loaded into hash tables, appended to line by line. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/jsonh.h"
#include "domain/legacy_map.h"

/* FNV-1a of s, letters folded when fold. */
static size_t
legacy_hash(const char *s, int fold)
{
	size_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)(fold ? tolower((unsigned char)*s) : *s);
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of key in table t: where it is, or the empty one it would take. */
static size_t
legacy_slot(const struct legacy_map *m, const size_t *t, const char *key,
    int email)
{
	size_t i = legacy_hash(key, email) & (m->nslots - 1);
	const struct legacy_entry *e;

	for (; t[i] != 0; i = (i + 1) & (m->nslots - 1)) {
		e = &m->e[t[i] - 1];
		if (email ? strcasecmp(e->email, key) == 0 :
		    strcmp(e->clerk_id, key) == 0)
			break;
	}
	return i;
}

/* Both tables sized for at least n entries, half full at most. */
static int
legacy_grow(struct legacy_map *m, size_t n)
{
	size_t slots = m->nslots ? m->nslots : 64, i;

	while (slots < 2 * n)
		slots *= 2;
	if (slots == m->nslots)
		return 0;
	free(m->by_clerk);
	free(m->by_email);
	m->nslots = slots;
	if ((m->by_clerk = calloc(slots, sizeof(size_t))) == NULL ||
	    (m->by_email = calloc(slots, sizeof(size_t))) == NULL)
		return -1;
	for (i = 0; i < m->n; i++) {
		m->by_clerk[legacy_slot(m, m->by_clerk, m->e[i].clerk_id, 0)] =
		    i + 1;
		m->by_email[legacy_slot(m, m->by_email, m->e[i].email, 1)] =
		    i + 1;
	}
	return 0;
}

/* Add e (strings already in m's arena); -1 when out of memory. */
static int
legacy_add(struct legacy_map *m, const struct legacy_entry *e)
{
	struct legacy_entry *ne;

	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 256;
		if ((ne = realloc(m->e, m->cap * sizeof(*ne))) == NULL)
			return -1;
		m->e = ne;
	}
	m->e[m->n++] = *e;
	if (legacy_grow(m, m->n) == -1)
		return -1;
	m->by_clerk[legacy_slot(m, m->by_clerk, e->clerk_id, 0)] = m->n;
	m->by_email[legacy_slot(m, m->by_email, e->email, 1)] = m->n;
	return 0;
}

const struct legacy_entry *
legacy_map_by_clerk(const struct legacy_map *m, const char *id)
{
	size_t i;

	if (m->nslots == 0)
		return NULL;
	i = m->by_clerk[legacy_slot(m, m->by_clerk, id, 0)];
	return i ? &m->e[i - 1] : NULL;
}

const struct legacy_entry *
legacy_map_by_email(const struct legacy_map *m, const char *email)
{
	size_t i;

	if (m->nslots == 0)
		return NULL;
	i = m->by_email[legacy_slot(m, m->by_email, email, 1)];
	return i ? &m->e[i - 1] : NULL;
}

/* One line of the file as an entry: 1, 0 for a bracket or blank, -1. */
static int
legacy_line(struct arena *a, char *line, struct legacy_entry *e)
{
	static const struct jsonh_field fields[] = {
		{ "clerkUserId", offsetof(struct legacy_entry, clerk_id), 1 },
		{ "workosUserId", offsetof(struct legacy_entry, workos_user_id), 1 },
		{ "organizationId", offsetof(struct legacy_entry, workos_org_id), 1 },
		{ "email", offsetof(struct legacy_entry, email), 1 },
	};
	struct json_object *o;
	size_t len = strcspn(line, "\r\n");

	while (len > 0 && (line[len - 1] == ',' || line[len - 1] == ' '))
		len--;
	line[len] = '\0';
	if (len == 0 || strcmp(line, "[") == 0 || strcmp(line, "]") == 0)
		return 0;
	if ((o = jsonh_parse(a, line)) == NULL ||
	    jsonh_strs(o, fields, sizeof(fields) / sizeof(fields[0]), e) == -1)
		return -1;
	return 1;
}

int
legacy_map_load(struct legacy_map *m, struct arena *a, const char *path,
    int *torn, char *err, size_t errlen)
{
	struct legacy_entry e;
	struct arena scratch;		/* a line's parse, kept no longer */
	char *line = NULL, *bad = NULL;
	size_t cap = 0;
	ssize_t len;
	long no = 0, bad_no = 0;
	FILE *f;
	int rc;

	memset(m, 0, sizeof(*m));
	m->arena = a;
	*torn = 0;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (arena_init(&scratch) == -1) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		no++;
		arena_reset(&scratch);
		if (bad != NULL) {
			/* Only the last line may be torn. */
			snprintf(err, errlen, "%s:%ld: not an entry of the map",
			    path, bad_no);
			goto fail;
		}
		if ((rc = legacy_line(&scratch, line, &e)) == 0)
			continue;
		if (rc == -1) {
			bad = line;
			bad_no = no;
			continue;
		}
		if (legacy_map_by_clerk(m, e.clerk_id) != NULL ||
		    legacy_map_by_email(m, e.email) != NULL) {
			snprintf(err, errlen, "%s:%ld: %s is in the map twice",
			    path, no, e.clerk_id);
			goto fail;
		}
		e.clerk_id = arena_strdup(a, e.clerk_id);
		e.workos_user_id = arena_strdup(a, e.workos_user_id);
		e.workos_org_id = arena_strdup(a, e.workos_org_id);
		e.email = arena_strdup(a, e.email);
		if (legacy_add(m, &e) == -1) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	*torn = bad != NULL;
	free(line);
	fclose(f);
	arena_free(&scratch);
	return 0;
fail:
	free(line);
	fclose(f);
	arena_free(&scratch);
	legacy_map_close(m);
	return -1;
}

/* e as the file's JSON object. */
static const char *
legacy_json(struct arena *a, const struct legacy_entry *e)
{
	struct json_object *o = jsonh_object(a);

	jsonh_add_str(o, "clerkUserId", e->clerk_id);
	jsonh_add_str(o, "workosUserId", e->workos_user_id);
	jsonh_add_str(o, "organizationId", e->workos_org_id);
	jsonh_add_str(o, "email", e->email);
	return jsonh_text(a, o);
}

int
legacy_map_open(struct legacy_map *m, const char *path)
{
	char *tmp;
	size_t i;
	FILE *f;

	tmp = arena_printf(m->arena, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	fputs("[\n", f);
	for (i = 0; i < m->n; i++)
		fprintf(f, "%s%s\n", legacy_json(m->arena, &m->e[i]),
		    i + 1 < m->n ? "," : "");
	fputs("]\n", f);
	if (fflush(f) == EOF || fsync(fileno(f)) == -1 || fclose(f) == EOF ||
	    rename(tmp, path) == -1)
		return -1;
	if ((m->f = fopen(path, "r+")) == NULL)
		return -1;
	return 0;
}

/* e's strings copied into m's arena. */
static struct legacy_entry
legacy_copy(struct legacy_map *m, const struct legacy_entry *e)
{
	struct legacy_entry c;

	c.clerk_id = arena_strdup(m->arena, e->clerk_id);
	c.workos_user_id = arena_strdup(m->arena, e->workos_user_id);
	c.workos_org_id = arena_strdup(m->arena, e->workos_org_id);
	c.email = arena_strdup(m->arena, e->email);
	return c;
}

int
legacy_map_remember(struct legacy_map *m, const struct legacy_entry *e)
{
	struct legacy_entry c = legacy_copy(m, e);

	return legacy_add(m, &c);
}

int
legacy_map_append(struct legacy_map *m, const struct legacy_entry *e)
{
	struct legacy_entry c = legacy_copy(m, e);

	/*
	 * Over the closing "]\n" (and the line end before it, which the
	 * comma joins): the entry, then the bracket again.
	 */
	if (m->f == NULL || fseek(m->f, m->n > 0 ? -3 : -2, SEEK_END) == -1 ||
	    fprintf(m->f, "%s%s\n]\n", m->n > 0 ? ",\n" : "",
	    legacy_json(m->arena, &c)) < 0 || fflush(m->f) == EOF ||
	    fsync(fileno(m->f)) == -1)
		return -1;
	return legacy_add(m, &c);
}

void
legacy_map_close(struct legacy_map *m)
{
	if (m->f != NULL)
		fclose(m->f);
	free(m->e);
	free(m->by_clerk);
	free(m->by_email);
	m->f = NULL;
	m->e = NULL;
	m->by_clerk = m->by_email = NULL;
	m->n = m->cap = m->nslots = 0;
}
