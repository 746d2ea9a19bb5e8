/* fuzz_case.c: feeds arbitrary bytes to the case parser and the engine. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "base/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A small rule set with every kind of fact, loaded once. */
static const char rules_text[] =
    "frontdoor: 1\nname: fuzz\nversion: \"1\"\n"
    "levels:\n"
    "  - {level: 1, name: U, route: universal}\n"
    "  - {level: 2, name: E, route: early_help_unit}\n"
    "  - {level: 3, name: T, route: targeted_early_help}\n"
    "  - {level: 4, name: M, route: mash}\n"
    "flags: {safeguarding: s}\n"
    "facts:\n"
    "  consent: {type: string, values: [given, refused, not_sought, not_required]}\n"
    "  child.age: {type: integer, min: 0, max: 25, required: false}\n"
    "  child.score: {type: number, required: false}\n"
    "  referrer.agency: {type: string, required: false}\n"
    "  urgent: {type: boolean, required: false}\n"
    "indicators:\n"
    "  - {id: a.l2, domain: development, level: 2, text: t}\n"
    "  - {id: a.l3, domain: parenting, level: 3, text: t}\n"
    "  - {id: a.l4, domain: family_environment, level: 4, text: t, flags: [safeguarding]}\n"
    "rules:\n"
    "  - {id: s, when: {count: {flag: safeguarding}, at_least: 1}, route: mash, reason: r}\n"
    "  - {id: u, when: {fact: urgent, eq: true}, route: mash, reason: r}\n"
    "  - {id: y, when: {all: [{fact: child.age, lt: 5}, {indicator: a.l3}]}, route: mash, reason: r}\n"
    "  - {id: p, when: {fact: referrer.agency, in: [police, health]}, route: targeted_early_help, reason: r}\n"
    "  - {id: n, when: {fact: child.score, gt: 2.5}, route: targeted_early_help, reason: r}\n"
    "  - {id: t, when: {all: [{indicator: a.l3}, {fact: consent, eq: given}]}, route: targeted_early_help, reason: r}\n"
    "  - {id: e, when: {any: [{indicator: a.l2}, {indicator: a.l3}]}, route: early_help_unit, reason: r}\n"
    "  - {id: m, when: {missing: child.age}, route: early_help_unit, reason: r}\n"
    "  - {id: x, when: always, route: universal, reason: r}\n";

/*
 * A compact line may take json_parse's fast path; the same text with a space
 * after it always takes the full validator. Both must give the same verdict
 * and the same tokens.
 */
static void
check_fast_path_agrees(const uint8_t *data, size_t size)
{
	struct json_doc a, b;
	char *ca = NULL, *cb = NULL, *spaced = malloc(size + 1);
	int ra, rb;

	if (spaced == NULL)
		abort();
	memcpy(spaced, data, size);
	spaced[size] = ' ';
	json_doc_init(&a);
	json_doc_init(&b);
	ra = json_parse(&a, (const char *)data, size, &ca);
	rb = json_parse(&b, spaced, size + 1, &cb);
	/* the verdicts (a cause's column may differ: the end of the line moved) */
	if (ra != rb || (ra == 0 && a.ntok != b.ntok)) {
		fprintf(stderr, "json_parse: %s alone, %s with a space after it\n",
		    ra == 0 ? "valid" : "invalid", rb == 0 ? "valid" : "invalid");
		abort();
	}
	for (int i = 0; ra == 0 && i < a.ntok; i++)
		if (a.tok[i].type != b.tok[i].type || a.tok[i].start != b.tok[i].start ||
		    a.tok[i].end != b.tok[i].end || a.tok[i].size != b.tok[i].size ||
		    (a.tok[i].type == JSMN_STRING && a.escaped[i] != b.escaped[i]))
			abort();
	free(ca);
	free(cb);
	free(spaced);
	json_doc_free(&a);
	json_doc_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset *rs;
	struct case_facts cf;
	struct decision dec;
	struct trace tr;
	struct buf out;
	char *cause = NULL;

	if (rs == NULL) {
		struct diag d;

		diag_init(&d, "fuzz", rules_text, sizeof rules_text - 1);
		rs = rules_load_buffer(rules_text, sizeof rules_text - 1, &d);
		if (rs == NULL) {
			diag_print(&d, stderr);
			abort();
		}
		diag_free(&d);
	}
	check_fast_path_agrees(data, size);
	case_init(&cf, rs);
	trace_init(&tr);
	buf_init(&out);
	if (case_parse(&cf, (const char *)data, size, &cause) == 0) {
		if (engine_decide(rs, &cf, &dec, &tr) != 0)
			abort();	/* the checker proved a catch-all */
		engine_write_json(&out, rs, &cf, &dec, &tr);
	} else if (cause == NULL)
		abort();		/* a rejection always says why */
	free(cause);
	buf_free(&out);
	trace_free(&tr);
	case_free(&cf);
	return 0;
}
