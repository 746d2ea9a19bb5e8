/* pathway.c: the indicator walk-through: ticks, filter, the recommendation and what would move it. */
#include "tui/state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/history.h"

/* Sorts indicator indexes by domain, then level, then place in the file. */
static void
order_indicators(const struct ruleset *rs, int *order)
{
	size_t n = 0;

	for (int dom = 0; dom < DOMAIN_COUNT; dom++)
		for (int lvl = 1; lvl <= 4; lvl++)
			for (size_t i = 0; i < rs->nindicators; i++)
				if ((int)rs->indicators[i].domain == dom &&
				    rs->indicators[i].level == lvl)
					order[n++] = (int)i;
	/* anything else (no level 1-4) at the end, in file order */
	for (size_t i = 0; i < rs->nindicators; i++) {
		int lvl = rs->indicators[i].level;

		if (lvl < 1 || lvl > 4 || (int)rs->indicators[i].domain >= DOMAIN_COUNT)
			order[n++] = (int)i;
	}
}

void
tui_pathway_init(struct tui_pathway *p, const struct ruleset *rs)
{
	memset(p, 0, sizeof *p);
	p->rs = rs;
	p->selected = xcalloc(rs->nindicators ? rs->nindicators : 1, 1);
	p->order = xcalloc(rs->nindicators ? rs->nindicators : 1, sizeof *p->order);
	p->visible = xcalloc(rs->nindicators ? rs->nindicators : 1, sizeof *p->visible);
	p->norder = rs->nindicators;
	order_indicators(rs, p->order);
	tui_edit_init(&p->filter, 40);
	case_init(&p->cf, rs);
	trace_init(&p->tr);
	buf_init(&p->facts);
	buf_init(&p->evaluated);
	tui_pathway_filter(p);
}

void
tui_pathway_free(struct tui_pathway *p)
{
	free(p->selected);
	free(p->order);
	free(p->visible);
	tui_edit_free(&p->filter);
	case_free(&p->cf);
	trace_free(&p->tr);
	buf_free(&p->facts);
	buf_free(&p->evaluated);
	free(p->error);
	free(p->changes);
	memset(p, 0, sizeof *p);
}

static int
lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t m = strlen(needle);

	if (m == 0)
		return 1;
	for (; *hay; hay++) {
		size_t k = 0;

		while (k < m && hay[k] && lower_ascii((unsigned char)hay[k]) ==
		    lower_ascii((unsigned char)needle[k]))
			k++;
		if (k == m)
			return 1;
	}
	return 0;
}

void
tui_pathway_filter(struct tui_pathway *p)
{
	int cur = tui_pathway_current(p);

	p->nvisible = 0;
	for (size_t k = 0; k < p->norder; k++) {
		const struct indicator_def *ind = &p->rs->indicators[p->order[k]];

		if (contains_ci(ind->text, p->filter.text) || contains_ci(ind->id, p->filter.text) ||
		    (ind->guidance != NULL && contains_ci(ind->guidance, p->filter.text)))
			p->visible[p->nvisible++] = p->order[k];
	}
	/* keep the cursor on the same indicator if it is still shown */
	p->cursor = 0;
	for (size_t k = 0; k < p->nvisible; k++)
		if (p->visible[k] == cur)
			p->cursor = k;
	if (p->top > p->cursor)
		p->top = p->cursor;
}

int
tui_pathway_current(const struct tui_pathway *p)
{
	return p->cursor < p->nvisible ? p->visible[p->cursor] : -1;
}

void
tui_pathway_recount(struct tui_pathway *p)
{
	p->nselected = 0;
	for (size_t i = 0; i < p->rs->nindicators; i++)
		p->nselected += p->selected[i] != 0;
}

int
tui_pathway_toggle(struct tui_pathway *p)
{
	int i = tui_pathway_current(p);

	if (i < 0)
		return 0;
	p->selected[i] = !p->selected[i];
	tui_pathway_recount(p);
	return 1;
}

void
tui_pathway_move(struct tui_pathway *p, long delta, size_t rows)
{
	struct tui_list l = { p->nvisible, p->cursor, p->top };

	tui_list_move(&l, delta, rows);
	p->cursor = l.cursor;
	p->top = l.top;
}

void
tui_pathway_evaluate(struct tui_pathway *p, const struct tui_form *intake, const char *case_id)
{
	free(p->error);
	p->error = NULL;
	p->have_dec = 0;
	p->nchanges = 0;
	tui_case_json(intake, case_id, p->rs, p->selected, &p->facts);
	trace_reset(&p->tr);
	buf_reset(&p->evaluated);
	if (p->store != NULL && history_used(p->rs)) {
		if (history_preview(p->store, p->rs, p->facts.data, p->facts.len,
		    (int64_t)time(NULL), &p->evaluated, &p->error) < 0)
			return;
	} else {
		buf_add(&p->evaluated, p->facts.data, p->facts.len);
	}
	if (case_parse(&p->cf, p->evaluated.data, p->evaluated.len, &p->error) < 0)
		return;
	if (engine_decide(p->rs, &p->cf, &p->dec, &p->tr) < 0) {
		p->error = xstrdup("no rule matched this case");
		return;
	}
	p->have_dec = 1;
	audit_changes(&p->cf, &p->dec, &p->changes, &p->nchanges, &p->changecap);
}

void
tui_pathway_why(const struct tui_pathway *p, struct buf *out)
{
	buf_reset(out);
	if (!p->have_dec)
		return;
	for (size_t r = 0; r < p->tr.nrules; r++) {
		const struct trace_rule *tr = &p->tr.rules[r];

		if (!tr->held || tr->rule != p->dec.rule)
			continue;
		for (size_t k = 0; k < tr->n; k++) {
			const struct trace_atom *a = &p->tr.atoms[tr->first + k];

			if (k > 0)
				buf_adds(out, "; ");
			cond_describe(p->rs, a->cond, out);
			if (a->cond->kind == COND_COUNT)
				buf_printf(out, " (read %ld)", a->count);
			buf_adds(out, a->held ? " holds" : " fails");
			/* a nested all or any says it all: its parts' checks follow it */
			if (a->cond->kind == COND_ALL || a->cond->kind == COND_ANY)
				k += (size_t)a->count;
		}
		if (tr->n == 0)
			buf_adds(out, "always");
	}
}

/* The level whose route this is, or NULL. */
static const struct level_def *
route_level(const struct ruleset *rs, int route)
{
	if (rs == NULL || route < 0 || route >= ROUTE_COUNT)
		return NULL;
	for (int l = 0; l < 4; l++)
		if (rs->levels[l].level != 0 && (int)rs->levels[l].route == route)
			return &rs->levels[l];
	return NULL;
}

const char *
tui_route_label(const struct ruleset *rs, int route)
{
	static const char *const plain[ROUTE_COUNT] = { "Level 1", "Level 2", "Level 3", "Level 4" };
	const struct level_def *lv = route_level(rs, route);

	if (lv != NULL && lv->label != NULL)
		return lv->label;
	return route >= 0 && route < ROUTE_COUNT ? plain[route] : "-";
}

const char *
tui_route_short(const struct ruleset *rs, int route)
{
	static const char *const plain[ROUTE_COUNT] = { "L1", "L2", "L3", "L4" };
	const struct level_def *lv = route_level(rs, route);

	if (lv != NULL && lv->short_label != NULL)
		return lv->short_label;
	return route >= 0 && route < ROUTE_COUNT ? plain[route] : "-";
}

const char *
tui_domain_short(int domain)
{
	static const char *const labels[DOMAIN_COUNT] = { "Dev", "Par", "Fam" };

	return domain >= 0 && domain < DOMAIN_COUNT ? labels[domain] : "?";
}

void
tui_pathway_changes_text(const struct tui_pathway *p, size_t max, struct buf *out)
{
	size_t lines = 0;
	int fi = audit_consent_fact(p->rs);

	buf_reset(out);
	if (!p->have_dec)
		return;
	/* consent first: it is a fact the officer can check with the referrer */
	for (size_t k = 0; k < p->nchanges && lines < max; k++) {
		const struct audit_change *c = &p->changes[k];

		if (c->consent < 0 || fi < 0)
			continue;
		buf_printf(out, "%s if consent were %s (rule %s)\n", tui_route_label(p->rs, c->route),
		    p->rs->facts[fi].values[c->consent], p->rs->rules[c->rule].id);
		lines++;
	}
	/* removals, one by one: each is a need already recorded */
	for (size_t k = 0; k < p->nchanges && lines < max; k++) {
		const struct audit_change *c = &p->changes[k];

		if (c->indicator < 0 || c->add)
			continue;
		buf_printf(out, "%s without %s (rule %s)\n", tui_route_label(p->rs, c->route),
		    p->rs->indicators[c->indicator].id, p->rs->rules[c->rule].id);
		lines++;
	}
	/* additions, grouped by the route they lead to */
	for (int route = ROUTE_COUNT - 1; route >= 0 && lines < max; route--) {
		size_t n = 0;
		int example = -1;

		for (size_t k = 0; k < p->nchanges; k++) {
			const struct audit_change *c = &p->changes[k];

			if (c->indicator >= 0 && c->add && (int)c->route == route) {
				if (example < 0)
					example = c->indicator;
				n++;
			}
		}
		if (n == 0)
			continue;
		buf_printf(out, "%s if %s were added", tui_route_label(p->rs, route),
		    p->rs->indicators[example].id);
		if (n > 1)
			buf_printf(out, " (or any of %zu more)", n - 1);
		buf_addc(out, '\n');
		lines++;
	}
	if (lines == 0)
		buf_adds(out, "No single change of an indicator or of consent changes the route.\n");
}

/*
 * The profile's label of the consent value recorded, and whether the profile
 * asks why for it (consent not sought, not required); NULL if none is recorded.
 */
static const char *
consent_value(const struct ruleset *rs, const char *consent, int *asked_why)
{
	int fi = audit_consent_fact(rs);
	const struct form_field *q;

	*asked_why = 0;
	if (fi < 0 || *consent == '\0')
		return NULL;
	q = rules_form_question(rs, fi);
	for (size_t k = 0; k < rs->facts[fi].nvalues; k++)
		if (strcmp(rs->facts[fi].values[k], consent) == 0) {
			*asked_why = q != NULL && q->ask_why != NULL && q->ask_why[k];
			return rules_value_label(rs, fi, k);
		}
	return NULL;
}

const char *
tui_consent_note(const struct tui_pathway *p, const char *consent, char *out, size_t outsz)
{
	const char *label, *note;
	int asked_why;

	if (!p->have_dec)
		return NULL;
	label = consent_value(p->rs, consent, &asked_why);
	if (p->rs->rules[p->dec.rule].needs_consent)
		note = "early help is voluntary and needs it.";
	else if (p->dec.route == ROUTE_MASH && asked_why)
		note = "the reason goes with the referral.";
	else if (p->dec.route == ROUTE_MASH)
		note = "a safeguarding referral does not depend on it.";
	else
		note = "not needed for this route.";
	snprintf(out, outsz, "%s; %s", label != NULL ? label : "not recorded", note);
	return out;
}
