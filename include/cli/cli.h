/* cli.h: the command table and what every subcommand shares. */
#ifndef FD_CLI_H
#define FD_CLI_H

#include "core/app.h"
#include "rules/rules.h"

/* What every command may be told before or after its name: --db DIR, --as USER. */
#define cli_ctx app_target

struct cli_command {
	const char *name;
	const char *usage;
	const char *summary;
	int (*exec)(struct cli_ctx *ctx, int argc, char **argv);
};

/* getopt_long entries for --db and --as, to end each command's option table. */
#define CLI_DB_OPTIONS \
	{ "db", required_argument, NULL, 'D' }, { "as", required_argument, NULL, 'A' }
/* Handles 'D' and 'A' from CLI_DB_OPTIONS; 0 if ch was one of them. */
int cli_db_option(struct cli_ctx *ctx, int ch, const char *arg);

/* Runs argv[0] from a table; prints usage on an unknown name. */
int cli_dispatch(struct cli_ctx *ctx, const struct cli_command *table, size_t n,
    const char *prefix, int argc, char **argv);
void cli_usage(const struct cli_command *table, size_t n, const char *prefix, FILE *fp);
/* Reports a usage error for one command and returns EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...) FD_ATTR_PRINTF(2, 3);
const struct cli_command *cli_find(const struct cli_command *table, size_t n, const char *name);

/* Loads a rule file for a command, printing its diagnostics; NULL if unusable. */
struct ruleset *cli_load_rules(const char *path, int print_warnings);

struct store;
struct store_txn;
/*
 * Opens the database for a command and finds who is asking; prints why not
 * and returns -1 if it cannot. The caller closes the store and frees *user.
 */
int cli_open_db(struct cli_ctx *ctx, struct store **s, char **user);
/* The same, read-only if asked: commands that only read work on archived, read-only copies. */
int cli_open_db_mode(struct cli_ctx *ctx, struct store **s, char **user, int readonly);
/* Reads a file the user names, or standard input for "-" or NULL. */
int cli_read_input(const char *path, size_t limit, char **out, size_t *len, char **cause);
struct note_key;
/* A signed-note verifier key given as text, or the name of a file holding it. */
int cli_load_vkey(const char *arg, struct note_key *k, char **cause);
/* Prints a command's failure: "frontdoor CMD: cause", and frees cause. */
int cli_fail(const char *cmd, char *cause, int code);
/*
 * Opens the database as the invoking user (*user points at the name while fn
 * runs), runs fn in one read or write transaction and closes it: EXIT_OK, or
 * EXIT_PROBLEM with the cause reported for cmd.
 */
int cli_db_run(struct cli_ctx *ctx, const char *cmd, int write, const char **user,
    int (*fn)(struct store_txn *t, void *arg), void *arg);

int cmd_rules(struct cli_ctx *ctx, int argc, char **argv);
int cmd_route(struct cli_ctx *ctx, int argc, char **argv);
int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
int cmd_users(struct cli_ctx *ctx, int argc, char **argv);
int cmd_log(struct cli_ctx *ctx, int argc, char **argv);
int cmd_verify(struct cli_ctx *ctx, int argc, char **argv);
int cmd_checkpoint(struct cli_ctx *ctx, int argc, char **argv);
/* Stores and prints the chain's head as SEQ:HASH. */
int cli_checkpoint_head(struct cli_ctx *ctx);
int cmd_prove(struct cli_ctx *ctx, int argc, char **argv);
int cmd_check_proof(struct cli_ctx *ctx, int argc, char **argv);
int cmd_witness(struct cli_ctx *ctx, int argc, char **argv);
int cmd_whatif(struct cli_ctx *ctx, int argc, char **argv);
int cmd_demo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_stats(struct cli_ctx *ctx, int argc, char **argv);
int cmd_decide(struct cli_ctx *ctx, int argc, char **argv);
int cmd_outcome(struct cli_ctx *ctx, int argc, char **argv);
int cmd_step_up(struct cli_ctx *ctx, int argc, char **argv);
int cmd_step_down(struct cli_ctx *ctx, int argc, char **argv);
int cmd_sign_off(struct cli_ctx *ctx, int argc, char **argv);
int cmd_correct(struct cli_ctx *ctx, int argc, char **argv);

#endif
