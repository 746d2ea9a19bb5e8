/* test_store.c: the LMDB wrapper and the decision log: keys, records, the chain, map growth, modes. */
#include <dirent.h>
#include <errno.h>
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../unit/check.h"
#include "store/dlog.h"
#include "store/record.h"
#include "store/roles.h"
#include "rules/rules.h"
#include "store/store.h"
#include "base/util.h"

/* ---- scratch directories ---- */

static char *
scratch_make(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/fdstore.XXXXXX", base != NULL && *base == '/' ? base : "/tmp");

	if (mkdtemp(dir) == NULL)
		fatal("cannot make a scratch directory");
	return dir;
}

/* Removes dir and what is in it (two levels are enough for these tests). */
static void
scratch_remove(const char *dir)
{
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			scratch_remove(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static struct store *
open_new(const char *dir, size_t map)
{
	struct store_opts o = { 1, 0, map };
	struct store *s = NULL;
	char *cause = NULL;

	if (store_open(&s, dir, &o, &cause) < 0) {
		fprintf(stderr, "store_open(create) %s: %s\n", dir, cause);
		free(cause);
		return NULL;
	}
	return s;
}

/* Opens an existing database; NULL with *cause (owned) on refusal. */
static struct store *
open_old(const char *dir, char **cause)
{
	struct store_opts o = { 0, 0, 0 };
	struct store *s = NULL;

	*cause = NULL;
	if (store_open(&s, dir, &o, cause) < 0)
		return NULL;
	return s;
}

/* ---- big-endian keys ---- */

static const uint64_t key_values[] = {
	0, 1, 2, 9, 10, 255, 256, 257, 1000, 65535, 65536, 16777216, 4294967295ULL,
	4294967296ULL, 1099511627781ULL, 72057594037927936ULL, 9223372036854775807ULL,
	9223372036854775808ULL, 18446744073709551614ULL, UINT64_MAX,
};
#define NKEYS (sizeof key_values / sizeof key_values[0])

static void
test_u64_bytes(void)
{
	unsigned char b[8], c[8];

	store_put_u64(b, 0x0102030405060708ULL);
	CHECK(memcmp(b, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) == 0);
	CHECK(store_get_u64(b) == 0x0102030405060708ULL);
	/* byte order is numeric order, for every pair */
	for (size_t i = 0; i < NKEYS; i++) {
		store_put_u64(b, key_values[i]);
		CHECK(store_get_u64(b) == key_values[i]);
		for (size_t j = 0; j < NKEYS; j++) {
			int m;

			store_put_u64(c, key_values[j]);
			m = memcmp(b, c, 8);
			CHECK((m < 0) == (key_values[i] < key_values[j]) &&
			    (m == 0) == (key_values[i] == key_values[j]));
		}
	}
}

struct keys_arg {
	const uint64_t *order;
	size_t n;
	uint64_t seen[NKEYS];
	size_t nseen;
};

static int
put_keys(struct store_txn *t, void *argp)
{
	struct keys_arg *a = argp;
	unsigned char k[8];

	for (size_t i = 0; i < a->n; i++) {
		store_put_u64(k, a->order[i]);
		if (store_put(t, TABLE_CHECKPOINTS, k, 8, "x", 1) < 0)
			return -1;
	}
	return 0;
}

static int
walk_keys(struct store_txn *t, void *argp)
{
	struct keys_arg *a = argp;
	struct store_cursor *c;
	struct store_val k, v;
	int rc;

	a->nseen = 0;
	if (store_cursor_open(t, TABLE_CHECKPOINTS, &c) < 0)
		return -1;
	for (rc = store_cursor_move(c, MOVE_FIRST, &k, &v); rc == 0 && a->nseen < NKEYS;
	    rc = store_cursor_move(c, MOVE_NEXT, &k, &v)) {
		if (k.len != 8)
			break;
		a->seen[a->nseen++] = store_get_u64(k.data);
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* The same keys through LMDB: inserted shuffled, a cursor returns them in numeric order. */
static void
test_u64_lmdb(const char *base)
{
	uint64_t shuffled[NKEYS];
	struct keys_arg a;
	char *dir = xasprintf("%s/keys", base), *cause = NULL;
	struct store *s = open_new(dir, 0);

	CHECK(s != NULL);
	if (s == NULL)
		goto out;
	for (size_t i = 0; i < NKEYS; i++)
		shuffled[i] = key_values[(i * 7 + 3) % NKEYS];	/* 7 is prime to NKEYS (20) */
	memset(&a, 0, sizeof a);
	a.order = shuffled;
	a.n = NKEYS;
	CHECK(store_write(s, put_keys, &a, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(store_read(s, walk_keys, &a, &cause) == 0);
	free(cause);
	CHECK_EQ(a.nseen, NKEYS);
	for (size_t i = 0; i < a.nseen && i < NKEYS; i++)
		CHECK(a.seen[i] == key_values[i]);
	store_close(s);
out:
	free(dir);
}

/* ---- put, put_new, append: one meaning per result ---- */

struct puts_arg {
	int put[2], put_new[2], append[6];
	int got_rc[3];
	char got[3][4];		/* a copy of each value read, while the transaction lasts */
};

/* The writes under test, each result kept; the transaction must still commit. */
static int
puts_fn(struct store_txn *t, void *argp)
{
	static const uint64_t order[6] = { 5, 7, 6, 7, 9, 1 };
	struct puts_arg *a = argp;
	unsigned char k[8];

	a->put[0] = store_put(t, TABLE_META, "k1", 2, "a", 1);
	a->put[1] = store_put(t, TABLE_META, "k1", 2, "b", 1);
	a->put_new[0] = store_put_new(t, TABLE_META, "k1", 2, "c", 1);
	a->put_new[1] = store_put_new(t, TABLE_META, "k2", 2, "d", 1);
	for (int i = 0; i < 6; i++) {
		store_put_u64(k, order[i]);
		a->append[i] = store_append(t, TABLE_CHECKPOINTS, k, 8, "x", 1);
	}
	return 0;
}

static int
puts_read_fn(struct store_txn *t, void *argp)
{
	static const char *const keys[3] = { "k1", "k2", "k3" };
	struct puts_arg *a = argp;
	struct store_val v;

	for (int i = 0; i < 3; i++) {
		a->got_rc[i] = store_get(t, TABLE_META, keys[i], 2, &v);
		if (a->got_rc[i] == 0)
			snprintf(a->got[i], sizeof a->got[i], "%.*s", (int)v.len, (const char *)v.data);
	}
	return 0;
}

static void
test_put_results(const char *base)
{
	static const uint64_t kept[] = { 5, 7, 9 };
	struct puts_arg a;
	struct keys_arg keys;
	char *dir = xasprintf("%s/puts", base), *cause = NULL;
	struct store *s = open_new(dir, 0);

	CHECK(s != NULL);
	if (s == NULL)
		goto out;
	memset(&a, 0, sizeof a);
	CHECK(store_write(s, puts_fn, &a, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(a.put[0] == 0 && a.put[1] == 0);		/* put replaces */
	CHECK(a.put_new[0] == 1 && a.put_new[1] == 0);	/* 1: the key was there */
	/* 1: the key does not sort after the last; equal is not after; 1 sorts first */
	CHECK(a.append[0] == 0 && a.append[1] == 0 && a.append[2] == 1 && a.append[3] == 1 &&
	    a.append[4] == 0 && a.append[5] == 1);
	CHECK(store_read(s, puts_read_fn, &a, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(a.got_rc[0] == 0 && strcmp(a.got[0], "b") == 0);
	CHECK(a.got_rc[1] == 0 && strcmp(a.got[1], "d") == 0);
	CHECK_EQ(a.got_rc[2], 1);
	memset(&keys, 0, sizeof keys);
	CHECK(store_read(s, walk_keys, &keys, &cause) == 0);
	free(cause);
	CHECK_EQ(keys.nseen, 3);
	for (size_t i = 0; i < keys.nseen && i < 3; i++)
		CHECK(keys.seen[i] == kept[i]);
	store_close(s);
out:
	free(dir);
}

/* ---- records ---- */

static const char facts_json[] = "{\"case_id\":\"C-1\",\"child\":{\"age\":7},\"indicators\":[]}";
static const char odd_bytes[] = "a\0b\xc3\xa9\n\"\\";	/* NUL, UTF-8, newline, quote */

static void
fill_record(struct record *r, enum record_kind k)
{
	memset(r, 0, sizeof *r);
	r->seq = 1000 + (uint64_t)k * 77;
	r->time = k == KIND_OUTCOME ? -86400 * 3 : 1767225600 + (int64_t)k;	/* negative too */
	r->kind = k;
	r->rec_route = k == KIND_OUTCOME || k == KIND_SIGN_OFF ? RECORD_NONE : (int)k % ROUTE_COUNT;
	r->rec_level = r->rec_route == RECORD_NONE ? RECORD_NONE : r->rec_route + 1;
	/* a level of need above the route's, when there is a recommendation */
	r->need_level = r->rec_route == RECORD_NONE ? RECORD_NONE : r->rec_level % 4 + 1;
	r->route = k == KIND_SIGN_OFF ? RECORD_NONE : (int)(k + 1) % ROUTE_COUNT;
	r->level = r->route == RECORD_NONE ? RECORD_NONE : r->route + 1;
	r->ref = k >= KIND_SIGN_OFF ? 42 + (uint64_t)k : 0;
	r->has_ruleset = k != KIND_OUTCOME;
	for (int i = 0; i < DIGEST_LEN; i++) {
		r->ruleset[i] = (unsigned char)(i * 3 + k);
		r->prev[i] = (unsigned char)(0xa0 ^ (i + k));
	}
	r->actor = (struct rbytes){ "alice", 5 };
	r->role = (struct rbytes){ "officer", 7 };
	r->case_id = (struct rbytes){ "C-00000042", 10 };
	r->engine = (struct rbytes){ RECORD_ENGINE, strlen(RECORD_ENGINE) };
	r->rule = k == KIND_OUTCOME ? (struct rbytes){ NULL, 0 } : (struct rbytes){ "needs_met", 9 };
	r->rationale = k == KIND_ROUTE ? (struct rbytes){ NULL, 0 } :
	    (struct rbytes){ odd_bytes, sizeof odd_bytes - 1 };
	r->outcome = k == KIND_OUTCOME ? (struct rbytes){ "needs_met", 9 } : (struct rbytes){ NULL, 0 };
	r->facts = (struct rbytes){ facts_json, sizeof facts_json - 1 };
	r->detail = (struct rbytes){ "{\"urgency\":\"red\"}", 17 };
}

static int
rb_eq(struct rbytes a, struct rbytes b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static int
rb_inside(struct rbytes a, const struct buf *b)
{
	return a.n == 0 || (a.p >= b->data && a.p + a.n <= b->data + b->len);
}

static int
records_equal(const struct record *a, const struct record *b)
{
	return a->seq == b->seq && a->time == b->time && a->kind == b->kind &&
	    a->rec_route == b->rec_route && a->rec_level == b->rec_level &&
	    a->need_level == b->need_level &&
	    a->route == b->route && a->level == b->level && a->ref == b->ref &&
	    a->has_ruleset == b->has_ruleset &&
	    (!a->has_ruleset || memcmp(a->ruleset, b->ruleset, DIGEST_LEN) == 0) &&
	    rb_eq(a->actor, b->actor) && rb_eq(a->role, b->role) &&
	    rb_eq(a->case_id, b->case_id) && rb_eq(a->engine, b->engine) &&
	    rb_eq(a->rule, b->rule) && rb_eq(a->rationale, b->rationale) &&
	    rb_eq(a->outcome, b->outcome) && rb_eq(a->facts, b->facts) &&
	    rb_eq(a->detail, b->detail) && memcmp(a->prev, b->prev, DIGEST_LEN) == 0 &&
	    memcmp(a->hash, b->hash, DIGEST_LEN) == 0;
}

static void
test_kind_names(void)
{
	for (int k = 0; k < KIND_COUNT; k++)
		CHECK_EQ(record_kind_parse(record_kind_name((enum record_kind)k)), k);
	CHECK_STR(record_kind_name(KIND_STEP_UP), "step_up");
	CHECK_STR(record_kind_name(KIND_COUNT), "?");
	CHECK_EQ(record_kind_parse("edit"), -1);
	CHECK_EQ(record_kind_parse(""), -1);
}

static void
test_roundtrip(void)
{
	for (int k = 0; k < KIND_COUNT; k++) {
		struct record r, d;
		struct buf b, again;
		char *cause = NULL;
		unsigned char h[DIGEST_LEN];

		fill_record(&r, (enum record_kind)k);
		buf_init(&b);
		buf_init(&again);
		buf_adds(&b, "");
		record_encode(&r, &b);
		digest_sha256(b.data, b.len - DIGEST_LEN, h);
		CHECK(memcmp(h, r.hash, DIGEST_LEN) == 0);
		CHECK(memcmp(b.data + b.len - DIGEST_LEN, r.hash, DIGEST_LEN) == 0);
		CHECK(record_decode(b.data, b.len, &d, &cause) == 0);
		free(cause);
		cause = NULL;
		CHECK(records_equal(&r, &d));
		CHECK(rb_inside(d.facts, &b) && rb_inside(d.rationale, &b) && rb_inside(d.case_id, &b));
		CHECK(record_hash_ok(b.data, b.len));
		/* the encoding is canonical: the decoded record encodes to the same bytes */
		record_encode(&d, &again);
		CHECK(again.len == b.len && memcmp(again.data, b.data, b.len) == 0);
		/* JSON export names the kind */
		buf_reset(&again);
		record_to_json(&d, &again);
		buf_addc(&again, '\0');
		CHECK(strstr(again.data, record_kind_name((enum record_kind)k)) != NULL);
		buf_free(&again);
		buf_free(&b);
	}
}

/*
 * Records of versions 1 and 2 have no level of need: decoded, it is their
 * recommended level, and they encode back to their very bytes; version 3
 * keeps a level of need of its own, one byte longer.
 */
static void
test_versions(void)
{
	size_t len[RECORD_VERSION + 1] = { 0 };

	for (int v = 1; v <= RECORD_VERSION; v++) {
		struct record r, d;
		struct buf b, again;
		char *cause = NULL;
		const char *want;

		fill_record(&r, KIND_OVERRIDE);
		r.version = v;
		buf_init(&b);
		buf_init(&again);
		record_encode(&r, &b);
		len[v] = b.len;
		CHECK_EQ(b.data[3], v);
		CHECK(record_decode(b.data, b.len, &d, &cause) == 0);
		free(cause);
		CHECK_EQ(d.version, v);
		CHECK_EQ(d.rec_level, r.rec_level);
		CHECK(r.need_level != r.rec_level);
		CHECK_EQ(d.need_level, v < 3 ? r.rec_level : r.need_level);
		record_encode(&d, &again);
		CHECK(again.len == b.len && memcmp(again.data, b.data, b.len) == 0);
		buf_reset(&again);
		record_to_json(&d, &again);
		buf_addc(&again, '\0');
		want = v < 3 ? "\"recommended_level\":2,\"need_level\":2," :
		    "\"recommended_level\":2,\"need_level\":3,";
		CHECK(strstr(again.data, want) != NULL);
		buf_free(&again);
		buf_free(&b);
	}
	CHECK_EQ(len[3], len[2] + 1);
}

/* Every strict prefix, a trailing byte and each kind of garbling are refused. */
static void
test_decode_rejects(void)
{
	struct record r, d;
	struct buf b;
	char *cause = NULL;
	unsigned char *p;
	size_t n, bad_prefix = 0;

	fill_record(&r, KIND_OVERRIDE);
	buf_init(&b);
	buf_adds(&b, "");
	record_encode(&r, &b);
	n = b.len;
	p = xmalloc(n + 1);
	for (size_t len = 0; len < n; len++) {
		memcpy(p, b.data, len);
		if (record_decode(p, len, &d, &cause) == 0)
			bad_prefix++;
		else if (cause == NULL || strstr(cause, "damaged record") == NULL)
			bad_prefix++;
		free(cause);
		cause = NULL;
	}
	CHECK_EQ(bad_prefix, 0);
	memcpy(p, b.data, n);
	p[n] = 0;
	CHECK(record_decode(p, n + 1, &d, &cause) < 0);
	CHECK_CONTAINS(cause, "wrong length");
	free(cause);
	cause = NULL;

	/* one garbled header field at a time: offset, new value, expected complaint */
	static const struct { size_t off; unsigned char v; const char *why; } garble[] = {
		{ 0, 'X', "not a record" }, { 2, 'r', "not a record" },
		{ 3, RECORD_VERSION + 1, "unknown record version" }, { 3, 0, "unknown record version" },
		{ 20, KIND_COUNT, "unknown kind" }, { 20, 0xfe, "unknown kind" },
		{ 21, ROUTE_COUNT, "impossible route" }, { 23, 0x80, "impossible route" },
		{ 25, 2, "impossible route" },
	};
	for (size_t i = 0; i < sizeof garble / sizeof garble[0]; i++) {
		memcpy(p, b.data, n);
		p[garble[i].off] = garble[i].v;
		CHECK(record_decode(p, n, &d, &cause) < 0);
		if (cause == NULL || strstr(cause, garble[i].why) == NULL)
			fprintf(stderr, "garble %zu: %s\n", i, cause ? cause : "(accepted)");
		CHECK(cause != NULL && strstr(cause, garble[i].why) != NULL);
		free(cause);
		cause = NULL;
	}
	/* string lengths that overrun, or leave bytes over */
	memcpy(p, b.data, n);
	memset(p + 66, 0xff, 4);	/* actor length 4 GiB */
	CHECK(record_decode(p, n, &d, &cause) < 0);
	CHECK_CONTAINS(cause, "truncated");
	free(cause);
	cause = NULL;
	memcpy(p, b.data, n);
	p[66 + 3] = 4;	/* actor "alic": one byte left over at the end */
	CHECK(record_decode(p, n, &d, &cause) < 0);
	free(cause);
	cause = NULL;
	memcpy(p, b.data, n);
	p[66 + 3] = 6;	/* actor one longer: the rest is off by one */
	CHECK(record_decode(p, n, &d, &cause) < 0);
	free(cause);
	cause = NULL;

	/* random garbling never reads outside the bytes and never passes the hash */
	srand(12345);
	size_t hash_passed = 0, outside = 0;
	for (int iter = 0; iter < 20000; iter++) {
		struct buf view = { 0 };

		memcpy(p, b.data, n);
		for (int f = 1 + rand() % 3; f > 0; f--)
			p[(size_t)rand() % n] ^= (unsigned char)(1 + rand() % 255);
		if (memcmp(p, b.data, n) == 0)
			continue;
		if (record_decode(p, n, &d, &cause) == 0) {
			view.data = (char *)p;
			view.len = n;
			outside += !rb_inside(d.actor, &view) || !rb_inside(d.facts, &view) ||
			    !rb_inside(d.detail, &view) || !rb_inside(d.rationale, &view);
		}
		free(cause);
		cause = NULL;
		hash_passed += record_hash_ok(p, n);
	}
	CHECK_EQ(outside, 0);
	CHECK_EQ(hash_passed, 0);
	free(p);
	buf_free(&b);
}

/* Flipping any one bit anywhere is detected by the record's own hash. */
static void
test_hash_flip(void)
{
	struct record r;
	struct buf b;
	size_t missed = 0;

	fill_record(&r, KIND_ROUTE);
	buf_init(&b);
	buf_adds(&b, "");
	record_encode(&r, &b);
	CHECK(record_hash_ok(b.data, b.len));
	for (size_t i = 0; i < b.len; i++)
		for (int bit = 0; bit < 8; bit += 3) {
			b.data[i] ^= (char)(1 << bit);
			missed += record_hash_ok(b.data, b.len);
			b.data[i] ^= (char)(1 << bit);
		}
	CHECK_EQ(missed, 0);
	CHECK(record_hash_ok(b.data, b.len));
	CHECK(!record_hash_ok(b.data, DIGEST_LEN - 1));
	CHECK(!record_hash_ok(b.data, b.len - 1));
	buf_free(&b);
}

/* ---- the chain ---- */

struct append_arg {
	int n;			/* records to append */
	int first;		/* index of the first, for its case id */
	const char *case_fmt;
	size_t facts_len;
	int stale;		/* append after a head one behind the real one */
	int fail_at;		/* 1 + the index that gets an empty (invalid) case id, or 0 */
	struct record out[2];	/* the first two records appended */
	struct dlog_head head;
	int rc_append;
};

static int
append_fn(struct store_txn *t, void *argp)
{
	struct append_arg *a = argp;
	struct dlog_head head;
	struct buf scratch;
	char *facts, id[64];
	int rc = 0;

	if (dlog_head(t, &head) < 0)
		return -1;
	if (a->stale && head.seq > 0)
		head.seq--;
	facts = xmalloc(a->facts_len + 1);
	memset(facts, 'f', a->facts_len);
	buf_init(&scratch);
	for (int i = 0; i < a->n && rc == 0; i++) {
		struct record r;

		fill_record(&r, KIND_ROUTE);
		r.rationale = (struct rbytes){ NULL, 0 };
		r.has_ruleset = 0;	/* a rule set is used only once published: none here */
		snprintf(id, sizeof id, a->case_fmt, a->first + i);
		if (a->fail_at == i + 1)
			id[0] = '\0';
		r.case_id = (struct rbytes){ id, strlen(id) };
		r.facts = (struct rbytes){ facts, a->facts_len };
		rc = dlog_append(t, &head, &r, &scratch);
		a->rc_append = rc;
		if (rc == 0 && i < 2)
			a->out[i] = r;	/* the hashes and seq; the strings are not kept */
	}
	a->head = head;
	buf_free(&scratch);
	free(facts);
	return rc;
}

struct get_arg {
	uint64_t seq;
	int rc;
	struct record r;
	int hash_ok;
	size_t count;
	struct case_state cs;
	int cs_rc;
	struct dlog_head head;
	char case_id[64];
};

static int
get_fn(struct store_txn *t, void *argp)
{
	struct get_arg *a = argp;
	char *cause = NULL;
	unsigned char key[8];
	struct store_val v;

	a->rc = dlog_get(t, a->seq, &a->r, &cause);
	free(cause);
	store_put_u64(key, a->seq);
	a->hash_ok = store_get(t, TABLE_LOG, key, 8, &v) == 0 && record_hash_ok(v.data, v.len);
	if (a->rc == 0) {
		snprintf(a->case_id, sizeof a->case_id, "%.*s", (int)a->r.case_id.n, a->r.case_id.p);
		a->cs_rc = dlog_case_state(t, a->r.case_id.p, a->r.case_id.n, &a->cs);
	}
	if (store_count(t, TABLE_LOG, &a->count) < 0)
		return -1;
	return dlog_head(t, &a->head);
}

struct case_arg {
	const char *id;
	int rc;
	struct case_state cs;
};

static int
case_fn(struct store_txn *t, void *argp)
{
	struct case_arg *a = argp;

	a->rc = dlog_case_state(t, a->id, strlen(a->id), &a->cs);
	return a->rc < 0 ? -1 : 0;
}

static void
test_chain(const char *base)
{
	static const unsigned char zero[DIGEST_LEN];
	char *dir = xasprintf("%s/chain", base), *cause = NULL;
	struct store *s = open_new(dir, 0);
	struct append_arg a, b;
	struct get_arg g;

	CHECK(s != NULL);
	if (s == NULL)
		goto out;
	memset(&g, 0, sizeof g);
	CHECK(store_read(s, get_fn, &g, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(g.head.seq == 0 && memcmp(g.head.hash, zero, DIGEST_LEN) == 0);
	CHECK_EQ(g.rc, 1);

	/* two appends in one transaction */
	memset(&a, 0, sizeof a);
	a.n = 2;
	a.case_fmt = "C-%d";
	a.facts_len = 40;
	CHECK(store_write(s, append_fn, &a, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(a.out[0].seq == 1 && a.out[1].seq == 2);
	CHECK(memcmp(a.out[0].prev, zero, DIGEST_LEN) == 0);	/* genesis */
	CHECK(memcmp(a.out[1].prev, a.out[0].hash, DIGEST_LEN) == 0);
	CHECK(memcmp(a.out[0].hash, a.out[1].hash, DIGEST_LEN) != 0);
	CHECK(a.head.seq == 2 && memcmp(a.head.hash, a.out[1].hash, DIGEST_LEN) == 0);

	/* a third in its own transaction follows the second */
	memset(&b, 0, sizeof b);
	b.n = 1;
	b.first = 0;	/* the same case again: C-0 */
	b.case_fmt = "C-%d";
	b.facts_len = 10;
	CHECK(store_write(s, append_fn, &b, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(b.out[0].seq == 3);
	CHECK(memcmp(b.out[0].prev, a.out[1].hash, DIGEST_LEN) == 0);

	/* stored as written, decodable, hashes intact */
	for (uint64_t seq = 1; seq <= 3; seq++) {
		memset(&g, 0, sizeof g);
		g.seq = seq;
		CHECK(store_read(s, get_fn, &g, &cause) == 0);
		free(cause);
		cause = NULL;
		CHECK_EQ(g.rc, 0);
		CHECK(g.hash_ok);
		CHECK(g.r.seq == seq);
		CHECK_EQ(g.count, 3);
		CHECK(g.head.seq == 3 && memcmp(g.head.hash, b.out[0].hash, DIGEST_LEN) == 0);
	}
	memset(&g, 0, sizeof g);
	g.seq = 2;
	CHECK(store_read(s, get_fn, &g, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(memcmp(g.r.prev, a.out[0].hash, DIGEST_LEN) == 0);
	CHECK(memcmp(g.r.hash, a.out[1].hash, DIGEST_LEN) == 0);
	/* the case state of C-0: two contacts, records 1 and 3 */
	g.seq = 3;
	CHECK(store_read(s, get_fn, &g, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK_STR(g.case_id, "C-0");
	CHECK_EQ(g.cs_rc, 0);
	CHECK(g.cs.contacts == 2 && g.cs.first_seq == 1 && g.cs.last_seq == 3);
	g.seq = 4;
	CHECK(store_read(s, get_fn, &g, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK_EQ(g.rc, 1);

	/* a failing append aborts the whole transaction: nothing of it is kept */
	memset(&b, 0, sizeof b);
	b.n = 3;
	b.first = 10;
	b.case_fmt = "C-%d";
	b.fail_at = 3;		/* two good appends, then an empty case id */
	b.facts_len = 10;
	CHECK(store_write(s, append_fn, &b, &cause) < 0);
	CHECK(cause != NULL && strstr(cause, "case id") != NULL);
	free(cause);
	cause = NULL;
	memset(&g, 0, sizeof g);
	CHECK(store_read(s, get_fn, &g, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(g.head.seq == 3);

	/* an append after a stale head must not succeed (MDB_APPEND refuses the key) */
	memset(&b, 0, sizeof b);
	b.n = 1;
	b.case_fmt = "S-%d";
	b.facts_len = 10;
	b.stale = 1;
	CHECK(store_write(s, append_fn, &b, &cause) < 0);
	free(cause);
	cause = NULL;
	memset(&g, 0, sizeof g);
	g.seq = 3;
	CHECK(store_read(s, get_fn, &g, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(g.head.seq == 3 && g.count == 3);
	CHECK_STR(g.case_id, "C-0");	/* record 3 is still the one written third */
	{
		struct case_arg ca = { "S-0", 0, { 0 } };

		CHECK(store_read(s, case_fn, &ca, &cause) == 0);
		free(cause);
		cause = NULL;
		CHECK_EQ(ca.rc, 1);	/* the refused append left no case state behind */
		if (ca.rc == 0)
			printf("  case S-0: first_seq %llu last_seq %llu contacts %u\n",
			    (unsigned long long)ca.cs.first_seq, (unsigned long long)ca.cs.last_seq,
			    ca.cs.contacts);
	}
	store_close(s);
out:
	free(dir);
}

/* ---- map growth ---- */

static void
test_map_growth(const char *base)
{
	char *dir = xasprintf("%s/grow", base), *cause = NULL;
	struct store *s = open_new(dir, 64 * 1024);
	size_t before, after, failed = 0;
	struct append_arg a;
	struct get_arg g;
	int total = 0;

	CHECK(s != NULL);
	if (s == NULL)
		goto out;
	before = store_map_size(s);
	CHECK(before <= 64 * 1024);
	/* many small transactions, then one large one: 3000 records of ~600 bytes */
	for (int i = 0; i < 20; i++) {
		memset(&a, 0, sizeof a);
		a.n = 100;
		a.first = total;
		a.case_fmt = "G-%06d";
		a.facts_len = 500;
		if (store_write(s, append_fn, &a, &cause) < 0) {
			fprintf(stderr, "growth: %s\n", cause);
			failed++;
		}
		free(cause);
		cause = NULL;
		total += a.n;
	}
	memset(&a, 0, sizeof a);
	a.n = 1000;
	a.first = total;
	a.case_fmt = "G-%06d";
	a.facts_len = 500;
	if (store_write(s, append_fn, &a, &cause) < 0) {
		fprintf(stderr, "growth (one transaction): %s\n", cause);
		failed++;
	}
	free(cause);
	cause = NULL;
	total += a.n;
	CHECK_EQ(failed, 0);
	after = store_map_size(s);
	CHECK(after > before);
	CHECK(after >= 3000 * 500);
	memset(&g, 0, sizeof g);
	g.seq = (uint64_t)total;
	CHECK(store_read(s, get_fn, &g, &cause) == 0);
	free(cause);
	cause = NULL;
	CHECK(g.count == (size_t)total && g.head.seq == (uint64_t)total);
	CHECK(g.rc == 0 && g.hash_ok);
	CHECK_STR(g.case_id, "G-002999");
	store_close(s);

	/* reopened by a new process, the grown map is adopted and every record is there */
	s = open_old(dir, &cause);
	CHECK(s != NULL);
	free(cause);
	cause = NULL;
	if (s != NULL) {
		CHECK(store_map_size(s) >= after);
		memset(&g, 0, sizeof g);
		g.seq = 1;
		CHECK(store_read(s, get_fn, &g, &cause) == 0);
		free(cause);
		cause = NULL;
		CHECK(g.count == (size_t)total && g.rc == 0 && g.hash_ok);
		CHECK_STR(g.case_id, "G-000000");
		store_close(s);
	}
out:
	free(dir);
}

/* ---- file modes ---- */

static unsigned
mode_of(const char *dir, const char *file)
{
	char *p = file ? xasprintf("%s/%s", dir, file) : xstrdup(dir);
	struct stat st;
	unsigned m = 0xffff;

	if (stat(p, &st) == 0)
		m = (unsigned)(st.st_mode & 07777);
	free(p);
	return m;
}

static void
test_modes(const char *base)
{
	static const mode_t masks[] = { 000, 022, 077, 007 };
	mode_t old = umask(022);

	for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		char *dir = xasprintf("%s/mode%03o", base, (unsigned)masks[i]);
		struct store *s;

		umask(masks[i]);
		s = open_new(dir, 0);
		CHECK(s != NULL);
		store_close(s);
		if (mode_of(dir, NULL) != 02770 || mode_of(dir, "data.mdb") != 0660 ||
		    mode_of(dir, "lock.mdb") != 0660)
			fprintf(stderr, "umask %03o: dir %04o data %04o lock %04o\n",
			    (unsigned)masks[i], mode_of(dir, NULL), mode_of(dir, "data.mdb"),
			    mode_of(dir, "lock.mdb"));
		CHECK_EQ(mode_of(dir, NULL), 02770);
		CHECK_EQ(mode_of(dir, "data.mdb"), 0660);
		CHECK_EQ(mode_of(dir, "lock.mdb"), 0660);
		free(dir);
	}
	/* an existing empty directory is tightened too */
	{
		char *dir = xasprintf("%s/existing", base);
		struct store *s;

		umask(0);
		CHECK(mkdir(dir, 0777) == 0);
		s = open_new(dir, 0);
		CHECK(s != NULL);
		store_close(s);
		CHECK_EQ(mode_of(dir, NULL), 02770);
		CHECK_EQ(mode_of(dir, "data.mdb"), 0660);
		free(dir);
	}
	umask(old);
}

/* Every way of opening a database to all users is refused, with a message. */
static void
test_world_access(const char *base)
{
	static const struct { const char *file; mode_t mode; } open_to_all[] = {
		{ "data.mdb", 0664 }, { "data.mdb", 0662 }, { "lock.mdb", 0664 },
		{ NULL, 02775 }, { NULL, 02771 },
	};
	char *dir = xasprintf("%s/world", base), *cause = NULL;
	struct store *s = open_new(dir, 0);

	CHECK(s != NULL);
	store_close(s);
	s = open_old(dir, &cause);
	CHECK(s != NULL);
	store_close(s);
	free(cause);
	for (size_t i = 0; i < sizeof open_to_all / sizeof open_to_all[0]; i++) {
		char *p = open_to_all[i].file ? xasprintf("%s/%s", dir, open_to_all[i].file) :
		    xstrdup(dir);
		mode_t good = open_to_all[i].file ? 0660 : 02770;

		CHECK(chmod(p, open_to_all[i].mode) == 0);
		s = open_old(dir, &cause);
		CHECK(s == NULL);
		store_close(s);
		CHECK_CONTAINS(cause, "open to every user");
		CHECK(cause != NULL && strstr(cause, open_to_all[i].file ? open_to_all[i].file :
		    dir) != NULL);
		free(cause);
		CHECK(chmod(p, good) == 0);
		free(p);
	}
	s = open_old(dir, &cause);
	CHECK(s != NULL);
	store_close(s);
	free(cause);
	/* not a database at all */
	{
		char *none = xasprintf("%s/nothing-here", base);

		s = open_old(none, &cause);
		CHECK(s == NULL);
		CHECK_CONTAINS(cause, "no database here");
		free(cause);
		free(none);
	}
	/* create refuses to overwrite a database */
	{
		struct store_opts o = { 1, 0, 0 };

		cause = NULL;
		s = NULL;
		CHECK(store_open(&s, dir, &o, &cause) < 0);
		CHECK_CONTAINS(cause, "already holds a database");
		free(cause);
	}
	free(dir);
}

/* ---- schema versions ---- */

struct meta_arg {
	const void *val;
	size_t len;		/* 0: delete */
};

static int
put_meta(struct store_txn *t, void *argp)
{
	struct meta_arg *a = argp;

	if (a->len == 0)
		return store_del(t, TABLE_META, "schema", 6) < 0 ? -1 : 0;
	return store_put(t, TABLE_META, "schema", 6, a->val, a->len);
}

static int
set_schema(const char *dir, const void *val, size_t len)
{
	struct meta_arg a = { val, len };
	char *cause = NULL;
	struct store *s = open_old(dir, &cause);
	int rc;

	if (s == NULL) {
		fprintf(stderr, "set_schema: %s\n", cause);
		free(cause);
		return -1;
	}
	rc = store_write(s, put_meta, &a, &cause);
	free(cause);
	store_close(s);
	return rc;
}

/* Writes meta "schema" with liblmdb alone, as another program (or version) would. */
static int
set_schema_raw(const char *dir, uint64_t v)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	unsigned char b[8];
	MDB_val k = { 6, "schema" }, d = { 8, b };
	int rc;

	store_put_u64(b, v);
	if (mdb_env_create(&env) != 0)
		return -1;
	mdb_env_set_maxdbs(env, 32);
	rc = mdb_env_open(env, dir, 0, 0660);
	if (rc == 0)
		rc = mdb_txn_begin(env, NULL, 0, &txn);
	if (rc == 0) {
		rc = mdb_dbi_open(txn, "meta", 0, &dbi);
		if (rc == 0)
			rc = mdb_put(txn, dbi, &k, &d, 0);
		if (rc == 0)
			rc = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
	}
	mdb_env_close(env);
	return rc == 0 ? 0 : -1;
}

static void
test_schema(const char *base)
{
	char *dir = xasprintf("%s/schema", base), *cause = NULL;
	struct store *s = open_new(dir, 0);
	unsigned char v[8];

	CHECK(s != NULL);
	store_close(s);

	store_put_u64(v, 99);
	CHECK(set_schema(dir, v, 8) == 0);
	s = open_old(dir, &cause);
	CHECK(s == NULL);
	CHECK_CONTAINS(cause, "newer frontdoor");
	CHECK_CONTAINS(cause, "99");
	free(cause);

	store_put_u64(v, STORE_SCHEMA_VERSION);
	CHECK(set_schema_raw(dir, STORE_SCHEMA_VERSION) == 0);
	s = open_old(dir, &cause);
	CHECK(s != NULL);
	store_close(s);
	free(cause);

	CHECK(set_schema_raw(dir, STORE_SCHEMA_VERSION + 1) == 0);
	s = open_old(dir, &cause);
	CHECK(s == NULL);
	CHECK_CONTAINS(cause, "newer frontdoor");
	free(cause);
	CHECK(set_schema_raw(dir, 1ULL << 56) == 0);	/* little-endian 1 read big-endian */
	s = open_old(dir, &cause);
	CHECK(s == NULL);
	free(cause);

	CHECK(set_schema_raw(dir, STORE_SCHEMA_VERSION) == 0);
	CHECK(set_schema(dir, "\0\0\0\1", 4) == 0);
	s = open_old(dir, &cause);
	CHECK(s == NULL);
	CHECK_CONTAINS(cause, "damaged schema");
	free(cause);

	CHECK(set_schema_raw(dir, STORE_SCHEMA_VERSION) == 0);
	CHECK(set_schema(dir, NULL, 0) == 0);
	s = open_old(dir, &cause);
	CHECK(s == NULL);
	CHECK_CONTAINS(cause, "no schema version");
	free(cause);
	free(dir);
}

/* One database file replaced: the open is refused with a cause naming why. */
static void
check_refused(const char *dir, const char *want)
{
	char *cause = NULL;
	struct store *s = open_old(dir, &cause);

	CHECK(s == NULL);
	store_close(s);
	CHECK(cause != NULL && strstr(cause, want) != NULL);
	if (cause == NULL || strstr(cause, want) == NULL)
		fprintf(stderr, "  wanted \"%s\" in: %s\n", want, cause ? cause : "(none)");
	free(cause);
}

/* A lock.mdb or data.mdb that is a symlink, a FIFO or has a second name is never opened. */
static void
test_links(const char *base)
{
	char *dir = xasprintf("%s/links", base), *cause = NULL;
	char *lock = xasprintf("%s/lock.mdb", dir), *data = xasprintf("%s/data.mdb", dir);
	char *victim = xasprintf("%s/victim", base), *saved = xasprintf("%s/saved", base);
	struct store *s = open_new(dir, 0);
	struct stat st;
	FILE *fp;

	CHECK(s != NULL);
	store_close(s);
	fp = fopen(victim, "w");
	CHECK(fp != NULL);
	if (fp != NULL) {
		fputs("not a lock file\n", fp);
		fclose(fp);
	}
	CHECK(chmod(victim, 0660) == 0);
	/* the attack: LMDB would truncate and rewrite whatever lock.mdb points at */
	CHECK(rename(lock, saved) == 0 && symlink(victim, lock) == 0);
	check_refused(dir, "lock.mdb is a symbolic link");
	CHECK(stat(victim, &st) == 0 && st.st_size == 16);
	CHECK(unlink(lock) == 0 && mkfifo(lock, 0660) == 0);
	check_refused(dir, "not a regular file");
	CHECK(unlink(lock) == 0 && rename(saved, lock) == 0);
	CHECK(rename(data, saved) == 0 && symlink(saved, data) == 0);
	check_refused(dir, "data.mdb is a symbolic link");
	CHECK(unlink(data) == 0 && link(saved, data) == 0);
	check_refused(dir, "more than one name");
	CHECK(unlink(saved) == 0);
	s = open_old(dir, &cause);
	CHECK(s != NULL);
	store_close(s);
	free(cause);
	free(lock);
	free(data);
	free(victim);
	free(saved);
	free(dir);
}

/* Writes an access ACL in the kernel's stored form: owner and group rw, one named user. */
static int
set_acl(const char *path, const char *attr, unsigned named_perm, unsigned mask)
{
	static const unsigned short tags[] = { 0x01, 0x02, 0x04, 0x10, 0x20 };
	unsigned perms[] = { 6, named_perm, 6, mask, 0 };
	unsigned char acl[4 + 5 * 8] = { 2, 0, 0, 0 };

	for (size_t i = 0; i < 5; i++) {
		unsigned char *e = acl + 4 + 8 * i;
		uint32_t id = tags[i] == 0x02 ? 54321 : 0xffffffffu;

		e[0] = (unsigned char)tags[i];
		e[2] = (unsigned char)perms[i];
		for (int b = 0; b < 4; b++)
			e[4 + b] = (unsigned char)(id >> (8 * b));
	}
	return setxattr(path, attr, acl, sizeof acl, 0);
}

/* An ACL that lets a user outside owner and group in is refused like an "other" bit. */
static void
test_acl(const char *base)
{
	char *dir = xasprintf("%s/acl", base), *data = xasprintf("%s/data.mdb", dir);
	char *cause = NULL;
	struct store *s = open_new(dir, 0);

	CHECK(s != NULL);
	store_close(s);
	if (set_acl(data, "system.posix_acl_access", 4, 6) < 0) {
		printf("test_acl: no POSIX ACLs here (%s): skipped\n", strerror(errno));
		goto out;
	}
	check_refused(dir, "has an ACL that lets in users outside");
	/* the mask lets nothing through: nothing granted, nothing refused */
	CHECK(set_acl(data, "system.posix_acl_access", 4, 0) == 0);
	s = open_old(dir, &cause);
	CHECK(s != NULL);
	store_close(s);
	free(cause);
	CHECK(removexattr(data, "system.posix_acl_access") == 0 && chmod(data, 0660) == 0);
	CHECK(set_acl(dir, "system.posix_acl_default", 6, 6) == 0);
	check_refused(dir, "has an ACL that lets in users outside");
	CHECK(removexattr(dir, "system.posix_acl_default") == 0);
	s = open_old(dir, &cause);
	CHECK(s != NULL);
	store_close(s);
	free(cause);
out:
	free(data);
	free(dir);
}

static int
noop_txn(struct store_txn *t, void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

static int
set_user_txn(struct store_txn *t, void *arg)
{
	const char *role = arg;

	if (role == NULL)
		return store_del(t, TABLE_USERS, "ann", 3) < 0 ? -1 : 0;
	return store_put(t, TABLE_USERS, "ann", 3, role, strlen(role));
}

/* With roles_guard set, every transaction stops once the user's role is gone or changed. */
static void
test_guard(const char *base)
{
	char *dir = xasprintf("%s/guard", base), *cause = NULL;
	struct roles_session session = { "ann", ROLE_OFFICER };
	struct store *s = open_new(dir, 0);

	CHECK(s != NULL);
	if (s == NULL)
		goto out;
	CHECK(store_write(s, set_user_txn, "officer", &cause) == 0);
	store_set_guard(s, roles_guard, &session);
	CHECK(store_read(s, noop_txn, NULL, &cause) == 0);
	store_set_guard(s, NULL, NULL);
	CHECK(store_write(s, set_user_txn, "manager", &cause) == 0);
	store_set_guard(s, roles_guard, &session);
	CHECK(store_read(s, noop_txn, NULL, &cause) < 0);
	CHECK_CONTAINS(cause, "is now manager, no longer officer");
	free(cause);
	cause = NULL;
	store_set_guard(s, NULL, NULL);
	CHECK(store_write(s, set_user_txn, NULL, &cause) == 0);
	store_set_guard(s, roles_guard, &session);
	CHECK(store_write(s, noop_txn, NULL, &cause) < 0);
	CHECK_CONTAINS(cause, "no longer has a role");
	free(cause);
	store_close(s);
out:
	free(dir);
}

int
main(void)
{
	char *base = scratch_make();

	test_u64_bytes();
	test_u64_lmdb(base);
	test_put_results(base);
	test_kind_names();
	test_roundtrip();
	test_versions();
	test_decode_rejects();
	test_hash_flip();
	test_chain(base);
	test_map_growth(base);
	test_modes(base);
	test_world_access(base);
	test_links(base);
	test_acl(base);
	test_guard(base);
	test_schema(base);
	scratch_remove(base);
	free(base);
	return check_done();
}
