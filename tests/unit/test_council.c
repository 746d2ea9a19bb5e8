/* test_council.c: the council profile of a rule set, and the working days of its calendar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rulefix.h"
#include "base/calendar.h"
#include "base/util.h"
#include "rules/rules.h"

#define HEAD \
	RULES_HEAD \
	"facts:\n" \
	"  consent: {type: string, values: [given, refused, not_sought]}\n" \
	"  referrer.agency: {type: string, required: false}\n" \
	"  child.missing_90d: {type: integer, min: 0, max: 99, required: false}\n" \
	"indicators:\n" \
	"  - {id: a, domain: development, level: 2, text: A}\n" \
	"rules:\n" \
	"  - {id: police, when: {fact: referrer.agency, eq: police}, route: mash, reason: P}\n" \
	"  - {id: missing, when: {fact: child.missing_90d, ge: 3}, route: mash, reason: M}\n" \
	"  - {id: r1, when: {indicator: a}, route: early_help_unit, reason: R}\n" \
	"  - {id: rest, when: always, route: universal, reason: N}\n"
/* line 20 on */

#define COUNCIL(form, cal) \
	"council:\n" \
	"  name: Westshire\n" \
	"  districts: [North, South]\n" \
	"  agencies:\n" \
	"    - {id: police, label: Police, cin_code: \"6\"}\n" \
	"    - {id: school, label: School, cin_code: 2A}\n" \
	form \
	"  calendar:\n" \
	cal

#define CAL_OK "    {time_zone: Europe/London, bank_holidays: [2026-12-25, 2026-12-28]}\n"
/* line 29 */
#define FORM_OK \
	"  form:\n" \
	"    - fact: consent\n" \
	"      label: Consent\n" \
	"      help: Ask the family.\n" \
	"      values: {given: Given, not_sought: Not sought}\n" \
	"      ask_why: [not_sought]\n" \
	"    - {fact: child.missing_90d, label: Times missing, required: true}\n"

/* Whether d holds a report with this code whose message contains msg. */
static int
reported(const struct diag *d, const char *code, const char *msg)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->items[i].code, code) == 0 && strstr(d->items[i].msg, msg) != NULL)
			return 1;
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "    [%s %d:%d] %s\n", d->items[i].code, d->items[i].line,
		    d->items[i].col, d->items[i].msg);
	return 0;
}

static void
test_profile_loads(void)
{
	struct loaded l;
	int f;

	load(&l, HEAD COUNCIL(FORM_OK, CAL_OK));
	CHECK(l.rs != NULL);
	if (l.rs == NULL) {
		unload(&l);
		return;
	}
	CHECK(l.rs->council.present);
	CHECK_STR(l.rs->council.name, "Westshire");
	CHECK_EQ(l.rs->council.ndistricts, 2);
	CHECK_STR(l.rs->council.districts[1], "South");
	CHECK_EQ(l.rs->council.nagencies, 2);
	CHECK_STR(rules_find_agency(l.rs, "school")->cin_code, "2A");
	CHECK(rules_find_agency(l.rs, "Police") == NULL);
	/* referrer.agency takes the agencies as its values */
	f = rules_find_fact(l.rs, "referrer.agency");
	CHECK_EQ(l.rs->facts[f].nvalues, 2);
	CHECK_STR(l.rs->facts[f].values[0], "police");
	CHECK_EQ(l.rs->council.nform, 2);
	CHECK_STR(l.rs->council.form[0].label, "Consent");
	CHECK_STR(l.rs->council.form[0].help, "Ask the family.");
	CHECK_STR(l.rs->council.form[0].value_labels[0], "Given");
	CHECK(l.rs->council.form[0].value_labels[1] == NULL);
	CHECK(l.rs->council.form[0].ask_why[2]);
	CHECK(!l.rs->council.form[0].ask_why[0]);
	CHECK(l.rs->council.form[0].required);	/* the fact's own */
	CHECK(l.rs->council.form[1].required);	/* said on the form */
	CHECK_STR(rules_calendar(l.rs)->time_zone, "Europe/London");
	CHECK_EQ(rules_calendar(l.rs)->nholidays, 2);
	unload(&l);
}

static void
test_profile_optional(void)
{
	struct loaded l;

	load(&l, HEAD);
	CHECK(l.rs != NULL);
	if (l.rs != NULL) {
		CHECK(!l.rs->council.present);
		CHECK(rules_calendar(l.rs)->time_zone == NULL);
		CHECK_EQ(rules_calendar(l.rs)->nholidays, 0);
	}
	unload(&l);
}

static void
test_profile_errors(void)
{
	static const struct {
		const char *text, *code, *msg;
	} bad[] = {
		{ HEAD COUNCIL("", "    {time_zone: Europe/London, bank_holidays: [2026-12-26]}\n"),
		  "E015", "bank holiday 2026-12-26 is a Saturday" },
		{ HEAD COUNCIL("", "    {time_zone: Europe/London, bank_holidays: [2026-12-28, 2026-12-25]}\n"),
		  "E015", "out of order" },
		{ HEAD COUNCIL("", "    {time_zone: Europe/London, bank_holidays: [25/12/2026]}\n"),
		  "E011", "is not a date YYYY-MM-DD" },
		{ HEAD COUNCIL("", "    {time_zone: London, bank_holidays: []}\n"),
		  "E015", "is not a time zone name" },
		{ HEAD COUNCIL("  form:\n    - {fact: child.missing90d, label: M}\n", CAL_OK),
		  "E016", "not declared in 'facts'" },
		{ HEAD COUNCIL("  form:\n    - {fact: referrer.agency, label: A}\n", CAL_OK),
		  "E016", "filled by the intake form's own fields" },
		{ HEAD COUNCIL("  form:\n    - {fact: consent, label: C, values: {yes: Y}}\n", CAL_OK),
		  "E015", "'yes' is not a value of fact 'consent'" },
		{ HEAD COUNCIL("  form:\n    - {fact: consent, label: C}\n    - {fact: consent, label: D}\n",
		  CAL_OK), "E013", "asks fact 'consent' twice" },
		{ HEAD COUNCIL("  form:\n    - {fact: child.missing_90d, label: M, ask_why: [1]}\n",
		  CAL_OK), "E011", "'ask_why' is only for a fact with listed values" },
		{ "frontdoor: 1\nname: t\nversion: \"1\"\nlevels: []\nindicators: []\nrules: []\n"
		  "facts:\n  referrer.agency: {type: string, values: [a]}\n"
		  "council:\n  name: W\n  districts: [N]\n  agencies: [{id: a, label: A, cin_code: \"6\"}]\n"
		  "  calendar: {time_zone: Europe/London, bank_holidays: []}\n",
		  "E016", "takes its values from council agencies" },
		{ HEAD "council:\n  name: W\n  districts: [N, N]\n  agencies: [{id: a, label: A, cin_code: \"6\"}]\n"
		  "  calendar: {time_zone: Europe/London, bank_holidays: []}\n",
		  "E013", "district 'N' is listed twice" },
		{ HEAD "council:\n  name: W\n  districts: [N]\n  agencies: [{id: a, label: A, cin_code: \"11\"}]\n"
		  "  calendar: {time_zone: Europe/London, bank_holidays: []}\n",
		  "E015", "'11' is not a referral source code" },
		{ HEAD "council:\n  name: W\n  districts: [N]\n  agencies: [{id: a, label: A, cin_code: \"6\"}]\n",
		  "E012", "missing required key 'calendar'" },
	};

	for (size_t i = 0; i < FD_ARRAY_LEN(bad); i++) {
		struct loaded l;

		load(&l, bad[i].text);
		CHECK(l.rs == NULL);
		CHECK(reported(&l.d, bad[i].code, bad[i].msg));
		unload(&l);
	}
}

static void
test_calendar(void)
{
	int64_t xmas, boxing_sub, fri, day;
	int64_t hol[2];
	struct calendar c = { NULL, hol, 2 }, copy;

	CHECK_EQ(calendar_parse_day("2026-12-25", &xmas), 0);
	CHECK_EQ(calendar_parse_day("2026-12-28", &boxing_sub), 0);
	CHECK_EQ(calendar_parse_day("2026-12-24", &fri), 0);
	CHECK(calendar_parse_day("2026-12-25T00:00:00Z", &day) < 0);
	CHECK(calendar_parse_day("2026-02-30", &day) < 0);
	CHECK_EQ(calendar_weekday(xmas), 4);	/* a Friday */
	CHECK_EQ(calendar_weekday(0), 3);	/* 1970-01-01, a Thursday */
	CHECK_EQ(calendar_weekday(-1), 2);
	hol[0] = xmas;
	hol[1] = boxing_sub;
	CHECK(calendar_is_holiday(&c, xmas));
	CHECK(!calendar_is_holiday(&c, fri));
	CHECK(!calendar_is_working_day(&c, xmas));
	CHECK(calendar_is_working_day(NULL, xmas));
	CHECK(calendar_is_working_day(&c, fri));
	/* Thursday 24th: the next working day skips Friday (holiday), the weekend, Monday */
	CHECK_EQ(calendar_add_working_days(&c, fri, 1), boxing_sub + 1);
	CHECK_EQ(calendar_add_working_days(NULL, fri, 1), xmas);
	CHECK_EQ(calendar_working_days_between(&c, fri, boxing_sub + 1), 1);
	CHECK_EQ(calendar_working_days_between(&c, boxing_sub, fri), 0);
	CHECK(calendar_valid_zone("Europe/London"));
	CHECK(calendar_valid_zone("America/Argentina/Buenos_Aires"));
	CHECK(!calendar_valid_zone("London"));
	CHECK(!calendar_valid_zone("Europe/../etc"));
	CHECK(!calendar_valid_zone("/etc/passwd"));
	c.time_zone = "Europe/London";
	calendar_copy(&copy, &c);
	CHECK_STR(copy.time_zone, "Europe/London");
	CHECK_EQ(copy.nholidays, 2);
	CHECK_EQ(copy.holidays[1], boxing_sub);
	calendar_free(&copy);
	CHECK(copy.holidays == NULL);
}

/* The shipped rule file: its council, and a bank holiday of every year from 2018 to 2030. */
static void
test_shipped(void)
{
	struct diag d;
	struct ruleset *rs;
	char *text = NULL;
	size_t len = 0;

	diag_init(&d, FD_SOURCE_RULES, NULL, 0);
	rs = rules_load_file(FD_SOURCE_RULES, &d, &text, &len);
	CHECK(rs != NULL);
	if (rs != NULL) {
		const struct calendar *c = rules_calendar(rs);
		int64_t day;

		CHECK(rs->council.present);
		CHECK_EQ(rs->council.ndistricts, 7);
		CHECK(rules_find_agency(rs, "police") != NULL);
		for (int y = 2018; y <= 2030; y++) {
			char s[16];

			snprintf(s, sizeof s, "%04d-12-%02d", y, 25);
			CHECK_EQ(calendar_parse_day(s, &day), 0);
			/* Christmas, or its substitute within three days */
			CHECK(calendar_is_holiday(c, day) || calendar_is_holiday(c, day + 1) ||
			    calendar_is_holiday(c, day + 2));
		}
		CHECK_EQ(calendar_parse_day("2022-09-19", &day), 0);
		CHECK(calendar_is_holiday(c, day));
	}
	rules_free(rs);
	diag_free(&d);
	free(text);
}

/* Which facts the form asks, and the checks that follow from it. */
static void
test_form_coverage(void)
{
	struct loaded l;
	int missing;

	/* listed, or written by the form's own fields: asked, and no warning */
	load(&l, HEAD COUNCIL(FORM_OK, CAL_OK));
	missing = rules_find_fact(l.rs, "child.missing_90d");
	CHECK(rules_form_asks(l.rs, missing));
	CHECK(rules_form_asks(l.rs, rules_find_fact(l.rs, "referrer.agency")));
	CHECK_EQ(l.d.nwarnings, 0);
	unload(&l);
	/* a form that leaves a fact out: no field, and a warning naming it */
	load(&l, HEAD COUNCIL("  form:\n    - {fact: consent, label: Consent}\n", CAL_OK));
	CHECK(l.rs != NULL);
	CHECK(!rules_form_asks(l.rs, rules_find_fact(l.rs, "child.missing_90d")));
	CHECK(reported(&l.d, "W108", "no field asks for 'child.missing_90d'"));
	unload(&l);
	/* no form: every declared fact is asked */
	load(&l, HEAD COUNCIL("", CAL_OK));
	CHECK(rules_form_asks(l.rs, rules_find_fact(l.rs, "child.missing_90d")));
	CHECK_EQ(l.d.nwarnings, 0);
	unload(&l);
	/* paths the form's own fields write, lie inside or hold */
	CHECK(rules_screen_clash("household.size"));
	CHECK(rules_screen_clash("child"));
	CHECK(rules_screen_clash("reported.basis"));
	CHECK(!rules_screen_clash("child.missing_90d"));
	CHECK(!rules_screen_clash("children"));
	CHECK(!rules_screen_clash("how_received_by"));
}

/* With a profile, a free-text fact compared with a value is refused; without one it loads. */
static void
test_free_text(void)
{
	static const char extra[] =
	    "  - {id: by_role, when: {fact: referrer.role, eq: teacher}, route: mash, reason: T}\n";
	struct loaded l;
	char *text, *with;

	/* the rule goes first: put it before the others */
	text = xasprintf("%.*s  referrer.role: {type: string, required: false}\n%s%s%s",
	    (int)(strstr(HEAD, "indicators:") - HEAD), HEAD, "indicators:\n"
	    "  - {id: a, domain: development, level: 2, text: A}\nrules:\n", extra,
	    strstr(HEAD, "  - {id: police"));
	with = xasprintf("%s%s", text, COUNCIL(FORM_OK, CAL_OK));
	load(&l, with);
	CHECK(l.rs == NULL);
	CHECK(reported(&l.d, "E029", "fact 'referrer.role' is free text"));
	unload(&l);
	load(&l, text);
	CHECK(l.rs != NULL);
	unload(&l);
	free(text);
	free(with);
}

int
main(void)
{
	test_profile_loads();
	test_profile_optional();
	test_profile_errors();
	test_calendar();
	test_form_coverage();
	test_free_text();
	test_shipped();
	return check_done();
}
