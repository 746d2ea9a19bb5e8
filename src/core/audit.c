/* audit.c: re-referrals, the what-if replay table and the counterfactual search, for both front ends. */
#include "core/audit.h"

#include <stdlib.h>
#include <string.h>

#include "base/sanitise.h"
#include "store/dlog.h"

/* ---- re-referrals ---- */

int
audit_rereferral(int64_t earlier, int64_t at)
{
	return earlier > 0 && at > 0 && earlier <= at && at - earlier <= AUDIT_REREFERRAL_WINDOW;
}

size_t
audit_rereferrals(const int64_t *earlier, size_t n, int64_t at, int64_t *latest)
{
	size_t c = 0;

	*latest = 0;
	for (size_t i = 0; i < n; i++) {
		if (earlier[i] <= 0 || earlier[i] > at)
			continue;
		if (earlier[i] > *latest)
			*latest = earlier[i];
		c += (size_t)audit_rereferral(earlier[i], at);
	}
	return c;
}

int
audit_contact(struct map *cases, const char *case_id, size_t len, int64_t received)
{
	int added;
	int64_t *prev = map_put(cases, case_id, len, 0, &added);
	int re = !added && audit_rereferral(*prev, received);

	*prev = received;
	return re;
}

/* ---- what-if ---- */

void
audit_whatif_init(struct audit_whatif *w, const struct ruleset *candidate, size_t keep)
{
	memset(w, 0, sizeof *w);
	w->candidate = candidate;
	w->keep = keep;
}

static void
moves_free(struct audit_moves *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].case_id);
		free(m->v[i].cause);
	}
	free(m->v);
	memset(m, 0, sizeof *m);
}

void
audit_whatif_free(struct audit_whatif *w)
{
	moves_free(&w->moves);
	moves_free(&w->rejected);
	memset(w, 0, sizeof *w);
}

/* Lists one decision, unless `keep` are listed already; takes cause. */
static void
moves_add(struct audit_moves *m, size_t keep, uint64_t seq, const struct record *r, int to,
    int rule, char *cause)
{
	struct audit_move *mv;

	if (keep != 0 && m->n >= keep) {
		free(cause);
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	mv = &m->v[m->n++];
	mv->seq = seq;
	mv->case_id = xmalloc(r->case_id.n + 1);
	sanitise_text(r->case_id.p != NULL ? r->case_id.p : "", r->case_id.n, mv->case_id,
	    r->case_id.n + 1);
	mv->from = r->rec_route;
	mv->to = to;
	mv->rule = rule;
	mv->cause = cause;
}

void
audit_whatif_record(struct audit_whatif *w, struct replayer *rp, struct store_txn *t,
    uint64_t seq, const struct record *r)
{
	struct decision d;
	char *cause = NULL;

	if (!replay_applies(r) || r->rec_route < 0 || r->rec_route >= ROUTE_COUNT)
		return;
	if (replay_decide(rp, t, w->candidate, r, &d, NULL, &cause) < 0) {
		/* the reasons name no case data: an indicator's place in the list, a field */
		w->failed++;
		moves_add(&w->rejected, w->keep, seq, r, -1, -1, cause);
		return;
	}
	w->replayed++;
	w->matrix[r->rec_route][d.route]++;
	if ((int)d.route == r->rec_route)
		return;
	w->moved++;
	moves_add(&w->moves, w->keep, seq, r, (int)d.route, d.rule, NULL);
}

/* Appends one list to another, taking its entries; beyond `keep` they are dropped. */
static void
moves_take(struct audit_moves *into, struct audit_moves *from, size_t keep)
{
	for (size_t i = 0; i < from->n; i++) {
		if ((keep != 0 && into->n >= keep)) {
			free(from->v[i].case_id);
			free(from->v[i].cause);
			continue;
		}
		if (into->n == into->cap) {
			into->cap = into->cap ? into->cap * 2 : 64;
			into->v = xreallocarray(into->v, into->cap, sizeof *into->v);
		}
		into->v[into->n++] = from->v[i];
	}
	from->n = 0;
	moves_free(from);
}

/* Adds a later part's findings to the first: matrices summed, lists kept in log order. */
static void
whatif_merge(struct audit_whatif *into, struct audit_whatif *part)
{
	for (int r = 0; r < ROUTE_COUNT; r++)
		for (int c = 0; c < ROUTE_COUNT; c++)
			into->matrix[r][c] += part->matrix[r][c];
	into->replayed += part->replayed;
	into->failed += part->failed;
	into->moved += part->moved;
	moves_take(&into->moves, &part->moves, into->keep);
	moves_take(&into->rejected, &part->rejected, into->keep);
}

#define WHATIF_MAX_PARTS 8

struct whatif_part {
	struct audit_whatif w;
	struct replayer rp;
};

static int
whatif_one(struct store_txn *t, uint64_t seq, const struct store_val *raw, void *arg)
{
	struct whatif_part *p = arg;
	struct record r;
	char *cause = NULL;

	if (record_decode(raw->data, raw->len, &r, &cause) < 0) {
		free(cause);
		return 0;
	}
	audit_whatif_record(&p->w, &p->rp, t, seq, &r);
	return 0;
}

static int
head_txn(struct store_txn *t, void *arg)
{
	return dlog_head(t, arg);
}

int
audit_whatif_run(struct store *s, struct audit_whatif *w, char **cause)
{
	struct whatif_part part[WHATIF_MAX_PARTS];
	struct dlog_part scan[WHATIF_MAX_PARTS];
	struct dlog_head head;
	int n, rc;

	if (store_read(s, head_txn, &head, cause) < 0)
		return -1;
	n = dlog_part_count(head.seq, 0, WHATIF_MAX_PARTS);
	if (n < 1 || n > WHATIF_MAX_PARTS)	/* never, but the bounds are this function's */
		n = 1;
	memset(scan, 0, sizeof scan);
	dlog_split(scan, n, head.seq);
	for (int i = 0; i < n; i++) {
		audit_whatif_init(&part[i].w, w->candidate, w->keep);
		replayer_init(&part[i].rp);
		scan[i].fn = whatif_one;
		scan[i].arg = &part[i];
	}
	rc = dlog_scan_parts(s, scan, n);
	for (int i = 0; i < n; i++) {
		if (rc < 0 && scan[i].rc < 0 && *cause == NULL)
			*cause = scan[i].cause;
		else
			free(scan[i].cause);
		whatif_merge(w, &part[i].w);
		replayer_free(&part[i].rp);
	}
	return rc < 0 ? -1 : 0;
}

/* ---- counterfactuals ---- */

int
audit_consent_fact(const struct ruleset *rs)
{
	for (size_t k = 0; k < rs->nfacts; k++)
		if (strcmp(rs->facts[k].path, "consent") == 0 && rs->facts[k].type == FACT_STRING &&
		    rs->facts[k].nvalues > 0)
			return (int)k;
	return -1;
}

static void
change_add(struct audit_change **out, size_t *n, size_t *cap, struct audit_change c)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*out = xreallocarray(*out, *cap, sizeof **out);
	}
	(*out)[(*n)++] = c;
}

void
audit_changes(struct case_facts *cf, const struct decision *dec, struct audit_change **out,
    size_t *n, size_t *cap)
{
	const struct ruleset *rs = cf->rs;
	struct decision d;
	int fi = audit_consent_fact(rs);

	*n = 0;
	for (size_t i = 0; i < rs->nindicators; i++) {
		case_toggle_indicator(cf, (int)i);
		if (engine_decide(rs, cf, &d, NULL) == 0 && d.route != dec->route)
			change_add(out, n, cap, (struct audit_change){ (int)i, -1,
			    case_has_indicator(cf, (int)i), d.route, d.rule });
		case_toggle_indicator(cf, (int)i);
	}
	if (fi < 0 || !cf->facts[fi].present || cf->facts[fi].enum_index < 0)
		return;
	for (size_t k = 0; k < rs->facts[fi].nvalues; k++) {
		int was;

		if ((int)k == cf->facts[fi].enum_index)
			continue;
		was = case_set_choice(cf, fi, (int)k);
		if (engine_decide(rs, cf, &d, NULL) == 0 && d.route != dec->route)
			change_add(out, n, cap, (struct audit_change){ -1, (int)k, 0, d.route,
			    d.rule });
		case_set_choice(cf, fi, was);
	}
}
