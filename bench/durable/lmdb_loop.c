/* lmdb_loop.c: bare LMDB: one record per write transaction, durable flags, like frontdoor's log. */
#include <lmdb.h>

#include "durable.h"

static void
check(const struct loop_args *a, const char *what, int rc)
{
	if (rc != 0)
		loop_die(a, what, mdb_strerror(rc));
}

int
main(int argc, char **argv)
{
	struct loop_args a;
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	unsigned char key[8], *rec;
	double t0, t1;

	loop_parse(&a, argc, argv);
	rec = malloc(a.size);
	if (rec == NULL)
		loop_die(&a, "malloc", strerror(errno));
	check(&a, "mdb_env_create", mdb_env_create(&env));
	/* room for every record twice over, so the map never has to grow mid-run */
	check(&a, "mdb_env_set_mapsize",
	    mdb_env_set_mapsize(env, (size_t)64 * 1024 * 1024 + 2 * a.n * (a.size + 64)));
	/* frontdoor's flags: the durable defaults plus MDB_NOTLS (src/store.c) */
	check(&a, a.dir, mdb_env_open(env, a.dir, MDB_NOTLS, 0660));
	check(&a, "mdb_txn_begin", mdb_txn_begin(env, NULL, 0, &txn));
	check(&a, "mdb_dbi_open", mdb_dbi_open(txn, NULL, 0, &dbi));
	check(&a, "mdb_txn_commit", mdb_txn_commit(txn));

	t0 = now_seconds();
	for (uint64_t seq = 1; seq <= a.n; seq++) {
		MDB_val k = { sizeof key, key }, v = { a.size, rec };

		put_be64(key, seq);
		fill_record(rec, a.size, seq);
		check(&a, "mdb_txn_begin", mdb_txn_begin(env, NULL, 0, &txn));
		check(&a, "mdb_put", mdb_put(txn, dbi, &k, &v, MDB_APPEND));
		check(&a, "mdb_txn_commit", mdb_txn_commit(txn));
	}
	t1 = now_seconds();

	loop_report(&a, "lmdb", t1 - t0);
	mdb_env_close(env);
	free(rec);
	return 0;
}
