/* outcomes.h: the outcome codes a case may be given, and the codes older records hold. */
#ifndef FD_OUTCOMES_H
#define FD_OUTCOMES_H

#include <stddef.h>

#include "rules/rules.h"

/* One outcome code as the front ends show it and the actions check it. */
struct outcome_code {
	const char *id, *label;
	int closes;		/* a closure; else progress, which leaves the case open */
	const char *cin_reason;	/* or NULL */
	int declines_early_help;
};

/*
 * The codes a case may be given under rs: the council's list, or, for a rule
 * set that lists none, the five closures of earlier versions.
 */
size_t outcome_count(const struct ruleset *rs);
void outcome_at(const struct ruleset *rs, size_t i, struct outcome_code *out);
/* The index of code id among those rs offers, or -1. */
int outcome_index(const struct ruleset *rs, const char *id, size_t len);
/*
 * What a logged code means: rs's code of that id, else the code of an
 * earlier version (so old records read as they did). 0 found, -1 not.
 */
int outcome_lookup(const struct ruleset *rs, const char *id, size_t len, struct outcome_code *out);
/* The step-up (up 1) or step-down reasons of rs; *n 0 if it lists none. */
const struct step_reason *outcome_step_reasons(const struct ruleset *rs, int up, size_t *n);

#endif
