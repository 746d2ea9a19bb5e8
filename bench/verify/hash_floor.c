/* hash_floor.c: the hashing verify cannot skip, over a frontdoor log, and nothing else. */
/*
 * Reads the "log" table of a frontdoor database with bare LMDB, in one
 * contiguous part per thread, and per record does only what verify's checks
 * of the chain and the tree must: the record's SHA-256 over all but its last
 * 32 bytes (compared with them, and its previous-hash field with the record
 * before), its RFC 9162 leaf hash (0x00 and the record), and the node hashes
 * of the subtrees that leaf completes. No decoding, replay, page check,
 * stored-tree lookups or tables: with whatif's replay beside it, the floor
 * under verify on the same cores. SHA-256 through the same libcrypto calls
 * as frontdoor's digest.c.
 */
#define _POSIX_C_SOURCE 200809L
#define OPENSSL_SUPPRESS_DEPRECATED

#include <errno.h>
#include <lmdb.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HASH_LEN 32
#define MAX_THREADS 8

struct part {
	MDB_env *env;
	MDB_dbi log;
	uint64_t from, to;	/* sequence numbers, inclusive */
	uint64_t records, nodes, bad;
	int rc;
};

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "hash_floor: %s: %s\n", what, why);
	exit(1);
}

static void
sha256(unsigned char prefix, int with_prefix, const void *p, size_t n, unsigned char out[HASH_LEN])
{
	SHA256_CTX c;

	SHA256_Init(&c);
	if (with_prefix)
		SHA256_Update(&c, &prefix, 1);
	SHA256_Update(&c, p, n);
	SHA256_Final(out, &c);
}

static uint64_t
get_be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* One record: its chain hash and link, its leaf, and the nodes it completes. */
static void
hash_record(struct part *pt, const MDB_val *v, unsigned char prev[HASH_LEN], int *have_prev,
    unsigned char stack[64][HASH_LEN], int level[64], int *depth)
{
	const unsigned char *rec = v->mv_data;
	unsigned char h[HASH_LEN], in[1 + 2 * HASH_LEN];

	if (v->mv_size < 2 * HASH_LEN) {
		pt->bad++;
		return;
	}
	sha256(0, 0, rec, v->mv_size - HASH_LEN, h);
	if (memcmp(h, rec + v->mv_size - HASH_LEN, HASH_LEN) != 0 ||
	    (*have_prev && memcmp(prev, rec + v->mv_size - 2 * HASH_LEN, HASH_LEN) != 0))
		pt->bad++;
	memcpy(prev, h, HASH_LEN);
	*have_prev = 1;
	sha256(0x00, 1, rec, v->mv_size, stack[*depth]);
	level[(*depth)++] = 0;
	while (*depth >= 2 && level[*depth - 1] == level[*depth - 2]) {
		in[0] = 0x01;
		memcpy(in + 1, stack[*depth - 2], HASH_LEN);
		memcpy(in + 1 + HASH_LEN, stack[*depth - 1], HASH_LEN);
		sha256(0, 0, in, sizeof in, stack[*depth - 2]);
		level[*depth - 2]++;
		(*depth)--;
		pt->nodes++;
	}
}

static void *
run_part(void *arg)
{
	struct part *pt = arg;
	unsigned char key[8], prev[HASH_LEN], stack[64][HASH_LEN];
	int level[64], depth = 0, have_prev = 0, rc;
	MDB_txn *txn;
	MDB_cursor *c;
	MDB_val k = { 8, key }, v;

	for (int i = 7; i >= 0; i--)
		key[7 - i] = (unsigned char)(pt->from >> (8 * i));
	if ((rc = mdb_txn_begin(pt->env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_cursor_open(txn, pt->log, &c)) != 0) {
		pt->rc = rc;
		return NULL;
	}
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || get_be64(k.mv_data) > pt->to)
			break;
		hash_record(pt, &v, prev, &have_prev, stack, level, &depth);
		pt->records++;
	}
	pt->rc = rc == MDB_NOTFOUND ? 0 : rc;
	mdb_cursor_close(c);
	mdb_txn_abort(txn);
	return NULL;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The log's size, and its table, from one read transaction. */
static uint64_t
open_log(MDB_env *env, MDB_dbi *log)
{
	MDB_txn *txn;
	MDB_stat st;
	int rc;

	if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_dbi_open(txn, "log", 0, log)) != 0 || (rc = mdb_stat(txn, *log, &st)) != 0)
		die("the log table", mdb_strerror(rc));
	/* committed, not aborted: a handle opened in an aborted transaction is closed */
	if ((rc = mdb_txn_commit(txn)) != 0)
		die("the log table", mdb_strerror(rc));
	return st.ms_entries;
}

int
main(int argc, char **argv)
{
	struct part parts[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	uint64_t n, records = 0, nodes = 0, bad = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = cpus > 0 ? (int)cpus : 1, rc;
	MDB_env *env;
	MDB_dbi log;
	double t0, t1;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: hash_floor DBDIR [THREADS]\n");
		return 2;
	}
	if (argc == 3 && ((threads = atoi(argv[2])) < 1 || threads > MAX_THREADS))
		die(argv[2], "THREADS must be 1 to 8");
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	t0 = now_seconds();
	if ((rc = mdb_env_create(&env)) != 0 || (rc = mdb_env_set_maxdbs(env, 32)) != 0 ||
	    (rc = mdb_env_open(env, argv[1], MDB_RDONLY | MDB_NOTLS, 0)) != 0)
		die(argv[1], mdb_strerror(rc));
	n = open_log(env, &log);
	for (int i = 0; i < threads; i++) {
		parts[i] = (struct part){ env, log, n / (uint64_t)threads * (uint64_t)i + 1,
		    i == threads - 1 ? UINT64_MAX : n / (uint64_t)threads * (uint64_t)(i + 1),
		    0, 0, 0, 0 };
		if (i > 0 && pthread_create(&th[i], NULL, run_part, &parts[i]) != 0)
			die("pthread_create", strerror(errno));
	}
	run_part(&parts[0]);
	for (int i = 1; i < threads; i++)
		pthread_join(th[i], NULL);
	t1 = now_seconds();
	for (int i = 0; i < threads; i++) {
		if (parts[i].rc != 0)
			die("reading the log", mdb_strerror(parts[i].rc));
		records += parts[i].records;
		nodes += parts[i].nodes;
		bad += parts[i].bad;
	}
	mdb_env_close(env);
	printf("hash_floor: %llu records, %llu node hashes, %llu not chained, %d threads, "
	    "in %.6f s: %.0f records/s\n", (unsigned long long)records, (unsigned long long)nodes,
	    (unsigned long long)bad, threads, t1 - t0, (double)records / (t1 - t0));
	return bad != 0;
}
