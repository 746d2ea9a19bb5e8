/* find.c: person search for the screens, through core's match_find (no curses here). */
#include "tui/state/find.h"

#include <stdio.h>
#include <string.h>

#include "base/time.h"

/* Copies src into dst, cut to fit: a row shows what fits and marks the cut when drawn. */
static void
copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
tui_find_row(const struct match_result *m, uint64_t key, struct queue_row *row)
{
	memset(row, 0, sizeof *row);
	row->seq = key;
	copy_cut(row->case_id, sizeof row->case_id, m->case_id);
	copy_cut(row->name, sizeof row->name, m->name);
	copy_cut(row->district, sizeof row->district, m->district);
	row->route = m->route;
	row->level = m->level;
	row->urgency = URGENCY_NONE;
	row->contacts = m->contacts;
	row->closed = !m->open;
	if (m->ncontacts > 0)
		row->last_kind = m->last[0].kind;
	copy_cut(row->received, sizeof row->received, m->received);
	if (parse_utc(m->received, &row->received_at) < 0)
		row->received_at = 0;
}

/* Whether a match passes the queue's route and district filters. */
static int
find_filtered(const struct queue_filter *f, const struct match_result *m)
{
	if (f->route >= 0 && m->route != f->route)
		return 0;
	return f->district == NULL || strcmp(f->district, m->district) == 0;
}

int
tui_find_page(struct store *s, const struct queue_filter *f, uint64_t key, int newer,
    struct queue_row *rows, size_t n, int *more, char **cause)
{
	struct match_result res[MATCH_MAX];
	struct match_query q;
	char buf[1024];
	size_t got, kept = 0, out = 0;

	match_query_parse(f->search, &q, buf, sizeof buf);
	if (match_find(s, &q, res, MATCH_MAX, &got, cause) < 0)
		return -1;
	for (size_t i = 0; i < got; i++)
		if (find_filtered(f, &res[i]))
			res[kept++] = res[i];
	*more = 0;
	if (!newer) {
		for (size_t i = 0; i < kept; i++) {
			uint64_t k = TUI_FIND_TOP - i;

			if (key != 0 && k >= key)
				continue;
			if (out == n) {
				*more = 1;
				break;
			}
			tui_find_row(&res[i], k, &rows[out++]);
		}
		return (int)out;
	}
	for (size_t i = kept; i-- > 0;) {
		uint64_t k = TUI_FIND_TOP - i;

		if (key != 0 && k <= key)
			continue;
		if (out == n) {
			*more = 1;
			break;
		}
		tui_find_row(&res[i], k, &rows[out++]);
	}
	return (int)out;
}

/* ---- the intake's match step ---- */

/* The form's field with this draft key, or NULL. */
static const struct tui_field *
field_named(const struct tui_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->f[i].name != NULL && strcmp(f->f[i].name, name) == 0 && !f->f[i].hidden)
			return &f->f[i];
	return NULL;
}

/* A text field's value, or a choice's, or "". */
static const char *
field_value(const struct tui_form *f, const char *name)
{
	const struct tui_field *fd = field_named(f, name);

	if (fd == NULL)
		return "";
	if (fd->kind == FK_CHOICE)
		return fd->choice >= 0 && (size_t)fd->choice < fd->nchoices ?
		    fd->choices[fd->choice] : "";
	return fd->edit.text != NULL ? fd->edit.text : "";
}

void
tui_match_query(const struct tui_form *f, struct match_query *q, char dob[11], char *key,
    size_t keysz)
{
	const char *d = field_value(f, "child_dob_age"), *district = field_value(f, "district");

	memset(q, 0, sizeof *q);
	q->name = field_value(f, "child_name");
	dob[0] = '\0';
	if (personkey_dob(d, strlen(d), dob) == 0)
		q->dob = dob;
	q->nhs = field_value(f, "nhs_number");
	q->district = strcmp(district, "unknown") != 0 ? district : "";
	snprintf(key, keysz, "%s\n%s\n%s\n%s", q->name, dob, q->nhs, q->district);
}

int
tui_match_search(struct store *s, const struct tui_form *f, struct tui_match_step *m,
    char **cause)
{
	struct match_query q;
	char dob[11], key[sizeof m->asked];
	size_t n;

	tui_match_query(f, &q, dob, key, sizeof key);
	if (m->answered && strcmp(m->asked, key) == 0)
		return 0;
	m->answered = 0;
	if (*q.name == '\0' && q.dob == NULL && *q.nhs == '\0')
		return 0;
	if (match_find(s, &q, m->res, MATCH_MAX, &n, cause) < 0)
		return -1;
	m->n = n;
	snprintf(m->asked, sizeof m->asked, "%s", key);
	if (n == 0)
		return 0;
	m->showing = 1;
	m->list.n = n + 1;
	m->list.cursor = m->list.top = 0;
	return 1;
}

void
tui_match_answer(struct tui_match_step *m, struct tui_form *f)
{
	size_t i = m->list.cursor;

	m->showing = 0;
	m->answered = 1;
	m->shown = (int)m->n;
	m->none = i >= m->n;
	if (m->none)
		return;
	for (size_t k = 0; k < f->n; k++)
		if (f->f[k].name != NULL && strcmp(f->f[k].name, "case_id") == 0) {
			tui_edit_set(&f->f[k].edit, m->res[i].case_id);
			f->changed = f->touched = 1;
		}
	/* the officer chose this case: its name as typed needs no second warning */
	if (snprintf(m->id_checked, sizeof m->id_checked, "%s\n%s", m->res[i].case_id,
	    m->asked) >= (int)sizeof m->id_checked)
		m->id_checked[0] = '\0';	/* too long to remember: checked again next time */
}

int
tui_match_check_id(struct store *s, const struct tui_form *f, const char *id,
    struct tui_match_step *m, char *msg, size_t msgsz, char **cause)
{
	struct match_result r;
	struct match_query q, byid;
	struct personkey typed, stored;
	char dob[11], key[sizeof m->asked], checked[sizeof m->id_checked];
	size_t n;
	int name_differs, dob_differs;

	tui_match_query(f, &q, dob, key, sizeof key);
	if (snprintf(checked, sizeof checked, "%s\n%s", id, key) < (int)sizeof checked &&
	    strcmp(checked, m->id_checked) == 0)
		return 0;	/* confirmed already (a key too long to hold is checked again) */
	memset(&byid, 0, sizeof byid);
	byid.case_id = id;
	if (match_find(s, &byid, &r, 1, &n, cause) < 0)
		return -1;
	if (n == 0 || !(r.why & MATCH_ID))
		return 0;
	personkey_name(q.name, strlen(q.name), &typed);
	personkey_name(r.name, strlen(r.name), &stored);
	name_differs = typed.nwords > 0 && stored.nwords > 0 && !personkey_same(&typed, &stored);
	dob_differs = q.dob != NULL && r.dob[0] != '\0' && strcmp(q.dob, r.dob) != 0;
	if (!name_differs && !dob_differs)
		return 0;
	snprintf(m->id_checked, sizeof m->id_checked, "%s", checked);
	snprintf(msg, msgsz, "Case %s is recorded with another %s than typed here. Check it "
	    "is this child: F2 again links the contact to it.", r.case_id,
	    name_differs && dob_differs ? "name and date of birth" : name_differs ? "name" :
	    "date of birth");
	return 1;
}

const char *
tui_match_choice(const struct tui_match_step *m)
{
	if (!m->answered || m->shown == 0)
		return NULL;
	return m->none ? "none" : "linked";
}
