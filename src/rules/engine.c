/* engine.c: routes a parsed case through the ordered rules and writes the decision. */
#include "rules/engine.h"

#include <stdlib.h>
#include <string.h>

void
trace_init(struct trace *t)
{
	memset(t, 0, sizeof *t);
}

void
trace_reset(struct trace *t)
{
	t->nrules = 0;
	t->natoms = 0;
}

void
trace_free(struct trace *t)
{
	free(t->rules);
	free(t->atoms);
	trace_init(t);
}

static void
trace_atom(struct trace *t, const struct cond *c, int held, long count)
{
	if (t == NULL)
		return;
	if (t->natoms == t->acap) {
		t->acap = t->acap ? t->acap * 2 : 32;
		t->atoms = xreallocarray(t->atoms, t->acap, sizeof *t->atoms);
	}
	t->atoms[t->natoms].cond = c;
	t->atoms[t->natoms].held = held;
	t->atoms[t->natoms].count = count;
	t->natoms++;
}

static int
literal_cmp(const struct literal *lit, const struct fact_value *v, enum fact_type type)
{
	switch (type) {
	case FACT_STRING: {
		size_t n = v->len < lit->len ? v->len : lit->len;
		int r = memcmp(v->str, lit->str, n);
		return r != 0 ? r : (v->len > lit->len) - (v->len < lit->len);
	}
	case FACT_INTEGER:
	case FACT_NUMBER:
		return (v->num > lit->num) - (v->num < lit->num);
	case FACT_BOOLEAN:
		return v->boolean - lit->boolean;
	}
	return 0;
}

static int
eval_in(const struct ruleset *rs, const struct cond *c, const struct fact_value *v)
{
	const struct fact_def *f = &rs->facts[c->index];

	if (f->type == FACT_STRING && f->nvalues > 0)
		return (c->enum_set >> v->enum_index) & 1;
	for (size_t i = 0; i < c->nlits; i++)
		if (literal_cmp(&c->lits[i], v, f->type) == 0)
			return 1;
	return 0;
}

/* Two facts' values in order: strings by their bytes (whatever values each lists). */
static int
value_cmp(const struct fact_value *v, const struct fact_value *w, enum fact_type type)
{
	size_t n;
	int r;

	switch (type) {
	case FACT_STRING:
		n = v->len < w->len ? v->len : w->len;
		r = n > 0 ? memcmp(v->str, w->str, n) : 0;
		return r != 0 ? r : (v->len > w->len) - (v->len < w->len);
	case FACT_BOOLEAN:
		return v->boolean - w->boolean;
	default:
		return (v->num > w->num) - (v->num < w->num);
	}
}

/*
 * A comparison on a missing (optional) fact does not hold, whatever the
 * operator; nor does one with another fact that is missing.
 */
static int
eval_compare(const struct ruleset *rs, const struct case_facts *cf, const struct cond *c,
    const struct fact_value *v)
{
	const struct fact_def *f = &rs->facts[c->index];
	int r;

	if (!v->present)
		return 0;
	if (c->op == OP_IN || c->op == OP_NOT_IN)
		return eval_in(rs, c, v) == (c->op == OP_IN);
	if (c->other >= 0) {
		if (!cf->facts[c->other].present)
			return 0;
		r = value_cmp(v, &cf->facts[c->other], f->type);
	} else if (f->type == FACT_STRING && f->nvalues > 0)
		r = v->enum_index == c->lits[0].enum_index ? 0 : 1;
	else
		r = literal_cmp(&c->lits[0], v, f->type);
	switch (c->op) {
	case OP_EQ: return r == 0;
	case OP_NE: return r != 0;
	case OP_LT: return r < 0;
	case OP_LE: return r <= 0;
	case OP_GT: return r > 0;
	case OP_GE: return r >= 0;
	default: return 0;
	}
}

_Static_assert(DOMAIN_COUNT == 3, "a domains condition adds up three domains");

static int eval_cond(const struct ruleset *rs, const struct case_facts *cf,
    const struct cond *c, struct trace *t);

/*
 * An all or any, traced: below a rule's own condition it is an atom of its
 * own, its count the number of atoms its parts left, so the trace keeps the
 * nesting.
 */
static int
eval_junction_traced(const struct ruleset *rs, const struct case_facts *cf,
    const struct cond *c, struct trace *t)
{
	size_t at = t->natoms;
	int nested = t->depth > 0, held = c->kind == COND_ALL;

	if (nested)
		trace_atom(t, c, 0, 0);
	t->depth++;
	for (size_t i = 0; i < c->nkids; i++)
		if (eval_cond(rs, cf, c->kids[i], t) != (c->kind == COND_ALL)) {
			held = !held;
			break;
		}
	t->depth--;
	if (nested) {
		t->atoms[at].held = held;
		t->atoms[at].count = (long)(t->natoms - at - 1);
	}
	return held;
}

static int
eval_cond(const struct ruleset *rs, const struct case_facts *cf, const struct cond *c,
    struct trace *t)
{
	int held;
	long count = 0;

	switch (c->kind) {
	case COND_ALL:
		if (t != NULL)
			return eval_junction_traced(rs, cf, c, t);
		for (size_t i = 0; i < c->nkids; i++)
			if (!eval_cond(rs, cf, c->kids[i], t))
				return 0;
		return 1;
	case COND_ANY:
		if (t != NULL)
			return eval_junction_traced(rs, cf, c, t);
		for (size_t i = 0; i < c->nkids; i++)
			if (eval_cond(rs, cf, c->kids[i], t))
				return 1;
		return 0;
	case COND_NOT:
		/* the trace shows the inner test, then the negation that decided */
		if (t != NULL)
			t->depth++;
		held = !eval_cond(rs, cf, c->kids[0], t);
		if (t != NULL)
			t->depth--;
		break;
	case COND_REF:
		return eval_cond(rs, cf, rs->conds[c->index].cond, t);
	case COND_ALWAYS:
		held = 1;
		break;
	case COND_INDICATOR:
		held = (int)((cf->bits[c->index / 64] >> (c->index % 64)) & 1);
		break;
	case COND_COUNT:
	case COND_DOMAINS:
		count = c->kind == COND_COUNT ? (long)cf->counts[c->sel.mask] :
		    (long)(cf->counts[c->dmasks[0]] > 0) + (cf->counts[c->dmasks[1]] > 0) +
		    (cf->counts[c->dmasks[2]] > 0);
		held = (c->at_least < 0 || count >= c->at_least) &&
		    (c->at_most < 0 || count <= c->at_most);
		break;
	case COND_COMPARE:
		held = eval_compare(rs, cf, c, &cf->facts[c->index]);
		break;
	case COND_PRESENT:
	case COND_MISSING:
		held = cf->facts[c->index].present == (c->kind == COND_PRESENT);
		break;
	default:
		fatal("eval_cond: unknown condition kind %d", (int)c->kind);
	}
	trace_atom(t, c, held, count);
	return held;
}

int
engine_eval_cond(const struct ruleset *rs, const struct case_facts *cf, const struct cond *c)
{
	return eval_cond(rs, cf, c, NULL);
}

/* The urgency a rule's conditions set: the first of red, amber, green that holds, or none. */
static enum urgency
urgency_by_cond(const struct ruleset *rs, const struct case_facts *cf, const struct rule_def *r)
{
	for (int u = URGENCY_RED; u > URGENCY_NONE; u--)
		if (r->urgency_when[u] != NULL && eval_cond(rs, cf, r->urgency_when[u], NULL))
			return (enum urgency)u;
	return URGENCY_NONE;
}

int
engine_decide(const struct ruleset *rs, const struct case_facts *cf, struct decision *out,
    struct trace *t)
{
	if (t != NULL)
		trace_reset(t);
	for (size_t r = 0; r < rs->nrules; r++) {
		size_t first = t ? t->natoms : 0;
		int held;

		if (t != NULL)
			t->depth = 0;
		held = eval_cond(rs, cf, rs->rules[r].when, t);

		if (t != NULL) {
			if (t->nrules == t->rcap) {
				t->rcap = t->rcap ? t->rcap * 2 : 16;
				t->rules = xreallocarray(t->rules, t->rcap, sizeof *t->rules);
			}
			t->rules[t->nrules++] = (struct trace_rule){ (int)r, held, first,
				t->natoms - first };
		}
		if (held) {
			out->rule = (int)r;
			out->route = rs->rules[r].route;
			out->level = rs->rules[r].level;
			out->need_level = rs->rules[r].need_level;
			out->urgency = rs->rules[r].urgency_by_cond ?
			    urgency_by_cond(rs, cf, &rs->rules[r]) : rs->rules[r].urgency;
			return 0;
		}
	}
	/* the checker rejects rule sets that let a case fall through */
	return -1;
}

/* Appends a fact's value in the case as JSON: null when it is missing. */
static void
write_fact_json(struct buf *out, const struct ruleset *rs, const struct case_facts *cf, int fact)
{
	const struct fact_value *v = &cf->facts[fact];
	char num[64];

	if (!v->present) {
		buf_adds(out, "null");
		return;
	}
	switch (rs->facts[fact].type) {
	case FACT_STRING:
		json_write_string(out, v->str, v->len);
		return;
	case FACT_BOOLEAN:
		buf_adds(out, v->boolean ? "true" : "false");
		return;
	default:
		format_number(num, sizeof num, v->num);
		buf_adds(out, num);
		return;
	}
}

/* Appends what an atom read from the case, as a JSON value: both values of two facts compared. */
static void
write_atom_value_json(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct trace_atom *a)
{
	const struct cond *c = a->cond;

	switch (c->kind) {
	case COND_COUNT:
	case COND_DOMAINS:
		buf_add_u64(out, (uint64_t)a->count);
		return;
	case COND_INDICATOR:
		buf_adds(out, a->held ? "true" : "false");
		return;
	case COND_COMPARE:
	case COND_PRESENT:
	case COND_MISSING:
		if (c->kind == COND_COMPARE && c->other >= 0) {
			buf_addc(out, '[');
			write_fact_json(out, rs, cf, c->index);
			buf_addc(out, ',');
			write_fact_json(out, rs, cf, c->other);
			buf_addc(out, ']');
			return;
		}
		write_fact_json(out, rs, cf, c->index);
		return;
	default:
		buf_adds(out, "null");
	}
}

/*
 * The case's indicators a count (or domains condition) matched, in the rule
 * file's order: JSON strings, or ids joined by ", " for people.
 */
static void
write_matched(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct cond *c, int json)
{
	const uint64_t *mask = rs->masks + (size_t)c->sel.mask * rs->nwords;
	size_t n = 0;

	for (size_t w = 0; w < rs->nwords; w++)
		for (uint64_t bits = cf->bits[w] & mask[w]; bits != 0; bits &= bits - 1) {
			const struct indicator_def *ind =
			    &rs->indicators[w * 64 + (size_t)__builtin_ctzll(bits)];

			if (n++ > 0)
				buf_adds(out, json ? "," : ", ");
			if (json)
				json_write_string(out, ind->id, ind->idlen);
			else
				buf_add(out, ind->id, ind->idlen);
		}
}

static int
is_junction(const struct cond *c)
{
	return c->kind == COND_ALL || c->kind == COND_ANY;
}

/*
 * Atoms [from, to) as a JSON array of checks: {test, read, matched (counts),
 * held}, and for a nested all or any, {all: [its checks], held}.
 */
static void
write_atoms_json(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct trace *t, size_t from, size_t to)
{
	buf_addc(out, '[');
	for (size_t k = from; k < to; k++) {
		const struct trace_atom *a = &t->atoms[k];

		if (k > from)
			buf_addc(out, ',');
		if (is_junction(a->cond)) {
			buf_adds(out, a->cond->kind == COND_ALL ? "{\"all\":" : "{\"any\":");
			write_atoms_json(out, rs, cf, t, k + 1, k + 1 + (size_t)a->count);
			buf_adds(out, a->held ? ",\"held\":true}" : ",\"held\":false}");
			k += (size_t)a->count;
			continue;
		}
		buf_adds(out, "{\"test\":");
		buf_add(out, a->cond->desc_json, a->cond->desc_json_len);
		buf_add(out, ",\"read\":", 8);
		write_atom_value_json(out, rs, cf, a);
		if (a->cond->kind == COND_COUNT || a->cond->kind == COND_DOMAINS) {
			buf_add(out, ",\"matched\":[", 12);
			write_matched(out, rs, cf, a->cond, 1);
			buf_addc(out, ']');
		}
		if (a->held)
			buf_add(out, ",\"held\":true}", 13);
		else
			buf_add(out, ",\"held\":false}", 14);
	}
	buf_addc(out, ']');
}

/* The checks one rule made, nested as its condition is. */
static void
write_checks_json(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct trace *t, const struct trace_rule *tr)
{
	write_atoms_json(out, rs, cf, t, tr->first, tr->first + tr->n);
}

static void
write_trace_json(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct trace *t)
{
	buf_adds(out, ",\"trace\":[");
	for (size_t r = 0; r < t->nrules; r++) {
		const struct trace_rule *tr = &t->rules[r];

		buf_adds(out, r ? ",{\"rule\":" : "{\"rule\":");
		json_write_string(out, rs->rules[tr->rule].id, strlen(rs->rules[tr->rule].id));
		buf_printf(out, ",\"held\":%s,\"checks\":", tr->held ? "true" : "false");
		write_checks_json(out, rs, cf, t, tr);
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}

/* The strengths the case names, as ",\"strengths\":[...]"; nothing when it names none. */
static void
write_strengths_json(struct buf *out, const struct ruleset *rs, const struct case_facts *cf)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->nstrengths; i++) {
		const struct indicator_def *ind = &rs->indicators[rs->strengths[i]];

		if (!case_has_indicator(cf, rs->strengths[i]))
			continue;
		buf_adds(out, n++ ? "," : ",\"strengths\":[");
		json_write_string(out, ind->id, ind->idlen);
	}
	if (n > 0)
		buf_addc(out, ']');
}

void
engine_write_detail_json(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct decision *d, const struct trace *t)
{
	const struct rule_def *r = &rs->rules[d->rule];

	buf_addc(out, '{');
	if (d->urgency != URGENCY_NONE) {
		buf_adds(out, "\"urgency\":\"");
		buf_adds(out, urgency_name(d->urgency));
		buf_adds(out, "\",");
	}
	buf_adds(out, r->needs_consent ? "\"needs_consent\":true,\"why\":" :
	    "\"needs_consent\":false,\"why\":");
	if (t != NULL && t->nrules > 0)
		write_checks_json(out, rs, cf, t, &t->rules[t->nrules - 1]);
	else
		buf_adds(out, "[]");
	write_strengths_json(out, rs, cf);
	buf_addc(out, '}');
}

void
engine_write_json(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct decision *d, const struct trace *t)
{
	const struct rule_def *r = &rs->rules[d->rule];

	buf_add(out, "{\"case_id\":", 11);
	json_write_string(out, cf->case_id, cf->case_id_len);
	buf_add(out, r->json_tail, r->json_tail_len);
	if (r->urgency_by_cond && d->urgency != URGENCY_NONE) {
		buf_adds(out, ",\"urgency\":\"");
		buf_adds(out, urgency_name(d->urgency));
		buf_addc(out, '"');
	}
	buf_add(out, r->json_tail2, r->json_tail2_len);
	if (t != NULL) {
		buf_adds(out, ",\"reason\":");
		json_write_string(out, r->reason, strlen(r->reason));
		write_strengths_json(out, rs, cf);
		write_trace_json(out, rs, cf, t);
	}
	buf_add(out, "}\n", 2);
}

void
engine_write_trace_text(struct buf *out, const struct ruleset *rs, const struct case_facts *cf,
    const struct trace *t)
{
	struct buf v;

	buf_init(&v);
	for (size_t r = 0; r < t->nrules; r++) {
		const struct trace_rule *tr = &t->rules[r];

		size_t ends[32];	/* where each open all or any ends */
		int depth = 0;

		buf_printf(out, "    rule %s: %s\n", rs->rules[tr->rule].id,
		    tr->held ? "fires" : "does not fire");
		for (size_t k = tr->first; k < tr->first + tr->n; k++) {
			const struct trace_atom *a = &t->atoms[k];

			while (depth > 0 && k >= ends[depth - 1])
				depth--;
			buf_printf(out, "%*s", 6 + 2 * depth, "");
			if (is_junction(a->cond)) {
				buf_printf(out, "%s:  %s\n", a->cond->kind == COND_ALL ? "all" : "any",
				    a->held ? "holds" : "fails");
				if (depth < (int)FD_ARRAY_LEN(ends))
					ends[depth++] = k + 1 + (size_t)a->count;
				continue;
			}
			cond_describe(rs, a->cond, out);
			buf_reset(&v);
			write_atom_value_json(&v, rs, cf, a);
			if ((a->cond->kind == COND_COUNT || a->cond->kind == COND_DOMAINS) &&
			    a->count > 0) {
				buf_adds(&v, ": ");
				write_matched(&v, rs, cf, a->cond, 0);
			}
			buf_printf(out, "  (read %s)  %s\n", v.data, a->held ? "holds" : "fails");
		}
	}
	buf_free(&v);
}
