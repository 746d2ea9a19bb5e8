/* app.c: the settings both front ends share. */
#include "core/app.h"

#include <limits.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

/* Writes into buf the path of a file named name in the running binary's directory. */
static int
app_beside_binary(char *buf, size_t size, const char *name)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL || (size_t)(slash + 1 - buf) + strlen(name) >= size)
		return -1;
	strcpy(slash + 1, name);
	return 0;
}

/*
 * The installed rule file; failing that, for a binary run from its build tree (and never
 * a setuid or setgid one), the copy the build put beside it. No source path, no variable
 * of the environment.
 */
const char *
app_default_rules(void)
{
	static char beside[PATH_MAX];	/* the same path on every call */

	if (access(FD_INSTALLED_RULES, R_OK) == 0 || getauxval(AT_SECURE) != 0)
		return FD_INSTALLED_RULES;
	if (app_beside_binary(beside, sizeof beside, FD_RULES_FILE) == 0 &&
	    access(beside, R_OK) == 0)
		return beside;
	return FD_INSTALLED_RULES;	/* missing: the error names where it belongs */
}
