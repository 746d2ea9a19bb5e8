/* help.c: the help screen, made from the same key table the screens act on. */
#include <stdlib.h>
#include <string.h>

#include "tui/ui.h"

#define HELP_TOP 2

static size_t
help_rows(const struct tui_app *a)
{
	int h = a->rows - HELP_TOP - 2;

	return h > 1 ? (size_t)h : 1;
}

static void
help_enter(struct tui_app *a)
{
	struct tui_helpview *h = &a->help;

	tui_lines_free(h->lines, h->n);
	tui_help_lines(h->about, &h->lines, &h->n);
	tui_list_set_count(&h->list, h->n, help_rows(a));
}

static void
help_draw(struct tui_app *a)
{
	struct tui_helpview *h = &a->help;
	size_t rows = help_rows(a);

	tui_textf(a, 1, 0, a->cols, tui_attr(a, C_DIM), "frontdoor %s: keys by screen (Esc or "
	    "q to go back). Times are UTC.", FD_VERSION);
	/* the list scrolls by its top line; the cursor is not shown */
	if (h->list.top + rows > h->n)
		h->list.top = h->n > rows ? h->n - rows : 0;
	for (size_t r = 0; r < rows && h->list.top + r < h->n; r++) {
		const char *l = h->lines[h->list.top + r];

		tui_text(a, HELP_TOP + (int)r, 1, a->cols - 2, l,
		    tui_attr(a, l[0] != ' ' && l[0] ? C_HEADER : C_NORMAL), 0);
	}
	if (h->n > rows) {
		if (h->list.top > 0)
			tui_text(a, HELP_TOP, a->cols - 1, 1, a->utf8 ? "\u2191" : "^",
			    tui_attr(a, C_KEY), 0);
		if (h->list.top + rows < h->n)
			tui_text(a, HELP_TOP + (int)rows - 1, a->cols - 1, 1, a->utf8 ? "\u2193" : "v",
			    tui_attr(a, C_KEY), 0);
	}
}

static void
help_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_helpview *h = &a->help;
	size_t rows = help_rows(a), max = h->n > rows ? h->n - rows : 0;

	if (key == TK_MOUSE) {
		if (a->mev.bstate & BUTTON4_PRESSED)
			act = TA_UP;
		else if (a->mev.bstate & BUTTON5_PRESSED)
			act = TA_DOWN;
	}
	switch (act) {
	case TA_UP:
		if (h->list.top > 0)
			h->list.top--;
		break;
	case TA_DOWN:
		if (h->list.top < max)
			h->list.top++;
		break;
	case TA_PGUP:
		h->list.top = h->list.top > rows ? h->list.top - rows : 0;
		break;
	case TA_PGDN:
		h->list.top = h->list.top + rows < max ? h->list.top + rows : max;
		break;
	case TA_TOP:
		h->list.top = 0;
		break;
	case TA_BOTTOM:
		h->list.top = max;
		break;
	case TA_BACK:
	case TA_HELP:
		tui_back(a);
		break;
	default:
		break;
	}
}

static void
help_free(struct tui_app *a)
{
	tui_lines_free(a->help.lines, a->help.n);
}

const struct tui_screen_ops tui_help_ops = {
	.enter = help_enter,
	.draw = help_draw,
	.key = help_key,
	.typing = NULL,
	.idle = NULL,
	.free = help_free,
	.hints = "j/k:scroll  PgUp/PgDn:page  g/G:top/bottom  Esc/q:back",
};
