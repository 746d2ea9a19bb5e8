/* state.h: every screen's state and transitions, free of curses and testable without a terminal. */
#ifndef FD_TUI_STATE_H
#define FD_TUI_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/actions.h"
#include "core/audit.h"
#include "core/stats.h"
#include "rules/engine.h"
#include "core/queue.h"
#include "store/record.h"
#include "store/roles.h"
#include "rules/rules.h"
#include "base/util.h"

/* ---- keys ---- */

/*
 * A key is a Unicode code point (control characters included) or one of
 * these, above the Unicode range; the curses layer translates its key codes.
 */
enum tui_keycode {
	TK_BASE = 0x200000,
	TK_UP, TK_DOWN, TK_LEFT, TK_RIGHT, TK_HOME, TK_END, TK_PGUP, TK_PGDN,
	TK_ENTER, TK_ESC, TK_TAB, TK_BTAB, TK_BACKSPACE, TK_DELETE,
	TK_F1, TK_F2, TK_F3, TK_F4, TK_F5, TK_F10, TK_RESIZE, TK_MOUSE, TK_IDLE,
	TK_PASTE_BEGIN, TK_PASTE_END	/* a bracketed paste's marks */
};
#define TK_CTRL(c) ((c) & 0x1f)

enum tui_screen {
	SCR_QUEUE, SCR_INTAKE, SCR_PATHWAY, SCR_DECISION, SCR_CASE, SCR_OUTCOME,
	SCR_SIGNOFF, SCR_AUDIT, SCR_HELP, SCR_COUNT
};
#define SCR_BIT(s) (1u << (s))
#define SCR_ALL ((1u << SCR_COUNT) - 1)

/* What a key does; the key table maps keys to these per screen. */
enum tui_act {
	TA_NONE,
	TA_UP, TA_DOWN, TA_PGUP, TA_PGDN, TA_TOP, TA_BOTTOM, TA_LEFT, TA_RIGHT,
	TA_OPEN, TA_BACK, TA_QUIT, TA_HELP, TA_NEW, TA_SEARCH, TA_REFRESH,
	TA_NEXT_FIELD, TA_PREV_FIELD, TA_NEXT_STEP, TA_TOGGLE, TA_CLEAR,
	TA_FILTER_ROUTE, TA_FILTER_DISTRICT, TA_CLEAR_FILTERS,
	TA_SIGNOFF, TA_AUDIT, TA_CASE, TA_OUTCOME, TA_STEP_UP, TA_STEP_DOWN,
	TA_APPROVE, TA_RETURN, TA_VERIFY, TA_WHATIF, TA_CHARTS, TA_TEAMS, TA_LOG, TA_DISCARD,
	TA_FULL, TA_SCROLL_DOWN, TA_SCROLL_UP, TA_RETURNED, TA_SORT, TA_COUNT
};

/* Keys that only act when no text field has the focus (there they are typed). */
#define TKF_NAV 1u
/* Keys that do not act in a multi-line field (there Enter makes a new line). */
#define TKF_LINE 2u

struct tui_key {
	int key;
	unsigned screens;	/* SCR_BIT()s */
	unsigned flags;
	enum tui_act act;
	const char *label;	/* how the help screen names the key */
	const char *help;
};

extern const struct tui_key tui_keys[];
extern const size_t tui_nkeys;

/* What key does on screen scr; typing: a text field has the focus (2: a multi-line one). */
enum tui_act tui_key_action(enum tui_screen scr, int key, int typing);
/* What the role needs to do what act does (ACT_COUNT: nothing). */
enum action tui_act_needs(enum tui_act act);
/*
 * The footer: the "key:label" items of hints (two spaces apart) that the role
 * may use on screen scr, into out (an item whose keys act only for other roles
 * is left out).
 */
void tui_hints_for_role(enum tui_screen scr, const char *hints, int has_role, enum role role,
    struct buf *out);
/* Whether key is a character to type into a field. */
int tui_key_is_text(int key);
const char *tui_screen_title(enum tui_screen scr);
/* The help screen's lines (each malloc'd) for screen scr first, then the rest. */
void tui_help_lines(enum tui_screen scr, char ***lines, size_t *n);
void tui_lines_free(char **lines, size_t n);

/* ---- roles ---- */

/* The action a screen needs (ACT_COUNT: none). */
enum action tui_screen_needs(enum tui_screen scr);
/* 1 if role may open the screen; otherwise 0 and, if why is set, a malloc'd reason. */
int tui_screen_allowed(int has_role, enum role role, enum tui_screen scr, char **why);
/* The same check for one action. */
int tui_action_allowed(int has_role, enum role role, enum action a, char **why);

/* ---- text: UTF-8, display widths ---- */

/* Display columns of n bytes of UTF-8 (invalid bytes and unprintables count 1). */
int tui_text_width(const char *s, size_t n);
/* Bytes of s (n bytes) that fit in `width` columns; *used gets the columns they take. */
size_t tui_text_fit(const char *s, size_t n, int width, int *used);
/* Byte offsets of the starts of the lines s wraps to in `width` columns (at spaces where it can). */
size_t tui_wrap(const char *s, size_t n, int width, size_t *starts, size_t max);
/* Code points in s. */
size_t tui_text_chars(const char *s, size_t n);

/* ---- terminal input: escape sequences, bytes, pastes ---- */

#define TUI_ESCAPE_MAX 16	/* bytes after ESC read before a sequence is given up */

/* Whether the n bytes read after an ESC make a whole sequence (or are too many to be one). */
int tui_escape_complete(const char *seq, size_t n);
/*
 * The key a whole sequence after ESC stands for: the F-keys as xterm, VT100,
 * PuTTY, rxvt and the Linux console send them, arrows, Home/End, paging, a
 * paste's marks; -1 for a sequence none of these (to be ignored, not read as Esc).
 */
int tui_escape_key(const char *seq, size_t n);

/* Bytes read one at a time (a non-UTF-8 locale) made characters again. */
struct tui_utf8_in {
	unsigned char b[4];
	size_t n, need;
};
#define TUI_UTF8_OUT 5
/*
 * Takes one byte; returns how many characters it completes, into out. Bytes
 * that are not UTF-8 are each taken as the Latin-1 character of that value,
 * so that nothing typed is lost.
 */
size_t tui_utf8_feed(struct tui_utf8_in *d, unsigned char byte, uint32_t out[TUI_UTF8_OUT]);
/* The bytes still waiting (input paused), as Latin-1 characters. */
size_t tui_utf8_flush(struct tui_utf8_in *d, uint32_t out[TUI_UTF8_OUT]);
/* Adds a key received inside a paste to its text (Enter a line break, Tab a tab). */
void tui_paste_add(struct buf *b, int key);

/* ---- the line editor ---- */

struct tui_edit {
	char *text;		/* UTF-8, NUL-terminated */
	size_t len, cap;
	size_t cur;		/* byte offset of the cursor, on a character boundary */
	size_t max;		/* characters allowed */
	int multiline;		/* Enter makes a line break */
};

void tui_edit_init(struct tui_edit *e, size_t max);
void tui_edit_free(struct tui_edit *e);
void tui_edit_set(struct tui_edit *e, const char *s);
/* Handles one key: 1 if the text changed, 2 if only the cursor moved, 0 if not an editing key. */
int tui_edit_key(struct tui_edit *e, int key);
/*
 * Inserts n bytes of UTF-8 at the cursor, as many characters as fit; those
 * that are not text (line breaks outside a multi-line editor) are left out.
 * Returns the characters inserted; *dropped gets those that did not fit.
 */
size_t tui_edit_insert(struct tui_edit *e, const char *s, size_t n, size_t *dropped);
/*
 * Inserts pasted text: line breaks kept in a multi-line editor and made
 * spaces in a one-line one (those ending the paste dropped), tabs and other
 * controls made spaces. Returns the characters inserted (*dropped: those that
 * did not fit).
 */
size_t tui_edit_paste(struct tui_edit *e, const char *s, size_t n, size_t *dropped);
/* Whether the editor holds as many characters as it may. */
int tui_edit_full(const struct tui_edit *e);
/* The first byte to show and the cursor's column, so the cursor fits in width columns. */
void tui_edit_view(const struct tui_edit *e, int width, size_t *first, int *curcol);

/* ---- forms ---- */

enum tui_field_kind { FK_TEXT, FK_LONGTEXT, FK_CHOICE };

struct tui_form;
/* Returns NULL if the field's value is acceptable, else a message (static or in msg). */
typedef const char *(*tui_validate_fn)(const struct tui_form *f, size_t i, char *msg,
    size_t msgsz);

struct tui_field {
	const char *name;	/* its key in drafts */
	const char *label;
	const char *help;	/* shown while it has the focus, or NULL */
	enum tui_field_kind kind;
	int required;
	const char *const *choices;	/* FK_CHOICE: the values, */
	const char *const *labels;	/* and how they are shown */
	size_t nchoices;
	int choice;		/* -1: not chosen yet ("select..."), which a required one refuses */
	int unknown_ok;		/* a choice that may go back to -1, "not known" */
	struct tui_edit edit;
	int hidden;		/* not shown nor checked (depends on another field) */
	int rows;		/* FK_LONGTEXT: rows shown */
	tui_validate_fn validate;
};

struct tui_form {
	struct tui_field *f;
	size_t n;
	size_t focus;
	int changed;		/* a value changed since the last save */
	int touched;		/* any value was ever changed */
	int ctx;		/* for relayout: e.g. the recommended route */
	int64_t now;		/* the clock: a time entered after it is refused (0: unchecked) */
	const struct calendar *cal;	/* the local time times are typed in (NULL: UTC) */
	void *owned;		/* freed with the form (tables its fields point at) */
	void (*free_owned)(void *owned);	/* how, if not by free() */
	void (*relayout)(struct tui_form *f);	/* sets hidden flags after a change */
};

void tui_form_free(struct tui_form *f);
/* Moves the focus to the next (dir 1) or previous (-1) shown field; 0 if it cannot. */
int tui_form_move(struct tui_form *f, int dir);
/* Gives a key to the focused field: 1 changed, 2 moved, 0 not handled. */
int tui_form_key(struct tui_form *f, int key);
/* Whether the focused field takes typed text: 1 one line, 2 several (Enter makes a new line). */
int tui_form_typing(const struct tui_form *f);
/*
 * A paste into the focused field: line breaks kept in a multi-line field and
 * made spaces in a one-line one, never moving the focus nor touching another
 * field. Returns the characters inserted (*dropped: those that did not fit),
 * or -1 when the focused field takes no text.
 */
long tui_form_paste(struct tui_form *f, const char *s, size_t n, size_t *dropped);
/* The field's problem, or NULL. */
const char *tui_form_check(const struct tui_form *f, size_t i, char *msg, size_t msgsz);
/* The first shown field with a problem, or -1. */
int tui_form_first_invalid(const struct tui_form *f);
/* The field's value: a choice's, "" while none is chosen; a text field's text. */
const char *tui_form_value(const struct tui_form *f, size_t i);
/*
 * After a refused step, where the focus goes: to the field with the problem
 * when it takes text; a choice keeps no focus it was not given (the next key
 * typed must not change it), so the focus stays and the message names it.
 */
void tui_form_focus_problem(struct tui_form *f, int bad);
void tui_form_set_choice(struct tui_form *f, size_t i, const char *value);
/* The index of the field named name, or -1. */
int tui_form_find(const struct tui_form *f, const char *name);

/* ---- intake ---- */

/*
 * The intake form's own fields, whatever the council; the questions of the
 * rule set's council profile follow them, each field named by its fact's
 * path (a reason asked with it: the path and "_reason").
 */
enum tui_intake_field {
	IF_CASE_ID, IF_REF_NAME, IF_REF_AGENCY, IF_REF_ROLE, IF_REF_CONTACT, IF_HOW,
	IF_RECEIVED, IF_CHILD_NAME, IF_DOB_AGE, IF_DISTRICT, IF_SCHOOL, IF_HOUSEHOLD,
	IF_REPORTED, IF_BASIS, IF_QUESTIONS
};

/*
 * The form for a contact under rule set rs: districts and agencies from its
 * council profile, then a field for each fact its form asks (rs NULL: the own
 * fields only, districts and agencies as text). The form keeps copies of what
 * it shows: rs may be freed before it.
 */
void tui_intake_init(struct tui_form *f, const struct ruleset *rs);
/* Parses "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM[:SS]Z" or "YYYY-MM-DD"; -1 if malformed. */
int tui_parse_when(const char *s, int64_t *out);
/*
 * The same forms as a person types them, in the calendar's local time (a
 * trailing Z: UTC): -1 if malformed, -2 for a time the clocks skip in spring.
 */
int tui_parse_local(const struct calendar *c, const char *s, int64_t *out);
/* The calendar the form's times are typed and shown in (NULL: UTC), and the label saying so. */
void tui_intake_set_calendar(struct tui_form *f, const struct calendar *c);
/* Replaces "now" in the received field with the time `now`, in local time; 1 if it did. */
int tui_intake_normalise(struct tui_form *f, int64_t now);
/* From the date-of-birth-or-age text: the age in years at `at`, or -1 (and a message). */
int tui_age_from(const char *s, int64_t at, const char **why);

/* ---- drafts of the whole journey ---- */

/* The intake, the indicators chosen and the decision so far, as one JSON object. */
void tui_draft_write(const struct tui_form *intake, const struct ruleset *rs,
    const unsigned char *selected, const struct tui_form *decision, struct buf *out);
/* Reads a draft back; indicators the rule set no longer has are dropped. -1 if unreadable. */
int tui_draft_read(const char *text, size_t len, struct tui_form *intake,
    const struct ruleset *rs, unsigned char *selected, struct tui_form *decision);
/* A line describing a draft for the resume list: the child's name and when received. */
void tui_draft_describe(const char *text, size_t len, char *out, size_t outsz);

/* The case JSON the engine sees, from the intake and the indicators chosen. */
void tui_case_json(const struct tui_form *intake, const char *case_id, const struct ruleset *rs,
    const unsigned char *selected, struct buf *out);

/* ---- pathway ---- */

struct tui_pathway {
	const struct ruleset *rs;
	unsigned char *selected;	/* per indicator */
	int *order;			/* indicators by domain, level, file order */
	size_t norder;
	int *visible;			/* order filtered */
	size_t nvisible;
	struct tui_edit filter;
	size_t cursor, top;
	/* the recommendation for the case as it stands */
	struct case_facts cf;
	struct trace tr;
	struct decision dec;
	int have_dec;
	char *error;			/* why the case does not parse */
	struct buf facts;		/* the case JSON as the form makes it (what is logged) */
	struct store *store;		/* where the history facts are read, or NULL */
	struct buf evaluated;		/* the facts with the history the rules read, if any */
	struct audit_change *changes;	/* single changes that would change the route */
	size_t nchanges, changecap;
	size_t nselected;
};

void tui_pathway_init(struct tui_pathway *p, const struct ruleset *rs);
void tui_pathway_free(struct tui_pathway *p);
/* Recomputes the visible list from the filter text. */
void tui_pathway_filter(struct tui_pathway *p);
int tui_pathway_toggle(struct tui_pathway *p);
/* Cursor movement in the visible list, keeping it in a window of `rows`. */
void tui_pathway_move(struct tui_pathway *p, long delta, size_t rows);
/* Re-decides the case built from the intake and the selection. */
void tui_pathway_evaluate(struct tui_pathway *p, const struct tui_form *intake,
    const char *case_id);
/* The indicator under the cursor, or -1. */
int tui_pathway_current(const struct tui_pathway *p);
/* A one-line account of why the rule fired (its conditions and what they read). */
void tui_pathway_why(const struct tui_pathway *p, struct buf *out);
/* What would change the route, one line each (at most max lines), newline-separated. */
void tui_pathway_changes_text(const struct tui_pathway *p, size_t max, struct buf *out);
/* Ticks the indicators named in a NUL-separated list (from a draft). */
void tui_pathway_recount(struct tui_pathway *p);
/*
 * What the consent recorded (a value of the fact `consent`, shown by the
 * profile's label) means for the recommended route, into out; NULL when
 * there is no recommendation.
 */
const char *tui_consent_note(const struct tui_pathway *p, const char *consent, char *out,
    size_t outsz);
/*
 * A route in the rule set's own words: its level's label, and a short name of
 * at most 5 columns for lists; "Level N" and "LN" without a rule set.
 */
const char *tui_route_label(const struct ruleset *rs, int route);
const char *tui_route_short(const struct ruleset *rs, int route);
const char *tui_domain_short(int domain);

/* ---- decision ---- */

enum tui_decision_field {
	DF_CHOICE, DF_ROUTE, DF_RATIONALE, DF_URGENCY, DF_STRATEGY, DF_FEEDBACK, DF_CLOSE,
	DF_COUNT
};

/*
 * The decision form; rs (or NULL) gives the routes' words and the closures a
 * Universal contact can be closed with as it is decided (DF_CLOSE, shown only
 * for that route).
 */
void tui_decision_init(struct tui_form *f, const struct ruleset *rs);
/* Shows or hides fields for the recommended route. */
void tui_decision_update(struct tui_form *f, int recommended);
/* The final route the form asks for: the recommendation, or the override. */
int tui_decision_final(const struct tui_form *f, int recommended);
/* Fills d from the form (strings point into the form and facts). */
void tui_decision_fill(const struct tui_form *f, int recommended, const char *facts,
    size_t facts_len, struct route_decision *d);
/* The lines the confirm step shows: exactly what will be logged. */
void tui_decision_preview(const struct tui_form *f, const struct tui_pathway *p,
    const char *user, const char *role, char ***lines, size_t *n);

/* ---- outcome, steps and sign-off forms ---- */

enum tui_outcome_mode { OM_OUTCOME, OM_STEP_UP, OM_STEP_DOWN };
enum tui_outcome_field { OF_MODE, OF_CODE, OF_URGENCY, OF_NOTE, OF_COUNT };

void tui_outcome_init(struct tui_form *f, enum tui_outcome_mode mode, const struct ruleset *rs);
/*
 * The outcome codes of rs (only its closures, with closures set) as one
 * block to free: n values, then n labels, copied; value0 and label0 (not
 * copied), if given, come first.
 */
const char **tui_outcome_table(const struct ruleset *rs, int closures, const char *value0,
    const char *label0, size_t *n);
enum tui_outcome_mode tui_outcome_mode(const struct tui_form *f);
enum action tui_outcome_action(const struct tui_form *f);
/* The urgency chosen for a step-up (enum urgency); URGENCY_NONE otherwise or unset. */
int tui_outcome_urgency(const struct tui_form *f);
/* What core's case rule calls a mode. */
enum case_act tui_outcome_case_act(enum tui_outcome_mode m);

enum tui_signoff_field { SF_VERDICT, SF_COMMENT, SF_COUNT };
void tui_signoff_init(struct tui_form *f);
int tui_signoff_approve(const struct tui_form *f);

/* ---- lists and scrolling ---- */

/* A cursor in a list of n items shown `rows` at a time. */
struct tui_list {
	size_t n, cursor, top;
};

void tui_list_move(struct tui_list *l, long delta, size_t rows);
void tui_list_set_count(struct tui_list *l, size_t n, size_t rows);

/* ---- queue ---- */

/*
 * Reads up to n rows: older than `key` (0: from the newest), newest first, or
 * with newer set, newer than `key` (0: from the oldest), oldest first; *more
 * says whether further rows follow in that direction (queue_page and
 * queue_page_newer).
 */
typedef int (*tui_queue_fetch_fn)(void *arg, const struct queue_filter *f, uint64_t key,
    int newer, struct queue_row *rows, size_t n, int *more, char **cause);

struct tui_queue {
	tui_queue_fetch_fn fetch;
	void *fetch_arg;
	int route;			/* filter: -1 any */
	int district;			/* filter: index in the rule set's districts, -1 any */
	char district_name[81];		/* its name, kept while the rule set may change */
	char search[64];
	int awaiting;			/* only decisions awaiting sign-off */
	const char *user;		/* the person at the screen (the filters below) */
	int not_own;			/* with awaiting: leave out the user's own decisions */
	int returned;			/* only changes of the user's returned at sign-off */
	int by_due;			/* the tray's order: the earliest due first */
	const struct calendar *cal;	/* the calendar due times count in */
	uint64_t head;			/* the log's newest record when the list was read */
	uint64_t before;		/* the page starts after this key (0: the newest) */
	uint64_t *anchors;		/* earlier values of before, to scroll back */
	size_t nanchors, acap;
	struct queue_row *rows;
	size_t nrows, cap;
	int more;
	size_t cursor;			/* in rows */
	size_t height;			/* rows on screen */
	size_t position;		/* the top row's place in the whole list */
	/*
	 * After End, the place is counted from the bottom instead, without reading
	 * the rows above: `below` rows follow the page (position is then unknown).
	 */
	int from_bottom;
	size_t below;
};

void tui_queue_init(struct tui_queue *q, tui_queue_fetch_fn fetch, void *arg);
void tui_queue_free(struct tui_queue *q);
/* Rereads the page at the current place; -1 with cause on error. */
int tui_queue_reload(struct tui_queue *q, size_t height, char **cause);
/* Starts again from the newest (after a filter change). */
int tui_queue_restart(struct tui_queue *q, char **cause);
int tui_queue_move(struct tui_queue *q, long delta, char **cause);
int tui_queue_top(struct tui_queue *q, char **cause);
int tui_queue_bottom(struct tui_queue *q, char **cause);
void tui_queue_cycle_route(struct tui_queue *q);
/* The next district of the rule set's council (rs NULL or none: any). */
void tui_queue_cycle_district(struct tui_queue *q, const struct ruleset *rs);
const struct queue_row *tui_queue_current(const struct tui_queue *q);
/*
 * The cursor's row number (1 = the newest) in a list of `total` rows, or 0
 * when not known (total 0: not known either, after End with a filter).
 */
size_t tui_queue_row_number(const struct tui_queue *q, size_t total);
/* The filter queue_page is given. */
void tui_queue_filter(const struct tui_queue *q, struct queue_filter *f);
/* "3h", "2d 4h", "15d": how long ago a contact came in. */
void tui_format_age(int64_t received, int64_t now, char *out, size_t outsz);
/*
 * "26 May 23:59": a due time in the calendar's local time ("26 May 2025" when
 * half a year or more from now); "-" for none.
 */
void tui_format_due(const struct calendar *c, int64_t at, int64_t now, char *out, size_t outsz);
/* What the calendar's local time is called on screen: "UK time", "UTC". */
const char *tui_zone_label(const struct calendar *c);
/* The clock for ages and the overdue mark: $FRONTDOOR_NOW if set (UTC), else the real time. */
int64_t tui_display_now(void);

/* ---- case view ---- */

struct tui_case_entry {
	uint64_t seq, ref;
	int64_t time;
	enum record_kind kind;		/* KIND_COUNT: a damaged record (summary says why) */
	char case_id[65];
	char actor[65], role[17];
	int route, level, rec_route, rec_level;
	char rule[65];
	char outcome[33];
	char *rationale;	/* sanitised, or NULL */
	char *summary;		/* facts in brief: received, child, referrer, consent, indicators */
	char *detail;		/* urgency, strategy discussion, feedback */
	int64_t received;	/* from the facts, or 0 */
	char child[81];		/* facts child.name, sanitised, or "" */
	char district[41];	/* facts child.district, sanitised, or "" */
};

void tui_case_entries_free(struct tui_case_entry *e, size_t n);
/* Frees what one entry holds (not the entry). */
void tui_case_entry_clear(struct tui_case_entry *e);
/* Fills an entry from a record (text sanitised). */
void tui_case_entry_from(struct tui_case_entry *e, const struct record *r);
/*
 * The history as wrapped lines for width columns, routes and outcome codes
 * in the rule set's words (rs may be NULL), times in its calendar's local
 * time; starts[i] = first line of entry i.
 */
void tui_case_lines(const struct ruleset *rs, const struct tui_case_entry *e, size_t n,
    int width, char ***lines, size_t *nlines, size_t *starts);

/* ---- audit ---- */

/* The audit charts: contacts per month, per team (the child's district) and per officer. */
struct tui_charts {
	struct stats st;
};

void tui_charts_init(struct tui_charts *c);
void tui_charts_free(struct tui_charts *c);
/* A bar of value/max in width columns, with eighth blocks when utf8, else '#'. */
void tui_bar(unsigned long value, unsigned long max, int width, int utf8, char *out, size_t outsz);
/* "[#####     ]  45%" style progress in width columns. */
void tui_progress(size_t done, size_t total, int width, int utf8, char *out, size_t outsz);
/* One in a thousand as "12.3%" ("-" for 0/0). */
void tui_rate(unsigned long part, unsigned long whole, char *out, size_t outsz);

#define TUI_WHATIF_MOVES 100000	/* listed; beyond that only counted */

#endif
