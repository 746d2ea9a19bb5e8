/* merkle.h: RFC 6962 / RFC 9162 Merkle tree hashes, proofs and their checks, over stored hashes. */
#ifndef FD_MERKLE_H
#define FD_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH 32
#define MERKLE_MAX_PROOF 128	/* hashes in any proof of a tree of at most 2^63 leaves */

/*
 * The tree is kept as the hashes of its complete subtrees, each written once,
 * in the order they come into being: leaf n, then every subtree leaf n
 * completes, lowest first. That order is append-only, so a store keeps them
 * under one growing sequence of keys; merkle_stored_index names each one's place.
 *
 * A reader fetches the stored hash at a place: 0, or -1 if it cannot.
 */
struct merkle_reader {
	int (*get)(void *arg, uint64_t index, unsigned char out[MERKLE_HASH]);
	void *arg;
};

typedef unsigned char merkle_hash[MERKLE_HASH];

/* SHA-256(0x00 || data) and SHA-256(0x01 || left || right). */
void merkle_leaf_hash(const void *data, size_t len, unsigned char out[MERKLE_HASH]);
void merkle_node_hash(const unsigned char left[MERKLE_HASH], const unsigned char right[MERKLE_HASH],
    unsigned char out[MERKLE_HASH]);
/* The root of the empty tree: SHA-256 of nothing. */
void merkle_empty_root(unsigned char out[MERKLE_HASH]);

/* Where the hash of the level-`level` subtree number n (0-based) is stored. */
uint64_t merkle_stored_index(int level, uint64_t n);
/* How many hashes a tree of `leaves` leaves stores. */
uint64_t merkle_stored_count(uint64_t leaves);
/* The number of leaves whose tree stores exactly `count` hashes; -1 if none does. */
int merkle_leaves_for_count(uint64_t count, uint64_t *leaves);

/*
 * The right edge of a tree of `leaves` leaves: for each 1 bit l of leaves,
 * right[l] is the hash of the complete subtree of 2^l leaves that a new
 * leaf's side will meet. A writer keeps it in memory so that an append reads
 * no stored hash.
 */
struct merkle_edge {
	uint64_t leaves;
	merkle_hash right[64];
};

/* Reads the edge of the tree of `leaves` leaves from the stored hashes. */
int merkle_edge_load(const struct merkle_reader *r, uint64_t leaves, struct merkle_edge *e);
/*
 * Adds the leaf with hash `leaf` as number e->leaves and advances the edge.
 * Writes the hashes to store to out (at most 64): the leaf's own, then each
 * subtree it completes; and their number to *count.
 */
void merkle_edge_append(struct merkle_edge *e, const unsigned char leaf[MERKLE_HASH],
    merkle_hash out[64], int *count);

/* The root of the first `size` leaves. */
int merkle_root(const struct merkle_reader *r, uint64_t size, unsigned char out[MERKLE_HASH]);
/* The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 2.1.3.1). */
int merkle_inclusion(const struct merkle_reader *r, uint64_t index, uint64_t size,
    merkle_hash proof[MERKLE_MAX_PROOF], int *len);
/* The consistency proof from `old` leaves to `size` (RFC 9162 2.1.4.1); empty if old is 0 or size. */
int merkle_consistency(const struct merkle_reader *r, uint64_t old, uint64_t size,
    merkle_hash proof[MERKLE_MAX_PROOF], int *len);

/* Checks an audit path (RFC 9162 2.1.3.2): 0 if leaf is at index in the tree with root. */
int merkle_check_inclusion(const unsigned char leaf[MERKLE_HASH], uint64_t index, uint64_t size,
    const merkle_hash *proof, int len, const unsigned char root[MERKLE_HASH]);
/* Checks a consistency proof (RFC 9162 2.1.4.2): 0 if the tree of old_root extends to new_root. */
int merkle_check_consistency(uint64_t old, uint64_t size, const unsigned char old_root[MERKLE_HASH],
    const unsigned char new_root[MERKLE_HASH], const merkle_hash *proof, int len);

#endif
