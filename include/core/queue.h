/*
 * queue.h: pages of open cases, newest first, reading only the rows asked
 * for; or the tray: every open case in the order its next item falls due.
 */
#ifndef FD_QUEUE_H
#define FD_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/due.h"
#include "store/dlog.h"
#include "rules/rules.h"

#define QUEUE_TEXT 64

/* One open case as the queue shows it. */
struct queue_row {
	uint64_t seq;			/* its latest record */
	uint64_t key;			/* its place: seq newest first, else its rank in the tray */
	char case_id[QUEUE_TEXT];
	char name[QUEUE_TEXT];		/* facts child.name, sanitised; "" if none */
	char district[QUEUE_TEXT];	/* facts child.district */
	char received[32];		/* facts received (UTC text), or "" */
	int64_t received_at;		/* parsed, or 0 */
	int route, level;		/* RECORD_NONE if not routed */
	int urgency;			/* enum urgency: the highest among its open contacts */
	struct due due;			/* what is due next, by when */
	int awaiting_signoff;
	int returned;			/* its latest change was returned: a new decision is due */
	enum record_kind last_kind;
	uint32_t contacts;
	int closed;			/* a person search's row (match.h): the case is closed */
};

struct queue_filter {
	int route;			/* -1 any */
	const char *district;		/* NULL any */
	const char *search;		/* case id or child name substring, NULL none */
	int awaiting_signoff;		/* only decisions awaiting sign-off */
	const char *signable_by;	/* with awaiting_signoff: not this user's own decisions */
	const char *returned_to;	/* only cases whose change this user made was returned */
	int by_due;			/* the tray's order: due first (queue_page's keys are
					   then places in it, not sequence numbers) */
	const struct calendar *cal;	/* the working days and clocks due times count in
					   (NULL: weekends only, UTC) */
};

/*
 * Fills up to n rows of open cases matching f, newest first, starting after
 * the key `before` (0: from the newest). Returns the number of rows, -1 on
 * error. *more is set when more rows follow. With f->by_due the order is the
 * tray's: the earliest due first (so the overdue first, the longest overdue
 * at the top), then the cases with nothing due, newest first; every open
 * case is read to sort them.
 */
int queue_page(struct store *s, const struct queue_filter *f, uint64_t before,
    struct queue_row *rows, size_t n, int *more, char **cause);
/*
 * The other way: up to n rows matching f newer than `after` (0: from the
 * oldest), oldest first; *more is set when newer rows follow. The end of the
 * queue is reached without reading the rows above it.
 */
int queue_page_newer(struct store *s, const struct queue_filter *f, uint64_t after,
    struct queue_row *rows, size_t n, int *more, char **cause);
/* Open cases per route (and the total), for the status line. */
int queue_counts(struct store *s, unsigned long counts[ROUTE_COUNT + 1], char **cause);

#endif
