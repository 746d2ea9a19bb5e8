/* ledger.h: rule-set publications and users' roles as records of the log, and their index. */
#ifndef FD_LEDGER_H
#define FD_LEDGER_H

#include "store/dlog.h"
#include "store/roles.h"
#include "store/rulestore.h"

/*
 * The metadata key that holds the sequence number (8 bytes) of the newest
 * publication, grant or removal in the log; each such record's ref names the
 * one before it, so they can be walked without reading the decisions. A
 * database without the key was written before these records were kept: its
 * users and publications are carried into the log by its next append.
 */
#define LEDGER_META_KEY "ledger"
#define LEDGER_CARRIED "{\"carried_over\":\"at migration\"}"

/* Who makes a change, and when. */
struct ledger_actor {
	const char *user;
	const char *role;
	int64_t time;
};

/* 0 with the newest such record's sequence (0 if none yet); 1 if not yet migrated. */
int ledger_last(struct store_txn *t, uint64_t *seq);
/*
 * Calls fn for every publication, grant and removal in the log, newest first;
 * fn's non-zero result stops the walk and is returned. -1 (cause set on the
 * transaction) if a link does not lead to such a record.
 */
int ledger_walk(struct store_txn *t, int (*fn)(const struct record *r, void *arg), void *arg);

/* Stores the rule set's bytes and appends its publication record. */
int ledger_publish(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a,
    const char *text, size_t len, struct publication *out);
/* Appends a grant of role to user (or with role -1, a removal) and updates the users table. */
int ledger_grant(struct store_txn *t, struct dlog_head *head, const struct ledger_actor *a,
    const char *user, int role);
/*
 * The rule set in force: the newest publication in the log (in a database not
 * yet migrated, the newest in its table). 1 if there is none.
 */
int ledger_active(struct store_txn *t, struct publication *out);
/* 0 if the rule set has a publication record in the log (or table, before migration), else 1. */
int ledger_published(struct store_txn *t, const unsigned char hash[DIGEST_LEN]);
/*
 * Once per head: carries the users and publications of a database written
 * before they were logged into the log, as records by the actor of the change
 * that found them missing (by), each marked carried over; then reads the
 * newest into head. Every append calls it first.
 */
int ledger_prepare(struct store_txn *t, struct dlog_head *head, const struct record *by);

/* A publication record as the history lists it; its time and actor are the record's. */
void ledger_publication(const struct record *r, uint64_t n, struct publication *out);

#endif
