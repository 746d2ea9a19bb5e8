/* dbfiles.h: the database's directory and files: created private, checked before and after opening. */
#ifndef FD_DBFILES_H
#define FD_DBFILES_H

#include <sys/types.h>

/* The two files LMDB keeps in a database directory, as found before opening. */
struct dbfiles {
	int have_data, have_lock;	/* each existed */
	dev_t data_dev, lock_dev;
	ino_t data_ino, lock_ino;
};

/*
 * Makes dir a new database directory: created 2770 (group: the effective
 * gid), or taken only if it is an empty directory of the user's own.
 */
int dbfiles_make_dir(const char *dir, char **cause);
/* Sets data.mdb and lock.mdb to 0660 after LMDB made them. */
int dbfiles_set_modes(const char *dir, char **cause);
/*
 * Checks an existing database before LMDB opens it: the directory and its
 * files are open to no other user by mode bits or by POSIX ACL, the files are
 * regular files (not symlinks) with one link. With privileged (a setgid
 * install), they must also not belong to the person running unless that is
 * root, and must share the directory's owner, so that no practitioner can
 * change their modes; a missing lock.mdb is made again only by that owner.
 */
int dbfiles_check(const char *dir, int privileged, struct dbfiles *f, char **cause);
/*
 * After LMDB opened dir: data_fd (LMDB's) and an open lock file are the very
 * files checked before, still regular files at their names. nolock: opened
 * read-only without a lock file (an archived copy), so only data.mdb is checked.
 */
int dbfiles_verify_open(const char *dir, int data_fd, int nolock, const struct dbfiles *f,
    char **cause);

#endif
