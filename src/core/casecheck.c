/* casecheck.c: the cases table, its index and the queue, rebuilt from the log and compared. */
#include "core/casecheck.h"

#include <stdlib.h>
#include <string.h>

#include "base/names.h"
#include "base/util.h"
#include "store/dlog.h"

#define RELEASE_EVERY 65536	/* entries walked between dropping the pages read (as the log's scan does) */

enum {
	REC_PRESENT = 1,	/* a decision the scan read */
	REC_RETURNED = 2,	/* a sign-off that returned the change */
	REC_INDEXED = 4,	/* listed once in its case's index */
	REC_QUEUED = 8,		/* the latest record of an open case: the queue holds it */
	REC_QUEUE_SEEN = 16,	/* and the queue's walk found it */
};

/* FNV-1a: enough to tell one case id from another by chance damage. */
static uint32_t
id_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static int
log_count_txn(struct store_txn *t, void *arg)
{
	return store_count(t, TABLE_LOG, arg);
}

int
casecheck_init(struct casecheck *cc, struct store *s, uint64_t last_seq, char **cause)
{
	size_t held = 0;

	memset(cc, 0, sizeof *cc);
	if (store_read(s, log_count_txn, &held, cause) < 0)
		return -1;
	/* a few records deleted leave the newest key above the count: keep room for it */
	cc->n = last_seq <= 2 * (uint64_t)held + 1024 ? last_seq : held;
	cc->v = xcalloc((size_t)cc->n + 1, sizeof *cc->v);
	return 0;
}

void
casecheck_free(struct casecheck *cc)
{
	free(cc->v);
	memset(cc, 0, sizeof *cc);
}

void
casecheck_record(struct casecheck *cc, const struct record *r)
{
	struct casecheck_rec *e;

	if (r->seq == 0 || r->seq > cc->n || !record_kind_is_decision(r->kind))
		return;
	e = &cc->v[r->seq];
	e->ref = r->ref;
	e->idhash = id_hash(r->case_id.p, r->case_id.n);
	e->kind = (uint8_t)r->kind;
	e->route = (uint8_t)r->route;
	e->level = (uint8_t)r->level;
	e->flags = REC_PRESENT;
	if (r->kind == KIND_SIGN_OFF && r->outcome.n == 8 &&
	    memcmp(r->outcome.p, "returned", 8) == 0)
		e->flags |= REC_RETURNED;
}

/* The walk over the cases table: the case being rebuilt. */
struct walk {
	struct casecheck *cc;
	casecheck_problem_fn problem;
	void *arg;
	char id[CASE_ID_MAX];
	size_t idlen;
	uint32_t idhash;
	int have_case;
	unsigned char state[64];	/* its stored state, copied */
	size_t statelen;
	uint64_t last_index;		/* the last index entry, for problems about the case */
	struct case_state cs;
	int moved;			/* the case has records written since the log was read */
	int any_moved;
	uint64_t open[ROUTE_COUNT + 1];
	uint64_t walked;		/* entries read, for releasing pages */
};

static void
say(struct walk *w, uint64_t seq, const char *what)
{
	w->problem(w->arg, seq, what);
}

/* A case's records are all read: its stored state and queue entry must say the same. */
static void
finish_case(struct walk *w)
{
	struct store_val v = { w->state, w->statelen };
	struct casecheck_rec *e;

	if (!w->have_case)
		return;
	w->have_case = 0;
	if (w->moved)
		return;		/* written to since: its state is newer than the log read */
	if (w->cs.last_seq == 0) {
		say(w, w->last_index, "a case state with no records in the case index");
		return;
	}
	if (dlog_case_state_same(&v, &w->cs) != 1)
		say(w, w->cs.last_seq, "the stored state of this record's case differs from its "
		    "records (the cases table is damaged)");
	if (w->cs.status != CASE_OPEN)
		return;
	if (w->cs.route >= 0 && w->cs.route < ROUTE_COUNT)
		w->open[w->cs.route]++;
	w->open[ROUTE_COUNT]++;
	e = &w->cc->v[w->cs.last_seq];
	e->flags |= REC_QUEUED;
	e->queue_route = (uint8_t)w->cs.route;
	e->queue_awaiting = w->cs.awaiting_signoff != 0;
	e->queue_returned = w->cs.returned != 0;
}

/* The record a case-index entry names, applied to the case's rebuilt state. */
static void
apply_indexed(struct walk *w, uint64_t seq)
{
	struct casecheck_rec *e = seq >= 1 && seq <= w->cc->n ? &w->cc->v[seq] : NULL;
	struct record r;

	if (e == NULL || !(e->flags & REC_PRESENT)) {
		say(w, seq, "the case index lists this record, which is not a decision in the log");
		return;
	}
	if (!w->have_case || e->idhash != w->idhash) {
		say(w, seq, "the case index lists this record under another case");
		return;
	}
	if (e->flags & REC_INDEXED) {
		say(w, seq, "the case index lists this record twice");
		return;
	}
	e->flags |= REC_INDEXED;
	memset(&r, 0, sizeof r);
	r.seq = seq;
	r.kind = (enum record_kind)e->kind;
	r.route = e->route;
	r.level = e->level;
	r.ref = e->ref;
	if (e->flags & REC_RETURNED)
		r.outcome = (struct rbytes){ "returned", 8 };
	dlog_case_apply(&w->cs, &r);
}

/*
 * An index entry past the log read: a writer's since (the case is left out of
 * the comparison), unless the log does not hold it now either.
 */
static int
index_past_read(struct walk *w, struct store_txn *t, uint64_t seq)
{
	unsigned char key[8];
	struct store_val v;
	int rc;

	store_put_u64(key, seq);
	rc = store_get(t, TABLE_LOG, key, 8, &v);
	if (rc < 0)
		return -1;
	if (rc == 1)
		say(w, seq, "the case index lists this record, which is not a decision in the log");
	else
		w->moved = w->any_moved = 1;
	return 0;
}

/* One key of the cases table: a case's state starts a case, index entries follow it in order. */
static int
walk_key(struct walk *w, struct store_txn *t, const struct store_val *k, const struct store_val *v)
{
	size_t idlen;
	uint64_t seq = 0;
	int kind = dlog_case_key(k, &idlen, &seq);

	if (kind < 0) {
		say(w, 0, "the cases table holds a key that is neither a case nor an index entry");
		return 0;
	}
	if (kind == 0) {
		finish_case(w);
		memcpy(w->id, k->data, idlen);
		w->idlen = idlen;
		w->idhash = id_hash(w->id, idlen);
		w->statelen = v->len < sizeof w->state ? v->len : sizeof w->state;
		memcpy(w->state, v->data, w->statelen);
		w->have_case = 1;
		w->last_index = 0;
		w->moved = 0;
		dlog_case_init(&w->cs);
		return 0;
	}
	if (!w->have_case || idlen != w->idlen || memcmp(k->data, w->id, idlen) != 0) {
		/* an index entry whose case has no state: the state was lost */
		finish_case(w);
		say(w, seq, "this record's case has no stored state (the cases table is damaged)");
		w->cc->v[seq <= w->cc->n ? seq : 0].flags |= REC_INDEXED;
		return 0;
	}
	if (seq > w->cc->n)
		return index_past_read(w, t, seq);
	w->last_index = seq;
	apply_indexed(w, seq);
	return 0;
}

static int
walk_cases(struct store_txn *t, struct walk *w)
{
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	if (store_cursor_open(t, TABLE_CASES, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		if (walk_key(w, t, &k, &v) < 0) {
			rc = -1;
			break;
		}
		if (++w->walked % RELEASE_EVERY == 0)
			store_release_pages(t);
	}
	store_cursor_close(c);
	if (rc < 0)
		return -1;
	finish_case(w);
	return 0;
}

/* One queue entry against what the rebuilt case says it must hold. */
static void
check_queue_entry(struct walk *w, uint64_t seq, const struct store_val *v)
{
	struct casecheck_rec *e = seq >= 1 && seq <= w->cc->n ? &w->cc->v[seq] : NULL;
	struct queue_entry q;
	struct case_state cs;

	if (e == NULL || !(e->flags & REC_QUEUED)) {
		say(w, seq, "the queue holds an entry at this record, which is no open case's "
		    "latest (the queue is damaged)");
		return;
	}
	e->flags |= REC_QUEUE_SEEN;
	dlog_case_init(&cs);
	cs.route = e->queue_route == RECORD_NONE ? RECORD_NONE : e->queue_route;
	cs.awaiting_signoff = e->queue_awaiting;
	cs.returned = e->queue_returned;
	if (dlog_queue_entry(v, &q) < 0 || id_hash(q.id, q.len) != e->idhash ||
	    dlog_queue_entry_same(&q, &cs) != 1)
		say(w, seq, "the queue entry of this record's case differs from its records "
		    "(the queue is damaged)");
}

/* Every queue entry must be an open case's latest record; the counts must be the rebuilt ones. */
static int
walk_queue(struct store_txn *t, struct walk *w)
{
	struct store_cursor *c;
	struct store_val k, v;
	uint64_t stored[ROUTE_COUNT + 1];
	int rc;

	if (store_cursor_open(t, TABLE_QUEUE, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		uint64_t seq = k.len == 8 ? store_get_u64(k.data) : 0;

		if (++w->walked % RELEASE_EVERY == 0)
			store_release_pages(t);
		if (dlog_is_counts_key(&k) || (k.len == 8 && seq > w->cc->n))
			continue;	/* the counts, or an entry written since the log was read */
		check_queue_entry(w, seq, &v);
	}
	store_cursor_close(c);
	if (rc < 0 || (rc = dlog_stored_counts(t, stored)) < 0)
		return -1;
	if (rc == 0 && !w->any_moved && memcmp(stored, w->open, sizeof stored) != 0)
		say(w, 0, "the stored counts of open cases differ from the log's cases");
	return 0;
}

/* Decisions the case index never listed; open cases the queue lacks. */
static void
unlisted(struct walk *w)
{
	for (uint64_t seq = 1; seq <= w->cc->n; seq++) {
		unsigned f = w->cc->v[seq].flags;

		if ((f & REC_PRESENT) && !(f & REC_INDEXED))
			say(w, seq, "this decision is missing from its case's index");
		if ((f & REC_QUEUED) && !(f & REC_QUEUE_SEEN))
			say(w, seq, "this record's case is open but missing from the queue");
	}
}

static int
casecheck_txn(struct store_txn *t, void *arg)
{
	struct walk *w = arg;

	if (walk_cases(t, w) < 0 || walk_queue(t, w) < 0)
		return -1;
	unlisted(w);
	return 0;
}

int
casecheck_tables(struct store *s, struct casecheck *cc, casecheck_problem_fn problem,
    void *arg, char **cause)
{
	struct walk *w = xcalloc(1, sizeof *w);
	int rc;

	w->cc = cc;
	w->problem = problem;
	w->arg = arg;
	rc = store_read(s, casecheck_txn, w, cause);
	free(w);
	return rc;
}
