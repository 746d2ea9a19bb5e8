/* peoplecheck.h: the person index rebuilt from the log, entry by entry, and compared. */
#ifndef FD_PEOPLECHECK_H
#define FD_PEOPLECHECK_H

#include <stdint.h>

#include "core/casecheck.h"
#include "store/record.h"
#include "store/store.h"

/*
 * For each record, the sum of a 64-bit hash of every entry it should have,
 * less the same over the entries stored under its sequence number: zero for
 * every record when the index is what the log gives. The log's scan (parts
 * on several threads fill different records) adds; the table's walk takes away.
 */
struct peoplecheck {
	uint64_t *sum;		/* [1..n] */
	uint64_t n;
};

void peoplecheck_init(struct peoplecheck *pc, uint64_t n);
void peoplecheck_free(struct peoplecheck *pc);
/* Adds the entries a record the scan read intact should have. */
void peoplecheck_record(struct peoplecheck *pc, const struct record *r);
/*
 * Walks the index and says which records' entries differ from what they
 * give (records after `scanned`, the log's length when it was read, are
 * left out: a writer may have added them since). An index never built (a
 * database from before it, read only) is not compared. -1 with a cause if
 * the table cannot be read.
 */
int peoplecheck_table(struct store *s, struct peoplecheck *pc, uint64_t scanned,
    casecheck_problem_fn problem, void *arg, char **cause);

#endif
