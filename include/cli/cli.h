/* cli.h: the command table, each command's entry, and what every subcommand shares. */
#ifndef FD_CLI_H
#define FD_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "core/app.h"
#include "rules/rules.h"

/* What every command may be told before or after its name: --db DIR, --as USER. */
#define cli_ctx app_target

/* One option of a command, as its parser, its usage line and the manual know it. */
struct cli_option {
	const char *name;	/* the long name, without "--" */
	int code;		/* what cli_parse_next returns for it */
	const char *arg;	/* its argument as the usage line shows it; NULL: takes none */
	int flags;		/* CLI_OPT_* */
};
#define CLI_OPT_SHORT 0x1	/* code is also its short form: -r */
#define CLI_OPT_ALIAS 0x2	/* another spelling of the option before it; not in usage */

#define CLI_OPTIONS_MAX 16	/* options of one command, --db and --as included */

/* The flags of a command. */
#define CLI_DB 0x1		/* uses a database: also takes --db DIR and --as USER */

/* The role a command needs: an enum action of store/roles.h, or none. */
#define CLI_NO_ROLE (-1)

/*
 * A command, in the manner of tmux's cmd_entry: each cmd_*.c exports the
 * entries of its commands, cli.c lists them, and the usage lines, help and
 * option parsing are all made from them.
 */
struct cli_command {
	const char *name;	/* the words that run it: "rules check" */
	const char *usage;	/* its operands and own options, as the usage line shows them */
	const char *summary;	/* one line for help */
	const struct cli_option *options;	/* its own options, ending with a NULL name */
	int flags;		/* CLI_DB */
	int role;		/* the action (enum action) whose roles may run it, or CLI_NO_ROLE */
	const char *role_when;	/* when the role is needed only sometimes: "with --record" */
	const struct cli_command *const *sub;	/* subcommands (NULL-terminated), or NULL */
	int (*exec)(struct cli_ctx *ctx, int argc, char **argv);
};

/*
 * The options before the command: --db DIR and --as USER (which a command
 * that uses a database also takes among its own), --demo, --help (-h) and
 * --version; ends with a NULL name.
 */
extern const struct cli_option cli_global_options[];
/* The global option that word ("--db", "-h") names, or NULL. */
const struct cli_option *cli_global_option(const char *word);

/* Every command, in the order help lists them; NULL-terminated. */
extern const struct cli_command *const cli_commands[];

/* Runs the command argv[0] of the table, or prints the usage of all of them. */
int cli_run(struct cli_ctx *ctx, int argc, char **argv);
/* Finds a command by its last word ("check" finds "rules check"); NULL if none. */
const struct cli_command *cli_find(const struct cli_command *const *table, const char *name);
/* Writes a command's usage line ("frontdoor NAME USAGE [--db DIR] [--as USER]", no newline). */
void cli_usage_line(const struct cli_command *cmd, FILE *fp);
/* Writes "usage:" and the usage line of every command in table, subcommands expanded. */
void cli_usage(const struct cli_command *const *table, FILE *fp);
/* Reports a usage error for one command, with its usage line; returns EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...) FD_ATTR_PRINTF(2, 3);

/* A command's option parser over getopt_long, built from its entry. */
struct cli_parse {
	const struct cli_command *cmd;
	struct cli_ctx *ctx;
	int argc;
	char **argv;
	struct option longopts[CLI_OPTIONS_MAX + 1];
	char shortopts[2 * CLI_OPTIONS_MAX + 2];
};
/* Starts parsing argv (argv[0] is the command's name) with the options of cmd. */
void cli_parse_init(struct cli_parse *p, const struct cli_command *cmd, struct cli_ctx *ctx,
    int argc, char **argv);
/*
 * The next option's code, its argument in optarg; -1 after the last, with
 * optind at the first operand. Takes --db and --as itself. An unknown option,
 * a missing argument or an argument to an option that takes none is reported
 * by name, with the usage line, and returns '?'.
 */
int cli_parse_next(struct cli_parse *p);
/*
 * Parses a command that has no options of its own: the index of its first
 * operand, or -1 after a usage error (a bad option, or fewer than min or
 * more than max operands, said as `what`).
 */
int cli_parse_operands(const struct cli_command *cmd, struct cli_ctx *ctx, int argc,
    char **argv, int min, int max, const char *what);

/* Loads a rule file for a command, printing its diagnostics; NULL if unusable. */
struct ruleset *cli_load_rules(const char *path, int print_warnings);

struct store;
struct store_txn;
/*
 * Opens the database for a command and finds who is asking; prints why not
 * and returns -1 if it cannot. The caller closes the store and frees *user.
 */
int cli_open_db(struct cli_ctx *ctx, struct store **s, char **user);
/* Checks, in a short read transaction, that user has the role cmd needs. */
int cli_require_role(const struct cli_command *cmd, struct store *s, const char *user,
    char **cause);
/* The same for an action (enum action) other than the command's own: what an option asks for. */
int cli_require_action(struct store *s, const char *user, int act, char **cause);
/*
 * cli_open_db for a command that only reads: read-only, so that it never takes
 * LMDB's write lock and works on archived, read-only copies; the rest of the
 * command runs in a child process, and a fault on a damaged page is reported
 * (guard.h).
 */
int cli_open_reader(struct cli_ctx *ctx, struct store **s, char **user);
/*
 * cli_open_db (cli_open_reader when reading) that also refuses, as cmd, a
 * user whose role does not allow act (enum action; CLI_NO_ROLE: no check)
 * before anything is written: a command that writes checks the role again in
 * its write transaction, but never takes the writer lock for a refused user.
 */
int cli_open_acting(struct cli_ctx *ctx, const char *cmd, int act, int reading, struct store **s,
    char **user);
/* Reads a file the user names, or standard input for "-" or NULL. */
int cli_read_input(const char *path, size_t limit, char **out, size_t *len, char **cause);
struct note_key;
/* A signed-note verifier key given as text, or the name of a file holding it. */
int cli_load_vkey(const char *arg, struct note_key *k, char **cause);
/* Prints a command's failure: "frontdoor CMD: cause", and frees cause. */
int cli_fail(const char *cmd, char *cause, int code);
/*
 * Opens the database as the invoking user (*user points at the name while fn
 * runs) for act (cli_open_acting), runs fn in one read or write transaction
 * and closes it: EXIT_OK, or EXIT_PROBLEM with the cause reported for cmd.
 */
int cli_db_run(struct cli_ctx *ctx, const char *cmd, int act, int write, const char **user,
    int (*fn)(struct store_txn *t, void *arg), void *arg);

/* The entries, one per command, from the cmd_*.c that runs it. */
extern const struct cli_command cmd_init_entry, cmd_users_add_entry, cmd_users_remove_entry,
    cmd_users_list_entry, cmd_rules_publish_entry, cmd_rules_history_entry,
    cmd_rules_get_entry;						/* cmd_admin.c */
extern const struct cli_command cmd_rules_check_entry, cmd_rules_test_entry,
    cmd_rules_show_entry;						/* cmd_rules.c */
extern const struct cli_command cmd_route_entry;			/* cmd_route.c */
extern const struct cli_command cmd_log_entry;				/* cmd_log.c */
extern const struct cli_command cmd_verify_entry, cmd_whatif_entry;	/* cmd_audit.c */
extern const struct cli_command cmd_checkpoint_entry, cmd_prove_entry,
    cmd_check_proof_entry;						/* cmd_proof.c */
extern const struct cli_command cmd_witness_entry;			/* cmd_witness.c */
extern const struct cli_command cmd_stats_entry;			/* cmd_stats.c */
extern const struct cli_command cmd_find_entry;			/* cmd_find.c */
extern const struct cli_command cmd_decide_entry, cmd_outcome_entry, cmd_step_up_entry,
    cmd_step_down_entry, cmd_sign_off_entry, cmd_correct_entry;		/* cmd_actions.c */
extern const struct cli_command cmd_demo_entry;				/* cmd_demo.c */
extern const struct cli_command cmd_version_entry, cmd_help_entry;	/* cmd_help.c */

/* Stores and prints the chain's head as SEQ:HASH (cmd_admin.c). */
int cli_checkpoint_head(struct cli_ctx *ctx);

#endif
