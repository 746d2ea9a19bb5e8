/* proof.c: signs checkpoints of the log's tree and writes and checks the proofs an outsider needs. */
#include "core/proof.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/privsep.h"
#include "store/dlog.h"
#include "store/tree.h"

static const char vkey_meta[] = "log-vkey";

/* The host's name as a key name's first part, or "localhost" when it cannot be one. */
static char *
host_part(void)
{
	char host[256];

	if (gethostname(host, sizeof host) != 0)
		return xstrdup("localhost");
	host[sizeof host - 1] = '\0';
	return note_name_ok(host) ? xstrdup(host) : xstrdup("localhost");
}

/* Writes the private key to a new file, readable by the group only. */
static int
write_key_file(const char *path, const struct note_key *k, char **cause)
{
	struct buf b;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600), rc = -1;

	if (fd < 0) {
		*cause = xasprintf(errno == EEXIST ? "%s exists, but the database names no key: "
		    "move it away, or restore the database it belongs to" : "cannot create %s: %s",
		    path, strerror(errno));
		return -1;
	}
	buf_init(&b);
	note_skey(k, &b);
	buf_addc(&b, '\n');
	if (fchmod(fd, 0640) == 0 && write(fd, b.data, b.len) == (ssize_t)b.len && fsync(fd) == 0)
		rc = 0;
	else
		*cause = xasprintf("cannot write %s: %s", path, strerror(errno));
	OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	close(fd);
	if (rc < 0)
		unlink(path);
	return rc;
}

static int
put_vkey_txn(struct store_txn *t, void *arg)
{
	const struct buf *vkey = arg;
	int rc = store_put_new(t, TABLE_META, vkey_meta, sizeof vkey_meta - 1, vkey->data,
	    vkey->len);

	if (rc == 1)
		return store_fail(t, "this database already has a checkpoint key");
	return rc;
}

static int
get_vkey_txn(struct store_txn *t, void *arg)
{
	struct buf *out = arg;
	struct store_val v;
	int rc = store_get(t, TABLE_META, vkey_meta, sizeof vkey_meta - 1, &v);

	if (rc == 0)
		buf_add(out, v.data, v.len);
	return rc;
}

int
proof_vkey_text(struct store *s, struct buf *out, char **cause)
{
	return store_read(s, get_vkey_txn, out, cause);
}

int
proof_vkey(struct store *s, struct note_key *k, char **cause)
{
	struct buf b;
	int rc;

	buf_init(&b);
	rc = proof_vkey_text(s, &b, cause);
	if (rc == 0 && note_vkey_parse(b.data, b.len, k, cause) < 0)
		rc = -1;
	buf_free(&b);
	return rc;
}

int
proof_key_create(struct store *s, const char *origin, struct buf *vkey, char **cause)
{
	struct note_key k;
	struct buf have;
	char *path = NULL, *name = NULL, *host;
	int rc = -1;

	buf_init(&have);
	if (proof_vkey_text(s, &have, cause) != 1) {
		if (*cause == NULL)
			*cause = xstrdup("this database already has a checkpoint key (frontdoor "
			    "checkpoint --vkey prints it)");
		goto out;
	}
	if (note_key_generate("frontdoor", NOTE_ED25519, &k, cause) < 0)
		goto out;
	/* by default a name of this host and this key, so two logs never share one */
	host = host_part();
	name = origin != NULL ? xstrdup(origin) : xasprintf("%s/frontdoor/%02x%02x%02x%02x", host,
	    k.pub[0], k.pub[1], k.pub[2], k.pub[3]);
	free(host);
	if (!note_name_ok(name)) {
		*cause = xstrdup("the log's name (--origin) must be printable ASCII without spaces "
		    "or '+', like example.org/frontdoor");
		goto key;
	}
	free(k.name);
	k.name = xstrdup(name);
	k.id = note_key_id(k.name, k.type, k.pub);
	path = xasprintf("%s/%s", store_path(s), PROOF_KEY_FILE);
	if (write_key_file(path, &k, cause) < 0)
		goto key;
	note_vkey(&k, vkey);
	if (store_write(s, put_vkey_txn, vkey, cause) < 0) {
		unlink(path);
		goto key;
	}
	rc = 0;
key:
	note_key_free(&k);
out:
	buf_free(&have);
	free(path);
	free(name);
	return rc;
}

/*
 * Reads the private key, which lives with the database: opened with the
 * database's group (privsep.h), as the database itself is, and only if it
 * is a regular file that no one outside its owner and group can read.
 */
static int
read_key_file(const char *path, char **text, size_t *len, char **cause)
{
	struct stat st;
	int fd;

	fd = privsep_open_read(path);
	if (fd < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 007) != 0) {
		*cause = xasprintf("%s must be a regular file that others cannot read: refusing "
		    "to sign with it", path);
		close(fd);
		return -1;
	}
	return read_fd(fd, path, 4096, text, len, cause);
}

/* Loads the signing key and checks it is the one the database names. */
static int
load_signer(struct store *s, struct note_key *k, char **cause)
{
	struct note_key v;
	char *path = xasprintf("%s/%s", store_path(s), PROOF_KEY_FILE), *text = NULL;
	size_t len;
	int rc = proof_vkey(s, &v, cause);

	if (rc != 0) {
		if (rc == 1)
			*cause = xstrdup("this database has no checkpoint key (an admin makes one "
			    "with frontdoor checkpoint --new-key)");
		free(path);
		return -1;
	}
	rc = read_key_file(path, &text, &len, cause);
	if (rc == 0 && note_skey_parse(text, len, k, cause) < 0)
		rc = -1;
	if (rc == 0 && (k->id != v.id || memcmp(k->pub, v.pub, 32) != 0 ||
	    strcmp(k->name, v.name) != 0)) {
		*cause = xasprintf("%s is not the key this database names", path);
		note_key_free(k);
		rc = -1;
	}
	if (text != NULL)
		OPENSSL_cleanse(text, len);
	free(text);
	free(path);
	note_key_free(&v);
	return rc;
}

struct root_arg {
	uint64_t size;		/* in: 0 for all; out: the size */
	unsigned char root[MERKLE_HASH];
};

static int
root_txn(struct store_txn *t, void *argp)
{
	struct root_arg *a = argp;
	struct merkle_reader r;
	struct dlog_head head;
	uint64_t leaves;

	if (tree_leaves(t, &leaves) < 0 || dlog_head(t, &head) < 0)
		return -1;
	/* the whole log, or nothing: never a checkpoint of less than it holds by accident */
	if (a->size == 0 && leaves > head.seq)
		return store_fail(t, "the log's tree holds %llu records but the log %llu: records "
		    "were removed (run frontdoor verify)", (unsigned long long)leaves,
		    (unsigned long long)head.seq);
	if (a->size == 0 && leaves < head.seq)
		return store_fail(t, "the log's tree covers %llu of its %llu records: open the "
		    "database for writing once (any command that writes, as a user who may), which "
		    "builds it", (unsigned long long)leaves, (unsigned long long)head.seq);
	if (a->size == 0)
		a->size = leaves;
	if (a->size > leaves)
		return store_fail(t, "the log's tree has %llu records, fewer than %llu",
		    (unsigned long long)leaves, (unsigned long long)a->size);
	tree_reader(t, &r);
	return merkle_root(&r, a->size, a->root);
}

int
proof_checkpoint(struct store *s, uint64_t size, struct buf *out, char **cause)
{
	struct root_arg a = { size, { 0 } };
	struct note_key k;
	struct buf text;
	int rc = -1;

	if (load_signer(s, &k, cause) < 0)
		return -1;
	buf_init(&text);
	if (store_read(s, root_txn, &a, cause) < 0)
		goto out;
	note_checkpoint_text(k.name, a.size, a.root, &text);
	buf_add(out, text.data, text.len);
	buf_addc(out, '\n');
	rc = note_sign(&k, text.data, text.len, out, cause);
out:
	buf_free(&text);
	note_key_free(&k);
	return rc;
}

/* The checkpoint's size, once its root is found to be this log's root at that size. */
static int
checkpoint_size(struct store *s, const char *note, size_t len, uint64_t *size, char **cause)
{
	struct note n;
	struct note_checkpoint c;
	struct root_arg a = { 0, { 0 } };
	int rc = -1;

	if (note_parse(note, len, &n, cause) < 0)
		return -1;
	if (note_checkpoint_parse(n.text, n.len, &c, cause) < 0)
		goto note;
	a.size = c.size;
	if (c.size == 0)
		*cause = xstrdup("a checkpoint of the empty log proves nothing");
	else if (store_read(s, root_txn, &a, cause) == 0) {
		if (memcmp(a.root, c.root, MERKLE_HASH) != 0)
			*cause = xasprintf("this log's tree of %llu records does not have the "
			    "checkpoint's root: it is not the log the checkpoint was made of, or "
			    "its history was rewritten", (unsigned long long)c.size);
		else {
			*size = c.size;
			rc = 0;
		}
	}
	note_checkpoint_free(&c);
note:
	note_free(&n);
	return rc;
}

static void
add_hash_lines(const merkle_hash *h, int n, struct buf *out)
{
	for (int i = 0; i < n; i++) {
		note_b64_encode(h[i], MERKLE_HASH, out);
		buf_addc(out, '\n');
	}
}

struct inclusion_arg {
	uint64_t seq, size;
	struct buf *out;
};

static int
inclusion_txn(struct store_txn *t, void *argp)
{
	struct inclusion_arg *a = argp;
	struct merkle_reader r;
	merkle_hash proof[MERKLE_MAX_PROOF];
	unsigned char key[8];
	struct store_val v;
	int len, rc;

	if (a->seq == 0 || a->seq > a->size)
		return store_fail(t, "record %llu is not among the checkpoint's %llu",
		    (unsigned long long)a->seq, (unsigned long long)a->size);
	store_put_u64(key, a->seq);
	if ((rc = store_get(t, TABLE_LOG, key, 8, &v)) != 0)
		return rc < 0 ? -1 : store_fail(t, "record %llu is missing from the log",
		    (unsigned long long)a->seq);
	tree_reader(t, &r);
	if (merkle_inclusion(&r, a->seq - 1, a->size, proof, &len) < 0)
		return -1;
	buf_printf(a->out, "%s\nindex %llu\nrecord ", PROOF_INCLUSION_HEADER,
	    (unsigned long long)(a->seq - 1));
	note_b64_encode(v.data, v.len, a->out);
	buf_addc(a->out, '\n');
	add_hash_lines(proof, len, a->out);
	return 0;
}

int
proof_inclusion(struct store *s, uint64_t seq, const char *note, size_t note_len, struct buf *out,
    char **cause)
{
	struct inclusion_arg a = { seq, 0, out };

	if (checkpoint_size(s, note, note_len, &a.size, cause) < 0 ||
	    store_read(s, inclusion_txn, &a, cause) < 0)
		return -1;
	buf_addc(out, '\n');
	buf_add(out, note, note_len);
	return 0;
}

struct case_arg {
	const char *id;
	uint64_t seq;
};

static int
case_txn(struct store_txn *t, void *argp)
{
	struct case_arg *a = argp;
	struct case_state cs;
	int rc = dlog_case_state(t, a->id, strlen(a->id), &cs);

	if (rc == 0)
		a->seq = cs.last_seq;
	return rc < 0 ? -1 : 0;
}

int
proof_case_seq(struct store *s, const char *case_id, uint64_t *seq, char **cause)
{
	struct case_arg a = { case_id, 0 };

	if (store_read(s, case_txn, &a, cause) < 0)
		return -1;
	*seq = a.seq;
	return 0;
}

struct consistency_arg {
	uint64_t old, size;
	struct buf *out;
};

static int
consistency_txn(struct store_txn *t, void *argp)
{
	struct consistency_arg *a = argp;
	struct merkle_reader r;
	merkle_hash proof[MERKLE_MAX_PROOF];
	int len;

	if (a->old > a->size)
		return store_fail(t, "the old size %llu is past the checkpoint's %llu: a witness "
		    "that holds a longer log than this one has seen records this log no longer has",
		    (unsigned long long)a->old, (unsigned long long)a->size);
	tree_reader(t, &r);
	if (merkle_consistency(&r, a->old, a->size, proof, &len) < 0)
		return -1;
	buf_printf(a->out, "old %llu\n", (unsigned long long)a->old);
	add_hash_lines(proof, len, a->out);
	return 0;
}

int
proof_consistency(struct store *s, uint64_t old, const char *note, size_t note_len,
    struct buf *out, char **cause)
{
	struct consistency_arg a = { old, 0, out };

	if (checkpoint_size(s, note, note_len, &a.size, cause) < 0 ||
	    store_read(s, consistency_txn, &a, cause) < 0)
		return -1;
	buf_addc(out, '\n');
	buf_add(out, note, note_len);
	return 0;
}

int
proof_open_checkpoint(const char *text, size_t len, const struct note_key *log, struct note *n,
    struct note_checkpoint *c, char **cause)
{
	int rc;

	memset(c, 0, sizeof *c);
	if (note_parse(text, len, n, cause) < 0)
		return -1;
	rc = note_verify(n, log, NULL);
	if (rc != 0) {
		*cause = xasprintf(rc == 1 ? "the checkpoint carries no signature by the log's key "
		    "%s" : "FORGED: the checkpoint's signature by %s does not verify", log->name);
		goto fail;
	}
	if (note_checkpoint_parse(n->text, n->len, c, cause) < 0)
		goto fail;
	if (strcmp(c->origin, log->name) != 0) {
		*cause = xstrdup("the checkpoint names another log than its key");
		note_checkpoint_free(c);
		goto fail;
	}
	return 0;
fail:
	note_free(n);
	return -1;
}

/* The next line of text from *p (without its newline); NULL at the end. */
static const char *
next_line(const char **p, const char *end, size_t *n)
{
	const char *line = *p, *nl;

	if (line >= end || (nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
		return NULL;
	*n = (size_t)(nl - line);
	*p = nl + 1;
	return line;
}

/* Proof lines up to the blank line: one base64 hash each. */
static int
read_hashes(const char **p, const char *end, merkle_hash *out, int max, int *count)
{
	const char *line;
	size_t n, got;

	*count = 0;
	while ((line = next_line(p, end, &n)) != NULL && n > 0) {
		if (*count == max ||
		    note_b64_decode(line, n, out[*count], MERKLE_HASH, &got) < 0 || got != MERKLE_HASH)
			return -1;
		(*count)++;
	}
	return line == NULL ? -1 : 0;
}

int
proof_request_parse(const char *text, size_t len, struct proof_request *req, char **cause)
{
	const char *p = text, *end = text + len, *line = next_line(&p, end, &len);
	char num[24];

	memset(req, 0, sizeof *req);
	if (line == NULL || len < 5 || len > 23 || memcmp(line, "old ", 4) != 0)
		goto bad;
	memcpy(num, line + 4, len - 4);
	num[len - 4] = '\0';
	if (strspn(num, "0123456789") != len - 4 || (num[0] == '0' && len > 5))
		goto bad;
	req->old = strtoull(num, NULL, 10);
	if (read_hashes(&p, end, req->proof, 63, &req->len) < 0)
		goto bad;
	req->note = p;
	req->note_len = (size_t)(end - p);
	return 0;
bad:
	*cause = xstrdup("not an add-checkpoint request: want \"old N\", up to 63 base64 proof "
	    "lines, a blank line and a signed checkpoint");
	return -1;
}

int
proof_check_inclusion(const char *text, size_t len, const struct note_key *log,
    struct proof_inclusion_result *res, char **cause)
{
	const char *p = text, *end = text + len, *line;
	struct note n;
	struct note_checkpoint c;
	merkle_hash proof[MERKLE_MAX_PROOF];
	unsigned char leaf[MERKLE_HASH];
	size_t ln;
	int count, rc = -1;

	memset(res, 0, sizeof *res);
	line = next_line(&p, end, &ln);
	if (line == NULL || ln != strlen(PROOF_INCLUSION_HEADER) ||
	    memcmp(line, PROOF_INCLUSION_HEADER, ln) != 0 ||
	    (line = next_line(&p, end, &ln)) == NULL || ln < 7 || memcmp(line, "index ", 6) != 0)
		goto bad;
	res->index = strtoull(line + 6, NULL, 10);
	if ((line = next_line(&p, end, &ln)) == NULL || ln < 8 || memcmp(line, "record ", 7) != 0)
		goto bad;
	res->record = xmalloc(ln);
	if (note_b64_decode(line + 7, ln - 7, res->record, ln, &res->record_len) < 0 ||
	    read_hashes(&p, end, proof, MERKLE_MAX_PROOF, &count) < 0)
		goto bad;
	if (proof_open_checkpoint(p, (size_t)(end - p), log, &n, &c, cause) < 0)
		goto fail;
	res->size = c.size;
	res->origin = xstrdup(c.origin);
	memcpy(res->root, c.root, MERKLE_HASH);
	merkle_leaf_hash(res->record, res->record_len, leaf);
	if (merkle_check_inclusion(leaf, res->index, c.size, proof, count, c.root) == 0)
		rc = 0;
	else
		*cause = xasprintf("NOT PROVEN: the record is not at index %llu of the log's tree "
		    "of %llu records signed by %s", (unsigned long long)res->index,
		    (unsigned long long)c.size, log->name);
	note_checkpoint_free(&c);
	note_free(&n);
	if (rc == 0)
		return 0;
	goto fail;
bad:
	*cause = xstrdup("not an inclusion proof (" PROOF_INCLUSION_HEADER ")");
fail:
	proof_inclusion_result_free(res);
	return -1;
}

void
proof_inclusion_result_free(struct proof_inclusion_result *res)
{
	free(res->origin);
	free(res->record);
	memset(res, 0, sizeof *res);
}
