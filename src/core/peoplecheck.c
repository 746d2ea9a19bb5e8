/* peoplecheck.c: rebuilds the person index from the log as per-record sums and compares the table. */
#include "core/peoplecheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "store/people.h"

#define RELEASE_EVERY 65536	/* entries walked between dropping the pages read */

/* FNV-1a over an entry's key and value: one changed byte always changes it. */
static uint64_t
entry_hash(const void *key, size_t klen, const void *val, size_t vlen)
{
	const unsigned char *p = key;
	uint64_t h = 14695981039346656037u;

	for (size_t i = 0; i < klen; i++)
		h = (h ^ p[i]) * 1099511628211u;
	h = (h ^ 0xff) * 1099511628211u;
	p = val;
	for (size_t i = 0; i < vlen; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return h;
}

void
peoplecheck_init(struct peoplecheck *pc, uint64_t n)
{
	pc->n = n;
	pc->sum = xcalloc((size_t)n + 1, sizeof *pc->sum);
}

void
peoplecheck_free(struct peoplecheck *pc)
{
	free(pc->sum);
	memset(pc, 0, sizeof *pc);
}

void
peoplecheck_record(struct peoplecheck *pc, const struct record *r)
{
	struct people_keys keys;

	if (r->seq == 0 || r->seq > pc->n)
		return;
	people_record_keys(r, &keys);
	for (size_t i = 0; i < keys.n; i++)
		pc->sum[r->seq] += entry_hash(keys.key[i], keys.len[i], r->case_id.p, r->case_id.n);
}

/* What the walk shares with its transaction. */
struct walk {
	struct peoplecheck *pc;
	uint64_t scanned, upto;
	casecheck_problem_fn problem;
	void *arg;
	int built;
};

static int
walk_txn(struct store_txn *t, void *argp)
{
	struct walk *w = argp;
	struct store_cursor *c;
	struct store_val k, v;
	size_t walked = 0, held;
	int rc, malformed = 0;

	if (people_indexed(t, &w->upto) < 0 || store_count(t, TABLE_PEOPLE, &held) < 0)
		return -1;
	w->built = w->upto > 0 || held > 0;
	if (!w->built)
		return 0;
	if (store_cursor_open(t, TABLE_PEOPLE, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		const char *text;
		size_t n;
		uint64_t seq;
		int tag;

		if (++walked % RELEASE_EVERY == 0)
			store_release_pages(t);
		if (people_key_split(&k, &tag, &text, &n, &seq) < 0 || seq == 0) {
			malformed++;
			continue;
		}
		if (seq > w->scanned || seq > w->upto)
			continue;	/* written after the log was read */
		if (seq > w->pc->n) {
			w->problem(w->arg, seq, "the person index has entries for a record the "
			    "log does not hold");
			continue;
		}
		w->pc->sum[seq] -= entry_hash(k.data, k.len, v.data, v.len);
	}
	store_cursor_close(c);
	if (malformed > 0)
		w->problem(w->arg, 0, "the person index holds malformed entries");
	return rc < 0 ? -1 : 0;
}

int
peoplecheck_table(struct store *s, struct peoplecheck *pc, uint64_t scanned,
    casecheck_problem_fn problem, void *arg, char **cause)
{
	struct walk w = { pc, scanned, 0, problem, arg, 0 };
	uint64_t last;

	if (store_read(s, walk_txn, &w, cause) < 0)
		return -1;
	if (!w.built)
		return 0;
	last = scanned < pc->n ? scanned : pc->n;
	if (w.upto < last) {
		char msg[160];

		snprintf(msg, sizeof msg, "the person index stops at record %llu of %llu",
		    (unsigned long long)w.upto, (unsigned long long)last);
		problem(arg, 0, msg);
		last = w.upto;
	}
	for (uint64_t seq = 1; seq <= last; seq++)
		if (pc->sum[seq] != 0)
			problem(arg, seq, "its entries in the person index differ from what the "
			    "record gives");
	return 0;
}
