/* outcome.c: the form that closes early help with a reason or steps a case up or down. */
#include "tui/state/forms.h"

#include <string.h>

static const char *const mode_values[] = { "outcome", "step_up", "step_down" };
static const char *const mode_labels[] = {
	"Close early help with a reason", "Step up to the MASH",
	"Step down to targeted early help",
};

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
	f->f[OF_NOTE].label = close ? "Notes" : "Rationale";
}

void
tui_outcome_init(struct tui_form *f, enum tui_outcome_mode mode)
{
	struct tui_field *v;
	const char **tab;

	memset(f, 0, sizeof *f);
	/* the outcome codes' names and labels, in tables the choice field points at */
	f->owned = tab = xcalloc(2 * OUTCOME_COUNT, sizeof *tab);
	for (int c = 0; c < OUTCOME_COUNT; c++) {
		tab[c] = outcome_name((enum outcome_code)c);
		tab[OUTCOME_COUNT + c] = outcome_label((enum outcome_code)c);
	}
	f->n = OF_COUNT;
	f->f = v = xcalloc(OF_COUNT, sizeof *f->f);
	tui_field_choice(&v[OF_MODE], "mode", "Action", mode_values, mode_labels, 3);
	v[OF_MODE].choice = (int)mode;
	tui_field_choice(&v[OF_CODE], "code", "Reason", tab, tab + OUTCOME_COUNT, OUTCOME_COUNT);
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
