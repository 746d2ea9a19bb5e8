/* main.c: frontdoor's entry point: global options, then a subcommand. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tui/tui.h"

static int cmd_version(struct cli_ctx *ctx, int argc, char **argv);
static int cmd_help(struct cli_ctx *ctx, int argc, char **argv);

static const struct cli_command commands[] = {
	{ "init", "[--db DIR] [--rules FILE]",
	  "create a database, publish the rules, make you its admin", cmd_init },
	{ "rules", "check|test|show|publish|history ...", "work with rule files", cmd_rules },
	{ "route", "[--rules FILE] [--explain] [--strict] [--record [--batch N]] [FILE|-]",
	  "route case JSON Lines to decisions (and log them)", cmd_route },
	{ "log", "[--case ID] [--since DATE] [--until DATE] [--kind K] [--format jsonl|csv] "
	  "[--pseudonymise KEY]", "export decision records", cmd_log },
	{ "verify", "[--checkpoint SEQ:HASH|FILE [--vkey KEY|FILE]] [--quiet]",
	  "check the hash chain and tree and replay every decision", cmd_verify },
	{ "whatif", "--rules NEW.yaml", "replay the log under a candidate rule set", cmd_whatif },
	{ "checkpoint", "[--signed [--size N] | --vkey | --new-key [--origin NAME]]",
	  "print and store the log's head (SEQ:HASH), or sign a checkpoint of its tree",
	  cmd_checkpoint },
	{ "prove", "(SEQ | --case ID | --from OLD_SIZE) [--checkpoint FILE]",
	  "prove a record is in the log, or that it only grew since a size", cmd_prove },
	{ "check-proof", "--vkey KEY|FILE [--json] [FILE|-]",
	  "check an inclusion proof with the log's public key alone", cmd_check_proof },
	{ "witness", "[--dir DIR] init --name NAME | vkey | trust VKEY | add [FILE|-] | held|size ORIGIN",
	  "hold a log's checkpoints elsewhere: cosign its growth, refuse a rewrite", cmd_witness },
	{ "users", "add NAME ROLE | remove NAME | list", "manage who may do what", cmd_users },
	{ "decide", "[--override ROUTE --rationale TEXT] [--urgency red|amber|green] "
	  "[--strategy yes|no] [--feedback TEXT] [FILE|-]",
	  "route one case with the rules in force and record the decision", cmd_decide },
	{ "outcome", "CASE_ID CODE [--note TEXT]", "close an early help case with a coded reason",
	  cmd_outcome },
	{ "step-up", "CASE_ID --rationale TEXT", "step a case up to the MASH", cmd_step_up },
	{ "step-down", "CASE_ID --rationale TEXT", "step a case down to targeted early help",
	  cmd_step_down },
	{ "sign-off", "SEQ (--approve | --return --comment TEXT)",
	  "approve or return a decision awaiting sign-off", cmd_sign_off },
	{ "correct", "SEQ --rationale TEXT [--route ROUTE]", "record a correction to a record",
	  cmd_correct },
	{ "stats", "[--by month|district|agency|officer] [--since DATE] [--until DATE] "
	  "[--format table|csv]", "contacts, routes, overrides, re-referrals and delays",
	  cmd_stats },
	{ "demo", "[--db DIR] [--contacts N]", "build a demo database of synthetic contacts",
	  cmd_demo },
	{ "version", "", "print the version", cmd_version },
	{ "help", "", "list the commands", cmd_help },
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
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("frontdoor: triage contacts about children and log every decision\n\n");
	printf("usage: frontdoor [--db DIR] [--as USER] COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < FD_ARRAY_LEN(commands); i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nSee frontdoor(1) and frontdoor-rules(5).\n");
	return EXIT_OK;
}

/* Case data must never end up in a core file or be read by a debugger attached later. */
static void
no_core_dumps(void)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int
main(int argc, char **argv)
{
	struct cli_ctx ctx = { NULL, NULL };
	int i = 1, demo = 0;

	/* the locale only affects how text is shown; numbers never depend on it */
	no_core_dumps();
	setlocale(LC_CTYPE, "");
	opterr = 0;	/* each command reports bad options in its own words */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--as") == 0) && i + 1 < argc) {
			cli_db_option(&ctx, argv[i][2] == 'd' ? 'D' : 'A', argv[i + 1]);
			i++;
		} else if (strcmp(argv[i], "--version") == 0)
			return cmd_version(&ctx, 0, NULL);
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return cmd_help(&ctx, 0, NULL);
		else if (strcmp(argv[i], "--demo") == 0)
			demo = 1;
		else {
			fprintf(stderr, "frontdoor: unknown option '");
			fput_sanitised(argv[i], strlen(argv[i]), stderr);
			fprintf(stderr, "'\n");
			return EXIT_USAGE;
		}
	}
	if (demo && i < argc) {
		fprintf(stderr, "frontdoor: --demo takes no command (it opens the terminal "
		    "application on the demo database)\n");
		return EXIT_USAGE;
	}
	/* no command: the terminal application, when there is a terminal to run it on */
	if (i >= argc) {
		if (demo || (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)))
			return tui_main(&ctx, demo);
		return cmd_help(&ctx, 0, NULL);
	}
	return cli_dispatch(&ctx, commands, FD_ARRAY_LEN(commands), "frontdoor", argc - i, argv + i);
}
