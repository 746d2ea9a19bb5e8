/* check.h: a minimal test harness: CHECK macros and a closing "N passed, N failed" line. */
#ifndef FD_CHECK_H
#define FD_CHECK_H

#include <stdio.h>
#include <string.h>

#include "test-config.h"	/* FD_SOURCE_RULES: the source tree's rule file */

static int check_passed, check_failed;

#define CHECK(cond) check_report((cond) != 0, #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b) check_report((long)(a) == (long)(b), #a " == " #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) check_report(check_streq((a), (b)), #a " equals \"" b "\"", __FILE__, __LINE__)
#define CHECK_CONTAINS(hay, needle) \
	check_report((hay) != NULL && strstr((hay), (needle)) != NULL, \
	    #hay " contains \"" needle "\"", __FILE__, __LINE__)

static inline int
check_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static inline void
check_report(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		check_passed++;
		return;
	}
	check_failed++;
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
}

/* Prints the closing line and returns the process exit status. */
static inline int
check_done(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed == 0 && check_passed > 0 ? 0 : 1;
}

#endif
