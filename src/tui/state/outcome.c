/* outcome.c: the form that records an outcome (progress or closure) or steps a case up or down. */
#include "tui/state/forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outcomes.h"
#include "core/actions.h"
#include "core/due.h"

static const char *const mode_values[] = { "outcome", "step_up", "step_down" };
static const char *const mode_labels[] = {
	"Record an outcome", "Step up to the MASH",
	"Step down to targeted early help",
};

#define OUTCOME_STR_(x) #x
#define OUTCOME_STR(x) OUTCOME_STR_(x)

static const char *const urgency_values[] = { "green", "amber", "red" };
static const char *const urgency_labels[] = {
	"GREEN: decision by the end of the next working day",
	"AMBER: decision by the end of the next working day",
	"RED: decision within " OUTCOME_STR(DUE_RED_HOURS) " hours, day or night",
};

/* The urgency a step-up needs: asked of core, so the command line refuses in the same words. */
static const char *
valid_urgency(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	int up = tui_outcome_mode(f) == OM_STEP_UP;
	int u = f->f[i].choice < 0 ? URGENCY_NONE : URGENCY_GREEN + f->f[i].choice;
	char *cause = NULL;

	if (action_check_step_urgency(up, up ? u : URGENCY_NONE, &cause) == 0)
		return NULL;
	snprintf(msg, msgsz, "%s", cause);
	free(cause);
	return msg;
}

int
tui_outcome_urgency(const struct tui_form *f)
{
	if (tui_outcome_mode(f) != OM_STEP_UP || f->f[OF_URGENCY].choice < 0)
		return URGENCY_NONE;
	return URGENCY_GREEN + f->f[OF_URGENCY].choice;
}

static const char *
valid_note(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	if (tui_outcome_mode(f) == OM_OUTCOME)
		return NULL;
	return tui_valid_rationale(f, i, msg, msgsz, "rationale");
}

static void
outcome_relayout(struct tui_form *f)
{
	int close = f->f[OF_MODE].choice == OM_OUTCOME;

	f->f[OF_CODE].hidden = !close;
	f->f[OF_URGENCY].hidden = f->f[OF_MODE].choice != OM_STEP_UP;
	f->f[OF_NOTE].label = close ? "Notes" : "Rationale";
}

/* Whether code i of rs goes in a table: every code, or with closures set only closures. */
static int
table_has(const struct ruleset *rs, size_t i, int closures, struct outcome_code *oc)
{
	outcome_at(rs, i, oc);
	return !closures || oc->closes;
}

const char **
tui_outcome_table(const struct ruleset *rs, int closures, const char *value0, const char *label0,
    size_t *n)
{
	size_t count = value0 != NULL, bytes = 0, k;
	struct outcome_code oc;
	const char **tab;
	char *p;

	for (size_t i = 0; rs != NULL && i < outcome_count(rs); i++)
		if (table_has(rs, i, closures, &oc)) {
			count++;
			bytes += strlen(oc.id) + strlen(oc.label) + 2;
		}
	/* one block: the values, the labels, then copies of their text */
	tab = xcalloc(1, 2 * count * sizeof *tab + bytes + 1);
	p = (char *)(tab + 2 * count);
	k = 0;
	if (value0 != NULL) {
		tab[0] = value0;
		tab[count] = label0;
		k = 1;
	}
	for (size_t i = 0; rs != NULL && i < outcome_count(rs); i++) {
		if (!table_has(rs, i, closures, &oc))
			continue;
		tab[k] = memcpy(p, oc.id, strlen(oc.id) + 1);
		p += strlen(oc.id) + 1;
		tab[count + k++] = memcpy(p, oc.label, strlen(oc.label) + 1);
		p += strlen(oc.label) + 1;
	}
	*n = count;
	return tab;
}

void
tui_outcome_init(struct tui_form *f, enum tui_outcome_mode mode, const struct ruleset *rs)
{
	struct tui_field *v;
	const char **tab;
	size_t n;

	memset(f, 0, sizeof *f);
	/* the rule set's outcome codes and labels, in tables the choice field points at */
	f->owned = tab = tui_outcome_table(rs, 0, NULL, NULL, &n);
	f->n = OF_COUNT;
	f->f = v = xcalloc(OF_COUNT, sizeof *f->f);
	tui_field_choice(&v[OF_MODE], "mode", "Action", mode_values, mode_labels, 3);
	v[OF_MODE].choice = (int)mode;
	tui_field_choice(&v[OF_CODE], "code", "Outcome", tab, tab + n, n);
	tui_field_select(&v[OF_URGENCY], "urgency", "Urgency", urgency_values, urgency_labels, 3);
	v[OF_URGENCY].validate = valid_urgency;
	tui_field_narrative(&v[OF_NOTE], "note", "Notes", 0, 4, valid_note);
	f->relayout = outcome_relayout;
	outcome_relayout(f);
}

enum tui_outcome_mode
tui_outcome_mode(const struct tui_form *f)
{
	return (enum tui_outcome_mode)f->f[OF_MODE].choice;
}

enum action
tui_outcome_action(const struct tui_form *f)
{
	return tui_outcome_mode(f) == OM_OUTCOME ? ACT_OUTCOME : ACT_STEP;
}

enum case_act
tui_outcome_case_act(enum tui_outcome_mode m)
{
	return m == OM_OUTCOME ? CASE_ACT_OUTCOME : m == OM_STEP_UP ? CASE_ACT_STEP_UP :
	    CASE_ACT_STEP_DOWN;
}
