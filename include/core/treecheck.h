/* treecheck.h: checks the stored Merkle tree against the records it was built from, part by part. */
#ifndef FD_TREECHECK_H
#define FD_TREECHECK_H

#include <stddef.h>
#include <stdint.h>

#include "base/merkle.h"
#include "store/store.h"

/*
 * One part's walk up the tree: the hashes of its own records' subtrees that
 * are not yet complete, each at its level. A subtree reaching left out of the
 * part takes its left half from the store (the part there checks that half).
 */
struct store_cursor;
struct treecheck {
	uint64_t leaves;		/* the stored tree's size: records past it are not checked */
	uint64_t next;			/* the leaf expected next (a gap starts the walk over) */
	struct store_cursor *cursor;	/* the stored hashes are read in the order they were written */
	uint64_t serial;		/* the transaction the cursor belongs to */
	uint64_t at;			/* the place it is at, or UINT64_MAX */
	int depth;
	int level[64];
	merkle_hash hash[64];
};

void treecheck_init(struct treecheck *tc, uint64_t leaves);
/* Closes its cursor (read-only: after its transaction ended, as LMDB allows). */
void treecheck_free(struct treecheck *tc);
/*
 * Checks record seq's leaf (its stored bytes raw) and every subtree it
 * completes against the stored hashes: 0 when they agree (or the tree does
 * not reach it), 1 with *what saying which differs, -1 if the store fails.
 */
int treecheck_record(struct treecheck *tc, struct store_txn *t, uint64_t seq, const void *raw,
    size_t len, const char **what);
/*
 * The root of the first `size` records, computed from the records alone (for
 * a log whose stored tree is missing, short or damaged); *have is how many
 * records it found in sequence, less than size if the log is shorter.
 */
int treecheck_root_from_log(struct store *s, uint64_t size, unsigned char root[MERKLE_HASH],
    uint64_t *have, char **cause);

#endif
