/* treecheck.c: recomputes the log's tree from its records and compares each stored hash. */
#include "core/treecheck.h"

#include <string.h>

#include "store/dlog.h"
#include "store/tree.h"

void
treecheck_init(struct treecheck *tc, uint64_t leaves)
{
	memset(tc, 0, sizeof *tc);
	tc->leaves = leaves;
	tc->at = UINT64_MAX;
}

void
treecheck_free(struct treecheck *tc)
{
	store_cursor_close(tc->cursor);
	tc->cursor = NULL;
}

/* 0 with the stored hash, 1 if it is missing or malformed, -1 if the store fails. */
static int
stored(struct store_txn *t, int level, uint64_t n, unsigned char out[MERKLE_HASH])
{
	unsigned char key[8];
	struct store_val v;
	int rc;

	store_put_u64(key, merkle_stored_index(level, n));
	rc = store_get(t, TABLE_TREE, key, 8, &v);
	if (rc != 0)
		return rc;
	if (v.len != MERKLE_HASH)
		return 1;
	memcpy(out, v.data, MERKLE_HASH);
	return 0;
}

/*
 * The same, for the hashes a part reads in turn: a record's leaf and the
 * subtrees it completes follow each other in the table, so one cursor steps
 * through them (a new transaction, or a jump, seeks first).
 */
static int
stored_next(struct treecheck *tc, struct store_txn *t, int level, uint64_t n,
    unsigned char out[MERKLE_HASH])
{
	uint64_t index = merkle_stored_index(level, n);
	unsigned char key[8];
	struct store_val k, v;
	int rc;

	if (tc->cursor == NULL || tc->serial != store_txn_serial(t)) {
		treecheck_free(tc);
		if (store_cursor_open(t, TABLE_TREE, &tc->cursor) < 0)
			return -1;
		tc->serial = store_txn_serial(t);
		tc->at = UINT64_MAX;
	}
	if (tc->at != UINT64_MAX && tc->at + 1 == index)
		rc = store_cursor_move(tc->cursor, MOVE_NEXT, &k, &v);
	else {
		store_put_u64(key, index);
		rc = store_cursor_seek(tc->cursor, key, 8, &k, &v);
	}
	tc->at = UINT64_MAX;
	if (rc != 0)
		return rc;
	if (k.len != 8 || store_get_u64(k.data) != index || v.len != MERKLE_HASH)
		return 1;
	tc->at = index;
	memcpy(out, v.data, MERKLE_HASH);
	return 0;
}

/* A stored hash the tree should have is not there: said once, and the walk starts over. */
static int
missing(struct treecheck *tc, int rc, const char **what)
{
	if (rc < 0)
		return -1;
	tc->depth = 0;
	tc->next = 0;
	*what = "tree hash missing here: the tree was altered";
	return 1;
}

int
treecheck_record(struct treecheck *tc, struct store_txn *t, uint64_t seq, const void *raw,
    size_t len, const char **what)
{
	unsigned char want[MERKLE_HASH];
	uint64_t n = seq - 1;
	int level = 0, bad = 0, rc;

	*what = NULL;
	if (seq == 0 || n >= tc->leaves)
		return 0;
	if (n != tc->next)
		tc->depth = 0;	/* a gap: what was built so far is not this leaf's left */
	tc->next = n + 1;
	merkle_leaf_hash(raw, len, tc->hash[tc->depth]);
	tc->level[tc->depth++] = 0;
	if ((rc = stored_next(tc, t, 0, n, want)) != 0)
		return missing(tc, rc, what);
	if (memcmp(want, tc->hash[tc->depth - 1], MERKLE_HASH) != 0) {
		*what = "tree leaf differs: the record or the tree was altered";
		bad = 1;
	}
	/* go on from the stored hash: damage here must not be reported again higher up */
	memcpy(tc->hash[tc->depth - 1], want, MERKLE_HASH);
	for (uint64_t k = n; k & 1; k >>= 1, level++) {
		unsigned char left[MERKLE_HASH], node[MERKLE_HASH];
		int mine = tc->depth >= 2 && tc->level[tc->depth - 2] == level;

		if (mine)
			memcpy(left, tc->hash[tc->depth - 2], MERKLE_HASH);
		else if ((rc = stored(t, level, k - 1, left)) != 0)
			return missing(tc, rc, what);
		merkle_node_hash(left, tc->hash[tc->depth - 1], node);
		tc->depth -= mine ? 2 : 1;
		if ((rc = stored_next(tc, t, level + 1, k >> 1, want)) != 0)
			return missing(tc, rc, what);
		if (!bad && memcmp(want, node, MERKLE_HASH) != 0) {
			*what = "tree node above it differs: the tree was altered";
			bad = 1;
		}
		memcpy(tc->hash[tc->depth], want, MERKLE_HASH);
		tc->level[tc->depth++] = level + 1;
	}
	return bad;
}

/* A compact range: the roots of the complete subtrees of the records so far. */
struct compact {
	uint64_t size, want;
	int depth;
	int level[64];
	merkle_hash hash[64];
};

static int
compact_add(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct compact *c = arg;

	(void)t;
	if (c->size == c->want || seq != c->size + 1)
		return 1;	/* done, or a gap: the log ends here for the tree */
	merkle_leaf_hash(raw->data, raw->len, c->hash[c->depth]);
	c->level[c->depth++] = 0;
	while (c->depth >= 2 && c->level[c->depth - 1] == c->level[c->depth - 2]) {
		merkle_node_hash(c->hash[c->depth - 2], c->hash[c->depth - 1], c->hash[c->depth - 2]);
		c->level[c->depth - 2]++;
		c->depth--;
	}
	c->size++;
	return 0;
}

int
treecheck_root_from_log(struct store *s, uint64_t size, unsigned char root[MERKLE_HASH],
    uint64_t *have, char **cause)
{
	struct compact c;

	memset(&c, 0, sizeof c);
	c.want = size;
	if (dlog_scan(s, 1, compact_add, &c, cause) < 0)
		return -1;
	*have = c.size;
	if (c.depth == 0) {
		merkle_empty_root(root);
		return 0;
	}
	/* the smaller subtrees on the right fold in first */
	memcpy(root, c.hash[c.depth - 1], MERKLE_HASH);
	for (int i = c.depth - 2; i >= 0; i--)
		merkle_node_hash(c.hash[i], root, root);
	return 0;
}
