/* proof.h: the log's signing key, signed checkpoints, inclusion and consistency proofs, and their checks. */
#ifndef FD_PROOF_H
#define FD_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "base/merkle.h"
#include "base/note.h"
#include "store/store.h"

#define PROOF_KEY_FILE "checkpoint.key"
#define PROOF_INCLUSION_HEADER "frontdoor-inclusion/v1"
#define PROOF_MAX_INPUT (1024 * 1024)

/*
 * Makes the log's Ed25519 signing key: the private key goes to a file beside
 * the database (PROOF_KEY_FILE, 0640: the frontdoor group, never the
 * practitioners), its verifier key into the database, where anyone who may
 * read the log (or an archived copy) finds it. origin NULL: a name made from
 * the host's. Refused when the database already has a key.
 */
int proof_key_create(struct store *s, const char *origin, struct buf *vkey, char **cause);
/* The log's verifier key as stored in the database: 0, 1 if it has none, -1 on error. */
int proof_vkey(struct store *s, struct note_key *k, char **cause);
/* The verifier key text stored in the database (for printing); 1 if none. */
int proof_vkey_text(struct store *s, struct buf *out, char **cause);

/* A signed checkpoint of the first `size` records (0: all of them), with the key beside the database. */
int proof_checkpoint(struct store *s, uint64_t size, struct buf *out, char **cause);

/*
 * An inclusion proof of record seq in the signed checkpoint `note` (whose root
 * must be this log's at its size): PROOF_INCLUSION_HEADER, "index N" (the
 * leaf: seq - 1), "record " and the record's stored bytes in base64, the
 * audit path one base64 hash a line, a blank line, then the checkpoint.
 */
int proof_inclusion(struct store *s, uint64_t seq, const char *note, size_t note_len,
    struct buf *out, char **cause);
/* The sequence number of a case's newest record, or 0 if it has none. */
int proof_case_seq(struct store *s, const char *case_id, uint64_t *seq, char **cause);
/*
 * A tlog-witness add-checkpoint request: "old OLD", the consistency proof from
 * OLD records to the checkpoint's size, a blank line, then the checkpoint.
 */
int proof_consistency(struct store *s, uint64_t old, const char *note, size_t note_len,
    struct buf *out, char **cause);

/* What checking an inclusion proof found. */
struct proof_inclusion_result {
	uint64_t index, size;
	char *origin;
	unsigned char *record;
	size_t record_len;
	unsigned char root[MERKLE_HASH];
};

/*
 * Checks an inclusion proof with the log's verifier key and nothing else:
 * the checkpoint's signature, then the record's leaf up the audit path to its
 * root. 0 when it holds; -1 with the reason.
 */
int proof_check_inclusion(const char *text, size_t len, const struct note_key *log,
    struct proof_inclusion_result *res, char **cause);
void proof_inclusion_result_free(struct proof_inclusion_result *res);

/* An add-checkpoint request split into its parts (the proof hashes decoded). */
struct proof_request {
	uint64_t old;
	merkle_hash proof[64];
	int len;
	const char *note;	/* points into the text given */
	size_t note_len;
};

/* Parses an add-checkpoint request (c2sp.org/tlog-witness). */
int proof_request_parse(const char *text, size_t len, struct proof_request *req, char **cause);

/*
 * Checks a signed checkpoint against the log's verifier key: 0 with its
 * parts, -1 with the reason (not signed by that key, not a checkpoint, or
 * an origin other than the key's name).
 */
int proof_open_checkpoint(const char *text, size_t len, const struct note_key *log,
    struct note *n, struct note_checkpoint *c, char **cause);

#endif
