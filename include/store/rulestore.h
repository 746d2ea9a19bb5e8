/* rulestore.h: rule sets kept in the database, content-addressed by SHA-256, never deleted. */
#ifndef FD_RULESTORE_H
#define FD_RULESTORE_H

#include "base/digest.h"
#include "store/store.h"

struct publication {
	uint64_t n;		/* 1, 2, ...: the last is in force */
	unsigned char hash[DIGEST_LEN];
	int64_t time;
	char actor[65];
	uint64_t seq;		/* its record in the log, or 0 (the table alone) */
	int carried;		/* carried into the log from the table at migration */
};

/* Reads one entry of the publications table; -1 if it is malformed. */
int rulestore_decode(const struct store_val *k, const struct store_val *v, struct publication *p);

/* Stores the exact bytes under their hash (once) and records a publication. */
int rulestore_publish(struct store_txn *t, const char *text, size_t len, const char *actor,
    int64_t now, struct publication *out);
/* Stores the bytes without publishing them (for rule sets named in imported decisions). */
int rulestore_put(struct store_txn *t, const char *text, size_t len, unsigned char hash[DIGEST_LEN]);
/* The rule set in force; 1 if none was ever published. */
int rulestore_active(struct store_txn *t, struct publication *out);
/*
 * The exact bytes of a stored rule set (valid until the transaction ends); 1 if
 * absent, RULESTORE_ALTERED if they no longer hash to their name (out still set).
 */
#define RULESTORE_ALTERED 2
/* Whether a stored rule set's bytes still hash to its key (a 32-byte SHA-256). */
int rulestore_intact(const void *key, size_t klen, const void *data, size_t len);
int rulestore_get(struct store_txn *t, const unsigned char hash[DIGEST_LEN], struct store_val *out);
/* Calls fn for every publication, oldest first. */
int rulestore_history(struct store_txn *t, int (*fn)(const struct publication *p, void *arg),
    void *arg);

#endif
