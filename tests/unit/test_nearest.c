/* test_nearest.c: the nearest name for a did-you-mean note: edits, case, prefixes, ties. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "base/nearest.h"

static const char *const routes[] = { "universal", "early_help_unit", "targeted_early_help",
	"mash" };

static int
is(const char *got, const char *want)
{
	return got != NULL && strcmp(got, want) == 0;
}

static void
test_edits(void)
{
	CHECK(is(nearest_name("mush", routes, 4), "mash"));
	CHECK(is(nearest_name("univrsal", routes, 4), "universal"));
	CHECK(is(nearest_name("early_help_unti", routes, 4), "early_help_unit"));
	/* three edits are too many */
	CHECK(nearest_name("xyzh", routes, 4) == NULL);
	CHECK(nearest_name("", routes, 4) == NULL);
}

static void
test_case_and_prefix(void)
{
	static const char *const types[] = { "string", "integer", "number", "boolean" };

	CHECK(is(nearest_name("MASH", routes, 4), "mash"));
	CHECK(is(nearest_name("Targeted_Early_Help", routes, 4), "targeted_early_help"));
	CHECK(is(nearest_name("int", types, 4), "integer"));
	CHECK(is(nearest_name("bool", types, 4), "boolean"));
	/* a prefix of two letters says too little */
	CHECK(nearest_name("in", types, 4) == NULL);
}

static void
test_ties_and_gaps(void)
{
	static const char *const ids[] = { "dev.l2_01", NULL, "dev.l2_02", "" };

	/* one edit from both: the earlier wins, every time */
	CHECK(is(nearest_name("dev.l2_0", ids, 4), "dev.l2_01"));
	CHECK(is(nearest_name("dev.l2_2", ids, 4), "dev.l2_02"));
	CHECK(nearest_name("anything", ids, 0) == NULL);
	/* names longer than the table are never compared */
	char longname[100];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	char other[100];
	memcpy(other, longname, sizeof other);
	other[sizeof other - 2] = 'b';
	const char *const one[] = { longname };
	CHECK(nearest_name(other, one, 1) == NULL);
}

int
main(void)
{
	test_edits();
	test_case_and_prefix();
	test_ties_and_gaps();
	return check_done();
}
