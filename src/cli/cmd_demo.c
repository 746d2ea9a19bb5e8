/* cmd_demo.c: `frontdoor demo`: builds (or finds) the demo database and prints where it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/demo.h"
#include "store/roles.h"

#define DEMO_DEFAULT_CONTACTS 300

static int cmd_demo(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_option demo_option_table[] = {
	{ "contacts", 'n', "N", 0 }, { "rules", 'r', "FILE", 0 }, { NULL, 0, NULL, 0 },
};

const struct cli_command cmd_demo_entry = {
	.name = "demo",
	.usage = "[--contacts N] [--rules FILE]",
	.summary = "build a demo database of synthetic contacts",
	.options = demo_option_table,
	.flags = CLI_DB,
	.role = CLI_NO_ROLE,
	.exec = cmd_demo,
};

static int
cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *demo_cmd = &cmd_demo_entry;
	struct cli_parse p;
	long contacts = DEMO_DEFAULT_CONTACTS;
	const char *rules = app_default_rules();
	char *dir = NULL, *user = NULL, *cause = NULL, *end;
	int ch;

	cli_parse_init(&p, demo_cmd, ctx, argc, argv);
	while ((ch = cli_parse_next(&p)) != -1) {
		if (ch == '?')
			return EXIT_USAGE;
		if (ch == 'r') {
			rules = optarg;
			continue;
		}
		contacts = strtol(optarg, &end, 10);
		if (*optarg == '\0' || *end != '\0' || contacts < 0 || contacts > 100000)
			return cli_usage_error(demo_cmd, "--contacts takes 0 to 100000");
	}
	if (optind != argc)
		return cli_usage_error(demo_cmd, "takes no operands");
	/* never the real database: $FRONTDOOR_DB is not consulted */
	if (app_database(ctx, APP_DEMO, &dir, &cause) < 0 ||
	    identity_current(ctx->as_user, &user, &cause) < 0 ||
	    demo_create(dir, rules, user, (int)contacts, &cause) < 0) {
		free(dir);
		free(user);
		return cli_fail("demo", cause, EXIT_PROBLEM);
	}
	fput_sanitised(dir, strlen(dir), stdout);
	fputc('\n', stdout);
	free(dir);
	free(user);
	return EXIT_OK;
}
