/* csv.c: one CSV cell writer, so every export quotes and defuses formulas the same way. */
#include "base/csv.h"

#include <string.h>

/* Whether a spreadsheet could read a cell starting with c as a formula. */
static int
csv_formula(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void
csv_cell(struct buf *out, const char *p, size_t n, int last)
{
	int formula = n > 0 && csv_formula(p[0]);
	int quote = formula;

	for (size_t i = 0; i < n && !quote; i++)
		quote = p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n';
	if (quote)
		buf_adds(out, formula ? "\"'" : "\"");
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			buf_addc(out, '"');
		buf_addc(out, p[i]);
	}
	if (quote)
		buf_addc(out, '"');
	buf_addc(out, last ? '\n' : ',');
}
