/* forms.c: field set-up and the checks the intake, decision, outcome and sign-off forms share. */
#include "tui/state/forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
tui_field_text(struct tui_field *fl, const char *name, const char *label, int required,
    size_t max, tui_validate_fn v)
{
	memset(fl, 0, sizeof *fl);
	fl->name = name;
	fl->label = label;
	fl->kind = FK_TEXT;
	fl->required = required;
	fl->validate = v;
	tui_edit_init(&fl->edit, max);
}

void
tui_field_narrative(struct tui_field *fl, const char *name, const char *label, int required,
    int rows, tui_validate_fn v)
{
	tui_field_text(fl, name, label, required, TUI_NARRATIVE_MAX, v);
	fl->kind = FK_LONGTEXT;
	fl->rows = rows;
	fl->edit.multiline = 1;
}

void
tui_field_choice(struct tui_field *fl, const char *name, const char *label,
    const char *const *values, const char *const *labels, size_t n)
{
	memset(fl, 0, sizeof *fl);
	fl->name = name;
	fl->label = label;
	fl->kind = FK_CHOICE;
	fl->choices = values;
	fl->labels = labels;
	fl->nchoices = n;
	tui_edit_init(&fl->edit, 0);
}

void
tui_field_select(struct tui_field *fl, const char *name, const char *label,
    const char *const *values, const char *const *labels, size_t n)
{
	tui_field_choice(fl, name, label, values, labels, n);
	fl->choice = -1;
	fl->required = 1;
}

const char *
tui_valid_min_chars(const struct tui_form *f, size_t i, char *msg, size_t msgsz, size_t min)
{
	const char *s = f->f[i].edit.text;
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80 && *s != ' ';
	if (n > 0 && n < min) {
		snprintf(msg, msgsz, "say a little more (at least %zu characters)", min);
		return msg;
	}
	return NULL;
}

/* Characters as action_check_rationale counts them: those that are not spaces. */
static size_t
rationale_chars(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80 && *p != ' ' && *p != '\t' && *p != '\n';
	return n;
}

const char *
tui_valid_rationale(const struct tui_form *f, size_t i, char *msg, size_t msgsz,
    const char *what)
{
	char *cause = NULL;

	if (action_check_rationale(f->f[i].edit.text, &cause) == 0)
		return NULL;
	free(cause);
	snprintf(msg, msgsz, "%zu of the %d characters a %s needs (spaces not counted)",
	    rationale_chars(f->f[i].edit.text), ACTION_MIN_RATIONALE, what);
	return msg;
}
