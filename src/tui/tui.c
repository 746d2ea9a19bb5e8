/* tui.c: the terminal application: setup and restore, signals, the key loop, navigation and prompts. */
#include "tui/tui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/privsep.h"
#include "core/actions.h"
#include "core/demo.h"
#include "core/dueindex.h"
#include "store/roles.h"
#include "tui/ui.h"

#define TUI_TICK_MS 250		/* idle tick: draft saving and signal checks */
#define TUI_ESC_FOLLOW_MS 30	/* the rest of an escape sequence comes within this */
#define TUI_PASTE_MAX (1024 * 1024)	/* bytes of one paste kept */
#define TUI_DEMO_CONTACTS 300
#define TUI_LOCK_WAIT_MS 250	/* a save waits this long for another writer, then says who */

static const struct tui_screen_ops *const screen_ops[SCR_COUNT] = {
	[SCR_QUEUE] = &tui_queue_ops,
	[SCR_INTAKE] = &tui_intake_ops,
	[SCR_PATHWAY] = &tui_pathway_ops,
	[SCR_DECISION] = &tui_decision_ops,
	[SCR_CASE] = &tui_case_ops,
	[SCR_OUTCOME] = &tui_outcome_ops,
	[SCR_SIGNOFF] = &tui_signoff_ops,
	[SCR_AUDIT] = &tui_audit_ops,
	[SCR_HELP] = &tui_help_ops,
};

/* ---- the terminal ---- */

/* Asks the terminal to mark pastes (ESC [ 200 ~ ... ESC [ 201 ~), or to stop. */
static void
tui_bracketed_paste(int on)
{
	fputs(on ? "\033[?2004h" : "\033[?2004l", stdout);
	fflush(stdout);
}

/* fatal()'s hook: give the terminal back before the message is printed. */
static void
tui_fatal_restore(void)
{
	if (stdscr != NULL && !isendwin()) {
		tui_bracketed_paste(0);
		endwin();
	}
}

/* Whether the NO_COLOR convention asks for no colour: set and not empty. */
static int
no_color(void)
{
	const char *v = getenv("NO_COLOR");

	return v != NULL && *v != '\0';
}

static void
tui_colours_init(struct tui_app *a)
{
	static const short fg[C_COUNT] = {
		[C_NORMAL] = -1, [C_TITLE] = COLOR_WHITE, [C_STATUS] = COLOR_BLACK,
		[C_SELECTED] = COLOR_BLACK, [C_RED] = COLOR_RED, [C_AMBER] = COLOR_YELLOW,
		[C_GREEN] = COLOR_GREEN, [C_ERROR] = COLOR_WHITE, [C_OK] = COLOR_GREEN,
		[C_DIM] = -1, [C_FIELD] = -1, [C_FOCUS] = COLOR_BLACK, [C_INVALID] = COLOR_RED,
		[C_HEADER] = COLOR_CYAN, [C_KEY] = COLOR_CYAN, [C_ROUTE0] = COLOR_GREEN,
		[C_ROUTE1] = COLOR_CYAN, [C_ROUTE2] = COLOR_YELLOW, [C_ROUTE3] = COLOR_RED,
	};
	static const short bg[C_COUNT] = {
		[C_NORMAL] = -1, [C_TITLE] = COLOR_BLUE, [C_STATUS] = COLOR_CYAN,
		[C_SELECTED] = COLOR_CYAN, [C_RED] = -1, [C_AMBER] = -1, [C_GREEN] = -1,
		[C_ERROR] = COLOR_RED, [C_OK] = -1, [C_DIM] = -1, [C_FIELD] = -1,
		[C_FOCUS] = COLOR_WHITE, [C_INVALID] = -1, [C_HEADER] = -1, [C_KEY] = -1,
		[C_ROUTE0] = -1, [C_ROUTE1] = -1, [C_ROUTE2] = -1, [C_ROUTE3] = -1,
	};

	int defaults;

	a->colour = has_colors() && !no_color();
	if (!a->colour)
		return;
	start_color();
	/* without the terminal's own default colours, white on black stands in for them */
	defaults = use_default_colors() == OK;
	for (int c = 1; c < C_COUNT; c++)
		init_pair((short)c, fg[c] >= 0 || defaults ? fg[c] : COLOR_WHITE,
		    bg[c] >= 0 || defaults ? bg[c] : COLOR_BLACK);
}

static void
tui_size(struct tui_app *a)
{
	getmaxyx(stdscr, a->rows, a->cols);
	a->too_small = a->rows < TUI_MIN_ROWS || a->cols < TUI_MIN_COLS;
}

/*
 * Takes the terminal. INT, TERM and HUP are blocked and read from a
 * signalfd in the key loop, so they end the program through the same
 * path as 'q': the draft saved and the terminal restored.
 */
static int
tui_term_init(struct tui_app *a, char **cause)
{
	sigset_t set;
	const char *m = getenv("FRONTDOOR_MOUSE");

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (a->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
		*cause = xasprintf("cannot set up signal handling: %s", strerror(errno));
		return -1;
	}
	a->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	privsep_scrub_terminal();
	if (newterm(NULL, stdout, stdin) == NULL) {
		*cause = xstrdup("cannot start the terminal (is TERM set?)");
		return -1;
	}
	fd_set_fatal_hook(tui_fatal_restore);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(TUI_TICK_MS);
	curs_set(0);
	tui_colours_init(a);
	/* mouse reporting stops the terminal's own selection (copy and paste over ssh): asked for */
	if (m != NULL && strcmp(m, "1") == 0) {
		a->mouse = 1;
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
		    BUTTON5_PRESSED, NULL);
		mouseinterval(0);
	}
	tui_size(a);
	tui_bracketed_paste(1);
	return 0;
}

static void
tui_term_end(struct tui_app *a)
{
	if (stdscr != NULL && !isendwin()) {
		curs_set(1);
		tui_bracketed_paste(0);
		endwin();
	}
	fd_set_fatal_hook(NULL);
	if (a->sigfd >= 0) {
		sigset_t set;

		close(a->sigfd);
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
	}
	a->sigfd = -1;
}

/* A curses key as one of ours; -1 to ignore. */
static int
tui_translate(struct tui_app *a, int rc, wint_t ch)
{
	if (rc == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP: return TK_UP;
		case KEY_DOWN: return TK_DOWN;
		case KEY_LEFT: return TK_LEFT;
		case KEY_RIGHT: return TK_RIGHT;
		case KEY_HOME: return TK_HOME;
		case KEY_END: return TK_END;
		case KEY_PPAGE: return TK_PGUP;
		case KEY_NPAGE: return TK_PGDN;
		case KEY_ENTER: return TK_ENTER;
		case KEY_BACKSPACE: return TK_BACKSPACE;
		case KEY_DC: return TK_DELETE;
		case KEY_BTAB: return TK_BTAB;
		case KEY_RESIZE: return TK_RESIZE;
		case KEY_MOUSE:
			if (getmouse(&a->mev) != OK)
				return -1;
			return TK_MOUSE;
		default:
			if (ch == KEY_F(1)) return TK_F1;
			if (ch == KEY_F(2)) return TK_F2;
			if (ch == KEY_F(5)) return TK_F5;
			if (ch == KEY_F(10)) return TK_F10;
			return -1;
		}
	}
	switch (ch) {
	case '\r':
	case '\n':
		return TK_ENTER;
	case '\t':
		return TK_TAB;
	case 27:
		return TK_ESC;
	case 127:
	case 8:
		return TK_BACKSPACE;
	}
	return (int)ch;
}

/* Queues a key read (-1: nothing to act on). */
static void
tui_push(struct tui_app *a, int key)
{
	if (key >= 0 && a->npend < FD_ARRAY_LEN(a->pend))
		a->pend[a->npend++] = key;
}

/* The characters of bytes still waiting to be UTF-8 (a pause ends them). */
static void
tui_flush_bytes(struct tui_app *a)
{
	uint32_t out[TUI_UTF8_OUT];
	size_t k = tui_utf8_flush(&a->u8, out);

	for (size_t i = 0; i < k; i++)
		tui_push(a, (int)out[i]);
}

/*
 * After an ESC: reads what follows at once and queues the key the sequence
 * stands for. PuTTY's, rxvt's and the Linux console's F-keys are not in
 * every terminfo entry, and curses hands them over as ESC and characters;
 * a sequence no key has is dropped, never taken as Esc and text.
 */
static void
tui_read_escape(struct tui_app *a)
{
	char seq[TUI_ESCAPE_MAX];
	size_t n = 0;

	timeout(TUI_ESC_FOLLOW_MS);
	while (!tui_escape_complete(seq, n)) {
		int c = getch();

		if (c == ERR)
			break;
		if (c < 0x20 || c >= 0x7f) {
			ungetch(c);	/* not part of a sequence: read it afresh */
			break;
		}
		seq[n++] = (char)c;
	}
	if (n == 0) {
		tui_push(a, TK_ESC);
		return;
	}
	if (seq[0] != '[' && seq[0] != 'O') {
		tui_push(a, TK_ESC);	/* Esc, then a key typed at once */
		tui_push(a, tui_translate(a, OK, (wint_t)(unsigned char)seq[0]));
		return;
	}
	tui_push(a, tui_escape_complete(seq, n) ? tui_escape_key(seq, n) : -1);
}

/*
 * Reads from the terminal and queues the keys; 0 if nothing came in time. In
 * a locale that is not UTF-8, curses cannot make characters of the bytes:
 * they are read one by one and made characters here, so none is lost.
 */
static int
tui_read(struct tui_app *a)
{
	wint_t ch;
	int rc;

	if (a->utf8)
		rc = get_wch(&ch);
	else {
		int c = getch();

		rc = c == ERR ? ERR : c >= KEY_MIN ? KEY_CODE_YES : OK;
		ch = (wint_t)c;
	}
	if (rc == ERR) {
		tui_flush_bytes(a);
		return a->npend > 0;
	}
	if (rc == OK && !a->utf8 && ch >= 0x80 && ch <= 0xff) {
		uint32_t out[TUI_UTF8_OUT];
		size_t k = tui_utf8_feed(&a->u8, (unsigned char)ch, out);

		for (size_t i = 0; i < k; i++)
			tui_push(a, (int)out[i]);
		return 1;
	}
	tui_flush_bytes(a);
	if (rc == OK && ch == 27)
		tui_read_escape(a);
	else
		tui_push(a, tui_translate(a, rc, ch));
	return 1;
}

/* ---- navigation and messages ---- */

void
tui_message(struct tui_app *a, enum tui_msg_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_kind = kind;
}

void
tui_error(struct tui_app *a, const char *what, char *cause)
{
	if (what != NULL)
		tui_message(a, MSG_ERROR, "%s: %s", what, cause != NULL ? cause : "failed");
	else
		tui_message(a, MSG_ERROR, "%s", cause != NULL ? cause : "failed");
	free(cause);
}

static int
tui_allowed(struct tui_app *a, enum tui_screen scr)
{
	char *why = NULL;

	if (scr == SCR_HELP || tui_screen_allowed(a->has_role, a->role, scr, &why))
		return 1;
	tui_message(a, MSG_ERROR, "%s", why);
	free(why);
	return 0;
}

int
tui_switch(struct tui_app *a, enum tui_screen scr)
{
	if (!tui_allowed(a, scr))
		return -1;
	a->screen = scr;
	if (screen_ops[scr]->enter != NULL)
		screen_ops[scr]->enter(a);
	return 0;
}

int
tui_go(struct tui_app *a, enum tui_screen scr)
{
	enum tui_screen from = a->screen;

	if (!tui_allowed(a, scr))
		return -1;
	if (a->depth == FD_ARRAY_LEN(a->stack))
		memmove(a->stack, a->stack + 1, (a->depth - 1) * sizeof a->stack[0]), a->depth--;
	a->stack[a->depth++] = from;
	a->screen = scr;
	if (screen_ops[scr]->enter != NULL)
		screen_ops[scr]->enter(a);
	return 0;
}

void
tui_back(struct tui_app *a)
{
	if (a->depth == 0) {
		a->quit = 1;
		return;
	}
	a->screen = a->stack[--a->depth];
	if (screen_ops[a->screen]->enter != NULL)
		screen_ops[a->screen]->enter(a);
}

void
tui_ask(struct tui_app *a, const char *keys, void (*done)(struct tui_app *, int, const char *),
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->prompt.question, sizeof a->prompt.question, fmt, ap);
	va_end(ap);
	snprintf(a->prompt.keys, sizeof a->prompt.keys, "%s", keys);
	a->prompt.text = 0;
	a->prompt.done = done;
	a->prompt.active = 1;
}

void
tui_ask_text(struct tui_app *a, const char *initial,
    void (*done)(struct tui_app *, int, const char *), const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->prompt.question, sizeof a->prompt.question, fmt, ap);
	va_end(ap);
	tui_edit_set(&a->prompt.edit, initial != NULL ? initial : "");
	a->prompt.text = 1;
	a->prompt.done = done;
	a->prompt.active = 1;
}

static void
tui_prompt_key(struct tui_app *a, int key)
{
	struct tui_prompt *p = &a->prompt;
	void (*done)(struct tui_app *, int, const char *) = p->done;

	if (p->text) {
		if (key == TK_ENTER || key == TK_ESC) {
			char *text = xstrdup(p->edit.text);

			p->active = 0;
			done(a, key, key == TK_ENTER ? text : NULL);
			free(text);
			return;
		}
		tui_edit_key(&p->edit, key);
		return;
	}
	if (key == TK_ESC) {
		p->active = 0;
		done(a, TK_ESC, NULL);
		return;
	}
	if (key > 0 && key < 0x80) {
		int lower = key >= 'A' && key <= 'Z' ? key - 'A' + 'a' : key;

		if (strchr(p->keys, lower) != NULL) {
			p->active = 0;
			done(a, lower, NULL);
		}
	}
}

int
tui_form_take(struct tui_app *a, struct tui_form *f, int key)
{
	int rc = tui_form_key(f, key);

	if (rc == 0 && f->n > 0 && f->f[f->focus].kind == FK_CHOICE && tui_key_is_text(key))
		tui_message(a, MSG_INFO, "\"%s\" is a choice: Left and Right change it; "
		    "typing does not.", f->f[f->focus].label);
	return rc;
}

/* Says what a paste could not do: nothing taken, or characters that did not fit. */
static int
paste_report(struct tui_app *a, const char *label, const struct tui_edit *e, long got,
    size_t dropped)
{
	dropped += a->paste_over;
	if (got < 0)
		tui_message(a, MSG_ERROR, "\"%s\" is a choice: a paste goes into a text field only; "
		    "nothing was changed.", label);
	else if (dropped > 0)
		tui_message(a, MSG_ERROR, "Pasted %ld characters; %zu more did not fit: \"%s\" "
		    "holds %zu at most.", got, dropped, label, e->max);
	return got > 0;
}

int
tui_paste_form(struct tui_app *a, struct tui_form *f, const char *text, size_t n)
{
	size_t dropped = 0;
	long got = tui_form_paste(f, text, n, &dropped);
	const struct tui_field *fl = &f->f[f->focus];

	if (paste_report(a, fl->label, &fl->edit, got, dropped) == 0)
		return 0;
	if (fl->kind != FK_LONGTEXT && memchr(text, '\n', n) != NULL)
		tui_message(a, MSG_INFO, "Pasted as one line: \"%s\" holds one line.", fl->label);
	return 1;
}

int
tui_paste_line(struct tui_app *a, struct tui_edit *e, const char *text, size_t n)
{
	size_t dropped = 0;
	long got = (long)tui_edit_paste(e, text, n, &dropped);

	return paste_report(a, "the answer", e, got, dropped);
}

void
tui_progress_cb(size_t done, size_t total, void *arg)
{
	struct tui_app *a = arg;
	char bar[512];
	int w = a->cols - 14;

	if (a->too_small || stdscr == NULL)
		return;
	tui_progress(done, total, w > 10 ? w : 10, a->utf8, bar, sizeof bar);
	tui_fill(a, a->rows - 2, 0, a->cols, tui_attr(a, C_NORMAL));
	tui_text(a, a->rows - 2, 0, 12, "working...", tui_attr(a, C_HEADER), 1);
	tui_text(a, a->rows - 2, 12, a->cols - 12, bar, tui_attr(a, C_OK), 0);
	refresh();
}

/* ---- the frame ---- */

static void
draw_too_small(struct tui_app *a)
{
	char line[128];
	int y = a->rows / 2 - 1;

	erase();
	snprintf(line, sizeof line, "Terminal too small (need %dx%d, have %dx%d).", TUI_MIN_COLS,
	    TUI_MIN_ROWS, a->cols, a->rows);
	tui_wrapped(a, y < 0 ? 0 : y, 0, a->cols, 2, line, tui_attr(a, C_ERROR));
	if (a->rows > 2)
		tui_wrapped(a, y + 2 < a->rows ? (y < 0 ? 1 : y + 2) : a->rows - 1, 0, a->cols, 2,
		    "Enlarge the window; nothing is lost. q quits.", tui_attr(a, C_NORMAL));
	curs_set(0);
	refresh();
}

/* The bottom line: "key:label" pairs with the keys highlighted. */
static void
draw_hints(struct tui_app *a, const char *hints)
{
	int x = 0, y = a->rows - 1;
	const char *p = hints;

	tui_fill(a, y, 0, a->cols, tui_attr(a, C_STATUS));
	while (p != NULL && *p && x < a->cols) {
		const char *end = strstr(p, "  "), *colon;
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		char item[64];

		snprintf(item, sizeof item, "%.*s", (int)(n < 63 ? n : 63), p);
		colon = strchr(item, ':');
		if (colon != NULL) {
			size_t k = (size_t)(colon - item);
			char key[32];
			int w;

			snprintf(key, sizeof key, "%.*s", (int)(k < 31 ? k : 31), item);
			w = tui_text(a, y, x, a->cols - x, key, tui_attr(a, C_STATUS) | A_BOLD, 0);
			x += w;
			x += tui_text(a, y, x, a->cols - x, colon, tui_attr(a, C_STATUS), 0);
		} else
			x += tui_text(a, y, x, a->cols - x, item, tui_attr(a, C_STATUS), 0);
		x += 2;
		p = end != NULL ? end + 2 : NULL;
	}
}

static void
draw_title(struct tui_app *a)
{
	char right[200];
	int rw;

	tui_fill(a, 0, 0, a->cols, tui_attr(a, C_TITLE));
	const char *bar = a->utf8 ? "\u2502" : "|", *dot = a->utf8 ? "\u00b7" : "-";

	tui_textf(a, 0, 0, a->cols, tui_attr(a, C_TITLE) | A_BOLD, " frontdoor %s %s%s", bar,
	    tui_screen_title(a->screen), a->utf8 ? "" : "  [locale not UTF-8]");
	snprintf(right, sizeof right, "%s %s %s%s%s%s ", a->user, dot,
	    a->has_role ? role_name(a->role) : "no role", a->rs != NULL ? " " : "",
	    a->rs != NULL ? dot : "", a->rs != NULL ? " rules " : "");
	if (a->rs != NULL)
		snprintf(right + strlen(right) - 1, sizeof right - strlen(right) + 1, "%s ",
		    a->rs->version);
	rw = tui_text_width(right, strlen(right));
	if (rw < a->cols - 30)
		tui_untrusted(a, 0, a->cols - rw, rw, right, strlen(right), tui_attr(a, C_TITLE), 0);
}

static void
draw_message(struct tui_app *a)
{
	int y = a->rows - 2;

	tui_fill(a, y, 0, a->cols, tui_attr(a, C_NORMAL));
	if (a->prompt.active) {
		int qw = tui_text(a, y, 0, a->cols - 10, a->prompt.question,
		    tui_attr(a, C_HEADER) | A_BOLD, 0);

		if (a->prompt.text) {
			size_t first;
			int col, w = a->cols - qw - 2;

			tui_edit_view(&a->prompt.edit, w, &first, &col);
			tui_text(a, y, qw + 1, w, a->prompt.edit.text + first, tui_attr(a, C_FOCUS), 1);
			a->cur_on = 1;
			a->cur_y = y;
			a->cur_x = qw + 1 + col;
		} else
			a->cur_on = 0;
		return;
	}
	if (a->msg[0] != '\0') {
		attr_t at = tui_attr(a, a->msg_kind == MSG_ERROR ? C_ERROR :
		    a->msg_kind == MSG_OK ? C_OK : C_NORMAL);
		size_t starts[2];

		/* a long message takes the row above too, rather than being cut */
		if (tui_wrap(a->msg, strlen(a->msg), a->cols, starts, 2) > 1) {
			tui_fill(a, y - 1, 0, a->cols, tui_attr(a, C_NORMAL));
			tui_wrapped(a, y - 1, 0, a->cols, 2, a->msg, at);
		} else
			tui_text(a, y, 0, a->cols, a->msg, at, 0);
	}
}

static void
tui_draw(struct tui_app *a)
{
	const struct tui_screen_ops *ops = screen_ops[a->screen];
	const char *hints;

	if (a->too_small) {
		draw_too_small(a);
		return;
	}
	erase();
	a->cur_on = 0;
	draw_title(a);
	ops->draw(a);
	draw_message(a);
	hints = ops->mode_hints != NULL ? ops->mode_hints(a) : NULL;
	if (a->prompt.active)
		draw_hints(a, a->prompt.text ? "Enter:accept  Esc:cancel" :
		    "answer with one of the keys shown  Esc:cancel");
	else {
		struct buf b;

		buf_init(&b);
		tui_hints_for_role(a->screen, hints != NULL ? hints : ops->hints, a->has_role,
		    a->role, &b);
		draw_hints(a, b.data);
		buf_free(&b);
	}
	if (a->cur_on) {
		move(a->cur_y, a->cur_x);
		curs_set(1);
	} else
		curs_set(0);
	refresh();
}

/* ---- keys ---- */

static void
tui_key(struct tui_app *a, int key)
{
	const struct tui_screen_ops *ops = screen_ops[a->screen];
	enum tui_act act;
	int typing;

	if (key == TK_RESIZE) {
		tui_size(a);
		clear();
		/* screens read what fits: read again for the new size */
		if (!a->too_small && ops->enter != NULL)
			ops->enter(a);
		return;
	}
	if (a->too_small) {
		if (key == 'q' || key == TK_CTRL('c'))
			a->quit = 1;
		return;
	}
	if (a->prompt.active) {
		tui_prompt_key(a, key);
		return;
	}
	typing = ops->typing != NULL ? ops->typing(a) : 0;
	act = tui_key_action(a->screen, key, typing);
	if (act == TA_HELP && a->screen != SCR_HELP) {
		a->help.about = a->screen;
		tui_go(a, SCR_HELP);
		return;
	}
	/* a key press replaces an old message, unless the screen sets a new one */
	if (key != TK_MOUSE)
		a->msg[0] = '\0';
	ops->key(a, key, act);
}

/*
 * A paste as a whole: into the text field (or text prompt) that has the
 * focus, never as keys, so that its line breaks and letters cannot move the
 * focus, change a choice or act on the screen.
 */
static void
tui_paste_done(struct tui_app *a)
{
	const struct tui_screen_ops *ops = screen_ops[a->screen];
	const char *text = a->paste.data != NULL ? a->paste.data : "";
	size_t n = a->paste.len;

	a->pasting = 0;
	a->msg[0] = '\0';
	if (a->too_small)
		;
	else if (a->prompt.active && a->prompt.text)
		tui_paste_line(a, &a->prompt.edit, text, n);
	else if (a->prompt.active || ops->paste == NULL)
		tui_message(a, MSG_ERROR, "Nothing here takes a paste: nothing was changed.");
	else
		ops->paste(a, text, n);
	buf_reset(&a->paste);
	a->paste_over = 0;
}

/* One key: part of a paste, a paste's marks, or a key to act on. */
static void
tui_take(struct tui_app *a, int key)
{
	if (key == TK_PASTE_BEGIN) {
		a->pasting = 1;
		buf_reset(&a->paste);
		a->paste_over = 0;
	} else if (a->pasting && key == TK_PASTE_END)
		tui_paste_done(a);
	else if (a->pasting && a->paste.len < TUI_PASTE_MAX)
		tui_paste_add(&a->paste, key);
	else if (a->pasting)
		a->paste_over++;
	else if (key != TK_PASTE_END)
		tui_key(a, key);
}

/* Reads pending signals; INT, TERM and HUP end the program. */
static int
tui_signals(struct tui_app *a)
{
	struct signalfd_siginfo si;

	while (read(a->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM || si.ssi_signo == SIGHUP)
			return (int)si.ssi_signo;
	}
	return 0;
}

/* Whether the terminal has gone away (its pty closed): input then fails at once, forever. */
static int
tui_terminal_gone(void)
{
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static int
tui_loop(struct tui_app *a)
{
	int sig = 0;

	while (!a->quit) {
		int key;

		if (a->npend == 0) {
			int got;

			if (!a->pasting)
				tui_draw(a);	/* a paste is drawn once, when it is all in */
			/* deferred work (counts over the whole queue) waits until the screen is up */
			timeout(a->idle_now ? 0 : TUI_TICK_MS);
			got = tui_read(a);
			if ((sig = tui_signals(a)) != 0)
				break;
			if (!got && tui_terminal_gone()) {
				sig = SIGHUP;	/* as if hung up: the draft is kept, nothing spins */
				break;
			}
			if (!got) {
				if (a->pasting)
					tui_paste_done(a);	/* the end mark never came */
				a->idle_now = 0;
				if (screen_ops[a->screen]->idle != NULL)
					screen_ops[a->screen]->idle(a);
				continue;
			}
			if (a->npend == 0)
				continue;
		}
		key = a->pend[0];
		memmove(a->pend, a->pend + 1, --a->npend * sizeof a->pend[0]);
		tui_take(a, key);
	}
	return sig;
}

/* ---- start and end ---- */

static int
tui_open(struct tui_app *a, const struct app_target *ctx, int demo, char **cause)
{
	struct store_opts opts = { 0, 0, 0 };
	char *err = NULL;

	if (identity_current(ctx->as_user, &a->user, cause) < 0)
		return -1;
	if (app_database(ctx, demo ? APP_DEMO : APP_OPEN, &a->dbpath, cause) < 0)
		return -1;
	if (demo) {
		/* never the real database: $FRONTDOOR_DB is not consulted */
		if (demo_create(a->dbpath, app_default_rules(), a->user, TUI_DEMO_CONTACTS,
		    cause) < 0)
			return -1;
	}
	if (store_open(&a->s, a->dbpath, &opts, cause) < 0)
		return -1;
	/* a screen waits only briefly for another writer, then says who holds the lock */
	store_set_writer_wait(a->s, TUI_LOCK_WAIT_MS, NULL, NULL);
	if (tui_data_role(a->s, a->user, &a->role, &a->has_role, cause) < 0)
		return -1;
	if (a->has_role) {
		/* removed or given another role: the open screens read and save no more */
		a->session.user = a->user;
		a->session.role = a->role;
		store_set_guard(a->s, roles_guard, &a->session);
	}
	if (action_rules_in_force(a->s, &a->rs, &a->rs_error) < 0)
		a->rs = NULL;
	/*
	 * a database from before the tray's index gets it now, in the calendar in
	 * force; where it cannot (read only, or another writer holds on), the tray
	 * is read from the cases' records instead
	 */
	if (a->rs != NULL && dueindex_build(a->s, rules_calendar(a->rs), &err) < 0)
		free(err);
	return 0;
}

const struct calendar *
tui_calendar(const struct tui_app *a)
{
	return a->rs != NULL ? rules_calendar(a->rs) : NULL;
}

static void
tui_free(struct tui_app *a)
{
	for (int scr = 0; scr < SCR_COUNT; scr++)
		if (screen_ops[scr]->free != NULL)
			screen_ops[scr]->free(a);
	tui_edit_free(&a->prompt.edit);
	buf_free(&a->paste);
	if (a->rs != NULL)
		rules_free(a->rs);
	free(a->rs_error);
	if (a->s != NULL)
		store_close(a->s);
	free(a->user);
	free(a->dbpath);
}

int
tui_main(const struct app_target *ctx, int demo)
{
	struct tui_app a;
	char *cause = NULL;
	int sig, rc = EXIT_OK;

	memset(&a, 0, sizeof a);
	buf_init(&a.paste);
	a.sigfd = -1;
	/* wide characters need the locale's encoding; numbers never depend on it */
	setlocale(LC_CTYPE, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "frontdoor: the terminal application needs a terminal; "
		    "see frontdoor help for the commands\n");
		return EXIT_USAGE;
	}
	if (tui_open(&a, ctx, demo, &cause) < 0) {
		fprintf(stderr, "frontdoor: ");
		fput_sanitised(cause, strlen(cause), stderr);
		fputc('\n', stderr);
		if (!demo && a.s == NULL && a.user != NULL)
			fprintf(stderr, "frontdoor: frontdoor init creates a database; "
			    "frontdoor --demo opens one with synthetic contacts\n");
		free(cause);
		tui_free(&a);
		return EXIT_PROBLEM;
	}
	tui_edit_init(&a.prompt.edit, 400);
	tui_queue_init(&a.queue, tui_data_queue_fetch, a.s);
	tui_queue_init(&a.so.q, tui_data_queue_fetch, a.s);
	a.queue.user = a.user;
	a.queue.by_due = 1;	/* the queue is the tray: what falls due first on top */
	a.queue.cal = tui_calendar(&a);
	a.so.q.awaiting = 1;
	a.so.q.user = a.user;
	a.so.q.not_own = 1;
	if (tui_term_init(&a, &cause) < 0) {
		tui_term_end(&a);
		fprintf(stderr, "frontdoor: %s\n", cause);
		free(cause);
		tui_free(&a);
		return EXIT_SOFTWARE;
	}
	a.screen = SCR_QUEUE;
	tui_queue_ops.enter(&a);
	if (!a.has_role)
		tui_message(&a, MSG_ERROR, "You (%s) have no role in this database: an admin adds "
		    "one with frontdoor users add", a.user);
	else if (a.rs == NULL)
		tui_message(&a, MSG_ERROR, "%s", a.rs_error != NULL ? a.rs_error :
		    "no rule set in force");
	else if (!a.utf8)
		tui_message(&a, MSG_ERROR, "The locale is not UTF-8 (LANG=C?): letters outside "
		    "ASCII are kept as typed but shown as ?. A UTF-8 locale shows them.");
	else if (demo)
		tui_message(&a, MSG_INFO, "Demo database (synthetic contacts). Press ? for help.");
	sig = tui_loop(&a);
	if (a.j.active) {
		a.j.save_failed = 0;
		tui_journey_save(&a);
	}
	tui_term_end(&a);
	if (a.j.active && a.j.save_failed)
		fprintf(stderr, "frontdoor: the contact in progress could not be kept as a draft: "
		    "%s\n", a.msg);
	tui_free(&a);
	if (sig != 0) {
		rc = 128 + sig;
		if (sig == SIGINT)
			fprintf(stderr, "frontdoor: interrupted; any contact in progress is kept "
			    "as a draft\n");
	}
	return rc;
}
