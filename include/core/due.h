/* due.h: what is due on an open case and by when: the one timescale rule of the tray. */
#ifndef FD_DUE_H
#define FD_DUE_H

#include <stdint.h>

#include "base/calendar.h"
#include "base/json.h"
#include "store/record.h"

/*
 * A RED contact at the MASH is decided within this many hours of its
 * receipt, night, weekend or bank holiday alike (a red rating is seen
 * through to a decision out of hours too); any other within one working
 * day: by the end of the next working day after the local day it came in.
 */
#define DUE_RED_HOURS 4

/* What a due time is for; the order is the tray's legend order. */
enum due_what {
	DUE_NOTHING,
	DUE_MASH_DECISION,	/* a contact open at the MASH */
	DUE_STEP_UP,		/* a step-up to the MASH awaiting its decision */
	DUE_SIGN_OFF,		/* a change awaiting a manager's sign-off */
	DUE_WHAT_COUNT
};

/* The due item of a case: the earliest due time among its open items. */
struct due {
	enum due_what what;
	int64_t at;		/* the instant it is due, 0 when nothing is */
	int urgency;		/* the highest open urgency (enum urgency) */
};

/* Walks one case's records in order, keeping what is still open at the MASH. */
struct due_walk {
	const struct calendar *cal;
	uint64_t awaiting;	/* the record awaiting sign-off (case_state), or 0 */
	struct due mash;	/* the open MASH items: earliest due, highest urgency */
	int64_t signoff_from;	/* when the change awaiting sign-off was made, or 0 */
	int urgency;		/* the highest urgency among the open contacts */
};

const char *due_what_name(enum due_what w);
/* The urgency an urgency name gives ("red"), URGENCY_NONE for none or any other text. */
int due_urgency_parse(const char *s, size_t n);
/*
 * The urgency a record's detail gives: a decision's confirmed urgency, else
 * its rule's; a step-up's own. doc is scratch space. URGENCY_NONE if none.
 */
int due_detail_urgency(struct json_doc *doc, const struct rbytes *detail);
/* When a MASH decision is due on a contact that came in at `start` with urgency u. */
int64_t due_mash_decision(const struct calendar *c, int64_t start, int urgency);
/* When a sign-off is due on a change made at `made`: the end of the next working day. */
int64_t due_sign_off(const struct calendar *c, int64_t made);

void due_walk_init(struct due_walk *w, const struct calendar *c, uint64_t awaiting);
/*
 * One record of the case, in order: a contact or step-up to the MASH opens
 * an item (its start: the contact's received time, else the record's time;
 * a step-up's own time); an outcome closes them all, as does a record that
 * moves the case off the MASH route.
 */
void due_walk_add(struct due_walk *w, const struct record *r, int urgency, int64_t received);
/* The case's due item once every record has been added. */
void due_walk_result(const struct due_walk *w, struct due *out);
/* Whether a due item is overdue at `now`. */
int due_overdue(const struct due *d, int64_t now);

#endif
