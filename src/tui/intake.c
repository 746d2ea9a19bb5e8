/* intake.c: the new-contact form, its drafts, and the journey it starts (intake > pathway > decision). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/actions.h"
#include "tui/ui.h"

/* ---- the journey ---- */

static void
chooser_free(struct tui_journey *j)
{
	tui_lines_free(j->drafts, j->ndrafts);
	tui_lines_free(j->draft_desc, j->ndrafts);
	j->drafts = j->draft_desc = NULL;
	j->ndrafts = 0;
	j->choosing = 0;
}

void
tui_journey_end(struct tui_app *a, int delete_draft)
{
	struct tui_journey *j = &a->j;
	char *cause = NULL;

	if (delete_draft && j->draft_id[0] != '\0' &&
	    draft_delete(a->s, a->user, j->draft_id, &cause) < 0)
		tui_error(a, "the draft could not be removed", cause);
	chooser_free(j);
	if (j->intake.f != NULL)
		tui_form_free(&j->intake);
	if (j->decision.f != NULL)
		tui_form_free(&j->decision);
	if (j->have_path)
		tui_pathway_free(&j->path);
	free(j->earlier);
	tui_lines_free(j->preview, j->npreview);
	free(j->write_error);
	memset(j, 0, sizeof *j);
}

void
tui_journey_save(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	char *cause = NULL;
	struct buf b;

	if (!j->active || !j->dirty || j->choosing)
		return;
	buf_init(&b);
	tui_draft_write(&j->intake, a->rs, j->have_path ? j->path.selected : NULL, &j->decision,
	    &b);
	if (draft_save(a->s, a->user, j->draft_id, b.data, b.len, &cause) < 0) {
		tui_error(a, "the draft was not saved", cause);
		j->save_failed = 1;
	} else
		j->dirty = j->save_failed = 0;
	j->intake.changed = j->decision.changed = 0;
	buf_free(&b);
}

void
tui_journey_evaluate(struct tui_app *a)
{
	struct tui_journey *j = &a->j;

	if (!j->have_path) {
		tui_pathway_init(&j->path, a->rs);
		j->have_path = 1;
	}
	j->path.store = a->s;	/* the rules may read the child's history in the log */
	tui_pathway_evaluate(&j->path, &j->intake, j->case_id[0] ? j->case_id : "C-new");
}

/* A draft id that is new for this user: the real time and the process. */
static void
new_draft_id(char *out, size_t outsz)
{
	char when[32];

	format_utc((int64_t)time(NULL), when);
	snprintf(out, outsz, "contact-%s-%ld", when, (long)getpid());
}

/* Starts the journey: from a draft's text, or empty with what the case view knows. */
static void
journey_begin(struct tui_app *a, const char *draft_id, const char *text, size_t len,
    const char *case_id, const char *name, const char *district)
{
	struct tui_journey *j = &a->j;

	chooser_free(j);
	tui_intake_init(&j->intake, a->rs);
	tui_intake_set_calendar(&j->intake, tui_calendar(a));	/* times typed in local time */
	tui_decision_init(&j->decision, a->rs);
	tui_pathway_init(&j->path, a->rs);
	j->have_path = 1;
	j->active = 1;
	if (draft_id != NULL) {
		snprintf(j->draft_id, sizeof j->draft_id, "%s", draft_id);
		if (tui_draft_read(text, len, &j->intake, a->rs, j->path.selected,
		    &j->decision) < 0)
			tui_message(a, MSG_ERROR, "The draft could not be read; its text is kept.");
		tui_pathway_recount(&j->path);
		tui_message(a, MSG_INFO, "Draft resumed.");
	} else
		new_draft_id(j->draft_id, sizeof j->draft_id);
	if (case_id != NULL)
		tui_edit_set(&j->intake.f[IF_CASE_ID].edit, case_id);
	if (name != NULL)
		tui_edit_set(&j->intake.f[IF_CHILD_NAME].edit, name);
	if (district != NULL && *district != '\0')
		tui_form_set_choice(&j->intake, IF_DISTRICT, district);
	j->intake.focus = case_id != NULL ? IF_REF_NAME : IF_CASE_ID;
	if (case_id != NULL)
		j->dirty = 1;	/* prefilled: worth keeping */
}

/* Lists the user's drafts for the chooser; 0 if there are none. */
static size_t
load_drafts(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	char *cause = NULL;

	chooser_free(j);
	if (draft_list(a->s, a->user, &j->drafts, &j->ndrafts, &cause) < 0) {
		tui_error(a, "cannot list drafts", cause);
		return 0;
	}
	j->draft_desc = xcalloc(j->ndrafts + 1, sizeof *j->draft_desc);
	for (size_t i = 0; i < j->ndrafts; i++) {
		char *text = NULL, desc[200];
		size_t len = 0;

		if (draft_load(a->s, a->user, j->drafts[i], &text, &len, &cause) != 0) {
			free(cause);
			cause = NULL;
			snprintf(desc, sizeof desc, "(unreadable draft)");
		} else
			tui_draft_describe(text, len, desc, sizeof desc);
		j->draft_desc[i] = xstrdup(desc);
		free(text);
	}
	return j->ndrafts;
}

void
tui_journey_new(struct tui_app *a, const char *case_id, const char *name, const char *district)
{
	struct tui_journey *j = &a->j;
	char *why = NULL;

	if (!tui_action_allowed(a->has_role, a->role, ACT_ROUTE, &why)) {
		tui_message(a, MSG_ERROR, "%s", why);
		free(why);
		return;
	}
	if (a->rs == NULL) {
		tui_message(a, MSG_ERROR, "No rule set is in force: %s",
		    a->rs_error != NULL ? a->rs_error : "ask an admin to publish one");
		return;
	}
	if (!j->active) {
		if (case_id == NULL && load_drafts(a) > 0) {
			j->choosing = 1;
			j->dl.n = j->ndrafts + 1;
			j->dl.cursor = j->dl.top = 0;
		} else
			journey_begin(a, NULL, NULL, 0, case_id, name, district);
	}
	tui_go(a, SCR_INTAKE);
}

/* ---- the intake screen ---- */

static void
intake_enter(struct tui_app *a)
{
	(void)a;
}

static void
draw_chooser(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	int rows = a->rows - 6;

	tui_heading(a, 1, "Resume a draft, or start a new contact ");
	tui_list_move(&j->dl, 0, (size_t)rows);
	for (int r = 0; r < rows && j->dl.top + (size_t)r < j->dl.n; r++) {
		size_t i = j->dl.top + (size_t)r;
		attr_t at = tui_attr(a, i == j->dl.cursor ? C_SELECTED : C_NORMAL);
		const char *d = i == 0 ? "Start a new contact" : j->draft_desc[i - 1];

		tui_fill(a, 3 + r, 0, a->cols, at);
		tui_text(a, 3 + r, 2, 12, i == 0 ? "+" : "draft", at, 0);
		tui_untrusted(a, 3 + r, 10, a->cols - 12, d, strlen(d), at, 0);
	}
	tui_text(a, a->rows - 3, 0, a->cols, "Drafts are saved as you type and kept until "
	    "the decision is logged.", tui_attr(a, C_DIM), 0);
}

static void
intake_draw(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	int used, focus;
	const char *why;
	char msg[200];

	if (j->choosing) {
		draw_chooser(a);
		return;
	}
	if (!j->active)
		return;
	if (j->match.showing) {
		tui_match_draw(a);
		return;
	}
	j->intake.now = (int64_t)time(NULL);	/* a received time after it is refused */
	used = tui_draw_form(a, &j->intake, 1, 22, a->rows - 5);
	focus = (int)j->intake.focus;
	why = tui_form_check(&j->intake, (size_t)focus, msg, sizeof msg);
	if (why != NULL && (j->intake.f[focus].edit.len > 0 ||
	    j->intake.f[focus].kind == FK_CHOICE))
		tui_textf(a, 1 + used, 2, a->cols - 4, tui_attr(a, C_INVALID), "%s: %s",
		    j->intake.f[focus].label, why);
	else if (focus == IF_RECEIVED && j->intake.f[focus].edit.len == 0)
		tui_textf(a, 1 + used, 2, a->cols - 4, tui_attr(a, C_DIM), "Received: DD/MM/YYYY "
		    "HH:MM or YYYY-MM-DD HH:MM in %s, or type now", tui_zone_label(tui_calendar(a)));
	else if (focus == IF_CASE_ID)
		tui_text(a, 1 + used, 2, a->cols - 4, "Case id: blank for a new child; a known "
		    "child's id for a re-referral", tui_attr(a, C_DIM), 0);
	else if (j->intake.f[focus].help != NULL)
		tui_wrapped(a, 1 + used, 2, a->cols - 4, a->rows - 4 - used,
		    j->intake.f[focus].help, tui_attr(a, C_DIM));
	tui_textf(a, a->rows - 3, 0, a->cols, tui_attr(a, C_DIM), "* required  -  draft %s"
	    "  -  F2 or ^N: on to the pathway", j->dirty ? "being saved" :
	    j->intake.touched ? "saved" : "saved once you type");
}

static int
intake_typing(const struct tui_app *a)
{
	return a->j.active && !a->j.choosing && !a->j.match.showing ?
	    tui_form_typing(&a->j.intake) : 0;
}

static void
leave_done(struct tui_app *a, int key, const char *text)
{
	(void)text;
	if (key == 'k') {
		a->j.save_failed = 0;
		tui_journey_save(a);
		if (a->j.save_failed) {
			/* the message says why; staying keeps what was typed */
			char *why = xstrdup(a->msg);

			tui_message(a, MSG_ERROR, "Not left: %s. Stay, or Esc then d to discard.",
			    why);
			free(why);
			return;
		}
		tui_journey_end(a, 0);
		tui_message(a, MSG_OK, "The contact is kept as a draft: n resumes it.");
		tui_back(a);
	} else if (key == 'd') {
		tui_journey_end(a, 1);
		tui_message(a, MSG_INFO, "Draft discarded.");
		tui_back(a);
	}
}

static void
discard_done(struct tui_app *a, int key, const char *text)
{
	struct tui_journey *j = &a->j;
	char *cause = NULL;
	size_t i = j->dl.cursor;

	(void)text;
	if (key != 'y' || i == 0 || i > j->ndrafts)
		return;
	if (draft_delete(a->s, a->user, j->drafts[i - 1], &cause) < 0) {
		tui_error(a, "cannot discard the draft", cause);
		return;
	}
	tui_message(a, MSG_INFO, "Draft discarded.");
	if (load_drafts(a) == 0) {
		journey_begin(a, NULL, NULL, 0, NULL, NULL, NULL);
		return;
	}
	j->choosing = 1;
	j->dl.n = j->ndrafts + 1;
	if (j->dl.cursor >= j->dl.n)
		j->dl.cursor = j->dl.n - 1;
}

static void
chooser_pick(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	size_t i = j->dl.cursor;
	char *text = NULL, *cause = NULL, *id;
	size_t len = 0;

	if (i == 0) {
		journey_begin(a, NULL, NULL, 0, NULL, NULL, NULL);
		return;
	}
	id = xstrdup(j->drafts[i - 1]);
	if (draft_load(a->s, a->user, id, &text, &len, &cause) != 0) {
		tui_error(a, "cannot load the draft", cause);
		free(id);
		return;
	}
	journey_begin(a, id, text, len, NULL, NULL, NULL);
	free(text);
	free(id);
}

static void
chooser_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_journey *j = &a->j;
	size_t rows = (size_t)(a->rows - 6);

	if (key == TK_UP || key == 'k')
		tui_list_move(&j->dl, -1, rows);
	else if (key == TK_DOWN || key == 'j')
		tui_list_move(&j->dl, 1, rows);
	else if (key == TK_ENTER)
		chooser_pick(a);
	else if (key == 'n') {
		j->dl.cursor = 0;
		chooser_pick(a);
	} else if (act == TA_DISCARD) {
		if (j->dl.cursor > 0)
			tui_ask(a, "yn", discard_done, "Discard the draft for %s? (y/n)",
			    j->draft_desc[j->dl.cursor - 1]);
	} else if (act == TA_BACK) {
		tui_journey_end(a, 0);
		tui_back(a);
	}
}

/* Checks the form and goes on to the pathway. */
static void
intake_continue(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	const char *id = j->intake.f[IF_CASE_ID].edit.text;
	char msg[200], *cause = NULL;
	int bad, exists = 0;

	j->intake.now = (int64_t)time(NULL);
	if (tui_intake_normalise(&j->intake, j->intake.now))
		j->dirty = 1;
	bad = tui_form_first_invalid(&j->intake);
	if (bad >= 0) {
		tui_form_focus_problem(&j->intake, bad);
		tui_message(a, MSG_ERROR, "Check \"%s\": %s", j->intake.f[bad].label,
		    tui_form_check(&j->intake, (size_t)bad, msg, sizeof msg));
		return;
	}
	if (id[0] != '\0') {
		if (tui_data_case_exists(a->s, id, &exists, &cause) < 0) {
			tui_error(a, "cannot look the case up", cause);
			return;
		}
		if (!exists) {
			j->intake.focus = IF_CASE_ID;
			tui_message(a, MSG_ERROR, "There is no case %s: leave the id blank for a "
			    "child not known before.", id);
			return;
		}
		if (tui_match_warn_id(a, id))
			return;		/* another child's name or birth date: F2 again goes on */
		snprintf(j->case_id, sizeof j->case_id, "%s", id);
		j->new_child = 0;
	} else if (!j->new_child || j->case_id[0] == '\0') {
		if (tui_match_offer(a))
			return;		/* likely matches first: a new id only for none of them */
		if (tui_data_new_case_id(a->s, j->case_id, sizeof j->case_id, &cause) < 0) {
			tui_error(a, "cannot choose a case id", cause);
			return;
		}
		j->new_child = 1;
	}
	free(j->earlier);
	j->earlier = NULL;
	j->nearlier = 0;
	if (!j->new_child && tui_data_earlier(a->s, j->case_id, &j->earlier, &j->nearlier,
	    &cause) < 0)
		tui_error(a, "cannot read earlier contacts", cause);
	tui_journey_save(a);
	tui_switch(a, SCR_PATHWAY);
}

static void
intake_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_journey *j = &a->j;
	struct tui_form *f = &j->intake;
	size_t was = f->focus;

	if (j->choosing) {
		chooser_key(a, key, act);
		return;
	}
	if (!j->active) {
		tui_back(a);
		return;
	}
	if (j->match.showing) {
		if (tui_match_key(a, key, act))
			intake_continue(a);
		return;
	}
	switch (act) {
	case TA_NEXT_FIELD:
		if (!tui_form_move(f, 1) && key == TK_ENTER)
			intake_continue(a);
		break;
	case TA_PREV_FIELD:
		tui_form_move(f, -1);
		break;
	case TA_NEXT_STEP:
		intake_continue(a);
		return;
	case TA_BACK:
		if (!f->touched && !j->dirty) {
			tui_journey_end(a, 0);
			tui_back(a);
			return;
		}
		tui_ask(a, "kd", leave_done, "Leave this contact? k: keep it as a draft, "
		    "d: discard it, Esc: stay");
		return;
	default:
		if (key == TK_MOUSE)
			break;
		if (tui_form_take(a, f, key) == 1)
			j->dirty = 1;
		break;
	}
	/* leaving a field: "now" becomes the time, and the draft is saved */
	if (f->focus != was) {
		if (was == IF_RECEIVED && tui_intake_normalise(f, (int64_t)time(NULL)))
			j->dirty = 1;
		tui_journey_save(a);
	}
}

/* Saves a changed draft once the person pauses (a failed save waits for the next field). */
static void
journey_idle(struct tui_app *a)
{
	if (!a->j.save_failed)
		tui_journey_save(a);
}

static const char *
intake_hints(const struct tui_app *a)
{
	if (a->j.choosing)
		return "Enter:choose  j/k:move  n:new contact  X:discard draft  Esc:back";
	if (a->j.match.showing)
		return "Enter:link to this case  j/k:move  n:none of these  Esc:the form";
	return intake_typing(a) == 2 ? "Enter:new line  Tab:next  S-Tab:prev  F2/^N:pathway  "
	    "Esc:leave  F1/^G:help" : NULL;
}

static void
intake_paste(struct tui_app *a, const char *text, size_t n)
{
	if (!a->j.active || a->j.choosing)
		tui_message(a, MSG_ERROR, "Nothing here takes a paste: nothing was changed.");
	else if (tui_paste_form(a, &a->j.intake, text, n))
		a->j.dirty = 1;
}

/* The journey the intake, pathway and decision screens share: kept here, freed here. */
static void
journey_free(struct tui_app *a)
{
	if (a->j.active)
		tui_journey_end(a, 0);
}

const struct tui_screen_ops tui_intake_ops = {
	.enter = intake_enter,
	.draw = intake_draw,
	.key = intake_key,
	.typing = intake_typing,
	.idle = journey_idle,
	.free = journey_free,
	.hints = "Tab:next  S-Tab:prev  Left/Right:choice  F2/^N:pathway  Esc:leave  F1/^G:help",
	.mode_hints = intake_hints,
	.paste = intake_paste,
};
