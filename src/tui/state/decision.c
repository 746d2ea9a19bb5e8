/* decision.c: the decision form: accept or override, urgency, strategy, feedback, closing, and its preview. */
#include "tui/state/forms.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const choice_values[] = { "accept", "override" };
static const char *const choice_labels[] = { "Accept the recommendation", "Override it" };
static const char *const route_values[] = {
	"universal", "early_help_unit", "targeted_early_help", "mash",
};
static const char *const urgency_values[] = { "rule", "red", "amber", "green" };
static const char *const urgency_labels[] = {
	"As the rule says", "Red", "Amber", "Green",
};
static const char *const strategy_values[] = { "yes", "no" };
static const char *const strategy_labels[] = { "Yes: a strategy discussion is needed", "No" };

static const char *
valid_override_route(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	(void)msg;
	(void)msgsz;
	if (f->f[i].choice == f->ctx)
		return "that is the recommended route: choose another, or accept";
	return NULL;
}

static const char *
valid_rationale(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	if (f->f[DF_CHOICE].choice != 1 && f->f[i].edit.len == 0)
		return NULL;
	return tui_valid_rationale(f, i, msg, msgsz, "rationale");
}

static const char *
valid_feedback(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	return tui_valid_min_chars(f, i, msg, msgsz, 10);
}

int
tui_decision_final(const struct tui_form *f, int recommended)
{
	return f->f[DF_CHOICE].choice == 1 ? f->f[DF_ROUTE].choice : recommended;
}

static void
decision_relayout(struct tui_form *f)
{
	int override = f->f[DF_CHOICE].choice == 1;

	f->f[DF_ROUTE].hidden = !override;
	f->f[DF_RATIONALE].required = override;
	f->f[DF_STRATEGY].hidden = tui_decision_final(f, f->ctx) != ROUTE_MASH;
	/* closing at once is for a Universal contact, and only with a closure to choose */
	f->f[DF_CLOSE].hidden = tui_decision_final(f, f->ctx) != ROUTE_UNIVERSAL ||
	    f->f[DF_CLOSE].nchoices < 2;
}

/*
 * The override's routes in the rule set's words, "Early Help Unit (level 2)",
 * and the closures offered; freed with the form.
 */
struct decision_owned {
	char *text[ROUTE_COUNT];
	const char *labels[ROUTE_COUNT];
	const char **close;	/* tui_outcome_table's block */
};

static void
decision_owned_free(void *p)
{
	struct decision_owned *o = p;

	for (int r = 0; r < ROUTE_COUNT; r++)
		free(o->text[r]);
	free(o->close);
	free(o);
}

static int
level_of(const struct ruleset *rs, int route)
{
	for (int l = 0; rs != NULL && l < 4; l++)
		if ((int)rs->levels[l].route == route && rs->levels[l].level != 0)
			return rs->levels[l].level;
	return route + 1;
}

void
tui_decision_init(struct tui_form *f, const struct ruleset *rs)
{
	struct decision_owned *o;
	struct tui_field *v;
	const char **close;
	size_t nclose;

	memset(f, 0, sizeof *f);
	f->owned = o = xcalloc(1, sizeof *o);
	f->free_owned = decision_owned_free;
	for (int r = 0; r < ROUTE_COUNT; r++)
		o->labels[r] = o->text[r] = xasprintf("%s (level %d)", tui_route_label(rs, r),
		    level_of(rs, r));
	f->n = DF_COUNT;
	f->f = v = xcalloc(DF_COUNT, sizeof *f->f);
	tui_field_select(&v[DF_CHOICE], "choice", "Decision", choice_values, choice_labels, 2);
	tui_field_choice(&v[DF_ROUTE], "route", "Override to", route_values, o->labels, 4);
	v[DF_ROUTE].validate = valid_override_route;
	tui_field_narrative(&v[DF_RATIONALE], "rationale", "Rationale", 0, 3, valid_rationale);
	tui_field_choice(&v[DF_URGENCY], "urgency", "Urgency", urgency_values, urgency_labels, 4);
	tui_field_select(&v[DF_STRATEGY], "strategy", "Strategy discussion", strategy_values,
	    strategy_labels, 2);
	tui_field_narrative(&v[DF_FEEDBACK], "feedback", "Feedback to referrer", 1, 2,
	    valid_feedback);
	o->close = close = tui_outcome_table(rs, 1, "open", "No: leave it open", &nclose);
	tui_field_choice(&v[DF_CLOSE], "close", "Close it now", close, close + nclose, nclose);
	f->relayout = decision_relayout;
	f->ctx = 0;
	decision_relayout(f);
}

void
tui_decision_update(struct tui_form *f, int recommended)
{
	f->ctx = recommended;
	/* until the person overrides, an override would go one level down (up from universal) */
	if (f->f[DF_CHOICE].choice != 1)
		f->f[DF_ROUTE].choice = recommended == ROUTE_UNIVERSAL ? ROUTE_EARLY_HELP_UNIT :
		    recommended - 1;
	decision_relayout(f);
}

void
tui_decision_fill(const struct tui_form *f, int recommended, const char *facts,
    size_t facts_len, struct route_decision *d)
{
	int final = tui_decision_final(f, recommended), u = f->f[DF_URGENCY].choice;

	memset(d, 0, sizeof *d);
	d->facts = facts;
	d->facts_len = facts_len;
	d->seen_route = recommended;
	d->final_route = f->f[DF_CHOICE].choice == 1 ? f->f[DF_ROUTE].choice : -1;
	d->rationale = f->f[DF_RATIONALE].edit.len > 0 ? f->f[DF_RATIONALE].edit.text : NULL;
	d->urgency = u == 0 ? -1 : u == 1 ? URGENCY_RED : u == 2 ? URGENCY_AMBER : URGENCY_GREEN;
	d->strategy_discussion = final != ROUTE_MASH || f->f[DF_STRATEGY].choice < 0 ? -1 :
	    f->f[DF_STRATEGY].choice == 0;
	d->feedback = f->f[DF_FEEDBACK].edit.len > 0 ? f->f[DF_FEEDBACK].edit.text : NULL;
	if (!f->f[DF_CLOSE].hidden && final == ROUTE_UNIVERSAL && f->f[DF_CLOSE].choice > 0)
		d->close_code = f->f[DF_CLOSE].choices[f->f[DF_CLOSE].choice];
}

static void
preview_add(char ***lines, size_t *n, size_t *cap, const char *label, const char *fmt, ...)
    FD_ATTR_PRINTF(5, 6);

static void
preview_add(char ***lines, size_t *n, size_t *cap, const char *label, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = xvasprintf(fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_printf(&b, "%-16s %s", label, v);
	free(v);
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*lines = xreallocarray(*lines, *cap, sizeof **lines);
	}
	(*lines)[(*n)++] = buf_steal(&b);
}

void
tui_decision_preview(const struct tui_form *f, const struct tui_pathway *p, const char *user,
    const char *role, char ***lines, size_t *n)
{
	const struct ruleset *rs = p->rs;
	struct route_decision d;
	size_t cap = 0;
	int rec = p->dec.route, final;

	*lines = NULL;
	*n = 0;
	tui_decision_fill(f, rec, p->facts.data, p->facts.len, &d);
	final = d.final_route >= 0 ? d.final_route : rec;
	preview_add(lines, n, &cap, "kind", "%s", d.final_route >= 0 && d.final_route != rec ?
	    "override" : "route");
	preview_add(lines, n, &cap, "case", "%.*s", (int)p->cf.case_id_len, p->cf.case_id);
	preview_add(lines, n, &cap, "actor", "%s (%s)", user, role);
	preview_add(lines, n, &cap, "time", "%s", "when you confirm (UTC)");
	preview_add(lines, n, &cap, "rule set", "%s %s, sha256:%s", rs->name, rs->version,
	    rs->hash);
	preview_add(lines, n, &cap, "engine", "%s", RECORD_ENGINE);
	preview_add(lines, n, &cap, "recommended", "%s (level %d) by rule %s", route_name(rec),
	    p->dec.level, rs->rules[p->dec.rule].id);
	preview_add(lines, n, &cap, "final route", "%s (level %d)",
	    route_name((enum route_id)final), final == rec ? p->dec.level : level_of(rs, final));
	preview_add(lines, n, &cap, "rationale", "%s", d.rationale != NULL ? d.rationale : "(none)");
	preview_add(lines, n, &cap, "urgency", "%s", d.urgency < 0 ?
	    urgency_name(p->dec.urgency) :
	    urgency_name((enum urgency)d.urgency));
	if (d.strategy_discussion >= 0)
		preview_add(lines, n, &cap, "strategy disc.", "%s",
		    d.strategy_discussion ? "needed" : "not needed");
	preview_add(lines, n, &cap, "feedback", "%s", d.feedback != NULL ? d.feedback : "(none)");
	if (d.close_code != NULL)
		preview_add(lines, n, &cap, "then closed", "%s (%s): an outcome record after it, "
		    "in the same write", d.close_code,
		    f->f[DF_CLOSE].labels[f->f[DF_CLOSE].choice]);
	preview_add(lines, n, &cap, "facts", "%s", p->evaluated.data);	/* with the history read */
	if (rs->rules[p->dec.rule].needs_consent || final != rec)
		preview_add(lines, n, &cap, "sign-off", "%s", final != rec ?
		    "an override waits for a manager's sign-off" : "not needed");
}
