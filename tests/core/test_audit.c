/* test_audit.c: re-referrals, statistics, the what-if table and the counterfactual search. */
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "base/time.h"
#include "core/audit.h"
#include "core/demo.h"
#include "core/queue.h"
#include "core/stats.h"
#include "store/dlog.h"
#include "tmpdir.h"

#define DAY INT64_C(86400)
#define T0 INT64_C(1767225600)	/* 2026-01-01T00:00:00Z */

static void
test_rereferral_rule(void)
{
	int64_t earlier[] = { 1000, 1000 + 200 * DAY, 1000 + 500 * DAY }, latest;

	CHECK(audit_rereferral(T0, T0 + 365 * DAY));		/* 365 days: still within */
	CHECK(!audit_rereferral(T0, T0 + 365 * DAY + 1));
	CHECK(audit_rereferral(T0, T0));			/* the same moment */
	CHECK(!audit_rereferral(T0 + 1, T0));			/* received later: no */
	CHECK(!audit_rereferral(0, T0));			/* unknown times: no */
	CHECK(!audit_rereferral(T0, 0));
	CHECK_EQ(audit_rereferrals(earlier, 3, 1000 + 520 * DAY, &latest), 2);
	CHECK_EQ(latest, 1000 + 500 * DAY);
	CHECK_EQ(audit_rereferrals(earlier, 3, 1000 + 900 * DAY, &latest), 0);
	CHECK_EQ(latest, 1000 + 500 * DAY);
	CHECK_EQ(audit_rereferrals(earlier, 1, 500, &latest), 0);
	CHECK_EQ(latest, 0);
}

static void
test_contacts(void)
{
	struct map cases;

	map_init(&cases);
	CHECK(!audit_contact(&cases, "C-1", 3, T0));		/* the first contact */
	CHECK(!audit_contact(&cases, "C-2", 3, T0 + DAY));
	CHECK(audit_contact(&cases, "C-1", 3, T0 + 100 * DAY));
	CHECK(!audit_contact(&cases, "C-1", 3, T0 + 500 * DAY));	/* 400 days after the last */
	CHECK(!audit_contact(&cases, "C-1", 3, 0));		/* unknown receipt */
	CHECK(!audit_contact(&cases, "C-1", 3, T0 + 501 * DAY));	/* after an unknown one */
	/* many cases: the table grows and keeps every one */
	for (int i = 0; i < 5000; i++) {
		char id[16];

		snprintf(id, sizeof id, "K-%d", i);
		audit_contact(&cases, id, strlen(id), T0);
	}
	CHECK_EQ(cases.n, 5002);
	CHECK(audit_contact(&cases, "K-4999", 6, T0 + DAY));
	map_free(&cases);
	CHECK_EQ(cases.n, 0);
}

/* One route or override record with receipt `received` (0: none) decided at `time`. */
static void
record_at(struct record *r, char *facts, size_t fsz, const char *id, const char *district,
    int64_t received, int64_t time)
{
	char when[32];

	memset(r, 0, sizeof *r);
	format_utc(received, when);
	if (received > 0)
		snprintf(facts, fsz, "{\"case_id\":\"%s\",\"received\":\"%s\",\"child\":"
		    "{\"district\":\"%s\"}}", id, when, district);
	else
		snprintf(facts, fsz, "{\"case_id\":\"%s\"}", id);
	r->kind = KIND_ROUTE;
	r->route = ROUTE_EARLY_HELP_UNIT;
	r->time = time;
	r->case_id = (struct rbytes){ id, strlen(id) };
	r->actor = (struct rbytes){ "a.khan", 6 };
	r->facts = (struct rbytes){ facts, strlen(facts) };
}

static void
test_stats(void)
{
	struct stats st;
	struct record r;
	char facts[256], rate[16];

	stats_init(&st, T0 + 31 * DAY, 0);		/* from February */
	stats_group_by(&st, STATS_MONTH, "(none)");
	stats_group_by(&st, STATS_DISTRICT, "(none)");
	record_at(&r, facts, sizeof facts, "C-1", "Gedling", T0, T0 + 3600);
	stats_add(&st, &r);			/* January: before the period, not counted */
	CHECK_EQ(st.total.contacts, 0);
	record_at(&r, facts, sizeof facts, "C-1", "Gedling", T0 + 40 * DAY, T0 + 45 * DAY);
	r.kind = KIND_OVERRIDE;
	r.route = ROUTE_MASH;
	stats_add(&st, &r);			/* a re-referral of January's, and late */
	record_at(&r, facts, sizeof facts, "C-2", "Ashfield", T0 + 70 * DAY, T0 + 70 * DAY);
	stats_add(&st, &r);
	record_at(&r, facts, sizeof facts, "C-3", "", 0, T0 + 71 * DAY);
	stats_add(&st, &r);			/* no receipt: its record's month, no district */
	r.kind = KIND_OUTCOME;
	stats_add(&st, &r);			/* not a contact */
	CHECK_EQ(st.total.contacts, 3);
	CHECK_EQ(st.total.overrides, 1);
	CHECK_EQ(st.total.rereferrals, 1);
	CHECK_EQ(st.total.late, 1);
	CHECK_EQ(st.total.routes[ROUTE_MASH], 1);
	CHECK_EQ(st.total.routes[ROUTE_EARLY_HELP_UNIT], 2);
	stats_sort(&st.by[STATS_MONTH]);
	CHECK_EQ(st.by[STATS_MONTH].n, 2);
	CHECK_STR(st.by[STATS_MONTH].g[0].key, "2026-02");
	CHECK_STR(st.by[STATS_MONTH].g[1].key, "2026-03");
	CHECK_EQ(st.by[STATS_MONTH].g[1].contacts, 2);
	stats_sort(&st.by[STATS_DISTRICT]);
	CHECK_EQ(st.by[STATS_DISTRICT].n, 3);
	CHECK_STR(st.by[STATS_DISTRICT].g[0].key, "(none)");
	CHECK_STR(st.by[STATS_DISTRICT].g[2].key, "Gedling");
	CHECK_EQ(st.by[STATS_DISTRICT].g[2].rereferrals, 1);
	/* after sorting, a known key still finds its own group */
	record_at(&r, facts, sizeof facts, "C-4", "Ashfield", T0 + 72 * DAY, T0 + 72 * DAY);
	stats_add(&st, &r);
	CHECK_EQ(st.by[STATS_DISTRICT].n, 3);
	CHECK_STR(st.by[STATS_DISTRICT].g[1].key, "Ashfield");
	CHECK_EQ(st.by[STATS_DISTRICT].g[1].contacts, 2);
	stats_free(&st);
	CHECK_EQ(stats_rate(1, 3, rate, sizeof rate), 0);
	CHECK_STR(rate, "33.3");
	CHECK_EQ(stats_rate(4, 14, rate, sizeof rate), 0);
	CHECK_STR(rate, "28.6");			/* 28.571...: rounded, not cut */
	CHECK_EQ(stats_rate(2, 3, rate, sizeof rate), 0);
	CHECK_STR(rate, "66.7");
	CHECK_EQ(stats_rate(1, 16, rate, sizeof rate), 0);
	CHECK_STR(rate, "6.3");				/* 6.25: half up */
	CHECK_EQ(stats_rate(1, 2001, rate, sizeof rate), 0);
	CHECK_STR(rate, "0.0");				/* 0.0499... */
	CHECK_EQ(stats_rate(UINT64_C(1) << 50, UINT64_C(3) << 50, rate, sizeof rate), 0);
	CHECK_STR(rate, "33.3");			/* no overflow on counts of 2^50 */
	CHECK_EQ(stats_rate(3, 3, rate, sizeof rate), 0);
	CHECK_STR(rate, "100.0");
	CHECK_EQ(stats_rate(0, 0, rate, sizeof rate), -1);
	CHECK_STR(rate, "");
}

/* ---- counterfactuals ---- */

static const char change_rules[] =
    "frontdoor: 1\nname: t\nversion: \"1\"\n"
    "levels:\n"
    "  - {level: 1, name: U, route: universal}\n"
    "  - {level: 2, name: E, route: early_help_unit}\n"
    "  - {level: 3, name: T, route: targeted_early_help}\n"
    "  - {level: 4, name: S, route: mash}\n"
    "facts:\n"
    "  consent: {type: string, values: [given, refused, not_sought]}\n"
    "indicators:\n"
    "  - {id: a.l1, domain: development, level: 1, text: x}\n"
    "  - {id: a.l2, domain: development, level: 2, text: x}\n"
    "  - {id: b.l2, domain: parenting, level: 2, text: x}\n"
    "  - {id: b.l3, domain: parenting, level: 3, text: x}\n"
    "  - {id: c.l4, domain: family_environment, level: 4, text: x}\n"
    "rules:\n"
    "  - {id: s, when: {count: {level: 4}, at_least: 1}, route: mash, reason: S}\n"
    "  - {id: t, when: {count: {level: 3}, at_least: 1}, route: targeted_early_help, reason: T}\n"
    "  - {id: e, when: {all: [{count: {level: 2}, at_least: 2}, {fact: consent, eq: given}]},"
    " route: early_help_unit, reason: E}\n"
    "  - {id: u, when: always, route: universal, reason: U}\n";

static void
test_changes(void)
{
	static const char text[] = "{\"case_id\":\"c\",\"consent\":\"given\","
	    "\"indicators\":[\"a.l2\",\"b.l2\"]}";
	struct diag d;
	struct ruleset *rs;
	struct case_facts cf;
	struct decision dec, again;
	struct audit_change *ch = NULL;
	size_t n = 0, cap = 0;
	char *cause = NULL;
	int seen[5] = { 0 }, consent = 0;

	diag_init(&d, "t.yaml", change_rules, sizeof change_rules - 1);
	rs = rules_load_buffer(change_rules, sizeof change_rules - 1, &d);
	diag_free(&d);
	CHECK(rs != NULL);
	if (rs == NULL)
		return;
	CHECK_EQ(audit_consent_fact(rs), 0);
	case_init(&cf, rs);
	CHECK_EQ(case_parse(&cf, text, strlen(text), &cause), 0);
	CHECK_EQ(engine_decide(rs, &cf, &dec, NULL), 0);
	CHECK_EQ(dec.route, ROUTE_EARLY_HELP_UNIT);
	audit_changes(&cf, &dec, &ch, &n, &cap);
	for (size_t k = 0; k < n; k++) {
		if (ch[k].indicator >= 0) {
			seen[ch[k].indicator]++;
			continue;
		}
		consent++;
		CHECK_EQ(ch[k].route, ROUTE_UNIVERSAL);		/* refused or not sought */
		CHECK(ch[k].consent == 1 || ch[k].consent == 2);
	}
	/* a.l1 changes nothing; removing either level 2 leaves one; b.l3 and c.l4 move it up */
	CHECK_EQ(seen[0], 0);
	CHECK_EQ(seen[1] + seen[2], 2);
	CHECK_EQ(seen[3] + seen[4], 2);
	CHECK_EQ(consent, 2);
	CHECK_EQ(n, 6);
	for (size_t k = 0; k < n; k++)
		if (ch[k].indicator == 4) {
			CHECK(ch[k].add);
			CHECK_EQ(ch[k].route, ROUTE_MASH);
		} else if (ch[k].indicator == 1)
			CHECK(!ch[k].add);
	/* the case is left as it was */
	CHECK(case_has_indicator(&cf, 1) && case_has_indicator(&cf, 2));
	CHECK(!case_has_indicator(&cf, 4));
	CHECK_EQ(cf.facts[0].enum_index, 0);
	CHECK_EQ(engine_decide(rs, &cf, &again, NULL), 0);
	CHECK_EQ(again.rule, dec.rule);
	/* toggling keeps the counts a fresh parse would give */
	case_toggle_indicator(&cf, 3);
	CHECK_EQ(engine_decide(rs, &cf, &again, NULL), 0);
	CHECK_EQ(again.route, ROUTE_TARGETED_EARLY_HELP);
	case_toggle_indicator(&cf, 3);
	CHECK_EQ(engine_decide(rs, &cf, &again, NULL), 0);
	CHECK_EQ(again.route, ROUTE_EARLY_HELP_UNIT);
	free(ch);
	case_free(&cf);
	rules_free(rs);
}

/* ---- what-if on a demo database ---- */

struct seq_arg {
	struct audit_whatif *w;
	struct replayer rp;
};

static int
seq_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct seq_arg *a = arg;
	struct record r;
	char *cause = NULL;

	if (record_decode(raw->data, raw->len, &r, &cause) < 0) {
		free(cause);
		return 0;
	}
	audit_whatif_record(a->w, &a->rp, t, seq, &r);
	return 0;
}

static void
test_whatif(void)
{
	char *dir = tmpdir_make(), *db = xasprintf("%s/db", dir), *cause = NULL;
	struct store_opts opts = { 0, 1, 0 };
	struct audit_whatif par, seq;
	struct seq_arg a;
	struct store *s = NULL;
	struct diag d;
	struct ruleset *rs;
	char *text = NULL;
	size_t len = 0;

	diag_init(&d, FD_SOURCE_RULES, NULL, 0);
	rs = rules_load_file(FD_SOURCE_RULES, &d, &text, &len);
	free(text);
	diag_free(&d);
	CHECK(rs != NULL);
	if (rs == NULL || demo_create(db, FD_SOURCE_RULES, "tester", 400, &cause) < 0 ||
	    store_open(&s, db, &opts, &cause) < 0) {
		fprintf(stderr, "demo: %s\n", cause != NULL ? cause : "no rules");
		CHECK(0);
		free(cause);
		goto out;
	}
	/* the parallel run and a plain scan agree, and the rules in force move nothing */
	audit_whatif_init(&par, rs, 0);
	CHECK_EQ(audit_whatif_run(s, &par, &cause), 0);
	audit_whatif_init(&seq, rs, 0);
	a.w = &seq;
	replayer_init(&a.rp);
	CHECK_EQ(dlog_scan(s, 1, seq_one, &a, &cause), 0);
	replayer_free(&a.rp);
	CHECK(par.replayed >= 400);
	CHECK_EQ(par.replayed, seq.replayed);
	CHECK(memcmp(par.matrix, seq.matrix, sizeof par.matrix) == 0);
	CHECK_EQ(par.moved, 0);
	CHECK_EQ(par.failed, 0);
	CHECK_EQ(par.moves.n, 0);
	audit_whatif_free(&par);
	audit_whatif_free(&seq);
out:
	if (s != NULL)
		store_close(s);
	if (rs != NULL)
		rules_free(rs);
	tmpdir_remove(dir);
	free(db);
	free(dir);
}

int
main(void)
{
	test_rereferral_rule();
	test_contacts();
	test_stats();
	test_changes();
	test_whatif();
	return check_done();
}
