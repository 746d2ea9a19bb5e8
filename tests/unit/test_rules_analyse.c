/* test_rules_analyse.c: unreachable rules, impossible conditions, fall-through, and coverage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rulefix.h"
#include "rules/rules.h"
#include "rules/ruletest.h"

/* ---- fixtures ---- */

/* The four levels: lines 1 to 8. */
#define HEAD RULES_HEAD

/* Lines 9 to 11: two indicators. */
#define IND_AB \
	"indicators:\n" \
	"  - {id: a, domain: development, level: 2, text: A}\n" \
	"  - {id: b, domain: parenting, level: 3, text: B}\n"

/* Lines 9 to 11 when a rule file compares one fact: FACT is its declaration. */
#define ONE_FACT(decl) \
	"facts:\n" \
	"  " decl "\n" \
	"indicators:\n" \
	"  - {id: a, domain: development, level: 2, text: A}\n"

#define RULE(id, when, route) "  - {id: " id ", when: " when ", route: " route ", reason: R}\n"
#define CATCH_ALL RULE("rest", "always", "universal")

/* ---- helpers ---- */

static void
dump(const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "    [%s %d:%d] %s%s%s\n", d->items[i].code, d->items[i].line,
		    d->items[i].col, d->items[i].msg, d->items[i].note ? " / note: " : "",
		    d->items[i].note ? d->items[i].note : "");
}

static int
count_code(const struct diag *d, const char *code)
{
	int n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += strcmp(d->items[i].code, code) == 0;
	return n;
}

/*
 * Loads text and checks it is rejected with exactly one error, code at
 * line:col, whose message contains msg and whose note contains note (unless
 * NULL).
 */
static void
rejected(int srcline, const char *text, const char *code, int line, int col, const char *msg,
    const char *note)
{
	struct loaded l;
	const struct diag_item *it = NULL;

	load(&l, text);
	check_report(l.rs == NULL, "the rule file is rejected", __FILE__, srcline);
	check_report(l.d.nerrors == 1, "exactly one error", __FILE__, srcline);
	for (size_t i = 0; i < l.d.n; i++)
		if (l.d.items[i].severity == DIAG_ERROR)
			it = &l.d.items[i];
	check_report(it != NULL && strcmp(it->code, code) == 0, code, __FILE__, srcline);
	check_report(it != NULL && it->line == line && it->col == col, "at line:col",
	    __FILE__, srcline);
	check_report(it != NULL && strstr(it->msg, msg) != NULL, msg, __FILE__, srcline);
	if (note != NULL)
		check_report(it != NULL && it->note != NULL && strstr(it->note, note) != NULL,
		    note, __FILE__, srcline);
	if (it == NULL || strcmp(it->code, code) != 0 || it->line != line || it->col != col ||
	    strstr(it->msg, msg) == NULL || l.d.nerrors != 1 ||
	    (note != NULL && (it->note == NULL || strstr(it->note, note) == NULL)))
		dump(&l.d);
	unload(&l);
}
#define REJECTED(text, code, line, col, msg, note) \
	rejected(__LINE__, (text), (code), (line), (col), (msg), (note))

/* Loads text and checks that the checker accepts it: no error at all. */
static void
accepted(int srcline, const char *text)
{
	struct loaded l;

	load(&l, text);
	check_report(l.rs != NULL && l.d.nerrors == 0, "the checker accepts the rules",
	    __FILE__, srcline);
	if (l.rs == NULL || l.d.nerrors != 0)
		dump(&l.d);
	unload(&l);
}
#define ACCEPTED(text) accepted(__LINE__, (text))

/* ---- E030: a rule that can never fire because of earlier rules ---- */

static void
test_e030_caught_by_one_earlier_rule(void)
{
	REJECTED(HEAD IND_AB "rules:\n"
	    RULE("r1", "{indicator: a}", "early_help_unit")		/* line 13 */
	    RULE("r2", "{all: [{indicator: a}, {indicator: b}]}", "mash")	/* line 14 */
	    CATCH_ALL,
	    "E030", 14, 5,
	    "rule 'r2' can never fire: earlier rule 'r1' (line 13) catches every case it matches",
	    "for example, indicators [a, b] matches it, but 'r1' fires first");
	/* the earlier rule named is the one that catches it, not merely the first */
	REJECTED(HEAD IND_AB "rules:\n"
	    RULE("r1", "{indicator: b}", "targeted_early_help")		/* line 13 */
	    RULE("r2", "{count: {level: 2}, at_least: 1}", "early_help_unit")	/* line 14 */
	    RULE("r3", "{indicator: a}", "mash")				/* line 15 */
	    CATCH_ALL,
	    "E030", 15, 5, "earlier rule 'r2' (line 14) catches every case it matches",
	    "for example, indicators [a] matches it, but 'r2' fires first");
	/* a named condition that says the same thing in other words */
	REJECTED(HEAD IND_AB
	    "conditions:\n"
	    "  either: {any: [{indicator: a}, {indicator: b}]}\n"
	    "rules:\n"
	    RULE("r1", "{condition: either}", "early_help_unit")		/* line 15 */
	    RULE("r2", "{not: {count: {}, at_most: 0}}", "mash")		/* line 16 */
	    CATCH_ALL,
	    "E030", 16, 5, "earlier rule 'r1' (line 15)", "but 'r1' fires first");
}

static void
test_e030_caught_by_several_earlier_rules(void)
{
	REJECTED(HEAD IND_AB "rules:\n"
	    RULE("r1", "{indicator: a}", "early_help_unit")
	    RULE("r2", "{indicator: b}", "targeted_early_help")
	    RULE("r3", "{any: [{indicator: a}, {indicator: b}]}", "mash")	/* line 15 */
	    CATCH_ALL,
	    "E030", 15, 5,
	    "rule 'r3' can never fire: earlier rules 'r1', 'r2' together catch every case",
	    "matches it, but an earlier rule fires first");
	/* only the rules that overlap it are listed */
	REJECTED(HEAD
	    "indicators:\n"
	    "  - {id: a, domain: development, level: 2, text: A}\n"
	    "  - {id: b, domain: parenting, level: 3, text: B}\n"
	    "  - {id: c, domain: family_environment, level: 4, text: C}\n"
	    "rules:\n"
	    RULE("r1", "{indicator: a}", "early_help_unit")
	    RULE("r2", "{indicator: c}", "mash")
	    RULE("r3", "{indicator: b}", "targeted_early_help")
	    RULE("r4", "{all: [{not: {indicator: c}}, {any: [{indicator: a}, {indicator: b}]}]}",
		"mash")						/* line 17 */
	    CATCH_ALL,
	    "E030", 17, 5, "earlier rules 'r1', 'r3' together catch every case", NULL);
}

/* ---- E032: a condition that can never hold ---- */

static void
test_e032_condition_never_holds(void)
{
	/* only two level-4 indicators exist, so three can never be named */
	REJECTED(HEAD
	    "indicators:\n"
	    "  - {id: a, domain: development, level: 4, text: A}\n"
	    "  - {id: b, domain: parenting, level: 4, text: B}\n"
	    "  - {id: c, domain: parenting, level: 3, text: C}\n"
	    "rules:\n"
	    RULE("r1", "{count: {level: 4}, at_least: 3}", "mash")		/* line 14 */
	    RULE("r2", "{count: {level: [3, 4]}, at_least: 1}", "targeted_early_help")
	    CATCH_ALL,
	    "E032", 14, 5, "rule 'r1' can never fire: its condition can never hold",
	    "the check 'count(level 4) >= 3' (line 14) can never hold");
	/* younger than 5 and older than 10 at once */
	REJECTED(HEAD ONE_FACT("child.age: {type: integer}") "rules:\n"
	    RULE("r1", "{all: [{fact: child.age, lt: 5}, {fact: child.age, gt: 10}]}", "mash")
	    RULE("r2", "{indicator: a}", "early_help_unit")
	    CATCH_ALL,
	    "E032", 14, 5, "rule 'r1' can never fire: its condition can never hold",
	    "these checks cannot all hold: 'child.age < 5' (line 14), 'child.age > 10' (line 14)");
	/* only the checks that conflict are named, through named conditions too */
	REJECTED(HEAD ONE_FACT("child.age: {type: integer}")
	    "conditions:\n"
	    "  young: {fact: child.age, lt: 5}\n"			/* line 14 */
	    "rules:\n"
	    RULE("r1", "{all: [{indicator: a}, {condition: young}, {any: [{indicator: a}, "
		"{not: {indicator: a}}]}, {fact: child.age, gt: 10}]}", "mash")	/* line 16 */
	    CATCH_ALL,
	    "E032", 16, 5, "its condition can never hold",
	    "these checks cannot all hold: 'child.age < 5' (line 14), 'child.age > 10' (line 16)");
	/* outside the fact's declared range */
	REJECTED(HEAD ONE_FACT("child.age: {type: integer, min: 0, max: 25}") "rules:\n"
	    RULE("r1", "{fact: child.age, gt: 25}", "mash")
	    CATCH_ALL,
	    "E032", 14, 5, "its condition can never hold", "the check 'child.age > 25'");
	REJECTED(HEAD ONE_FACT("child.age: {type: integer, min: 0, max: 25}") "rules:\n"
	    RULE("r1", "{fact: child.age, in: [30, 40]}", "mash")
	    CATCH_ALL,
	    "E032", 14, 5, "its condition can never hold", NULL);
	/* an indicator both named and not */
	REJECTED(HEAD IND_AB "rules:\n"
	    RULE("r1", "{all: [{indicator: a}, {not: {indicator: a}}]}", "mash")	/* line 13 */
	    CATCH_ALL,
	    "E032", 13, 5, "its condition can never hold",
	    "these checks cannot all hold: 'indicator a' (line 13), 'not(indicator a)' (line 13)");
	/* needs in two domains, when only one domain has needs of that level */
	REJECTED(HEAD
	    "indicators:\n"
	    "  - {id: a, domain: development, level: 3, text: A}\n"
	    "  - {id: b, domain: development, level: 3, text: B}\n"
	    "  - {id: c, domain: parenting, level: 2, text: C}\n"
	    "rules:\n"
	    RULE("r1", "{domains: {level: 3}, at_least: 2}", "mash")		/* line 14 */
	    RULE("r2", "{domains: {}, at_least: 2}", "early_help_unit")
	    CATCH_ALL,
	    "E032", 14, 5, "its condition can never hold",
	    "the check 'domains(level 3) >= 2' (line 14) can never hold");
	/* a whole number strictly between 12 and 13 */
	REJECTED(HEAD ONE_FACT("n: {type: integer}") "rules:\n"
	    RULE("r1", "{all: [{fact: n, gt: 12}, {fact: n, lt: 13}]}", "mash")
	    CATCH_ALL,
	    "E032", 14, 5, "its condition can never hold", NULL);
}

/* Domains conditions: one earlier rule can catch every case of a later one, or not. */
static void
test_domains_reachability(void)
{
	/* two domains with a level-3 need always have two domains with a need */
	REJECTED(HEAD IND_AB "rules:\n"
	    RULE("r1", "{domains: {}, at_least: 2}", "early_help_unit")
	    RULE("r2", "{domains: {level: [2, 3]}, at_least: 2}", "mash")	/* line 14 */
	    CATCH_ALL,
	    "E030", 14, 5, "earlier rule 'r1' (line 13)", NULL);
	/* a domain with a level-2 need does not catch every domain with a need */
	ACCEPTED(HEAD IND_AB "rules:\n"
	    RULE("r1", "{domains: {level: 2}, at_least: 1}", "mash")
	    RULE("r2", "{domains: {}, at_least: 1}", "early_help_unit")
	    CATCH_ALL);
}

/* Facts compared with each other: the search tries every order between them. */
static void
test_fact_with_fact_reachability(void)
{
#define TWO_FACTS \
	"facts:\n" \
	"  x: {type: integer, min: 0, max: 25}\n" \
	"  y: {type: integer, min: 0, max: 25}\n" \
	"indicators:\n" \
	"  - {id: a, domain: development, level: 2, text: A}\n"
	/* less, greater and equal each reachable; then nothing is left */
	ACCEPTED(HEAD TWO_FACTS "rules:\n"
	    RULE("r1", "{fact: x, lt: {fact: y}}", "mash")
	    RULE("r2", "{fact: x, gt: {fact: y}}", "targeted_early_help")
	    RULE("r3", "{fact: x, eq: {fact: y}}", "early_help_unit"));
	REJECTED(HEAD TWO_FACTS "rules:\n"
	    RULE("r1", "{fact: x, lt: {fact: y}}", "mash")
	    RULE("r2", "{fact: x, gt: {fact: y}}", "targeted_early_help")
	    RULE("r3", "{fact: x, ne: {fact: y}}", "early_help_unit")		/* line 17 */
	    CATCH_ALL,
	    "E030", 17, 5, "earlier rules 'r1', 'r2' together catch every case", NULL);
	/* but equal values are left for a later rule */
	ACCEPTED(HEAD TWO_FACTS "rules:\n"
	    RULE("r1", "{fact: x, lt: {fact: y}}", "mash")
	    RULE("r2", "{fact: x, gt: {fact: y}}", "targeted_early_help")
	    RULE("r3", "{fact: x, le: {fact: y}}", "early_help_unit"));
	/* with literals: between 5 and 10 both, in either order */
	ACCEPTED(HEAD TWO_FACTS "rules:\n"
	    RULE("r1", "{all: [{fact: x, gt: 5}, {fact: y, lt: 10}, {fact: x, gt: {fact: y}}, "
		"{fact: y, gt: 5}]}", "mash")
	    CATCH_ALL);
	REJECTED(HEAD TWO_FACTS "rules:\n"
	    RULE("r1", "{all: [{fact: x, lt: {fact: y}}, {fact: y, lt: {fact: x}}]}", "mash")
	    CATCH_ALL,
	    "E032", 15, 5, "its condition can never hold",
	    "these checks cannot all hold: 'x < y' (line 15), 'y < x' (line 15)");
	/* at the top of the range nothing is greater */
	REJECTED(HEAD TWO_FACTS "rules:\n"
	    RULE("r1", "{all: [{fact: x, ge: 25}, {fact: y, gt: {fact: x}}]}", "mash")
	    CATCH_ALL,
	    "E032", 15, 5, "its condition can never hold", NULL);
#undef TWO_FACTS
}

/* Validity rules: the search counts only the cases they accept. */
static void
test_validity_analysis(void)
{
	struct loaded l;

#define AGE_FACT ONE_FACT("child.age: {type: integer, min: 0, max: 25, required: false}")
#define VALID(when) "validity:\n  - {id: v1, when: " when ", message: M}\n"
	/* a rule only an inconsistent case would reach can never fire */
	REJECTED(HEAD AGE_FACT VALID("{fact: child.age, gt: 18}") "rules:\n"	/* line 15 */
	    RULE("r1", "{fact: child.age, ge: 19}", "mash")			/* line 16 */
	    CATCH_ALL,
	    "E032", 16, 5, "its condition can never hold", "the check 'child.age >= 19'");
	/* and the catch-all is not needed for cases that are rejected */
	ACCEPTED(HEAD AGE_FACT VALID("{missing: child.age}") "rules:\n"
	    RULE("r1", "{fact: child.age, lt: 5}", "mash")
	    RULE("r2", "{fact: child.age, ge: 5}", "early_help_unit"));
	REJECTED(HEAD AGE_FACT VALID("always") "rules:\n"
	    CATCH_ALL,
	    "E033", 14, 5, "the validity rules reject every case", NULL);
	load(&l, HEAD AGE_FACT VALID("{all: [{fact: child.age, lt: 5}, {fact: child.age, gt: 9}]}")
	    "rules:\n" RULE("r1", "{indicator: a}", "mash") CATCH_ALL);
	CHECK(l.rs != NULL && l.d.nerrors == 0);
	CHECK_EQ(count_code(&l.d, "W107"), 1);
	unload(&l);
#undef VALID
#undef AGE_FACT
}

/* ---- E031: no catch-all ---- */

static void
test_e031_no_catch_all(void)
{
	REJECTED(HEAD IND_AB "rules:\n"
	    RULE("r1", "{indicator: a}", "early_help_unit")
	    RULE("r2", "{indicator: b}", "mash"),		/* line 14: the last rule */
	    "E031", 14, 5, "no catch-all: some cases match no rule",
	    "for example, indicators []\nend the rules with one whose condition is 'when: always'");
	REJECTED(HEAD ONE_FACT("child.age: {type: integer, min: 0, max: 25}") "rules:\n"
	    RULE("r1", "{indicator: a}", "early_help_unit")
	    RULE("r2", "{fact: child.age, lt: 13}", "mash"),	/* line 15 */
	    "E031", 15, 5, "no catch-all", "for example, indicators [], child.age = 13");
	/* the example names the indicators that get through */
	REJECTED(HEAD IND_AB "rules:\n"
	    RULE("r1", "{count: {}, at_most: 1}", "early_help_unit"),	/* line 13 */
	    "E031", 13, 5, "no catch-all", "for example, indicators [a, b]");
}

/* No catch-all is needed when the rules between them route every case. */
static void
test_no_e031_when_rules_cover_everything(void)
{
	ACCEPTED(HEAD ONE_FACT("b: {type: boolean}") "rules:\n"
	    RULE("yes", "{fact: b, eq: true}", "mash")
	    RULE("no", "{fact: b, eq: false}", "universal"));
	ACCEPTED(HEAD ONE_FACT("b: {type: boolean}") "rules:\n"
	    RULE("r0", "{indicator: a}", "early_help_unit")
	    RULE("yes", "{fact: b, eq: true}", "mash")
	    RULE("no", "{fact: b, ne: true}", "universal"));
	ACCEPTED(HEAD ONE_FACT("consent: {type: string, values: [given, refused, not_sought]}")
	    "rules:\n"
	    RULE("r1", "{fact: consent, in: [given, refused]}", "early_help_unit")
	    RULE("r2", "{fact: consent, eq: not_sought}", "universal"));
	ACCEPTED(HEAD IND_AB "rules:\n"
	    RULE("some", "{count: {}, at_least: 1}", "early_help_unit")
	    RULE("none", "{count: {}, at_most: 0}", "universal"));
	/* but a free string can always be something else */
	REJECTED(HEAD ONE_FACT("agency: {type: string}") "rules:\n"
	    RULE("r1", "{fact: agency, eq: police}", "mash")
	    RULE("r2", "{fact: agency, in: [health, school]}", "universal"),	/* line 15 */
	    "E031", 15, 5, "no catch-all", "agency = \"other\"");
}

/* An optional fact may be missing: comparisons on it fail, and missing: sees it. */
static void
test_optional_facts(void)
{
	REJECTED(HEAD ONE_FACT("b: {type: boolean, required: false}") "rules:\n"
	    RULE("yes", "{fact: b, eq: true}", "mash")
	    RULE("no", "{fact: b, eq: false}", "universal"),	/* line 15 */
	    "E031", 15, 5, "no catch-all", "for example, indicators [], b missing");
	/* ne does not hold on a missing fact either */
	REJECTED(HEAD ONE_FACT("b: {type: boolean, required: false}") "rules:\n"
	    RULE("yes", "{fact: b, eq: true}", "mash")
	    RULE("no", "{fact: b, ne: true}", "universal"),
	    "E031", 15, 5, "no catch-all", "b missing");
	ACCEPTED(HEAD ONE_FACT("b: {type: boolean, required: false}") "rules:\n"
	    RULE("yes", "{fact: b, eq: true}", "mash")
	    RULE("no", "{fact: b, eq: false}", "early_help_unit")
	    RULE("unknown", "{missing: b}", "universal"));
	ACCEPTED(HEAD ONE_FACT("n: {type: integer, required: false}") "rules:\n"
	    RULE("known", "{present: n}", "early_help_unit")
	    RULE("unknown", "{missing: n}", "universal"));
	/* a rule for the missing case after rules that cover every value is still reachable */
	ACCEPTED(HEAD ONE_FACT("n: {type: integer, required: false}") "rules:\n"
	    RULE("low", "{fact: n, lt: 13}", "early_help_unit")
	    RULE("high", "{fact: n, ge: 13}", "targeted_early_help")
	    RULE("unknown", "{missing: n}", "universal"));
	/* not: holds on a missing fact, so these three leave nothing for the catch-all */
	REJECTED(HEAD ONE_FACT("n: {type: integer, required: false}") "rules:\n"
	    RULE("low", "{fact: n, lt: 13}", "early_help_unit")
	    RULE("unknown", "{missing: n}", "universal")
	    RULE("high", "{not: {fact: n, lt: 13}}", "mash")		/* line 16 */
	    CATCH_ALL,
	    "E030", 17, 5, "earlier rules", NULL);
}

/* Whole numbers have no value between 12 and 13; other numbers do. */
static void
test_integer_boundaries(void)
{
	REJECTED(HEAD ONE_FACT("age: {type: integer}") "rules:\n"
	    RULE("r1", "{fact: age, lt: 13}", "early_help_unit")	/* line 14 */
	    RULE("r2", "{fact: age, le: 12}", "mash")			/* line 15 */
	    CATCH_ALL,
	    "E030", 15, 5, "earlier rule 'r1' (line 14)", "age = 11");
	REJECTED(HEAD ONE_FACT("age: {type: integer}") "rules:\n"
	    RULE("r1", "{fact: age, le: 12}", "early_help_unit")
	    RULE("r2", "{fact: age, lt: 13}", "mash")
	    CATCH_ALL,
	    "E030", 15, 5, "earlier rule 'r1' (line 14)", NULL);
	REJECTED(HEAD ONE_FACT("age: {type: integer}") "rules:\n"
	    RULE("r1", "{fact: age, gt: 12}", "early_help_unit")
	    RULE("r2", "{fact: age, ge: 13}", "mash")
	    CATCH_ALL,
	    "E030", 15, 5, "earlier rule 'r1' (line 14)", NULL);
	/* lt 13 and ge 13 (or gt 12 and lt 13) leave no whole number out */
	ACCEPTED(HEAD ONE_FACT("age: {type: integer}") "rules:\n"
	    RULE("r1", "{fact: age, lt: 13}", "early_help_unit")
	    RULE("r2", "{fact: age, ge: 13}", "mash"));
	ACCEPTED(HEAD ONE_FACT("age: {type: integer}") "rules:\n"
	    RULE("r1", "{fact: age, gt: 12}", "early_help_unit")
	    RULE("r2", "{fact: age, lt: 13}", "mash"));
	/* le 12 and ge 14 leave 13 out */
	REJECTED(HEAD ONE_FACT("age: {type: integer}") "rules:\n"
	    RULE("r1", "{fact: age, le: 12}", "early_help_unit")
	    RULE("r2", "{fact: age, ge: 14}", "mash"),
	    "E031", 15, 5, "no catch-all", "age = 13");
	/* for numbers, 12.5 is neither <= 12 nor >= 13 */
	ACCEPTED(HEAD ONE_FACT("score: {type: number}") "rules:\n"
	    RULE("r1", "{fact: score, le: 12}", "early_help_unit")
	    RULE("r2", "{fact: score, lt: 13}", "mash")
	    CATCH_ALL);
	REJECTED(HEAD ONE_FACT("score: {type: number}") "rules:\n"
	    RULE("r1", "{fact: score, le: 12}", "early_help_unit")
	    RULE("r2", "{fact: score, ge: 13}", "mash"),
	    "E031", 15, 5, "no catch-all", "score = 12.5");
	/* eq and ne split the line too */
	ACCEPTED(HEAD ONE_FACT("age: {type: integer}") "rules:\n"
	    RULE("r1", "{fact: age, eq: 13}", "early_help_unit")
	    RULE("r2", "{fact: age, ne: 13}", "mash"));
	ACCEPTED(HEAD ONE_FACT("age: {type: integer, min: 0, max: 25}") "rules:\n"
	    RULE("r1", "{fact: age, le: 0}", "early_help_unit")
	    RULE("r2", "{fact: age, ge: 25}", "targeted_early_help")
	    RULE("r3", "{fact: age, in: [1, 24]}", "mash")
	    RULE("r4", "{fact: age, gt: 1}", "universal"));
}

/*
 * Regions of the number line whose usual representative lies outside the
 * fact's min..max, and literals that appear more than once (both were
 * analysed wrongly: reachable rules reported as unreachable).
 */
static void
test_ranges_and_repeated_literals(void)
{
	/* ages 0 to 9 reach r2: -4, the first value above -5, is out of range */
	ACCEPTED(HEAD ONE_FACT("age: {type: integer, min: 0, max: 25}") "rules:\n"
	    RULE("r1", "{fact: age, ge: 10}", "early_help_unit")
	    RULE("r2", "{fact: age, gt: -5}", "universal"));
	/* 51, the midpoint of 2 and 100, is above the maximum of 10 */
	ACCEPTED(HEAD ONE_FACT("score: {type: number, min: 0, max: 10}") "rules:\n"
	    RULE("r1", "{fact: score, le: 2}", "early_help_unit")
	    RULE("r2", "{fact: score, lt: 100}", "universal"));
	/* 99, below 100, is above the maximum */
	ACCEPTED(HEAD ONE_FACT("score: {type: number, max: 10}") "rules:\n"
	    RULE("r1", "{fact: score, lt: 100}", "early_help_unit"));
	/* 11, above 10, is below the minimum */
	ACCEPTED(HEAD ONE_FACT("score: {type: number, min: 50}") "rules:\n"
	    RULE("r1", "{fact: score, gt: 10}", "early_help_unit"));
	/* le 13 twice: ages 14 to 17 still reach r2 */
	ACCEPTED(HEAD ONE_FACT("age: {type: integer, min: 0, max: 25}") "rules:\n"
	    RULE("r0", "{all: [{indicator: a}, {fact: age, le: 13}]}", "mash")
	    RULE("r1", "{fact: age, le: 13}", "early_help_unit")
	    RULE("r2", "{fact: age, lt: 18}", "targeted_early_help")
	    CATCH_ALL);
	/* and a rule that truly is covered is still found */
	REJECTED(HEAD ONE_FACT("age: {type: integer, min: 0, max: 25}") "rules:\n"
	    RULE("r1", "{fact: age, ge: 10}", "early_help_unit")
	    RULE("r2", "{fact: age, gt: -5}", "universal")		/* line 15 */
	    CATCH_ALL,						/* line 16 */
	    "E030", 16, 5, "earlier rule 'r2' (line 15)", NULL);
}

/* ---- warnings from the analysis ---- */

static void
test_w101_indicator_only_in_unused_places(void)
{
	struct loaded l;

	load(&l, HEAD IND_AB "rules:\n" RULE("r1", "{indicator: a}", "early_help_unit") CATCH_ALL);
	CHECK(l.rs != NULL);
	CHECK_EQ(l.d.nerrors, 0);
	CHECK_EQ(count_code(&l.d, "W101"), 1);
	CHECK(l.d.n == 1 && l.d.items[0].line == 11 && l.d.items[0].col == 5);
	unload(&l);
	/* a count over every indicator reads them all */
	load(&l, HEAD IND_AB "rules:\n" RULE("r1", "{count: {}, at_least: 2}", "mash") CATCH_ALL);
	CHECK(l.rs != NULL);
	CHECK_EQ(count_code(&l.d, "W101"), 0);
	unload(&l);
}

/* ---- coverage ---- */

static const char coverage_rules[] = HEAD IND_AB
    "rules:\n"
    RULE("ra", "{indicator: a}", "early_help_unit")
    RULE("rb", "{indicator: b}", "targeted_early_help")
    CATCH_ALL
    "tests:\n"
    "  - {name: a fires ra, case: {indicators: [a]}, route: early_help_unit, rule: ra}\n"
    "  - {name: a and b fire ra, case: {indicators: [a, b]}, route: early_help_unit}\n"
    "  - {name: none fires rest, case: {indicators: []}, route: universal, rule: rest}\n"
    "  - {name: unknown is an error, case: {indicators: [zz]}, error: true}\n"
    "  - {name: wrong expectation, case: {indicators: [b]}, route: mash}\n";

static void
test_ruletest_run(void)
{
	struct loaded l;
	struct test_report rep;

	load(&l, coverage_rules);
	CHECK(l.rs != NULL);
	if (l.rs == NULL) {
		dump(&l.d);
		return;
	}
	CHECK_EQ(l.rs->ntests, 5);
	ruletest_run(l.rs, &rep);
	CHECK_EQ(rep.passed, 4);
	CHECK_EQ(rep.failed, 1);
	CHECK(rep.results[0].passed && rep.results[0].rule == 0);
	CHECK(rep.results[1].passed && rep.results[1].rule == 0);
	CHECK(rep.results[2].passed && rep.results[2].rule == 2);
	CHECK(rep.results[3].passed && rep.results[3].got_error);
	CHECK_CONTAINS(rep.results[3].cause, "indicator 1 of the list is not one the rule set defines");
	CHECK(!rep.results[4].passed);
	CHECK_EQ(rep.results[4].route, ROUTE_TARGETED_EARLY_HELP);
	CHECK_EQ(rep.results[4].rule, 1);
	CHECK_CONTAINS(rep.results[4].trace, "rule rb: fires");
	CHECK(rep.results[0].trace == NULL);
	/* only passing tests cover a rule: rb was reached by a failing one */
	CHECK_EQ(rep.fired[0], 2);
	CHECK_EQ(rep.fired[1], 0);
	CHECK_EQ(rep.fired[2], 1);
	CHECK_EQ(rep.covered, 2);
	CHECK_EQ(ruletest_coverage_permille(&rep, l.rs->nrules), 666);
	ruletest_free(&rep, l.rs->ntests);
	unload(&l);
}

/* Two of three rules fired is 66.6%, never rounded up to 66.7%. */
static void
test_coverage_two_of_three(void)
{
	struct loaded l;
	struct test_report rep;

	load(&l, HEAD IND_AB
	    "rules:\n"
	    RULE("ra", "{indicator: a}", "early_help_unit")
	    RULE("rb", "{indicator: b}", "targeted_early_help")
	    CATCH_ALL
	    "tests:\n"
	    "  - {name: one, case: {indicators: [a]}, route: early_help_unit}\n"
	    "  - {name: two, case: {indicators: []}, route: universal}\n");
	CHECK(l.rs != NULL);
	if (l.rs == NULL) {
		dump(&l.d);
		return;
	}
	ruletest_run(l.rs, &rep);
	CHECK_EQ(rep.passed, 2);
	CHECK_EQ(rep.covered, 2);
	CHECK_EQ(rep.fired[1], 0);
	CHECK_EQ(ruletest_coverage_permille(&rep, l.rs->nrules), 666);
	ruletest_free(&rep, l.rs->ntests);
	unload(&l);
}

static void
test_coverage_permille_rounds_down(void)
{
	struct test_report rep;

	memset(&rep, 0, sizeof rep);
	rep.covered = 999;
	CHECK_EQ(ruletest_coverage_permille(&rep, 1000), 999);
	rep.covered = 1999;
	CHECK_EQ(ruletest_coverage_permille(&rep, 2000), 999);
	rep.covered = 9999;
	CHECK_EQ(ruletest_coverage_permille(&rep, 10000), 999);
	rep.covered = 1;
	CHECK_EQ(ruletest_coverage_permille(&rep, 3), 333);
	CHECK_EQ(ruletest_coverage_permille(&rep, 1001), 0);
	rep.covered = 2;
	CHECK_EQ(ruletest_coverage_permille(&rep, 3), 666);
	rep.covered = 3;
	CHECK_EQ(ruletest_coverage_permille(&rep, 3), 1000);
	rep.covered = 0;
	CHECK_EQ(ruletest_coverage_permille(&rep, 5), 0);
	CHECK_EQ(ruletest_coverage_permille(&rep, 0), 1000);	/* nothing to cover */
}

/* ---- the shipped rule set ---- */

/* The rule file frontdoor installs passes its own checks and tests. */
static void
test_shipped_rules(void)
{
	struct diag d;
	struct ruleset *rs;
	struct test_report rep;
	char *text = NULL;
	size_t len = 0;

	diag_init(&d, FD_SOURCE_RULES, NULL, 0);
	rs = rules_load_file(FD_SOURCE_RULES, &d, &text, &len);
	CHECK(rs != NULL);
	CHECK_EQ(d.nerrors, 0);
	if (rs == NULL || d.nerrors != 0)
		dump(&d);
	if (rs != NULL) {
		CHECK(rs->nrules > 1);
		CHECK(rs->ntests > 0);
		ruletest_run(rs, &rep);
		CHECK_EQ(rep.failed, 0);
		CHECK_EQ(rep.passed, rs->ntests);
		for (size_t i = 0; i < rs->ntests; i++)
			if (!rep.results[i].passed)
				fprintf(stderr, "    failed: %s\n", rs->tests[i].name);
		ruletest_free(&rep, rs->ntests);
	}
	rules_free(rs);
	diag_free(&d);
	free(text);
}

int
main(void)
{
	test_e030_caught_by_one_earlier_rule();
	test_e030_caught_by_several_earlier_rules();
	test_e032_condition_never_holds();
	test_domains_reachability();
	test_fact_with_fact_reachability();
	test_validity_analysis();
	test_e031_no_catch_all();
	test_no_e031_when_rules_cover_everything();
	test_optional_facts();
	test_integer_boundaries();
	test_ranges_and_repeated_literals();
	test_w101_indicator_only_in_unused_places();
	test_ruletest_run();
	test_coverage_two_of_three();
	test_coverage_permille_rounds_down();
	test_shipped_rules();
	return check_done();
}
