/* privsep.c: raising and lowering the setgid group, and scrubbing the environment. */
#include "base/privsep.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "base/util.h"

/*
 * Variables a library would follow to a file of the user's choosing: locale
 * and message catalogues, character set converters, terminfo and termcap,
 * OpenSSL's configuration and modules, temporary files. The dynamic loader
 * already drops several of them for a setgid program, but the curses library
 * trusts its own once the effective gid is lowered, so they all go.
 */
static const char *const unsafe_vars[] = {
	"TERMINFO", "TERMINFO_DIRS", "TERMCAP", "TERMPATH", "LOCPATH", "NLSPATH",
	"GCONV_PATH", "OPENSSL_CONF", "OPENSSL_ENGINES", "OPENSSL_MODULES", "TMPDIR",
	"TZDIR", "HOSTALIASES", "LOCALDOMAIN", "RES_OPTIONS", "MALLOC_CHECK_",
	"MALLOC_TRACE", "MALLOC_PERTURB_", "GLIBC_TUNABLES",
};

int
privsep_active(void)
{
	gid_t r, e, s;

	if (getresgid(&r, &e, &s) < 0)
		fatal("cannot read the process's group ids");
	return s != r || e != r;
}

/* A credential change can make the process dumpable again: keep it closed. */
static void
stay_undumpable(void)
{
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void
privsep_start(void)
{
	if (!privsep_active())
		return;
	for (size_t i = 0; i < FD_ARRAY_LEN(unsafe_vars); i++)
		unsetenv(unsafe_vars[i]);
	privsep_lower();
}

void
privsep_raise(void)
{
	gid_t r, e, s;

	if (getresgid(&r, &e, &s) < 0 || s == r)
		return;
	if (setegid(s) < 0)
		fatal("cannot take the database's group");
	stay_undumpable();
}

void
privsep_lower(void)
{
	gid_t r, e, s;

	if (getresgid(&r, &e, &s) < 0)
		fatal("cannot read the process's group ids");
	if (e == r)
		return;
	if (setegid(r) < 0 || getegid() != r)
		fatal("cannot give up the database's group");
	stay_undumpable();
}

int
privsep_open_read(const char *path)
{
	int fd, saved;

	privsep_raise();
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	saved = errno;
	privsep_lower();
	errno = saved;
	return fd;
}

void
privsep_drop(void)
{
	gid_t r, e, s;

	if (!privsep_active())
		return;
	if (getresgid(&r, &e, &s) < 0 || setresgid(r, r, r) < 0 ||
	    getresgid(&r, &e, &s) < 0 || e != r || s != r)
		fatal("cannot give up the database's group");
	stay_undumpable();
}

void
privsep_scrub_terminal(void)
{
	const char *term = getenv("TERM");

	if (!privsep_active())
		return;
	unsetenv("HOME");
	/* a terminal type is a name in the system's terminfo, never a path */
	if (term != NULL && (strchr(term, '/') != NULL || *term == '.'))
		unsetenv("TERM");
}
