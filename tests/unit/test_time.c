/* test_time.c: the strict UTC parser: the forms it takes, what it refuses, and the day bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "base/time.h"

/* Checks that s parses to want, reporting at the caller's line. */
static void
parses_at(int line, const char *s, int64_t want)
{
	int64_t t = -1;
	int rc = parse_utc(s, &t);

	check_report(rc == 0 && t == want, s, __FILE__, line);
	if (rc != 0 || t != want)
		fprintf(stderr, "    (rc %d, got %lld, want %lld)\n", rc, (long long)t,
		    (long long)want);
}
#define PARSES(s, want) parses_at(__LINE__, (s), (want))

static void
refuses_at(int line, const char *s)
{
	int64_t t = 12345;

	check_report(parse_utc(s, &t) < 0 && t == 12345, s, __FILE__, line);
}
#define REFUSES(s) refuses_at(__LINE__, (s))

static void
test_dates(void)
{
	PARSES("1970-01-01", 0);
	PARSES("1970-01-02", 86400);
	PARSES("2026-01-05", 1767571200);
	PARSES("2000-02-29", 951782400);	/* divisible by 400: a leap year */
	PARSES("2024-02-29", 1709164800);
	PARSES("1969-12-31", -86400);
	PARSES("9999-12-31", INT64_C(253402214400));
}

static void
test_date_times(void)
{
	PARSES("2026-01-05T00:00:00Z", 1767571200);
	PARSES("2026-01-05T10:30:15Z", 1767571200 + 10 * 3600 + 30 * 60 + 15);
	PARSES("2026-01-05T23:59:59Z", 1767571200 + 86399);
	PARSES("2026-01-05T10:30:15.999Z", 1767571200 + 10 * 3600 + 30 * 60 + 15);
	PARSES("2026-01-05T10:30:15+01:00", 1767571200 + 9 * 3600 + 30 * 60 + 15);
	PARSES("2026-01-05T10:30:15-05:30", 1767571200 + 16 * 3600 + 15);
	PARSES("2026-01-05T00:30:00+01:00", 1767571200 - 1800);	/* the day before in UTC */
	PARSES("2026-01-05T10:30:15-00:00", 1767571200 + 10 * 3600 + 30 * 60 + 15);
	PARSES("2026-01-05T10:30:15.5+00:00", 1767571200 + 10 * 3600 + 30 * 60 + 15);
}

/* Every form parse_utc refuses: loose fields, blanks, junk, impossible values. */
static void
test_refusals(void)
{
	REFUSES("");
	REFUSES("2026-1-5");
	REFUSES("2026-01-5");
	REFUSES("2026-1-05");
	REFUSES("26-01-05");
	REFUSES("+2026-01-05");
	REFUSES("-2026-01-05");
	REFUSES(" 2026-01-05");
	REFUSES("2026-01-05 ");
	REFUSES("2026-01-05\n");
	REFUSES("2026-01-05x");
	REFUSES("2026-01-05T");
	REFUSES("2026-01-05Z");
	REFUSES("2026/01/05");
	REFUSES("20260105");
	REFUSES("2026-00-10");
	REFUSES("2026-13-01");
	REFUSES("2026-01-00");
	REFUSES("2026-01-32");
	REFUSES("2026-02-29");	/* not a leap year */
	REFUSES("2026-02-30");
	REFUSES("2026-04-31");
	REFUSES("1900-02-29");	/* divisible by 100, not 400 */
	REFUSES("2026-01-05T10:30Z");
	REFUSES("2026-01-05T10:30:15");	/* no zone: local time is not a time */
	REFUSES("2026-01-05 10:30:15Z");
	REFUSES("2026-01-05t10:30:15z");
	REFUSES("2026-01-05T1:30:15Z");
	REFUSES("2026-01-05T24:00:00Z");
	REFUSES("2026-01-05T10:60:00Z");
	REFUSES("2026-01-05T10:30:60Z");	/* no leap seconds */
	REFUSES("2026-01-05T10:30:15.Z");
	REFUSES("2026-01-05T10:30:15ZZ");
	REFUSES("2026-01-05T10:30:15Z ");
	REFUSES("2026-01-05T10:30:15+01");
	REFUSES("2026-01-05T10:30:15+0100");
	REFUSES("2026-01-05T10:30:15+24:00");
	REFUSES("2026-01-05T10:30:15+01:60");
	REFUSES("2026-01-05T10:30:15+01:00x");
	REFUSES("2026-01-05T10:30:15 +01:00");
	REFUSES("2026-\xef\xbc\x91-05");	/* a fullwidth digit */
}

static void
test_date_only(void)
{
	int64_t t;
	int plain = -1;

	CHECK(parse_utc_form("2026-01-05", &t, &plain) == 0 && plain == 1);
	CHECK(parse_utc_form("2026-01-05T00:00:00Z", &t, &plain) == 0 && plain == 0);
	CHECK(parse_utc_form("2026-01-05T00:00:00Z", &t, NULL) == 0);
}

/* A plain date as an upper bound covers its whole day; nothing else moves. */
static void
test_bounds(void)
{
	int64_t t = 0;

	CHECK(parse_utc_bound("2026-01-05", 0, &t) == 0 && t == 1767571200);
	CHECK(parse_utc_bound("2026-01-05", 1, &t) == 0 && t == 1767571200 + 86399);
	CHECK(parse_utc_bound("2026-01-05T00:00:00Z", 1, &t) == 0 && t == 1767571200);
	CHECK(parse_utc_bound("2026-01-05T12:00:00+01:00", 1, &t) == 0 &&
	    t == 1767571200 + 11 * 3600);
	CHECK(parse_utc_bound("2026-02-28", 1, &t) == 0 && t == 1772323199);
	t = 7;
	CHECK(parse_utc_bound(" 2026-01-05", 1, &t) < 0 && t == 7);
	CHECK(parse_utc_bound("2026-1-5", 1, &t) < 0 && t == 7);
}

/* What format_utc writes, parse_utc reads back, across the calendar's corners. */
static void
test_round_trip(void)
{
	static const int64_t times[] = {
		0, 1, 59, 86399, 951782399, 951782400, 951868799, 1767571200, 1772323199,
		INT64_C(4102444799), INT64_C(253402300799), -1, -86400, -2208988800,
	};
	char out[32];
	int ok = 1;

	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		int64_t back = 0;

		format_utc(times[i], out);
		ok &= parse_utc(out, &back) == 0 && back == times[i];
	}
	CHECK(ok);
	/* and every day of four years, against the C library's calendar */
	for (int64_t d = -800; d < 4 * 366 + 800; d++) {
		time_t tt = (time_t)((d + 20000) * 86400);
		struct tm tm;
		char date[16];
		int64_t back = 0;

		gmtime_r(&tt, &tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		ok &= parse_utc(date, &back) == 0 && back == (int64_t)tt;
	}
	CHECK(ok);
}

static void
entered_at(int line, const char *s, int64_t want, int want_plain)
{
	int64_t t = -1;
	int plain = -1, rc = parse_entered(s, &t, &plain);

	check_report(rc == 0 && t == want && plain == want_plain, s, __FILE__, line);
	if (rc != 0 || t != want || plain != want_plain)
		fprintf(stderr, "    (rc %d, got %lld plain %d, want %lld plain %d)\n", rc,
		    (long long)t, plain, (long long)want, want_plain);
}
#define ENTERED(s, want, plain) entered_at(__LINE__, (s), (want), (plain))

static void
entered_refuses_at(int line, const char *s)
{
	int64_t t = 12345;

	check_report(parse_entered(s, &t, NULL) < 0 && t == 12345, s, __FILE__, line);
}
#define ENTERED_REFUSES(s) entered_refuses_at(__LINE__, (s))

/* What a person types into a form: ISO and the UK's day/month/year, with or without a time. */
static void
test_entered(void)
{
	ENTERED("2019-05-14", 1557792000, 1);
	ENTERED("14/05/2019", 1557792000, 1);
	ENTERED("4/5/2019", 1556928000, 1);		/* 4 May, not 5 April */
	ENTERED("04/5/2019", 1556928000, 1);
	ENTERED("29/02/2024", 1709164800, 1);
	ENTERED("2026-01-05 10:30", 1767571200 + 10 * 3600 + 30 * 60, 0);
	ENTERED("2026-01-05T10:30", 1767571200 + 10 * 3600 + 30 * 60, 0);
	ENTERED("2026-01-05T10:30:15Z", 1767571200 + 10 * 3600 + 30 * 60 + 15, 0);
	ENTERED("05/01/2026 10:30", 1767571200 + 10 * 3600 + 30 * 60, 0);
	ENTERED("05/01/2026 00:00", 1767571200, 0);
	ENTERED_REFUSES("");
	ENTERED_REFUSES("14/13/2019");		/* month 13: the US order is not guessed */
	ENTERED_REFUSES("05/14/2019");
	ENTERED_REFUSES("29/02/2023");
	ENTERED_REFUSES("31/04/2026");
	ENTERED_REFUSES("0/05/2019");
	ENTERED_REFUSES("123/05/2019");
	ENTERED_REFUSES("14/05/19");		/* a two-digit year is not guessed */
	ENTERED_REFUSES("14-05-2019");
	ENTERED_REFUSES("14/05/2019 9:30");
	ENTERED_REFUSES("14/05/2019 24:00");
	ENTERED_REFUSES("14/05/2019 10:30 ");
	ENTERED_REFUSES("2026-01-05 10:30+01:00");
	ENTERED_REFUSES("2026-01-05  10:30");
	ENTERED_REFUSES("14/05/2019x");
}

int
main(void)
{
	test_dates();
	test_date_times();
	test_refusals();
	test_date_only();
	test_bounds();
	test_round_trip();
	test_entered();
	return check_done();
}
