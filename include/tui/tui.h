/* tui.h: the curses front end: `frontdoor` with no command, and `frontdoor --demo`. */
#ifndef FD_TUI_H
#define FD_TUI_H

#include "core/app.h"

/*
 * Runs the terminal application on the database target names (or the default),
 * as the invoking user. With demo, creates (or reuses) the demo database
 * first. Returns an exit status.
 */
int tui_main(const struct app_target *target, int demo);

#endif
