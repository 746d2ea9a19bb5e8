/* tamper.c: edits a frontdoor database behind its back with liblmdb, as an intruder would. */
#include <errno.h>
#include <lmdb.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Knows the record layout (record.c, versions 1 and 2): a 66-byte header (seq
 * at 4, time at 12), nine length-prefixed strings (facts is the eighth; version
 * 2 adds a tenth after them, which edit leaves alone), then prev and hash, 32
 * bytes each; the hash is SHA-256 of every byte before it.
 */
#define HEADER_LEN 66
#define NSTRINGS 9
#define FACTS 7
#define HLEN 32

static const char usage[] =
    "usage: tamper DIR COMMAND ...\n"
    "  list                 print every log key and value length\n"
    "  head                 print SEQ:HASH of the last record\n"
    "  flip SEQ [facts|magic|hash|len]  flip one byte of record SEQ\n"
    "  del SEQ              delete record SEQ\n"
    "  swap N M             swap the values of records N and M\n"
    "  copy FROM TO         store record FROM's bytes again under key TO\n"
    "  forge SEQ            store under SEQ a well-formed record (its own seq and hash)\n"
    "                       that does not follow the one before it\n"
    "  truncate K           delete the last K records\n"
    "  rehash SEQ           change record SEQ's time and recompute its own hash\n"
    "  rechain SEQ          the same, then rewrite every later record to follow it\n"
    "  edit                 read lines SEQ OLDHEX NEWHEX: in record SEQ put NEW for the\n"
    "                       first OLD in one of its strings; then rehash and rechain\n"
    "  rawkey HEX FROM      store record FROM's bytes under an arbitrary key\n"
    "  clear TABLE          delete every entry of a named table\n"
    "  drop TABLE           delete a named table itself (a database made before it was)\n"
    "  ruleset-append TEXT  append TEXT to every stored rule set's bytes, in place\n"
    "  index CASE SEQ       add record SEQ to the case index of CASE\n"
    "  put TABLE KEYHEX VALHEX  write one entry of a named table (as plain liblmdb can)\n";

static MDB_env *env;
static MDB_txn *txn;
static MDB_dbi logdbi;

static _Noreturn void
die(const char *what, int rc)
{
	fprintf(stderr, "tamper: %s: %s\n", what, rc ? mdb_strerror(rc) : "failed");
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (env != NULL)
		mdb_env_close(env);
	exit(1);
}

static void
put_u64(unsigned char *out, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = (unsigned char)(v & 0xff);
}

static uint64_t
get_u64(const unsigned char *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | in[i];
	return v;
}

static uint64_t
arg_u64(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0) {
		fprintf(stderr, "tamper: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

static void
sha256(const void *p, size_t n, unsigned char out[HLEN])
{
	unsigned int len = HLEN;

	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1)
		die("sha256", 0);
}

/* A copy of record seq's bytes (the caller frees it). */
static unsigned char *
get_record(uint64_t seq, size_t *len)
{
	unsigned char k[8], *copy;
	MDB_val key = { 8, k }, val;
	int rc;

	put_u64(k, seq);
	if ((rc = mdb_get(txn, logdbi, &key, &val)) != 0) {
		fprintf(stderr, "tamper: record %llu: %s\n", (unsigned long long)seq,
		    mdb_strerror(rc));
		die("get", 0);
	}
	copy = malloc(val.mv_size);
	if (copy == NULL)
		die("out of memory", 0);
	memcpy(copy, val.mv_data, val.mv_size);
	*len = val.mv_size;
	return copy;
}

static void
put_key(const void *k, size_t klen, const void *v, size_t vlen)
{
	MDB_val key = { klen, (void *)k }, val = { vlen, (void *)v };
	int rc = mdb_put(txn, logdbi, &key, &val, 0);

	if (rc != 0)
		die("put", rc);
}

static void
put_record(uint64_t seq, const unsigned char *v, size_t len)
{
	unsigned char k[8];

	put_u64(k, seq);
	put_key(k, 8, v, len);
}

static void
del_record(uint64_t seq)
{
	unsigned char k[8];
	MDB_val key = { 8, k };
	int rc;

	put_u64(k, seq);
	if ((rc = mdb_del(txn, logdbi, &key, NULL)) != 0)
		die("del", rc);
}

static uint64_t
last_seq(void)
{
	MDB_cursor *c = NULL;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, logdbi, &c)) != 0)
		die("cursor", rc);
	rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0 || k.mv_size != 8)
		die("last", rc);
	return get_u64(k.mv_data);
}

static size_t
get_u32(const unsigned char *in)
{
	return (size_t)in[0] << 24 | (size_t)in[1] << 16 | (size_t)in[2] << 8 | in[3];
}

/* Where string `which`'s length (4 bytes, then its bytes) starts in an encoded record. */
static size_t
string_offset(const unsigned char *p, size_t len, int which)
{
	size_t off = HEADER_LEN;

	for (int i = 0; i < which; i++) {
		if (off + 4 > len)
			die("record too short", 0);
		off += 4 + get_u32(p + off);
	}
	if (off + 4 > len || off + 4 + get_u32(p + off) > len)
		die("record too short", 0);
	return off;
}

/* Where the facts string's bytes start in an encoded record. */
static size_t
facts_offset(const unsigned char *p, size_t len)
{
	return string_offset(p, len, FACTS) + 4;
}

/* Recomputes the record's own hash over its bytes. */
static void
rehash(unsigned char *p, size_t len)
{
	sha256(p, len - HLEN, p + len - HLEN);
}

/* Rewrites records from..last to follow each other, each with its own hash recomputed. */
static void
rechain(uint64_t from, uint64_t last)
{
	unsigned char prev[HLEN], *p;
	size_t len;

	for (uint64_t seq = from; seq <= last; seq++) {
		p = get_record(seq, &len);
		if (seq > from)
			memcpy(p + len - 2 * HLEN, prev, HLEN);
		rehash(p, len);
		memcpy(prev, p + len - HLEN, HLEN);
		put_record(seq, p, len);
		free(p);
	}
}

static void
hex(const unsigned char *h, char out[2 * HLEN + 1])
{
	for (int i = 0; i < HLEN; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void
cmd_list(void)
{
	MDB_cursor *c = NULL;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, logdbi, &c)) != 0)
		die("cursor", rc);
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
		if (k.mv_size == 8)
			printf("%llu %zu\n", (unsigned long long)get_u64(k.mv_data), v.mv_size);
		else
			printf("key of %zu bytes, %zu\n", k.mv_size, v.mv_size);
	mdb_cursor_close(c);
}

static void
cmd_clear(const char *table, int del)
{
	MDB_dbi dbi;
	int rc = mdb_dbi_open(txn, table, 0, &dbi);

	if (rc != 0)
		die(table, rc);
	if ((rc = mdb_drop(txn, dbi, del)) != 0)
		die("drop", rc);
}

/* Edits every stored rule set under its old key, as a quiet "fix" to the thresholds would. */
static void
cmd_ruleset_append(const char *text)
{
	MDB_dbi dbi;
	MDB_cursor *c = NULL;
	MDB_val k, v;
	size_t tlen = strlen(text);
	int rc = mdb_dbi_open(txn, "rulesets", 0, &dbi);

	if (rc != 0 || (rc = mdb_cursor_open(txn, dbi, &c)) != 0)
		die("rulesets", rc);
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		unsigned char *edited = malloc(v.mv_size + tlen);
		MDB_val nv = { v.mv_size + tlen, edited };

		if (edited == NULL)
			die("malloc", ENOMEM);
		memcpy(edited, v.mv_data, v.mv_size);
		memcpy(edited + v.mv_size, text, tlen);
		if ((rc = mdb_cursor_put(c, &k, &nv, MDB_CURRENT)) != 0)
			die("put", rc);
		free(edited);
	}
	if (rc != MDB_NOTFOUND)
		die("cursor", rc);
	mdb_cursor_close(c);
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes n hex digits into out; their byte count, or -1. */
static long
unhex(const char *s, size_t n, unsigned char *out)
{
	if (n % 2 != 0)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

/* Puts new in place of the first old in one of record seq's strings, fixing its length. */
static void
edit_record(uint64_t seq, const unsigned char *old, size_t olen, const unsigned char *new,
    size_t nlen)
{
	unsigned char *p, *q;
	size_t len, off, n;

	p = get_record(seq, &len);
	for (int i = 0; i < NSTRINGS; i++) {
		off = string_offset(p, len, i);
		n = get_u32(p + off);
		for (size_t at = 0; olen > 0 && at + olen <= n; at++) {
			if (memcmp(p + off + 4 + at, old, olen) != 0)
				continue;
			if ((q = malloc(len - olen + nlen)) == NULL)
				die("out of memory", 0);
			memcpy(q, p, off + 4 + at);
			memcpy(q + off + 4 + at, new, nlen);
			memcpy(q + off + 4 + at + nlen, p + off + 4 + at + olen,
			    len - off - 4 - at - olen);
			n = n - olen + nlen;
			q[off] = (unsigned char)(n >> 24);
			q[off + 1] = (unsigned char)(n >> 16);
			q[off + 2] = (unsigned char)(n >> 8);
			q[off + 3] = (unsigned char)n;
			put_record(seq, q, len - olen + nlen);
			free(q);
			free(p);
			return;
		}
	}
	fprintf(stderr, "tamper: record %llu holds no such text\n", (unsigned long long)seq);
	die("edit", 0);
}

/*
 * Edits text inside records, as an older frontdoor that stored it unchecked, or an
 * intruder, would have left it; the chain is rebuilt from the first record edited.
 */
static void
cmd_edit(void)
{
	static char line[1 << 16];
	static unsigned char old[1 << 15], new[1 << 15];
	uint64_t first = 0;

	while (fgets(line, sizeof line, stdin) != NULL) {
		char *a = strtok(line, " \n"), *o = strtok(NULL, " \n"), *w = strtok(NULL, " \n");
		long olen = 0, nlen = 0;
		uint64_t seq;

		if (a == NULL)
			continue;
		seq = arg_u64(a);
		if (o == NULL || w == NULL || (olen = unhex(o, strlen(o), old)) <= 0 ||
		    (nlen = unhex(w, strlen(w), new)) < 0) {
			fputs(usage, stderr);
			die("edit: a line is not SEQ OLDHEX NEWHEX", 0);
		}
		edit_record(seq, old, (size_t)olen, new, (size_t)nlen);
		if (first == 0 || seq < first)
			first = seq;
	}
	if (first != 0)
		rechain(first, last_seq());
}

/* Writes one entry of a named table, key and value given in hex. */
static void
cmd_put(const char *table, const char *khex, const char *vhex)
{
	size_t kn = strlen(khex), vn = strlen(vhex);
	unsigned char *k = malloc(kn / 2 + 1), *v = malloc(vn / 2 + 1);
	long kl = k != NULL ? unhex(khex, kn, k) : -1, vl = v != NULL ? unhex(vhex, vn, v) : -1;
	MDB_val key, val;
	MDB_dbi dbi;
	int rc;

	if (kl <= 0 || vl < 0)
		die("put: KEYHEX and VALHEX must be hex digits", 0);
	key.mv_data = k;
	key.mv_size = (size_t)kl;
	val.mv_data = v;
	val.mv_size = (size_t)vl;
	if ((rc = mdb_dbi_open(txn, table, 0, &dbi)) != 0 || (rc = mdb_put(txn, dbi, &key, &val, 0)) != 0)
		die("put", rc);
	free(k);
	free(v);
}

int
main(int argc, char **argv)
{
	const char *cmd;
	unsigned char *p, *q;
	size_t len, qlen;
	uint64_t a = 0, b = 0;
	int rc, readonly;

	if (argc < 3) {
		fputs(usage, stderr);
		return 2;
	}
	cmd = argv[2];
	readonly = strcmp(cmd, "list") == 0 || strcmp(cmd, "head") == 0;
	if ((rc = mdb_env_create(&env)) != 0 || (rc = mdb_env_set_maxdbs(env, 32)) != 0)
		die("env", rc);
	if ((rc = mdb_env_open(env, argv[1], readonly ? MDB_RDONLY : 0, 0660)) != 0)
		die(argv[1], rc);
	if ((rc = mdb_txn_begin(env, NULL, readonly ? MDB_RDONLY : 0, &txn)) != 0)
		die("begin", rc);
	if ((rc = mdb_dbi_open(txn, "log", 0, &logdbi)) != 0)
		die("log", rc);
	if (argc >= 4 && strcmp(cmd, "rawkey") != 0 && strcmp(cmd, "clear") != 0 &&
	    strcmp(cmd, "drop") != 0 && strcmp(cmd, "put") != 0 &&
	    strcmp(cmd, "index") != 0 && strcmp(cmd, "ruleset-append") != 0)
		a = arg_u64(argv[3]);
	if (argc >= 5 && strcmp(cmd, "flip") != 0 && strcmp(cmd, "put") != 0)
		b = arg_u64(argv[4]);

	if (strcmp(cmd, "list") == 0 && argc == 3)
		cmd_list();
	else if (strcmp(cmd, "head") == 0 && argc == 3) {
		char h[2 * HLEN + 1];

		a = last_seq();
		p = get_record(a, &len);
		hex(p + len - HLEN, h);
		printf("%llu:%s\n", (unsigned long long)a, h);
		free(p);
	} else if (strcmp(cmd, "flip") == 0 && (argc == 4 || argc == 5)) {
		const char *where = argc == 5 ? argv[4] : "facts";
		size_t off;

		p = get_record(a, &len);
		if (strcmp(where, "facts") == 0)
			off = facts_offset(p, len) + 5;	/* inside the case JSON */
		else if (strcmp(where, "magic") == 0)
			off = 0;
		else if (strcmp(where, "hash") == 0)
			off = len - 1;
		else if (strcmp(where, "len") == 0)
			off = HEADER_LEN + 3;	/* the actor's length */
		else {
			fputs(usage, stderr);
			return 2;
		}
		p[off] ^= 0x01;
		put_record(a, p, len);
		free(p);
	} else if (strcmp(cmd, "del") == 0 && argc == 4)
		del_record(a);
	else if (strcmp(cmd, "swap") == 0 && argc == 5) {
		p = get_record(a, &len);
		q = get_record(b, &qlen);
		put_record(a, q, qlen);
		put_record(b, p, len);
		free(p);
		free(q);
	} else if (strcmp(cmd, "copy") == 0 && argc == 5) {
		p = get_record(a, &len);
		put_record(b, p, len);
		free(p);
	} else if (strcmp(cmd, "forge") == 0 && argc == 4) {
		/* the newest record again, renumbered, chained to nothing, hash recomputed */
		p = get_record(last_seq(), &len);
		put_u64(p + 4, a);
		memset(p + len - 2 * HLEN, 0x5a, HLEN);
		rehash(p, len);
		put_record(a, p, len);
		free(p);
	} else if (strcmp(cmd, "truncate") == 0 && argc == 4) {
		uint64_t last = last_seq();

		for (uint64_t i = 0; i < a && last - i >= 1; i++)
			del_record(last - i);
	} else if ((strcmp(cmd, "rehash") == 0 || strcmp(cmd, "rechain") == 0) && argc == 4) {
		uint64_t last = strcmp(cmd, "rechain") == 0 ? last_seq() : a;

		p = get_record(a, &len);
		put_u64(p + 12, get_u64(p + 12) - 3600);	/* an hour earlier */
		put_record(a, p, len);
		free(p);
		rechain(a, last);
	} else if (strcmp(cmd, "edit") == 0 && argc == 3)
		cmd_edit();
	else if (strcmp(cmd, "rawkey") == 0 && argc == 5) {
		size_t n = strlen(argv[3]) / 2;
		unsigned char k[64];

		if (n == 0 || n > sizeof k || strlen(argv[3]) % 2 != 0) {
			fputs(usage, stderr);
			return 2;
		}
		for (size_t i = 0; i < n; i++) {
			int hi = hexval(argv[3][2 * i]), lo = hexval(argv[3][2 * i + 1]);

			if (hi < 0 || lo < 0) {
				fputs(usage, stderr);
				return 2;
			}
			k[i] = (unsigned char)(hi << 4 | lo);
		}
		p = get_record(b, &len);
		put_key(k, n, p, len);
		free(p);
	} else if (strcmp(cmd, "index") == 0 && argc == 5) {
		size_t n = strlen(argv[3]);
		unsigned char k[300];
		MDB_dbi dbi;
		MDB_val key = { n + 9, k }, val = { 0, "" };

		if (n == 0 || n > 256) {
			fputs(usage, stderr);
			return 2;
		}
		memcpy(k, argv[3], n);
		k[n] = 0;
		put_u64(k + n + 1, b);
		/* the index has its own table in older layouts, else it shares "cases" */
		rc = mdb_dbi_open(txn, "case_index", 0, &dbi);
		if (rc == MDB_NOTFOUND)
			rc = mdb_dbi_open(txn, "cases", 0, &dbi);
		if (rc != 0 || (rc = mdb_put(txn, dbi, &key, &val, 0)) != 0)
			die("index", rc);
	} else if (strcmp(cmd, "clear") == 0 && argc == 4)
		cmd_clear(argv[3], 0);
	else if (strcmp(cmd, "drop") == 0 && argc == 4)
		cmd_clear(argv[3], 1);
	else if (strcmp(cmd, "ruleset-append") == 0 && argc == 4)
		cmd_ruleset_append(argv[3]);
	else if (strcmp(cmd, "put") == 0 && argc == 6)
		cmd_put(argv[3], argv[4], argv[5]);
	else {
		fputs(usage, stderr);
		mdb_txn_abort(txn);
		mdb_env_close(env);
		return 2;
	}
	if (readonly)
		mdb_txn_abort(txn);
	else if ((rc = mdb_txn_commit(txn)) != 0) {
		txn = NULL;
		die("commit", rc);
	}
	txn = NULL;
	mdb_env_close(env);
	return 0;
}
