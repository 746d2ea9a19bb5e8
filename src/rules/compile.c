/* compile.c: turns count selectors into indicator bit masks and indexes indicator ids. */
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"

/*
 * The indicator table's hash: the first and last eight (or four) bytes of an
 * id, mixed. Only where an id sits in the table depends on it, never a result.
 */
static uint32_t
hash_id(const char *s, size_t n)
{
	uint64_t a = 0, b = 0, h;
	uint32_t u = 0, w = 0;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&u, s, 4);
		memcpy(&w, s + n - 4, 4);
		a = u;
		b = w;
	} else {
		for (size_t i = 0; i < n; i++)
			a = a << 8 | (unsigned char)s[i];
	}
	h = a * UINT64_C(0x9e3779b97f4a7c15) ^ (b * UINT64_C(0xc2b2ae3d27d4eb4f) + n);
	h ^= h >> 31;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	return (uint32_t)(h ^ h >> 32);
}

static int
selector_matches(const struct ruleset *rs, const struct selector *sel, size_t ind)
{
	const struct indicator_def *d = &rs->indicators[ind];

	if (d->strength)
		return 0;	/* never counted: strengths do not route */
	if (sel->levels != 0 && !(sel->levels & (1u << d->level)))
		return 0;
	if (sel->domains != 0 && !(sel->domains & (1u << d->domain)))
		return 0;
	if (sel->flag >= 0 && !(d->flags & (UINT64_C(1) << sel->flag)))
		return 0;
	if (sel->ids != NULL) {
		for (size_t k = 0; k < sel->nids; k++)
			if ((size_t)sel->ids[k] == ind)
				return 1;
		return 0;
	}
	return 1;
}

/* Finds or adds the mask for a selector, so equal selectors share one count. */
static int
intern_mask(struct ruleset *rs, const uint64_t *mask)
{
	for (size_t m = 0; m < rs->nmasks; m++)
		if (memcmp(rs->masks + m * rs->nwords, mask, rs->nwords * sizeof *mask) == 0)
			return (int)m;
	rs->masks = xreallocarray(rs->masks, (rs->nmasks + 1) * rs->nwords, sizeof *mask);
	memcpy(rs->masks + rs->nmasks * rs->nwords, mask, rs->nwords * sizeof *mask);
	return (int)rs->nmasks++;
}

/* The mask of the indicators a selector matches (within domain dom, unless it is -1). */
static int
selector_mask(struct ruleset *rs, const struct selector *sel, int dom, uint64_t *scratch)
{
	memset(scratch, 0, rs->nwords * sizeof *scratch);
	for (size_t i = 0; i < rs->nindicators; i++)
		if (selector_matches(rs, sel, i) && (dom < 0 || (int)rs->indicators[i].domain == dom))
			scratch[i / 64] |= UINT64_C(1) << (i % 64);
	return intern_mask(rs, scratch);
}

/* Keeps each leaf's description as a ready JSON string, for traces and log records. */
static void
compile_description(const struct ruleset *rs, struct cond *c)
{
	struct buf text, json;

	buf_init(&text);
	buf_init(&json);
	cond_describe(rs, c, &text);
	json_write_string(&json, text.data, text.len);
	c->desc_json_len = json.len;
	c->desc_json = buf_steal(&json);
	buf_free(&text);
}

static void
compile_cond(struct ruleset *rs, struct cond *c, uint64_t *scratch)
{
	if (c == NULL)
		return;
	if (c->desc_json == NULL && (c->nkids == 0 || c->kind == COND_NOT))
		compile_description(rs, c);
	if (c->kind == COND_COUNT || c->kind == COND_DOMAINS)
		c->sel.mask = selector_mask(rs, &c->sel, -1, scratch);
	if (c->kind == COND_DOMAINS)
		for (int d = 0; d < DOMAIN_COUNT; d++)
			c->dmasks[d] = selector_mask(rs, &c->sel, d, scratch);
	for (size_t i = 0; i < c->nkids; i++)
		compile_cond(rs, c->kids[i], scratch);
}

/* Every decision by one rule shares all but its case id: write that part once. */
static void
compile_json_tail(const struct ruleset *rs, struct rule_def *r)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, ",\"route\":\"%s\",\"level\":%d", route_name(r->route), r->level);
	if (r->need_level != r->level)
		buf_printf(&b, ",\"need_level\":%d", r->need_level);
	buf_printf(&b, ",\"rule\":\"%s\",\"ruleset\":\"sha256:%s\"", r->id, rs->hash);
	if (r->urgency != URGENCY_NONE)
		buf_printf(&b, ",\"urgency\":\"%s\"", urgency_name(r->urgency));
	/* an urgency set by conditions goes here, case by case */
	r->json_tail_len = b.len;
	r->json_tail = buf_steal(&b);
	buf_printf(&b, ",\"needs_consent\":%s", r->needs_consent ? "true" : "false");
	r->json_tail2_len = b.len;
	r->json_tail2 = buf_steal(&b);
}

/* The segment below node n named name[0..len), added if it is not there yet. */
static int
path_child(struct ruleset *rs, int n, const char *name, size_t len)
{
	int c = rules_find_path(rs, n, name, len);

	if (c >= 0)
		return c;
	c = (int)rs->npaths++;
	rs->paths[c] = (struct path_node){ name, len, -1, -1, rs->paths[n].child };
	rs->paths[n].child = c;
	return c;
}

/* The facts' paths as a tree of segments, so a case is read without building paths. */
static void
build_path_tree(struct ruleset *rs)
{
	size_t cap = 1;

	for (size_t i = 0; i < rs->nfacts; i++)
		for (const char *p = rs->facts[i].path; *p; p++)
			cap += *p == '.';
	cap += rs->nfacts;
	rs->paths = xcalloc(cap, sizeof *rs->paths);
	rs->paths[0] = (struct path_node){ "", 0, -1, -1, -1 };
	rs->npaths = 1;
	for (size_t i = 0; i < rs->nfacts; i++) {
		const char *seg = rs->facts[i].path, *dot;
		int n = 0;

		while ((dot = strchr(seg, '.')) != NULL) {
			n = path_child(rs, n, seg, (size_t)(dot - seg));
			seg = dot + 1;
		}
		n = path_child(rs, n, seg, strlen(seg));
		rs->paths[n].fact = (int)i;
	}
}

void
rules_compile(struct ruleset *rs)
{
	uint64_t *scratch;

	rs->nwords = (rs->nindicators + 63) / 64;
	if (rs->nwords == 0)
		rs->nwords = 1;
	scratch = xcalloc(rs->nwords, sizeof *scratch);
	for (size_t i = 0; i < rs->nconds; i++)
		compile_cond(rs, rs->conds[i].cond, scratch);
	for (size_t i = 0; i < rs->nvalidity; i++)
		compile_cond(rs, rs->validity[i].when, scratch);
	for (size_t i = 0; i < rs->nrules; i++) {
		compile_cond(rs, rs->rules[i].when, scratch);
		for (int u = 0; u <= URGENCY_RED; u++)
			compile_cond(rs, rs->rules[i].urgency_when[u], scratch);
	}
	free(scratch);
	for (size_t i = 0; i < rs->nrules; i++)
		compile_json_tail(rs, &rs->rules[i]);

	rs->ind_table_size = 16;
	while (rs->ind_table_size < 2 * rs->nindicators)
		rs->ind_table_size *= 2;
	rs->ind_table = xcalloc(rs->ind_table_size, sizeof *rs->ind_table);
	build_path_tree(rs);
	rs->strengths = xcalloc(rs->nindicators + 1, sizeof *rs->strengths);
	for (size_t i = 0; i < rs->nindicators; i++)
		if (rs->indicators[i].strength)
			rs->strengths[rs->nstrengths++] = (int)i;
	for (size_t i = 0; i < rs->nindicators; i++) {
		const char *id = rs->indicators[i].id;
		size_t slot = hash_id(id, strlen(id)) & (rs->ind_table_size - 1);

		while (rs->ind_table[slot] != 0)
			slot = (slot + 1) & (rs->ind_table_size - 1);
		rs->ind_table[slot] = (uint32_t)i + 1;
		rs->indicators[i].idlen = strlen(id);
	}
}

int
rules_find_path(const struct ruleset *rs, int n, const char *name, size_t len)
{
	for (int c = rs->paths[n].child; c >= 0; c = rs->paths[c].next)
		if (rs->paths[c].namelen == len && bytes_eq(rs->paths[c].name, name, len))
			return c;
	return -1;
}

int
rules_find_indicator(const struct ruleset *rs, const char *id, size_t len)
{
	size_t slot = hash_id(id, len) & (rs->ind_table_size - 1);

	while (rs->ind_table[slot] != 0) {
		const struct indicator_def *cand = &rs->indicators[rs->ind_table[slot] - 1];

		if (cand->idlen == len && bytes_eq(cand->id, id, len))
			return (int)rs->ind_table[slot] - 1;
		slot = (slot + 1) & (rs->ind_table_size - 1);
	}
	return -1;
}

int
rules_find_rule(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return (int)i;
	return -1;
}

static void
describe_literal(const struct literal *lit, struct buf *out)
{
	char num[64];

	switch (lit->type) {
	case FACT_STRING:
		json_write_string(out, lit->str, lit->len);
		break;
	case FACT_INTEGER:
	case FACT_NUMBER:
		format_number(num, sizeof num, lit->num);
		buf_adds(out, num);
		break;
	case FACT_BOOLEAN:
		buf_adds(out, lit->boolean ? "true" : "false");
		break;
	}
}

static void
describe_selector(const struct ruleset *rs, const char *what, const struct selector *sel,
    struct buf *out)
{
	const char *sep = "";

	buf_printf(out, "%s(", what);
	if (sel->levels != 0) {
		const char *lsep = " ";
		buf_adds(out, "level");
		for (int l = 1; l <= 4; l++)
			if (sel->levels & (1u << l))
				buf_printf(out, "%s%d", lsep, l), lsep = "/";
		sep = ", ";
	}
	if (sel->domains != 0) {
		buf_printf(out, "%sdomain", sep);
		const char *dsep = " ";
		for (int d = 0; d < DOMAIN_COUNT; d++)
			if (sel->domains & (1u << d))
				buf_printf(out, "%s%s", dsep, domain_name((enum domain_id)d)), dsep = "/";
		sep = ", ";
	}
	if (sel->flag >= 0) {
		buf_printf(out, "%sflag %s", sep, rs->flags[sel->flag].id);
		sep = ", ";
	}
	if (sel->ids != NULL) {
		buf_printf(out, "%sids ", sep);
		for (size_t i = 0; i < sel->nids; i++)
			buf_printf(out, "%s%s", i ? "/" : "", rs->indicators[sel->ids[i]].id);
		sep = ", ";
	}
	if (*sep == '\0')
		buf_adds(out, "any indicator");
	buf_addc(out, ')');
}

void
cond_describe(const struct ruleset *rs, const struct cond *c, struct buf *out)
{
	static const char *const ops[] = { "=", "!=", "<", "<=", ">", ">=", "in", "not in" };

	switch (c->kind) {
	case COND_ALWAYS:
		buf_adds(out, "always");
		break;
	case COND_ALL:
	case COND_ANY:
		buf_adds(out, c->kind == COND_ALL ? "all(" : "any(");
		for (size_t i = 0; i < c->nkids; i++) {
			if (i)
				buf_adds(out, ", ");
			cond_describe(rs, c->kids[i], out);
		}
		buf_addc(out, ')');
		break;
	case COND_NOT:
		buf_adds(out, "not(");
		if (c->nkids)
			cond_describe(rs, c->kids[0], out);
		buf_addc(out, ')');
		break;
	case COND_INDICATOR:
		buf_printf(out, "indicator %s", rs->indicators[c->index].id);
		break;
	case COND_REF:
		buf_printf(out, "condition %s", rs->conds[c->index].id);
		break;
	case COND_COUNT:
	case COND_DOMAINS:
		describe_selector(rs, c->kind == COND_COUNT ? "count" : "domains", &c->sel, out);
		if (c->at_least >= 0 && c->at_most >= 0)
			buf_printf(out, " in %ld..%ld", c->at_least, c->at_most);
		else if (c->at_least >= 0)
			buf_printf(out, " >= %ld", c->at_least);
		else
			buf_printf(out, " <= %ld", c->at_most);
		break;
	case COND_COMPARE:
		buf_printf(out, "%s %s ", rs->facts[c->index].path, ops[c->op]);
		if (c->other >= 0) {
			buf_adds(out, rs->facts[c->other].path);
			break;
		}
		if (c->list >= 0) {
			buf_adds(out, rs->lists[c->list].id);
			break;
		}
		if (c->op == OP_IN || c->op == OP_NOT_IN)
			buf_addc(out, '[');
		for (size_t i = 0; i < c->nlits; i++) {
			if (i)
				buf_adds(out, ", ");
			describe_literal(&c->lits[i], out);
		}
		if (c->op == OP_IN || c->op == OP_NOT_IN)
			buf_addc(out, ']');
		break;
	case COND_PRESENT:
	case COND_MISSING:
		buf_printf(out, "%s(%s)", c->kind == COND_PRESENT ? "present" : "missing",
		    rs->facts[c->index].path);
		break;
	}
}
