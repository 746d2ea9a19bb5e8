/* app.c: the settings both front ends share. */
#include "core/app.h"

#include <unistd.h>

const char *
app_default_rules(void)
{
	if (access(FD_INSTALLED_RULES, R_OK) == 0)
		return FD_INSTALLED_RULES;
	return FD_SOURCE_RULES;
}
