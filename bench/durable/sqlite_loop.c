/* sqlite_loop.c: SQLite in WAL mode, synchronous=FULL, one INSERT per transaction. */
#include <sqlite3.h>

#include "durable.h"

static void
check(const struct loop_args *a, sqlite3 *db, const char *what, int rc, int want)
{
	if (rc != want)
		loop_die(a, what, db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

static void
exec(const struct loop_args *a, sqlite3 *db, const char *sql)
{
	check(a, db, sql, sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static sqlite3_stmt *
prepare(const struct loop_args *a, sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	check(a, db, sql, sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	return st;
}

static void
step(const struct loop_args *a, sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	check(a, db, what, sqlite3_step(st), SQLITE_DONE);
	sqlite3_reset(st);
}

int
main(int argc, char **argv)
{
	struct loop_args a;
	sqlite3 *db = NULL;
	sqlite3_stmt *begin, *insert, *commit;
	unsigned char *rec;
	char path[4096];
	double t0, t1;

	loop_parse(&a, argc, argv);
	rec = malloc(a.size);
	if (rec == NULL)
		loop_die(&a, "malloc", strerror(errno));
	snprintf(path, sizeof path, "%s/log.sqlite", a.dir);
	check(&a, db, path, sqlite3_open_v2(path, &db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	exec(&a, db, "PRAGMA journal_mode=WAL");
	exec(&a, db, "PRAGMA synchronous=FULL");
	exec(&a, db, "CREATE TABLE log (seq INTEGER PRIMARY KEY, rec BLOB NOT NULL)");
	begin = prepare(&a, db, "BEGIN IMMEDIATE");
	insert = prepare(&a, db, "INSERT INTO log (seq, rec) VALUES (?, ?)");
	commit = prepare(&a, db, "COMMIT");

	t0 = now_seconds();
	for (uint64_t seq = 1; seq <= a.n; seq++) {
		fill_record(rec, a.size, seq);
		step(&a, db, begin, "BEGIN");
		check(&a, db, "bind", sqlite3_bind_int64(insert, 1, (sqlite3_int64)seq), SQLITE_OK);
		check(&a, db, "bind", sqlite3_bind_blob(insert, 2, rec, (int)a.size, SQLITE_STATIC),
		    SQLITE_OK);
		step(&a, db, insert, "INSERT");
		step(&a, db, commit, "COMMIT");
	}
	t1 = now_seconds();

	loop_report(&a, "sqlite", t1 - t0);
	sqlite3_finalize(begin);
	sqlite3_finalize(insert);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	free(rec);
	return 0;
}
