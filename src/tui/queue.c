/* queue.c: the home screen: the tray of open contacts in due order, filters, search, counts, legend. */
#include <stdlib.h>
#include <string.h>

#include "base/width.h"
#include "tui/ui.h"

#define QUEUE_TOP 3		/* first row of the list */

static size_t
queue_height(const struct tui_app *a)
{
	int h = a->rows - QUEUE_TOP - 4;	/* the legend, counts, message and key lines */

	return h > 1 ? (size_t)h : 1;
}

static int
queue_visible(struct tui_app *a)
{
	return tui_screen_allowed(a->has_role, a->role, SCR_QUEUE, NULL);
}

int
tui_list_stale(struct tui_app *a, struct tui_queue *q)
{
	uint64_t head = 0;
	char *cause = NULL;
	int moved;

	if (tui_data_head(a->s, &head, &cause) < 0) {
		free(cause);	/* the list stays as it is; reading it will say what is wrong */
		return 0;
	}
	moved = head != q->head;
	q->head = head;
	return moved;
}

static void
queue_load(struct tui_app *a, int restart)
{
	char *cause = NULL;
	int rc;

	if (!queue_visible(a))
		return;
	tui_list_stale(a, &a->queue);
	a->queue.height = queue_height(a);
	rc = restart ? tui_queue_restart(&a->queue, &cause) :
	    tui_queue_reload(&a->queue, queue_height(a), &cause);
	if (rc < 0) {
		tui_error(a, "cannot read the queue", cause);
		return;
	}
	/* counting reads every open case: done once the page is on screen */
	a->counts_stale = 1;
	a->idle_now = 1;
}

static void
queue_idle(struct tui_app *a)
{
	char *cause = NULL;

	if (!queue_visible(a))
		return;
	/* someone else wrote: the list follows the log without a key */
	if (!a->counts_stale && tui_list_stale(a, &a->queue)) {
		queue_load(a, 0);
		return;
	}
	if (!a->counts_stale)
		return;
	a->counts_stale = 0;
	a->counts_ok = queue_counts(a->s, a->counts, &cause) == 0;
	if (!a->counts_ok)
		tui_error(a, "cannot count the queue", cause);
}

static void
queue_enter(struct tui_app *a)
{
	queue_load(a, 0);
}

static void
draw_filters(struct tui_app *a)
{
	const struct tui_queue *q = &a->queue;
	char line[400];

	snprintf(line, sizeof line, "route: %s  district: %s  search: %s%s%s%s",
	    q->route >= 0 ? tui_route_label(a->rs, q->route) : "any",
	    q->district >= 0 ? q->district_name : "any",
	    q->search[0] ? "\"" : "", q->search[0] ? q->search : "-", q->search[0] ? "\"" : "",
	    q->search[0] && !q->awaiting && !q->returned ? " (every case)" : "");
	tui_text(a, 1, 0, a->cols, "Filter ", tui_attr(a, C_HEADER), 0);
	/* the line keeps the whole width unless the awaiting mark needs its right end */
	tui_untrusted(a, 1, 7, a->cols - 7 - (q->awaiting || q->returned ? 23 : 0), line,
	    strlen(line), tui_attr(a, C_NORMAL), 0);
	if (q->awaiting)
		tui_text(a, 1, a->cols - 22, 22, "awaiting sign-off only", tui_attr(a, C_AMBER), 0);
	else if (q->returned)
		tui_text(a, 1, a->cols - 22, 22, "    returned to you", tui_attr(a, C_AMBER), 0);
}

/* Column places for the width of the screen: the child's name takes what is left. */
struct cols {
	int mark, id, iw, name, nw, district, route, level, urg, due, flags;
};

/* The case id column: as wide as the longest id on the page, 10 to 20 columns. */
static int
id_width(const struct tui_queue *q)
{
	int w = 10;

	for (size_t i = 0; i < q->nrows; i++) {
		int iw = tui_text_width(q->rows[i].case_id, strlen(q->rows[i].case_id));

		if (iw > w)
			w = iw;
	}
	return w > 20 ? 20 : w;
}

static void
layout(const struct tui_app *a, struct cols *c)
{
	c->mark = 0;
	c->id = 2;
	c->iw = id_width(&a->queue);
	c->name = c->id + c->iw + 1;
	c->nw = a->cols - 60 - (c->iw - 10);
	c->district = c->name + c->nw + 1;
	c->route = c->district + 13;
	c->level = c->route + 6;
	c->urg = c->level + 3;
	c->due = c->urg + 6;
	c->flags = c->due + 13;
}

/* Whether the list is a person search's (tui/state/data.c): every case, best match first. */
static int
queue_searching(const struct tui_queue *q)
{
	return q->search[0] != '\0' && !q->awaiting && !q->returned;
}

static void
draw_row(struct tui_app *a, const struct cols *c, int y, const struct queue_row *r, int selected,
    int64_t now)
{
	attr_t base = tui_attr(a, selected ? C_SELECTED : C_NORMAL);
	char due[32], lvl[8], flags[8];
	static const char *const urg[] = { "-", "GREEN", "AMBER", "RED" };
	int overdue = due_overdue(&r->due, now);

	tui_fill(a, y, 0, a->cols, base);
	if (overdue)
		tui_text(a, y, c->mark, 1, "!", selected ? base | A_BOLD : tui_attr(a, C_RED), 0);
	tui_text(a, y, c->id, c->iw, r->case_id, base, 0);
	tui_text(a, y, c->name, c->nw, r->name[0] ? r->name : "(no name)", base, 0);
	tui_text(a, y, c->district, 12, r->district[0] ? r->district : "-", base, 0);
	tui_text(a, y, c->route, 5, tui_route_short(a->rs, r->route),
	    selected ? base : tui_route_attr(a, r->route), 0);
	snprintf(lvl, sizeof lvl, r->level >= 1 && r->level <= 4 ? "L%d" : "-", r->level);
	tui_text(a, y, c->level, 2, lvl, base, 0);
	tui_text(a, y, c->urg, 5, urg[r->urgency >= 0 && r->urgency <= 3 ? r->urgency : 0],
	    selected ? base : tui_urgency_attr(a, r->urgency), 0);
	/* a person search's rows (every case, open or closed) show how long ago it came in */
	if (queue_searching(&a->queue))
		tui_format_age(r->received_at, now, due, sizeof due);
	else
		tui_format_due(a->queue.cal, r->due.at, now, due, sizeof due);
	tui_text(a, y, c->due, 12, r->closed ? "CLOSED" : due, r->closed && !selected ?
	    tui_attr(a, C_DIM) | A_BOLD : overdue && !selected ? tui_attr(a, C_RED) : base, 0);
	snprintf(flags, sizeof flags, "%s%s%s", r->awaiting_signoff ? "S" : r->returned ? "B" : "",
	    r->due.what == DUE_STEP_UP ? "U" : "", r->contacts > 1 ? "R" : "");
	tui_text(a, y, c->flags, 3, flags, selected ? base : tui_attr(a, C_AMBER), 0);
}

/* The legend of the tray's marks, above the counts. */
static void
draw_legend(struct tui_app *a)
{
	char line[200];

	const char *order = queue_searching(&a->queue) ? "Matches:" : a->cols >= 100 ?
	    (a->queue.by_due ? "Soonest due first (s):" : "Newest first (s):    ") :
	    a->queue.by_due ? "By due:" : "Newest:";

	snprintf(line, sizeof line, "%s  ! overdue  S sign-off  B returned  U step-up  "
	    "R re-contact  (%s)", order, tui_zone_label(a->queue.cal));
	tui_fill(a, a->rows - 4, 0, a->cols, tui_attr(a, C_DIM));
	tui_text(a, a->rows - 4, 0, a->cols, line, tui_attr(a, C_DIM), 0);
}

/* How many rows the queue's list has, when the stored counts say (0: not known). */
static size_t
queue_total(const struct tui_app *a, const struct tui_queue *q)
{
	if (!a->counts_ok || q->district >= 0 || q->search[0] != '\0' || q->awaiting)
		return 0;
	return (size_t)a->counts[q->route >= 0 ? q->route : ROUTE_COUNT];
}

#define POSITION_COLS 20	/* the row position at the right of the counts line */

static void
draw_counts(struct tui_app *a)
{
	const struct tui_queue *q = &a->queue;
	int y = a->rows - 3, x = 0;
	char pos[64];
	size_t row;

	tui_fill(a, y, 0, a->cols, tui_attr(a, C_DIM));
	if (a->counts_stale && !a->counts_ok)
		tui_text(a, y, 0, a->cols - POSITION_COLS, "counting...", tui_attr(a, C_DIM), 0);
	if (a->counts_ok) {
		/* the counts stop before the row position; a count that does not fit whole is left out */
		int lim = a->cols - POSITION_COLS - 1;

		x += tui_textf(a, y, x, lim, tui_attr(a, C_HEADER), "Open %lu",
		    a->counts[ROUTE_COUNT]);
		for (int r = 0; r < ROUTE_COUNT; r++) {
			char *item = xasprintf("  %s %lu", tui_route_short(a->rs, r), a->counts[r]);

			if (x + (int)width_text(item, strlen(item)) <= lim)
				x += tui_text(a, y, x, lim - x, item, tui_route_attr(a, r), 0);
			free(item);
		}
	}
	if (q->nrows > 0 && (row = tui_queue_row_number(q, queue_total(a, q))) > 0)
		snprintf(pos, sizeof pos, "row %zu%s", row, q->more ? "" : " (end)");
	else if (q->nrows > 0)
		snprintf(pos, sizeof pos, "%zu from the end", q->below + q->nrows - q->cursor);
	else
		snprintf(pos, sizeof pos, "no rows");
	tui_text(a, y, a->cols - POSITION_COLS, POSITION_COLS, pos, tui_attr(a, C_DIM), 0);
}

void
tui_row_in_full(struct tui_app *a, const struct queue_row *r)
{
	char when[32];

	if (r->received_at != 0)
		calendar_format_local(tui_calendar(a), r->received_at, when);
	tui_message(a, MSG_INFO, "%s  %s  %s  received %s %s", r->case_id,
	    r->name[0] ? r->name : "(no name)", r->district[0] ? r->district : "(no district)",
	    r->received_at != 0 ? when : r->received[0] ? r->received : "-",
	    r->received_at != 0 ? tui_zone_label(tui_calendar(a)) : "");
}

static void
queue_draw(struct tui_app *a)
{
	const struct tui_queue *q = &a->queue;
	int64_t now = tui_display_now();
	struct cols c;

	if (!queue_visible(a)) {
		char *why = NULL;

		tui_screen_allowed(a->has_role, a->role, SCR_QUEUE, &why);
		tui_wrapped(a, 3, 2, a->cols - 4, 3, why, tui_attr(a, C_ERROR));
		tui_wrapped(a, 7, 2, a->cols - 4, 4, "The queue shows case data, which your role "
		    "does not give. Use the command line (frontdoor help) for what your role does.",
		    tui_attr(a, C_NORMAL));
		free(why);
		return;
	}
	layout(a, &c);
	draw_filters(a);
	tui_fill(a, 2, 0, a->cols, tui_attr(a, C_HEADER) | A_UNDERLINE);
	tui_text(a, 2, c.id, c.iw, "Case", tui_attr(a, C_HEADER) | A_UNDERLINE, 0);
	tui_text(a, 2, c.name, c.nw, "Child", tui_attr(a, C_HEADER) | A_UNDERLINE, 0);
	tui_text(a, 2, c.district, 12, "District", tui_attr(a, C_HEADER) | A_UNDERLINE, 0);
	tui_text(a, 2, c.route, 5, "Route", tui_attr(a, C_HEADER) | A_UNDERLINE, 0);
	tui_text(a, 2, c.level, 3, "Lv", tui_attr(a, C_HEADER) | A_UNDERLINE, 0);
	tui_text(a, 2, c.urg, 5, "Urg", tui_attr(a, C_HEADER) | A_UNDERLINE, 0);
	tui_text(a, 2, c.due, 12, queue_searching(&a->queue) ? "Age" : "Due by",
	    tui_attr(a, C_HEADER) | A_UNDERLINE, 0);
	tui_text(a, 2, c.flags, 3, "", tui_attr(a, C_HEADER) | A_UNDERLINE, 0);
	for (size_t i = 0; i < q->nrows && i < queue_height(a); i++)
		draw_row(a, &c, QUEUE_TOP + (int)i, &q->rows[i], i == q->cursor, now);
	if (q->nrows == 0)
		tui_text(a, QUEUE_TOP + 1, 2, a->cols - 4, q->returned ?
		    "Nothing of yours is returned at sign-off (b shows every contact again)." :
		    q->search[0] && !q->awaiting ?
		    "No case, open or closed, matches the search (x clears it)." :
		    q->route >= 0 || q->district >= 0 || q->awaiting ?
		    "No open contacts match the filter (x clears it)." :
		    "No open contacts. Press n to record a new contact.", tui_attr(a, C_DIM), 0);
	draw_legend(a);
	draw_counts(a);
}

static void
search_done(struct tui_app *a, int key, const char *text)
{
	char *cause = NULL;

	if (key != TK_ENTER || text == NULL)
		return;
	snprintf(a->queue.search, sizeof a->queue.search, "%s", text);
	if (tui_queue_restart(&a->queue, &cause) < 0)
		tui_error(a, "search failed", cause);
	else if (a->queue.nrows == 0 && text[0])
		tui_message(a, MSG_INFO, "No case, open or closed, matches \"%s\".",
		    a->queue.search);
}

static void
case_done(struct tui_app *a, int key, const char *text)
{
	if (key == TK_ENTER && text != NULL && text[0] != '\0')
		tui_case_open(a, text);
}

static void
quit_done(struct tui_app *a, int key, const char *text)
{
	(void)text;
	if (key == 'y')
		a->quit = 1;
}

static void
queue_mouse(struct tui_app *a)
{
	struct tui_queue *q = &a->queue;
	char *cause = NULL;
	int row = a->mev.y - QUEUE_TOP;

	if (a->mev.bstate & BUTTON4_PRESSED)
		tui_queue_move(q, -3, &cause);
	else if (a->mev.bstate & BUTTON5_PRESSED)
		tui_queue_move(q, 3, &cause);
	else if (row >= 0 && (size_t)row < q->nrows) {
		q->cursor = (size_t)row;
		if (a->mev.bstate & BUTTON1_DOUBLE_CLICKED)
			tui_case_open(a, q->rows[row].case_id);
	}
	free(cause);
}

static void
queue_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_queue *q = &a->queue;
	const struct queue_row *r = tui_queue_current(q);
	size_t page = queue_height(a);
	char *cause = NULL;
	int rc = 0;

	if (key == TK_MOUSE) {
		queue_mouse(a);
		return;
	}
	if (!queue_visible(a) && act != TA_BACK && act != TA_AUDIT && act != TA_SIGNOFF) {
		if (act != TA_NONE)
			tui_message(a, MSG_ERROR, "Your role does not show case data.");
		return;
	}
	switch (act) {
	case TA_UP: rc = tui_queue_move(q, -1, &cause); break;
	case TA_DOWN: rc = tui_queue_move(q, 1, &cause); break;
	case TA_PGUP: rc = tui_queue_move(q, -(long)page, &cause); break;
	case TA_PGDN: rc = tui_queue_move(q, (long)page, &cause); break;
	case TA_TOP: rc = tui_queue_top(q, &cause); break;
	case TA_BOTTOM: rc = tui_queue_bottom(q, &cause); break;
	case TA_OPEN:
		if (r != NULL)
			tui_case_open(a, r->case_id);
		break;
	case TA_NEW:
		tui_journey_new(a, NULL, NULL, NULL);
		break;
	case TA_FULL:
		if (r != NULL)
			tui_row_in_full(a, r);
		break;
	case TA_SEARCH:
		tui_ask_text(a, q->search, search_done, "Find a child (name, dob, NHS number or case id):");
		break;
	case TA_CASE:
		tui_ask_text(a, r != NULL ? r->case_id : "", case_done, "Open case id:");
		break;
	case TA_REFRESH:
		queue_load(a, 0);
		if (a->msg[0] == '\0')
			tui_message(a, MSG_INFO, "Refreshed.");
		break;
	case TA_FILTER_ROUTE:
		tui_queue_cycle_route(q);
		rc = tui_queue_restart(q, &cause);
		break;
	case TA_FILTER_DISTRICT:
		tui_queue_cycle_district(q, a->rs);
		rc = tui_queue_restart(q, &cause);
		break;
	case TA_TOGGLE:
		q->awaiting = !q->awaiting;
		q->returned = 0;
		rc = tui_queue_restart(q, &cause);
		break;
	case TA_RETURNED:
		q->returned = !q->returned;
		q->awaiting = 0;
		rc = tui_queue_restart(q, &cause);
		if (rc == 0 && q->returned && q->nrows == 0)
			tui_message(a, MSG_INFO, "Nothing of yours is returned at sign-off.");
		break;
	case TA_SORT:
		q->by_due = !q->by_due;
		rc = tui_queue_restart(q, &cause);
		break;
	case TA_CLEAR_FILTERS:
		q->route = q->district = -1;
		q->search[0] = '\0';
		q->awaiting = q->returned = 0;
		rc = tui_queue_restart(q, &cause);
		break;
	case TA_SIGNOFF:
		tui_go(a, SCR_SIGNOFF);
		break;
	case TA_AUDIT:
		tui_go(a, SCR_AUDIT);
		break;
	case TA_OUTCOME:
		if (r != NULL)
			tui_outcome_open(a, r->case_id, OM_OUTCOME);
		break;
	case TA_BACK:
		if (key == TK_ESC)
			tui_ask(a, "yn", quit_done, "Quit frontdoor? (y/n)");
		else
			a->quit = 1;
		break;
	default:
		break;
	}
	if (rc < 0)
		tui_error(a, "cannot read the queue", cause);
}

static void
queue_free(struct tui_app *a)
{
	tui_queue_free(&a->queue);
}

const struct tui_screen_ops tui_queue_ops = {
	.enter = queue_enter,
	.draw = queue_draw,
	.key = queue_key,
	.typing = NULL,
	.idle = queue_idle,
	.free = queue_free,
	.hints = "Enter:open  n:new  /:search  f/d/b:filter  m:sign-off  a:audit  ?:help  q:quit",
};
