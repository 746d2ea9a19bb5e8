/* cli.c: the subcommand table's dispatch, usage text and shared rule loading. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/note.h"
#include "store/roles.h"
#include "store/store.h"

/* Finds a command by its last word: "check" finds "rules check". */
const struct cli_command *
cli_find(const struct cli_command *table, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *word = strrchr(table[i].name, ' ');

		if (strcmp(word != NULL ? word + 1 : table[i].name, name) == 0)
			return &table[i];
	}
	return NULL;
}

void
cli_usage(const struct cli_command *table, size_t n, const char *prefix, FILE *fp)
{
	fprintf(fp, "usage:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "  %s %s%s%s\n", prefix, table[i].name, *table[i].usage ? " " : "",
		    table[i].usage);
}

int
cli_db_option(struct cli_ctx *ctx, int ch, const char *arg)
{
	if (ch == 'D')
		ctx->db = arg;
	else if (ch == 'A')
		ctx->as_user = arg;
	else
		return -1;
	return 0;
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

int
cli_db_run(struct cli_ctx *ctx, const char *cmd, int write, const char **user,
    int (*fn)(struct store_txn *t, void *arg), void *arg)
{
	struct store *s;
	char *name, *cause = NULL;
	int rc;

	if (cli_open_db(ctx, &s, &name) < 0)
		return EXIT_PROBLEM;
	*user = name;
	rc = write ? store_write(s, fn, arg, &cause) : store_read(s, fn, arg, &cause);
	store_close(s);
	*user = NULL;
	free(name);
	return rc < 0 ? cli_fail(cmd, cause, EXIT_PROBLEM) : EXIT_OK;
}

int
cli_open_db(struct cli_ctx *ctx, struct store **s, char **user)
{
	return cli_open_db_mode(ctx, s, user, 0);
}

int
cli_open_db_mode(struct cli_ctx *ctx, struct store **s, char **user, int readonly)
{
	struct store_opts opts = { 0, readonly, 0 };
	char *dir = ctx->db != NULL ? xstrdup(ctx->db) : store_default_dir(), *cause = NULL;

	*s = NULL;
	*user = NULL;
	if (identity_current(ctx->as_user, user, &cause) < 0 ||
	    store_open(s, dir, &opts, &cause) < 0) {
		fprintf(stderr, "frontdoor: ");
		fput_sanitised(cause, strlen(cause), stderr);
		fputc('\n', stderr);
		free(cause);
		free(dir);
		free(*user);
		*user = NULL;
		return -1;
	}
	free(dir);
	return 0;
}

int
cli_dispatch(struct cli_ctx *ctx, const struct cli_command *table, size_t n, const char *prefix,
    int argc, char **argv)
{
	const struct cli_command *cmd;

	if (argc < 1) {
		cli_usage(table, n, prefix, stderr);
		return EXIT_USAGE;
	}
	cmd = cli_find(table, n, argv[0]);
	if (cmd == NULL) {
		/* "rules check" in the table: the message names "frontdoor rules" */
		const char *sp = strrchr(table[0].name, ' ');
		fprintf(stderr, "%s%s%.*s: unknown command '", prefix, sp ? " " : "",
		    sp ? (int)(sp - table[0].name) : 0, table[0].name);
		fput_sanitised(argv[0], strlen(argv[0]), stderr);
		fprintf(stderr, "'\n");
		cli_usage(table, n, prefix, stderr);
		return EXIT_USAGE;
	}
	return cmd->exec(ctx, argc, argv);
}

int
cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "frontdoor %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: frontdoor %s%s%s\n", cmd->name, *cmd->usage ? " " : "",
	    cmd->usage);
	return EXIT_USAGE;
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
