/* csv_test: RFC 4180 quoting and the neutralised spreadsheet formulas of csv.c. */
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

int
main(void)
{
	const char *row[4] = { "Ana", NULL, "3", "=1+1" };
	struct buf b;

	arena_init(&A);
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
