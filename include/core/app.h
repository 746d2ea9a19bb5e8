/* app.h: what both front ends share: exit codes, the database they act on, the default rules. */
#ifndef FD_APP_H
#define FD_APP_H

/* Exit codes of every command and of the screens. */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEM = 1,	/* the command ran and found problems (bad lines, failed tests) */
	EXIT_USAGE = 2,		/* bad arguments or an unusable rule file */
	EXIT_SOFTWARE = 70
};

/* What a front end was told before any command: --db DIR, --as USER. */
struct app_target {
	const char *db;		/* NULL: $FRONTDOOR_DB or $XDG_DATA_HOME/frontdoor */
	const char *as_user;	/* root only */
	const char *conf;	/* the administrator's settings; NULL: the compiled-in file */
};

/* The rule file used when none is named: the installed one, else the build tree's copy. */
const char *app_default_rules(void);

/* What a command does with its database. */
enum app_use {
	APP_OPEN,		/* open an existing database */
	APP_CREATE,		/* frontdoor init */
	APP_DEMO		/* make or open a demo database, never the real one */
};

/*
 * The database directory a command acts on. Not installed setgid: --db, else
 * $FRONTDOOR_DB, else $XDG_DATA_HOME/frontdoor (a demo: --db, else its own
 * directory). Installed setgid: the system database, from the compiled-in
 * default or the root-owned settings file; --db, $FRONTDOOR_DB or the demo's
 * directory, if they name another directory, give up the group for good
 * first, so a person's own database is opened with the person's rights only.
 * Only root creates the system database.
 */
int app_database(const struct app_target *t, enum app_use use, char **dir, char **cause);
/* The system database named by the settings file conf (or the compiled-in default). */
int app_system_database(const char *conf, char **dir, char **cause);

#endif
