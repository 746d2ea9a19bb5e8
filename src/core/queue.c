/* queue.c: the open-case queue, newest first a page at a time, or as the tray in due order. */
#include "core/queue.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/sanitise.h"
#include "base/util.h"
#include "core/dueindex.h"
#include "store/tray.h"

#define QUEUE_LOOKAHEAD 1000	/* entries read past a full page to tell if more match */
#define QUEUE_RELEASE_EVERY 4096	/* entries between letting go of mapped pages */

/* What one page read shares with its transaction. */
struct queue_page_arg {
	const struct queue_filter *f;
	uint64_t before;		/* or, when newer, after */
	int newer;			/* read towards the newest, oldest first */
	size_t scanned;			/* entries read, matching or not */
	struct queue_row *rows;
	size_t n, got;
	int more;
	struct json_doc doc;
	struct buf name, district, received;
	int indexed;			/* the tray's index covers the log: due items read there */
	const struct tray_item *known;	/* the due item of the row being read, or NULL */
};

/* ASCII lower case, whatever the locale; other bytes (UTF-8 included) unchanged. */
static char
queue_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive substring search over bytes. */
static int
queue_contains(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;

		while (k < m && queue_lower(hay[i + k]) == queue_lower(needle[k]))
			k++;
		if (k == m)
			return 1;
	}
	return m == 0;
}

/* Copies the string at token i (unescaped) into out; other types leave it empty. */
static void
queue_json_text(const struct json_doc *d, int i, struct buf *out)
{
	buf_reset(out);
	if (i < 0 || d->tok[i].type != JSMN_STRING)
		return;
	buf_reserve(out, JSON_TOK_LEN(d, i));
	out->len = json_unescape(d, i, out->data);
	out->data[out->len] = '\0';
}

/* Reads child.name, child.district and received from a decision's facts. */
static void
queue_read_facts(struct queue_page_arg *a, const struct rbytes *facts)
{
	char *cause = NULL;
	int child;

	buf_reset(&a->name);
	buf_reset(&a->district);
	buf_reset(&a->received);
	if (facts->n == 0 || json_parse(&a->doc, facts->p, facts->n, &cause) < 0 ||
	    a->doc.tok[0].type != JSMN_OBJECT) {
		free(cause);
		return;
	}
	child = json_object_get(&a->doc, 0, "child");
	if (child >= 0) {
		queue_json_text(&a->doc, json_object_get(&a->doc, child, "name"), &a->name);
		queue_json_text(&a->doc, json_object_get(&a->doc, child, "district"), &a->district);
	}
	queue_json_text(&a->doc, json_object_get(&a->doc, 0, "received"), &a->received);
}

/* Fails the transaction over a damaged record (cause may be NULL) and frees cause. */
static int
queue_damaged(struct store_txn *t, uint64_t seq, char *cause)
{
	store_fail(t, "seq %llu: %s (run frontdoor verify)", (unsigned long long)seq,
	    cause != NULL ? cause : "cannot read the case");
	free(cause);
	return -1;
}

/* The case's due item: from the tray's index where it covers the log, else from its records. */
static int
queue_read_due(struct store_txn *t, struct queue_page_arg *a, const struct store_val *id,
    const struct case_state *cs, struct queue_row *row)
{
	struct tray_item it;
	int rc;

	if (a->known == NULL && a->indexed) {
		if ((rc = tray_case(t, id->data, id->len, &it)) != 0)
			return rc < 0 ? -1 : queue_damaged(t, row->seq,
			    xstrdup("an open case has no place in the tray's index"));
		a->known = &it;
	}
	if (a->known != NULL) {
		row->due.at = a->known->at;
		row->due.what = (unsigned)a->known->what < DUE_WHAT_COUNT ?
		    (enum due_what)a->known->what : DUE_NOTHING;
		row->due.urgency = a->known->urgency;
		a->known = NULL;
	} else if (dueindex_case_due(t, id->data, id->len, cs->awaiting_signoff, a->f->cal,
	    &row->due) < 0)
		return -1;
	row->urgency = row->due.urgency;
	return 0;
}

/* Whether the case's facts pass the district and search filters. */
static int
queue_text_match(const struct queue_page_arg *a, const struct store_val *id)
{
	const struct queue_filter *f = a->f;

	/* the district matches whole (ignoring ASCII case); the search anywhere */
	if (f->district != NULL && (strlen(f->district) != a->district.len ||
	    !queue_contains(a->district.data, a->district.len, f->district)))
		return 0;
	if (f->search != NULL && !queue_contains(id->data, id->len, f->search) &&
	    !queue_contains(a->name.data, a->name.len, f->search))
		return 0;
	return 1;
}

/* Fills the row's text fields from the facts just read. */
static void
queue_fill_text(struct queue_page_arg *a, const struct store_val *id, struct queue_row *row)
{
	int64_t when;

	sanitise_text(id->data, id->len, row->case_id, sizeof row->case_id);
	sanitise_text(a->name.data, a->name.len, row->name, sizeof row->name);
	sanitise_text(a->district.data, a->district.len, row->district, sizeof row->district);
	sanitise_text(a->received.data, a->received.len, row->received, sizeof row->received);
	row->received_at = a->received.len > 0 && parse_utc(a->received.data, &when) == 0
	    ? when : 0;
}

/* Finds the decision the case's latest returning sign-off sent back. */
static int
queue_find_returned(const struct record *r, void *argp)
{
	if (r->kind == KIND_SIGN_OFF && r->outcome.n == 8 && memcmp(r->outcome.p, "returned", 8) == 0)
		*(uint64_t *)argp = r->ref;
	return 0;
}

/* Whether the record at seq was made by user: 1 yes, 0 no, -1 on error. */
static int
queue_made_by(struct store_txn *t, uint64_t seq, const char *user)
{
	struct record r;
	char *cause = NULL;
	int rc = dlog_get(t, seq, &r, &cause);

	if (rc != 0)
		return rc < 0 ? queue_damaged(t, seq, cause) : 0;
	return r.actor.n == strlen(user) && memcmp(r.actor.p, user, r.actor.n) == 0;
}

/*
 * The filters on who made the change in question: 1 if the case passes,
 * 0 if not, -1 on error. Only the few cases that await sign-off or were
 * returned are read further.
 */
static int
queue_maker_match(struct store_txn *t, const struct queue_filter *f, const struct store_val *id,
    const struct case_state *cs)
{
	uint64_t returned = 0;
	char *cause = NULL;
	int rc;

	if (f->awaiting_signoff && f->signable_by != NULL) {
		rc = queue_made_by(t, cs->awaiting_signoff, f->signable_by);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	if (f->returned_to == NULL)
		return 1;
	if (dlog_case_records(t, id->data, id->len, queue_find_returned, &returned, &cause) < 0)
		return queue_damaged(t, cs->last_seq, cause);
	return returned != 0 ? queue_made_by(t, returned, f->returned_to) : 0;
}

/*
 * Reads one queue entry: 1 if it matches the filter (row filled), 0 if not,
 * -1 on error. The case state filters first, as it is the cheapest read.
 */
static int
queue_read_row(struct store_txn *t, struct queue_page_arg *a, uint64_t seq,
    const struct store_val *value, struct queue_row *row)
{
	const struct queue_filter *f = a->f;
	struct case_state cs = { CASE_OPEN, RECORD_NONE, RECORD_NONE, 0, 0, 0, 0, RECORD_NONE, 0 };
	struct record last, dec;
	const struct record *src = &last;
	struct queue_entry e;
	struct store_val idv;
	const struct store_val *id = &idv;
	char *cause = NULL;
	int rc;

	if (dlog_queue_entry(value, &e) < 0)
		return queue_damaged(t, seq, xstrdup("damaged queue entry"));
	idv.data = e.id;
	idv.len = e.len;
	/* the entry's copy of the state answers the route and sign-off filters at once */
	if (e.has_state && ((f->route >= 0 && e.route != f->route) ||
	    (f->awaiting_signoff && !e.awaiting) || (f->returned_to != NULL && !e.returned)))
		return 0;
	if (dlog_case_state(t, id->data, id->len, &cs) < 0)
		return -1;
	if ((f->route >= 0 && cs.route != f->route) ||
	    (f->awaiting_signoff && cs.awaiting_signoff == 0) ||
	    (f->returned_to != NULL && !cs.returned))
		return 0;
	if ((rc = queue_maker_match(t, f, id, &cs)) != 1)
		return rc;
	if ((rc = dlog_get(t, seq, &last, &cause)) != 0)
		return rc < 0 ? queue_damaged(t, seq, cause) : 0;
	if (last.kind != KIND_ROUTE && last.kind != KIND_OVERRIDE) {
		rc = dlog_case_last_decision(t, id->data, id->len, seq, &dec, &cause);
		if (rc < 0)
			return queue_damaged(t, seq, cause);
		src = rc == 0 ? &dec : NULL;
	}
	if (src != NULL)
		queue_read_facts(a, &src->facts);
	else {
		buf_reset(&a->name);
		buf_reset(&a->district);
		buf_reset(&a->received);
	}
	if (!queue_text_match(a, id))
		return 0;
	memset(row, 0, sizeof *row);
	row->seq = seq;
	row->key = seq;
	queue_fill_text(a, id, row);
	row->route = cs.route;
	row->level = cs.level;
	row->awaiting_signoff = cs.awaiting_signoff != 0;
	row->returned = cs.returned;
	row->last_kind = last.kind;
	row->contacts = cs.contacts;
	return queue_read_due(t, a, id, &cs, row) < 0 ? -1 : 1;
}

/*
 * Places the cursor on the newest entry older than `key` (0: the newest), or
 * with newer, on the oldest entry newer than `key` (0: the oldest).
 */
static int
queue_start(struct store_cursor *c, uint64_t key, int newer, struct store_val *k,
    struct store_val *v)
{
	unsigned char kb[8];
	int rc;

	if (key == 0)
		return store_cursor_move(c, newer ? MOVE_FIRST : MOVE_LAST, k, v);
	if (newer && key == UINT64_MAX)
		return 1;
	store_put_u64(kb, newer ? key + 1 : key);
	rc = store_cursor_seek(c, kb, 8, k, v);
	if (rc < 0 || newer)
		return rc;
	return store_cursor_move(c, rc == 0 ? MOVE_PREV : MOVE_LAST, k, v);
}

static int
queue_page_txn(struct store_txn *t, void *argp)
{
	struct queue_page_arg *a = argp;
	struct store_cursor *c;
	struct store_val k, v;
	struct queue_row spare;
	size_t past = 0;
	int rc;

	a->got = 0;
	a->more = 0;
	if (store_cursor_open(t, TABLE_QUEUE, &c) < 0)
		return -1;
	for (rc = queue_start(c, a->before, a->newer, &k, &v); rc == 0;
	    rc = store_cursor_move(c, a->newer ? MOVE_NEXT : MOVE_PREV, &k, &v)) {
		int got;

		if (k.len != 8)
			continue;
		if (a->got == a->n && ++past > QUEUE_LOOKAHEAD) {
			a->more = 1;	/* not known without reading further: say so */
			break;
		}
		if (++a->scanned % QUEUE_RELEASE_EVERY == 0)
			store_release_pages(t);		/* a search through a million contacts */
		got = queue_read_row(t, a, store_get_u64(k.data), &v,
		    a->got < a->n ? &a->rows[a->got] : &spare);
		if (got < 0) {
			rc = -1;
			break;
		}
		if (got == 1 && a->got == a->n) {
			a->more = 1;
			break;
		}
		a->got += (size_t)got;
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/*
 * The tray's order is that of its index's keys (store/tray.h): the earliest
 * due first, then the cases with nothing due, newest first. A row's key is
 * its tray key subtracted from UINT64_MAX, so that it falls down the page as
 * a sequence number does and "before" and "newer" read as they do there.
 */
static uint64_t
queue_tray_row_key(uint64_t tray)
{
	return UINT64_MAX - tray;
}

/* Reads the case at a tray place into the next row: 1 filled, 0 not matching, -1 error. */
static int
queue_tray_row(struct store_txn *t, struct queue_page_arg *a, uint64_t tray,
    const struct tray_item *it, struct queue_row *row)
{
	unsigned char kb[8];
	struct store_val v;
	int rc;

	store_put_u64(kb, it->seq);
	if ((rc = store_get(t, TABLE_QUEUE, kb, 8, &v)) != 0)
		return rc < 0 ? -1 : queue_damaged(t, it->seq,
		    xstrdup("the tray's index names a case the queue does not hold"));
	a->known = it;
	rc = queue_read_row(t, a, it->seq, &v, row);
	a->known = NULL;
	if (rc == 1)
		row->key = queue_tray_row_key(tray);
	return rc;
}

/* Takes one tray place: 0 to go on, 1 the page is full, -1 error. */
static int
queue_tray_take(struct store_txn *t, struct queue_page_arg *a, uint64_t tray,
    const struct tray_item *it, size_t *past)
{
	struct queue_row spare;
	int got;

	if (a->got == a->n && ++*past > QUEUE_LOOKAHEAD) {
		a->more = 1;
		return 1;
	}
	if (++a->scanned % QUEUE_RELEASE_EVERY == 0)
		store_release_pages(t);
	got = queue_tray_row(t, a, tray, it, a->got < a->n ? &a->rows[a->got] : &spare);
	if (got < 0)
		return -1;
	if (got == 1 && a->got == a->n) {
		a->more = 1;
		return 1;
	}
	a->got += (size_t)got;
	return 0;
}

/* Whether a tray entry's copy of its case's state passes the route and sign-off filters. */
static int
queue_tray_passes(const struct queue_filter *f, const struct tray_item *it)
{
	return !((f->route >= 0 && it->route != f->route) ||
	    (f->awaiting_signoff && !it->awaiting) || (f->returned_to != NULL && !it->returned));
}

/* The first tray place to read: down the tray from `before`, or with newer up it from `after`. */
static int
queue_tray_start(struct store_cursor *c, uint64_t key, int newer, struct store_val *k,
    struct store_val *v)
{
	unsigned char kb[8];
	int rc;

	if (key == 0)
		return store_cursor_move(c, newer ? MOVE_LAST : MOVE_FIRST, k, v);
	store_put_u64(kb, queue_tray_row_key(key) + (newer ? 0 : 1));
	rc = store_cursor_seek(c, kb, 8, k, v);
	if (rc < 0 || !newer)
		return rc;
	return store_cursor_move(c, rc == 0 ? MOVE_PREV : MOVE_LAST, k, v);
}

/* The tray a page at a time, read in order from its index. */
static int
queue_tray_index_txn(struct store_txn *t, struct queue_page_arg *a)
{
	struct store_cursor *c;
	struct store_val k, v;
	size_t past = 0;
	int rc;

	if (store_cursor_open(t, TABLE_TRAY, &c) < 0)
		return -1;
	for (rc = queue_tray_start(c, a->before, a->newer, &k, &v); rc == 0;
	    rc = store_cursor_move(c, a->newer ? MOVE_PREV : MOVE_NEXT, &k, &v)) {
		struct tray_item it;
		const char *id;
		size_t len;

		if (tray_entry(&k, &v, &it, &id, &len) < 0) {
			rc = store_fail(t, "an entry of the tray's index is damaged (run frontdoor "
			    "verify)");
			break;
		}
		if (!queue_tray_passes(a->f, &it)) {
			if (++a->scanned % QUEUE_RELEASE_EVERY == 0)
				store_release_pages(t);
			continue;
		}
		if ((rc = queue_tray_take(t, a, store_get_u64(k.data), &it, &past)) != 0)
			break;
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* One open case of a log the index does not cover: its tray key and due item. */
struct queue_tray_place {
	uint64_t tray;
	struct tray_item it;
};

static int
queue_tray_cmp(const void *pa, const void *pb)
{
	const struct queue_tray_place *x = pa, *y = pb;

	return x->tray < y->tray ? -1 : x->tray > y->tray;
}

/* Every open case's place, worked out from its records, in the tray's order. */
static int
queue_tray_places(struct store_txn *t, struct queue_page_arg *a,
    struct queue_tray_place **out, size_t *n)
{
	struct store_cursor *c;
	struct store_val k, v;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_cursor_open(t, TABLE_QUEUE, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		struct queue_entry e;
		struct case_state cs;
		struct due d;
		struct queue_tray_place *p;

		if (k.len != 8 || dlog_queue_entry(&v, &e) < 0)
			continue;
		if (++a->scanned % QUEUE_RELEASE_EVERY == 0)
			store_release_pages(t);
		if ((rc = dlog_case_state(t, e.id, e.len, &cs)) < 0 ||
		    (rc == 0 && (rc = dueindex_case_due(t, e.id, e.len, cs.awaiting_signoff,
		    a->f->cal, &d)) < 0))
			break;
		if (rc == 1) {
			rc = 0;
			continue;	/* the queue's own reading reports the unknown case */
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		p = &(*out)[(*n)++];
		p->it = (struct tray_item){ d.at, (int)d.what, d.urgency, store_get_u64(k.data),
		    cs.route, cs.awaiting_signoff != 0, cs.returned };
		p->tray = tray_key(&p->it);
	}
	store_cursor_close(c);
	if (rc < 0)
		return -1;
	qsort(*out, *n, sizeof **out, queue_tray_cmp);
	return 0;
}

/* The tray a page at a time, every open case read to sort them (the index is behind the log). */
static int
queue_tray_sorted_txn(struct store_txn *t, struct queue_page_arg *a)
{
	struct queue_tray_place *p;
	size_t n, i, past = 0;
	uint64_t from = a->before == 0 ? 0 : queue_tray_row_key(a->before);
	int rc = 0;

	if (queue_tray_places(t, a, &p, &n) < 0)
		return -1;
	if (!a->newer) {
		/* down the tray: from the first place after `from` */
		for (i = 0; a->before != 0 && i < n && p[i].tray <= from; i++)
			;
		for (; i < n && (rc = queue_tray_take(t, a, p[i].tray, &p[i].it, &past)) == 0; i++)
			;
	} else {
		/* up it: from the last place before `from` */
		for (i = 0; i < n && (a->before == 0 || p[i].tray < from); i++)
			;
		while (i-- > 0 && (rc = queue_tray_take(t, a, p[i].tray, &p[i].it, &past)) == 0)
			;
	}
	free(p);
	return rc < 0 ? -1 : 0;
}

static int
queue_tray_txn(struct store_txn *t, void *argp)
{
	struct queue_page_arg *a = argp;

	a->got = 0;
	a->more = 0;
	return a->indexed ? queue_tray_index_txn(t, a) : queue_tray_sorted_txn(t, a);
}

/* Whether the tray's index covers the log, then the page in the order asked for. */
static int
queue_any_txn(struct store_txn *t, void *argp)
{
	struct queue_page_arg *a = argp;
	int rc = dueindex_current(t);

	if (rc < 0)
		return -1;
	a->indexed = rc;
	return a->f->by_due ? queue_tray_txn(t, a) : queue_page_txn(t, a);
}

/* Reads one page in either direction (see queue_page and queue_page_newer). */
static int
page(struct store *s, const struct queue_filter *f, uint64_t key, int newer,
    struct queue_row *rows, size_t n, int *more, char **cause)
{
	static const struct queue_filter none = { -1, NULL, NULL, 0, NULL, NULL, 0, NULL };
	struct queue_page_arg a;
	int rc;

	memset(&a, 0, sizeof a);
	a.f = f != NULL ? f : &none;
	a.before = key;
	a.newer = newer;
	a.rows = rows;
	a.n = n;
	json_doc_init(&a.doc);
	buf_init(&a.name);
	buf_init(&a.district);
	buf_init(&a.received);
	rc = store_read(s, queue_any_txn, &a, cause);
	json_doc_free(&a.doc);
	buf_free(&a.name);
	buf_free(&a.district);
	buf_free(&a.received);
	if (more != NULL)
		*more = rc == 0 && a.more;
	return rc < 0 ? -1 : (int)a.got;
}

int
queue_page(struct store *s, const struct queue_filter *f, uint64_t before,
    struct queue_row *rows, size_t n, int *more, char **cause)
{
	return page(s, f, before, 0, rows, n, more, cause);
}

int
queue_page_newer(struct store *s, const struct queue_filter *f, uint64_t after,
    struct queue_row *rows, size_t n, int *more, char **cause)
{
	return page(s, f, after, 1, rows, n, more, cause);
}

static int
queue_counts_txn(struct store_txn *t, void *argp)
{
	unsigned long *counts = argp;
	uint64_t stored[ROUTE_COUNT + 1];

	if (dlog_open_counts(t, stored) < 0)
		return -1;
	for (int i = 0; i <= ROUTE_COUNT; i++)
		counts[i] = (unsigned long)stored[i];
	return 0;
}

int
queue_counts(struct store *s, unsigned long counts[ROUTE_COUNT + 1], char **cause)
{
	memset(counts, 0, (ROUTE_COUNT + 1) * sizeof counts[0]);
	return store_read(s, queue_counts_txn, counts, cause) < 0 ? -1 : 0;
}
