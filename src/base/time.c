/* time.c: UTC times: a strict ISO 8601 / RFC 3339 parser and the one output format. */
#include "base/time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define DAY INT64_C(86400)

void
format_utc(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0)
		snprintf(out, 32, "invalid");
	else
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads exactly n ASCII digits at *p into *v and moves past them; -1 if any is not one. */
static int
time_digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

/* Reads the character c at *p and moves past it; -1 if it is another. */
static int
time_sep(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

static int
time_month_days(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return days[month - 1] + (month == 2 && leap);
}

/* Hinnant's civil algorithm. */
int64_t
time_days(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* Hinnant's inverse algorithm. */
void
time_civil(int64_t day, int *year, int *month, int *day_of_month)
{
	int64_t z = day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*day_of_month = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (*month <= 2));
}

/* YYYY-MM-DD at *p, as days since the epoch; -1 if malformed or impossible. */
static int
time_date(const char **p, int64_t *days)
{
	int y, m, d;

	if (time_digits(p, 4, &y) < 0 || time_sep(p, '-') < 0 || time_digits(p, 2, &m) < 0 ||
	    time_sep(p, '-') < 0 || time_digits(p, 2, &d) < 0)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > time_month_days(y, m))
		return -1;
	*days = time_days(y, m, d);
	return 0;
}

/* HH:MM:SS[.fraction] at *p, as seconds into the day; -1 if malformed. */
static int
time_clock(const char **p, int64_t *secs)
{
	int h, m, s;

	if (time_digits(p, 2, &h) < 0 || time_sep(p, ':') < 0 || time_digits(p, 2, &m) < 0 ||
	    time_sep(p, ':') < 0 || time_digits(p, 2, &s) < 0 || h > 23 || m > 59 || s > 59)
		return -1;
	if (**p == '.') {
		(*p)++;
		if (**p < '0' || **p > '9')
			return -1;
		while (**p >= '0' && **p <= '9')
			(*p)++;
	}
	*secs = h * INT64_C(3600) + m * 60 + s;
	return 0;
}

/* Z, +HH:MM or -HH:MM at *p, as seconds east of UTC; -1 if malformed. */
static int
time_offset(const char **p, int64_t *east)
{
	int sign, h, m;

	if (**p == 'Z') {
		(*p)++;
		*east = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (time_digits(p, 2, &h) < 0 || time_sep(p, ':') < 0 || time_digits(p, 2, &m) < 0 ||
	    h > 23 || m > 59)
		return -1;
	*east = sign * (h * INT64_C(3600) + m * 60);
	return 0;
}

int
parse_utc_form(const char *s, int64_t *out, int *date_only)
{
	const char *p = s;
	int64_t days, secs = 0, east = 0;
	int plain;

	if (time_date(&p, &days) < 0)
		return -1;
	plain = *p == '\0';
	if (!plain && (time_sep(&p, 'T') < 0 || time_clock(&p, &secs) < 0 ||
	    time_offset(&p, &east) < 0 || *p != '\0'))
		return -1;
	*out = days * DAY + secs - east;
	if (date_only != NULL)
		*date_only = plain;
	return 0;
}

/* D/M/YYYY or DD/MM/YYYY at *p (the UK order), as days since the epoch; -1 if malformed. */
static int
time_date_dmy(const char **p, int64_t *days)
{
	int v[2], y;

	for (int i = 0; i < 2; i++) {
		const char *q = *p;

		if (time_digits(p, 1, &v[i]) < 0)
			return -1;
		if (**p >= '0' && **p <= '9') {
			*p = q;
			if (time_digits(p, 2, &v[i]) < 0)
				return -1;
		}
		if (time_sep(p, '/') < 0)
			return -1;
	}
	if (time_digits(p, 4, &y) < 0)
		return -1;
	if (v[1] < 1 || v[1] > 12 || v[0] < 1 || v[0] > time_month_days(y, v[1]))
		return -1;
	*days = time_days(y, v[1], v[0]);
	return 0;
}

int
parse_entered(const char *s, int64_t *out, int *date_only)
{
	const char *p = s;
	int64_t days, secs = 0;
	int h, m, sec = 0, plain;

	if (time_date(&p, &days) < 0) {
		p = s;
		if (time_date_dmy(&p, &days) < 0)
			return -1;
	}
	plain = *p == '\0';
	if (!plain) {
		if ((*p != ' ' && *p != 'T') || (p++, time_digits(&p, 2, &h) < 0) ||
		    time_sep(&p, ':') < 0 || time_digits(&p, 2, &m) < 0)
			return -1;
		if (*p == ':' && (p++, time_digits(&p, 2, &sec) < 0))
			return -1;
		if (*p == 'Z')
			p++;
		if (*p != '\0' || h > 23 || m > 59 || sec > 59)
			return -1;
		secs = h * INT64_C(3600) + m * 60 + sec;
	}
	*out = days * DAY + secs;
	if (date_only != NULL)
		*date_only = plain;
	return 0;
}

int
parse_utc(const char *s, int64_t *out)
{
	return parse_utc_form(s, out, NULL);
}

int
parse_utc_bound(const char *s, int upper, int64_t *out)
{
	int plain;

	if (parse_utc_form(s, out, &plain) < 0)
		return -1;
	if (upper && plain)
		*out += DAY - 1;
	return 0;
}
