/* verify.h: checks the whole decision log: sequence, hash chain, Merkle tree, checkpoints, and replay. */
#ifndef FD_VERIFY_H
#define FD_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "base/digest.h"
#include "store/store.h"

struct verify_problem {
	uint64_t seq;		/* 0: not a record's (a stored rule set) */
	char *text;		/* "seq N case ID: what is wrong", sanitised */
	size_t order;		/* the order found, kept among one record's problems */
};

struct verify_result {
	unsigned long records, replayed;
	uint64_t tree_leaves;		/* records the stored tree covers */
	int tree_root_checked;		/* the signed checkpoint's root was found */
	struct verify_problem *problems;
	size_t nproblems;
};

struct verify_opts {
	int have_check;		/* a checkpoint kept outside the host */
	uint64_t check_seq;
	unsigned char check_hash[DIGEST_LEN];
	int have_tree_check;	/* a signed checkpoint's tree (its signature checked by the caller) */
	uint64_t tree_size;
	unsigned char tree_root[DIGEST_LEN];
	int threads;		/* 0: one per processor, at most 8 */
	/* called now and then from the calling thread */
	void (*progress)(size_t done, size_t total, void *arg);
	void *progress_arg;
	/*
	 * Optional, for one-thread runs over a store whose rule sets the caller
	 * knows unchanged since the cache was filled (the verifier's fuzz harness,
	 * which runs verify tens of millions of times): rule sets loaded by an
	 * earlier run, kept and reused. NULL: each run loads what it needs.
	 */
	struct ruleset_cache *cache;
};

/*
 * Verifies every record: sequence numbers without gaps, each record's hash
 * over its bytes, each record chained to the one before, the checkpoint
 * given and every checkpoint stored, and every engine decision replayed with
 * the rule set it recorded. Problems are listed in sequence order. Returns
 * -1 only when the database cannot be read at all.
 */
int verify_run(struct store *s, const struct verify_opts *o, struct verify_result *res,
    char **cause);
void verify_result_free(struct verify_result *res);

#endif
