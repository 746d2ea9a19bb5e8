/* audit.h: the audit rules both front ends share: re-referrals, what-if tables, counterfactuals. */
#ifndef FD_AUDIT_H
#define FD_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/map.h"
#include "core/replay.h"
#include "rules/engine.h"
#include "store/record.h"
#include "store/store.h"

/* ---- re-referrals ---- */

#define AUDIT_REREFERRAL_DAYS 365
#define AUDIT_REREFERRAL_WINDOW (AUDIT_REREFERRAL_DAYS * INT64_C(86400))

/*
 * Whether a contact received at `at` re-refers one received at `earlier`:
 * both known (a time of 0 or less is unknown) and the earlier one at most
 * 365 days before, and not after.
 */
int audit_rereferral(int64_t earlier, int64_t at);
/* How many of a child's earlier receipts re-refer at `at`; *latest: the latest not after it. */
size_t audit_rereferrals(const int64_t *earlier, size_t n, int64_t at, int64_t *latest);

/*
 * Feeds a case's contacts in log order: whether this one, received at
 * `received` (0: unknown), re-refers the case's previous contact.
 */
int audit_contact(struct map *cases, const char *case_id, size_t len, int64_t received);

/* ---- what-if: every logged decision replayed under a candidate rule set ---- */

/* A decision the candidate routes elsewhere (or, in `rejected`, cannot route). */
struct audit_move {
	uint64_t seq;
	char *case_id;			/* sanitised */
	int from, to;			/* recorded and candidate routes (to: -1 if rejected) */
	int rule;			/* the candidate's rule (index), or -1 */
	char *cause;			/* why the candidate cannot route it, or NULL */
};

struct audit_moves {
	struct audit_move *v;
	size_t n, cap;
};

struct audit_whatif {
	const struct ruleset *candidate;
	size_t keep;			/* moves and rejections listed at most (0: all) */
	unsigned long matrix[ROUTE_COUNT][ROUTE_COUNT];	/* [recorded][candidate] */
	unsigned long replayed, failed, moved;
	struct audit_moves moves, rejected;	/* in log order */
};

void audit_whatif_init(struct audit_whatif *w, const struct ruleset *candidate, size_t keep);
void audit_whatif_free(struct audit_whatif *w);
/* Replays one logged record (records without a recommendation are skipped). */
void audit_whatif_record(struct audit_whatif *w, struct replayer *rp, struct store_txn *t,
    uint64_t seq, const struct record *r);
/* Replays the whole log in parallel parts, after filling w with audit_whatif_init. */
int audit_whatif_run(struct store *s, struct audit_whatif *w, char **cause);

/* ---- counterfactuals: which single change to a case would change its route ---- */

struct audit_change {
	int indicator;			/* toggling this indicator, or -1 */
	int consent;			/* or consent becoming this value (index), or -1 */
	int add;			/* the indicator would be added (1) or removed (0) */
	enum route_id route;
	int rule;
};

/* The rule set's consent fact (a string with a closed set of values), or -1. */
int audit_consent_fact(const struct ruleset *rs);
/*
 * Tries each single change to a parsed case routed as `dec`: every indicator
 * added or removed, consent given each other value. Keeps in *out (n, cap)
 * those that change the route; cf is left as it was.
 */
void audit_changes(struct case_facts *cf, const struct decision *dec,
    struct audit_change **out, size_t *n, size_t *cap);

#endif
