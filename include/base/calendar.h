/* calendar.h: a council's working days: Monday to Friday except its listed bank holidays. */
#ifndef FD_CALENDAR_H
#define FD_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#define CALENDAR_SECONDS_PER_DAY INT64_C(86400)

struct calendar {
	char *time_zone;	/* IANA name (Europe/London); NULL when none was given */
	int64_t *holidays;	/* days since 1970-01-01, ascending, each a weekday */
	size_t nholidays;
};

/* The day (since 1970-01-01) of a YYYY-MM-DD date; -1 if malformed. */
int calendar_parse_day(const char *s, int64_t *day);
/* 0 Monday ... 6 Sunday. */
int calendar_weekday(int64_t day);
int calendar_is_holiday(const struct calendar *c, int64_t day);
/* Monday to Friday and not a listed bank holiday; a NULL calendar knows no holidays. */
int calendar_is_working_day(const struct calendar *c, int64_t day);
/* The n-th working day after day (n >= 1); day itself is never counted. */
int64_t calendar_add_working_days(const struct calendar *c, int64_t day, int n);
/* Working days after `from` up to and including `to` (0 if to <= from). */
long calendar_working_days_between(const struct calendar *c, int64_t from, int64_t to);
/* Whether s looks like an IANA time zone name (Area/Location); the name is not looked up. */
int calendar_valid_zone(const char *s);
void calendar_copy(struct calendar *dst, const struct calendar *src);
void calendar_free(struct calendar *c);

#endif
