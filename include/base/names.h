/* names.h: the names every layer shares: the four routes and the limits of a case id. */
#ifndef FD_NAMES_H
#define FD_NAMES_H

#define CASE_ID_MAX 256	/* bytes in a case id, which holds no NUL */

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

#endif
