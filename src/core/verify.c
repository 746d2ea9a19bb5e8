/* verify.c: verifies the log in parallel parts whose seams are checked after, then replays. */
#include "core/verify.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/dlog.h"
#include "core/casecheck.h"
#include "core/dueindex.h"
#include "core/peoplecheck.h"
#include "core/ledgercheck.h"
#include "store/pagecheck.h"
#include "core/replay.h"
#include "core/treecheck.h"
#include "store/tree.h"

#define PROGRESS_EVERY 65536
#define MAX_THREADS 8

/* One contiguous range of the log, verified on its own. */
struct part {
	struct store *s;
	const struct verify_opts *o;
	uint64_t from, to;		/* keys, inclusive */
	struct replayer rp;
	uint64_t expect;		/* the next sequence number (0: take the first seen) */
	unsigned char prev[DIGEST_LEN];
	int have_prev;			/* part 0 starts from the genesis */
	uint64_t first_seq, last_seq;
	unsigned char first_prev[DIGEST_LEN], last_hash[DIGEST_LEN];
	unsigned long records, replayed;
	struct verify_problem *problems;
	size_t nproblems, cap;
	int check_seen;
	struct treecheck tc;
	int tree_bad;
	const struct ledgercheck *lc;
	struct casecheck *cc;
	struct peoplecheck *pc;
	atomic_size_t *done;
	size_t total;
	int reports_progress;
};

/* Appends a problem whose text b holds (taken over). */
static void
push_problem(struct verify_problem **v, size_t *n, size_t *cap, uint64_t seq, struct buf *b)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[*n].seq = seq;
	(*v)[(*n)++].text = buf_steal(b);
}

static void
add_problem(struct verify_problem **v, size_t *n, size_t *cap, uint64_t seq,
    const struct record *r, const char *msg)
{
	struct buf b;

	buf_init(&b);
	buf_printf(&b, "seq %llu", (unsigned long long)seq);
	if (r != NULL && r->case_id.n > 0) {
		buf_adds(&b, " case ");
		for (size_t i = 0; i < r->case_id.n; i++) {
			unsigned char c = (unsigned char)r->case_id.p[i];
			buf_addc(&b, c >= 0x20 && c < 0x7f ? (char)c : '?');
		}
	}
	buf_adds(&b, ": ");
	/* bytes from a damaged record may be anything: keep to printable ASCII */
	for (const char *p = msg; *p; p++)
		buf_addc(&b, (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f ? *p : '?');
	push_problem(v, n, cap, seq, &b);
}

static void
problem(struct part *p, uint64_t seq, const struct record *r, const char *fmt, ...)
    FD_ATTR_PRINTF(4, 5);

static void
problem(struct part *p, uint64_t seq, const struct record *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	add_problem(&p->problems, &p->nproblems, &p->cap, seq, r, msg);
	free(msg);
}

static void
check_replay(struct part *p, struct store_txn *t, uint64_t seq, const struct record *r)
{
	const struct ruleset *rs;
	struct decision d;
	char *cause = NULL;

	if (r->kind == KIND_ROUTE && r->route != r->rec_route)
		problem(p, seq, r, "a 'route' record whose final route differs from the "
		    "recommendation");
	if (r->kind == KIND_OVERRIDE && (r->route == r->rec_route || r->rationale.n == 0))
		problem(p, seq, r, "an override without a different route and a rationale");
	if (!replay_applies(r))
		return;
	if (replay_decide(&p->rp, t, NULL, r, &d, &rs, &cause) < 0) {
		problem(p, seq, r, "cannot replay: %s", cause);
		free(cause);
		return;
	}
	p->replayed++;
	if ((int)d.route != r->rec_route || d.level != r->rec_level ||
	    d.need_level != r->need_level || strlen(rs->rules[d.rule].id) != r->rule.n ||
	    memcmp(rs->rules[d.rule].id, r->rule.p, r->rule.n) != 0)
		problem(p, seq, r, "recorded %.*s -> %s, but the rules now give %s -> %s",
		    (int)r->rule.n, r->rule.p,
		    r->rec_route == RECORD_NONE ? "none" : route_name((enum route_id)r->rec_route),
		    rs->rules[d.rule].id, route_name(d.route));
}

static void
check_sequence(struct part *p, uint64_t seq)
{
	if (p->expect != 0 && seq != p->expect) {
		if (seq > p->expect)
			problem(p, p->expect, NULL, "missing: the log jumps from %llu to %llu",
			    (unsigned long long)(p->expect - 1), (unsigned long long)seq);
		else
			problem(p, seq, NULL, "out of order or malformed key");
	}
	if (p->first_seq == 0)
		p->first_seq = seq;
	p->last_seq = seq;
	p->expect = seq + 1;
}

static void
tick(struct part *p)
{
	size_t done = atomic_fetch_add(p->done, 1) + 1;

	if (p->reports_progress && p->o->progress != NULL && done % PROGRESS_EVERY == 0)
		p->o->progress(done, p->total, p->o->progress_arg);
}

/* The record's leaf and the subtrees it completes, against the stored tree. */
static void
check_tree(struct part *p, struct store_txn *t, uint64_t seq, const struct store_val *raw,
    const struct record *r)
{
	const char *what;
	int rc = treecheck_record(&p->tc, t, seq, raw->data, raw->len, &what);

	if (rc == 0)
		return;
	p->tree_bad = 1;
	problem(p, seq, r, "%s", rc < 0 ? "the log's tree cannot be read here" : what);
}

static int
verify_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct part *p = arg;
	struct record r;
	const char *why;
	char *cause = NULL;

	tick(p);
	p->records++;
	if (seq == 0) {
		/* not part of the chain: report it where it sorts, and keep checking around it */
		uint64_t after = p->last_seq != 0 ? p->last_seq : p->from > 0 ? p->from - 1 : 0;

		if (after != 0)
			problem(p, after, NULL, "followed by a key that is not a sequence number");
		else
			problem(p, 0, NULL, "a key that is not a sequence number, before record 1");
		return 0;
	}
	check_sequence(p, seq);
	if (record_decode(raw->data, raw->len, &r, &cause) < 0) {
		problem(p, seq, NULL, "%s", cause);
		free(cause);
		/* keep chaining from the stored hash, so one damaged record is one problem */
		if (raw->len >= DIGEST_LEN) {
			memcpy(p->prev, (const char *)raw->data + raw->len - DIGEST_LEN, DIGEST_LEN);
			memcpy(p->last_hash, p->prev, DIGEST_LEN);
			p->have_prev = 1;
		}
		check_tree(p, t, seq, raw, NULL);
		return 0;
	}
	if (r.seq != seq)
		problem(p, seq, &r, "holds sequence number %llu", (unsigned long long)r.seq);
	if (!record_hash_ok(raw->data, raw->len))
		problem(p, seq, &r, "edited: its hash does not match its contents");
	if (seq == p->first_seq)
		memcpy(p->first_prev, r.prev, DIGEST_LEN);
	if (p->have_prev && memcmp(r.prev, p->prev, DIGEST_LEN) != 0)
		problem(p, seq, &r, "the chain is broken: it does not follow the record before it");
	if (p->o->have_check && seq == p->o->check_seq) {
		p->check_seen = 1;
		if (memcmp(r.hash, p->o->check_hash, DIGEST_LEN) != 0)
			problem(p, seq, &r, "differs from the checkpoint: history was rewritten");
	}
	memcpy(p->prev, r.hash, DIGEST_LEN);
	memcpy(p->last_hash, r.hash, DIGEST_LEN);
	p->have_prev = 1;
	check_tree(p, t, seq, raw, &r);
	casecheck_record(p->cc, &r);
	peoplecheck_record(p->pc, &r);
	if ((why = ledgercheck_record(p->lc, &r)) != NULL)
		problem(p, seq, &r, "%s", why);
	check_replay(p, t, seq, &r);
	return 0;
}

/*
 * The newest record's sequence number, past any malformed keys sorting after
 * it (the scan reports those): how long the log is, for the parts and progress.
 */
static int
head_txn(struct store_txn *t, void *arg)
{
	uint64_t *last = arg;

	if (tree_leaves(t, &last[1]) < 0)
		return -1;
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	*last = 0;
	if (store_cursor_open(t, TABLE_LOG, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_LAST, &k, &v); rc == 0 && k.len != 8;
	    rc = store_cursor_move(c, MOVE_PREV, &k, &v))
		;
	if (rc == 0)
		*last = store_get_u64(k.data);
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* The seam between two parts: no gap, and the chain runs on. */
static void
check_seam(const struct part *a, const struct part *b, struct verify_result *res, size_t *cap)
{
	struct part tmp;

	if (b->first_seq == 0)
		return;
	memset(&tmp, 0, sizeof tmp);
	if (a->last_seq != 0 && b->first_seq != a->last_seq + 1)
		problem(&tmp, a->last_seq + 1, NULL, "missing: the log jumps from %llu to %llu",
		    (unsigned long long)a->last_seq, (unsigned long long)b->first_seq);
	if (a->last_seq != 0 && memcmp(a->last_hash, b->first_prev, DIGEST_LEN) != 0)
		problem(&tmp, b->first_seq, NULL, "the chain is broken: it does not follow the "
		    "record before it");
	for (size_t i = 0; i < tmp.nproblems; i++)
		add_problem(&res->problems, &res->nproblems, cap, tmp.problems[i].seq, NULL,
		    strchr(tmp.problems[i].text, ':') + 2);
	for (size_t i = 0; i < tmp.nproblems; i++)
		free(tmp.problems[i].text);
	free(tmp.problems);
}

struct stored_checks {
	struct verify_result *res;
	size_t *cap;
};

/*
 * Every stored rule set must still hash to its name: one edited in place would
 * replay under the old name. Reported before the log's problems (as seq 0).
 */
static int
check_stored_rulesets(struct store_txn *t, void *argp)
{
	struct stored_checks *sc = argp;
	struct store_cursor *c;
	struct store_val k, val;
	int rc;

	if (store_cursor_open(t, TABLE_RULESETS, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &val); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &val)) {
		char hex[65];
		struct buf b;

		if (rulestore_intact(k.data, k.len, val.data, val.len))
			continue;
		buf_init(&b);
		if (k.len == DIGEST_LEN) {
			digest_hex(k.data, hex);
			buf_printf(&b, "rule set sha256:%s: altered: its stored bytes no longer "
			    "hash to its name", hex);
		} else
			buf_adds(&b, "rule sets: a malformed key (not a SHA-256)");
		push_problem(&sc->res->problems, &sc->res->nproblems, sc->cap, 0, &b);
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* A difference between the users or publications tables and the log (as seq 0). */
static void
table_problem(void *argp, const char *what)
{
	struct stored_checks *sc = argp;
	struct buf b;

	buf_init(&b);
	for (const char *p = what; *p; p++)
		buf_addc(&b, (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f ? *p : '?');
	push_problem(&sc->res->problems, &sc->res->nproblems, sc->cap, 0, &b);
}

/* A difference between the cases table, its index or the queue and the log. */
static void
case_problem(void *argp, uint64_t seq, const char *what)
{
	struct stored_checks *sc = argp;
	struct buf b;

	if (seq != 0) {
		add_problem(&sc->res->problems, &sc->res->nproblems, sc->cap, seq, NULL, what);
		return;
	}
	buf_init(&b);
	buf_printf(&b, "cases: %s", what);
	push_problem(&sc->res->problems, &sc->res->nproblems, sc->cap, 0, &b);
}

/* Every checkpoint stored in the database must still match the log. */
static int
check_stored_checkpoints(struct store_txn *t, void *argp)
{
	struct stored_checks *sc = argp;
	struct store_cursor *c;
	struct store_val k, val;
	int rc;

	if (store_cursor_open(t, TABLE_CHECKPOINTS, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &val); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &val)) {
		uint64_t seq = k.len == 8 ? store_get_u64(k.data) : 0;
		struct record r;
		char *cause = NULL;
		int got;

		if (seq == 0)
			continue;	/* a checkpoint of the empty log */
		got = dlog_get(t, seq, &r, &cause);
		if (got == 1)
			add_problem(&sc->res->problems, &sc->res->nproblems, sc->cap, seq, NULL,
			    "truncated: a stored checkpoint names this record, which is gone");
		else if (got < 0)
			free(cause);
		else if (val.len != DIGEST_LEN || memcmp(val.data, r.hash, DIGEST_LEN) != 0)
			add_problem(&sc->res->problems, &sc->res->nproblems, sc->cap, seq, &r,
			    "differs from a stored checkpoint");
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/*
 * LMDB trusts its pages, so they are checked from the file first: damage there
 * is the one problem reported (1), and the log is not read through LMDB. The
 * check maps the file itself: verify runs in a guarded child (guard.h).
 */
/*
 * The page check, run while a read transaction is open: writers then reuse no
 * page of the snapshot it reads (or any newer one), so a commit beside it
 * never reads as damage.
 */
struct pages_arg {
	struct store *s;
	int rc;
	char *what;
};

static int
pages_txn(struct store_txn *t, void *argp)
{
	struct pages_arg *pa = argp;

	(void)t;
	pa->rc = pagecheck_run(store_path(pa->s), 1, NULL, &pa->what);
	return 0;
}

static int
check_pages(struct store *s, struct verify_result *res, size_t *cap, char **cause)
{
	struct pages_arg pa = { s, 0, NULL };
	char *what;
	struct buf b;
	int rc;

	if (store_read(s, pages_txn, &pa, cause) < 0) {
		/* no transaction to be had: check the pages as they stand */
		free(*cause);
		*cause = NULL;
		pa.rc = pagecheck_run(store_path(s), 1, NULL, &pa.what);
	}
	rc = pa.rc;
	what = pa.what;

	if (rc <= 0) {
		*cause = what;
		return rc;
	}
	buf_init(&b);
	buf_printf(&b, "%s; the log was not read further", what);
	free(what);
	push_problem(&res->problems, &res->nproblems, cap, 0, &b);
	return 1;
}

/* Joins the parts' findings in sequence order, with the seams between them. */
static void
merge_parts(struct part *parts, int n, struct verify_result *res, size_t *cap)
{
	int seen = 0;

	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i];

		if (i > 0)
			check_seam(&parts[i - 1], p, res, cap);
		for (size_t k = 0; k < p->nproblems; k++) {
			if (res->nproblems == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				res->problems = xreallocarray(res->problems, *cap, sizeof *res->problems);
			}
			res->problems[res->nproblems++] = p->problems[k];
		}
		free(p->problems);
		res->records += p->records;
		res->replayed += p->replayed;
		seen |= p->check_seen;
		/* a part with no records passes its seam on to the next */
		if (p->first_seq == 0 && i > 0) {
			p->last_seq = parts[i - 1].last_seq;
			memcpy(p->last_hash, parts[i - 1].last_hash, DIGEST_LEN);
		}
	}
	if (parts[0].o->have_check && !seen && parts[0].o->check_seq > 0) {
		struct part tmp;

		memset(&tmp, 0, sizeof tmp);
		problem(&tmp, parts[0].o->check_seq, NULL, "truncated: the checkpoint names this "
		    "record, but the log ends at %llu", (unsigned long long)parts[n - 1].last_seq);
		add_problem(&res->problems, &res->nproblems, cap, tmp.problems[0].seq, NULL,
		    strchr(tmp.problems[0].text, ':') + 2);
		free(tmp.problems[0].text);
		free(tmp.problems);
	}
}

static int
problem_order(const void *a, const void *b)
{
	const struct verify_problem *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Puts the problems in sequence order, those of one record in the order found. */
static void
sort_problems(struct verify_result *res)
{
	for (size_t i = 0; i < res->nproblems; i++)
		res->problems[i].order = i;
	if (res->nproblems > 1)
		qsort(res->problems, res->nproblems, sizeof res->problems[0], problem_order);
}

/* A problem found after the parts, outside any record's own checks. */
static void
late_problem(struct verify_result *res, size_t *cap, uint64_t seq, const char *fmt, ...)
    FD_ATTR_PRINTF(4, 5);

static void
late_problem(struct verify_result *res, size_t *cap, uint64_t seq, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	add_problem(&res->problems, &res->nproblems, cap, seq, NULL, msg);
	free(msg);
}

struct root_arg {
	uint64_t size;
	unsigned char root[DIGEST_LEN];
};

static int
stored_root_txn(struct store_txn *t, void *argp)
{
	struct root_arg *a = argp;
	struct merkle_reader r;

	tree_reader(t, &r);
	return merkle_root(&r, a->size, a->root);
}

/*
 * The tree as a whole: no longer than the log, and, for a signed checkpoint,
 * its root at the checkpoint's size: from the stored tree when every part
 * found it sound, else computed again from the records alone.
 */
static int
check_tree_end(struct store *s, const struct verify_opts *o, const struct part *parts, int n,
    struct verify_result *res, size_t *cap, char **cause)
{
	uint64_t records = parts[n - 1].last_seq, have = records;
	struct root_arg a;
	int bad = 0;

	for (int i = 0; i < n; i++)
		bad |= parts[i].tree_bad;
	if (res->tree_leaves > records)
		late_problem(res, cap, records + 1, "truncated: the log's tree holds %llu records, "
		    "but the log ends at %llu", (unsigned long long)res->tree_leaves,
		    (unsigned long long)records);
	if (!o->have_tree_check)
		return 0;
	a.size = o->tree_size;
	if (!bad && res->tree_leaves >= a.size && a.size <= records) {
		if (store_read(s, stored_root_txn, &a, cause) < 0)
			return -1;
	} else if (treecheck_root_from_log(s, a.size, a.root, &have, cause) < 0)
		return -1;
	if (have < a.size)
		late_problem(res, cap, a.size, "truncated: the signed checkpoint covers %llu "
		    "records, but the log holds %llu in sequence", (unsigned long long)a.size,
		    (unsigned long long)have);
	else if (memcmp(a.root, o->tree_root, DIGEST_LEN) != 0)
		late_problem(res, cap, a.size, "differs from the signed checkpoint of %llu records: "
		    "history was rewritten", (unsigned long long)a.size);
	else
		res->tree_root_checked = 1;
	return 0;
}

int
verify_run(struct store *s, const struct verify_opts *o, struct verify_result *res,
    char **cause)
{
	uint64_t last[2];
	struct part parts[MAX_THREADS];
	struct dlog_part scan[MAX_THREADS];
	struct stored_checks sc;
	struct ledgercheck lc;
	struct casecheck cc;
	struct peoplecheck pc;
	atomic_size_t done = 0;
	char *first = NULL;
	size_t cap = 0;
	int n, rc = 0;

	memset(res, 0, sizeof *res);
	if (check_pages(s, res, &cap, cause) != 0)
		return res->nproblems > 0 ? 0 : -1;
	if (store_read(s, head_txn, last, cause) < 0)
		return -1;
	res->tree_leaves = last[1];
	if (ledgercheck_load(s, &lc, cause) < 0)
		return -1;
	if (casecheck_init(&cc, s, last[0], cause) < 0) {
		ledgercheck_free(&lc);
		return -1;
	}
	peoplecheck_init(&pc, cc.n);
	n = dlog_part_count(last[0], o->threads, MAX_THREADS);
	memset(parts, 0, sizeof parts);
	memset(scan, 0, sizeof scan);
	dlog_split(scan, n, last[0]);
	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i];

		p->s = s;
		p->o = o;
		p->from = scan[i].from;
		p->to = scan[i].to;
		p->expect = i == 0 ? 1 : 0;
		p->have_prev = i == 0;	/* prev starts as the genesis: zeros */
		p->done = &done;
		p->total = last[0];
		treecheck_init(&p->tc, last[1]);
		p->reports_progress = i == 0;
		p->lc = &lc;
		p->cc = &cc;
		p->pc = &pc;
		if (n == 1 && o->cache != NULL)
			replayer_init_cached(&p->rp, o->cache);
		else
			replayer_init(&p->rp);
		scan[i].fn = verify_one;
		scan[i].arg = p;
	}
	if (dlog_scan_parts(s, scan, n) < 0)
		rc = -1;	/* the first failing part's cause is reported */
	for (int i = 0; i < n; i++) {
		if (scan[i].rc < 0 && first == NULL)
			first = scan[i].cause;
		else
			free(scan[i].cause);
		replayer_free(&parts[i].rp);
		treecheck_free(&parts[i].tc);
	}
	merge_parts(parts, n, res, &cap);
	if (rc < 0) {
		*cause = first != NULL ? first : xstrdup("cannot read the log");
		ledgercheck_free(&lc);
		casecheck_free(&cc);
		peoplecheck_free(&pc);
		return -1;
	}
	sc.res = res;
	sc.cap = &cap;
	if (check_tree_end(s, o, parts, n, res, &cap, cause) < 0 ||
	    store_read(s, check_stored_checkpoints, &sc, cause) < 0 ||
	    store_read(s, check_stored_rulesets, &sc, cause) < 0 ||
	    ledgercheck_tables(s, &lc, table_problem, &sc, cause) < 0 ||
	    casecheck_tables(s, &cc, case_problem, &sc, cause) < 0 ||
	    peoplecheck_table(s, &pc, last[0], case_problem, &sc, cause) < 0 ||
	    dueindex_check(s, case_problem, &sc, cause) < 0)
		rc = -1;
	ledgercheck_free(&lc);
	casecheck_free(&cc);
	peoplecheck_free(&pc);
	if (rc < 0)
		return -1;
	sort_problems(res);
	return 0;
}

void
verify_result_free(struct verify_result *res)
{
	for (size_t i = 0; i < res->nproblems; i++)
		free(res->problems[i].text);
	free(res->problems);
	memset(res, 0, sizeof *res);
}
