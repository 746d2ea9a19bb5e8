/* find.c: the intake's match step on screen: likely matches, open and closed, before a new case id. */
#include <stdlib.h>
#include <string.h>

#include "core/outcomes.h"
#include "tui/ui.h"

#define MATCH_TOP 4		/* first row of the list */

/* What a record was, in the words the case view uses. */
static void
contact_text(const struct tui_app *a, const struct match_contact *c, char *out, size_t outsz)
{
	char when[32];
	struct outcome_code oc;

	format_utc(c->time, when);
	when[10] = '\0';
	if (c->kind == KIND_OUTCOME)
		snprintf(out, outsz, "%s  %s: %s", when, c->route != RECORD_NONE ? "progress" :
		    "closed", outcome_lookup(a->rs, c->outcome, strlen(c->outcome), &oc) == 0 ?
		    oc.label : c->outcome);
	else if (c->route != RECORD_NONE)
		snprintf(out, outsz, "%s  %s: %s", when, record_kind_name(c->kind),
		    tui_route_label(a->rs, c->route));
	else
		snprintf(out, outsz, "%s  %s%s%s", when, record_kind_name(c->kind),
		    c->outcome[0] ? ": " : "", c->outcome);
}

/* The list's rows on screen, leaving room for the selected match's history. */
static int
list_rows(const struct tui_app *a)
{
	int rows = a->rows - MATCH_TOP - 3 - (MATCH_CONTACTS + 2);

	return rows > 2 ? rows : 2;
}

static void
draw_row(struct tui_app *a, int y, const struct match_result *m, int selected)
{
	attr_t at = tui_attr(a, selected ? C_SELECTED : C_NORMAL);
	int nw = a->cols - 50;

	tui_fill(a, y, 0, a->cols, at);
	tui_text(a, y, 2, 14, m->case_id, at, 0);
	tui_text(a, y, 17, nw, m->name[0] ? m->name : "(no name)", at, 0);
	tui_text(a, y, 18 + nw, 10, m->dob[0] ? m->dob : "-", at, 0);
	tui_text(a, y, 29 + nw, 11, m->district[0] ? m->district : "-", at, 0);
	tui_text(a, y, 41 + nw, 6, m->open ? tui_route_short(a->rs, m->route) : "CLOSED",
	    selected ? at : m->open ? tui_route_attr(a, m->route) : tui_attr(a, C_AMBER) | A_BOLD,
	    0);
}

/* Why the selected match was found, and its latest records. */
static void
draw_detail(struct tui_app *a, int y, const struct match_result *m)
{
	char why[160], line[200];

	match_why_text(m->why, why, sizeof why);
	tui_textf(a, y++, 2, a->cols - 4, tui_attr(a, C_HEADER), "%s: %s, %u contact%s; "
	    "matched on %s", m->case_id, m->open ? "open" : "closed", m->contacts,
	    m->contacts == 1 ? "" : "s", why);
	for (size_t i = 0; i < m->ncontacts; i++) {
		contact_text(a, &m->last[i], line, sizeof line);
		tui_untrusted(a, y++, 4, a->cols - 6, line, strlen(line), tui_attr(a, C_NORMAL), 0);
	}
}

void
tui_match_draw(struct tui_app *a)
{
	struct tui_match_step *m = &a->j.match;
	int rows = list_rows(a), y = MATCH_TOP;
	size_t i;

	tui_heading(a, 1, "Is this child known? Likely matches, open and closed ");
	tui_text(a, 2, 2, a->cols - 4, "Enter on the child's case links this contact to it; "
	    "n: none of these.", tui_attr(a, C_DIM), 0);
	tui_list_move(&m->list, 0, (size_t)rows);
	for (i = m->list.top; i < m->list.n && y < MATCH_TOP + rows; i++, y++) {
		if (i < m->n) {
			draw_row(a, y, &m->res[i], i == m->list.cursor);
			continue;
		}
		tui_fill(a, y, 0, a->cols, tui_attr(a, i == m->list.cursor ? C_SELECTED : C_NORMAL));
		tui_text(a, y, 2, a->cols - 4, "None of these: a new child, a new case id",
		    tui_attr(a, i == m->list.cursor ? C_SELECTED : C_NORMAL), 0);
	}
	if (m->list.cursor < m->n)
		draw_detail(a, MATCH_TOP + rows + 1, &m->res[m->list.cursor]);
}

int
tui_match_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_match_step *m = &a->j.match;
	size_t rows = (size_t)list_rows(a);

	if (key == TK_UP || key == 'k')
		tui_list_move(&m->list, -1, rows);
	else if (key == TK_DOWN || key == 'j')
		tui_list_move(&m->list, 1, rows);
	else if (key == TK_ENTER || key == TK_F2 || key == TK_CTRL('n')) {
		tui_match_answer(m, &a->j.intake);
		a->j.dirty = 1;
		return 1;
	} else if (key == 'n') {
		m->list.cursor = m->n;
		tui_match_answer(m, &a->j.intake);
		return 1;
	} else if (act == TA_BACK || key == TK_ESC)
		m->showing = 0;		/* back to the form; F2 asks again */
	return 0;
}

int
tui_match_offer(struct tui_app *a)
{
	char *cause = NULL;
	int rc = tui_match_search(a->s, &a->j.intake, &a->j.match, &cause);

	if (rc < 0) {
		tui_error(a, "cannot search for the child", cause);
		return 1;
	}
	return rc;
}

int
tui_match_warn_id(struct tui_app *a, const char *id)
{
	char msg[300], *cause = NULL;
	int rc = tui_match_check_id(a->s, &a->j.intake, id, &a->j.match, msg, sizeof msg, &cause);

	if (rc < 0) {
		tui_error(a, "cannot read the case", cause);
		return 1;
	}
	if (rc == 1)
		tui_message(a, MSG_ERROR, "%s", msg);
	return rc;
}
