/* draw.c: drawing helpers: the colour table's attributes, UTF-8 text by display width, forms. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/sanitise.h"
#include "tui/ui.h"

#define TEXT_MAX 1024

/* Attributes with colour, and the attributes-only theme used without it. */
static const attr_t colour_extra[C_COUNT] = {
	[C_TITLE] = A_BOLD, [C_RED] = A_BOLD, [C_ERROR] = A_BOLD, [C_OK] = A_BOLD,
	[C_DIM] = A_DIM, [C_FIELD] = A_UNDERLINE, [C_HEADER] = A_BOLD, [C_KEY] = A_BOLD,
	[C_INVALID] = A_BOLD, [C_ROUTE3] = A_BOLD,
};
static const attr_t mono[C_COUNT] = {
	[C_NORMAL] = A_NORMAL, [C_TITLE] = A_REVERSE | A_BOLD, [C_STATUS] = A_REVERSE,
	[C_SELECTED] = A_REVERSE, [C_RED] = A_BOLD, [C_AMBER] = A_NORMAL, [C_GREEN] = A_NORMAL,
	[C_ERROR] = A_REVERSE | A_BOLD, [C_OK] = A_BOLD, [C_DIM] = A_DIM,
	[C_FIELD] = A_UNDERLINE, [C_FOCUS] = A_REVERSE, [C_INVALID] = A_BOLD | A_UNDERLINE,
	[C_HEADER] = A_BOLD, [C_KEY] = A_BOLD, [C_ROUTE0] = A_NORMAL, [C_ROUTE1] = A_NORMAL,
	[C_ROUTE2] = A_NORMAL, [C_ROUTE3] = A_BOLD,
};

attr_t
tui_attr(const struct tui_app *a, enum tui_colour c)
{
	if ((unsigned)c >= C_COUNT)
		return A_NORMAL;
	if (!a->colour)
		return mono[c];
	return (c == C_NORMAL ? 0 : COLOR_PAIR(c)) | colour_extra[c];
}

attr_t
tui_route_attr(const struct tui_app *a, int route)
{
	if (route < 0 || route >= ROUTE_COUNT)
		return tui_attr(a, C_DIM);
	return tui_attr(a, (enum tui_colour)(C_ROUTE0 + route));
}

attr_t
tui_urgency_attr(const struct tui_app *a, int urgency)
{
	switch (urgency) {
	case URGENCY_RED: return tui_attr(a, C_RED);
	case URGENCY_AMBER: return tui_attr(a, C_AMBER);
	case URGENCY_GREEN: return tui_attr(a, C_GREEN);
	default: return tui_attr(a, C_DIM);
	}
}

void
tui_fill(const struct tui_app *a, int y, int x, int width, attr_t attr)
{
	if (y < 0 || y >= a->rows || width <= 0 || x >= a->cols)
		return;
	if (x + width > a->cols)
		width = a->cols - x;
	mvhline(y, x, ' ' | attr, width);
}

int
tui_text(const struct tui_app *a, int y, int x, int width, const char *s, attr_t attr, int pad)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	wchar_t w[TEXT_MAX];
	size_t n = strlen((const char *)p), i = 0, k = 0;
	int used = 0;

	if (y < 0 || y >= a->rows || x < 0 || x >= a->cols || width <= 0)
		return 0;
	if (x + width > a->cols)
		width = a->cols - x;
	while (i < n && k < TEXT_MAX - 1) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		int cw;

		if (len == 0) {
			cp = '?';
			len = 1;
		}
		/* nothing that could move the cursor or change the terminal's state */
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (!a->utf8 && cp >= 0x80))
			cp = '?';
		cw = wcwidth((wchar_t)cp);
		if (cw < 0) {
			cp = '?';
			cw = 1;
		}
		if (used + cw > width)
			break;
		w[k++] = (wchar_t)cp;
		used += cw;
		i += len;
	}
	/* text that does not fit is never cut silently: its last column says so */
	if (i < n && k < TEXT_MAX - 1 && k > 0) {
		while (k > 0 && used + 1 > width)
			used -= wcwidth(w[--k]);
		w[k++] = a->utf8 ? 0x2026 : '~';
		used++;
	}
	w[k] = 0;
	attrset(attr);
	if (k > 0)
		mvaddnwstr(y, x, w, (int)k);
	if (pad && used < width)
		mvhline(y, x + used, ' ' | attr, width - used);
	attrset(A_NORMAL);
	return used;
}

int
tui_textf(const struct tui_app *a, int y, int x, int width, attr_t attr, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int w;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	w = tui_text(a, y, x, width, s, attr, 0);
	free(s);
	return w;
}

int
tui_untrusted(const struct tui_app *a, int y, int x, int width, const char *s, size_t n,
    attr_t attr, int pad)
{
	char buf[TEXT_MAX * 4];

	sanitise_text(s != NULL ? s : "", s != NULL ? n : 0, buf, sizeof buf);
	return tui_text(a, y, x, width, buf, attr, pad);
}

/* Where a wrapped line from start ends, without the line break that ends it. */
static size_t
line_end(const char *s, size_t start, size_t end)
{
	return end > start && s[end - 1] == '\n' ? end - 1 : end;
}

int
tui_wrapped(const struct tui_app *a, int y, int x, int width, int rows, const char *s,
    attr_t attr)
{
	size_t starts[128], n = strlen(s), k;
	int used = 0;

	if (rows <= 0 || width <= 0)
		return 0;
	k = tui_wrap(s, n, width, starts, rows < 128 ? (size_t)rows : 128);
	for (size_t i = 0; i < k && used < rows; i++) {
		size_t end = line_end(s, starts[i], i + 1 < k ? starts[i + 1] : n);
		char *line = xstrndup(s + starts[i], end - starts[i]);

		tui_text(a, y + used, x, width, line, attr, 0);
		free(line);
		used++;
	}
	return used;
}

/* A horizontal rule: box drawing in UTF-8, dashes otherwise (never the ACS charset). */
void
tui_rule(const struct tui_app *a, int y, int x, int width)
{
	char line[TEXT_MAX * 3 + 1];
	const char *piece = a->utf8 ? "\u2500" : "-";
	size_t pl = strlen(piece), o = 0;

	for (int i = 0; i < width && o + pl < sizeof line; i++) {
		memcpy(line + o, piece, pl);
		o += pl;
	}
	line[o] = '\0';
	tui_text(a, y, x, width, line, tui_attr(a, C_DIM), 0);
}

void
tui_heading(const struct tui_app *a, int y, const char *title)
{
	int w = tui_text(a, y, 0, a->cols, title, tui_attr(a, C_HEADER), 0);

	if (w + 1 < a->cols)
		tui_rule(a, y, w + 1, a->cols - w - 1);
}

void
tui_draw_lines(const struct tui_app *a, char **lines, size_t n, size_t top, int y, int rows,
    attr_t attr)
{
	for (int r = 0; r < rows && top + (size_t)r < n; r++)
		tui_text(a, y + r, 0, a->cols - 1, lines[top + (size_t)r], attr, 0);
	if (n > (size_t)rows) {
		if (top > 0)
			tui_text(a, y, a->cols - 1, 1, a->utf8 ? "\u2191" : "^", tui_attr(a, C_KEY), 0);
		if (top + (size_t)rows < n)
			tui_text(a, y + rows - 1, a->cols - 1, 1, a->utf8 ? "\u2193" : "v",
			    tui_attr(a, C_KEY), 0);
	}
}

/*
 * A narrative field: wrapped over its rows, its paragraphs kept, scrolled to
 * keep the cursor in view, with scroll marks when there is more.
 */
static void
draw_longtext(struct tui_app *a, const struct tui_field *fl, int focused, int y, int x, int w,
    int rows)
{
	const struct tui_edit *e = &fl->edit;
	size_t max = e->len + 2, *starts = xcalloc(max, sizeof *starts);
	size_t k = tui_wrap(e->text, e->len, w, starts, max), cl = 0, first = 0;
	attr_t at = tui_attr(a, focused ? C_FOCUS : C_FIELD);

	for (size_t i = 0; i < k; i++)
		if (starts[i] <= e->cur)
			cl = i;
	if (focused && cl >= (size_t)rows)
		first = cl - (size_t)rows + 1;
	for (int r = 0; r < rows; r++) {
		size_t li = first + (size_t)r;

		if (li < k) {
			size_t end = line_end(e->text, starts[li], li + 1 < k ? starts[li + 1] : e->len);
			char *line = xstrndup(e->text + starts[li], end - starts[li]);

			tui_text(a, y + r, x, w, line, at, 1);
			free(line);
		} else
			tui_fill(a, y + r, x, w, at);
	}
	if (first > 0)
		tui_text(a, y, x + w, 1, a->utf8 ? "\u2191" : "^", tui_attr(a, C_KEY), 0);
	if (first + (size_t)rows < k)
		tui_text(a, y + rows - 1, x + w, 1, a->utf8 ? "\u2193" : "v", tui_attr(a, C_KEY), 0);
	if (focused) {
		a->cur_on = 1;
		a->cur_y = y + (int)(cl - first);
		a->cur_x = x + tui_text_width(e->text + starts[cl], e->cur - starts[cl]);
		if (a->cur_x >= x + w)
			a->cur_x = x + w - 1;
	}
	free(starts);
}

/* Under a narrative's label: how many characters it holds of how many it may. */
static void
draw_counter(struct tui_app *a, const struct tui_field *fl, int y, int label_w)
{
	size_t used = tui_text_chars(fl->edit.text, fl->edit.len);
	int full = tui_edit_full(&fl->edit);

	if (used == 0 || fl->rows < 2)
		return;
	tui_textf(a, y, 4, label_w - 2, tui_attr(a, full ? C_INVALID : C_DIM), "%zu/%zu%s", used,
	    fl->edit.max, full ? " full" : "");
}

/* Rows field i takes on screen (0 hidden). */
static int
form_rows(const struct tui_form *f, size_t i)
{
	if (f->f[i].hidden)
		return 0;
	return f->f[i].kind == FK_LONGTEXT ? f->f[i].rows : 1;
}

/* The first field to draw: the form from its top, or scrolled so the focus fits in maxrows. */
static size_t
form_first_drawn(const struct tui_form *f, int maxrows)
{
	size_t start = 0;
	int h = 0;

	for (size_t i = 0; i <= f->focus && i < f->n; i++)
		h += form_rows(f, i);
	while (h > maxrows && start < f->focus)
		h -= form_rows(f, start++);
	return start;
}

int
tui_draw_form(struct tui_app *a, const struct tui_form *f, int y, int label_w, int maxrows)
{
	int row = 0, vx = label_w + 3, vw = a->cols - vx - 1;
	size_t start = form_first_drawn(f, maxrows), i;
	int below = 0, focus_row = -1;
	char msg[200];

	for (i = start; i < f->n; i++) {
		const struct tui_field *fl = &f->f[i];
		int focused = i == f->focus, bad, h;
		const char *why;

		if (fl->hidden)
			continue;
		if (row + form_rows(f, i) > maxrows) {
			below = 1;
			break;
		}
		if (focused)
			focus_row = row;
		why = tui_form_check(f, i, msg, sizeof msg);
		/* empty required fields are not shouted about until the form is submitted */
		bad = why != NULL && (fl->kind == FK_CHOICE ? fl->choice >= 0 : fl->edit.len > 0);
		h = form_rows(f, i);
		tui_text(a, y + row, 0, 2, focused ? (a->utf8 ? "\u25b6" : ">") : " ",
		    tui_attr(a, C_KEY), 0);
		tui_textf(a, y + row, 2, label_w, tui_attr(a, bad ? C_INVALID :
		    focused ? C_HEADER : C_NORMAL), "%s%s", fl->label, fl->required ? " *" : "");
		if (fl->kind == FK_CHOICE && fl->choice < 0) {
			const char *l = a->utf8 ? "select\u2026 (Left/Right)" : "select... (Left/Right)";

			tui_text(a, y + row, vx, vw, l, tui_attr(a, focused ? C_FOCUS : C_DIM), 0);
		} else if (fl->kind == FK_CHOICE) {
			const char *l = fl->labels[fl->choice];

			if (focused)
				tui_textf(a, y + row, vx, vw, tui_attr(a, C_FOCUS), "%s %s %s",
				    a->utf8 ? "\u25c0" : "<", l, a->utf8 ? "\u25b6" : ">");
			else
				tui_text(a, y + row, vx, vw, l, tui_attr(a, C_NORMAL), 0);
		} else if (fl->kind == FK_LONGTEXT) {
			draw_longtext(a, fl, focused, y + row, vx, vw, h);
			draw_counter(a, fl, y + row + 1, label_w);
		}
		else {
			size_t first = 0;
			int col = 0;

			if (focused)
				tui_edit_view(&fl->edit, vw, &first, &col);
			tui_text(a, y + row, vx, vw, fl->edit.text + first,
			    tui_attr(a, focused ? C_FOCUS : C_FIELD), 1);
			if (focused) {
				a->cur_on = 1;
				a->cur_y = y + row;
				a->cur_x = vx + col;
			}
		}
		row += h;
	}
	/* marks for fields scrolled off above and below */
	if (start > 0 && focus_row != 0)
		tui_text(a, y, 0, 1, a->utf8 ? "\u2191" : "^", tui_attr(a, C_DIM), 0);
	if (below && row > 0 && focus_row != row - 1)
		tui_text(a, y + row - 1, 0, 1, a->utf8 ? "\u2193" : "v", tui_attr(a, C_DIM), 0);
	return row;
}
