/* ruletest.c: runs a rule file's own test cases through the engine and counts coverage. */
#include "rules/ruletest.h"

#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"

static void
run_one(const struct ruleset *rs, const struct test_def *t, struct case_facts *cf,
    struct trace *tr, struct test_result *res)
{
	struct decision d;
	char *cause = NULL;

	memset(res, 0, sizeof *res);
	res->rule = -1;
	if (case_parse(cf, t->case_json, strlen(t->case_json), &cause) < 0) {
		/* the case is the rule file's own text: the check's reason names what is wrong */
		if (t->case_problem != NULL) {
			free(cause);
			cause = xstrdup(t->case_problem);
		}
		res->got_error = 1;
		res->cause = cause;
		res->passed = t->expect_error;
		return;
	}
	if (engine_decide(rs, cf, &d, tr) < 0) {
		res->got_error = 1;
		res->cause = xstrdup("no rule matched");
		return;
	}
	res->route = d.route;
	res->rule = d.rule;
	res->urgency = d.urgency;
	res->passed = !t->expect_error && d.route == t->route &&
	    (t->rule < 0 || t->rule == d.rule) && (t->urgency < 0 || (int)d.urgency == t->urgency);
	if (!res->passed) {
		struct buf b;

		buf_init(&b);
		engine_write_trace_text(&b, rs, cf, tr);
		res->trace = buf_steal(&b);
	}
}

void
ruletest_run(const struct ruleset *rs, struct test_report *rep)
{
	struct case_facts cf;
	struct trace tr;

	memset(rep, 0, sizeof *rep);
	rep->results = xcalloc(rs->ntests ? rs->ntests : 1, sizeof *rep->results);
	rep->fired = xcalloc(rs->nrules ? rs->nrules : 1, sizeof *rep->fired);
	case_init(&cf, rs);
	trace_init(&tr);
	for (size_t i = 0; i < rs->ntests; i++) {
		struct test_result *res = &rep->results[i];

		run_one(rs, &rs->tests[i], &cf, &tr, res);
		if (res->passed)
			rep->passed++;
		else
			rep->failed++;
		/* only a passing test covers the rule it reached */
		if (res->passed && !res->got_error && rep->fired[res->rule]++ == 0)
			rep->covered++;
	}
	trace_free(&tr);
	case_free(&cf);
}

void
ruletest_free(struct test_report *rep, size_t ntests)
{
	for (size_t i = 0; i < ntests; i++) {
		free(rep->results[i].cause);
		free(rep->results[i].trace);
	}
	free(rep->results);
	free(rep->fired);
	memset(rep, 0, sizeof *rep);
}

int
ruletest_coverage_permille(const struct test_report *rep, size_t nrules)
{
	if (nrules == 0)
		return 1000;
	return (int)((rep->covered * 1000) / nrules);
}
