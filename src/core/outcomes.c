/* outcomes.c: the outcome codes a case may be given, from the rule set, and those older records hold. */
#include "core/outcomes.h"

#include <string.h>

/*
 * The closures every version before the council listed its own offered, and
 * older records hold: a rule set listing none offers them, and any rule set
 * reads them. The one place in the program that names an outcome code.
 */
static const struct outcome_code outcome_earlier[] = {
	{ "needs_met", "Needs met", 1, NULL, 0 },
	{ "single_agency", "Single agency can continue", 1, NULL, 0 },
	{ "consent_withdrawn", "Family withdrew consent", 1, NULL, 1 },
	{ "moved_away", "Moved out of area", 1, NULL, 0 },
	{ "stepped_up", "Stepped up to social care", 1, NULL, 0 },
};

static void
outcome_from_def(const struct outcome_def *o, struct outcome_code *out)
{
	out->id = o->id;
	out->label = o->label;
	out->closes = o->kind == OUTCOME_CLOSURE;
	out->cin_reason = o->cin_reason;
	out->declines_early_help = o->declines_early_help;
}

size_t
outcome_count(const struct ruleset *rs)
{
	return rs->council.noutcomes > 0 ? rs->council.noutcomes : FD_ARRAY_LEN(outcome_earlier);
}

void
outcome_at(const struct ruleset *rs, size_t i, struct outcome_code *out)
{
	if (rs->council.noutcomes > 0)
		outcome_from_def(&rs->council.outcomes[i], out);
	else
		*out = outcome_earlier[i];
}

int
outcome_index(const struct ruleset *rs, const char *id, size_t len)
{
	struct outcome_code c;

	for (size_t i = 0; i < outcome_count(rs); i++) {
		outcome_at(rs, i, &c);
		if (strlen(c.id) == len && memcmp(c.id, id, len) == 0)
			return (int)i;
	}
	return -1;
}

int
outcome_lookup(const struct ruleset *rs, const char *id, size_t len, struct outcome_code *out)
{
	const struct outcome_def *o = rs != NULL ? rules_find_outcome(rs, id, len) : NULL;

	if (o != NULL) {
		outcome_from_def(o, out);
		return 0;
	}
	for (size_t i = 0; i < FD_ARRAY_LEN(outcome_earlier); i++)
		if (strlen(outcome_earlier[i].id) == len &&
		    memcmp(outcome_earlier[i].id, id, len) == 0) {
			*out = outcome_earlier[i];
			return 0;
		}
	return -1;
}

const struct step_reason *
outcome_step_reasons(const struct ruleset *rs, int up, size_t *n)
{
	*n = rs->council.nstep_reasons[up != 0];
	return rs->council.step_reasons[up != 0];
}
