/* signoff.c: a manager's list of decisions awaiting sign-off: approve, or return with a comment. */
#include <stdlib.h>
#include <string.h>

#include "core/actions.h"
#include "tui/ui.h"

#define SO_TOP 2
#define LABEL_W 10

static size_t
so_rows(const struct tui_app *a)
{
	int h = (a->rows - 6) / 3;

	return h > 3 ? (size_t)h : 3;
}

/* Loads the awaiting record of the selected case, if it is not the one loaded. */
static void
so_load_entry(struct tui_app *a)
{
	struct tui_signoffview *so = &a->so;
	const struct queue_row *r = tui_queue_current(&so->q);
	char *cause = NULL;

	if (r == NULL) {
		tui_case_entry_clear(&so->entry);
		so->have_entry = 0;
		so->case_id[0] = '\0';
		return;
	}
	if (so->have_entry && strcmp(so->case_id, r->case_id) == 0)
		return;
	tui_case_entry_clear(&so->entry);
	so->have_entry = 0;
	snprintf(so->case_id, sizeof so->case_id, "%s", r->case_id);
	if (tui_data_awaiting(a->s, r->case_id, &so->seq, &so->entry, &cause) < 0) {
		tui_error(a, "cannot read the decision", cause);
		return;
	}
	so->have_entry = so->seq != 0;
}

static void
so_reload(struct tui_app *a)
{
	struct tui_signoffview *so = &a->so;
	char *cause = NULL;

	tui_list_stale(a, &so->q);
	if (tui_queue_reload(&so->q, so_rows(a), &cause) < 0) {
		tui_error(a, "cannot read the decisions awaiting sign-off", cause);
		return;
	}
	so->have_entry = 0;
	so_load_entry(a);
}

static void
so_close_form(struct tui_signoffview *so)
{
	if (so->form.f != NULL)
		tui_form_free(&so->form);
	so->form_open = so->confirm = 0;
	free(so->error);
	so->error = NULL;
}

static void
signoff_enter(struct tui_app *a)
{
	if (!a->so.form_open)
		so_reload(a);
}

static void
draw_list(struct tui_app *a)
{
	struct tui_signoffview *so = &a->so;
	int64_t now = tui_display_now();
	size_t rows = so_rows(a);

	tui_heading(a, 1, "Decisions awaiting sign-off, newest first (not your own) ");
	for (size_t i = 0; i < so->q.nrows && i < rows; i++) {
		const struct queue_row *r = &so->q.rows[i];
		attr_t at = tui_attr(a, i == so->q.cursor ? C_SELECTED : C_NORMAL);
		char age[32];

		tui_fill(a, SO_TOP + (int)i, 0, a->cols, at);
		tui_text(a, SO_TOP + (int)i, 1, 10, r->case_id, at, 0);
		tui_text(a, SO_TOP + (int)i, 12, a->cols - 44, r->name, at, 0);
		tui_text(a, SO_TOP + (int)i, a->cols - 31, 14, r->district, at, 0);
		tui_text(a, SO_TOP + (int)i, a->cols - 16, 5, tui_route_short(a->rs, r->route),
		    i == so->q.cursor ? at : tui_route_attr(a, r->route), 0);
		tui_format_age(r->received_at, now, age, sizeof age);
		tui_text(a, SO_TOP + (int)i, a->cols - 9, 8, age, at, 0);
	}
	if (so->q.nrows == 0)
		tui_text(a, SO_TOP, 2, a->cols - 4, "Nothing is awaiting sign-off.",
		    tui_attr(a, C_DIM), 0);
}

static void
draw_entry(struct tui_app *a, int y, int rows)
{
	struct tui_signoffview *so = &a->so;
	char **lines;
	size_t n, start;

	if (!so->have_entry || rows <= 0)
		return;
	tui_case_lines(a->rs, &so->entry, 1, a->cols - 1, &lines, &n, &start);
	for (int r = 0; r < rows && (size_t)r < n; r++)
		tui_text(a, y + r, 0, a->cols - 1, lines[r], tui_attr(a, r == 0 ? C_HEADER : C_NORMAL),
		    0);
	tui_lines_free(lines, n);
}

static void
signoff_draw(struct tui_app *a)
{
	struct tui_signoffview *so = &a->so;
	int y = SO_TOP + (int)so_rows(a) + 1, used;
	char msg[200];
	const char *why;

	draw_list(a);
	tui_heading(a, y - 1 + 0, "The decision ");
	if (!so->form_open) {
		draw_entry(a, y, a->rows - y - 3);
		return;
	}
	draw_entry(a, y, 4);
	y += 5;
	if (so->confirm) {
		tui_textf(a, y, 1, a->cols - 2, tui_attr(a, C_HEADER), "Will be logged: sign_off "
		    "of #%llu, %s, by %s (%s)", (unsigned long long)so->seq,
		    tui_signoff_approve(&so->form) ? "approved" : "returned", a->user,
		    a->has_role ? role_name(a->role) : "none");
		tui_textf(a, y + 1, 1, 10, tui_attr(a, C_NORMAL), "comment");
		tui_wrapped(a, y + 1, 11, a->cols - 12, 3, so->form.f[SF_COMMENT].edit.len ?
		    so->form.f[SF_COMMENT].edit.text : "(none)", tui_attr(a, C_NORMAL));
		if (so->error != NULL)
			tui_wrapped(a, a->rows - 5, 1, a->cols - 2, 2, so->error, tui_attr(a, C_ERROR));
		tui_text(a, a->rows - 3, 1, a->cols - 2, so->error != NULL ?
		    "NOT LOGGED. Enter or y: try again   Esc: back to edit" :
		    "Enter or y: write it to the log   Esc: back to edit", tui_attr(a, C_KEY), 0);
		return;
	}
	used = tui_draw_form(a, &so->form, y, LABEL_W, a->rows - y - 3);
	why = tui_form_check(&so->form, so->form.focus, msg, sizeof msg);
	if (why != NULL)
		tui_textf(a, y + used, 2, a->cols - 4, tui_attr(a, C_INVALID), "%s: %s",
		    so->form.f[so->form.focus].label, why);
}

static int
signoff_typing(const struct tui_app *a)
{
	return a->so.form_open && !a->so.confirm ? tui_form_typing(&a->so.form) : 0;
}

static void
so_open_form(struct tui_app *a, int approve)
{
	struct tui_signoffview *so = &a->so;

	so_load_entry(a);
	if (!so->have_entry) {
		tui_message(a, MSG_ERROR, "Nothing to sign off here.");
		return;
	}
	so_close_form(so);
	tui_signoff_init(&so->form);
	so->form.f[SF_VERDICT].choice = approve ? 0 : 1;
	so->form.focus = approve ? SF_VERDICT : SF_COMMENT;
	so->form_open = 1;
}

static void
so_review(struct tui_app *a)
{
	struct tui_signoffview *so = &a->so;
	char msg[200];
	int bad = tui_form_first_invalid(&so->form);

	if (bad >= 0) {
		tui_form_focus_problem(&so->form, bad);
		tui_message(a, MSG_ERROR, "Check \"%s\": %s", so->form.f[bad].label,
		    tui_form_check(&so->form, (size_t)bad, msg, sizeof msg));
		return;
	}
	so->confirm = 1;
}

/* Whether the decision on the form no longer awaits sign-off (someone else acted on it). */
static int
so_moved_on(struct tui_app *a, uint64_t target)
{
	struct tui_case_entry e;
	uint64_t seq = 0;
	char *cause = NULL;

	if (tui_data_awaiting(a->s, a->so.case_id, &seq, &e, &cause) < 0) {
		free(cause);
		return 0;
	}
	tui_case_entry_clear(&e);
	return seq != target;
}

/* Someone else wrote since the list was read: read it again, unless a form is open. */
static void
signoff_idle(struct tui_app *a)
{
	if (!a->so.form_open && tui_list_stale(a, &a->so.q))
		so_reload(a);
}

static void
so_write(struct tui_app *a)
{
	struct tui_signoffview *so = &a->so;
	const char *c = so->form.f[SF_COMMENT].edit.text;
	int approve = tui_signoff_approve(&so->form);
	char *cause = NULL;
	uint64_t seq = 0, target = so->seq;

	if (action_sign_off(a->s, a->user, target, approve, c[0] ? c : NULL, &seq, &cause) < 0) {
		if (so_moved_on(a, target)) {
			/* trying again cannot help: show the list as it now is */
			so_close_form(so);
			so_reload(a);
			tui_message(a, MSG_ERROR, "Not logged: %s. The list has been read again.",
			    cause != NULL ? cause : "failed");
			free(cause);
			return;
		}
		free(so->error);
		so->error = xasprintf("Not logged: %s", cause != NULL ? cause : "failed");
		free(cause);
		tui_message(a, MSG_ERROR, "Nothing was written; the form is kept.");
		return;
	}
	so_close_form(so);
	so_reload(a);
	tui_message(a, MSG_OK, "Logged #%llu: #%llu %s.", (unsigned long long)seq,
	    (unsigned long long)target, approve ? "approved" : "returned");
}

static void
discard_done(struct tui_app *a, int key, const char *text)
{
	(void)text;
	if (key == 'y')
		so_close_form(&a->so);
}

static void
form_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_signoffview *so = &a->so;

	if (so->confirm) {
		if (key == TK_ENTER || key == 'y' || key == 'Y')
			so_write(a);
		else if (key == TK_ESC || key == 'n' || key == 'q')
			so->confirm = 0;
		return;
	}
	switch (act) {
	case TA_NEXT_FIELD:
		if (!tui_form_move(&so->form, 1) && key == TK_ENTER)
			so_review(a);
		break;
	case TA_PREV_FIELD:
		tui_form_move(&so->form, -1);
		break;
	case TA_NEXT_STEP:
		so_review(a);
		break;
	case TA_BACK:
		if (so->form.touched)
			tui_ask(a, "yn", discard_done, "Drop this sign-off? (y/n)");
		else
			so_close_form(so);
		break;
	default:
		if (key == TK_F2 || key == TK_CTRL('n')) {
			so_review(a);
			break;
		}
		if (key == TK_ENTER && tui_form_typing(&so->form) != 2) {
			if (!tui_form_move(&so->form, 1))
				so_review(a);
		} else if (key == TK_TAB || key == TK_DOWN)
			tui_form_move(&so->form, 1);
		else if (key == TK_BTAB || key == TK_UP)
			tui_form_move(&so->form, -1);
		else if (key != TK_MOUSE)
			tui_form_take(a, &so->form, key);
		break;
	}
}

static void
signoff_paste(struct tui_app *a, const char *text, size_t n)
{
	if (!a->so.form_open || a->so.confirm)
		tui_message(a, MSG_ERROR, "Nothing here takes a paste: nothing was changed.");
	else
		tui_paste_form(a, &a->so.form, text, n);
}

static void
signoff_key(struct tui_app *a, int key, enum tui_act act)
{
	struct tui_signoffview *so = &a->so;
	size_t rows = so_rows(a);
	char *cause = NULL;
	int rc = 0;

	if (so->form_open) {
		form_key(a, key, act);
		return;
	}
	if (key == TK_MOUSE) {
		int row = a->mev.y - SO_TOP;

		if (row >= 0 && (size_t)row < so->q.nrows)
			so->q.cursor = (size_t)row;
	}
	switch (act) {
	case TA_UP: rc = tui_queue_move(&so->q, -1, &cause); break;
	case TA_DOWN: rc = tui_queue_move(&so->q, 1, &cause); break;
	case TA_PGUP: rc = tui_queue_move(&so->q, -(long)rows, &cause); break;
	case TA_PGDN: rc = tui_queue_move(&so->q, (long)rows, &cause); break;
	case TA_TOP: rc = tui_queue_top(&so->q, &cause); break;
	case TA_BOTTOM: rc = tui_queue_bottom(&so->q, &cause); break;
	case TA_OPEN:
	case TA_APPROVE:
		so_open_form(a, 1);
		break;
	case TA_FULL:
		if (tui_queue_current(&so->q) != NULL)
			tui_row_in_full(a, tui_queue_current(&so->q));
		break;
	case TA_RETURN:
		so_open_form(a, 0);
		break;
	case TA_REFRESH:
		so_reload(a);
		break;
	case TA_BACK:
		tui_back(a);
		return;
	default:
		break;
	}
	if (rc < 0)
		tui_error(a, "cannot read the list", cause);
	so_load_entry(a);
}

static const char *
signoff_hints(const struct tui_app *a)
{
	if (!a->so.form_open)
		return NULL;
	return a->so.confirm ? "Enter/y:write to the log  Esc:back to edit" :
	    "Tab:next  Left/Right:choice  F2:review  Esc:cancel  F1:help";
}

static void
signoff_free(struct tui_app *a)
{
	tui_queue_free(&a->so.q);
	if (a->so.form.f != NULL)
		tui_form_free(&a->so.form);
	tui_case_entry_clear(&a->so.entry);
	free(a->so.error);
}

const struct tui_screen_ops tui_signoff_ops = {
	.enter = signoff_enter,
	.draw = signoff_draw,
	.key = signoff_key,
	.typing = signoff_typing,
	.idle = signoff_idle,
	.free = signoff_free,
	.hints = "Enter/a:approve  x:return  j/k:move  r:refresh  ?:help  q:back",
	.mode_hints = signoff_hints,
	.paste = signoff_paste,
};
