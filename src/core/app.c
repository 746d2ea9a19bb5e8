/* app.c: the settings both front ends share, and which database they may open. */
#include "core/app.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/privsep.h"
#include "base/util.h"
#include "core/demo.h"
#include "store/store.h"

#define APP_CONF_MAX 65536

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

/* Trims blanks at both ends of s, in place. */
static char *
trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Reads the "key = value" lines of the settings file text; only "database" is known. */
static int
conf_parse(const char *path, char *text, char **dir, char **cause)
{
	int lineno = 0;

	for (char *line = text, *next; line != NULL; line = next) {
		char *eq, *key, *value;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		line = trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			*cause = xasprintf("%s line %d: expected key = value", path, lineno);
			return -1;
		}
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		if (strcmp(key, "database") != 0) {
			*cause = xasprintf("%s line %d: unknown setting (the one setting is "
			    "database)", path, lineno);
			return -1;
		}
		if (*value != '/') {
			*cause = xasprintf("%s line %d: database must be an absolute path", path,
			    lineno);
			return -1;
		}
		free(*dir);
		*dir = xstrdup(value);
	}
	return 0;
}

/* Opens the settings file, which must be root's and writable by no one else. */
static int
conf_open(const char *path, char **cause)
{
	struct stat st;
	int fd;

	fd = privsep_open_read(path);
	if (fd < 0) {
		if (errno == ENOENT)
			return -2;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022) != 0) {
		*cause = xasprintf("%s must be a regular file of root's that no one else can "
		    "write: refusing to use it", path);
		close(fd);
		return -1;
	}
	return fd;
}

int
app_system_database(const char *conf, char **dir, char **cause)
{
	char *text;
	ssize_t n;
	int fd = conf_open(conf, cause), rc;

	*dir = xstrdup(FD_SYSTEM_DB);
	if (fd == -2)
		return 0;
	if (fd < 0)
		goto fail;
	text = xmalloc(APP_CONF_MAX + 1);
	n = read(fd, text, APP_CONF_MAX + 1);
	close(fd);
	if (n < 0 || n > APP_CONF_MAX) {
		*cause = xasprintf("%s: %s", conf, n < 0 ? strerror(errno) : "too long");
		free(text);
		goto fail;
	}
	text[n] = '\0';
	rc = conf_parse(conf, text, dir, cause);
	free(text);
	if (rc == 0)
		return 0;
fail:
	free(*dir);
	*dir = NULL;
	return -1;
}

/* Whether a and b name the same existing directory; b is looked at with the group. */
static int
same_dir(const char *a, const char *b)
{
	struct stat sa, sb;
	int rb;

	if (stat(a, &sa) < 0)
		return 0;
	privsep_raise();
	rb = stat(b, &sb);
	privsep_lower();
	return rb == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The directory the person named, if any: --db, else $FRONTDOOR_DB, else the demo's. */
static char *
named_dir(const struct app_target *t, enum app_use use)
{
	const char *env = getenv("FRONTDOOR_DB");

	if (t->db != NULL)
		return xstrdup(t->db);
	if (use == APP_DEMO)
		return demo_default_dir();
	return env != NULL && *env != '\0' ? xstrdup(env) : NULL;
}

int
app_database(const struct app_target *t, enum app_use use, char **dir, char **cause)
{
	char *system, *named;

	*dir = NULL;
	if (!privsep_active()) {
		named = named_dir(t, use);
		*dir = named != NULL ? named : store_default_dir();
		return 0;
	}
	if (app_system_database(t->conf != NULL ? t->conf : FD_SYSTEM_CONF, &system, cause) < 0)
		return -1;
	named = named_dir(t, use);
	if (named != NULL && !same_dir(named, system)) {
		/* a database of the person's own: from here on, only the person's rights */
		privsep_drop();
		free(system);
		*dir = named;
		return 0;
	}
	free(named);
	if (use == APP_DEMO) {
		*cause = xasprintf("the demo never uses the system database (%s): name another "
		    "directory", system);
		free(system);
		return -1;
	}
	if (use == APP_CREATE && getuid() != 0) {
		*cause = xasprintf("only root creates the system database (%s)", system);
		free(system);
		return -1;
	}
	*dir = system;
	return 0;
}
