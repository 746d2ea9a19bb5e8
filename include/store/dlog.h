/* dlog.h: the append-only, hash-chained decision log and the case state it keeps. */
#ifndef FD_DLOG_H
#define FD_DLOG_H

#include "base/merkle.h"
#include "store/record.h"
#include "base/names.h"
#include "store/store.h"

/*
 * The newest record: its sequence number (0 when the log is empty) and hash;
 * and, once an append in this transaction has read them, the right edge of
 * the log's Merkle tree and the open-case counts as stored (by route, then
 * all), so that later appends need not read them again.
 */
struct dlog_head {
	uint64_t seq;
	unsigned char hash[DIGEST_LEN];
	int edge_read;
	struct merkle_edge edge;
	int ledger_checked;		/* publications and grants are in the log (migrated) */
	uint64_t ledger_last;		/* the newest of them, or 0 */
	int ruleset_ok;			/* this rule set was found published */
	unsigned char ruleset_ok_hash[DIGEST_LEN];
	int counts_read;
	uint64_t counts[ROUTE_COUNT + 1];
	int people_current;		/* the person index covers the log (people.h) */
};

enum case_status { CASE_OPEN, CASE_CLOSED };

/* What the log knows of one case (child) without reading its records. */
struct case_state {
	enum case_status status;
	int route, level;		/* latest final route, or RECORD_NONE */
	uint32_t contacts;		/* route and override records */
	uint64_t first_seq, last_seq;
	uint64_t awaiting_signoff;	/* an override, step-down or route correction not yet
					   signed off, or 0 */
	int changed_from;		/* the route before the change awaiting sign-off */
	int returned;			/* a sign-off returned the latest change: a new
					   decision is due */
};

/* The genesis: the "prev" of record 1 is 32 zero bytes. */
int dlog_head(struct store_txn *t, struct dlog_head *h);
/*
 * Appends r after head (which the caller read in this transaction, or kept
 * from the previous append in it): sets r->seq, r->prev and r->hash, writes
 * the record, its leaf of the log's Merkle tree, the case index, the case
 * state and the queue, and advances head. A decision's rule set must have a
 * publication record in the log. A publication, grant or removal has no case
 * id; its ref is set to the one before it (see ledger.h). The first append to
 * a database from before those records carries its users and publications
 * into the log first (ledger_migrate).
 * scratch is reused for the encoding.
 */
int dlog_append(struct store_txn *t, struct dlog_head *head, struct record *r, struct buf *scratch);
/* Reads record seq; 1 if there is none; -1 if damaged (cause set). */
int dlog_get(struct store_txn *t, uint64_t seq, struct record *r, char **cause);
/* 0 with the state, 1 if the case is unknown. */
int dlog_case_state(struct store_txn *t, const char *case_id, size_t len, struct case_state *cs);
/* The state of a case before its first record. */
void dlog_case_init(struct case_state *cs);
/*
 * Whether an outcome record closes its case: a closure names no route; a
 * progress outcome names the route the case stays open on.
 */
int dlog_outcome_closes(const struct record *r);
/* How one decision record changes its case's state: the rule the cases table is kept by. */
void dlog_case_apply(struct case_state *cs, const struct record *r);
/*
 * Whether a stored case state says what cs does: 1 yes, 0 no, -1 malformed
 * (a version-1 value is compared on the fields it has).
 */
int dlog_case_state_same(const struct store_val *v, const struct case_state *cs);
/*
 * A key of the cases table: 0 a case's state (the id is the whole key), 1 an
 * index entry (id, NUL, 8-byte sequence), -1 neither. Sets the id's length
 * and, for an index entry, the sequence.
 */
int dlog_case_key(const struct store_val *k, size_t *idlen, uint64_t *seq);
/*
 * One entry of the queue of open cases: its case id and, so that the route
 * and sign-off filters need not look each case up, a copy of its route and
 * whether it awaits sign-off (has_state is 0 for entries written before
 * the copy was kept, whose value is the case id alone).
 */
struct queue_entry {
	const char *id;
	size_t len;
	int has_state;
	int route;			/* or RECORD_NONE */
	int awaiting;
	int returned;			/* its latest change was returned at sign-off */
};

/* Reads a queue value; -1 if it is malformed. */
int dlog_queue_entry(const struct store_val *v, struct queue_entry *e);
/* Whether a decoded queue entry says what the queue keeps for an open case in state cs. */
int dlog_queue_entry_same(const struct queue_entry *e, const struct case_state *cs);
/* The stored open-case counts (0), or counted from the queue as none are stored (1); -1 on error. */
int dlog_stored_counts(struct store_txn *t, uint64_t counts[ROUTE_COUNT + 1]);
/* Whether a queue key is the open-case counts' rather than an entry's. */
int dlog_is_counts_key(const struct store_val *k);

/*
 * Open cases per route (counts[ROUTE_COUNT]: all open cases), kept in the
 * metadata beside the queue by every append, so reading them costs one
 * lookup, not one per open case. A database written before they were kept
 * has them counted here from the queue, until its next append stores them.
 */
int dlog_open_counts(struct store_txn *t, uint64_t counts[ROUTE_COUNT + 1]);
/* Calls fn for each record of one case, oldest first; stops when fn returns non-zero. */
int dlog_case_records(struct store_txn *t, const char *case_id, size_t len,
    int (*fn)(const struct record *r, void *arg), void *arg, char **cause);
/*
 * Reads the case's newest route or override record at or before sequence
 * `at` (the record that holds its facts): 0 with it, 1 if there is none,
 * -1 if damaged (cause set).
 */
int dlog_case_last_decision(struct store_txn *t, const char *case_id, size_t len, uint64_t at,
    struct record *r, char **cause);

/*
 * Calls fn for every stored log entry from sequence `from` on, in order, in
 * read transactions of a bounded size (so a long scan never pins one old
 * snapshot). fn gets the raw key and value; a non-zero result stops the scan
 * and is returned.
 */
typedef int (*dlog_scan_fn)(struct store_txn *t, uint64_t key_seq, const struct store_val *raw,
    void *arg);
int dlog_scan(struct store *s, uint64_t from, dlog_scan_fn fn, void *arg, char **cause);
/*
 * dlog_scan from the first record, also giving the number of records the log
 * held in the transaction that reached its end (writers may append while a
 * long scan goes on; records added after that are not counted).
 */
int dlog_scan_all(struct store *s, dlog_scan_fn fn, void *arg, size_t *count, char **cause);

/*
 * What a reader of the whole log from record 1 checks as it goes, so that a
 * damaged page never passes for the log: each record's sequence number
 * follows the one before, it chains to that one's hash, and its own hash
 * matches its bytes. Starts zeroed (the genesis), or with from_any set to
 * start from whichever record comes first.
 */
struct dlog_chain {
	uint64_t seq;
	unsigned char hash[DIGEST_LEN];
	int from_any;
};

/* Takes record seq (r decoded from raw, or NULL if it did not decode); -1 with a cause if it breaks the chain. */
int dlog_chain_step(struct dlog_chain *c, uint64_t seq, const struct store_val *raw,
    const struct record *r, char **cause);
/* After dlog_scan_all: -1 with a cause unless it read as many records as the log held (count). */
int dlog_chain_end(const struct dlog_chain *c, size_t count, char **cause);

/* One of the contiguous ranges a log is split into for scanning on several cores. */
struct dlog_part {
	uint64_t from, to;	/* keys, inclusive; the last part runs to the end */
	dlog_scan_fn fn;
	void *arg;
	int rc;
	char *cause;
};

/* How many parts to scan `records` records in: one per core (at most max), none tiny. */
int dlog_part_count(uint64_t records, int wanted, int max);
/* Sets parts[i].from/to to split records 1..records into n ranges. */
void dlog_split(struct dlog_part *parts, int n, uint64_t records);
/*
 * Scans every part, part 0 on the calling thread and the others on their own
 * threads, each in its own read transactions; fn sees only its part's keys.
 * Returns -1 if any part failed (its cause is in the part).
 */
int dlog_scan_parts(struct store *s, struct dlog_part *parts, int n);

#endif
