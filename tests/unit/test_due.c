/* test_due.c: the tray's timescales: bank holiday weekends, both clock changes, red, step-ups, sign-offs. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "check_time.h"
#include "base/calendar.h"
#include "base/time.h"
#include "core/due.h"
#include "rules/rules.h"

#define DUE_IS(got, want) check_utc_at(__FILE__, __LINE__, (got), (want))

/* England's 2026 bank holidays around Easter, late May, August and Christmas. */
static int64_t hols[] = { 20546, 20549, 20598, 20696, 20812, 20815 };
static struct calendar london = { "Europe/London", hols, 6 };

static void
test_holidays(void)
{
	CHECK_EQ(hols[0], time_days(2026, 4, 3));
	CHECK_EQ(hols[2], time_days(2026, 5, 25));
	CHECK_EQ(hols[3], time_days(2026, 8, 31));
	/* Friday before the late May bank holiday: due at the end of Tuesday (BST) */
	DUE_IS(due_mash_decision(&london, check_at("2026-05-22T14:00:00Z"), URGENCY_AMBER),
	    "2026-05-26T22:59:59Z");
	/* a contact on the Saturday or the bank holiday itself: the same Tuesday */
	DUE_IS(due_mash_decision(&london, check_at("2026-05-23T09:00:00Z"), URGENCY_GREEN),
	    "2026-05-26T22:59:59Z");
	DUE_IS(due_mash_decision(&london, check_at("2026-05-25T09:00:00Z"), URGENCY_NONE),
	    "2026-05-26T22:59:59Z");
	/* Thursday before Good Friday: Friday and Monday are holidays */
	DUE_IS(due_mash_decision(&london, check_at("2026-04-02T08:00:00Z"), URGENCY_AMBER),
	    "2026-04-07T22:59:59Z");
	/* without the holidays, Friday */
	DUE_IS(due_mash_decision(NULL, check_at("2026-04-02T08:00:00Z"), URGENCY_AMBER),
	    "2026-04-03T23:59:59Z");
	/* RED does not wait for working days: four hours, over a bank holiday too */
	DUE_IS(due_mash_decision(&london, check_at("2026-05-24T22:30:00Z"), URGENCY_RED),
	    "2026-05-25T02:30:00Z");
}

static void
test_clock_changes(void)
{
	/* Friday 27 March 2026 in GMT; Monday 30 March in BST: the end of Monday is 22:59:59 UTC */
	DUE_IS(due_mash_decision(&london, check_at("2026-03-27T17:30:00Z"), URGENCY_GREEN),
	    "2026-03-30T22:59:59Z");
	/* Friday 23 October in BST; Monday 26 October in GMT */
	DUE_IS(due_mash_decision(&london, check_at("2026-10-23T16:00:00Z"), URGENCY_GREEN),
	    "2026-10-26T23:59:59Z");
	/* 23:30 UTC on Thursday 22 October is Friday 00:30 BST: due on Monday */
	DUE_IS(due_mash_decision(&london, check_at("2026-10-22T23:30:00Z"), URGENCY_GREEN),
	    "2026-10-26T23:59:59Z");
	/* RED across the spring change: four real hours, which read as five on the clock */
	DUE_IS(due_mash_decision(&london, check_at("2026-03-28T23:30:00Z"), URGENCY_RED),
	    "2026-03-29T03:30:00Z");
	/* sign-off: the end of the next working day after the change */
	DUE_IS(due_sign_off(&london, check_at("2026-12-24T10:00:00Z")), "2026-12-29T23:59:59Z");
}

/* A record for the walk. */
static struct record
rec(uint64_t seq, enum record_kind kind, int route, const char *when)
{
	struct record r;

	memset(&r, 0, sizeof r);
	r.seq = seq;
	r.kind = kind;
	r.route = route;
	r.rec_route = route;
	r.time = check_at(when);
	return r;
}

static void
test_walk(void)
{
	struct due_walk w;
	struct due d;
	struct record r;

	/* an open RED contact, then a newer AMBER one: RED shows and its clock rules */
	due_walk_init(&w, &london, 0);
	r = rec(1, KIND_ROUTE, ROUTE_MASH, "2026-06-01T09:00:00Z");
	due_walk_add(&w, &r, URGENCY_RED, check_at("2026-06-01T08:45:00Z"));
	r = rec(2, KIND_ROUTE, ROUTE_MASH, "2026-06-01T10:00:00Z");
	due_walk_add(&w, &r, URGENCY_AMBER, 0);
	due_walk_result(&w, &d);
	CHECK_EQ(d.urgency, URGENCY_RED);
	CHECK_EQ(d.what, DUE_MASH_DECISION);
	DUE_IS(d.at, "2026-06-01T12:45:00Z");	/* from its received time, not the record's */
	CHECK(!due_overdue(&d, check_at("2026-06-01T12:45:00Z")));
	CHECK(due_overdue(&d, check_at("2026-06-01T12:45:01Z")));

	/* closed by an outcome, then stepped up as AMBER months later: a new clock */
	r = rec(3, KIND_OUTCOME, RECORD_NONE, "2026-06-02T10:00:00Z");
	due_walk_add(&w, &r, URGENCY_NONE, 0);
	due_walk_result(&w, &d);
	CHECK_EQ(d.what, DUE_NOTHING);
	CHECK_EQ(d.at, 0);
	CHECK_EQ(d.urgency, URGENCY_NONE);
	r = rec(4, KIND_STEP_UP, ROUTE_MASH, "2026-08-28T15:00:00Z");
	due_walk_add(&w, &r, URGENCY_AMBER, 0);
	due_walk_result(&w, &d);
	CHECK_EQ(d.what, DUE_STEP_UP);
	CHECK_EQ(d.urgency, URGENCY_AMBER);
	/* Friday before the August bank holiday: Tuesday 1 September */
	DUE_IS(d.at, "2026-09-01T22:59:59Z");

	/* an early help case stepped down awaits sign-off; nothing is due at the MASH */
	due_walk_init(&w, &london, 6);
	r = rec(5, KIND_ROUTE, ROUTE_MASH, "2026-06-01T09:00:00Z");
	due_walk_add(&w, &r, URGENCY_GREEN, 0);
	r = rec(6, KIND_STEP_DOWN, ROUTE_TARGETED_EARLY_HELP, "2026-06-03T09:00:00Z");
	due_walk_add(&w, &r, URGENCY_NONE, 0);
	due_walk_result(&w, &d);
	CHECK_EQ(d.what, DUE_SIGN_OFF);
	DUE_IS(d.at, "2026-06-04T22:59:59Z");
	CHECK_EQ(d.urgency, URGENCY_GREEN);
}

static void
test_names(void)
{
	CHECK_EQ(due_urgency_parse("red", 3), URGENCY_RED);
	CHECK_EQ(due_urgency_parse("amber", 5), URGENCY_AMBER);
	CHECK_EQ(due_urgency_parse("reddish", 7), URGENCY_NONE);
	CHECK_EQ(due_urgency_parse("", 0), URGENCY_NONE);
	CHECK_STR(due_what_name(DUE_SIGN_OFF), "sign-off");
}

int
main(void)
{
	test_holidays();
	test_clock_changes();
	test_walk();
	test_names();
	return check_done();
}
