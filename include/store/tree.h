/* tree.h: the decision log's Merkle tree, kept in the store beside the log and grown with it. */
#ifndef FD_TREE_H
#define FD_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "base/merkle.h"
#include "store/store.h"

/*
 * The leaves are the log's records in key order, each hashed over its exact
 * stored bytes; leaf i is record i + 1 in an undamaged log. Every complete
 * subtree's hash is stored once (merkle.h), so any root or proof costs a few
 * dozen lookups, whatever the log's length.
 */

/* How many leaves the stored tree has (0 when it has none); -1 if damaged. */
int tree_leaves(struct store_txn *t, uint64_t *leaves);
/*
 * Adds the record stored as bytes as the next leaf, number e->leaves, where
 * e is the tree's right edge (from tree_catch_up, kept for the life of the
 * write transaction): reads no stored hash, appends the new ones and
 * advances e.
 */
int tree_append(struct store_txn *t, struct merkle_edge *e, const void *bytes, size_t len);
/*
 * Brings the tree up to the log inside this transaction (the records after
 * those it covers become leaves; nothing when it is current) and reads its
 * right edge into e.
 */
int tree_catch_up(struct store_txn *t, struct merkle_edge *e);
/*
 * Builds the tree of a database written before it was kept (or by a version
 * that did not keep it), in transactions of a bounded size, and records in
 * the metadata the log's size when it was first built. A no-op when current.
 * It stops quietly at a record missing from the sequence (verify reports it;
 * appends are refused until it is repaired).
 */
int tree_build(struct store *s, char **cause);
/* A reader of the stored hashes inside t, for merkle.h's functions. */
void tree_reader(struct store_txn *t, struct merkle_reader *r);
/* The log size at which the tree was first built for this database, or 0 (from its start). */
int tree_built_at(struct store_txn *t, uint64_t *size);

#endif
