/* forms.h: what the form screens' logic shares: field set-up and the common checks. */
#ifndef FD_TUI_FORMS_H
#define FD_TUI_FORMS_H

#include <stddef.h>

#include "tui/state/state.h"

/* A text field of at most max characters, checked by v (or not, if NULL). */
void tui_field_text(struct tui_field *fl, const char *name, const char *label, int required,
    size_t max, tui_validate_fn v);
/* Characters a narrative field holds (a police report is often long). */
#define TUI_NARRATIVE_MAX 20000

/* A narrative: several lines and paragraphs (Enter makes a new line), rows shown. */
void tui_field_narrative(struct tui_field *fl, const char *name, const char *label, int required,
    int rows, tui_validate_fn v);
/*
 * A choice among n values, shown by their labels. The first is chosen; see
 * tui_field_select for one that must be chosen.
 */
void tui_field_choice(struct tui_field *fl, const char *name, const char *label,
    const char *const *values, const char *const *labels, size_t n);
/*
 * A choice that decides where a child goes: none is chosen until the person
 * chooses ("select..."), and the form cannot go on before.
 */
void tui_field_select(struct tui_field *fl, const char *name, const char *label,
    const char *const *values, const char *const *labels, size_t n);
/* Blank or at least min characters that are not spaces; else a message in msg. */
const char *tui_valid_min_chars(const struct tui_form *f, size_t i, char *msg, size_t msgsz,
    size_t min);
/*
 * Whether field i holds what a logged rationale needs (action_check_rationale);
 * else a message in msg saying how far it is, naming it `what` ("rationale").
 */
const char *tui_valid_rationale(const struct tui_form *f, size_t i, char *msg, size_t msgsz,
    const char *what);

#endif
