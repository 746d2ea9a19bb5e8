/* test_tui_state.c: the screens' state and transitions, and their reads from a demo database, without a terminal. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tmpdir.h"
#include "../unit/check.h"
#include "core/demo.h"
#include "base/diag.h"
#include "store/dlog.h"
#include "tui/state/data.h"
#include "tui/state/forms.h"
#include "tui/state/state.h"
#include "base/util.h"

static struct ruleset *
load_rules(const char *path)
{
	struct diag d;
	struct ruleset *rs;
	char *text = NULL;
	size_t len = 0;

	diag_init(&d, path, NULL, 0);
	rs = rules_load_file(path, &d, &text, &len);
	free(text);
	if (rs == NULL) {
		diag_print(&d, stderr);
		fatal("cannot load %s", path);
	}
	diag_free(&d);
	return rs;
}

/* The index of the form's field named name (a question's fact path). */
static size_t
field(const struct tui_form *f, const char *name)
{
	int i = tui_form_find(f, name);

	CHECK(i >= 0);
	return i >= 0 ? (size_t)i : 0;
}

static void
type(struct tui_form *f, const char *s)
{
	while (*s) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s, strlen(s), &cp);

		tui_form_key(f, (int)cp);
		s += n ? n : 1;
	}
}

static void
set_text(struct tui_form *f, size_t i, const char *s)
{
	tui_edit_set(&f->f[i].edit, s);
}

static int
has_line(char **lines, size_t n, const char *needle)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(lines[i], needle) != NULL)
			return 1;
	return 0;
}

/* ---- keys and help ---- */

static void
test_keys(void)
{
	CHECK_EQ(tui_key_action(SCR_QUEUE, 'j', 0), TA_DOWN);
	CHECK_EQ(tui_key_action(SCR_QUEUE, TK_DOWN, 0), TA_DOWN);
	CHECK_EQ(tui_key_action(SCR_QUEUE, 'k', 0), TA_UP);
	CHECK_EQ(tui_key_action(SCR_QUEUE, 'g', 0), TA_TOP);
	CHECK_EQ(tui_key_action(SCR_QUEUE, 'G', 0), TA_BOTTOM);
	CHECK_EQ(tui_key_action(SCR_QUEUE, 'n', 0), TA_NEW);
	CHECK_EQ(tui_key_action(SCR_QUEUE, '/', 0), TA_SEARCH);
	CHECK_EQ(tui_key_action(SCR_QUEUE, 'r', 0), TA_REFRESH);
	CHECK_EQ(tui_key_action(SCR_QUEUE, TK_ENTER, 0), TA_OPEN);
	CHECK_EQ(tui_key_action(SCR_QUEUE, 'q', 0), TA_BACK);
	/* while typing, letters are text: q, j, ? do nothing of their own */
	CHECK_EQ(tui_key_action(SCR_INTAKE, 'q', 1), TA_NONE);
	CHECK_EQ(tui_key_action(SCR_INTAKE, 'j', 1), TA_NONE);
	CHECK_EQ(tui_key_action(SCR_INTAKE, '?', 1), TA_NONE);
	CHECK_EQ(tui_key_action(SCR_INTAKE, TK_TAB, 1), TA_NEXT_FIELD);
	CHECK_EQ(tui_key_action(SCR_INTAKE, TK_BTAB, 1), TA_PREV_FIELD);
	CHECK_EQ(tui_key_action(SCR_INTAKE, TK_F2, 1), TA_NEXT_STEP);
	/* the pathway types to filter: space ticks, letters are never commands */
	CHECK_EQ(tui_key_action(SCR_PATHWAY, ' ', 1), TA_TOGGLE);
	CHECK_EQ(tui_key_action(SCR_PATHWAY, 'q', 1), TA_NONE);
	CHECK_EQ(tui_key_action(SCR_PATHWAY, '?', 1), TA_NONE);
	CHECK_EQ(tui_key_action(SCR_PATHWAY, TK_ENTER, 1), TA_NEXT_STEP);
	/* every screen has help, a way back, and F1 works even while typing */
	for (int s = 0; s < SCR_COUNT; s++) {
		CHECK_EQ(tui_key_action((enum tui_screen)s, TK_F1, 1), TA_HELP);
		CHECK_EQ(tui_key_action((enum tui_screen)s, TK_ESC, 1), TA_BACK);
	}
	CHECK_EQ(tui_key_action(SCR_AUDIT, 'v', 0), TA_VERIFY);
	CHECK_EQ(tui_key_action(SCR_AUDIT, 'w', 0), TA_WHATIF);
	CHECK_EQ(tui_key_action(SCR_SIGNOFF, 'a', 0), TA_APPROVE);
	CHECK_EQ(tui_key_action(SCR_SIGNOFF, 'x', 0), TA_RETURN);
	CHECK_EQ(tui_key_action(SCR_CASE, 'u', 0), TA_STEP_UP);
	CHECK_EQ(tui_key_action(SCR_CASE, 'D', 0), TA_STEP_DOWN);
	/* a row cut short is one key away in full; guidance scrolls while filtering */
	CHECK_EQ(tui_key_action(SCR_QUEUE, 'i', 0), TA_FULL);
	CHECK_EQ(tui_key_action(SCR_SIGNOFF, 'i', 0), TA_FULL);
	CHECK_EQ(tui_key_action(SCR_PATHWAY, TK_CTRL('e'), 1), TA_SCROLL_DOWN);
	CHECK_EQ(tui_key_action(SCR_PATHWAY, TK_CTRL('y'), 1), TA_SCROLL_UP);
	CHECK(tui_key_is_text('a'));
	CHECK(tui_key_is_text(0x00e9));
	CHECK(!tui_key_is_text(0x1b));
	CHECK(!tui_key_is_text(0x9b));	/* C1 CSI is never typed into a field */
	CHECK(!tui_key_is_text(TK_UP));
}

/* No key means two different things on one screen (the first entry would hide the second). */
static void
test_key_table_unambiguous(void)
{
	int clashes = 0;

	for (size_t i = 0; i < tui_nkeys; i++)
		for (size_t j = i + 1; j < tui_nkeys; j++) {
			const struct tui_key *a = &tui_keys[i], *b = &tui_keys[j];

			if (a->key == b->key && (a->screens & b->screens) != 0 &&
			    a->flags == b->flags && a->act != b->act) {
				fprintf(stderr, "key %d: %s / %s\n", a->key, a->help, b->help);
				clashes++;
			}
		}
	CHECK_EQ(clashes, 0);
}

static void
test_help(void)
{
	for (int s = 0; s < SCR_COUNT; s++) {
		char **lines;
		size_t n;

		tui_help_lines((enum tui_screen)s, &lines, &n);
		CHECK(n > 10);
		CHECK(strstr(lines[0], tui_screen_title((enum tui_screen)s)) != NULL);
		CHECK(has_line(lines, n, "F1"));
		/* every key of this screen with help text is in its section */
		for (size_t k = 0; k < tui_nkeys; k++)
			if ((tui_keys[k].screens & SCR_BIT(s)) && tui_keys[k].help[0])
				CHECK(has_line(lines, n, tui_keys[k].help));
		tui_lines_free(lines, n);
	}
	{
		char **lines;
		size_t n;

		tui_help_lines(SCR_QUEUE, &lines, &n);
		CHECK(has_line(lines, n, "find a child among every case"));
		CHECK(has_line(lines, n, "Pathway screen"));
		CHECK(has_line(lines, n, "tick or untick"));
		tui_lines_free(lines, n);
	}
}

static void
test_roles(void)
{
	char *why = NULL;

	CHECK(tui_screen_allowed(1, ROLE_OFFICER, SCR_QUEUE, NULL));
	CHECK(tui_screen_allowed(1, ROLE_OFFICER, SCR_INTAKE, NULL));
	CHECK(!tui_screen_allowed(1, ROLE_OFFICER, SCR_SIGNOFF, &why));
	CHECK_CONTAINS(why, "manager");
	free(why);
	why = NULL;
	CHECK(!tui_screen_allowed(1, ROLE_AUDITOR, SCR_INTAKE, &why));
	CHECK_CONTAINS(why, "officer or manager");
	CHECK_CONTAINS(why, "you are auditor");
	free(why);
	why = NULL;
	CHECK(tui_screen_allowed(1, ROLE_AUDITOR, SCR_AUDIT, NULL));
	CHECK(tui_screen_allowed(1, ROLE_EARLY_HELP, SCR_OUTCOME, NULL));
	CHECK(!tui_screen_allowed(1, ROLE_ADMIN, SCR_QUEUE, NULL));
	CHECK(!tui_screen_allowed(0, ROLE_OFFICER, SCR_QUEUE, &why));
	CHECK_CONTAINS(why, "no role");
	free(why);
	CHECK(tui_screen_allowed(0, ROLE_OFFICER, SCR_HELP, NULL));
	CHECK(!tui_action_allowed(1, ROLE_OFFICER, ACT_STEP, NULL));
	CHECK(tui_action_allowed(1, ROLE_MANAGER, ACT_STEP, NULL));
}

/* ---- text ---- */

static void
test_text(void)
{
	size_t starts[16], k;
	int used;

	CHECK_EQ(tui_text_width("abc", 3), 3);
	CHECK_EQ(tui_text_width("Zoë", strlen("Zoë")), 3);
	CHECK_EQ(tui_text_width("日本", strlen("日本")), 4);
	CHECK_EQ(tui_text_chars("Łukasz", strlen("Łukasz")), 6);
	/* a wide character that does not fit is left out whole */
	CHECK_EQ(tui_text_fit("a日本", strlen("a日本"), 4, &used), 4);
	CHECK_EQ(used, 3);
	k = tui_wrap("one two three four", 18, 9, starts, 16);
	CHECK_EQ(k, 3);
	CHECK_EQ(starts[1], 8);
	CHECK_EQ(starts[2], 14);
	k = tui_wrap("abcdefghij", 10, 4, starts, 16);
	CHECK_EQ(k, 3);
	CHECK_EQ(tui_wrap("", 0, 4, starts, 16), 1);
	/* a line break ends a line; a full line's break makes no empty one */
	k = tui_wrap("ab\ncd", 5, 10, starts, 16);
	CHECK_EQ(k, 2);
	CHECK_EQ(starts[1], 3);
	k = tui_wrap("abcd\nef\n", 8, 4, starts, 16);
	CHECK_EQ(k, 3);
	CHECK_EQ(starts[1], 5);
	CHECK_EQ(starts[2], 8);
}

static void
test_edit(void)
{
	struct tui_edit e;
	size_t first;
	int col;

	tui_edit_init(&e, 10);
	CHECK_EQ(tui_edit_key(&e, 'Z'), 1);
	tui_edit_key(&e, 'o');
	tui_edit_key(&e, 0xeb);	/* ë */
	CHECK_STR(e.text, "Zoë");
	CHECK_EQ(e.len, 4);
	CHECK_EQ(tui_edit_key(&e, TK_LEFT), 2);
	CHECK_EQ(e.cur, 2);	/* before the two-byte ë */
	tui_edit_key(&e, TK_LEFT);
	tui_edit_key(&e, 0x0141);	/* Ł inserted in the middle */
	CHECK_STR(e.text, "ZŁoë");
	tui_edit_key(&e, TK_END);
	CHECK_EQ(tui_edit_key(&e, TK_BACKSPACE), 1);
	CHECK_STR(e.text, "ZŁo");
	tui_edit_key(&e, TK_HOME);
	tui_edit_key(&e, TK_DELETE);
	CHECK_STR(e.text, "Ło");
	/* the limit counts characters, not bytes */
	for (int i = 0; i < 20; i++)
		tui_edit_key(&e, 0x65e5);
	CHECK_EQ(tui_text_chars(e.text, e.len), 10);
	tui_edit_set(&e, "alpha beta gamma");
	CHECK_EQ(tui_edit_key(&e, TK_CTRL('w')), 1);
	CHECK_STR(e.text, "alpha beta ");
	tui_edit_key(&e, TK_HOME);
	tui_edit_key(&e, TK_RIGHT);
	CHECK_EQ(tui_edit_key(&e, TK_CTRL('k')), 1);
	CHECK_STR(e.text, "a");
	CHECK_EQ(tui_edit_key(&e, TK_CTRL('u')), 1);
	CHECK_STR(e.text, "");
	CHECK_EQ(tui_edit_key(&e, 0x1b), 0);	/* escape is not text */
	CHECK_EQ(tui_edit_key(&e, TK_F2), 0);
	/* a long text scrolls so that the cursor stays in view */
	tui_edit_free(&e);
	tui_edit_init(&e, 100);
	tui_edit_set(&e, "0123456789abcdefghij");
	tui_edit_view(&e, 10, &first, &col);
	CHECK_EQ(first, 11);
	CHECK_EQ(col, 9);
	tui_edit_key(&e, TK_HOME);
	tui_edit_view(&e, 10, &first, &col);
	CHECK_EQ(first, 0);
	CHECK_EQ(col, 0);
	tui_edit_free(&e);
}

/* ---- terminal input ---- */

static int
esc(const char *seq)
{
	size_t n = strlen(seq);

	CHECK(tui_escape_complete(seq, n));
	for (size_t i = 1; i < n; i++)
		CHECK(!tui_escape_complete(seq, i));	/* not cut short */
	return tui_escape_key(seq, n);
}

static void
test_escapes(void)
{
	/* xterm and VT100 F1..F4, PuTTY and rxvt ESC [ 1 1 ~, the Linux console ESC [ [ A */
	CHECK_EQ(esc("OP"), TK_F1);
	CHECK_EQ(esc("OQ"), TK_F2);
	CHECK_EQ(esc("[11~"), TK_F1);
	CHECK_EQ(esc("[12~"), TK_F2);	/* PuTTY's F2: never Esc */
	CHECK_EQ(esc("[14~"), TK_F4);
	CHECK_EQ(esc("[15~"), TK_F5);
	CHECK_EQ(esc("[21~"), TK_F10);
	CHECK_EQ(esc("[[A"), TK_F1);
	CHECK_EQ(esc("[[B"), TK_F2);
	CHECK_EQ(esc("[[E"), TK_F5);
	CHECK_EQ(esc("[A"), TK_UP);
	CHECK_EQ(esc("OD"), TK_LEFT);
	CHECK_EQ(esc("[5~"), TK_PGUP);
	CHECK_EQ(esc("[Z"), TK_BTAB);
	CHECK_EQ(esc("[200~"), TK_PASTE_BEGIN);
	CHECK_EQ(esc("[201~"), TK_PASTE_END);
	/* unknown or modified: ignored, never Esc */
	CHECK_EQ(esc("[24;2~"), -1);
	CHECK_EQ(esc("[1;5P"), -1);
	CHECK_EQ(esc("[99~"), -1);
	CHECK_EQ(esc("[[Z"), -1);
	CHECK_EQ(esc("Ox"), -1);
	/* Esc then an ordinary key is complete at once; a run-away sequence stops */
	CHECK(tui_escape_complete("x", 1));
	CHECK(!tui_escape_complete("[123", 4));
	CHECK(tui_escape_complete("[1234567890123456", TUI_ESCAPE_MAX));
	CHECK(!tui_escape_complete("", 0));
}

/* Feeds bytes as a non-UTF-8 locale reads them; the characters into out as UTF-8. */
static void
feed_bytes(const char *in, int flush, char *out, size_t outsz)
{
	struct tui_utf8_in d;
	struct buf b;
	uint32_t cps[TUI_UTF8_OUT];

	memset(&d, 0, sizeof d);
	buf_init(&b);
	for (const char *p = in; *p; p++) {
		size_t k = tui_utf8_feed(&d, (unsigned char)*p, cps);

		for (size_t i = 0; i < k; i++) {
			char enc[4];

			buf_add(&b, enc, utf8_encode(cps[i], enc));
		}
	}
	if (flush) {
		size_t k = tui_utf8_flush(&d, cps);

		for (size_t i = 0; i < k; i++) {
			char enc[4];

			buf_add(&b, enc, utf8_encode(cps[i], enc));
		}
	}
	snprintf(out, outsz, "%.*s", (int)b.len, b.data != NULL ? b.data : "");
	buf_free(&b);
}

static void
test_bytes(void)
{
	char out[64];

	/* "Renée" typed in one burst under LANG=C: every byte kept */
	feed_bytes("Ren\xc3\xa9" "e", 0, out, sizeof out);
	CHECK_STR(out, "Renée");
	feed_bytes("\xe7\x8e\x8b\xf0\x9f\x98\x80", 0, out, sizeof out);
	CHECK_STR(out, "王😀");
	/* Latin-1 bytes (not UTF-8) become the characters they name, not nothing */
	feed_bytes("Ren\xe9" "e", 0, out, sizeof out);
	CHECK_STR(out, "Renée");
	feed_bytes("\xc3(", 0, out, sizeof out);
	CHECK_STR(out, "Ã(");
	/* a lead byte at the end of input waits, then is flushed */
	feed_bytes("ab\xc3", 0, out, sizeof out);
	CHECK_STR(out, "ab");
	feed_bytes("ab\xc3", 1, out, sizeof out);
	CHECK_STR(out, "abÃ");
	/* an overlong form is not taken as the character it hides */
	feed_bytes("\xe0\x80\xaf", 0, out, sizeof out);
	CHECK_STR(out, "à\xc2\x80¯");
}

static void
test_paste(const struct ruleset *rs)
{
	struct tui_form f;
	struct buf b;
	size_t dropped;
	const char *s;
	int agency, reported;

	tui_intake_init(&f, rs);
	agency = f.f[IF_REF_AGENCY].choice;
	f.focus = IF_REF_NAME;
	s = "Ann Teacher\r\nSchool\tnurse\ny\n";
	CHECK_EQ(tui_form_paste(&f, s, strlen(s), &dropped), 26);
	CHECK_STR(f.f[IF_REF_NAME].edit.text, "Ann Teacher School nurse y");
	CHECK_EQ(f.focus, IF_REF_NAME);
	CHECK_EQ(f.f[IF_REF_AGENCY].choice, agency);
	CHECK(f.touched);
	/* a narrative keeps its lines */
	f.focus = IF_REPORTED;
	CHECK_EQ(tui_form_typing(&f), 2);
	s = "line one\r\n\r\nline three\n";
	tui_form_paste(&f, s, strlen(s), &dropped);
	CHECK_STR(f.f[IF_REPORTED].edit.text, "line one\n\nline three\n");
	/* Enter makes a new line there, and does not move on */
	CHECK_EQ(tui_key_action(SCR_INTAKE, TK_ENTER, 2), TA_NONE);
	CHECK_EQ(tui_key_action(SCR_INTAKE, TK_ENTER, 1), TA_NEXT_FIELD);
	CHECK_EQ(tui_key_action(SCR_INTAKE, TK_TAB, 2), TA_NEXT_FIELD);
	CHECK_EQ(tui_form_key(&f, TK_ENTER), 1);
	CHECK_EQ(f.focus, IF_REPORTED);
	CHECK_EQ(f.f[IF_REPORTED].edit.len, strlen(s) - 2 + 1);
	/* what does not fit is counted, not lost silently */
	tui_edit_set(&f.f[IF_REPORTED].edit, "");
	buf_init(&b);
	for (int i = 0; i < TUI_NARRATIVE_MAX + 500; i++)
		buf_addc(&b, (char)('a' + i % 26));
	CHECK_EQ(tui_form_paste(&f, b.data, b.len, &dropped), TUI_NARRATIVE_MAX);
	CHECK_EQ(dropped, 500);
	CHECK(tui_edit_full(&f.f[IF_REPORTED].edit));
	buf_free(&b);
	/* nothing goes into a choice */
	f.focus = field(&f, "consent");
	reported = f.f[field(&f, "consent")].choice;
	CHECK_EQ(tui_form_paste(&f, "yes", 3, &dropped), -1);
	CHECK_EQ(f.f[field(&f, "consent")].choice, reported);
	/* nor do letters or Space typed on one: only Left and Right */
	CHECK_EQ(tui_form_key(&f, 'y'), 0);
	CHECK_EQ(tui_form_key(&f, ' '), 0);
	CHECK_EQ(f.f[field(&f, "consent")].choice, reported);
	CHECK_EQ(tui_form_key(&f, TK_RIGHT), 1);
	tui_form_free(&f);
	/* keys inside a paste: Enter a line break, controls left out */
	buf_init(&b);
	tui_paste_add(&b, 'a');
	tui_paste_add(&b, TK_ENTER);
	tui_paste_add(&b, TK_TAB);
	tui_paste_add(&b, TK_F2);
	tui_paste_add(&b, 0x1b);
	tui_paste_add(&b, 0xe9);
	CHECK_EQ(b.len, 5);
	CHECK(memcmp(b.data, "a\n\t\xc3\xa9", 5) == 0);
	buf_free(&b);
}

/* The footer names only the keys the role can use. */
static void
test_hints(void)
{
	struct buf b;
	const char *q = "Enter:open  n:new  /:search  m:sign-off  a:audit  ?:help  q:quit";

	buf_init(&b);
	tui_hints_for_role(SCR_QUEUE, q, 1, ROLE_OFFICER, &b);
	CHECK_STR(b.data, "Enter:open  n:new  /:search  ?:help  q:quit");
	tui_hints_for_role(SCR_QUEUE, q, 1, ROLE_MANAGER, &b);
	CHECK_CONTAINS(b.data, "m:sign-off");
	tui_hints_for_role(SCR_QUEUE, q, 0, ROLE_OFFICER, &b);
	CHECK_STR(b.data, "Enter:open  /:search  ?:help  q:quit");
	tui_hints_for_role(SCR_INTAKE, "F2/^N:pathway  F1/^G:help", 1, ROLE_OFFICER, &b);
	CHECK_STR(b.data, "F2/^N:pathway  F1/^G:help");
	buf_free(&b);
	/* every F-key action has a Ctrl- or letter key too */
	for (size_t i = 0; i < tui_nkeys; i++) {
		const struct tui_key *k = &tui_keys[i];
		int other = 0;

		if (k->key != TK_F1 && k->key != TK_F2 && k->key != TK_F5)
			continue;
		for (size_t j = 0; j < tui_nkeys; j++)
			other |= tui_keys[j].act == k->act && (tui_keys[j].screens & k->screens) ==
			    k->screens && tui_keys[j].key < 0x80;
		if (!other)
			fprintf(stderr, "    %s has no Ctrl- or letter key\n", k->label);
		CHECK(other);
	}
}

/* ---- intake ---- */

/* Times typed and shown in UK time, stored in UTC, across both clock changes. */
static void
test_local_times(struct tui_form *f, char *msg, size_t msgsz)
{
	struct calendar london = { "Europe/London", NULL, 0 };
	char out[32];
	int64_t t;

	/* 09:30 BST in July is 08:30 UTC; a trailing Z says UTC */
	CHECK_EQ(tui_parse_local(&london, "14/07/2026 09:30", &t), 0);
	CHECK_EQ(t, 1784017800);
	CHECK_EQ(tui_parse_local(&london, "2026-07-14 08:30Z", &t), 0);
	CHECK_EQ(t, 1784017800);
	CHECK_EQ(tui_parse_local(NULL, "2026-07-14 08:30", &t), 0);
	CHECK_EQ(t, 1784017800);
	/* the hour skipped on 29 March 2026 does not exist; the repeated one is BST */
	CHECK_EQ(tui_parse_local(&london, "2026-03-29 01:30", &t), -2);
	CHECK_EQ(tui_parse_local(&london, "2026-10-25 01:30", &t), 0);
	CHECK_EQ(t, 1792888200);	/* 00:30 UTC */
	CHECK_EQ(tui_parse_local(&london, "2026-10-25 2:30", &t), -1);
	tui_intake_set_calendar(f, &london);
	CHECK_STR(f->f[IF_RECEIVED].label, "Received (UK time)");
	set_text(f, IF_RECEIVED, "2026-03-29 01:30");
	CHECK_CONTAINS(tui_form_check(f, IF_RECEIVED, msg, msgsz), "no such time in UK time");
	set_text(f, IF_RECEIVED, "now");
	CHECK_EQ(tui_intake_normalise(f, 1784017800), 1);
	CHECK_STR(f->f[IF_RECEIVED].edit.text, "2026-07-14 09:30");
	/* due times in local time; the year instead of the hour half a year away */
	tui_format_due(&london, 1784069999, 1784017800, out, sizeof out);
	CHECK_STR(out, "14 Jul 23:59");
	tui_format_due(&london, 1784069999, 1784017800 + 200 * 86400, out, sizeof out);
	CHECK_STR(out, "14 Jul 2026");
	tui_format_due(&london, 0, 1784017800, out, sizeof out);
	CHECK_STR(out, "-");
	CHECK_STR(tui_zone_label(&london), "UK time");
	CHECK_STR(tui_zone_label(NULL), "UTC");
	tui_intake_set_calendar(f, NULL);
	CHECK_STR(f->f[IF_RECEIVED].label, "Received (UTC)");
}

static void
test_intake(const struct ruleset *rs)
{
	struct tui_form f;
	char msg[200];
	const char *why;
	int64_t t;

	tui_intake_init(&f, rs);
	/*
	 * consent to share and why, consent to early help and why, the young person's
	 * view; the child's NHS number, sex, ethnicity and disability
	 */
	CHECK_EQ(f.n, IF_QUESTIONS + 9);
	CHECK(f.f[field(&f, "share_consent")].required);
	CHECK(!f.f[field(&f, "young_person_view")].required);
	CHECK(f.f[field(&f, "young_person_view")].unknown_ok);
	/* the choices that route a child start unchosen, and are required (marked *) */
	CHECK_EQ(f.f[IF_REF_AGENCY].choice, -1);
	CHECK_EQ(f.f[IF_DISTRICT].choice, -1);
	CHECK_EQ(f.f[field(&f, "consent")].choice, -1);
	CHECK(f.f[IF_REF_AGENCY].required && f.f[field(&f, "consent")].required);
	CHECK(f.f[IF_REF_NAME].required);
	CHECK_STR(tui_form_value(&f, field(&f, "consent")), "");
	CHECK_STR(tui_form_check(&f, field(&f, "consent"), msg, sizeof msg), "select one (Left or Right)");
	/* after a refused step the focus goes to a text field with a problem, never a choice */
	f.focus = IF_REF_NAME;
	tui_form_focus_problem(&f, IF_REF_AGENCY);
	CHECK_EQ(f.focus, IF_REF_NAME);
	tui_form_focus_problem(&f, IF_RECEIVED);
	CHECK_EQ(f.focus, IF_RECEIVED);
	/* consent's reason shows only when it is needed */
	CHECK(f.f[field(&f, "consent_reason")].hidden);
	f.focus = field(&f, "consent");
	CHECK_EQ(tui_form_key(&f, TK_RIGHT), 1);
	CHECK_STR(tui_form_value(&f, field(&f, "consent")), "given");
	CHECK_EQ(tui_form_key(&f, TK_RIGHT), 1);
	CHECK_STR(tui_form_value(&f, field(&f, "consent")), "refused");
	CHECK(f.f[field(&f, "consent_reason")].hidden);
	CHECK_EQ(tui_form_key(&f, 'n'), 0);	/* letters never change a choice */
	CHECK_STR(tui_form_value(&f, field(&f, "consent")), "refused");
	tui_form_key(&f, TK_RIGHT);
	CHECK_STR(tui_form_value(&f, field(&f, "consent")), "not_sought");
	CHECK(!f.f[field(&f, "consent_reason")].hidden);
	tui_form_key(&f, TK_RIGHT);
	CHECK_STR(tui_form_value(&f, field(&f, "consent")), "not_required");
	CHECK(f.touched);
	/* the focus moves over shown fields only */
	tui_form_set_choice(&f, field(&f, "consent"), "given");
	tui_form_set_choice(&f, field(&f, "share_consent"), "given");
	f.relayout(&f);
	f.focus = IF_BASIS;
	CHECK(tui_form_move(&f, 1));
	CHECK_EQ(f.focus, field(&f, "share_consent"));
	CHECK(tui_form_move(&f, 1));
	CHECK_EQ(f.focus, field(&f, "consent"));
	CHECK(tui_form_move(&f, 1));
	CHECK_EQ(f.focus, field(&f, "young_person_view"));
	CHECK(tui_form_move(&f, 1));
	CHECK_EQ(f.focus, field(&f, "child.nhs_number"));
	CHECK(tui_form_move(&f, 1));
	CHECK_EQ(f.focus, field(&f, "child.sex"));
	CHECK(tui_form_move(&f, 1));
	CHECK_EQ(f.focus, field(&f, "child.ethnicity"));
	CHECK(tui_form_move(&f, 1));
	CHECK_EQ(f.focus, field(&f, "child.disability"));
	CHECK(!tui_form_move(&f, 1));
	/* the statutory child fields are optional; ethnicity offers the census codes by name */
	CHECK(!f.f[field(&f, "child.nhs_number")].required);
	CHECK(f.f[field(&f, "child.ethnicity")].unknown_ok);
	CHECK_EQ(f.f[field(&f, "child.ethnicity")].nchoices, 20);
	CHECK_STR(f.f[field(&f, "child.ethnicity")].labels[2], "Traveller of Irish heritage");
	/* an NHS number: ten digits, grouped or not, whose check digit matches */
	set_text(&f, field(&f, "child.nhs_number"), "943 476 5919");
	CHECK(tui_form_check(&f, field(&f, "child.nhs_number"), msg, sizeof msg) == NULL);
	set_text(&f, field(&f, "child.nhs_number"), "9434765918");
	CHECK_CONTAINS(tui_form_check(&f, field(&f, "child.nhs_number"), msg, sizeof msg),
	    "last digit does not check");
	set_text(&f, field(&f, "child.nhs_number"), "943 476 591");
	CHECK_CONTAINS(tui_form_check(&f, field(&f, "child.nhs_number"), msg, sizeof msg),
	    "10 digits");
	set_text(&f, field(&f, "child.nhs_number"), "");
	/* required fields and their checks */
	CHECK_EQ(tui_form_first_invalid(&f), IF_REF_NAME);
	tui_form_set_choice(&f, IF_REF_AGENCY, "anonymous");
	CHECK_EQ(tui_form_first_invalid(&f), IF_RECEIVED);
	set_text(&f, IF_RECEIVED, "2026-13-01 10:00");
	CHECK(tui_form_check(&f, IF_RECEIVED, msg, sizeof msg) != NULL);
	set_text(&f, IF_RECEIVED, "now");
	CHECK(tui_form_check(&f, IF_RECEIVED, msg, sizeof msg) == NULL);
	CHECK_EQ(tui_intake_normalise(&f, 1795194000), 1);	/* 2026-11-20T17:00:00Z */
	CHECK_STR(f.f[IF_RECEIVED].edit.text, "2026-11-20 17:00");
	CHECK_EQ(tui_intake_normalise(&f, 1795194000), 0);
	CHECK_EQ(tui_parse_when("2026-11-20 17:00", &t), 0);
	CHECK_EQ(t, 1795194000);
	CHECK_EQ(tui_parse_when("2026-11-20T17:00:00Z", &t), 0);
	CHECK_EQ(tui_parse_when("2026-11-20", &t), 0);
	CHECK_EQ(tui_parse_when(" 20/11/2026 17:00 ", &t), 0);	/* the UK order too */
	CHECK_EQ(t, 1795194000);
	CHECK_EQ(tui_parse_when("2026-11-20 1700", &t), -1);
	test_local_times(&f, msg, sizeof msg);
	/* a received time in the future is refused */
	f.now = 1795194000;
	set_text(&f, IF_RECEIVED, "20/11/2026 17:01");
	CHECK_CONTAINS(tui_form_check(&f, IF_RECEIVED, msg, sizeof msg), "in the future");
	set_text(&f, IF_RECEIVED, "20/11/2026 17:00");
	CHECK(tui_form_check(&f, IF_RECEIVED, msg, sizeof msg) == NULL);
	CHECK_EQ(tui_form_first_invalid(&f), IF_CHILD_NAME);
	set_text(&f, IF_CHILD_NAME, "Søren Ødegaard");
	CHECK_EQ(tui_form_first_invalid(&f), IF_DISTRICT);
	tui_form_set_choice(&f, IF_DISTRICT, "Gedling");
	CHECK_EQ(tui_form_first_invalid(&f), IF_REPORTED);
	set_text(&f, IF_REPORTED, "short");
	why = tui_form_check(&f, IF_REPORTED, msg, sizeof msg);
	CHECK_CONTAINS(why, "at least 10");
	set_text(&f, IF_REPORTED, "School reports he has been hungry and unkempt for weeks.");
	CHECK_EQ(tui_form_first_invalid(&f), -1);
	/* optional fields are still checked when filled in */
	set_text(&f, IF_REF_CONTACT, "not a number");
	CHECK_EQ(tui_form_first_invalid(&f), IF_REF_CONTACT);
	set_text(&f, IF_REF_CONTACT, "duty@school.example.org");
	CHECK(tui_form_check(&f, IF_REF_CONTACT, msg, sizeof msg) == NULL);
	set_text(&f, IF_REF_CONTACT, "+44 115 496 0000");
	CHECK(tui_form_check(&f, IF_REF_CONTACT, msg, sizeof msg) == NULL);
	set_text(&f, IF_CASE_ID, "D-000019");
	CHECK(tui_form_check(&f, IF_CASE_ID, msg, sizeof msg) == NULL);
	set_text(&f, IF_CASE_ID, "D 19;");
	CHECK(tui_form_check(&f, IF_CASE_ID, msg, sizeof msg) != NULL);
	set_text(&f, IF_CASE_ID, "");
	/* date of birth or age */
	CHECK_EQ(tui_age_from("9", 0, &why), 9);
	CHECK_EQ(tui_age_from("26", 0, &why), -1);
	CHECK(why != NULL);
	CHECK_EQ(tui_age_from("2015-11-21", 1795194000, &why), 10);	/* birthday tomorrow */
	CHECK_EQ(tui_age_from("2015-11-20", 1795194000, &why), 11);
	CHECK_EQ(tui_age_from("2027-01-01", 1795194000, &why), -1);
	CHECK_CONTAINS(why, "after");
	CHECK_EQ(tui_age_from("", 1795194000, &why), -1);
	CHECK(why == NULL);
	set_text(&f, IF_DOB_AGE, "2015-02-30");
	CHECK(tui_form_check(&f, IF_DOB_AGE, msg, sizeof msg) != NULL);
	set_text(&f, IF_DOB_AGE, "2015-06-01");
	CHECK(tui_form_check(&f, IF_DOB_AGE, msg, sizeof msg) == NULL);
	set_text(&f, IF_DOB_AGE, "01/06/2015");
	CHECK(tui_form_check(&f, IF_DOB_AGE, msg, sizeof msg) == NULL);
	CHECK_EQ(tui_age_from("14/05/2019", 1795194000, &why), 7);
	set_text(&f, IF_DOB_AGE, "31/06/2015");
	CHECK(tui_form_check(&f, IF_DOB_AGE, msg, sizeof msg) != NULL);
	/* the referrer's name is required unless the referrer is anonymous */
	tui_form_set_choice(&f, IF_REF_AGENCY, "school");
	CHECK_EQ(tui_form_first_invalid(&f), IF_REF_NAME);
	/* typing into a field marks the form changed; a choice field is not a text field */
	f.focus = IF_REF_NAME;
	f.changed = 0;
	CHECK(tui_form_typing(&f));
	type(&f, "Mrs Ada Lovelace");
	CHECK(f.changed);
	CHECK_STR(f.f[IF_REF_NAME].edit.text, "Mrs Ada Lovelace");
	f.focus = IF_REF_AGENCY;
	CHECK(!tui_form_typing(&f));
	tui_form_free(&f);
}

/* Another council's form: its districts, agencies and questions, each of its fact's kind. */
static void
test_intake_profile(void)
{
	struct ruleset *ws = load_rules(FD_SOURCE_TESTS "/screen/rules/westshire.yaml");
	struct tui_form f;
	struct case_facts cf;
	struct decision dec;
	struct buf b;
	char msg[200], *cause = NULL;
	size_t agree, why, missing, unborn, expected, worker;

	tui_intake_init(&f, ws);
	/* its districts, and a way to say none of them */
	CHECK_EQ(f.f[IF_DISTRICT].nchoices, 4);
	CHECK_STR(f.f[IF_DISTRICT].choices[0], "Northgate");
	CHECK_STR(f.f[IF_DISTRICT].labels[3], "Unknown or out of area");
	/* its agencies by their labels; the one coded 9 needs no referrer's name */
	CHECK_EQ(f.f[IF_REF_AGENCY].nchoices, 5);
	CHECK_STR(f.f[IF_REF_AGENCY].labels[0], "Westshire Constabulary");
	CHECK_EQ(f.f[IF_REF_AGENCY].choice, -1);
	tui_form_set_choice(&f, IF_REF_AGENCY, "unnamed");
	CHECK(!f.f[IF_REF_NAME].required);
	tui_form_set_choice(&f, IF_REF_AGENCY, "gp");
	CHECK(f.f[IF_REF_NAME].required);
	/* the questions in the profile's order, named by their facts */
	agree = field(&f, "consent");
	why = field(&f, "consent_reason");
	missing = field(&f, "child.missing_90d");
	unborn = field(&f, "child.unborn");
	expected = field(&f, "child.expected");
	worker = field(&f, "family.allocated_sw");
	CHECK_EQ(agree, IF_QUESTIONS);
	CHECK(agree < why && why < missing && missing < unborn && unborn < expected &&
	    expected < worker);
	CHECK_EQ(f.n, IF_QUESTIONS + 6);
	/* a choice of listed values, by their labels, required, with its help */
	CHECK_STR(f.f[agree].label, "Agreement");
	CHECK_STR(f.f[agree].labels[2], "Not asked (say why)");
	CHECK(f.f[agree].required);
	CHECK_CONTAINS(f.f[agree].help, "agreed to the referral");
	CHECK_STR(tui_form_check(&f, agree, msg, sizeof msg), "select one (Left or Right)");
	CHECK(f.f[why].hidden);
	tui_form_set_choice(&f, agree, "not_asked");
	CHECK(!f.f[why].hidden);
	CHECK_STR(f.f[why].label, "Why (agreement)");
	/* a whole number within the fact's range */
	CHECK_EQ(f.f[missing].kind, FK_TEXT);
	CHECK(!f.f[missing].required);
	set_text(&f, missing, "lots");
	CHECK_STR(tui_form_check(&f, missing, msg, sizeof msg), "a whole number from 0 to 99");
	set_text(&f, missing, "100");
	CHECK(tui_form_check(&f, missing, msg, sizeof msg) != NULL);
	set_text(&f, missing, "2.5");
	CHECK(tui_form_check(&f, missing, msg, sizeof msg) != NULL);
	set_text(&f, missing, " 4 ");
	CHECK(tui_form_check(&f, missing, msg, sizeof msg) == NULL);
	/* yes or no, which may go back to not known since it is not required */
	CHECK_EQ(f.f[unborn].kind, FK_CHOICE);
	CHECK_EQ(f.f[unborn].choice, -1);
	CHECK(tui_form_check(&f, unborn, msg, sizeof msg) == NULL);
	f.focus = unborn;
	tui_form_key(&f, TK_RIGHT);
	CHECK_STR(f.f[unborn].labels[f.f[unborn].choice], "Yes");
	tui_form_key(&f, TK_RIGHT);
	tui_form_key(&f, TK_RIGHT);
	CHECK_EQ(f.f[unborn].choice, -1);
	tui_form_key(&f, TK_LEFT);
	tui_form_key(&f, TK_LEFT);
	CHECK_STR(tui_form_value(&f, unborn), "true");
	/* a date, written as YYYY-MM-DD */
	set_text(&f, expected, "31/02/2027");
	CHECK_STR(tui_form_check(&f, expected, msg, sizeof msg), "a date DD/MM/YYYY or YYYY-MM-DD");
	set_text(&f, expected, "3/2/2027");
	CHECK(tui_form_check(&f, expected, msg, sizeof msg) == NULL);
	tui_form_set_choice(&f, worker, "true");
	/* the case: each answer at its path, in objects shared with the form's own fields */
	set_text(&f, IF_CHILD_NAME, "Baby Ortiz");
	set_text(&f, why, "Mother in hospital");
	buf_init(&b);
	tui_case_json(&f, "C-9", ws, NULL, &b);
	CHECK_STR(b.data, "{\"case_id\":\"C-9\",\"child\":{\"name\":\"Baby Ortiz\","
	    "\"missing_90d\":4,\"unborn\":true,\"expected\":\"2027-02-03\"},\"referrer\":"
	    "{\"agency\":\"gp\"},\"how_received\":\"phone\",\"reported\":{\"basis\":"
	    "\"reported\"},\"consent\":\"not_asked\",\"consent_reason\":\"Mother in hospital\","
	    "\"family\":{\"allocated_sw\":true},\"indicators\":[]}");
	/* which its rules read: missing four times fires the rule on it */
	case_init(&cf, ws);
	CHECK_EQ(case_parse(&cf, b.data, b.len, &cause), 0);
	CHECK_EQ(engine_decide(ws, &cf, &dec, NULL), 0);
	CHECK_STR(ws->rules[dec.rule].id, "missing_often");
	case_free(&cf);
	/* left blank, nothing is written */
	set_text(&f, missing, "");
	f.f[unborn].choice = -1;
	tui_case_json(&f, "C-9", ws, NULL, &b);
	CHECK(strstr(b.data, "missing_90d") == NULL && strstr(b.data, "unborn") == NULL);
	free(cause);
	buf_free(&b);
	tui_form_free(&f);
	/* without a form list, every declared fact is asked, but not those worked out from the log */
	{
		struct ruleset *h = load_rules(FD_SOURCE_TESTS "/store/data/history.yaml");

		tui_intake_init(&f, h);
		CHECK(tui_form_find(&f, "history.cp_plan") >= 0);
		CHECK_EQ(tui_form_find(&f, "history.contacts"), -1);
		CHECK_EQ(tui_form_find(&f, "history.months_since_closure"), -1);
		tui_form_free(&f);
		rules_free(h);
	}
	/* with no rule set, the district and the agency are text and nothing more is asked */
	tui_intake_init(&f, NULL);
	CHECK_EQ(f.n, IF_QUESTIONS);
	CHECK_EQ(f.f[IF_DISTRICT].kind, FK_TEXT);
	CHECK_EQ(f.f[IF_REF_AGENCY].kind, FK_TEXT);
	tui_form_free(&f);
	rules_free(ws);
}

static void
fill_intake(struct tui_form *f, const struct ruleset *rs)
{
	tui_intake_init(f, rs);
	set_text(f, IF_REF_NAME, "Dr Jane \"JJ\" Okoro");
	tui_form_set_choice(f, IF_REF_AGENCY, "health");
	set_text(f, IF_RECEIVED, "2026-11-20 09:30");
	set_text(f, IF_CHILD_NAME, "Zoë Brontë");
	set_text(f, IF_DOB_AGE, "2015-06-01");
	tui_form_set_choice(f, IF_DISTRICT, "Gedling");
	set_text(f, IF_REPORTED, "Bruising seen on the child's arm at a GP visit.");
	tui_form_set_choice(f, field(f, "consent"), "not_sought");
	f->relayout(f);
	set_text(f, field(f, "consent_reason"), "Seeking it would raise the risk");
}

static void
test_case_json_and_drafts(struct ruleset *rs)
{
	struct tui_form in, in2, dec, dec2;
	struct case_facts cf;
	unsigned char *sel = xcalloc(rs->nindicators, 1), *sel2 = xcalloc(rs->nindicators, 1);
	struct buf b, b2;
	char *cause = NULL, desc[200];
	int ind = rules_find_indicator(rs, "par.l4_01", 9);

	buf_init(&b);
	buf_init(&b2);
	fill_intake(&in, rs);
	CHECK(ind >= 0);
	sel[ind] = 1;
	tui_case_json(&in, "C-1", rs, sel, &b);
	CHECK_CONTAINS(b.data, "\"case_id\":\"C-1\"");
	CHECK_CONTAINS(b.data, "\"received\":\"2026-11-20T09:30:00Z\"");
	CHECK_CONTAINS(b.data, "\"age\":11");
	CHECK_CONTAINS(b.data, "\"name\":\"Zoë Brontë\"");
	CHECK_CONTAINS(b.data, "\"consent\":\"not_sought\"");
	CHECK_CONTAINS(b.data, "\"consent_reason\":");
	CHECK_CONTAINS(b.data, "\\\"JJ\\\"");
	CHECK_CONTAINS(b.data, "\"indicators\":[\"par.l4_01\"]");
	CHECK_CONTAINS(b.data, "\"dob\":\"2015-06-01\"");
	CHECK(strstr(b.data, "nhs_number") == NULL);	/* blank: not written */
	/* an NHS number typed in groups is written as its ten digits, beside the child's */
	set_text(&in, field(&in, "child.nhs_number"), " 943 476 5919 ");
	tui_form_set_choice(&in, field(&in, "child.ethnicity"), "WIRT");
	tui_form_set_choice(&in, field(&in, "child.disability"), "true");
	tui_case_json(&in, "C-1", rs, sel, &b);
	CHECK_CONTAINS(b.data, "\"nhs_number\":\"9434765919\"");
	CHECK_CONTAINS(b.data, "\"ethnicity\":\"WIRT\"");
	CHECK_CONTAINS(b.data, "\"disability\":true");
	case_init(&cf, rs);
	CHECK_EQ(case_parse(&cf, b.data, b.len, &cause), 0);
	free(cause);
	cause = NULL;
	case_free(&cf);
	/* a date of birth typed the UK way is recorded as YYYY-MM-DD */
	set_text(&in, IF_DOB_AGE, "1/6/2015");
	tui_case_json(&in, "C-1", rs, sel, &b);
	CHECK_CONTAINS(b.data, "\"dob\":\"2015-06-01\"");
	CHECK_CONTAINS(b.data, "\"age\":11");
	set_text(&in, IF_DOB_AGE, "2015-06-01");
	case_init(&cf, rs);
	CHECK_EQ(case_parse(&cf, b.data, b.len, &cause), 0);
	free(cause);
	case_free(&cf);
	/* a draft keeps the whole journey: fields, ticks and the decision */
	tui_decision_init(&dec, rs);
	dec.f[DF_CHOICE].choice = 1;
	set_text(&dec, DF_RATIONALE, "Seen by the GP; mother gave a credible account.");
	dec.touched = 1;
	tui_draft_write(&in, rs, sel, &dec, &b2);
	tui_intake_init(&in2, rs);
	tui_decision_init(&dec2, rs);
	CHECK_EQ(tui_draft_read(b2.data, b2.len, &in2, rs, sel2, &dec2), 0);
	CHECK_STR(in2.f[IF_CHILD_NAME].edit.text, "Zoë Brontë");
	CHECK_STR(in2.f[IF_REF_NAME].edit.text, "Dr Jane \"JJ\" Okoro");
	CHECK_STR(tui_form_value(&in2, field(&in2, "consent")), "not_sought");
	CHECK(!in2.f[field(&in2, "consent_reason")].hidden);
	CHECK_STR(in2.f[field(&in2, "consent_reason")].edit.text, "Seeking it would raise the risk");
	CHECK(sel2[ind]);
	CHECK_EQ(dec2.f[DF_CHOICE].choice, 1);
	CHECK_STR(dec2.f[DF_RATIONALE].edit.text, "Seen by the GP; mother gave a credible account.");
	tui_draft_describe(b2.data, b2.len, desc, sizeof desc);
	CHECK_CONTAINS(desc, "Zoë Brontë");
	CHECK_CONTAINS(desc, "2026-11-20 09:30");
	CHECK_EQ(tui_draft_read("{not json", 9, &in2, rs, sel2, &dec2), -1);
	tui_draft_describe("{not json", 9, desc, sizeof desc);
	CHECK_CONTAINS(desc, "unreadable");
	tui_form_free(&in);
	tui_form_free(&in2);
	tui_form_free(&dec);
	tui_form_free(&dec2);
	free(sel);
	free(sel2);
	buf_free(&b);
	buf_free(&b2);
}

/* ---- pathway and decision ---- */

static void
test_pathway(struct ruleset *rs)
{
	struct tui_pathway p;
	struct tui_form in;
	struct buf b;
	size_t all;
	int ind;

	buf_init(&b);
	fill_intake(&in, rs);
	tui_pathway_init(&p, rs);
	all = p.nvisible;
	CHECK_EQ(all, rs->nindicators);
	/* ordered by domain, then level; the strengths (no level) after every need */
	for (size_t k = 1; k < p.norder; k++) {
		const struct indicator_def *x = &rs->indicators[p.order[k - 1]];
		const struct indicator_def *y = &rs->indicators[p.order[k]];

		if (y->strength)
			continue;
		CHECK(!x->strength);
		CHECK(x->domain < y->domain || (x->domain == y->domain && x->level <= y->level));
	}
	tui_pathway_evaluate(&p, &in, "C-1");
	CHECK(p.have_dec);
	CHECK_EQ(p.dec.route, ROUTE_UNIVERSAL);
	/* typing filters; the cursor stays on a shown indicator */
	tui_edit_set(&p.filter, "NON-ACCIDENTAL");
	tui_pathway_filter(&p);
	CHECK(p.nvisible >= 1 && p.nvisible < all);
	ind = tui_pathway_current(&p);
	CHECK(ind >= 0);
	CHECK(tui_pathway_toggle(&p));
	CHECK_EQ(p.nselected, 1);
	tui_pathway_evaluate(&p, &in, "C-1");
	CHECK(p.have_dec);
	CHECK_EQ(p.dec.route, ROUTE_MASH);
	CHECK_STR(rs->rules[p.dec.rule].id, "safeguarding_concern");
	tui_pathway_why(&p, &b);
	CHECK_CONTAINS(b.data, "safeguarding");
	CHECK_CONTAINS(b.data, "holds");
	/* what would change it: taking the need away */
	tui_pathway_changes_text(&p, 5, &b);
	CHECK_CONTAINS(b.data, "without");
	{
		char note[200];

		CHECK_STR(tui_consent_note(&p, "not_sought", note, sizeof note),
		    "Not sought (say why); the reason goes with the referral.");
		CHECK_STR(tui_consent_note(&p, "refused", note, sizeof note),
		    "Refused; a safeguarding referral does not depend on it.");
	}
	/* clearing the filter shows everything again, cursor kept on the same indicator */
	tui_edit_set(&p.filter, "");
	tui_pathway_filter(&p);
	CHECK_EQ(p.nvisible, all);
	CHECK_EQ(tui_pathway_current(&p), ind);
	tui_pathway_move(&p, 1000, 10);
	CHECK_EQ(p.cursor, all - 1);
	CHECK_EQ(p.top, all - 10);
	tui_pathway_move(&p, -1000, 10);
	CHECK_EQ(p.cursor, 0);
	CHECK_EQ(p.top, 0);
	/* a case the rules cannot take is an error, not a silent route */
	set_text(&in, IF_DOB_AGE, "");
	tui_form_set_choice(&in, field(&in, "consent"), "given");
	tui_pathway_evaluate(&p, &in, "C-1");
	CHECK(p.have_dec);
	tui_pathway_free(&p);
	tui_form_free(&in);
	buf_free(&b);
}

static void
test_decision(struct ruleset *rs)
{
	struct tui_pathway p;
	struct tui_form in, d;
	struct route_decision rd;
	char msg[200], **lines;
	const char *why;
	size_t n;

	fill_intake(&in, rs);
	tui_pathway_init(&p, rs);
	p.selected[rules_find_indicator(rs, "par.l4_01", 9)] = 1;
	tui_pathway_recount(&p);
	tui_pathway_evaluate(&p, &in, "C-9");
	CHECK_EQ(p.dec.route, ROUTE_MASH);
	tui_decision_init(&d, rs);
	tui_decision_update(&d, ROUTE_MASH);
	CHECK(d.f[DF_ROUTE].hidden);
	CHECK(!d.f[DF_STRATEGY].hidden);	/* MASH: say whether a strategy discussion is needed */
	/* accept or override is chosen by the person, never by default */
	CHECK_EQ(d.f[DF_CHOICE].choice, -1);
	CHECK_EQ(tui_form_first_invalid(&d), DF_CHOICE);
	d.focus = DF_CHOICE;
	CHECK_EQ(tui_form_key(&d, 'y'), 0);
	CHECK_EQ(tui_form_key(&d, TK_RIGHT), 1);
	CHECK_EQ(d.f[DF_CHOICE].choice, 0);
	CHECK_EQ(tui_form_first_invalid(&d), DF_STRATEGY);
	CHECK_EQ(d.f[DF_STRATEGY].choice, -1);
	d.f[DF_STRATEGY].choice = 0;	/* yes */
	CHECK_EQ(tui_form_first_invalid(&d), DF_FEEDBACK);
	set_text(&d, DF_FEEDBACK, "Told the GP the MASH decides today.");
	CHECK_EQ(tui_form_first_invalid(&d), -1);
	tui_decision_fill(&d, ROUTE_MASH, p.facts.data, p.facts.len, &rd);
	CHECK_EQ(rd.final_route, -1);
	CHECK_EQ(rd.strategy_discussion, 1);
	CHECK_EQ(rd.urgency, -1);
	CHECK(rd.rationale == NULL);
	/* an override: another route, and a rationale of some length */
	d.focus = DF_CHOICE;
	tui_form_key(&d, TK_RIGHT);
	CHECK_EQ(d.f[DF_CHOICE].choice, 1);
	CHECK(!d.f[DF_ROUTE].hidden);
	CHECK(d.f[DF_ROUTE].choice != ROUTE_MASH);
	CHECK(d.f[DF_STRATEGY].hidden);		/* no longer the MASH */
	CHECK_EQ(tui_form_first_invalid(&d), DF_RATIONALE);
	set_text(&d, DF_RATIONALE, "too short");
	why = tui_form_check(&d, DF_RATIONALE, msg, sizeof msg);
	CHECK_CONTAINS(why, "8 of the 20");
	set_text(&d, DF_RATIONALE, "Explained at the GP visit; photos reviewed with a paediatrician.");
	CHECK_EQ(tui_form_first_invalid(&d), -1);
	d.f[DF_ROUTE].choice = ROUTE_MASH;
	CHECK_EQ(tui_form_first_invalid(&d), DF_ROUTE);	/* overriding to the same route */
	d.f[DF_ROUTE].choice = ROUTE_TARGETED_EARLY_HELP;
	d.f[DF_URGENCY].choice = 2;
	tui_decision_fill(&d, ROUTE_MASH, p.facts.data, p.facts.len, &rd);
	CHECK_EQ(rd.final_route, ROUTE_TARGETED_EARLY_HELP);
	CHECK_EQ(rd.urgency, URGENCY_AMBER);
	CHECK_EQ(rd.strategy_discussion, -1);
	CHECK(rd.rationale != NULL);
	CHECK_EQ(tui_decision_final(&d, ROUTE_MASH), ROUTE_TARGETED_EARLY_HELP);
	/* the confirm step shows what will be logged */
	tui_decision_preview(&d, &p, "a.khan", "officer", &lines, &n);
	CHECK(has_line(lines, n, "override"));
	CHECK(has_line(lines, n, "C-9"));
	CHECK(has_line(lines, n, "a.khan (officer)"));
	CHECK(has_line(lines, n, "safeguarding_concern"));
	CHECK(has_line(lines, n, "targeted_early_help (level 3)"));
	CHECK(has_line(lines, n, "photos reviewed"));
	CHECK(has_line(lines, n, rs->hash));
	CHECK(has_line(lines, n, "\"indicators\":[\"par.l4_01\"]"));
	CHECK(has_line(lines, n, "sign-off"));
	CHECK(!has_line(lines, n, "then closed"));
	tui_lines_free(lines, n);
	CHECK(d.f[DF_CLOSE].hidden);
	/* overridden to Universal, the contact may be closed as it is decided: closures only */
	d.f[DF_ROUTE].choice = ROUTE_UNIVERSAL;
	tui_decision_update(&d, ROUTE_MASH);
	CHECK(!d.f[DF_CLOSE].hidden);
	CHECK_STR(tui_form_value(&d, DF_CLOSE), "open");	/* left open unless chosen */
	tui_decision_fill(&d, ROUTE_MASH, p.facts.data, p.facts.len, &rd);
	CHECK(rd.close_code == NULL);
	for (size_t k = 1; k < d.f[DF_CLOSE].nchoices; k++)
		CHECK(strcmp(d.f[DF_CLOSE].choices[k], "allocated") != 0);
	d.focus = DF_CLOSE;
	tui_form_key(&d, TK_RIGHT);
	CHECK_STR(tui_form_value(&d, DF_CLOSE), "needs_met");
	tui_decision_fill(&d, ROUTE_MASH, p.facts.data, p.facts.len, &rd);
	CHECK_STR(rd.close_code, "needs_met");
	tui_decision_preview(&d, &p, "a.khan", "officer", &lines, &n);
	CHECK(has_line(lines, n, "then closed"));
	CHECK(has_line(lines, n, "needs_met (Needs met)"));
	tui_lines_free(lines, n);
	/* back to another route: the choice no longer applies */
	d.f[DF_ROUTE].choice = ROUTE_EARLY_HELP_UNIT;
	tui_decision_update(&d, ROUTE_MASH);
	CHECK(d.f[DF_CLOSE].hidden);
	tui_decision_fill(&d, ROUTE_MASH, p.facts.data, p.facts.len, &rd);
	CHECK(rd.close_code == NULL);
	tui_form_free(&d);
	tui_form_free(&in);
	tui_pathway_free(&p);
}

static void
test_outcome_signoff(void)
{
	/* a rule set listing no outcome codes offers those of earlier versions */
	struct ruleset *ws = load_rules(FD_SOURCE_TESTS "/store/data/history.yaml");
	struct tui_form f;
	char msg[200];

	tui_outcome_init(&f, OM_OUTCOME, ws);
	CHECK(!f.f[OF_CODE].hidden);
	CHECK_EQ(tui_form_first_invalid(&f), -1);	/* notes are optional on a closure */
	CHECK_EQ(tui_outcome_action(&f), ACT_OUTCOME);
	CHECK_STR(tui_form_value(&f, OF_CODE), "needs_met");
	f.focus = OF_CODE;
	tui_form_key(&f, TK_LEFT);
	CHECK_STR(tui_form_value(&f, OF_CODE), "stepped_up");
	f.focus = OF_MODE;
	tui_form_key(&f, TK_RIGHT);
	CHECK_EQ(tui_outcome_mode(&f), OM_STEP_UP);
	CHECK(f.f[OF_CODE].hidden);
	CHECK_EQ(tui_outcome_action(&f), ACT_STEP);
	/* a step-up asks its urgency first, refused in core's words (the command line's) */
	CHECK(!f.f[OF_URGENCY].hidden);
	CHECK_EQ(tui_form_first_invalid(&f), OF_URGENCY);
	CHECK_CONTAINS(tui_form_check(&f, OF_URGENCY, msg, sizeof msg),
	    "a step-up needs its urgency (red, amber or green)");
	CHECK_EQ(tui_outcome_urgency(&f), URGENCY_NONE);
	f.focus = OF_URGENCY;
	tui_form_key(&f, TK_LEFT);
	CHECK_STR(tui_form_value(&f, OF_URGENCY), "red");
	CHECK_EQ(tui_outcome_urgency(&f), URGENCY_RED);
	CHECK_EQ(tui_form_first_invalid(&f), OF_NOTE);	/* a step needs a rationale */
	set_text(&f, OF_NOTE, "Police report a second incident this week at home.");
	CHECK_EQ(tui_form_first_invalid(&f), -1);
	/* a step-down has none */
	f.focus = OF_MODE;
	tui_form_key(&f, TK_RIGHT);
	CHECK_EQ(tui_outcome_mode(&f), OM_STEP_DOWN);
	CHECK(f.f[OF_URGENCY].hidden);
	CHECK_EQ(tui_outcome_urgency(&f), URGENCY_NONE);
	CHECK_EQ(tui_form_first_invalid(&f), -1);
	tui_form_free(&f);
	rules_free(ws);

	tui_signoff_init(&f);
	CHECK(tui_signoff_approve(&f));
	CHECK_EQ(tui_form_first_invalid(&f), -1);
	f.f[SF_VERDICT].choice = 1;
	CHECK(!tui_signoff_approve(&f));
	CHECK_EQ(tui_form_first_invalid(&f), SF_COMMENT);
	CHECK_CONTAINS(tui_form_check(&f, SF_COMMENT, msg, sizeof msg), "0 of the 20");
	set_text(&f, SF_COMMENT, "Please add the police history to the rationale.");
	CHECK_EQ(tui_form_first_invalid(&f), -1);
	tui_form_free(&f);
}

/* ---- queue ---- */

struct fake_queue {
	uint64_t top;		/* rows have keys top, top-1, ..., 1 */
	int calls;
	size_t rows_read_newer;	/* by the last read towards the newest */
};

static void
fake_row(struct queue_row *row, uint64_t k)
{
	memset(row, 0, sizeof *row);
	row->seq = k;
	row->key = k;
	row->route = (int)(k % ROUTE_COUNT);
	snprintf(row->case_id, sizeof row->case_id, "C-%llu", (unsigned long long)k);
}

/* Rows newer than `after`, oldest first. */
static int
fake_fetch_newer(struct fake_queue *q, const struct queue_filter *f, uint64_t after,
    struct queue_row *rows, size_t n, int *more)
{
	uint64_t k = after + 1;
	size_t got = 0;

	q->rows_read_newer = 0;
	for (; k <= q->top && got < n; k++)
		if (f->route < 0 || (int)(k % ROUTE_COUNT) == f->route) {
			fake_row(&rows[got++], k);
			q->rows_read_newer++;
		}
	*more = 0;
	for (; k <= q->top; k++)
		if (f->route < 0 || (int)(k % ROUTE_COUNT) == f->route) {
			*more = 1;
			break;
		}
	return (int)got;
}

static int
fake_fetch(void *arg, const struct queue_filter *f, uint64_t before, int newer,
    struct queue_row *rows, size_t n, int *more, char **cause)
{
	struct fake_queue *q = arg;
	uint64_t k = before == 0 ? q->top : before - 1;
	size_t got = 0;

	(void)cause;
	q->calls++;
	if (newer)
		return fake_fetch_newer(q, f, before, rows, n, more);
	for (; k >= 1 && got < n; k--) {
		if (f->route >= 0 && (int)(k % ROUTE_COUNT) != f->route)
			continue;
		fake_row(&rows[got++], k);
	}
	*more = 0;
	for (; k >= 1; k--)
		if (f->route < 0 || (int)(k % ROUTE_COUNT) == f->route) {
			*more = 1;
			break;
		}
	return (int)got;
}

static void
test_queue(const struct ruleset *rs)
{
	struct fake_queue fq = { 100, 0, 0 };
	struct tui_queue q;
	char *cause = NULL;

	tui_queue_init(&q, fake_fetch, &fq);
	CHECK_EQ(tui_queue_reload(&q, 10, &cause), 0);
	CHECK_EQ(q.nrows, 10);
	CHECK(q.more);
	CHECK_EQ(q.rows[0].seq, 100);
	CHECK_EQ(tui_queue_current(&q)->seq, 100);
	/* down to the bottom of the page, then one more scrolls by one row */
	tui_queue_move(&q, 9, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 91);
	tui_queue_move(&q, 1, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 90);
	CHECK_EQ(q.rows[0].seq, 99);
	CHECK_EQ(q.cursor, 9);
	CHECK_EQ(q.position, 1);
	/* a page down and back up returns to the same rows */
	tui_queue_move(&q, 10, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 80);
	tui_queue_move(&q, -10, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 90);
	tui_queue_move(&q, -9, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 99);
	tui_queue_move(&q, -1, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 100);
	CHECK_EQ(q.position, 0);
	tui_queue_move(&q, -5, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 100);
	/* the bottom, read from the oldest side: one page, nothing above it */
	fq.calls = 0;
	CHECK_EQ(tui_queue_bottom(&q, &cause), 0);
	CHECK_EQ(tui_queue_current(&q)->seq, 1);
	CHECK(!q.more);
	CHECK(fq.calls <= 2);
	CHECK_EQ(fq.rows_read_newer, 10);
	CHECK_EQ(tui_queue_row_number(&q, 100), 100);
	CHECK_EQ(tui_queue_row_number(&q, 0), 0);	/* not known without the total */
	tui_queue_move(&q, 5, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 1);
	/* and back up past the page, reading only the rows above it */
	tui_queue_move(&q, -12, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 13);
	CHECK_EQ(fq.rows_read_newer, 3);
	CHECK_EQ(tui_queue_row_number(&q, 100), 88);
	tui_queue_move(&q, 1, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 12);
	tui_queue_move(&q, 12, &cause);			/* down again, to the end */
	CHECK_EQ(tui_queue_current(&q)->seq, 1);
	CHECK(!q.more);
	tui_queue_move(&q, -95, &cause);		/* up to within reach of the top */
	tui_queue_move(&q, -10, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 100);
	CHECK_EQ(tui_queue_row_number(&q, 100), 1);
	CHECK(!q.from_bottom);
	CHECK_EQ(tui_queue_top(&q, &cause), 0);
	CHECK_EQ(tui_queue_current(&q)->seq, 100);
	/* only the rows on screen are read */
	fq.calls = 0;
	tui_queue_move(&q, 3, &cause);
	CHECK_EQ(fq.calls, 0);
	/* filters start again from the newest */
	tui_queue_cycle_route(&q);
	CHECK_EQ(q.route, 0);
	tui_queue_restart(&q, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 100);
	tui_queue_cycle_route(&q);
	tui_queue_restart(&q, &cause);
	CHECK_EQ(tui_queue_current(&q)->seq, 97);
	for (int i = 0; i < 3; i++)
		tui_queue_cycle_route(&q);
	CHECK_EQ(q.route, -1);
	tui_queue_cycle_district(&q, rs);
	CHECK_EQ(q.district, 0);
	{
		struct queue_filter f;

		snprintf(q.search, sizeof q.search, "zoe");
		tui_queue_filter(&q, &f);
		CHECK_STR(f.district, "Ashfield");
		CHECK_STR(f.search, "zoe");
		CHECK_EQ(f.route, -1);
	}
	tui_queue_free(&q);
}

static void
test_age_and_clock(void)
{
	char out[32];

	tui_format_age(1000, 1000 + 59 * 60, out, sizeof out);
	CHECK_STR(out, "59m");
	tui_format_age(1000, 1000 + 5 * 3600 + 10, out, sizeof out);
	CHECK_STR(out, "5h");
	tui_format_age(1000, 1000 + 2 * 86400 + 4 * 3600, out, sizeof out);
	CHECK_STR(out, "2d 4h");
	tui_format_age(1000, 1000 + 15 * 86400, out, sizeof out);
	CHECK_STR(out, "15d");
	tui_format_age(0, 1000, out, sizeof out);
	CHECK_STR(out, "-");
	tui_format_age(2000, 1000, out, sizeof out);
	CHECK_STR(out, "future");
	setenv("FRONTDOOR_NOW", "2026-11-20T17:00:00Z", 1);
	CHECK_EQ(tui_display_now(), 1795194000);
	setenv("FRONTDOOR_NOW", "2026-11-20 17:00", 1);
	CHECK_EQ(tui_display_now(), 1795194000);
	setenv("FRONTDOOR_NOW", "garbage", 1);
	CHECK(tui_display_now() > 1795194000 - 10 * 365 * 86400LL);
	unsetenv("FRONTDOOR_NOW");
}

static void
test_lists(void)
{
	struct tui_list l = { 0, 0, 0 };

	tui_list_set_count(&l, 50, 10);
	tui_list_move(&l, 15, 10);
	CHECK_EQ(l.cursor, 15);
	CHECK_EQ(l.top, 6);
	tui_list_move(&l, -100, 10);
	CHECK_EQ(l.cursor, 0);
	CHECK_EQ(l.top, 0);
	tui_list_set_count(&l, 0, 10);
	CHECK_EQ(l.cursor, 0);
}

/* ---- case history and audit ---- */

static void
test_case_lines(void)
{
	struct record r;
	struct tui_case_entry e[2];
	static const char facts[] = "{\"case_id\":\"C-1\",\"received\":\"2026-11-20T09:30:00Z\","
	    "\"child\":{\"name\":\"Evil\\u001b[2Jname\",\"age\":4,\"district\":\"Gedling\"},"
	    "\"consent\":\"given\",\"indicators\":[\"dev.l2_01\"]}";
	static const char detail[] = "{\"urgency\":\"green\",\"feedback\":\"Rang back.\"}";
	char **lines;
	size_t n, starts[2];

	memset(&r, 0, sizeof r);
	r.seq = 7;
	r.time = 1795194000;
	r.kind = KIND_OVERRIDE;
	r.rec_route = ROUTE_EARLY_HELP_UNIT;
	r.route = ROUTE_MASH;
	r.level = 4;
	r.actor = (struct rbytes){ "a.khan", 6 };
	r.role = (struct rbytes){ "officer", 7 };
	r.case_id = (struct rbytes){ "C-1", 3 };
	r.rule = (struct rbytes){ "additional_needs", 16 };
	r.rationale = (struct rbytes){ "Mum\x1b]0;owned\x07 says \xe2\x80\xae reversed", 30 };
	r.facts = (struct rbytes){ facts, sizeof facts - 1 };
	r.detail = (struct rbytes){ detail, sizeof detail - 1 };
	tui_case_entry_from(&e[0], &r);
	CHECK_STR(e[0].case_id, "C-1");
	CHECK_STR(e[0].child, "Evil?[2Jname");
	CHECK_STR(e[0].district, "Gedling");
	CHECK(strchr(e[0].rationale, 0x1b) == NULL);
	CHECK(strchr(e[0].rationale, 0x07) == NULL);
	CHECK(strstr(e[0].rationale, "\xe2\x80\xae") == NULL);
	CHECK_EQ(e[0].received, 1795167000);
	r.seq = 8;
	r.kind = KIND_SIGN_OFF;
	r.ref = 7;
	r.route = r.rec_route = RECORD_NONE;
	r.outcome = (struct rbytes){ "approved", 8 };
	r.rationale = (struct rbytes){ NULL, 0 };
	r.facts = r.detail = (struct rbytes){ NULL, 0 };
	tui_case_entry_from(&e[1], &r);
	tui_case_lines(NULL, e, 2, 40, &lines, &n, starts);
	CHECK_EQ(starts[0], 0);
	CHECK(starts[1] > 2);
	CHECK(has_line(lines, n, "OVERRODE"));
	CHECK(has_line(lines, n, "approved #7"));
	CHECK(has_line(lines, n, "why: "));
	CHECK(has_line(lines, n, "referrer told:"));
	for (size_t i = 0; i < n; i++)
		CHECK(tui_text_width(lines[i], strlen(lines[i])) <= 40);
	tui_lines_free(lines, n);
	tui_case_entry_clear(&e[0]);
	tui_case_entry_clear(&e[1]);
}

/* Bars, progress and rates as the charts draw them. */
static void
test_bars(void)
{
	char bar[256];

	tui_bar(5, 10, 10, 0, bar, sizeof bar);
	CHECK_STR(bar, "#####");
	tui_bar(10, 10, 4, 1, bar, sizeof bar);
	CHECK_STR(bar, "\u2588\u2588\u2588\u2588");
	tui_bar(8, 16, 1, 1, bar, sizeof bar);
	CHECK_STR(bar, "\u258c");	/* half a cell */
	tui_bar(1, 1000000, 10, 0, bar, sizeof bar);
	CHECK_STR(bar, ".");		/* small but not nothing */
	tui_bar(0, 10, 10, 0, bar, sizeof bar);
	CHECK_STR(bar, "");
	tui_progress(50, 100, 17, 0, bar, sizeof bar);
	CHECK_STR(bar, "[#####     ]  50%");
	tui_rate(1, 3, bar, sizeof bar);
	CHECK_STR(bar, "33.3%");
	tui_rate(0, 0, bar, sizeof bar);
	CHECK_STR(bar, "-");
}

/* The charts count by month, by team (the child's district) and by officer. */
static void
test_chart_groups(void)
{
	struct tui_charts c;
	struct record r;
	char facts[256];
	const struct { const char *district, *actor; int override; } rows[] = {
		{ "Broxtowe", "a.khan", 0 }, { "Broxtowe", "a.khan", 1 }, { "Gedling", "j.smith", 1 },
		{ NULL, "j.smith", 0 },
	};

	tui_charts_init(&c);
	memset(&r, 0, sizeof r);
	for (size_t i = 0; i < FD_ARRAY_LEN(rows); i++) {
		if (rows[i].district != NULL)
			snprintf(facts, sizeof facts, "{\"case_id\":\"C-%zu\",\"child\":{\"district\":"
			    "\"%s\"}}", i, rows[i].district);
		else
			snprintf(facts, sizeof facts, "{\"case_id\":\"C-%zu\"}", i);
		r.kind = rows[i].override ? KIND_OVERRIDE : KIND_ROUTE;
		r.case_id = (struct rbytes){ "C-x", 3 };
		r.actor = (struct rbytes){ rows[i].actor, strlen(rows[i].actor) };
		r.facts = (struct rbytes){ facts, strlen(facts) };
		stats_add(&c.st, &r);
	}
	CHECK_EQ(c.st.by[STATS_DISTRICT].n, 3);
	CHECK_STR(c.st.by[STATS_DISTRICT].g[2].key, "(no district)");
	CHECK_EQ(c.st.by[STATS_OFFICER].n, 2);
	CHECK_STR(c.st.by[STATS_OFFICER].g[1].key, "j.smith");
	CHECK_EQ(c.st.by[STATS_OFFICER].g[1].contacts, 2);
	CHECK_EQ(c.st.by[STATS_OFFICER].g[1].overrides, 1);
	CHECK_EQ(c.st.by[STATS_AGENCY].n, 0);		/* not asked for */
	tui_charts_free(&c);
}

/* ---- reads from a demo database ---- */

static void
test_data(void)
{
	char *dir = tmpdir_make(), *db = xasprintf("%s/db", dir), *cause = NULL, id[QUEUE_TEXT];
	struct store_opts opts = { 0, 0, 0 };
	struct store *s = NULL;
	struct tui_queue q;
	struct tui_case_entry *e = NULL, page[5], one;
	struct case_state cs;
	struct tui_charts c;
	uint64_t head = 0, seq = 0;
	size_t n = 0, got = 0;
	int known = 0, exists = 1, has = 0;
	enum role role;
	int64_t *times = NULL;

	if (demo_create(db, FD_SOURCE_RULES, "tester", 120, &cause) < 0 ||
	    store_open(&s, db, &opts, &cause) < 0) {
		fprintf(stderr, "demo: %s\n", cause);
		CHECK(0);
		free(cause);
		goto out;
	}
	CHECK_EQ(tui_data_role(s, "tester", &role, &has, &cause), 0);
	CHECK(has);
	CHECK_EQ(role, ROLE_MANAGER);
	CHECK_EQ(tui_data_role(s, "nobody", &role, &has, &cause), 0);
	CHECK(!has);
	/* the queue through the real store, a page at a time */
	tui_queue_init(&q, tui_data_queue_fetch, s);
	CHECK_EQ(tui_queue_reload(&q, 8, &cause), 0);
	CHECK_EQ(q.nrows, 8);
	CHECK(q.more);
	for (size_t i = 1; i < q.nrows; i++)
		CHECK(q.rows[i - 1].seq > q.rows[i].seq);
	{
		uint64_t third = q.rows[2].seq;

		tui_queue_move(&q, 9, &cause);
		tui_queue_move(&q, -9, &cause);
		CHECK_EQ(tui_queue_current(&q)->seq, q.rows[0].seq);
		tui_queue_move(&q, 2, &cause);
		CHECK_EQ(tui_queue_current(&q)->seq, third);
	}
	snprintf(id, sizeof id, "%s", tui_queue_current(&q)->case_id);
	/* one case's history */
	CHECK_EQ(tui_data_case(s, id, &e, &n, &cs, &known, &cause), 0);
	CHECK(known);
	CHECK(n >= 1);
	CHECK(strcmp(e[0].case_id, id) == 0);
	CHECK_EQ(cs.status, CASE_OPEN);
	tui_case_entries_free(e, n);
	CHECK_EQ(tui_data_case(s, "no-such-case", &e, &n, &cs, &known, &cause), 0);
	CHECK(!known);
	CHECK_EQ(n, 0);
	tui_case_entries_free(e, n);
	CHECK_EQ(tui_data_earlier(s, id, &times, &n, &cause), 0);
	CHECK(n >= 1);
	free(times);
	/* a new child's id is one nobody has */
	CHECK_EQ(tui_data_new_case_id(s, id, sizeof id, &cause), 0);
	CHECK_EQ(strncmp(id, "C-", 2), 0);
	CHECK_EQ(tui_data_case_exists(s, id, &exists, &cause), 0);
	CHECK(!exists);
	/* the log, newest first */
	CHECK_EQ(tui_data_head(s, &head, &cause), 0);
	CHECK(head > 120);
	CHECK_EQ(tui_data_log_page(s, head, 5, page, &got, &cause), 0);
	CHECK_EQ(got, 5);
	CHECK_EQ(page[0].seq, head);
	CHECK_EQ(page[4].seq, head - 4);
	for (size_t i = 0; i < got; i++)
		tui_case_entry_clear(&page[i]);
	/* decisions awaiting sign-off */
	q.awaiting = 1;
	CHECK_EQ(tui_queue_restart(&q, &cause), 0);
	if (q.nrows > 0) {
		CHECK_EQ(tui_data_awaiting(s, q.rows[0].case_id, &seq, &one, &cause), 0);
		CHECK(seq > 0);
		CHECK(one.kind == KIND_OVERRIDE || one.kind == KIND_STEP_DOWN);
		CHECK(one.rationale != NULL);
		tui_case_entry_clear(&one);
	}
	tui_queue_free(&q);
	/* charts: every route and override record counted once */
	tui_charts_init(&c);
	CHECK_EQ(tui_data_charts(s, &c, NULL, NULL, &cause), 0);
	CHECK(c.st.total.contacts >= 120);
	CHECK(c.st.by[STATS_MONTH].n >= 12);
	CHECK(c.st.total.overrides > 0);
	tui_charts_free(&c);
	{
		struct ruleset *rs = load_rules(FD_SOURCE_RULES);
		struct audit_whatif w;

		CHECK_EQ(tui_data_whatif(s, rs, &w, NULL, NULL, &cause), 0);
		CHECK(w.replayed >= 120);
		CHECK_EQ(w.moved, 0);		/* the same rules: nothing moves */
		CHECK_EQ(w.failed, 0);
		CHECK_EQ(w.moves.n, 0);
		audit_whatif_free(&w);
		rules_free(rs);
	}
out:
	if (s != NULL)
		store_close(s);
	tmpdir_remove(dir);
	free(db);
	free(dir);
}

/* Routes in each rule set's own words: the shipped ones, one without labels, and none. */
static void
test_route_labels(const struct ruleset *rs)
{
	struct ruleset *es = load_rules(FD_SOURCE_TESTS "/../rules/east-sussex-continuum.yaml");
	struct ruleset *ws = load_rules(FD_SOURCE_TESTS "/screen/rules/westshire.yaml");
	struct tui_form f;

	CHECK_STR(tui_route_label(rs, ROUTE_EARLY_HELP_UNIT), "Early Help Unit");
	CHECK_STR(tui_route_short(rs, ROUTE_EARLY_HELP_UNIT), "EHU");
	CHECK_STR(tui_route_label(rs, ROUTE_MASH), "MASH");
	CHECK_STR(tui_route_short(rs, ROUTE_UNIVERSAL), "Univ");
	CHECK_STR(tui_route_label(es, ROUTE_EARLY_HELP_UNIT), "Additional needs");
	CHECK_STR(tui_route_short(es, ROUTE_TARGETED_EARLY_HELP), "M&C");
	CHECK_STR(tui_route_label(es, ROUTE_MASH), "Acute needs");
	CHECK_STR(tui_route_label(es, ROUTE_UNIVERSAL), "Universal services");
	/* no label: the level's name, and a short name made from it */
	CHECK_STR(tui_route_label(ws, ROUTE_TARGETED_EARLY_HELP), "Integrated");
	CHECK_STR(tui_route_short(ws, ROUTE_TARGETED_EARLY_HELP), "Inte");
	CHECK_STR(tui_route_label(NULL, ROUTE_MASH), "Level 4");
	CHECK_STR(tui_route_short(NULL, ROUTE_MASH), "L4");
	CHECK_STR(tui_route_label(rs, -1), "-");
	/* the override offers the council's routes with their levels */
	tui_decision_init(&f, es);
	CHECK_STR(f.f[DF_ROUTE].labels[1], "Additional needs (level 2)");
	CHECK_STR(f.f[DF_ROUTE].labels[3], "Acute needs (level 4)");
	tui_form_free(&f);
	tui_decision_init(&f, rs);
	CHECK_STR(f.f[DF_ROUTE].labels[3], "MASH (level 4)");
	tui_form_free(&f);
	rules_free(es);
	rules_free(ws);
}

int
main(void)
{
	struct ruleset *rs;

	/* widths follow the locale; the screens run in a UTF-8 one */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	rs = load_rules(FD_SOURCE_RULES);
	test_keys();
	test_key_table_unambiguous();
	test_help();
	test_roles();
	test_text();
	test_edit();
	test_escapes();
	test_bytes();
	test_paste(rs);
	test_hints();
	test_intake(rs);
	test_intake_profile();
	test_case_json_and_drafts(rs);
	test_pathway(rs);
	test_decision(rs);
	test_route_labels(rs);
	test_outcome_signoff();
	test_queue(rs);
	test_age_and_clock();
	test_lists();
	test_case_lines();
	test_bars();
	test_chart_groups();
	test_data();
	rules_free(rs);
	return check_done();
}
