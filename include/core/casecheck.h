/* casecheck.h: rebuilds the cases table, its index and the queue from the log and compares them. */
#ifndef FD_CASECHECK_H
#define FD_CASECHECK_H

#include <stdint.h>

#include "store/record.h"
#include "store/store.h"

/*
 * What the rebuild needs of each decision, by sequence number, filled in by
 * the log's scan (parts on several threads fill different entries).
 */
struct casecheck_rec {
	uint64_t ref;
	uint32_t idhash;	/* a hash of the case id: an index entry under another case shows */
	uint8_t kind, route, level, flags;
	/* for an open case's latest record, what its queue entry must say */
	uint8_t queue_route, queue_awaiting, queue_returned;
};

struct casecheck {
	struct casecheck_rec *v;	/* [1..n] */
	uint64_t n;
};

typedef void (*casecheck_problem_fn)(void *arg, uint64_t seq, const char *what);

/*
 * Room for the decisions up to last_seq, the newest key of the log, unless
 * that is far past what the log holds (a damaged key may read as any number):
 * then as many as it holds; records past the room are left out, and the scan
 * reports the key.
 */
int casecheck_init(struct casecheck *cc, struct store *s, uint64_t last_seq, char **cause);
void casecheck_free(struct casecheck *cc);
/* Notes a decision record the scan read intact (others are left out). */
void casecheck_record(struct casecheck *cc, const struct record *r);
/*
 * Replays each case's records, in the order its index lists them, and says
 * where the stored state, the index, the queue or the open-case counts differ
 * from the log. Problems name records, never cases. -1 with a cause if the
 * tables cannot be read.
 */
int casecheck_tables(struct store *s, struct casecheck *cc, casecheck_problem_fn problem,
    void *arg, char **cause);

#endif
