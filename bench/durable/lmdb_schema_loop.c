/* lmdb_schema_loop.c: bare LMDB doing the writes frontdoor makes for each decision, and no more. */
/*
 * Per record, as src/dlog.c does for a new case: its SHA-256 chained to the
 * previous record, appended to a named "log" table; the case's state and its
 * index entry in "cases"; its queue entry and the open-case counts in "queue".
 * No parsing, routing or checks: the floor under frontdoor's recording cost with
 * the tables it keeps. Optional PER_COMMIT: records to a durable commit (bulk).
 * With --tree, also the log's Merkle tree as src/store/tree.c keeps it: each
 * record's RFC 9162 leaf hash and the hash of every subtree it completes, put
 * in a "tree" table in order: the floor under recording with the tree kept.
 */
/* SHA256_Init and friends, deprecated in OpenSSL 3, as src/base/digest.c uses them: no EVP dispatch */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <lmdb.h>
#include <openssl/sha.h>

#include "durable.h"

#define STATE_LEN 36
#define COUNTS_LEN 41
#define HASH_LEN 32

static void
check(const struct loop_args *a, const char *what, int rc)
{
	if (rc != 0)
		loop_die(a, what, mdb_strerror(rc));
}

struct tables {
	MDB_dbi log, cases, queue, tree;
};

/* The tree's right edge: the roots of its complete subtrees, largest first. */
struct edge {
	unsigned char hash[64][HASH_LEN];
	int n;
	uint64_t leaves, stored;	/* leaves so far; hashes put in the table */
};

/* The record's last 64 bytes: the previous record's hash, then its own over the rest. */
static void
chain_record(const struct loop_args *a, unsigned char *rec, unsigned char prev[HASH_LEN])
{
	memcpy(rec + a->size - 2 * HASH_LEN, prev, HASH_LEN);
	if (SHA256(rec, a->size - HASH_LEN, rec + a->size - HASH_LEN) == NULL)
		loop_die(a, "SHA-256", "failed");
	memcpy(prev, rec + a->size - HASH_LEN, HASH_LEN);
}

/* SHA-256 of a prefix byte and one or two parts: a Merkle leaf (0x00) or node (0x01). */
static void
sha256_parts(const struct loop_args *a, unsigned char prefix, const void *p1, size_t n1,
    const void *p2, size_t n2, unsigned char out[HASH_LEN])
{
	SHA256_CTX c;

	if (SHA256_Init(&c) != 1 || SHA256_Update(&c, &prefix, 1) != 1 ||
	    SHA256_Update(&c, p1, n1) != 1 || (n2 > 0 && SHA256_Update(&c, p2, n2) != 1) ||
	    SHA256_Final(out, &c) != 1)
		loop_die(a, "SHA-256", "failed");
}

static void
put(const struct loop_args *a, MDB_txn *txn, MDB_dbi dbi, const void *k, size_t klen,
    const void *v, size_t vlen, unsigned flags)
{
	MDB_val key = { klen, (void *)k }, val = { vlen, (void *)v };

	check(a, "mdb_put", mdb_put(txn, dbi, &key, &val, flags));
}

/* The case's state, its index entry, its queue entry and the counts, as dlog.c keeps them. */
static void
put_case(const struct loop_args *a, MDB_txn *txn, const struct tables *t, uint64_t seq)
{
	static const unsigned char counts_key[9] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 'c' };
	unsigned char key[8], ikey[32], state[STATE_LEN] = { 1 }, queue[4 + 20] = { 0, 1, 2, 0 };
	unsigned char counts[COUNTS_LEN] = { 1 };
	char id[20];
	int len = snprintf(id, sizeof id, "C-%08llu", (unsigned long long)(seq - 1));

	put_be64(key, seq);
	put_be64(state + 8, seq);
	put(a, txn, t->cases, id, (size_t)len, state, sizeof state, 0);
	memcpy(ikey, id, (size_t)len);
	ikey[len] = '\0';
	memcpy(ikey + len + 1, key, 8);
	put(a, txn, t->cases, ikey, (size_t)len + 9, "", 0, 0);
	memcpy(queue + 4, id, (size_t)len);
	put(a, txn, t->queue, key, 8, queue, 4 + (size_t)len, 0);
	put_be64(counts + 1, seq);
	put(a, txn, t->queue, counts_key, sizeof counts_key, counts, sizeof counts, 0);
}

/* The record's leaf hash and every node it completes, each put at the table's end. */
static void
put_tree(const struct loop_args *a, MDB_txn *txn, const struct tables *t,
    const unsigned char *rec, struct edge *e)
{
	unsigned char h[HASH_LEN], key[8];

	sha256_parts(a, 0x00, rec, a->size, NULL, 0, h);
	for (uint64_t n = e->leaves;; n >>= 1) {
		put_be64(key, e->stored++);
		put(a, txn, t->tree, key, 8, h, HASH_LEN, MDB_APPEND);
		if ((n & 1) == 0)
			break;
		e->n--;
		sha256_parts(a, 0x01, e->hash[e->n], HASH_LEN, h, HASH_LEN, h);
	}
	memcpy(e->hash[e->n++], h, HASH_LEN);
	e->leaves++;
}

static void
open_tables(const struct loop_args *a, MDB_env *env, struct tables *t)
{
	MDB_txn *txn;

	check(a, "mdb_txn_begin", mdb_txn_begin(env, NULL, 0, &txn));
	check(a, "mdb_dbi_open", mdb_dbi_open(txn, "log", MDB_CREATE, &t->log));
	check(a, "mdb_dbi_open", mdb_dbi_open(txn, "cases", MDB_CREATE, &t->cases));
	check(a, "mdb_dbi_open", mdb_dbi_open(txn, "queue", MDB_CREATE, &t->queue));
	check(a, "mdb_dbi_open", mdb_dbi_open(txn, "tree", MDB_CREATE, &t->tree));
	check(a, "mdb_txn_commit", mdb_txn_commit(txn));
}

int
main(int argc, char **argv)
{
	struct loop_args a;
	struct tables t;
	struct edge edge = { .n = 0 };
	int tree = argc > 1 && strcmp(argv[1], "--tree") == 0;
	MDB_env *env;
	MDB_txn *txn = NULL;
	unsigned char key[8], *rec, prev[HASH_LEN] = { 0 };
	double t0, t1;

	if (tree) {
		argv[1] = argv[0];	/* the usage and messages keep the program's name */
		argc--, argv++;
	}
	loop_parse_batched(&a, argc, argv, 1);
	if (a.size < 2 * HASH_LEN + 8)
		loop_die(&a, argv[3], "RECORD_BYTES must leave room for two hashes");
	rec = malloc(a.size);
	if (rec == NULL)
		loop_die(&a, "setup", "out of memory");
	check(&a, "mdb_env_create", mdb_env_create(&env));
	check(&a, "mdb_env_set_maxdbs", mdb_env_set_maxdbs(env, 8));
	/* room for every record and its case entries three times over: the map never grows */
	check(&a, "mdb_env_set_mapsize",
	    mdb_env_set_mapsize(env, (size_t)64 * 1024 * 1024 + 3 * a.n * (a.size + 256)));
	check(&a, a.dir, mdb_env_open(env, a.dir, MDB_NOTLS, 0660));	/* frontdoor's flags */
	open_tables(&a, env, &t);

	/* the bytes once, out of the clock: in the loop only the sequence and hashes change */
	fill_record(rec, a.size, 1);
	t0 = now_seconds();
	for (uint64_t seq = 1; seq <= a.n; seq++) {
		if (txn == NULL)
			check(&a, "mdb_txn_begin", mdb_txn_begin(env, NULL, 0, &txn));
		put_be64(key, seq);
		put_be64(rec, seq);
		chain_record(&a, rec, prev);
		put(&a, txn, t.log, key, 8, rec, a.size, MDB_APPEND);
		put_case(&a, txn, &t, seq);
		if (tree)
			put_tree(&a, txn, &t, rec, &edge);
		if (seq % a.per_commit == 0 || seq == a.n) {
			check(&a, "mdb_txn_commit", mdb_txn_commit(txn));
			txn = NULL;
		}
	}
	t1 = now_seconds();

	loop_report(&a, tree ? "lmdb_schema_tree" : "lmdb_schema", t1 - t0);
	mdb_env_close(env);
	free(rec);
	return 0;
}
