/* check_time.h: instants from RFC 3339 texts and checks of formatted times, for the tests. */
#ifndef FD_CHECK_TIME_H
#define FD_CHECK_TIME_H

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "base/time.h"

/* The instant of an RFC 3339 text, for readable tests. */
static inline int64_t
check_at(const char *s)
{
	int64_t t = 0;

	if (parse_utc(s, &t) < 0)
		fprintf(stderr, "bad test time %s\n", s);
	return t;
}

/* Checks a formatted time, reporting at the caller's line and what it came from. */
static inline void
check_text_at(const char *file, int line, const char *got, const char *want, const char *from)
{
	check_report(strcmp(got, want) == 0, want, file, line);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "    (%s gave %s)\n", from, got);
}

/* Checks an instant as UTC text. */
static inline void
check_utc_at(const char *file, int line, int64_t got, const char *want)
{
	char text[32];

	format_utc(got, text);
	check_text_at(file, line, text, want, "the instant");
}

#endif
