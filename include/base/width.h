/* width.h: how many terminal columns UTF-8 text takes, the same in every locale. */
#ifndef FD_WIDTH_H
#define FD_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/*
 * Columns one code point takes: 0 for combining marks, joiners, variation
 * selectors and controls, 2 for East Asian wide and fullwidth characters and
 * emoji shown wide, 1 otherwise. From fixed Unicode ranges, not the locale.
 */
int width_codepoint(uint32_t cp);
/* Columns n bytes of UTF-8 take; an invalid byte counts as one column (shown as '?'). */
size_t width_text(const char *s, size_t n);

#endif
