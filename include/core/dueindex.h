/* dueindex.h: keeps the tray's index (store/tray.h) with the log: what is due on each open case. */
#ifndef FD_DUEINDEX_H
#define FD_DUEINDEX_H

#include <stdint.h>

#include "base/calendar.h"
#include "core/due.h"
#include "store/dlog.h"
#include "store/store.h"

/*
 * Walks one case's records for its due item (core/due.h). A damaged record
 * fails the transaction. 0, or -1 (cause set on the transaction).
 */
int dueindex_case_due(struct store_txn *t, const char *id, size_t len, uint64_t awaiting,
    const struct calendar *cal, struct due *out);
/*
 * Appends r (dlog_append) and, in the same transaction, sets its case's
 * place in the tray, due times counted in cal (NULL: the calendar of the
 * rule set in force). An index that did not cover the log before r (a
 * database from before it) is built first, in this transaction.
 */
int dueindex_append(struct store_txn *t, struct dlog_head *head, struct record *r,
    struct buf *scratch, const struct calendar *cal);
/* Whether the index covers the whole log: 1 yes, 0 no (read the records), -1 error. */
int dueindex_current(struct store_txn *t);
/*
 * Builds the index of a database from before it (a writable one; a no-op
 * when current), due times counted in cal.
 */
int dueindex_build(struct store *s, const struct calendar *cal, char **cause);

/*
 * Checks the index against the queue of open cases: each open case has one
 * place, at its latest record, and no closed case has one. Calls problem with
 * each finding (seq 0 when no record is to blame). Nothing is checked while
 * the index does not cover the log (it is built, not read, then).
 */
int dueindex_check(struct store *s, void (*problem)(void *arg, uint64_t seq, const char *what),
    void *arg, char **cause);

#endif
