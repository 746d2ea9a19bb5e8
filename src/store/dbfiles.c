/* dbfiles.c: the database's directory and files: modes, ACLs, owners, no symlinks. */
#include "store/dbfiles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/privsep.h"
#include "base/util.h"

/* LMDB's two files and frontdoor's writer lock, all made 0660 in the database's group */
static const char *const db_files[] = { "data.mdb", "lock.mdb", "writer.lock" };

/* The entries of a POSIX ACL as the kernel stores it in system.posix_acl_*. */
enum {
	ACL_XATTR_VERSION = 2,
	ACL_TAG_USER_OBJ = 0x01, ACL_TAG_USER = 0x02, ACL_TAG_GROUP_OBJ = 0x04,
	ACL_TAG_GROUP = 0x08, ACL_TAG_MASK = 0x10, ACL_TAG_OTHER = 0x20,
};

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Whether an ACL in its stored form (a 4-byte version, then 8-byte entries of
 * tag, permissions and id) grants anything to someone other than the file's
 * owner and group: a named user or group with permissions the mask lets
 * through, or "other". 1 if it does, 0 if not, -1 if it cannot be read.
 */
static int
acl_grants_outsider(const unsigned char *acl, size_t len, const struct stat *st)
{
	unsigned mask = 7;
	int outsider = 0;

	if (len < 4 || (len - 4) % 8 != 0 || le32(acl) != ACL_XATTR_VERSION)
		return -1;
	for (size_t i = 4; i < len; i += 8)
		if (le16(acl + i) == ACL_TAG_MASK)
			mask = le16(acl + i + 2);
	for (size_t i = 4; i < len; i += 8) {
		unsigned tag = le16(acl + i), perm = le16(acl + i + 2);
		uint32_t id = le32(acl + i + 4);

		if (tag == ACL_TAG_USER && id != st->st_uid)
			outsider |= (perm & mask) != 0;
		else if (tag == ACL_TAG_GROUP && id != st->st_gid)
			outsider |= (perm & mask) != 0;
		else if (tag == ACL_TAG_OTHER)
			outsider |= perm != 0;
	}
	return outsider;
}

/* Refuses an access (or, on a directory, default) ACL that lets an outsider in. */
static int
check_acl(const char *path, const char *attr, const struct stat *st, char **cause)
{
	unsigned char acl[4096];
	ssize_t n = lgetxattr(path, attr, acl, sizeof acl);
	int rc;

	if (n < 0) {
		if (errno == ENODATA || errno == ENOTSUP)
			return 0;
		*cause = xasprintf("%s: cannot read its ACL: %s", path, strerror(errno));
		return -1;
	}
	rc = acl_grants_outsider(acl, (size_t)n, st);
	if (rc != 0) {
		*cause = xasprintf("%s has an ACL that %s: refusing to use it; remove it with "
		    "setfacl -b%s", path, rc < 0 ? "cannot be read" :
		    "lets in users outside its owner and group", S_ISDIR(st->st_mode) ? "d" : "");
		return -1;
	}
	return 0;
}

/* Refuses a file or directory other users could reach, by mode or by ACL. */
static int
check_private(const char *path, const struct stat *st, char **cause)
{
	if (st->st_mode & S_IRWXO) {
		*cause = xasprintf("%s is open to every user (mode %04o): refusing to use it; "
		    "fix with chmod o-rwx", path, (unsigned)(st->st_mode & 07777));
		return -1;
	}
	if (check_acl(path, "system.posix_acl_access", st, cause) < 0)
		return -1;
	if (S_ISDIR(st->st_mode) && check_acl(path, "system.posix_acl_default", st, cause) < 0)
		return -1;
	return 0;
}

/*
 * An existing directory becomes a database only if it is an empty directory
 * of the user's own: init must not take over (and chmod) a shared or another
 * user's directory, whose owner could then read the children's data.
 */
static int
check_dir_is_ours(const char *dir, char **cause)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int empty = 1;

	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s exists and is not a directory", dir);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		*cause = xasprintf("%s belongs to another user: refusing to make it a database "
		    "(give a new directory)", dir);
		return -1;
	}
	if (check_acl(dir, "system.posix_acl_default", &st, cause) < 0)
		return -1;
	if ((d = opendir(dir)) == NULL) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	while (empty && (e = readdir(d)) != NULL)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(d);
	if (!empty) {
		*cause = xasprintf("%s is not empty: refusing to make it a database (give a new "
		    "or empty directory)", dir);
		return -1;
	}
	return 0;
}

int
dbfiles_make_dir(const char *dir, char **cause)
{
	char *data = xasprintf("%s/data.mdb", dir);
	struct stat st;
	int exists = lstat(data, &st) == 0;

	free(data);
	if (exists) {
		*cause = xasprintf("%s already holds a database", dir);
		return -1;
	}
	if (mkdir(dir, 0700) < 0) {
		if (errno != EEXIST) {
			*cause = xasprintf("cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
		if (check_dir_is_ours(dir, cause) < 0)
			return -1;
	}
	/* the database's group: the setgid group when installed so, else the user's */
	if (lchown(dir, (uid_t)-1, getegid()) < 0 || chmod(dir, 02770) < 0) {
		*cause = xasprintf("cannot set permissions on %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int
dbfiles_set_modes(const char *dir, char **cause)
{
	for (size_t i = 0; i < FD_ARRAY_LEN(db_files); i++) {
		char *p = xasprintf("%s/%s", dir, db_files[i]);
		int fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), rc = 0;

		if (fd < 0 ? errno != ENOENT : fchmod(fd, 0660) < 0) {
			*cause = xasprintf("cannot set permissions on %s: %s", p, strerror(errno));
			rc = -1;
		}
		if (fd >= 0)
			close(fd);
		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The checks on one of the files: 1 if it is there, 0 if it is missing, -1 if refused. */
static int
check_file(const char *path, const struct stat *dst, int privileged, dev_t *dev, ino_t *ino,
    char **cause)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
		*cause = xasprintf("%s is %s: refusing to use it", path, S_ISLNK(st.st_mode) ?
		    "a symbolic link" : !S_ISREG(st.st_mode) ? "not a regular file" :
		    "linked from elsewhere (more than one name)");
		return -1;
	}
	if (privileged && st.st_uid != dst->st_uid) {
		*cause = xasprintf("%s does not belong to the owner of its directory: refusing "
		    "to use it", path);
		return -1;
	}
	*dev = st.st_dev;
	*ino = st.st_ino;
	return check_private(path, &st, cause) < 0 ? -1 : 1;
}

int
dbfiles_check(const char *dir, int privileged, struct dbfiles *f, char **cause)
{
	struct stat st;
	char *data, *lock, *wlock;
	int rc = -1;

	memset(f, 0, sizeof *f);
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s: no database here (create one with frontdoor init)", dir);
		return -1;
	}
	if (check_private(dir, &st, cause) < 0)
		return -1;
	if (privileged && st.st_uid == getuid() && getuid() != 0) {
		*cause = xasprintf("%s belongs to you, so you could change who reads it: the "
		    "system database must belong to root (or to a system user)", dir);
		return -1;
	}
	data = xasprintf("%s/data.mdb", dir);
	lock = xasprintf("%s/lock.mdb", dir);
	wlock = xasprintf("%s/writer.lock", dir);
	if ((f->have_data = check_file(data, &st, privileged, &f->data_dev, &f->data_ino,
	    cause)) < 0 ||
	    (f->have_lock = check_file(lock, &st, privileged, &f->lock_dev, &f->lock_ino,
	    cause)) < 0 ||
	    (f->have_wlock = check_file(wlock, &st, privileged, &f->wlock_dev, &f->wlock_ino,
	    cause)) < 0)
		goto out;
	f->owner = !privileged || getuid() == st.st_uid;
	if (!f->owner && (!f->have_lock || (f->have_data && !f->have_wlock))) {
		*cause = xasprintf("%s is missing and would belong to you: run any frontdoor "
		    "command once as root to make it again", f->have_lock ? wlock : lock);
		goto out;
	}
	rc = 0;
out:
	free(data);
	free(lock);
	free(wlock);
	return rc;
}

/* Whether this process has the file (dev, ino) open. */
static int
have_open(dev_t dev, ino_t ino)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int found = 0;

	if (d == NULL)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		struct stat st;
		char *end;
		long fd = strtol(e->d_name, &end, 10);

		if (*end == '\0' && end != e->d_name && fstat((int)fd, &st) == 0)
			found = S_ISREG(st.st_mode) && st.st_dev == dev && st.st_ino == ino;
	}
	closedir(d);
	return found;
}

/* The file at dir/name now: a regular file, and the one checked before if there was one. */
static int
verify_name(const char *dir, const char *name, int had, dev_t dev, ino_t ino, struct stat *st,
    char **cause)
{
	char *p = xasprintf("%s/%s", dir, name);
	int ok = lstat(p, st) == 0 && S_ISREG(st->st_mode) && st->st_nlink == 1 &&
	    (!had || (st->st_dev == dev && st->st_ino == ino));

	if (!ok)
		*cause = xasprintf("%s changed while it was being opened: refusing to use it", p);
	free(p);
	return ok ? 0 : -1;
}

int
dbfiles_verify_open(const char *dir, int data_fd, int nolock, const struct dbfiles *f,
    char **cause)
{
	struct stat data, lock, fdst;

	if (verify_name(dir, "data.mdb", f->have_data, f->data_dev, f->data_ino, &data,
	    cause) < 0 ||
	    (!nolock && verify_name(dir, "lock.mdb", f->have_lock, f->lock_dev, f->lock_ino,
	    &lock, cause) < 0))
		return -1;
	if (fstat(data_fd, &fdst) < 0 || fdst.st_dev != data.st_dev ||
	    fdst.st_ino != data.st_ino || (!nolock && !have_open(lock.st_dev, lock.st_ino))) {
		*cause = xasprintf("%s: the files opened are not the ones named: refusing to "
		    "use them", dir);
		return -1;
	}
	return 0;
}

/* dbfiles_open_data's work, with the group raised. */
static int
open_data_raised(const char *dir, int *fd, char **cause)
{
	struct dbfiles f;
	char *path;

	if (dbfiles_check(dir, privsep_active(), &f, cause) < 0)
		return -1;
	path = xasprintf("%s/data.mdb", dir);
	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0)
		*cause = xasprintf("cannot read %s: %s", path, strerror(errno));
	free(path);
	if (*fd < 0)
		return -1;
	if (dbfiles_verify_open(dir, *fd, 1, &f, cause) < 0) {
		close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

int
dbfiles_open_data(const char *dir, int *fd, char **cause)
{
	int rc;

	*fd = -1;
	privsep_raise();
	rc = open_data_raised(dir, fd, cause);
	privsep_lower();
	return rc;
}
