/* find.h: person search for the screens: the queue's search over every case, and the intake's match step. */
#ifndef FD_TUI_FIND_H
#define FD_TUI_FIND_H

#include <stddef.h>
#include <stdint.h>

#include "core/match.h"
#include "core/queue.h"
#include "store/store.h"

/*
 * The queue's rows for a search (f->search) through every case, open and
 * closed (match_find over the text, split by match_query_parse), best first;
 * the district and route filters still apply. The rows' keys are their
 * places in the ranking (TUI_FIND_TOP for the best, one less for each
 * after), so that the queue pages through them as through the log.
 */
#define TUI_FIND_TOP (UINT64_C(1) << 62)
int tui_find_page(struct store *s, const struct queue_filter *f, uint64_t key, int newer,
    struct queue_row *rows, size_t n, int *more, char **cause);
/* One match as a queue row (its key is given). */
void tui_find_row(const struct match_result *m, uint64_t key, struct queue_row *row);

#endif
