/* decision.c: accept or override the recommendation, confirm exactly what is logged, then write it. */
#include <stdlib.h>
#include <string.h>

#include "core/actions.h"
#include "tui/ui.h"

#define LABEL_W 22
#define PREVIEW_LABEL 17

static void
preview_clear(struct tui_journey *j)
{
	tui_lines_free(j->preview, j->npreview);
	j->preview = NULL;
	j->npreview = 0;
	j->preview_top = 0;
	j->confirm = 0;
}

static void
decision_enter(struct tui_app *a)
{
	struct tui_journey *j = &a->j;

	if (!j->active) {
		tui_back(a);
		return;
	}
	tui_journey_evaluate(a);
	if (!j->path.have_dec) {
		tui_message(a, MSG_ERROR, "The case cannot be decided: %s",
		    j->path.error != NULL ? j->path.error : "unknown");
		preview_clear(j);
		tui_switch(a, SCR_PATHWAY);
		return;
	}
	tui_decision_update(&j->decision, (int)j->path.dec.route);
}

/* The preview as screen lines: labels in a column, values wrapped after them. */
static void
preview_lines(struct tui_app *a, char ***out, size_t *nout)
{
	struct tui_journey *j = &a->j;
	size_t cap = 0, starts[512];
	int w = a->cols - 2 - PREVIEW_LABEL;

	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < j->npreview; i++) {
		const char *s = j->preview[i], *v = strlen(s) > PREVIEW_LABEL ? s + PREVIEW_LABEL : "";
		size_t n = strlen(v), k = tui_wrap(v, n, w, starts, 512);

		for (size_t l = 0; l < k; l++) {
			size_t end = l + 1 < k ? starts[l + 1] : n;
			struct buf b;

			buf_init(&b);
			if (l == 0)
				buf_printf(&b, "%.*s", PREVIEW_LABEL, s);
			else
				buf_printf(&b, "%*s", PREVIEW_LABEL, "");
			buf_add(&b, v + starts[l], end - starts[l]);
			if (*nout == cap) {
				cap = cap ? cap * 2 : 64;
				*out = xreallocarray(*out, cap, sizeof **out);
			}
			(*out)[(*nout)++] = buf_steal(&b);
		}
	}
}

static int
preview_rows(const struct tui_app *a)
{
	return a->rows - (a->j.write_error != NULL ? 9 : 7);
}

static void
draw_confirm(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	char **lines;
	size_t n;
	int rows = preview_rows(a);

	tui_heading(a, 1, "Confirm: this record will be appended to the decision log ");
	preview_lines(a, &lines, &n);
	if (j->preview_top + (size_t)rows > n)
		j->preview_top = n > (size_t)rows ? n - (size_t)rows : 0;
	for (int r = 0; r < rows && j->preview_top + (size_t)r < n; r++) {
		const char *s = lines[j->preview_top + (size_t)r];
		char label[PREVIEW_LABEL + 1];

		snprintf(label, sizeof label, "%.*s", PREVIEW_LABEL, s);
		tui_text(a, 2 + r, 1, PREVIEW_LABEL, label, tui_attr(a, C_HEADER), 0);
		tui_untrusted(a, 2 + r, 1 + PREVIEW_LABEL, a->cols - 2 - PREVIEW_LABEL,
		    strlen(s) > PREVIEW_LABEL ? s + PREVIEW_LABEL : "",
		    strlen(s) > PREVIEW_LABEL ? strlen(s) - PREVIEW_LABEL : 0,
		    tui_attr(a, C_NORMAL), 0);
	}
	if (n > (size_t)rows && j->preview_top + (size_t)rows < n)
		tui_text(a, 1 + rows, a->cols - 1, 1, a->utf8 ? "\u2193" : "v", tui_attr(a, C_KEY), 0);
	if (j->write_error != NULL)
		tui_wrapped(a, a->rows - 7, 1, a->cols - 2, 4, j->write_error, tui_attr(a, C_ERROR));
	tui_text(a, a->rows - 3, 1, a->cols - 2, j->write_error != NULL ?
	    "NOT LOGGED. Enter or y: try again   Esc: back to edit (nothing is lost)" :
	    "Enter or y: write it to the log   Esc: back to edit   Up/Down: scroll",
	    tui_attr(a, C_KEY), 0);
	tui_lines_free(lines, n);
}

static void
decision_draw(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	struct tui_pathway *p = &j->path;
	const struct rule_def *rule;
	char msg[200];
	const char *why;
	int x, used;

	if (!j->active || !p->have_dec)
		return;
	if (j->confirm) {
		draw_confirm(a);
		return;
	}
	rule = &p->rs->rules[p->dec.rule];
	x = tui_textf(a, 1, 0, a->cols, tui_attr(a, C_HEADER), "%s  Recommended: ", j->case_id);
	x += tui_textf(a, 1, x, a->cols - x, tui_route_attr(a, p->dec.route) | A_BOLD,
	    "%s (level %d)", tui_route_label(p->rs, p->dec.route), p->dec.level);
	tui_textf(a, 1, x, a->cols - x, tui_attr(a, C_NORMAL), "  rule %s", rule->id);
	{
		char *why = xasprintf("Urgency %s. %s", urgency_name(p->dec.urgency),
		    rule->reason != NULL ? rule->reason : "");

		tui_wrapped(a, 2, 2, a->cols - 4, 3, why, tui_attr(a, C_DIM));
		free(why);
	}
	tui_heading(a, 5, "Your decision ");
	used = tui_draw_form(a, &j->decision, 6, LABEL_W, a->rows - 10);
	why = tui_form_check(&j->decision, j->decision.focus, msg, sizeof msg);
	if (why != NULL)
		tui_textf(a, 6 + used, 2, a->cols - 4, tui_attr(a, C_INVALID), "%s: %s",
		    j->decision.f[j->decision.focus].label, why);
	tui_text(a, a->rows - 3, 0, a->cols, "F2: review exactly what will be logged; nothing "
	    "is written before you confirm.", tui_attr(a, C_DIM), 0);
}

static int
decision_typing(const struct tui_app *a)
{
	return a->j.active && !a->j.confirm ? tui_form_typing(&a->j.decision) : 0;
}

static void
decision_review(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	char msg[200];
	int bad = tui_form_first_invalid(&j->decision);

	if (bad >= 0) {
		tui_form_focus_problem(&j->decision, bad);
		tui_message(a, MSG_ERROR, "Check \"%s\": %s", j->decision.f[bad].label,
		    tui_form_check(&j->decision, (size_t)bad, msg, sizeof msg));
		return;
	}
	tui_journey_save(a);
	preview_clear(j);
	tui_decision_preview(&j->decision, &j->path, a->user,
	    a->has_role ? role_name(a->role) : "none", &j->preview, &j->npreview);
	j->confirm = 1;
	free(j->write_error);
	j->write_error = NULL;
}

/* The rules in force changed under us: load them and review the pathway again. */
static void
journey_new_rules(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	struct ruleset *rs = NULL;
	char *cause = NULL, **ids;
	size_t n = 0;

	if (action_rules_in_force(a->s, &rs, &cause) < 0) {
		tui_error(a, "cannot load the rules in force", cause);
		return;
	}
	ids = xcalloc(a->rs->nindicators + 1, sizeof *ids);
	for (size_t i = 0; i < a->rs->nindicators; i++)
		if (j->path.selected[i])
			ids[n++] = xstrdup(a->rs->indicators[i].id);
	tui_pathway_free(&j->path);
	rules_free(a->rs);
	a->rs = rs;
	a->queue.cal = tui_calendar(a);	/* the tray's clocks are the new rules' */
	tui_pathway_init(&j->path, rs);
	for (size_t k = 0; k < n; k++) {
		int i = rules_find_indicator(rs, ids[k], strlen(ids[k]));

		if (i >= 0)
			j->path.selected[i] = 1;
	}
	tui_lines_free(ids, n);
	tui_pathway_recount(&j->path);
	preview_clear(j);
	j->dirty = 1;
	tui_switch(a, SCR_PATHWAY);
	tui_message(a, MSG_ERROR, "The rules in force changed (now %s %s): review the "
	    "recommendation again.", rs->name, rs->version);
}

static void
decision_write(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	struct route_decision d;
	char *cause = NULL, id[sizeof j->case_id];
	uint64_t seq = 0;
	int exists = 0, final, closed;

	/* a new child's id may have been taken since it was chosen: choose again */
	if (j->new_child) {
		if (tui_data_case_exists(a->s, j->case_id, &exists, &cause) < 0) {
			free(j->write_error);
			j->write_error = cause;
			return;
		}
		if (exists) {
			if (tui_data_new_case_id(a->s, j->case_id, sizeof j->case_id, &cause) < 0) {
				free(j->write_error);
				j->write_error = cause;
				return;
			}
			tui_journey_evaluate(a);
			decision_review(a);
			tui_message(a, MSG_ERROR, "Another contact took the case id meanwhile: this "
			    "child is now %s. Confirm again.", j->case_id);
			return;
		}
	}
	tui_decision_fill(&j->decision, (int)j->path.dec.route, j->path.facts.data,
	    j->path.facts.len, &d);
	d.new_case = j->new_child;	/* checked again inside the write transaction */
	d.match_choice = tui_match_choice(&j->match);
	d.matches_shown = j->match.shown;
	final = d.final_route >= 0 ? d.final_route : (int)j->path.dec.route;
	if (action_decide(a->s, a->user, a->rs, &d, &seq, &cause) < 0) {
		if (cause != NULL && strstr(cause, "rules in force have changed") != NULL) {
			free(cause);
			journey_new_rules(a);
			return;
		}
		free(j->write_error);
		j->write_error = xasprintf("Not logged: %s", cause != NULL ? cause : "failed");
		free(cause);
		tui_message(a, MSG_ERROR, "Nothing was written. Everything is still here; "
		    "Enter tries again.");
		return;
	}
	snprintf(id, sizeof id, "%s", j->case_id);
	closed = d.close_code != NULL;	/* the form goes with the journey */
	tui_journey_end(a, 1);
	tui_case_show(a, id, 1);
	if (closed)
		tui_message(a, MSG_OK, "Logged #%llu and #%llu: %s routed to %s and closed. The "
		    "draft is removed.", (unsigned long long)seq, (unsigned long long)seq + 1, id,
		    tui_route_label(a->rs, final));
	else
		tui_message(a, MSG_OK, "Logged #%llu: %s routed to %s. The draft is removed.",
		    (unsigned long long)seq, id, tui_route_label(a->rs, final));
}

static void
confirm_key(struct tui_app *a, int key)
{
	struct tui_journey *j = &a->j;

	switch (key) {
	case TK_ENTER:
	case 'y':
	case 'Y':
		decision_write(a);
		break;
	case TK_ESC:
	case 'n':
	case 'q':
		preview_clear(j);
		free(j->write_error);
		j->write_error = NULL;
		break;
	case TK_UP:
	case 'k':
		if (j->preview_top > 0)
			j->preview_top--;
		break;
	case TK_DOWN:
	case 'j':
		j->preview_top++;
		break;
	case TK_PGUP:
		j->preview_top = j->preview_top > 10 ? j->preview_top - 10 : 0;
		break;
	case TK_PGDN:
		j->preview_top += 10;
		break;
	}
}

static void
decision_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_journey *j = &a->j;
	struct tui_form *f = &j->decision;

	if (!j->active) {
		tui_back(a);
		return;
	}
	if (j->confirm) {
		confirm_key(a, key);
		return;
	}
	switch (act) {
	case TA_NEXT_FIELD:
		if (!tui_form_move(f, 1) && key == TK_ENTER)
			decision_review(a);
		else
			tui_journey_save(a);
		break;
	case TA_PREV_FIELD:
		tui_form_move(f, -1);
		tui_journey_save(a);
		break;
	case TA_NEXT_STEP:
		decision_review(a);
		break;
	case TA_BACK:
		tui_journey_save(a);
		tui_switch(a, SCR_PATHWAY);
		break;
	default:
		if (key != TK_MOUSE && tui_form_take(a, f, key) == 1)
			j->dirty = 1;
		break;
	}
}

static void
decision_idle(struct tui_app *a)
{
	if (!a->j.save_failed)
		tui_journey_save(a);
}

static const char *
decision_hints(const struct tui_app *a)
{
	if (a->j.confirm)
		return "Enter/y:write to the log  Esc:back to edit  Up/Down:scroll";
	return decision_typing(a) == 2 ? "Enter:new line  Tab:next  S-Tab:prev  F2/^N:review  "
	    "Esc:pathway  F1/^G:help" : NULL;
}

static void
decision_paste(struct tui_app *a, const char *text, size_t n)
{
	if (!a->j.active || a->j.confirm)
		tui_message(a, MSG_ERROR, "Nothing here takes a paste: nothing was changed.");
	else if (tui_paste_form(a, &a->j.decision, text, n))
		a->j.dirty = 1;
}

const struct tui_screen_ops tui_decision_ops = {
	.enter = decision_enter,
	.draw = decision_draw,
	.key = decision_key,
	.typing = decision_typing,
	.idle = decision_idle,
	.free = NULL,		/* the intake screen frees the journey */
	.hints = "Tab:next  S-Tab:prev  Left/Right:choice  F2/^N:review  Esc:pathway  F1/^G:help",
	.mode_hints = decision_hints,
	.paste = decision_paste,
};
