/* witness.c: checks each new checkpoint of a log against the last one it kept, then cosigns or refuses. */
#include "core/witness.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/merkle.h"
#include "base/note.h"
#include "core/proof.h"
#include "base/digest.h"

#define KEY_FILE "witness.key"
#define MAX_FILE 65536

/* DIR/logs/<SHA-256 of the origin, hex>.EXT: any origin, a safe file name. */
static char *
log_path(const char *dir, const char *origin, const char *ext)
{
	char hex[65];

	digest_sha256_hex(origin, strlen(origin), hex);
	return xasprintf("%s/logs/%s.%s", dir, hex, ext);
}

/* Writes a file whole: a temporary file, flushed, then renamed over the old one. */
static int
write_atomic(const char *path, const char *data, size_t len, mode_t mode, char **cause)
{
	char *tmp = xasprintf("%s.new", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode), rc = -1;

	if (fd < 0)
		goto out;
	if (write(fd, data, len) == (ssize_t)len && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		if (rename(tmp, path) == 0)
			rc = 0;
	}
out:
	if (rc < 0) {
		*cause = xasprintf("cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

static int
load_key(const char *dir, struct note_key *k, char **cause)
{
	char *path = xasprintf("%s/%s", dir, KEY_FILE), *text = NULL;
	size_t len;
	int rc = read_file(path, 4096, &text, &len, cause);

	if (rc == 0 && (note_skey_parse(text, len, k, cause) < 0 || k->type != NOTE_COSIG_V1)) {
		if (*cause == NULL) {
			*cause = xasprintf("%s is not a cosigning key", path);
			note_key_free(k);
		}
		rc = -1;
	}
	if (text != NULL)
		OPENSSL_cleanse(text, len);
	free(text);
	free(path);
	return rc;
}

int
witness_init(const char *dir, const char *name, struct buf *vkey, char **cause)
{
	struct note_key k;
	struct buf b;
	char *logs = xasprintf("%s/logs", dir), *path = xasprintf("%s/%s", dir, KEY_FILE);
	int rc = -1, fd;

	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) || (mkdir(logs, 0700) < 0 && errno != EEXIST)) {
		*cause = xasprintf("cannot create %s: %s", logs, strerror(errno));
		goto out;
	}
	if (note_key_generate(name, NOTE_COSIG_V1, &k, cause) < 0)
		goto out;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	buf_init(&b);
	note_skey(&k, &b);
	buf_addc(&b, '\n');
	if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len || fsync(fd) != 0)
		*cause = xasprintf(errno == EEXIST ? "%s exists: this directory has a witness "
		    "already" : "cannot write %s: %s", path, strerror(errno));
	else {
		note_vkey(&k, vkey);
		rc = 0;
	}
	if (fd >= 0)
		close(fd);
	OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	note_key_free(&k);
out:
	free(logs);
	free(path);
	return rc;
}

int
witness_vkey(const char *dir, struct buf *vkey, char **cause)
{
	struct note_key k;

	if (load_key(dir, &k, cause) < 0)
		return -1;
	note_vkey(&k, vkey);
	note_key_free(&k);
	return 0;
}

int
witness_trust(const char *dir, const char *vkey, char **cause)
{
	struct note_key k;
	char *path, *old = NULL, *text;
	size_t len;
	int rc = -1;

	if (note_vkey_parse(vkey, strlen(vkey), &k, cause) < 0)
		return -1;
	if (k.type != NOTE_ED25519) {
		*cause = xstrdup("a log's key signs with Ed25519 (type 0x01); this is another kind");
		note_key_free(&k);
		return -1;
	}
	path = log_path(dir, k.name, "vkey");
	text = xasprintf("%s\n", vkey);
	if (read_file(path, 4096, &old, &len, cause) == 0) {
		if (len == strlen(text) && memcmp(old, text, len) == 0)
			rc = 0;
		else
			*cause = xstrdup("this witness already trusts another key for that log: a "
			    "log's key is not replaced by a request; remove the old one by hand");
	} else {
		free(*cause);
		*cause = NULL;
		rc = write_atomic(path, text, strlen(text), 0600, cause);
	}
	free(old);
	free(text);
	free(path);
	note_key_free(&k);
	return rc;
}

/* The held checkpoint's size and root (size 0 if none held). */
static int
load_held(const char *dir, const char *origin, uint64_t *size, unsigned char root[MERKLE_HASH],
    struct buf *text, char **cause)
{
	char *path = log_path(dir, origin, "checkpoint"), *data = NULL;
	struct note n;
	struct note_checkpoint c;
	size_t len;
	int rc = -1;

	*size = 0;
	memset(root, 0, MERKLE_HASH);
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		free(path);
		return 0;
	}
	if (read_file(path, MAX_FILE, &data, &len, cause) < 0)
		goto out;
	if (note_parse(data, len, &n, cause) < 0)
		goto out;
	if (note_checkpoint_parse(n.text, n.len, &c, cause) == 0) {
		*size = c.size;
		memcpy(root, c.root, MERKLE_HASH);
		if (text != NULL)
			buf_add(text, data, len);
		note_checkpoint_free(&c);
		rc = 0;
	}
	note_free(&n);
out:
	if (rc < 0 && *cause != NULL) {
		char *c2 = xasprintf("%s: %s", path, *cause);

		free(*cause);
		*cause = c2;
	}
	free(data);
	free(path);
	return rc;
}

int
witness_held(const char *dir, const char *origin, uint64_t *size, struct buf *checkpoint,
    char **cause)
{
	unsigned char root[MERKLE_HASH];

	return load_held(dir, origin, size, root, checkpoint, cause);
}

/* The log's trusted key by the checkpoint's origin: 0, or WITNESS_UNKNOWN_LOG. */
static int
trusted_key(const char *dir, const struct proof_request *req, struct note_key *k, char **cause)
{
	struct note n;
	struct note_checkpoint c;
	char *path = NULL, *text = NULL;
	size_t len;
	int rc = WITNESS_BAD_REQUEST;

	if (note_parse(req->note, req->note_len, &n, cause) < 0)
		return rc;
	if (note_checkpoint_parse(n.text, n.len, &c, cause) < 0)
		goto note;
	path = log_path(dir, c.origin, "vkey");
	rc = WITNESS_UNKNOWN_LOG;
	if (read_file(path, 4096, &text, &len, cause) < 0) {
		free(*cause);
		*cause = xstrdup("REFUSED: this witness does not know that log (add its key with "
		    "frontdoor witness trust)");
	} else if (note_vkey_parse(text, len, k, cause) == 0)
		rc = 0;
	free(text);
	free(path);
	note_checkpoint_free(&c);
note:
	note_free(&n);
	return rc;
}

/* The consistency checks of tlog-witness, against the checkpoint held. */
static int
check_against_held(const struct proof_request *req, const struct note_checkpoint *c,
    uint64_t held, const unsigned char held_root[MERKLE_HASH], char **cause)
{
	if (req->old > c->size) {
		*cause = xasprintf("REFUSED: the old size %llu is past the checkpoint's %llu",
		    (unsigned long long)req->old, (unsigned long long)c->size);
		return WITNESS_BAD_REQUEST;
	}
	if (req->old != held) {
		*cause = xasprintf("REFUSED: this witness holds the log at %llu records, not %llu; "
		    "%s", (unsigned long long)held, (unsigned long long)req->old, c->size < held ?
		    "the checkpoint is shorter than the one held: the log was TRUNCATED or rolled back" :
		    "ask for a proof from the size it holds");
		return WITNESS_CONFLICT;
	}
	if (req->old == c->size && memcmp(held_root, c->root, MERKLE_HASH) != 0) {
		*cause = xasprintf("REFUSED: FORK: the log signed two different trees of %llu "
		    "records: its history was rewritten", (unsigned long long)c->size);
		return WITNESS_CONFLICT;
	}
	if (merkle_check_consistency(req->old, c->size, held_root, c->root, req->proof, req->len) < 0) {
		*cause = xasprintf("REFUSED: the checkpoint of %llu records does not extend the one "
		    "held of %llu: the log's history was REWRITTEN, TRUNCATED or FORKED after it",
		    (unsigned long long)c->size, (unsigned long long)held);
		return WITNESS_INCONSISTENT;
	}
	return 0;
}

/* Cosigns and keeps the checkpoint; the cosigned note goes to out. */
static int
cosign_and_keep(const char *dir, const struct note *n, const struct note_checkpoint *c,
    uint64_t now, struct buf *out, char **cause)
{
	struct note_key w;
	struct buf b;
	char *path;
	int rc = -1;

	if (load_key(dir, &w, cause) < 0)
		return -1;
	buf_init(&b);
	buf_add(&b, n->text, n->len);
	buf_addc(&b, '\n');
	note_sig_lines(n, &b);
	if (note_cosign(&w, n->text, n->len, now, &b, cause) == 0) {
		path = log_path(dir, c->origin, "checkpoint");
		rc = write_atomic(path, b.data, b.len, 0600, cause);
		free(path);
	}
	if (rc == 0)
		buf_add(out, b.data, b.len);
	buf_free(&b);
	note_key_free(&w);
	return rc;
}

/* Holds the witness's lock for the whole check-and-keep. */
static int
lock_dir(const char *dir, char **cause)
{
	char *path = xasprintf("%s/lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		*cause = xasprintf("cannot lock %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

int
witness_add(const char *dir, const char *request, size_t len, uint64_t now, struct buf *out,
    uint64_t *held, char **cause)
{
	struct proof_request req;
	struct note_key log;
	struct note n;
	struct note_checkpoint c;
	unsigned char held_root[MERKLE_HASH];
	int rc, lock;

	*held = 0;
	if (proof_request_parse(request, len, &req, cause) < 0)
		return WITNESS_BAD_REQUEST;
	if ((rc = trusted_key(dir, &req, &log, cause)) != 0)
		return rc;
	if (proof_open_checkpoint(req.note, req.note_len, &log, &n, &c, cause) < 0) {
		char *why = xasprintf("REFUSED: %s", *cause);

		free(*cause);
		*cause = why;
		note_key_free(&log);
		return WITNESS_UNTRUSTED;
	}
	if ((lock = lock_dir(dir, cause)) < 0)
		rc = -1;
	else if (load_held(dir, c.origin, held, held_root, NULL, cause) < 0)
		rc = -1;
	else if ((rc = check_against_held(&req, &c, *held, held_root, cause)) == 0)
		rc = cosign_and_keep(dir, &n, &c, now, out, cause) < 0 ? -1 : WITNESS_COSIGNED;
	if (lock >= 0)
		close(lock);
	note_checkpoint_free(&c);
	note_free(&n);
	note_key_free(&log);
	return rc;
}
