/* privsep.h: a setgid install: the group opens the database and nothing else. */
#ifndef FD_PRIVSEP_H
#define FD_PRIVSEP_H

/*
 * Installed setgid, frontdoor starts with the database's group as its
 * effective gid. privsep_start lowers it to the person's own gid at once and
 * scrubs the environment that libraries would otherwise trust; the group is
 * raised only around opening the database and its own files (privsep_raise,
 * privsep_lower, privsep_open_read) and can be given up for good (privsep_drop). Nothing is kept in variables: the
 * saved set-group-id is the state.
 */

/* 1 while the database's group can still be raised (installed setgid, not dropped). */
int privsep_active(void);
/* At the very start: lower the group and scrub the environment when privileged. */
void privsep_start(void);
/* Makes the database's group effective (a no-op when not privileged). */
void privsep_raise(void);
/* Back to the person's own gid; a failure ends the process. */
void privsep_lower(void);
/*
 * Opens a file of the database's own (its key, the settings) for reading,
 * with the group raised for the open alone and never through a symlink: an
 * fd, or -1 with errno set.
 */
int privsep_open_read(const char *path);
/* Gives the group up for good: real, effective and saved gid become the person's. */
void privsep_drop(void);
/* Unsets what curses would read from a user's own files (HOME's ~/.terminfo). */
void privsep_scrub_terminal(void);

#endif
