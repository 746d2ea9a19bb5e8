/* main.c: frontdoor's entry point: global options, then a subcommand or the screens. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct cli_command commands[] = {
	{ "rules", "check|test|show|... FILE", "check, test and show rule files", cmd_rules },
	{ "route", "[--rules FILE] [--explain] [--strict] [FILE|-]",
	  "route case JSON Lines to decisions", cmd_route },
	{ "version", "", "print the version", cmd_version },
	{ "help", "", "list the commands", cmd_help },
};

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("frontdoor %s\n", FD_VERSION);
	return EXIT_OK;
}

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("frontdoor: triage contacts about children and log every decision\n\n");
	for (size_t i = 0; i < FD_ARRAY_LEN(commands); i++)
		printf("  frontdoor %-8s %-50s %s\n", commands[i].name, commands[i].usage,
		    commands[i].summary);
	printf("\nSee frontdoor(1) and frontdoor-rules(5).\n");
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	/* the locale only affects the screens' text; numbers never depend on it */
	setlocale(LC_CTYPE, "");
	if (argc < 2)
		return cmd_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(0, NULL);
	return cli_dispatch(commands, FD_ARRAY_LEN(commands), "frontdoor", argc - 1, argv + 1);
}
