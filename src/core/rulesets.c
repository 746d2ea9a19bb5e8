/* rulesets.c: compiles rule sets kept in the store, once each, for deciding and replay. */
#include "core/rulesets.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "core/actions.h"

int
rulesets_load(struct store_txn *t, const unsigned char hash[DIGEST_LEN], const char *what,
    struct ruleset **out)
{
	struct store_val v;
	struct diag d;
	char hex[65];
	int rc = rulestore_get(t, hash, &v);

	*out = NULL;
	digest_hex(hash, hex);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return store_fail(t, "%s (sha256:%.12s) is missing from the database", what, hex);
	if (rc == RULESTORE_ALTERED)
		return store_fail(t, "%s (sha256:%.12s) has been altered in the database: its "
		    "bytes no longer hash to its name (run frontdoor verify)", what, hex);
	diag_init(&d, what, v.data, v.len);
	*out = rules_load_buffer(v.data, v.len, &d);
	diag_free(&d);
	return *out == NULL ? store_fail(t, "%s (sha256:%.12s) no longer loads", what, hex) : 0;
}

struct cache_entry {
	unsigned char hash[DIGEST_LEN];
	struct ruleset *rs;	/* NULL: it cannot be used, for the reason below */
	char *why;
};

struct ruleset_cache {
	struct cache_entry *v;
	size_t n;
	size_t last;		/* most decisions in a row share a rule set */
};

struct ruleset_cache *
ruleset_cache_new(void)
{
	return xcalloc(1, sizeof(struct ruleset_cache));
}

void
ruleset_cache_free(struct ruleset_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		rules_free(c->v[i].rs);
		free(c->v[i].why);
	}
	free(c->v);
	free(c);
}

void
ruleset_cache_add(struct ruleset_cache *c, const unsigned char hash[DIGEST_LEN], struct ruleset *rs)
{
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	memcpy(c->v[c->n].hash, hash, DIGEST_LEN);
	c->v[c->n].rs = rs;
	c->v[c->n].why = NULL;
	c->last = c->n++;
}

/* The entry's rule set, or NULL with its reason (a rule set that failed fails once). */
static const struct ruleset *
cache_answer(const struct cache_entry *e, char **cause)
{
	if (e->rs == NULL)
		*cause = xstrdup(e->why);
	return e->rs;
}

const struct ruleset *
ruleset_cache_get(struct ruleset_cache *c, struct store_txn *t, const unsigned char hash[DIGEST_LEN],
    char **cause)
{
	struct store_val v;
	struct ruleset *rs;
	struct diag d;
	char hex[65];
	int rc;

	if (c->n > 0 && memcmp(c->v[c->last].hash, hash, DIGEST_LEN) == 0)
		return cache_answer(&c->v[c->last], cause);
	for (size_t i = 0; i < c->n; i++)
		if (memcmp(c->v[i].hash, hash, DIGEST_LEN) == 0) {
			c->last = i;
			return cache_answer(&c->v[i], cause);
		}
	digest_hex(hash, hex);
	rc = rulestore_get(t, hash, &v);
	if (rc < 0) {
		*cause = xasprintf("rule set sha256:%s cannot be read", hex);
		return NULL;	/* not cached: a read error may pass */
	}
	rs = NULL;
	if (rc == 0) {
		diag_init(&d, "stored rule set", v.data, v.len);
		rs = rules_load_buffer(v.data, v.len, &d);
		diag_free(&d);
	}
	ruleset_cache_add(c, hash, rs);
	if (rs == NULL)
		c->v[c->last].why = rc == 1 ?
		    xasprintf("rule set sha256:%s is not in the database", hex) :
		    rc == RULESTORE_ALTERED ? xasprintf("stored rule set sha256:%s has been "
		    "altered: its bytes no longer hash to its name", hex) :
		    xasprintf("stored rule set sha256:%s no longer loads", hex);
	return cache_answer(&c->v[c->last], cause);
}

int
rulesets_calendar_in_force(struct store *s, struct calendar *out, char **cause)
{
	struct ruleset *rs;

	memset(out, 0, sizeof *out);
	if (action_rules_in_force(s, &rs, cause) < 0)
		return -1;
	calendar_copy(out, rules_calendar(rs));
	rules_free(rs);
	return 0;
}
