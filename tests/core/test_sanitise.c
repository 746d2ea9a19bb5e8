/* test_sanitise.c: control, escape and bidi characters replaced; UTF-8 validated and kept whole. */
#include <string.h>

#include "../unit/check.h"
#include "base/sanitise.h"

static char out[256];

/* Sanitises a NUL-terminated string into out (of size n). */
static const char *
san(const char *in, size_t n)
{
	sanitise_text(in, strlen(in), out, n);
	return out;
}

static void
test_plain(void)
{
	CHECK_STR(san("Jack Smith", sizeof out), "Jack Smith");
	CHECK_STR(san("", sizeof out), "");
	CHECK_EQ(sanitise_text("abc", 3, out, sizeof out), 3);
	CHECK_STR(san("Zoë Brontë", sizeof out), "Zoë Brontë");
	CHECK_STR(san("Мария Иванова", sizeof out), "Мария Иванова");
	CHECK_STR(san("محمد علي", sizeof out), "محمد علي");
	CHECK_STR(san("Nguyễn Văn An", sizeof out), "Nguyễn Văn An");
	CHECK_STR(san("emoji \xf0\x9f\x98\x80 ok", sizeof out), "emoji \xf0\x9f\x98\x80 ok");
	CHECK(sanitise_is_clean("Łukasz Nowak", strlen("Łukasz Nowak")));
}

static void
test_controls(void)
{
	CHECK_STR(san("a\x1b[2Jb", sizeof out), "a?[2Jb");
	CHECK_STR(san("tab\there", sizeof out), "tab?here");
	CHECK_STR(san("line\nbreak\r", sizeof out), "line?break?");
	CHECK_STR(san("del\x7f", sizeof out), "del?");
	/* C1 controls as UTF-8: U+0085 (NEL) and U+009B (CSI) */
	CHECK_STR(san("x\xc2\x85y\xc2\x9b" "1m", sizeof out), "x?y?1m");
	/* U+00A0 is the first character after C1: kept */
	CHECK_STR(san("\xc2\xa0", sizeof out), "\xc2\xa0");
	CHECK(!sanitise_is_clean("a\x1b", 2));
	CHECK_EQ(sanitise_text("a\0b", 3, out, sizeof out), 3);
	CHECK(memcmp(out, "a?b", 4) == 0);
}

static void
test_bidi(void)
{
	/* U+202A..U+202E */
	CHECK_STR(san("a\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae" "b",
	    sizeof out), "a?????b");
	/* U+2066..U+2069 */
	CHECK_STR(san("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", sizeof out), "????");
	/* U+2029 and U+200F; U+2065 and U+202F are ordinary */
	CHECK_STR(san("\xe2\x80\xa9\xe2\x80\x8f", sizeof out), "??");
	CHECK_STR(san("\xe2\x81\xa5\xe2\x80\xaf", sizeof out), "\xe2\x81\xa5\xe2\x80\xaf");
	CHECK(!sanitise_is_clean("\xe2\x80\xae", 3));
}

static void
test_invalid_utf8(void)
{
	CHECK_STR(san("a\xff" "b", sizeof out), "a?b");
	CHECK_STR(san("\xc0\xaf", sizeof out), "??");		/* overlong '/' */
	CHECK_STR(san("\xed\xa0\x80", sizeof out), "???");	/* a surrogate */
	CHECK_STR(san("\xf4\x90\x80\x80", sizeof out), "????");	/* above U+10FFFF */
	CHECK_STR(san("end\xe2\x82", sizeof out), "end??");	/* cut short */
	CHECK(!sanitise_is_clean("\xc3", 1));
}

static void
test_truncation(void)
{
	char small[6];

	/* "Zoë" is 4 bytes; the next character would need 1 more than the room left */
	CHECK_EQ(sanitise_text("Zoëab", 6, small, sizeof small), 5);
	CHECK_STR(small, "Zoëa");
	/* never ends inside a multi-byte character */
	CHECK_EQ(sanitise_text("abcdë", 6, small, sizeof small), 4);
	CHECK_STR(small, "abcd");
	CHECK_EQ(sanitise_text("ab\x1b\x1b\x1b\x1b", 6, small, sizeof small), 5);
	CHECK_STR(small, "ab???");
	CHECK_EQ(sanitise_text("abc", 3, small, 1), 0);
	CHECK_STR(small, "");
	small[0] = 'x';
	CHECK_EQ(sanitise_text("abc", 3, small, 0), 0);
	CHECK_EQ(small[0], 'x');
}

int
main(void)
{
	test_plain();
	test_controls();
	test_bidi();
	test_invalid_utf8();
	test_truncation();
	return check_done();
}
