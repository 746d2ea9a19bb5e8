/* replay.h: re-deciding logged cases with the rule set each one recorded (or another). */
#ifndef FD_REPLAY_H
#define FD_REPLAY_H

#include "rules/engine.h"
#include "store/record.h"
#include "core/rulesets.h"

struct replayer {
	struct ruleset_cache *cache;
	int borrowed;			/* the cache is the caller's, not freed here */
	struct case_facts cf;
	const struct ruleset *cf_rs;	/* the rule set cf was set up for */
};

void replayer_init(struct replayer *rp);
/* The same, loading rule sets through a cache the caller keeps (and frees). */
void replayer_init_cached(struct replayer *rp, struct ruleset_cache *cache);
void replayer_free(struct replayer *rp);
/* Whether a record carries an engine recommendation that replay can check. */
int replay_applies(const struct record *r);
/*
 * Decides r's facts again with rs (or, when rs is NULL, with the rule set r
 * recorded, loaded from the store through t). -1 with cause if the facts no
 * longer parse or the rule set is missing.
 */
int replay_decide(struct replayer *rp, struct store_txn *t, const struct ruleset *rs,
    const struct record *r, struct decision *out, const struct ruleset **used, char **cause);

#endif
