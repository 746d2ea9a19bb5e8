/* test_outcomes.c: the council profile's outcome codes and step reasons, and how core reads them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rulefix.h"
#include "base/util.h"
#include "core/outcomes.h"
#include "rules/rules.h"

#define HEAD \
	RULES_HEAD \
	"indicators:\n" \
	"  - {id: a, domain: development, level: 2, text: A}\n" \
	"rules:\n" \
	"  - {id: r1, when: {indicator: a}, route: early_help_unit, reason: R}\n" \
	"  - {id: rest, when: always, route: universal, reason: N}\n" \
	"council:\n" \
	"  name: Westshire\n" \
	"  districts: [North]\n" \
	"  agencies: [{id: police, label: Police, cin_code: \"6\"}]\n" \
	"  calendar: {time_zone: Europe/London, bank_holidays: []}\n"
/* the lists start on line 19 */

#define OUTCOMES_OK \
	"  outcomes:\n" \
	"    - {id: allocated, label: Allocated to a worker, kind: progress}\n" \
	"    - {id: nfa, label: No further action, kind: closure}\n" \
	"    - {id: transferred, label: Transferred, kind: closure, cin_reason: RC5}\n" \
	"    - {id: declined, label: Declined, kind: closure, early_help_declined: true}\n" \
	"  step_up_reasons:\n" \
	"    - {id: new_incident, label: A new incident}\n" \
	"  step_down_reasons:\n" \
	"    - {id: no_harm, label: No significant harm}\n" \
	"    - {id: consented, label: Family consents}\n"

/* Whether d holds a report with this code, at this line and column, whose message has msg. */
static int
reported_at(const struct diag *d, const char *code, int line, int col, const char *msg)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->items[i].code, code) == 0 && d->items[i].line == line &&
		    d->items[i].col == col && strstr(d->items[i].msg, msg) != NULL)
			return 1;
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "    [%s %d:%d] %s\n", d->items[i].code, d->items[i].line,
		    d->items[i].col, d->items[i].msg);
	return 0;
}

static void
test_lists_load(void)
{
	struct loaded l;
	struct outcome_code oc;
	const struct step_reason *r;
	size_t n;

	load(&l, HEAD OUTCOMES_OK);
	CHECK(l.rs != NULL);
	if (l.rs == NULL) {
		unload(&l);
		return;
	}
	CHECK_EQ(outcome_count(l.rs), 4);
	outcome_at(l.rs, 0, &oc);
	CHECK_STR(oc.id, "allocated");
	CHECK(!oc.closes);
	CHECK(oc.cin_reason == NULL);
	outcome_at(l.rs, 2, &oc);
	CHECK_STR(oc.label, "Transferred");
	CHECK(oc.closes);
	CHECK_STR(oc.cin_reason, "RC5");
	CHECK_EQ(outcome_index(l.rs, "declined", 8), 3);
	CHECK_EQ(outcome_index(l.rs, "declined!", 8), 3);	/* by length, not to a NUL */
	CHECK_EQ(outcome_index(l.rs, "needs_met", 9), -1);	/* not offered here */
	CHECK_EQ(outcome_lookup(l.rs, "declined", 8, &oc), 0);
	CHECK(oc.declines_early_help);
	/* an older record's code still reads, with the label it always had */
	CHECK_EQ(outcome_lookup(l.rs, "consent_withdrawn", 17, &oc), 0);
	CHECK_STR(oc.label, "Family withdrew consent");
	CHECK(oc.closes && oc.declines_early_help);
	CHECK_EQ(outcome_lookup(l.rs, "nfa2", 4, &oc), -1);
	r = outcome_step_reasons(l.rs, 1, &n);
	CHECK_EQ(n, 1);
	CHECK_STR(r[0].label, "A new incident");
	r = outcome_step_reasons(l.rs, 0, &n);
	CHECK_EQ(n, 2);
	CHECK(rules_find_step_reason(l.rs, 0, "consented") == &r[1]);
	CHECK(rules_find_step_reason(l.rs, 1, "consented") == NULL);
	unload(&l);
}

/* A rule set that lists no outcomes offers the five closures of earlier versions. */
static void
test_earlier_codes(void)
{
	static const char *const ids[] = {
		"needs_met", "single_agency", "consent_withdrawn", "moved_away", "stepped_up",
	};
	struct loaded l;
	struct outcome_code oc;

	load(&l, HEAD);
	CHECK(l.rs != NULL);
	if (l.rs == NULL) {
		unload(&l);
		return;
	}
	CHECK_EQ(outcome_count(l.rs), FD_ARRAY_LEN(ids));
	for (size_t i = 0; i < FD_ARRAY_LEN(ids); i++) {
		outcome_at(l.rs, i, &oc);
		CHECK(strcmp(oc.id, ids[i]) == 0);
		CHECK(oc.closes);
		CHECK_EQ(oc.declines_early_help, i == 2);
	}
	CHECK(outcome_step_reasons(l.rs, 1, &(size_t){ 0 }) == NULL);
	CHECK_EQ(outcome_lookup(NULL, "moved_away", 10, &oc), 0);
	CHECK_STR(oc.label, "Moved out of area");
	unload(&l);
}

static void
test_errors(void)
{
	static const struct {
		const char *text, *code;
		int line, col;
		const char *msg;
	} bad[] = {
		{ HEAD "  outcomes:\n    - {id: nfa, label: N, kind: closure}\n"
		  "    - {id: nfa, label: M, kind: closure}\n",
		  "E013", 21, 12, "outcome 'nfa' is listed twice" },
		{ HEAD "  outcomes:\n    - {id: nfa, label: N, kind: closed}\n",
		  "E015", 20, 33, "outcome kind 'closed' is not known" },
		{ HEAD "  outcomes:\n    - {id: a, label: A, kind: progress, cin_reason: RC7}\n"
		  "    - {id: nfa, label: N, kind: closure}\n",
		  "E011", 20, 53, "'cin_reason' is only for an outcome of kind closure" },
		{ HEAD "  outcomes:\n    - {id: nfa, label: N, kind: closure, cin_reason: RC10}\n",
		  "E015", 20, 54, "'RC10' is not a reason for closure" },
		{ HEAD "  outcomes:\n    - {id: a, label: A, kind: progress}\n",
		  "E015", 20, 5, "'outcomes' lists no closure" },
		{ HEAD "  outcomes:\n    - {id: nfa, label: N, kind: closure, early_help_declined: yes}\n",
		  "E011", 20, 63, "early_help_declined must be true or false" },
		{ HEAD "  outcomes: []\n",
		  "E015", 19, 13, "'outcomes' must list from 1 to 64 entries" },
		{ HEAD "  step_down_reasons:\n    - {id: x, label: X}\n    - {id: x, label: Y}\n",
		  "E013", 21, 12, "a step-down reason 'x' is listed twice" },
		{ HEAD "  step_up_reasons:\n    - {id: x}\n",
		  "E012", 20, 7, "missing required key 'label'" },
		{ HEAD "  step_up_reasons:\n    - {id: 'not an id', label: X}\n",
		  "E014", 20, 12, "" },
	};

	for (size_t i = 0; i < FD_ARRAY_LEN(bad); i++) {
		struct loaded l;

		load(&l, bad[i].text);
		CHECK(l.rs == NULL);
		CHECK(reported_at(&l.d, bad[i].code, bad[i].line, bad[i].col, bad[i].msg));
		unload(&l);
	}
}

/* The shipped rule sets: their own lists, the default one keeping the codes older records hold. */
static void
test_shipped(void)
{
	static const char *const files[] = {
		FD_TEST_DATA "/../rules/pathway-to-provision.yaml",
		FD_TEST_DATA "/../rules/east-sussex-continuum.yaml",
	};

	for (size_t f = 0; f < FD_ARRAY_LEN(files); f++) {
		struct diag d;
		char *text = NULL;
		size_t len = 0, closures = 0, progress = 0, declines = 0;
		struct ruleset *rs;

		diag_init(&d, files[f], NULL, 0);
		rs = rules_load_file(files[f], &d, &text, &len);
		CHECK(rs != NULL);
		if (rs == NULL) {
			diag_free(&d);
			free(text);
			continue;
		}
		for (size_t i = 0; i < outcome_count(rs); i++) {
			struct outcome_code oc;

			outcome_at(rs, i, &oc);
			closures += oc.closes;
			progress += !oc.closes;
			declines += oc.declines_early_help;
		}
		CHECK(rs->council.noutcomes >= 10);
		CHECK(closures >= 6 && progress >= 3);
		CHECK_EQ(declines, 1);
		CHECK(rs->council.nstep_reasons[0] > 0 && rs->council.nstep_reasons[1] > 0);
		if (f == 0) {
			/* the default keeps every code of earlier versions, with its label */
			static const char *const old[][2] = {
				{ "needs_met", "Needs met" },
				{ "single_agency", "Single agency can continue" },
				{ "consent_withdrawn", "Family withdrew consent" },
				{ "moved_away", "Moved out of area" },
				{ "stepped_up", "Stepped up to social care" },
			};

			for (size_t k = 0; k < FD_ARRAY_LEN(old); k++) {
				const struct outcome_def *o = rules_find_outcome(rs, old[k][0],
				    strlen(old[k][0]));

				CHECK(o != NULL && o->kind == OUTCOME_CLOSURE);
				if (o != NULL)
					CHECK(strcmp(o->label, old[k][1]) == 0);
			}
		}
		rules_free(rs);
		diag_free(&d);
		free(text);
	}
}

int
main(void)
{
	test_lists_load();
	test_earlier_codes();
	test_errors();
	test_shipped();
	return check_done();
}
