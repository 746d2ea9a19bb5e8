/* cmd_demo.c: `frontdoor demo`: builds (or finds) the demo database and prints where it is. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/demo.h"
#include "store/roles.h"

#define DEMO_DEFAULT_CONTACTS 300

static const struct cli_command demo_cmd = {
	"demo", "[--db DIR] [--contacts N]", "", cmd_demo
};

int
cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "contacts", required_argument, NULL, 'n' }, CLI_DB_OPTIONS, { NULL, 0, NULL, 0 },
	};
	long contacts = DEMO_DEFAULT_CONTACTS;
	char *dir, *user = NULL, *cause = NULL, *end;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (ch == 'n') {
			contacts = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || contacts < 0 || contacts > 100000)
				return cli_usage_error(&demo_cmd, "--contacts takes 0 to 100000");
		} else if (cli_db_option(ctx, ch, optarg) < 0)
			return cli_usage_error(&demo_cmd, "bad option");
	}
	if (optind != argc)
		return cli_usage_error(&demo_cmd, "takes no operands");
	/* never the real database: $FRONTDOOR_DB is not consulted */
	dir = ctx->db != NULL ? xstrdup(ctx->db) : demo_default_dir();
	if (identity_current(ctx->as_user, &user, &cause) < 0 ||
	    demo_create(dir, app_default_rules(), user, (int)contacts, &cause) < 0) {
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
