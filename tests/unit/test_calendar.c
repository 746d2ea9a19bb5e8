/* test_calendar.c: Europe/London's clocks across both changes, local times both ways, working days. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "check_time.h"
#include "base/calendar.h"
#include "base/time.h"


static void
local_is_at(int line, const struct calendar *c, const char *utc, const char *want)
{
	char got[32];

	calendar_format_local(c, check_at(utc), got);
	check_text_at(__FILE__, line, got, want, utc);
}
#define LOCAL_IS(c, utc, want) local_is_at(__LINE__, (c), (utc), (want))

/* Checks that a local time maps to an instant (want NULL: that it does not exist). */
static void
instant_is_at(int line, const struct calendar *c, const char *local, const char *want)
{
	int64_t t = 0;
	int rc = calendar_from_local(c, check_at(local), &t);
	char got[32];

	format_utc(t, got);
	if (want == NULL)
		check_report(rc < 0, "a local time the clocks skip is refused", __FILE__, line);
	else
		check_text_at(__FILE__, line, rc == 0 ? got : "(refused)", want, local);
}
#define INSTANT_IS(c, local, want) instant_is_at(__LINE__, (c), (local), (want))

static void
end_is_at(int line, const struct calendar *c, const char *from, int n, const char *want)
{
	char got[32];

	format_utc(calendar_end_of_working_day(c, check_at(from), n), got);
	check_text_at(__FILE__, line, got, want, from);
}
#define END_IS(c, from, n, want) end_is_at(__LINE__, (c), (from), (n), (want))

static void
test_offsets(void)
{
	struct calendar london = { "Europe/London", NULL, 0 }, utc = { "UTC", NULL, 0 };

	/* 2026: BST from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC */
	CHECK_EQ(calendar_utc_offset(&london, check_at("2026-03-29T00:59:59Z")), 0);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2026-03-29T01:00:00Z")), 3600);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2026-10-25T00:59:59Z")), 3600);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2026-10-25T01:00:00Z")), 0);
	/* other years: 2024 (31 March, 27 October), 2018, 2030 */
	CHECK_EQ(calendar_utc_offset(&london, check_at("2024-03-31T00:59:59Z")), 0);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2024-03-31T01:00:00Z")), 3600);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2024-10-27T00:59:59Z")), 3600);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2024-10-27T01:00:00Z")), 0);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2018-03-25T01:00:00Z")), 3600);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2018-03-24T12:00:00Z")), 0);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2030-03-31T01:00:00Z")), 3600);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2030-03-30T12:00:00Z")), 0);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2030-10-27T00:30:00Z")), 3600);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2030-10-27T01:30:00Z")), 0);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2026-07-01T12:00:00Z")), 3600);
	CHECK_EQ(calendar_utc_offset(&london, check_at("2026-12-01T12:00:00Z")), 0);
	CHECK_EQ(calendar_utc_offset(&utc, check_at("2026-07-01T12:00:00Z")), 0);
	CHECK_EQ(calendar_utc_offset(NULL, check_at("2026-07-01T12:00:00Z")), 0);
	CHECK(calendar_zone_known("Europe/London"));
	CHECK(calendar_zone_known("UTC"));
	CHECK(calendar_zone_known(NULL));
	CHECK(!calendar_zone_known("Europe/Paris"));
}

static void
test_local(void)
{
	struct calendar london = { "Europe/London", NULL, 0 }, utc = { "UTC", NULL, 0 };

	/* spring: 00:59 GMT is followed by 02:00 BST */
	LOCAL_IS(&london, "2026-03-29T00:59:00Z", "2026-03-29 00:59");
	LOCAL_IS(&london, "2026-03-29T01:00:00Z", "2026-03-29 02:00");
	/* autumn: 01:59 BST is followed by 01:00 GMT */
	LOCAL_IS(&london, "2026-10-25T00:59:00Z", "2026-10-25 01:59");
	LOCAL_IS(&london, "2026-10-25T01:00:00Z", "2026-10-25 01:00");
	/* 23:30 UTC in summer is 00:30 BST the next day */
	LOCAL_IS(&london, "2026-07-14T08:30:00Z", "2026-07-14 09:30");
	LOCAL_IS(&london, "2026-07-14T23:30:00Z", "2026-07-15 00:30");
	LOCAL_IS(&london, "2026-12-31T23:30:00Z", "2026-12-31 23:30");
	LOCAL_IS(&utc, "2026-07-14T08:30:00Z", "2026-07-14 08:30");
	CHECK_EQ(calendar_local_day(&london, check_at("2026-07-14T23:30:00Z")), time_days(2026, 7, 15));
	CHECK_EQ(calendar_local_day(&utc, check_at("2026-07-14T23:30:00Z")), time_days(2026, 7, 14));

	/* and back: the skipped hour does not exist, the repeated one is read as BST */
	INSTANT_IS(&london, "2026-03-29T00:30:00Z", "2026-03-29T00:30:00Z");
	INSTANT_IS(&london, "2026-03-29T01:30:00Z", NULL);
	INSTANT_IS(&london, "2026-03-29T02:00:00Z", "2026-03-29T01:00:00Z");
	INSTANT_IS(&london, "2026-10-25T00:30:00Z", "2026-10-24T23:30:00Z");
	INSTANT_IS(&london, "2026-10-25T01:30:00Z", "2026-10-25T00:30:00Z");
	INSTANT_IS(&london, "2026-10-25T02:00:00Z", "2026-10-25T02:00:00Z");
	INSTANT_IS(&london, "2026-07-14T09:30:00Z", "2026-07-14T08:30:00Z");
	INSTANT_IS(&london, "2026-01-14T09:30:00Z", "2026-01-14T09:30:00Z");
	INSTANT_IS(&utc, "2026-03-29T01:30:00Z", "2026-03-29T01:30:00Z");
}

static void
test_civil(void)
{
	int y, m, d;

	for (int64_t day = -800; day < 30000; day += 7) {
		time_civil(day, &y, &m, &d);
		if (time_days(y, m, d) != day) {
			CHECK_EQ(time_days(y, m, d), day);
			return;
		}
	}
	time_civil(time_days(2028, 2, 29), &y, &m, &d);
	CHECK(y == 2028 && m == 2 && d == 29);
}

static void
test_working_days(void)
{
	/* Good Friday 3 April and Easter Monday 6 April 2026; Christmas 25 and 28 December */
	int64_t hols[] = { time_days(2026, 4, 3), time_days(2026, 4, 6), time_days(2026, 12, 25),
		time_days(2026, 12, 28) };
	struct calendar c = { "Europe/London", hols, 4 }, u = { NULL, hols, 4 };

	CHECK(!calendar_is_working_day(&c, time_days(2026, 4, 3)));
	CHECK(!calendar_is_working_day(&c, time_days(2026, 4, 4)));	/* Saturday */
	CHECK(calendar_is_working_day(&c, time_days(2026, 4, 2)));
	CHECK(calendar_is_working_day(&c, time_days(2026, 4, 7)));

	/* received on Maundy Thursday: due at the end of Tuesday (BST), 22:59:59 UTC */
	END_IS(&c, "2026-04-02T10:00:00Z", 1, "2026-04-07T22:59:59Z");
	/* 23:30 UTC on Wednesday 1 April is already Thursday in London: due the same Tuesday */
	END_IS(&c, "2026-04-01T23:30:00Z", 1, "2026-04-07T22:59:59Z");
	/* in UTC it is still Wednesday: due at the end of Thursday */
	END_IS(&u, "2026-04-01T23:30:00Z", 1, "2026-04-02T23:59:59Z");
	/* received on Christmas Eve: the 25th and the substitute 28th are not worked */
	END_IS(&c, "2026-12-24T15:00:00Z", 1, "2026-12-29T23:59:59Z");
	/* Friday 23 October (BST) to Monday 26 October (GMT): the clocks went back between */
	END_IS(&c, "2026-10-23T16:00:00Z", 1, "2026-10-26T23:59:59Z");
	/* Friday 27 March (GMT) to Monday 30 March (BST) */
	END_IS(&c, "2026-03-27T16:00:00Z", 1, "2026-03-30T22:59:59Z");
	/* two working days on */
	END_IS(&c, "2026-04-02T10:00:00Z", 2, "2026-04-08T22:59:59Z");
	CHECK_EQ(calendar_end_of_day(&c, time_days(2026, 10, 25)), check_at("2026-10-25T23:59:59Z"));
	CHECK_EQ(calendar_end_of_day(&c, time_days(2026, 3, 29)), check_at("2026-03-29T22:59:59Z"));
}

int
main(void)
{
	test_offsets();
	test_local();
	test_civil();
	test_working_days();
	return check_done();
}
