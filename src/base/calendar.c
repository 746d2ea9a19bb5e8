/* calendar.c: a council's working days (weekends and bank holidays skipped) and its local time. */
#include "base/calendar.h"

#include <stdio.h>
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

const char *const *
calendar_zone_names(size_t *n)
{
	static const char *const names[] = { "Europe/London", "UTC" };

	*n = sizeof names / sizeof names[0];
	return names;
}

int
calendar_zone_known(const char *s)
{
	size_t n;
	const char *const *names = calendar_zone_names(&n);

	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return 1;
	return s == NULL;
}

/* Days since 1970-01-01 of an instant, rounding down before 1970 too. */
static int64_t
calendar_day_of(int64_t t)
{
	return t >= 0 ? t / CALENDAR_SECONDS_PER_DAY :
	    -((-t + CALENDAR_SECONDS_PER_DAY - 1) / CALENDAR_SECONDS_PER_DAY);
}

/* The day of the last Sunday of a month. */
static int64_t
calendar_last_sunday(int year, int month)
{
	int64_t last = (month == 12 ? time_days(year + 1, 1, 1) : time_days(year, month + 1, 1)) - 1;

	return last - (calendar_weekday(last) + 1) % 7;
}

int
calendar_utc_offset(const struct calendar *c, int64_t t)
{
	const int64_t hour = 3600;
	int64_t start, end;
	int y, m, d;

	if (c == NULL || c->time_zone == NULL || strcmp(c->time_zone, "Europe/London") != 0)
		return 0;
	time_civil(calendar_day_of(t), &y, &m, &d);
	start = calendar_last_sunday(y, 3) * CALENDAR_SECONDS_PER_DAY + hour;
	end = calendar_last_sunday(y, 10) * CALENDAR_SECONDS_PER_DAY + hour;
	return t >= start && t < end ? (int)hour : 0;
}

void
calendar_to_local(const struct calendar *c, int64_t t, struct calendar_local *out)
{
	int64_t local = t + calendar_utc_offset(c, t);
	int64_t day = calendar_day_of(local), secs = local - day * CALENDAR_SECONDS_PER_DAY;

	time_civil(day, &out->year, &out->month, &out->day);
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs % 3600 / 60);
	out->sec = (int)(secs % 60);
}

int
calendar_from_local(const struct calendar *c, int64_t local, int64_t *out)
{
	/* the larger offset first, so that the repeated autumn hour reads as summer time */
	for (int off = 3600; off >= 0; off -= 3600) {
		if (calendar_utc_offset(c, local - off) == off) {
			*out = local - off;
			return 0;
		}
	}
	return -1;
}

void
calendar_format_local(const struct calendar *c, int64_t t, char out[32])
{
	struct calendar_local l;

	calendar_to_local(c, t, &l);
	if (l.year < 0 || l.year > 9999)
		snprintf(out, 32, "invalid");
	else
		snprintf(out, 32, "%04d-%02d-%02d %02d:%02d", l.year, l.month, l.day, l.hour, l.min);
}

int64_t
calendar_local_day(const struct calendar *c, int64_t t)
{
	return calendar_day_of(t + calendar_utc_offset(c, t));
}

int64_t
calendar_end_of_day(const struct calendar *c, int64_t day)
{
	int64_t local = day * CALENDAR_SECONDS_PER_DAY + CALENDAR_SECONDS_PER_DAY - 1, t;

	/* 23:59:59 always exists in London (the clocks change at 01:00 UTC) */
	return calendar_from_local(c, local, &t) == 0 ? t : local;
}

int64_t
calendar_end_of_working_day(const struct calendar *c, int64_t t, int n)
{
	return calendar_end_of_day(c, calendar_add_working_days(c, calendar_local_day(c, t), n));
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
