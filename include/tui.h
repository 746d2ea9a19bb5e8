/* tui.h: the curses front end: `frontdoor` with no command, and `frontdoor --demo`. */
#ifndef FD_TUI_H
#define FD_TUI_H

#include "cli.h"

/*
 * Runs the terminal application on the database ctx names (or the default),
 * as the invoking user. With demo, creates (or reuses) the demo database
 * first. Returns an exit status.
 */
int tui_main(struct cli_ctx *ctx, int demo);

#endif
