/* wlock.h: frontdoor's own writer lock, taken with a bounded wait before LMDB's write transaction. */
#ifndef FD_WLOCK_H
#define FD_WLOCK_H

/* The lock file in the database directory; it records the holder's pid and uid. */
#define WLOCK_FILE "writer.lock"
/* How long a writer waits for another by default, in milliseconds. */
#define WLOCK_DEFAULT_WAIT 10000

struct wlock;

/* Called once when a writer has to wait, with who holds the lock. */
typedef void (*wlock_notice_fn)(const char *msg, void *arg);

/*
 * Opens the lock file of database dir, with the database's other files (the
 * setgid group raised): without following a symbolic link, a regular file not
 * open to every user; with create, made 0660 if missing.
 */
int wlock_open(struct wlock **out, const char *dir, int create, char **cause);
/* The open lock file, to check it is the one named. */
int wlock_fd(const struct wlock *l);
/*
 * Takes the lock opened by wlock_open, waiting at most wait_ms for another
 * holder (LMDB's own write mutex has no timeout). 0 when held; -1 with a
 * cause naming the holder.
 */
int wlock_take(struct wlock **l, const char *dir, unsigned wait_ms, wlock_notice_fn notice,
    void *arg, char **cause);
/* Releases the lock (the file stays open for the next take). */
void wlock_release(struct wlock *l);
void wlock_close(struct wlock *l);

#endif
