/* view: what a handler hands on — to a template, an audit row or a JSON answer — built without touching json-c. */
#ifndef ELEVA_VIEW_H
#define ELEVA_VIEW_H

#include <stddef.h>

struct arena;
struct ctx;
struct json_object;
struct pg_result;
struct tz_list;
struct valid_field;
struct valid_result;

/*
 * A view is an object (named members) or a list.  Every view belongs to
 * the arena it was made in: one that is never added anywhere is released
 * at the reset all the same, and one added to another lives as long as
 * either needs it.  Members set twice keep the last value.
 */
struct view;

/* A new empty object, or list. */
struct view	*view_new(struct arena *);
struct view	*view_list(struct arena *);

/*
 * Members: text (NULL: JSON null, which a template shows as nothing), a
 * number, true or false, another view.  A template treats false, null,
 * "" and a missing member alike.
 */
void		 view_str(struct view *, const char *key, const char *s);
void		 view_int(struct view *, const char *key, long long n);
void		 view_bool(struct view *, const char *key, int b);
void		 view_set(struct view *, const char *key, struct view *child);
/*
 * Raw HTML that C code made (escaped where it had to be), which the
 * template writes unescaped with {{&key}}: the one way to hand HTML on.
 */
void		 view_html(struct view *, const char *key, const char *html,
		    size_t len);
/* The text of row, col of r (db_val: "" for NULL). */
void		 view_col(struct view *, const char *key,
		    const struct pg_result *r, int row, int col);

/* Lists: add a view, or a text; how many items. */
void		 view_add(struct view *list, struct view *item);
void		 view_add_str(struct view *list, const char *s);
size_t		 view_len(const struct view *list);

/* The view as compact JSON text (audit values), arena-owned. */
const char	*view_json(struct arena *, const struct view *);

/* The json-c object behind a view, for the core modules that render it. */
struct json_object *view_object(const struct view *);

/*
 * Text in the request's language: the catalog's text for key (English
 * when the language lacks it, the key itself when no catalog has it),
 * and the same with every "{name}" replaced by value.  Arena-owned or
 * the catalog's.
 */
const char	*view_t(struct ctx *, const char *key);
const char	*view_tf(struct ctx *, const char *key, const char *name,
		    const char *value);
/* view_t with each "{name}" of the pairs (name, value, ..., NULL) replaced. */
const char	*view_tn(struct ctx *, const char *key,
		    const char *const *pairs);

/*
 * Put a validated form into v for re-rendering: "v" maps each field name
 * to its submitted text (BOOL fields: true when checked), "err" maps each
 * refused field to its message in the request's language (with the
 * field's {min} and {max}), "errors" is the list of messages and
 * "has_errors" true (the summary at the top of the form, the partial
 * form_errors), both absent when there are none.
 */
void		 view_form(struct ctx *, struct view *v,
		    const struct valid_field *, size_t n,
		    const struct valid_result *);

/*
 * A <select>/radio list: [{value, label, selected}] over the
 * NULL-terminated values, labels from the catalog as label_prefix +
 * value.
 */
struct view	*view_options(struct ctx *, const char *const *values,
		    const char *label_prefix, const char *selected);

/* The time zones for a <select>: [{value, selected}], selected (may be NULL) marked. */
struct view	*view_tz_options(struct ctx *, const struct tz_list *,
		    const char *selected);

/*
 * An amount in minor units (5000) as the request's language writes it,
 * without currency: "5,000.00" (en), "5.000,00" (es, br), "5 000,00" (pt,
 * a no-break space): the catalogs' number.decimal and number.group.
 */
const char	*view_money(struct ctx *, long long minor);

/*
 * A price in minor units ("5000") and a currency ("eur") as the language
 * writes it: "€50.00" (en), "50,00 €" (es, pt), "€ 50,00" (br): the
 * catalogs' money.pattern and money.symbol.<currency> (the code in
 * capitals for a currency without one).
 */
const char	*view_price(struct ctx *, const char *minor,
		    const char *currency);

/* Into v: "free" (true) for a price of 0, else "price" (view_price). */
void		 view_set_price(struct ctx *, struct view *v,
		    const char *minor, const char *currency);

/*
 * A category's label: the catalog's when it has one ("Sexual Health" is
 * "category.sexual_health"), else its stored name.
 */
const char	*view_category(struct ctx *, const char *name);

/*
 * A time from the WHEN_ columns (sql.h) that start at col in row of r:
 * {weekday, date, start, end, datetime}: the weekday's name from the
 * catalog ("day.monday", or "day.monday.short" unless long_weekday),
 * datetime the start in UTC for <time datetime>.
 */
struct view	*view_when(struct ctx *, const struct pg_result *r, int row,
		    int col, int long_weekday);

#endif
