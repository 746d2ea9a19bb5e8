/* queue.h: pages of open cases, newest first, reading only the rows asked for. */
#ifndef FD_QUEUE_H
#define FD_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "store/dlog.h"
#include "rules/rules.h"

#define QUEUE_TEXT 64

/* One open case as the queue shows it. */
struct queue_row {
	uint64_t seq;			/* its latest record (the queue's key) */
	char case_id[QUEUE_TEXT];
	char name[QUEUE_TEXT];		/* facts child.name, sanitised; "" if none */
	char district[QUEUE_TEXT];	/* facts child.district */
	char received[32];		/* facts received (UTC text), or "" */
	int64_t received_at;		/* parsed, or 0 */
	int route, level;		/* RECORD_NONE if not routed */
	int urgency;			/* enum urgency from the latest decision */
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
};

/*
 * Fills up to n rows of open cases matching f, newest first, starting after
 * `before` (0: from the newest). Returns the number of rows, -1 on error.
 * *more is set when more rows follow.
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
/* Whether a MASH decision on a contact received at `received` is overdue at `now`:
 * due within one working day (weekends skipped; bank holidays are not known). */
int queue_overdue(int64_t received, int64_t now);
/*
 * When a decision on a contact received at `received` is due: the end
 * (23:59:59 UTC) of the first working day after the day of receipt, whatever
 * the hour. Saturday and Sunday are not working days, so a contact received
 * on a Friday, Saturday or Sunday is due at the end of Monday.
 */
int64_t queue_due(int64_t received);

#endif
