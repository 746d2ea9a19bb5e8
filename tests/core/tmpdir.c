/* tmpdir.c: makes and removes the scratch directories the core tests use. */
#include "tmpdir.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

char *
tmpdir_make(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/fdcore.XXXXXX", base != NULL && *base == '/' ? base : "/tmp");

	if (mkdtemp(dir) == NULL)
		fatal("cannot make a scratch directory");
	return dir;
}

static void
tmpdir_remove_depth(const char *dir, int depth)
{
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth > 0)
			tmpdir_remove_depth(p, depth - 1);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

void
tmpdir_remove(const char *dir)
{
	tmpdir_remove_depth(dir, 2);
}
