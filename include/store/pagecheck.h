/* pagecheck.h: checks data.mdb's pages from the file itself, without trusting them as LMDB does. */
#ifndef FD_PAGECHECK_H
#define FD_PAGECHECK_H

#include <stdint.h>

/* What a check found intact. */
struct pagecheck_stats {
	uint64_t pages;		/* pages in use, both meta pages included */
	uint64_t free_pages;	/* pages on LMDB's free list */
	uint64_t entries;	/* key/value pairs in the frontdoor tables */
	uint64_t txnid;		/* the transaction the newest meta page records */
};

/*
 * Reads DIR/data.mdb and checks what LMDB
 * 0.9 takes on trust: both meta pages, then every page of the free list, the
 * table of tables and each table's B-tree, with bounds on every offset and
 * length, keys in order within and across pages, the counts each table records,
 * and every page used exactly once or listed free. Returns 0 if intact; 1 if
 * damaged, with a cause naming the page and the table it belongs to; -1 if the
 * file cannot be read (cause set). st may be NULL. With mapped, the check
 * maps the file itself, read-only (fast, but a file cut short meanwhile
 * would fault); without, it reads each page with pread and cannot fault.
 */
int pagecheck_run(const char *dir, int mapped, struct pagecheck_stats *st, char **cause);
/*
 * The meta pages alone, as pagecheck_run checks them: two pages read, so that
 * every reader can afford it. A damaged newer meta page would make LMDB read
 * the database as it was one transaction before, whole and consistent but
 * out of date; this says so instead. Results as pagecheck_run's.
 */
int pagecheck_metas(const char *dir, char **cause);

#endif
