/* tmpl_test: template parsing, escaping, sections, partials, i18n tags and syntax errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/html.h"
#include "core/i18n.h"
#include "tap.h"
#include "core/tmpl.h"

static const char	*srcdir;
static struct arena	 arena;
static struct tmpl_set	*set;
static struct i18n	*cat;

static const char *
fixture(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/t/unit/fixtures/tmpl/%s", srcdir,
	    name);
	return path;
}

/* The links the fixtures may name: {{%x}} and {{%amp}}. */
static const char *
test_link(const char *name)
{
	if (strcmp(name, "x") == 0)
		return "/x";
	if (strcmp(name, "amp") == 0)
		return "/a&b";
	return NULL;
}

/* Parse JSON text into a context; aborts on a broken test. */
static struct json_object *
J(const char *text)
{
	struct json_object *j = json_tokener_parse(text);

	if (j == NULL) {
		fprintf(stderr, "bad test JSON: %s\n", text);
		abort();
	}
	return j;
}

/* Render into arena memory; "(-1)" when tmpl_render fails. */
static const char *
R(const char *name, struct json_object *ctx, enum lang l)
{
	struct buf b;

	buf_init(&b, &arena);
	if (tmpl_render(set, name, ctx, l, &b) == -1)
		return "(-1)";
	return arena_strdup(&arena, buf_str(&b));
}

/* Render name with ctx (then dropped) in English and compare. */
static void
check(const char *name, struct json_object *ctx, const char *want,
    const char *what)
{
	is_str(R(name, ctx, LANG_EN), want, what);
	json_object_put(ctx);
}

struct capture {
	FILE	*tmp;
	int	 saved;
};

static void
capture_start(struct capture *c)
{
	fflush(stderr);
	if ((c->tmp = tmpfile()) == NULL)
		abort();
	c->saved = dup(STDERR_FILENO);
	dup2(fileno(c->tmp), STDERR_FILENO);
}

static void
capture_end(struct capture *c, char *out, size_t outlen)
{
	size_t n;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	rewind(c->tmp);
	n = fread(out, 1, outlen - 1, c->tmp);
	out[n] = '\0';
	fclose(c->tmp);
}

static size_t
count_substr(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
test_html(void)
{
	struct buf b;

	buf_init(&b, &arena);
	html_escape_str(&b, "a&b<c>d\"e'f");
	is_str(buf_str(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f", "html_escape_str");
	buf_init(&b, &arena);
	html_escape(&b, "<<x\0y>>", 7);
	ok(b.len == 19 && memcmp(b.data, "&lt;&lt;x\0y&gt;&gt;", 19) == 0,
	    "html_escape: explicit length, NUL kept");
	buf_init(&b, &arena);
	html_escape(&b, "", 0);
	is_str(buf_str(&b), "", "html_escape: empty");
	html_escape_str(&b, "plain text, é");
	is_str(buf_str(&b), "plain text, é", "html_escape: safe run");
	html_escape_str(&b, NULL);
	is_str(buf_str(&b), "plain text, é", "html_escape_str: NULL ignored");
	arena_reset(&arena);
}

static void
test_basics(void)
{
	struct json_object *j;

	ok(tmpl_exists(set, "esc"), "exists: esc");
	ok(tmpl_exists(set, "x-y") && tmpl_exists(set, "x.y") &&
	    tmpl_exists(set, "x"), "exists: x, x-y, x.y");
	ok(!tmpl_exists(set, "nope"), "exists: nope");
	ok(!tmpl_exists(set, "dir"), "exists: a directory is skipped");
	ok(!tmpl_exists(set, "README") && !tmpl_exists(set, "README.txt"),
	    "exists: non-.html skipped");
	ok(!tmpl_exists(set, ".hidden") && !tmpl_exists(set, "inner"),
	    "exists: hidden and nested files skipped");
	is_str(R("x", NULL, LANG_EN), "X", "render x");
	is_str(R("x-y", NULL, LANG_EN), "XY", "render x-y");
	is_str(R("x.y", NULL, LANG_EN), "X.Y", "render x.y");
	is_str(R("nope", NULL, LANG_EN), "(-1)", "unknown template: -1");
	is_int(tmpl_render(set, "", NULL, LANG_EN, NULL), -1,
	    "empty name: -1");

	j = J("{\"x\": \"<b>\\\"Tom\\\" & 'Jerry'</b>\"}");
	check("esc", j, "<p>&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;"
	    "&lt;/b&gt;</p><a title=\"&lt;b&gt;&quot;Tom&quot; &amp; "
	    "&#39;Jerry&#39;&lt;/b&gt;\">t</a>",
	    "escaping in text and in an attribute value");
	is_str(R("esc", NULL, LANG_EN), "<p></p><a title=\"\">t</a>",
	    "NULL context: missing values render empty");
	check("attr", J("{\"v\": \"\\\"'<&\"}"),
	    "<input value=\"&quot;&#39;&lt;&amp;\" data-x='&quot;&#39;&lt;"
	    "&amp;'>&quot;&#39;&lt;&amp;=x = &quot;&#39;&lt;&amp;"
	    "<a href=\"/x?v=&quot;&#39;&lt;&amp;\">x=&quot;&#39;&lt;&amp;</a>",
	    "double and single quoted attributes, '=' inside a value or text");
	check("htmlcomment", J("{\"x\": \"a&b\"}"),
	    "<!-- <a title= \"x --><p title=\"a&amp;b\">a&amp;b</p>",
	    "a comment's quotes and tags do not confuse the attribute check");
	check("dotted", J("{\"user\": {\"name\": \"Ann\", \"address\": "
	    "{\"city\": \"Porto\"}}}"), "Ann|Porto|||Ann|", "dotted paths");
	check("dotted", J("{\"user\": \"flat\"}"), "|||||",
	    "dotted path through a string: empty");

	j = J("{\"s\": \"str\", \"i\": 42, \"d\": 1.5, \"t\": true, "
	    "\"f\": false, \"n\": null, \"o\": {\"a\": 1}, \"a\": [1, 2], "
	    "\"neg\": -7}");
	json_object_object_add(j, "big",
	    json_object_new_uint64(18446744073709551615ULL));
	check("scalars", j, "str|42|1.5|true|false||||-7|18446744073709551615|",
	    "scalars: string, int, double, booleans, null, object, array");
	check("scalars", J("{\"i\": -9223372036854775808, \"d\": -0.25, "
	    "\"big\": 9223372036854775807}"),
	    "|-9223372036854775808|-0.25|||||||9223372036854775807|",
	    "scalars: int64 limits, negative double");
	check("comment", NULL, "abc", "comments render nothing");
	check("lines", J("{\"a\": true}"), "\nX\n\n",
	    "newlines around section tags kept");
	check("space", NULL, "|||", "whitespace in tags, NULL context");
	arena_reset(&arena);
}

static void
test_sections(void)
{
	check("list", J("{\"tags\": [\"a\", \"<b>\", 3, true]}"),
	    "[a][&lt;b&gt;][3][true]", "section over array with {{.}}");
	check("list", J("{\"tags\": []}"), "none", "empty array: inverted");
	check("list", J("{}"), "none", "missing: inverted");
	check("list", J("{\"tags\": null}"), "none", "null: inverted");
	check("list", J("{\"tags\": \"str\"}"), "[str]",
	    "non-empty string: once, pushed");
	check("list", J("{\"tags\": \"\"}"), "none", "empty string: inverted");
	check("list", J("{\"tags\": [[1, 2], {\"a\": 1}]}"), "[][]",
	    "{{.}} on array and object elements: empty");
	check("people", J("{\"team\": \"Red & Blue\", \"people\": ["
	    "{\"name\": \"Ann\", \"age\": 30, \"admin\": true},"
	    "{\"name\": \"Bob\", \"age\": 25}]}"),
	    "<ul><li>Ann (30) of Red &amp; Blue*</li>"
	    "<li>Bob (25) of Red &amp; Blue</li></ul>",
	    "array of objects; outer name visible inside");
	check("people", J("{\"team\": \"T\", \"admin\": true, \"people\": ["
	    "{\"name\": \"Ann\", \"admin\": false}, {\"name\": \"Bob\"}]}"),
	    "<ul><li>Ann () of T</li><li>Bob () of T*</li></ul>",
	    "inner false hides outer true; missing falls back outwards");
	check("obj", J("{\"title\": \"T\", \"user\": {\"name\": \"Ann\"}}"),
	    "Ann/Ann/T", "object section pushes; dotted from outer context");
	check("obj", J("{\"title\": \"T\", \"user\": {}}"), "//T",
	    "empty object is still rendered once");
	check("obj", J("{\"title\": \"T\"}"), "anon", "missing object: inverted");
	check("obj", J("{\"user\": {\"name\": \"Ann\", \"title\": \"In\"}, "
	    "\"title\": \"Out\"}"), "Ann/Ann/In", "innermost name wins");
	check("bool", J("{\"t\": true, \"f\": false, \"s\": \"x\", \"e\": \"\","
	    " \"z\": 0, \"n\": null}"), "T!FS:x!EZ:0!N!M",
	    "booleans, strings, zero, null, missing");
	check("bool", J("{\"t\": false, \"f\": true, \"s\": \"\", \"e\": \"y\","
	    " \"z\": 1.5, \"n\": {}, \"m\": [0]}"), "F!TEZ:1.5NM",
	    "the other way round");
	check("nested", J("{\"a\": {\"b\": {\"c\": \"C\"}}}"), "C|C",
	    "nested sections, dotted section name");
	check("nested", J("{\"a\": {\"b\": [{\"c\": 1}, {\"c\": 2}]}}"),
	    "12|12", "nested array");
	check("nested", J("{\"c\": \"out\", \"a\": {\"b\": [{}, {\"c\": 2}]}}"),
	    "out2|out2", "lookup climbs two levels");
	arena_reset(&arena);
}

static void
test_partials(void)
{
	struct capture cap;
	struct json_object *j;
	char logbuf[4096];
	const char *out, *out2;

	check("page", J("{\"title\": \"T\", \"name\": \"top\", \"items\": "
	    "[{\"name\": \"a\"}, {\"name\": \"<b>\"}]}"),
	    "<h1>T</h1><i>top</i><i>a</i><i>&lt;b&gt;</i>",
	    "partials share the context");
	check("tree", J("{\"kids\": [{\"name\": \"a\", \"kids\": [{\"name\": "
	    "\"b\", \"kids\": []}]}, {\"name\": \"c\", \"kids\": []}]}"),
	    "<ul><li>a<ul><li>b<ul></ul></li></ul></li><li>c<ul></ul></li>"
	    "</ul>", "recursive partial inside a section (tree)");

	j = J("{\"a\": true}");
	capture_start(&cap);
	out = R("loop", j, LANG_EN);
	out2 = R("loop", j, LANG_EN);
	capture_end(&cap, logbuf, sizeof(logbuf));
	json_object_put(j);
	is_str(out, "xxxxxxxxxxxxxxxxx",
	    "partial depth limited to 16 (17 copies)");
	is_str(out2, out, "same output the second time");
	is_int((long)count_substr(logbuf, "nested deeper than 16"), 1,
	    "depth limit logged once");
	arena_reset(&arena);
}

static void
test_i18n(void)
{
	static const char *want[LANG__MAX] = {
		"<h1>Home</h1><p>Hello, &lt;Ana &amp; &quot;Bo&quot;&gt;! You "
		"have 3 &lt;new&gt; messages.</p><p title=\"Tom &amp; "
		"Jerry&#39;s &quot;show&quot;\">Braces: {not a name} {} {x "
		"{a..b} {3}  end{</p>",
		"<h1>Inicio</h1><p>¡Hola, &lt;Ana &amp; &quot;Bo&quot;&gt;! "
		"Tienes 3 mensajes &lt;nuevos&gt;.</p><p title=\"Tom &amp; "
		"Jerry&#39;s &quot;show&quot;\">Llaves {count</p>",
		"<h1>Início</h1><p>Olá, &lt;Ana &amp; &quot;Bo&quot;&gt;! Tem 3 "
		"mensagens.</p><p title=\"Tom &amp; Jerry&#39;s "
		"&quot;show&quot;\">Braces: {not a name} {} {x {a..b} {3}  "
		"end{</p>",
		"<h1>Início</h1><p>Oi, &lt;Ana &amp; &quot;Bo&quot;&gt;! Você "
		"tem 3 mensagens.</p><p title=\"Tom &amp; Jerry&#39;s "
		"&quot;show&quot;\">Braces: {not a name} {} {x {a..b} {3}  "
		"end{</p>",
	};
	struct json_object *j;
	char name[64];
	int l;

	j = J("{\"user\": {\"name\": \"<Ana & \\\"Bo\\\">\"}, \"count\": 3}");
	for (l = 0; l < LANG__MAX; l++) {
		snprintf(name, sizeof(name), "{{@key}} in %s",
		    i18n_code((enum lang)l));
		is_str(R("i18n", j, (enum lang)l), want[l], name);
	}
	json_object_put(j);
	is_str(R("i18n", NULL, LANG_EN), "<h1>Home</h1><p>Hello, ! You have  "
	    "&lt;new&gt; messages.</p><p title=\"Tom &amp; Jerry&#39;s "
	    "&quot;show&quot;\">Braces: {not a name} {} {x {a..b} {}  end{</p>",
	    "{{@key}} placeholders with no context: empty");
	j = J("{\"user\": {\"name\": \"Zé\"}, \"count\": 1.5}");
	is_str(R("i18n", j, LANG_BR), "<h1>Início</h1><p>Oi, Zé! Você tem 1.5 "
	    "mensagens.</p><p title=\"Tom &amp; Jerry&#39;s &quot;show&quot;"
	    "\">Braces: {not a name} {} {x {a..b} {1.5}  end{</p>",
	    "{{@key}} with other values");
	json_object_put(j);
	arena_reset(&arena);
}

static void
test_raw(void)
{
	struct json_object *j;
	struct capture cap;
	char logbuf[4096];
	const char *o1, *o2, *o3;

	j = J("{}");
	json_object_object_add(j, "content", tmpl_html("<b>bold</b>", 11));
	check("raw", j, "<div><b>bold</b></div><p>&lt;b&gt;bold&lt;/b&gt;</p>",
	    "{{&x}} writes tmpl_html() unescaped; {{x}} escapes it");
	j = J("{}");
	json_object_object_add(j, "content", tmpl_html("<i>x</i>yz", 8));
	check("raw", j, "<div><i>x</i></div><p>&lt;i&gt;x&lt;/i&gt;</p>",
	    "tmpl_html() takes a length");
	j = J("{}");
	json_object_object_add(j, "content", tmpl_html(NULL, 0));
	check("raw", j, "<div></div><p></p>", "tmpl_html(NULL, 0) is empty");
	j = J("{}");
	json_object_object_add(j, "h", tmpl_html("<i>", 3));
	json_object_object_add(j, "name", json_object_new_string("N"));
	json_object_object_add(j, "s", json_object_new_string("yes"));
	check("space", j, "N|y|<i>|N", "whitespace inside tags");

	capture_start(&cap);
	j = J("{\"content\": \"<b>\"}");
	o1 = R("raw", j, LANG_EN);
	o2 = R("raw", j, LANG_EN);
	json_object_put(j);
	j = J("{\"content\": 5}");
	o3 = R("raw", j, LANG_EN);
	json_object_put(j);
	capture_end(&cap, logbuf, sizeof(logbuf));
	is_str(o1, "<div>&lt;b&gt;</div><p>&lt;b&gt;</p>",
	    "{{&x}} on a plain string escapes");
	is_str(o2, o1, "same output the second time");
	is_str(o3, "<div>5</div><p>5</p>", "{{&x}} on a number");
	is_int((long)count_substr(logbuf, "{{&content}} is not from "
	    "tmpl_html()"), 1, "misuse of {{&x}} logged once per tag");
	ok(strstr(logbuf, "raw.html:1: ") != NULL, "log names file:line");
	is_str(R("raw", NULL, LANG_EN), "<div></div><p></p>",
	    "{{&x}} missing: empty");
	j = json_object_new_string("<b>");
	ok(json_object_get_userdata(j) == NULL, "plain string not marked");
	json_object_put(j);
	arena_reset(&arena);
}

static void
test_errors(void)
{
	struct {
		const char	*dir;
		const char	*file;
		const char	*msg;
	} tc[] = {
		{ "bad_unclosed_tag", "t.html",
		    "2: unclosed tag: \"{{\" without \"}}\"" },
		{ "bad_empty", "t.html", "3: empty tag" },
		{ "bad_empty_section", "t.html", "2: empty tag" },
		{ "bad_name", "t.html",
		    "2: bad character in tag name \"na me\"" },
		{ "bad_name_chars", "t.html",
		    "3: bad character in tag name \"x<y\"" },
		{ "bad_dots", "t.html", "2: bad name \"a..b\"" },
		{ "bad_unclosed_section", "t.html",
		    "2: unclosed section {{#a}}" },
		{ "bad_unclosed_inverted", "t.html",
		    "1: unclosed section {{^a}}" },
		{ "bad_mismatch", "t.html",
		    "3: {{/a}} does not close {{#b}} (line 2)" },
		{ "bad_stray", "t.html", "3: {{/a}} closes no section" },
		{ "bad_partial", "t.html", "2: unknown partial \"nope\"" },
		{ "bad_key", "t.html", "3: unknown catalog key \"no.such.key\"" },
		{ "bad_attr", "t.html", "2: value inside a tag but outside a "
		    "quoted attribute value (quote the attribute value)" },
		{ "bad_attr_between", "t.html", "4: value inside a tag but "
		    "outside a quoted attribute value (quote the attribute "
		    "value)" },
		{ "bad_attr_comment", "t.html", "2: value inside a tag but "
		    "outside a quoted attribute value (quote the attribute "
		    "value)" },
		{ "bad_attr_partial", "t.html", "1: partial inside an HTML tag" },
		{ "bad_attr_open", "t.html", "2: value inside a tag but "
		    "outside a quoted attribute value (quote the attribute "
		    "value)" },
		{ "bad_triple", "t.html", "2: triple mustache is not supported "
		    "(use {{&name}} with tmpl_html())" },
		{ "bad_recursion", "b.html", "1: partial recursion: a -> b -> a" },
		{ "bad_self", "s.html", "3: partial recursion: s -> s" },
		{ "bad_cycle3", "c.html", "3: partial recursion: b -> c -> b" },
		{ "bad_lines", "t.html", "4: unclosed section {{#y}}" },
		{ "bad_delim", "t.html",
		    "1: set-delimiter tags are not supported" },
		{ "bad_link", "t.html", "2: unknown link \"nope\"" },
		{ "bad_link_attr", "t.html", "1: value inside a tag but "
		    "outside a quoted attribute value (quote the attribute "
		    "value)" },
	};
	char err[8192], want[8192], name[128];
	struct tmpl_set *s;
	size_t i;

	for (i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
		snprintf(want, sizeof(want), "%s/%s:%s", fixture(tc[i].dir),
		    tc[i].file, tc[i].msg);
		strcpy(err, "unchanged");
		s = tmpl_load(fixture(tc[i].dir), cat, test_link, err,
		    sizeof(err));
		snprintf(name, sizeof(name), "%s: load fails", tc[i].dir);
		ok(s == NULL, "%s", name);
		tmpl_free(s);
		snprintf(name, sizeof(name), "%s: error message", tc[i].dir);
		is_str(err, want, name);
	}

	snprintf(want, sizeof(want), "%s/i18n.html:1: unknown catalog key "
	    "\"title\"", fixture("ok"));
	s = tmpl_load(fixture("ok"), NULL, test_link, err, sizeof(err));
	ok(s == NULL, "no catalog: {{@key}} fails");
	is_str(err, want, "no catalog: error message");
	tmpl_free(s);

	snprintf(want, sizeof(want), "%s/link.html:1: unknown link \"x\"",
	    fixture("ok"));
	s = tmpl_load(fixture("ok"), cat, NULL, err, sizeof(err));
	ok(s == NULL, "no link function: a link tag fails");
	is_str(err, want, "no link function: error message");
	tmpl_free(s);

	snprintf(want, sizeof(want), "%s: No such file or directory",
	    fixture("nope"));
	s = tmpl_load(fixture("nope"), cat, test_link, err, sizeof(err));
	ok(s == NULL, "missing directory fails");
	is_str(err, want, "missing directory: error message");
	tmpl_free(NULL);
}

int
main(void)
{
	char err[512];

	if ((srcdir = getenv("ELEVA_SRCDIR")) == NULL || *srcdir == '\0')
		srcdir = ".";
	if (arena_init(&arena) == -1)
		abort();
	if (!ok((cat = i18n_load(fixture("i18n"), err, sizeof(err))) != NULL,
	    "load catalogs") ||
	    !ok((set = tmpl_load(fixture("ok"), cat, test_link, err,
	    sizeof(err))) != NULL,
	    "load templates")) {
		tap_diag("error: %s", err);
		i18n_free(cat);
		arena_free(&arena);
		return tap_done();
	}
	test_html();
	test_basics();
	test_sections();
	test_partials();
	test_i18n();
	test_raw();
	check("link", NULL, "<a href=\"/x\">/a&amp;b</a> /x\n",
	    "{{%name}}: the route's path, written in at load, escaped");
	test_errors();
	tmpl_free(set);
	i18n_free(cat);
	arena_free(&arena);
	return tap_done();
}
