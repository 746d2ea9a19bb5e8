/* store.h: the LMDB environment: the one module that makes mdb_* calls. */
#ifndef FD_STORE_H
#define FD_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 1
#define STORE_DEFAULT_MAP (64UL * 1024 * 1024)

/* The named databases inside one environment. */
enum store_table {
	TABLE_META,		/* schema version and other settings */
	TABLE_LOG,		/* decision log: 8-byte big-endian sequence -> record */
	TABLE_CASES,		/* case id -> its state; case id, NUL, sequence -> nothing */
	TABLE_RULESETS,		/* SHA-256 (32 bytes) -> exact rule file bytes */
	TABLE_PUBLISHED,	/* 8-byte publication number -> publication record */
	TABLE_USERS,		/* OS user name -> role */
	TABLE_CHECKPOINTS,	/* 8-byte sequence -> head hash at that sequence */
	TABLE_DRAFTS,		/* user, NUL, draft id -> unfinished intake form */
	TABLE_QUEUE,		/* open cases: 8-byte sequence of their latest record -> case id;
				   and the open counts per route, under one 9-byte key */
	TABLE_TREE,		/* the log's Merkle tree: 8-byte storage index -> 32-byte hash
				   (see merkle.h); created on the first writable open */
	TABLE_PEOPLE,		/* the person index: tag, folded text, NUL, 8-byte sequence of
				   the contact -> its case id (people.h); built on the first
				   writable open */
	TABLE_TRAY,		/* the work tray: open cases in due order (tray.h); kept by core,
				   built once a rule set's calendar is known */
	TABLE_DUE,		/* case id -> its place in the tray (tray.h) */
	TABLE_COUNT
};

/* The table's name in the environment. */
const char *store_table_name(enum store_table tab);
/* 1 for a table newer than some databases: where missing, it reads as empty. */
int store_table_added(enum store_table tab);

struct store;
struct store_txn;

struct store_opts {
	int create;		/* create the environment (frontdoor init only) */
	int readonly;		/* read only; works without a lock file (archived copies) */
	size_t map_size;	/* initial map size when creating; 0 = default */
};

/* A key or value: bytes owned by LMDB until the transaction ends. */
struct store_val {
	const void *data;
	size_t len;
};

/*
 * Opens (or with opts->create, creates) the database in dir. The directory is
 * 2770 and its files 0660 whatever the umask; a database readable or writable
 * by every user is refused, as is a newer schema. Stale readers left by
 * killed processes are cleared.
 */
int store_open(struct store **out, const char *dir, const struct store_opts *opts, char **cause);
void store_close(struct store *s);
const char *store_path(const struct store *s);
size_t store_map_size(const struct store *s);

/*
 * Runs fn inside one write transaction and commits it. If the map is full the
 * transaction is aborted, the map doubled and fn run again from the start,
 * so fn must only read its argument and write through the transaction.
 * Returns 0 when committed; fn's own negative result aborts and is returned.
 */
int store_write(struct store *s, int (*fn)(struct store_txn *t, void *arg), void *arg,
    char **cause);
/*
 * Writers take frontdoor's own lock first (wlock.h), waiting at most wait_ms
 * (0: WLOCK_DEFAULT_WAIT, 10 s) for another writer; fn, if not NULL, is
 * called once with who holds it when a writer has to wait.
 */
void store_set_writer_wait(struct store *s, unsigned wait_ms,
    void (*fn)(const char *msg, void *arg), void *arg);
/* Runs fn inside one read-only transaction; it never waits for a writer. */
int store_read(struct store *s, int (*fn)(struct store_txn *t, void *arg), void *arg,
    char **cause);

/*
 * Sets a check that runs at the start of every later transaction on s, before
 * its work; its failure aborts the transaction as the work's own would. The
 * screens use it to check the person's role again at every read and write.
 */
void store_set_guard(struct store *s, int (*guard)(struct store_txn *t, void *arg), void *arg);

/* 0 found, 1 not found, -1 error (cause set on the transaction). */
int store_get(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    struct store_val *val);
/* Writes key's value, replacing any: 0 written, -1 error. */
int store_put(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    const void *val, size_t vlen);
/* Writes key's value if the key is absent: 0 written, 1 present (left as it is), -1 error. */
int store_put_new(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    const void *val, size_t vlen);
/*
 * Writes key's value at the end of a table whose keys are written in order:
 * 0 written, 1 the key does not sort after every key there (nothing
 * written), -1 error.
 */
int store_append(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    const void *val, size_t vlen);
int store_del(struct store_txn *t, enum store_table tab, const void *key, size_t klen);
/*
 * A number no other transaction of this store in this process has had (never
 * 0): a reader that keeps a cursor across calls knows by it when the
 * transaction it was opened in has ended.
 */
uint64_t store_txn_serial(const struct store_txn *t);
/* Records an error on the transaction so that store_write aborts and reports it. */
int store_fail(struct store_txn *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Cursors: positioned by first/last/seek (first key >= the given one), then next/prev. */
struct store_cursor;
int store_cursor_open(struct store_txn *t, enum store_table tab, struct store_cursor **out);
void store_cursor_close(struct store_cursor *c);
enum store_move { MOVE_FIRST, MOVE_LAST, MOVE_NEXT, MOVE_PREV, MOVE_CURRENT };
/* 0 positioned, 1 nothing there, -1 error. */
int store_cursor_move(struct store_cursor *c, enum store_move m, struct store_val *key,
    struct store_val *val);
/* A table's last entry (valid until the transaction ends): 0, 1 if it is empty, -1 error. */
int store_last(struct store_txn *t, enum store_table tab, struct store_val *key,
    struct store_val *val);
int store_cursor_seek(struct store_cursor *c, const void *key, size_t klen,
    struct store_val *keyout, struct store_val *val);

/*
 * Lets go of the database pages this process has mapped in so far: they stay
 * in the kernel's page cache and come back on the next touch, so pointers
 * into them stay valid. Long scans call it now and then, so that reading a
 * million records does not leave the whole file resident in this process.
 */
void store_release_pages(struct store_txn *t);

/* Empties a table (a derived one, to build it again): 0, or -1 (cause set). */
int store_clear(struct store_txn *t, enum store_table tab);
/* Entries in a table (from LMDB's own statistics). */
int store_count(struct store_txn *t, enum store_table tab, size_t *out);

/* Big-endian 8-byte keys, so that LMDB's byte order is numeric order. */
void store_put_u64(unsigned char out[8], uint64_t v);
uint64_t store_get_u64(const unsigned char in[8]);

/* The default database directory: $FRONTDOOR_DB, else $XDG_DATA_HOME/frontdoor. */
char *store_default_dir(void);

#endif
