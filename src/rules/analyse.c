/*
 * rules_analyse.c: proves that every rule can fire and that no case falls
 * through, by searching the space of cases a rule set can tell apart.
 *
 * Indicators that no condition tells apart form one class (same level,
 * domain and flags, never named alone), so a case is a count per class plus
 * one representative value per fact region. A depth-first search over those,
 * pruned by three-valued evaluation, either finds an example case or proves
 * there is none.
 */
#include "rules/rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"

#define SEARCH_BUDGET 2000000L

struct ind_class {
	int first;		/* first indicator of the class, for examples */
	int size;
	int *members;
};

struct fact_domain {
	struct fact_value *reps;	/* representative values; reps[0] may be missing */
	size_t nreps;
};

/* One conjunct of a search goal: the condition must hold (want 1) or fail (want 0). */
struct goal_part {
	const struct cond *cond;
	int want;
};

struct analyser {
	struct ruleset *rs;
	struct ind_class *classes;
	size_t nclasses;
	int *class_of;		/* indicator -> class */
	unsigned char *in_mask;	/* nmasks x nclasses */
	struct fact_domain *domains;
	/* search state */
	int *lo, *hi;		/* per class */
	int *fact_pick;		/* per fact: representative index, or -1 */
	long budget;
	const struct goal_part *goal;
	size_t ngoal;
	struct goal_part *valid;	/* every validity rule must fail: only valid cases count */
	size_t nvalid;
	struct fact_value *cur;	/* chosen fact values, seen by the engine through cf */
	struct case_facts cf;
};

enum { TV_FALSE = 0, TV_TRUE = 1, TV_UNKNOWN = 2 };

/* ---- building the search domain ---- */

static void
mark_named(const struct ruleset *rs, const struct cond *c, unsigned char *named)
{
	if (c == NULL)
		return;
	if (c->kind == COND_INDICATOR && c->index >= 0)
		named[c->index] = 1;
	if (c->kind == COND_COUNT || c->kind == COND_DOMAINS)
		for (size_t i = 0; i < c->sel.nids; i++)
			named[c->sel.ids[i]] = 1;
	for (size_t i = 0; i < c->nkids; i++)
		mark_named(rs, c->kids[i], named);
}

static void
build_classes(struct analyser *A)
{
	struct ruleset *rs = A->rs;
	unsigned char *named = xcalloc(rs->nindicators, 1);

	for (size_t i = 0; i < rs->nconds; i++)
		mark_named(rs, rs->conds[i].cond, named);
	for (size_t i = 0; i < rs->nrules; i++)
		mark_named(rs, rs->rules[i].when, named);
	for (size_t i = 0; i < rs->nvalidity; i++)
		mark_named(rs, rs->validity[i].when, named);
	A->class_of = xcalloc(rs->nindicators, sizeof *A->class_of);
	A->classes = xcalloc(rs->nindicators ? rs->nindicators : 1, sizeof *A->classes);
	for (size_t i = 0; i < rs->nindicators; i++) {
		const struct indicator_def *d = &rs->indicators[i];
		size_t c;

		for (c = 0; c < A->nclasses && !named[i]; c++) {
			const struct indicator_def *f = &rs->indicators[A->classes[c].first];
			if (!named[A->classes[c].first] && f->level == d->level &&
			    f->domain == d->domain && f->flags == d->flags)
				break;
		}
		if (named[i])
			c = A->nclasses;
		if (c == A->nclasses) {
			A->classes[c].first = (int)i;
			A->classes[c].members = xcalloc(rs->nindicators, sizeof(int));
			A->nclasses++;
		}
		A->classes[c].members[A->classes[c].size++] = (int)i;
		A->class_of[i] = (int)c;
	}
	A->in_mask = xcalloc(rs->nmasks * A->nclasses + 1, 1);
	for (size_t m = 0; m < rs->nmasks; m++)
		for (size_t c = 0; c < A->nclasses; c++) {
			int ind = A->classes[c].first;
			A->in_mask[m * A->nclasses + c] =
			    (rs->masks[m * rs->nwords + ind / 64] >> (ind % 64)) & 1;
		}
	free(named);
}

static void
add_rep(struct fact_domain *fd, const struct fact_value *v)
{
	fd->reps = xreallocarray(fd->reps, fd->nreps + 1, sizeof *fd->reps);
	fd->reps[fd->nreps++] = *v;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Gathers every literal compared with fact fi, walking all conditions. */
static void
collect_literals(const struct cond *c, int fi, const struct literal ***out, size_t *n)
{
	if (c == NULL)
		return;
	if (c->kind == COND_COMPARE && c->index == fi)
		for (size_t i = 0; i < c->nlits; i++) {
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = &c->lits[i];
		}
	for (size_t i = 0; i < c->nkids; i++)
		collect_literals(c->kids[i], fi, out, n);
}

static int
in_range(const struct fact_def *f, double v)
{
	return (!f->has_min || v >= f->min) && (!f->has_max || v <= f->max);
}

/*
 * Adds x as the representative of the open region (lo, hi) (NULL: unbounded),
 * first moved inside the fact's min..max if it lies outside them, so that a
 * region is never left without a value while part of it is allowed.
 */
static void
add_region_rep(struct fact_domain *fd, const struct fact_def *f, double x,
    const double *lo, const double *hi)
{
	struct fact_value fv = { .present = 1 };
	int integer = f->type == FACT_INTEGER;

	if (f->has_min && x < f->min)
		x = integer ? ceil(f->min) : f->min;
	if (f->has_max && x > f->max)
		x = integer ? floor(f->max) : f->max;
	if ((lo != NULL && !(x > *lo)) || (hi != NULL && !(x < *hi)) || !in_range(f, x))
		return;
	fv.num = x;
	add_rep(fd, &fv);
}

/*
 * One value from every region the literals cut the number line into, or k
 * values where the region holds them: k facts compared with each other can
 * then fall in one region in every order.
 */
static void
number_reps(struct fact_domain *fd, const struct fact_def *f, const struct literal **lits,
    size_t n, int k_reps)
{
	double *v = xcalloc(n + 1, sizeof *v);
	struct fact_value fv = { .present = 1 };
	size_t k = 0, u = 0;
	int integer = f->type == FACT_INTEGER;

	for (size_t i = 0; i < n; i++)
		v[k++] = lits[i]->num;
	qsort(v, k, sizeof *v, dbl_cmp);
	/* distinct values only: a region lies between two different literals */
	for (size_t i = 0; i < k; i++)
		if (u == 0 || v[i] != v[u - 1])
			v[u++] = v[i];
	k = u;
	if (k == 0) {
		double base = f->has_min ? f->min : f->has_max ? f->max - (k_reps - 1) : 0;

		for (int j = 0; j < k_reps; j++) {
			fv.num = integer ? ceil(base) + j : base + j;
			if (j == 0 || in_range(f, fv.num))
				add_rep(fd, &fv);
		}
		free(v);
		return;
	}
	/* a whole-number fact may share a group's fractional literal: keep to whole numbers */
	for (int j = 0; j < k_reps; j++)
		add_region_rep(fd, f, f->has_min ? (integer ? ceil(f->min) : f->min) + j :
		    (integer ? ceil(v[0]) : v[0]) - 1 - j, NULL, &v[0]);
	for (size_t i = 0; i < k; i++) {
		fv.num = v[i];
		if (in_range(f, fv.num) && (!integer || v[i] == floor(v[i])))
			add_rep(fd, &fv);
		for (int j = 0; j < k_reps && i + 1 < k; j++)
			add_region_rep(fd, f, integer ? floor(v[i]) + 1 + j :
			    v[i] + (v[i + 1] - v[i]) * (j + 1) / (k_reps + 1), &v[i], &v[i + 1]);
	}
	for (int j = 0; j < k_reps; j++)
		add_region_rep(fd, f, f->has_max ? (integer ? floor(f->max) : f->max) - j :
		    (integer ? floor(v[k - 1]) : v[k - 1]) + 1 + j, &v[k - 1], NULL);
	free(v);
}

/* The values a string fact's literals name, and k values that equal none of them. */
static void
string_reps(struct fact_domain *fd, const struct fact_def *f, const struct literal **lits,
    size_t n, int k_reps)
{
	struct fact_value fv = { .present = 1, .enum_index = -1 };
	static const char *const others[] = { "other", "other-1", "other-2", "other-3" };

	if (f->nvalues > 0) {
		for (size_t i = 0; i < f->nvalues; i++) {
			fv.enum_index = (int)i;
			fv.str = f->values[i];
			fv.len = strlen(f->values[i]);
			add_rep(fd, &fv);
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < i; j++)
			if (lits[j]->len == lits[i]->len &&
			    memcmp(lits[j]->str, lits[i]->str, lits[i]->len) == 0)
				break;
		if (j < i)
			continue;
		fv.str = lits[i]->str;
		fv.len = lits[i]->len;
		add_rep(fd, &fv);
	}
	/* and values that equal none of the literals */
	for (size_t o = 0; o < FD_ARRAY_LEN(others) && k_reps > 0; o++) {
		size_t j;
		for (j = 0; j < n; j++)
			if (strcmp(lits[j]->str, others[o]) == 0)
				break;
		if (j == n) {
			fv.str = others[o];
			fv.len = strlen(others[o]);
			add_rep(fd, &fv);
			k_reps--;
		}
	}
}

/* Joins the groups of two facts compared with each other (group[] holds each fact's root). */
static int
group_root(int *group, int f)
{
	while (group[f] != f)
		f = group[f] = group[group[f]];
	return f;
}

static void
join_compared(const struct cond *c, int *group)
{
	if (c == NULL)
		return;
	if (c->kind == COND_COMPARE && c->other >= 0)
		group[group_root(group, c->index)] = group_root(group, c->other);
	for (size_t i = 0; i < c->nkids; i++)
		join_compared(c->kids[i], group);
}

/*
 * Facts compared with each other form a group: each takes the literals of
 * the whole group, and as many values in each region as the group has facts,
 * so that every order among them can be chosen.
 */
static int *
build_groups(const struct ruleset *rs)
{
	int *group = xcalloc(rs->nfacts + 1, sizeof *group);

	for (size_t f = 0; f < rs->nfacts; f++)
		group[f] = (int)f;
	for (size_t i = 0; i < rs->nconds; i++)
		join_compared(rs->conds[i].cond, group);
	for (size_t i = 0; i < rs->nrules; i++)
		join_compared(rs->rules[i].when, group);
	for (size_t i = 0; i < rs->nvalidity; i++)
		join_compared(rs->validity[i].when, group);
	for (size_t f = 0; f < rs->nfacts; f++)
		group[f] = group_root(group, (int)f);
	return group;
}

static void
build_domains(struct analyser *A)
{
	struct ruleset *rs = A->rs;
	int *group = build_groups(rs);

	A->domains = xcalloc(rs->nfacts ? rs->nfacts : 1, sizeof *A->domains);
	for (size_t fi = 0; fi < rs->nfacts; fi++) {
		const struct fact_def *f = &rs->facts[fi];
		struct fact_domain *fd = &A->domains[fi];
		const struct literal **lits = NULL;
		struct fact_value fv = { 0 };
		size_t n = 0;
		int k_reps = 0;

		for (size_t g = 0; g < rs->nfacts; g++) {
			if (group[g] != group[fi])
				continue;
			k_reps++;
			for (size_t i = 0; i < rs->nconds; i++)
				collect_literals(rs->conds[i].cond, (int)g, &lits, &n);
			for (size_t i = 0; i < rs->nrules; i++)
				collect_literals(rs->rules[i].when, (int)g, &lits, &n);
			for (size_t i = 0; i < rs->nvalidity; i++)
				collect_literals(rs->validity[i].when, (int)g, &lits, &n);
		}
		if (!f->required)
			add_rep(fd, &fv);	/* missing */
		switch (f->type) {
		case FACT_BOOLEAN:
			fv.present = 1;
			add_rep(fd, &fv);
			fv.boolean = 1;
			add_rep(fd, &fv);
			break;
		case FACT_STRING:
			string_reps(fd, f, lits, n, k_reps);
			break;
		default:
			number_reps(fd, f, lits, n, k_reps);
			break;
		}
		free(lits);
	}
	free(group);
}

/* ---- three-valued evaluation over a partly chosen case ---- */

static int eval3(struct analyser *A, const struct cond *c);

/* The least and most indicators of mask m the case can still hold. */
static void
mask_bounds(const struct analyser *A, int m, long *lo, long *hi)
{
	const unsigned char *in = A->in_mask + (size_t)m * A->nclasses;

	*lo = *hi = 0;
	for (size_t k = 0; k < A->nclasses; k++)
		if (in[k]) {
			*lo += A->lo[k];
			*hi += A->hi[k];
		}
}

/* A count's bounds, or a domains condition's: the domains sure to hold one, and that may. */
static int
eval3_count(struct analyser *A, const struct cond *c)
{
	long lo = 0, hi = 0, dlo, dhi;

	if (c->kind == COND_COUNT)
		mask_bounds(A, c->sel.mask, &lo, &hi);
	else
		for (int d = 0; d < DOMAIN_COUNT; d++) {
			mask_bounds(A, c->dmasks[d], &dlo, &dhi);
			lo += dlo > 0;
			hi += dhi > 0;
		}
	if ((c->at_least < 0 || lo >= c->at_least) && (c->at_most < 0 || hi <= c->at_most))
		return TV_TRUE;
	if ((c->at_least >= 0 && hi < c->at_least) || (c->at_most >= 0 && lo > c->at_most))
		return TV_FALSE;
	return TV_UNKNOWN;
}

/* Evaluates a fact leaf on the value chosen so far, through the engine's own code. */
static int
eval3_fact(struct analyser *A, const struct cond *c)
{
	int pick = A->fact_pick[c->index];

	if (pick < 0)
		return TV_UNKNOWN;
	A->cur[c->index] = A->domains[c->index].reps[pick];
	if (c->kind == COND_COMPARE && c->other >= 0) {
		if (A->fact_pick[c->other] < 0)
			return TV_UNKNOWN;
		A->cur[c->other] = A->domains[c->other].reps[A->fact_pick[c->other]];
	}
	return engine_eval_cond(A->rs, &A->cf, c) ? TV_TRUE : TV_FALSE;
}

static int
eval3(struct analyser *A, const struct cond *c)
{
	int v, seen_unknown = 0;

	switch (c->kind) {
	case COND_ALWAYS:
		return TV_TRUE;
	case COND_ALL:
	case COND_ANY: {
		int stop = c->kind == COND_ALL ? TV_FALSE : TV_TRUE;
		for (size_t i = 0; i < c->nkids; i++) {
			v = eval3(A, c->kids[i]);
			if (v == stop)
				return stop;
			seen_unknown |= v == TV_UNKNOWN;
		}
		return seen_unknown ? TV_UNKNOWN : !stop;
	}
	case COND_NOT:
		v = eval3(A, c->kids[0]);
		return v == TV_UNKNOWN ? v : !v;
	case COND_REF:
		return eval3(A, A->rs->conds[c->index].cond);
	case COND_INDICATOR: {
		int k = A->class_of[c->index];
		return A->lo[k] == A->hi[k] ? A->lo[k] > 0 : TV_UNKNOWN;
	}
	case COND_COUNT:
	case COND_DOMAINS:
		return eval3_count(A, c);
	default:
		return eval3_fact(A, c);
	}
}

static int
eval_parts(struct analyser *A, const struct goal_part *parts, size_t n, int result)
{
	for (size_t i = 0; i < n && result != TV_FALSE; i++) {
		int v = eval3(A, parts[i].cond);

		if (v == TV_UNKNOWN)
			result = TV_UNKNOWN;
		else if (v != parts[i].want)
			result = TV_FALSE;
	}
	return result;
}

/* The goal over the case chosen so far, among the cases the validity rules accept. */
static int
eval_goal(struct analyser *A)
{
	return eval_parts(A, A->valid, A->nvalid, eval_parts(A, A->goal, A->ngoal, TV_TRUE));
}

/* An undecided indicator class of mask m, as nfacts + its index, or -1. */
static long
pick_class(struct analyser *A, int m)
{
	const unsigned char *in = A->in_mask + (size_t)m * A->nclasses;

	for (size_t k = 0; k < A->nclasses; k++)
		if (in[k] && A->lo[k] != A->hi[k])
			return (long)(A->rs->nfacts + k);
	return -1;
}

/*
 * Picks a variable the undecided part of the goal depends on: the search
 * never branches on an indicator class or fact that cannot change the answer.
 * Returns a fact index, nfacts + class index, or -1.
 */
static long
pick_var(struct analyser *A, const struct cond *c)
{
	size_t nfacts = A->rs->nfacts;
	long v;

	switch (c->kind) {
	case COND_ALL:
	case COND_ANY:
	case COND_NOT:
		for (size_t i = 0; i < c->nkids; i++)
			if (eval3(A, c->kids[i]) == TV_UNKNOWN &&
			    (v = pick_var(A, c->kids[i])) >= 0)
				return v;
		return -1;
	case COND_REF:
		return pick_var(A, A->rs->conds[c->index].cond);
	case COND_INDICATOR:
		return (long)nfacts + A->class_of[c->index];
	case COND_COUNT:
		return pick_class(A, c->sel.mask);
	case COND_DOMAINS:
		for (int d = 0; d < DOMAIN_COUNT; d++)
			if ((v = pick_class(A, c->dmasks[d])) >= 0)
				return v;
		return -1;
	case COND_ALWAYS:
		return -1;
	default:
		if (A->fact_pick[c->index] < 0)
			return c->index;
		if (c->kind == COND_COMPARE && c->other >= 0 && A->fact_pick[c->other] < 0)
			return c->other;
		return -1;
	}
}

/* Returns 1 with the example left in lo/fact_pick, 0 if none exists, -1 if undecided. */
static int
search(struct analyser *A)
{
	size_t nfacts = A->rs->nfacts;
	long var = -1;
	int v;

	if (--A->budget < 0)
		return -1;
	v = eval_goal(A);
	if (v != TV_UNKNOWN)
		return v;
	for (size_t i = 0; i < A->ngoal && var < 0; i++)
		if (eval3(A, A->goal[i].cond) == TV_UNKNOWN)
			var = pick_var(A, A->goal[i].cond);
	for (size_t i = 0; i < A->nvalid && var < 0; i++)
		if (eval3(A, A->valid[i].cond) == TV_UNKNOWN)
			var = pick_var(A, A->valid[i].cond);
	if (var < 0)
		fatal("rules_analyse: undecided goal with nothing left to choose");
	if ((size_t)var < nfacts) {
		for (size_t r = 0; r < A->domains[var].nreps; r++) {
			A->fact_pick[var] = (int)r;
			if ((v = search(A)) != 0)
				return v;
		}
		A->fact_pick[var] = -1;
		return 0;
	}
	size_t k = (size_t)var - nfacts;
	int hi = A->hi[k];
	for (int n = 0; n <= hi; n++) {
		A->lo[k] = A->hi[k] = n;
		if ((v = search(A)) != 0)
			return v;
	}
	A->lo[k] = 0;
	A->hi[k] = hi;
	return 0;
}

static int
solve(struct analyser *A, const struct goal_part *goal, size_t ngoal)
{
	for (size_t k = 0; k < A->nclasses; k++) {
		A->lo[k] = 0;
		A->hi[k] = A->classes[k].size;
	}
	for (size_t f = 0; f < A->rs->nfacts; f++)
		A->fact_pick[f] = -1;
	A->goal = goal;
	A->ngoal = ngoal;
	A->budget = SEARCH_BUDGET;
	return search(A);
}

/* Describes the example case the last successful search found. */
static char *
describe_example(struct analyser *A)
{
	struct ruleset *rs = A->rs;
	struct buf b;
	const char *sep = "";
	char num[64];

	buf_init(&b);
	buf_adds(&b, "indicators [");
	for (size_t k = 0; k < A->nclasses; k++)
		for (int n = 0; n < A->lo[k]; n++) {
			buf_printf(&b, "%s%s", sep, rs->indicators[A->classes[k].members[n]].id);
			sep = ", ";
		}
	buf_addc(&b, ']');
	for (size_t f = 0; f < rs->nfacts; f++) {
		const struct fact_value *v;

		if (A->fact_pick[f] < 0 && !rs->facts[f].required)
			continue;	/* no rule here depends on it, and it may be left out */
		/* a required fact nothing here depends on still needs a value for a valid case */
		v = &A->domains[f].reps[A->fact_pick[f] < 0 ? 0 : A->fact_pick[f]];
		buf_printf(&b, ", %s ", rs->facts[f].path);
		if (!v->present)
			buf_adds(&b, "missing");
		else if (rs->facts[f].type == FACT_STRING)
			buf_printf(&b, "= \"%.*s\"", (int)v->len, v->str);
		else if (rs->facts[f].type == FACT_BOOLEAN)
			buf_printf(&b, "= %s", v->boolean ? "true" : "false");
		else {
			format_number(num, sizeof num, v->num);
			buf_printf(&b, "= %s", num);
		}
	}
	return buf_steal(&b);
}

/* ---- the checks ---- */

static struct goal_part *
goal_for_rule(const struct ruleset *rs, size_t k, size_t *n)
{
	struct goal_part *g = xcalloc(k + 1, sizeof *g);

	g[0].cond = rs->rules[k].when;
	g[0].want = 1;
	for (size_t j = 0; j < k; j++) {
		g[j + 1].cond = rs->rules[j].when;
		g[j + 1].want = 0;
	}
	*n = k + 1;
	return g;
}

/* The checks a condition requires all at once: it, or the parts of an all, through names. */
static void
conjuncts(const struct ruleset *rs, const struct cond *c, struct goal_part **out, size_t *n)
{
	if (c->kind == COND_REF) {
		conjuncts(rs, rs->conds[c->index].cond, out, n);
		return;
	}
	if (c->kind == COND_ALL) {
		for (size_t i = 0; i < c->nkids; i++)
			conjuncts(rs, c->kids[i], out, n);
		return;
	}
	*out = xreallocarray(*out, *n + 1, sizeof **out);
	(*out)[(*n)++] = (struct goal_part){ c, 1 };
}

/*
 * Reports a condition that can never hold, naming the checks that conflict:
 * of the checks it requires at once, a smallest set that still cannot all
 * hold, found by leaving out each check in turn while the rest stay impossible.
 */
static void
explain_never_holds(struct analyser *A, struct diag *d, const struct rule_def *r)
{
	struct goal_part *parts = NULL, *kept;
	size_t n = 0, nkept = 0;
	struct buf b;

	conjuncts(A->rs, r->when, &parts, &n);
	kept = xcalloc(n, sizeof *kept);
	for (size_t i = 0; i < n; i++) {
		size_t m = nkept;

		for (size_t j = i + 1; j < n; j++)
			kept[m++] = parts[j];
		if (solve(A, kept, m) != 0)	/* needed (or undecided): keep it */
			kept[nkept++] = parts[i];
	}
	diag_error(d, r->pos.line, r->pos.col, "E032",
	    "rule '%s' can never fire: its condition can never hold", r->id);
	buf_init(&b);
	for (size_t i = 0; i < nkept; i++) {
		buf_adds(&b, i ? ", '" : "'");
		cond_describe(A->rs, kept[i].cond, &b);
		buf_printf(&b, "' (line %d)", kept[i].cond->pos.line);
	}
	if (nkept == 1)
		diag_note(d, "the check %s can never hold", b.data);
	else if (nkept > 1)
		diag_note(d, "these checks cannot all hold: %s", b.data);
	buf_free(&b);
	free(kept);
	free(parts);
}

static void
explain_unreachable(struct analyser *A, struct diag *d, size_t k)
{
	struct ruleset *rs = A->rs;
	const struct rule_def *r = &rs->rules[k];
	struct goal_part pair[2] = { { r->when, 1 }, { NULL, 0 } };
	char *example;
	struct buf who;

	if (solve(A, pair, 1) == 0) {
		explain_never_holds(A, d, r);
		return;
	}
	example = describe_example(A);
	for (size_t j = 0; j < k; j++) {
		pair[1].cond = rs->rules[j].when;
		if (solve(A, pair, 2) == 0) {
			diag_error(d, r->pos.line, r->pos.col, "E030",
			    "rule '%s' can never fire: earlier rule '%s' (line %d) catches "
			    "every case it matches", r->id, rs->rules[j].id, rs->rules[j].pos.line);
			diag_note(d, "for example, %s matches it, but '%s' fires first",
			    example, rs->rules[j].id);
			free(example);
			return;
		}
	}
	buf_init(&who);
	for (size_t j = 0; j < k; j++) {
		pair[1].cond = rs->rules[j].when;
		pair[1].want = 1;
		if (solve(A, pair, 2) == 1)
			buf_printf(&who, "%s'%s'", who.len ? ", " : "", rs->rules[j].id);
	}
	diag_error(d, r->pos.line, r->pos.col, "E030", "rule '%s' can never fire: earlier "
	    "rules %s together catch every case it matches", r->id, who.data);
	diag_note(d, "for example, %s matches it, but an earlier rule fires first", example);
	buf_free(&who);
	free(example);
}

static void
check_rules(struct analyser *A, struct diag *d)
{
	struct ruleset *rs = A->rs;

	for (size_t k = 0; k < rs->nrules; k++) {
		size_t n;
		struct goal_part *g = goal_for_rule(rs, k, &n);
		int v = solve(A, g, n);

		free(g);
		rs->rules[k].reachable = v != 0;
		if (v == 0)
			explain_unreachable(A, d, k);
		else if (v < 0)
			diag_warn(d, rs->rules[k].pos.line, rs->rules[k].pos.col, "W103",
			    "could not decide whether rule '%s' can fire (search too large)",
			    rs->rules[k].id);
	}
}

static void
check_fall_through(struct analyser *A, struct diag *d)
{
	struct ruleset *rs = A->rs;
	struct goal_part *g = xcalloc(rs->nrules ? rs->nrules : 1, sizeof *g);
	int v;

	for (size_t j = 0; j < rs->nrules; j++)
		g[j].cond = rs->rules[j].when;
	v = solve(A, g, rs->nrules);
	if (v == 1) {
		char *example = describe_example(A);
		const struct rule_def *last = &rs->rules[rs->nrules - 1];

		diag_error(d, last->pos.line, last->pos.col, "E031",
		    "no catch-all: some cases match no rule");
		diag_note(d, "for example, %s", example);
		diag_note(d, "end the rules with one whose condition is 'when: always'");
		free(example);
	} else if (v < 0)
		diag_warn(d, 0, 0, "W103", "could not decide whether every case is routed "
		    "(search too large)");
	free(g);
}

/* Marks the indicators a condition can read. */
static void
mark_read(struct ruleset *rs, const struct cond *c)
{
	if (c == NULL)
		return;
	if (c->kind == COND_INDICATOR)
		rs->indicators[c->index].read = 1;
	if (c->kind == COND_COUNT || c->kind == COND_DOMAINS)
		for (size_t i = 0; i < rs->nindicators; i++)
			if ((rs->masks[c->sel.mask * rs->nwords + i / 64] >> (i % 64)) & 1)
				rs->indicators[i].read = 1;
	if (c->kind == COND_REF)
		mark_read(rs, rs->conds[c->index].cond);
	for (size_t i = 0; i < c->nkids; i++)
		mark_read(rs, c->kids[i]);
}

static void
warn_unread(struct ruleset *rs, struct diag *d)
{
	for (size_t v = 0; v < rs->nvalidity; v++)
		mark_read(rs, rs->validity[v].when);
	for (size_t k = 0; k < rs->nrules; k++)
		if (rs->rules[k].reachable) {
			mark_read(rs, rs->rules[k].when);
			for (int u = 0; u <= URGENCY_RED; u++)
				mark_read(rs, rs->rules[k].urgency_when[u]);
		}
	for (size_t i = 0; i < rs->nindicators; i++)
		if (!rs->indicators[i].read && !rs->indicators[i].strength)
			diag_warn(d, rs->indicators[i].pos.line, rs->indicators[i].pos.col, "W101",
			    "indicator '%s' is never read by any rule that can fire",
			    rs->indicators[i].id);
}

/*
 * Facts no field of the intake form asks for: a case from the screens never
 * has them, so rules that read them cannot fire from there (and if one is
 * required, every such case is rejected).
 */
static void
warn_unasked(const struct ruleset *rs, struct diag *d)
{
	for (size_t i = 0; i < rs->nfacts; i++) {
		const struct fact_def *f = &rs->facts[i];

		if (rules_form_asks(rs, (int)i))
			continue;
		diag_warn(d, f->pos.line, f->pos.col, "W108", "no field asks for '%s': %s; %s",
		    f->path, f->required ? "it is required, so every case from the screens is "
		    "rejected" : "a case from the screens never has it, so no rule reading it "
		    "can fire from there",
		    rules_screen_clash(f->path) ? "give it a path the intake form does not write "
		    "itself" : "add it to the council's 'form'");
	}
}

static void
analyser_free(struct analyser *A)
{
	for (size_t c = 0; c < A->nclasses; c++)
		free(A->classes[c].members);
	free(A->classes);
	free(A->class_of);
	free(A->in_mask);
	for (size_t f = 0; f < A->rs->nfacts; f++)
		free(A->domains[f].reps);
	free(A->domains);
	free(A->lo);
	free(A->hi);
	free(A->fact_pick);
	free(A->cur);
	free(A->valid);
}

/* Validity rules that reject every case, or one that never rejects any, are mistakes. */
static int
check_validity(struct analyser *A, struct diag *d)
{
	struct ruleset *rs = A->rs;
	struct goal_part one = { NULL, 1 };
	size_t nvalid = A->nvalid;

	if (rs->nvalidity == 0)
		return 0;
	if (solve(A, NULL, 0) == 0) {
		diag_error(d, rs->validity[0].pos.line, rs->validity[0].pos.col, "E033",
		    "the validity rules reject every case");
		return -1;
	}
	A->nvalid = 0;	/* each rule alone */
	for (size_t v = 0; v < rs->nvalidity; v++) {
		one.cond = rs->validity[v].when;
		if (solve(A, &one, 1) == 0)
			diag_warn(d, rs->validity[v].pos.line, rs->validity[v].pos.col, "W107",
			    "validity rule '%s' never rejects a case: its condition can never hold",
			    rs->validity[v].id);
	}
	A->nvalid = nvalid;
	return 0;
}

void
rules_analyse(struct ruleset *rs, struct diag *d)
{
	struct analyser A;

	memset(&A, 0, sizeof A);
	A.rs = rs;
	build_classes(&A);
	build_domains(&A);
	A.lo = xcalloc(A.nclasses + 1, sizeof *A.lo);
	A.hi = xcalloc(A.nclasses + 1, sizeof *A.hi);
	A.fact_pick = xcalloc(rs->nfacts + 1, sizeof *A.fact_pick);
	A.cur = xcalloc(rs->nfacts + 1, sizeof *A.cur);
	A.cf.rs = rs;
	A.cf.facts = A.cur;
	A.valid = xcalloc(rs->nvalidity + 1, sizeof *A.valid);
	for (size_t v = 0; v < rs->nvalidity; v++)
		A.valid[A.nvalid++] = (struct goal_part){ rs->validity[v].when, 0 };
	if (check_validity(&A, d) < 0) {
		analyser_free(&A);
		return;
	}
	check_rules(&A, d);
	if (rs->nrules > 0)
		check_fall_through(&A, d);
	warn_unread(rs, d);
	warn_unasked(rs, d);
	analyser_free(&A);
}
