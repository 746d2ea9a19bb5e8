/* pathway.c: the indicators by domain and level, ticked with space, and the live recommendation. */
#include <stdlib.h>
#include <string.h>

#include "tui/ui.h"

#define PATH_LIST_TOP 2
#define PATH_BELOW 11		/* rows under the list: guidance and recommendation */

static int
list_rows(const struct tui_app *a)
{
	int h = a->rows - PATH_LIST_TOP - PATH_BELOW - 2;

	return h > 3 ? h : 3;
}

static void
pathway_enter(struct tui_app *a)
{
	if (!a->j.active) {
		tui_back(a);
		return;
	}
	tui_journey_evaluate(a);
}

static void
draw_list(struct tui_app *a, int rows)
{
	struct tui_pathway *p = &a->j.path;

	tui_pathway_move(p, 0, (size_t)rows);
	for (int r = 0; r < rows && p->top + (size_t)r < p->nvisible; r++) {
		size_t k = p->top + (size_t)r;
		int i = p->visible[k], sel = k == p->cursor;
		const struct indicator_def *ind = &p->rs->indicators[i];
		attr_t at = tui_attr(a, sel ? C_SELECTED : C_NORMAL);
		char lead[32];

		tui_fill(a, PATH_LIST_TOP + r, 0, a->cols, at);
		snprintf(lead, sizeof lead, "[%s] %s L%d", p->selected[i] ? "x" : " ",
		    tui_domain_short((int)ind->domain), ind->level);
		tui_text(a, PATH_LIST_TOP + r, 0, 11, lead, sel ? at :
		    p->selected[i] ? tui_attr(a, C_OK) : at, 0);
		tui_text(a, PATH_LIST_TOP + r, 11, a->cols - 12, ind->text,
		    sel ? at : ind->level == 4 ? tui_attr(a, C_RED) : at, 0);
	}
	if (p->nvisible == 0)
		tui_text(a, PATH_LIST_TOP, 2, a->cols - 4, "No indicator matches the filter "
		    "(Backspace or ^U clears it).", tui_attr(a, C_DIM), 0);
	if (p->nvisible > (size_t)rows) {
		if (p->top > 0)
			tui_text(a, PATH_LIST_TOP, a->cols - 1, 1, a->utf8 ? "\u2191" : "^",
			    tui_attr(a, C_KEY), 0);
		if (p->top + (size_t)rows < p->nvisible)
			tui_text(a, PATH_LIST_TOP + rows - 1, a->cols - 1, 1,
			    a->utf8 ? "\u2193" : "v", tui_attr(a, C_KEY), 0);
	}
}

/* What the re-referral history says, in one line. */
static void
rereferral_line(struct tui_app *a, char *out, size_t outsz)
{
	struct tui_journey *j = &a->j;
	int64_t at = 0, latest;
	char when[32];
	size_t n;

	if (j->new_child || j->nearlier == 0) {
		snprintf(out, outsz, "History: no earlier contact for this child.");
		return;
	}
	tui_parse_local(j->intake.cal, j->intake.f[IF_RECEIVED].edit.text, &at);
	n = audit_rereferrals(j->earlier, j->nearlier, at, &latest);
	format_utc(latest, when);
	when[10] = '\0';
	if (n > 0)
		snprintf(out, outsz, "RE-REFERRAL: %zu earlier contact%s within 12 months "
		    "(latest %s).", n, n == 1 ? "" : "s", when);
	else
		snprintf(out, outsz, "History: %zu earlier contact%s, none within 12 months%s%s%s.",
		    j->nearlier, j->nearlier == 1 ? "" : "s", latest > 0 ? " (latest " : "",
		    latest > 0 ? when : "", latest > 0 ? ")" : "");
}

static void
draw_recommendation(struct tui_app *a, int y)
{
	struct tui_journey *j = &a->j;
	struct tui_pathway *p = &j->path;
	int ci = tui_form_find(&j->intake, "consent");
	const char *consent = ci >= 0 ? tui_form_value(&j->intake, (size_t)ci) : "", *note;
	struct buf b;
	char line[300], cnote[200];
	int x, used;

	buf_init(&b);
	tui_heading(a, y, "Recommendation ");
	if (!p->have_dec) {
		tui_textf(a, y + 1, 2, a->cols - 4, tui_attr(a, C_ERROR), "The case cannot be "
		    "decided: %s", p->error != NULL ? p->error : "unknown");
		buf_free(&b);
		return;
	}
	x = tui_text(a, y + 1, 0, a->cols, a->utf8 ? "\u2192 " : "-> ", tui_attr(a, C_KEY), 0);
	x += tui_textf(a, y + 1, x, a->cols - x, tui_route_attr(a, p->dec.route) | A_BOLD,
	    "%s (level %d)", tui_route_label(p->rs, p->dec.route), p->dec.level);
	tui_textf(a, y + 1, x, a->cols - x, tui_attr(a, C_NORMAL), "  rule %s  urgency %s",
	    p->rs->rules[p->dec.rule].id, urgency_name(p->dec.urgency));
	tui_pathway_why(p, &b);
	tui_textf(a, y + 2, 2, a->cols - 3, tui_attr(a, C_DIM), "why: %s", b.data);
	tui_pathway_changes_text(p, 3, &b);
	used = 0;
	for (char *s = b.data, *nl; s != NULL && *s && used < 3; s = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(s, '\n');
		if (nl != NULL)
			*nl = '\0';
		tui_textf(a, y + 3 + used, 2, a->cols - 3, tui_attr(a, C_NORMAL), "%s %s",
		    used == 0 ? "would change:" : "             ", s);
		used++;
	}
	rereferral_line(a, line, sizeof line);
	tui_text(a, y + 6, 2, a->cols - 3, line,
	    strncmp(line, "RE-", 3) == 0 ? tui_attr(a, C_AMBER) | A_BOLD : tui_attr(a, C_NORMAL), 0);
	note = ci >= 0 ? tui_consent_note(p, consent, cnote, sizeof cnote) : NULL;
	if (note != NULL)
		tui_textf(a, y + 7, 2, a->cols - 3, tui_attr(a, C_NORMAL), "Consent: %s", note);
	buf_free(&b);
}

/*
 * The indicator's whole text and guidance, wrapped into `height` rows from
 * y, scrolled by ^E and ^Y with marks when there is more (the escalation
 * advice is often at the end).
 */
static void
draw_guidance(struct tui_app *a, int cur, int y, int height)
{
	struct tui_journey *j = &a->j;
	const struct indicator_def *ind = &j->path.rs->indicators[cur];
	size_t *starts, k, max;
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "%s: %s", ind->id, ind->text);
	if (ind->guidance != NULL)
		buf_printf(&b, " Guidance: %s", ind->guidance);
	max = b.len + 2;
	starts = xcalloc(max, sizeof *starts);
	k = tui_wrap(b.data, b.len, a->cols - 3, starts, max);
	if (j->guide_ind != cur) {
		j->guide_ind = cur;
		j->guide_top = 0;
	}
	if (height < 1)
		height = 1;
	if (j->guide_top + (size_t)height > k)
		j->guide_top = k > (size_t)height ? k - (size_t)height : 0;
	for (int r = 0; r < height && j->guide_top + (size_t)r < k; r++) {
		size_t li = j->guide_top + (size_t)r, end = li + 1 < k ? starts[li + 1] : b.len;
		char *line = xstrndup(b.data + starts[li], end - starts[li]);

		tui_text(a, y + r, 1, a->cols - 3, line, tui_attr(a, C_DIM), 0);
		free(line);
	}
	if (j->guide_top > 0)
		tui_text(a, y, a->cols - 1, 1, a->utf8 ? "\u2191" : "^", tui_attr(a, C_KEY), 0);
	if (j->guide_top + (size_t)height < k)
		tui_text(a, y + height - 1, a->cols - 1, 1, a->utf8 ? "\u2193" : "v",
		    tui_attr(a, C_KEY), 0);
	free(starts);
	buf_free(&b);
}

static void
pathway_draw(struct tui_app *a)
{
	struct tui_journey *j = &a->j;
	struct tui_pathway *p = &j->path;
	int rows = list_rows(a), y = PATH_LIST_TOP + rows, x;
	int cur = tui_pathway_current(p);
	size_t first;
	int col;

	if (!j->active)
		return;
	x = tui_textf(a, 1, 0, a->cols, tui_attr(a, C_HEADER), "%s  ", j->case_id);
	x += tui_untrusted(a, 1, x, 30, j->intake.f[IF_CHILD_NAME].edit.text,
	    j->intake.f[IF_CHILD_NAME].edit.len, tui_attr(a, C_HEADER), 0);
	x += tui_textf(a, 1, x, a->cols - x, tui_attr(a, C_NORMAL), "  %zu ticked  ",
	    p->nselected);
	x += tui_text(a, 1, x, a->cols - x, "filter: ", tui_attr(a, C_DIM), 0);
	tui_edit_view(&p->filter, a->cols - x - 1, &first, &col);
	tui_text(a, 1, x, a->cols - x - 1, p->filter.text + first, tui_attr(a, C_FOCUS), 1);
	a->cur_on = 1;
	a->cur_y = 1;
	a->cur_x = x + col;
	draw_list(a, rows);
	/* the indicator under the cursor: its text and guidance, in every row the list leaves */
	if (cur >= 0) {
		int shown = p->nvisible < (size_t)rows ? (int)p->nvisible : rows;

		draw_guidance(a, cur, PATH_LIST_TOP + shown, rows + 3 - shown);
	}
	draw_recommendation(a, y + 3);
}

static int
pathway_typing(const struct tui_app *a)
{
	(void)a;
	return 1;
}

static void
pathway_changed(struct tui_app *a)
{
	a->j.dirty = 1;
	tui_journey_evaluate(a);
}

static void
pathway_mouse(struct tui_app *a)
{
	struct tui_pathway *p = &a->j.path;
	int row = a->mev.y - PATH_LIST_TOP;

	if (a->mev.bstate & BUTTON4_PRESSED)
		tui_pathway_move(p, -3, (size_t)list_rows(a));
	else if (a->mev.bstate & BUTTON5_PRESSED)
		tui_pathway_move(p, 3, (size_t)list_rows(a));
	else if (row >= 0 && row < list_rows(a) && p->top + (size_t)row < p->nvisible) {
		p->cursor = p->top + (size_t)row;
		if (a->mev.x < 4 && tui_pathway_toggle(p))
			pathway_changed(a);
	}
}

static void
pathway_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_journey *j = &a->j;
	struct tui_pathway *p = &j->path;
	size_t rows = (size_t)list_rows(a);

	if (!j->active) {
		tui_back(a);
		return;
	}
	switch (act) {
	case TA_UP: tui_pathway_move(p, -1, rows); break;
	case TA_DOWN: tui_pathway_move(p, 1, rows); break;
	case TA_PGUP: tui_pathway_move(p, -(long)rows, rows); break;
	case TA_PGDN: tui_pathway_move(p, (long)rows, rows); break;
	case TA_TOGGLE:
		if (tui_pathway_toggle(p))
			pathway_changed(a);
		break;
	case TA_CLEAR:
		tui_edit_set(&p->filter, "");
		tui_pathway_filter(p);
		break;
	case TA_SCROLL_DOWN:
		j->guide_top++;		/* the drawing keeps it in range */
		break;
	case TA_SCROLL_UP:
		if (j->guide_top > 0)
			j->guide_top--;
		break;
	case TA_NEXT_STEP:
		tui_journey_evaluate(a);
		if (!p->have_dec) {
			tui_message(a, MSG_ERROR, "The case cannot be decided yet: %s",
			    p->error != NULL ? p->error : "unknown");
			break;
		}
		tui_journey_save(a);
		tui_switch(a, SCR_DECISION);
		break;
	case TA_BACK:
		/* Esc first clears a filter; then goes back to the contact's details */
		if (p->filter.len > 0) {
			tui_edit_set(&p->filter, "");
			tui_pathway_filter(p);
			break;
		}
		tui_journey_save(a);
		tui_switch(a, SCR_INTAKE);
		break;
	default:
		if (key == TK_MOUSE) {
			pathway_mouse(a);
			break;
		}
		if (key == TK_LEFT || key == TK_RIGHT || key == TK_HOME || key == TK_END ||
		    key == TK_BACKSPACE || key == TK_DELETE || tui_key_is_text(key)) {
			if (tui_edit_key(&p->filter, key) == 1)
				tui_pathway_filter(p);
		}
		break;
	}
}

/* A paste filters the indicators, as typing does. */
static void
pathway_paste(struct tui_app *a, const char *text, size_t n)
{
	if (a->j.active && tui_paste_line(a, &a->j.path.filter, text, n))
		tui_pathway_filter(&a->j.path);
}

static void
pathway_idle(struct tui_app *a)
{
	if (!a->j.save_failed)
		tui_journey_save(a);
}

const struct tui_screen_ops tui_pathway_ops = {
	.enter = pathway_enter,
	.draw = pathway_draw,
	.key = pathway_key,
	.typing = pathway_typing,
	.idle = pathway_idle,
	.free = NULL,		/* the intake screen frees the journey */
	.hints = "Space:tick  type:filter  Up/Down:move  Enter/F2/^N:decide  Esc:back  F1/^G:help",
	.paste = pathway_paste,
};
