/* csv.h: RFC 4180 CSV cells, defused against spreadsheet formulas. */
#ifndef FD_CSV_H
#define FD_CSV_H

#include <stddef.h>

#include "base/util.h"

/*
 * Appends one cell then ',' (or '\n' when last). A cell holding a comma,
 * quote, CR or LF is quoted, its quotes doubled (RFC 4180). A cell starting
 * with = + - @ TAB or CR, which a spreadsheet could run as a formula, is
 * quoted with a ' in front, so it reads as text (OWASP's CSV injection advice).
 */
void csv_cell(struct buf *out, const char *p, size_t n, int last);

#endif
