/* data.h: what the screens read from and write to the store, without curses. */
#ifndef FD_TUI_DATA_H
#define FD_TUI_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "store/dlog.h"
#include "core/queue.h"
#include "store/roles.h"
#include "store/store.h"
#include "tui/state/state.h"

typedef void (*tui_progress_fn)(size_t done, size_t total, void *arg);

/* The user's role: *has is 0 when the user has none. */
int tui_data_role(struct store *s, const char *user, enum role *role, int *has, char **cause);
/* queue_page for struct tui_queue (arg is the store). */
int tui_data_queue_fetch(void *arg, const struct queue_filter *f, uint64_t key, int newer,
    struct queue_row *rows, size_t n, int *more, char **cause);
/* One case's records, oldest first, and its state; *known is 0 for an unknown case. */
int tui_data_case(struct store *s, const char *case_id, struct tui_case_entry **e, size_t *n,
    struct case_state *cs, int *known, char **cause);
/* Receipt times of the case's earlier contacts (route and override records). */
int tui_data_earlier(struct store *s, const char *case_id, int64_t **times, size_t *n,
    char **cause);
int tui_data_case_exists(struct store *s, const char *case_id, int *exists, char **cause);
/* A case id no case has yet: C- and the next sequence number, skipping ids in use. */
int tui_data_new_case_id(struct store *s, char *out, size_t outsz, char **cause);
/* The decision a case has awaiting sign-off (0 if none) and that record. */
int tui_data_awaiting(struct store *s, const char *case_id, uint64_t *seq,
    struct tui_case_entry *e, char **cause);
/* The log's newest sequence number and how many records it holds. */
int tui_data_head(struct store *s, uint64_t *head, char **cause);
/* Records from seq `from` downwards (at most n), newest first. */
int tui_data_log_page(struct store *s, uint64_t from, size_t n, struct tui_case_entry *out,
    size_t *got, char **cause);
/* Scans the whole log for the charts. */
int tui_data_charts(struct store *s, struct tui_charts *c, tui_progress_fn progress, void *arg,
    char **cause);
/* Replays every decision under a candidate rule set; fills w anew (audit_whatif_free it). */
int tui_data_whatif(struct store *s, const struct ruleset *candidate, struct audit_whatif *w,
    tui_progress_fn progress, void *arg, char **cause);

#endif
