/* dbfiles.h: the database's directory and files: created private, checked before and after opening. */
#ifndef FD_DBFILES_H
#define FD_DBFILES_H

#include <sys/types.h>

/* LMDB's two files and the writer lock in a database directory, as found before opening. */
struct dbfiles {
	int have_data, have_lock, have_wlock;	/* each existed */
	int owner;		/* the person may make missing files (not a setgid practitioner) */
	dev_t data_dev, lock_dev, wlock_dev;
	ino_t data_ino, lock_ino, wlock_ino;
};

/*
 * Makes dir a new database directory: created 2770 (group: the effective
 * gid), or taken only if it is an empty directory of the user's own.
 */
int dbfiles_make_dir(const char *dir, char **cause);
/* Sets data.mdb, lock.mdb and writer.lock to 0660 after they were made. */
int dbfiles_set_modes(const char *dir, char **cause);
/*
 * Checks an existing database before LMDB opens it: the directory and its
 * files are open to no other user by mode bits or by POSIX ACL, the files are
 * regular files (not symlinks) with one link. With privileged (a setgid
 * install), they must also not belong to the person running unless that is
 * root, and must share the directory's owner, so that no practitioner can
 * change their modes; a missing lock.mdb or writer.lock is made again only
 * by that owner.
 */
int dbfiles_check(const char *dir, int privileged, struct dbfiles *f, char **cause);
/*
 * After LMDB opened dir: data_fd (LMDB's) and an open lock file are the very
 * files checked before, still regular files at their names. nolock: opened
 * read-only without a lock file (an archived copy), so only data.mdb is checked.
 */
int dbfiles_verify_open(const char *dir, int data_fd, int nolock, const struct dbfiles *f,
    char **cause);
/*
 * Opens data.mdb alone for reading (a check of its pages), as the store opens
 * the database: the directory and files checked first, the database's group
 * raised only for the open, no symbolic link followed, and the file opened
 * verified to be the one checked. *fd is the caller's to close.
 */
int dbfiles_open_data(const char *dir, int *fd, char **cause);

#endif
