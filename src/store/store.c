/* store.c: opens the LMDB environment safely and runs short, retryable transactions. */
#include "store/store.h"

#include <errno.h>
#include <lmdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/privsep.h"
#include "base/util.h"
#include "store/dbfiles.h"
#include "store/people.h"
#include "store/tree.h"
#include "store/wlock.h"

#define STORE_MAX_READERS 510
#define STORE_MAX_ATTEMPTS 16

static const char *const table_names[TABLE_COUNT] = {
	"meta", "log", "cases", "rulesets", "published", "users",
	"checkpoints", "drafts", "queue", "tree", "people", "tray", "due",
};

struct store {
	MDB_env *env;
	MDB_dbi dbi[TABLE_COUNT];
	char *path;
	int readonly;
	int (*guard)(struct store_txn *t, void *arg);	/* run first in every transaction */
	void *guard_arg;
	int missing[TABLE_COUNT];	/* added after this database was made, read-only here */
	atomic_uint_least64_t serials;	/* transactions begun, for store_txn_serial */
	struct wlock *wl;		/* frontdoor's own writer lock, once a write needs it */
	unsigned wait_ms;		/* how long a writer waits for it */
	wlock_notice_fn notice;
	void *notice_arg;
};

struct store_txn {
	struct store *s;
	MDB_txn *txn;
	int rc;			/* the first LMDB error inside the transaction */
	char *cause;		/* or the caller's own reason to abort */
	uint64_t serial;	/* which transaction of this process (store_txn_serial) */
};

struct store_cursor {
	struct store_txn *t;
	MDB_cursor *c;
};

void
store_put_u64(unsigned char out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

uint64_t
store_get_u64(const unsigned char in[8])
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | in[i];
	return v;
}

char *
store_default_dir(void)
{
	const char *env = getenv("FRONTDOOR_DB"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/frontdoor", xdg);
	return xasprintf("%s/.local/share/frontdoor", home != NULL ? home : ".");
}

const char *
store_table_name(enum store_table tab)
{
	return table_names[tab];
}

int
store_table_added(enum store_table tab)
{
	return tab == TABLE_TREE || tab == TABLE_PEOPLE || tab == TABLE_TRAY || tab == TABLE_DUE;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

size_t
store_map_size(const struct store *s)
{
	MDB_envinfo info;

	mdb_env_info(s->env, &info);
	return info.me_mapsize;
}

static int
lmdb_error(char **cause, const char *what, const char *dir, int rc)
{
	*cause = xasprintf("%s %s: %s", what, dir, mdb_strerror(rc));
	return -1;
}

/* Opens every named table, creating them in a writable environment. */
static int
open_tables(struct store *s, int create, char **cause)
{
	MDB_txn *txn;
	int rc;

	/* only init writes here: a reader must never wait on (or take) the write lock */
	rc = mdb_txn_begin(s->env, NULL, create ? 0 : MDB_RDONLY, &txn);
	if (rc != 0)
		return lmdb_error(cause, "cannot read", s->path, rc);
	for (int i = 0; i < TABLE_COUNT; i++) {
		/* a table newer than the database is made by add_missing, else read as empty */
		int added = store_table_added((enum store_table)i), flags = create ? MDB_CREATE : 0;

		rc = mdb_dbi_open(txn, table_names[i], (unsigned)flags, &s->dbi[i]);
		if (rc == MDB_NOTFOUND && added) {
			s->missing[i] = 1;
			continue;
		}
		if (rc != 0) {
			mdb_txn_abort(txn);
			return lmdb_error(cause, "not a frontdoor database:", s->path, rc);
		}
	}
	rc = mdb_txn_commit(txn);
	if (rc != 0)
		return lmdb_error(cause, "cannot open the tables of", s->path, rc);
	return 0;
}

static int txn_error(struct store_txn *t, int rc);

/* Makes the tables this database was made without, in a write transaction under the writer lock. */
static int
add_missing_txn(struct store_txn *t, void *arg)
{
	(void)arg;
	for (int i = 0; i < TABLE_COUNT; i++) {
		int rc = t->s->missing[i] ? mdb_dbi_open(t->txn, table_names[i], MDB_CREATE,
		    &t->s->dbi[i]) : 0;

		if (rc != 0)
			return txn_error(t, rc);
	}
	return 0;
}

/* A writable open adds the tables newer than the database; a read-only one reads them as empty. */
static int
add_missing(struct store *s, char **cause)
{
	int any = 0;

	for (int i = 0; i < TABLE_COUNT; i++)
		any |= s->missing[i];
	if (!any || s->readonly)
		return 0;
	if (store_write(s, add_missing_txn, NULL, cause) < 0)
		return -1;
	memset(s->missing, 0, sizeof s->missing);
	return 0;
}

static int
check_schema(struct store_txn *t, void *arg)
{
	struct store_val v;
	int *create = arg, rc;
	unsigned char ver[8];

	rc = store_get(t, TABLE_META, "schema", 6, &v);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (!*create)
			return store_fail(t, "not a frontdoor database (no schema version)");
		store_put_u64(ver, STORE_SCHEMA_VERSION);
		return store_put(t, TABLE_META, "schema", 6, ver, 8);
	}
	if (v.len != 8)
		return store_fail(t, "damaged schema version");
	if (store_get_u64(v.data) > STORE_SCHEMA_VERSION)
		return store_fail(t, "created by a newer frontdoor (schema %llu; this one reads "
		    "up to %d)", (unsigned long long)store_get_u64(v.data), STORE_SCHEMA_VERSION);
	return 0;
}

static int
read_schema(struct store_txn *t, void *arg)
{
	int create = 0;

	(void)arg;
	return check_schema(t, &create);
}

/*
 * LMDB creates data.mdb, and lock.mdb again whenever it is missing, as 0660
 * less the umask: the group must be able to open them whatever the umask.
 */
static int
open_env(MDB_env *env, const char *dir, unsigned flags)
{
	mode_t old = umask(007);
	int rc = mdb_env_open(env, dir, flags, 0660);

	umask(old);
	return rc;
}

/* Makes the environment handle (again, after a failed open, which leaves it unusable). */
static int
make_env(struct store *s, const struct store_opts *opts, char **cause)
{
	int rc;

	if (s->env != NULL)
		mdb_env_close(s->env);
	s->env = NULL;
	if ((rc = mdb_env_create(&s->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(s->env, TABLE_COUNT + 2)) != 0 ||
	    (rc = mdb_env_set_maxreaders(s->env, STORE_MAX_READERS)) != 0)
		return lmdb_error(cause, "cannot set up", s->path, rc);
	if (opts->create)
		mdb_env_set_mapsize(s->env, opts->map_size ? opts->map_size : STORE_DEFAULT_MAP);
	return 0;
}

/*
 * Opens the environment; a read-only one whose lock file cannot be made or
 * opened (an archived copy on read-only media) is opened without locking:
 * nothing can write to it while it is read.
 */
static int
open_any(struct store *s, const struct store_opts *opts, int *nolock, char **cause)
{
	unsigned flags = MDB_NOTLS | (s->readonly ? MDB_RDONLY : 0);
	int rc;

	*nolock = 0;
	if (make_env(s, opts, cause) < 0)
		return -1;
	rc = open_env(s->env, s->path, flags);
	if (rc != 0 && s->readonly && !opts->create) {
		if (make_env(s, opts, cause) < 0)
			return -1;
		rc = open_env(s->env, s->path, flags | MDB_NOLOCK);
		*nolock = rc == 0;
	}
	return rc != 0 ? lmdb_error(cause, "cannot open", s->path, rc) : 0;
}

/* Opens the writer lock with the other files: the one checked, made only by who may. */
static int
open_wlock(struct store *s, const char *dir, const struct dbfiles *f, char **cause)
{
	struct stat st;

	if (wlock_open(&s->wl, dir, f->owner, cause) < 0)
		return -1;
	if (fstat(wlock_fd(s->wl), &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    (f->have_wlock && (st.st_dev != f->wlock_dev || st.st_ino != f->wlock_ino))) {
		*cause = xasprintf("%s/%s changed while it was being opened: refusing to use it",
		    dir, WLOCK_FILE);
		return -1;
	}
	return 0;
}

/* Opens the environment in dir; the files are checked before and verified after. */
static int
open_checked(struct store *s, const char *dir, const struct store_opts *opts, char **cause)
{
	struct dbfiles f;
	mdb_filehandle_t fd;
	int rc, dead, nolock;

	if (opts->create && dbfiles_make_dir(dir, cause) < 0)
		return -1;
	if (dbfiles_check(dir, privsep_active(), &f, cause) < 0)
		return -1;
	s->readonly = opts->readonly;
	if (!opts->create && !opts->readonly) {
		char *data = xasprintf("%s/data.mdb", dir);
		s->readonly = eaccess(data, W_OK) != 0 && (errno == EACCES || errno == EROFS);
		free(data);
	}
	if (open_any(s, opts, &nolock, cause) < 0)
		return -1;
	if ((rc = mdb_env_get_fd(s->env, &fd)) != 0)
		return lmdb_error(cause, "cannot open", dir, rc);
	if (dbfiles_verify_open(dir, fd, nolock, &f, cause) < 0)
		return -1;
	if (!s->readonly && open_wlock(s, dir, &f, cause) < 0)
		return -1;
	if (opts->create && dbfiles_set_modes(dir, cause) < 0)
		return -1;
	if (!nolock)
		mdb_reader_check(s->env, &dead);
	return 0;
}

int
store_open(struct store **out, const char *dir, const struct store_opts *opts, char **cause)
{
	struct store *s = xcalloc(1, sizeof *s);
	int rc;

	s->path = xstrdup(dir);
	s->wait_ms = WLOCK_DEFAULT_WAIT;
	/* the database's group, if installed setgid, only while its files are opened */
	privsep_raise();
	rc = open_checked(s, dir, opts, cause);
	privsep_lower();
	if (rc < 0 || open_tables(s, opts->create, cause) < 0)
		goto fail;
	if (opts->create)
		rc = store_write(s, check_schema, (int[]){ 1 }, cause);
	else
		rc = store_read(s, read_schema, NULL, cause);
	/* a database from before the tree or the person index gets them now */
	if (rc < 0 || add_missing(s, cause) < 0 || (!s->readonly && (tree_build(s, cause) < 0 ||
	    people_build(s, cause) < 0)))
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->env != NULL)
		mdb_env_close(s->env);
	wlock_close(s->wl);
	free(s->path);
	free(s);
}

/* Doubles the map after MDB_MAP_FULL; no transaction of ours is open. */
static int
grow_map(struct store *s, char **cause)
{
	MDB_envinfo info;
	int rc;

	mdb_env_info(s->env, &info);
	rc = mdb_env_set_mapsize(s->env, info.me_mapsize * 2);
	if (rc != 0)
		return lmdb_error(cause, "cannot grow the map of", s->path, rc);
	return 0;
}

void
store_set_guard(struct store *s, int (*guard)(struct store_txn *t, void *arg), void *arg)
{
	s->guard = guard;
	s->guard_arg = arg;
}

/* The guard, then fn: the transaction's work. */
static int
txn_run(struct store_txn *t, int (*fn)(struct store_txn *t, void *arg), void *arg)
{
	if (t->s->guard != NULL && t->s->guard(t, t->s->guard_arg) < 0)
		return -1;
	return fn(t, arg);
}

static char *
txn_cause(struct store_txn *t, const char *what)
{
	if (t->cause != NULL)
		return t->cause;
	return xasprintf("%s: %s", what, mdb_strerror(t->rc));
}

void
store_set_writer_wait(struct store *s, unsigned wait_ms, void (*fn)(const char *msg, void *arg),
    void *arg)
{
	s->wait_ms = wait_ms ? wait_ms : WLOCK_DEFAULT_WAIT;
	s->notice = fn;
	s->notice_arg = arg;
}

/* One write transaction, retried as the map grows; frontdoor's writer lock is held. */
static int
write_locked(struct store *s, int (*fn)(struct store_txn *t, void *arg), void *arg, char **cause)
{
	for (int attempt = 0; attempt < STORE_MAX_ATTEMPTS; attempt++) {
		struct store_txn t = { s, NULL, 0, NULL, atomic_fetch_add(&s->serials, 1) + 1 };
		int rc = mdb_txn_begin(s->env, NULL, 0, &t.txn), frc;

		if (rc == MDB_MAP_RESIZED) {
			mdb_env_set_mapsize(s->env, 0);	/* adopt another process's size */
			continue;
		}
		if (rc != 0)
			return lmdb_error(cause, "cannot write to", s->path, rc);
		frc = txn_run(&t, fn, arg);
		if (t.rc == MDB_MAP_FULL) {
			mdb_txn_abort(t.txn);
			free(t.cause);
			if (grow_map(s, cause) < 0)
				return -1;
			continue;
		}
		if (frc < 0 || t.rc != 0) {
			mdb_txn_abort(t.txn);
			*cause = txn_cause(&t, "nothing was saved");
			return frc < 0 ? frc : -1;
		}
		rc = mdb_txn_commit(t.txn);
		if (rc == MDB_MAP_FULL) {
			if (grow_map(s, cause) < 0)
				return -1;
			continue;
		}
		if (rc != 0) {
			*cause = xasprintf("nothing was saved: %s", mdb_strerror(rc));
			return -1;
		}
		return 0;
	}
	*cause = xasprintf("nothing was saved: %s kept growing", s->path);
	return -1;
}

int
store_write(struct store *s, int (*fn)(struct store_txn *t, void *arg), void *arg, char **cause)
{
	int rc;

	if (s->readonly) {
		*cause = xasprintf("%s is read-only for this user: nothing was saved", s->path);
		return -1;
	}
	if (wlock_take(&s->wl, s->path, s->wait_ms, s->notice, s->notice_arg, cause) < 0)
		return -1;
	rc = write_locked(s, fn, arg, cause);
	wlock_release(s->wl);
	return rc;
}

int
store_read(struct store *s, int (*fn)(struct store_txn *t, void *arg), void *arg, char **cause)
{
	for (int attempt = 0; attempt < STORE_MAX_ATTEMPTS; attempt++) {
		struct store_txn t = { s, NULL, 0, NULL, atomic_fetch_add(&s->serials, 1) + 1 };
		int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &t.txn), frc;

		if (rc == MDB_MAP_RESIZED) {
			mdb_env_set_mapsize(s->env, 0);
			continue;
		}
		if (rc != 0)
			return lmdb_error(cause, "cannot read", s->path, rc);
		frc = txn_run(&t, fn, arg);
		mdb_txn_abort(t.txn);
		if (frc < 0 || t.rc != 0) {
			*cause = txn_cause(&t, "cannot read the database");
			return frc < 0 ? frc : -1;
		}
		return frc;
	}
	*cause = xasprintf("cannot read %s: its map kept changing", s->path);
	return -1;
}

/* Notes the first LMDB error on the transaction; returns -1. */
static int
txn_error(struct store_txn *t, int rc)
{
	if (t->rc == 0)
		t->rc = rc;
	return -1;
}

uint64_t
store_txn_serial(const struct store_txn *t)
{
	return t->serial;
}

int
store_fail(struct store_txn *t, const char *fmt, ...)
{
	va_list ap;

	if (t->cause == NULL) {
		va_start(ap, fmt);
		t->cause = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return -1;
}

int
store_get(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    struct store_val *val)
{
	MDB_val k = { klen, (void *)key }, v;
	int rc = t->s->missing[tab] ? MDB_NOTFOUND : mdb_get(t->txn, t->s->dbi[tab], &k, &v);

	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0)
		return txn_error(t, rc);
	val->data = v.mv_data;
	val->len = v.mv_size;
	return 0;
}

/* mdb_put with flags; MDB_KEYEXIST, which means what the flags make it mean, gives 1. */
static int
store_mdb_put(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    const void *val, size_t vlen, unsigned flags)
{
	MDB_val k = { klen, (void *)key }, v = { vlen, (void *)val };
	int rc = t->s->missing[tab] ? EACCES : mdb_put(t->txn, t->s->dbi[tab], &k, &v, flags);

	if (rc == MDB_KEYEXIST && flags != 0)
		return 1;
	if (rc != 0)
		return txn_error(t, rc);
	return 0;
}

int
store_put(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    const void *val, size_t vlen)
{
	return store_mdb_put(t, tab, key, klen, val, vlen, 0);
}

int
store_put_new(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    const void *val, size_t vlen)
{
	return store_mdb_put(t, tab, key, klen, val, vlen, MDB_NOOVERWRITE);
}

int
store_append(struct store_txn *t, enum store_table tab, const void *key, size_t klen,
    const void *val, size_t vlen)
{
	return store_mdb_put(t, tab, key, klen, val, vlen, MDB_APPEND);
}

int
store_del(struct store_txn *t, enum store_table tab, const void *key, size_t klen)
{
	MDB_val k = { klen, (void *)key };
	int rc = t->s->missing[tab] ? MDB_NOTFOUND : mdb_del(t->txn, t->s->dbi[tab], &k, NULL);

	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0)
		return txn_error(t, rc);
	return 0;
}

int
store_cursor_open(struct store_txn *t, enum store_table tab, struct store_cursor **out)
{
	struct store_cursor *c = xcalloc(1, sizeof *c);
	int rc = t->s->missing[tab] ? 0 : mdb_cursor_open(t->txn, t->s->dbi[tab], &c->c);

	if (rc != 0) {
		free(c);
		return txn_error(t, rc);
	}
	c->t = t;
	*out = c;
	return 0;
}

void
store_cursor_close(struct store_cursor *c)
{
	if (c == NULL)
		return;
	if (c->c != NULL)
		mdb_cursor_close(c->c);
	free(c);
}

static int
cursor_get(struct store_cursor *c, MDB_val *k, MDB_val *v, MDB_cursor_op op,
    struct store_val *key, struct store_val *val)
{
	int rc = c->c == NULL ? MDB_NOTFOUND : mdb_cursor_get(c->c, k, v, op);

	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0)
		return txn_error(c->t, rc);
	if (key != NULL) {
		key->data = k->mv_data;
		key->len = k->mv_size;
	}
	if (val != NULL) {
		val->data = v->mv_data;
		val->len = v->mv_size;
	}
	return 0;
}

int
store_cursor_move(struct store_cursor *c, enum store_move m, struct store_val *key,
    struct store_val *val)
{
	static const MDB_cursor_op ops[] = { MDB_FIRST, MDB_LAST, MDB_NEXT, MDB_PREV,
		MDB_GET_CURRENT };
	MDB_val k = { 0, NULL }, v = { 0, NULL };

	return cursor_get(c, &k, &v, ops[m], key, val);
}

int
store_cursor_seek(struct store_cursor *c, const void *key, size_t klen,
    struct store_val *keyout, struct store_val *val)
{
	MDB_val k = { klen, (void *)key }, v = { 0, NULL };

	return cursor_get(c, &k, &v, MDB_SET_RANGE, keyout, val);
}

int
store_clear(struct store_txn *t, enum store_table tab)
{
	int rc = t->s->missing[tab] ? EACCES : mdb_drop(t->txn, t->s->dbi[tab], 0);

	return rc != 0 ? txn_error(t, rc) : 0;
}

int
store_count(struct store_txn *t, enum store_table tab, size_t *out)
{
	MDB_stat st = { 0 };
	int rc = t->s->missing[tab] ? 0 : mdb_stat(t->txn, t->s->dbi[tab], &st);

	if (rc != 0)
		return txn_error(t, rc);
	*out = st.ms_entries;
	return 0;
}

/* Drops this process's mapping of the pages of the file behind fd (see store.h). */
static void
release_file_pages(int fd)
{
	struct stat st;
	char line[512];
	FILE *fp;

	if (fstat(fd, &st) < 0 || (fp = fopen("/proc/self/maps", "re")) == NULL)
		return;
	/* LMDB keeps the map's address to itself: find it by the file's device and inode */
	while (fgets(line, sizeof line, fp) != NULL) {
		unsigned long start, end, ino;
		unsigned int major, minor;

		if (sscanf(line, "%lx-%lx %*s %*s %x:%x %lu", &start, &end, &major, &minor, &ino) == 5 &&
		    ino == (unsigned long)st.st_ino && makedev(major, minor) == st.st_dev)
			(void)madvise((void *)start, end - start, MADV_DONTNEED);
	}
	fclose(fp);
}

void
store_release_pages(struct store_txn *t)
{
	mdb_filehandle_t fd;

	/* no MDB_WRITEMAP: the map is a read-only view of the file, safe to drop */
	if (mdb_env_get_fd(t->s->env, &fd) == 0)
		release_file_pages(fd);
}

int
store_last(struct store_txn *t, enum store_table tab, struct store_val *key, struct store_val *val)
{
	struct store_cursor *c;
	int rc;

	if (store_cursor_open(t, tab, &c) < 0)
		return -1;
	rc = store_cursor_move(c, MOVE_LAST, key, val);
	store_cursor_close(c);
	return rc;
}
