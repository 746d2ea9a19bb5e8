/* find.c: person search for the screens, through core's match_find (no curses here). */
#include "tui/state/find.h"

#include <stdio.h>
#include <string.h>

#include "base/time.h"

void
tui_find_row(const struct match_result *m, uint64_t key, struct queue_row *row)
{
	memset(row, 0, sizeof *row);
	row->seq = key;
	snprintf(row->case_id, sizeof row->case_id, "%s", m->case_id);
	snprintf(row->name, sizeof row->name, "%s", m->name);
	snprintf(row->district, sizeof row->district, "%s", m->district);
	row->route = m->route;
	row->level = m->level;
	row->urgency = URGENCY_NONE;
	row->contacts = m->contacts;
	row->closed = !m->open;
	if (m->ncontacts > 0)
		row->last_kind = m->last[0].kind;
	snprintf(row->received, sizeof row->received, "%s", m->received);
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
