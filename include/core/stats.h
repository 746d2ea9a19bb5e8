/* stats.h: the log's contacts counted per month, district, agency, officer or level of need. */
#ifndef FD_STATS_H
#define FD_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/calendar.h"
#include "base/json.h"
#include "core/audit.h"
#include "store/dlog.h"
#include "store/record.h"
#include "store/store.h"

enum stats_by {
	STATS_MONTH, STATS_DISTRICT, STATS_AGENCY, STATS_OFFICER, STATS_NEED, STATS_BY_COUNT
};

/* "month", "district", "agency", "officer", "need" (the level of need the rules found). */
extern const char *const stats_by_names[STATS_BY_COUNT];

#define STATS_KEY_MAX 64

/* The counts of one group of contacts (route and override records). */
struct stats_group {
	char key[STATS_KEY_MAX];	/* sanitised */
	unsigned long contacts, routes[ROUTE_COUNT], overrides, rereferrals, late;
};

/* Contacts grouped one way, in the order each group was first seen (stats_sort: by key). */
struct stats_table {
	int on;
	const char *none;		/* the key of contacts that lack one */
	struct stats_group *g;
	size_t n, cap;
	struct map index;		/* key -> place in g */
};

struct stats {
	int64_t since, until;		/* receipt (or record) times counted, inclusive; 0: open */
	const struct calendar *cal;	/* the working days "late" counts in (NULL: weekends
					   only, UTC); set after stats_init */
	struct stats_table by[STATS_BY_COUNT];
	struct stats_group total;	/* key "(all)" */
	unsigned long damaged;		/* records that did not decode or break the chain */
	struct dlog_chain chain;	/* stats_scan: the records follow on from each other */
	struct map cases;		/* case id -> the previous contact's receipt */
	struct json_doc doc;
	struct buf tmp;
};

void stats_init(struct stats *st, int64_t since, int64_t until);
void stats_free(struct stats *st);
/* Counts contacts grouped `by` as well, under key `none` when they lack one. */
void stats_group_by(struct stats *st, enum stats_by by, const char *none);
/* Counts one record; records come in log order (only route and override records count). */
void stats_add(struct stats *st, const struct record *r);
/* Counts the whole log; records that do not decode are counted in st->damaged. */
int stats_scan(struct store *s, struct stats *st, char **cause);
/* Sorts a table's groups by key. */
void stats_sort(struct stats_table *t);
/* part/whole in percent to one decimal, rounded half up (4/14: "28.6"); -1 and "" for 0/0. */
int stats_rate(unsigned long part, unsigned long whole, char *out, size_t outsz);

#endif
