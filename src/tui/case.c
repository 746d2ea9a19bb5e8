/* case.c: one child's whole history in order: who decided what and why; steps and outcomes from here. */
#include <stdlib.h>
#include <string.h>

#include "core/actions.h"
#include "tui/ui.h"

#define CASE_TOP 3

static int
case_rows(const struct tui_app *a)
{
	int h = a->rows - CASE_TOP - 2;

	return h > 1 ? h : 1;
}

static void
case_clear_lines(struct tui_caseview *cv)
{
	tui_lines_free(cv->lines, cv->nlines);
	free(cv->starts);
	cv->lines = NULL;
	cv->starts = NULL;
	cv->nlines = 0;
	cv->width = 0;
}

/* Wraps the history for the screen's width when it changed. */
static void
case_layout(struct tui_app *a)
{
	struct tui_caseview *cv = &a->cv;

	if (cv->width == a->cols && cv->lines != NULL)
		return;
	case_clear_lines(cv);
	cv->starts = xcalloc(cv->n + 1, sizeof *cv->starts);
	tui_case_lines(a->rs, cv->e, cv->n, a->cols - 1, &cv->lines, &cv->nlines, cv->starts);
	cv->starts[cv->n] = cv->nlines;
	cv->width = a->cols;
}

/* Keeps the selected entry in view, as much of it as fits. */
static void
case_scroll(struct tui_app *a)
{
	struct tui_caseview *cv = &a->cv;
	size_t rows = (size_t)case_rows(a), first, end;

	if (cv->n == 0)
		return;
	first = cv->starts[cv->cursor];
	end = cv->starts[cv->cursor + 1];
	if (end > cv->top + rows)
		cv->top = end > rows ? end - rows : 0;
	if (first < cv->top || end - first > rows)
		cv->top = first;
	if (cv->nlines > rows && cv->top > cv->nlines - rows)
		cv->top = cv->nlines - rows;
}

/* Scrolls to the end of the history. */
static void
case_bottom(struct tui_app *a)
{
	struct tui_caseview *cv = &a->cv;
	size_t rows = (size_t)case_rows(a);

	cv->top = cv->nlines > rows ? cv->nlines - rows : 0;
}

/* The footer offers an outcome or a step only where the case rule allows it. */
static void
case_hints(struct tui_app *a)
{
	static const struct { enum case_act what; const char *hint; } steps[] = {
		{ CASE_ACT_OUTCOME, "o:outcome  " }, { CASE_ACT_STEP_UP, "u:step up  " },
		{ CASE_ACT_STEP_DOWN, "D:step down  " },
	};
	struct tui_caseview *cv = &a->cv;
	size_t len;

	len = (size_t)snprintf(cv->hints, sizeof cv->hints, "j/k:move  n:new  ");
	for (size_t i = 0; i < FD_ARRAY_LEN(steps); i++) {
		char *why = NULL;

		if (a->has_role && action_case_rule(&cv->cs, a->role, steps[i].what, &why) < 0) {
			free(why);
			continue;
		}
		len += (size_t)snprintf(cv->hints + len, sizeof cv->hints - len, "%s",
		    steps[i].hint);
	}
	snprintf(cv->hints + len, sizeof cv->hints - len, "r:refresh  ?:help  q:back");
}

void
tui_case_reload(struct tui_app *a)
{
	struct tui_caseview *cv = &a->cv;
	char *cause = NULL;
	size_t old = cv->n;

	tui_case_entries_free(cv->e, cv->n);
	cv->e = NULL;
	cv->n = 0;
	case_clear_lines(cv);
	if (tui_data_case(a->s, cv->id, &cv->e, &cv->n, &cv->cs, &cv->known, &cause) < 0) {
		tui_error(a, "cannot read the case", cause);
		return;
	}
	case_hints(a);
	/* stay where we were, unless the history grew: then show the newest */
	if (cv->n == 0 || cv->n != old || cv->cursor >= cv->n)
		cv->cursor = cv->n > 0 ? cv->n - 1 : 0;
	case_layout(a);
	if (cv->n != old)
		case_bottom(a);
	case_scroll(a);
}

/* Shows a case; replace: instead of the current screen (after a journey ends). */
void
tui_case_show(struct tui_app *a, const char *case_id, int replace)
{
	struct tui_caseview *cv = &a->cv;

	if (!tui_screen_allowed(a->has_role, a->role, SCR_CASE, NULL)) {
		tui_go(a, SCR_CASE);	/* says why not */
		return;
	}
	if (strcmp(cv->id, case_id) != 0) {
		tui_case_entries_free(cv->e, cv->n);
		cv->e = NULL;
		cv->n = 0;
		cv->cursor = cv->top = 0;
	}
	snprintf(cv->id, sizeof cv->id, "%s", case_id);
	if (a->screen == SCR_CASE)
		tui_case_reload(a);
	else if (replace)
		tui_switch(a, SCR_CASE);
	else
		tui_go(a, SCR_CASE);
	if (!cv->known) {
		tui_message(a, MSG_ERROR, "There is no case %s.", cv->id);
		tui_back(a);
	}
}

void
tui_case_open(struct tui_app *a, const char *case_id)
{
	tui_case_show(a, case_id, 0);
}

static void
case_enter(struct tui_app *a)
{
	tui_case_reload(a);
}

/* The child's name and district as the latest record with facts gives them. */
static const struct tui_case_entry *
latest_facts(const struct tui_caseview *cv)
{
	for (size_t i = cv->n; i > 0; i--)
		if (cv->e[i - 1].child[0] || cv->e[i - 1].district[0])
			return &cv->e[i - 1];
	return NULL;
}

static void
case_draw(struct tui_app *a)
{
	struct tui_caseview *cv = &a->cv;
	const struct tui_case_entry *f = latest_facts(cv);
	int rows = case_rows(a), x = 0;
	char line[400], lvl[8];

	case_layout(a);
	case_scroll(a);
	x += tui_untrusted(a, 1, 0, a->cols, cv->id, strlen(cv->id), tui_attr(a, C_HEADER), 0);
	if (f != NULL && f->child[0])
		x += tui_textf(a, 1, x, a->cols - x, tui_attr(a, C_HEADER), "  %s", f->child);
	lvl[0] = '\0';
	if (cv->cs.level >= 1 && cv->cs.level <= 4)
		snprintf(lvl, sizeof lvl, " L%d", cv->cs.level);
	snprintf(line, sizeof line, "  %s  %s%s  %u contact%s",
	    cv->cs.status == CASE_OPEN ? "open" : "closed", tui_route_label(a->rs, cv->cs.route), lvl,
	    cv->cs.contacts, cv->cs.contacts == 1 ? "" : "s");
	x += tui_text(a, 1, x, a->cols - x, line, tui_attr(a, C_NORMAL), 0);
	if (cv->cs.awaiting_signoff)
		tui_textf(a, 1, x, a->cols - x, tui_attr(a, C_AMBER), "  sign-off due #%llu",
		    (unsigned long long)cv->cs.awaiting_signoff);
	else if (cv->cs.returned)
		tui_text(a, 1, x, a->cols - x, "  returned at sign-off: a new decision is due",
		    tui_attr(a, C_AMBER), 0);
	tui_heading(a, 2, "History, oldest first ");
	for (int r = 0; r < rows && cv->top + (size_t)r < cv->nlines; r++) {
		size_t li = cv->top + (size_t)r;
		int head = cv->n > 0 && li == cv->starts[cv->cursor];
		int sel = cv->n > 0 && li >= cv->starts[cv->cursor] && li < cv->starts[cv->cursor + 1];
		attr_t at = tui_attr(a, head ? C_SELECTED : C_NORMAL);

		if (!head && strncmp(cv->lines[li], "#", 1) == 0)
			at = tui_attr(a, C_HEADER);
		if (sel && !head)
			tui_text(a, CASE_TOP + r, 0, 1, a->utf8 ? "\u2502" : "|", tui_attr(a, C_KEY), 0);
		tui_text(a, CASE_TOP + r, sel && !head ? 1 : 0, a->cols - 2, cv->lines[li] +
		    (sel && !head && cv->lines[li][0] == ' ' ? 1 : 0), at, head);
	}
	if (cv->nlines > (size_t)rows) {
		if (cv->top > 0)
			tui_text(a, CASE_TOP, a->cols - 1, 1, a->utf8 ? "\u2191" : "^",
			    tui_attr(a, C_KEY), 0);
		if (cv->top + (size_t)rows < cv->nlines)
			tui_text(a, CASE_TOP + rows - 1, a->cols - 1, 1, a->utf8 ? "\u2193" : "v",
			    tui_attr(a, C_KEY), 0);
	}
}

/* Moves the selection to the entry holding line li. */
static void
case_select_line(struct tui_caseview *cv, size_t li)
{
	for (size_t i = 0; i < cv->n; i++)
		if (cv->starts[i] <= li && li < cv->starts[i + 1])
			cv->cursor = i;
}

static void
case_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_caseview *cv = &a->cv;
	const struct tui_case_entry *f = latest_facts(cv);
	size_t rows = (size_t)case_rows(a);

	if (key == TK_MOUSE) {
		if (a->mev.bstate & BUTTON4_PRESSED)
			act = TA_UP;
		else if (a->mev.bstate & BUTTON5_PRESSED)
			act = TA_DOWN;
		else if (a->mev.y >= CASE_TOP && cv->top + (size_t)(a->mev.y - CASE_TOP) < cv->nlines)
			case_select_line(cv, cv->top + (size_t)(a->mev.y - CASE_TOP));
	}
	switch (act) {
	case TA_UP:
		if (cv->cursor > 0)
			cv->cursor--;
		break;
	case TA_DOWN:
		if (cv->cursor + 1 < cv->n)
			cv->cursor++;
		break;
	case TA_PGUP:
		cv->top = cv->top > rows ? cv->top - rows : 0;
		case_select_line(cv, cv->top);
		break;
	case TA_PGDN:
		if (cv->top + rows < cv->nlines)
			cv->top += rows;
		case_select_line(cv, cv->top);
		break;
	case TA_TOP:
		cv->cursor = 0;
		cv->top = 0;
		break;
	case TA_BOTTOM:
		cv->cursor = cv->n > 0 ? cv->n - 1 : 0;
		case_bottom(a);
		break;
	case TA_REFRESH:
		tui_case_reload(a);
		tui_message(a, MSG_INFO, "Refreshed.");
		break;
	case TA_OUTCOME:
		tui_outcome_open(a, cv->id, OM_OUTCOME);
		break;
	case TA_STEP_UP:
		tui_outcome_open(a, cv->id, OM_STEP_UP);
		break;
	case TA_STEP_DOWN:
		tui_outcome_open(a, cv->id, OM_STEP_DOWN);
		break;
	case TA_NEW:
		tui_journey_new(a, cv->id, f != NULL ? f->child : NULL, f != NULL ? f->district : NULL);
		break;
	case TA_BACK:
		tui_back(a);
		break;
	default:
		break;
	}
}

static const char *
case_mode_hints(const struct tui_app *a)
{
	return a->cv.hints[0] != '\0' ? a->cv.hints : NULL;
}

static void
caseview_free(struct tui_app *a)
{
	tui_case_entries_free(a->cv.e, a->cv.n);
	tui_lines_free(a->cv.lines, a->cv.nlines);
	free(a->cv.starts);
}

const struct tui_screen_ops tui_case_ops = {
	.enter = case_enter,
	.draw = case_draw,
	.key = case_key,
	.typing = NULL,
	.idle = NULL,
	.free = caseview_free,
	.hints = "j/k:move  n:new  o:outcome  u:step up  D:step down  r:refresh  ?:help  q:back",
	.mode_hints = case_mode_hints,
};
