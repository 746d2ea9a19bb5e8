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

static int
ascii_alnum(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int
case_id_valid(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	if (n == 0 || n > CASE_ID_MAX || !ascii_alnum(u[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!ascii_alnum(u[i]) && (u[i] == '\0' || strchr("-_./", u[i]) == NULL))
			return 0;
	return 1;
}
