/* pagecheck.c: a bounds-checked walk of data.mdb's pages, read with pread, for damage LMDB would trust. */
#include "store/pagecheck.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "store/dbfiles.h"
#include "store/store.h"

/*
 * LMDB 0.9's file format, 64-bit: every page starts with a 16-byte header
 * (page number, 2 bytes padding, flags, then lower/upper or an overflow
 * page count); meta pages 0 and 1 hold the meta record after it; branch and
 * leaf pages an array of 2-byte node offsets, the nodes packed at the end.
 */
#define PAGEHDR 16
#define NODEHDR 8
#define P_BRANCH 0x01
#define P_LEAF 0x02
#define P_OVERFLOW 0x04
#define P_META 0x08
#define F_BIGDATA 0x01
#define F_SUBDATA 0x02
#define MDB_INTEGERKEY 0x08
#define LMDB_MAGIC 0xBEEFC0DEu
#define LMDB_DATA_VERSION 1
#define P_INVALID UINT64_MAX
#define DB_RECORD 48		/* an MDB_db: a table's root and counts */
#define META_DBS 24		/* the free list's MDB_db, then the main table's */
#define META_LAST_PG 120
#define META_TXNID 128
#define META_LEN 136
#define MAX_DEPTH 32

/* One table's record: where its tree starts and what LMDB counts in it. */
struct dbrec {
	uint32_t pad;		/* the free list's: the page size */
	uint16_t flags, depth;
	uint64_t branch, leaf, overflow, entries, root;
};

/* What a walk of one tree counts, to set against its record. */
struct tally {
	uint64_t branch, leaf, overflow, entries;
};

/* A key held by a page further up, bounding the keys below it. */
struct bound {
	const unsigned char *p;
	size_t n;
};

struct check {
	int fd;
	const unsigned char *map;	/* the file mapped by the check itself, or NULL: pread */
	uint64_t size;
	size_t psize;
	uint64_t npages;		/* the newest meta's last page + 1 */
	unsigned char *used;		/* a bit per page reached */
	unsigned char *page[MAX_DEPTH + 1];
	const char *table;		/* the tree being walked, for messages */
	int intkeys;			/* the free list's keys are native integers */
	int is_main;			/* the table of tables */
	int is_free;
	uint16_t depth;			/* of the tree being walked */
	struct tally t;
	struct dbrec tables[TABLE_COUNT];
	int found[TABLE_COUNT];
	struct pagecheck_stats *st;
	int metas_only;			/* pagecheck_metas: stop after the meta pages */
	char *cause;
};

static uint16_t
get16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint32_t
get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static void
dbrec_read(const unsigned char *p, struct dbrec *d)
{
	d->pad = get32(p);
	d->flags = get16(p + 4);
	d->depth = get16(p + 6);
	d->branch = get64(p + 8);
	d->leaf = get64(p + 16);
	d->overflow = get64(p + 24);
	d->entries = get64(p + 32);
	d->root = get64(p + 40);
}

/* Records the first damage found, at a page of the tree being walked; returns 1. */
static int
damaged(struct check *c, uint64_t pgno, const char *fmt, ...) FD_ATTR_PRINTF(3, 4);

static int
damaged(struct check *c, uint64_t pgno, const char *fmt, ...)
{
	va_list ap;
	char *what;

	if (c->cause != NULL)
		return 1;
	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	c->cause = xasprintf("data.mdb is damaged at page %llu (%s%s): %s",
	    (unsigned long long)pgno, c->table, c->is_main || c->is_free ? "" : " table", what);
	free(what);
	return 1;
}

/* Reads len bytes at off; 1 (damage reported) if the file ends first. */
static int
read_at(struct check *c, void *buf, size_t len, uint64_t off, uint64_t pgno)
{
	size_t got = 0;

	if (c->map != NULL) {
		if (off > c->size || len > c->size - off)
			return damaged(c, pgno, "lies past the end of the file");
		memcpy(buf, c->map + off, len);
		return 0;
	}
	while (got < len) {
		ssize_t n = pread(c->fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return damaged(c, pgno, "cannot be read: %s", strerror(errno));
		if (n == 0)
			return damaged(c, pgno, "lies past the end of the file");
		got += (size_t)n;
	}
	return 0;
}

/* Marks a page reached; 1 if it was reached before or lies outside the file's pages. */
static int
mark(struct check *c, uint64_t pgno, const char *as)
{
	if (pgno < 2 || pgno >= c->npages)
		return damaged(c, pgno, "%s a page number outside the database (it has %llu)", as,
		    (unsigned long long)c->npages);
	if (c->used[pgno / 8] & (1u << (pgno % 8)))
		return damaged(c, pgno, "%s a page that is already in use elsewhere", as);
	c->used[pgno / 8] |= (unsigned char)(1u << (pgno % 8));
	return 0;
}

/* LMDB's default order: bytes, then the shorter first; the free list's: integers. */
static int
key_cmp(const struct check *c, const unsigned char *a, size_t an, const unsigned char *b,
    size_t bn)
{
	int d;

	if (c->intkeys) {
		uint64_t x = get64(a), y = get64(b);

		return x < y ? -1 : x > y;
	}
	d = memcmp(a, b, an < bn ? an : bn);
	if (d != 0)
		return d;
	return an < bn ? -1 : an > bn;
}

/* Checks an overflow run holding a value of dsize bytes; reads it into out if asked. */
static int
check_overflow(struct check *c, uint64_t pgno, uint64_t dsize, unsigned char *out)
{
	unsigned char h[PAGEHDR];
	uint64_t pages = (PAGEHDR - 1 + dsize) / c->psize + 1;

	if (pgno >= c->npages || pages > c->npages - pgno)
		return damaged(c, pgno, "a large value runs past the last page");
	if (read_at(c, h, sizeof h, pgno * c->psize, pgno))
		return 1;
	if (get64(h) != pgno || get16(h + 10) != P_OVERFLOW || get32(h + 12) != pages)
		return damaged(c, pgno, "not the start of a large value of %llu bytes",
		    (unsigned long long)dsize);
	for (uint64_t i = 0; i < pages; i++)
		if (mark(c, pgno + i, "a large value uses"))
			return 1;
	c->t.overflow += pages;
	if (out != NULL && read_at(c, out, dsize, pgno * c->psize + PAGEHDR, pgno))
		return 1;
	return 0;
}

/* A free-list entry: a count, then that many page numbers, each now free. */
static int
check_free_entry(struct check *c, uint64_t pgno, const unsigned char *v, uint64_t len)
{
	uint64_t n;

	if (len < 8 || (n = get64(v)) != len / 8 - 1 || len % 8 != 0)
		return damaged(c, pgno, "a free-list entry of the wrong length");
	for (uint64_t i = 1; i <= n; i++) {
		if (mark(c, get64(v + 8 * i), "the free list names"))
			return 1;
		if (c->st != NULL)
			c->st->free_pages++;
	}
	return 0;
}

/* A value in the table of tables: the record of one frontdoor table. */
static int
check_table_entry(struct check *c, uint64_t pgno, const unsigned char *k, size_t kn,
    uint16_t flags, const unsigned char *v, uint64_t dsize)
{
	for (int i = 0; i < TABLE_COUNT; i++) {
		const char *name = store_table_name((enum store_table)i);

		if (strlen(name) != kn || memcmp(name, k, kn) != 0)
			continue;
		if (flags != F_SUBDATA || dsize != DB_RECORD)
			return damaged(c, pgno, "the entry for table %s is not a table", name);
		if (c->found[i])
			return damaged(c, pgno, "table %s is listed twice", name);
		c->found[i] = 1;
		dbrec_read(v, &c->tables[i]);
		return 0;
	}
	return damaged(c, pgno, "an entry that names no frontdoor table");
}

/* The value of leaf node i (at off, key of kn bytes): its bounds and what it holds. */
static int
check_leaf_node(struct check *c, uint64_t pgno, const unsigned char *pg, size_t off, size_t kn,
    size_t *size)
{
	const unsigned char *node = pg + off;
	uint16_t flags = get16(node + 4);
	uint64_t dsize = get16(node) | (uint64_t)get16(node + 2) << 16;
	size_t room = c->psize - off - NODEHDR - kn;

	if (flags & F_BIGDATA) {
		unsigned char *big;
		int rc;

		if (flags != F_BIGDATA || room < 8 || c->is_main)
			return damaged(c, pgno, "a large value's reference is malformed");
		*size = NODEHDR + kn + 8;
		if (!c->is_free)
			return check_overflow(c, get64(node + NODEHDR + kn), dsize, NULL);
		if (dsize > c->npages * 8 + 8)
			return damaged(c, pgno, "a free-list entry longer than the database");
		big = xmalloc(dsize + 1);
		rc = check_overflow(c, get64(node + NODEHDR + kn), dsize, big) ||
		    check_free_entry(c, pgno, big, dsize);
		free(big);
		return rc;
	}
	if (dsize > room)
		return damaged(c, pgno, "a value runs past the end of the page");
	*size = NODEHDR + kn + dsize;
	if (c->is_main)
		return check_table_entry(c, pgno, node + NODEHDR, kn, flags, node + NODEHDR + kn,
		    dsize);
	if (flags != 0)
		return damaged(c, pgno, "a value with unknown flags %#x", flags);
	if (c->is_free)
		return check_free_entry(c, pgno, node + NODEHDR + kn, dsize);
	return 0;
}

static int walk(struct check *c, uint64_t pgno, unsigned level, struct bound lo,
    struct bound hi);

/* Page pgno: in the check's own map, or read into the buffer for its level; NULL if damaged. */
static const unsigned char *
page_at(struct check *c, uint64_t pgno, unsigned level)
{
	if (c->map != NULL) {
		if (pgno >= c->size / c->psize) {
			damaged(c, pgno, "lies past the end of the file");
			return NULL;
		}
		return c->map + pgno * c->psize;
	}
	if (read_at(c, c->page[level], c->psize, pgno * c->psize, pgno))
		return NULL;
	return c->page[level];
}

/* Checks the node offsets and key order of a branch or leaf page, then what each node holds. */
static int
check_nodes(struct check *c, uint64_t pgno, unsigned level, const unsigned char *pg,
    struct bound lo, struct bound hi)
{
	int leaf = get16(pg + 10) == P_LEAF;
	size_t lower = get16(pg + 12), upper = get16(pg + 14), nkeys, packed = 0;
	struct bound prev = { NULL, 0 };

	if (lower < PAGEHDR || lower % 2 != 0 || lower > upper || upper > c->psize)
		return damaged(c, pgno, "its free-space bounds are impossible");
	nkeys = (lower - PAGEHDR) / 2;
	if (nkeys == 0)
		return damaged(c, pgno, "a page with no entries");
	for (size_t i = 0; i < nkeys; i++) {
		size_t off = get16(pg + PAGEHDR + 2 * i), kn, size;
		struct bound key;

		if (off < upper || off % 2 != 0 || off > c->psize - NODEHDR)
			return damaged(c, pgno, "entry %zu lies outside the page's entries", i);
		kn = get16(pg + off + 6);
		if (kn > c->psize - off - NODEHDR)
			return damaged(c, pgno, "entry %zu's key runs past the end of the page", i);
		key.p = pg + off + NODEHDR;
		key.n = kn;
		if (c->intkeys && kn != 8 && (leaf || i > 0))
			return damaged(c, pgno, "entry %zu: a free-list key that is not a number", i);
		if (leaf || i > 0) {
			if ((prev.p != NULL && key_cmp(c, prev.p, prev.n, key.p, key.n) >= 0) ||
			    (lo.p != NULL && key_cmp(c, lo.p, lo.n, key.p, key.n) > 0) ||
			    (hi.p != NULL && key_cmp(c, key.p, key.n, hi.p, hi.n) >= 0))
				return damaged(c, pgno, "entry %zu is out of key order", i);
			prev = key;
		}
		if (leaf) {
			if (check_leaf_node(c, pgno, pg, off, kn, &size))
				return 1;
			c->t.entries++;
		} else
			size = NODEHDR + kn;
		packed += size + (size & 1);
	}
	if (packed != c->psize - upper)
		return damaged(c, pgno, "its entries overlap or leave gaps");
	if (leaf)
		return 0;
	for (size_t i = 0; i < nkeys; i++) {
		const unsigned char *node = pg + get16(pg + PAGEHDR + 2 * i);
		uint64_t child = get16(node) | (uint64_t)get16(node + 2) << 16 |
		    (uint64_t)get16(node + 4) << 32;
		struct bound clo = lo, chi = hi;

		if (i > 0) {
			clo.p = node + NODEHDR;
			clo.n = get16(node + 6);
		}
		if (i + 1 < nkeys) {
			const unsigned char *next = pg + get16(pg + PAGEHDR + 2 * (i + 1));

			chi.p = next + NODEHDR;
			chi.n = get16(next + 6);
		}
		if (walk(c, child, level + 1, clo, chi))
			return 1;
	}
	return 0;
}

/* Walks the subtree at pgno, `level` pages below the root (which is 1). */
static int
walk(struct check *c, uint64_t pgno, unsigned level, struct bound lo, struct bound hi)
{
	const unsigned char *pg;
	uint16_t flags;

	if (mark(c, pgno, "a branch points at") || (pg = page_at(c, pgno, level)) == NULL)
		return 1;
	flags = get16(pg + 10);
	if (get64(pg) != pgno)
		return damaged(c, pgno, "the page says it is page %llu", (unsigned long long)get64(pg));
	if (flags != P_BRANCH && flags != P_LEAF)
		return damaged(c, pgno, "not a branch or leaf page (flags %#x)", flags);
	if ((flags == P_LEAF) != (level == c->depth))
		return damaged(c, pgno, "a %s page at depth %u of a tree %u deep",
		    flags == P_LEAF ? "leaf" : "branch", level, c->depth);
	if (flags == P_LEAF)
		c->t.leaf++;
	else
		c->t.branch++;
	return check_nodes(c, pgno, level, pg, lo, hi);
}

/* Walks one tree from its record and sets what it found against the record's counts. */
static int
check_tree(struct check *c, const char *name, const struct dbrec *d, uint16_t want_flags)
{
	struct bound none = { NULL, 0 };

	c->table = name;
	c->intkeys = want_flags == MDB_INTEGERKEY;
	memset(&c->t, 0, sizeof c->t);
	if (d->flags != want_flags)
		return damaged(c, d->root, "its record has flags %#x", d->flags);
	if (d->root == P_INVALID) {
		if (d->depth != 0 || d->branch != 0 || d->leaf != 0 || d->overflow != 0 ||
		    d->entries != 0)
			return damaged(c, 0, "an empty tree whose record counts pages");
		return 0;
	}
	if (d->depth == 0 || d->depth > MAX_DEPTH)
		return damaged(c, d->root, "its record gives a depth of %u", d->depth);
	c->depth = d->depth;
	if (walk(c, d->root, 1, none, none))
		return 1;
	if (c->t.branch != d->branch || c->t.leaf != d->leaf || c->t.overflow != d->overflow ||
	    c->t.entries != d->entries)
		return damaged(c, d->root, "its record counts %llu entries in %llu pages, the tree "
		    "holds %llu in %llu", (unsigned long long)d->entries,
		    (unsigned long long)(d->branch + d->leaf + d->overflow),
		    (unsigned long long)c->t.entries,
		    (unsigned long long)(c->t.branch + c->t.leaf + c->t.overflow));
	if (c->st != NULL && !c->is_main && !c->is_free)
		c->st->entries += c->t.entries;
	return 0;
}

/* One meta page's header and record; 1 if damaged. */
static int
check_meta(struct check *c, int i, const unsigned char *m, size_t psize)
{
	c->table = i == 0 ? "meta page 0" : "meta page 1";
	c->is_main = 1;
	if (get64(m) != (uint64_t)i || !(get16(m + 10) & P_META))
		return damaged(c, (uint64_t)i, "not a meta page");
	if (get32(m + PAGEHDR) != LMDB_MAGIC || get32(m + PAGEHDR + 4) != LMDB_DATA_VERSION)
		return damaged(c, (uint64_t)i, "not an LMDB 0.9 meta page");
	if (get32(m + PAGEHDR + META_DBS) != psize)
		return damaged(c, (uint64_t)i, "its page size differs from meta page 0's");
	return 0;
}

/* Both meta pages: the newer one (as LMDB picks it) gives the roots and the last page. */
static int
check_metas(struct check *c, const unsigned char *m0, const unsigned char *m1,
    struct dbrec *freedb, struct dbrec *main, uint64_t file_pages)
{
	uint64_t t0 = get64(m0 + PAGEHDR + META_TXNID), t1 = get64(m1 + PAGEHDR + META_TXNID);
	const unsigned char *m = t0 < t1 ? m1 : m0;
	uint64_t last = get64(m + PAGEHDR + META_LAST_PG);

	if (check_meta(c, 0, m0, c->psize) || check_meta(c, 1, m1, c->psize))
		return 1;
	c->table = "meta pages";
	/* each commit writes the meta page its transaction number's parity names */
	if ((t0 & 1) != 0 || (t1 & 1) != 1 || (t0 > t1 ? t0 - t1 : t1 - t0) != 1)
		return damaged(c, t0 < t1 ? 1 : 0, "transaction numbers %llu and %llu do not "
		    "alternate", (unsigned long long)t0, (unsigned long long)t1);
	if (last < 1 || last >= file_pages)
		return damaged(c, t0 < t1 ? 1 : 0, "its last page %llu lies past the end of the "
		    "file (%llu pages)", (unsigned long long)last, (unsigned long long)file_pages);
	if (get64(m + PAGEHDR + 16) / c->psize < last + 1)
		return damaged(c, t0 < t1 ? 1 : 0, "a map size smaller than the file's pages");
	c->npages = last + 1;
	dbrec_read(m + PAGEHDR + META_DBS, freedb);
	dbrec_read(m + PAGEHDR + META_DBS + DB_RECORD, main);
	if (c->st != NULL)
		c->st->txnid = t0 < t1 ? t1 : t0;
	return 0;
}

/* Every page from 2 up to the last is in a tree or on the free list. */
static int
check_all_used(struct check *c)
{
	c->table = "free list";
	c->is_free = 1;
	for (uint64_t p = 2; p < c->npages; p++)
		if (!(c->used[p / 8] & (1u << (p % 8))))
			return damaged(c, p, "a page in no table and not on the free list");
	if (c->st != NULL)
		c->st->pages = c->npages;
	return 0;
}

/* The frontdoor tables in `mask` (a bit per table), in table order. */
static int
check_tables(struct check *c, const struct dbrec *main, unsigned mask)
{
	for (int i = 0; i < TABLE_COUNT; i++) {
		const char *name = store_table_name((enum store_table)i);

		if (!(mask & 1u << i) || (!c->found[i] && store_table_added((enum store_table)i)))
			continue;
		if (!c->found[i]) {
			c->table = "table of tables";
			return damaged(c, main->root, "table %s is missing", name);
		}
		if (check_tree(c, name, &c->tables[i], 0))
			return 1;
	}
	return 0;
}

/* fewer pages: one thread; low enough that the suite's damaged demo databases split too */
#define SPLIT_PAGES 16

/* A walk of some tables beside the main one: its own bitmap of pages reached. */
struct half {
	struct check c;
	const struct dbrec *main;
	unsigned mask;
	int rc;
};

static void *
half_run(void *arg)
{
	struct half *h = arg;

	h->rc = check_tables(&h->c, h->main, h->mask);
	return NULL;
}

/*
 * Which tables the second thread walks: the costliest first, each to the
 * side with less so far. A walk's cost is about a page and a thirtieth of a
 * page per entry (the key comparisons), by the tables' records, which are
 * only a guide here: the walk checks them.
 */
static unsigned
split_tables(const struct check *c, uint64_t *total)
{
	uint64_t cost[TABLE_COUNT], side[2] = { 0, 0 };
	unsigned mask = 0, done = 0;

	*total = 0;
	for (int i = 0; i < TABLE_COUNT; i++) {
		const struct dbrec *d = &c->tables[i];
		uint64_t pages = d->branch + d->leaf + d->overflow;

		pages = pages < c->npages ? pages : c->npages;
		cost[i] = c->found[i] ? pages + (d->entries < UINT32_MAX ? d->entries : UINT32_MAX) /
		    30 : 0;
		*total += pages;
	}
	for (int n = 0; n < TABLE_COUNT; n++) {
		int big = -1;

		for (int i = 0; i < TABLE_COUNT; i++)
			if (!(done & 1u << i) && (big < 0 || cost[i] > cost[big]))
				big = i;
		done |= 1u << big;
		if (side[1] < side[0]) {
			mask |= 1u << big;
			side[1] += cost[big];
		} else
			side[0] += cost[big];
	}
	return mask;
}

/*
 * The tables' walks on two threads when the file is mapped (split_tables),
 * each marking pages in its own bitmap; a page both reached is used twice.
 * Anything found, either way, and the walk is done again on this thread
 * alone, so that the damage reported is the one a single walk finds first,
 * the same every time.
 */
static int
check_tables_split(struct check *c, const struct dbrec *main)
{
	unsigned all = (1u << TABLE_COUNT) - 1;
	size_t bytes = c->npages / 8 + 1;
	uint64_t total, entries = c->st != NULL ? c->st->entries : 0;
	struct pagecheck_stats st;
	unsigned char *before;
	struct half h;
	pthread_t th;
	int overlap = 0;

	h.mask = split_tables(c, &total);
	if (c->map == NULL || total < SPLIT_PAGES)
		return check_tables(c, main, all);
	before = xmalloc(bytes);
	memcpy(before, c->used, bytes);
	memset(&st, 0, sizeof st);
	h.c = *c;
	h.c.used = xcalloc(bytes, 1);
	h.c.st = c->st != NULL ? &st : NULL;
	h.main = main;
	h.rc = 0;
	if (pthread_create(&th, NULL, half_run, &h) != 0)
		h.rc = -1;	/* no thread: the walk below does it all */
	else if (check_tables(c, main, all & ~h.mask) == 0)
		pthread_join(th, NULL);
	else {
		pthread_join(th, NULL);
		h.rc = 1;
	}
	for (size_t i = 0; i < bytes && h.rc == 0; i++)
		overlap |= c->used[i] & h.c.used[i];
	if (h.rc != 0 || overlap) {
		free(c->cause);
		free(h.c.cause);
		c->cause = NULL;
		memcpy(c->used, before, bytes);
		if (c->st != NULL)
			c->st->entries = entries;
		h.rc = check_tables(c, main, all);
	} else {
		for (size_t i = 0; i < bytes; i++)
			c->used[i] |= h.c.used[i];
		if (c->st != NULL)
			c->st->entries += st.entries;
	}
	free(h.c.used);
	free(before);
	return h.rc;
}

/* The meta pages, the free list, the table of tables, then every frontdoor table. */
static int
check_file(struct check *c, uint64_t file_size)
{
	unsigned char m0[PAGEHDR + META_LEN], *m1;
	struct dbrec freedb, main;
	int rc;

	c->table = "meta page 0";
	c->is_main = 1;
	if (read_at(c, m0, sizeof m0, 0, 0))
		return 1;
	c->psize = get32(m0 + PAGEHDR + META_DBS);
	if (c->psize < 512 || c->psize > 65536 || (c->psize & (c->psize - 1)) != 0)
		return damaged(c, 0, "an impossible page size %zu", c->psize);
	m1 = xmalloc(PAGEHDR + META_LEN);
	rc = read_at(c, m1, PAGEHDR + META_LEN, c->psize, 1) ||
	    check_metas(c, m0, m1, &freedb, &main, file_size / c->psize);
	free(m1);
	if (rc || c->metas_only)
		return rc;
	c->used = xcalloc(c->npages / 8 + 1, 1);
	for (int i = 0; i <= MAX_DEPTH; i++)
		c->page[i] = xmalloc(c->psize);
	c->is_main = 0;
	c->is_free = 1;
	if (check_tree(c, "free list", &freedb, MDB_INTEGERKEY))
		return 1;
	c->is_free = 0;
	c->is_main = 1;
	if (check_tree(c, "table of tables", &main, 0))
		return 1;
	c->is_main = 0;
	if (check_tables_split(c, &main))
		return 1;
	return check_all_used(c);
}

/* pagecheck_run and pagecheck_metas: the whole file, or its meta pages only. */
static int
check_dir(const char *dir, int mapped, int metas_only, struct pagecheck_stats *st,
    char **cause)
{
	struct check c;
	struct stat sb;
	int rc;

	memset(&c, 0, sizeof c);
	if (st != NULL)
		memset(st, 0, sizeof *st);
	c.st = st;
	c.metas_only = metas_only;
	if (dbfiles_open_data(dir, &c.fd, cause) < 0)
		return -1;
	if (fstat(c.fd, &sb) < 0) {
		*cause = xasprintf("cannot read %s/data.mdb: %s", dir, strerror(errno));
		close(c.fd);
		return -1;
	}
	c.size = (uint64_t)sb.st_size;
	if (mapped && c.size > 0) {
		void *m = mmap(NULL, c.size, PROT_READ, MAP_SHARED, c.fd, 0);

		c.map = m != MAP_FAILED ? m : NULL;
	}
	rc = check_file(&c, c.size);
	if (c.map != NULL)
		munmap((void *)c.map, c.size);
	close(c.fd);
	free(c.used);
	for (int i = 0; i <= MAX_DEPTH; i++)
		free(c.page[i]);
	if (rc) {
		*cause = c.cause;
		return 1;
	}
	return 0;
}

int
pagecheck_run(const char *dir, int mapped, struct pagecheck_stats *st, char **cause)
{
	return check_dir(dir, mapped, 0, st, cause);
}

int
pagecheck_metas(const char *dir, char **cause)
{
	return check_dir(dir, 0, 1, NULL, cause);
}
