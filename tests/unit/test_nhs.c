/* test_nhs.c: NHS numbers as typed: ten digits, spaces between groups, the check digit. */
#include <string.h>

#include "check.h"
#include "base/nhs.h"

static enum nhs_result
parse(const char *s, char *out)
{
	return nhs_number_parse(s, out);
}

int
main(void)
{
	char d[11];

	/* the NHS's own published example, written both ways */
	CHECK_EQ(parse("9434765919", d), NHS_OK);
	CHECK_STR(d, "9434765919");
	CHECK_EQ(parse("943 476 5919", d), NHS_OK);
	CHECK_STR(d, "9434765919");
	/* a sum with no remainder gives 11, read as check digit 0 */
	CHECK_EQ(parse("4010232110", d), NHS_OK);
	/* one digit changed, two swapped: the check digit catches both */
	CHECK_EQ(parse("9434765918", d), NHS_BAD_CHECK);
	CHECK_EQ(parse("9434765991", d), NHS_BAD_CHECK);
	CHECK_EQ(parse("4934765919", d), NHS_BAD_CHECK);
	/* nine digits whose check would be 10: no NHS number has them */
	CHECK_EQ(parse("0000000060", d), NHS_BAD_CHECK);
	/* not ten digits */
	CHECK_EQ(parse("", d), NHS_NOT_TEN_DIGITS);
	CHECK_EQ(parse("943476591", d), NHS_NOT_TEN_DIGITS);
	CHECK_EQ(parse("94347659190", d), NHS_NOT_TEN_DIGITS);
	CHECK_EQ(parse("943-476-5919", d), NHS_NOT_TEN_DIGITS);
	CHECK_EQ(parse("943  476 5919", d), NHS_NOT_TEN_DIGITS);
	CHECK_EQ(parse(" 9434765919", d), NHS_NOT_TEN_DIGITS);
	CHECK_EQ(parse("9434765919 ", d), NHS_NOT_TEN_DIGITS);
	CHECK_EQ(parse("943476591O", d), NHS_NOT_TEN_DIGITS);
	return check_done();
}
