/* merkle_driver.c: runs the tree module over synthetic leaves in memory for test_merkle.py to check. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/merkle.h"
#include "base/digest.h"
#include "base/util.h"

struct mem {
	merkle_hash *h;
	uint64_t n, cap;
};

static int
mem_get(void *arg, uint64_t index, unsigned char out[MERKLE_HASH])
{
	struct mem *m = arg;

	if (index >= m->n)
		return -1;
	memcpy(out, m->h[index], MERKLE_HASH);
	return 0;
}

/* The edge read back from the stored hashes must be the one kept in memory. */
static void
check_edge(const struct merkle_reader *r, const struct merkle_edge *e)
{
	struct merkle_edge back;

	if (merkle_edge_load(r, e->leaves, &back) < 0)
		fatal("cannot load the edge of %" PRIu64 " leaves", e->leaves);
	for (int level = 0; level < 64; level++)
		if (e->leaves >> level & 1 &&
		    memcmp(back.right[level], e->right[level], MERKLE_HASH) != 0)
			fatal("the edge of %" PRIu64 " leaves differs at level %d", e->leaves, level);
}

/*
 * Leaf i's bytes are "leaf " and i in decimal, as the Python side makes them.
 * Every edge of the first sizes, then every 997th, is read back and compared.
 */
static void
build(struct mem *m, struct merkle_reader *r, uint64_t leaves)
{
	struct merkle_edge e;

	r->get = mem_get;
	r->arg = m;
	if (merkle_edge_load(r, 0, &e) < 0)
		fatal("cannot start an empty edge");
	for (uint64_t i = 0; i < leaves; i++) {
		char text[32];
		unsigned char leaf[MERKLE_HASH];
		merkle_hash add[64];
		int count, len = snprintf(text, sizeof text, "leaf %" PRIu64, i);

		merkle_leaf_hash(text, (size_t)len, leaf);
		merkle_edge_append(&e, leaf, add, &count);
		if (m->n + (uint64_t)count > m->cap) {
			m->cap = m->cap ? m->cap * 2 : 1024;
			m->h = xreallocarray(m->h, m->cap, sizeof *m->h);
		}
		for (int k = 0; k < count; k++) {
			if (merkle_stored_index(k, i >> k) != m->n)
				fatal("leaf %" PRIu64 " level %d stored out of place", i, k);
			memcpy(m->h[m->n++], add[k], MERKLE_HASH);
		}
		if (m->n != merkle_stored_count(i + 1))
			fatal("%" PRIu64 " hashes stored for %" PRIu64 " leaves", m->n, i + 1);
		if (i < 5000 || i % 997 == 0)
			check_edge(r, &e);
	}
}

static void
print_hex(const unsigned char *h)
{
	char hex[65];

	digest_hex(h, hex);
	printf(" %s", hex);
}

static void
roots(struct merkle_reader *r, uint64_t n)
{
	for (uint64_t s = 0; s <= n; s++) {
		unsigned char root[MERKLE_HASH];
		uint64_t back;

		if (merkle_root(r, s, root) < 0)
			fatal("no root for %" PRIu64, s);
		if (merkle_leaves_for_count(merkle_stored_count(s), &back) < 0 || back != s)
			fatal("stored count of %" PRIu64 " does not map back", s);
		printf("%" PRIu64, s);
		print_hex(root);
		putchar('\n');
	}
}

static void
inclusion(struct merkle_reader *r, uint64_t n)
{
	merkle_hash proof[MERKLE_MAX_PROOF];
	int len;

	for (uint64_t s = 1; s <= n; s++)
		for (uint64_t i = 0; i < s; i++) {
			if (merkle_inclusion(r, i, s, proof, &len) < 0)
				fatal("no inclusion proof for %" PRIu64 " in %" PRIu64, i, s);
			printf("%" PRIu64 " %" PRIu64, s, i);
			for (int k = 0; k < len; k++)
				print_hex(proof[k]);
			putchar('\n');
		}
}

static void
consistency(struct merkle_reader *r)
{
	merkle_hash proof[MERKLE_MAX_PROOF];
	uint64_t m, s;
	int len;

	while (scanf("%" SCNu64 " %" SCNu64, &m, &s) == 2) {
		if (merkle_consistency(r, m, s, proof, &len) < 0)
			fatal("no consistency proof from %" PRIu64 " to %" PRIu64, m, s);
		printf("%" PRIu64 " %" PRIu64, m, s);
		for (int k = 0; k < len; k++)
			print_hex(proof[k]);
		putchar('\n');
	}
}

/* Reads hex hashes from the rest of a line. */
static int
read_hashes(char *p, merkle_hash *out, int max)
{
	int n = 0;

	for (char *tok = strtok(p, " \n"); tok != NULL; tok = strtok(NULL, " \n")) {
		if (n == max || strlen(tok) != 64 || digest_hex_decode(tok, out[n]) < 0)
			return -1;
		n++;
	}
	return n;
}

/*
 * Lines "inc SIZE INDEX LEAF ROOT PROOF..." or "con OLD SIZE OLDROOT ROOT PROOF...":
 * prints "ok" or "bad" for each, as the checker finds it.
 */
static void
check(void)
{
	char line[16384];

	while (fgets(line, sizeof line, stdin) != NULL) {
		char kind[4];
		uint64_t a, b;
		int off = 0, n, ok;
		merkle_hash h[MERKLE_MAX_PROOF + 2];

		if (sscanf(line, "%3s %" SCNu64 " %" SCNu64 " %n", kind, &a, &b, &off) != 3 || off == 0)
			fatal("bad check line");
		n = read_hashes(line + off, h, MERKLE_MAX_PROOF + 2);
		if (n < 2)
			fatal("bad hashes");
		if (strcmp(kind, "inc") == 0)
			ok = merkle_check_inclusion(h[0], b, a, h + 2, n - 2, h[1]) == 0;
		else
			ok = merkle_check_consistency(a, b, h[0], h[1], h + 2, n - 2) == 0;
		puts(ok ? "ok" : "bad");
	}
}

int
main(int argc, char **argv)
{
	struct mem m = { NULL, 0, 0 };
	struct merkle_reader r;
	uint64_t n;

	if (argc == 2 && strcmp(argv[1], "check") == 0) {
		check();
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: merkle_driver roots|inclusion|consistency N | check\n");
		return 2;
	}
	n = strtoull(argv[2], NULL, 10);
	build(&m, &r, n);
	if (strcmp(argv[1], "roots") == 0)
		roots(&r, n);
	else if (strcmp(argv[1], "inclusion") == 0)
		inclusion(&r, n);
	else if (strcmp(argv[1], "consistency") == 0)
		consistency(&r);
	else
		return 2;
	free(m.h);
	return fflush(stdout) == 0 ? 0 : 1;
}
