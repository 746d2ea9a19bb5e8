/* calendar.c: working days of a council's calendar: weekends and bank holidays skipped. */
#include "base/calendar.h"

#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "base/util.h"

int
calendar_parse_day(const char *s, int64_t *day)
{
	int64_t t;
	int date_only;

	if (strlen(s) != 10 || parse_utc_form(s, &t, &date_only) < 0 || !date_only)
		return -1;
	*day = t / CALENDAR_SECONDS_PER_DAY;
	return 0;
}

int
calendar_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3 counting from Monday) */
	int64_t w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int
calendar_is_holiday(const struct calendar *c, int64_t day)
{
	size_t lo = 0, hi = c != NULL ? c->nholidays : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->holidays[mid] == day)
			return 1;
		if (c->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
calendar_is_working_day(const struct calendar *c, int64_t day)
{
	return calendar_weekday(day) < 5 && !calendar_is_holiday(c, day);
}

int64_t
calendar_add_working_days(const struct calendar *c, int64_t day, int n)
{
	while (n > 0) {
		day++;
		n -= calendar_is_working_day(c, day);
	}
	return day;
}

long
calendar_working_days_between(const struct calendar *c, int64_t from, int64_t to)
{
	long n = 0;

	for (int64_t d = from + 1; d <= to; d++)
		n += calendar_is_working_day(c, d);
	return n;
}

int
calendar_valid_zone(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 64 || strchr(s, '/') == NULL || s[0] == '/' || s[n - 1] == '/' ||
	    strstr(s, "//") != NULL || strstr(s, "..") != NULL)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/_-+", *p) != NULL))
			return 0;
	return s[0] >= 'A' && s[0] <= 'Z';
}

void
calendar_copy(struct calendar *dst, const struct calendar *src)
{
	memset(dst, 0, sizeof *dst);
	if (src == NULL)
		return;
	dst->time_zone = src->time_zone != NULL ? xstrdup(src->time_zone) : NULL;
	if (src->nholidays > 0) {
		dst->holidays = xreallocarray(NULL, src->nholidays, sizeof *dst->holidays);
		memcpy(dst->holidays, src->holidays, src->nholidays * sizeof *dst->holidays);
	}
	dst->nholidays = src->nholidays;
}

void
calendar_free(struct calendar *c)
{
	free(c->time_zone);
	free(c->holidays);
	memset(c, 0, sizeof *c);
}
