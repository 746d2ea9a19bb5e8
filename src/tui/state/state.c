/* state.c: the key table, help, role checks, text widths, the line editor, forms, lists and the queue. */
#include "tui/state/state.h"

#include "base/sanitise.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#define S(x) SCR_BIT(SCR_##x)
#define LISTS (S(QUEUE) | S(CASE) | S(SIGNOFF) | S(AUDIT) | S(HELP))
#define FORMS (S(INTAKE) | S(DECISION) | S(OUTCOME))
#define MOVERS (LISTS | S(PATHWAY))

/* The one key table: the screens act on it and the help screen is made from it. */
const struct tui_key tui_keys[] = {
	{ TK_F1, SCR_ALL, 0, TA_HELP, "F1", "help for this screen (from anywhere)" },
	{ TK_CTRL('g'), SCR_ALL, 0, TA_HELP, "^G", "help for this screen (from anywhere)" },
	{ '?', SCR_ALL & ~S(PATHWAY), TKF_NAV, TA_HELP, "?", "help (when not typing in a field)" },

	{ TK_UP, MOVERS, 0, TA_UP, "Up", "move up" },
	{ 'k', LISTS, TKF_NAV, TA_UP, "k", "move up" },
	{ TK_DOWN, MOVERS, 0, TA_DOWN, "Down", "move down" },
	{ 'j', LISTS, TKF_NAV, TA_DOWN, "j", "move down" },
	{ TK_PGUP, MOVERS, 0, TA_PGUP, "PgUp", "page up" },
	{ TK_CTRL('b'), LISTS, 0, TA_PGUP, "^B", "page up" },
	{ TK_PGDN, MOVERS, 0, TA_PGDN, "PgDn", "page down" },
	{ TK_CTRL('f'), LISTS, 0, TA_PGDN, "^F", "page down" },
	{ TK_HOME, LISTS, 0, TA_TOP, "Home", "go to the top" },
	{ 'g', LISTS, TKF_NAV, TA_TOP, "g", "go to the top" },
	{ TK_END, LISTS, 0, TA_BOTTOM, "End", "go to the bottom" },
	{ 'G', LISTS, TKF_NAV, TA_BOTTOM, "G", "go to the bottom" },
	{ 'h', S(CASE) | S(AUDIT) | S(HELP) | S(SIGNOFF), TKF_NAV, TA_BACK, "h", "back" },
	{ TK_LEFT, S(CASE) | S(HELP), 0, TA_BACK, "Left", "back" },
	{ 'l', S(QUEUE) | S(SIGNOFF) | S(AUDIT), TKF_NAV, TA_OPEN, "l", "open the selected item" },
	{ TK_RIGHT, S(QUEUE) | S(SIGNOFF) | S(AUDIT), 0, TA_OPEN, "Right", "open the selected item" },
	{ TK_ENTER, S(QUEUE) | S(SIGNOFF) | S(AUDIT), 0, TA_OPEN, "Enter", "open the selected item" },

	{ TK_TAB, FORMS, 0, TA_NEXT_FIELD, "Tab", "next field" },
	{ TK_DOWN, FORMS, 0, TA_NEXT_FIELD, "Down", "next field" },
	{ TK_ENTER, FORMS, TKF_LINE, TA_NEXT_FIELD, "Enter",
	  "next field (last field: continue); a narrative: new line" },
	{ TK_BTAB, FORMS, 0, TA_PREV_FIELD, "S-Tab", "previous field" },
	{ TK_UP, FORMS, 0, TA_PREV_FIELD, "Up", "previous field" },
	{ TK_LEFT, FORMS, 0, TA_LEFT, "Left", "move in the text, or previous choice" },
	{ TK_RIGHT, FORMS, 0, TA_RIGHT, "Right", "move in the text, or next choice" },
	{ TK_F2, FORMS | S(PATHWAY), 0, TA_NEXT_STEP, "F2",
	  "continue: contact > pathway > decision > confirm" },
	{ TK_CTRL('n'), FORMS | S(PATHWAY), 0, TA_NEXT_STEP, "^N",
	  "continue: contact > pathway > decision > confirm" },
	{ TK_ENTER, S(PATHWAY), 0, TA_NEXT_STEP, "Enter", "continue to the decision" },
	{ ' ', S(PATHWAY), 0, TA_TOGGLE, "Space", "tick or untick the indicator" },
	{ TK_CTRL('u'), S(PATHWAY), 0, TA_CLEAR, "^U", "clear the filter (type to filter)" },
	{ TK_CTRL('e'), S(PATHWAY), 0, TA_SCROLL_DOWN, "^E", "scroll the indicator's guidance down" },
	{ TK_CTRL('y'), S(PATHWAY), 0, TA_SCROLL_UP, "^Y", "scroll the indicator's guidance up" },

	{ 'n', S(QUEUE) | S(CASE), TKF_NAV, TA_NEW, "n", "new contact (or resume a draft)" },
	{ '/', S(QUEUE), TKF_NAV, TA_SEARCH, "/", "find a child among every case, open or closed" },
	{ 'r', LISTS & ~S(HELP), TKF_NAV, TA_REFRESH, "r", "refresh from the database" },
	{ TK_F5, LISTS & ~S(HELP), 0, TA_REFRESH, "F5", "refresh from the database" },
	{ 'f', S(QUEUE), TKF_NAV, TA_FILTER_ROUTE, "f", "filter by route (cycles)" },
	{ 'd', S(QUEUE), TKF_NAV, TA_FILTER_DISTRICT, "d", "filter by district (cycles)" },
	{ 'w', S(QUEUE), TKF_NAV, TA_TOGGLE, "w", "only contacts waiting for sign-off (toggle)" },
	{ 'b', S(QUEUE), TKF_NAV, TA_RETURNED, "b", "only your decisions returned at sign-off (toggle)" },
	{ 's', S(QUEUE), TKF_NAV, TA_SORT, "s", "sort: soonest due first, or newest first (toggle)" },
	{ 'x', S(QUEUE), TKF_NAV, TA_CLEAR_FILTERS, "x", "clear filters and search" },
	{ 'c', S(QUEUE), TKF_NAV, TA_CASE, "c", "open a case by its id" },
	{ 'i', S(QUEUE) | S(SIGNOFF), TKF_NAV, TA_FULL, "i",
	  "the selected row in full (a value cut short ends in ...)" },
	{ 'm', S(QUEUE), TKF_NAV, TA_SIGNOFF, "m", "manager sign-off screen" },
	{ 'a', S(QUEUE), TKF_NAV, TA_AUDIT, "a", "audit screen" },
	{ 'o', S(QUEUE) | S(CASE), TKF_NAV, TA_OUTCOME, "o", "record an outcome (progress or closure)" },
	{ 'u', S(CASE), TKF_NAV, TA_STEP_UP, "u", "step up to the MASH" },
	{ 'D', S(CASE), TKF_NAV, TA_STEP_DOWN, "D", "step down to targeted early help" },
	{ 'a', S(SIGNOFF), TKF_NAV, TA_APPROVE, "a", "approve the selected decision" },
	{ 'x', S(SIGNOFF), TKF_NAV, TA_RETURN, "x", "return the decision with a comment" },
	{ '1', S(AUDIT), TKF_NAV, TA_LOG, "1", "browse the log, newest first" },
	{ 'v', S(AUDIT), TKF_NAV, TA_VERIFY, "v", "verify the chain and replay every decision" },
	{ 'w', S(AUDIT), TKF_NAV, TA_WHATIF, "w", "what-if: replay under a candidate rule file" },
	{ 'c', S(AUDIT), TKF_NAV, TA_CHARTS, "c", "charts: contacts per route per month, rates" },
	{ 't', S(AUDIT), TKF_NAV, TA_TEAMS, "t", "override rate by team (district) and by officer" },
	{ 'n', S(INTAKE), TKF_NAV, TA_NEW, "n", "in the list of drafts: start a new contact" },
	{ 'X', S(INTAKE), TKF_NAV, TA_DISCARD, "X", "in the list of drafts: discard one (asks first)" },

	{ TK_ESC, SCR_ALL, 0, TA_BACK, "Esc", "back (asks before dropping anything typed)" },
	{ 'q', SCR_ALL & ~S(PATHWAY), TKF_NAV, TA_BACK, "q", "back; on the queue: quit" },
};
const size_t tui_nkeys = FD_ARRAY_LEN(tui_keys);

static const char *const screen_titles[SCR_COUNT] = {
	"Queue", "New contact", "Pathway", "Decision", "Case", "Outcome", "Sign-off", "Audit",
	"Help",
};

const char *
tui_screen_title(enum tui_screen scr)
{
	return (unsigned)scr < SCR_COUNT ? screen_titles[scr] : "?";
}

int
tui_key_is_text(int key)
{
	/* controls, C1 and bidi marks are never text: they would act on the terminal */
	return key >= 0x20 && key < TK_BASE && !sanitise_unsafe((uint32_t)key);
}

enum tui_act
tui_key_action(enum tui_screen scr, int key, int typing)
{
	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct tui_key *k = &tui_keys[i];

		if (k->key != key || (k->screens & SCR_BIT(scr)) == 0)
			continue;
		if (typing && (k->flags & TKF_NAV))
			continue;
		if (typing == 2 && (k->flags & TKF_LINE))
			continue;
		return k->act;
	}
	return TA_NONE;
}

enum action
tui_act_needs(enum tui_act act)
{
	switch (act) {
	case TA_NEW:
		return ACT_ROUTE;
	case TA_OUTCOME:
		return ACT_OUTCOME;
	case TA_STEP_UP:
	case TA_STEP_DOWN:
		return ACT_STEP;
	case TA_SIGNOFF:
	case TA_APPROVE:
	case TA_RETURN:
		return ACT_SIGN_OFF;
	case TA_AUDIT:
		return ACT_AUDIT;
	default:
		return ACT_COUNT;
	}
}

/* The key a footer names ("Enter", "F2", "^N", "a"), or -1 if it names none of the table's. */
static int
hint_key(const char *name, size_t n)
{
	static const struct {
		const char *name;
		int key;
	} named[] = {
		{ "Enter", TK_ENTER }, { "Tab", TK_TAB }, { "Esc", TK_ESC }, { "Space", ' ' },
		{ "F1", TK_F1 }, { "F2", TK_F2 }, { "F5", TK_F5 },
	};

	if (n == 1)
		return (unsigned char)name[0];
	if (n == 2 && name[0] == '^')
		return TK_CTRL(name[1]);
	for (size_t i = 0; i < FD_ARRAY_LEN(named); i++)
		if (strlen(named[i].name) == n && memcmp(named[i].name, name, n) == 0)
			return named[i].key;
	return -1;
}

/* Whether any key a footer item names ("f/d:filter") acts on scr for a role that may not. */
static int
hint_refused(enum tui_screen scr, const char *item, size_t n, int has_role, enum role role)
{
	const char *colon = memchr(item, ':', n), *p = item;

	if (colon == NULL)
		return 0;
	while (p < colon) {
		const char *slash = memchr(p, '/', (size_t)(colon - p));
		const char *end = slash != NULL ? slash : colon;
		int key = hint_key(p, (size_t)(end - p));
		enum action need = key >= 0 ? tui_act_needs(tui_key_action(scr, key, 0)) : ACT_COUNT;

		if (need != ACT_COUNT && !(has_role && role_allows(role, need)))
			return 1;
		p = end + 1;
	}
	return 0;
}

void
tui_hints_for_role(enum tui_screen scr, const char *hints, int has_role, enum role role,
    struct buf *out)
{
	const char *p = hints;

	buf_reset(out);
	while (p != NULL && *p != '\0') {
		const char *end = strstr(p, "  ");
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

		if (!hint_refused(scr, p, n, has_role, role)) {
			if (out->len > 0)
				buf_adds(out, "  ");
			buf_add(out, p, n);
		}
		p = end != NULL ? end + 2 : NULL;
	}
	buf_addc(out, '\0');
	out->len--;
}

/* Adds the help lines of the keys for the screens in mask, merging keys that do the same. */
static void
help_section(unsigned mask, int skip_broad, struct buf *b, char ***lines, size_t *n,
    size_t *cap)
{
	unsigned char *done = xcalloc(tui_nkeys, 1);

	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct tui_key *k = &tui_keys[i];
		char line[160];

		if (done[i] || (k->screens & mask) == 0 || k->help[0] == '\0' ||
		    (skip_broad && __builtin_popcount(k->screens) >= SCR_COUNT - 2))
			continue;
		buf_reset(b);
		buf_adds(b, k->label);
		for (size_t j = i + 1; j < tui_nkeys; j++) {
			const struct tui_key *o = &tui_keys[j];

			if (!done[j] && o->act == k->act && (o->screens & mask) != 0 &&
			    strcmp(o->help, k->help) == 0) {
				buf_printf(b, " %s", o->label);
				done[j] = 1;
			}
		}
		snprintf(line, sizeof line, "  %-16s %s", b->data, k->help);
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*lines = xreallocarray(*lines, *cap, sizeof **lines);
		}
		(*lines)[(*n)++] = xstrdup(line);
	}
	free(done);
}

static void
help_add(char ***lines, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*lines = xreallocarray(*lines, *cap, sizeof **lines);
	}
	(*lines)[(*n)++] = xstrdup(s);
}

void
tui_help_lines(enum tui_screen scr, char ***lines, size_t *n)
{
	size_t cap = 0;
	struct buf b, t;

	*lines = NULL;
	*n = 0;
	buf_init(&b);
	buf_init(&t);
	buf_printf(&t, "Keys on the %s screen", tui_screen_title(scr));
	help_add(lines, n, &cap, t.data);
	help_section(SCR_BIT(scr), 0, &b, lines, n, &cap);
	if (scr == SCR_PATHWAY)
		help_add(lines, n, &cap, "  (letters)        type to filter the indicators; "
		    "Backspace deletes");
	if (scr == SCR_QUEUE) {
		help_add(lines, n, &cap, "  Marks: ! a MASH contact past its timescale (end of the "
		    "next working day);");
		help_add(lines, n, &cap, "  S a decision awaiting sign-off; B one returned, "
		    "to decide again;");
		help_add(lines, n, &cap, "  R the child was referred before. Age: since receipt.");
	}
	if (scr == SCR_INTAKE || scr == SCR_DECISION || scr == SCR_OUTCOME)
		help_add(lines, n, &cap, "  (letters)        type into a text field; only Left and "
		    "Right change a choice");
	for (int s = 0; s < SCR_COUNT; s++) {
		if (s == (int)scr || s == SCR_HELP)
			continue;
		help_add(lines, n, &cap, "");
		buf_reset(&t);
		buf_printf(&t, "%s screen", tui_screen_title((enum tui_screen)s));
		help_add(lines, n, &cap, t.data);
		help_section(SCR_BIT(s), 1, &b, lines, n, &cap);
	}
	help_add(lines, n, &cap, "");
	help_add(lines, n, &cap, "Times are shown in UTC. Drafts are saved as you type; "
	    "nothing is logged until you confirm.");
	buf_free(&b);
	buf_free(&t);
}

void
tui_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* ---- roles ---- */

enum action
tui_screen_needs(enum tui_screen scr)
{
	switch (scr) {
	case SCR_QUEUE:
	case SCR_CASE:
		return ACT_READ_CASES;
	case SCR_INTAKE:
	case SCR_PATHWAY:
	case SCR_DECISION:
		return ACT_ROUTE;
	case SCR_OUTCOME:
		return ACT_OUTCOME;
	case SCR_SIGNOFF:
		return ACT_SIGN_OFF;
	case SCR_AUDIT:
		return ACT_AUDIT;
	default:
		return ACT_COUNT;
	}
}

int
tui_action_allowed(int has_role, enum role role, enum action a, char **why)
{
	char *need;

	if (a == ACT_COUNT || (has_role && role_allows(role, a)))
		return 1;
	if (why != NULL) {
		need = roles_allowing(a);
		if (has_role)
			*why = xasprintf("refused: to %s you need the %s role (you are %s)",
			    action_name(a), need, role_name(role));
		else
			*why = xasprintf("refused: to %s you need the %s role, and you have no role "
			    "in this database", action_name(a), need);
		free(need);
	}
	return 0;
}

int
tui_screen_allowed(int has_role, enum role role, enum tui_screen scr, char **why)
{
	enum action a = tui_screen_needs(scr);

	/* the outcome screen also takes steps: either right will do */
	if (scr == SCR_OUTCOME && has_role && role_allows(role, ACT_STEP))
		return 1;
	return tui_action_allowed(has_role, role, a, why);
}

/* ---- text ---- */

/* Columns one code point takes; unprintables are shown as one '?'. */
static int
cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : w;
}

int
tui_text_width(const char *s, size_t n)
{
	int used;

	tui_text_fit(s, n, 1 << 30, &used);
	return used;
}

size_t
tui_text_fit(const char *s, size_t n, int width, int *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int w = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		int cw = len == 0 ? 1 : cp_width(cp);

		if (w + cw > width)
			break;
		w += cw;
		i += len == 0 ? 1 : len;
	}
	if (used != NULL)
		*used = w;
	return i;
}

size_t
tui_text_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

size_t
tui_wrap(const char *s, size_t n, int width, size_t *starts, size_t max)
{
	size_t i = 0, k = 0;

	if (width < 1)
		width = 1;
	while (k < max) {
		size_t fit, brk;

		starts[k++] = i;
		if (i >= n)
			break;
		fit = tui_text_fit(s + i, n - i, width, NULL);
		if (fit == 0)
			fit = 1;
		/* a line break ends the line; the next starts after it */
		for (size_t b = 0; b < fit && i + b < n; b++) {
			if (s[i + b] == '\n') {
				fit = b + 1;
				break;
			}
		}
		if (fit > 0 && s[i + fit - 1] == '\n') {
			i += fit;
			continue;
		}
		if (i + fit < n && s[i + fit] == '\n') {
			i += fit + 1;	/* the line is full up to its break */
			continue;
		}
		if (i + fit >= n)
			break;
		/* break after the last space that fits, if any */
		brk = fit;
		while (brk > 0 && s[i + brk - 1] != ' ')
			brk--;
		i += brk > 0 ? brk : fit;
	}
	return k;
}

/* ---- the line editor ---- */

void
tui_edit_init(struct tui_edit *e, size_t max)
{
	memset(e, 0, sizeof *e);
	e->cap = 64;
	e->text = xcalloc(e->cap, 1);
	e->max = max;
}

void
tui_edit_free(struct tui_edit *e)
{
	free(e->text);
	memset(e, 0, sizeof *e);
}

static void
edit_reserve(struct tui_edit *e, size_t extra)
{
	if (e->len + extra + 1 <= e->cap)
		return;
	while (e->len + extra + 1 > e->cap)
		e->cap *= 2;
	e->text = xrealloc(e->text, e->cap);
}

void
tui_edit_set(struct tui_edit *e, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	e->len = 0;
	edit_reserve(e, n);
	if (n > 0)
		memcpy(e->text, s, n);
	e->len = n;
	e->text[n] = '\0';
	e->cur = n;
}

/* The byte offset of the character before (dir -1) or after (1) offset at. */
static size_t
edit_step(const struct tui_edit *e, size_t at, int dir)
{
	if (dir < 0) {
		if (at == 0)
			return 0;
		at--;
		while (at > 0 && ((unsigned char)e->text[at] & 0xc0) == 0x80)
			at--;
		return at;
	}
	if (at >= e->len)
		return e->len;
	at++;
	while (at < e->len && ((unsigned char)e->text[at] & 0xc0) == 0x80)
		at++;
	return at;
}

/* Whether key is a character an editor takes as text. */
static int
edit_is_char(int key)
{
	return tui_key_is_text(key) && (key < 0xd800 || key > 0xdfff) && key <= 0x10ffff;
}

/* Puts n bytes of one character at the cursor. */
static void
edit_put(struct tui_edit *e, const char *enc, size_t n)
{
	edit_reserve(e, n);
	memmove(e->text + e->cur + n, e->text + e->cur, e->len - e->cur + 1);
	memcpy(e->text + e->cur, enc, n);
	e->len += n;
	e->cur += n;
}

static void
edit_delete(struct tui_edit *e, size_t from, size_t to)
{
	memmove(e->text + from, e->text + to, e->len - to + 1);
	e->len -= to - from;
}

int
tui_edit_key(struct tui_edit *e, int key)
{
	char enc[4];
	size_t n, at;

	switch (key) {
	case TK_LEFT:
		e->cur = edit_step(e, e->cur, -1);
		return 2;
	case TK_RIGHT:
		e->cur = edit_step(e, e->cur, 1);
		return 2;
	case TK_HOME:
	case TK_CTRL('a'):
		e->cur = 0;
		return 2;
	case TK_END:
	case TK_CTRL('e'):
		e->cur = e->len;
		return 2;
	case TK_BACKSPACE:
		if (e->cur == 0)
			return 2;
		at = edit_step(e, e->cur, -1);
		edit_delete(e, at, e->cur);
		e->cur = at;
		return 1;
	case TK_DELETE:
	case TK_CTRL('d'):
		if (e->cur >= e->len)
			return 2;
		edit_delete(e, e->cur, edit_step(e, e->cur, 1));
		return 1;
	case TK_CTRL('u'):
		if (e->cur == 0)
			return 2;
		edit_delete(e, 0, e->cur);
		e->cur = 0;
		return 1;
	case TK_CTRL('k'):
		if (e->cur >= e->len)
			return 2;
		edit_delete(e, e->cur, e->len);
		return 1;
	case TK_CTRL('w'):
		at = e->cur;
		while (at > 0 && e->text[at - 1] == ' ')
			at--;
		while (at > 0 && e->text[at - 1] != ' ')
			at--;
		if (at == e->cur)
			return 2;
		edit_delete(e, at, e->cur);
		e->cur = at;
		return 1;
	}
	if (key == TK_ENTER && e->multiline)
		key = '\n';
	else if (!edit_is_char(key))
		return 0;
	if (tui_edit_full(e))
		return 2;
	n = utf8_encode((uint32_t)key, enc);
	edit_put(e, enc, n);
	return 1;
}

int
tui_edit_full(const struct tui_edit *e)
{
	return tui_text_chars(e->text, e->len) >= e->max;
}

size_t
tui_edit_insert(struct tui_edit *e, const char *s, size_t n, size_t *dropped)
{
	size_t room = e->max - tui_text_chars(e->text, e->len), i = 0, put = 0;

	if (tui_text_chars(e->text, e->len) >= e->max)
		room = 0;
	*dropped = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);

		if (len == 0) {
			i++;	/* not UTF-8: nothing to keep */
			continue;
		}
		i += len;
		if (!(cp == '\n' && e->multiline) && !edit_is_char((int)cp))
			continue;
		if (put == room) {
			(*dropped)++;
			continue;
		}
		edit_put(e, s + i - len, len);
		put++;
	}
	return put;
}

void
tui_edit_view(const struct tui_edit *e, int width, size_t *first, int *curcol)
{
	size_t start = 0;

	if (width < 2)
		width = 2;
	/* show from the start while the cursor fits; else keep it one column from the right */
	while (start < e->cur && tui_text_width(e->text + start, e->cur - start) > width - 1)
		start = edit_step(e, start, 1);
	*first = start;
	*curcol = tui_text_width(e->text + start, e->cur - start);
}

/* ---- forms ---- */

void
tui_form_free(struct tui_form *f)
{
	for (size_t i = 0; i < f->n; i++)
		tui_edit_free(&f->f[i].edit);
	free(f->f);
	if (f->free_owned != NULL)
		f->free_owned(f->owned);
	else
		free(f->owned);
	memset(f, 0, sizeof *f);
}

int
tui_form_move(struct tui_form *f, int dir)
{
	size_t i = f->focus;

	for (;;) {
		if (dir > 0 ? i + 1 >= f->n : i == 0)
			return 0;
		i = dir > 0 ? i + 1 : i - 1;
		if (!f->f[i].hidden) {
			struct tui_field *fl = &f->f[i];

			f->focus = i;
			if (fl->kind != FK_CHOICE)
				fl->edit.cur = fl->edit.len;
			return 1;
		}
	}
}

int
tui_form_typing(const struct tui_form *f)
{
	if (f->n == 0 || f->f[f->focus].kind == FK_CHOICE)
		return 0;
	return f->f[f->focus].kind == FK_LONGTEXT ? 2 : 1;
}

static void
form_changed(struct tui_form *f)
{
	f->changed = 1;
	f->touched = 1;
	if (f->relayout != NULL)
		f->relayout(f);
}

/*
 * A choice moves only by Left and Right: letters and Space, typed for a text
 * field the focus has just left, must not change what a choice records.
 */
static int
choice_key(struct tui_form *f, struct tui_field *fl, int key)
{
	int n = (int)fl->nchoices, c = fl->choice;

	/* one that may stay unanswered goes back to "not known" (-1) past either end */
	if (key == TK_RIGHT)
		c = c + 1 < n ? c + 1 : fl->unknown_ok ? -1 : 0;
	else if (key == TK_LEFT)
		c = c < 0 ? n - 1 : c > 0 ? c - 1 : fl->unknown_ok ? -1 : n - 1;
	else
		return 0;
	if (c == fl->choice)
		return 2;
	fl->choice = c;
	form_changed(f);
	return 1;
}

int
tui_form_key(struct tui_form *f, int key)
{
	struct tui_field *fl;
	int rc;

	if (f->n == 0)
		return 0;
	fl = &f->f[f->focus];
	if (fl->kind == FK_CHOICE)
		return choice_key(f, fl, key);
	rc = tui_edit_key(&fl->edit, key);
	if (rc == 1)
		form_changed(f);
	return rc;
}

const char *
tui_form_check(const struct tui_form *f, size_t i, char *msg, size_t msgsz)
{
	const struct tui_field *fl = &f->f[i];

	if (fl->hidden)
		return NULL;
	/* an unset choice with a rule of its own is refused in that rule's words */
	if (fl->kind == FK_CHOICE && fl->choice < 0 && fl->validate == NULL)
		return fl->required ? "select one (Left or Right)" : NULL;
	if (fl->required && fl->kind != FK_CHOICE) {
		const char *p = fl->edit.text;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			return "required";
	}
	return fl->validate != NULL ? fl->validate(f, i, msg, msgsz) : NULL;
}

int
tui_form_first_invalid(const struct tui_form *f)
{
	char msg[160];

	for (size_t i = 0; i < f->n; i++)
		if (tui_form_check(f, i, msg, sizeof msg) != NULL)
			return (int)i;
	return -1;
}

const char *
tui_form_value(const struct tui_form *f, size_t i)
{
	const struct tui_field *fl = &f->f[i];

	if (fl->kind == FK_CHOICE)
		return fl->choice >= 0 ? fl->choices[fl->choice] : "";
	return fl->edit.text;
}

void
tui_form_focus_problem(struct tui_form *f, int bad)
{
	if (bad >= 0 && (size_t)bad < f->n && f->f[bad].kind != FK_CHOICE) {
		f->focus = (size_t)bad;
		f->f[bad].edit.cur = f->f[bad].edit.len;
	}
}

void
tui_form_set_choice(struct tui_form *f, size_t i, const char *value)
{
	struct tui_field *fl = &f->f[i];

	for (size_t c = 0; c < fl->nchoices; c++)
		if (strcmp(fl->choices[c], value) == 0)
			fl->choice = (int)c;
	if (f->relayout != NULL)
		f->relayout(f);
}

int
tui_form_find(const struct tui_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- lists ---- */

void
tui_list_move(struct tui_list *l, long delta, size_t rows)
{
	long c = (long)l->cursor + delta;

	if (rows == 0)
		rows = 1;
	if (l->n == 0) {
		l->cursor = l->top = 0;
		return;
	}
	if (c < 0)
		c = 0;
	if (c >= (long)l->n)
		c = (long)l->n - 1;
	l->cursor = (size_t)c;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + rows)
		l->top = l->cursor - rows + 1;
	if (l->top + rows > l->n)
		l->top = l->n > rows ? l->n - rows : 0;
}

void
tui_list_set_count(struct tui_list *l, size_t n, size_t rows)
{
	l->n = n;
	tui_list_move(l, 0, rows);
}

/* ---- queue ---- */

void
tui_queue_init(struct tui_queue *q, tui_queue_fetch_fn fetch, void *arg)
{
	memset(q, 0, sizeof *q);
	q->fetch = fetch;
	q->fetch_arg = arg;
	q->route = -1;
	q->district = -1;
}

void
tui_queue_free(struct tui_queue *q)
{
	free(q->anchors);
	free(q->rows);
	memset(q, 0, sizeof *q);
}

void
tui_queue_filter(const struct tui_queue *q, struct queue_filter *f)
{
	f->route = q->route;
	f->district = q->district >= 0 ? q->district_name : NULL;
	f->search = q->search[0] != '\0' ? q->search : NULL;
	f->awaiting_signoff = q->awaiting;
	f->signable_by = q->awaiting && q->not_own ? q->user : NULL;
	f->returned_to = q->returned ? q->user : NULL;
	f->by_due = q->by_due;
	f->cal = q->cal;
}

/* Reads `height` rows after `before` into q->rows. */
static int
queue_fetch(struct tui_queue *q, uint64_t before, char **cause)
{
	struct queue_filter f;
	int got;

	if (q->cap < q->height) {
		q->cap = q->height;
		q->rows = xreallocarray(q->rows, q->cap, sizeof *q->rows);
	}
	tui_queue_filter(q, &f);
	got = q->fetch(q->fetch_arg, &f, before, 0, q->rows, q->height, &q->more, cause);
	if (got < 0)
		return -1;
	q->nrows = (size_t)got;
	return 0;
}

int
tui_queue_reload(struct tui_queue *q, size_t height, char **cause)
{
	q->height = height > 0 ? height : 1;
	if (queue_fetch(q, q->before, cause) < 0)
		return -1;
	/* everything above the page went (closed cases): start from the newest */
	if (q->nrows == 0 && (q->nanchors > 0 || q->from_bottom)) {
		q->nanchors = 0;
		q->before = 0;
		q->position = 0;
		q->from_bottom = 0;
		if (queue_fetch(q, 0, cause) < 0)
			return -1;
	}
	if (q->cursor >= q->nrows)
		q->cursor = q->nrows > 0 ? q->nrows - 1 : 0;
	return 0;
}

int
tui_queue_restart(struct tui_queue *q, char **cause)
{
	q->nanchors = 0;
	q->before = 0;
	q->cursor = 0;
	q->position = 0;
	q->from_bottom = 0;
	return tui_queue_reload(q, q->height, cause);
}

static void
queue_push(struct tui_queue *q, uint64_t v)
{
	if (q->nanchors == q->acap) {
		q->acap = q->acap ? q->acap * 2 : 256;
		q->anchors = xreallocarray(q->anchors, q->acap, sizeof *q->anchors);
	}
	q->anchors[q->nanchors++] = v;
}

/* Scrolls the page down by k rows (those of the current page); keeps the old place on failure. */
static int
queue_scroll_down(struct tui_queue *q, size_t k, char **cause)
{
	size_t saved = q->nanchors;
	uint64_t before = q->before;

	if (k > q->nrows)
		k = q->nrows;
	for (size_t i = 0; i < k; i++) {
		queue_push(q, q->before);
		q->before = q->rows[i].key;
	}
	if (queue_fetch(q, q->before, cause) < 0 || q->nrows == 0) {
		q->nanchors = saved;
		q->before = before;
		return queue_fetch(q, before, cause) < 0 ? -1 : 0;
	}
	q->position += k;
	q->below -= q->from_bottom && q->below >= k ? k : 0;
	return 0;
}

/*
 * Above a page reached by End there are no anchors: reads the k rows newer
 * than the top row instead, and starts the page at the newest of them.
 */
static int
queue_scroll_up_unanchored(struct tui_queue *q, size_t k, char **cause)
{
	struct queue_filter f;
	struct queue_row *newer = xcalloc(k, sizeof *newer);
	int got, more = 0;

	tui_queue_filter(q, &f);
	got = q->fetch(q->fetch_arg, &f, q->rows[0].key, 1, newer, k, &more, cause);
	if (got > 0 && !more) {
		free(newer);	/* the top of the list is within reach: from the newest */
		return tui_queue_restart(q, cause);
	}
	if (got > 0) {
		q->before = newer[got - 1].key + 1;
		q->below += (size_t)got;
	}
	free(newer);
	if (got < 0)
		return -1;
	return got > 0 ? queue_fetch(q, q->before, cause) : 0;
}

/* Scrolls up by k rows: back along the anchors, then (after End) beyond them. */
static int
queue_scroll_up(struct tui_queue *q, size_t k, char **cause)
{
	size_t back = k > q->nanchors ? q->nanchors : k;

	if (back > 0) {
		q->nanchors -= back;
		q->before = q->anchors[q->nanchors];
		q->position -= q->from_bottom ? 0 : back;
		q->below += q->from_bottom ? back : 0;
		if (queue_fetch(q, q->before, cause) < 0)
			return -1;
	}
	if (k > back && q->from_bottom && q->nrows > 0)
		return queue_scroll_up_unanchored(q, k - back, cause);
	return 0;
}

int
tui_queue_move(struct tui_queue *q, long delta, char **cause)
{
	if (delta > 0) {
		size_t want = q->cursor + (size_t)delta;

		if (want < q->nrows) {
			q->cursor = want;
			return 0;
		}
		if (q->more) {
			size_t k = want - (q->nrows - 1);

			if (k > q->nrows)
				k = q->nrows;
			if (queue_scroll_down(q, k, cause) < 0)
				return -1;
			q->cursor = want - k;
		}
		if (q->cursor >= q->nrows)
			q->cursor = q->nrows > 0 ? q->nrows - 1 : 0;
		if (want < q->cursor)
			q->cursor = want;
		return 0;
	}
	if (delta < 0) {
		size_t up = (size_t)-delta;

		if (up <= q->cursor) {
			q->cursor -= up;
			return 0;
		}
		up -= q->cursor;
		q->cursor = 0;
		return queue_scroll_up(q, up, cause);
	}
	return 0;
}

int
tui_queue_top(struct tui_queue *q, char **cause)
{
	return tui_queue_restart(q, cause);
}

/*
 * Goes to the end: the oldest page read from the oldest side, so that
 * nothing above it is read (scrolling back up reads newer rows as it goes).
 */
int
tui_queue_bottom(struct tui_queue *q, char **cause)
{
	struct queue_filter f;
	struct queue_row *oldest;
	int got, newer = 0;

	if (!q->more) {
		q->cursor = q->nrows > 0 ? q->nrows - 1 : 0;
		return 0;
	}
	oldest = xcalloc(q->height, sizeof *oldest);
	tui_queue_filter(q, &f);
	got = q->fetch(q->fetch_arg, &f, 0, 1, oldest, q->height, &newer, cause);
	if (got <= 0) {
		free(oldest);
		return got < 0 ? -1 : tui_queue_restart(q, cause);
	}
	q->nanchors = 0;
	q->from_bottom = 1;
	q->below = 0;
	q->before = oldest[got - 1].key + 1;	/* the page starts at its newest row */
	free(oldest);
	if (queue_fetch(q, q->before, cause) < 0)
		return -1;
	q->cursor = q->nrows > 0 ? q->nrows - 1 : 0;
	return 0;
}

size_t
tui_queue_row_number(const struct tui_queue *q, size_t total)
{
	if (!q->from_bottom)
		return q->position + q->cursor + 1;
	if (total == 0 || total < q->below + q->nrows)
		return 0;
	return total - q->below - q->nrows + q->cursor + 1;
}

void
tui_queue_cycle_route(struct tui_queue *q)
{
	q->route = q->route + 1 >= ROUTE_COUNT ? -1 : q->route + 1;
}

void
tui_queue_cycle_district(struct tui_queue *q, const struct ruleset *rs)
{
	size_t n = 0;
	const char *const *d = rs != NULL ? rules_districts(rs, &n) : NULL;

	q->district = q->district + 1 >= (int)n ? -1 : q->district + 1;
	snprintf(q->district_name, sizeof q->district_name, "%s",
	    q->district >= 0 ? d[q->district] : "");
}

const struct queue_row *
tui_queue_current(const struct tui_queue *q)
{
	return q->cursor < q->nrows ? &q->rows[q->cursor] : NULL;
}

void
tui_format_age(int64_t received, int64_t now, char *out, size_t outsz)
{
	int64_t d = now - received;

	if (received <= 0) {
		snprintf(out, outsz, "-");
		return;
	}
	if (d < 0) {
		snprintf(out, outsz, "future");
		return;
	}
	if (d < 3600)
		snprintf(out, outsz, "%lldm", (long long)(d / 60));
	else if (d < 86400)
		snprintf(out, outsz, "%lldh", (long long)(d / 3600));
	else if (d < 10 * 86400)
		snprintf(out, outsz, "%lldd %lldh", (long long)(d / 86400),
		    (long long)(d % 86400 / 3600));
	else
		snprintf(out, outsz, "%lldd", (long long)(d / 86400));
}

void
tui_format_due(const struct calendar *c, int64_t at, int64_t now, char *out, size_t outsz)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
		"Aug", "Sep", "Oct", "Nov", "Dec" };
	struct calendar_local l;

	if (at == 0) {
		snprintf(out, outsz, "-");
		return;
	}
	calendar_to_local(c, at, &l);
	/* half a year away, the year tells more than the hour */
	if (at - now > 183 * INT64_C(86400) || now - at > 183 * INT64_C(86400))
		snprintf(out, outsz, "%2d %s %d", l.day, months[(l.month - 1) % 12], l.year);
	else
		snprintf(out, outsz, "%2d %s %02d:%02d", l.day, months[(l.month - 1) % 12], l.hour,
		    l.min);
}

const char *
tui_zone_label(const struct calendar *c)
{
	if (c == NULL || c->time_zone == NULL || strcmp(c->time_zone, "UTC") == 0)
		return "UTC";
	return strcmp(c->time_zone, "Europe/London") == 0 ? "UK time" : c->time_zone;
}

int64_t
tui_display_now(void)
{
	const char *env = getenv("FRONTDOOR_NOW");
	int64_t t;

	if (env != NULL && *env != '\0' && tui_parse_when(env, &t) == 0)
		return t;
	return (int64_t)time(NULL);
}
