/* tray.h: the work tray's index: every open case in the order its next item falls due. */
#ifndef FD_TRAY_H
#define FD_TRAY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/*
 * Derived from the log like the queue, and written in the same transaction
 * as each record by core (core/dueindex.h), which knows what is due and by
 * when. Two tables:
 *
 *   tray: 8-byte key -> what (1 byte), urgency (1 byte), due instant
 *         (8 bytes, two's complement; 0: nothing due), the case's route
 *         (1 byte, RECORD_NONE if none), its flags (1 byte: awaiting
 *         sign-off 1, returned 2), case id
 *   due:  case id -> its 8-byte tray key
 *
 * The tray key sorts as the tray reads: the due minute since 1970 in the
 * top TRAY_MINUTE_BITS bits (all ones when nothing is due, so those come
 * last), then the case's latest sequence number subtracted from
 * TRAY_SEQ_MAX, so that of two items due in the same minute the newer
 * comes first. Only open cases have entries. The metadata key
 * "tray-indexed-to" names the newest record the index covers; 0 or behind
 * the log means it must be built before it is read (core does so).
 */
#define TRAY_SEQ_BITS 37
#define TRAY_SEQ_MAX ((UINT64_C(1) << TRAY_SEQ_BITS) - 1)
#define TRAY_MINUTE_MAX ((UINT64_C(1) << (64 - TRAY_SEQ_BITS)) - 1)
#define TRAY_VALUE_HEAD 12	/* bytes before the case id */

/* One open case's place in the tray. */
struct tray_item {
	int64_t at;		/* when its next item is due; 0 when nothing is */
	int what;		/* what is due (core/due.h's enum due_what) */
	int urgency;		/* its highest open urgency (enum urgency) */
	uint64_t seq;		/* its latest record */
	/* copies of its state, so that the tray's filters pass over other cases at once */
	int route;		/* or RECORD_NONE */
	int awaiting, returned;	/* awaiting sign-off; its latest change returned */
};

/* The tray key of an item; 0 if seq is 0 or beyond TRAY_SEQ_MAX (no key). */
uint64_t tray_key(const struct tray_item *it);
/* The latest record a tray key names. */
uint64_t tray_key_seq(uint64_t key);
/*
 * Sets the case's place (it NULL: the case is closed, its entries go),
 * removing the place it had. 0, or -1 (cause set on the transaction).
 */
int tray_set(struct store_txn *t, const char *id, size_t len, const struct tray_item *it);
/* Reads a tray entry: 0, or -1 if it is not one tray_set writes. */
int tray_entry(const struct store_val *k, const struct store_val *v, struct tray_item *it,
    const char **id, size_t *len);
/* The case's entry: 0 found, 1 none, -1 error or damaged (cause set). */
int tray_case(struct store_txn *t, const char *id, size_t len, struct tray_item *it);
/* The newest record the index covers (0: never built). */
int tray_indexed(struct store_txn *t, uint64_t *upto);
int tray_set_indexed(struct store_txn *t, uint64_t upto);
/* Empties both tables, to build them again. */
int tray_clear(struct store_txn *t);

#endif
