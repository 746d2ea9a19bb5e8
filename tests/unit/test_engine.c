/* test_engine.c: case parsing, every condition form, first-match routing, traces and output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rulefix.h"
#include "base/digest.h"
#include "rules/engine.h"
#include "store/record.h"

/* ---- fixtures ---- */

#define HEAD RULES_HEAD

/* Facts of every type, indicators of every level and domain, a flag, lists, conditions. */
#define PREAMBLE HEAD \
	"flags:\n" \
	"  sg: Safeguarding\n" \
	"facts:\n" \
	"  consent: {type: string, values: [given, refused, not_sought, not_required]}\n" \
	"  child.age: {type: integer, min: 0, max: 25, required: false}\n" \
	"  child.name: {type: string, required: false}\n" \
	"  referrer.agency: {type: string, required: false}\n" \
	"  score: {type: number, min: 0, max: 10, required: false}\n" \
	"  known: {type: boolean, required: false}\n" \
	"indicators:\n" \
	"  - {id: dev.l1, domain: development, level: 1, text: x}\n" \
	"  - {id: dev.l2, domain: development, level: 2, text: x}\n" \
	"  - {id: par.l2, domain: parenting, level: 2, text: x}\n" \
	"  - {id: par.l3, domain: parenting, level: 3, text: x}\n" \
	"  - {id: fam.l3, domain: family_environment, level: 3, text: x}\n" \
	"  - {id: fam.l4, domain: family_environment, level: 4, text: x, flags: [sg]}\n" \
	"lists:\n" \
	"  police: [police, btp]\n" \
	"  small: [1, 2, 3]\n" \
	"conditions:\n" \
	"  young: {fact: child.age, lt: 13}\n" \
	"  very_young: {all: [{condition: young}, {fact: child.age, lt: 5}]}\n"

/* A case with consent given; IND is the inside of the indicators list, MORE more members. */
#define CASE(ind, more) \
	"{\"case_id\":\"c\",\"consent\":\"given\",\"indicators\":[" ind "]" more "}"
#define AGE(n) ",\"child\":{\"age\":" #n "}"

/* Routing by levels, most serious first. */
static const char order_rules[] = PREAMBLE
    "rules:\n"
    "  - {id: sg, when: {count: {flag: sg}, at_least: 1}, route: mash, reason: S,"
    " urgency: red}\n"
    "  - {id: l3, when: {count: {level: 3}, at_least: 1}, route: targeted_early_help,"
    " reason: T, needs_consent: true}\n"
    "  - {id: l2, when: {count: {level: 2}, at_least: 1}, route: early_help_unit, reason: E}\n"
    "  - {id: rest, when: always, route: universal, reason: \"N \\\"quoted\\\"\"}\n";

struct fixture {
	struct ruleset *rs;
	struct case_facts cf;
	struct buf text;
};

static int
fixture_load(int srcline, struct fixture *fx, const char *text)
{
	struct diag d;

	memset(fx, 0, sizeof *fx);
	buf_init(&fx->text);
	buf_adds(&fx->text, text);
	diag_init(&d, "test.yaml", fx->text.data, fx->text.len);
	fx->rs = rules_load_buffer(fx->text.data, fx->text.len, &d);
	check_report(fx->rs != NULL, "the fixture's rules load", __FILE__, srcline);
	if (fx->rs == NULL)
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "    [%s %d:%d] %s\n", d.items[i].code, d.items[i].line,
			    d.items[i].col, d.items[i].msg);
	else
		case_init(&fx->cf, fx->rs);
	diag_free(&d);
	return fx->rs != NULL;
}

/* The preamble and two rules: 'hit' (to the MASH) when COND holds, else 'rest'. */
static int
fixture_open(int srcline, struct fixture *fx, const char *cond)
{
	struct buf b;
	int ok;

	buf_init(&b);
	buf_adds(&b, PREAMBLE "rules:\n  - {id: hit, when: ");
	buf_adds(&b, cond);
	buf_adds(&b, ", route: mash, reason: Hit}\n"
	    "  - {id: rest, when: always, route: universal, reason: Rest}\n");
	ok = fixture_load(srcline, fx, b.data);
	buf_free(&b);
	return ok;
}
#define OPEN(fx, cond) fixture_open(__LINE__, (fx), (cond))

static void
fixture_close(struct fixture *fx)
{
	if (fx->rs != NULL)
		case_free(&fx->cf);
	rules_free(fx->rs);
	buf_free(&fx->text);
	memset(fx, 0, sizeof *fx);
}

/* Parses and routes json: the rule index that fired, or -1 with *cause when rejected. */
static int
route_case(struct fixture *fx, const char *json, struct decision *d, char **cause)
{
	*cause = NULL;
	if (case_parse(&fx->cf, json, strlen(json), cause) < 0)
		return -1;
	if (engine_decide(fx->rs, &fx->cf, d, NULL) < 0)
		return -2;
	return d->rule;
}

/* Checks that json makes rule `want` fire (0 is 'hit', 1 is 'rest'). */
static void
expect_rule(int srcline, struct fixture *fx, const char *json, int want)
{
	struct decision d;
	char *cause = NULL;
	int got;

	if (fx->rs == NULL)
		return;
	got = route_case(fx, json, &d, &cause);
	check_report(got == want, json, __FILE__, srcline);
	if (got != want)
		fprintf(stderr, "    (wanted rule %d, got %d%s%s)\n", want, got,
		    cause ? ": " : "", cause ? cause : "");
	free(cause);
}
#define HITS(fx, json) expect_rule(__LINE__, (fx), (json), 0)
#define MISSES(fx, json) expect_rule(__LINE__, (fx), (json), 1)

/* Checks that json is rejected with a cause containing why, and never containing secret. */
static void
expect_rejected(int srcline, struct fixture *fx, const char *json, const char *why,
    const char *secret)
{
	struct decision d;
	char *cause = NULL;
	int got;

	if (fx->rs == NULL)
		return;
	got = route_case(fx, json, &d, &cause);
	check_report(got == -1, "the case is rejected", __FILE__, srcline);
	check_report(cause != NULL && strstr(cause, why) != NULL, why, __FILE__, srcline);
	if (secret != NULL)
		check_report(cause != NULL && strstr(cause, secret) == NULL,
		    "the cause does not quote the case", __FILE__, srcline);
	if (got != -1 || cause == NULL || strstr(cause, why) == NULL)
		fprintf(stderr, "    (%s: got %d, cause \"%s\")\n", json, got, cause ? cause : "");
	free(cause);
}
#define REJECTS(fx, json, why, secret) expect_rejected(__LINE__, (fx), (json), (why), (secret))

/* The decision line for json, with or without a trace; "" when rejected. */
static char *
decision_line(struct fixture *fx, const char *json, int with_trace)
{
	struct decision d;
	struct trace t;
	struct buf out;
	char *cause = NULL;

	buf_init(&out);
	trace_init(&t);
	if (case_parse(&fx->cf, json, strlen(json), &cause) == 0 &&
	    engine_decide(fx->rs, &fx->cf, &d, with_trace ? &t : NULL) == 0)
		engine_write_json(&out, fx->rs, &fx->cf, &d, with_trace ? &t : NULL);
	free(cause);
	trace_free(&t);
	return buf_steal(&out);
}

/* ---- comparisons ---- */

static void
test_eq_ne(void)
{
	struct fixture fx;

	OPEN(&fx, "{fact: consent, eq: refused}");
	MISSES(&fx, CASE("", ""));
	HITS(&fx, "{\"case_id\":\"c\",\"consent\":\"refused\",\"indicators\":[]}");
	fixture_close(&fx);

	OPEN(&fx, "{fact: consent, ne: given}");
	MISSES(&fx, CASE("", ""));
	HITS(&fx, "{\"case_id\":\"c\",\"consent\":\"not_sought\",\"indicators\":[]}");
	fixture_close(&fx);

	/* a free string compares byte for byte */
	OPEN(&fx, "{fact: referrer.agency, eq: police}");
	HITS(&fx, CASE("", ",\"referrer\":{\"agency\":\"police\"}"));
	HITS(&fx, CASE("", ",\"referrer\":{\"agency\":\"p\\u006flice\"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"Police\"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"police \"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"polic\"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"police\\u0000\"}"));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);

	/* ne does not hold on a missing fact: comparisons on it are false */
	OPEN(&fx, "{fact: referrer.agency, ne: police}");
	HITS(&fx, CASE("", ",\"referrer\":{\"agency\":\"health\"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"police\"}"));
	MISSES(&fx, CASE("", ""));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":null}"));
	fixture_close(&fx);

	OPEN(&fx, "{fact: child.age, eq: 12}");
	HITS(&fx, CASE("", AGE(12)));
	HITS(&fx, CASE("", AGE(12.0)));
	HITS(&fx, CASE("", AGE(1.2e1)));
	MISSES(&fx, CASE("", AGE(13)));
	fixture_close(&fx);
}

static void
test_order_comparisons(void)
{
	static const char *const ops[] = { "lt", "le", "gt", "ge" };
	/* whether each op against 13 holds for ages 12, 13 and 14 */
	static const int want[4][3] = { { 1, 0, 0 }, { 1, 1, 0 }, { 0, 0, 1 }, { 0, 1, 1 } };
	static const char *const ages[3] = { CASE("", AGE(12)), CASE("", AGE(13)), CASE("", AGE(14)) };
	struct fixture fx;
	char cond[64];

	for (int o = 0; o < 4; o++) {
		snprintf(cond, sizeof cond, "{fact: child.age, %s: 13}", ops[o]);
		if (!OPEN(&fx, cond))
			continue;
		for (int a = 0; a < 3; a++)
			expect_rule(__LINE__, &fx, ages[a], want[o][a] ? 0 : 1);
		/* a missing age holds for no comparison */
		MISSES(&fx, CASE("", ""));
		fixture_close(&fx);
	}
	OPEN(&fx, "{fact: score, gt: 0.5}");
	MISSES(&fx, CASE("", ",\"score\":0.5"));
	MISSES(&fx, CASE("", ",\"score\":5e-1"));
	HITS(&fx, CASE("", ",\"score\":0.51"));
	HITS(&fx, CASE("", ",\"score\":1"));
	MISSES(&fx, CASE("", ",\"score\":0"));
	fixture_close(&fx);
	OPEN(&fx, "{fact: score, le: 0.1}");
	HITS(&fx, CASE("", ",\"score\":0.1"));
	HITS(&fx, CASE("", ",\"score\":1e-1"));
	MISSES(&fx, CASE("", ",\"score\":0.10000000000000002"));
	fixture_close(&fx);
}

static void
test_booleans(void)
{
	struct fixture fx;

	OPEN(&fx, "{fact: known, eq: true}");
	HITS(&fx, CASE("", ",\"known\":true"));
	MISSES(&fx, CASE("", ",\"known\":false"));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);
	OPEN(&fx, "{fact: known, ne: true}");
	HITS(&fx, CASE("", ",\"known\":false"));
	MISSES(&fx, CASE("", ",\"known\":true"));
	MISSES(&fx, CASE("", ",\"known\":null"));
	fixture_close(&fx);
}

static void
test_in_not_in(void)
{
	struct fixture fx;

	OPEN(&fx, "{fact: consent, in: [refused, not_sought]}");
	MISSES(&fx, CASE("", ""));
	HITS(&fx, "{\"case_id\":\"c\",\"consent\":\"not_sought\",\"indicators\":[]}");
	fixture_close(&fx);
	OPEN(&fx, "{fact: consent, not_in: [given, refused]}");
	MISSES(&fx, CASE("", ""));
	HITS(&fx, "{\"case_id\":\"c\",\"consent\":\"not_required\",\"indicators\":[]}");
	fixture_close(&fx);
	OPEN(&fx, "{fact: referrer.agency, in: [police, health]}");
	HITS(&fx, CASE("", ",\"referrer\":{\"agency\":\"health\"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"school\"}"));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);
	OPEN(&fx, "{fact: referrer.agency, not_in: [police]}");
	HITS(&fx, CASE("", ",\"referrer\":{\"agency\":\"health\"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"police\"}"));
	MISSES(&fx, CASE("", ""));		/* missing: not_in is false too */
	fixture_close(&fx);
	OPEN(&fx, "{fact: child.age, in: [1, 3]}");
	HITS(&fx, CASE("", AGE(3)));
	MISSES(&fx, CASE("", AGE(2)));
	fixture_close(&fx);
}

static void
test_in_list_not_in_list(void)
{
	struct fixture fx;

	OPEN(&fx, "{fact: referrer.agency, in_list: police}");
	HITS(&fx, CASE("", ",\"referrer\":{\"agency\":\"btp\"}"));
	HITS(&fx, CASE("", ",\"referrer\":{\"agency\":\"police\"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"health\"}"));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);
	OPEN(&fx, "{fact: referrer.agency, not_in_list: police}");
	HITS(&fx, CASE("", ",\"referrer\":{\"agency\":\"health\"}"));
	MISSES(&fx, CASE("", ",\"referrer\":{\"agency\":\"btp\"}"));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);
	OPEN(&fx, "{fact: child.age, in_list: small}");
	HITS(&fx, CASE("", AGE(2)));
	MISSES(&fx, CASE("", AGE(4)));
	MISSES(&fx, CASE("", AGE(0)));
	fixture_close(&fx);
}

/* JSON null is the same as leaving a fact out. */
static void
test_present_missing_and_null(void)
{
	struct fixture fx;

	OPEN(&fx, "{present: child.age}");
	HITS(&fx, CASE("", AGE(0)));
	MISSES(&fx, CASE("", ""));
	MISSES(&fx, CASE("", ",\"child\":{\"age\":null}"));
	MISSES(&fx, CASE("", ",\"child\":null"));
	MISSES(&fx, CASE("", ",\"child\":{}"));
	MISSES(&fx, CASE("", ",\"child\":{\"name\":\"x\"}"));
	fixture_close(&fx);
	OPEN(&fx, "{missing: child.age}");
	HITS(&fx, CASE("", ""));
	HITS(&fx, CASE("", ",\"child\":{\"age\":null}"));
	HITS(&fx, CASE("", ",\"child\":5"));		/* not an object: nothing below it */
	MISSES(&fx, CASE("", AGE(7)));
	fixture_close(&fx);
	OPEN(&fx, "{missing: known}");
	HITS(&fx, CASE("", ",\"known\":null"));
	MISSES(&fx, CASE("", ",\"known\":false"));
	fixture_close(&fx);
}

/* ---- counts and indicators ---- */

static void
test_counts(void)
{
	struct fixture fx;

	OPEN(&fx, "{count: {level: 2}, at_least: 2}");
	MISSES(&fx, CASE("\"dev.l2\"", ""));
	HITS(&fx, CASE("\"dev.l2\",\"par.l2\"", ""));
	MISSES(&fx, CASE("\"dev.l2\",\"par.l3\",\"fam.l3\"", ""));
	/* the same indicator named twice counts once */
	MISSES(&fx, CASE("\"dev.l2\",\"dev.l2\"", ""));
	fixture_close(&fx);

	OPEN(&fx, "{count: {level: 3}, at_most: 1}");
	HITS(&fx, CASE("", ""));
	HITS(&fx, CASE("\"par.l3\",\"dev.l2\"", ""));
	MISSES(&fx, CASE("\"par.l3\",\"fam.l3\"", ""));
	fixture_close(&fx);

	OPEN(&fx, "{count: {}, at_least: 2, at_most: 3}");
	MISSES(&fx, CASE("\"dev.l1\"", ""));
	HITS(&fx, CASE("\"dev.l1\",\"dev.l2\"", ""));
	HITS(&fx, CASE("\"dev.l1\",\"dev.l2\",\"par.l2\"", ""));
	MISSES(&fx, CASE("\"dev.l1\",\"dev.l2\",\"par.l2\",\"par.l3\"", ""));
	fixture_close(&fx);

	OPEN(&fx, "{count: {ids: [dev.l1, fam.l4]}, at_least: 2}");
	HITS(&fx, CASE("\"fam.l4\",\"dev.l1\"", ""));
	MISSES(&fx, CASE("\"fam.l4\",\"dev.l2\",\"par.l2\"", ""));
	fixture_close(&fx);

	OPEN(&fx, "{count: {domain: parenting}, at_least: 2}");
	HITS(&fx, CASE("\"par.l2\",\"par.l3\"", ""));
	MISSES(&fx, CASE("\"par.l2\",\"dev.l2\"", ""));
	fixture_close(&fx);

	OPEN(&fx, "{count: {domain: [parenting, family_environment]}, at_least: 2}");
	HITS(&fx, CASE("\"par.l2\",\"fam.l3\"", ""));
	MISSES(&fx, CASE("\"par.l2\",\"dev.l1\"", ""));
	fixture_close(&fx);

	OPEN(&fx, "{count: {level: [3, 4]}, at_least: 2}");
	HITS(&fx, CASE("\"par.l3\",\"fam.l4\"", ""));
	MISSES(&fx, CASE("\"par.l3\",\"dev.l2\"", ""));
	fixture_close(&fx);

	OPEN(&fx, "{count: {flag: sg}, at_least: 1}");
	HITS(&fx, CASE("\"fam.l4\"", ""));
	MISSES(&fx, CASE("\"fam.l3\",\"par.l3\"", ""));
	fixture_close(&fx);

	/* every part of a selector must match */
	OPEN(&fx, "{count: {level: 3, domain: parenting}, at_least: 1}");
	HITS(&fx, CASE("\"par.l3\"", ""));
	MISSES(&fx, CASE("\"fam.l3\",\"par.l2\"", ""));
	fixture_close(&fx);
}

/* A domains condition counts the domains that hold a matching indicator, not the indicators. */
static void
test_domains(void)
{
	struct fixture fx;
	struct trace t;
	struct decision d;
	char *cause = NULL;
	const char *three = CASE("\"dev.l2\",\"par.l2\",\"par.l3\",\"fam.l3\"", "");

	OPEN(&fx, "{domains: {level: [2, 3]}, at_least: 2}");
	/* two needs of one domain are one domain */
	MISSES(&fx, CASE("\"par.l2\",\"par.l3\"", ""));
	HITS(&fx, CASE("\"par.l2\",\"fam.l3\"", ""));
	HITS(&fx, CASE("\"dev.l2\",\"par.l2\",\"fam.l3\"", ""));
	/* level 1 and 4 do not match the selector */
	MISSES(&fx, CASE("\"dev.l1\",\"fam.l4\",\"par.l3\"", ""));
	MISSES(&fx, CASE("", ""));
	/* the trace reads the number of domains */
	trace_init(&t);
	if (fx.rs != NULL && case_parse(&fx.cf, three, strlen(three), &cause) == 0 &&
	    engine_decide(fx.rs, &fx.cf, &d, &t) == 0) {
		CHECK_EQ(t.natoms, 1);
		CHECK(t.atoms[0].cond->kind == COND_DOMAINS && t.atoms[0].count == 3 &&
		    t.atoms[0].held);
	} else
		CHECK(!"the case routes");
	free(cause);
	trace_free(&t);
	fixture_close(&fx);

	OPEN(&fx, "{domains: {}, at_most: 1}");
	HITS(&fx, CASE("\"dev.l1\",\"dev.l2\"", ""));
	MISSES(&fx, CASE("\"dev.l1\",\"fam.l4\"", ""));
	fixture_close(&fx);

	/* a selector with a domain leaves the other domains out */
	OPEN(&fx, "{domains: {domain: [development, parenting]}, at_least: 2}");
	HITS(&fx, CASE("\"dev.l1\",\"par.l3\"", ""));
	MISSES(&fx, CASE("\"dev.l1\",\"fam.l3\"", ""));
	fixture_close(&fx);
}

static void
test_indicator(void)
{
	struct fixture fx;

	OPEN(&fx, "{indicator: par.l3}");
	HITS(&fx, CASE("\"par.l3\"", ""));
	HITS(&fx, CASE("\"dev.l1\",\"par.l3\"", ""));
	HITS(&fx, CASE("\"par.l\\u0033\"", ""));		/* escaped in the case */
	MISSES(&fx, CASE("\"par.l2\"", ""));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);
}

/* Cases naming many indicators: bit sets span more than one 64-bit word. */
static void
test_many_indicators(void)
{
	struct fixture fx;
	struct buf rules, c;

	buf_init(&rules);
	buf_init(&c);
	buf_adds(&rules, HEAD "indicators:\n");
	for (int i = 0; i < 150; i++)
		buf_printf(&rules, "  - {id: i%03d, domain: development, level: %d, text: x}\n",
		    i, i % 2 ? 3 : 2);
	buf_adds(&rules, "rules:\n"
	    "  - {id: hit, when: {all: [{indicator: i149}, {count: {level: 3}, at_least: 70}]},"
	    " route: mash, reason: H}\n"
	    "  - {id: rest, when: always, route: universal, reason: R}\n");
	if (fixture_load(__LINE__, &fx, rules.data)) {
		buf_adds(&c, "{\"case_id\":\"c\",\"indicators\":[");
		for (int i = 0; i < 150; i++)
			buf_printf(&c, "%s\"i%03d\"", i ? "," : "", i);
		buf_adds(&c, "]}");
		expect_rule(__LINE__, &fx, c.data, 0);	/* 75 at level 3 */
		buf_reset(&c);
		buf_adds(&c, "{\"case_id\":\"c\",\"indicators\":[");
		for (int i = 1; i < 138; i += 2)
			buf_printf(&c, "%s\"i%03d\"", i > 1 ? "," : "", i);
		buf_adds(&c, ",\"i149\"]}");
		expect_rule(__LINE__, &fx, c.data, 0);	/* 69 + i149: 70 at level 3 */
		buf_reset(&c);
		buf_adds(&c, "{\"case_id\":\"c\",\"indicators\":[");
		for (int i = 1; i < 136; i += 2)
			buf_printf(&c, "%s\"i%03d\"", i > 1 ? "," : "", i);
		buf_adds(&c, ",\"i149\"]}");
		expect_rule(__LINE__, &fx, c.data, 1);	/* 68 + i149: 69 */
		CHECK_EQ(rules_find_indicator(fx.rs, "i149", 4), 149);
		CHECK_EQ(rules_find_indicator(fx.rs, "i150", 4), -1);
	}
	fixture_close(&fx);
	buf_free(&rules);
	buf_free(&c);
}

/* Facts three segments deep, siblings below one segment, keys with dots and escapes. */
static void
test_deep_fact_paths(void)
{
	struct fixture fx;

	if (!fixture_load(__LINE__, &fx, HEAD "facts:\n"
	    "  a.b.c: {type: integer, required: false}\n"
	    "  a.b.e: {type: boolean, required: false}\n"
	    "  a.d: {type: string, required: false}\n"
	    "indicators:\n"
	    "  - {id: i, domain: development, level: 2, text: x}\n"
	    "rules:\n"
	    "  - {id: deep, when: {all: [{fact: a.b.c, eq: 3}, {fact: a.b.e, eq: true}]},"
	    " route: mash, reason: D}\n"
	    "  - {id: side, when: {fact: a.d, eq: x}, route: early_help_unit, reason: S}\n"
	    "  - {id: two, when: {indicator: i}, route: early_help_unit, reason: I}\n"
	    "  - {id: rest, when: always, route: universal, reason: R}\n"))
		return;
	expect_rule(__LINE__, &fx,
	    "{\"case_id\":\"c\",\"indicators\":[],\"a\":{\"b\":{\"c\":3,\"e\":true}}}", 0);
	expect_rule(__LINE__, &fx,
	    "{\"case_id\":\"c\",\"indicators\":[],\"a\":{\"d\":\"x\",\"b\":{\"e\":true,\"c\":3}}}",
	    0);
	expect_rule(__LINE__, &fx,
	    "{\"a\":{\"b\":{\"c\":4,\"e\":true},\"d\":\"x\"},\"case_id\":\"c\",\"indicators\":[]}",
	    1);
	/* a key holding a dot is not a path, at any depth */
	expect_rule(__LINE__, &fx,
	    "{\"case_id\":\"c\",\"indicators\":[],\"a.b\":{\"c\":3,\"e\":true}}", 3);
	expect_rule(__LINE__, &fx,
	    "{\"case_id\":\"c\",\"indicators\":[],\"a\":{\"b.c\":3,\"b.e\":true}}", 3);
	/* keys are read unescaped; a segment that is not an object holds no facts */
	expect_rule(__LINE__, &fx,
	    "{\"case_id\":\"c\",\"indicators\":[],\"a\":{\"\\u0062\":{\"c\":3,\"e\":true}}}", 0);
	expect_rule(__LINE__, &fx, "{\"case_id\":\"c\",\"indicators\":[],\"a\":{\"b\":[3]}}", 3);
	expect_rejected(__LINE__, &fx,
	    "{\"case_id\":\"c\",\"indicators\":[],\"a\":{\"b\":{\"c\":\"3\"}}}",
	    "fact 'a.b.c' must be a number", NULL);
	fixture_close(&fx);
}

/* ---- junctions, named conditions, always ---- */

static void
test_all_any_not(void)
{
	struct fixture fx;

	OPEN(&fx, "{all: [{indicator: dev.l2}, {fact: child.age, lt: 13}]}");
	HITS(&fx, CASE("\"dev.l2\"", AGE(12)));
	MISSES(&fx, CASE("\"dev.l2\"", AGE(13)));
	MISSES(&fx, CASE("\"par.l2\"", AGE(12)));
	MISSES(&fx, CASE("\"dev.l2\"", ""));
	fixture_close(&fx);

	OPEN(&fx, "{any: [{indicator: dev.l2}, {fact: child.age, lt: 13}]}");
	HITS(&fx, CASE("\"dev.l2\"", AGE(20)));
	HITS(&fx, CASE("", AGE(12)));
	MISSES(&fx, CASE("", AGE(13)));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);

	OPEN(&fx, "{not: {fact: child.age, lt: 13}}");
	HITS(&fx, CASE("", AGE(13)));
	MISSES(&fx, CASE("", AGE(12)));
	HITS(&fx, CASE("", ""));		/* the comparison fails on a missing age */
	fixture_close(&fx);

	OPEN(&fx, "{not: {not: {indicator: fam.l3}}}");
	HITS(&fx, CASE("\"fam.l3\"", ""));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);

	OPEN(&fx, "{any: [{all: [{indicator: dev.l1}, {indicator: dev.l2}]}, "
	    "{all: [{not: {indicator: dev.l1}}, {indicator: par.l2}]}]}");
	HITS(&fx, CASE("\"dev.l1\",\"dev.l2\"", ""));
	HITS(&fx, CASE("\"par.l2\"", ""));
	MISSES(&fx, CASE("\"dev.l1\",\"par.l2\"", ""));
	fixture_close(&fx);
}

static void
test_condition_refs_and_always(void)
{
	struct fixture fx;

	OPEN(&fx, "{condition: very_young}");	/* refers to 'young' in turn */
	HITS(&fx, CASE("", AGE(4)));
	MISSES(&fx, CASE("", AGE(5)));
	MISSES(&fx, CASE("", AGE(12)));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);

	OPEN(&fx, "{all: [{condition: young}, {not: {condition: very_young}}]}");
	HITS(&fx, CASE("", AGE(5)));
	HITS(&fx, CASE("", AGE(12)));
	MISSES(&fx, CASE("", AGE(4)));
	MISSES(&fx, CASE("", AGE(13)));
	fixture_close(&fx);

	/* the rule after 'hit' is 'always': it takes everything else */
	OPEN(&fx, "{all: [always, {indicator: dev.l1}]}");
	HITS(&fx, CASE("\"dev.l1\"", ""));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);
}

/* ---- routing order and output ---- */

static void
test_first_match_wins(void)
{
	struct fixture fx;
	struct decision d;
	char *cause;

	if (!fixture_load(__LINE__, &fx, order_rules))
		return;
	CHECK_EQ(route_case(&fx, CASE("\"dev.l2\",\"par.l3\",\"fam.l4\"", ""), &d, &cause), 0);
	CHECK_EQ(d.route, ROUTE_MASH);
	CHECK_EQ(d.level, 4);
	CHECK_EQ(route_case(&fx, CASE("\"dev.l2\",\"par.l3\"", ""), &d, &cause), 1);
	CHECK_EQ(d.route, ROUTE_TARGETED_EARLY_HELP);
	CHECK_EQ(d.level, 3);
	CHECK_EQ(route_case(&fx, CASE("\"dev.l2\"", ""), &d, &cause), 2);
	CHECK_EQ(d.route, ROUTE_EARLY_HELP_UNIT);
	CHECK_EQ(d.level, 2);
	CHECK_EQ(route_case(&fx, CASE("\"dev.l1\"", ""), &d, &cause), 3);
	CHECK_EQ(d.route, ROUTE_UNIVERSAL);
	CHECK_EQ(d.level, 1);
	fixture_close(&fx);
}

/* The decision line is exactly the DESIGN.md contract, then urgency and consent. */
static void
test_decision_json_contract(void)
{
	struct fixture fx;
	struct buf want;
	char hex[65], *line;

	if (!fixture_load(__LINE__, &fx, order_rules))
		return;
	digest_sha256_hex(order_rules, sizeof order_rules - 1, hex);
	buf_init(&want);
	line = decision_line(&fx, "{\"case_id\":\"X\",\"consent\":\"given\",\"indicators\":[\"fam.l4\"]}",
	    0);
	buf_printf(&want, "{\"case_id\":\"X\",\"route\":\"mash\",\"level\":4,\"rule\":\"sg\","
	    "\"ruleset\":\"sha256:%s\"", hex);
	CHECK(strncmp(line, want.data, want.len) == 0);
	buf_adds(&want, ",\"urgency\":\"red\",\"needs_consent\":false}\n");
	CHECK(check_streq(line, want.data));
	if (!check_streq(line, want.data))
		fprintf(stderr, "    got:  %s    want: %s", line, want.data);
	CHECK(strstr(line, "\"trace\"") == NULL && strstr(line, "\"reason\"") == NULL);
	free(line);

	buf_reset(&want);
	line = decision_line(&fx, "{\"case_id\":\"Y\",\"consent\":\"given\",\"indicators\":[\"par.l3\"]}",
	    0);
	buf_printf(&want, "{\"case_id\":\"Y\",\"route\":\"targeted_early_help\",\"level\":3,"
	    "\"rule\":\"l3\",\"ruleset\":\"sha256:%s\",\"needs_consent\":true}\n", hex);
	CHECK(check_streq(line, want.data));
	free(line);
	buf_free(&want);
	fixture_close(&fx);
}

/*
 * A rule that states a level of need apart from its route's: the decision
 * carries both, the line adds need_level, and rules without it find their
 * route's level.
 */
static void
test_need_level(void)
{
	static const char rules[] = PREAMBLE
	    "rules:\n"
	    "  - {id: refused, when: {all: [{count: {level: 3}, at_least: 1},"
	    " {fact: consent, eq: refused}]}, route: early_help_unit, need_level: 3, reason: R}\n"
	    "  - {id: l3, when: {count: {level: 3}, at_least: 1}, route: targeted_early_help,"
	    " need_level: 3, reason: T}\n"
	    "  - {id: rest, when: always, route: universal, reason: N}\n";
	struct fixture fx;
	struct decision d;
	char *cause = NULL, *line;

	if (!fixture_load(__LINE__, &fx, rules))
		return;
	CHECK_EQ(fx.rs->rules[0].level, 2);
	CHECK_EQ(fx.rs->rules[0].need_level, 3);
	CHECK_EQ(fx.rs->rules[1].need_level, 3);
	CHECK_EQ(fx.rs->rules[2].need_level, 1);
	CHECK_EQ(route_case(&fx, "{\"case_id\":\"c\",\"consent\":\"refused\","
	    "\"indicators\":[\"par.l3\"]}", &d, &cause), 0);
	CHECK_EQ(d.route, ROUTE_EARLY_HELP_UNIT);
	CHECK_EQ(d.level, 2);
	CHECK_EQ(d.need_level, 3);
	line = decision_line(&fx, "{\"case_id\":\"c\",\"consent\":\"refused\","
	    "\"indicators\":[\"par.l3\"]}", 0);
	CHECK_CONTAINS(line, "\"route\":\"early_help_unit\",\"level\":2,\"need_level\":3,"
	    "\"rule\":\"refused\"");
	free(line);
	/* stated, but the same as the route's: the line is as without it */
	line = decision_line(&fx, CASE("\"par.l3\"", ""), 0);
	CHECK_CONTAINS(line, "\"level\":3,\"rule\":\"l3\"");
	CHECK(strstr(line, "need_level") == NULL);
	free(line);
	CHECK_EQ(route_case(&fx, CASE("", ""), &d, &cause), 2);
	CHECK_EQ(d.need_level, 1);
	fixture_close(&fx);
}

/* A case names strengths among its indicators: never counted, listed with the decision. */
static void
test_strengths(void)
{
	static const char rules[] = HEAD
	    "indicators:\n"
	    "  - {id: dev.l2, domain: development, level: 2, text: x}\n"
	    "  - {id: par.s1, domain: parenting, strength: true, text: x}\n"
	    "  - {id: fam.s2, domain: family_environment, strength: true, text: x}\n"
	    "rules:\n"
	    "  - {id: any, when: {count: {}, at_least: 1}, route: early_help_unit, reason: E}\n"
	    "  - {id: rest, when: always, route: universal, reason: N}\n";
	struct fixture fx;
	struct decision d;
	struct trace t;
	struct buf out;
	char *cause = NULL;
	const char *c1 = "{\"case_id\":\"c\",\"indicators\":[\"fam.s2\",\"par.s1\"]}";
	const char *c2 = "{\"case_id\":\"c\",\"indicators\":[\"dev.l2\",\"fam.s2\"]}";

	if (!fixture_load(__LINE__, &fx, rules))
		return;
	trace_init(&t);
	buf_init(&out);
	/* strengths alone: no need counted, so no additional needs */
	CHECK(case_parse(&fx.cf, c1, strlen(c1), &cause) == 0);
	CHECK(engine_decide(fx.rs, &fx.cf, &d, &t) == 0 && d.rule == 1);
	engine_write_json(&out, fx.rs, &fx.cf, &d, &t);
	buf_addc(&out, '\0');
	/* listed in the file's order, whatever the case's */
	CHECK_CONTAINS(out.data, "\"reason\":\"N\",\"strengths\":[\"par.s1\",\"fam.s2\"],\"trace\"");
	buf_reset(&out);
	engine_write_detail_json(&out, fx.rs, &fx.cf, &d, &t);
	buf_addc(&out, '\0');
	CHECK_CONTAINS(out.data, ",\"strengths\":[\"par.s1\",\"fam.s2\"]}");
	/* a need and a strength: the need routes, the strength is listed */
	CHECK(case_parse(&fx.cf, c2, strlen(c2), &cause) == 0);
	CHECK(engine_decide(fx.rs, &fx.cf, &d, &t) == 0 && d.rule == 0);
	buf_reset(&out);
	engine_write_detail_json(&out, fx.rs, &fx.cf, &d, &t);
	buf_addc(&out, '\0');
	CHECK_CONTAINS(out.data, ",\"strengths\":[\"fam.s2\"]}");
	/* without strengths, no member */
	buf_reset(&out);
	CHECK(case_parse(&fx.cf, CASE("\"dev.l2\"", ""), strlen(CASE("\"dev.l2\"", "")), &cause) == 0);
	CHECK(engine_decide(fx.rs, &fx.cf, &d, &t) == 0);
	engine_write_json(&out, fx.rs, &fx.cf, &d, &t);
	buf_addc(&out, '\0');
	CHECK(strstr(out.data, "strengths") == NULL);
	free(cause);
	buf_free(&out);
	trace_free(&t);
	fixture_close(&fx);
}

/* An urgency set by conditions: the first of red, amber, green that holds, in the line and detail. */
static void
test_urgency_by_condition(void)
{
	static const char rules[] = PREAMBLE
	    "rules:\n"
	    "  - id: hit\n"
	    "    when: {count: {level: [3, 4]}, at_least: 1}\n"
	    "    route: mash\n"
	    "    reason: H\n"
	    "    needs_consent: true\n"
	    "    urgency:\n"
	    "      green: always\n"
	    "      red: {condition: very_young}\n"
	    "      amber: {count: {level: 4}, at_least: 1}\n"
	    "  - id: l2\n"
	    "    when: {count: {level: 2}, at_least: 1}\n"
	    "    route: early_help_unit\n"
	    "    reason: E\n"
	    "    urgency: {amber: {condition: young}}\n"
	    "  - {id: rest, when: always, route: universal, reason: N}\n";
	struct fixture fx;
	struct decision d;
	struct buf out;
	char *cause = NULL, *line;

	if (!fixture_load(__LINE__, &fx, rules))
		return;
	CHECK(fx.rs->rules[0].urgency_by_cond && fx.rs->rules[0].urgency == URGENCY_NONE);
	/* red wins over amber and green, whatever the order written */
	CHECK_EQ(route_case(&fx, CASE("\"fam.l4\"", AGE(3)), &d, &cause), 0);
	CHECK_EQ(d.urgency, URGENCY_RED);
	CHECK_EQ(route_case(&fx, CASE("\"fam.l4\"", AGE(9)), &d, &cause), 0);
	CHECK_EQ(d.urgency, URGENCY_AMBER);
	CHECK_EQ(route_case(&fx, CASE("\"par.l3\"", AGE(9)), &d, &cause), 0);
	CHECK_EQ(d.urgency, URGENCY_GREEN);
	/* no condition holds: no urgency */
	CHECK_EQ(route_case(&fx, CASE("\"dev.l2\"", AGE(15)), &d, &cause), 1);
	CHECK_EQ(d.urgency, URGENCY_NONE);
	CHECK_EQ(route_case(&fx, CASE("\"dev.l2\"", AGE(12)), &d, &cause), 1);
	CHECK_EQ(d.urgency, URGENCY_AMBER);
	/* the line has it where a fixed urgency goes, before needs_consent */
	line = decision_line(&fx, CASE("\"fam.l4\"", AGE(3)), 0);
	CHECK_CONTAINS(line, "\"rule\":\"hit\",\"ruleset\":\"sha256:");
	CHECK_CONTAINS(line, "\",\"urgency\":\"red\",\"needs_consent\":true}\n");
	free(line);
	line = decision_line(&fx, CASE("\"dev.l2\"", AGE(15)), 0);
	CHECK(strstr(line, "urgency") == NULL);
	CHECK_CONTAINS(line, "\",\"needs_consent\":false}\n");
	free(line);
	buf_init(&out);
	CHECK_EQ(route_case(&fx, CASE("\"fam.l4\"", AGE(9)), &d, &cause), 0);
	engine_write_detail_json(&out, fx.rs, &fx.cf, &d, NULL);
	buf_addc(&out, '\0');
	CHECK(strncmp(out.data, "{\"urgency\":\"amber\",", 19) == 0);
	buf_free(&out);
	fixture_close(&fx);
}

/* One fact compared with another: both read, a missing one makes it fail. */
static void
test_fact_with_fact(void)
{
	static const char rules[] = HEAD
	    "facts:\n"
	    "  child.age: {type: integer, required: false}\n"
	    "  parent.age: {type: number, required: false}\n"
	    "  a: {type: string, values: [x, y], required: false}\n"
	    "  b: {type: string, values: [y, z], required: false}\n"
	    "indicators:\n"
	    "  - {id: dev.l2, domain: development, level: 2, text: x}\n"
	    "rules:\n"
	    "  - {id: older, when: {fact: child.age, ge: {fact: parent.age}}, route: mash, reason: M}\n"
	    "  - {id: same, when: {fact: a, eq: {fact: b}}, route: early_help_unit, reason: E}\n"
	    "  - {id: rest, when: always, route: universal, reason: N}\n";
	struct fixture fx;
	struct decision d;
	char *cause = NULL, *line;

	if (!fixture_load(__LINE__, &fx, rules))
		return;
#define FF(more) "{\"case_id\":\"c\",\"indicators\":[]" more "}"
	CHECK_EQ(route_case(&fx, FF(",\"child\":{\"age\":15},\"parent\":{\"age\":14.5}"), &d,
	    &cause), 0);
	CHECK_EQ(route_case(&fx, FF(",\"child\":{\"age\":15},\"parent\":{\"age\":15}"), &d,
	    &cause), 0);
	CHECK_EQ(route_case(&fx, FF(",\"child\":{\"age\":15},\"parent\":{\"age\":15.5}"), &d,
	    &cause), 2);
	/* either fact missing: the comparison fails */
	CHECK_EQ(route_case(&fx, FF(",\"child\":{\"age\":15}"), &d, &cause), 2);
	CHECK_EQ(route_case(&fx, FF(",\"parent\":{\"age\":15}"), &d, &cause), 2);
	/* strings of two value lists compare by their text */
	CHECK_EQ(route_case(&fx, FF(",\"a\":\"y\",\"b\":\"y\""), &d, &cause), 1);
	CHECK_EQ(route_case(&fx, FF(",\"a\":\"x\",\"b\":\"z\""), &d, &cause), 2);
	/* the trace reads both values, and describes both facts */
	line = decision_line(&fx, FF(",\"child\":{\"age\":15}"), 1);
	CHECK_CONTAINS(line, "{\"test\":\"child.age >= parent.age\",\"read\":[15,null],"
	    "\"held\":false}");
	free(line);
#undef FF
	fixture_close(&fx);
}

/* A validity rule rejects an inconsistent case with the rule set's own words. */
static void
test_validity(void)
{
	static const char rules[] = PREAMBLE
	    "validity:\n"
	    "  - id: age_and_unborn\n"
	    "    when: {all: [{present: child.age}, {fact: known, eq: true}]}\n"
	    "    message: An unborn child has an expected date, not an age.\n"
	    "rules:\n"
	    "  - {id: any, when: {count: {}, at_least: 1}, route: early_help_unit, reason: E}\n"
	    "  - {id: rest, when: always, route: universal, reason: N}\n";
	struct fixture fx;
	struct decision d;
	char *cause = NULL;

	if (!fixture_load(__LINE__, &fx, rules))
		return;
	CHECK_EQ(fx.rs->nvalidity, 1);
	CHECK_EQ(route_case(&fx, CASE("\"dev.l2\"", AGE(3) ",\"known\":true"), &d, &cause), -1);
	CHECK_STR(cause, "inconsistent case (validity rule 'age_and_unborn'): An unborn child has "
	    "an expected date, not an age.");
	free(cause);
	CHECK_EQ(route_case(&fx, CASE("\"dev.l2\"", AGE(3) ",\"known\":false"), &d, &cause), 0);
	CHECK_EQ(route_case(&fx, CASE("", ",\"known\":true"), &d, &cause), 1);
	fixture_close(&fx);
}

/* Traces keep the nesting: an all or any inside a rule's condition wraps its checks. */
static void
test_trace_nesting(void)
{
	struct fixture fx;
	struct decision d;
	struct trace t;
	struct buf out;
	char *cause = NULL, *line;
	const char *json = CASE("\"dev.l2\"", AGE(3));

	if (!OPEN(&fx, "{all: [{count: {level: 2}, at_least: 1}, {any: [{fact: child.age, "
	    "gt: 10}, {all: [{condition: young}, {not: {any: [{indicator: fam.l4}, "
	    "{indicator: par.l3}]}}]}]}]}"))
		return;
	line = decision_line(&fx, json, 1);
	CHECK_CONTAINS(line, "\"checks\":[{\"test\":\"count(level 2) >= 1\",\"read\":1,"
	    "\"matched\":[\"dev.l2\"],\"held\":true},{\"any\":[{\"test\":\"child.age > 10\","
	    "\"read\":3,\"held\":false},{\"all\":[{\"test\":\"child.age < 13\",\"read\":3,"
	    "\"held\":true},{\"any\":[{\"test\":\"indicator fam.l4\",\"read\":false,"
	    "\"held\":false},{\"test\":\"indicator par.l3\",\"read\":false,\"held\":false}],"
	    "\"held\":false},{\"test\":\"not(any(indicator fam.l4, indicator par.l3))\","
	    "\"read\":null,\"held\":true}],\"held\":true}],\"held\":true}]}");
	free(line);
	trace_init(&t);
	buf_init(&out);
	CHECK_EQ(case_parse(&fx.cf, json, strlen(json), &cause), 0);
	CHECK_EQ(engine_decide(fx.rs, &fx.cf, &d, &t), 0);
	engine_write_trace_text(&out, fx.rs, &fx.cf, &t);
	CHECK_STR(out.data,
	    "    rule hit: fires\n"
	    "      count(level 2) >= 1  (read 1: dev.l2)  holds\n"
	    "      any:  holds\n"
	    "        child.age > 10  (read 3)  fails\n"
	    "        all:  holds\n"
	    "          child.age < 13  (read 3)  holds\n"
	    "          any:  fails\n"
	    "            indicator fam.l4  (read false)  fails\n"
	    "            indicator par.l3  (read false)  fails\n"
	    "          not(any(indicator fam.l4, indicator par.l3))  (read null)  holds\n");
	buf_free(&out);
	trace_free(&t);
	free(cause);
	fixture_close(&fx);
}

/* case_id is unescaped on reading: an escaped safe id is the same id. */
static void
test_case_id_escapes(void)
{
	struct fixture fx;
	char *line;

	if (!fixture_load(__LINE__, &fx, order_rules))
		return;
	line = decision_line(&fx, "{\"case_id\":\"C-\\u0031\\/a.b_c\","
	    "\"consent\":\"given\",\"indicators\":[]}", 0);
	CHECK(strncmp(line, "{\"case_id\":\"C-1/a.b_c\",", 23) == 0);
	free(line);
	fixture_close(&fx);
}

/* ---- traces ---- */

static void
test_trace_records_rules_and_atoms(void)
{
	struct fixture fx;
	struct decision d;
	struct trace t;
	char *cause = NULL;
	const char *json = CASE("\"dev.l2\",\"par.l2\"", "");

	if (!fixture_load(__LINE__, &fx, order_rules))
		return;
	trace_init(&t);
	CHECK_EQ(case_parse(&fx.cf, json, strlen(json), &cause), 0);
	CHECK_EQ(engine_decide(fx.rs, &fx.cf, &d, &t), 0);
	CHECK_EQ(d.rule, 2);
	CHECK_EQ(t.nrules, 3);		/* sg, l3 tried and failed; l2 fired; rest not tried */
	CHECK_EQ(t.natoms, 3);
	if (t.nrules == 3 && t.natoms == 3) {
		CHECK(t.rules[0].rule == 0 && !t.rules[0].held && t.rules[0].n == 1);
		CHECK(t.rules[1].rule == 1 && !t.rules[1].held && t.rules[1].first == 1);
		CHECK(t.rules[2].rule == 2 && t.rules[2].held && t.rules[2].first == 2);
		CHECK(t.atoms[0].cond->kind == COND_COUNT && t.atoms[0].count == 0 &&
		    !t.atoms[0].held);
		CHECK(t.atoms[1].count == 0 && !t.atoms[1].held);
		CHECK(t.atoms[2].count == 2 && t.atoms[2].held);
	}
	/* the same trace reused for the next case starts again */
	json = CASE("", "");
	CHECK_EQ(case_parse(&fx.cf, json, strlen(json), &cause), 0);
	CHECK_EQ(engine_decide(fx.rs, &fx.cf, &d, &t), 0);
	CHECK_EQ(d.rule, 3);
	CHECK_EQ(t.nrules, 4);
	CHECK_EQ(t.natoms, 4);
	if (t.natoms == 4)
		CHECK(t.atoms[3].cond->kind == COND_ALWAYS && t.atoms[3].held);
	trace_free(&t);
	free(cause);
	fixture_close(&fx);
}

/* Only the atoms actually evaluated are recorded: all/any stop early. */
static void
test_trace_short_circuits(void)
{
	struct fixture fx;
	struct decision d;
	struct trace t;
	char *cause = NULL;
	const char *json;

	if (!OPEN(&fx, "{all: [{fact: child.age, lt: 13}, {fact: consent, eq: given}, "
	    "{any: [{indicator: dev.l1}, {indicator: dev.l2}]}]}"))
		return;
	trace_init(&t);
	json = CASE("\"dev.l1\"", AGE(14));
	CHECK_EQ(case_parse(&fx.cf, json, strlen(json), &cause), 0);
	CHECK_EQ(engine_decide(fx.rs, &fx.cf, &d, &t), 0);
	CHECK_EQ(d.rule, 1);
	CHECK(t.nrules == 2 && t.rules[0].n == 1 && !t.rules[0].held);
	json = CASE("\"dev.l1\"", AGE(12));
	CHECK_EQ(case_parse(&fx.cf, json, strlen(json), &cause), 0);
	CHECK_EQ(engine_decide(fx.rs, &fx.cf, &d, &t), 0);
	CHECK_EQ(d.rule, 0);
	/* the nested any is an atom of its own, holding the one part it tried */
	CHECK(t.nrules == 1 && t.rules[0].n == 4 && t.rules[0].held);	/* dev.l2 not tried */
	if (t.natoms == 4) {
		CHECK(t.atoms[2].cond->kind == COND_ANY && t.atoms[2].held && t.atoms[2].count == 1);
		CHECK(t.atoms[3].cond->kind == COND_INDICATOR && t.atoms[3].held);
	}
	trace_free(&t);
	free(cause);
	fixture_close(&fx);
}

static void
test_trace_json(void)
{
	struct fixture fx;
	struct buf want;
	char hex[65], *line;

	if (!fixture_load(__LINE__, &fx, order_rules))
		return;
	digest_sha256_hex(order_rules, sizeof order_rules - 1, hex);
	buf_init(&want);
	buf_printf(&want, "{\"case_id\":\"T\",\"route\":\"early_help_unit\",\"level\":2,"
	    "\"rule\":\"l2\",\"ruleset\":\"sha256:%s\",\"needs_consent\":false,"
	    "\"reason\":\"E\",\"trace\":["
	    "{\"rule\":\"sg\",\"held\":false,\"checks\":[{\"test\":\"count(flag sg) >= 1\","
	    "\"read\":0,\"matched\":[],\"held\":false}]},"
	    "{\"rule\":\"l3\",\"held\":false,\"checks\":[{\"test\":\"count(level 3) >= 1\","
	    "\"read\":0,\"matched\":[],\"held\":false}]},"
	    "{\"rule\":\"l2\",\"held\":true,\"checks\":[{\"test\":\"count(level 2) >= 1\","
	    "\"read\":2,\"matched\":[\"dev.l2\",\"par.l2\"],\"held\":true}]}]}\n", hex);
	line = decision_line(&fx, "{\"case_id\":\"T\",\"consent\":\"given\","
	    "\"indicators\":[\"dev.l2\",\"par.l2\"]}", 1);
	CHECK(check_streq(line, want.data));
	if (!check_streq(line, want.data))
		fprintf(stderr, "    got:  %s    want: %s", line, want.data);
	free(line);
	/* the catch-all's reason is escaped */
	line = decision_line(&fx, "{\"case_id\":\"U\",\"consent\":\"given\",\"indicators\":[]}", 1);
	CHECK_CONTAINS(line, ",\"reason\":\"N \\\"quoted\\\"\",\"trace\":[");
	CHECK_CONTAINS(line, "{\"rule\":\"rest\",\"held\":true,\"checks\":[{\"test\":\"always\","
	    "\"read\":null,\"held\":true}]}]}\n");
	free(line);
	buf_free(&want);
	fixture_close(&fx);
}

/* Fact atoms show the value they read; a missing fact reads as null. */
static void
test_trace_json_fact_values(void)
{
	struct fixture fx;
	char *line;

	if (!OPEN(&fx, "{all: [{fact: child.age, ge: 13}, {fact: consent, eq: given}, "
	    "{fact: score, lt: 0.25}, {fact: known, eq: true}, {fact: referrer.agency, in_list: police}]}"))
		return;
	line = decision_line(&fx, CASE("", AGE(13) ",\"score\":0.1,\"known\":true,"
	    "\"referrer\":{\"agency\":\"p\\u006flice\"}"), 1);
	CHECK_CONTAINS(line, "{\"test\":\"child.age >= 13\",\"read\":13,\"held\":true}");
	CHECK_CONTAINS(line, "{\"test\":\"consent = \\\"given\\\"\",\"read\":\"given\",\"held\":true}");
	CHECK_CONTAINS(line, "{\"test\":\"score < 0.25\",\"read\":0.1,\"held\":true}");
	CHECK_CONTAINS(line, "{\"test\":\"known = true\",\"read\":true,\"held\":true}");
	CHECK_CONTAINS(line, "{\"test\":\"referrer.agency in police\",\"read\":\"police\","
	    "\"held\":true}");
	CHECK_CONTAINS(line, "\"rule\":\"hit\"");
	free(line);
	line = decision_line(&fx, CASE("", ""), 1);
	CHECK_CONTAINS(line, "{\"test\":\"child.age >= 13\",\"read\":null,\"held\":false}");
	CHECK_CONTAINS(line, "\"route\":\"universal\",\"level\":1,\"rule\":\"rest\"");
	free(line);
	fixture_close(&fx);
}

static void
test_trace_text(void)
{
	struct fixture fx;
	struct decision d;
	struct trace t;
	struct buf out;
	char *cause = NULL;
	const char *json = CASE("\"par.l3\"", "");

	if (!fixture_load(__LINE__, &fx, order_rules))
		return;
	trace_init(&t);
	buf_init(&out);
	CHECK_EQ(case_parse(&fx.cf, json, strlen(json), &cause), 0);
	CHECK_EQ(engine_decide(fx.rs, &fx.cf, &d, &t), 0);
	engine_write_trace_text(&out, fx.rs, &fx.cf, &t);
	CHECK_STR(out.data,
	    "    rule sg: does not fire\n"
	    "      count(flag sg) >= 1  (read 0)  fails\n"
	    "    rule l3: fires\n"
	    "      count(level 3) >= 1  (read 1: par.l3)  holds\n");
	buf_free(&out);
	trace_free(&t);
	free(cause);
	fixture_close(&fx);
}

/* ---- rejected cases ---- */

static void
test_case_errors(void)
{
	struct fixture fx;

	if (!OPEN(&fx, "{indicator: dev.l2}"))
		return;
	/* not even an id-like indicator is quoted back: it is case data too */
	REJECTS(&fx, CASE("\"no.such\"", ""),
	    "indicator 1 of the list is not one the rule set defines", "no.such");
	REJECTS(&fx, CASE("\"dev.l2\",\"Jane Smith\"", ""),
	    "indicator 2 of the list is not one the rule set defines", "Jane");
	REJECTS(&fx, CASE("\"DEV.L2\"", ""), "indicator 1 of the list is not one", "DEV");
	REJECTS(&fx, CASE("\"dev.l2 \"", ""), "indicator 1 of the list is not one", NULL);
	REJECTS(&fx, CASE("5", ""), "indicator 1 is not a string", NULL);
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":\"given\",\"indicators\":\"dev.l2\"}",
	    "'indicators' must be a list of indicator ids", NULL);
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":\"given\"}",
	    "missing 'indicators' (use [] for none)", NULL);
	REJECTS(&fx, "{\"consent\":\"given\",\"indicators\":[]}", "missing 'case_id'", NULL);
	REJECTS(&fx, "{\"case_id\":7,\"consent\":\"given\",\"indicators\":[]}",
	    "'case_id' must be a non-empty string", NULL);
	REJECTS(&fx, "{\"case_id\":\"\",\"consent\":\"given\",\"indicators\":[]}",
	    "'case_id' must be a non-empty string", NULL);
	REJECTS(&fx, "[{\"case_id\":\"c\"}]", "a case must be a JSON object", NULL);
	REJECTS(&fx, "\"c\"", "a case must be a JSON object", NULL);
	REJECTS(&fx, "{\"case_id\":\"c\",\"indicators\":[]}", "missing required fact 'consent'",
	    NULL);
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":null,\"indicators\":[]}",
	    "missing required fact 'consent'", NULL);
	fixture_close(&fx);
}

#define ID_CASE(id) "{\"case_id\":\"" id "\",\"consent\":\"given\",\"indicators\":[]}"
#define ID_CONTROL "'case_id' must be 1 to 256 of the ASCII letters, digits and - _ . /, " \
	"starting with a letter or digit"

/*
 * A case id outside the safe set is refused, and not quoted back: controls,
 * bidi characters, and every look-alike of a valid id that would split one
 * child's history (spaces at either end, format characters, other forms).
 */
static void
test_case_id_controls(void)
{
	struct fixture fx;
	struct buf b;

	if (!OPEN(&fx, "{indicator: dev.l2}"))
		return;
	REJECTS(&fx, ID_CASE("C\\u001b[31mX\\nY"), ID_CONTROL, "31m");
	REJECTS(&fx, ID_CASE("tab\\there"), ID_CONTROL, "here");
	REJECTS(&fx, ID_CASE("nul\\u0000here"), ID_CONTROL, "here");
	REJECTS(&fx, ID_CASE("del\\u007fhere"), ID_CONTROL, "here");
	REJECTS(&fx, ID_CASE("c1\\u0085here"), ID_CONTROL, "here");
	REJECTS(&fx, ID_CASE("c1\xc2\x9bhere"), ID_CONTROL, "here");	/* raw UTF-8 CSI */
	REJECTS(&fx, ID_CASE("bidi\\u202ehere"), ID_CONTROL, "here");
	REJECTS(&fx, ID_CASE("bidi\xe2\x81\xa6here"), ID_CONTROL, "here");	/* U+2066 */
	REJECTS(&fx, ID_CASE("ls\\u2028here"), ID_CONTROL, "here");
	/* look-alikes of C-1001 */
	REJECTS(&fx, ID_CASE("C-1001 "), ID_CONTROL, "1001");
	REJECTS(&fx, ID_CASE(" C-1001"), ID_CONTROL, "1001");
	REJECTS(&fx, ID_CASE("C-1001\\u00a0"), ID_CONTROL, "1001");	/* no-break space */
	REJECTS(&fx, ID_CASE("C-10\\u200b01"), ID_CONTROL, "1001");	/* zero-width space */
	REJECTS(&fx, ID_CASE("C-10\xe2\x80\x8d" "01"), ID_CONTROL, "1001");	/* ZWJ, raw */
	REJECTS(&fx, ID_CASE("C-10\\u00ad01"), ID_CONTROL, "1001");	/* soft hyphen */
	REJECTS(&fx, ID_CASE("\\ufeffC-1001"), ID_CONTROL, "1001");	/* byte-order mark */
	REJECTS(&fx, ID_CASE("C-10\\u206001"), ID_CONTROL, "1001");	/* word joiner */
	REJECTS(&fx, ID_CASE("C\\u20101001"), ID_CONTROL, "1001");	/* Unicode hyphen */
	REJECTS(&fx, ID_CASE("\\uff23-1001"), ID_CONTROL, "1001");	/* fullwidth C */
	REJECTS(&fx, ID_CASE("\\u0421-1001"), ID_CONTROL, "1001");	/* Cyrillic Es */
	REJECTS(&fx, ID_CASE("Zoe\\u0301-1"), ID_CONTROL, "-1");	/* decomposed */
	REJECTS(&fx, ID_CASE("Zo\\u00e9-1"), ID_CONTROL, "-1");	/* composed */
	REJECTS(&fx, ID_CASE("-1001"), ID_CONTROL, "1001");	/* reads as an option */
	MISSES(&fx, ID_CASE("C-1001"));
	MISSES(&fx, ID_CASE("mosaic/2026.04_17-x"));
	buf_init(&b);
	buf_adds(&b, "{\"case_id\":\"");
	for (int i = 0; i < RECORD_CASE_ID_MAX + 1; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\",\"consent\":\"given\",\"indicators\":[]}");
	REJECTS(&fx, b.data, "'case_id' must be at most 256 bytes", "xxx");
	/* replaying the log: an id recorded before the check existed still replays */
	fx.cf.logged = 1;
	MISSES(&fx, ID_CASE("C\\u001b[31mX\\u202eY"));
	MISSES(&fx, ID_CASE("C-1001 \\u200b"));
	REJECTS(&fx, b.data, "'case_id' must be at most 256 bytes", NULL);
	fx.cf.logged = 0;
	buf_free(&b);
	fixture_close(&fx);
}

/* A fact of the wrong type or value is rejected, and the cause never quotes the value. */
static void
test_case_fact_errors_do_not_quote(void)
{
	struct fixture fx;

	if (!OPEN(&fx, "{indicator: dev.l2}"))
		return;
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":\"Jane Smith\",\"indicators\":[]}",
	    "fact 'consent' is not one of the values the rule set allows", "Jane");
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":\"giv\",\"indicators\":[]}",
	    "fact 'consent' is not one of the values", NULL);
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":\"givenx\",\"indicators\":[]}",
	    "fact 'consent' is not one of the values", NULL);
	/* an escaped NUL does not end the value early */
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":\"given\\u0000Jane Smith\",\"indicators\":[]}",
	    "fact 'consent' is not one of the values", "Jane");
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":5,\"indicators\":[]}",
	    "fact 'consent' must be a string", NULL);
	REJECTS(&fx, CASE("", ",\"child\":{\"name\":\"Jane Smith\",\"age\":\"twelve\"}"),
	    "fact 'child.age' must be a number", "twelve");
	REJECTS(&fx, CASE("", ",\"child\":{\"name\":\"Jane Smith\",\"age\":\"twelve\"}"),
	    "child.age", "Jane");
	REJECTS(&fx, CASE("", ",\"child\":{\"age\":30}"),
	    "fact 'child.age' is outside the range the rule set allows", "30");
	REJECTS(&fx, CASE("", ",\"child\":{\"age\":-1}"), "is outside the range", "-1");
	REJECTS(&fx, CASE("", ",\"child\":{\"age\":12.5}"),
	    "fact 'child.age' must be a whole number", "12.5");
	REJECTS(&fx, CASE("", ",\"child\":{\"age\":true}"), "fact 'child.age' must be a number",
	    NULL);
	REJECTS(&fx, CASE("", ",\"child\":{\"age\":{\"years\":12}}"),
	    "fact 'child.age' must be a number", NULL);
	REJECTS(&fx, CASE("", ",\"score\":10.5"), "fact 'score' is outside the range", "10.5");
	REJECTS(&fx, CASE("", ",\"known\":\"yes\""), "fact 'known' must be true or false", "yes");
	REJECTS(&fx, CASE("", ",\"known\":1"), "fact 'known' must be true or false", NULL);
	REJECTS(&fx, CASE("", ",\"referrer\":{\"agency\":[\"police\"]}"),
	    "fact 'referrer.agency' must be a string", "police");
	/* invalid JSON: the cause says where, not what */
	REJECTS(&fx, CASE("", ",\"child\":{\"name\":\"Jane Smith\x01\"}"), "invalid JSON at column",
	    "Jane");
	REJECTS(&fx, "{\"case_id\":\"Jane Smith\",\"consent\":\"given\",\"indicators\":[dev.l2]}",
	    "invalid JSON at column", "Jane");
	fixture_close(&fx);
}

/* A rejected case leaves nothing behind for the next one. */
static void
test_case_reuse_after_error(void)
{
	struct fixture fx;

	if (!OPEN(&fx, "{any: [{indicator: dev.l2}, {present: child.age}]}"))
		return;
	REJECTS(&fx, "{\"case_id\":\"c\",\"consent\":\"given\",\"child\":{\"age\":3},"
	    "\"indicators\":[\"dev.l2\",\"nope\"]}", "indicator 2 of the list", NULL);
	MISSES(&fx, CASE("", ""));
	HITS(&fx, CASE("\"dev.l2\"", ""));
	MISSES(&fx, CASE("", ""));
	HITS(&fx, CASE("", AGE(3)));
	MISSES(&fx, CASE("", ""));
	fixture_close(&fx);
}

/* Fields the rule set does not declare are ignored, however they are shaped. */
static void
test_other_fields_ignored(void)
{
	struct fixture fx;

	if (!OPEN(&fx, "{fact: child.age, lt: 13}"))
		return;
	HITS(&fx, "{\"received\":\"2026-02-02T09:01:00Z\",\"case_id\":\"c\","
	    "\"child\":{\"district\":\"Broxtowe\",\"age\":12,\"siblings\":[{\"age\":30}]},"
	    "\"consent\":\"given\",\"extra\":{\"deep\":{\"er\":[1,2,{\"x\":null}]}},"
	    "\"indicators\":[],\"referrer\":{\"agency\":\"health\",\"age\":99}}");
	fixture_close(&fx);
}

/* ---- determinism ---- */

static void
test_determinism(void)
{
	struct fixture fx, fx2;
	const char *a = "{\"case_id\":\"D-1\",\"consent\":\"given\",\"child\":{\"age\":12,"
	    "\"name\":\"x\"},\"referrer\":{\"agency\":\"btp\"},\"indicators\":[\"dev.l2\",\"par.l3\"]}";
	const char *b = "{\"indicators\":[\"par.l3\",\"dev.l2\"],\"referrer\":{\"agency\":\"btp\"},"
	    "\"child\":{\"name\":\"x\",\"age\":12},\"consent\":\"given\",\"case_id\":\"D-1\"}";
	char *l1, *l2, *l3, *l4;

	if (!OPEN(&fx, "{all: [{condition: young}, {fact: referrer.agency, in_list: police}, "
	    "{count: {level: [2, 3]}, at_least: 2}]}"))
		return;
	/* the same case twice: the same bytes, with and without a trace */
	l1 = decision_line(&fx, a, 1);
	l2 = decision_line(&fx, a, 1);
	CHECK(l1[0] != '\0' && check_streq(l1, l2));
	CHECK_CONTAINS(l1, "\"rule\":\"hit\"");
	free(l2);
	/* keys and indicators in another order: the same decision and the same bytes */
	l2 = decision_line(&fx, b, 1);
	CHECK(check_streq(l1, l2));
	l3 = decision_line(&fx, a, 0);
	l4 = decision_line(&fx, b, 0);
	CHECK(l3[0] != '\0' && check_streq(l3, l4));
	free(l4);
	/* a separately loaded copy of the rules agrees byte for byte */
	if (fixture_load(__LINE__, &fx2, fx.text.data)) {
		l4 = decision_line(&fx2, b, 1);
		CHECK(check_streq(l1, l4));
		free(l4);
	}
	fixture_close(&fx2);
	free(l1);
	free(l2);
	free(l3);
	fixture_close(&fx);
}

int
main(void)
{
	test_eq_ne();
	test_order_comparisons();
	test_booleans();
	test_in_not_in();
	test_in_list_not_in_list();
	test_present_missing_and_null();
	test_counts();
	test_domains();
	test_indicator();
	test_many_indicators();
	test_deep_fact_paths();
	test_all_any_not();
	test_condition_refs_and_always();
	test_first_match_wins();
	test_decision_json_contract();
	test_need_level();
	test_strengths();
	test_urgency_by_condition();
	test_fact_with_fact();
	test_validity();
	test_trace_nesting();
	test_case_id_escapes();
	test_trace_records_rules_and_atoms();
	test_trace_short_circuits();
	test_trace_json();
	test_trace_json_fact_values();
	test_trace_text();
	test_case_errors();
	test_case_id_controls();
	test_case_fact_errors_do_not_quote();
	test_case_reuse_after_error();
	test_other_fields_ignored();
	test_determinism();
	return check_done();
}
