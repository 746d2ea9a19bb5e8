/* engine.h: parse a case against a rule set, route it, explain why. Pure and deterministic. */
#ifndef FD_ENGINE_H
#define FD_ENGINE_H

#include <stdint.h>

#include "base/json.h"
#include "rules/rules.h"

/* A fact's value in one case; strings point into the case's text or scratch. */
struct fact_value {
	int present;
	double num;
	int boolean;
	int enum_index;
	const char *str;
	size_t len;
};

/* One case's facts, as the compiled rule set sees them; reused from case to case. */
struct case_facts {
	const struct ruleset *rs;
	const char *case_id;
	size_t case_id_len;
	uint64_t *bits;		/* indicators named by the case */
	struct fact_value *facts;
	uint32_t *counts;	/* per compiled mask */
	struct json_doc doc;
	char *scratch;		/* unescaped strings */
	size_t scratch_cap, scratch_used;
	int logged;		/* replaying the log: the id passed the checks of its day */
};

struct decision {
	int rule;		/* index into rs->rules */
	enum route_id route;
	int level;		/* of the route */
	int need_level;		/* of the need found; differs from level when the rule says so */
	enum urgency urgency;	/* the rule's, or the one its conditions set */
};

/*
 * One condition tested while routing: what it read and whether it held. An
 * all or any nested in a rule's condition is one too, followed by the atoms
 * of its parts; a rule's own all or any is not (its parts are the rule's).
 */
struct trace_atom {
	const struct cond *cond;
	int held;
	long count;		/* counts: matching indicators; all, any: atoms inside */
};

struct trace_rule {
	int rule;
	int held;
	size_t first, n;	/* its atoms */
};

struct trace {
	struct trace_rule *rules;
	size_t nrules, rcap;
	struct trace_atom *atoms;
	size_t natoms, acap;
	int depth;		/* while routing: how deep in the rule's condition */
};

void case_init(struct case_facts *cf, const struct ruleset *rs);
void case_free(struct case_facts *cf);
/*
 * Parses one JSON case. A case naming an unknown indicator, lacking a
 * required fact or holding a fact of the wrong type or value is rejected:
 * -1 with *cause (which never quotes case data).
 */
int case_parse(struct case_facts *cf, const char *text, size_t len, char **cause);
/* Whether a parsed case names indicator ind. */
int case_has_indicator(const struct case_facts *cf, int ind);
/* Adds indicator ind to a parsed case, or removes it if present, keeping its counts right. */
void case_toggle_indicator(struct case_facts *cf, int ind);
/*
 * Gives a present string fact with a closed set of values its value-th value;
 * returns the index it had, to set it back with.
 */
int case_set_choice(struct case_facts *cf, int fact, int value);

void trace_init(struct trace *t);
void trace_reset(struct trace *t);
void trace_free(struct trace *t);

/* Routes a parsed case: the first rule whose condition holds. t may be NULL. */
int engine_decide(const struct ruleset *rs, const struct case_facts *cf,
    struct decision *out, struct trace *t);

/* Whether one condition holds for a parsed case (used by the checker too). */
int engine_eval_cond(const struct ruleset *rs, const struct case_facts *cf,
    const struct cond *c);

/* The decision as one JSON line (DESIGN.md contract); with t, adds reason and trace. */
void engine_write_json(struct buf *out, const struct ruleset *rs,
    const struct case_facts *cf, const struct decision *d, const struct trace *t);
/* What a log record keeps of a decision: urgency, consent, and the winning rule's checks. */
void engine_write_detail_json(struct buf *out, const struct ruleset *rs,
    const struct case_facts *cf, const struct decision *d, const struct trace *t);
/* The trace as indented text for people. */
void engine_write_trace_text(struct buf *out, const struct ruleset *rs,
    const struct case_facts *cf, const struct trace *t);

#endif
