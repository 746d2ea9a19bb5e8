/* names.h: the names every layer shares: the four routes and the limits of a case id. */
#ifndef FD_NAMES_H
#define FD_NAMES_H

#define CASE_ID_MAX 256	/* bytes in a case id, which holds no NUL */
#include <stddef.h>

/* The four front doors a decision can send a child to, in order of level. */
enum route_id {
	ROUTE_UNIVERSAL,
	ROUTE_EARLY_HELP_UNIT,
	ROUTE_TARGETED_EARLY_HELP,
	ROUTE_MASH,
	ROUTE_COUNT
};

/* The route's id as rule files and logs spell it ("early_help_unit"); "?" if out of range. */
const char *route_name(enum route_id r);
/* The route an id names; -1 if unknown. */
int route_parse(const char *s);
/* The table of ids, indexed by route (for enum lookups). */
extern const char *const route_names[ROUTE_COUNT];

/*
 * Whether bytes are a case id a new record may use: 1 to CASE_ID_MAX of the
 * ASCII letters, digits and "-_./", starting with a letter or digit. Only
 * these, so that no two ids that look alike (a trailing space, a zero-width
 * or other format character, a soft hyphen, another normal form) can split
 * one child's history in two.
 */
int case_id_valid(const char *p, size_t n);
/* What case_id_valid allows, for messages and the manual. */
#define CASE_ID_RULE "1 to 256 of the ASCII letters, digits and - _ . /, " \
	"starting with a letter or digit"

#endif
