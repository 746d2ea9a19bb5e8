/* ui.h: what the curses screens share: the application, colours, drawing, prompts and navigation. */
#ifndef FD_TUI_UI_H
#define FD_TUI_UI_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>

#include "store/drafts.h"
#include "store/dlog.h"
#include "store/store.h"
#include "tui/state/data.h"
#include "tui/state/find.h"
#include "tui/state/state.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

/* The one colour table; each entry also has an attributes-only form (NO_COLOR, mono). */
enum tui_colour {
	C_NORMAL, C_TITLE, C_STATUS, C_SELECTED, C_RED, C_AMBER, C_GREEN, C_ERROR, C_OK,
	C_DIM, C_FIELD, C_FOCUS, C_INVALID, C_HEADER, C_KEY, C_ROUTE0, C_ROUTE1, C_ROUTE2,
	C_ROUTE3, C_COUNT
};

enum tui_msg_kind { MSG_INFO, MSG_ERROR, MSG_OK };

struct tui_app;

/* A question at the bottom of the screen: one key from `keys`, or a line of text. */
struct tui_prompt {
	int active;
	int text;
	char question[256];
	char keys[8];
	struct tui_edit edit;
	void (*done)(struct tui_app *a, int key, const char *text);
};

/* New contact > pathway > decision: one journey, kept as a draft until it is logged. */
struct tui_journey {
	int active;
	char draft_id[DRAFT_ID_MAX + 1];
	char case_id[48];
	int new_child;
	struct tui_form intake, decision;
	struct tui_pathway path;
	int have_path;
	int64_t *earlier;		/* receipt times of the child's earlier contacts */
	size_t nearlier;
	int dirty;			/* changed since the draft was last saved */
	int save_failed;		/* the last save failed: idle ticks do not retry */
	int confirm;			/* the decision's confirm step is showing */
	char **preview;
	size_t npreview, preview_top;
	char *write_error;		/* the last failed write, kept on screen */
	int guide_ind;			/* the indicator whose guidance is shown, */
	size_t guide_top;		/* scrolled to this line */
	/* the draft chooser shown before a new contact when drafts exist */
	int choosing;
	char **drafts, **draft_desc;
	size_t ndrafts;
	struct tui_list dl;
	struct tui_match_step match;	/* likely matches before a new case id (find.h) */
};

struct tui_caseview {
	char id[260];
	struct tui_case_entry *e;
	size_t n;
	struct case_state cs;
	int known;
	char **lines;
	size_t nlines, *starts;
	int width;			/* the lines were wrapped for this width */
	size_t cursor, top;		/* cursor: an entry; top: a line */
	char title[160];
	char hints[160];		/* the footer: only the steps the case allows */
};

struct tui_outcomeview {
	char case_id[260];
	struct tui_form form;
	int have_form;
	int confirm;
	char *error;
};

struct tui_signoffview {
	struct tui_queue q;
	int form_open, confirm;
	struct tui_form form;
	uint64_t seq;
	struct tui_case_entry entry;
	int have_entry;
	char case_id[QUEUE_TEXT];
	char *error;
};

enum tui_audit_tab { AT_LOG, AT_VERIFY, AT_WHATIF, AT_CHARTS, AT_TEAMS };

struct tui_auditview {
	enum tui_audit_tab tab;
	/* log */
	uint64_t head;
	struct tui_list log;		/* cursor 0 = the newest record */
	struct tui_case_entry *page;
	size_t npage;
	uint64_t page_from;
	int detail;
	/* verify */
	int verified;
	unsigned long records, replayed;
	char **problems;
	size_t nproblems;
	struct tui_list plist;
	/* what-if */
	int have_whatif;
	struct audit_whatif whatif;
	struct tui_list mlist;		/* the decisions that would move */
	char whatif_path[512];
	char whatif_name[160];
	char **diag;
	size_t ndiag;
	/* charts */
	int have_charts;
	struct tui_charts charts;
};

struct tui_helpview {
	enum tui_screen about;
	char **lines;
	size_t n;
	struct tui_list list;
};

struct tui_app {
	struct store *s;
	char *user;
	char *dbpath;
	enum role role;
	int has_role;
	struct roles_session session;	/* rechecked at every transaction */
	struct ruleset *rs;		/* the rule set in force, or NULL */
	char *rs_error;
	enum tui_screen screen;
	enum tui_screen stack[16];
	size_t depth;
	int rows, cols, too_small;
	int utf8, colour, mouse;
	MEVENT mev;			/* the last mouse event (TK_MOUSE) */
	int pend[16];			/* keys read but not yet acted on */
	size_t npend;
	struct tui_utf8_in u8;		/* bytes of a character (a locale that is not UTF-8) */
	int pasting;			/* inside a bracketed paste: keys are its text */
	struct buf paste;
	size_t paste_over;		/* characters beyond TUI_PASTE_MAX, not kept */
	char msg[512];
	enum tui_msg_kind msg_kind;
	int quit;
	int sigfd;
	int cur_y, cur_x, cur_on;	/* where the screen wants the cursor */
	struct tui_prompt prompt;
	struct tui_queue queue;
	unsigned long counts[ROUTE_COUNT + 1];
	int counts_ok, counts_stale;
	int idle_now;			/* run the screen's idle work once the screen is drawn */
	struct tui_journey j;
	struct tui_caseview cv;
	struct tui_outcomeview ov;
	struct tui_signoffview so;
	struct tui_auditview au;
	struct tui_helpview help;
};

/* One screen: how it is entered, drawn and driven. */
struct tui_screen_ops {
	void (*enter)(struct tui_app *a);
	void (*draw)(struct tui_app *a);
	void (*key)(struct tui_app *a, int key, enum tui_act act);
	int (*typing)(const struct tui_app *a);
	void (*idle)(struct tui_app *a);
	/* frees what the screen keeps in the application, once, at exit (or NULL) */
	void (*free)(struct tui_app *a);
	const char *hints;
	/* hints for a mode of the screen (a confirm step), or NULL for `hints` */
	const char *(*mode_hints)(const struct tui_app *a);
	/* takes a paste (NULL: the screen has no text field to put it in) */
	void (*paste)(struct tui_app *a, const char *text, size_t n);
};

extern const struct tui_screen_ops tui_queue_ops, tui_intake_ops, tui_pathway_ops,
    tui_decision_ops, tui_case_ops, tui_outcome_ops, tui_signoff_ops, tui_audit_ops,
    tui_help_ops;

/* tui.c: navigation, messages, prompts */
int tui_go(struct tui_app *a, enum tui_screen scr);
void tui_back(struct tui_app *a);
/* Replaces the current screen without remembering it. */
int tui_switch(struct tui_app *a, enum tui_screen scr);
void tui_message(struct tui_app *a, enum tui_msg_kind kind, const char *fmt, ...)
    FD_ATTR_PRINTF(3, 4);
/* Shows and frees a cause. */
void tui_error(struct tui_app *a, const char *what, char *cause);
void tui_ask(struct tui_app *a, const char *keys, void (*done)(struct tui_app *, int, const char *),
    const char *fmt, ...) FD_ATTR_PRINTF(4, 5);
void tui_ask_text(struct tui_app *a, const char *initial,
    void (*done)(struct tui_app *, int, const char *), const char *fmt, ...) FD_ATTR_PRINTF(4, 5);
/*
 * Gives a key to the form's focused field (tui_form_key); a letter on a
 * choice says that only Left and Right change it.
 */
int tui_form_take(struct tui_app *a, struct tui_form *f, int key);
/*
 * Puts a paste into the form's focused field, saying on the message line
 * what did not fit or why nothing was taken; 1 if the form changed.
 */
int tui_paste_form(struct tui_app *a, struct tui_form *f, const char *text, size_t n);
/* Puts a paste into a one-line editor (line breaks become spaces); 1 if it changed. */
int tui_paste_line(struct tui_app *a, struct tui_edit *e, const char *text, size_t n);
/* Draws a progress bar on the message line now (for long scans). */
void tui_progress_cb(size_t done, size_t total, void *arg);

/* tui_draw.c: drawing helpers */
attr_t tui_attr(const struct tui_app *a, enum tui_colour c);
/*
 * Draws UTF-8 text at y, x in at most width columns; pad fills the rest with
 * spaces. Text that does not fit ends in an ellipsis, never cut silently.
 */
int tui_text(const struct tui_app *a, int y, int x, int width, const char *s, attr_t attr,
    int pad);
int tui_textf(const struct tui_app *a, int y, int x, int width, attr_t attr, const char *fmt, ...)
    FD_ATTR_PRINTF(6, 7);
/* Text from the database: sanitised first. */
int tui_untrusted(const struct tui_app *a, int y, int x, int width, const char *s, size_t n,
    attr_t attr, int pad);
/* Wrapped text in a box of rows; returns the rows used. */
int tui_wrapped(const struct tui_app *a, int y, int x, int width, int rows, const char *s,
    attr_t attr);
void tui_fill(const struct tui_app *a, int y, int x, int width, attr_t attr);
/* Draws a form from row y; label_w columns of labels. Places the cursor. Returns rows used. */
int tui_draw_form(struct tui_app *a, const struct tui_form *f, int y, int label_w, int maxrows);
/* Draws numbered lines of a list (a scrolling text view) with a scroll mark. */
void tui_draw_lines(const struct tui_app *a, char **lines, size_t n, size_t top, int y, int rows,
    attr_t attr);
attr_t tui_route_attr(const struct tui_app *a, int route);
/* The calendar of the rules in force: working days, and the local time of every time shown. */
const struct calendar *tui_calendar(const struct tui_app *a);
attr_t tui_urgency_attr(const struct tui_app *a, int urgency);
/* A horizontal rule of width columns. */
void tui_rule(const struct tui_app *a, int y, int x, int width);
/* A section heading across the screen. */
void tui_heading(const struct tui_app *a, int y, const char *title);

/* tui_intake.c: the journey shared by the intake, pathway and decision screens */
void tui_journey_new(struct tui_app *a, const char *case_id, const char *name,
    const char *district);
void tui_journey_save(struct tui_app *a);
void tui_journey_end(struct tui_app *a, int delete_draft);
/* Makes sure the pathway exists and the recommendation is current. */
void tui_journey_evaluate(struct tui_app *a);

/* find.c: the intake's match step */
void tui_match_draw(struct tui_app *a);
/* A key while the step shows: 1 when the answer is taken and the intake should go on. */
int tui_match_key(struct tui_app *a, int key, enum tui_act act);
/* Searches before a new case id is made: 1 if the step (or an error) is now on screen. */
int tui_match_offer(struct tui_app *a);
/* 1 if a typed existing id's stored child differs and the officer is now told so. */
int tui_match_warn_id(struct tui_app *a, const char *id);

/* tui_queue.c: the selected row's values whole, on the message line */
void tui_row_in_full(struct tui_app *a, const struct queue_row *r);
/*
 * Whether the log has moved on since list q was read (another person or
 * process wrote): 1 if so. Notes the head it read in q either way.
 */
int tui_list_stale(struct tui_app *a, struct tui_queue *q);

/* tui_case.c */
void tui_case_open(struct tui_app *a, const char *case_id);
void tui_case_show(struct tui_app *a, const char *case_id, int replace);
void tui_case_reload(struct tui_app *a);

/* tui_outcome.c */
void tui_outcome_open(struct tui_app *a, const char *case_id, enum tui_outcome_mode mode);

#endif
