/* test_csv.c: the CSV cell writer: RFC 4180 quoting and formula defusing. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "base/csv.h"

/* One cell of s (n bytes), not last, as written. */
static const char *
cell_n(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	csv_cell(b, s, n, 0);
	return b->data;
}

static const char *
cell(struct buf *b, const char *s)
{
	return cell_n(b, s, strlen(s));
}

static void
test_plain(void)
{
	struct buf b;

	buf_init(&b);
	CHECK_STR(cell(&b, ""), ",");
	CHECK_STR(cell(&b, "plain"), "plain,");
	CHECK_STR(cell(&b, "a b"), "a b,");
	CHECK_STR(cell(&b, "12"), "12,");
	CHECK_STR(cell(&b, "a=b"), "a=b,");	/* only a leading sign is a formula */
	CHECK_STR(cell(&b, "x\t"), "x\t,");
	CHECK_STR(cell(&b, "caf\xc3\xa9"), "caf\xc3\xa9,");
	buf_reset(&b);
	csv_cell(&b, "end", 3, 1);
	CHECK_STR(b.data, "end\n");
	buf_free(&b);
}

static void
test_quoting(void)
{
	struct buf b;

	buf_init(&b);
	CHECK_STR(cell(&b, "a,b"), "\"a,b\",");
	CHECK_STR(cell(&b, "say \"hi\""), "\"say \"\"hi\"\"\",");
	CHECK_STR(cell(&b, "\""), "\"\"\"\",");
	CHECK_STR(cell(&b, "two\nlines"), "\"two\nlines\",");
	CHECK_STR(cell(&b, "cr\rhere"), "\"cr\rhere\",");
	buf_free(&b);
}

/* Every formula lead character, and only those, gets the quote-and-apostrophe treatment. */
static void
test_formulas(void)
{
	struct buf b;
	char s[4], want[16];
	int ok = 1;

	buf_init(&b);
	CHECK_STR(cell(&b, "=1+2"), "\"'=1+2\",");
	CHECK_STR(cell(&b, "+44 20"), "\"'+44 20\",");
	CHECK_STR(cell(&b, "-5"), "\"'-5\",");
	CHECK_STR(cell(&b, "@SUM(A1)"), "\"'@SUM(A1)\",");
	CHECK_STR(cell(&b, "\tx"), "\"'\tx\",");
	CHECK_STR(cell(&b, "\rx"), "\"'\rx\",");
	CHECK_STR(cell(&b, "=\"a\",b"), "\"'=\"\"a\"\",b\",");
	CHECK_STR(cell(&b, "="), "\"'=\",");
	for (int c = 1; c < 256; c++) {
		int formula = strchr("=+-@\t\r", c) != NULL;
		int quoted = strchr(",\"\n", c) != NULL;

		s[0] = (char)c;
		s[1] = 'x';
		s[2] = '\0';
		if (formula)
			snprintf(want, sizeof want, "\"'%cx\",", c);
		else if (quoted)
			snprintf(want, sizeof want, "\"%s%cx\",", c == '"' ? "\"" : "", c);
		else
			snprintf(want, sizeof want, "%cx,", c);
		ok &= strcmp(cell(&b, s), want) == 0;
	}
	CHECK(ok);
	buf_free(&b);
}

/* Cells are bytes: an embedded NUL is written as it is, not an end. */
static void
test_length(void)
{
	struct buf b;

	buf_init(&b);
	cell_n(&b, "a\0b", 3);
	CHECK(b.len == 4 && memcmp(b.data, "a\0b,", 4) == 0);
	CHECK_STR(cell_n(&b, "=abc", 0), ",");
	CHECK_STR(cell_n(&b, "ab,cd", 2), "ab,");
	buf_free(&b);
}

int
main(void)
{
	test_plain();
	test_quoting();
	test_formulas();
	test_length();
	return check_done();
}
