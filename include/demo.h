/* demo.h: a ready demo database with a few hundred synthetic contacts. */
#ifndef FD_DEMO_H
#define FD_DEMO_H

/*
 * Creates (or reuses, if it already holds a demo) a database in dir with the
 * default rule set in force, the invoking user as admin and manager-level
 * access (see demo.c for the users it adds), and `contacts` synthetic,
 * deterministic contacts routed, some overridden, outcomes and sign-offs.
 */
int demo_create(const char *dir, const char *rules_path, const char *user, int contacts,
    char **cause);
/* The demo database's default place: $XDG_DATA_HOME/frontdoor-demo (or ~/.local/share). */
char *demo_default_dir(void);

#endif
