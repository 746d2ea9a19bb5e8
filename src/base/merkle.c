/* merkle.c: RFC 9162 tree heads, audit paths and consistency proofs, computed from stored subtrees. */
#include "base/merkle.h"

#include <string.h>

#include "base/digest.h"

void
merkle_leaf_hash(const void *data, size_t len, unsigned char out[MERKLE_HASH])
{
	digest_sha256_prefixed(0x00, data, len, out);
}

void
merkle_node_hash(const unsigned char left[MERKLE_HASH], const unsigned char right[MERKLE_HASH],
    unsigned char out[MERKLE_HASH])
{
	unsigned char in[1 + 2 * MERKLE_HASH];

	in[0] = 0x01;
	memcpy(in + 1, left, MERKLE_HASH);
	memcpy(in + 1 + MERKLE_HASH, right, MERKLE_HASH);
	digest_sha256(in, sizeof in, out);
}

void
merkle_empty_root(unsigned char out[MERKLE_HASH])
{
	digest_sha256("", 0, out);
}

/*
 * A tree of n leaves has stored every complete subtree of every level:
 * n + n/2 + n/4 + ... hashes, which is 2n less the number of bits set in n.
 */
uint64_t
merkle_stored_count(uint64_t leaves)
{
	return 2 * leaves - (uint64_t)__builtin_popcountll(leaves);
}

/* A subtree is stored right after its last leaf and the lower subtrees that leaf completes. */
uint64_t
merkle_stored_index(int level, uint64_t n)
{
	uint64_t last = ((n + 1) << level) - 1;

	return merkle_stored_count(last) + (uint64_t)level;
}

/* The count grows strictly with the leaves, so at most one number of leaves gives it. */
int
merkle_leaves_for_count(uint64_t count, uint64_t *leaves)
{
	for (uint64_t bits = 0; bits <= 64; bits++) {
		uint64_t n;

		if ((count + bits) % 2 != 0)
			continue;
		n = (count + bits) / 2;
		if ((uint64_t)__builtin_popcountll(n) == bits && merkle_stored_count(n) == count) {
			*leaves = n;
			return 0;
		}
	}
	return -1;
}

int
merkle_edge_load(const struct merkle_reader *r, uint64_t leaves, struct merkle_edge *e)
{
	e->leaves = leaves;
	for (int level = 0; level < 64; level++) {
		uint64_t n = leaves >> level;

		if (n & 1 && r->get(r->arg, merkle_stored_index(level, n - 1), e->right[level]) < 0)
			return -1;
	}
	return 0;
}

void
merkle_edge_append(struct merkle_edge *e, const unsigned char leaf[MERKLE_HASH],
    merkle_hash out[64], int *count)
{
	int level = 0;

	memcpy(out[0], leaf, MERKLE_HASH);
	/* each 1 bit at the bottom of the size is a left sibling waiting for this leaf's side */
	for (uint64_t i = e->leaves; i & 1; i >>= 1, level++)
		merkle_node_hash(e->right[level], out[level], out[level + 1]);
	/* the subtree just completed is the edge's at its level; those below it are inside it */
	memcpy(e->right[level], out[level], MERKLE_HASH);
	e->leaves++;
	*count = level + 1;
}

/* The largest power of two below n (n >= 2). */
static uint64_t
split_point(uint64_t n)
{
	uint64_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

/*
 * The hash of leaves lo..hi-1: one stored hash when they are a complete,
 * aligned subtree, else the RFC's split into a complete left part and the rest.
 */
static int
range_hash(const struct merkle_reader *r, uint64_t lo, uint64_t hi, unsigned char out[MERKLE_HASH])
{
	uint64_t n = hi - lo, k;
	unsigned char left[MERKLE_HASH], right[MERKLE_HASH];

	if ((n & (n - 1)) == 0 && lo % n == 0)
		return r->get(r->arg, merkle_stored_index(__builtin_ctzll(n), lo / n), out);
	k = split_point(n);
	if (range_hash(r, lo, lo + k, left) < 0 || range_hash(r, lo + k, hi, right) < 0)
		return -1;
	merkle_node_hash(left, right, out);
	return 0;
}

int
merkle_root(const struct merkle_reader *r, uint64_t size, unsigned char out[MERKLE_HASH])
{
	if (size == 0) {
		merkle_empty_root(out);
		return 0;
	}
	return range_hash(r, 0, size, out);
}

/* PATH(m, D[lo:hi]): the siblings from the leaf up, appended to proof. */
static int
path(const struct merkle_reader *r, uint64_t m, uint64_t lo, uint64_t hi, merkle_hash *proof,
    int *len)
{
	uint64_t k;
	int rc;

	if (hi - lo <= 1)
		return 0;
	if (*len >= MERKLE_MAX_PROOF)
		return -1;
	k = split_point(hi - lo);
	if (m < k) {
		rc = path(r, m, lo, lo + k, proof, len);
		return rc < 0 ? -1 : range_hash(r, lo + k, hi, proof[(*len)++]);
	}
	rc = path(r, m - k, lo + k, hi, proof, len);
	return rc < 0 ? -1 : range_hash(r, lo, lo + k, proof[(*len)++]);
}

int
merkle_inclusion(const struct merkle_reader *r, uint64_t index, uint64_t size,
    merkle_hash proof[MERKLE_MAX_PROOF], int *len)
{
	*len = 0;
	if (index >= size)
		return -1;
	return path(r, index, 0, size, proof, len);
}

/* SUBPROOF(m, D[lo:hi], whole): whole is true while D[lo:lo+m] is the old tree itself. */
static int
subproof(const struct merkle_reader *r, uint64_t m, uint64_t lo, uint64_t hi, int whole,
    merkle_hash *proof, int *len)
{
	uint64_t n = hi - lo, k;
	int rc;

	if (*len >= MERKLE_MAX_PROOF)
		return -1;
	if (m == n)
		return whole ? 0 : range_hash(r, lo, hi, proof[(*len)++]);
	k = split_point(n);
	if (m <= k) {
		rc = subproof(r, m, lo, lo + k, whole, proof, len);
		return rc < 0 ? -1 : range_hash(r, lo + k, hi, proof[(*len)++]);
	}
	rc = subproof(r, m - k, lo + k, hi, 0, proof, len);
	return rc < 0 ? -1 : range_hash(r, lo, lo + k, proof[(*len)++]);
}

int
merkle_consistency(const struct merkle_reader *r, uint64_t old, uint64_t size,
    merkle_hash proof[MERKLE_MAX_PROOF], int *len)
{
	*len = 0;
	if (old > size)
		return -1;
	if (old == 0 || old == size)
		return 0;
	return subproof(r, old, 0, size, 1, proof, len);
}

int
merkle_check_inclusion(const unsigned char leaf[MERKLE_HASH], uint64_t index, uint64_t size,
    const merkle_hash *proof, int len, const unsigned char root[MERKLE_HASH])
{
	uint64_t fn = index, sn = size - 1;
	unsigned char h[MERKLE_HASH];

	if (index >= size)
		return -1;
	memcpy(h, leaf, MERKLE_HASH);
	for (int i = 0; i < len; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof[i], h, h);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			merkle_node_hash(h, proof[i], h);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(h, root, MERKLE_HASH) == 0 ? 0 : -1;
}

int
merkle_check_consistency(uint64_t old, uint64_t size, const unsigned char old_root[MERKLE_HASH],
    const unsigned char new_root[MERKLE_HASH], const merkle_hash *proof, int len)
{
	uint64_t fn, sn;
	unsigned char fr[MERKLE_HASH], sr[MERKLE_HASH];
	int i = 0;

	if (old > size)
		return -1;
	if (old == size)
		return len == 0 && memcmp(old_root, new_root, MERKLE_HASH) == 0 ? 0 : -1;
	if (old == 0)
		return len == 0 ? 0 : -1;
	if (len == 0)
		return -1;
	/* an old tree that is a complete subtree is its own first node */
	if ((old & (old - 1)) == 0) {
		memcpy(fr, old_root, MERKLE_HASH);
	} else
		memcpy(fr, proof[i++], MERKLE_HASH);
	memcpy(sr, fr, MERKLE_HASH);
	fn = old - 1;
	sn = size - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < len; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof[i], fr, fr);
			merkle_node_hash(proof[i], sr, sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			merkle_node_hash(sr, proof[i], sr);
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, old_root, MERKLE_HASH) == 0 &&
	    memcmp(sr, new_root, MERKLE_HASH) == 0 ? 0 : -1;
}
