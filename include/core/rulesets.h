/* rulesets.h: stored rule sets compiled for use: the one in force, and a cache for replay. */
#ifndef FD_RULESETS_H
#define FD_RULESETS_H

#include "rules/rules.h"
#include "store/rulestore.h"
#include "store/store.h"

/* Gets and compiles a stored rule set; -1 with the transaction's cause naming what failed. */
int rulesets_load(struct store_txn *t, const unsigned char hash[DIGEST_LEN], const char *what,
    struct ruleset **out);
/* Compiled rule sets by hash, so that replaying a long log compiles each once. */
struct ruleset_cache;
struct ruleset_cache *ruleset_cache_new(void);
void ruleset_cache_free(struct ruleset_cache *c);
/* The compiled rule set for hash, loading it from the store if needed; NULL with cause. */
const struct ruleset *ruleset_cache_get(struct ruleset_cache *c, struct store_txn *t,
    const unsigned char hash[DIGEST_LEN], char **cause);
/* Adds a rule set loaded some other way (it then belongs to the cache). */
void ruleset_cache_add(struct ruleset_cache *c, const unsigned char hash[DIGEST_LEN],
    struct ruleset *rs);

/*
 * The working-day calendar (time zone and bank holidays) of the rule set in
 * force, copied into *out (free it with calendar_free): timescales count the
 * working days of the council that publishes the rules.
 */
int rulesets_calendar_in_force(struct store *s, struct calendar *out, char **cause);

#endif
