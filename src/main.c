/* main.c: frontdoor's entry point: global options, then a subcommand. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/privsep.h"
#include "cli/cli.h"
#include "tui/tui.h"

/* The administrator's settings file; tests build a copy of frontdoor with their own. */
#ifndef FD_CONF_PATH
#define FD_CONF_PATH FD_SYSTEM_CONF
#endif

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
	struct cli_ctx ctx = { NULL, NULL, FD_CONF_PATH };
	int i = 1, demo = 0;

	/* installed setgid: the group only while the database opens; no user settings trusted */
	no_core_dumps();
	privsep_start();
	/* the locale only affects how text is shown; numbers never depend on it */
	setlocale(LC_CTYPE, "");
	opterr = 0;	/* each command reports bad options in its own words */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const struct cli_option *o = cli_global_option(argv[i]);

		if (o == NULL || (o->arg != NULL && i + 1 >= argc)) {
			fprintf(stderr, "frontdoor: unknown option '");
			fput_sanitised(argv[i], strlen(argv[i]), stderr);
			fprintf(stderr, "'\n");
			return EXIT_USAGE;
		}
		switch (o->code) {
		case 'D': ctx.db = argv[++i]; break;
		case 'A': ctx.as_user = argv[++i]; break;
		case 'd': demo = 1; break;
		case 'h': return cmd_help_entry.exec(&ctx, 0, NULL);
		default: return cmd_version_entry.exec(&ctx, 0, NULL);
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
		return cmd_help_entry.exec(&ctx, 0, NULL);
	}
	return cli_run(&ctx, argc - i, argv + i);
}
