/* test_queue.c: due times, the open-case queue and the tray's index on a real log, free text checks. */
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "core/actions.h"
#include "store/dlog.h"
#include "core/dueindex.h"
#include "core/queue.h"
#include "store/tray.h"
#include "store/record.h"
#include "store/rulestore.h"
#include "tmpdir.h"
#include "base/util.h"

static int64_t
utc(const char *s)
{
	int64_t t = 0;

	if (parse_utc(s, &t) < 0)
		fatal("bad time %s", s);
	return t;
}

static void
test_due(void)
{
	/* 2026-11-20 is a Friday */
	CHECK_EQ(due_mash_decision(NULL, utc("2026-11-20T10:00:00Z"), URGENCY_NONE), utc("2026-11-23T23:59:59Z"));
	CHECK_EQ(due_mash_decision(NULL, utc("2026-11-20T00:00:00Z"), URGENCY_NONE), utc("2026-11-23T23:59:59Z"));
	CHECK_EQ(due_mash_decision(NULL, utc("2026-11-20T23:59:59Z"), URGENCY_NONE), utc("2026-11-23T23:59:59Z"));
	CHECK_EQ(due_mash_decision(NULL, utc("2026-11-21T09:00:00Z"), URGENCY_NONE), utc("2026-11-23T23:59:59Z"));
	CHECK_EQ(due_mash_decision(NULL, utc("2026-11-22T22:00:00Z"), URGENCY_NONE), utc("2026-11-23T23:59:59Z"));
	CHECK_EQ(due_mash_decision(NULL, utc("2026-11-23T09:00:00Z"), URGENCY_NONE), utc("2026-11-24T23:59:59Z"));
	CHECK_EQ(due_mash_decision(NULL, utc("2026-11-19T16:30:00Z"), URGENCY_NONE), utc("2026-11-20T23:59:59Z"));
	CHECK_EQ(due_mash_decision(NULL, utc("2026-12-31T12:00:00Z"), URGENCY_NONE), utc("2027-01-01T23:59:59Z"));
	/* before 1970: Wednesday 1969-12-31 is due on Thursday 1970-01-01 */
	CHECK_EQ(due_mash_decision(NULL, -43200, URGENCY_NONE), 86399);
}

/* Whether a contact at the MASH received at `received` is overdue at `now` (0: receipt unknown). */
static int
overdue(int64_t received, int64_t now)
{
	struct due d = { DUE_MASH_DECISION, 0, URGENCY_NONE };

	d.at = received > 0 ? due_mash_decision(NULL, received, URGENCY_NONE) : 0;
	return due_overdue(&d, now);
}

static void
test_overdue(void)
{
	int64_t fri = utc("2026-11-20T10:00:00Z");

	CHECK(!overdue(fri, fri + 3600));
	CHECK(!overdue(fri, utc("2026-11-22T12:00:00Z")));
	CHECK(!overdue(fri, utc("2026-11-23T23:59:59Z")));
	CHECK(overdue(fri, utc("2026-11-24T00:00:00Z")));
	CHECK(overdue(utc("2026-11-21T10:00:00Z"), utc("2026-11-24T00:00:00Z")));
	CHECK(!overdue(utc("2026-11-23T10:00:00Z"), utc("2026-11-24T20:00:00Z")));
	CHECK(overdue(utc("2026-11-23T10:00:00Z"), utc("2026-11-25T00:00:01Z")));
	CHECK(!overdue(0, utc("2026-11-25T00:00:00Z")));	/* receipt unknown */
}

/* ---- the queue over a small log written through the actions ---- */

struct setup {
	const char *text;
	size_t len;
};

static int
setup_txn(struct store_txn *t, void *argp)
{
	struct setup *a = argp;
	struct publication pub;

	if (rulestore_publish(t, a->text, a->len, "admin", 1, &pub) < 0)
		return -1;
	if (store_put(t, TABLE_USERS, "off", 3, "officer", 7) < 0 ||
	    store_put(t, TABLE_USERS, "eh", 2, "early_help", 10) < 0)
		return -1;
	return store_put(t, TABLE_USERS, "mgr", 3, "manager", 7) < 0 ? -1 : 0;
}

static struct store *
make_store(const char *dir, struct ruleset **rs)
{
	struct store_opts opts = { 1, 0, 0 };
	struct setup a;
	struct store *s;
	char *text, *cause = NULL;

	if (read_file(FD_SOURCE_RULES, RULES_MAX_FILE, &text, &a.len, &cause) < 0 ||
	    store_open(&s, dir, &opts, &cause) < 0)
		fatal("%s", cause);
	a.text = text;
	if (store_write(s, setup_txn, &a, &cause) < 0 || action_rules_in_force(s, rs, &cause) < 0)
		fatal("%s", cause);
	free(text);
	return s;
}

static uint64_t
decide(struct store *s, const struct ruleset *rs, const char *facts, int override)
{
	struct route_decision d = { facts, strlen(facts), override, NULL, -1, -1, NULL, 0, -1, NULL, 0, NULL, NULL };
	char *cause = NULL;
	uint64_t seq = 0;

	if (override >= 0)
		d.rationale = "A rationale long enough to say why this route fits better.";
	if (action_decide(s, "off", rs, &d, &seq, &cause) < 0) {
		fprintf(stderr, "decide: %s\n", cause);
		free(cause);
	}
	return seq;
}

static void
fill_log(struct store *s, const struct ruleset *rs)
{
	char *cause = NULL;
	uint64_t seq;

	decide(s, rs, "{\"case_id\":\"Q-1\",\"received\":\"2026-11-20T10:00:00Z\","
	    "\"child\":{\"name\":\"Zo\\u00eb \\u001b[31mBront\\u00eb\",\"age\":9,"
	    "\"district\":\"Gedling\"},\"consent\":\"given\",\"indicators\":[\"dev.l2_01\"]}", -1);
	decide(s, rs, "{\"case_id\":\"Q-2\",\"received\":\"2026-11-21T10:00:00Z\","
	    "\"child\":{\"name\":\"Jack \\u202eSmith\",\"district\":\"Ashfield\"},"
	    "\"consent\":\"not_required\",\"indicators\":[\"dev.l4_01\"]}", -1);
	seq = decide(s, rs, "{\"case_id\":\"Q-3\",\"received\":\"2026-11-22T10:00:00Z\","
	    "\"child\":{\"name\":\"Mia Brown\",\"district\":\"Gedling\"},"
	    "\"consent\":\"given\",\"indicators\":[\"dev.l1_01\"]}", ROUTE_EARLY_HELP_UNIT);
	decide(s, rs, "{\"case_id\":\"Q-4\",\"received\":\"2026-11-23T10:00:00Z\","
	    "\"child\":{\"name\":\"Closed Case\"},\"consent\":\"given\","
	    "\"indicators\":[\"dev.l2_01\"]}", -1);
	if (action_outcome(s, "mgr", rs, "Q-4", "needs_met", NULL, NULL, &cause) < 0 ||
	    action_step(s, "mgr", "Q-1", 1, URGENCY_AMBER,
	    "Concerns grew after a new disclosure at school.",
	    NULL, &cause) < 0)
		fatal("%s", cause);
	CHECK(seq != 0);
}

/*
 * The tray: Q-2's RED contact (due four hours after it came in) first; the
 * step-up and the sign-off fall due a working day after they were recorded
 * (the clock's time, so their order between them is not checked).
 */
static void
test_tray(struct store *s)
{
	struct queue_filter f = { .route = -1, .by_due = 1 };
	struct queue_row rows[8], next[8];
	char *cause = NULL;
	int more = -1, n, q1 = -1;

	n = queue_page(s, &f, 0, rows, 8, &more, &cause);
	CHECK_EQ(n, 3);
	CHECK_EQ(more, 0);
	CHECK_STR(rows[0].case_id, "Q-2");
	CHECK_EQ(rows[0].due.what, DUE_MASH_DECISION);
	CHECK_EQ(rows[0].due.at, utc("2026-11-21T14:00:00Z"));
	for (int i = 1; i < n; i++) {
		CHECK(rows[i].key < rows[i - 1].key);	/* keys fall down the tray */
		if (strcmp(rows[i].case_id, "Q-1") == 0)
			q1 = i;
	}
	CHECK(q1 > 0);
	if (q1 > 0) {
		CHECK_EQ(rows[q1].due.what, DUE_STEP_UP);
		CHECK_EQ(rows[q1].urgency, URGENCY_AMBER);
		CHECK_EQ(rows[3 - q1].due.what, DUE_SIGN_OFF);
		CHECK(rows[q1].due.at > rows[0].due.at && rows[3 - q1].due.at > rows[0].due.at);
	}
	/* a page after the first row, and back up from the last */
	CHECK_EQ(queue_page(s, &f, rows[0].key, next, 8, &more, &cause), 2);
	CHECK(strcmp(next[0].case_id, rows[1].case_id) == 0);
	CHECK_EQ(queue_page(s, &f, rows[0].key, next, 1, &more, &cause), 1);
	CHECK_EQ(more, 1);
	CHECK_EQ(queue_page_newer(s, &f, rows[2].key, next, 8, &more, &cause), 2);
	CHECK(strcmp(next[0].case_id, rows[1].case_id) == 0);
	CHECK_STR(next[1].case_id, "Q-2");
	CHECK_EQ(more, 0);
	/* filtered: the sign-off alone */
	f.awaiting_signoff = 1;
	CHECK_EQ(queue_page(s, &f, 0, next, 8, &more, &cause), 1);
	CHECK_STR(next[0].case_id, "Q-3");
	CHECK_EQ(next[0].key, rows[3 - q1].key);
}

/* The tray keys: the earlier due minute first, within one the newer record, nothing due last. */
static void
test_tray_keys(void)
{
	struct tray_item a = { 600, DUE_MASH_DECISION, URGENCY_RED, 7, ROUTE_MASH, 0, 0 };
	struct tray_item b = { 659, DUE_SIGN_OFF, URGENCY_NONE, 9, ROUTE_MASH, 1, 0 };
	struct tray_item c = { 660, DUE_MASH_DECISION, URGENCY_NONE, 2, ROUTE_MASH, 0, 0 };
	struct tray_item none = { 0, DUE_NOTHING, URGENCY_NONE, 1, ROUTE_UNIVERSAL, 0, 0 };
	struct tray_item late = { INT64_MAX, DUE_MASH_DECISION, URGENCY_NONE, 1, ROUTE_MASH, 0, 0 };
	struct tray_item big = { 600, DUE_MASH_DECISION, URGENCY_NONE, TRAY_SEQ_MAX + 1, ROUTE_MASH, 0, 0 };

	CHECK(tray_key(&b) < tray_key(&a));	/* the same minute: the newer first */
	CHECK(tray_key(&a) < tray_key(&c));
	CHECK(tray_key(&c) < tray_key(&late));
	CHECK(tray_key(&late) < tray_key(&none));
	CHECK_EQ(tray_key_seq(tray_key(&a)), 7);
	CHECK_EQ(tray_key_seq(tray_key(&none)), 1);
	CHECK_EQ(tray_key(&big), 0);
}

/* Every row of the tray, by due, in pages of two (down), then the same from the bottom (up). */
static int
tray_rows(struct store *s, struct queue_row *out, size_t cap)
{
	struct queue_filter f = { .route = -1, .by_due = 1 };
	struct queue_row up[16];
	char *cause = NULL;
	size_t n = 0, m = 0;
	int more = 1, got;

	while (more && n < cap) {
		got = queue_page(s, &f, n ? out[n - 1].key : 0, out + n, 2, &more, &cause);
		CHECK(got >= 0);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	for (more = 1; more && m < n; m += (size_t)got) {
		got = queue_page_newer(s, &f, m ? up[m - 1].key : 0, up + m, 2, &more, &cause);
		CHECK(got > 0);
		if (got <= 0)
			break;
	}
	CHECK_EQ(m, n);
	for (size_t i = 0; i < n && i < m; i++)
		CHECK(strcmp(up[i].case_id, out[n - 1 - i].case_id) == 0);
	free(cause);
	return (int)n;
}

static int
unindex_txn(struct store_txn *t, void *arg)
{
	(void)arg;
	return tray_set_indexed(t, 0);
}

static int
current_txn(struct store_txn *t, void *arg)
{
	int rc = dueindex_current(t);

	*(int *)arg = rc;
	return rc < 0 ? -1 : 0;
}

static int
index_current(struct store *s)
{
	char *cause = NULL;
	int cur = -1;

	CHECK_EQ(store_read(s, current_txn, &cur, &cause), 0);
	free(cause);
	return cur;
}

/* Drops one case's place (its due entry), leaving its tray entry behind. */
static int
lose_place_txn(struct store_txn *t, void *arg)
{
	return store_del(t, TABLE_DUE, arg, strlen(arg)) < 0 ? -1 : 0;
}

static void
count_problem(void *arg, uint64_t seq, const char *what)
{
	(void)seq;
	(void)what;
	(*(int *)arg)++;
}

/*
 * The tray's index: kept by every append, read in order; the same rows as
 * the cases' own records give when it is behind the log (a database from
 * before it), which the first build brings back; checked against the queue.
 */
static void
test_tray_index(struct store *s, const struct ruleset *rs)
{
	struct queue_row indexed[16], walked[16], rebuilt[16];
	char *cause = NULL;
	int n, problems = 0;

	CHECK_EQ(index_current(s), 1);
	n = tray_rows(s, indexed, 16);
	CHECK_EQ(n, 3);
	CHECK_EQ(store_write(s, unindex_txn, NULL, &cause), 0);
	CHECK_EQ(index_current(s), 0);
	CHECK_EQ(tray_rows(s, walked, 16), n);
	CHECK_EQ(dueindex_build(s, rules_calendar(rs), &cause), 0);
	CHECK_EQ(index_current(s), 1);
	CHECK_EQ(tray_rows(s, rebuilt, 16), n);
	for (int i = 0; i < n; i++) {
		CHECK(strcmp(walked[i].case_id, indexed[i].case_id) == 0);
		CHECK_EQ(walked[i].key, indexed[i].key);
		CHECK_EQ(walked[i].due.at, indexed[i].due.at);
		CHECK_EQ(walked[i].due.what, indexed[i].due.what);
		CHECK_EQ(walked[i].urgency, indexed[i].urgency);
		CHECK(strcmp(rebuilt[i].case_id, indexed[i].case_id) == 0);
		CHECK_EQ(rebuilt[i].key, indexed[i].key);
	}
	CHECK_EQ(dueindex_check(s, count_problem, &problems, &cause), 0);
	CHECK_EQ(problems, 0);
	CHECK_EQ(store_write(s, lose_place_txn, "Q-2", &cause), 0);
	CHECK_EQ(dueindex_check(s, count_problem, &problems, &cause), 0);
	CHECK(problems >= 2);	/* the case without its place, the entry no place names */
	CHECK_EQ(store_write(s, unindex_txn, NULL, &cause), 0);
	CHECK_EQ(dueindex_build(s, rules_calendar(rs), &cause), 0);
	problems = 0;
	CHECK_EQ(dueindex_check(s, count_problem, &problems, &cause), 0);
	CHECK_EQ(problems, 0);
	free(cause);
}

static void
test_page(struct store *s)
{
	struct queue_filter f = { .route = -1 };
	struct queue_row rows[8];
	char *cause = NULL;
	int more = -1, n;

	n = queue_page(s, &f, 0, rows, 8, &more, &cause);
	CHECK_EQ(n, 3);
	CHECK_EQ(more, 0);
	/* newest first: Q-1 was stepped up last */
	CHECK_STR(rows[0].case_id, "Q-1");
	CHECK_STR(rows[0].name, "Zoë ?[31mBrontë");
	CHECK_EQ(rows[0].route, ROUTE_MASH);
	CHECK_EQ(rows[0].last_kind, KIND_STEP_UP);
	CHECK_EQ(rows[0].urgency, URGENCY_AMBER);	/* the step-up's, above the contact's */
	CHECK_STR(rows[0].received, "2026-11-20T10:00:00Z");
	CHECK_EQ(rows[0].received_at, utc("2026-11-20T10:00:00Z"));
	CHECK_STR(rows[1].case_id, "Q-3");
	CHECK(rows[1].awaiting_signoff);
	CHECK_EQ(rows[1].route, ROUTE_EARLY_HELP_UNIT);
	CHECK_EQ(rows[1].last_kind, KIND_OVERRIDE);
	CHECK_STR(rows[2].name, "Jack ?Smith");
	CHECK_STR(rows[2].district, "Ashfield");
	CHECK_EQ(rows[2].urgency, URGENCY_RED);
	CHECK_EQ(rows[2].contacts, 1);

	/* paging: one row at a time */
	n = queue_page(s, &f, 0, rows, 1, &more, &cause);
	CHECK_EQ(n, 1);
	CHECK_EQ(more, 1);
	n = queue_page(s, &f, rows[0].seq, rows, 2, &more, &cause);
	CHECK_EQ(n, 2);
	CHECK_STR(rows[0].case_id, "Q-3");
	CHECK_EQ(more, 0);
}

static void
test_filters(struct store *s)
{
	struct queue_filter f = { .route = -1, .district = "gedling" };
	struct queue_row rows[8];
	unsigned long counts[ROUTE_COUNT + 1];
	char *cause = NULL;
	int more;

	CHECK_EQ(queue_page(s, &f, 0, rows, 8, &more, &cause), 2);
	f.district = NULL;
	f.search = "bront";
	CHECK_EQ(queue_page(s, &f, 0, rows, 8, &more, &cause), 1);
	CHECK_STR(rows[0].case_id, "Q-1");
	f.search = "q-2";
	CHECK_EQ(queue_page(s, &f, 0, rows, 8, &more, &cause), 1);
	f.search = NULL;
	f.awaiting_signoff = 1;
	CHECK_EQ(queue_page(s, &f, 0, rows, 8, &more, &cause), 1);
	CHECK_STR(rows[0].case_id, "Q-3");
	f.awaiting_signoff = 0;
	f.route = ROUTE_MASH;
	CHECK_EQ(queue_page(s, &f, 0, rows, 1, &more, &cause), 1);
	CHECK_EQ(more, 1);
	CHECK_EQ(queue_counts(s, counts, &cause), 0);
	CHECK_EQ(counts[ROUTE_MASH], 2);
	CHECK_EQ(counts[ROUTE_EARLY_HELP_UNIT], 1);
	CHECK_EQ(counts[ROUTE_UNIVERSAL], 0);
	CHECK_EQ(counts[ROUTE_COUNT], 3);
}

/* The key the open counts are kept under, after the queue's last entry. */
static const unsigned char counts_key[9] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'c' };

static int
drop_counts_txn(struct store_txn *t, void *arg)
{
	(void)arg;
	return store_del(t, TABLE_QUEUE, counts_key, sizeof counts_key) < 0 ? -1 : 0;
}

/* 1 if the counts are stored, 0 if not. */
static int
counts_stored_txn(struct store_txn *t, void *arg)
{
	struct store_val v;

	(void)arg;
	return store_get(t, TABLE_QUEUE, counts_key, sizeof counts_key, &v) == 0;
}

/* The decision awaiting sign-off (the demo log here has one: Q-3's override). */
static uint64_t
find_awaiting(struct store *s)
{
	struct queue_filter f = { .route = -1, .awaiting_signoff = 1 };
	struct queue_row row;
	char *cause = NULL;
	int more;

	return queue_page(s, &f, 0, &row, 1, &more, &cause) == 1 ? row.seq : 0;
}

struct old_entry {
	uint64_t seq;
	const char *id;
};

static int
put_old_entry_txn(struct store_txn *t, void *arg)
{
	const struct old_entry *e = arg;
	unsigned char key[8];

	store_put_u64(key, e->seq);
	return store_put(t, TABLE_QUEUE, key, 8, e->id, strlen(e->id)) < 0 ? -1 : 0;
}

/* A queue entry of an older database (the case id alone) still reads, and filters. */
static void
test_old_entries(struct store *s)
{
	struct queue_filter f = { .route = -1 };
	struct queue_row rows[8];
	struct old_entry e;
	char *cause = NULL;
	int more, n = queue_page(s, &f, 0, rows, 8, &more, &cause);

	CHECK_EQ(n, 3);
	e.seq = rows[1].seq;
	e.id = "Q-3";
	CHECK_STR(rows[1].case_id, "Q-3");
	CHECK_EQ(store_write(s, put_old_entry_txn, &e, &cause), 0);
	n = queue_page(s, &f, 0, rows, 8, &more, &cause);
	CHECK_EQ(n, 3);
	CHECK_STR(rows[1].case_id, "Q-3");
	CHECK_EQ(rows[1].route, ROUTE_EARLY_HELP_UNIT);
	CHECK(rows[1].awaiting_signoff);
	f.awaiting_signoff = 1;		/* answered from the case state instead */
	CHECK_EQ(queue_page(s, &f, 0, rows, 8, &more, &cause), 1);
	CHECK_STR(rows[0].case_id, "Q-3");
	f.awaiting_signoff = 0;
	f.route = ROUTE_MASH;		/* the new entries answer from their copy */
	CHECK_EQ(queue_page(s, &f, 0, rows, 8, &more, &cause), 2);
}

/* Recounts the queue case by case (as a database from before stored counts would). */
static void
recount(struct store *s, unsigned long counted[ROUTE_COUNT + 1])
{
	char *cause = NULL;

	CHECK_EQ(store_write(s, drop_counts_txn, NULL, &cause), 0);
	CHECK_EQ(queue_counts(s, counted, &cause), 0);
}

/* The counts every append keeps agree with counting the open cases one by one. */
static void
test_counts(struct store *s, const struct ruleset *rs)
{
	unsigned long stored[ROUTE_COUNT + 1], counted[ROUTE_COUNT + 1], again[ROUTE_COUNT + 1];
	char *cause = NULL;

	CHECK_EQ(queue_counts(s, stored, &cause), 0);
	recount(s, counted);
	for (int i = 0; i <= ROUTE_COUNT; i++)
		CHECK_EQ(stored[i], counted[i]);
	/* without stored counts, the next append counts the queue first, then keeps them */
	decide(s, rs, "{\"case_id\":\"Q-5\",\"received\":\"2026-11-24T10:00:00Z\","
	    "\"consent\":\"given\",\"indicators\":[\"dev.l4_01\"]}", -1);
	CHECK_EQ(queue_counts(s, stored, &cause), 0);
	CHECK_EQ(stored[ROUTE_MASH], counted[ROUTE_MASH] + 1);
	CHECK_EQ(stored[ROUTE_COUNT], counted[ROUTE_COUNT] + 1);
	/* a record that moves nothing still stores counts that were missing */
	recount(s, again);
	CHECK_EQ(again[ROUTE_COUNT], stored[ROUTE_COUNT]);
	CHECK_EQ(action_sign_off(s, "mgr", find_awaiting(s), 1, "Agreed: the override fits.",
	    NULL, &cause), 0);
	CHECK_EQ(store_read(s, counts_stored_txn, NULL, &cause), 1);
	/* closing a case, and stepping one down to another route, move it in the counts */
	if (action_outcome(s, "mgr", rs, "Q-5", "needs_met", NULL, NULL, &cause) < 0 ||
	    action_step(s, "mgr", "Q-1", 0, URGENCY_NONE,
	    "Stepped down with the family's agreement today.",
	    NULL, &cause) < 0)
		fatal("%s", cause);
	CHECK_EQ(queue_counts(s, stored, &cause), 0);
	CHECK_EQ(stored[ROUTE_MASH], counted[ROUTE_MASH] - 1);
	CHECK_EQ(stored[ROUTE_TARGETED_EARLY_HELP], counted[ROUTE_TARGETED_EARLY_HELP] + 1);
	CHECK_EQ(stored[ROUTE_COUNT], counted[ROUTE_COUNT]);
	recount(s, counted);
	for (int i = 0; i <= ROUTE_COUNT; i++)
		CHECK_EQ(stored[i], counted[i]);
}

/* One record of a batch: a route (or outcome) for a case, written straight to the log. */
struct batch_step {
	const char *case_id;
	enum record_kind kind;
	int route;
};

static int
batch_txn(struct store_txn *t, void *argp)
{
	const struct batch_step *steps = argp;
	struct dlog_head head;
	struct buf scratch;
	int rc = 0;

	if (dlog_head(t, &head) < 0)
		return -1;
	buf_init(&scratch);
	for (int i = 0; steps[i].case_id != NULL && rc == 0; i++) {
		struct record r;

		memset(&r, 0, sizeof r);
		r.time = utc("2026-11-25T10:00:00Z");
		r.kind = steps[i].kind;
		r.rec_route = r.route = steps[i].route;
		r.rec_level = r.level = r.need_level =
		    steps[i].route == RECORD_NONE ? RECORD_NONE : 2;
		r.actor = (struct rbytes){ "off", 3 };
		r.role = (struct rbytes){ "officer", 7 };
		r.case_id = (struct rbytes){ steps[i].case_id, strlen(steps[i].case_id) };
		r.facts = (struct rbytes){ "{}", 2 };
		r.detail = (struct rbytes){ "{}", 2 };
		if (r.kind == KIND_OUTCOME)
			r.outcome = (struct rbytes){ "needs_met", 9 };
		rc = dlog_append(t, &head, &r, &scratch);
	}
	buf_free(&scratch);
	return rc;
}

/*
 * Many appends in one transaction (as a --batch does) read the counts once and
 * keep them in step: new cases, a case routed again within the batch, and cases
 * closed in it, including one opened earlier in the same batch.
 */
static void
test_batch_counts(struct store *s)
{
	static const struct batch_step steps[] = {
		{ "B-1", KIND_ROUTE, ROUTE_MASH },
		{ "B-2", KIND_ROUTE, ROUTE_UNIVERSAL },
		{ "B-1", KIND_ROUTE, ROUTE_EARLY_HELP_UNIT },
		{ "Q-2", KIND_ROUTE, ROUTE_TARGETED_EARLY_HELP },
		{ "B-2", KIND_OUTCOME, RECORD_NONE },
		{ "B-3", KIND_ROUTE, ROUTE_MASH },
		{ "Q-2", KIND_OUTCOME, RECORD_NONE },
		{ NULL, KIND_ROUTE, RECORD_NONE },
	};
	unsigned long before[ROUTE_COUNT + 1], stored[ROUTE_COUNT + 1], counted[ROUTE_COUNT + 1];
	char *cause = NULL;

	CHECK_EQ(queue_counts(s, before, &cause), 0);
	CHECK_EQ(store_write(s, batch_txn, (void *)steps, &cause), 0);
	CHECK_EQ(queue_counts(s, stored, &cause), 0);
	/* B-1 (EHU) and B-3 (MASH) opened; Q-2 (open before) closed; B-2 opened and closed */
	CHECK_EQ(stored[ROUTE_COUNT], before[ROUTE_COUNT] + 1);
	CHECK_EQ(stored[ROUTE_EARLY_HELP_UNIT], before[ROUTE_EARLY_HELP_UNIT] + 1);
	CHECK_EQ(stored[ROUTE_UNIVERSAL], before[ROUTE_UNIVERSAL]);
	recount(s, counted);
	for (int i = 0; i <= ROUTE_COUNT; i++)
		CHECK_EQ(stored[i], counted[i]);
}

/* Checks that an action refused its text (never quoting it) and wrote nothing. */
static void
refused_text(int srcline, int rc, uint64_t seq, char *cause, const char *what)
{
	check_report(rc == -1, "the action is refused", __FILE__, srcline);
	check_report(seq == 0, "nothing is recorded", __FILE__, srcline);
	check_report(cause != NULL && strstr(cause, what) != NULL, what, __FILE__, srcline);
	check_report(cause != NULL && strstr(cause, "SECRET") == NULL, "the text is not quoted",
	    __FILE__, srcline);
	free(cause);
}
#define REFUSED_TEXT(call, what) \
	do { \
		char *cause_ = NULL; \
		uint64_t seq_ = 0; \
		int rc_ = (call); \
		refused_text(__LINE__, rc_, seq_, cause_, (what)); \
	} while (0)

/*
 * Free text reaches the log only through the actions, from the command line and
 * the screens alike: each one checks it, whatever its caller checked.
 */
static void
test_free_text(struct store *s, const struct ruleset *rs)
{
	static const char facts[] = "{\"case_id\":\"T-1\",\"consent\":\"given\","
	    "\"indicators\":[\"dev.l2_01\"]}";
	static const char esc[] = "SECRET note long enough \033[2J to pass the length check";
	static const char c1[] = "SECRET note long enough \302\2332J to pass the length check";
	static const char bad[] = "SECRET note long enough \377 to pass the length check";
	struct route_decision d = { facts, strlen(facts), ROUTE_MASH, c1, -1, -1, NULL, 0, -1, NULL, 0, NULL, NULL };
	struct route_decision fb = { facts, strlen(facts), -1, NULL, -1, -1, esc, 0, -1, NULL, 0, NULL, NULL };
	char *cause = NULL;

	CHECK_EQ(action_check_text("line one\n\tindented, caf\303\251", "the note", &cause), 0);
	CHECK_EQ(action_check_text(NULL, "the note", &cause), 0);
	REFUSED_TEXT(action_check_text("SECRET\r", "the note", &cause_), "control character");
	REFUSED_TEXT(action_decide(s, "off", rs, &d, &seq_, &cause_), "the rationale holds");
	REFUSED_TEXT(action_decide(s, "off", rs, &fb, &seq_, &cause_), "the feedback holds");
	REFUSED_TEXT(action_outcome(s, "mgr", rs, "Q-3", "needs_met", esc, &seq_, &cause_),
	    "the note holds a control character");
	REFUSED_TEXT(action_step(s, "mgr", "Q-3", 1, URGENCY_RED, bad, &seq_, &cause_),
	    "the rationale is not valid UTF-8");
	REFUSED_TEXT(action_sign_off(s, "mgr", 1, 1, c1, &seq_, &cause_), "the comment holds");
	REFUSED_TEXT(action_correct(s, "off", 1, -1, esc, &seq_, &cause_), "the rationale holds");
}

struct state_arg {
	const char *id;
	struct case_state cs;
};

static int
state_txn(struct store_txn *t, void *argp)
{
	struct state_arg *a = argp;

	return dlog_case_state(t, a->id, strlen(a->id), &a->cs) == 0 ? 0 : -1;
}

static struct case_state
state_of(struct store *s, const char *id)
{
	struct state_arg a = { id, { 0 } };
	char *cause = NULL;

	if (store_read(s, state_txn, &a, &cause) < 0)
		fatal("%s", cause);
	return a.cs;
}

/* The queue row of one case id under filter f; returned 0 if the filter leaves it out. */
static int
queue_row_filtered(struct store *s, struct queue_filter f, const char *id, struct queue_row *out)
{
	struct queue_row rows[8];
	char *cause = NULL;
	int more, n;

	f.search = id;
	n = queue_page(s, &f, 0, rows, 8, &more, &cause);

	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].case_id, id) == 0) {
			*out = rows[i];
			return 1;
		}
	free(cause);
	return 0;
}

/* The queue row of one case id; returned 0 if it is not in the queue. */
static int
queue_row_of(struct store *s, const char *id, struct queue_row *out)
{
	struct queue_filter f = { .route = -1 };

	return queue_row_filtered(s, f, id, out);
}

/* What the tests read back of one record. */
struct rec_arg {
	uint64_t seq;
	int found, kind, route;
	char actor[16], outcome[40], detail[80];
};

static int
rec_txn(struct store_txn *t, void *argp)
{
	struct rec_arg *a = argp;
	struct record r;
	char *cause = NULL;

	if (dlog_get(t, a->seq, &r, &cause) != 0) {
		free(cause);
		return 0;
	}
	a->found = 1;
	a->kind = (int)r.kind;
	a->route = r.route;
	snprintf(a->actor, sizeof a->actor, "%.*s", (int)r.actor.n, r.actor.p);
	snprintf(a->outcome, sizeof a->outcome, "%.*s", (int)r.outcome.n, r.outcome.p);
	snprintf(a->detail, sizeof a->detail, "%.*s", (int)r.detail.n, r.detail.p);
	return 0;
}

static struct rec_arg
rec_at(struct store *s, uint64_t seq)
{
	struct rec_arg a;
	char *cause = NULL;

	memset(&a, 0, sizeof a);
	a.seq = seq;
	if (store_read(s, rec_txn, &a, &cause) < 0)
		fatal("%s", cause);
	return a;
}

static int
known_txn(struct store_txn *t, void *argp)
{
	struct state_arg *a = argp;

	return dlog_case_state(t, a->id, strlen(a->id), &a->cs) < 0 ? -1 : 0;
}

/* Whether the log knows the case at all. */
static int
case_known(struct store *s, const char *id)
{
	struct state_arg a = { id, { 0 } };
	char *cause = NULL;

	a.cs.first_seq = 0;
	if (store_read(s, known_txn, &a, &cause) < 0)
		fatal("%s", cause);
	return a.cs.first_seq != 0;
}

/* Progress leaves a case open on its route and in the queue; a closure closes it. */
static void
test_progress(struct store *s, const struct ruleset *rs)
{
	struct queue_row row;
	struct case_state cs;
	struct rec_arg r;
	char *cause = NULL;
	uint64_t seq = 0;

	decide(s, rs, "{\"case_id\":\"P-1\",\"consent\":\"given\","
	    "\"indicators\":[\"dev.l2_01\"]}", -1);
	CHECK_EQ(action_outcome(s, "eh", rs, "P-1", "allocated", "Worker allocated today.", &seq,
	    &cause), 0);
	cs = state_of(s, "P-1");
	CHECK_EQ(cs.status, CASE_OPEN);
	CHECK_EQ(cs.route, ROUTE_EARLY_HELP_UNIT);
	CHECK_EQ(cs.last_seq, seq);
	r = rec_at(s, seq);
	CHECK_EQ(r.kind, KIND_OUTCOME);
	CHECK_EQ(r.route, ROUTE_EARLY_HELP_UNIT);
	CHECK_STR(r.outcome, "allocated");
	CHECK_STR(r.detail, "{\"progress\":true}");
	CHECK(queue_row_of(s, "P-1", &row));
	CHECK_EQ(row.last_kind, KIND_OUTCOME);
	CHECK_EQ(row.route, ROUTE_EARLY_HELP_UNIT);
	/* a code the rule set in force does not have: nothing written */
	CHECK_EQ(action_outcome(s, "eh", rs, "P-1", "allocated_x", NULL, NULL, &cause), -1);
	CHECK_CONTAINS(cause, "not a code of the rule set in force");
	free(cause);
	cause = NULL;
	CHECK_EQ(state_of(s, "P-1").last_seq, seq);
	CHECK_EQ(action_outcome(s, "eh", rs, "P-1", "no_further_action", NULL, &seq, &cause), 0);
	CHECK_EQ(state_of(s, "P-1").status, CASE_CLOSED);
	CHECK_EQ(rec_at(s, seq).route, RECORD_NONE);
	CHECK(!queue_row_of(s, "P-1", &row));
	/* progress on a closed case is refused as any outcome is */
	CHECK_EQ(action_outcome(s, "eh", rs, "P-1", "allocated", NULL, NULL, &cause), -1);
	CHECK_CONTAINS(cause, "the case is closed");
	free(cause);
}

/* A Universal contact closed as it is decided: both records in one write, or neither. */
static void
test_close_at_decision(struct store *s, const struct ruleset *rs)
{
	static const char nfa[] = "{\"case_id\":\"U-1\",\"consent\":\"given\",\"indicators\":[]}";
	static const char eh[] = "{\"case_id\":\"U-2\",\"consent\":\"given\","
	    "\"indicators\":[\"dev.l2_01\"]}";
	struct route_decision d;
	struct case_state cs;
	struct rec_arg r;
	char *cause = NULL;
	uint64_t seq = 0;

	memset(&d, 0, sizeof d);
	d.facts = nfa;
	d.facts_len = strlen(nfa);
	d.final_route = d.urgency = d.strategy_discussion = d.seen_route = -1;
	d.close_code = "no_further_action";
	d.close_note = "Referrer told: no further action.";
	CHECK_EQ(action_decide(s, "off", rs, &d, &seq, &cause), 0);
	cs = state_of(s, "U-1");
	CHECK_EQ(cs.status, CASE_CLOSED);
	CHECK_EQ(cs.route, ROUTE_UNIVERSAL);
	CHECK_EQ(cs.last_seq, seq + 1);
	r = rec_at(s, seq + 1);
	CHECK_EQ(r.kind, KIND_OUTCOME);
	CHECK_STR(r.actor, "off");
	CHECK_STR(r.outcome, "no_further_action");

	/* not a Universal contact: neither the decision nor the closure */
	d.facts = eh;
	d.facts_len = strlen(eh);
	CHECK_EQ(action_decide(s, "off", rs, &d, &seq, &cause), -1);
	CHECK_CONTAINS(cause, "only a contact whose final route is universal");
	free(cause);
	cause = NULL;
	CHECK(!case_known(s, "U-2"));
	/* an officer's override to Universal awaits sign-off: no outcome, so no decision */
	d.final_route = ROUTE_UNIVERSAL;
	d.rationale = "The school has already met this need; nothing more is needed.";
	CHECK_EQ(action_decide(s, "off", rs, &d, &seq, &cause), -1);
	CHECK_CONTAINS(cause, "awaits a manager's sign-off: no outcome");
	free(cause);
	cause = NULL;
	CHECK(!case_known(s, "U-2"));
	/* a manager's may, and the closure says what it was made over */
	CHECK_EQ(action_decide(s, "mgr", rs, &d, &seq, &cause), 0);
	CHECK_EQ(state_of(s, "U-2").status, CASE_CLOSED);
	CHECK_CONTAINS(rec_at(s, seq + 1).detail, "\"while_awaiting_signoff\":");
	/* progress is not a closure */
	d.facts = nfa;
	d.facts_len = strlen(nfa);
	d.final_route = -1;
	d.close_code = "allocated";
	CHECK_EQ(action_decide(s, "off", rs, &d, &seq, &cause), -1);
	CHECK_CONTAINS(cause, "not a progress outcome");
	free(cause);
}

/*
 * A correction that changes the route is an override: it awaits sign-off and
 * cannot take a case off the MASH for a role that may not close it there; a
 * returned sign-off leaves the case open and flagged for a new decision.
 */
static void
test_corrections(struct store *s, const struct ruleset *rs)
{
	static const char why[] = "The referral was read wrongly at the front door.";
	struct queue_row row;
	struct case_state cs;
	char *cause = NULL;
	uint64_t mash, closed, corr = 0, note = 0;

	mash = decide(s, rs, "{\"case_id\":\"K-1\",\"consent\":\"not_required\","
	    "\"indicators\":[\"dev.l4_01\"]}", -1);
	CHECK_EQ(state_of(s, "K-1").route, ROUTE_MASH);
	/* early help may not close a MASH case, nor by correcting its route first */
	CHECK_EQ(action_correct(s, "eh", mash, ROUTE_TARGETED_EARLY_HELP, why, &corr, &cause), 0);
	cs = state_of(s, "K-1");
	CHECK_EQ(cs.route, ROUTE_TARGETED_EARLY_HELP);
	CHECK_EQ(cs.awaiting_signoff, corr);
	CHECK_EQ(action_outcome(s, "eh", rs, "K-1", "needs_met", NULL, NULL, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "awaits a manager's sign-off: no outcome") != NULL);
	free(cause);
	cause = NULL;
	/* the screens ask the same rule first, and are told the same */
	CHECK_EQ(action_case_check(s, "eh", "K-1", CASE_ACT_OUTCOME, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "awaits a manager's sign-off: no outcome") != NULL);
	free(cause);
	cause = NULL;
	CHECK_EQ(action_case_check(s, "eh", "K-1", CASE_ACT_STEP_DOWN, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "no step-down until it is signed off") != NULL);
	free(cause);
	cause = NULL;
	/* moved off the MASH by a change not yet approved, it is still the MASH's: no step-up */
	CHECK_EQ(action_step(s, "eh", "K-1", 1, URGENCY_AMBER, why, NULL, &cause), -1);
	CHECK_CONTAINS(cause, "still with the MASH");
	free(cause);
	cause = NULL;
	CHECK_EQ(state_of(s, "K-1").awaiting_signoff, corr);
	/* the manager's list leaves out the maker's own decision */
	CHECK(queue_row_filtered(s, (struct queue_filter){ .route = -1, .awaiting_signoff = 1,
	    .signable_by = "mgr" }, "K-1", &row));
	CHECK(!queue_row_filtered(s, (struct queue_filter){ .route = -1, .awaiting_signoff = 1,
	    .signable_by = "eh" }, "K-1", &row));
	CHECK_EQ(state_of(s, "K-1").status, CASE_OPEN);
	/* returned, it is still the MASH's; approved, it is early help's to close */
	CHECK_EQ(action_sign_off(s, "mgr", corr, 0, why, NULL, &cause), 0);
	CHECK(state_of(s, "K-1").returned);
	CHECK_EQ(action_outcome(s, "eh", rs, "K-1", "needs_met", NULL, NULL, &cause), -1);
	free(cause);
	cause = NULL;
	CHECK_EQ(action_correct(s, "eh", mash, ROUTE_EARLY_HELP_UNIT, why, &corr, &cause), 0);
	CHECK_EQ(action_sign_off(s, "mgr", corr, 1, NULL, NULL, &cause), 0);
	CHECK_EQ(action_outcome(s, "eh", rs, "K-1", "needs_met", NULL, NULL, &cause), 0);

	/* a closed case corrected to the MASH is open again, in the queue, awaiting sign-off */
	closed = decide(s, rs, "{\"case_id\":\"K-2\",\"consent\":\"given\","
	    "\"indicators\":[\"dev.l2_01\"]}", -1);
	CHECK_EQ(action_outcome(s, "mgr", rs, "K-2", "needs_met", NULL, NULL, &cause), 0);
	CHECK(!queue_row_of(s, "K-2", &row));
	CHECK_EQ(action_correct(s, "off", closed, ROUTE_MASH, why, &corr, &cause), 0);
	cs = state_of(s, "K-2");
	CHECK_EQ(cs.status, CASE_OPEN);
	CHECK_EQ(cs.route, ROUTE_MASH);
	CHECK_EQ(cs.awaiting_signoff, corr);
	CHECK(queue_row_of(s, "K-2", &row) && row.awaiting_signoff && row.route == ROUTE_MASH);
	/* returned: no longer awaiting, but flagged, open and in the queue until decided */
	CHECK_EQ(action_sign_off(s, "mgr", corr, 0, "Not supported by the referral: decide again.",
	    NULL, &cause), 0);
	cs = state_of(s, "K-2");
	CHECK_EQ(cs.awaiting_signoff, 0);
	CHECK(cs.returned);
	CHECK(queue_row_of(s, "K-2", &row) && !row.awaiting_signoff && row.returned);
	/* in the tray of the one who made the returned correction, nobody else's */
	CHECK(queue_row_filtered(s, (struct queue_filter){ .route = -1, .returned_to = "off" },
	    "K-2", &row));
	CHECK(!queue_row_filtered(s, (struct queue_filter){ .route = -1, .returned_to = "mgr" },
	    "K-2", &row));
	CHECK(!queue_row_filtered(s, (struct queue_filter){ .route = -1, .returned_to = "off" },
	    "K-1", &row));
	/* signed off already: the refusal says by whom and how */
	CHECK_EQ(action_sign_off(s, "mgr", corr, 1, NULL, NULL, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "already been signed off (returned by mgr)") != NULL);
	free(cause);
	cause = NULL;
	decide(s, rs, "{\"case_id\":\"K-2\",\"consent\":\"given\","
	    "\"indicators\":[\"dev.l2_01\"]}", -1);
	CHECK(!state_of(s, "K-2").returned);
	CHECK(queue_row_of(s, "K-2", &row) && !row.returned);
	CHECK(!queue_row_filtered(s, (struct queue_filter){ .route = -1, .returned_to = "off" },
	    "K-2", &row));

	/* without a route a correction is a note: no route in it, nothing about the case moves */
	cs = state_of(s, "K-2");
	CHECK_EQ(action_correct(s, "off", closed, -1, why, &note, &cause), 0);
	CHECK_EQ(state_of(s, "K-2").route, cs.route);
	CHECK_EQ(state_of(s, "K-2").awaiting_signoff, cs.awaiting_signoff);
	CHECK_EQ(state_of(s, "K-2").status, cs.status);
	free(cause);
}

int
main(void)
{
	char *dir = tmpdir_make(), *db = xasprintf("%s/db", dir);
	struct ruleset *rs;
	struct store *s;

	test_due();
	test_overdue();
	s = make_store(db, &rs);
	fill_log(s, rs);
	test_page(s);
	test_tray(s);
	test_tray_keys();
	test_tray_index(s, rs);
	test_filters(s);
	test_old_entries(s);
	test_counts(s, rs);
	test_batch_counts(s);
	test_free_text(s, rs);
	test_corrections(s, rs);
	test_progress(s, rs);
	test_close_at_decision(s, rs);
	rules_free(rs);
	store_close(s);
	tmpdir_remove(dir);
	free(db);
	free(dir);
	return check_done();
}
