/* outcomes.c: the council profile's outcome codes and its reasons for stepping a case up or down. */
#include "rules/loader.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "progress", "closure" };

/* Reasons for closure of the DfE Children in Need census. */
static const char *const cin_reasons[] = {
	"RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9",
};

const struct outcome_def *
rules_find_outcome(const struct ruleset *rs, const char *id, size_t len)
{
	const struct council *c = &rs->council;

	for (size_t i = 0; i < c->noutcomes; i++)
		if (strlen(c->outcomes[i].id) == len && memcmp(c->outcomes[i].id, id, len) == 0)
			return &c->outcomes[i];
	return NULL;
}

const struct step_reason *
rules_find_step_reason(const struct ruleset *rs, int up, const char *id)
{
	const struct council *c = &rs->council;

	for (size_t i = 0; i < c->nstep_reasons[up != 0]; i++)
		if (strcmp(c->step_reasons[up != 0][i].id, id) == 0)
			return &c->step_reasons[up != 0][i];
	return NULL;
}

/* An outcome's kind: progress or closure; -1 reported. */
static int
outcomes_kind(struct loader *L, const struct ynode *n)
{
	for (size_t i = 0; i < FD_ARRAY_LEN(kind_names); i++)
		if (strcmp(n->str, kind_names[i]) == 0)
			return (int)i;
	load_error(L, n, "E015", "outcome kind '%s' is not known: 'progress' leaves the case "
	    "open, 'closure' closes it", n->str);
	load_suggest(L, n->str, kind_names, FD_ARRAY_LEN(kind_names));
	return -1;
}

/* A closure's CIN census reason, owned; NULL reported (a near code is another reason). */
static char *
outcomes_cin_reason(struct loader *L, const struct ynode *n, int kind)
{
	if (kind != OUTCOME_CLOSURE) {
		load_error(L, n, "E011", "'cin_reason' is only for an outcome of kind closure");
		return NULL;
	}
	for (size_t i = 0; i < FD_ARRAY_LEN(cin_reasons); i++)
		if (strcmp(n->str, cin_reasons[i]) == 0)
			return xstrdup(n->str);
	load_error(L, n, "E015", "'%s' is not a reason for closure of the Children in Need "
	    "census (RC1 to RC9)", n->str);
	return NULL;
}

/* Whether id was listed before index `upto` of a list whose entries are `size` bytes apart. */
static int
outcomes_listed(const void *list, size_t size, size_t upto, const char *id)
{
	for (size_t i = 0; i < upto; i++)
		if (strcmp(*(char *const *)((const char *)list + i * size), id) == 0)
			return 1;
	return 0;
}

static void
outcomes_def_free(struct outcome_def *o)
{
	free(o->id);
	free(o->label);
	free(o->cin_reason);
	memset(o, 0, sizeof *o);
}

static void
outcomes_one(struct loader *L, struct council *c, const struct ynode *m)
{
	static const struct field fields[] = {
		{ "id", Y_SCALAR, 1 }, { "label", Y_SCALAR, 1 }, { "kind", Y_SCALAR, 1 },
		{ "cin_reason", Y_SCALAR, 0 }, { "early_help_declined", Y_SCALAR, 0 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct outcome_def *o = &c->outcomes[c->noutcomes];
	int kind, bad = 0;

	if (load_expect(L, m, Y_MAP, "an outcome") < 0 ||
	    load_fields(L, m, "an outcome", fields, FD_ARRAY_LEN(fields), v) > 0)
		return;
	o->id = load_id(L, v[0], "outcome");
	o->label = load_prose(L, v[1], "an outcome's label", 0);
	kind = outcomes_kind(L, v[2]);
	o->kind = kind == OUTCOME_PROGRESS ? OUTCOME_PROGRESS : OUTCOME_CLOSURE;
	if (v[3] != NULL && kind >= 0 && (o->cin_reason = outcomes_cin_reason(L, v[3], kind)) == NULL)
		bad = 1;
	if (v[4] != NULL && load_bool(L, v[4], "early_help_declined", &o->declines_early_help) < 0)
		bad = 1;
	o->pos = load_pos(m);
	if (o->id != NULL && outcomes_listed(c->outcomes, sizeof *o, c->noutcomes, o->id)) {
		load_error(L, v[0], "E013", "outcome '%s' is listed twice", o->id);
		bad = 1;
	}
	if (bad || kind < 0 || o->id == NULL || o->label == NULL) {
		outcomes_def_free(o);
		return;
	}
	c->noutcomes++;
}

static void
outcomes_reason(struct loader *L, struct step_reason *list, size_t *n, const struct ynode *m,
    const char *what)
{
	static const struct field fields[] = {
		{ "id", Y_SCALAR, 1 }, { "label", Y_SCALAR, 1 },
	};
	const struct ynode *v[FD_ARRAY_LEN(fields)];
	struct step_reason *r = &list[*n];

	if (load_expect(L, m, Y_MAP, what) < 0 ||
	    load_fields(L, m, what, fields, FD_ARRAY_LEN(fields), v) > 0)
		return;
	r->id = load_id(L, v[0], "reason");
	r->label = load_prose(L, v[1], "a reason's label", 0);
	r->pos = load_pos(m);
	if (r->id != NULL && outcomes_listed(list, sizeof *r, *n, r->id)) {
		load_error(L, v[0], "E013", "%s '%s' is listed twice", what, r->id);
		free(r->id);
		r->id = NULL;
	}
	if (r->id == NULL || r->label == NULL) {
		free(r->id);
		free(r->label);
		memset(r, 0, sizeof *r);
		return;
	}
	(*n)++;
}

void
outcomes_load(struct loader *L, struct council *c, const char *key, const struct ynode *seq)
{
	int up = strcmp(key, "step_up_reasons") == 0;

	if (seq->n == 0 || seq->n > RULES_MAX_STRING_VALUES) {
		load_error(L, seq, "E015", "'%s' must list from 1 to %d entries", key,
		    RULES_MAX_STRING_VALUES);
		return;
	}
	if (strcmp(key, "outcomes") == 0) {
		c->outcomes = xcalloc(seq->n, sizeof *c->outcomes);
		for (size_t i = 0; i < seq->n; i++)
			outcomes_one(L, c, seq->items[i]);
		for (size_t i = 0; i < c->noutcomes; i++)
			if (c->outcomes[i].kind == OUTCOME_CLOSURE)
				return;
		if (c->noutcomes == seq->n)
			load_error(L, seq, "E015", "'outcomes' lists no closure: a case could "
			    "never be closed");
		return;
	}
	c->step_reasons[up] = xcalloc(seq->n, sizeof *c->step_reasons[up]);
	for (size_t i = 0; i < seq->n; i++)
		outcomes_reason(L, c->step_reasons[up], &c->nstep_reasons[up], seq->items[i],
		    up ? "a step-up reason" : "a step-down reason");
}

void
outcomes_free(struct council *c)
{
	for (size_t i = 0; i < c->noutcomes; i++)
		outcomes_def_free(&c->outcomes[i]);
	free(c->outcomes);
	for (int up = 0; up < 2; up++) {
		for (size_t i = 0; i < c->nstep_reasons[up]; i++) {
			free(c->step_reasons[up][i].id);
			free(c->step_reasons[up][i].label);
		}
		free(c->step_reasons[up]);
	}
}
