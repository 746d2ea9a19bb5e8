/*
 * faultshim.c: an LD_PRELOAD shim that makes the k-th write or sync of the
 * database file fail, so the tests can show that a failed commit is never
 * acknowledged and never damages the log.
 *
 * It follows every descriptor opened on a path ending in "data.mdb" (open,
 * open64, openat, openat64; forgotten on close) and counts the calls made on
 * them to write, writev, pwrite, pwrite64, pwritev, fsync and fdatasync, and
 * every msync while such a file is open.
 *
 *   FAULT_AT=k         the k-th counted call fails (0: count only)
 *   FAULT_ERRNO=E      ENOSPC (default), EIO, EDQUOT or EFBIG
 *   FAULT_COUNT_FILE=F at exit, writes the number of counted calls to F
 *   FAULT_LOG=F        appends one line naming the call that was made to fail
 */
/* the shim defines open and open64, pwrite and pwrite64 side by side */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_FDS 4096

static unsigned char tracked[MAX_FDS];
static int open_tracked;
static long calls, fault_at = -1;
static int fault_errno = ENOSPC;
static int configured;

static void
configure(void)
{
	const char *at = getenv("FAULT_AT"), *e = getenv("FAULT_ERRNO");

	if (configured)
		return;
	configured = 1;
	if (at != NULL && *at != '\0')
		fault_at = strtol(at, NULL, 10);
	if (e != NULL) {
		if (strcmp(e, "EIO") == 0)
			fault_errno = EIO;
		else if (strcmp(e, "EDQUOT") == 0)
			fault_errno = EDQUOT;
		else if (strcmp(e, "EFBIG") == 0)
			fault_errno = EFBIG;
		else
			fault_errno = ENOSPC;
	}
}

static void *
real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL) {
		static const char msg[] = "faultshim: a libc function is missing\n";
		ssize_t ignored = syscall(1, 2, msg, sizeof msg - 1);
		(void)ignored;
		abort();
	}
	return f;
}

static int
is_data_path(const char *path)
{
	size_t n = path != NULL ? strlen(path) : 0;

	return n >= 8 && strcmp(path + n - 8, "data.mdb") == 0;
}

static void
note_open(int fd, const char *path)
{
	if (fd < 0 || fd >= MAX_FDS)
		return;
	if (tracked[fd])
		open_tracked--;
	tracked[fd] = (unsigned char)is_data_path(path);
	if (tracked[fd])
		open_tracked++;
}

static void
log_fault(const char *what)
{
	const char *path = getenv("FAULT_LOG");
	ssize_t (*w)(int, const void *, size_t) = real("write");
	int (*o)(const char *, int, ...) = real("open");
	char line[128];
	int fd, n;

	if (path == NULL)
		return;
	fd = o(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof line, "call %ld (%s) failed with %s\n", calls, what,
	    strerror(fault_errno));
	if (w(fd, line, (size_t)n) < 0) {
		/* nothing to be done */
	}
	close(fd);
}

/* Counts a call on a tracked file; 1 if this one is to fail (errno set). */
static int
fault(int fd, const char *what)
{
	configure();
	if (fd < 0 || fd >= MAX_FDS || !tracked[fd])
		return 0;
	calls++;
	if (fault_at > 0 && calls == fault_at) {
		log_fault(what);
		errno = fault_errno;
		return 1;
	}
	return 0;
}

static int
open_mode_needed(int flags)
{
	return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
}

#define OPEN_WRAPPER(name)						\
	int name(const char *path, int flags, ...)			\
	{								\
		int (*f)(const char *, int, ...) = real(#name);		\
		mode_t mode = 0;					\
		int fd;							\
		if (open_mode_needed(flags)) {				\
			va_list ap;					\
			va_start(ap, flags);				\
			mode = (mode_t)va_arg(ap, int);			\
			va_end(ap);					\
		}							\
		fd = f(path, flags, mode);				\
		note_open(fd, path);					\
		return fd;						\
	}

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

#define OPENAT_WRAPPER(name)						\
	int name(int dirfd, const char *path, int flags, ...)		\
	{								\
		int (*f)(int, const char *, int, ...) = real(#name);	\
		mode_t mode = 0;					\
		int fd;							\
		if (open_mode_needed(flags)) {				\
			va_list ap;					\
			va_start(ap, flags);				\
			mode = (mode_t)va_arg(ap, int);			\
			va_end(ap);					\
		}							\
		fd = f(dirfd, path, flags, mode);			\
		note_open(fd, path);					\
		return fd;						\
	}

OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)

int
close(int fd)
{
	int (*f)(int) = real("close");

	if (fd >= 0 && fd < MAX_FDS && tracked[fd]) {
		tracked[fd] = 0;
		open_tracked--;
	}
	return f(fd);
}

ssize_t
write(int fd, const void *p, size_t n)
{
	ssize_t (*f)(int, const void *, size_t) = real("write");

	return fault(fd, "write") ? -1 : f(fd, p, n);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
	ssize_t (*f)(int, const struct iovec *, int) = real("writev");

	return fault(fd, "writev") ? -1 : f(fd, iov, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	ssize_t (*f)(int, const void *, size_t, off_t) = real("pwrite");

	return fault(fd, "pwrite") ? -1 : f(fd, p, n, off);
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off_t off)
{
	ssize_t (*f)(int, const void *, size_t, off_t) = real("pwrite64");

	return fault(fd, "pwrite64") ? -1 : f(fd, p, n, off);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	ssize_t (*f)(int, const struct iovec *, int, off_t) = real("pwritev");

	return fault(fd, "pwritev") ? -1 : f(fd, iov, n, off);
}

int
fsync(int fd)
{
	int (*f)(int) = real("fsync");

	return fault(fd, "fsync") ? -1 : f(fd);
}

int
fdatasync(int fd)
{
	int (*f)(int) = real("fdatasync");

	return fault(fd, "fdatasync") ? -1 : f(fd);
}

int
msync(void *addr, size_t len, int flags)
{
	int (*f)(void *, size_t, int) = real("msync");

	configure();
	if (open_tracked > 0) {
		calls++;
		if (fault_at > 0 && calls == fault_at) {
			log_fault("msync");
			errno = fault_errno;
			return -1;
		}
	}
	return f(addr, len, flags);
}

__attribute__((destructor)) static void
report(void)
{
	const char *path = getenv("FAULT_COUNT_FILE");
	FILE *fp;

	if (path == NULL || (fp = fopen(path, "w")) == NULL)
		return;
	fprintf(fp, "%ld\n", calls);
	fclose(fp);
}
