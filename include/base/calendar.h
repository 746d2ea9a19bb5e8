/*
 * calendar.h: a council's working days (Monday to Friday except its listed
 * bank holidays) and its local time (Europe/London's clocks, worked out in code).
 */
#ifndef FD_CALENDAR_H
#define FD_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#define CALENDAR_SECONDS_PER_DAY INT64_C(86400)
/* The time zones whose clocks are known, for messages. */
#define CALENDAR_ZONES "Europe/London or UTC"

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
/* Whether the clocks of a zone name are known (CALENDAR_ZONES; NULL is UTC). */
int calendar_zone_known(const char *s);
/* The zone names whose clocks are known, for suggestions. */
const char *const *calendar_zone_names(size_t *n);

/* A local date and time, as a person reads it. */
struct calendar_local {
	int year, month, day, hour, min, sec;
};

/*
 * Seconds the calendar's clocks are ahead of UTC at instant t. Europe/London
 * keeps BST (+1 hour) from 01:00 UTC on the last Sunday of March to 01:00 UTC
 * on the last Sunday of October, GMT otherwise; a NULL calendar or zone is UTC.
 */
int calendar_utc_offset(const struct calendar *c, int64_t t);
void calendar_to_local(const struct calendar *c, int64_t t, struct calendar_local *out);
/*
 * The instant of a local wall-clock time given as seconds since 1970-01-01
 * 00:00 local. The hour the clocks skip in spring does not exist: -1. In the
 * hour repeated in autumn, the first (summer time) is meant.
 */
int calendar_from_local(const struct calendar *c, int64_t local, int64_t *out);
/* "2026-07-14 09:30" in local time. */
void calendar_format_local(const struct calendar *c, int64_t t, char out[32]);
/* The local day (since 1970-01-01) that instant t falls on. */
int64_t calendar_local_day(const struct calendar *c, int64_t t);
/* The last second (23:59:59 local) of a local day, as an instant. */
int64_t calendar_end_of_day(const struct calendar *c, int64_t day);
/* The end of the n-th working day after the local day of instant t (n >= 1). */
int64_t calendar_end_of_working_day(const struct calendar *c, int64_t t, int n);

void calendar_copy(struct calendar *dst, const struct calendar *src);
void calendar_free(struct calendar *c);

#endif
