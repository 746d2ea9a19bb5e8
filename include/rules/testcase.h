/* testcase.h: checks a rule file's test case against the facts and indicators it declares. */
#ifndef FD_TESTCASE_H
#define FD_TESTCASE_H

#include "base/diag.h"
#include "base/yamltree.h"
#include "rules/rules.h"

/*
 * Warns, with the place in the file, about a test's case: keys that are not
 * declared facts (the case ignores them; a dotted key such as child.age is
 * one name, never a path) and, unless the test expects an error, whatever
 * will make the case be rejected (an undefined indicator, a value of the
 * wrong type or not listed, a required fact left out). Returns the first
 * such reason (owned; NULL if none), for the test's report.
 */
char *testcase_check(const struct ruleset *rs, const struct ynode *casenode, int expect_error,
    struct diag *d);

#endif
