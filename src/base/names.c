/* names.c: the route ids as rule files and logs spell them. */
#include "base/names.h"

#include <string.h>

const char *const route_names[ROUTE_COUNT] = {
	"universal", "early_help_unit", "targeted_early_help", "mash"
};

const char *
route_name(enum route_id r)
{
	return (unsigned)r < ROUTE_COUNT ? route_names[r] : "?";
}

int
route_parse(const char *s)
{
	for (int i = 0; i < ROUTE_COUNT; i++)
		if (strcmp(s, route_names[i]) == 0)
			return i;
	return -1;
}
