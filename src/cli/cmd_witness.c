/* cmd_witness.c: `frontdoor witness`: keeps each trusted log's newest checkpoint, cosigns or refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/sanitise.h"
#include "cli/cli.h"
#include "core/proof.h"
#include "core/witness.h"

static int cmd_witness(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option witness_option_table[] = {
	{ "dir", 'd', "DIR", 0 }, { "name", 'n', "NAME", 0 }, { NULL, 0, NULL, 0 },
};

/* No database: a witness keeps its own state, in --dir or its default directory. */
const struct cli_command cmd_witness_entry = {
	.name = "witness",
	.usage = "[--dir DIR] init --name NAME | vkey | trust VKEY | add [FILE|-] | held|size ORIGIN",
	.summary = "hold a log's checkpoints elsewhere: cosign its growth, refuse a rewrite",
	.options = witness_option_table,
	.role = CLI_NO_ROLE,
	.exec = cmd_witness,
};

/* $FRONTDOOR_WITNESS, else $XDG_DATA_HOME/frontdoor-witness, else ~/.local/share/frontdoor-witness. */
static char *
default_dir(void)
{
	const char *env = getenv("FRONTDOOR_WITNESS"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/frontdoor-witness", xdg);
	return xasprintf("%s/.local/share/frontdoor-witness", home != NULL ? home : ".");
}

static int
print_buf(struct buf *b, int newline)
{
	fwrite(b->data, 1, b->len, stdout);
	if (newline)
		putchar('\n');
	buf_free(b);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_PROBLEM;
}

/* Checks a request from a file or standard input; refusals are loud, on stderr, exit 1. */
static int
witness_add_cmd(const char *dir, const char *path)
{
	struct buf out;
	char *text = NULL, *cause = NULL;
	size_t len;
	uint64_t held;
	int verdict;

	if (cli_read_input(path, PROOF_MAX_INPUT, &text, &len, &cause) < 0)
		return cli_fail("witness", cause, EXIT_PROBLEM);
	buf_init(&out);
	verdict = witness_add(dir, text, len, (uint64_t)time(NULL), &out, &held, &cause);
	free(text);
	if (verdict == WITNESS_COSIGNED)
		return print_buf(&out, 0);
	buf_free(&out);
	if (verdict < 0)
		return cli_fail("witness", cause, EXIT_PROBLEM);
	fprintf(stderr, "frontdoor witness: [%d] ", verdict);
	fput_sanitised(cause, strlen(cause), stderr);
	fputc('\n', stderr);
	if (verdict == WITNESS_CONFLICT)
		fprintf(stderr, "frontdoor witness: it holds %llu\n", (unsigned long long)held);
	free(cause);
	return EXIT_PROBLEM;
}

static int
witness_run(const char *dir, int argc, char **argv, const char *name)
{
	struct buf out;
	char *cause = NULL;
	uint64_t size;
	int rc = 0;

	buf_init(&out);
	if (strcmp(argv[0], "add") == 0 && argc <= 2) {
		buf_free(&out);
		return witness_add_cmd(dir, argc == 2 ? argv[1] : NULL);
	}
	if (strcmp(argv[0], "init") == 0 && argc == 1 && name != NULL)
		rc = witness_init(dir, name, &out, &cause);
	else if (strcmp(argv[0], "vkey") == 0 && argc == 1)
		rc = witness_vkey(dir, &out, &cause);
	else if (strcmp(argv[0], "trust") == 0 && argc == 2)
		rc = witness_trust(dir, argv[1], &cause);
	else if ((strcmp(argv[0], "held") == 0 || strcmp(argv[0], "size") == 0) && argc == 2) {
		rc = witness_held(dir, argv[1], &size, &out, &cause);
		/* size: the number a cron job passes to prove --from */
		if (rc == 0 && (size == 0 || argv[0][0] == 's')) {
			buf_reset(&out);
			buf_printf(&out, "%llu\n", (unsigned long long)size);
		}
		return rc < 0 ? cli_fail("witness", cause, EXIT_PROBLEM) : print_buf(&out, 0);
	} else {
		buf_free(&out);
		return cli_usage_error(&cmd_witness_entry, "no such use of its operands");
	}
	if (rc < 0) {
		buf_free(&out);
		return cli_fail("witness", cause, EXIT_PROBLEM);
	}
	return print_buf(&out, out.len > 0);
}

static int
cmd_witness(struct cli_ctx *ctx, int argc, char **argv)
{
	struct cli_parse p;
	const char *name = NULL, *dir = NULL;
	char *defdir = NULL;
	int ch, rc;

	/* options before or after the subcommand: getopt moves the operands to the end */
	cli_parse_init(&p, &cmd_witness_entry, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		if (ch == 'd')
			dir = optarg;
		else
			name = optarg;
	}
	if (optind >= argc)
		return cli_usage_error(&cmd_witness_entry, "needs a subcommand");
	if (dir == NULL)
		dir = defdir = default_dir();
	rc = witness_run(dir, argc - optind, argv + optind, name);
	free(defdir);
	return rc;
}
