/* rulefix.h: what the rule-language unit tests share: a rule file's head and loading text. */
#ifndef FD_TEST_RULEFIX_H
#define FD_TEST_RULEFIX_H

#include <string.h>

#include "base/diag.h"
#include "rules/rules.h"

/* The first eight lines of a rule file: header and the four levels. */
#define RULES_HEAD \
	"frontdoor: 1\n" \
	"name: t\n" \
	"version: \"1\"\n" \
	"levels:\n" \
	"  - {level: 1, name: U, route: universal}\n" \
	"  - {level: 2, name: E, route: early_help_unit}\n" \
	"  - {level: 3, name: T, route: targeted_early_help}\n" \
	"  - {level: 4, name: S, route: mash}\n"

/* A rule set loaded from text, with what loading it reported. */
struct loaded {
	struct ruleset *rs;
	struct diag d;
};

static inline void
load(struct loaded *l, const char *text)
{
	diag_init(&l->d, "test.yaml", text, strlen(text));
	l->rs = rules_load_buffer(text, strlen(text), &l->d);
}

static inline void
unload(struct loaded *l)
{
	rules_free(l->rs);
	diag_free(&l->d);
}

#endif
