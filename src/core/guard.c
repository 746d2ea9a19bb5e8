/* guard.c: a reading command's database work in a child; a fault there is reported as damage. */
#include "core/guard.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/util.h"
#include "core/app.h"
#include "store/pagecheck.h"

/* The signals a fault on a damaged page raises (SIGABRT: LMDB's own assertions). */
static int
is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT || sig == SIGFPE ||
	    sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;
}

static void
say(const char *msg)
{
	fputs("frontdoor: ", stderr);
	fput_sanitised(msg, strlen(msg), stderr);
	fputc('\n', stderr);
}

/* Names what is damaged after the child faulted; the parent reads the file, never maps it. */
static void
report_fault(const char *dir, int sig)
{
	char *cause = NULL, *msg;
	int rc = pagecheck_run(dir, 0, NULL, &cause);

	if (rc == 1)
		msg = xasprintf("reading the database stopped on damage (signal %d in the "
		    "database library): %s; nothing was changed", sig, cause);
	else if (rc < 0)
		msg = xasprintf("reading the database stopped on signal %d, and its pages could "
		    "not be checked: %s", sig, cause);
	else
		msg = xasprintf("reading the database stopped on signal %d, though the pages of "
		    "%s/data.mdb check out; run frontdoor verify", sig, dir);
	say(msg);
	free(msg);
	free(cause);
}

/* The parent's part: wait for the child and end as it ended. */
static void __attribute__((noreturn))
guard_wait(pid_t pid, const char *dir)
{
	int status, sig;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			say("lost track of the reading process");
			exit(EXIT_SOFTWARE);
		}
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	sig = WTERMSIG(status);
	if (is_fault(sig)) {
		report_fault(dir, sig);
		exit(EXIT_PROBLEM);
	}
	/* an interrupt or a closed pipe ends the parent as it ended the child */
	signal(sig, SIG_DFL);
	raise(sig);
	exit(128 + sig);
}

int
guard_reader(const char *dir, char **cause)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		*cause = xasprintf("cannot start a process to read the database: %s",
		    strerror(errno));
		return -1;
	}
	if (pid > 0)
		guard_wait(pid, dir);
	/* the child must not outlive a parent killed while it reads */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(EXIT_SOFTWARE);
	return 0;
}
