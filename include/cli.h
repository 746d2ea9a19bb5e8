/* cli.h: the command table and what every subcommand shares. */
#ifndef FD_CLI_H
#define FD_CLI_H

#include "rules.h"

/* Exit codes shared by every command. */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEM = 1,	/* the command ran and found problems (bad lines, failed tests) */
	EXIT_USAGE = 2,		/* bad arguments or an unusable rule file */
	EXIT_SOFTWARE = 70
};

struct cli_command {
	const char *name;
	const char *usage;
	const char *summary;
	int (*exec)(int argc, char **argv);
};

/* Runs argv[0] from a table; prints usage on an unknown name. */
int cli_dispatch(const struct cli_command *table, size_t n, const char *prefix,
    int argc, char **argv);
void cli_usage(const struct cli_command *table, size_t n, const char *prefix, FILE *fp);
/* Reports a usage error for one command and returns EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...) FD_ATTR_PRINTF(2, 3);
const struct cli_command *cli_find(const struct cli_command *table, size_t n, const char *name);

/* The rule file used when none is named: the installed one, else the source tree's. */
const char *cli_default_rules(void);
/* Loads a rule file for a command, printing its diagnostics; NULL if unusable. */
struct ruleset *cli_load_rules(const char *path, int print_warnings);

int cmd_rules(int argc, char **argv);
int cmd_route(int argc, char **argv);

#endif
