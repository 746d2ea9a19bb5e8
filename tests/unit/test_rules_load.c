/* test_rules_load.c: every error the rule loader reports, where it reports it, and what loads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/digest.h"
#include "rules/rules.h"

/* ---- fixtures ---- */

/* The four levels: lines 1 to 8 of every fixture. */
#define HEAD \
	"frontdoor: 1\n" \
	"name: t\n" \
	"version: \"1\"\n" \
	"levels:\n" \
	"  - {level: 1, name: U, route: universal}\n" \
	"  - {level: 2, name: E, route: early_help_unit}\n" \
	"  - {level: 3, name: T, route: targeted_early_help}\n" \
	"  - {level: 4, name: S, route: mash}\n"

/* Lines 9 and 10: one indicator. */
#define IND_A \
	"indicators:\n" \
	"  - {id: a, domain: development, level: 2, text: A}\n"

/* Lines 11 to 13 after IND_A: a rule reading the indicator, then the catch-all. */
#define RULES_A \
	"rules:\n" \
	"  - {id: r1, when: {indicator: a}, route: early_help_unit, reason: R}\n" \
	"  - {id: rest, when: always, route: universal, reason: N}\n"

#define CATCH_ALL "  - {id: rest, when: always, route: universal, reason: N}\n"

/*
 * A rule file whose first rule's condition is COND, written at line 23,
 * column 11. Lines 9 to 20 declare facts, a flag, an indicator, a list and
 * a named condition for conditions to refer to.
 */
#define WITH_COND(cond) \
	HEAD \
	"facts:\n" \
	"  consent: {type: string, values: [given, refused]}\n" \
	"  child.age: {type: integer, min: 0, max: 25, required: false}\n" \
	"  agency: {type: string, required: false}\n" \
	"flags:\n" \
	"  sg: Safeguarding\n" \
	"indicators:\n" \
	"  - {id: a, domain: development, level: 2, text: A, flags: [sg]}\n" \
	"lists:\n" \
	"  agencies: [police, health]\n" \
	"conditions:\n" \
	"  adult: {fact: child.age, ge: 18}\n" \
	"rules:\n" \
	"  - id: r1\n" \
	"    when: " cond "\n" \
	"    route: mash\n" \
	"    reason: R\n" \
	CATCH_ALL
#define COND_LINE 23
#define COND_COL 11

/* ---- helpers ---- */

struct loaded {
	struct ruleset *rs;
	struct diag d;
};

static void
load(struct loaded *l, const char *text, size_t len)
{
	diag_init(&l->d, "test.yaml", text, len);
	l->rs = rules_load_buffer(text, len, &l->d);
}

static void
unload(struct loaded *l)
{
	rules_free(l->rs);
	diag_free(&l->d);
}

static void
dump(const struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "    [%s %d:%d] %s%s%s\n", d->items[i].code, d->items[i].line,
		    d->items[i].col, d->items[i].msg, d->items[i].note ? " / note: " : "",
		    d->items[i].note ? d->items[i].note : "");
}

static const struct diag_item *
find_at(const struct diag *d, const char *code, int line, int col)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->items[i].code, code) == 0 && d->items[i].line == line &&
		    d->items[i].col == col)
			return &d->items[i];
	return NULL;
}

static int
count_code(const struct diag *d, const char *code)
{
	int n = 0;

	for (size_t i = 0; i < d->n; i++)
		n += strcmp(d->items[i].code, code) == 0;
	return n;
}

/* Checks that d holds a report with code at line:col whose message contains msg. */
static const struct diag_item *
expect_report(int srcline, const struct diag *d, const char *code, int line, int col,
    const char *msg)
{
	const struct diag_item *it = find_at(d, code, line, col);
	char what[160];

	snprintf(what, sizeof what, "a report %s at %d:%d", code, line, col);
	check_report(it != NULL, what, __FILE__, srcline);
	if (it == NULL) {
		dump(d);
		return NULL;
	}
	snprintf(what, sizeof what, "%s's message contains \"%s\"", code, msg);
	check_report(strstr(it->msg, msg) != NULL, what, __FILE__, srcline);
	if (strstr(it->msg, msg) == NULL)
		fprintf(stderr, "    (message: %s)\n", it->msg);
	return it;
}
#define EXPECT_REPORT(d, code, line, col, msg) \
	expect_report(__LINE__, (d), (code), (line), (col), (msg))

/* Checks a report's note (NULL: that it has none). */
static void
expect_note(int srcline, const struct diag_item *it, const char *note)
{
	if (it == NULL)
		return;
	if (note == NULL) {
		check_report(it->note == NULL, "the report has no note", __FILE__, srcline);
		return;
	}
	check_report(it->note != NULL && strstr(it->note, note) != NULL, note, __FILE__, srcline);
	if (it->note == NULL || strstr(it->note, note) == NULL)
		fprintf(stderr, "    (note: %s)\n", it->note ? it->note : "(none)");
}
#define EXPECT_NOTE(it, note) expect_note(__LINE__, (it), (note))

/*
 * Loads text and checks that it is rejected as a whole (NULL), with exactly
 * one error: code at line:col, saying msg. Returns the report for more checks
 * (valid until the next call).
 */
static struct loaded last;

static const struct diag_item *
rejected(int srcline, const char *text, size_t len, const char *code, int line, int col,
    const char *msg)
{
	unload(&last);
	load(&last, text, len);
	check_report(last.rs == NULL, "the file is rejected (NULL)", __FILE__, srcline);
	check_report(last.d.nerrors == 1, "exactly one error", __FILE__, srcline);
	if (last.d.nerrors != 1)
		dump(&last.d);
	return expect_report(srcline, &last.d, code, line, col, msg);
}
#define REJECTED(text, code, line, col, msg) \
	rejected(__LINE__, (text), strlen(text), (code), (line), (col), (msg))

/* Loads text and checks that it loads with no error. */
static int
loads(int srcline, const char *text)
{
	struct loaded l;
	int ok;

	load(&l, text, strlen(text));
	ok = l.rs != NULL && l.d.nerrors == 0;
	check_report(ok, "the file loads", __FILE__, srcline);
	if (!ok)
		dump(&l.d);
	unload(&l);
	return ok;
}
#define LOADS(text) loads(__LINE__, (text))

/* ---- E001 YAML syntax ---- */

static void
test_e001_yaml_syntax(void)
{
	const struct diag_item *it;

	it = REJECTED("frontdoor: 1\nname: t: u\n", "E001", 2, 8, "YAML syntax");
	if (it != NULL)
		CHECK_CONTAINS(it->msg, "mapping values are not allowed");
	if (it != NULL)
		CHECK_CONTAINS(it->note, "put the whole text in double quotes");
	/* a tab cannot indent YAML */
	it = REJECTED(HEAD "indicators:\n\t- {id: a}\n", "E001", 10, 1, "YAML syntax");
	if (it != NULL)
		CHECK_CONTAINS(it->note, "indent with spaces");
	/* reported where the quote opens, not at the end of the file */
	it = REJECTED(HEAD "description: \"unterminated\n", "E001", 9, 14, "YAML syntax");
	if (it != NULL)
		CHECK_CONTAINS(it->note, "never closed");
	/* a key without the space after ':' is named at its own line */
	it = REJECTED(HEAD "description:text\nindicators: []\n", "E001", 9, 1, "YAML syntax");
	if (it != NULL)
		CHECK_CONTAINS(it->note, "put a space after ':'");
	REJECTED("", "E001", 1, 1, "the file is empty");
	REJECTED("# only a comment\n", "E001", 1, 1, "the file is empty");
	REJECTED("frontdoor: 1\n---\nname: t\n", "E001", 2, 1, "exactly one YAML document");
	/* a byte-order mark before a valid file, or alone */
	it = REJECTED("\xef\xbb\xbf" HEAD IND_A RULES_A, "E001", 1, 1, "byte-order mark");
	if (it != NULL)
		CHECK_CONTAINS(it->msg, "UTF-8 without one");
	REJECTED("\xef\xbb\xbf", "E001", 1, 1, "byte-order mark");
	LOADS(HEAD IND_A RULES_A);
}

/* ---- E002 anchors and aliases, E003 tags ---- */

static void
test_e002_anchor_and_alias(void)
{
	REJECTED("frontdoor: 1\nname: &n t\n", "E002", 2, 7, "anchors are not allowed");
	REJECTED("frontdoor: 1\nlevels: &l\n  - {level: 1}\n", "E002", 2, 9,
	    "anchors are not allowed");
	REJECTED("frontdoor: 1\nname: t\nversion: *v\n", "E002", 3, 10, "aliases are not allowed");
}

static void
test_e003_explicit_tag(void)
{
	REJECTED("frontdoor: 1\nname: t\nversion: !!str 1\n", "E003", 3, 10,
	    "explicit tags are not allowed");
	REJECTED("frontdoor: 1\nname: !local t\n", "E003", 2, 7, "explicit tags");
	REJECTED("frontdoor: 1\nlevels: !!seq\n  - {level: 1}\n", "E003", 2, 9, "explicit tags");
}

/* ---- E004 nesting ---- */

static void
test_e004_yaml_too_deep(void)
{
	struct buf b;

	/* 33 nested lists: the 33rd opens at column 33 */
	buf_init(&b);
	for (int i = 0; i < 33; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 33; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '\n');
	rejected(__LINE__, b.data, b.len, "E004", 1, 33, "nested more than 32 levels deep");
	/* 32 are allowed by the YAML reader (the file is then the wrong shape) */
	buf_reset(&b);
	for (int i = 0; i < 32; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 32; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '\n');
	rejected(__LINE__, b.data, b.len, "E011", 1, 1, "a rule file must be a mapping");
	CHECK_EQ(count_code(&last.d, "E004"), 0);
	buf_free(&b);
}

/* Writes a rule file whose first rule nests `depth` nots around `inner`. */
static void
nested_nots(struct buf *b, int depth, const char *inner)
{
	buf_reset(b);
	buf_adds(b, HEAD IND_A "rules:\n  - id: r1\n    when: ");	/* when: on line 13 */
	for (int i = 0; i < depth; i++)
		buf_adds(b, "{not: ");
	buf_adds(b, inner);
	for (int i = 0; i < depth; i++)
		buf_addc(b, '}');
	buf_adds(b, "\n    route: mash\n    reason: R\n" CATCH_ALL);
}

static void
test_e004_condition_too_deep(void)
{
	struct buf b;

	buf_init(&b);
	/* 24 nots put 'always' at condition depth 25 */
	nested_nots(&b, 24, "always");
	rejected(__LINE__, b.data, b.len, "E004", 13, 11 + 24 * 6,
	    "conditions nested more than 24 deep");
	/* 23 nots put the indicator at depth 24, the deepest allowed */
	nested_nots(&b, 23, "{indicator: a}");
	loads(__LINE__, b.data);
	buf_free(&b);
}

/* ---- E005 duplicate key, E006 too long ---- */

static void
test_e005_duplicate_key(void)
{
	REJECTED(HEAD "name: u\n" IND_A RULES_A, "E005", 9, 1,
	    "duplicate key 'name' (first at line 2)");
	REJECTED(HEAD "indicators:\n  - {id: a, id: b}\n", "E005", 10, 13,
	    "duplicate key 'id' (first at line 10)");
}

static void
test_e006_too_long(void)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, HEAD "description: ");
	for (int i = 0; i < 64 * 1024 + 1; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\n" IND_A RULES_A);
	rejected(__LINE__, b.data, b.len, "E006", 9, 14, "longer than 65536 bytes");
	/* exactly 64 KiB is allowed */
	buf_reset(&b);
	buf_adds(&b, HEAD "description: ");
	for (int i = 0; i < 64 * 1024; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\n" IND_A RULES_A);
	loads(__LINE__, b.data);
	buf_free(&b);
}

static void
test_e006_file_too_large(void)
{
	size_t len = RULES_MAX_FILE + 1;
	char *big = xmalloc(len);
	struct loaded l;

	memset(big, '#', len);
	load(&l, big, len);
	CHECK(l.rs == NULL);
	CHECK_EQ(l.d.nerrors, 1);
	EXPECT_REPORT(&l.d, "E006", 0, 0, "larger than");
	unload(&l);
	free(big);
}

/* ---- E010 unknown key ---- */

static void
test_e010_unknown_key(void)
{
	const struct diag_item *it;

	/* a typo gets a suggestion */
	it = REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: mash\n"
	    "    reason: R\n"
	    "    urgancy: red\n"		/* line 16 */
	    CATCH_ALL,
	    "E010", 16, 5, "unknown key 'urgancy' in a rule");
	EXPECT_NOTE(it, "did you mean 'urgency'?");
	/* a key like none of them lists the keys allowed there */
	it = REJECTED(HEAD "colour: blue\n" IND_A RULES_A, "E010", 9, 1,
	    "unknown key 'colour' in the rule file");
	EXPECT_NOTE(it, "the keys allowed here are: frontdoor, name, version, description, "
	    "levels, flags, facts, indicators, lists, conditions, rules, tests, validity, "
	    "council");
	/* in a condition */
	it = REJECTED(WITH_COND("{indicator: a, note: x}"), "E010", COND_LINE, 26,
	    "unknown key 'note' in this condition");
	/* in a fact */
	it = REJECTED(HEAD "facts:\n  x: {type: string, requird: false}\n" IND_A RULES_A,
	    "E010", 10, 21, "unknown key 'requird' in a fact");
	EXPECT_NOTE(it, "did you mean 'required'?");
}

/* ---- E011 wrong type ---- */

static void
test_e011_wrong_type(void)
{
	REJECTED("frontdoor: 1\nname: t\nversion: \"1\"\nlevels: 5\n" IND_A RULES_A,
	    "E011", 4, 9, "'levels' in the rule file must be a list, not a scalar");
	REJECTED("frontdoor: one\nname: t\nversion: \"1\"\n"
	    "levels:\n  - {level: 1, name: U, route: universal}\n"
	    "  - {level: 2, name: E, route: early_help_unit}\n"
	    "  - {level: 3, name: T, route: targeted_early_help}\n"
	    "  - {level: 4, name: S, route: mash}\n" IND_A RULES_A,
	    "E011", 1, 12, "frontdoor must be a whole number");
	REJECTED("frontdoor: 1\nname: 12\nversion: \"1\"\n"
	    "levels:\n  - {level: 1, name: U, route: universal}\n"
	    "  - {level: 2, name: E, route: early_help_unit}\n"
	    "  - {level: 3, name: T, route: targeted_early_help}\n"
	    "  - {level: 4, name: S, route: mash}\n" IND_A RULES_A,
	    "E011", 2, 7, "name must be text; put '12' in quotes");
	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: mash\n"
	    "    reason: [R]\n"		/* line 15 */
	    CATCH_ALL,
	    "E011", 15, 13, "'reason' in a rule must be a scalar, not a list");
	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: mash\n"
	    "    reason: R\n"
	    "    needs_consent: yes\n"	/* line 16 */
	    CATCH_ALL,
	    "E011", 16, 20, "needs_consent must be true or false");
	REJECTED(WITH_COND("sometimes"), "E011", COND_LINE, COND_COL,
	    "a condition is a mapping such as {indicator: ID}, or the word 'always'");
	REJECTED(WITH_COND("{all: {indicator: a}}"), "E011", COND_LINE, 17,
	    "'all' in this condition must be a list, not a mapping");
}

/* ---- E012 missing key ---- */

static void
test_e012_missing_key(void)
{
	const struct diag_item *it;

	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"		/* line 12: the rule's mapping starts at 'id' */
	    "    when: {indicator: a}\n"
	    "    route: mash\n"
	    CATCH_ALL,
	    "E012", 12, 5, "a rule is missing required key 'reason'");
	REJECTED(HEAD IND_A, "E012", 1, 1, "the rule file is missing required key 'rules'");
	REJECTED("frontdoor: 1\nname: t\nversion: \"1\"\nlevels:\n"
	    "  - {level: 1, name: U, route: universal}\n"
	    "  - {level: 2, name: E, route: early_help_unit}\n"
	    "  - {level: 3, name: T, route: targeted_early_help}\n" IND_A RULES_A,
	    "E012", 5, 3, "level 4 is not defined");
	REJECTED(WITH_COND("{count: {level: 2}}"), "E012", COND_LINE, COND_COL,
	    "a count condition needs 'at_least' or 'at_most'");
	REJECTED(WITH_COND("{fact: agency}"), "E012", COND_LINE, COND_COL,
	    "a fact comparison needs exactly one of");
	REJECTED(WITH_COND("{fact: child.age, gt: 1, lt: 5}"), "E012", COND_LINE, COND_COL,
	    "a fact comparison needs exactly one of");
	it = REJECTED(WITH_COND("{indicatr: a}"), "E012", COND_LINE, COND_COL,
	    "a condition needs one of: all, any, not");
	EXPECT_NOTE(it, "did you mean 'indicator'?");
	REJECTED(HEAD IND_A RULES_A
	    "tests:\n"
	    "  - name: t1\n"		/* line 15 */
	    "    case: {indicators: [a]}\n",
	    "E012", 15, 5, "a test is missing required key 'route'");
}

/* ---- E013 duplicate id ---- */

static void
test_e013_duplicate_id(void)
{
	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - {id: r1, when: {indicator: a}, route: mash, reason: R}\n"
	    "  - {id: r1, when: always, route: universal, reason: N}\n",
	    "E013", 13, 10, "rule 'r1' is defined twice (first at line 12)");
	REJECTED(HEAD
	    "indicators:\n"
	    "  - {id: a, domain: development, level: 2, text: A}\n"
	    "  - {id: a, domain: parenting, level: 3, text: B}\n"
	    RULES_A,
	    "E013", 11, 10, "indicator 'a' is defined twice (first at line 10)");
	REJECTED(HEAD IND_A RULES_A
	    "tests:\n"
	    "  - {name: t1, case: {indicators: []}, route: universal}\n"
	    "  - {name: t1, case: {indicators: [a]}, route: early_help_unit}\n",
	    "E013", 16, 12, "test 't1' is defined twice (first at line 15)");
	REJECTED(HEAD "facts:\n  consent: {type: string, values: [given, given]}\n" IND_A RULES_A,
	    "E013", 10, 43, "value 'given' is listed twice");
}

/* ---- E014 invalid id or path ---- */

static void
test_e014_invalid_id(void)
{
	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - {id: R1, when: {indicator: a}, route: mash, reason: R}\n" CATCH_ALL,
	    "E014", 12, 10, "rule id 'R1' is not a valid id");
	REJECTED(HEAD "indicators:\n  - {id: _a, domain: development, level: 2, text: A}\n"
	    "rules:\n" CATCH_ALL, "E014", 10, 10, "indicator id '_a' is not a valid id");
	/* 64 characters are allowed, 65 are not */
	REJECTED(HEAD "indicators:\n  - {id: "
	    "a1234567890123456789012345678901234567890123456789012345678901234"
	    ", domain: development, level: 2, text: A}\n" "rules:\n" CATCH_ALL,
	    "E014", 10, 10, "is not a valid id");
	LOADS(HEAD "indicators:\n  - {id: "
	    "a123456789012345678901234567890123456789012345678901234567890123"
	    ", domain: development, level: 2, text: A}\n" "rules:\n"
	    "  - {id: r1, when: {indicator: "
	    "a123456789012345678901234567890123456789012345678901234567890123"
	    "}, route: mash, reason: R}\n" CATCH_ALL);
	REJECTED(HEAD "facts:\n  child..age: {type: integer}\n" IND_A RULES_A,
	    "E014", 10, 3, "fact 'child..age' is not a valid dotted path");
	REJECTED(HEAD "facts:\n  Child.age: {type: integer}\n" IND_A RULES_A,
	    "E014", 10, 3, "not a valid dotted path");
	REJECTED(HEAD "facts:\n  case_id: {type: string}\n" IND_A RULES_A,
	    "E014", 10, 3, "'case_id' is a built-in case field, not a fact");
	REJECTED(HEAD "facts:\n  indicators.count: {type: integer}\n" IND_A RULES_A,
	    "E014", 10, 3, "built-in case field");
	REJECTED(HEAD "facts:\n  child: {type: string}\n  child.age: {type: integer}\n"
	    IND_A RULES_A, "E014", 11, 3, "fact 'child.age' lies inside fact 'child'");
	REJECTED(HEAD "flags:\n  Safe: x\n" IND_A RULES_A, "E014", 10, 3,
	    "flag 'Safe' is not a valid id");
}

/* ---- E015 invalid value ---- */

static void
test_e015_invalid_value(void)
{
	const struct diag_item *it;
	struct loaded l;
	const char *text;

	REJECTED(HEAD "indicators:\n  - {id: a, domain: development, level: 5, text: A}\n"
	    RULES_A, "E015", 10, 41, "indicator level must be from 1 to 4, not 5");
	REJECTED(HEAD "indicators:\n  - {id: a, domain: development, level: 0, text: A}\n"
	    RULES_A, "E015", 10, 41, "indicator level must be from 1 to 4, not 0");
	it = REJECTED(HEAD "indicators:\n  - {id: a, domain: healthh, level: 2, text: A}\n"
	    RULES_A, "E015", 10, 21,
	    "domain 'healthh' is not one of: development, parenting, family_environment");
	it = REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: mahs\n"		/* line 14 */
	    "    reason: R\n" CATCH_ALL,
	    "E015", 14, 12,
	    "route 'mahs' is not one of: universal, early_help_unit, targeted_early_help, mash");
	EXPECT_NOTE(it, "did you mean 'mash'?");
	it = REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: mash\n"
	    "    reason: R\n"
	    "    urgency: purple\n"		/* line 16 */
	    CATCH_ALL,
	    "E015", 16, 14, "urgency 'purple' is not one of: green, amber, red");
	EXPECT_NOTE(it, NULL);
	it = REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: mash\n"
	    "    reason: R\n"
	    "    urgency: {red: always, purple: always}\n"	/* line 16 */
	    CATCH_ALL,
	    "E010", 16, 28, "unknown key 'purple' in an urgency set by conditions");
	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: mash\n"
	    "    reason: R\n"
	    "    urgency: {}\n"			/* line 16 */
	    CATCH_ALL,
	    "E012", 16, 14, "an urgency set by conditions needs red, amber or green");
	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: mash\n"
	    "    reason: R\n"
	    "    urgency: {amber: {condition: nowhere}}\n"	/* line 16 */
	    CATCH_ALL,
	    "E021", 16, 34, "undefined condition 'nowhere'");
	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: early_help_unit\n"
	    "    reason: R\n"
	    "    need_level: 5\n"		/* line 16 */
	    CATCH_ALL,
	    "E015", 16, 17, "need_level must be from 1 to 4, not 5");
	REJECTED(HEAD IND_A
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: a}\n"
	    "    route: early_help_unit\n"
	    "    reason: R\n"
	    "    need_level: \"3\"\n"		/* line 16 */
	    CATCH_ALL,
	    "E011", 16, 17, "need_level must be a whole number from 1 to 4");
	REJECTED(WITH_COND("{count: {level: 2}, at_least: 3, at_most: 1}"), "E015",
	    COND_LINE, COND_COL, "at_least is greater than at_most");
	REJECTED(WITH_COND("{count: {level: 5}, at_least: 1}"), "E015", COND_LINE, 27,
	    "level must be from 1 to 4, not 5");
	REJECTED(WITH_COND("{domains: {level: 3}, at_least: 4}"), "E015", COND_LINE, 43,
	    "at_least must be from 0 to 3, not 4");
	REJECTED(WITH_COND("{domains: {level: 3}}"), "E012", COND_LINE, COND_COL,
	    "a domains condition needs 'at_least' or 'at_most'");
	REJECTED(WITH_COND("{count: {domain: health}, at_least: 1}"), "E015", COND_LINE, 28,
	    "domain 'health' is not one of");
	REJECTED(WITH_COND("{missing: consent}"), "E015", COND_LINE, 21,
	    "fact 'consent' is required, so it is never missing");
	REJECTED(WITH_COND("{any: []}"), "E015", COND_LINE, 17,
	    "'any' needs at least one condition");
	REJECTED("frontdoor: 2\nname: t\nversion: \"1\"\n"
	    "levels:\n  - {level: 1, name: U, route: universal}\n"
	    "  - {level: 2, name: E, route: early_help_unit}\n"
	    "  - {level: 3, name: T, route: targeted_early_help}\n"
	    "  - {level: 4, name: S, route: mash}\n" IND_A RULES_A,
	    "E015", 1, 12, "reads rule language version 1, not 2");
	REJECTED(HEAD "facts:\n  age: {type: integer, min: 10, max: 5}\n" IND_A RULES_A,
	    "E015", 10, 3, "fact 'age' has min greater than max");

	/* level 5 in the levels: invalid, and so level 4 is then missing */
	text = "frontdoor: 1\nname: t\nversion: \"1\"\nlevels:\n"
	    "  - {level: 1, name: U, route: universal}\n"
	    "  - {level: 2, name: E, route: early_help_unit}\n"
	    "  - {level: 3, name: T, route: targeted_early_help}\n"
	    "  - {level: 5, name: S, route: mash}\n" IND_A RULES_A;
	load(&l, text, strlen(text));
	CHECK(l.rs == NULL);
	CHECK_EQ(l.d.nerrors, 2);
	EXPECT_REPORT(&l.d, "E015", 8, 13, "level must be from 1 to 4, not 5");
	EXPECT_REPORT(&l.d, "E012", 5, 3, "level 4 is not defined");
	unload(&l);
}

/* ---- E020 to E024: undefined references ---- */

static void
test_e020_undefined_indicator(void)
{
	const struct diag_item *it;

	it = REJECTED(WITH_COND("{indicator: b}"), "E020", COND_LINE, 23,
	    "undefined indicator 'b'");
	EXPECT_NOTE(it, "did you mean 'a'?");
	REJECTED(WITH_COND("{count: {ids: [a, zz]}, at_least: 1}"), "E020", COND_LINE, 29,
	    "undefined indicator 'zz'");
}

static void
test_e021_undefined_condition(void)
{
	const struct diag_item *it;

	it = REJECTED(WITH_COND("{condition: adullt}"), "E021", COND_LINE, 23,
	    "undefined condition 'adullt'");
	EXPECT_NOTE(it, "did you mean 'adult'?");
}

static void
test_e022_undefined_list(void)
{
	REJECTED(WITH_COND("{fact: agency, in_list: nope}"), "E022", COND_LINE, 35,
	    "undefined list 'nope'");
	REJECTED(WITH_COND("{fact: agency, not_in_list: agencys}"), "E022", COND_LINE, 39,
	    "undefined list 'agencys'");
}

static void
test_e023_undefined_fact(void)
{
	const struct diag_item *it;

	it = REJECTED(WITH_COND("{fact: nope, eq: x}"), "E023", COND_LINE, 18,
	    "undefined fact 'nope'");
	EXPECT_NOTE(it, "declare it under 'facts:'");
	it = REJECTED(WITH_COND("{fact: child.ag, ge: 1}"), "E023", COND_LINE, 18,
	    "undefined fact 'child.ag'");
	EXPECT_NOTE(it, "did you mean 'child.age'?");
	REJECTED(WITH_COND("{present: nope}"), "E023", COND_LINE, 21, "undefined fact 'nope'");
}

static void
test_e024_undefined_flag(void)
{
	REJECTED(WITH_COND("{count: {flag: nope}, at_least: 1}"), "E024", COND_LINE, 26,
	    "undefined flag 'nope'");
	REJECTED(HEAD "indicators:\n"
	    "  - {id: a, domain: development, level: 2, text: A, flags: [nope]}\n" RULES_A,
	    "E024", 10, 61, "undefined flag 'nope'");
}

/* ---- E025 condition cycle ---- */

static void
test_e025_condition_cycle(void)
{
	REJECTED(HEAD IND_A
	    "conditions:\n"
	    "  loop: {any: [{indicator: a}, {condition: loop}]}\n"	/* line 12 */
	    RULES_A,
	    "E025", 12, 32, "condition 'loop' refers to itself");	/* at the reference */
	REJECTED(HEAD IND_A
	    "conditions:\n"
	    "  ping: {condition: pong}\n"		/* line 12 */
	    "  pong: {not: {condition: ping}}\n"	/* line 13 */
	    "rules:\n"
	    "  - {id: r1, when: {condition: ping}, route: mash, reason: R}\n" CATCH_ALL,
	    "E025", 12, 9, "refers to itself");
}

/* ---- E026 type mismatch, E027 value not allowed ---- */

static void
test_e026_type_mismatch(void)
{
	const struct diag_item *it;

	REJECTED(WITH_COND("{fact: consent, lt: given}"), "E026", COND_LINE, 31,
	    "'lt' compares order; fact 'consent' is not a number");
	REJECTED(WITH_COND("{fact: agency, ge: police}"), "E026", COND_LINE, 30,
	    "'ge' compares order; fact 'agency' is not a number");
	REJECTED(WITH_COND("{fact: child.age, eq: \"12\"}"), "E026", COND_LINE, 33,
	    "fact 'child.age' is a whole number; '12' is not");
	REJECTED(WITH_COND("{fact: child.age, eq: 12.5}"), "E026", COND_LINE, 33,
	    "fact 'child.age' is a whole number; '12.5' is not");
	REJECTED(WITH_COND("{fact: agency, eq: 12}"), "E026", COND_LINE, 30,
	    "fact 'agency' is text; put '12' in quotes");
	REJECTED(WITH_COND("{fact: agency, in: [police, true]}"), "E026", COND_LINE, 39,
	    "fact 'agency' is text; put 'true' in quotes");
	/* a named list is typed by the fact it is compared with */
	it = REJECTED(WITH_COND("{fact: child.age, in_list: agencies}"), "E026", 18, 14,
	    "fact 'child.age' is a whole number; 'police' is not");
	EXPECT_NOTE(it, "list 'agencies' is compared with fact 'child.age' at line 23");
}

static void
test_e027_value_not_allowed(void)
{
	const struct diag_item *it;

	it = REJECTED(WITH_COND("{fact: consent, eq: refuse}"), "E027", COND_LINE, 31,
	    "'refuse' is not a value fact 'consent' can take");
	EXPECT_NOTE(it, "did you mean 'refused'?");
	REJECTED(WITH_COND("{fact: consent, in: [given, maybe]}"), "E027", COND_LINE, 39,
	    "'maybe' is not a value fact 'consent' can take");
}

/* ---- E040 tests that name rules ---- */

/* Strengths: no level, no flags, never named by a condition, never reported unread. */
static void
test_e028_strengths(void)
{
	struct loaded l;

#define STRENGTH "  - {id: s, domain: parenting, strength: true, text: S}\n"	/* line 11 */
	REJECTED(HEAD IND_A
	    "  - {id: s, domain: parenting, strength: true, level: 1, text: S}\n" RULES_A,
	    "E015", 11, 55, "a strength has no level: it never routes");
	REJECTED(HEAD "flags:\n  sg: G\n" IND_A
	    "  - {id: s, domain: parenting, strength: true, text: S, flags: [sg]}\n" RULES_A,
	    "E015", 13, 64, "a strength has no flags: it never routes");
	REJECTED(HEAD IND_A "  - {id: b, domain: parenting, text: B}\n" RULES_A,
	    "E012", 11, 5, "an indicator is missing required key 'level'");
	REJECTED(HEAD IND_A STRENGTH "rules:\n"
	    "  - {id: r1, when: {indicator: s}, route: early_help_unit, reason: R}\n" CATCH_ALL,
	    "E028", 13, 32, "indicator 's' is a strength: strengths are recorded and shown, "
	    "never read by a condition");
	REJECTED(HEAD IND_A STRENGTH "rules:\n"
	    "  - {id: r1, when: {count: {ids: [a, s]}, at_least: 1}, route: mash, reason: R}\n"
	    CATCH_ALL,
	    "E028", 13, 38, "indicator 's' is a strength");
	/* a strength matches no selector, and is not reported as unread */
	load(&l, HEAD IND_A STRENGTH "rules:\n"
	    "  - {id: r1, when: {count: {}, at_least: 1}, route: early_help_unit, reason: R}\n"
	    CATCH_ALL, strlen(HEAD IND_A STRENGTH "rules:\n"
	    "  - {id: r1, when: {count: {}, at_least: 1}, route: early_help_unit, reason: R}\n"
	    CATCH_ALL));
	CHECK(l.rs != NULL && l.d.n == 0);
	if (l.rs != NULL) {
		CHECK(l.rs->indicators[1].strength && l.rs->indicators[1].level == 0);
		CHECK_EQ(l.rs->nstrengths, 1);
		CHECK(!((l.rs->masks[l.rs->rules[0].when->sel.mask * l.rs->nwords] >> 1) & 1));
		CHECK((l.rs->masks[l.rs->rules[0].when->sel.mask * l.rs->nwords] >> 0) & 1);
	} else
		dump(&l.d);
	unload(&l);
#undef STRENGTH
}

/* A fact compared with another: both declared, of types that compare, and not the same. */
static void
test_fact_with_fact_errors(void)
{
	REJECTED(WITH_COND("{fact: child.age, lt: {fact: consent}}"), "E026", COND_LINE, 40,
	    "fact 'child.age' is integer and fact 'consent' is string: they do not compare");
	REJECTED(WITH_COND("{fact: child.age, lt: {fact: parent.age}}"), "E023", COND_LINE, 40,
	    "undefined fact 'parent.age'");
	REJECTED(WITH_COND("{fact: child.age, lt: {fact: child.age}}"), "E015", COND_LINE, 40,
	    "fact 'child.age' is compared with itself");
	REJECTED(WITH_COND("{fact: agency, eq: {fact: consent, path: x}}"), "E010", COND_LINE, 46,
	    "unknown key 'path' in a fact operand");
	REJECTED(WITH_COND("{fact: agency, lt: {fact: consent}}"), "E026", COND_LINE, 30,
	    "'lt' compares order; fact 'agency' is not a number");
	LOADS(HEAD "facts:\n"
	    "  consent: {type: string, values: [given, refused]}\n"
	    "  agency: {type: string, required: false}\n"
	    IND_A "rules:\n"
	    "  - {id: r1, when: {fact: agency, ne: {fact: consent}}, route: mash, reason: R}\n"
	    "  - {id: r2, when: {indicator: a}, route: early_help_unit, reason: R}\n"
	    CATCH_ALL);
}

/* Validity rules: an id, a condition and the message given with the rejection. */
static void
test_validity_errors(void)
{
	REJECTED(HEAD IND_A "validity:\n  - {id: v1, when: {indicator: a}}\n" RULES_A,
	    "E012", 12, 5, "a validity rule is missing required key 'message'");
	REJECTED(HEAD IND_A "validity:\n  - {id: v1, when: {indicator: a}, message: M}\n"
	    "  - {id: v1, when: {indicator: a}, message: N}\n" RULES_A,
	    "E013", 13, 10, "validity rule 'v1' is defined twice (first at line 12)");
	REJECTED(HEAD IND_A "validity:\n  - {id: v1, when: {indicator: b}, message: M}\n" RULES_A,
	    "E020", 12, 32, "undefined indicator 'b'");
}

static void
test_e040_test_names_bad_rule(void)
{
	const struct diag_item *it;

	it = REJECTED(HEAD IND_A RULES_A
	    "tests:\n"
	    "  - name: one\n"
	    "    case: {indicators: [a]}\n"
	    "    route: early_help_unit\n"
	    "    rule: r2\n",			/* line 18 */
	    "E040", 18, 11, "undefined rule 'r2'");
	EXPECT_NOTE(it, "did you mean 'r1'?");
	REJECTED(HEAD IND_A RULES_A
	    "tests:\n"
	    "  - name: one\n"
	    "    case: {indicators: [a]}\n"
	    "    route: universal\n"
	    "    rule: r1\n",			/* line 18 */
	    "E040", 18, 11, "rule 'r1' routes to early_help_unit, not universal");
	REJECTED(HEAD IND_A RULES_A
	    "tests:\n"
	    "  - name: one\n"			/* line 15 */
	    "    case: {indicators: [zz]}\n"
	    "    error: true\n"
	    "    route: universal\n",
	    "E015", 15, 5, "a test expecting an error names no route, rule or urgency");
}

/* ---- all at once ---- */

/* Independent mistakes are all reported in one run, and nothing is kept. */
static void
test_reports_every_error(void)
{
	const char *text = HEAD
	    "colour: blue\n"					/* 9: E010 */
	    "indicators:\n"
	    "  - {id: a, domain: developmnt, level: 2, text: A}\n"	/* 11: E015 */
	    "  - {id: b, domain: parenting, level: 3, text: B}\n"
	    "rules:\n"
	    "  - id: r1\n"
	    "    when: {indicator: c}\n"			/* 15: E020 */
	    "    route: early_help\n"			/* 16: E015 */
	    "    reason: R\n"
	    "  - id: r2\n"
	    "    when: {count: {level: 3}, at_least: 2, at_most: 1}\n"	/* 19: E015 */
	    "    route: mash\n"
	    "    reason: R\n"
	    "  - {id: r3, when: always, reason: N}\n"		/* 22: E012 */
	    "  - {id: rest, when: always, route: universal, reason: N}\n";
	struct loaded l;

	load(&l, text, strlen(text));
	CHECK(l.rs == NULL);
	CHECK_EQ(l.d.nerrors, 6);
	EXPECT_REPORT(&l.d, "E010", 9, 1, "unknown key 'colour'");
	EXPECT_REPORT(&l.d, "E015", 11, 21, "domain 'developmnt'");
	EXPECT_REPORT(&l.d, "E020", 15, 23, "undefined indicator 'c'");
	EXPECT_REPORT(&l.d, "E015", 16, 12, "route 'early_help'");
	EXPECT_REPORT(&l.d, "E015", 19, 11, "at_least is greater than at_most");
	EXPECT_REPORT(&l.d, "E012", 22, 5, "a rule is missing required key 'route'");
	unload(&l);
}

/* ---- warnings ---- */

static void
test_warnings_do_not_reject(void)
{
	const char *text = HEAD
	    "flags:\n"
	    "  unused_flag: Never used\n"			/* 10 */
	    "facts:\n"
	    "  note: {type: string, required: false}\n"	/* 12 */
	    "  consent: {type: string, values: [given, refused]}\n"	/* enumerated: checked */
	    "indicators:\n"
	    "  - {id: a, domain: development, level: 2, text: A}\n"
	    "  - {id: b, domain: parenting, level: 3, text: B}\n"	/* 16 */
	    "lists:\n"
	    "  spare: [x, y]\n"				/* 18 */
	    "conditions:\n"
	    "  spare_cond: {indicator: b}\n"		/* 20 */
	    "rules:\n"
	    "  - {id: r1, when: {indicator: a}, route: early_help_unit, reason: R}\n"
	    "  - {id: rest, when: always, route: universal, reason: N}\n";
	struct loaded l;

	load(&l, text, strlen(text));
	CHECK(l.rs != NULL);
	CHECK_EQ(l.d.nerrors, 0);
	CHECK_EQ(l.d.nwarnings, 5);
	EXPECT_REPORT(&l.d, "W102", 10, 3, "flag 'unused_flag' is declared but no indicator or "
	    "rule uses it");
	EXPECT_REPORT(&l.d, "W102", 12, 3, "fact 'note' is declared but no rule reads it");
	EXPECT_REPORT(&l.d, "W102", 18, 3, "list 'spare' is declared but no rule uses it");
	EXPECT_REPORT(&l.d, "W102", 20, 3, "condition 'spare_cond' is declared but no rule "
	    "uses it");
	EXPECT_REPORT(&l.d, "W101", 16, 5, "indicator 'b' is never read by any rule that can fire");
	for (size_t i = 0; i < l.d.n; i++)
		CHECK_EQ(l.d.items[i].severity, DIAG_WARNING);
	if (l.rs != NULL)
		CHECK_EQ(l.rs->nrules, 2);
	unload(&l);
}

/* A flag on an indicator counts as used; so does a list read through a condition. */
static void
test_no_warnings_when_all_used(void)
{
	const char *text = HEAD
	    "flags:\n  sg: S\n"
	    "facts:\n  agency: {type: string, required: false}\n"
	    "indicators:\n"
	    "  - {id: a, domain: development, level: 2, text: A, flags: [sg]}\n"
	    "lists:\n  police: [police, btp]\n"
	    "conditions:\n  by_police: {fact: agency, in_list: police}\n"
	    "rules:\n"
	    "  - {id: r1, when: {condition: by_police}, route: mash, reason: R}\n"
	    "  - {id: r2, when: {indicator: a}, route: early_help_unit, reason: R}\n"
	    CATCH_ALL;
	struct loaded l;

	load(&l, text, strlen(text));
	CHECK(l.rs != NULL);
	CHECK_EQ(l.d.nerrors, 0);
	CHECK_EQ(l.d.nwarnings, 0);
	if (l.d.nwarnings != 0)
		dump(&l.d);
	unload(&l);
}

/* ---- a valid file ---- */

static const char valid_text[] =
    "# a complete small rule set\n"
    "frontdoor: 1\n"
    "name: Test rules\n"
    "version: \"2026.1\"\n"
    "description: For the unit tests.\n"
    "levels:\n"
    "  - level: 1\n"
    "    name: Universal\n"
    "    route: universal\n"
    "    front_door: \"Open access: school, GP\"\n"
    "  - {level: 2, name: Early Help, route: early_help_unit}\n"
    "  - {level: 3, name: Targeted Early Help, route: targeted_early_help}\n"
    "  - {level: 4, name: Specialist, route: mash}\n"
    "flags:\n"
    "  safeguarding: Must go to the MASH\n"
    "facts:\n"
    "  consent: {type: string, values: [given, refused, not_sought, not_required]}\n"
    "  child.age: {type: integer, min: 0, max: 25, required: false}\n"
    "  referrer.agency: {type: string, required: false}\n"
    "indicators:\n"
    "  - {id: dev.l2_01, domain: development, level: 2, text: Speech a little behind}\n"
    "  - {id: par.l3_01, domain: parenting, level: 3, text: Parenting, guidance: G}\n"
    "  - {id: fam.l4_01, domain: family_environment, level: 4, text: Harm,\n"
    "     flags: [safeguarding]}\n"
    "lists:\n"
    "  police: [police, british_transport_police]\n"
    "conditions:\n"
    "  under_13: {fact: child.age, lt: 13}\n"
    "  by_police: {fact: referrer.agency, in_list: police}\n"
    "rules:\n"
    "  - id: safeguarding\n"
    "    when: {count: {flag: safeguarding}, at_least: 1}\n"
    "    route: mash\n"
    "    reason: A safeguarding concern.\n"
    "    urgency: red\n"
    "  - id: targeted\n"
    "    when: {all: [{indicator: par.l3_01}, {condition: under_13}]}\n"
    "    route: targeted_early_help\n"
    "    reason: Young child, level 3.\n"
    "    needs_consent: true\n"
    "  - id: early\n"
    "    when: {any: [{indicator: dev.l2_01}, {indicator: par.l3_01}, {condition: by_police}]}\n"
    "    route: early_help_unit\n"
    "    reason: Emerging needs.\n"
    "  - {id: none, when: always, route: universal, reason: No additional needs.}\n"
    "tests:\n"
    "  - name: harm goes to the MASH\n"
    "    case: {consent: given, indicators: [fam.l4_01]}\n"
    "    route: mash\n"
    "    rule: safeguarding\n"
    "  - name: unknown indicator\n"
    "    case: {consent: given, indicators: [no.such]}\n"
    "    error: true\n";

static void
test_valid_file_loads(void)
{
	struct loaded l;
	struct ruleset *rs;
	char hex[65];

	load(&l, valid_text, sizeof valid_text - 1);
	rs = l.rs;
	CHECK(rs != NULL);
	CHECK_EQ(l.d.nerrors, 0);
	CHECK_EQ(l.d.nwarnings, 0);
	if (rs == NULL) {
		dump(&l.d);
		unload(&l);
		return;
	}
	digest_sha256_hex(valid_text, sizeof valid_text - 1, hex);
	CHECK(check_streq(rs->hash, hex));
	CHECK_EQ(strlen(rs->hash), 64);
	CHECK_STR(rs->name, "Test rules");
	CHECK_STR(rs->version, "2026.1");
	CHECK_STR(rs->description, "For the unit tests.");
	CHECK_EQ(rs->nflags, 1);
	CHECK_EQ(rs->nfacts, 3);
	CHECK_EQ(rs->nindicators, 3);
	CHECK_EQ(rs->nlists, 1);
	CHECK_EQ(rs->nconds, 2);
	CHECK_EQ(rs->nrules, 4);
	CHECK_EQ(rs->ntests, 2);
	/* levels */
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(rs->levels[i].level, i + 1);
		CHECK_EQ(rs->levels[i].route, (enum route_id)i);
	}
	CHECK_STR(rs->levels[0].front_door, "Open access: school, GP");
	CHECK(rs->levels[1].front_door == NULL);
	CHECK_STR(rs->levels[3].name, "Specialist");
	/* facts */
	CHECK_STR(rs->facts[0].path, "consent");
	CHECK_EQ(rs->facts[0].type, FACT_STRING);
	CHECK_EQ(rs->facts[0].nvalues, 4);
	CHECK_STR(rs->facts[0].values[3], "not_required");
	CHECK_EQ(rs->facts[0].required, 1);
	CHECK_STR(rs->facts[1].path, "child.age");
	CHECK_EQ(rs->facts[1].type, FACT_INTEGER);
	CHECK(rs->facts[1].has_min && rs->facts[1].min == 0);
	CHECK(rs->facts[1].has_max && rs->facts[1].max == 25);
	CHECK_EQ(rs->facts[1].required, 0);
	/* indicators */
	CHECK_STR(rs->indicators[1].id, "par.l3_01");
	CHECK_EQ(rs->indicators[1].domain, DOMAIN_PARENTING);
	CHECK_EQ(rs->indicators[1].level, 3);
	CHECK_STR(rs->indicators[1].guidance, "G");
	CHECK_EQ(rs->indicators[2].flags, 1);
	CHECK_EQ(rs->indicators[0].flags, 0);
	CHECK_EQ(rules_find_indicator(rs, "fam.l4_01", 9), 2);
	CHECK_EQ(rules_find_indicator(rs, "fam.l4_0", 8), -1);
	/* lists and conditions */
	CHECK_EQ(rs->lists[0].n, 2);
	CHECK_STR(rs->lists[0].items[1].str, "british_transport_police");
	CHECK_STR(rs->conds[0].id, "under_13");
	CHECK_EQ(rs->conds[0].cond->kind, COND_COMPARE);
	CHECK_EQ(rs->conds[0].cond->op, OP_LT);
	/* rules, their levels from their routes, and where they are */
	CHECK_STR(rs->rules[0].id, "safeguarding");
	CHECK_EQ(rs->rules[0].route, ROUTE_MASH);
	CHECK_EQ(rs->rules[0].level, 4);
	CHECK_EQ(rs->rules[0].urgency, URGENCY_RED);
	CHECK_EQ(rs->rules[0].pos.line, 31);
	CHECK_EQ(rs->rules[0].pos.col, 5);
	CHECK_EQ(rs->rules[1].level, 3);
	CHECK_EQ(rs->rules[1].needs_consent, 1);
	CHECK_EQ(rs->rules[1].urgency, URGENCY_NONE);
	CHECK_EQ(rs->rules[2].level, 2);
	CHECK_EQ(rs->rules[3].level, 1);
	CHECK_EQ(rs->rules[3].when->kind, COND_ALWAYS);
	CHECK_EQ(rules_find_rule(rs, "early"), 2);
	CHECK_EQ(rules_find_rule(rs, "nope"), -1);
	for (size_t i = 0; i < rs->nrules; i++)
		CHECK(rs->rules[i].reachable);
	/* tests: the case as JSON, with "test" as case_id when none is given */
	CHECK_STR(rs->tests[0].case_json, "{\"case_id\":\"test\","
	    "\"consent\":\"given\",\"indicators\":[\"fam.l4_01\"]}");
	CHECK_EQ(rs->tests[0].route, ROUTE_MASH);
	CHECK_EQ(rs->tests[0].rule, 0);
	CHECK_EQ(rs->tests[1].expect_error, 1);
	CHECK_EQ(rs->tests[1].rule, -1);
	unload(&l);
}

/* The hash is of the exact bytes: a comment changes it, the meaning does not. */
static void
test_hash_is_of_the_bytes(void)
{
	const char *a = HEAD IND_A RULES_A, *b = HEAD IND_A RULES_A "# trailing comment\n";
	struct loaded la, lb;
	char hex[65];

	load(&la, a, strlen(a));
	load(&lb, b, strlen(b));
	CHECK(la.rs != NULL && lb.rs != NULL);
	if (la.rs != NULL && lb.rs != NULL) {
		CHECK(strcmp(la.rs->hash, lb.rs->hash) != 0);
		digest_sha256_hex(b, strlen(b), hex);
		CHECK(check_streq(lb.rs->hash, hex));
		CHECK_EQ(la.rs->nrules, lb.rs->nrules);
	}
	unload(&la);
	unload(&lb);
}

/* rules_load_file: the same result as the buffer, and a clear error for a missing file. */
static void
test_load_file(void)
{
	struct diag d;
	struct ruleset *rs;
	char *text = NULL, hex[65];
	size_t len = 0;

	diag_init(&d, "minimal.yaml", NULL, 0);
	rs = rules_load_file(FD_TEST_DATA "/unit/data/minimal.yaml", &d, &text, &len);
	CHECK(rs != NULL);
	CHECK(text != NULL && len > 0);
	if (rs != NULL && text != NULL) {
		digest_sha256_hex(text, len, hex);
		CHECK(check_streq(rs->hash, hex));
		CHECK_EQ(rs->nrules, 2);
	}
	rules_free(rs);
	diag_free(&d);
	free(text);

	diag_init(&d, "nope.yaml", NULL, 0);
	rs = rules_load_file(FD_TEST_DATA "/unit/data/no-such-file.yaml", &d, &text, &len);
	CHECK(rs == NULL);
	CHECK_EQ(d.nerrors, 1);
	EXPECT_REPORT(&d, "E000", 0, 0, "no-such-file.yaml");
	diag_free(&d);
}

/* ---- what each comparison key means ---- */

/*
 * Each key loads as its own operator with its own kind of operand, checked
 * key by key by name, so a table in the loader put in another order (or an
 * operator read from a position) shows here.
 */
static void
test_compare_keys_by_name(void)
{
	static const struct {
		const char *cond;
		enum cmp_op op;
		size_t nlits;
		int list;	/* whether the operand is the named list */
		double first;	/* the first literal, as a number (or -1 for text) */
	} cases[] = {
		{ "{fact: child.age, eq: 1}", OP_EQ, 1, 0, 1 },
		{ "{fact: child.age, ne: 2}", OP_NE, 1, 0, 2 },
		{ "{fact: child.age, lt: 3}", OP_LT, 1, 0, 3 },
		{ "{fact: child.age, le: 4}", OP_LE, 1, 0, 4 },
		{ "{fact: child.age, gt: 5}", OP_GT, 1, 0, 5 },
		{ "{fact: child.age, ge: 6}", OP_GE, 1, 0, 6 },
		{ "{fact: child.age, in: [7, 8, 9]}", OP_IN, 3, 0, 7 },
		{ "{fact: child.age, not_in: [10, 11]}", OP_NOT_IN, 2, 0, 10 },
		{ "{fact: agency, in_list: agencies}", OP_IN, 2, 1, -1 },
		{ "{fact: agency, not_in_list: agencies}", OP_NOT_IN, 2, 1, -1 },
	};
	char text[2048];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct loaded l;
		const struct cond *c;

		snprintf(text, sizeof text, WITH_COND("%s"), cases[i].cond);
		load(&l, text, strlen(text));
		CHECK(l.rs != NULL);
		if (l.rs == NULL) {
			dump(&l.d);
			unload(&l);
			continue;
		}
		c = l.rs->rules[0].when;
		check_report(c->kind == COND_COMPARE && c->op == cases[i].op, cases[i].cond,
		    __FILE__, __LINE__);
		check_report(c->nlits == cases[i].nlits && (c->list >= 0) == cases[i].list,
		    cases[i].cond, __FILE__, __LINE__);
		if (cases[i].first >= 0)
			check_report(c->lits[0].num == cases[i].first, cases[i].cond, __FILE__,
			    __LINE__);
		else
			CHECK(c->lits[0].str != NULL && strcmp(c->lits[0].str, "police") == 0);
		unload(&l);
	}
	/* only the four ordering keys need a number */
	REJECTED(WITH_COND("{fact: agency, le: x}"), "E026", COND_LINE, 30,
	    "'le' compares order; fact 'agency' is not a number");
	LOADS(WITH_COND("{fact: agency, ne: x}"));
	LOADS(WITH_COND("{fact: agency, in: [x]}"));
}

/* ---- "Writing text safely" in frontdoor-rules(5): each example, as the manual says ---- */

/* An example that loads: the indicator's text is exactly `text`, with `warning` (or none). */
struct text_reads {
	const char *item, *text, *warning;
};

/* An example that is refused: the error, and what its note tells the writer to do. */
struct text_refused {
	const char *item, *code, *note;
};

/* Loads a rule file whose only indicator is item (the lines after "indicators:"). */
static void
load_item(struct loaded *l, const char *item)
{
	size_t len = strlen(HEAD "indicators:\n") + strlen(item) + strlen(RULES_A);
	char *text = malloc(len + 1);

	snprintf(text, len + 1, "%s%s%s", HEAD "indicators:\n", item, RULES_A);
	load(l, text, len);
	free(text);
}

static void
check_text_reads(int srcline, const struct text_reads *t)
{
	struct loaded l;
	char what[200];
	const char *got;

	load_item(&l, t->item);
	got = l.rs != NULL && l.rs->nindicators == 1 ? l.rs->indicators[0].text : NULL;
	snprintf(what, sizeof what, "the text reads \"%s\"", t->text);
	check_report(got != NULL && strcmp(got, t->text) == 0, what, __FILE__, srcline);
	if (got == NULL || strcmp(got, t->text) != 0) {
		fprintf(stderr, "    (read: %s)\n", got ? got : "(not loaded)");
		dump(&l.d);
	}
	snprintf(what, sizeof what, "warning %s", t->warning ? t->warning : "none");
	check_report(t->warning ? count_code(&l.d, t->warning) == 1 : l.d.nwarnings == 0, what,
	    __FILE__, srcline);
	unload(&l);
}

static void
check_text_refused(int srcline, const struct text_refused *t)
{
	struct loaded l;
	char what[200];
	const struct diag_item *it = NULL;

	load_item(&l, t->item);
	for (size_t i = 0; i < l.d.n && it == NULL; i++)
		if (strcmp(l.d.items[i].code, t->code) == 0)
			it = &l.d.items[i];
	snprintf(what, sizeof what, "refused with %s, noting \"%s\"", t->code,
	    t->note ? t->note : "");
	check_report(l.rs == NULL && it != NULL && (t->note == NULL ||
	    (it->note != NULL && strstr(it->note, t->note) != NULL)), what, __FILE__, srcline);
	if (l.rs != NULL || it == NULL || (t->note != NULL && (it->note == NULL ||
	    strstr(it->note, t->note) == NULL)))
		dump(&l.d);
	unload(&l);
}

#define ITEM "  - id: a\n    domain: development\n    level: 2\n"

static void
test_writing_text_safely(void)
{
	static const struct text_reads reads[] = {
		/* most text needs no quotes, an apostrophe inside included */
		{ ITEM "    text: Parent's drinking affects the care of the child\n",
		  "Parent's drinking affects the care of the child", NULL },
		/* ': ' in text, quoted */
		{ ITEM "    text: \"Speech delay: no words at two\"\n",
		  "Speech delay: no words at two", NULL },
		/* a colon with no space after it is plain text */
		{ ITEM "    text: Seen at 10:30 by the nurse\n", "Seen at 10:30 by the nurse", NULL },
		/* ' #' starts a comment, dropped with a warning */
		{ ITEM "    text: Has gone missing #2 in a month\n", "Has gone missing", "W104" },
		{ ITEM "    text: \"Has gone missing #2 in a month\"\n",
		  "Has gone missing #2 in a month", NULL },
		/* inside single quotes an apostrophe is written twice */
		{ ITEM "    text: 'The child''s needs'\n", "The child's needs", NULL },
		/* inside double quotes, \" and \\ */
		{ ITEM "    text: \"A \\\"looked after\\\" child, folder C:\\\\notes\"\n",
		  "A \"looked after\" child, folder C:\\notes", NULL },
		/* leading characters, each quoted */
		{ ITEM "    text: \"- not a list item\"\n", "- not a list item", NULL },
		{ ITEM "    text: \"[urgent] child\"\n", "[urgent] child", NULL },
		{ ITEM "    text: \"{unclear} account\"\n", "{unclear} account", NULL },
		{ ITEM "    text: \"*Starred* entry\"\n", "*Starred* entry", NULL },
		{ ITEM "    text: \"&c and so on\"\n", "&c and so on", NULL },
		{ ITEM "    text: \"!Important\"\n", "!Important", NULL },
		{ ITEM "    text: \"| piped\"\n", "| piped", NULL },
		{ ITEM "    text: \"> quoted\"\n", "> quoted", NULL },
		{ ITEM "    text: \"@handle online\"\n", "@handle online", NULL },
		{ ITEM "    text: \"`code` word\"\n", "`code` word", NULL },
		{ ITEM "    text: \"%50 attendance\"\n", "%50 attendance", NULL },
		{ ITEM "    text: \"'Looked after' status\"\n", "'Looked after' status", NULL },
		/* text a number, boolean or null would be: quoted */
		{ ITEM "    text: \"yes\"\n", "yes", NULL },
		/* a tab inside text is kept */
		{ ITEM "    text: Speech\tdelay\n", "Speech\tdelay", NULL },
		/* text going on to a deeper line: the break is a space */
		{ ITEM "    text: Parent's mental health affects the care\n      of the child\n",
		  "Parent's mental health affects the care of the child", NULL },
		/* block text after >- needs no quotes whatever it holds */
		{ "  - id: a\n    domain: parenting\n    level: 3\n    text: >-\n"
		  "      Parent's mental health affects the care of the\n"
		  "      child: appointments missed, meals not made.\n",
		  "Parent's mental health affects the care of the child: appointments missed, "
		  "meals not made.", NULL },
	};
	static const struct text_refused refused[] = {
		{ ITEM "    text: Speech delay: no words at two\n", "E001", "double quotes" },
		{ ITEM "    text:Speech delay\n", "E001", "space after ':'" },
		{ "  - {id: a, domain: development, level: 2, text: Missing #2 in a month}\n",
		  "E001", "hiding the closing bracket" },
		{ ITEM "    text: 'Looked after' status\n", "E001", "ends at the matching quote" },
		{ ITEM "    text: - not a list item\n", "E001", "double quotes" },
		{ ITEM "    text: [urgent] child\n", "E001", NULL },
		{ ITEM "    text: {unclear} account\n", "E001", NULL },
		{ ITEM "    text: *Starred* entry\n", "E001", "must be quoted" },
		{ ITEM "    text: &c and so on\n", "E002", "must be quoted" },
		{ ITEM "    text: !Important\n", "E003", NULL },
		{ ITEM "    text: | piped\n", "E001", NULL },
		{ ITEM "    text: > quoted\n", "E001", NULL },
		{ ITEM "    text: @handle online\n", "E001", "must be quoted" },
		{ ITEM "    text: `code` word\n", "E001", "must be quoted" },
		{ ITEM "    text: %50 attendance\n", "E001", "must be quoted" },
		{ ITEM "    text: yes\n", "E011", NULL },
		/* a tab at the start of a line */
		{ "  - id: a\n\tdomain: development\n    level: 2\n    text: A\n", "E001",
		  "indent with spaces" },
		/* a line at the key's own indentation is not 'key: value' */
		{ ITEM "    text: Parent's mental health affects the care\n    of the child\n",
		  "E001", "not 'key: value'" },
	};

	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
		check_text_reads(__LINE__, &reads[i]);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		check_text_refused(__LINE__, &refused[i]);
}

/* A level names its route on the screens: given, or from its name; a short name fits 5 columns. */
static void
test_route_labels(void)
{
	static const char text[] =
	    "frontdoor: 1\n"
	    "name: t\n"
	    "version: \"1\"\n"
	    "levels:\n"
	    "  - {level: 1, name: Universal, route: universal}\n"
	    "  - {level: 2, name: Additional, route: early_help_unit, label: Early Help Unit}\n"
	    "  - {level: 3, name: Integrated, route: targeted_early_help, short: Int}\n"
	    "  - {level: 4, name: Acute, route: mash, label: Acute needs (MASH), short: \"Acute\"}\n"
	    IND_A RULES_A;
	struct loaded l;

	load(&l, text, strlen(text));
	CHECK(l.rs != NULL && l.d.nerrors == 0);
	if (l.rs != NULL) {
		CHECK_STR(l.rs->levels[0].label, "Universal");
		CHECK_STR(l.rs->levels[0].short_label, "Univ");
		CHECK_STR(l.rs->levels[1].label, "Early Help Unit");
		CHECK_STR(l.rs->levels[1].short_label, "EHU");
		CHECK_STR(l.rs->levels[2].label, "Integrated");
		CHECK_STR(l.rs->levels[2].short_label, "Int");
		CHECK_STR(l.rs->levels[3].label, "Acute needs (MASH)");
		CHECK_STR(l.rs->levels[3].short_label, "Acute");
	}
	unload(&l);
	REJECTED("frontdoor: 1\nname: t\nversion: \"1\"\nlevels:\n"
	    "  - {level: 1, name: U, route: universal}\n"
	    "  - {level: 2, name: E, route: early_help_unit, short: Early}\n"
	    "  - {level: 3, name: T, route: targeted_early_help}\n"
	    "  - {level: 4, name: S, route: mash, short: Specialist}\n" IND_A RULES_A,
	    "E015", 8, 45, "a route's short name takes at most 5 columns");
}

int
main(void)
{
	memset(&last, 0, sizeof last);
	test_e001_yaml_syntax();
	test_e002_anchor_and_alias();
	test_e003_explicit_tag();
	test_e004_yaml_too_deep();
	test_e004_condition_too_deep();
	test_e005_duplicate_key();
	test_e006_too_long();
	test_e006_file_too_large();
	test_e010_unknown_key();
	test_e011_wrong_type();
	test_e012_missing_key();
	test_e013_duplicate_id();
	test_e014_invalid_id();
	test_e015_invalid_value();
	test_route_labels();
	test_e020_undefined_indicator();
	test_e021_undefined_condition();
	test_e022_undefined_list();
	test_e023_undefined_fact();
	test_e024_undefined_flag();
	test_e025_condition_cycle();
	test_e026_type_mismatch();
	test_e027_value_not_allowed();
	test_e028_strengths();
	test_fact_with_fact_errors();
	test_validity_errors();
	test_e040_test_names_bad_rule();
	test_reports_every_error();
	test_warnings_do_not_reject();
	test_no_warnings_when_all_used();
	test_valid_file_loads();
	test_hash_is_of_the_bytes();
	test_load_file();
	test_compare_keys_by_name();
	test_writing_text_safely();
	unload(&last);
	return check_done();
}
