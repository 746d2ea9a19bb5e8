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
};

/* The rule file used when none is named: the installed one, else the build tree's copy. */
const char *app_default_rules(void);

#endif
