/* outcome.c: the form that records an outcome (progress or closure) or steps a case up or down. */
#include "tui/state/forms.h"

#include <string.h>

#include "core/outcomes.h"

static const char *const mode_values[] = { "outcome", "step_up", "step_down" };
static const char *const mode_labels[] = {
	"Record an outcome", "Step up to the MASH",
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
tui_outcome_init(struct tui_form *f, enum tui_outcome_mode mode, const struct ruleset *rs)
{
	struct tui_field *v;
	const char **tab;
	size_t n = outcome_count(rs);

	memset(f, 0, sizeof *f);
	/* the rule set's outcome codes and labels, in tables the choice field points at */
	f->owned = tab = xcalloc(2 * n, sizeof *tab);
	for (size_t c = 0; c < n; c++) {
		struct outcome_code oc;

		outcome_at(rs, c, &oc);
		tab[c] = oc.id;
		tab[n + c] = oc.label;
	}
	f->n = OF_COUNT;
	f->f = v = xcalloc(OF_COUNT, sizeof *f->f);
	tui_field_choice(&v[OF_MODE], "mode", "Action", mode_values, mode_labels, 3);
	v[OF_MODE].choice = (int)mode;
	tui_field_choice(&v[OF_CODE], "code", "Outcome", tab, tab + n, n);
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
