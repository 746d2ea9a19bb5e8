/* history.h: a child's history worked out from the log, as facts the rules read and the record keeps. */
#ifndef FD_HISTORY_H
#define FD_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "rules/engine.h"
#include "rules/rules.h"
#include "store/store.h"

/*
 * What the log says about a case before a new contact, at the contact's
 * receipt (or the decision's time when the contact gives none). Rules read
 * it as the facts under `history.` (see history_fact_names); the values used
 * are written into the decision's facts, so replay and what-if read them
 * back exactly, whatever is recorded later.
 */
struct history {
	unsigned contacts;	/* earlier route and override records */
	unsigned contacts_12m;	/* of those, received within the 365 days before */
	int last_route;		/* the final route of the latest, or -1 */
	int64_t last_closed;	/* the latest outcome's time, or 0 */
	int months_since_closure;	/* whole months from it to the contact, or -1 */
	int early_help_declined;	/* an episode closed because consent was withdrawn */
	int stepped_up;		/* the case was stepped up to the MASH before */
	uint64_t last_seq;	/* the case's newest record when read (0: a new case) */
};

/* The facts history fills, as `history.NAME`, for the manual and the checker. */
extern const char *const history_fact_names[];
extern const size_t history_nfact_names;

/* Whether the rule set declares a fact under `history.`: then decisions get one. */
int history_used(const struct ruleset *rs);
/*
 * Reads the case's records in the transaction and works out its history as
 * of `at` (seconds, UTC), reading outcome codes as rs does. -1 (transaction
 * failed, cause set) if the log is damaged.
 */
int history_read(struct store_txn *t, const struct ruleset *rs, const char *case_id, size_t len,
    int64_t at, struct history *h);
/*
 * The contact's receipt time from its facts ("received"), or `fallback` when
 * it gives none that parses.
 */
int64_t history_contact_time(const char *facts, size_t len, int64_t fallback);
/*
 * Writes the case's facts with a `history` object of the facts the rule set
 * declares under `history.` added as the last member. -1 with a cause if the
 * facts already have one (frontdoor works it out; a caller does not give it)
 * or are not one JSON object.
 */
int history_add_to_facts(const struct ruleset *rs, const struct history *h, const char *facts,
    size_t len, struct buf *out, char **cause);
/*
 * Decides a case inside a write transaction with the history the log holds
 * for it there (so a case seen twice in one transaction sees its first
 * decision): facts_out gets the facts as they are to be logged, and cf, dec
 * and tr what case_parse and engine_decide make of them. now: the time to
 * count from if the case gives no receipt. 0 decided; 1 refused, with
 * *cause (the case gives history facts itself, or no rule matched); -1 the
 * transaction failed.
 */
int history_decide(struct store_txn *t, const struct ruleset *rs, const char *facts, size_t len,
    int64_t now, struct buf *facts_out, struct case_facts *cf, struct decision *dec,
    struct trace *tr, char **cause);
/*
 * What a decision on the case would read now, for a screen that shows the
 * recommendation before it is logged: the facts with the case's history
 * added (read in a transaction of its own; at: the time to count from if
 * the case gives no receipt). The decision itself reads it again when it is
 * logged (action_decide).
 */
int history_preview(struct store *s, const struct ruleset *rs, const char *facts, size_t len,
    int64_t now, struct buf *out, char **cause);

#endif
