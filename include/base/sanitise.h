/* sanitise.h: makes untrusted text (names, notes, ids) safe to show on a terminal. */
#ifndef FD_SANITISE_H
#define FD_SANITISE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copies len bytes of in to out (outsz bytes, always NUL-terminated when
 * outsz > 0), replacing with '?' every byte of invalid UTF-8 and every
 * character that could move the cursor, change the terminal's state or
 * reorder text: C0 controls (tab and newline too), DEL, C1 controls
 * U+0080-U+009F, the line and paragraph separators U+2028-U+2029, and the
 * bidirectional marks and controls U+061C, U+200E-U+200F, U+202A-U+202E and
 * U+2066-U+2069. Stops before a character that would not fit, so the output
 * never ends inside a UTF-8 sequence. Returns the bytes written (without
 * the NUL).
 */
/* Whether a code point acts on a terminal or reorders text: controls, C1, bidi marks. */
int sanitise_unsafe(uint32_t cp);
size_t sanitise_text(const char *in, size_t len, char *out, size_t outsz);
/* Whether sanitise_text would change nothing (valid UTF-8, nothing replaced). */
int sanitise_is_clean(const char *in, size_t len);
/* A sanitised copy of the string s, for printing a name with %s; the caller frees it. */
char *sanitise_dup(const char *s);

#endif
