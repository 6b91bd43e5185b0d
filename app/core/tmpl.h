/* tmpl: logic-less HTML templates over json-c values, escaping by default. */
#ifndef ELEVA_TMPL_H
#define ELEVA_TMPL_H

#include <stddef.h>

#include "core/i18n.h"

struct buf;
struct json_object;
struct tmpl_set;

/*
 * Syntax (mustache-like):
 *   {{a.b.c}}        value, HTML-escaped (& < > " ')
 *   {{#a}}..{{/a}}   section: array -> once per element, object -> once
 *                    with it pushed, true / non-empty string / number ->
 *                    once; false, null, missing, empty array -> nothing
 *   {{^a}}..{{/a}}   inverted section: rendered when the above renders nothing
 *   {{>name}}        partial: templates/name.html, same context
 *   {{@key}}         catalog text for the render language, escaped; "{a.b}"
 *                    in the text is replaced by that context value, escaped
 *   {{%name}}        the path of the route named name (the link function
 *                    given to tmpl_load), written in at load
 *   {{&a}}           raw HTML: only for values made with tmpl_html();
 *                    any other value is escaped (and logged)
 *   {{!comment}}     nothing
 *   {{.}}            the current element
 * Names are [A-Za-z0-9_.-]+.  A value tag ({{a}}, {{&a}}, {{@k}}, {{%l}}) inside
 * an HTML start tag but outside a quoted attribute value (<a href={{x}}>,
 * <input {{x}}>, <{{x}}>) is a syntax error: escaping cannot protect it
 * there; so is a partial inside a tag.  Values in <script> or <style>
 * bodies are not checked: pages carry no inline script or style (the CSP
 * forbids both).  URLs in attributes are the handler's to validate.  {{{name}}} and
 * {{=<% %>=}} are not supported (syntax errors).  Whitespace around the
 * name is allowed ({{ name }}).  Text is copied byte for byte (no
 * mustache "standalone line" trimming).  Partials nest at most 16 deep
 * at render (deeper ones render nothing, logged); a cycle of partials
 * outside any section is rejected at load.
 */

/* The path of the route called name, or NULL when there is none. */
typedef const char *(*tmpl_link_fn)(const char *name);

/*
 * Load and parse every *.html file in dir (not recursive); a template's
 * name is its file name without ".html".  Every {{@key}} must exist in
 * the English catalog, every {{>partial}} must exist, every {{%name}}
 * must be a link link knows (link NULL: none may be used).  On error returns
 * NULL with "file:line: message" in err.  The catalog texts are shared,
 * not copied: the i18n must outlive the set.
 */
struct tmpl_set	*tmpl_load(const char *dir, const struct i18n *,
		    tmpl_link_fn link, char *err, size_t errlen);
void		 tmpl_free(struct tmpl_set *);

/* Non-zero when the set has a template of that name. */
int		 tmpl_exists(const struct tmpl_set *, const char *name);

/*
 * Render template name with ctx (an object; may be NULL) in lang,
 * appending to out.  Missing values render as nothing.  Returns 0, or -1
 * when there is no such template.
 */
int		 tmpl_render(const struct tmpl_set *, const char *name,
		    struct json_object *ctx, enum lang, struct buf *out);

/*
 * A json string holding HTML produced by C code, which {{&name}} writes
 * unescaped.  The caller owns the returned reference.
 */
struct json_object *tmpl_html(const char *html, size_t len);

#endif
