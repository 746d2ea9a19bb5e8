/* tmpdir.h: scratch directories for tests that open databases. */
#ifndef FD_TEST_TMPDIR_H
#define FD_TEST_TMPDIR_H

/* A new empty directory under $TMPDIR (or /tmp); the caller frees the name. */
char *tmpdir_make(void);
/* Removes a directory and everything in it (no deeper than two levels). */
void tmpdir_remove(const char *dir);

#endif
