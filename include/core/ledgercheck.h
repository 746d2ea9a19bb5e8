/* ledgercheck.h: verify's checks of publications and grants: in the log, and the tables equal to its replay. */
#ifndef FD_LEDGERCHECK_H
#define FD_LEDGERCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "base/digest.h"
#include "store/record.h"
#include "store/store.h"

/* One publication, grant or removal, as the log's links reach it. */
struct ledger_entry {
	uint64_t seq;
	enum record_kind kind;
	unsigned char hash[DIGEST_LEN];		/* the record's */
	unsigned char ruleset[DIGEST_LEN];	/* a publication's */
	char user[33], role[33];		/* a grant's or removal's */
	char actor[65];
	int64_t time;
	int carried;
};

struct ledgercheck {
	int migrated;		/* the database keeps these records in its log */
	char *bad;		/* why the links could not be followed, or NULL */
	struct ledger_entry *v;	/* oldest first */
	size_t n;
};

/* Follows the links from the newest such record back (before the log is scanned). */
int ledgercheck_load(struct store *s, struct ledgercheck *lc, char **cause);
void ledgercheck_free(struct ledgercheck *lc);
/* What is wrong with one record in the light of those: NULL if nothing. */
const char *ledgercheck_record(const struct ledgercheck *lc, const struct record *r);
/*
 * Compares the users and publications tables with a replay of the records:
 * each difference is reported (it is tampering: only frontdoor writes both,
 * in one transaction).
 */
int ledgercheck_tables(struct store *s, const struct ledgercheck *lc,
    void (*report)(void *arg, const char *what), void *arg, char **cause);

#endif
