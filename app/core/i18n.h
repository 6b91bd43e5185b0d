/* i18n: message catalogs (en, es, pt, br) and language negotiation. */
#ifndef ELEVA_I18N_H
#define ELEVA_I18N_H

#include <stddef.h>

enum lang {
	LANG_EN,
	LANG_ES,
	LANG_PT,	/* European Portuguese */
	LANG_BR,	/* Brazilian Portuguese */
	LANG__MAX
};

struct i18n;

/*
 * Load each language's catalog from DIR: LANG.txt (en.txt, es.txt, pt.txt,
 * br.txt) plus every AREA.LANG.txt (setup.es.txt ...), one file per page
 * or area, merged.  Format: one "key = text" per line, '#' comments and
 * blank lines ignored, keys [a-z0-9_.-]+, text trimmed and UTF-8.  en.txt
 * is required; the other languages may miss keys (i18n_missing tells).
 * A malformed line, a key given twice (in one file or two) or invalid
 * UTF-8 is an error: NULL is returned with "file:line: message" in err.
 */
struct i18n	*i18n_load(const char *dir, char *err, size_t errlen);
void		 i18n_free(struct i18n *);

/*
 * The text for key: from lang, else English (the fallback is logged once
 * per key and language), else NULL.  Owned by the catalog.
 */
const char	*i18n_get(const struct i18n *, enum lang, const char *key);
/* Non-zero when lang itself (no fallback) has key. */
int		 i18n_has(const struct i18n *, enum lang, const char *key);
/*
 * Call fn for each key English has and lang lacks; returns how many.
 */
size_t		 i18n_missing(const struct i18n *, enum lang,
		    void (*fn)(const char *key, void *arg), void *arg);

/*
 * The weekdays in ISO 8601 order (Monday first), as the public.day enum
 * names them: i18n_days[isodow - 1].  Their labels are "day.<name>" and,
 * abbreviated, "day.<name>.short".
 */
#define I18N_DAYS	7
extern const char *const i18n_days[I18N_DAYS];

/* Pick a language from an Accept-Language header (q-values honoured); en by default. */
enum lang	 i18n_negotiate(const char *accept_language);
/* "en", "es", "pt", "br"; and the HTML lang attribute: "en", "es", "pt-PT", "pt-BR". */
const char	*i18n_code(enum lang);
const char	*i18n_html_lang(enum lang);
/* The language for a code ("en"...), or -1. */
int		 i18n_parse_code(const char *);

#endif
