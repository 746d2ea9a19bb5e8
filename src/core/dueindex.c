/* dueindex.c: the tray's index kept with the log: each open case's due item, by due time. */
#include "core/dueindex.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/time.h"
#include "base/util.h"
#include "core/rulesets.h"
#include "rules/rules.h"
#include "store/ledger.h"
#include "store/tray.h"

/* A case's records walked for what is due on it. */
struct walk_arg {
	struct due_walk w;
	struct json_doc doc;
	struct buf tmp;
};

/* The received time in a record's facts, 0 if none or not a time. */
static int64_t
read_received(struct json_doc *doc, const struct rbytes *facts, struct buf *tmp)
{
	char *cause = NULL;
	int64_t when;
	int i;

	if (facts->n == 0 || json_parse(doc, facts->p, facts->n, &cause) < 0 ||
	    doc->tok[0].type != JSMN_OBJECT) {
		free(cause);
		return 0;
	}
	i = json_object_get(doc, 0, "received");
	if (i < 0 || doc->tok[i].type != JSMN_STRING)
		return 0;
	buf_reset(tmp);
	buf_reserve(tmp, JSON_TOK_LEN(doc, i));
	tmp->len = json_unescape(doc, i, tmp->data);
	tmp->data[tmp->len] = '\0';
	return parse_utc(tmp->data, &when) == 0 ? when : 0;
}

/* One record of the case into the due walk: contacts and step-ups are read for urgency. */
static int
walk_record(const struct record *r, void *argp)
{
	struct walk_arg *a = argp;
	int urgency = URGENCY_NONE;
	int64_t received = 0;

	if (r->kind == KIND_ROUTE || r->kind == KIND_OVERRIDE || r->kind == KIND_STEP_UP) {
		urgency = due_detail_urgency(&a->doc, &r->detail);
		received = read_received(&a->doc, &r->facts, &a->tmp);
	}
	due_walk_add(&a->w, r, urgency, received);
	return 0;
}

int
dueindex_case_due(struct store_txn *t, const char *id, size_t len, uint64_t awaiting,
    const struct calendar *cal, struct due *out)
{
	struct walk_arg a;
	char *cause = NULL;
	int rc;

	due_walk_init(&a.w, cal, awaiting);
	json_doc_init(&a.doc);
	buf_init(&a.tmp);
	rc = dlog_case_records(t, id, len, walk_record, &a, &cause);
	json_doc_free(&a.doc);
	buf_free(&a.tmp);
	if (rc < 0) {
		store_fail(t, "%s (run frontdoor verify)", cause != NULL ? cause :
		    "cannot read a case's records");
		free(cause);
		return -1;
	}
	due_walk_result(&a.w, out);
	return 0;
}

/* Sets one case's place from its state: gone when closed, else its due item. */
static int
place_case(struct store_txn *t, const char *id, size_t len, const struct calendar *cal)
{
	struct case_state cs;
	struct tray_item it;
	struct due d;
	int rc = dlog_case_state(t, id, len, &cs);

	if (rc < 0)
		return -1;
	if (rc == 1 || cs.status != CASE_OPEN)
		return tray_set(t, id, len, NULL);
	if (dueindex_case_due(t, id, len, cs.awaiting_signoff, cal, &d) < 0)
		return -1;
	it.at = d.at;
	it.what = (int)d.what;
	it.urgency = d.urgency;
	it.seq = cs.last_seq;
	it.route = cs.route;
	it.awaiting = cs.awaiting_signoff != 0;
	it.returned = cs.returned;
	return tray_set(t, id, len, &it);
}

/* Places every open case afresh (the queue lists them), covering the log to `upto`. */
static int
rebuild(struct store_txn *t, uint64_t upto, const struct calendar *cal)
{
	struct store_cursor *c;
	struct store_val k, v;
	size_t walked = 0;
	int rc;

	if (tray_clear(t) < 0 || store_cursor_open(t, TABLE_QUEUE, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct queue_entry e;

		if (dlog_is_counts_key(&k))
			continue;
		if (k.len != 8 || dlog_queue_entry(&v, &e) < 0) {
			rc = store_fail(t, "a queue entry is damaged (run frontdoor verify)");
			break;
		}
		if (place_case(t, e.id, e.len, cal) < 0) {
			rc = -1;
			break;
		}
		if (++walked % 4096 == 0)
			store_release_pages(t);
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : tray_set_indexed(t, upto);
}

/* The calendar of the rule set in force (none: weekends only, UTC) into *own. */
static int
calendar_in_force(struct store_txn *t, struct calendar *own)
{
	struct publication pub;
	struct ruleset *rs;
	int rc = ledger_active(t, &pub);

	memset(own, 0, sizeof *own);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return 0;
	if (rulesets_load(t, pub.hash, "the rule set in force", &rs) < 0)
		return -1;
	calendar_copy(own, rules_calendar(rs));
	rules_free(rs);
	return 0;
}

int
dueindex_append(struct store_txn *t, struct dlog_head *head, struct record *r,
    struct buf *scratch, const struct calendar *cal)
{
	struct calendar own;
	uint64_t upto, before = head->seq;
	int rc = 0;

	if (dlog_append(t, head, r, scratch) < 0 || tray_indexed(t, &upto) < 0)
		return -1;
	if (upto == before && r->case_id.n == 0)
		return tray_set_indexed(t, r->seq);	/* about no case: nothing moves */
	memset(&own, 0, sizeof own);
	if (cal == NULL) {
		if (calendar_in_force(t, &own) < 0)
			return -1;
		cal = &own;
	}
	if (upto != before)
		rc = rebuild(t, r->seq, cal);
	else if ((rc = place_case(t, r->case_id.p, r->case_id.n, cal)) == 0)
		rc = tray_set_indexed(t, r->seq);
	calendar_free(&own);
	return rc;
}

/* The log's newest sequence number. */
static int
log_last(struct store_txn *t, uint64_t *last)
{
	struct store_val k, v;
	int rc = store_last(t, TABLE_LOG, &k, &v);

	*last = rc == 0 && k.len == 8 ? store_get_u64(k.data) : 0;
	return rc < 0 ? -1 : 0;
}

int
dueindex_current(struct store_txn *t)
{
	uint64_t upto, last;

	if (tray_indexed(t, &upto) < 0 || log_last(t, &last) < 0)
		return -1;
	return upto == last;
}

/* What a build works with. */
struct build_arg {
	const struct calendar *cal;
};

static int
build_txn(struct store_txn *t, void *argp)
{
	struct build_arg *a = argp;
	uint64_t last;
	int rc = dueindex_current(t);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	return log_last(t, &last) < 0 ? -1 : rebuild(t, last, a->cal);
}

int
dueindex_build(struct store *s, const struct calendar *cal, char **cause)
{
	struct build_arg a = { cal };

	return store_write(s, build_txn, &a, cause);
}

/* What a check shares with its transaction. */
struct check_arg {
	void (*problem)(void *arg, uint64_t seq, const char *what);
	void *arg;
};

/* Whether the tray entry at a place copies the queue entry's state: 1 yes, 0 no, -1 error. */
static int
same_state(struct store_txn *t, const struct store_val *place, const struct queue_entry *e)
{
	struct store_val v;
	struct tray_item it;
	const char *id;
	size_t len;
	int rc = store_get(t, TABLE_TRAY, place->data, 8, &v);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (tray_entry(place, &v, &it, &id, &len) < 0)
		return 0;
	return it.route == e->route && it.awaiting == (e->awaiting != 0) &&
	    it.returned == (e->returned != 0);
}

/* Each open case (a queue entry) has its place, at its latest record, with its state. */
static int
check_open(struct store_txn *t, struct check_arg *a, size_t *open)
{
	struct store_cursor *c;
	struct store_val k, v, place;
	int rc;

	if (store_cursor_open(t, TABLE_QUEUE, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct queue_entry e;
		uint64_t seq;
		int got;

		if (dlog_is_counts_key(&k) || k.len != 8 || dlog_queue_entry(&v, &e) < 0)
			continue;	/* the queue's own check reports a damaged entry */
		seq = store_get_u64(k.data);
		(*open)++;
		if ((got = store_get(t, TABLE_DUE, e.id, e.len, &place)) < 0)
			break;
		if (got == 1 || place.len != 8 || tray_key_seq(store_get_u64(place.data)) != seq)
			a->problem(a->arg, seq, "this record's case is open but its place in the "
			    "tray is missing or not at its latest record (the tray's index is damaged)");
		else if (e.has_state && (got = same_state(t, &place, &e)) <= 0) {
			if (got < 0)
				break;
			a->problem(a->arg, seq, "the tray's copy of this record's case state differs "
			    "from the queue's (the tray's index is damaged)");
		}
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* Each entry of the tray is one a case's place names; the places are as many. */
static int
check_entries(struct store_txn *t, struct check_arg *a, size_t open)
{
	struct store_cursor *c;
	struct store_val k, v, place;
	size_t entries = 0, places;
	int rc;

	if (store_cursor_open(t, TABLE_TRAY, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct tray_item it;
		const char *id;
		size_t len;
		int got = 1, ok = tray_entry(&k, &v, &it, &id, &len) == 0;

		entries++;
		if (ok && (got = store_get(t, TABLE_DUE, id, len, &place)) < 0)
			break;
		if (got != 0 || place.len != 8 || memcmp(place.data, k.data, 8) != 0)
			a->problem(a->arg, ok ? it.seq : 0, "an entry of the tray's index is damaged "
			    "or no case's place (the tray's index is damaged)");
	}
	store_cursor_close(c);
	if (rc < 0 || store_count(t, TABLE_DUE, &places) < 0)
		return -1;
	if (entries != open || places != open)
		a->problem(a->arg, 0, "the tray's index holds another number of cases than are "
		    "open (the tray's index is damaged)");
	return 0;
}

static int
check_txn(struct store_txn *t, void *argp)
{
	struct check_arg *a = argp;
	size_t open = 0;
	int rc = dueindex_current(t);

	if (rc != 1)
		return rc < 0 ? -1 : 0;
	return check_open(t, a, &open) < 0 || check_entries(t, a, open) < 0 ? -1 : 0;
}

int
dueindex_check(struct store *s, void (*problem)(void *arg, uint64_t seq, const char *what),
    void *arg, char **cause)
{
	struct check_arg a = { problem, arg };

	return store_read(s, check_txn, &a, cause);
}
