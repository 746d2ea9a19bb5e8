/* tree.c: keeps the log's Merkle tree in its table, a few hashes appended per record. */
#include "store/tree.h"

#include <string.h>

#include "base/util.h"

#define BUILD_CHUNK 100000	/* records a transaction while building an old log's tree */

static const char built_key[] = "tree-built-at";

static int
get_hash(void *arg, uint64_t index, unsigned char out[MERKLE_HASH])
{
	struct store_txn *t = arg;
	unsigned char key[8];
	struct store_val v;
	int rc;

	store_put_u64(key, index);
	rc = store_get(t, TABLE_TREE, key, 8, &v);
	if (rc < 0)
		return -1;
	if (rc == 1 || v.len != MERKLE_HASH)
		return store_fail(t, "the log's tree is damaged or incomplete at hash %llu",
		    (unsigned long long)index);
	memcpy(out, v.data, MERKLE_HASH);
	return 0;
}

void
tree_reader(struct store_txn *t, struct merkle_reader *r)
{
	r->get = get_hash;
	r->arg = t;
}

int
tree_leaves(struct store_txn *t, uint64_t *leaves)
{
	struct store_val k, v;
	int rc;

	*leaves = 0;
	rc = store_last(t, TABLE_TREE, &k, &v);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return 0;
	if (k.len != 8 || merkle_leaves_for_count(store_get_u64(k.data) + 1, leaves) < 0)
		return store_fail(t, "the log's tree is damaged: its last hash is out of place");
	return 0;
}

int
tree_append(struct store_txn *t, struct merkle_edge *e, const void *bytes, size_t len)
{
	unsigned char leaf[MERKLE_HASH], key[8];
	merkle_hash add[64];
	uint64_t n = e->leaves;
	int count;

	merkle_leaf_hash(bytes, len, leaf);
	merkle_edge_append(e, leaf, add, &count);
	for (int i = 0; i < count; i++) {
		store_put_u64(key, merkle_stored_index(i, n >> i));
		if (store_append(t, TABLE_TREE, key, 8, add[i], MERKLE_HASH) != 0)
			return store_fail(t, "the log's tree is out of step with the log: nothing "
			    "was saved (run frontdoor verify)");
	}
	return 0;
}

/* The stored tree's right edge. */
static int
load_edge(struct store_txn *t, struct merkle_edge *e)
{
	struct merkle_reader r;
	uint64_t n;

	if (tree_leaves(t, &n) < 0)
		return -1;
	tree_reader(t, &r);
	return merkle_edge_load(&r, n, e);
}

/*
 * Adds up to `max` records after the tree's last leaf (e, loaded by the
 * caller, is its edge): leaf n is record n + 1. Stops (*gap set) at a record
 * missing from the sequence: a damaged log gets no tree past it. *more is
 * set when records remain.
 */
static int
catch_up(struct store_txn *t, struct merkle_edge *e, uint64_t max, int *more, uint64_t *gap)
{
	struct store_cursor *c;
	struct store_val k, v;
	unsigned char key[8];
	uint64_t added = 0;
	int rc;

	*more = 0;
	*gap = 0;
	if (store_cursor_open(t, TABLE_LOG, &c) < 0)
		return -1;
	store_put_u64(key, e->leaves + 1);
	for (rc = store_cursor_seek(c, key, 8, &k, &v); rc == 0 && added < max;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v), added++) {
		if (k.len != 8 || store_get_u64(k.data) != e->leaves + 1) {
			*gap = e->leaves + 1;
			break;
		}
		if (tree_append(t, e, v.data, v.len) < 0) {
			rc = -1;
			break;
		}
	}
	store_cursor_close(c);
	*more = rc == 0 && *gap == 0;
	return rc < 0 ? -1 : 0;
}

int
tree_catch_up(struct store_txn *t, struct merkle_edge *e)
{
	uint64_t gap;
	int more;

	if (load_edge(t, e) < 0 || catch_up(t, e, UINT64_MAX, &more, &gap) < 0)
		return -1;
	if (gap != 0)
		return store_fail(t, "damaged log: record %llu is missing or out of place, so the "
		    "log's tree cannot grow past it: nothing was saved (run frontdoor verify)",
		    (unsigned long long)gap);
	return 0;
}

struct build_arg {
	int more;
	uint64_t log_size, gap;
};

static int
build_txn(struct store_txn *t, void *argp)
{
	struct build_arg *a = argp;
	unsigned char val[8];
	struct store_val v;
	struct merkle_edge e;
	int rc = store_get(t, TABLE_META, built_key, sizeof built_key - 1, &v);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		store_put_u64(val, a->log_size);
		if (store_put(t, TABLE_META, built_key, sizeof built_key - 1, val, 8) < 0)
			return -1;
	}
	if (load_edge(t, &e) < 0)
		return -1;
	return catch_up(t, &e, BUILD_CHUNK, &a->more, &a->gap);
}

/* How many entries the log has, and how many leaves the tree. */
static int
sizes_txn(struct store_txn *t, void *argp)
{
	uint64_t *sizes = argp;
	size_t n;

	if (store_count(t, TABLE_LOG, &n) < 0 || tree_leaves(t, &sizes[1]) < 0)
		return -1;
	sizes[0] = n;
	return 0;
}

int
tree_build(struct store *s, char **cause)
{
	struct build_arg a = { 1, 0, 0 };
	uint64_t sizes[2];

	if (store_read(s, sizes_txn, sizes, cause) < 0)
		return -1;
	if (sizes[1] >= sizes[0])
		return 0;
	a.log_size = sizes[0];
	while (a.more)
		if (store_write(s, build_txn, &a, cause) < 0)
			return -1;
	return 0;
}

int
tree_built_at(struct store_txn *t, uint64_t *size)
{
	struct store_val v;
	int rc = store_get(t, TABLE_META, built_key, sizeof built_key - 1, &v);

	*size = 0;
	if (rc < 0)
		return -1;
	if (rc == 0 && v.len == 8)
		*size = store_get_u64(v.data);
	return 0;
}
