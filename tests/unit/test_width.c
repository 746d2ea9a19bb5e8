/* test_width.c: display columns of UTF-8 text, the same whatever the locale. */
#include <locale.h>
#include <string.h>

#include "check.h"
#include "base/width.h"

static size_t
w(const char *s)
{
	return width_text(s, strlen(s));
}

int
main(void)
{
	/* the locale is never consulted: C and a UTF-8 locale give the same */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && setlocale(LC_ALL, "C.UTF-8") == NULL)
			setlocale(LC_ALL, "");
		CHECK_EQ(w(""), 0);
		CHECK_EQ(w("Gedling"), 7);
		CHECK_EQ(w("Z\xc3\xbcrich"), 6);			/* Zürich: one column each */
		CHECK_EQ(w("\xd0\x9e\xd0\xbb\xd1\x8c\xd0\xb3\xd0\xb0"), 5);	/* Cyrillic */
		CHECK_EQ(w("\xe6\x9d\xb1\xe4\xba\xac"), 4);		/* two CJK ideographs, two each */
		CHECK_EQ(w("\xea\xb0\x80"), 2);				/* a Hangul syllable */
		CHECK_EQ(w("\xef\xbc\xa1"), 2);				/* a fullwidth A */
		CHECK_EQ(w("e\xcc\x81"), 1);				/* e and a combining acute */
		CHECK_EQ(w("a\xe2\x80\x8b" "b"), 2);			/* a zero-width space */
		CHECK_EQ(w("\xf0\x9f\x98\x80"), 2);			/* an emoji */
		CHECK_EQ(w("\xe2\x94\x80"), 1);				/* a box-drawing line */
		CHECK_EQ(w("a\xff" "b"), 3);				/* an invalid byte: one '?' */
		CHECK_EQ(w("\xe6\x9d"), 2);				/* a cut sequence: two */
		CHECK_EQ(width_codepoint(0x1b), 0);
		CHECK_EQ(width_codepoint(0x9b), 0);
		CHECK_EQ(width_codepoint(0x20), 1);
		CHECK_EQ(width_codepoint(0x4e00), 2);
		CHECK_EQ(width_codepoint(0x9fff), 2);
		CHECK_EQ(width_codepoint(0xa4d0), 1);
		CHECK_EQ(width_codepoint(0x20000), 2);
		CHECK_EQ(width_codepoint(0x10ffff), 1);
	}
	return check_done();
}
