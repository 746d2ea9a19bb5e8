/* outcome.c: record an outcome (progress or closure) on a case, or step a case up or down. */
#include <stdlib.h>
#include <string.h>

#include "core/actions.h"
#include "core/outcomes.h"
#include "tui/ui.h"

#define LABEL_W 14

static const char *const mode_help[] = {
	"Records an outcome: progress keeps the case open; a closure closes it and it leaves the queue.",
	"Steps the case up to the MASH (level 4). Say why: the rationale is logged.",
	("Steps a case with the MASH down to targeted early help, with the family's consent. "
	 "A manager signs it off."),
};

static void
outcome_reset(struct tui_outcomeview *ov)
{
	if (ov->have_form)
		tui_form_free(&ov->form);
	ov->have_form = 0;
	ov->confirm = 0;
	free(ov->error);
	ov->error = NULL;
}

void
tui_outcome_open(struct tui_app *a, const char *case_id, enum tui_outcome_mode mode)
{
	struct tui_outcomeview *ov = &a->ov;
	char *why = NULL;

	if (!tui_action_allowed(a->has_role, a->role, mode == OM_OUTCOME ? ACT_OUTCOME : ACT_STEP,
	    &why)) {
		tui_message(a, MSG_ERROR, "%s", why);
		free(why);
		return;
	}
	/* what the write would refuse is not offered: the same rule, asked first */
	if (action_case_check(a->s, a->user, case_id, tui_outcome_case_act(mode), &why) < 0) {
		tui_message(a, MSG_ERROR, "Not possible: %s.", why);
		free(why);
		return;
	}
	if (a->rs == NULL) {
		tui_message(a, MSG_ERROR, "Not possible: no rule set is in force.");
		return;
	}
	outcome_reset(ov);
	snprintf(ov->case_id, sizeof ov->case_id, "%s", case_id);
	/* the case view knows the child; from the queue, read the case first */
	if (strcmp(a->cv.id, case_id) != 0 || a->cv.n == 0) {
		snprintf(a->cv.id, sizeof a->cv.id, "%s", case_id);
		tui_case_reload(a);
	}
	tui_outcome_init(&ov->form, mode, a->rs);
	ov->have_form = 1;
	ov->form.focus = mode == OM_OUTCOME ? OF_CODE : mode == OM_STEP_UP ? OF_URGENCY : OF_NOTE;
	tui_go(a, SCR_OUTCOME);
}

static void
outcome_enter(struct tui_app *a)
{
	if (!a->ov.have_form)
		tui_back(a);
}

/* The outcome chosen on the form, as the rule set in force reads it. */
static void
chosen_code(const struct tui_app *a, struct outcome_code *oc)
{
	const struct tui_field *f = &a->ov.form.f[OF_CODE];
	const char *id = f->choices[f->choice];

	if (outcome_lookup(a->rs, id, strlen(id), oc) < 0) {
		/* not in the rules now in force: the write says so */
		memset(oc, 0, sizeof *oc);
		oc->id = oc->label = id;
		oc->closes = 1;
	}
}

/* The outcome chosen: its code, its label and whether it closes the case. */
static void
draw_confirm_code(struct tui_app *a, int *y)
{
	struct outcome_code oc;

	chosen_code(a, &oc);
	tui_textf(a, (*y)++, 1, a->cols - 2, tui_attr(a, C_NORMAL), "%-16s %s (%s)", "outcome",
	    oc.id, oc.label);
	tui_textf(a, (*y)++, 1, a->cols - 2, tui_attr(a, C_NORMAL), "%-16s %s", "",
	    oc.closes ? "a closure: the case is closed" : "progress: the case stays open");
}

static void
draw_confirm(struct tui_app *a)
{
	struct tui_outcomeview *ov = &a->ov;
	enum tui_outcome_mode m = tui_outcome_mode(&ov->form);
	const char *note = ov->form.f[OF_NOTE].edit.text;
	int y = 3;

	tui_heading(a, 1, "Confirm: this record will be appended to the decision log ");
	tui_textf(a, y++, 1, a->cols - 2, tui_attr(a, C_NORMAL), "%-16s %s", "kind",
	    m == OM_OUTCOME ? "outcome" : m == OM_STEP_UP ? "step_up" : "step_down");
	tui_text(a, y, 1, 17, "case", tui_attr(a, C_NORMAL), 0);
	tui_untrusted(a, y++, 18, a->cols - 19, ov->case_id, strlen(ov->case_id),
	    tui_attr(a, C_NORMAL), 0);
	tui_textf(a, y++, 1, a->cols - 2, tui_attr(a, C_NORMAL), "%-16s %s (%s)", "actor", a->user,
	    a->has_role ? role_name(a->role) : "none");
	if (m == OM_OUTCOME)
		draw_confirm_code(a, &y);
	else
		tui_textf(a, y++, 1, a->cols - 2, tui_attr(a, C_NORMAL), "%-16s %s", "route",
		    m == OM_STEP_UP ? "mash (level 4)" : "targeted_early_help (level 3)");
	if (m == OM_STEP_UP)
		tui_textf(a, y++, 1, a->cols - 2, tui_attr(a, C_NORMAL), "%-16s %s", "urgency",
		    urgency_name((enum urgency)tui_outcome_urgency(&ov->form)));
	tui_textf(a, y, 1, 17, tui_attr(a, C_NORMAL), "%s", m == OM_OUTCOME ? "note" : "rationale");
	y += tui_wrapped(a, y, 18, a->cols - 19, 6, note[0] ? note : "(none)",
	    tui_attr(a, C_NORMAL));
	if (ov->error != NULL)
		tui_wrapped(a, a->rows - 5, 1, a->cols - 2, 2, ov->error, tui_attr(a, C_ERROR));
	tui_text(a, a->rows - 3, 1, a->cols - 2, ov->error != NULL ?
	    "NOT LOGGED. Enter or y: try again   Esc: back to edit (nothing is lost)" :
	    "Enter or y: write it to the log   Esc: back to edit", tui_attr(a, C_KEY), 0);
}

static void
outcome_draw(struct tui_app *a)
{
	struct tui_outcomeview *ov = &a->ov;
	char msg[200];
	const char *why;
	int used, x;

	if (!ov->have_form)
		return;
	if (ov->confirm) {
		draw_confirm(a);
		return;
	}
	x = tui_text(a, 1, 0, a->cols, "Case ", tui_attr(a, C_HEADER), 0);
	x += tui_untrusted(a, 1, x, 40, ov->case_id, strlen(ov->case_id), tui_attr(a, C_HEADER), 0);
	if (strcmp(a->cv.id, ov->case_id) == 0 && a->cv.known) {
		for (size_t i = a->cv.n; i > 0; i--)
			if (a->cv.e[i - 1].child[0]) {
				x += tui_textf(a, 1, x, a->cols - x, tui_attr(a, C_HEADER), "  %s",
				    a->cv.e[i - 1].child);
				break;
			}
		tui_textf(a, 1, x, a->cols - x, tui_attr(a, C_NORMAL), "  %s, now %s",
		    a->cv.cs.status == CASE_OPEN ? "open" : "closed", tui_route_label(a->rs, a->cv.cs.route));
	}
	tui_wrapped(a, 2, 2, a->cols - 4, 2, mode_help[tui_outcome_mode(&ov->form)],
	    tui_attr(a, C_DIM));
	used = tui_draw_form(a, &ov->form, 5, LABEL_W, a->rows - 9);
	why = tui_form_check(&ov->form, ov->form.focus, msg, sizeof msg);
	if (why != NULL)
		tui_textf(a, 5 + used, 2, a->cols - 4, tui_attr(a, C_INVALID), "%s: %s",
		    ov->form.f[ov->form.focus].label, why);
	tui_text(a, a->rows - 3, 0, a->cols, "F2: review what will be logged; nothing is "
	    "written before you confirm.", tui_attr(a, C_DIM), 0);
}

static int
outcome_typing(const struct tui_app *a)
{
	return a->ov.have_form && !a->ov.confirm ? tui_form_typing(&a->ov.form) : 0;
}

static void
outcome_review(struct tui_app *a)
{
	struct tui_outcomeview *ov = &a->ov;
	char msg[200], *why = NULL;
	int bad = tui_form_first_invalid(&ov->form);

	if (!tui_action_allowed(a->has_role, a->role, tui_outcome_action(&ov->form), &why)) {
		tui_message(a, MSG_ERROR, "%s", why);
		free(why);
		return;
	}
	if (action_case_check(a->s, a->user, ov->case_id,
	    tui_outcome_case_act(tui_outcome_mode(&ov->form)), &why) < 0) {
		tui_message(a, MSG_ERROR, "Not possible: %s.", why);
		free(why);
		return;
	}
	if (bad >= 0) {
		tui_form_focus_problem(&ov->form, bad);
		tui_message(a, MSG_ERROR, "Check \"%s\": %s", ov->form.f[bad].label,
		    tui_form_check(&ov->form, (size_t)bad, msg, sizeof msg));
		return;
	}
	ov->confirm = 1;
	free(ov->error);
	ov->error = NULL;
}

static void
outcome_write(struct tui_app *a)
{
	struct tui_outcomeview *ov = &a->ov;
	enum tui_outcome_mode m = tui_outcome_mode(&ov->form);
	const char *note = ov->form.f[OF_NOTE].edit.text;
	char *cause = NULL, *said;
	const char *done = "";
	uint64_t seq = 0;
	struct outcome_code oc;
	int rc;

	if (m == OM_OUTCOME) {
		chosen_code(a, &oc);
		rc = action_outcome(a->s, a->user, a->rs, ov->case_id, oc.id,
		    note[0] ? note : NULL, &seq, &cause);
		done = oc.closes ? "outcome recorded, the case is closed" :
		    "progress recorded, the case stays open";
	} else
		rc = action_step(a->s, a->user, ov->case_id, m == OM_STEP_UP,
		    tui_outcome_urgency(&ov->form), note, &seq, &cause);
	if (rc < 0) {
		free(ov->error);
		ov->error = xasprintf("Not logged: %s", cause != NULL ? cause : "failed");
		free(cause);
		tui_message(a, MSG_ERROR, "Nothing was written. Everything is still here; "
		    "Enter tries again.");
		return;
	}
	outcome_reset(ov);
	tui_back(a);
	if (m == OM_OUTCOME) {
		tui_message(a, MSG_OK, "Logged #%llu: %s.", (unsigned long long)seq, done);
		return;
	}
	/* the words the command line says too */
	if ((said = action_step_said(a->s, seq, &cause)) == NULL) {
		tui_error(a, "logged, but cannot read it back", cause);
		return;
	}
	tui_message(a, MSG_OK, "Logged #%llu: %s.", (unsigned long long)seq, said);
	free(said);
}

static void
discard_done(struct tui_app *a, int key, const char *text)
{
	(void)text;
	if (key != 'y')
		return;
	outcome_reset(&a->ov);
	tui_back(a);
}

static void
outcome_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_outcomeview *ov = &a->ov;

	if (!ov->have_form) {
		tui_back(a);
		return;
	}
	if (ov->confirm) {
		if (key == TK_ENTER || key == 'y' || key == 'Y')
			outcome_write(a);
		else if (key == TK_ESC || key == 'n' || key == 'q')
			ov->confirm = 0;
		return;
	}
	switch (act) {
	case TA_NEXT_FIELD:
		if (!tui_form_move(&ov->form, 1) && key == TK_ENTER)
			outcome_review(a);
		break;
	case TA_PREV_FIELD:
		tui_form_move(&ov->form, -1);
		break;
	case TA_NEXT_STEP:
		outcome_review(a);
		break;
	case TA_BACK:
		if (ov->form.touched)
			tui_ask(a, "yn", discard_done, "Discard what you typed here? (y/n)");
		else {
			outcome_reset(ov);
			tui_back(a);
		}
		break;
	default:
		if (key != TK_MOUSE)
			tui_form_take(a, &ov->form, key);
		break;
	}
}

static const char *
outcome_hints(const struct tui_app *a)
{
	if (a->ov.confirm)
		return "Enter/y:write to the log  Esc:back to edit";
	return outcome_typing(a) == 2 ? "Enter:new line  Tab:next  S-Tab:prev  F2/^N:review  "
	    "Esc:back  F1/^G:help" : NULL;
}

static void
outcome_paste(struct tui_app *a, const char *text, size_t n)
{
	if (!a->ov.have_form || a->ov.confirm)
		tui_message(a, MSG_ERROR, "Nothing here takes a paste: nothing was changed.");
	else
		tui_paste_form(a, &a->ov.form, text, n);
}

static void
outcome_free(struct tui_app *a)
{
	if (a->ov.have_form)
		tui_form_free(&a->ov.form);
	free(a->ov.error);
}

const struct tui_screen_ops tui_outcome_ops = {
	.enter = outcome_enter,
	.draw = outcome_draw,
	.key = outcome_key,
	.typing = outcome_typing,
	.idle = NULL,
	.free = outcome_free,
	.hints = "Tab:next  S-Tab:prev  Left/Right:choice  F2/^N:review  Esc:back  F1/^G:help",
	.mode_hints = outcome_hints,
	.paste = outcome_paste,
};
