/* input.c: what arrives from the terminal: escape sequences, bytes in a non-UTF-8 locale, pastes. */
#include "tui/state/state.h"

#include <string.h>

/* ---- escape sequences ---- */

int
tui_escape_complete(const char *seq, size_t n)
{
	unsigned char last;

	if (n == 0)
		return 0;
	if (n >= TUI_ESCAPE_MAX)
		return 1;
	if (seq[0] == 'O')
		return n >= 2;
	if (seq[0] != '[')
		return 1;	/* Esc, then an ordinary key */
	if (n >= 2 && seq[1] == '[')
		return n >= 3;	/* the Linux console's F1..F5: ESC [ [ A..E */
	last = (unsigned char)seq[n - 1];
	return n >= 2 && last >= 0x40 && last <= 0x7e;
}

/* The keys behind ESC [ NUMBER ~ (PuTTY, rxvt, xterm, VT220 and the Linux console). */
static int
escape_tilde(int num)
{
	static const struct {
		int num, key;
	} map[] = {
		{ 1, TK_HOME }, { 2, -1 }, { 3, TK_DELETE }, { 4, TK_END }, { 5, TK_PGUP },
		{ 6, TK_PGDN }, { 7, TK_HOME }, { 8, TK_END }, { 11, TK_F1 }, { 12, TK_F2 },
		{ 13, TK_F3 }, { 14, TK_F4 }, { 15, TK_F5 }, { 21, TK_F10 },
		{ 200, TK_PASTE_BEGIN }, { 201, TK_PASTE_END },
	};

	for (size_t i = 0; i < FD_ARRAY_LEN(map); i++)
		if (map[i].num == num)
			return map[i].key;
	return -1;
}

/* The key of a final letter: arrows, Home/End, back-tab, and VT100's F1..F4 (P..S). */
static int
escape_letter(char c)
{
	switch (c) {
	case 'A': return TK_UP;
	case 'B': return TK_DOWN;
	case 'C': return TK_RIGHT;
	case 'D': return TK_LEFT;
	case 'H': return TK_HOME;
	case 'F': return TK_END;
	case 'Z': return TK_BTAB;
	case 'P': return TK_F1;
	case 'Q': return TK_F2;
	case 'R': return TK_F3;
	case 'S': return TK_F4;
	default: return -1;
	}
}

int
tui_escape_key(const char *seq, size_t n)
{
	int num = 0, digits = 0;

	if (n == 2 && seq[0] == 'O')
		return escape_letter(seq[1]);
	if (n == 3 && seq[0] == '[' && seq[1] == '[')
		return seq[2] >= 'A' && seq[2] <= 'E' ? TK_F1 + (seq[2] - 'A') : -1;
	if (n < 2 || seq[0] != '[')
		return -1;
	/* ESC [ letter, ESC [ NUMBER ~; with modifiers (";2") or private marks, none of ours */
	for (size_t i = 1; i + 1 < n; i++) {
		if (seq[i] < '0' || seq[i] > '9' || ++digits > 4)
			return -1;
		num = num * 10 + (seq[i] - '0');
	}
	if (seq[n - 1] == '~')
		return digits > 0 ? escape_tilde(num) : -1;
	return digits == 0 ? escape_letter(seq[n - 1]) : -1;
}

/* ---- bytes as UTF-8 ---- */

/* How many bytes a sequence led by b takes (0: b cannot lead one). */
static size_t
utf8_lead(unsigned char b)
{
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

/* Gives up on the pending bytes: each becomes the Latin-1 character of its value. */
static size_t
utf8_spill(struct tui_utf8_in *d, uint32_t *out)
{
	size_t k = d->n;

	for (size_t i = 0; i < d->n; i++)
		out[i] = d->b[i];
	d->n = d->need = 0;
	return k;
}

size_t
tui_utf8_feed(struct tui_utf8_in *d, unsigned char byte, uint32_t out[TUI_UTF8_OUT])
{
	size_t k = 0;
	uint32_t cp;

	if (d->n > 0 && (byte & 0xc0) != 0x80)
		k = utf8_spill(d, out);
	if (d->n == 0) {
		d->need = utf8_lead(byte);
		if (d->need == 0) {
			out[k++] = byte;
			return k;
		}
	}
	d->b[d->n++] = byte;
	if (d->n < d->need)
		return k;
	if (utf8_decode(d->b, d->n, &cp) == d->n) {
		out[k++] = cp;
		d->n = d->need = 0;
		return k;
	}
	return k + utf8_spill(d, out + k);	/* overlong or a surrogate: Latin-1 too */
}

size_t
tui_utf8_flush(struct tui_utf8_in *d, uint32_t out[TUI_UTF8_OUT])
{
	return utf8_spill(d, out);
}

/* ---- pastes ---- */

void
tui_paste_add(struct buf *b, int key)
{
	char enc[4];

	if (key == TK_ENTER)
		buf_addc(b, '\n');
	else if (key == TK_TAB)
		buf_addc(b, '\t');
	else if (tui_key_is_text(key) && key <= 0x10ffff && (key < 0xd800 || key > 0xdfff))
		buf_add(b, enc, utf8_encode((uint32_t)key, enc));
}

size_t
tui_edit_paste(struct tui_edit *e, const char *s, size_t n, size_t *dropped)
{
	struct buf clean;
	size_t i = 0, end = n, got;

	/* one line: the line breaks at the end of what was copied go, the others become spaces */
	while (!e->multiline && end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r'))
		end--;
	buf_init(&clean);
	while (i < end) {
		if (s[i] == '\r' && i + 1 < end && s[i + 1] == '\n')
			i++;
		if (s[i] == '\r' || s[i] == '\n')
			buf_addc(&clean, e->multiline ? '\n' : ' ');
		else if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf_addc(&clean, ' ');	/* a tab, or a control that cannot be text */
		else
			buf_addc(&clean, s[i]);
		i++;
	}
	got = tui_edit_insert(e, clean.data != NULL ? clean.data : "", clean.len, dropped);
	buf_free(&clean);
	return got;
}

long
tui_form_paste(struct tui_form *f, const char *s, size_t n, size_t *dropped)
{
	size_t got;

	*dropped = 0;
	if (f->n == 0 || f->f[f->focus].kind == FK_CHOICE)
		return -1;
	got = tui_edit_paste(&f->f[f->focus].edit, s, n, dropped);
	if (got > 0) {
		f->changed = f->touched = 1;
		if (f->relayout != NULL)
			f->relayout(f);
	}
	return (long)got;
}
