/* dlog.c: appends hash-chained records and keeps the per-case index, state and queue. */
#include "store/dlog.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/ledger.h"
#include "store/people.h"
#include "store/tree.h"

/*
 * A case's state ("ID") and its index entries ("ID", NUL, 8-byte sequence)
 * share one table: adjacent keys, so a decision touches one leaf page for both.
 */
#define CASE_STATE_LEN 36

int
dlog_head(struct store_txn *t, struct dlog_head *h)
{
	struct store_val k, v;
	int rc;

	memset(h, 0, sizeof *h);
	rc = store_last(t, TABLE_LOG, &k, &v);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return 0;
	if (k.len != 8 || v.len < DIGEST_LEN)
		return store_fail(t, "damaged log: the newest record is malformed");
	h->seq = store_get_u64(k.data);
	memcpy(h->hash, (const char *)v.data + v.len - DIGEST_LEN, DIGEST_LEN);
	return 0;
}

static void
encode_state(const struct case_state *cs, unsigned char out[CASE_STATE_LEN])
{
	out[0] = 2;	/* version */
	out[1] = (unsigned char)cs->status;
	out[2] = (unsigned char)cs->route;
	out[3] = (unsigned char)cs->level;
	out[4] = (unsigned char)(cs->contacts >> 24);
	out[5] = (unsigned char)(cs->contacts >> 16);
	out[6] = (unsigned char)(cs->contacts >> 8);
	out[7] = (unsigned char)cs->contacts;
	store_put_u64(out + 8, cs->first_seq);
	store_put_u64(out + 16, cs->last_seq);
	store_put_u64(out + 24, cs->awaiting_signoff);
	memset(out + 32, 0, 4);
	out[32] = (unsigned char)cs->changed_from;
	out[33] = cs->returned != 0;
}

static int
decode_state(const struct store_val *v, struct case_state *cs)
{
	const unsigned char *p = v->data;

	/* version 1 kept neither the route before a change nor a return */
	if (v->len != CASE_STATE_LEN || p[0] < 1 || p[0] > 2)
		return -1;
	cs->status = p[1] ? CASE_CLOSED : CASE_OPEN;
	cs->route = p[2];
	cs->level = p[3];
	cs->contacts = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	cs->first_seq = store_get_u64(p + 8);
	cs->last_seq = store_get_u64(p + 16);
	cs->awaiting_signoff = store_get_u64(p + 24);
	cs->changed_from = p[0] == 1 ? RECORD_NONE : p[32];
	cs->returned = p[0] == 1 ? 0 : p[33] != 0;
	return 0;
}

int
dlog_case_state(struct store_txn *t, const char *case_id, size_t len, struct case_state *cs)
{
	struct store_val v;
	int rc = store_get(t, TABLE_CASES, case_id, len, &v);

	if (rc != 0)
		return rc;
	if (decode_state(&v, cs) < 0)
		return store_fail(t, "damaged case state");
	return 0;
}

void
dlog_case_init(struct case_state *cs)
{
	memset(cs, 0, sizeof *cs);
	cs->status = CASE_OPEN;
	cs->route = cs->level = cs->changed_from = RECORD_NONE;
}

int
dlog_case_state_same(const struct store_val *v, const struct case_state *cs)
{
	unsigned char want[CASE_STATE_LEN];
	const unsigned char *p = v->data;

	if (v->len != CASE_STATE_LEN || p[0] < 1 || p[0] > 2)
		return -1;
	encode_state(cs, want);
	/* version 1 kept neither the route before a change nor a return: bytes 32 on unused */
	return memcmp(p + 1, want + 1, p[0] == 1 ? 31 : CASE_STATE_LEN - 1) == 0;
}

int
dlog_case_key(const struct store_val *k, size_t *idlen, uint64_t *seq)
{
	const char *p = k->data;

	if (k->len == 0 || k->len > CASE_ID_MAX + 9)
		return -1;
	if (memchr(p, '\0', k->len) == NULL) {
		*idlen = k->len;
		return 0;
	}
	if (k->len < 10 || p[k->len - 9] != '\0' || memchr(p, '\0', k->len - 9) != NULL)
		return -1;
	*idlen = k->len - 9;
	*seq = store_get_u64((const unsigned char *)p + k->len - 8);
	return 1;
}

/*
 * A queue value: NUL (no case id starts with one), a version byte, the
 * route (0xff: none), 1 if it awaits sign-off or 2 if its latest change was
 * returned, then the case id.
 */
#define QUEUE_HEAD 4

int
dlog_queue_entry(const struct store_val *v, struct queue_entry *e)
{
	const unsigned char *p = v->data;

	memset(e, 0, sizeof *e);
	e->route = RECORD_NONE;
	if (v->len > 0 && p[0] != '\0') {	/* the case id alone */
		e->id = v->data;
		e->len = v->len;
		return 0;
	}
	/* a route or flag byte no append writes is damage, not a value to read past */
	if (v->len <= QUEUE_HEAD || p[1] != 1 || p[3] > 2 || (p[2] >= ROUTE_COUNT && p[2] != 0xff))
		return -1;
	e->has_state = 1;
	e->route = p[2] == 0xff ? RECORD_NONE : p[2];
	e->awaiting = p[3] == 1;
	e->returned = p[3] == 2;
	e->id = (const char *)p + QUEUE_HEAD;
	e->len = v->len - QUEUE_HEAD;
	return 0;
}

/* Writes the queue entry of an open case. */
static int
put_queue_entry(struct store_txn *t, const struct case_state *cs, const struct record *r)
{
	unsigned char key[8], val[QUEUE_HEAD + CASE_ID_MAX];

	val[0] = '\0';
	val[1] = 1;	/* version */
	val[2] = cs->route >= 0 && cs->route < ROUTE_COUNT ? (unsigned char)cs->route : 0xff;
	val[3] = cs->awaiting_signoff != 0 ? 1 : cs->returned ? 2 : 0;
	memcpy(val + QUEUE_HEAD, r->case_id.p, r->case_id.n);
	store_put_u64(key, cs->last_seq);
	/* not store_append: the counts' key sorts after it */
	return store_put(t, TABLE_QUEUE, key, 8, val, QUEUE_HEAD + r->case_id.n);
}

int
dlog_queue_entry_same(const struct queue_entry *e, const struct case_state *cs)
{
	if (!e->has_state)	/* written before the copy was kept: the id alone */
		return 1;
	return e->route == (cs->route >= 0 && cs->route < ROUTE_COUNT ? cs->route : RECORD_NONE) &&
	    e->awaiting == (cs->awaiting_signoff != 0) &&
	    e->returned == (cs->awaiting_signoff == 0 && cs->returned);
}

/*
 * The open-case counts live in the queue table under a 9-byte key that sorts
 * after every 8-byte entry, so they share the leaf page each new entry is
 * added to: keeping them costs a decision no extra page. Value: a version
 * byte, then 8-byte big-endian counts.
 */
static const unsigned char counts_key[9] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'c',
};
#define COUNTS_LEN (1 + 8 * (ROUTE_COUNT + 1))

/* Counts the open cases by reading each one's state (databases from before the counts). */
static int
count_open_cases(struct store_txn *t, uint64_t counts[ROUTE_COUNT + 1])
{
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	if (store_cursor_open(t, TABLE_QUEUE, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct case_state cs;
		struct queue_entry e;
		int got;

		if (k.len != 8)
			continue;	/* the counts themselves */
		got = dlog_queue_entry(&v, &e) < 0 ? store_fail(t, "damaged queue entry") :
		    dlog_case_state(t, e.id, e.len, &cs);

		if (got < 0) {
			rc = -1;
			break;
		}
		if (got == 0 && cs.route >= 0 && cs.route < ROUTE_COUNT)
			counts[cs.route]++;
		counts[ROUTE_COUNT]++;
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* The stored counts (0), or counted from the queue when none are stored (1); -1 on error. */
static int
load_counts(struct store_txn *t, uint64_t counts[ROUTE_COUNT + 1])
{
	struct store_val v;
	int rc = store_get(t, TABLE_QUEUE, counts_key, sizeof counts_key, &v);
	const unsigned char *p = v.data;

	memset(counts, 0, (ROUTE_COUNT + 1) * sizeof counts[0]);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return count_open_cases(t, counts) < 0 ? -1 : 1;
	if (v.len != COUNTS_LEN || p[0] != 1)
		return store_fail(t, "damaged open-case counts");
	for (int i = 0; i <= ROUTE_COUNT; i++)
		counts[i] = store_get_u64(p + 1 + 8 * i);
	return 0;
}

int
dlog_open_counts(struct store_txn *t, uint64_t counts[ROUTE_COUNT + 1])
{
	return load_counts(t, counts) < 0 ? -1 : 0;
}

int
dlog_stored_counts(struct store_txn *t, uint64_t counts[ROUTE_COUNT + 1])
{
	return load_counts(t, counts);
}

int
dlog_is_counts_key(const struct store_val *k)
{
	return k->len == sizeof counts_key && memcmp(k->data, counts_key, sizeof counts_key) == 0;
}

/*
 * Moves one case out of the counts (read before anything moved in this
 * append) as it was, or NULL if it is new, and into them as it is now.
 */
static int
update_counts(struct store_txn *t, uint64_t counts[ROUTE_COUNT + 1], int counted,
    const struct case_state *was, const struct case_state *now)
{
	unsigned char val[COUNTS_LEN];

	/* nothing moves: no page written, unless the counts were just counted, not stored */
	if (!counted && was != NULL && was->status == now->status && was->route == now->route)
		return 0;
	if (was != NULL && was->status == CASE_OPEN) {
		if (was->route >= 0 && was->route < ROUTE_COUNT && counts[was->route] > 0)
			counts[was->route]--;
		if (counts[ROUTE_COUNT] > 0)
			counts[ROUTE_COUNT]--;
	}
	if (now->status == CASE_OPEN) {
		if (now->route >= 0 && now->route < ROUTE_COUNT)
			counts[now->route]++;
		counts[ROUTE_COUNT]++;
	}
	val[0] = 1;	/* version */
	for (int i = 0; i <= ROUTE_COUNT; i++)
		store_put_u64(val + 1 + 8 * i, counts[i]);
	return store_put(t, TABLE_QUEUE, counts_key, sizeof counts_key, val, sizeof val) < 0 ?
	    -1 : 0;
}

/* A new route awaiting sign-off: the case is open, and remembers where it came from. */
static void
change_route(struct case_state *cs, const struct record *r)
{
	cs->changed_from = cs->route;
	cs->route = r->route;
	cs->level = r->level;
	cs->status = CASE_OPEN;
	cs->awaiting_signoff = r->seq;
}

int
dlog_outcome_closes(const struct record *r)
{
	return r->kind == KIND_OUTCOME && r->route == RECORD_NONE;
}

void
dlog_case_apply(struct case_state *cs, const struct record *r)
{
	if (cs->first_seq == 0)
		cs->first_seq = r->seq;
	cs->last_seq = r->seq;
	switch (r->kind) {
	case KIND_ROUTE:
	case KIND_OVERRIDE:
		cs->contacts++;
		/* fall through */
	case KIND_STEP_UP:
	case KIND_STEP_DOWN:
		cs->returned = 0;	/* the new decision a return asked for */
		if (r->kind == KIND_OVERRIDE || r->kind == KIND_STEP_DOWN) {
			change_route(cs, r);
			break;
		}
		if (r->route != RECORD_NONE) {
			cs->route = r->route;
			cs->level = r->level;
		}
		cs->status = CASE_OPEN;
		break;
	case KIND_CORRECTION:
		/*
		 * a correction that changes the case's route is an override: the case
		 * is open on the new route and awaits sign-off; one without a route,
		 * or with the route the case has, is a note and changes nothing
		 */
		if (r->route != RECORD_NONE && r->route != cs->route) {
			cs->returned = 0;
			change_route(cs, r);
		}
		break;
	case KIND_OUTCOME:
		if (dlog_outcome_closes(r))
			cs->status = CASE_CLOSED;
		break;
	case KIND_SIGN_OFF:
		if (cs->awaiting_signoff == r->ref) {
			cs->awaiting_signoff = 0;
			cs->returned = r->outcome.n == 8 && memcmp(r->outcome.p, "returned", 8) == 0;
		}
		break;
	case KIND_PUBLISH:	/* about no case: never applied to one */
	case KIND_GRANT:
	case KIND_REVOKE:
	case KIND_COUNT:
		break;
	}
}

/* Keeps the case state and the queue of open cases in step with a new record. */
static int
update_case(struct store_txn *t, struct dlog_head *head, const struct record *r)
{
	struct case_state cs, was;
	unsigned char state[CASE_STATE_LEN], key[8];
	int rc, counted = 0;

	dlog_case_init(&cs);
	rc = dlog_case_state(t, r->case_id.p, r->case_id.n, &cs);

	/* read before anything moves: a database without stored counts counts its queue */
	if (rc < 0)
		return -1;
	if (!head->counts_read) {
		if ((counted = load_counts(t, head->counts)) < 0)
			return -1;
		head->counts_read = 1;
	}
	was = cs;
	if (rc == 0 && cs.status == CASE_OPEN) {
		store_put_u64(key, cs.last_seq);
		if (store_del(t, TABLE_QUEUE, key, 8) < 0)
			return -1;
	}
	dlog_case_apply(&cs, r);
	encode_state(&cs, state);
	if (store_put(t, TABLE_CASES, r->case_id.p, r->case_id.n, state, sizeof state) < 0)
		return -1;
	if (cs.status == CASE_OPEN && put_queue_entry(t, &cs, r) < 0)
		return -1;
	return update_counts(t, head->counts, counted, rc == 0 ? &was : NULL, &cs);
}

/* The case index entry of a decision, its case's state and the queue. */
static int
index_case(struct store_txn *t, struct dlog_head *head, const struct record *r)
{
	unsigned char ikey[CASE_ID_MAX + 9];

	memcpy(ikey, r->case_id.p, r->case_id.n);
	ikey[r->case_id.n] = '\0';
	store_put_u64(ikey + r->case_id.n + 1, r->seq);
	if (store_put(t, TABLE_CASES, ikey, r->case_id.n + 9, "", 0) < 0)
		return -1;
	return update_case(t, head, r);
}

/* A decision's rule set must have been published through the log: no other is ever used. */
static int
check_published(struct store_txn *t, struct dlog_head *head, const struct record *r)
{
	char hex[65];
	int rc;

	if (head->ruleset_ok && memcmp(head->ruleset_ok_hash, r->ruleset, DIGEST_LEN) == 0)
		return 0;
	rc = ledger_published(t, r->ruleset);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		digest_hex(r->ruleset, hex);
		return store_fail(t, "rule set sha256:%.12s has no publication in the log: a rule "
		    "set is used only once an admin publishes it", hex);
	}
	head->ruleset_ok = 1;
	memcpy(head->ruleset_ok_hash, r->ruleset, DIGEST_LEN);
	return 0;
}

int
dlog_append(struct store_txn *t, struct dlog_head *head, struct record *r, struct buf *scratch)
{
	unsigned char key[8];
	int decision = record_kind_is_decision(r->kind), rc;

	if (decision && (r->case_id.n == 0 || r->case_id.n > CASE_ID_MAX ||
	    memchr(r->case_id.p, '\0', r->case_id.n) != NULL))
		return store_fail(t, "a case id must be 1 to %d bytes with no NUL", CASE_ID_MAX);
	if (!decision && r->case_id.n != 0)
		return store_fail(t, "a publication or grant is about no case");
	if (!head->edge_read) {
		/* a log written without the tree gets it before it grows */
		if (tree_catch_up(t, &head->edge) < 0)
			return -1;
		head->edge_read = 1;
	}
	if (head->edge.leaves != head->seq)
		return store_fail(t, "the log's tree is out of step with the log: nothing was "
		    "saved (run frontdoor verify)");
	if (ledger_prepare(t, head, r) < 0)
		return -1;
	if (decision && r->has_ruleset && check_published(t, head, r) < 0)
		return -1;
	if (!decision)
		r->ref = head->ledger_last;
	r->seq = head->seq + 1;
	memcpy(r->prev, head->hash, DIGEST_LEN);
	buf_reset(scratch);
	record_encode(r, scratch);
	store_put_u64(key, r->seq);
	/* with an out-of-date head LMDB refuses the append: never write around that */
	rc = store_append(t, TABLE_LOG, key, 8, scratch->data, scratch->len);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return store_fail(t, "the log changed during this transaction: nothing was saved");
	if (tree_append(t, &head->edge, scratch->data, scratch->len) < 0)
		return -1;
	if (decision ? index_case(t, head, r) < 0 : store_put(t, TABLE_META, LEDGER_META_KEY,
	    strlen(LEDGER_META_KEY), key, 8) < 0)
		return -1;
	if (people_add(t, head, r) < 0)
		return -1;
	if (!decision)
		head->ledger_last = r->seq;
	head->seq = r->seq;
	memcpy(head->hash, r->hash, DIGEST_LEN);
	return 0;
}

int
dlog_get(struct store_txn *t, uint64_t seq, struct record *r, char **cause)
{
	unsigned char key[8];
	struct store_val v;
	int rc;

	store_put_u64(key, seq);
	rc = store_get(t, TABLE_LOG, key, 8, &v);
	if (rc != 0)
		return rc;
	return record_decode(v.data, v.len, r, cause);
}

int
dlog_case_records(struct store_txn *t, const char *case_id, size_t len,
    int (*fn)(const struct record *r, void *arg), void *arg, char **cause)
{
	unsigned char prefix[CASE_ID_MAX + 1];
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	if (len == 0 || len > CASE_ID_MAX)
		return 0;
	memcpy(prefix, case_id, len);
	prefix[len] = '\0';
	if (store_cursor_open(t, TABLE_CASES, &c) < 0)
		return -1;
	for (rc = store_cursor_seek(c, prefix, len + 1, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct record r;
		int got;

		if (k.len != len + 9 || memcmp(k.data, prefix, len + 1) != 0)
			break;
		got = dlog_get(t, store_get_u64((const unsigned char *)k.data + len + 1), &r, cause);
		if (got != 0) {
			if (got == 1)
				*cause = xstrdup("the case index names a record that is not in the log");
			rc = -1;
			break;
		}
		if (r.case_id.n != len || memcmp(r.case_id.p, case_id, len) != 0) {
			*cause = xasprintf("the case index is damaged: record %llu belongs to "
			    "another case (run frontdoor verify)", (unsigned long long)r.seq);
			rc = -1;
			break;
		}
		if ((got = fn(&r, arg)) != 0) {
			rc = got;
			break;
		}
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

int
dlog_case_last_decision(struct store_txn *t, const char *case_id, size_t len, uint64_t at,
    struct record *r, char **cause)
{
	unsigned char key[CASE_ID_MAX + 9];
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	if (len == 0 || len > CASE_ID_MAX)
		return 1;
	memcpy(key, case_id, len);
	key[len] = '\0';
	store_put_u64(key + len + 1, at == UINT64_MAX ? at : at + 1);
	if (store_cursor_open(t, TABLE_CASES, &c) < 0)
		return -1;
	/* the first key after the case's records at or before `at`, then back */
	rc = store_cursor_seek(c, key, len + 9, &k, &v);
	if (rc >= 0)
		rc = store_cursor_move(c, rc == 0 ? MOVE_PREV : MOVE_LAST, &k, &v);
	for (; rc == 0; rc = store_cursor_move(c, MOVE_PREV, &k, &v)) {
		int got;

		if (k.len != len + 9 || memcmp(k.data, key, len + 1) != 0) {
			rc = 1;
			break;
		}
		got = dlog_get(t, store_get_u64((const unsigned char *)k.data + len + 1), r, cause);
		if (got != 0) {
			if (got == 1)
				*cause = xstrdup("the case index names a record that is not in the log");
			rc = -1;
			break;
		}
		if (r->kind == KIND_ROUTE || r->kind == KIND_OVERRIDE)
			break;
	}
	store_cursor_close(c);
	return rc;
}

#define SCAN_CHUNK 16384	/* records a read transaction; pages let go after each */

#define KEY_MAX 511		/* LMDB's longest key */

struct scan_arg {
	unsigned char key[KEY_MAX];	/* where the next chunk resumes */
	size_t keylen;
	int resume_after;		/* the key was seen: start after it */
	dlog_scan_fn fn;
	void *arg;
	size_t *end_count;		/* if set: the log's size when the scan reached its end */
	int done;
	int result;
};

/* Positions the cursor where the previous chunk stopped. */
static int
scan_resume(struct store_cursor *c, struct scan_arg *a, struct store_val *k, struct store_val *v)
{
	int rc = store_cursor_seek(c, a->key, a->keylen, k, v);

	if (rc == 0 && a->resume_after && k->len == a->keylen &&
	    memcmp(k->data, a->key, a->keylen) == 0)
		rc = store_cursor_move(c, MOVE_NEXT, k, v);
	return rc;
}

/*
 * One bounded read transaction of the scan. A malformed key (not 8 bytes) is
 * passed to fn as sequence 0 and the scan goes on past it, so damage never
 * hides the records after it.
 */
static int
scan_chunk(struct store_txn *t, void *argp)
{
	struct scan_arg *a = argp;
	struct store_cursor *c;
	struct store_val k, v;
	int rc, n = 0;

	if (store_cursor_open(t, TABLE_LOG, &c) < 0)
		return -1;
	for (rc = scan_resume(c, a, &k, &v); rc == 0 && n < SCAN_CHUNK;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v), n++) {
		uint64_t seq = k.len == 8 ? store_get_u64(k.data) : 0;

		a->result = a->fn(t, seq, &v, a->arg);
		if (a->result != 0) {
			a->done = 1;
			break;
		}
		a->keylen = k.len < KEY_MAX ? k.len : KEY_MAX;
		memcpy(a->key, k.data, a->keylen);
		a->resume_after = 1;
	}
	store_cursor_close(c);
	if (n == SCAN_CHUNK)
		store_release_pages(t);	/* a long scan: more chunks to come */
	if (rc < 0)
		return -1;
	if (rc == 1) {
		a->done = 1;
		if (a->end_count != NULL && store_count(t, TABLE_LOG, a->end_count) < 0)
			return -1;
	}
	return 0;
}

/* The scan of dlog_scan and dlog_scan_all. */
static int
scan_from(struct store *s, uint64_t from, dlog_scan_fn fn, void *arg, size_t *count,
    char **cause)
{
	struct scan_arg a;

	memset(&a, 0, sizeof a);
	store_put_u64(a.key, from);
	a.keylen = 8;
	a.fn = fn;
	a.arg = arg;
	a.end_count = count;
	while (!a.done)
		if (store_read(s, scan_chunk, &a, cause) < 0)
			return -1;
	return a.result;
}

int
dlog_scan(struct store *s, uint64_t from, dlog_scan_fn fn, void *arg, char **cause)
{
	return scan_from(s, from, fn, arg, NULL, cause);
}

int
dlog_scan_all(struct store *s, dlog_scan_fn fn, void *arg, size_t *count, char **cause)
{
	*count = 0;
	return scan_from(s, 0, fn, arg, count, cause);
}

#define MIN_PART 50000		/* fewer records than this are not worth a thread */

int
dlog_part_count(uint64_t records, int wanted, int max)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = wanted > 0 ? wanted : (int)(cpus > 0 ? cpus : 1);

	if (n > max)
		n = max;
	while (n > 1 && records / (uint64_t)n < MIN_PART)
		n--;
	return n;
}

void
dlog_split(struct dlog_part *parts, int n, uint64_t records)
{
	for (int i = 0; i < n; i++) {
		parts[i].from = i == 0 ? 0 : records / (uint64_t)n * (uint64_t)i + 1;
		parts[i].to = i == n - 1 ? UINT64_MAX : records / (uint64_t)n * (uint64_t)(i + 1);
	}
}

/* Stops a part's scan at the end of its range. */
static int
part_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct dlog_part *p = arg;

	/* seq 0 is a malformed or zero key: the part that meets it reports it */
	return seq > p->to && seq != 0 ? 1 : p->fn(t, seq, raw, p->arg);
}

struct part_thread {
	struct store *s;
	struct dlog_part *p;
};

static void *
run_part(void *argp)
{
	struct part_thread *pt = argp;

	pt->p->rc = dlog_scan(pt->s, pt->p->from, part_one, pt->p, &pt->p->cause) < 0 ? -1 : 0;
	return NULL;
}

int
dlog_scan_parts(struct store *s, struct dlog_part *parts, int n)
{
	pthread_t *threads = xcalloc((size_t)n, sizeof *threads);
	struct part_thread *pts = xcalloc((size_t)n, sizeof *pts);
	int rc = 0;

	for (int i = 0; i < n; i++) {
		pts[i].s = s;
		pts[i].p = &parts[i];
	}
	for (int i = 1; i < n; i++)
		if (pthread_create(&threads[i], NULL, run_part, &pts[i]) != 0)
			fatal("cannot start a thread to scan the log");
	run_part(&pts[0]);
	for (int i = 1; i < n; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < n; i++)
		rc |= parts[i].rc;
	free(threads);
	free(pts);
	return rc < 0 ? -1 : 0;
}

int
dlog_chain_step(struct dlog_chain *c, uint64_t seq, const struct store_val *raw,
    const struct record *r, char **cause)
{
	uint64_t want;
	int follows;

	if (c->seq == 0 && c->from_any && r != NULL) {
		/* the first record read: the one before it is taken on trust */
		c->seq = seq - 1;
		memcpy(c->hash, r->prev, DIGEST_LEN);
	}
	want = c->seq + 1;
	follows = r != NULL && memcmp(r->prev, c->hash, DIGEST_LEN) == 0;

	c->seq = seq;
	if (raw->len >= DIGEST_LEN)
		memcpy(c->hash, (const char *)raw->data + raw->len - DIGEST_LEN, DIGEST_LEN);
	if (seq != want)
		*cause = xasprintf("the log jumps from record %llu to %llu",
		    (unsigned long long)(want - 1), (unsigned long long)seq);
	else if (r == NULL)
		return 0;	/* the decoder said why */
	else if (r->seq != seq || !follows)
		*cause = xasprintf("record %llu does not follow the record before it",
		    (unsigned long long)seq);
	else if (!record_hash_ok(raw->data, raw->len))
		*cause = xasprintf("record %llu was edited: its hash does not match its contents",
		    (unsigned long long)seq);
	else
		return 0;
	return -1;
}

int
dlog_chain_end(const struct dlog_chain *c, size_t count, char **cause)
{
	if (c->seq == count)
		return 0;
	*cause = xasprintf("the log holds %zu records, but reading it ended at record %llu",
	    count, (unsigned long long)c->seq);
	return -1;
}
