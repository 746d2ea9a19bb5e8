/* demo.h: a ready demo database with a few hundred synthetic contacts. */
#ifndef FD_DEMO_H
#define FD_DEMO_H

/*
 * Creates (or reuses, if it already holds a finished demo) a database in dir
 * with the rule file at rules_path in force, the invoking user as a manager
 * (see demo.c for the synthetic staff it adds, and demo-admin as admin), and
 * `contacts` synthetic, deterministic contacts routed, some overridden, with
 * outcomes, steps and sign-offs. A directory holding any other database is
 * refused.
 */
int demo_create(const char *dir, const char *rules_path, const char *user, int contacts,
    char **cause);
/* The demo database's default place: $XDG_DATA_HOME/frontdoor-demo (or ~/.local/share). */
char *demo_default_dir(void);

#endif
