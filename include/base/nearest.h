/* nearest.h: the known name closest to a mistyped one, for "did you mean" notes. */
#ifndef FD_NEAREST_H
#define FD_NEAREST_H

#include <stddef.h>

/*
 * The candidate nearest to got: fewest edits (insertions, deletions,
 * substitutions; letters compared without regard to ASCII case), at most two,
 * or a candidate that got begins (at least three characters). Ties go to the
 * earlier candidate, so the answer never depends on anything but the inputs.
 * NULL when none is close; NULL candidates are skipped.
 */
const char *nearest_name(const char *got, const char *const *cands, size_t n);

#endif
