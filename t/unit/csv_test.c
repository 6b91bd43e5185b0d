/* csv_test: RFC 4180 quoting and the neutralised spreadsheet formulas of csv.c. */
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/csv.h"
#include "tap.h"

static struct arena A;

static void
field(const char *in, const char *want, const char *name)
{
	struct buf b;

	buf_init(&b, &A);
	csv_field(&b, in);
	is_str(buf_str(&b), want, name);
	arena_reset(&A);
}

/* Every record of text, joined as "a|b;c|d", or "ERROR@line". */
static const char *
records(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct buf out;
	char **fl;
	size_t n, i;
	long line = 0;
	int rc;

	buf_init(&out, &A);
	while ((rc = csv_read(f, &A, &fl, &n, &line)) == 1) {
		if (out.len > 0)
			buf_putc(&out, ';');
		for (i = 0; i < n; i++)
			buf_printf(&out, "%s%s", i ? "|" : "", fl[i]);
	}
	fclose(f);
	if (rc == -1)
		buf_printf(&out, "ERROR@%ld", line);
	return buf_str(&out);
}

static void
reading(void)
{
	is_str(records("a,b\r\nc,d\r\n"), "a|b;c|d", "read: CRLF records");
	is_str(records("a,b\nc,d"), "a|b;c|d", "read: LF, and no line end at the end");
	is_str(records("\xEF\xBB\xBFid,name\n1,Ana\n"), "id|name;1|Ana", "read: a byte order mark is skipped");
	is_str(records("\"Sousa, Rita\",\"say \"\"hi\"\"\"\n"), "Sousa, Rita|say \"hi\"",
	    "read: quoted commas and doubled quotes");
	is_str(records("\"two\nlines\",x\n"), "two\nlines|x", "read: a quoted line break");
	is_str(records("a,,\"\"\n"), "a||", "read: empty fields, quoted or not");
	is_str(records("Jos\xC3\xA9,\xE3\x81\x82\n"), "Jos\xC3\xA9|\xE3\x81\x82", "read: UTF-8 as it is");
	is_str(records(""), "", "read: nothing");
	is_str(records("a,b\"c\n"), "ERROR@0", "read: a quote inside an unquoted field");
	is_str(records("\"a\"b,c\n"), "ERROR@0", "read: text after a closing quote");
	is_str(records("ok\n\"never closed\n"), "okERROR@2", "read: a quote never closed");
	is_str(records("a\rb\n"), "ERROR@0", "read: a lone carriage return");
}

int
main(void)
{
	const char *row[4] = { "Ana", NULL, "3", "=1+1" };
	struct buf b;

	arena_init(&A);
	reading();
	field("plain", "plain", "a plain value is written as it is");
	field(NULL, "", "NULL is an empty field");
	field("", "", "so is the empty string");
	field("Sousa, Rita", "\"Sousa, Rita\"", "a comma makes the field quoted");
	field("Ana \"Nini\"", "\"Ana \"\"Nini\"\"\"", "quotes are doubled inside quotes");
	field("two\nlines", "\"two\nlines\"", "a line feed is quoted");
	field("cr\rhere", "\"cr\rhere\"", "so is a carriage return");
	field("João Gonçalves", "João Gonçalves", "UTF-8 passes through");
	field("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"",
	    "a formula gets an apostrophe (inside the quotes)");
	field("+351 912", "'+351 912", "a leading + is neutralised");
	field("-2+3", "'-2+3", "a leading - too");
	field("@SUM(A1)", "'@SUM(A1)", "a leading @ too");
	field("\t=1", "'\t=1", "a leading tab too");
	field("\r=1", "\"'\r=1\"", "a leading CR too (and quoted)");
	field("a=1", "a=1", "= later in the value is harmless");
	field("'quoted", "'quoted", "an apostrophe is not doubled");

	buf_init(&b, &A);
	csv_row(&b, row, 4);
	csv_row(&b, row, 1);
	is_str(buf_str(&b), "Ana,,3,'=1+1\r\nAna\r\n",
	    "rows: fields joined by commas, ended by CRLF");
	arena_free(&A);
	return tap_done();
}
