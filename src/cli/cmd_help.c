/* cmd_help.c: `frontdoor help` and `version`: the command list, made from the command table. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_version(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_help(struct cli_ctx *ctx, int argc, char **argv);

const struct cli_command cmd_version_entry = {
	.name = "version",
	.usage = "",
	.summary = "print the version",
	.role = CLI_NO_ROLE,
	.exec = cmd_version,
};

const struct cli_command cmd_help_entry = {
	.name = "help",
	.usage = "",
	.summary = "list the commands",
	.role = CLI_NO_ROLE,
	.exec = cmd_help,
};

static int
cmd_version(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("frontdoor %s\n", FD_VERSION);
	return EXIT_OK;
}

static int
cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
	int width = 0;

	(void)ctx;
	(void)argc;
	(void)argv;
	/* one column for the names, as wide as the longest */
	for (const struct cli_command *const *c = cli_commands; *c != NULL; c++)
		if ((int)strlen((*c)->name) > width)
			width = (int)strlen((*c)->name);
	printf("frontdoor: triage contacts about children and log every decision\n\n");
	printf("usage: frontdoor [--db DIR] [--as USER] COMMAND [ARGS]\n\n");
	for (const struct cli_command *const *c = cli_commands; *c != NULL; c++)
		printf("  %-*s %s\n", width, (*c)->name, (*c)->summary);
	printf("\nSee frontdoor(1) and frontdoor-rules(5).\n");
	return EXIT_OK;
}
