/* witness.h: a checkpoint witness: holds the newest checkpoint of each log it trusts, no database. */
#ifndef FD_WITNESS_H
#define FD_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/*
 * A witness lives in its own directory (0700): witness.key, its Ed25519
 * cosigning key (c2sp.org/tlog-cosignature); logs/ORIGIN-HASH.vkey, the
 * verifier key of each log it trusts; logs/ORIGIN-HASH.checkpoint, the newest
 * checkpoint of that log it cosigned; and a lock file, so that checking a
 * request and keeping its checkpoint happen as one step.
 */

/* What became of a checkpoint (the HTTP status tlog-witness gives each case). */
enum witness_verdict {
	WITNESS_COSIGNED = 200,
	WITNESS_BAD_REQUEST = 400,	/* malformed, or an old size past the checkpoint */
	WITNESS_UNTRUSTED = 403,	/* no valid signature by the log's key */
	WITNESS_UNKNOWN_LOG = 404,
	WITNESS_CONFLICT = 409,		/* another old size than held, or the same size, another root */
	WITNESS_INCONSISTENT = 422,	/* the consistency proof fails: rewritten or forked */
};

/* Makes a witness directory and its key; *vkey gets the key's verifier key (type 0x04). */
int witness_init(const char *dir, const char *name, struct buf *vkey, char **cause);
/* The witness's verifier key. */
int witness_vkey(const char *dir, struct buf *vkey, char **cause);
/* Trusts a log's verifier key (type 0x01); its name is the log's origin. */
int witness_trust(const char *dir, const char *vkey, char **cause);
/*
 * Checks an add-checkpoint request (c2sp.org/tlog-witness) and, when it
 * holds, keeps the checkpoint and appends the cosigned checkpoint to out.
 * Returns the verdict, with *cause saying why for any other than
 * WITNESS_COSIGNED and *held the size it holds (for a conflict); -1 when
 * the witness itself cannot work (its files).
 */
int witness_add(const char *dir, const char *request, size_t len, uint64_t now, struct buf *out,
    uint64_t *held, char **cause);
/* The newest checkpoint held for a log (0 and nothing appended if none). */
int witness_held(const char *dir, const char *origin, uint64_t *size, struct buf *checkpoint,
    char **cause);

#endif
