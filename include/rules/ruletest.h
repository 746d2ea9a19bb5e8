/* ruletest.h: runs the test cases a rule file carries and measures rule coverage. */
#ifndef FD_RULETEST_H
#define FD_RULETEST_H

#include "rules/rules.h"

struct test_result {
	int passed;
	int got_error;		/* the case was rejected */
	char *cause;		/* why it was rejected */
	enum route_id route;	/* what it got, when not rejected */
	int rule;
	enum urgency urgency;
	char *trace;		/* the rule trace as text, for a failure */
};

struct test_report {
	struct test_result *results;	/* one per rs->tests[] */
	size_t passed, failed;
	int *fired;		/* per rule: how many tests made it fire */
	size_t covered;		/* rules fired by at least one test */
};

void ruletest_run(const struct ruleset *rs, struct test_report *rep);
void ruletest_free(struct test_report *rep, size_t ntests);
/* Coverage in tenths of a percent, rounded down: 999/1000 rules is 99.9, never 100. */
int ruletest_coverage_permille(const struct test_report *rep, size_t nrules);

#endif
