/* replay.c: decides a logged case again, for verification and what-if analysis. */
#include "core/replay.h"

#include <stdlib.h>
#include <string.h>

void
replayer_init(struct replayer *rp)
{
	memset(rp, 0, sizeof *rp);
	rp->cache = ruleset_cache_new();
}

void
replayer_init_cached(struct replayer *rp, struct ruleset_cache *cache)
{
	memset(rp, 0, sizeof *rp);
	rp->cache = cache;
	rp->borrowed = 1;
}

void
replayer_free(struct replayer *rp)
{
	if (rp->cf_rs != NULL)
		case_free(&rp->cf);
	if (!rp->borrowed)
		ruleset_cache_free(rp->cache);
	memset(rp, 0, sizeof *rp);
}

int
replay_applies(const struct record *r)
{
	return r->rec_route != RECORD_NONE && r->has_ruleset && r->facts.n > 0;
}

int
replay_decide(struct replayer *rp, struct store_txn *t, const struct ruleset *rs,
    const struct record *r, struct decision *out, const struct ruleset **used, char **cause)
{
	if (rs == NULL) {
		rs = ruleset_cache_get(rp->cache, t, r->ruleset, cause);
		if (rs == NULL)
			return -1;
	}
	if (rp->cf_rs != rs) {
		if (rp->cf_rs != NULL)
			case_free(&rp->cf);
		case_init(&rp->cf, rs);
		rp->cf.logged = 1;
		rp->cf_rs = rs;
	}
	if (used != NULL)
		*used = rs;
	if (case_parse(&rp->cf, r->facts.p, r->facts.n, cause) < 0)
		return -1;
	if (engine_decide(rs, &rp->cf, out, NULL) < 0) {
		*cause = xstrdup("no rule matched");
		return -1;
	}
	return 0;
}
