/* cli.c: the command table, and the dispatch, usage lines and option parsing made from it. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/note.h"
#include "core/guard.h"
#include "store/pagecheck.h"
#include "store/roles.h"
#include "store/store.h"

static const struct cli_command *const rules_table[] = {
	&cmd_rules_check_entry, &cmd_rules_test_entry, &cmd_rules_show_entry,
	&cmd_rules_publish_entry, &cmd_rules_history_entry, &cmd_rules_get_entry, NULL,
};

static const struct cli_command cmd_rules_entry = {
	.name = "rules",
	.summary = "work with rule files",
	.role = CLI_NO_ROLE,
	.sub = rules_table,
};

static const struct cli_command *const users_table[] = {
	&cmd_users_add_entry, &cmd_users_remove_entry, &cmd_users_list_entry, NULL,
};

static const struct cli_command cmd_users_entry = {
	.name = "users",
	.summary = "manage who may do what",
	.role = CLI_NO_ROLE,
	.sub = users_table,
};

const struct cli_command *const cli_commands[] = {
	&cmd_init_entry, &cmd_rules_entry, &cmd_route_entry, &cmd_log_entry, &cmd_verify_entry,
	&cmd_whatif_entry, &cmd_checkpoint_entry, &cmd_prove_entry, &cmd_check_proof_entry,
	&cmd_witness_entry, &cmd_users_entry, &cmd_decide_entry,
	&cmd_outcome_entry, &cmd_step_up_entry, &cmd_step_down_entry, &cmd_sign_off_entry,
	&cmd_correct_entry, &cmd_find_entry, &cmd_stats_entry, &cmd_demo_entry, &cmd_version_entry,
	&cmd_help_entry, NULL,
};

const struct cli_option cli_global_options[] = {
	{ "db", 'D', "DIR", 0 }, { "as", 'A', "USER", 0 }, { "demo", 'd', NULL, 0 },
	{ "help", 'h', NULL, CLI_OPT_SHORT }, { "version", 'V', NULL, 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_option *
cli_global_option(const char *word)
{
	for (const struct cli_option *o = cli_global_options; o->name != NULL; o++)
		if ((word[1] == '-' && strcmp(word + 2, o->name) == 0) ||
		    ((o->flags & CLI_OPT_SHORT) && word[1] == o->code && word[2] == '\0'))
			return o;
	return NULL;
}

const struct cli_command *
cli_find(const struct cli_command *const *table, const char *name)
{
	for (; *table != NULL; table++) {
		const char *word = strrchr((*table)->name, ' ');

		if (strcmp(word != NULL ? word + 1 : (*table)->name, name) == 0)
			return *table;
	}
	return NULL;
}

void
cli_usage_line(const struct cli_command *cmd, FILE *fp)
{
	fprintf(fp, "frontdoor %s", cmd->name);
	if (cmd->usage != NULL && *cmd->usage != '\0')
		fprintf(fp, " %s", cmd->usage);
	if (cmd->flags & CLI_DB)
		fprintf(fp, " [--db DIR] [--as USER]");
}

void
cli_usage(const struct cli_command *const *table, FILE *fp)
{
	fprintf(fp, "usage:\n");
	for (; *table != NULL; table++) {
		const struct cli_command *const *sub = (*table)->sub;

		for (const struct cli_command *const *c = sub != NULL ? sub : table; *c != NULL;
		    c++) {
			fprintf(fp, "  ");
			cli_usage_line(*c, fp);
			fputc('\n', fp);
			if (sub == NULL)
				break;
		}
	}
}

int
cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "frontdoor %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: ");
	cli_usage_line(cmd, stderr);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* Takes "--db DIR" and "--as USER" before a subcommand's name; how many words it took. */
static int
leading_db_options(struct cli_ctx *ctx, int argc, char **argv)
{
	int i = 0;

	for (; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			ctx->db = argv[i + 1];
		else if (strcmp(argv[i], "--as") == 0)
			ctx->as_user = argv[i + 1];
		else
			break;
	}
	return i;
}

/* `frontdoor COMMAND --help`: its usage line and what it does, on the standard output. */
static int
command_help(const struct cli_command *cmd)
{
	fputs("usage: ", stdout);
	cli_usage_line(cmd, stdout);
	printf("\n  %s\n\nSee frontdoor(1), %s.\n", cmd->summary, cmd->name);
	return EXIT_OK;
}

/* Runs argv[0] from table; parent is the command whose subcommands these are, or NULL. */
static int
dispatch(struct cli_ctx *ctx, const struct cli_command *parent,
    const struct cli_command *const *table, int argc, char **argv)
{
	const struct cli_command *cmd;

	if (argc < 1) {
		cli_usage(table, stderr);
		return EXIT_USAGE;
	}
	cmd = cli_find(table, argv[0]);
	if (cmd == NULL) {
		fprintf(stderr, "frontdoor%s%s: unknown command '", parent ? " " : "",
		    parent ? parent->name : "");
		fput_sanitised(argv[0], strlen(argv[0]), stderr);
		fprintf(stderr, "'\n");
		cli_usage(table, stderr);
		return EXIT_USAGE;
	}
	if (cmd->sub != NULL) {
		int skip = 1 + leading_db_options(ctx, argc - 1, argv + 1);

		return dispatch(ctx, cmd, cmd->sub, argc - skip, argv + skip);
	}
	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		return command_help(cmd);
	return cmd->exec(ctx, argc, argv);
}

int
cli_run(struct cli_ctx *ctx, int argc, char **argv)
{
	return dispatch(ctx, NULL, cli_commands, argc, argv);
}

/* Adds one option to the getopt_long tables. */
static void
parse_add(struct cli_parse *p, size_t *n, size_t *ns, const struct cli_option *o)
{
	if (*n >= CLI_OPTIONS_MAX)
		fatal("command %s has more than %d options", p->cmd->name, CLI_OPTIONS_MAX);
	p->longopts[*n] = (struct option){ o->name, o->arg ? required_argument : no_argument,
	    NULL, o->code };
	(*n)++;
	if (o->flags & CLI_OPT_SHORT) {
		p->shortopts[(*ns)++] = (char)o->code;
		if (o->arg != NULL)
			p->shortopts[(*ns)++] = ':';
	}
}

void
cli_parse_init(struct cli_parse *p, const struct cli_command *cmd, struct cli_ctx *ctx,
    int argc, char **argv)
{
	size_t n = 0, ns = 0;

	memset(p, 0, sizeof *p);
	p->cmd = cmd;
	p->ctx = ctx;
	p->argc = argc;
	p->argv = argv;
	p->shortopts[ns++] = ':';	/* tell a missing argument from an unknown option */
	for (const struct cli_option *o = cmd->options; o != NULL && o->name != NULL; o++)
		parse_add(p, &n, &ns, o);
	for (const struct cli_option *o = cli_global_options; o->name != NULL; o++)
		if ((cmd->flags & CLI_DB) && (o->code == 'D' || o->code == 'A'))
			parse_add(p, &n, &ns, o);
	optind = 1;
}

/* Whether name (up to '=') is one of the command's options that takes no argument. */
static int
takes_no_argument(const struct cli_parse *p, const char *name, size_t len)
{
	for (const struct option *o = p->longopts; o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o->has_arg == no_argument;
	return 0;
}

/*
 * Names a bad option as "frontdoor CMD: WHAT: OPTION", the option sanitised,
 * cut to 40 bytes and without any value given with '=', then the usage line.
 * before is optind before the getopt_long call that failed.
 */
static int
parse_bad(const struct cli_parse *p, int ch, int before)
{
	const char *word = optind > before ? p->argv[optind - 1] : "";
	const char *what = ch == ':' ? "missing argument" : "unknown option";
	char shortname[3] = { '-', (char)optopt, '\0' };
	size_t len;

	if (strncmp(word, "--", 2) != 0)
		word = shortname;	/* a short option, perhaps inside a cluster */
	len = strcspn(word, "=");
	if (ch == '?' && word[len] == '=' && takes_no_argument(p, word + 2, len - 2))
		what = "takes no argument";
	fprintf(stderr, "frontdoor %s: %s: ", p->cmd->name, what);
	fput_sanitised(word, len > 40 ? 40 : len, stderr);
	fputs(len > 40 ? "...\n" : "\n", stderr);
	fputs("usage: ", stderr);
	cli_usage_line(p->cmd, stderr);
	fputc('\n', stderr);
	return '?';
}

int
cli_parse_next(struct cli_parse *p)
{
	int before, ch;

	for (;;) {
		before = optind;
		ch = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
		if (ch == '?' || ch == ':')
			return parse_bad(p, ch, before);
		if (ch == 'D' && (p->cmd->flags & CLI_DB))
			p->ctx->db = optarg;
		else if (ch == 'A' && (p->cmd->flags & CLI_DB))
			p->ctx->as_user = optarg;
		else
			return ch;
	}
}

int
cli_parse_operands(const struct cli_command *cmd, struct cli_ctx *ctx, int argc, char **argv,
    int min, int max, const char *what)
{
	struct cli_parse p;
	int ch;

	cli_parse_init(&p, cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1)
		if (ch == '?')
			return -1;
	if (argc - optind < min || argc - optind > max) {
		cli_usage_error(cmd, "%s", what);
		return -1;
	}
	return optind;
}

int
cli_fail(const char *cmd, char *cause, int code)
{
	fprintf(stderr, "frontdoor %s: ", cmd);
	fput_sanitised(cause, strlen(cause), stderr);
	fputc('\n', stderr);
	free(cause);
	return code;
}

static int open_db(struct cli_ctx *ctx, struct store **s, char **user, int reading);

int
cli_db_run(struct cli_ctx *ctx, const char *cmd, int act, int write, const char **user,
    int (*fn)(struct store_txn *t, void *arg), void *arg)
{
	struct store *s;
	char *name, *cause = NULL;
	int rc;

	if (cli_open_acting(ctx, cmd, act, !write, &s, &name) < 0)
		return EXIT_PROBLEM;
	*user = name;
	rc = write ? store_write(s, fn, arg, &cause) : store_read(s, fn, arg, &cause);
	store_close(s);
	*user = NULL;
	free(name);
	return rc < 0 ? cli_fail(cmd, cause, EXIT_PROBLEM) : EXIT_OK;
}

/* Tells the user why a write has not happened yet. */
static void
wait_notice(const char *msg, void *arg)
{
	(void)arg;
	fputs("frontdoor: ", stderr);
	fput_sanitised(msg, strlen(msg), stderr);
	fputc('\n', stderr);
}

/*
 * Opens the database; a reader does so read-only in a child process (guard.h),
 * and checks the meta pages that say which version of the database LMDB reads.
 */
static int
open_db(struct cli_ctx *ctx, struct store **s, char **user, int reading)
{
	struct store_opts opts = { 0, reading, 0 };
	char *dir = NULL, *cause = NULL;

	*s = NULL;
	*user = NULL;
	if (app_database(ctx, APP_OPEN, &dir, &cause) < 0 ||
	    identity_current(ctx->as_user, user, &cause) < 0 ||
	    (reading && guard_reader(dir, &cause) < 0) ||
	    store_open(s, dir, &opts, &cause) < 0 ||
	    (reading && pagecheck_metas(dir, &cause) != 0)) {
		fprintf(stderr, "frontdoor: ");
		fput_sanitised(cause, strlen(cause), stderr);
		fputc('\n', stderr);
		free(cause);
		store_close(*s);
		*s = NULL;
		free(dir);
		free(*user);
		*user = NULL;
		return -1;
	}
	free(dir);
	store_set_writer_wait(*s, 0, wait_notice, NULL);
	return 0;
}

int
cli_open_db(struct cli_ctx *ctx, struct store **s, char **user)
{
	return open_db(ctx, s, user, 0);
}

int
cli_open_reader(struct cli_ctx *ctx, struct store **s, char **user)
{
	return open_db(ctx, s, user, 1);
}

struct role_arg {
	const char *user;
	enum action act;
};

static int
role_txn(struct store_txn *t, void *argp)
{
	const struct role_arg *a = argp;

	return roles_require(t, a->user, a->act, NULL);
}

int
cli_require_action(struct store *s, const char *user, int act, char **cause)
{
	struct role_arg a = { user, (enum action)act };

	return store_read(s, role_txn, &a, cause);
}

int
cli_require_role(const struct cli_command *cmd, struct store *s, const char *user, char **cause)
{
	return cli_require_action(s, user, cmd->role, cause);
}

/*
 * The role is checked before any write: a refused write would otherwise take
 * the writer lock first, and its person could stop the process there
 * (SIGSTOP) and keep every other writer waiting for as long as they liked.
 */
int
cli_open_acting(struct cli_ctx *ctx, const char *cmd, int act, int reading, struct store **s,
    char **user)
{
	char *cause = NULL;

	if (open_db(ctx, s, user, reading) < 0)
		return -1;
	if (act == CLI_NO_ROLE || cli_require_action(*s, *user, act, &cause) == 0)
		return 0;
	store_close(*s);
	*s = NULL;
	free(*user);
	*user = NULL;
	return cli_fail(cmd, cause, -1);
}

struct ruleset *
cli_load_rules(const char *path, int print_warnings)
{
	struct ruleset *rs;
	struct diag d;
	char *text = NULL;
	size_t len = 0;

	diag_init(&d, path, NULL, 0);
	rs = rules_load_file(path, &d, &text, &len);
	if (rs == NULL || print_warnings)
		diag_print(&d, stderr);
	if (rs == NULL) {
		fput_sanitised(path, strlen(path), stderr);
		fprintf(stderr, ": rule file rejected: %d error%s\n", d.nerrors,
		    d.nerrors == 1 ? "" : "s");
	}
	diag_free(&d);
	free(text);
	return rs;
}

int
cli_read_input(const char *path, size_t limit, char **out, size_t *len, char **cause)
{
	return read_file(path == NULL || strcmp(path, "-") == 0 ? "/dev/stdin" : path, limit, out,
	    len, cause);
}

/* A verifier key given as text, or a file holding it. */
int
cli_load_vkey(const char *arg, struct note_key *k, char **cause)
{
	struct stat st;
	char *text;
	size_t len;
	int rc;

	if (stat(arg, &st) != 0)
		return note_vkey_parse(arg, strlen(arg), k, cause);
	if (cli_read_input(arg, 4096, &text, &len, cause) < 0)
		return -1;
	rc = note_vkey_parse(text, len, k, cause);
	free(text);
	return rc;
}
