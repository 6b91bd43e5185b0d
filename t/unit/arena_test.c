/* arena_test: allocation, cleanups on reset, nothing surviving into the next request. */
#include <stdint.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "tap.h"

static int	order[8];
static int	norder;

static void
note(void *p)
{
	order[norder++] = *(int *)p;
}

static void
test_alloc(void)
{
	struct arena a;
	char *s, *big;
	void *p;
	int i, aligned = 1;

	ok(arena_init(&a) == 0, "arena_init");
	for (i = 0; i < 100; i++) {
		p = arena_alloc(&a, (size_t)i + 1);
		if ((uintptr_t)p % _Alignof(max_align_t) != 0)
			aligned = 0;
	}
	ok(aligned, "allocations are aligned for any type");
	s = arena_strdup(&a, "hello");
	is_str(s, "hello", "arena_strdup");
	s = arena_strndup(&a, "hello world", 5);
	is_str(s, "hello", "arena_strndup stops at n");
	s = arena_printf(&a, "%s-%d", "x", 42);
	is_str(s, "x-42", "arena_printf");
	big = arena_alloc(&a, 1 << 20);
	memset(big, 'x', 1 << 20);
	ok(big[(1 << 20) - 1] == 'x', "an allocation larger than a chunk works");
	p = arena_calloc(&a, 16, 16);
	ok(((unsigned char *)p)[255] == 0, "arena_calloc zeroes");
	arena_free(&a);
}

static void
test_cleanups(void)
{
	static int one = 1, two = 2, three = 3;
	struct arena a;

	arena_init(&a);
	norder = 0;
	arena_cleanup(&a, note, &one);
	arena_cleanup(&a, note, &two);
	arena_cleanup(&a, note, &three);
	is_int(norder, 0, "cleanups do not run before reset");
	arena_reset(&a);
	is_int(norder, 3, "every cleanup ran at reset");
	ok(order[0] == 3 && order[1] == 2 && order[2] == 1,
	    "cleanups ran in reverse order of registration");
	arena_reset(&a);
	is_int(norder, 3, "a cleanup runs once only");
	arena_cleanup(&a, note, &one);
	arena_free(&a);
	is_int(norder, 4, "arena_free runs pending cleanups");
}

static void
test_reset_wipes(void)
{
	struct arena a;
	char *s, *t;
	size_t i;
	int clean = 1;

	arena_init(&a);
	s = arena_strdup(&a, "secret-session-token");
	ok(a.used > 0, "used counts bytes handed out");
	arena_reset(&a);
	is_int((long)a.used, 0, "reset brings used back to zero");
	/* The first chunk is reused: the same address comes back, wiped. */
	t = arena_alloc(&a, 32);
	ok(t == s, "the first chunk is reused after reset");
	for (i = 0; i < 32; i++)
		if (t[i] != '\0')
			clean = 0;
	ok(clean, "nothing of the previous request survives in reused memory");
	arena_free(&a);
}

static void
test_buf(void)
{
	struct arena a;
	struct buf b;
	int i;

	arena_init(&a);
	buf_init(&b, &a);
	is_str(buf_str(&b), "", "empty buf reads as \"\"");
	for (i = 0; i < 1000; i++)
		buf_puts(&b, "0123456789");
	is_int((long)b.len, 10000, "buf grows past its first allocation");
	buf_truncate(&b, 3);
	is_str(buf_str(&b), "012", "buf_truncate");
	buf_printf(&b, "-%d-", 7);
	buf_putc(&b, '!');
	is_str(buf_str(&b), "012-7-!", "buf_printf and buf_putc append");
	/* The storage is released by the arena: valgrind/ASan catch a leak. */
	arena_reset(&a);
	arena_free(&a);
}

int
main(void)
{
	test_alloc();
	test_cleanups();
	test_reset_wipes();
	test_buf();
	return tap_done();
}
