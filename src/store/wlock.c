/* wlock.c: an flock'd lock file serialising frontdoor's writers, with a bounded wait and its holder named. */
#include "store/wlock.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/util.h"

struct wlock {
	int fd;
};

int
wlock_open(struct wlock **out, const char *dir, int create, char **cause)
{
	char *path = xasprintf("%s/%s", dir, WLOCK_FILE);
	int fd = open(path, O_RDWR | (create ? O_CREAT : 0) | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
	    0660);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		*cause = xasprintf("cannot open %s: %s", path, strerror(errno));
		goto fail_open;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s is not a regular file: refusing to use it", path);
		goto fail_open;
	}
	/* the umask may have taken the group's bits off a file just created */
	if ((st.st_mode & 07777) != 0660 && st.st_uid == geteuid() && fchmod(fd, 0660) < 0) {
		*cause = xasprintf("cannot set permissions on %s: %s", path, strerror(errno));
		goto fail_open;
	}
	if ((st.st_mode & S_IRWXO) && st.st_uid != geteuid()) {
		*cause = xasprintf("%s is open to every user: refusing to use it", path);
		goto fail_open;
	}
	free(path);
	*out = xcalloc(1, sizeof **out);
	(*out)->fd = fd;
	return 0;
fail_open:
	if (fd >= 0)
		close(fd);
	free(path);
	return -1;
}

/* "pid 1234 (user alice)" from what the holder wrote, as far as it can be known. */
static char *
wlock_holder(int fd)
{
	char line[64], name[64] = "";
	ssize_t n = pread(fd, line, sizeof line - 1, 0);
	long pid;
	unsigned uid;
	struct passwd pw, *res = NULL;
	char pwbuf[1024];

	if (n <= 0)
		return xstrdup("another process");
	line[n] = '\0';
	if (sscanf(line, "%ld %u", &pid, &uid) != 2 || pid <= 0 ||
	    (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
		return xstrdup("another process");
	if (getpwuid_r((uid_t)uid, &pw, pwbuf, sizeof pwbuf, &res) == 0 && res != NULL)
		snprintf(name, sizeof name, "user %.40s", pw.pw_name);
	else
		snprintf(name, sizeof name, "uid %u", uid);
	return xasprintf("pid %ld (%s)", pid, name);
}

/* Notes this process as the holder, for a writer that has to wait. */
static void
wlock_record(int fd)
{
	char line[64];
	int n = snprintf(line, sizeof line, "%ld %u\n", (long)getpid(), (unsigned)getuid());

	if (ftruncate(fd, 0) == 0)
		(void)!pwrite(fd, line, (size_t)n, 0);
}

/* Interrupts the blocking wait: its only effect is flock's EINTR. */
static void
wlock_alarm(int sig)
{
	(void)sig;
}

/*
 * Waits in flock itself (the kernel hands the lock on in turn) until it is
 * held or wait_ms have passed, which a one-shot interval timer marks by
 * interrupting the call. The signal's handling is restored afterwards.
 */
static int
wlock_wait(int fd, unsigned wait_ms)
{
	struct sigaction sa, old_sa;
	struct itimerval it, old_it;
	int rc, err;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = wlock_alarm;	/* no SA_RESTART: flock returns EINTR */
	sigemptyset(&sa.sa_mask);
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = wait_ms / 1000;
	it.it_value.tv_usec = (suseconds_t)(wait_ms % 1000) * 1000;
	sigaction(SIGALRM, &sa, &old_sa);
	setitimer(ITIMER_REAL, &it, &old_it);
	rc = flock(fd, LOCK_EX);
	err = errno;
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	setitimer(ITIMER_REAL, &old_it, NULL);
	errno = err;
	return rc;
}

/* A wait as the messages give it: "250 ms", "10 s". */
static char *
wlock_duration(unsigned wait_ms)
{
	if (wait_ms < 1000)
		return xasprintf("%u ms", wait_ms);
	return xasprintf("%u s", (wait_ms + 999) / 1000);
}

int
wlock_take(struct wlock **l, const char *dir, unsigned wait_ms, wlock_notice_fn notice,
    void *arg, char **cause)
{
	char *who, *wait;

	if (*l == NULL) {
		*cause = xasprintf("%s/%s was not opened with the database", dir, WLOCK_FILE);
		return -1;
	}
	if (flock((*l)->fd, LOCK_EX | LOCK_NB) == 0)
		goto held;
	if (errno != EWOULDBLOCK && errno != EINTR)
		goto fail_lock;
	if (notice != NULL) {
		char *msg;

		who = wlock_holder((*l)->fd);
		wait = wlock_duration(wait_ms);
		msg = xasprintf("waiting for the database: %s is writing to it (giving up after "
		    "%s)", who, wait);
		notice(msg, arg);
		free(msg);
		free(wait);
		free(who);
	}
	if (wlock_wait((*l)->fd, wait_ms) == 0)
		goto held;
	if (errno != EINTR)
		goto fail_lock;
	who = wlock_holder((*l)->fd);
	wait = wlock_duration(wait_ms);
	*cause = xasprintf("the database is busy: %s has held its write lock for more than %s; "
	    "nothing was saved (try again)", who, wait);
	free(wait);
	free(who);
	return -1;
held:
	wlock_record((*l)->fd);
	return 0;
fail_lock:
	*cause = xasprintf("cannot lock %s/%s: %s", dir, WLOCK_FILE, strerror(errno));
	return -1;
}

int
wlock_fd(const struct wlock *l)
{
	return l->fd;
}

void
wlock_release(struct wlock *l)
{
	if (l != NULL)
		flock(l->fd, LOCK_UN);
}

void
wlock_close(struct wlock *l)
{
	if (l == NULL)
		return;
	close(l->fd);
	free(l);
}
